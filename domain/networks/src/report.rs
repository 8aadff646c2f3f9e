//! A network's figures for reporting: attendance by stakeholder kind, consultations by state,
//! and the time between the milestones of accelerated procedures. Reports never reveal a group
//! smaller than five (DOMAIN.md): such a count is withheld (`null`), and so are the durations
//! of fewer than five procedures, each of which is one person's way into the country.

use serde::Serialize;
use utoipa::ToSchema;

use crate::accelerated::AcceleratedProcedure;
use crate::event::NetworkEvent;
use crate::vocabulary::{Milestone, StakeholderKind};

/// The smallest group a report shows.
pub const MIN_GROUP: i64 = 5;

/// `count` if it may be shown: none at all, or at least [`MIN_GROUP`].
pub fn disclosed(count: i64) -> Option<i64> {
    (count == 0 || count >= MIN_GROUP).then_some(count)
}

/// People of one stakeholder kind counted at the held events.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AttendanceTotal {
    pub stakeholder_kind: StakeholderKind,
    /// `null` when fewer than five.
    #[schema(example = 42)]
    pub count: Option<i64>,
}

/// Attendance over `events` (held ones), by stakeholder kind, in the vocabulary's order.
pub fn attendance(events: &[NetworkEvent]) -> Vec<AttendanceTotal> {
    StakeholderKind::ALL
        .iter()
        .map(|kind| {
            let count = events
                .iter()
                .flat_map(|e| &e.attendance)
                .filter(|a| a.stakeholder_kind == *kind)
                .map(|a| i64::from(a.count))
                .sum();
            AttendanceTotal {
                stakeholder_kind: *kind,
                count: disclosed(count),
            }
        })
        .collect()
}

/// The days from one milestone to the next over the procedures that reached both.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Interval {
    pub from: Milestone,
    pub to: Milestone,
    /// Procedures that reached both; `null` when fewer than five.
    pub procedures: Option<i64>,
    /// `null` when fewer than five procedures.
    #[schema(example = 21.0)]
    pub median_days: Option<f64>,
    #[schema(example = 24.6)]
    pub mean_days: Option<f64>,
}

/// Each step between consecutive milestones, and from the agreement to the entry.
pub fn intervals(procedures: &[AcceleratedProcedure]) -> Vec<Interval> {
    let mut steps: Vec<(Milestone, Milestone)> =
        Milestone::ALL.windows(2).map(|w| (w[0], w[1])).collect();
    steps.push((Milestone::AgreementSigned, Milestone::Entered));
    steps
        .into_iter()
        .map(|(from, to)| {
            let mut days: Vec<i64> = procedures
                .iter()
                .filter_map(|p| Some((p.reached_on(to)? - p.reached_on(from)?).num_days()))
                .collect();
            days.sort_unstable();
            let n = i64::try_from(days.len()).unwrap_or(i64::MAX);
            let shown = n >= MIN_GROUP;
            Interval {
                from,
                to,
                procedures: disclosed(n),
                median_days: shown.then(|| median(&days)),
                mean_days: shown.then(|| mean(&days)),
            }
        })
        .collect()
}

#[allow(clippy::cast_precision_loss)] // Day counts are far below 2^52.
fn median(sorted: &[i64]) -> f64 {
    let mid = sorted.len() / 2;
    match (
        sorted.len() % 2,
        sorted.get(mid),
        mid.checked_sub(1).and_then(|i| sorted.get(i)),
    ) {
        (1, Some(m), _) => *m as f64,
        (_, Some(hi), Some(lo)) => (*lo + *hi) as f64 / 2.0,
        _ => 0.0,
    }
}

#[allow(clippy::cast_precision_loss)]
fn mean(days: &[i64]) -> f64 {
    let sum: i64 = days.iter().sum();
    let mean = sum as f64 / days.len().max(1) as f64;
    (mean * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};
    use iqnet_shared::ids::OrganisationId;

    use super::*;
    use crate::accelerated::{Links, Reached};
    use crate::network::tests::{d, network};
    use crate::vocabulary::TargetTitle;

    fn procedure(agreement: NaiveDate, days_to_decision: i64) -> AcceleratedProcedure {
        let net = network();
        let p = AcceleratedProcedure::initiate(
            &net,
            (net.coordinator_organisation_id, OrganisationId::new()),
            TargetTitle::S18b,
            Links::default(),
            Utc::now(),
        )
        .unwrap();
        let first = Reached {
            milestone: Milestone::AgreementSigned,
            on: agreement,
        };
        let second = Reached {
            milestone: Milestone::RecognitionDecided,
            on: agreement + chrono::Duration::days(days_to_decision),
        };
        let p = p.record(first, None, Utc::now()).unwrap();
        p.record(second, None, Utc::now()).unwrap()
    }

    #[test]
    fn durations_of_fewer_than_five_procedures_are_withheld() {
        let four: Vec<_> = (0..4).map(|i| procedure(d(2026, 1, 5), 30 + i)).collect();
        let first = &intervals(&four)[0];
        assert_eq!((first.procedures, first.median_days), (None, None));
        let six: Vec<_> = [10, 20, 30, 40, 50, 61]
            .into_iter()
            .map(|days| procedure(d(2026, 1, 5), days))
            .collect();
        let first = &intervals(&six)[0];
        assert_eq!(first.procedures, Some(6));
        assert_eq!(first.median_days, Some(35.0));
        assert_eq!(first.mean_days, Some(35.2));
        // Nobody got further: an empty group is no secret.
        assert_eq!(intervals(&six)[1].procedures, Some(0));
    }

    #[test]
    fn small_counts_are_withheld_but_none_is_shown() {
        assert_eq!(disclosed(0), Some(0));
        assert_eq!(disclosed(4), None);
        assert_eq!(disclosed(5), Some(5));
    }
}
