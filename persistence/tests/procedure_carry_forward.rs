//! A database holding procedures from before the deadline rules of issue 9 migrates, and the
//! stored due dates are recomputed from each procedure's history under the present rules.

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, backend::Backend};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use iqnet_persistence::counselling::{procedure_history, procedures, qualifications};
use iqnet_persistence::{Database, PoolSettings};
use libtest_mimic::Failed;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");
/// The first migration of issue 9's rules: everything before it is the old schema.
const FIRST_NEW: &str = "2026-11-25-000100";
const PROCEDURE: &str = "01937a2e-0000-7000-8000-000000000001";
const ENGINEER: &str = "01937a2e-0000-7000-8000-000000000005";

/// A procedure as the old application stored it: complete on 2 February 2026, documents
/// requested 9 to 19 February, counted then as 10 suspended days (due 12 May). And an engineering
/// degree recorded when engineers' titles were taken for unregulated.
const LEGACY: &str = "
    INSERT INTO organisations (id, name, kind, state, created_at, updated_at, version) VALUES
        ('01937a2e-0000-7000-8000-000000000004', 'IQ Träger', 'provider', 'DE-BE',
         '2026-01-05 10:00:00', '2026-01-05 10:00:00', 1);
    INSERT INTO advice_seekers (id, organisation_id, client_code, gender, nationalities,
        country_of_residence, benefits, consents, created_at, updated_at, version) VALUES
        ('01937a2e-0000-7000-8000-000000000003', '01937a2e-0000-7000-8000-000000000004', 'L-1',
         'female', '[\"EG\"]', 'DE', '[]', '[]', '2026-01-05 10:00:00', '2026-01-05 10:00:00', 1);
    INSERT INTO foreign_qualifications (id, seeker_id, organisation_id, kind, title, country,
        reference_occupation, regulated, competent_authority_kind, created_at, updated_at, version)
    VALUES
        ('01937a2e-0000-7000-8000-000000000002', '01937a2e-0000-7000-8000-000000000003',
         '01937a2e-0000-7000-8000-000000000004', 'academic', 'Medicine', 'EG', '81404', TRUE,
         'approbation_authority', '2026-01-05 10:00:00', '2026-01-05 10:00:00', 1),
        ('01937a2e-0000-7000-8000-000000000005', '01937a2e-0000-7000-8000-000000000003',
         '01937a2e-0000-7000-8000-000000000004', 'academic', 'Mechanical engineering', 'EG',
         '25104', FALSE, 'zab', '2026-01-05 10:00:00', '2026-01-05 10:00:00', 1);
    INSERT INTO recognition_procedures (id, qualification_id, seeker_id, case_id, organisation_id,
        authority_name, regulated, eu_eea_ch, accelerated, state, submitted_on,
        receipt_confirmed_on, documents_complete_on, suspended_since, suspended_days,
        extension_months, warned_on, decision, decided_on, appealed_on, closed_on, last_action_on,
        receipt_due_on, decision_due_on, created_at, updated_at, version)
    VALUES ('01937a2e-0000-7000-8000-000000000001', '01937a2e-0000-7000-8000-000000000002',
        '01937a2e-0000-7000-8000-000000000003', NULL, '01937a2e-0000-7000-8000-000000000004',
        'LAGeSo', TRUE, FALSE, FALSE, 'documents_complete', '2026-01-05', '2026-01-10',
        '2026-02-02', NULL, 10, 0, NULL, NULL, NULL, NULL, NULL, '2026-02-19', '2026-02-05',
        '2026-05-12', '2026-01-05 10:00:00', '2026-02-19 10:00:00', 4);
    INSERT INTO procedure_events (id, procedure_id, action, happened_on, details, recorded_at) VALUES
        ('01937a2e-0001-7000-8000-000000000001', '01937a2e-0000-7000-8000-000000000001',
         'confirm_receipt', '2026-01-10', '{\"action\":\"confirm_receipt\",\"date\":\"2026-01-10\"}',
         '2026-01-10 10:00:00'),
        ('01937a2e-0002-7000-8000-000000000001', '01937a2e-0000-7000-8000-000000000001',
         'complete_documents', '2026-02-02', '{\"action\":\"complete_documents\",\"date\":\"2026-02-02\"}',
         '2026-02-02 10:00:00'),
        ('01937a2e-0003-7000-8000-000000000001', '01937a2e-0000-7000-8000-000000000001',
         'request_documents', '2026-02-09',
         '{\"action\":\"request_documents\",\"date\":\"2026-02-09\",\"documents\":[\"x\"]}',
         '2026-02-09 10:00:00'),
        ('01937a2e-0004-7000-8000-000000000001', '01937a2e-0000-7000-8000-000000000001',
         'complete_documents', '2026-02-19', '{\"action\":\"complete_documents\",\"date\":\"2026-02-19\"}',
         '2026-02-19 10:00:00');
";

/// Runs the migrations before issue 9's on `conn`.
fn migrate_to_old_schema<C, DB>(conn: &mut C, source: EmbeddedMigrations) -> Result<(), Failed>
where
    DB: Backend,
    C: MigrationHarness<DB> + Connection<Backend = DB>,
    EmbeddedMigrations: MigrationSource<DB>,
{
    // Reading what is pending also creates diesel's own table of applied migrations.
    for migration in conn.pending_migrations(source)? {
        if migration.name().to_string().as_str() >= FIRST_NEW {
            break;
        }
        conn.run_migration(&*migration)?;
    }
    Ok(())
}

/// Migrates the rest and carries the legacy procedure forward; checks what came of it.
fn carry_forward_and_check(url: &str) -> Result<(), Failed> {
    let db = Database::connect(url, &PoolSettings::default())?;
    db.migrate()?;
    let carried = db.write(|conn| procedure_history::carry_forward(conn, chrono::Utc::now()))?;
    if carried != 1 {
        return Err(format!("carried {carried} procedures forward, expected 1").into());
    }
    let again = db.write(|conn| procedure_history::carry_forward(conn, chrono::Utc::now()))?;
    if again != 0 {
        return Err(format!("a second run carried {again} forward").into());
    }
    let mut conn = db.conn()?;
    let p = procedures::get(&mut conn, PROCEDURE.parse()?)?;
    let got = (
        p.procedure.suspended_days,
        p.procedure.decision_due_on().map(|d| d.to_string()),
        p.procedure
            .decision_due_effective_on()
            .map(|d| d.to_string()),
        p.procedure.receipt_due_on().map(|d| d.to_string()),
        p.stamp.version,
    );
    // 9 to 19 February, both ends included: 11 days; 2 May + 11 = Wednesday 13 May; the
    // version moves on, since the record changed.
    let expected = (
        11,
        Some("2026-05-13".to_owned()),
        Some("2026-05-13".to_owned()),
        Some("2026-02-05".to_owned()),
        5,
    );
    if got != expected {
        return Err(format!("carried forward as {got:?}, expected {expected:?}").into());
    }
    let engineer = qualifications::get(&mut conn, ENGINEER.parse()?)?;
    if !engineer.regulated {
        return Err("the engineering degree is still taken for unregulated".into());
    }
    Ok(())
}

/// Reverts issue 9's migrations and applies them again: the down migrations work and keep the
/// data.
fn down_and_up_again<C, DB>(
    conn: &mut C,
    source: impl Fn() -> EmbeddedMigrations,
) -> Result<(), Failed>
where
    DB: Backend,
    C: MigrationHarness<DB> + Connection<Backend = DB>,
    EmbeddedMigrations: MigrationSource<DB>,
{
    while conn
        .applied_migrations()?
        .iter()
        .max()
        .is_some_and(|last| last.to_string().as_str() >= FIRST_NEW)
    {
        conn.revert_last_migration(source())?;
    }
    conn.run_pending_migrations(source())?;
    Ok(())
}

pub fn sqlite() -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let url = dir.path().join("old.db").to_string_lossy().into_owned();
    let mut conn = SqliteConnection::establish(&url)?;
    migrate_to_old_schema(&mut conn, SQLITE)?;
    conn.batch_execute(LEGACY)?;
    drop(conn);
    carry_forward_and_check(&url)?;
    down_and_up_again(&mut SqliteConnection::establish(&url)?, || SQLITE)
}

pub fn postgres(url: &str) -> Result<(), Failed> {
    let mut conn = PgConnection::establish(url)?;
    migrate_to_old_schema(&mut conn, POSTGRES)?;
    conn.batch_execute(LEGACY)?;
    drop(conn);
    carry_forward_and_check(url)?;
    down_and_up_again(&mut PgConnection::establish(url)?, || POSTGRES)
}
