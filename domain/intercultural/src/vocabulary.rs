//! The closed vocabularies of intercultural competence (DOMAIN.md, priority area 3).

use iqnet_shared::closed_enum;

closed_enum! {
    /// How a training is delivered and how long it takes.
    pub enum TrainingFormat {
        BasicTraining = "basic_training", AntiDiscrimination = "anti_discrimination",
        MultiModule = "multi_module", Workshop = "workshop", ExpertDay = "expert_day",
        ELearning = "e_learning", Coaching = "coaching",
    }
}

closed_enum! {
    /// What a training is about.
    pub enum TrainingTopic {
        InterculturalCompetence = "intercultural_competence",
        AntiDiscrimination = "anti_discrimination",
        InterculturalOpening = "intercultural_opening",
        RecognitionAndQualification = "recognition_and_qualification",
    }
}

closed_enum! {
    /// The labour-market actors a training is for, and whom participants are counted by.
    pub enum TargetKind {
        Jobcenter = "jobcenter", EmploymentAgency = "employment_agency",
        Municipality = "municipality", Chamber = "chamber", Sme = "sme", Other = "other",
    }
}

closed_enum! {
    /// A training's lifecycle: planned -> open -> running -> completed | cancelled.
    pub enum TrainingState {
        Planned = "planned", Open = "open", Running = "running", Completed = "completed",
        Cancelled = "cancelled",
    }
}

closed_enum! {
    /// Participants' gender, counted (never per person).
    pub enum ParticipantGender { Female = "female", Male = "male", Diverse = "diverse", NotStated = "not_stated" }
}

closed_enum! {
    /// What participants do in their organisation: management, staff who serve clients, others.
    pub enum StaffFunction {
        Management = "management", ClientContact = "client_contact", Other = "other",
    }
}

closed_enum! {
    /// A registration for places: confirmed when the places were free, cancelled when given back.
    pub enum RegistrationState { Confirmed = "confirmed", Cancelled = "cancelled" }
}

closed_enum! {
    /// The self-assessment items of the anonymous questionnaire, each answered before and after
    /// the training on a Likert scale of 1 (not at all) to 5 (fully).
    pub enum EvaluationItem {
        /// "I know the situation and rights of migrants in the labour market."
        KnowledgeOfMigration = "knowledge_of_migration",
        /// "I notice discrimination in my organisation's practice."
        AwarenessOfDiscrimination = "awareness_of_discrimination",
        /// "I can communicate well with clients of other languages and cultures."
        InterculturalCommunication = "intercultural_communication",
        /// "I know how foreign qualifications are recognised and where to refer."
        RecognitionKnowledge = "recognition_knowledge",
    }
}

closed_enum! {
    /// An organisation's intercultural opening: contacted -> needs_analysis -> agreement_signed ->
    /// implementation -> evaluation -> sustained | discontinued.
    pub enum OpeningState {
        Contacted = "contacted", NeedsAnalysis = "needs_analysis",
        AgreementSigned = "agreement_signed", Implementation = "implementation",
        Evaluation = "evaluation", Sustained = "sustained", Discontinued = "discontinued",
    }
}

closed_enum! {
    /// What an organisation agrees to change.
    pub enum OpeningMeasureKind {
        MultilingualInformation = "multilingual_information",
        ComplaintProcedure = "complaint_procedure", RecruitingPractice = "recruiting_practice",
        StaffTraining = "staff_training", MissionStatement = "mission_statement",
        DiversityContact = "diversity_contact",
    }
}

closed_enum! {
    /// Where an agreed measure stands.
    pub enum OpeningMeasureStatus {
        Agreed = "agreed", InProgress = "in_progress", Done = "done", Dropped = "dropped",
    }
}
