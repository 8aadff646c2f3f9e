//! JSON Web Tokens: the short-lived HS256 tokens this API issues, and RS256/ES256/EdDSA tokens of
//! a configured external issuer. Only those algorithms are accepted: `alg: none` and any other
//! algorithm fail before a signature is even looked at.

use std::time::Duration;

use iqnet_shared::codes::StateCode;
use iqnet_shared::ids::OrganisationId;
use iqnet_shared::structure::Role;
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode,
};
use serde::{Deserialize, Serialize};

use crate::config::Settings;

/// What a token says about its bearer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// `user:<id>` or `client:<id>` for tokens issued here; the provider's subject otherwise.
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<OrganisationId>,
    /// The regional network of a coordinator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net: Option<StateCode>,
}

struct External {
    key: DecodingKey,
    validation: Validation,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    internal: (DecodingKey, Validation),
    external: Option<External>,
    issuer: String,
    audience: String,
    ttl: Duration,
}

impl TokenKeys {
    pub fn from_settings(settings: &Settings) -> Result<TokenKeys, String> {
        let secret = settings.jwt_secret.as_bytes();
        let external = match &settings.external_issuer {
            None => None,
            Some(ext) => {
                let pem = ext.public_key_pem.as_bytes();
                let key = match ext.algorithm {
                    Algorithm::RS256 => DecodingKey::from_rsa_pem(pem),
                    Algorithm::ES256 => DecodingKey::from_ec_pem(pem),
                    _ => DecodingKey::from_ed_pem(pem),
                }
                .map_err(|e| format!("external issuer public key: {e}"))?;
                Some(External {
                    key,
                    validation: validation(ext.algorithm, &ext.issuer, &ext.audience),
                })
            }
        };
        Ok(TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            internal: (
                DecodingKey::from_secret(secret),
                validation(
                    Algorithm::HS256,
                    &settings.jwt_issuer,
                    &settings.jwt_audience,
                ),
            ),
            external,
            issuer: settings.jwt_issuer.clone(),
            audience: settings.jwt_audience.clone(),
            ttl: settings.token_ttl,
        })
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Signs a token for `sub`, valid for the configured lifetime.
    pub fn issue(
        &self,
        sub: String,
        role: Role,
        org: Option<OrganisationId>,
        net: Option<StateCode>,
    ) -> Result<String, String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub,
            iat: now,
            exp: now + self.ttl.as_secs() as i64,
            jti: uuid::Uuid::now_v7().to_string(),
            role,
            org,
            net,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(|e| e.to_string())
    }

    /// Verifies signature, algorithm, issuer, audience and expiry. The error says which failed.
    pub fn verify(&self, token: &str) -> Result<Claims, String> {
        let header = decode_header(token).map_err(|e| format!("malformed token: {e}"))?;
        let (key, validation) = match (header.alg, &self.external) {
            (Algorithm::HS256, _) => (&self.internal.0, &self.internal.1),
            (alg, Some(ext)) if ext.validation.algorithms.contains(&alg) => {
                (&ext.key, &ext.validation)
            }
            (alg, _) => return Err(format!("tokens signed with {alg:?} are not accepted")),
        };
        decode::<Claims>(token, key, validation)
            .map(|data| data.claims)
            .map_err(|e| format!("invalid token: {e}"))
    }
}

fn validation(alg: Algorithm, issuer: &str, audience: &str) -> Validation {
    let mut v = Validation::new(alg);
    v.set_issuer(&[issuer]);
    v.set_audience(&[audience]);
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    v.leeway = 5;
    v
}
