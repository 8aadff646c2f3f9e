//! The closed vocabularies of counselling (DOMAIN.md, priority area 1).

use iqnet_shared::closed_enum;

closed_enum! {
    /// A fixed counselling point, or a mobile one that travels to rural areas.
    pub enum CentreKind { Fixed = "fixed", Mobile = "mobile" }
}

closed_enum! {
    /// How an advice centre can be reached.
    pub enum ContactFormat { InPerson = "in_person", Phone = "phone", Email = "email", Video = "video" }
}

closed_enum! {
    pub enum Gender { Female = "female", Male = "male", Diverse = "diverse", NotStated = "not_stated" }
}

closed_enum! {
    /// Age band (design choice: bands, never a birth date).
    pub enum AgeBand {
        Under25 = "under_25", From25To34 = "25_34", From35To44 = "35_44", From45To54 = "45_54", From55 = "55_plus",
    }
}

closed_enum! {
    pub enum EmploymentStatus {
        EmployedAdequate = "employed_adequate",
        EmployedBelowQualification = "employed_below_qualification",
        Unemployed = "unemployed",
        InTraining = "in_training",
        Other = "other",
    }
}

closed_enum! {
    /// Benefits received: SGB II (job centre), SGB III (employment agency), AsylbLG, none.
    pub enum Benefit { Sgb2 = "sgb2", Sgb3 = "sgb3", Asylblg = "asylblg", None = "none" }
}

closed_enum! {
    /// What a seeker consented to.
    pub enum ConsentPurpose {
        /// Counselling itself: storing and using the data to advise.
        Counselling = "counselling",
        /// Sharing the data needed with organisations the seeker is referred to.
        SharingWithReferrals = "sharing_with_referrals",
        /// Contact after the counselling, e.g. to ask about the outcome.
        FollowUpContact = "follow_up_contact",
        /// Counting the seeker's pseudonymous data in the network's monitoring and statistics
        /// (reports never show a group smaller than five).
        MonitoringAndStatistics = "monitoring_and_statistics",
    }
}

closed_enum! {
    pub enum QualificationKind {
        Vocational = "vocational", Academic = "academic", School = "school", FurtherTraining = "further_training",
    }
}

closed_enum! {
    pub enum CaseKind {
        Recognition = "recognition", Qualification = "qualification", Both = "both",
        SchoolOrAcademicOnly = "school_or_academic_only",
    }
}

closed_enum! {
    /// How the person found the service.
    pub enum AccessRoute {
        OwnInitiative = "self", SocialEnvironment = "social_environment", Jobcenter = "jobcenter",
        EmploymentAgency = "employment_agency", Internet = "internet", Recommendation = "recommendation",
        Media = "media", MigrationService = "migration_service", Employer = "employer", Other = "other",
    }
}

closed_enum! {
    pub enum CaseState { Open = "open", InProgress = "in_progress", Closed = "closed", Abandoned = "abandoned" }
}

closed_enum! {
    pub enum CaseOutcome {
        ApplicationRecommended = "application_recommended", ApplicationFiled = "application_filed",
        ReferredToAuthority = "referred_to_authority", ZabEvaluation = "zab_evaluation",
        QualificationRecommended = "qualification_recommended", AlternativePath = "alternative_path",
        NoAction = "no_action",
    }
}

closed_enum! {
    /// What counselling recommends at its end; a case may close with several.
    pub enum Recommendation {
        RecognitionApplication = "recognition_application", BridgeTraining = "bridge_training",
        LanguageCourse = "language_course", JobPlacement = "job_placement",
        ZabEvaluation = "zab_evaluation", AlternativePath = "alternative_path", NoAction = "no_action",
    }
}

closed_enum! {
    /// Counted for the first counselling of a person (one per advice seeker, across all their
    /// cases) or for any later one.
    pub enum SessionKind { First = "first", FollowUp = "follow_up" }
}

closed_enum! {
    pub enum SessionFormat {
        InPerson = "in_person", Phone = "phone", Email = "email", Video = "video", Group = "group", Mobile = "mobile",
    }
}

closed_enum! {
    /// What a session was about (design choice, from the counsellors' tasks in DOMAIN.md).
    pub enum SessionTopic {
        Procedure = "procedure", ReferenceOccupation = "reference_occupation",
        CompetentAuthority = "competent_authority", Documents = "documents", CostsAndFunding = "costs_and_funding",
        Decision = "decision", Alternatives = "alternatives", Qualification = "qualification",
        Employment = "employment", Language = "language",
    }
}

closed_enum! {
    /// How a short contact happened: counted without a seeker record (design choice).
    pub enum ShortContactFormat {
        Hotline = "hotline", Email = "email", Chat = "chat", Video = "video",
        InfoEvent = "info_event", WalkIn = "walk_in",
    }
}

closed_enum! {
    pub enum ReferralStatus { Sent = "sent", Accepted = "accepted", Declined = "declined", Completed = "completed" }
}

/// A language as an ISO 639-1 code (two lower-case letters), e.g. `de`, `ar`, `uk`.
pub fn parse_language(code: &str) -> Result<String, iqnet_shared::DomainError> {
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase()) {
        Ok(code.to_owned())
    } else {
        Err(iqnet_shared::DomainError::invalid(
            "",
            "invalid_format",
            "an ISO 639-1 language code is two lower-case letters",
        ))
    }
}
