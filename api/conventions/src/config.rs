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
    /// The HS256 keys that verify this API's tokens, by key id (`kid`); several instances must
    /// share them. One of them signs.
    pub jwt_keys: Vec<(String, String)>,
    /// The `kid` of the key that signs new tokens.
    pub jwt_signing_kid: String,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub token_ttl: Duration,
    /// Lifetime of a refresh token (each use replaces it with a new one).
    pub refresh_token_ttl: Duration,
    /// The longest a sign-in session lives, however often it is refreshed.
    pub session_ttl: Duration,
    pub external_issuer: Option<ExternalIssuer>,
    pub sign_in: SignInLimits,
    /// How many password hashes may be computed at once (each takes about 19 MiB).
    pub hashing_concurrency: usize,
    pub cors_origins: Vec<String>,
    /// The separate address that serves `/metrics` (and nothing else); `None`: no metrics.
    pub metrics_bind: Option<String>,
    pub body_limit: usize,
    pub workers: Option<usize>,
    pub shutdown_timeout: Duration,
    pub admin_email: Option<String>,
    pub admin_password: Option<String>,
}

/// How failed sign-ins are throttled (per account and per client address, in a fixed window).
#[derive(Debug, Clone, Copy)]
pub struct SignInLimits {
    /// Wrong passwords for one account within the window before it is locked.
    pub per_account: u32,
    /// Failed sign-ins from one client address within the window before it is locked.
    pub per_address: u32,
    pub window: Duration,
    pub lockout: Duration,
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
    /// Key set for the tokens this API issues, as `kid=secret` pairs separated by commas (each
    /// secret 32+ characters). All verify; `IQNET_JWT_SIGNING_KID` (default: the first) signs.
    /// Rotate by adding a key, then making it the signing one; withdraw a leaked key by removing
    /// it. Unset: `IQNET_JWT_SECRET` is the one key.
    #[arg(long, env = "IQNET_JWT_KEYS", hide_env_values = true)]
    pub jwt_keys: Option<String>,
    /// The `kid` of the key in `IQNET_JWT_KEYS` that signs new tokens.
    #[arg(long, env = "IQNET_JWT_SIGNING_KID")]
    pub jwt_signing_kid: Option<String>,
    /// `iss` of the tokens this API issues and accepts.
    #[arg(long, env = "IQNET_JWT_ISSUER", default_value = "iqnet", value_parser = Setting(text))]
    pub jwt_issuer: String,
    /// `aud` of the tokens this API issues and accepts.
    #[arg(long, env = "IQNET_JWT_AUDIENCE", default_value = "iqnet-api", value_parser = Setting(text))]
    pub jwt_audience: String,
    /// Lifetime of issued tokens, in seconds.
    #[arg(long, env = "IQNET_TOKEN_TTL_SECS", default_value = "900", value_parser = Setting(whole_number))]
    pub token_ttl_secs: u64,
    /// Lifetime of a refresh token, in seconds (each use replaces it).
    #[arg(long, env = "IQNET_REFRESH_TOKEN_TTL_SECS", default_value = "1209600", value_parser = Setting(whole_number))]
    pub refresh_token_ttl_secs: u64,
    /// The longest a sign-in session lives, however often it is refreshed, in seconds.
    #[arg(long, env = "IQNET_SESSION_TTL_SECS", default_value = "2592000", value_parser = Setting(whole_number))]
    pub session_ttl_secs: u64,
    /// Wrong passwords for one account within the window before sign-in is locked (429).
    #[arg(long, env = "IQNET_SIGN_IN_ACCOUNT_LIMIT", default_value = "10", value_parser = Setting(whole_number))]
    pub sign_in_account_limit: u64,
    /// Failed sign-ins from one client address within the window before it is locked (429).
    #[arg(long, env = "IQNET_SIGN_IN_ADDRESS_LIMIT", default_value = "100", value_parser = Setting(whole_number))]
    pub sign_in_address_limit: u64,
    /// The window failed sign-ins are counted in, in seconds.
    #[arg(long, env = "IQNET_SIGN_IN_WINDOW_SECS", default_value = "900", value_parser = Setting(whole_number))]
    pub sign_in_window_secs: u64,
    /// How long a locked account or address waits, in seconds.
    #[arg(long, env = "IQNET_SIGN_IN_LOCKOUT_SECS", default_value = "300", value_parser = Setting(whole_number))]
    pub sign_in_lockout_secs: u64,
    /// Password hashes computed at once (each takes about 19 MiB; 0: one per CPU core).
    #[arg(long, env = "IQNET_HASHING_CONCURRENCY", default_value = "0", value_parser = Setting(whole_number))]
    pub hashing_concurrency: u64,
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
        let keys = set(self.jwt_keys);
        let jwt_secret = match (set(self.jwt_secret), &keys) {
            (Some(secret), _) if secret.len() < 32 => {
                return Err("IQNET_JWT_SECRET must be at least 32 characters".into());
            }
            (Some(secret), _) => secret,
            (None, Some(_)) => String::new(),
            (None, None) => {
                log::warn!(
                    "IQNET_JWT_SECRET is not set: using a random secret, so tokens die with this process and other instances reject them"
                );
                random_secret()
            }
        };
        let (jwt_keys, jwt_signing_kid) = key_set(keys, set(self.jwt_signing_kid), &jwt_secret)?;
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
            jwt_keys,
            jwt_signing_kid,
            jwt_issuer: self.jwt_issuer,
            jwt_audience: self.jwt_audience,
            token_ttl: Duration::from_secs(self.token_ttl_secs),
            refresh_token_ttl: Duration::from_secs(self.refresh_token_ttl_secs),
            session_ttl: Duration::from_secs(self.session_ttl_secs),
            external_issuer,
            sign_in: SignInLimits {
                per_account: self.sign_in_account_limit.clamp(1, 10_000) as u32,
                per_address: self.sign_in_address_limit.clamp(1, 1_000_000) as u32,
                window: Duration::from_secs(self.sign_in_window_secs.max(1)),
                lockout: Duration::from_secs(self.sign_in_lockout_secs),
            },
            hashing_concurrency: match self.hashing_concurrency {
                0 => std::thread::available_parallelism().map_or(2, usize::from),
                n => n.min(1024) as usize,
            },
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

/// The verifying keys and the signing key's id. With no key set, `secret` is the one key; its
/// `kid` is derived from it, so instances sharing the secret agree on it.
fn key_set(
    keys: Option<String>,
    signing: Option<String>,
    secret: &str,
) -> Result<(Vec<(String, String)>, String), String> {
    let Some(keys) = keys else {
        let kid = format!("k{}", &hex_digest(secret)[..12]);
        return Ok((vec![(kid.clone(), secret.to_owned())], kid));
    };
    let mut parsed = Vec::new();
    for pair in keys.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((kid, secret)) = pair.split_once('=') else {
            return Err("IQNET_JWT_KEYS is `kid=secret` pairs separated by commas".into());
        };
        let kid = kid.trim();
        if kid.is_empty()
            || !kid
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(format!(
                "IQNET_JWT_KEYS: `{kid}` is not a key id (letters, digits, - and _)"
            ));
        }
        if secret.len() < 32 {
            return Err(format!(
                "IQNET_JWT_KEYS: the secret of `{kid}` needs 32+ characters"
            ));
        }
        if parsed.iter().any(|(k, _): &(String, String)| k == kid) {
            return Err(format!("IQNET_JWT_KEYS names `{kid}` twice"));
        }
        parsed.push((kid.to_owned(), secret.to_owned()));
    }
    let signing = match signing {
        Some(kid) if parsed.iter().any(|(k, _)| *k == kid) => kid,
        Some(kid) => {
            return Err(format!(
                "IQNET_JWT_SIGNING_KID `{kid}` is not in IQNET_JWT_KEYS"
            ));
        }
        None => match parsed.first() {
            Some((kid, _)) => kid.clone(),
            None => return Err("IQNET_JWT_KEYS names no key".into()),
        },
    };
    Ok((parsed, signing))
}

fn hex_digest(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
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
