//! Priority area 3: trainings with their tags, registrations, participation counts,
//! anonymous evaluations, opening processes.

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
