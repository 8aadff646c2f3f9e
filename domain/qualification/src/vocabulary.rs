//! The closed vocabularies of bridge training (DOMAIN.md, priority area 2).

use iqnet_shared::closed_enum;

closed_enum! {
    /// What a measure prepares for or adapts.
    pub enum MeasureType {
        AdaptationQualification = "adaptation_qualification",
        PrepAdaptationPeriod = "prep_adaptation_period",
        PrepKnowledgeTest = "prep_knowledge_test",
        PrepAptitudeTest = "prep_aptitude_test",
        TechnicalLanguage = "technical_language",
        BridgeAcademic = "bridge_academic",
        PrepExternalExam = "prep_external_exam",
    }
}

closed_enum! {
    /// A course for a group, or an individual measure for one person.
    pub enum MeasureFormat { Course = "course", Individual = "individual" }
}

closed_enum! {
    /// How a measure is delivered.
    pub enum MeasureMode {
        InPerson = "in_person", Online = "online", Blended = "blended", InCompany = "in_company",
    }
}

closed_enum! {
    /// A measure's lifecycle: planned -> open -> running -> completed | cancelled.
    pub enum MeasureState {
        Planned = "planned", Open = "open", Running = "running", Completed = "completed",
        Cancelled = "cancelled",
    }
}

closed_enum! {
    /// What a module of a measure teaches.
    pub enum ModuleKind {
        Technical = "technical", VocationalLanguage = "vocational_language",
        GeneralLanguage = "general_language", Placement = "placement",
    }
}

closed_enum! {
    /// An enrolment's lifecycle: applied -> admitted | waitlisted -> active -> completed_success |
    /// completed_without_success | dropped_out. `applied` is decided in the transaction that
    /// records the application, so a stored enrolment is admitted or waitlisted from the start.
    pub enum EnrolmentState {
        Applied = "applied", Admitted = "admitted", Waitlisted = "waitlisted", Active = "active",
        CompletedSuccess = "completed_success",
        CompletedWithoutSuccess = "completed_without_success", DroppedOut = "dropped_out",
    }
}

closed_enum! {
    /// What a completed measure achieved.
    pub enum EnrolmentResult {
        FullRecognition = "full_recognition", ExamPassed = "exam_passed",
        AdequateEmploymentPrerequisite = "adequate_employment_prerequisite", None = "none",
    }
}

closed_enum! {
    /// Who pays for a participant's place.
    pub enum Funding {
        TrainingVoucher = "training_voucher", JobCentre = "job_centre",
        EmploymentAgency = "employment_agency", Employer = "employer", Programme = "programme",
    }
}

closed_enum! {
    /// Where a participant works six months after the exit: the end of the journey is work that
    /// matches the qualification.
    pub enum EmploymentAfter {
        Adequate = "adequate", BelowQualification = "below_qualification",
        NotEmployed = "not_employed", Unknown = "unknown",
    }
}
