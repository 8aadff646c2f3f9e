//! What follows a decision and what surrounds a procedure: the compensatory measures with their
//! status and result (so "full recognition after a measure" can be counted), temporary permits
//! linked to the procedure, and who pays its fee.

use chrono::NaiveDate;
use iqnet_shared::closed_enum;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{CompensationMeasure, Decision, DecisionDetails};

closed_enum! {
    /// A measure the decision requires before the licence (§ 11 BQFG; for doctors also the
    /// medical language exam, § 3(1) no. 5 BÄO).
    pub enum MeasureKind {
        AdaptationPeriod = "adaptation_period",
        AptitudeTest = "aptitude_test",
        KnowledgeTest = "knowledge_test",
        MedicalLanguageExam = "medical_language_exam",
    }
}

closed_enum! {
    /// Where a measure stands.
    pub enum MeasureStatus {
        Pending = "pending",
        InProgress = "in_progress",
        Passed = "passed",
        Failed = "failed",
    }
}

closed_enum! {
    /// How a measure ended.
    pub enum MeasureResult {
        Passed = "passed",
        Failed = "failed",
    }
}

/// One measure of a `compensation_required` decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Measure {
    pub kind: MeasureKind,
    pub status: MeasureStatus,
    /// When it reached its present status.
    pub since: NaiveDate,
    /// Attempts begun; a failed test may be taken again.
    pub attempts: u8,
}

impl Measure {
    /// The measures a decision requires, all pending from the day of the decision.
    pub fn required_by(decision: &DecisionDetails, on: NaiveDate) -> Vec<Measure> {
        if decision.decision != Decision::CompensationRequired {
            return Vec::new();
        }
        let compensation = decision.compensation.map(|c| match c {
            CompensationMeasure::AdaptationPeriod => MeasureKind::AdaptationPeriod,
            CompensationMeasure::AptitudeTest => MeasureKind::AptitudeTest,
            CompensationMeasure::KnowledgeTest => MeasureKind::KnowledgeTest,
        });
        let language = decision
            .language_exam_required
            .then_some(MeasureKind::MedicalLanguageExam);
        compensation
            .into_iter()
            .chain(language)
            .map(|kind| Measure {
                kind,
                status: MeasureStatus::Pending,
                since: on,
                attempts: 0,
            })
            .collect()
    }

    /// A measure can begin when pending, or again after a failed attempt.
    pub fn can_start(&self) -> bool {
        matches!(self.status, MeasureStatus::Pending | MeasureStatus::Failed)
    }

    pub fn can_finish(&self) -> bool {
        self.status == MeasureStatus::InProgress
    }
}

closed_enum! {
    /// A temporary permit granted while recognition is pending.
    pub enum PermitKind {
        /// Limited licence to practise medicine (Berufserlaubnis, § 10 BÄO) and the like.
        LimitedLicence = "limited_licence",
        /// Residence for recognition measures (§ 16d AufenthG).
        Residence16d = "residence_16d",
    }
}

/// A temporary permit linked to the procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TemporaryPermit {
    pub permit: PermitKind,
    pub granted_on: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

closed_enum! {
    /// Who pays the fee of a procedure.
    pub enum Payer {
        JobCentre = "job_centre",
        EmploymentAgency = "employment_agency",
        Employer = "employer",
        SelfPaid = "self",
        Other = "other",
    }
}

/// The fee of a procedure and its funding, in euro cents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    /// The authority's fee.
    #[schema(example = 60000)]
    pub fee_cents: Option<u32>,
    /// The recognition grant (Anerkennungszuschuss) awarded towards it.
    #[schema(example = 30000)]
    #[serde(default)]
    pub recognition_grant_cents: Option<u32>,
    /// Who pays (the rest of) the fee.
    pub paid_by: Option<Payer>,
}
