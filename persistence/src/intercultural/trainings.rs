//! Intercultural trainings, their topics and target kinds (one tag table, for the calendar's
//! filters) and their places: `take_places` and `free_places` are the only writers of
//! `places_taken`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_intercultural::training::{Training, TrainingFacts, TrainingSession};
use iqnet_intercultural::vocabulary::{TargetKind, TrainingFormat, TrainingState, TrainingTopic};
use iqnet_shared::ids::{OrganisationId, TrainingId, UserId};

use crate::convert::{Json, expect_one_updated, load_page, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::{training_tags, trainings};
use crate::{Page, PageRequest, StoreError};

const TOPIC: &str = "topic";
const TARGET_KIND: &str = "target_kind";

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = trainings, treat_none_as_null = true)]
struct TrainingRow {
    id: TrainingId,
    organisation_id: OrganisationId,
    title: String,
    description: Option<String>,
    format: TrainingFormat,
    capacity: i32,
    places_taken: i32,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    hours: i32,
    trainer_ids: Json<Vec<UserId>>,
    sessions: Json<Vec<TrainingSession>>,
    state: TrainingState,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&Training> for TrainingRow {
    fn from(t: &Training) -> Self {
        let f = &t.facts;
        TrainingRow {
            id: t.id,
            organisation_id: t.organisation_id,
            title: f.title.clone(),
            description: f.description.clone(),
            format: f.format,
            capacity: f.capacity,
            places_taken: t.places_taken,
            starts_on: f.starts_on(),
            ends_on: f.ends_on(),
            hours: f.hours(),
            trainer_ids: Json(f.trainer_ids.clone()),
            sessions: Json(f.sessions.clone()),
            state: t.state,
            created_at: t.stamp.created_at.naive_utc(),
            updated_at: t.stamp.updated_at.naive_utc(),
            version: t.stamp.version,
        }
    }
}

/// A training's tags as read back.
#[derive(Default)]
struct Tags {
    topics: Vec<TrainingTopic>,
    target_kinds: Vec<TargetKind>,
}

impl TrainingRow {
    fn into_training(self, tags: Tags) -> Training {
        Training {
            id: self.id,
            organisation_id: self.organisation_id,
            facts: TrainingFacts {
                title: self.title,
                description: self.description,
                format: self.format,
                topics: tags.topics,
                target_kinds: tags.target_kinds,
                trainer_ids: self.trainer_ids.0,
                capacity: self.capacity,
                sessions: self.sessions.0,
            },
            state: self.state,
            places_taken: self.places_taken,
            stamp: stamp(self.created_at, self.updated_at, self.version),
        }
    }
}

fn with_tags(conn: &mut DbConnection, rows: Vec<TrainingRow>) -> Result<Vec<Training>, StoreError> {
    let ids: Vec<TrainingId> = rows.iter().map(|r| r.id).collect();
    let tags: Vec<(TrainingId, String, String)> = training_tags::table
        .filter(training_tags::training_id.eq_any(&ids))
        .order((
            training_tags::training_id,
            training_tags::dimension,
            training_tags::value,
        ))
        .select((
            training_tags::training_id,
            training_tags::dimension,
            training_tags::value,
        ))
        .load(conn)?;
    let corrupt = |v: &str| StoreError::Corrupt(format!("training tag {v}"));
    rows.into_iter()
        .map(|row| {
            let mut found = Tags::default();
            for (_, dimension, value) in tags.iter().filter(|(t, _, _)| *t == row.id) {
                match dimension.as_str() {
                    TOPIC => found
                        .topics
                        .push(value.parse().map_err(|_| corrupt(value))?),
                    TARGET_KIND => found
                        .target_kinds
                        .push(value.parse().map_err(|_| corrupt(value))?),
                    other => return Err(corrupt(other)),
                }
            }
            found.topics.sort();
            found.target_kinds.sort();
            Ok(row.into_training(found))
        })
        .collect()
}

pub fn get(conn: &mut DbConnection, id: TrainingId) -> Result<Training, StoreError> {
    let row = trainings::table
        .find(id)
        .select(TrainingRow::as_select())
        .first(conn)?;
    with_tags(conn, vec![row])?
        .pop()
        .ok_or(StoreError::NotFound)
}

fn insert_tags(conn: &mut DbConnection, t: &Training) -> Result<(), StoreError> {
    let topics = t.facts.topics.iter().map(|v| (TOPIC, v.as_str()));
    let kinds = t
        .facts
        .target_kinds
        .iter()
        .map(|v| (TARGET_KIND, v.as_str()));
    for (dimension, value) in topics.chain(kinds) {
        diesel::insert_into(training_tags::table)
            .values((
                training_tags::training_id.eq(t.id),
                training_tags::dimension.eq(dimension),
                training_tags::value.eq(value),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert(conn: &mut DbConnection, t: &Training) -> Result<(), StoreError> {
    diesel::insert_into(trainings::table)
        .values(TrainingRow::from(t))
        .execute(conn)?;
    insert_tags(conn, t)
}

/// Writes `t` (its stamp already the next one) if `expected_version` is still current. Places
/// taken or freed meanwhile moved the version on, so a stale `places_taken` is never written.
pub fn update(
    conn: &mut DbConnection,
    t: &Training,
    expected_version: i64,
) -> Result<(), StoreError> {
    let target = trainings::table
        .filter(trainings::id.eq(t.id))
        .filter(trainings::version.eq(expected_version));
    let updated = diesel::update(target)
        .set(TrainingRow::from(t))
        .execute(conn)?;
    expect_one_updated(updated, expected_version)?;
    diesel::delete(training_tags::table.filter(training_tags::training_id.eq(t.id)))
        .execute(conn)?;
    insert_tags(conn, t)
}

/// Takes `places` if that many are free and the training is open: the check and the increment
/// are one statement, so concurrent transactions (on any instance) cannot both take the last
/// places. `false`: not enough places (or no longer open).
pub fn take_places(
    conn: &mut DbConnection,
    id: TrainingId,
    places: i32,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let target = trainings::table
        .filter(trainings::id.eq(id))
        .filter(trainings::state.eq(TrainingState::Open))
        .filter(trainings::places_taken.le(trainings::capacity - places));
    let updated = diesel::update(target)
        .set((
            trainings::places_taken.eq(trainings::places_taken + places),
            trainings::version.eq(trainings::version + 1),
            trainings::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Gives `places` back (a cancelled registration).
pub fn free_places(
    conn: &mut DbConnection,
    id: TrainingId,
    places: i32,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let target = trainings::table
        .filter(trainings::id.eq(id))
        .filter(trainings::places_taken.ge(places));
    let updated = diesel::update(target)
        .set((
            trainings::places_taken.eq(trainings::places_taken - places),
            trainings::version.eq(trainings::version + 1),
            trainings::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    if updated == 1 {
        Ok(())
    } else {
        Err(StoreError::Corrupt(format!(
            "training {id} holds fewer than {places} places"
        )))
    }
}

/// The calendar's filters; they combine. `state` is always given (the public calendar asks for
/// `open`). A training is in the date range when one of its days is.
#[derive(Debug, Clone)]
pub struct TrainingFilter {
    pub state: TrainingState,
    pub format: Option<TrainingFormat>,
    pub topic: Option<TrainingTopic>,
    pub target_kind: Option<TargetKind>,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub organisation_id: Option<OrganisationId>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn search(
    conn: &mut DbConnection,
    filter: &TrainingFilter,
    page: &PageRequest,
) -> Result<Page<Training>, StoreError> {
    let mut query = trainings::table
        .filter(trainings::state.eq(filter.state))
        .into_boxed::<MultiBackend>();
    if let Some(topic) = filter.topic {
        query = query.filter(
            trainings::id.eq_any(
                training_tags::table
                    .filter(training_tags::dimension.eq(TOPIC))
                    .filter(training_tags::value.eq(topic.as_str()))
                    .select(training_tags::training_id),
            ),
        );
    }
    if let Some(kind) = filter.target_kind {
        query = query.filter(
            trainings::id.eq_any(
                training_tags::table
                    .filter(training_tags::dimension.eq(TARGET_KIND))
                    .filter(training_tags::value.eq(kind.as_str()))
                    .select(training_tags::training_id),
            ),
        );
    }
    if let Some(format) = filter.format {
        query = query.filter(trainings::format.eq(format));
    }
    if let Some(from) = filter.from {
        query = query.filter(trainings::ends_on.ge(from));
    }
    if let Some(until) = filter.until {
        query = query.filter(trainings::starts_on.le(until));
    }
    if let Some(org) = filter.organisation_id {
        query = query.filter(trainings::organisation_id.eq(org));
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(trainings::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    let rows = load_page!(conn, query, trainings::id, page, TrainingRow, |r| r.id);
    let next_after = rows.next_after;
    Ok(Page {
        items: with_tags(conn, rows.items)?,
        next_after,
    })
}
