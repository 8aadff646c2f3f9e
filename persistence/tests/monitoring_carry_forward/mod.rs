//! The monitoring migrations (`2026-11-25-0002NN_*`) carry existing data forward on both
//! backends: sessions get their seeker, a seeker's earliest session is their one `first`
//! (duplicates become follow-ups, follow-ups alone get a first), and a closed case's outcome
//! becomes the recommendation it stands for.

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{Connection, QueryableByName, RunQueryDsl};
use diesel_migrations::{FileBasedMigrations, MigrationHarness};
use libtest_mimic::Failed;

/// The first migration of the monitoring work; everything before it is "the data as it was".
const FIRST_MONITORING_MIGRATION: &str = "2026-11-25-000200";

const SEED: &str = "
INSERT INTO organisations (id, name, kind, state, created_at, updated_at, version)
VALUES ('o1', 'IQ Niedersachsen', 'provider', 'DE-NI', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1);
INSERT INTO advice_seekers (id, organisation_id, client_code, gender, nationalities,
    country_of_residence, benefits, consents, created_at, updated_at, version)
VALUES ('s1', 'o1', 'NI-1', 'female', '[]', 'DE', '[]', '[]', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1),
       ('s2', 'o1', 'NI-2', 'male', '[]', 'DE', '[]', '[]', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1);
INSERT INTO counselling_cases (id, seeker_id, organisation_id, kind, access_route, state, outcome,
    opened_on, closed_on, created_at, updated_at, version)
VALUES ('c1', 's1', 'o1', 'recognition', 'self', 'in_progress', NULL, '2026-01-10', NULL, '2026-01-10 00:00:00', '2026-01-10 00:00:00', 2),
       ('c2', 's1', 'o1', 'qualification', 'self', 'closed', 'qualification_recommended', '2026-02-01', '2026-03-01', '2026-02-01 00:00:00', '2026-03-01 00:00:00', 3),
       ('c3', 's2', 'o1', 'recognition', 'jobcenter', 'in_progress', NULL, '2026-03-01', NULL, '2026-03-01 00:00:00', '2026-03-01 00:00:00', 2);
INSERT INTO counselling_sessions (id, case_id, organisation_id, kind, format, held_on,
    duration_minutes, language, topics, created_at, updated_at, version)
VALUES ('x1', 'c1', 'o1', 'first', 'in_person', '2026-01-10', 60, 'de', '[]', '2026-01-10 00:00:00', '2026-01-10 00:00:00', 1),
       ('x2', 'c2', 'o1', 'first', 'video', '2026-02-01', 30, 'de', '[]', '2026-02-01 00:00:00', '2026-02-01 00:00:00', 1),
       ('x3', 'c3', 'o1', 'follow_up', 'phone', '2026-03-05', 30, 'de', '[]', '2026-03-05 00:00:00', '2026-03-05 00:00:00', 1),
       ('x4', 'c3', 'o1', 'follow_up', 'phone', '2026-03-02', 30, 'de', '[]', '2026-03-02 00:00:00', '2026-03-02 00:00:00', 1);
";

#[derive(QueryableByName, Debug, PartialEq)]
pub struct SessionKind {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Nullable<Text>)]
    seeker_id: Option<String>,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    version: i64,
}

#[derive(QueryableByName, Debug, PartialEq)]
pub struct CaseRecommendations {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    recommendations: String,
}

/// Migrates `conn` up to the monitoring migrations, seeds data as it was, migrates the rest,
/// and checks what became of the data.
pub fn check<C>(conn: &mut C, backend: &str) -> Result<(), Failed>
where
    C: Connection + SimpleConnection + MigrationHarness<C::Backend>,
    FileBasedMigrations: MigrationSource<C::Backend>,
    SessionKind: QueryableByName<C::Backend>,
    CaseRecommendations: QueryableByName<C::Backend>,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, SessionKind>
        + diesel::query_dsl::LoadQuery<'static, C, CaseRecommendations>,
{
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let source = FileBasedMigrations::from_path(dir)?;
    let pending = conn.pending_migrations(source)?;
    let (before, after): (Vec<_>, Vec<_>) = pending
        .into_iter()
        .partition(|m| m.name().to_string().as_str() < FIRST_MONITORING_MIGRATION);
    for migration in &before {
        conn.run_migration(migration)?;
    }
    conn.batch_execute(SEED)?;
    for migration in &after {
        conn.run_migration(migration)?;
    }

    let sessions: Vec<SessionKind> = diesel::sql_query(
        "SELECT id, seeker_id, kind, version FROM counselling_sessions ORDER BY id",
    )
    .load(conn)?;
    let expected = [
        ("x1", "s1", "first", 1),
        ("x2", "s1", "follow_up", 2),
        ("x3", "s2", "follow_up", 1),
        ("x4", "s2", "first", 2),
    ];
    let found: Vec<_> = sessions
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                s.seeker_id.as_deref().unwrap_or("-"),
                s.kind.as_str(),
                s.version,
            )
        })
        .collect();
    if found != expected {
        return Err(format!("sessions carried forward as {found:?}, not {expected:?}").into());
    }
    let cases: Vec<CaseRecommendations> =
        diesel::sql_query("SELECT id, recommendations FROM counselling_cases ORDER BY id")
            .load(conn)?;
    let found: Vec<_> = cases
        .iter()
        .map(|c| (c.id.as_str(), c.recommendations.as_str()))
        .collect();
    let expected = [("c1", "[]"), ("c2", "[\"bridge_training\"]"), ("c3", "[]")];
    if found != expected {
        return Err(format!("cases carried forward as {found:?}, not {expected:?}").into());
    }
    Ok(())
}
