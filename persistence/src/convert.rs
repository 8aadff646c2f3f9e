//! What every repository shares: the stamp, the JSON columns, and the two query shapes every
//! list uses: the tenancy scope and the keyset page.

use std::fmt::Debug;

use chrono::NaiveDateTime;
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;
use iqnet_shared::records::Stamp;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::StoreError;
use crate::db::text_in_multi_backend;

/// Turns the row count of an `UPDATE ... WHERE id = ? AND version = ?` into the right outcome.
pub(crate) fn expect_one_updated(updated: usize, expected: i64) -> Result<(), StoreError> {
    if updated == 1 {
        Ok(())
    } else {
        Err(StoreError::StaleVersion { expected })
    }
}

pub(crate) fn stamp(created_at: NaiveDateTime, updated_at: NaiveDateTime, version: i64) -> Stamp {
    Stamp {
        created_at: created_at.and_utc(),
        updated_at: updated_at.and_utc(),
        version,
    }
}

/// A TEXT column holding `T` as JSON. The lists are arrays of plain codes, so a quoted code
/// matches exactly one element with `LIKE`. Text that does not read back is a corrupt row.
#[derive(Debug, Clone, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub(crate) struct Json<T>(pub T);

impl<T: Serialize + Debug> ToSql<Text, Sqlite> for Json<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(serde_json::to_string(&self.0)?);
        Ok(IsNull::No)
    }
}

impl<T: Serialize + Debug> ToSql<Text, Pg> for Json<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        serde_json::to_writer(out, &self.0)?;
        Ok(IsNull::No)
    }
}

text_in_multi_backend!([T: Serialize + Debug + Send + Sync + 'static] Json<T>);

impl<T: DeserializeOwned, DB> FromSql<Text, DB> for Json<T>
where
    DB: Backend,
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let text = String::from_sql(bytes)?;
        serde_json::from_str(&text)
            .map(Json)
            .map_err(|e| format!("`{text}` is not the JSON expected: {e}").into())
    }
}

/// Restricts a boxed query to the rows whose owning organisation (`$column`) is within `$scope`;
/// `None` when the scope sees nothing.
macro_rules! scoped {
    ($query:expr, $column:expr, $scope:expr) => {
        match $scope {
            iqnet_shared::structure::Scope::Everything => Some($query),
            iqnet_shared::structure::Scope::Organisation(org) => {
                Some($query.filter($column.eq(org)))
            }
            iqnet_shared::structure::Scope::Network(state) => Some(
                $query.filter(
                    $column.eq_any(
                        crate::schema::organisations::table
                            .filter(crate::schema::organisations::state.eq(state))
                            .select(crate::schema::organisations::id),
                    ),
                ),
            ),
            iqnet_shared::structure::Scope::Nothing => None,
        }
    };
}

/// Loads one keyset page of `$row`s from a boxed query: rows after the page's key, ordered by
/// the unique `$key` column, one more than the limit to learn whether more follow. `$key_of` is
/// the row's key; the page's cursor is its text.
macro_rules! load_page {
    ($conn:expr, $query:expr, $key:expr, $page:expr, $row:ty, |$r:ident| $key_of:expr) => {{
        let mut query = $query;
        if let Some(after) = &$page.after {
            query = query.filter($key.gt(after.clone()));
        }
        let rows: Vec<$row> = query
            .order($key.asc())
            .limit($page.limit + 1)
            .select(<$row>::as_select())
            .load($conn)?;
        crate::Page::from_rows(rows, $page.limit, |$r: &$row| $key_of.to_string())
    }};
}

/// `get`, `insert` and `update` of one kind of record, for a table keyed by `id` with a
/// `version` column, whose row converts from the record (`From<&Record>`) and back (`TryFrom`).
/// `update` writes the record (its stamp already the next one) only if `expected_version` is
/// still current, so a concurrent change is detected rather than overwritten.
macro_rules! record_store {
    ($table:ident, $row:ty, $record:ty, $id:ty, get = $get:ident, insert = $insert:ident, update = $update:ident) => {
        pub fn $get(conn: &mut crate::DbConnection, id: $id) -> Result<$record, crate::StoreError> {
            $table::table
                .find(id)
                .select(<$row>::as_select())
                .first(conn)?
                .try_into()
        }

        pub fn $insert(
            conn: &mut crate::DbConnection,
            record: &$record,
        ) -> Result<(), crate::StoreError> {
            diesel::insert_into($table::table)
                .values(<$row>::from(record))
                .execute(conn)?;
            Ok(())
        }

        crate::convert::insert_many!($table, $row, $record);

        pub fn $update(
            conn: &mut crate::DbConnection,
            record: &$record,
            expected_version: i64,
        ) -> Result<(), crate::StoreError> {
            let row = <$row>::from(record);
            let target = $table::table
                .filter($table::id.eq(&row.id))
                .filter($table::version.eq(expected_version));
            crate::convert::expect_one_updated(
                diesel::update(target).set(&row).execute(conn)?,
                expected_version,
            )
        }
    };
}

/// Rows per multi-row `INSERT`: the widest table (27 columns) stays far below the bind-parameter
/// limits (32,766 on SQLite, 65,535 on PostgreSQL), and larger statements gain nothing.
pub const BULK_ROWS: usize = 500;

/// `insert_many`: records in multi-row statements of [`BULK_ROWS`] rows. The data generator's
/// path; one statement per row would cost a round trip per row.
macro_rules! insert_many {
    ($table:ident, $row:ty, $record:ty) => {
        pub fn insert_many(
            conn: &mut crate::DbConnection,
            records: &[$record],
        ) -> Result<(), crate::StoreError> {
            for chunk in records.chunks(crate::convert::BULK_ROWS) {
                let rows: Vec<$row> = chunk.iter().map(<$row>::from).collect();
                crate::convert::insert_rows!(conn, $table::table, rows);
            }
            Ok(())
        }
    };
}

pub(crate) use insert_many;

/// Inserts `rows` (a `Vec` of insertable rows) in one multi-row statement. That is
/// backend-specific SQL, which the `MultiBackend` cannot build: it runs on the inner connection.
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            crate::DbConnection::Sqlite(c) => {
                diesel::insert_into($table).values($rows).execute(c)?
            }
            crate::DbConnection::Postgres(c) => {
                diesel::insert_into($table).values($rows).execute(c)?
            }
        }
    };
}

pub(crate) use insert_rows;

/// All records of one seeker in a table, oldest first.
macro_rules! of_seeker {
    ($name:ident, $table:ident, $row:ty, $record:ty) => {
        pub fn $name(
            conn: &mut crate::DbConnection,
            seeker: iqnet_shared::ids::SeekerId,
        ) -> Result<Vec<$record>, crate::StoreError> {
            let rows: Vec<$row> = $table::table
                .filter($table::seeker_id.eq(seeker))
                .order($table::id.asc())
                .select(<$row>::as_select())
                .load(conn)?;
            rows.into_iter().map(<$record>::try_from).collect()
        }
    };
}

pub(crate) use {load_page, of_seeker, record_store, scoped};
