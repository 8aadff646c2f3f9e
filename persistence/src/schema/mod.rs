//! The tables, written by hand to match both migration folders (portable column types only):
//! the shared ones (structure, access, reference data, idempotency, audit) here, each priority
//! area's in a module of its own, all in one namespace as diesel's `table!` expects.

mod counselling;
mod intercultural;
mod qualification;
mod skilled_workers;

pub use counselling::*;
pub use intercultural::*;
pub use qualification::*;
pub use skilled_workers::*;

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

diesel::joinable!(organisations -> regional_networks (state));
diesel::joinable!(sub_projects -> organisations (organisation_id));
diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(api_clients -> organisations (organisation_id));

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
    competent_authorities,
    competent_authority_occupations,
    procedure_events,
    referrals,
    audit_log,
    sessions,
    refresh_tokens,
    sign_in_throttle,
    short_contacts,
    measures,
    measure_occupations,
    enrolments,
    skilled_worker_networks,
    network_events,
    employer_consultations,
    consultation_referrals,
    accelerated_procedures,
    trainings,
    training_tags,
    training_registrations,
    training_participation,
    training_evaluation_answers,
    opening_processes,
);
