//! `iqnet`: serve the API (default), apply migrations, print the OpenAPI document, or create a
//! national admin. Settings come from flags, the environment and `.env` (see `iqnet serve --help`
//! and `.env.example`).

use std::net::TcpListener;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use iqnet_api::server;
use iqnet_conventions::config::{Settings, SettingsArgs};
use iqnet_persistence::Database;

#[derive(Parser)]
#[command(name = "iqnet", version, about = "The IQ network's API server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve(SettingsArgs),
    /// Apply pending database migrations and exit.
    Migrate(SettingsArgs),
    /// Print the OpenAPI document as YAML.
    Openapi,
    /// Fill an empty database with a realistic demo network (for benchmarks): one unit of
    /// scale is one funding round, about 200,000 advice seekers with their journeys.
    SeedDemo {
        /// Funding rounds to generate (fractions allowed, e.g. 0.01 for 2,000 seekers).
        #[arg(long, default_value = "1")]
        scale: f64,
        /// No progress bar (for logs and scripts).
        #[arg(long)]
        quiet: bool,
        #[command(flatten)]
        settings: SettingsArgs,
    },
    /// Create a national admin.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        #[command(flatten)]
        settings: SettingsArgs,
    },
}

fn main() -> ExitCode {
    // A missing .env is normal; settings then come from the environment alone.
    let _ = dotenvy::dotenv();
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or("info,actix_server=warn"),
    )
    .init();
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            log::error!("{message}");
            eprintln!("iqnet: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `command`; none means `serve` with the settings from the environment.
fn run(command: Option<Command>) -> Result<(), String> {
    let Some(command) = command else {
        return serve(Settings::from_env()?);
    };
    match command {
        Command::Openapi => {
            print!("{}", server::api_doc_yaml()?);
            Ok(())
        }
        Command::Migrate(settings) => {
            let (_, applied) = migrated(settings)?;
            println!("applied {applied} migration(s)");
            Ok(())
        }
        Command::CreateAdmin {
            email,
            password,
            settings,
        } => {
            let (db, _) = migrated(settings)?;
            let user = server::create_admin(&db, &email, &password)?;
            println!("created national admin {} ({})", user.email, user.id);
            Ok(())
        }
        Command::SeedDemo {
            scale,
            quiet,
            settings,
        } => {
            let (db, _) = migrated(settings)?;
            let summary = iqnet_api::seed::seed_demo(&db, scale, !quiet)?;
            println!("seeded {summary}");
            Ok(())
        }
        Command::Serve(settings) => serve(settings.settings()?),
    }
}

/// The database the settings name, with its migrations applied (and how many were pending).
fn migrated(settings: SettingsArgs) -> Result<(Database, usize), String> {
    let settings = settings.settings()?;
    let db =
        Database::connect(&settings.database_url, &settings.pool).map_err(|e| e.to_string())?;
    let applied = db.migrate().map_err(|e| e.to_string())?;
    Ok((db, applied))
}

fn serve(settings: Settings) -> Result<(), String> {
    actix_web::rt::System::new().block_on(async move {
        let bind = settings.bind.clone();
        let state = server::prepare(settings)?;
        let listener =
            TcpListener::bind(&bind).map_err(|e| format!("cannot listen on {bind}: {e}"))?;
        log::info!(
            "iqnet listening on http://{bind} ({:?}); docs at http://{bind}/docs/",
            state.db.backend()
        );
        server::serve(state, listener)
            .map_err(|e| e.to_string())?
            .await
            .map_err(|e| e.to_string())
    })
}
