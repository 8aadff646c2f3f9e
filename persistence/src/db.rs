//! The connection: one `MultiConnection` over SQLite and PostgreSQL, pooled with r2d2, migrated at
//! start, with one way to run a write transaction on either backend.

use std::time::Duration;

use diesel::Connection;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::StoreError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

/// Binds a TEXT value whose text is not in it (ids, JSON columns) through the `MultiBackend`:
/// each inner backend writes it in its own way, and implements that. Vocabularies and codes need
/// no such impl: they bind the `str` inside them on any backend, this one included.
/// `[generics] Type`, or the list `for_each_id!` hands over.
macro_rules! text_in_multi_backend {
    ([$($generics:tt)*] $ty:ty) => {
        impl<$($generics)*> diesel::serialize::ToSql<diesel::sql_types::Text, crate::db::MultiBackend>
            for $ty
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, crate::db::MultiBackend>,
            ) -> diesel::serialize::Result {
                out.set_value((diesel::sql_types::Text, self));
                Ok(diesel::serialize::IsNull::No)
            }
        }
    };
    ($($(#[$doc:meta])* $id:ident),+ $(,)?) => {$(
        text_in_multi_backend!([] iqnet_shared::ids::$id);
    )+};
}

pub(crate) use text_in_multi_backend;

iqnet_shared::for_each_id!(text_in_multi_backend);

/// Which database a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `postgres://` and `postgresql://` select PostgreSQL; `sqlite://`, `file:` or a plain path
    /// select SQLite. Any other scheme is refused rather than guessed at.
    pub fn of_url(url: &str) -> Result<Backend, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else if url.starts_with("sqlite://") || url.starts_with("file:") || !url.contains("://") {
            Ok(Backend::Sqlite)
        } else {
            Err(format!(
                "unsupported database URL scheme in `{url}`: use postgres:// or a SQLite file path"
            ))
        }
    }
}

#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_size: u32,
    /// How long a request waits for a connection before the API answers 503.
    pub connection_timeout: Duration,
    /// How long SQLite waits on a locked database before giving up.
    pub sqlite_busy_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_size: 10,
            connection_timeout: Duration::from_secs(5),
            sqlite_busy_timeout: Duration::from_secs(5),
        }
    }
}

/// Set on every SQLite connection the pool opens: these pragmas are per connection, not per file.
#[derive(Debug)]
struct SqlitePragmas {
    busy_timeout_ms: u128,
}

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        if let DbConnection::Sqlite(c) = conn {
            c.batch_execute(&format!(
                "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                self.busy_timeout_ms
            ))
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// The database: a pool of connections to one backend.
#[derive(Clone)]
pub struct Database {
    pool: Pool<ConnectionManager<DbConnection>>,
    backend: Backend,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl Database {
    /// Opens a pool. For SQLite the file's directory is created if missing. Fails fast when the
    /// database cannot be reached, so a misconfigured server does not start.
    pub fn connect(url: &str, settings: &PoolSettings) -> Result<Database, StoreError> {
        let backend = Backend::of_url(url).map_err(StoreError::Unavailable)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_path(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let pool = Pool::builder()
            .max_size(settings.max_size)
            .connection_timeout(settings.connection_timeout)
            .connection_customizer(Box::new(SqlitePragmas {
                busy_timeout_ms: settings.sqlite_busy_timeout.as_millis(),
            }))
            .build(ConnectionManager::<DbConnection>::new(url))
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        Ok(Database { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn conn(&self) -> Result<PooledConnection<ConnectionManager<DbConnection>>, StoreError> {
        Ok(self.pool.get()?)
    }

    /// Applies every embedded migration not yet applied; returns how many ran.
    pub fn migrate(&self) -> Result<usize, StoreError> {
        let mut conn = self.conn()?;
        let applied = match &mut *conn {
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
            DbConnection::Postgres(c) => c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len()),
        };
        applied.map_err(|e| StoreError::Unavailable(format!("migration failed: {e}")))
    }

    /// Runs `f` in one write transaction. On SQLite it begins `IMMEDIATE`, taking the write lock
    /// up front: a deferred transaction that read first would fail with SQLITE_BUSY, without
    /// waiting, when another writer committed in between.
    pub fn write<T, E>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError> + From<diesel::result::Error>,
    {
        let mut conn = self.conn()?;
        write_transaction(&mut conn, f)
    }

    /// Runs `f` on one connection without a transaction (reads that need one snapshot use `write`).
    pub fn read<T, E>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut conn = self.conn()?;
        f(&mut conn)
    }
}

/// Begins, runs `f`, commits or rolls back. A panic inside `f` leaves the transaction open, which
/// makes r2d2 treat the connection as broken and discard it.
pub fn write_transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Postgres(_) => conn.transaction(f),
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
            let result = f(conn);
            let DbConnection::Sqlite(c) = conn else {
                unreachable!("the variant does not change")
            };
            match result {
                Ok(value) => {
                    AnsiTransactionManager::commit_transaction(c)?;
                    Ok(value)
                }
                Err(e) => {
                    // The original error matters more than a failed rollback, which leaves the
                    // connection marked broken anyway.
                    let _ = AnsiTransactionManager::rollback_transaction(c);
                    Err(e)
                }
            }
        }
    }
}

/// Accepts `sqlite://path`, `file:path` or a bare path, and makes sure the directory exists.
fn prepare_sqlite_path(url: &str) -> Result<String, StoreError> {
    let path = url.strip_prefix("sqlite://").unwrap_or(url);
    let file = path.strip_prefix("file:").unwrap_or(path);
    let file = file.split('?').next().unwrap_or(file);
    let dir = std::path::Path::new(file)
        .parent()
        .filter(|d| !d.as_os_str().is_empty());
    if let (false, Some(dir)) = (file == ":memory:", dir) {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Unavailable(format!("cannot create {}: {e}", dir.display()))
        })?;
    }
    Ok(path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_scheme_selects_the_backend() {
        assert_eq!(Backend::of_url("postgres://u@h/db"), Ok(Backend::Postgres));
        assert_eq!(
            Backend::of_url("postgresql://u@h/db"),
            Ok(Backend::Postgres)
        );
        assert_eq!(
            Backend::of_url("sqlite://data/iqnet.db"),
            Ok(Backend::Sqlite)
        );
        assert_eq!(Backend::of_url("./data/iqnet.db"), Ok(Backend::Sqlite));
        assert!(Backend::of_url("mysql://u@h/db").is_err());
    }
}

#[cfg(test)]
mod migration_tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    fn migrations(backend: &str) -> BTreeSet<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(backend);
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }

    /// Both backends run the same repository code, so they must have the same migrations.
    #[test]
    fn both_backends_have_the_same_migrations() {
        let sqlite = migrations("sqlite");
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, migrations("postgres"));
        for name in &sqlite {
            for file in ["up.sql", "down.sql"] {
                for backend in ["sqlite", "postgres"] {
                    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                        .join("migrations")
                        .join(backend)
                        .join(name)
                        .join(file);
                    assert!(path.is_file(), "{} is missing", path.display());
                }
            }
        }
    }
}
