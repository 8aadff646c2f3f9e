//! A seeker's status at the intake and at the close of a case, each dated: residence title,
//! German level, employment. The seeker record holds only the status now; these snapshots stay
//! as they were, so "employment after recognition" can be reported (DOMAIN.md, reporting).

use chrono::NaiveDate;
use iqnet_shared::DomainError;
use iqnet_shared::codes::LanguageLevel;
use iqnet_shared::reference::ResidenceTitle;
use iqnet_shared::time::recorded_date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::records::AdviceSeeker;
use crate::vocabulary::EmploymentStatus;

/// The seeker's status on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StatusSnapshot {
    /// The day the status was found.
    pub recorded_on: NaiveDate,
    pub residence_title: Option<ResidenceTitle>,
    pub german_level: Option<LanguageLevel>,
    pub employment_status: Option<EmploymentStatus>,
}

/// A status as the counsellor reports it. Fields left out are not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusReport {
    /// Defaults to the day of the intake (the case's opening) or of the close.
    pub recorded_on: Option<NaiveDate>,
    pub residence_title: Option<ResidenceTitle>,
    pub german_level: Option<LanguageLevel>,
    pub employment_status: Option<EmploymentStatus>,
}

impl StatusReport {
    /// The snapshot this report describes, dated `recorded_on` or else `default_on`; not in the
    /// future and not before `not_before` (a close's status cannot precede the intake's).
    /// `field` names the report in errors.
    pub fn snapshot(
        self,
        field: &str,
        default_on: NaiveDate,
        not_before: NaiveDate,
    ) -> Result<StatusSnapshot, DomainError> {
        if self.residence_title.is_none()
            && self.german_level.is_none()
            && self.employment_status.is_none()
        {
            return Err(DomainError::invalid(
                field,
                "empty",
                "name at least one of residence_title, german_level, employment_status",
            ));
        }
        let on = recorded_date("recorded_on", self.recorded_on.unwrap_or(default_on))
            .map_err(|e| e.at(field))?;
        if on < not_before {
            return Err(DomainError::invalid(
                format!("{field}.recorded_on"),
                "too_early",
                format!("not before {not_before}"),
            ));
        }
        Ok(StatusSnapshot {
            recorded_on: on,
            residence_title: self.residence_title,
            german_level: self.german_level,
            employment_status: self.employment_status,
        })
    }
}

impl StatusSnapshot {
    /// The status the seeker record holds now, dated `on`; `None` when it holds none of it.
    pub fn of_seeker(seeker: &AdviceSeeker, on: NaiveDate) -> Option<StatusSnapshot> {
        let report = StatusReport {
            recorded_on: Some(on),
            residence_title: seeker.residence_title,
            german_level: seeker.german_level,
            employment_status: seeker.employment_status,
        };
        report.snapshot("", on, on).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::tests::{d, seeker};

    #[test]
    fn a_report_is_dated_by_default_and_names_something() {
        let report = StatusReport {
            employment_status: Some(EmploymentStatus::Unemployed),
            ..StatusReport::default()
        };
        let snap = report
            .snapshot("status_at_intake", d("2026-01-10"), d("2026-01-01"))
            .unwrap();
        assert_eq!(snap.recorded_on, d("2026-01-10"));
        let err = StatusReport::default()
            .snapshot("status_at_intake", d("2026-01-10"), d("2026-01-01"))
            .unwrap_err();
        assert!(matches!(err, DomainError::Validation(e) if e[0].field == "status_at_intake"));
    }

    #[test]
    fn a_status_at_close_cannot_precede_the_intake_nor_lie_ahead() {
        let early = StatusReport {
            recorded_on: Some(d("2026-01-09")),
            german_level: Some(LanguageLevel::B1),
            ..StatusReport::default()
        };
        let err = early
            .snapshot("status_at_close", d("2026-03-01"), d("2026-01-10"))
            .unwrap_err();
        assert!(
            matches!(err, DomainError::Validation(e) if e[0].field == "status_at_close.recorded_on" && e[0].code == "too_early")
        );
        let ahead = StatusReport {
            recorded_on: Some(d("2999-01-01")),
            ..early
        };
        assert!(
            ahead
                .snapshot("status_at_close", d("2026-03-01"), d("2026-01-10"))
                .is_err()
        );
    }

    #[test]
    fn the_seekers_current_status_is_a_snapshot_only_when_known() {
        let mut amina = seeker();
        assert_eq!(StatusSnapshot::of_seeker(&amina, d("2026-01-10")), None);
        amina.employment_status = Some(EmploymentStatus::EmployedBelowQualification);
        let snap = StatusSnapshot::of_seeker(&amina, d("2026-01-10")).unwrap();
        assert_eq!(
            snap.employment_status,
            Some(EmploymentStatus::EmployedBelowQualification)
        );
    }
}
