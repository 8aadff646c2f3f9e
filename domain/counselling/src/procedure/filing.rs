//! Filing a procedure: which authority decides, by which calendar its periods end, and whether
//! the qualification fits the kind of procedure.

use iqnet_shared::DomainError;
use iqnet_shared::authority::{CompetentAuthority, Seat};
use iqnet_shared::codes::StateCode;
use iqnet_shared::error::Violations;
use iqnet_shared::reference::CompetentAuthorityKind;

use super::{ProcedureFacts, ProcedureKind, ProcedureState};
use crate::records::{ForeignQualification, RecognitionProcedure};
use crate::vocabulary::QualificationKind;

/// Who decides: an authority of the reference data, or (as a fallback) one the counsellor names,
/// optionally with its state so its holidays count.
#[derive(Debug, Clone)]
pub enum Authority {
    Known(CompetentAuthority),
    Named {
        name: Option<String>,
        state: Option<StateCode>,
    },
}

/// The facts and the seat of a new procedure of `kind` for `qualification`, or every reason it
/// cannot be filed. `follows` is the earlier procedure it follows up, if any.
pub fn file(
    kind: ProcedureKind,
    accelerated: bool,
    qualification: &ForeignQualification,
    eu_eea_ch: bool,
    authority: &Authority,
    follows: Option<&RecognitionProcedure>,
) -> Result<(ProcedureFacts, Seat), DomainError> {
    let mut v = Violations::new();
    let zab = kind == ProcedureKind::ZabEvaluation;
    if zab {
        // The ZAB evaluates higher-education degrees that lead to no regulated profession; a
        // regulated one is recognised by its authority instead.
        if qualification.kind != QualificationKind::Academic || qualification.regulated {
            v.push(
                "kind",
                "not_for_zab",
                "a ZAB statement is for academic degrees of non-regulated professions only",
            );
        }
        if accelerated {
            v.push(
                "accelerated",
                "not_for_zab",
                "the accelerated procedure (§ 81a AufenthG) is a BQFG procedure",
            );
        }
    }
    let seat = match authority {
        Authority::Known(a) => {
            if (a.kind == CompetentAuthorityKind::Zab) != zab {
                v.push(
                    "authority_id",
                    "wrong_kind",
                    "a ZAB statement is made by the ZAB, a recognition by another authority",
                );
            }
            let decides = match &qualification.reference_occupation {
                Some(code) => a.occupations.contains(code),
                None => true,
            };
            if !zab && !decides {
                v.push(
                    "authority_id",
                    "not_competent",
                    "this authority does not decide on the qualification's reference occupation",
                );
            }
            a.seat.clone()
        }
        Authority::Named { state, .. } => state.map_or_else(Seat::unknown, Seat::in_state),
    };
    if let Some(earlier) = follows {
        if earlier.seeker_id != qualification.seeker_id {
            v.push(
                "follows_procedure_id",
                "not_found",
                "no such procedure of this seeker",
            );
        } else if earlier.procedure.state != ProcedureState::Decided {
            v.push(
                "follows_procedure_id",
                "not_decided",
                "a follow-up procedure follows a decided one",
            );
        }
    }
    let facts = ProcedureFacts {
        kind,
        regulated: qualification.regulated,
        eu_eea_ch,
        recognised_in_eu_eea_ch: qualification.recognised_in.is_some(),
        accelerated,
    };
    v.finish(|| (facts, seat))
}
