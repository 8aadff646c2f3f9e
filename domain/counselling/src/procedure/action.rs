//! What a counsellor records of a procedure (the actions, with their wire names), and what an
//! authority's decision may say.

use chrono::NaiveDate;
use iqnet_shared::closed_enum;

use super::measures::{Funding, MeasureKind, MeasureResult, PermitKind};

closed_enum! {
    /// The outcome of the equivalence assessment.
    pub enum Decision {
        /// No substantial differences: the qualification is equivalent.
        FullEquivalence = "full_equivalence",
        /// Non-regulated professions only (§ 7 (2) BQFG): equivalent apart from the listed
        /// substantial differences, which the applicant may later close.
        PartialEquivalence = "partial_equivalence",
        /// Regulated professions only (§ 11 BQFG): the substantial differences must be
        /// compensated before the professional licence is granted.
        CompensationRequired = "compensation_required",
        /// Not equivalent, and the differences cannot be compensated.
        NoEquivalence = "no_equivalence",
    }
}

closed_enum! {
    /// How substantial differences in a regulated profession can be compensated (§ 11 BQFG).
    pub enum CompensationMeasure {
        /// A supervised adaptation period (Anpassungslehrgang) of at most three years.
        AdaptationPeriod = "adaptation_period",
        /// An aptitude test (Eignungsprüfung) limited to the substantial differences.
        AptitudeTest = "aptitude_test",
        /// A knowledge test (Kenntnisprüfung) over the whole profession; third-country
        /// qualifications only, EU/EEA/CH qualifications have the aptitude test instead.
        KnowledgeTest = "knowledge_test",
    }
}

/// The decision of the competent authority.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionDetails {
    pub decision: Decision,
    /// The substantial differences found (required, non-empty, for partial_equivalence and compensation_required).
    #[serde(default)]
    pub substantial_differences: Vec<String>,
    /// For compensation_required only (required there): how the differences can be compensated.
    #[serde(default)]
    pub compensation: Option<CompensationMeasure>,
    /// For an adaptation period: its length, 1 to 36 months.
    #[serde(default)]
    pub adaptation_period_months: Option<u8>,
    /// Doctors from third countries must also pass a C1 medical-language exam.
    #[serde(default)]
    pub language_exam_required: bool,
}

/// What happened, as the counsellor records it. Each has the `date` it happened on (`on` in Rust:
/// a bare `on` key would read as a boolean to YAML 1.1 parsers of the OpenAPI document).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// The authority confirmed receipt of the application.
    ConfirmReceipt {
        #[serde(rename = "date")]
        on: NaiveDate,
        /// The documents were complete when the application arrived: the decision period runs
        /// from the day of receipt, `submitted_on` (§ 6(3) BQFG).
        #[serde(default)]
        complete_on_receipt: bool,
    },
    /// The authority asked for (further) documents.
    RequestDocuments {
        #[serde(rename = "date")]
        on: NaiveDate,
        documents: Vec<String>,
    },
    /// The requested documents arrived; the file is complete.
    CompleteDocuments {
        #[serde(rename = "date")]
        on: NaiveDate,
    },
    /// The authority commissioned an expert analysis of the qualification.
    StartQualificationAnalysis {
        #[serde(rename = "date")]
        on: NaiveDate,
    },
    /// The expert analysis came back.
    FinishQualificationAnalysis {
        #[serde(rename = "date")]
        on: NaiveDate,
    },
    /// The authority extended the decision period (once), giving a reason.
    Extend {
        #[serde(rename = "date")]
        on: NaiveDate,
        months: u8,
        reason: String,
    },
    /// The authority decided (or decided again after an appeal).
    Decide {
        #[serde(rename = "date")]
        on: NaiveDate,
        decision: DecisionDetails,
    },
    /// The authority warned the applicant in writing that missing cooperation leads to
    /// rejection, setting a deadline (§ 15 BQFG).
    WarnNonCooperation {
        #[serde(rename = "date")]
        on: NaiveDate,
        /// The deadline set for the applicant (required; after `date`). Optional in the schema
        /// only because warnings recorded before the rule carry none.
        #[serde(default)]
        deadline: Option<NaiveDate>,
    },
    /// The authority rejected the application for missing cooperation.
    RejectNonCooperation {
        #[serde(rename = "date")]
        on: NaiveDate,
    },
    /// The applicant withdrew the application.
    Withdraw {
        #[serde(rename = "date")]
        on: NaiveDate,
    },
    /// The applicant appealed against the decision.
    Appeal {
        #[serde(rename = "date")]
        on: NaiveDate,
    },
    /// A compensatory measure (or the medical language exam) of the decision began.
    StartMeasure {
        #[serde(rename = "date")]
        on: NaiveDate,
        measure: MeasureKind,
    },
    /// A compensatory measure ended, passed or failed.
    FinishMeasure {
        #[serde(rename = "date")]
        on: NaiveDate,
        measure: MeasureKind,
        result: MeasureResult,
    },
    /// A temporary permit linked to the procedure was granted.
    GrantTemporaryPermit {
        #[serde(rename = "date")]
        on: NaiveDate,
        permit: PermitKind,
        /// The last day it is valid.
        valid_until: Option<NaiveDate>,
    },
    /// The fee and its funding, as far as known (replaces what was recorded before).
    RecordFunding {
        #[serde(rename = "date")]
        on: NaiveDate,
        funding: Funding,
    },
}

closed_enum! {
    /// What can be recorded of a procedure (`POST /v1/recognition-procedures/{id}/actions`).
    pub enum ProcedureActionKind {
        ConfirmReceipt = "confirm_receipt",
        RequestDocuments = "request_documents",
        CompleteDocuments = "complete_documents",
        StartQualificationAnalysis = "start_qualification_analysis",
        FinishQualificationAnalysis = "finish_qualification_analysis",
        Extend = "extend",
        Decide = "decide",
        WarnNonCooperation = "warn_non_cooperation",
        RejectNonCooperation = "reject_non_cooperation",
        Withdraw = "withdraw",
        Appeal = "appeal",
        StartMeasure = "start_measure",
        FinishMeasure = "finish_measure",
        GrantTemporaryPermit = "grant_temporary_permit",
        RecordFunding = "record_funding",
    }
}

impl Action {
    /// The action's wire name (the serde `action` tag), as listed in `allowed` of a refusal.
    pub fn name(&self) -> &'static str {
        self.kind().as_str()
    }

    pub fn kind(&self) -> ProcedureActionKind {
        use ProcedureActionKind as A;
        match self {
            Action::ConfirmReceipt { .. } => A::ConfirmReceipt,
            Action::RequestDocuments { .. } => A::RequestDocuments,
            Action::CompleteDocuments { .. } => A::CompleteDocuments,
            Action::StartQualificationAnalysis { .. } => A::StartQualificationAnalysis,
            Action::FinishQualificationAnalysis { .. } => A::FinishQualificationAnalysis,
            Action::Extend { .. } => A::Extend,
            Action::Decide { .. } => A::Decide,
            Action::WarnNonCooperation { .. } => A::WarnNonCooperation,
            Action::RejectNonCooperation { .. } => A::RejectNonCooperation,
            Action::Withdraw { .. } => A::Withdraw,
            Action::Appeal { .. } => A::Appeal,
            Action::StartMeasure { .. } => A::StartMeasure,
            Action::FinishMeasure { .. } => A::FinishMeasure,
            Action::GrantTemporaryPermit { .. } => A::GrantTemporaryPermit,
            Action::RecordFunding { .. } => A::RecordFunding,
        }
    }

    /// The date the action happened.
    pub fn on(&self) -> NaiveDate {
        match self {
            Action::ConfirmReceipt { on, .. }
            | Action::RequestDocuments { on, .. }
            | Action::CompleteDocuments { on }
            | Action::StartQualificationAnalysis { on }
            | Action::FinishQualificationAnalysis { on }
            | Action::Extend { on, .. }
            | Action::Decide { on, .. }
            | Action::WarnNonCooperation { on, .. }
            | Action::RejectNonCooperation { on }
            | Action::Withdraw { on }
            | Action::Appeal { on }
            | Action::StartMeasure { on, .. }
            | Action::FinishMeasure { on, .. }
            | Action::GrantTemporaryPermit { on, .. }
            | Action::RecordFunding { on, .. } => *on,
        }
    }
}
