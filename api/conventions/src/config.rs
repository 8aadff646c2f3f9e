//! Settings, read from the environment (and `.env`). Every one is listed in `.env.example`.

use std::time::Duration;

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
    pub body_limit: usize,
    pub workers: Option<usize>,
    pub shutdown_timeout: Duration,
    pub admin_email: Option<String>,
    pub admin_password: Option<String>,
}

impl Settings {
    /// Reads `IQNET_*` and `DATABASE_URL` through `get`, so tests can pass a map instead of the
    /// process environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
        let text = |name: &str, default: &str| {
            get(name)
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        let number = |name: &str, default: u64| -> Result<u64, String> {
            match get(name).filter(|v| !v.is_empty()) {
                None => Ok(default),
                Some(v) => v
                    .parse()
                    .map_err(|_| format!("{name} must be a whole number, got `{v}`")),
            }
        };
        let jwt_secret = match get("IQNET_JWT_SECRET").filter(|v| !v.is_empty()) {
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
        let external_issuer = match get("IQNET_JWT_EXTERNAL_ISSUER").filter(|v| !v.is_empty()) {
            None => None,
            Some(issuer) => {
                let algorithm = text("IQNET_JWT_EXTERNAL_ALGORITHM", "RS256");
                let algorithm = match algorithm.as_str() {
                    "RS256" => jsonwebtoken::Algorithm::RS256,
                    "ES256" => jsonwebtoken::Algorithm::ES256,
                    "EdDSA" => jsonwebtoken::Algorithm::EdDSA,
                    other => {
                        return Err(format!(
                            "IQNET_JWT_EXTERNAL_ALGORITHM must be RS256, ES256 or EdDSA, got `{other}`"
                        ));
                    }
                };
                let public_key_pem = match (
                    get("IQNET_JWT_EXTERNAL_PUBLIC_KEY"),
                    get("IQNET_JWT_EXTERNAL_PUBLIC_KEY_FILE"),
                ) {
                    (Some(pem), _) if !pem.is_empty() => pem,
                    (_, Some(path)) if !path.is_empty() => std::fs::read_to_string(&path)
                        .map_err(|e| format!("IQNET_JWT_EXTERNAL_PUBLIC_KEY_FILE `{path}`: {e}"))?,
                    _ => return Err(
                        "IQNET_JWT_EXTERNAL_ISSUER needs IQNET_JWT_EXTERNAL_PUBLIC_KEY or _FILE"
                            .into(),
                    ),
                };
                Some(ExternalIssuer {
                    issuer,
                    audience: text("IQNET_JWT_EXTERNAL_AUDIENCE", "iqnet-api"),
                    algorithm,
                    public_key_pem,
                })
            }
        };
        let workers = match number("IQNET_WORKERS", 0)? {
            0 => None,
            n => Some(n as usize),
        };
        Ok(Settings {
            bind: text("IQNET_BIND", "127.0.0.1:8080"),
            database_url: text("DATABASE_URL", "sqlite://data/iqnet.db"),
            pool: PoolSettings {
                max_size: number("IQNET_DB_POOL_SIZE", 10)?.clamp(1, 1000) as u32,
                connection_timeout: Duration::from_millis(number("IQNET_DB_TIMEOUT_MS", 5000)?),
                sqlite_busy_timeout: Duration::from_millis(number(
                    "IQNET_SQLITE_BUSY_TIMEOUT_MS",
                    5000,
                )?),
            },
            jwt_secret,
            jwt_issuer: text("IQNET_JWT_ISSUER", "iqnet"),
            jwt_audience: text("IQNET_JWT_AUDIENCE", "iqnet-api"),
            token_ttl: Duration::from_secs(number("IQNET_TOKEN_TTL_SECS", 900)?),
            external_issuer,
            cors_origins: text("IQNET_CORS_ORIGINS", "")
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            body_limit: number("IQNET_BODY_LIMIT_BYTES", 1_048_576)? as usize,
            workers,
            shutdown_timeout: Duration::from_secs(number("IQNET_SHUTDOWN_TIMEOUT_SECS", 30)?),
            admin_email: get("IQNET_ADMIN_EMAIL").filter(|v| !v.is_empty()),
            admin_password: get("IQNET_ADMIN_PASSWORD").filter(|v| !v.is_empty()),
        })
    }

    pub fn from_env() -> Result<Settings, String> {
        Self::from_lookup(|name| std::env::var(name).ok())
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
    fn cors_origins_are_a_comma_separated_list() {
        let s =
            settings(&[("IQNET_CORS_ORIGINS", "https://a.example, https://b.example")]).unwrap();
        assert_eq!(s.cors_origins, ["https://a.example", "https://b.example"]);
    }
}
