//! The tables, written by hand to match both migration folders (portable column types only).

diesel::table! {
    regional_networks (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        coordinating_organisation_id -> Nullable<Text>,
        funding_round -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    organisations (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        state -> Text,
        street -> Nullable<Text>,
        postcode -> Nullable<Text>,
        city -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        website -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    sub_projects (id) {
        id -> Text,
        organisation_id -> Text,
        regional_network -> Text,
        priority_area -> Text,
        title -> Text,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        display_name -> Text,
        role -> Text,
        organisation_id -> Nullable<Text>,
        password_hash -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        credential_epoch -> BigInt,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Text,
        name -> Text,
        role -> Text,
        organisation_id -> Nullable<Text>,
        secret_hash -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        credential_epoch -> BigInt,
    }
}

diesel::table! {
    countries (code) {
        code -> Text,
        name_en -> Text,
        name_de -> Text,
        eu_eea_ch -> Bool,
    }
}

diesel::table! {
    reference_occupations (kldb_code) {
        kldb_code -> Text,
        isco_code -> Text,
        title_de -> Text,
        title_en -> Text,
        regulated -> Bool,
        legal_basis -> Nullable<Text>,
        competent_authority_kind -> Text,
    }
}

diesel::table! {
    idempotency_keys (caller, idempotency_key) {
        caller -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        created_at -> Timestamp,
        response_status -> Nullable<Integer>,
        response_headers -> Nullable<Text>,
        response_body -> Nullable<Text>,
        caller_access -> Text,
    }
}

diesel::table! {
    advice_centres (id) {
        id -> Text,
        organisation_id -> Text,
        sub_project_id -> Nullable<Text>,
        name -> Text,
        kind -> Text,
        state -> Text,
        street -> Nullable<Text>,
        postcode -> Text,
        city -> Text,
        languages -> Text,
        formats -> Text,
        opening_hours -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    advice_seekers (id) {
        id -> Text,
        organisation_id -> Text,
        client_code -> Text,
        name -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        gender -> Text,
        age_band -> Nullable<Text>,
        nationalities -> Text,
        country_of_residence -> Text,
        year_of_entry -> Nullable<Integer>,
        residence_title -> Nullable<Text>,
        german_level -> Nullable<Text>,
        employment_status -> Nullable<Text>,
        benefits -> Text,
        consents -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        residence_state -> Nullable<Text>,
        residence_district -> Nullable<Text>,
        residence_postcode -> Nullable<Text>,
    }
}

diesel::table! {
    foreign_qualifications (id) {
        id -> Text,
        seeker_id -> Text,
        organisation_id -> Text,
        kind -> Text,
        title -> Text,
        country -> Text,
        year_acquired -> Nullable<Integer>,
        dqr_level -> Nullable<Integer>,
        reference_occupation -> Nullable<Text>,
        regulated -> Bool,
        competent_authority_kind -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        training_months -> Nullable<Integer>,
        experience_months -> Nullable<Integer>,
        recognised_in -> Nullable<Text>,
    }
}

diesel::table! {
    counselling_cases (id) {
        id -> Text,
        seeker_id -> Text,
        organisation_id -> Text,
        kind -> Text,
        access_route -> Text,
        state -> Text,
        outcome -> Nullable<Text>,
        opened_on -> Date,
        closed_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        intake_application_filed -> Nullable<Bool>,
        intake_decision -> Nullable<Text>,
        intake_zab_evaluation_held -> Nullable<Bool>,
        intake_status_on -> Nullable<Date>,
        intake_residence_title -> Nullable<Text>,
        intake_german_level -> Nullable<Text>,
        intake_employment_status -> Nullable<Text>,
        close_status_on -> Nullable<Date>,
        close_residence_title -> Nullable<Text>,
        close_german_level -> Nullable<Text>,
        close_employment_status -> Nullable<Text>,
        recommendations -> Text,
    }
}

diesel::table! {
    counselling_sessions (id) {
        id -> Text,
        case_id -> Text,
        organisation_id -> Text,
        kind -> Text,
        format -> Text,
        held_on -> Date,
        duration_minutes -> Integer,
        language -> Text,
        topics -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        // Nullable in SQLite only (added with a reference); every insert names it.
        seeker_id -> Text,
        centre_id -> Nullable<Text>,
        counsellor_id -> Nullable<Text>,
    }
}

diesel::table! {
    recognition_procedures (id) {
        id -> Text,
        qualification_id -> Text,
        seeker_id -> Text,
        case_id -> Nullable<Text>,
        organisation_id -> Text,
        authority_name -> Nullable<Text>,
        regulated -> Bool,
        eu_eea_ch -> Bool,
        accelerated -> Bool,
        state -> Text,
        submitted_on -> Date,
        receipt_confirmed_on -> Nullable<Date>,
        documents_complete_on -> Nullable<Date>,
        suspended_since -> Nullable<Date>,
        suspended_days -> Integer,
        extension_months -> Integer,
        warned_on -> Nullable<Date>,
        decision -> Nullable<Text>,
        decided_on -> Nullable<Date>,
        appealed_on -> Nullable<Date>,
        closed_on -> Nullable<Date>,
        last_action_on -> Date,
        decision_due_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        kind -> Text,
        authority_id -> Nullable<Text>,
        follows_procedure_id -> Nullable<Text>,
        receipt_effective_on -> Nullable<Date>,
        decision_effective_on -> Nullable<Date>,
        progress -> Nullable<Text>,
    }
}

diesel::table! {
    competent_authorities (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        state -> Text,
        city -> Text,
        local_holidays -> Text,
    }
}

diesel::table! {
    competent_authority_occupations (authority_id, kldb_code) {
        authority_id -> Text,
        kldb_code -> Text,
    }
}

diesel::table! {
    procedure_events (id) {
        id -> Text,
        procedure_id -> Text,
        action -> Text,
        happened_on -> Date,
        details -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    referrals (id) {
        id -> Text,
        case_id -> Text,
        seeker_id -> Text,
        organisation_id -> Text,
        to_organisation_id -> Text,
        reason -> Text,
        status -> Text,
        sent_on -> Date,
        answered_on -> Nullable<Date>,
        completed_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        at -> Timestamp,
        actor -> Text,
        actor_role -> Text,
        action -> Text,
        resource -> Text,
        resource_id -> Text,
        seeker_id -> Nullable<Text>,
        organisation_id -> Nullable<Text>,
        reason -> Nullable<Text>,
        request_id -> Nullable<Text>,
        server_request_id -> Nullable<Text>,
    }
}

diesel::joinable!(organisations -> regional_networks (state));
diesel::joinable!(sub_projects -> organisations (organisation_id));
diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(api_clients -> organisations (organisation_id));
diesel::joinable!(measure_occupations -> measures (measure_id));
diesel::joinable!(enrolments -> measures (measure_id));

diesel::allow_tables_to_appear_in_same_query!(
    regional_networks,
    organisations,
    sub_projects,
    users,
    api_clients,
    countries,
    reference_occupations,
    idempotency_keys,
    advice_centres,
    advice_seekers,
    foreign_qualifications,
    counselling_cases,
    counselling_sessions,
    recognition_procedures,
    procedure_events,
    referrals,
    audit_log,
    sessions,
    refresh_tokens,
    sign_in_throttle,
    short_contacts,
    competent_authorities,
    competent_authority_occupations,
    measures,
    measure_occupations,
    enrolments,
    skilled_worker_networks,
    network_events,
    employer_consultations,
    consultation_referrals,
    accelerated_procedures,
);

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Text,
        session_id -> Text,
        issued_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sign_in_throttle (throttle_key) {
        throttle_key -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    short_contacts (id) {
        id -> Text,
        organisation_id -> Text,
        centre_id -> Text,
        format -> Text,
        held_on -> Date,
        topics -> Text,
        country -> Nullable<Text>,
        reference_occupation -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    measures (id) {
        id -> Text,
        organisation_id -> Text,
        title -> Text,
        kind -> Text,
        format -> Text,
        regulated -> Bool,
        mode -> Text,
        hours -> Integer,
        weeks -> Integer,
        german_rank -> Integer,
        venue -> Nullable<Text>,
        venue_state -> Text,
        capacity -> Integer,
        seats_taken -> Integer,
        starts_on -> Date,
        ends_on -> Date,
        azav_certified -> Bool,
        modules -> Text,
        state -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    measure_occupations (measure_id, kldb_code) {
        measure_id -> Text,
        kldb_code -> Text,
    }
}

diesel::table! {
    enrolments (id) {
        id -> Text,
        measure_id -> Text,
        seeker_id -> Text,
        organisation_id -> Text,
        referral_id -> Nullable<Text>,
        procedure_id -> Nullable<Text>,
        state -> Text,
        funding -> Nullable<Text>,
        result -> Nullable<Text>,
        ended_on -> Nullable<Date>,
        employment_after -> Nullable<Text>,
        employment_recorded_on -> Nullable<Date>,
        follow_up_procedure_id -> Nullable<Text>,
        exit_recorded_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    skilled_worker_networks (id) {
        id -> Text,
        regional_network -> Text,
        name -> Text,
        coordinator_organisation_id -> Text,
        members -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    network_events (id) {
        id -> Text,
        network_id -> Text,
        regional_network -> Text,
        organisation_id -> Text,
        kind -> Text,
        title -> Text,
        description -> Nullable<Text>,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        venue -> Nullable<Text>,
        topics -> Text,
        public -> Bool,
        state -> Text,
        attendance -> Text,
        calendar_key -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    employer_consultations (id) {
        id -> Text,
        network_id -> Text,
        organisation_id -> Text,
        company_id -> Text,
        seeker_id -> Nullable<Text>,
        topics -> Text,
        target_occupations -> Text,
        countries -> Text,
        posts -> Integer,
        received_on -> Date,
        state -> Text,
        closed_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    consultation_referrals (id) {
        id -> Text,
        consultation_id -> Text,
        to_organisation_id -> Text,
        service -> Text,
        sent_on -> Date,
        answer -> Nullable<Text>,
        answered_on -> Nullable<Date>,
    }
}

diesel::table! {
    accelerated_procedures (id) {
        id -> Text,
        network_id -> Text,
        organisation_id -> Text,
        company_id -> Text,
        target_title -> Text,
        consultation_id -> Nullable<Text>,
        seeker_id -> Nullable<Text>,
        procedure_id -> Nullable<Text>,
        milestones -> Text,
        stage -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

// Priority area 3: intercultural trainings and opening processes. Their own list, so that the
// areas' schemas join the shared one without touching each other's lines.
diesel::table! {
    trainings (id) {
        id -> Text,
        organisation_id -> Text,
        title -> Text,
        description -> Nullable<Text>,
        format -> Text,
        capacity -> Integer,
        places_taken -> Integer,
        starts_on -> Date,
        ends_on -> Date,
        hours -> Integer,
        trainer_ids -> Text,
        sessions -> Text,
        state -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    training_tags (training_id, dimension, value) {
        training_id -> Text,
        dimension -> Text,
        value -> Text,
    }
}

diesel::table! {
    training_registrations (id) {
        id -> Text,
        training_id -> Text,
        organisation_id -> Text,
        places -> Integer,
        function -> Text,
        note -> Nullable<Text>,
        state -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    training_participation (training_id, session_number, organisation_kind, gender, function) {
        training_id -> Text,
        session_number -> Integer,
        organisation_kind -> Text,
        gender -> Text,
        function -> Text,
        participants -> Integer,
    }
}

diesel::table! {
    training_evaluation_answers (questionnaire_id, item) {
        questionnaire_id -> Text,
        training_id -> Text,
        item -> Text,
        before_score -> Integer,
        after_score -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    opening_processes (id) {
        id -> Text,
        organisation_id -> Text,
        client_organisation_id -> Text,
        state -> Text,
        milestones -> Text,
        measures -> Text,
        follow_up -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::joinable!(training_tags -> trainings (training_id));
diesel::joinable!(training_registrations -> trainings (training_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    trainings,
    training_tags,
    training_registrations,
    training_participation,
    training_evaluation_answers,
    opening_processes,
);
