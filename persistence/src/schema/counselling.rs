//! Priority area 1: advice centres, seekers and their records, recognition procedures with
//! their history, referrals, short contacts, and the competent authorities (reference data the
//! procedures name).

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
