//! Participation counts per session of a training, replaced as a whole per session.

use diesel::prelude::*;
use iqnet_intercultural::participation::ParticipationCount;
use iqnet_intercultural::vocabulary::{ParticipantGender, StaffFunction, TargetKind};
use iqnet_shared::ids::TrainingId;

use crate::StoreError;
use crate::db::DbConnection;
use crate::schema::training_participation as tp;

/// Replaces the counts of session `number` of `training`.
pub fn replace(
    conn: &mut DbConnection,
    training: TrainingId,
    number: i32,
    counts: &[ParticipationCount],
) -> Result<(), StoreError> {
    diesel::delete(
        tp::table
            .filter(tp::training_id.eq(training))
            .filter(tp::session_number.eq(number)),
    )
    .execute(conn)?;
    for c in counts {
        diesel::insert_into(tp::table)
            .values((
                tp::training_id.eq(training),
                tp::session_number.eq(number),
                tp::organisation_kind.eq(c.organisation_kind),
                tp::gender.eq(c.gender),
                tp::function.eq(c.function),
                tp::participants.eq(c.participants),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Every count of `training`, by session number.
pub fn of_training(
    conn: &mut DbConnection,
    training: TrainingId,
) -> Result<Vec<(i32, ParticipationCount)>, StoreError> {
    let rows: Vec<(i32, TargetKind, ParticipantGender, StaffFunction, i32)> = tp::table
        .filter(tp::training_id.eq(training))
        .order((
            tp::session_number,
            tp::organisation_kind,
            tp::gender,
            tp::function,
        ))
        .select((
            tp::session_number,
            tp::organisation_kind,
            tp::gender,
            tp::function,
            tp::participants,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(n, organisation_kind, gender, function, participants)| {
            (
                n,
                ParticipationCount {
                    organisation_kind,
                    gender,
                    function,
                    participants,
                },
            )
        })
        .collect())
}
