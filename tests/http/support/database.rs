//! The database of one test: a temporary SQLite file, or a fresh PostgreSQL database on the
//! server at `TEST_DATABASE_URL` (by default the local one), dropped with the test.

use std::sync::OnceLock;

use diesel::{Connection, RunQueryDsl};

/// Where `cargo test` looks for PostgreSQL when `TEST_DATABASE_URL` is not set.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database that disappears with the test.
pub enum TestDb {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres {
        server_url: String,
        name: String,
    },
    /// Handed on to another app (`TestApp::restart`), which drops it.
    Moved,
}

impl TestDb {
    /// A temporary SQLite file; returns the database and its URL.
    pub fn sqlite() -> (TestDb, String) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("iqnet.db").display());
        (TestDb::Sqlite(dir), url)
    }

    /// A new database on the PostgreSQL server (blocking); returns the database and its URL.
    pub fn postgres() -> (TestDb, String) {
        let server_url = postgres_server()
            .unwrap_or_else(|missing| panic!("{missing}"))
            .to_owned();
        let name = format!("iqnet_test_{}", uuid::Uuid::now_v7().simple());
        let mut conn = diesel::pg::PgConnection::establish(&server_url)
            .expect("connect to the PostgreSQL server");
        diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
            .execute(&mut conn)
            .expect("create test database");
        let url = with_database(&server_url, &name);
        (TestDb::Postgres { server_url, name }, url)
    }

    /// Drops the PostgreSQL database under whoever still uses it.
    pub fn drop_postgres(&self) {
        let TestDb::Postgres { server_url, name } = self else {
            panic!("a PostgreSQL test")
        };
        let mut conn = diesel::pg::PgConnection::establish(server_url).unwrap();
        diesel::sql_query(format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
            .execute(&mut conn)
            .unwrap();
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let TestDb::Postgres { server_url, name } = self else {
            return;
        };
        if let Ok(mut conn) = diesel::pg::PgConnection::establish(server_url) {
            let drop = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            let _ = diesel::sql_query(drop).execute(&mut conn);
        }
    }
}

/// The PostgreSQL server's URL when one accepts connections, else why not (`no PostgreSQL at
/// <url>: <error>`). Probed once per process, with a short connect timeout.
pub fn postgres_server() -> Result<&'static str, &'static str> {
    static SERVER: OnceLock<Result<String, String>> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let url = std::env::var("TEST_DATABASE_URL")
                .ok()
                .filter(|url| !url.is_empty())
                .unwrap_or_else(|| DEFAULT_POSTGRES_URL.to_owned());
            match diesel::pg::PgConnection::establish(&with_param(&url, "connect_timeout=2")) {
                Ok(_) => Ok(url),
                Err(e) => Err(format!(
                    "no PostgreSQL at {}: {}",
                    without_password(&url),
                    e.to_string().lines().next().unwrap_or_default().trim()
                )),
            }
        })
        .as_deref()
        .map_err(String::as_str)
}

/// `IQNET_REQUIRE_POSTGRES=1` (CI) turns a missing PostgreSQL from ignored into failed.
pub fn postgres_required() -> bool {
    std::env::var("IQNET_REQUIRE_POSTGRES").as_deref() == Ok("1")
}

/// The server URL with its database swapped for `name`.
fn with_database(server_url: &str, name: &str) -> String {
    let (base, query) = server_url
        .split_once('?')
        .map_or((server_url, None), |(b, q)| (b, Some(q)));
    let authority = base.find("//").map_or(0, |i| i + 2);
    let root = base[authority..]
        .find('/')
        .map_or(base, |i| &base[..authority + i]);
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

fn with_param(url: &str, param: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{param}")
}

/// The URL for messages: `user:secret@` becomes `user:***@`.
fn without_password(url: &str) -> String {
    let authority = url.find("//").map_or(0, |i| i + 2);
    let Some(at) = url[authority..].find('@').map(|i| authority + i) else {
        return url.to_owned();
    };
    match url[authority..at].split_once(':') {
        Some((user, _)) => format!("{}{user}:***{}", &url[..authority], &url[at..]),
        None => url.to_owned(),
    }
}

fn the_test_database_url_is_swapped_for_the_new_database() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        with_database(
            "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
            "t1"
        ),
        "postgres://postgres@127.0.0.1:5432/t1?sslmode=disable"
    );
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
}

fn messages_about_the_server_hide_its_password() {
    assert_eq!(
        without_password("postgres://me:secret@db:5432/x"),
        "postgres://me:***@db:5432/x"
    );
    assert_eq!(without_password(DEFAULT_POSTGRES_URL), DEFAULT_POSTGRES_URL);
    assert_eq!(with_param("postgres://h/x", "a=1"), "postgres://h/x?a=1");
    assert_eq!(
        with_param("postgres://h/x?b=2", "a=1"),
        "postgres://h/x?b=2&a=1"
    );
}

trials! {
    plain: the_test_database_url_is_swapped_for_the_new_database,
        messages_about_the_server_hide_its_password;
}
