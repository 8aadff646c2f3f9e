//! Registrations of organisations for places in trainings. The places are taken by one
//! conditional UPDATE of the training inside the caller's transaction, never read-then-write.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_intercultural::registration::Registration;
use iqnet_intercultural::vocabulary::{RegistrationState, StaffFunction};
use iqnet_shared::ids::{OrganisationId, RegistrationId, TrainingId};
use iqnet_shared::structure::Scope;

use super::trainings;
use crate::convert::{load_page, record_store, scoped, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::training_registrations;
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = training_registrations, treat_none_as_null = true)]
struct RegistrationRow {
    id: RegistrationId,
    training_id: TrainingId,
    organisation_id: OrganisationId,
    places: i32,
    function: StaffFunction,
    note: Option<String>,
    state: RegistrationState,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&Registration> for RegistrationRow {
    fn from(r: &Registration) -> Self {
        RegistrationRow {
            id: r.id,
            training_id: r.training_id,
            organisation_id: r.organisation_id,
            places: r.places,
            function: r.function,
            note: r.note.clone(),
            state: r.state,
            created_at: r.stamp.created_at.naive_utc(),
            updated_at: r.stamp.updated_at.naive_utc(),
            version: r.stamp.version,
        }
    }
}

impl TryFrom<RegistrationRow> for Registration {
    type Error = StoreError;
    fn try_from(r: RegistrationRow) -> Result<Self, StoreError> {
        Ok(Registration {
            id: r.id,
            training_id: r.training_id,
            organisation_id: r.organisation_id,
            places: r.places,
            function: r.function,
            note: r.note,
            state: r.state,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

record_store!(
    training_registrations,
    RegistrationRow,
    Registration,
    RegistrationId,
    get = get,
    insert = insert,
    update = update
);

/// Records `requested` if its places are still free: `Ok(None)` when they are not (nothing is
/// written). The places are taken by one conditional UPDATE in this transaction.
pub fn register(
    conn: &mut DbConnection,
    requested: &Registration,
    now: DateTime<Utc>,
) -> Result<Option<Registration>, StoreError> {
    if !trainings::take_places(conn, requested.training_id, requested.places, now)? {
        return Ok(None);
    }
    insert(conn, requested)?;
    Ok(Some(requested.clone()))
}

#[derive(Debug, Default, Clone)]
pub struct RegistrationFilter {
    pub state: Option<RegistrationState>,
    pub updated_since: Option<DateTime<Utc>>,
}

/// A training's registrations in `scope` (the registering organisations'), oldest first.
pub fn of_training(
    conn: &mut DbConnection,
    scope: Scope,
    training: TrainingId,
    filter: &RegistrationFilter,
    page: &PageRequest,
) -> Result<Page<Registration>, StoreError> {
    let query = training_registrations::table
        .filter(training_registrations::training_id.eq(training))
        .into_boxed::<MultiBackend>();
    let Some(mut query) = scoped!(query, training_registrations::organisation_id, scope) else {
        return Ok(Page::empty());
    };
    if let Some(state) = filter.state {
        query = query.filter(training_registrations::state.eq(state));
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(
            training_registrations::updated_at.ge(iqnet_shared::time::clamp_instant(since)),
        );
    }
    load_page!(
        conn,
        query,
        training_registrations::id,
        page,
        RegistrationRow,
        |r| r.id
    )
    .try_map(Registration::try_from)
}
