//! JSON Web Tokens: the short-lived HS256 tokens this API issues, and RS256/ES256/EdDSA tokens of
//! a configured external issuer. Only those algorithms are accepted: `alg: none` and any other
//! algorithm fail before a signature is even looked at.
//!
//! Our tokens name their key (`kid`) in a key set where every key verifies and one signs, so a
//! key is rotated without downtime and a leaked one withdrawn at once. They carry the account's
//! credential epoch (`epc`) and, after a password sign-in, the session (`sid`): the request's
//! authentication checks both against the database, so access ends when the account changes or
//! the session is revoked. A token that is not yet valid (`nbf`, `iat` in the future) or names
//! critical header extensions (`crit`, RFC 7515 4.1.11, none of which we implement) is refused.

use std::collections::HashMap;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

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
    /// The credential epoch of the account when the token was issued (our tokens only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epc: Option<i64>,
    /// The session the token belongs to (password sign-ins and their refreshes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// What a new token of ours says about its bearer.
#[derive(Debug, Clone)]
pub struct Grant {
    pub sub: String,
    pub role: Role,
    pub org: Option<OrganisationId>,
    pub net: Option<StateCode>,
    pub epoch: i64,
    pub session: Option<String>,
}

struct External {
    key: DecodingKey,
    validation: Validation,
}

pub struct TokenKeys {
    /// The signing key's id and key.
    signing: (String, EncodingKey),
    /// Every key that verifies, by id.
    internal: HashMap<String, DecodingKey>,
    internal_validation: Validation,
    external: Option<External>,
    issuer: String,
    audience: String,
    ttl: Duration,
}

impl TokenKeys {
    pub fn from_settings(settings: &Settings) -> Result<TokenKeys, String> {
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
        let signing_secret = settings
            .jwt_keys
            .iter()
            .find(|(kid, _)| *kid == settings.jwt_signing_kid)
            .map(|(_, secret)| secret.as_bytes())
            .ok_or("the signing key is not in the key set")?;
        Ok(TokenKeys {
            signing: (
                settings.jwt_signing_kid.clone(),
                EncodingKey::from_secret(signing_secret),
            ),
            internal: settings
                .jwt_keys
                .iter()
                .map(|(kid, secret)| (kid.clone(), DecodingKey::from_secret(secret.as_bytes())))
                .collect(),
            internal_validation: validation(
                Algorithm::HS256,
                &settings.jwt_issuer,
                &settings.jwt_audience,
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

    /// Signs a token for the grant with the signing key, valid for the configured lifetime.
    pub fn issue(&self, grant: Grant) -> Result<String, String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: grant.sub,
            iat: now,
            exp: now + self.ttl.as_secs() as i64,
            jti: uuid::Uuid::now_v7().to_string(),
            role: grant.role,
            org: grant.org,
            net: grant.net,
            epc: Some(grant.epoch),
            sid: grant.session,
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.signing.0.clone());
        encode(&header, &claims, &self.signing.1).map_err(|e| e.to_string())
    }

    /// Verifies the header, signature, algorithm, issuer, audience, expiry and not-before. The
    /// error says which failed: for the log, never for the client.
    pub fn verify(&self, token: &str) -> Result<Claims, String> {
        refuse_critical_extensions(token)?;
        let header = decode_header(token).map_err(|e| format!("malformed token: {e}"))?;
        let (key, validation) = match (header.alg, &self.external) {
            (Algorithm::HS256, _) => {
                let kid = header
                    .kid
                    .as_deref()
                    .ok_or("the token names no key (kid)")?;
                let key = self.internal.get(kid).ok_or_else(|| {
                    format!("the key {kid:?} is not (or no longer) in the key set")
                })?;
                (key, &self.internal_validation)
            }
            (alg, Some(ext)) if ext.validation.algorithms.contains(&alg) => {
                (&ext.key, &ext.validation)
            }
            (alg, _) => return Err(format!("tokens signed with {alg:?} are not accepted")),
        };
        let claims = decode::<Claims>(token, key, validation)
            .map(|data| data.claims)
            .map_err(|e| format!("invalid token: {e}"))?;
        let now = chrono::Utc::now().timestamp();
        if claims.iat > now + LEEWAY_SECS as i64 {
            return Err("the token was issued in the future (iat)".into());
        }
        Ok(claims)
    }
}

/// Clock skew tolerated between issuers and this server.
const LEEWAY_SECS: u64 = 5;

/// A token whose header lists `crit` extensions must be refused by a receiver that does not
/// understand them (RFC 7515 4.1.11); we understand none.
fn refuse_critical_extensions(token: &str) -> Result<(), String> {
    let encoded = token.split('.').next().unwrap_or_default();
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| "malformed token header")?;
    let header: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes).map_err(|_| "malformed token header")?;
    if header.contains_key("crit") {
        return Err("the token names critical header extensions (crit)".into());
    }
    Ok(())
}

fn validation(alg: Algorithm, issuer: &str, audience: &str) -> Validation {
    let mut v = Validation::new(alg);
    v.set_issuer(&[issuer]);
    v.set_audience(&[audience]);
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    v.validate_nbf = true;
    v.leeway = LEEWAY_SECS;
    v
}
