//! Integration tests of the persistence crate against real databases: several instances
//! migrating one new database at once, as a rolling deployment starts them.
//!
//! The PostgreSQL trial needs a server: TEST_DATABASE_URL, by default
//! postgres://postgres@127.0.0.1:5432/postgres. Without one it is reported as ignored (never as
//! passed), or fails when IQNET_REQUIRE_POSTGRES=1.

use std::path::Path;
use std::sync::{Arc, Barrier};
use std::thread;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::BigInt;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, QueryableByName, RunQueryDsl};
use iqnet_persistence::{Database, PoolSettings};
use libtest_mimic::{Arguments, Failed, Trial};

mod monitoring_carry_forward;
mod procedure_carry_forward;

const INSTANCES: usize = 3;
const POSTGRES_TRIAL: &str = "postgres::three_instances_migrate_a_new_database_at_once";

fn main() {
    let args = Arguments::from_args();
    let server_url = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let required = std::env::var("IQNET_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    let postgres_trial = |name: &'static str, test: fn(&str) -> Result<(), Failed>| {
        let server_url = server_url.clone();
        match PgConnection::establish(&server_url) {
            Ok(_) => Trial::test(name, move || test(&server_url)),
            Err(e) => {
                let reason = format!("no PostgreSQL at TEST_DATABASE_URL: {e}");
                let trial = Trial::test(name, move || Err(reason.into()));
                trial.with_ignored_flag(!required)
            }
        }
    };
    let trials = vec![
        Trial::test(
            "sqlite::three_instances_migrate_a_new_file_at_once",
            sqlite_instances_at_once,
        ),
        postgres_trial(POSTGRES_TRIAL, postgres_instances_at_once),
        Trial::test(
            "sqlite::monitoring_migrations_carry_existing_data_forward",
            sqlite_carry_forward,
        ),
        postgres_trial(
            "postgres::monitoring_migrations_carry_existing_data_forward",
            postgres_carry_forward,
        ),
        Trial::test(
            "sqlite::procedures_of_the_old_rules_are_carried_forward",
            procedure_carry_forward::sqlite,
        ),
        postgres_trial(
            "postgres::procedures_of_the_old_rules_are_carried_forward",
            |url| in_new_postgres_database(url, procedure_carry_forward::postgres),
        ),
    ];
    libtest_mimic::run(&args, trials).exit();
}

/// Runs `test` against a new database on the server, dropped afterwards.
fn in_new_postgres_database(
    server_url: &str,
    test: fn(&str) -> Result<(), Failed>,
) -> Result<(), Failed> {
    let name = format!(
        "iqnet_carry_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    );
    let mut server = PgConnection::establish(server_url)?;
    server.batch_execute(&format!("CREATE DATABASE \"{name}\""))?;
    let outcome = test(&database_url(server_url, &name));
    server.batch_execute(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))?;
    outcome
}

fn postgres_instances_at_once(server_url: &str) -> Result<(), Failed> {
    let name = format!(
        "iqnet_migrate_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    );
    let mut server = PgConnection::establish(server_url)?;
    server.batch_execute(&format!("CREATE DATABASE \"{name}\""))?;
    let url = database_url(server_url, &name);
    let outcome = migrate_at_once(&url).and_then(|applied| {
        let mut conn = PgConnection::establish(&url)?;
        let tables = count(
            &mut conn,
            "SELECT count(*) AS n FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
        )?;
        check_schema(applied, tables, "postgres")
    });
    server.batch_execute(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))?;
    outcome
}

fn sqlite_instances_at_once() -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let url = dir.path().join("iqnet.db").to_string_lossy().into_owned();
    let applied = migrate_at_once(&url)?;
    let mut conn = SqliteConnection::establish(&url)?;
    let tables = count(
        &mut conn,
        "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations'",
    )?;
    check_schema(applied, tables, "sqlite")
}

fn sqlite_carry_forward() -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let url = dir.path().join("iqnet.db").to_string_lossy().into_owned();
    monitoring_carry_forward::check(&mut SqliteConnection::establish(&url)?, "sqlite")
}

fn postgres_carry_forward(server_url: &str) -> Result<(), Failed> {
    let name = format!(
        "iqnet_carry_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    );
    let mut server = PgConnection::establish(server_url)?;
    server.batch_execute(&format!("CREATE DATABASE \"{name}\""))?;
    let outcome = PgConnection::establish(&database_url(server_url, &name))
        .map_err(Failed::from)
        .and_then(|mut conn| monitoring_carry_forward::check(&mut conn, "postgres"));
    server.batch_execute(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))?;
    outcome
}

/// Connects and migrates from `INSTANCES` threads released together; returns how many
/// migrations they applied in all.
fn migrate_at_once(url: &str) -> Result<usize, Failed> {
    let barrier = Arc::new(Barrier::new(INSTANCES));
    let instances: Vec<_> = (0..INSTANCES)
        .map(|_| {
            let (barrier, url) = (Arc::clone(&barrier), url.to_owned());
            thread::spawn(move || {
                barrier.wait();
                let settings = PoolSettings {
                    max_size: 2,
                    ..PoolSettings::default()
                };
                Database::connect(&url, &settings)?.migrate()
            })
        })
        .collect();
    let mut applied = 0;
    for (i, instance) in instances.into_iter().enumerate() {
        match instance.join() {
            Ok(Ok(n)) => applied += n,
            Ok(Err(e)) => return Err(format!("instance {i}: {e}").into()),
            Err(_) => return Err(format!("instance {i} panicked").into()),
        }
    }
    Ok(applied)
}

/// Every migration ran exactly once, and every table the migrations create exists.
fn check_schema(applied: usize, tables: i64, backend: &str) -> Result<(), Failed> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let mut migrations = 0;
    let mut created = 0;
    for entry in std::fs::read_dir(dir)? {
        migrations += 1;
        let sql = std::fs::read_to_string(entry?.path().join("up.sql"))?;
        created += sql
            .lines()
            .filter(|l| l.trim_start().to_uppercase().starts_with("CREATE TABLE"))
            .count();
    }
    if applied != migrations {
        return Err(format!("{migrations} migrations, but {applied} were applied in all").into());
    }
    if usize::try_from(tables) != Ok(created) {
        return Err(
            format!("the migrations create {created} tables, the database has {tables}").into(),
        );
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count<C>(conn: &mut C, query: &str) -> Result<i64, Failed>
where
    C: Connection,
    Count: QueryableByName<C::Backend>,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, Count>,
{
    Ok(diesel::sql_query(query).get_result::<Count>(conn)?.n)
}

/// The server URL with its database replaced by `name`.
fn database_url(server_url: &str, name: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (server_url, String::new()),
    };
    let authority_end = base
        .find("://")
        .map(|i| i + 3)
        .and_then(|start| base[start..].find('/').map(|i| start + i))
        .unwrap_or(base.len());
    format!("{}/{name}{query}", &base[..authority_end])
}
