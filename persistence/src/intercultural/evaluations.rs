//! Anonymous evaluation answers and their aggregates per item, computed by the database.

use chrono::{DateTime, Utc};
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::{Double, Nullable};
use iqnet_intercultural::evaluation::{EvaluationAnswer, ItemAggregate};
use iqnet_intercultural::vocabulary::EvaluationItem;
use iqnet_shared::ids::{QuestionnaireId, TrainingId};

use crate::StoreError;
use crate::db::DbConnection;
use crate::schema::training_evaluation_answers as ea;

/// Stores one questionnaire's answers.
pub fn insert(
    conn: &mut DbConnection,
    (questionnaire, training): (QuestionnaireId, TrainingId),
    answers: &[EvaluationAnswer],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for a in answers {
        diesel::insert_into(ea::table)
            .values((
                ea::questionnaire_id.eq(questionnaire),
                ea::training_id.eq(training),
                ea::item.eq(a.item),
                ea::before_score.eq(a.before),
                ea::after_score.eq(a.after),
                ea::created_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// One item's row: the item, its answers, and the means before, after and of the change.
type AggregateRow = (EvaluationItem, i64, Option<f64>, Option<f64>, Option<f64>);

/// Per item of `training`: the number of answers and the means before, after and of the change,
/// as SQL aggregates (the scores are cast to a floating type so both backends divide alike).
pub fn aggregates(
    conn: &mut DbConnection,
    training: TrainingId,
) -> Result<Vec<ItemAggregate>, StoreError> {
    let rows: Vec<AggregateRow> = ea::table
        .filter(ea::training_id.eq(training))
        .group_by(ea::item)
        .order(ea::item)
        .select((
            ea::item,
            count_star(),
            sql::<Nullable<Double>>("AVG(CAST(before_score AS DOUBLE PRECISION))"),
            sql::<Nullable<Double>>("AVG(CAST(after_score AS DOUBLE PRECISION))"),
            sql::<Nullable<Double>>("AVG(CAST(after_score - before_score AS DOUBLE PRECISION))"),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(item, answers, before, after, change)| ItemAggregate {
            item,
            answers,
            mean_before: before.unwrap_or_default(),
            mean_after: after.unwrap_or_default(),
            mean_change: change.unwrap_or_default(),
        })
        .collect())
}

/// How many questionnaires `training` has.
pub fn questionnaires(conn: &mut DbConnection, training: TrainingId) -> Result<i64, StoreError> {
    Ok(ea::table
        .filter(ea::training_id.eq(training))
        .select(diesel::dsl::count(ea::questionnaire_id).aggregate_distinct())
        .first(conn)?)
}
