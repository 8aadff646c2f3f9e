//! The connection: one `MultiConnection` over SQLite and PostgreSQL, pooled with r2d2, migrated at
//! start, with one way to run a write transaction on either backend.

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{CustomizeConnection, ManageConnection, Pool, PooledConnection, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, RunQueryDsl};
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

/// Pooled connections beyond `MIN_IDLE` unused for this long are closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
const MIN_IDLE: u32 = 2;

/// Any fixed number: every instance takes the same PostgreSQL advisory lock around migrations.
const MIGRATION_LOCK_KEY: i64 = 0x6971_6e65_745f_6d67;

/// Set on every SQLite connection the pool opens: these pragmas are per connection, not per file
/// (the journal mode, which is per file, is set once in `Database::connect`). `busy_timeout` comes
/// first, so the others wait on a locked database instead of failing.
#[derive(Debug)]
struct SqlitePragmas {
    busy_timeout_ms: u128,
}

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        if let DbConnection::Sqlite(c) = conn {
            c.batch_execute(&format!(
                "PRAGMA busy_timeout = {}; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                self.busy_timeout_ms
            ))
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// Opens connections of the backend the URL selected. diesel's `MultiConnection` would try every
/// backend and report any failure as "Invalid connection url for multiconnection"; this reports the
/// backend's own error (connection refused, authentication failed, ...), which r2d2 then logs and
/// returns from a checkout that timed out.
#[derive(Debug)]
pub struct Connector {
    url: String,
    backend: Backend,
}

impl ManageConnection for Connector {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, diesel::r2d2::Error> {
        match self.backend {
            Backend::Sqlite => SqliteConnection::establish(&self.url).map(DbConnection::Sqlite),
            Backend::Postgres => PgConnection::establish(&self.url).map(DbConnection::Postgres),
        }
        .map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// The database: a pool of connections to one backend.
#[derive(Clone)]
pub struct Database {
    pool: Pool<Connector>,
    backend: Backend,
    url: std::sync::Arc<str>,
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
            Backend::Sqlite => {
                let url = prepare_sqlite_path(url)?;
                use_write_ahead_log(&url, settings.sqlite_busy_timeout)?;
                url
            }
            Backend::Postgres => url.to_owned(),
        };
        // No test query on checkout: it doubled the round trips of every request. A connection
        // that broke while pooled fails its next query instead, and is then discarded
        // (`has_broken`). The pool grows with the load and shrinks back to `MIN_IDLE` after
        // `IDLE_TIMEOUT`, so few connections sit idle long enough to go stale, and a start
        // opens only `MIN_IDLE`.
        let pool = Pool::builder()
            .max_size(settings.max_size)
            .min_idle(Some(MIN_IDLE.min(settings.max_size)))
            .test_on_check_out(false)
            .idle_timeout(Some(IDLE_TIMEOUT))
            .connection_timeout(settings.connection_timeout)
            .connection_customizer(Box::new(SqlitePragmas {
                busy_timeout_ms: settings.sqlite_busy_timeout.as_millis(),
            }))
            .build(Connector {
                url: url.clone(),
                backend,
            })
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        Ok(Database {
            pool,
            backend,
            url: url.into(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL connections are opened with (for a connection of its own, e.g. to listen).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn conn(&self) -> Result<PooledConnection<Connector>, StoreError> {
        Ok(self.pool.get()?)
    }

    /// Whether the database answers within `timeout` (waiting at most that long for a connection,
    /// not the pool's connection timeout). The query itself can still hang on a network that drops
    /// packets, so callers that must answer in time bound the call as well.
    pub fn ping(&self, timeout: Duration) -> Result<(), StoreError> {
        let mut conn = self.pool.get_timeout(timeout)?;
        conn.batch_execute("SELECT 1")?;
        Ok(())
    }

    /// Applies every embedded migration not yet applied; returns how many ran. Any number of
    /// instances may call it at once (a rolling deployment): on PostgreSQL they take turns on an
    /// advisory lock, on SQLite on the write lock of one `IMMEDIATE` transaction; whoever comes
    /// second finds nothing left to do.
    pub fn migrate(&self) -> Result<usize, StoreError> {
        let mut conn = self.conn()?;
        match &mut *conn {
            DbConnection::Sqlite(_) => write_transaction(&mut conn, |conn| {
                let DbConnection::Sqlite(c) = conn else {
                    unreachable!("the variant does not change")
                };
                c.run_pending_migrations(SQLITE_MIGRATIONS)
                    .map(|v| v.len())
                    .map_err(migration_failed)
            }),
            DbConnection::Postgres(c) => {
                diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
                    .execute(c)
                    .map_err(migration_failed)?;
                let applied = c
                    .run_pending_migrations(POSTGRES_MIGRATIONS)
                    .map(|v| v.len())
                    .map_err(migration_failed);
                let unlocked =
                    diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))
                        .execute(c);
                let applied = applied?;
                unlocked.map_err(migration_failed)?;
                Ok(applied)
            }
        }
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

fn migration_failed(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("migration failed: {e}"))
}

/// Puts a SQLite file in write-ahead-log mode, once, on one connection: the mode is stored in the
/// file, and r2d2 opens the pool's connections concurrently, where each switching it would fail
/// with "database is locked". Several processes may do this at once on a new file; the switch
/// does not always wait for the busy timeout, so it is retried within it.
fn use_write_ahead_log(url: &str, busy_timeout: Duration) -> Result<(), StoreError> {
    let unavailable = |e: &dyn std::fmt::Display| StoreError::Unavailable(format!("{url}: {e}"));
    let mut conn = SqliteConnection::establish(url).map_err(|e| unavailable(&e))?;
    let pragmas = format!(
        "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL;",
        busy_timeout.as_millis()
    );
    let deadline = std::time::Instant::now() + busy_timeout;
    loop {
        match conn.batch_execute(&pragmas) {
            Ok(()) => return Ok(()),
            Err(e) if std::time::Instant::now() < deadline && e.to_string().contains("locked") => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(unavailable(&e)),
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
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    fn dir(backend: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(backend)
    }

    fn migrations(backend: &str) -> BTreeSet<String> {
        std::fs::read_dir(dir(backend))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }

    /// What a migration creates, as far as the repository code sees it: tables with their
    /// columns in order, and index names. Types are left out: they legitimately differ.
    #[derive(Debug, Default, PartialEq, Eq)]
    struct Shape {
        tables: BTreeMap<String, Vec<String>>,
        indexes: BTreeSet<String>,
    }

    /// Words that open a table constraint rather than a column definition.
    const CONSTRAINTS: [&str; 6] = [
        "PRIMARY",
        "UNIQUE",
        "FOREIGN",
        "CONSTRAINT",
        "CHECK",
        "EXCLUDE",
    ];

    fn name(word: &str) -> String {
        word.trim_matches(|c| c == '"' || c == '`' || c == '(')
            .to_lowercase()
    }

    /// Splits at the commas outside parentheses.
    fn top_level_items(list: &str) -> Vec<&str> {
        let (mut items, mut depth, mut start) = (Vec::new(), 0_i32, 0);
        for (i, c) in list.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ',' if depth == 0 => {
                    items.push(&list[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        items.push(&list[start..]);
        items
    }

    /// Reads `CREATE TABLE name (columns...)`, `ALTER TABLE name ADD [COLUMN] column` and
    /// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name` statements; everything else is passed over.
    fn shape(sql: &str) -> Shape {
        let without_comments: String = sql
            .lines()
            .map(|l| l.split("--").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        let mut shape = Shape::default();
        for statement in without_comments.split(';') {
            let words: Vec<&str> = statement.split_whitespace().collect();
            let upper: Vec<String> = words.iter().map(|w| w.to_uppercase()).collect();
            let upper: Vec<&str> = upper.iter().map(String::as_str).collect();
            let skip_if_not_exists = |at: usize| {
                if upper.get(at..at + 3) == Some(&["IF", "NOT", "EXISTS"][..]) {
                    at + 3
                } else {
                    at
                }
            };
            match upper.as_slice() {
                ["CREATE", "TABLE", ..] => {
                    let table = name(words[skip_if_not_exists(2)]);
                    let (Some(open), Some(close)) = (statement.find('('), statement.rfind(')'))
                    else {
                        panic!("CREATE TABLE {table} without a column list")
                    };
                    let columns = top_level_items(&statement[open + 1..close])
                        .into_iter()
                        .filter_map(|item| item.split_whitespace().next())
                        .filter(|first| !CONSTRAINTS.contains(&first.to_uppercase().as_str()))
                        .map(name)
                        .collect();
                    shape.tables.insert(table, columns);
                }
                ["ALTER", "TABLE", table, "ADD", rest @ ..] if !rest.is_empty() => {
                    let column = if rest[0] == "COLUMN" { 1 } else { 0 };
                    if let Some(column) = words.get(4 + column) {
                        let table = name(table);
                        shape.tables.entry(table).or_default().push(name(column));
                    }
                }
                ["CREATE", "INDEX", ..] => {
                    shape.indexes.insert(name(words[skip_if_not_exists(2)]));
                }
                ["CREATE", "UNIQUE", "INDEX", ..] => {
                    shape.indexes.insert(name(words[skip_if_not_exists(3)]));
                }
                _ => {}
            }
        }
        shape
    }

    #[test]
    fn the_shape_reader_sees_columns_constraints_and_indexes() {
        let sql = "-- a comment; CREATE TABLE not_this (x TEXT)
            CREATE TABLE IF NOT EXISTS \"a\" (
                id TEXT PRIMARY KEY NOT NULL,
                b_code TEXT REFERENCES b (code, kind), -- trailing
                n NUMERIC(10, 2),
                UNIQUE (id, n),
                PRIMARY KEY (id)
            );
            CREATE TABLE c (x INTEGER, y TEXT);
            CREATE UNIQUE INDEX a_idx ON a (n);
            CREATE INDEX IF NOT EXISTS c_idx ON c (x);
            ALTER TABLE c ADD COLUMN z TEXT;
            INSERT INTO c (x, y) VALUES (1, 'CREATE TABLE d (q TEXT)');";
        let shape = shape(sql);
        assert_eq!(
            shape.tables.into_iter().collect::<Vec<_>>(),
            [
                (
                    "a".to_owned(),
                    vec!["id".to_owned(), "b_code".into(), "n".into()]
                ),
                ("c".to_owned(), vec!["x".to_owned(), "y".into(), "z".into()]),
            ]
        );
        assert_eq!(
            shape.indexes,
            BTreeSet::from(["a_idx".into(), "c_idx".into()])
        );
    }

    /// Both backends run the same repository code, so they must have the same migrations, each
    /// creating the same tables, columns (in order) and indexes.
    #[test]
    fn both_backends_have_the_same_migrations() {
        let sqlite = migrations("sqlite");
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, migrations("postgres"));
        for name in &sqlite {
            for file in ["up.sql", "down.sql"] {
                for backend in ["sqlite", "postgres"] {
                    let path = dir(backend).join(name).join(file);
                    assert!(path.is_file(), "{} is missing", path.display());
                }
            }
            let [sqlite_up, postgres_up] = ["sqlite", "postgres"].map(|backend| {
                let path = dir(backend).join(name).join("up.sql");
                shape(&std::fs::read_to_string(path).unwrap())
            });
            assert_eq!(
                sqlite_up, postgres_up,
                "{name}/up.sql creates different tables, columns or indexes on sqlite (left) and postgres (right)"
            );
        }
        let first = sqlite.first().unwrap();
        let structure =
            shape(&std::fs::read_to_string(dir("sqlite").join(first).join("up.sql")).unwrap());
        assert!(structure.tables.values().all(|columns| !columns.is_empty()));
        assert!(!structure.indexes.is_empty());
    }
}
