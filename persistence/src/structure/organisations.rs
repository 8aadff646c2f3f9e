//! Organisations: every actor in the network.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_shared::codes::{Email, StateCode};
use iqnet_shared::ids::OrganisationId;
use iqnet_shared::records::Organisation;
use iqnet_shared::structure::OrganisationKind;

use crate::convert::{load_page, record_store, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::organisations;
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = organisations, treat_none_as_null = true)]
pub struct OrganisationRow {
    pub id: OrganisationId,
    pub name: String,
    pub kind: OrganisationKind,
    pub state: StateCode,
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl TryFrom<OrganisationRow> for Organisation {
    type Error = StoreError;
    fn try_from(r: OrganisationRow) -> Result<Self, StoreError> {
        Ok(Organisation {
            id: r.id,
            name: r.name,
            kind: r.kind,
            state: r.state,
            street: r.street,
            postcode: r.postcode,
            city: r.city,
            email: r.email,
            phone: r.phone,
            website: r.website,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

impl From<&Organisation> for OrganisationRow {
    fn from(o: &Organisation) -> Self {
        OrganisationRow {
            id: o.id,
            name: o.name.clone(),
            kind: o.kind,
            state: o.state,
            street: o.street.clone(),
            postcode: o.postcode.clone(),
            city: o.city.clone(),
            email: o.email.clone(),
            phone: o.phone.clone(),
            website: o.website.clone(),
            created_at: o.stamp.created_at.naive_utc(),
            updated_at: o.stamp.updated_at.naive_utc(),
            version: o.stamp.version,
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct OrganisationFilter {
    pub kind: Option<OrganisationKind>,
    pub state: Option<StateCode>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn list(
    conn: &mut DbConnection,
    filter: &OrganisationFilter,
    page: &PageRequest,
) -> Result<Page<Organisation>, StoreError> {
    let mut query = organisations::table.into_boxed::<MultiBackend>();
    if let Some(kind) = filter.kind {
        query = query.filter(organisations::kind.eq(kind));
    }
    if let Some(state) = filter.state {
        query = query.filter(organisations::state.eq(state));
    }
    if let Some(since) = filter.updated_since {
        query =
            query.filter(organisations::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, organisations::id, page, OrganisationRow, |r| r
        .id)
    .try_map(Organisation::try_from)
}

record_store!(
    organisations,
    OrganisationRow,
    Organisation,
    OrganisationId,
    get = get,
    insert = insert,
    update = update
);

#[cfg(test)]
mod tests {
    use chrono::SubsecRound;
    use diesel::connection::SimpleConnection;
    use diesel::r2d2::PooledConnection;
    use iqnet_shared::records::Stamp;

    use super::*;
    use crate::{Database, PoolSettings};

    /// A fresh in-memory database (one connection: each would have its own) holding one
    /// organisation.
    fn one_organisation() -> (PooledConnection<crate::db::Connector>, Organisation) {
        let settings = PoolSettings {
            max_size: 1,
            ..PoolSettings::default()
        };
        let db = Database::connect(":memory:", &settings).unwrap();
        db.migrate().unwrap();
        let org = Organisation {
            id: OrganisationId::new(),
            name: "Beratung Mitte".to_owned(),
            kind: OrganisationKind::Provider,
            state: StateCode::Berlin,
            street: None,
            postcode: None,
            city: None,
            email: Some(Email::parse("info@example.org").unwrap()),
            phone: None,
            website: None,
            stamp: Stamp::new(Utc::now().trunc_subsecs(6)),
        };
        let mut conn = db.conn().unwrap();
        insert(&mut conn, &org).unwrap();
        (conn, org)
    }

    #[test]
    fn typed_columns_round_trip_and_filter() {
        let (mut conn, org) = one_organisation();
        assert_eq!(get(&mut conn, org.id).unwrap(), org);
        let filter = OrganisationFilter {
            kind: Some(OrganisationKind::Provider),
            state: Some(StateCode::Berlin),
            ..OrganisationFilter::default()
        };
        let page = PageRequest {
            after: None,
            limit: 10,
        };
        assert_eq!(list(&mut conn, &filter, &page).unwrap().items, [org]);
        let elsewhere = OrganisationFilter {
            state: Some(StateCode::Bayern),
            ..OrganisationFilter::default()
        };
        assert!(list(&mut conn, &elsewhere, &page).unwrap().items.is_empty());
    }

    #[test]
    fn a_corrupt_column_is_reported_with_its_value() {
        let (mut conn, org) = one_organisation();
        conn.batch_execute("UPDATE organisations SET kind = 'castle'")
            .unwrap();
        match get(&mut conn, org.id) {
            Err(StoreError::Corrupt(message)) => {
                assert!(
                    message.contains("`castle` is not a valid OrganisationKind"),
                    "{message}"
                );
            }
            other => panic!("expected a corrupt row, got {other:?}"),
        }
    }
}
