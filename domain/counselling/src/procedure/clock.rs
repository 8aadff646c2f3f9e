//! The procedure's deadlines: statutory ends (BQFG, §§ 187-190 BGB), suspensions (§ 209 BGB by
//! analogy), and the effective ends at the authority's seat (§ 31(3) VwVfG, § 193 BGB).

use chrono::NaiveDate;

use super::{Procedure, ProcedureState};
use crate::deadlines::{add_days, add_months, periods};

impl Procedure {
    /// submitted_on + receipt period (1 month; 2 weeks accelerated, § 14a BQFG); `None` for a
    /// procedure without BQFG deadlines.
    pub fn receipt_due_on(&self) -> Option<NaiveDate> {
        self.facts.has_deadlines().then(|| {
            periods(self.facts.accelerated)
                .receipt
                .after(self.submitted_on)
        })
    }

    /// The receipt deadline moved off a weekend or holiday at the seat.
    pub fn receipt_due_effective_on(&self) -> Option<NaiveDate> {
        self.receipt_due_on().map(|due| self.seat.period_end(due))
    }

    /// The statutory end of the decision period as it stands: `None` until the documents are
    /// complete (and always for a ZAB statement). A suspension still running is not included:
    /// its length is unknown until it ends (see [`Procedure::clock_suspended`]).
    pub fn decision_due_on(&self) -> Option<NaiveDate> {
        self.decision_period_ends_on
    }

    /// The decision deadline moved off a weekend or holiday at the seat. Only the end moves:
    /// suspensions and the extension count from the statutory end (§ 190 BGB).
    pub fn decision_due_effective_on(&self) -> Option<NaiveDate> {
        self.decision_due_on().map(|due| self.seat.period_end(due))
    }

    /// True while the decision clock is suspended (documents requested or qualification analysis after the clock started).
    pub fn clock_suspended(&self) -> bool {
        self.suspended_since.is_some()
    }

    /// The authority is late on `today`: receipt not confirmed by the effective receipt
    /// deadline, or no decision by the effective decision deadline while the clock runs.
    ///
    /// The due day itself is not late (§ 188 BGB: the period ends at the end of that day). While
    /// the clock is suspended the authority is waiting for someone else, so it is never late then.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        match self.state {
            ProcedureState::Submitted => self.receipt_due_effective_on().is_some_and(|d| today > d),
            ProcedureState::DocumentsComplete => {
                !self.clock_suspended()
                    && self.decision_due_effective_on().is_some_and(|d| today > d)
            }
            _ => false,
        }
    }

    /// Whether the decision period (as it stands) has run out by `on`, so that it can no longer
    /// be extended (§ 6(3) BQFG: the extension is announced "rechtzeitig", before the end). A
    /// suspended clock stands still: the period ran out only if it had before the suspension.
    pub(super) fn decision_period_over(&self, on: NaiveDate) -> bool {
        let Some(end) = self.decision_due_effective_on() else {
            return false;
        };
        match self.suspended_since {
            Some(since) => since > end,
            None => on > end,
        }
    }

    /// Starts the decision clock on `on` (§ 6(3) BQFG: with the receipt of the complete
    /// documents; § 187(1) BGB: that day is not counted).
    pub(super) fn start_clock(&mut self, on: NaiveDate) {
        self.documents_complete_on = Some(on);
        if self.facts.has_deadlines() {
            self.decision_period_ends_on = Some(periods(self.facts.accelerated).decision.after(on));
        }
    }

    /// Suspends the decision clock from `on`, once it has started.
    pub(super) fn suspend(&mut self, on: NaiveDate) {
        if self.documents_complete_on.is_some() && self.suspended_since.is_none() {
            self.suspended_since = Some(on);
        }
    }

    /// Ends a running suspension on `on`: the day the documents were requested and the day they
    /// arrived are both suspended (§ 209 BGB by analogy, the prevailing reading), and the days
    /// move the end of the period as it stands, after any extension before them.
    pub(super) fn resume(&mut self, on: NaiveDate) {
        if let Some(since) = self.suspended_since.take() {
            let days = on.signed_duration_since(since).num_days().max(0) + 1;
            let days = u32::try_from(days).unwrap_or(u32::MAX);
            self.suspended_days = self.suspended_days.saturating_add(days);
            self.decision_period_ends_on = self.decision_period_ends_on.map(|e| add_days(e, days));
        }
    }

    /// Extends the decision period by `months` from its end as it stands (§ 190 BGB: the new
    /// period is computed from the expiry of the previous one, the statutory expiry, not the one
    /// § 193 BGB moved).
    pub(super) fn extend_by(&mut self, months: u8) {
        self.extension_months = months;
        self.decision_period_ends_on = self
            .decision_period_ends_on
            .map(|e| add_months(e, u32::from(months)));
    }
}
