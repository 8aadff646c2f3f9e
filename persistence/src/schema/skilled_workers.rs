//! Priority area 4: skilled-worker networks, their events, employer consultations with their
//! referrals, accelerated procedures.

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
