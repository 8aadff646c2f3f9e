//! Settings: flags of `serve`, `migrate` and `create-admin`, each also read from an environment
//! variable (and `.env`). `iqnet serve --help` lists them; `.env.example` too.

use std::ffi::OsStr;
use std::time::Duration;

use clap::builder::TypedValueParser;
use clap::error::ErrorKind;
use clap::{Arg, Args, CommandFactory, FromArgMatches, Parser};
use iqnet_persistence::PoolSettings;
/// Where tokens from an external identity provider come from and how to verify them.
#[derive(Debug, Clone)]
pub struct ExternalIssuer {
    pub issuer: String,
    pub audience: String,
    /// `RS256`, `ES256` or `EdDSA`.
    pub algorithm: jsonwebtoken::Algorithm,
    pub public_key_pem: String,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: String,
    pub database_url: String,
    pub pool: PoolSettings,
    /// HS256 secret for the tokens this API issues. Several instances must share it.
    pub jwt_secret: String,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub token_ttl: Duration,
    pub external_issuer: Option<ExternalIssuer>,
    pub cors_origins: Vec<String>,
    /// The separate address that serves `/metrics` (and nothing else); `None`: no metrics.
    pub metrics_bind: Option<String>,
    pub body_limit: usize,
    pub workers: Option<usize>,
    pub shutdown_timeout: Duration,
    pub admin_email: Option<String>,
    pub admin_password: Option<String>,
}

/// Every setting as a flag with its environment variable. An empty variable counts as unset, as
/// in `.env.example`, where most are listed empty or with their default.
#[derive(Debug, Clone, Args)]
pub struct SettingsArgs {
    /// Address and port to listen on.
    #[arg(long, env = "IQNET_BIND", default_value = "127.0.0.1:8080", value_parser = Setting(text))]
    pub bind: String,
    /// Database: a SQLite file (created with its directory if missing) or
    /// postgres://user@host:port/db.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/iqnet.db", value_parser = Setting(text), hide_env_values = true)]
    pub database_url: String,
    /// Maximum database connections per instance (1 to 1000).
    #[arg(long, env = "IQNET_DB_POOL_SIZE", default_value = "10", value_parser = Setting(whole_number))]
    pub db_pool_size: u64,
    /// How long a request waits for a free connection before answering 503, in milliseconds.
    #[arg(long, env = "IQNET_DB_TIMEOUT_MS", default_value = "5000", value_parser = Setting(whole_number))]
    pub db_timeout_ms: u64,
    /// How long SQLite waits on a locked database, in milliseconds.
    #[arg(long, env = "IQNET_SQLITE_BUSY_TIMEOUT_MS", default_value = "5000", value_parser = Setting(whole_number))]
    pub sqlite_busy_timeout_ms: u64,
    /// HS256 secret (32+ characters) for the tokens this API issues. Unset: a random one per
    /// process, so tokens die with it and other instances reject them.
    #[arg(long, env = "IQNET_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// `iss` of the tokens this API issues and accepts.
    #[arg(long, env = "IQNET_JWT_ISSUER", default_value = "iqnet", value_parser = Setting(text))]
    pub jwt_issuer: String,
    /// `aud` of the tokens this API issues and accepts.
    #[arg(long, env = "IQNET_JWT_AUDIENCE", default_value = "iqnet-api", value_parser = Setting(text))]
    pub jwt_audience: String,
    /// Lifetime of issued tokens, in seconds.
    #[arg(long, env = "IQNET_TOKEN_TTL_SECS", default_value = "900", value_parser = Setting(whole_number))]
    pub token_ttl_secs: u64,
    /// An external identity provider whose tokens are accepted too (unset: none).
    #[arg(long, env = "IQNET_JWT_EXTERNAL_ISSUER")]
    pub jwt_external_issuer: Option<String>,
    /// Expected `aud` of the external provider's tokens.
    #[arg(long, env = "IQNET_JWT_EXTERNAL_AUDIENCE", default_value = "iqnet-api", value_parser = Setting(text))]
    pub jwt_external_audience: String,
    /// The external provider's signing algorithm: RS256, ES256 or EdDSA.
    #[arg(long, env = "IQNET_JWT_EXTERNAL_ALGORITHM", default_value = "RS256", value_parser = Setting(algorithm))]
    pub jwt_external_algorithm: jsonwebtoken::Algorithm,
    /// The external provider's public key as PEM text.
    #[arg(long, env = "IQNET_JWT_EXTERNAL_PUBLIC_KEY", hide_env_values = true)]
    pub jwt_external_public_key: Option<String>,
    /// The path of a PEM file with the external provider's public key.
    #[arg(long, env = "IQNET_JWT_EXTERNAL_PUBLIC_KEY_FILE")]
    pub jwt_external_public_key_file: Option<String>,
    /// Comma-separated origins allowed by CORS (unset: no cross-origin access).
    #[arg(long, env = "IQNET_CORS_ORIGINS")]
    pub cors_origins: Option<String>,
    /// A separate address and port serving Prometheus metrics at `/metrics`, e.g.
    /// 127.0.0.1:9090 (unset: no metrics endpoint). The public address never serves them.
    #[arg(long, env = "IQNET_METRICS_BIND")]
    pub metrics_bind: Option<String>,
    /// Largest accepted request body, in bytes (larger: 413).
    #[arg(long, env = "IQNET_BODY_LIMIT_BYTES", default_value = "1048576", value_parser = Setting(whole_number))]
    pub body_limit_bytes: u64,
    /// HTTP worker threads (0: one per CPU core).
    #[arg(long, env = "IQNET_WORKERS", default_value = "0", value_parser = Setting(whole_number))]
    pub workers: u64,
    /// On SIGTERM: how long in-flight requests may take to finish, in seconds.
    #[arg(long, env = "IQNET_SHUTDOWN_TIMEOUT_SECS", default_value = "30", value_parser = Setting(whole_number))]
    pub shutdown_timeout_secs: u64,
    /// The first national admin's email, created at start when no user exists yet.
    #[arg(long, env = "IQNET_ADMIN_EMAIL")]
    pub admin_email: Option<String>,
    /// The first national admin's password.
    #[arg(long, env = "IQNET_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,
}

/// The settings alone, for `Settings::from_env` and `from_lookup`.
#[derive(Debug, Parser)]
#[command(name = "iqnet")]
struct SettingsOnly {
    #[command(flatten)]
    settings: SettingsArgs,
}

impl SettingsArgs {
    /// Checks what one value alone cannot tell and reads the key file.
    pub fn settings(self) -> Result<Settings, String> {
        let set = |v: Option<String>| v.filter(|v| !v.is_empty());
        let jwt_secret = match set(self.jwt_secret) {
            Some(secret) if secret.len() < 32 => {
                return Err("IQNET_JWT_SECRET must be at least 32 characters".into());
            }
            Some(secret) => secret,
            None => {
                log::warn!(
                    "IQNET_JWT_SECRET is not set: using a random secret, so tokens die with this process and other instances reject them"
                );
                random_secret()
            }
        };
        let external_issuer = match set(self.jwt_external_issuer) {
            None => None,
            Some(issuer) => {
                let public_key_pem = match (
                    set(self.jwt_external_public_key),
                    set(self.jwt_external_public_key_file),
                ) {
                    (Some(pem), _) => pem,
                    (None, Some(path)) => std::fs::read_to_string(&path)
                        .map_err(|e| format!("IQNET_JWT_EXTERNAL_PUBLIC_KEY_FILE `{path}`: {e}"))?,
                    (None, None) => {
                        return Err(
                            "IQNET_JWT_EXTERNAL_ISSUER needs IQNET_JWT_EXTERNAL_PUBLIC_KEY or _FILE"
                                .into(),
                        );
                    }
                };
                Some(ExternalIssuer {
                    issuer,
                    audience: self.jwt_external_audience,
                    algorithm: self.jwt_external_algorithm,
                    public_key_pem,
                })
            }
        };
        Ok(Settings {
            bind: self.bind,
            database_url: self.database_url,
            pool: PoolSettings {
                max_size: self.db_pool_size.clamp(1, 1000) as u32,
                connection_timeout: Duration::from_millis(self.db_timeout_ms),
                sqlite_busy_timeout: Duration::from_millis(self.sqlite_busy_timeout_ms),
            },
            jwt_secret,
            jwt_issuer: self.jwt_issuer,
            jwt_audience: self.jwt_audience,
            token_ttl: Duration::from_secs(self.token_ttl_secs),
            external_issuer,
            cors_origins: set(self.cors_origins)
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            metrics_bind: set(self.metrics_bind),
            body_limit: self.body_limit_bytes as usize,
            workers: (self.workers > 0).then_some(self.workers as usize),
            shutdown_timeout: Duration::from_secs(self.shutdown_timeout_secs),
            admin_email: set(self.admin_email),
            admin_password: set(self.admin_password),
        })
    }
}

impl Settings {
    /// Reads the settings' environment variables through `get` instead of the process
    /// environment (tests pass a map), with the same defaults and checks.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
        let command = SettingsOnly::command();
        let mut argv = vec!["iqnet".to_owned()];
        for arg in command.get_arguments() {
            let (Some(variable), Some(long)) =
                (arg.get_env().and_then(OsStr::to_str), arg.get_long())
            else {
                continue;
            };
            if let Some(value) = get(variable).filter(|v| !v.is_empty()) {
                argv.push(format!("--{long}={value}"));
            }
        }
        let matches = command
            // Only what `get` says counts, so the process environment is cut off; the variable's
            // name moves to the value name, where `Setting` finds it for its refusals.
            .mut_args(|arg| match arg.get_env().and_then(OsStr::to_str) {
                Some(variable) => {
                    let variable = variable.to_owned();
                    arg.env(None).value_name(variable)
                }
                None => arg,
            })
            .try_get_matches_from(argv)
            .map_err(message)?;
        SettingsArgs::from_arg_matches(&matches)
            .map_err(message)?
            .settings()
    }

    /// Reads the settings from the environment alone.
    pub fn from_env() -> Result<Settings, String> {
        SettingsOnly::try_parse_from(["iqnet"])
            .map_err(message)?
            .settings
            .settings()
    }
}

/// A clap error as one line without clap's `error:` prefix.
fn message(e: clap::Error) -> String {
    let text = e.to_string();
    text.trim().trim_start_matches("error: ").to_owned()
}

/// Parses a setting's text with `parse`; an empty value (a variable listed but left empty) means
/// the default. A refusal names the environment variable.
#[derive(Clone)]
struct Setting<T>(fn(&str) -> Result<T, String>);

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Setting<T> {
    type Value = T;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let default = arg.and_then(|a| a.get_default_values().first());
        let value = match default {
            Some(default) if value.is_empty() => default.as_os_str(),
            _ => value,
        };
        let name = arg
            .and_then(|a| {
                a.get_env()
                    .map(|e| e.to_string_lossy().into_owned())
                    .or_else(|| a.get_value_names()?.first().map(ToString::to_string))
            })
            .unwrap_or_else(|| "a setting".into());
        let text = value.to_string_lossy();
        (self.0)(&text).map_err(|problem| {
            clap::Error::raw(
                ErrorKind::ValueValidation,
                format!("{name} {problem}, got `{text}`\n"),
            )
        })
    }
}

fn text(value: &str) -> Result<String, String> {
    Ok(value.to_owned())
}

fn whole_number(value: &str) -> Result<u64, String> {
    value
        .parse()
        .map_err(|_| "must be a whole number".to_owned())
}

fn algorithm(value: &str) -> Result<jsonwebtoken::Algorithm, String> {
    match value {
        "RS256" => Ok(jsonwebtoken::Algorithm::RS256),
        "ES256" => Ok(jsonwebtoken::Algorithm::ES256),
        "EdDSA" => Ok(jsonwebtoken::Algorithm::EdDSA),
        _ => Err("must be RS256, ES256 or EdDSA".into()),
    }
}

fn random_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_serve_sqlite_on_localhost() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.bind, "127.0.0.1:8080");
        assert_eq!(s.database_url, "sqlite://data/iqnet.db");
        assert_eq!(s.token_ttl, Duration::from_secs(900));
        assert!(s.cors_origins.is_empty());
    }

    #[test]
    fn bad_values_are_refused_with_the_setting_named() {
        assert!(
            settings(&[("IQNET_DB_POOL_SIZE", "many")])
                .unwrap_err()
                .contains("IQNET_DB_POOL_SIZE")
        );
        assert!(
            settings(&[("IQNET_JWT_SECRET", "short")])
                .unwrap_err()
                .contains("IQNET_JWT_SECRET")
        );
        assert!(
            settings(&[("IQNET_JWT_EXTERNAL_ISSUER", "https://idp")])
                .unwrap_err()
                .contains("PUBLIC_KEY")
        );
    }

    #[test]
    fn every_setting_is_a_flag_with_its_variable() {
        SettingsOnly::command().debug_assert();
        for arg in SettingsOnly::command().get_arguments() {
            assert!(
                arg.get_env().is_some(),
                "--{:?} has no variable",
                arg.get_long()
            );
        }
    }

    #[test]
    fn empty_values_mean_the_default_and_refusals_name_the_variable() {
        let s = settings(&[("IQNET_BIND", ""), ("IQNET_WORKERS", "")]).unwrap();
        assert_eq!(s.bind, "127.0.0.1:8080");
        assert_eq!(s.workers, None);
        assert_eq!(
            settings(&[("IQNET_TOKEN_TTL_SECS", "-1")]).unwrap_err(),
            "IQNET_TOKEN_TTL_SECS must be a whole number, got `-1`"
        );
        assert!(
            settings(&[("IQNET_JWT_EXTERNAL_ALGORITHM", "HS256")])
                .unwrap_err()
                .contains("IQNET_JWT_EXTERNAL_ALGORITHM must be RS256, ES256 or EdDSA")
        );
    }

    #[test]
    fn cors_origins_are_a_comma_separated_list() {
        let s =
            settings(&[("IQNET_CORS_ORIGINS", "https://a.example, https://b.example")]).unwrap();
        assert_eq!(s.cors_origins, ["https://a.example", "https://b.example"]);
    }
}
