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
);
