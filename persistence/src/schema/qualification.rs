//! Priority area 2: bridge-training measures, their target occupations, enrolments.

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

diesel::joinable!(measure_occupations -> measures (measure_id));
diesel::joinable!(enrolments -> measures (measure_id));
