//! Anonymous evaluation questionnaires: each item answered before and after the training on a
//! scale of 1 to 5. The figures per item are computed by the database; any figure based on
//! fewer than `MIN_ANSWERS` answers is suppressed, so no small group can be singled out.

use iqnet_shared::DomainError;
use iqnet_shared::error::Violations;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::vocabulary::EvaluationItem;

/// Figures based on fewer answers are never shown (DOMAIN.md: never reveal a group below 5).
pub const MIN_ANSWERS: i64 = 5;

/// One item's self-assessment before and after, 1 (not at all) to 5 (fully).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationAnswer {
    pub item: EvaluationItem,
    #[schema(minimum = 1, maximum = 5, example = 2)]
    pub before: i32,
    #[schema(minimum = 1, maximum = 5, example = 4)]
    pub after: i32,
}

/// The answers of one questionnaire: at least one, each item at most once, each score 1-5.
pub fn parse_answers(answers: Vec<EvaluationAnswer>) -> Result<Vec<EvaluationAnswer>, DomainError> {
    let mut v = Violations::new();
    if answers.is_empty() {
        v.push("answers", "required", "at least one item");
    }
    for (i, a) in answers.iter().enumerate() {
        for (field, score) in [("before", a.before), ("after", a.after)] {
            if !(1..=5).contains(&score) {
                v.push(format!("answers[{i}].{field}"), "out_of_range", "1 to 5");
            }
        }
        if answers[..i].iter().any(|earlier| earlier.item == a.item) {
            v.push(format!("answers[{i}].item"), "duplicate", "each item once");
        }
    }
    v.finish(|| ())?;
    let mut answers = answers;
    answers.sort_by_key(|a| a.item);
    Ok(answers)
}

/// What the database computed for one item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemAggregate {
    pub item: EvaluationItem,
    pub answers: i64,
    pub mean_before: f64,
    pub mean_after: f64,
    pub mean_change: f64,
}

/// One item's figures as shown: all `null` and `suppressed` below `MIN_ANSWERS` answers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct ItemFigures {
    pub item: EvaluationItem,
    /// Answers to the item; `null` when suppressed.
    #[schema(example = 12)]
    pub answers: Option<i64>,
    /// Mean score before the training (1-5), two decimals.
    #[schema(example = 2.42)]
    pub mean_before: Option<f64>,
    #[schema(example = 3.92)]
    pub mean_after: Option<f64>,
    /// Mean of each answer's `after - before`.
    #[schema(example = 1.5)]
    pub mean_change: Option<f64>,
    /// True when fewer than 5 answers exist: no figure is shown.
    pub suppressed: bool,
}

fn two_decimals(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl ItemFigures {
    /// The figures of `item` given its aggregate (`None`: no answer at all).
    pub fn of(item: EvaluationItem, aggregate: Option<ItemAggregate>) -> ItemFigures {
        match aggregate.filter(|a| a.answers >= MIN_ANSWERS) {
            Some(a) => ItemFigures {
                item,
                answers: Some(a.answers),
                mean_before: Some(two_decimals(a.mean_before)),
                mean_after: Some(two_decimals(a.mean_after)),
                mean_change: Some(two_decimals(a.mean_change)),
                suppressed: false,
            },
            None => ItemFigures {
                item,
                answers: None,
                mean_before: None,
                mean_after: None,
                mean_change: None,
                suppressed: true,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aggregate(answers: i64) -> ItemAggregate {
        ItemAggregate {
            item: EvaluationItem::KnowledgeOfMigration,
            answers,
            mean_before: 2.0,
            mean_after: 3.666_666,
            mean_change: 1.666_666,
        }
    }

    #[test]
    fn fewer_than_five_answers_are_suppressed() {
        let item = EvaluationItem::KnowledgeOfMigration;
        let four = ItemFigures::of(item, Some(aggregate(4)));
        assert!(four.suppressed && four.answers.is_none() && four.mean_change.is_none());
        let five = ItemFigures::of(item, Some(aggregate(5)));
        assert_eq!((five.answers, five.mean_change), (Some(5), Some(1.67)));
        assert!(ItemFigures::of(item, None).suppressed);
    }

    #[test]
    fn scores_run_from_one_to_five_and_items_are_answered_once() {
        let a = |before, after| EvaluationAnswer {
            item: EvaluationItem::RecognitionKnowledge,
            before,
            after,
        };
        assert!(parse_answers(vec![a(1, 5)]).is_ok());
        assert!(parse_answers(vec![a(0, 5)]).is_err());
        assert!(parse_answers(vec![a(1, 2), a(2, 3)]).is_err());
        assert!(parse_answers(vec![]).is_err());
    }
}
