//! Filing: the authority decides the seat; a ZAB statement is for academic degrees of
//! non-regulated professions; a follow-up follows a decided procedure of the same seeker.

use super::*;
use crate::procedure::filing::{Authority, file};
use crate::records::{ForeignQualification, RecognitionProcedure};
use crate::vocabulary::QualificationKind;
use iqnet_shared::authority::CompetentAuthority;
use iqnet_shared::codes::{CountryCode, KldbCode, StateCode};
use iqnet_shared::holidays::Holiday;
use iqnet_shared::ids::{OrganisationId, ProcedureId, QualificationId, SeekerId};
use iqnet_shared::records::Stamp;
use iqnet_shared::reference::CompetentAuthorityKind;

fn qualification(
    kind: QualificationKind,
    occupation: Option<&str>,
    regulated: bool,
) -> ForeignQualification {
    ForeignQualification {
        id: QualificationId::new(),
        seeker_id: SeekerId::new(),
        organisation_id: OrganisationId::new(),
        kind,
        title: "Degree".into(),
        country: CountryCode::parse("SY").unwrap(),
        year_acquired: None,
        dqr_level: None,
        reference_occupation: occupation.map(|c| KldbCode::parse(c).unwrap()),
        regulated,
        competent_authority_kind: None,
        training_months: None,
        experience_months: None,
        recognised_in: None,
        stamp: Stamp::new(chrono::Utc::now()),
    }
}

fn authority(kind: CompetentAuthorityKind, occupations: &[&str]) -> Authority {
    Authority::Known(CompetentAuthority {
        id: "by-x".into(),
        name: "Behörde".into(),
        kind,
        city: "München".into(),
        seat: Seat::with_local(StateCode::Bayern, vec![Holiday::Assumption]).unwrap(),
        occupations: occupations
            .iter()
            .map(|c| KldbCode::parse(c).unwrap())
            .collect(),
    })
}

fn codes(result: Result<(ProcedureFacts, Seat), DomainError>) -> Vec<String> {
    match result {
        Err(DomainError::Validation(errs)) => errs.into_iter().map(|e| e.code).collect(),
        other => panic!("expected validation errors, got {other:?}"),
    }
}

#[test]
fn the_authority_gives_the_seat() {
    let nurse = qualification(QualificationKind::Academic, Some("81302"), true);
    let lfp = authority(CompetentAuthorityKind::StateAuthority, &["81302"]);
    let (facts, seat) = file(ProcedureKind::Recognition, false, &nurse, false, &lfp, None).unwrap();
    assert_eq!(seat.state, Some(StateCode::Bayern));
    assert_eq!(seat.local_holidays, [Holiday::Assumption]);
    assert!(facts.regulated && facts.has_deadlines());

    let named = Authority::Named {
        name: Some("Amt".into()),
        state: Some(StateCode::Berlin),
    };
    let (_, seat) = file(
        ProcedureKind::Recognition,
        false,
        &nurse,
        false,
        &named,
        None,
    )
    .unwrap();
    assert_eq!(seat, Seat::in_state(StateCode::Berlin));
}

#[test]
fn an_authority_must_decide_on_the_occupation() {
    let nurse = qualification(QualificationKind::Academic, Some("81302"), true);
    let chamber = authority(CompetentAuthorityKind::EngineeringChamber, &["31104"]);
    assert_eq!(
        codes(file(
            ProcedureKind::Recognition,
            false,
            &nurse,
            false,
            &chamber,
            None
        )),
        ["not_competent"]
    );
}

#[test]
fn a_zab_statement_is_for_academic_degrees_of_non_regulated_professions() {
    let zab = authority(CompetentAuthorityKind::Zab, &[]);
    let economics = qualification(QualificationKind::Academic, None, false);
    let (facts, _) = file(
        ProcedureKind::ZabEvaluation,
        false,
        &economics,
        false,
        &zab,
        None,
    )
    .unwrap();
    assert!(!facts.has_deadlines());

    let nurse = qualification(QualificationKind::Academic, Some("81302"), true);
    assert_eq!(
        codes(file(
            ProcedureKind::ZabEvaluation,
            true,
            &nurse,
            false,
            &zab,
            None
        )),
        ["not_for_zab", "not_for_zab"]
    );
    let vocational = qualification(QualificationKind::Vocational, None, false);
    assert_eq!(
        codes(file(
            ProcedureKind::ZabEvaluation,
            false,
            &vocational,
            false,
            &zab,
            None
        )),
        ["not_for_zab"]
    );
    // The ZAB makes no BQFG recognition.
    assert_eq!(
        codes(file(
            ProcedureKind::Recognition,
            false,
            &economics,
            false,
            &zab,
            None
        )),
        ["wrong_kind"]
    );
}

#[test]
fn a_follow_up_follows_a_decided_procedure_of_the_same_seeker() {
    let nurse = qualification(QualificationKind::Academic, Some("81302"), true);
    let named = Authority::Named {
        name: None,
        state: None,
    };
    let earlier = |procedure: Procedure, seeker_id| RecognitionProcedure {
        id: ProcedureId::new(),
        qualification_id: nurse.id,
        seeker_id,
        case_id: None,
        organisation_id: nurse.organisation_id,
        authority_id: None,
        authority_name: None,
        follows_procedure_id: None,
        procedure,
        stamp: Stamp::new(chrono::Utc::now()),
    };
    let decided = decided(THIRD_COUNTRY_REGULATED, full());
    let open = complete(THIRD_COUNTRY_REGULATED);
    let file_after = |p: &RecognitionProcedure| {
        file(
            ProcedureKind::Recognition,
            false,
            &nurse,
            false,
            &named,
            Some(p),
        )
    };
    assert!(file_after(&earlier(decided.clone(), nurse.seeker_id)).is_ok());
    assert_eq!(
        codes(file_after(&earlier(open, nurse.seeker_id))),
        ["not_decided"]
    );
    assert_eq!(
        codes(file_after(&earlier(decided, SeekerId::new()))),
        ["not_found"]
    );
}
