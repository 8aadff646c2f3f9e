//! Who took part in a session, as counts by organisation kind, gender and function: never
//! names. A session's counts are recorded (and corrected) as a whole.

use iqnet_shared::DomainError;
use iqnet_shared::error::Violations;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::vocabulary::{ParticipantGender, StaffFunction, TargetKind};

/// How many participants of one kind of organisation, gender and function came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipationCount {
    pub organisation_kind: TargetKind,
    pub gender: ParticipantGender,
    pub function: StaffFunction,
    #[schema(example = 7)]
    pub participants: i32,
}

/// The counts of one session, each combination at most once and none empty, in a stable order.
pub fn parse_counts(
    counts: Vec<ParticipationCount>,
) -> Result<Vec<ParticipationCount>, DomainError> {
    let mut v = Violations::new();
    for (i, c) in counts.iter().enumerate() {
        if !(1..=10_000).contains(&c.participants) {
            v.push(
                format!("counts[{i}].participants"),
                "out_of_range",
                "1 to 10000",
            );
        }
        let key = |c: &ParticipationCount| (c.organisation_kind, c.gender, c.function);
        if counts[..i].iter().any(|earlier| key(earlier) == key(c)) {
            v.push(
                format!("counts[{i}]"),
                "duplicate",
                "each organisation kind, gender and function once",
            );
        }
    }
    v.finish(|| ())?;
    let mut counts = counts;
    counts.sort_by_key(|c| (c.organisation_kind, c.gender, c.function));
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(gender: ParticipantGender, participants: i32) -> ParticipationCount {
        ParticipationCount {
            organisation_kind: TargetKind::Jobcenter,
            gender,
            function: StaffFunction::ClientContact,
            participants,
        }
    }

    #[test]
    fn a_combination_is_counted_once() {
        assert!(
            parse_counts(vec![
                count(ParticipantGender::Female, 3),
                count(ParticipantGender::Male, 2)
            ])
            .is_ok()
        );
        let Err(DomainError::Validation(e)) = parse_counts(vec![
            count(ParticipantGender::Female, 3),
            count(ParticipantGender::Female, 0),
        ]) else {
            panic!("not refused")
        };
        assert_eq!(e.len(), 2);
    }
}
