//! The closed vocabularies of the skilled-worker networks (DOMAIN.md, priority area 4).

use iqnet_shared::closed_enum;

closed_enum! {
    /// The kind of stakeholder a network member represents.
    pub enum StakeholderKind {
        Company = "company", Chamber = "chamber", EmploymentAgency = "employment_agency",
        CentralRecognitionService = "central_recognition_service", Jobcenter = "jobcenter",
        ForeignersAuthority = "foreigners_authority", WelcomeCenter = "welcome_center",
        Municipality = "municipality", EconomicDevelopment = "economic_development",
        RecognitionAuthority = "recognition_authority",
    }
}

closed_enum! {
    /// A member's place in the network.
    pub enum MemberRole { Lead = "lead", Member = "member", Partner = "partner" }
}

closed_enum! {
    /// What kind of event a network holds.
    pub enum EventKind {
        RoundTable = "round_table", ExpertDay = "expert_day", NetworkMeeting = "network_meeting",
        InfoEvent = "info_event", Training = "training",
    }
}

closed_enum! {
    /// An event's lifecycle: planned -> held | cancelled.
    pub enum EventState { Planned = "planned", Held = "held", Cancelled = "cancelled" }
}

closed_enum! {
    /// What a company asks about, and what an event is about.
    pub enum Topic {
        SkilledImmigrationRoutes = "skilled_immigration_routes",
        AcceleratedProcedure = "accelerated_procedure", Recognition = "recognition",
        RecruitmentAbroad = "recruitment_abroad", VisaAndResidence = "visa_and_residence",
        Onboarding = "onboarding", Language = "language",
    }
}

closed_enum! {
    /// An employer consultation's lifecycle: inquiry -> in_progress -> referred | closed.
    pub enum ConsultationState {
        Inquiry = "inquiry", InProgress = "in_progress", Referred = "referred", Closed = "closed",
    }
}

closed_enum! {
    /// The service of a network member a consultation is referred to.
    pub enum ReferralService {
        RecognitionAuthority = "recognition_authority",
        ForeignersAuthority = "foreigners_authority",
        EmployerService = "employer_service",
    }
}

closed_enum! {
    /// The residence title an accelerated procedure aims at (a subset of the AufenthG titles).
    pub enum TargetTitle {
        S16a = "16a", S16d = "16d", S18a = "18a", S18b = "18b", S18g = "18g", S19c = "19c",
    }
}

closed_enum! {
    /// The milestones of an accelerated skilled-worker procedure, in the order they happen.
    pub enum Milestone {
        AgreementSigned = "agreement_signed", RecognitionDecided = "recognition_decided",
        BaApproval = "ba_approval", PreApproval = "pre_approval", VisaIssued = "visa_issued",
        Entered = "entered",
    }
}

closed_enum! {
    /// Where an accelerated procedure stands: `initiated` before the agreement, then the latest
    /// milestone reached.
    pub enum Stage {
        Initiated = "initiated", AgreementSigned = "agreement_signed",
        RecognitionDecided = "recognition_decided", BaApproval = "ba_approval",
        PreApproval = "pre_approval", VisaIssued = "visa_issued", Entered = "entered",
    }
}

impl From<Option<Milestone>> for Stage {
    fn from(latest: Option<Milestone>) -> Stage {
        match latest {
            None => Stage::Initiated,
            Some(Milestone::AgreementSigned) => Stage::AgreementSigned,
            Some(Milestone::RecognitionDecided) => Stage::RecognitionDecided,
            Some(Milestone::BaApproval) => Stage::BaApproval,
            Some(Milestone::PreApproval) => Stage::PreApproval,
            Some(Milestone::VisaIssued) => Stage::VisaIssued,
            Some(Milestone::Entered) => Stage::Entered,
        }
    }
}
