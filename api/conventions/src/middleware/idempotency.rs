//! `Idempotency-Key` on POST, as the IETF draft and Stripe define it. Keys are scoped to the
//! authenticated caller and remembered in the database for 24 hours:
//! - the first request with a key runs, and its lasting response is stored;
//! - a retry with the same key and the same request replays that response;
//! - the same key with another body or target is a 422; a retry while the first runs, a 409.
//!
//! The database's primary key decides which of several concurrent requests runs. A response
//! that may change on a retry (5xx, 409, 412, 413, 415, 428, 429) releases the key instead. Handlers
//! mark secrets and direct identifiers of people with `RedactOnReplay`: they are stored (and
//! replayed) as `null`, so a replay never outlives a consent withdrawal or an erasure.
//!
//! A replay answers with what the first request saw, so it must not outlive the caller's access
//! either: a counsellor moved to another organisation must not read, through a retry, the seeker
//! they created in the old one. A key is therefore bound to the caller's access when it is
//! claimed: role, organisation and network, as the token names them. A retry made with other
//! access gets a 403 (`idempotency-key-access-changed`) and neither the response (it may show
//! data the caller can no longer see) nor a second run (the first one's change was made; a
//! retry must never make it twice). Re-reading the stored resource under the new access would
//! be finer, but the replay knows no resource, only a response; the client that still needs it
//! reads it with a GET, where the usual scope rules apply.

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use actix_web::{Error, HttpMessage, HttpResponse};
use iqnet_persistence::idempotency::{self, Claim, StoredResponse};
use sha2::{Digest, Sha256};

use crate::auth::{Caller, Principal};
use crate::error::ApiError;
use crate::extract::payload_error;
use crate::state::AppState;

pub const HEADER: HeaderName = HeaderName::from_static("idempotency-key");
/// Set on a replayed response.
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
const REPLAYED_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::LOCATION, header::ETAG];

/// Top-level JSON fields a response must not keep in storage (e.g. a freshly issued secret).
#[derive(Debug, Clone)]
pub struct RedactOnReplay(pub &'static [&'static str]);

/// The key this request holds, in the request's extensions while its handler runs:
/// `AppState::commit` stores the reply under it in the transaction that makes the change, so
/// no crash between that commit and the response can make a retry repeat the change.
#[derive(Debug, Clone)]
pub struct IdempotencyClaim {
    pub caller: String,
    pub key: String,
}

/// Marks a response already stored under its idempotency key (in the handler's transaction).
#[derive(Debug, Clone, Copy)]
pub struct StoredForReplay;

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if req.method() != Method::POST {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let Some(key) = req.headers().get(HEADER).cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    // An anonymous or badly authenticated request gets its 401 from the handler, not a stored reply.
    let Some(Principal(Some(caller))) = req.extensions().get::<Principal>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let key = match key
        .to_str()
        .ok()
        .filter(|k| !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()))
    {
        Some(k) => k.to_owned(),
        None => {
            let err = ApiError::bad_request(
                "invalid-idempotency-key",
                "Idempotency-Key must be 1-255 visible characters",
                Vec::new(),
            );
            return Ok(req.error_response(err));
        }
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(req.error_response(ApiError::internal("application state is not configured")));
    };
    let body = match req.extract::<Bytes>().await {
        Ok(b) => b,
        Err(e) => return Ok(req.error_response(payload_error(e))),
    };
    let hash = request_hash(&req, &body);
    let caller_key = caller.key();
    let access = access(&caller);

    let claim = {
        let (caller_key, key, hash) = (caller_key.clone(), key.clone(), hash.clone());
        state
            .write(move |conn| {
                let now = iqnet_shared::time::now();
                // Expired keys are swept by the requests themselves, about once in 256, so no
                // background job has to run on some instance.
                if rand::random::<u8>() == 0 {
                    idempotency::purge_expired(conn, now)?;
                }
                Ok(idempotency::begin(
                    conn,
                    &caller_key,
                    &key,
                    &hash,
                    &access,
                    now,
                )?)
            })
            .await
    };
    match claim {
        Err(e) => return Ok(req.error_response(e)),
        Ok(Claim::Replay(stored)) => return Ok(req.into_response(replay(stored))),
        Ok(Claim::InFlight) => {
            let err = ApiError::conflict(
                "idempotency-key-in-use",
                "a request with this Idempotency-Key is still being processed; retry later",
            )
            .with_header(header::RETRY_AFTER, "1");
            return Ok(req.error_response(err));
        }
        Ok(Claim::Mismatch) => {
            let err = ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency-key-reused",
                "this Idempotency-Key was used for a different request; use a new key for a new request",
            );
            return Ok(req.error_response(err));
        }
        Ok(Claim::AccessChanged) => {
            let err = ApiError::new(
                StatusCode::FORBIDDEN,
                "idempotency-key-access-changed",
                "this Idempotency-Key was used while you held other access (role, organisation \
                 or network); its response is not replayed and the request is not repeated",
            );
            return Ok(req.error_response(err));
        }
        Ok(Claim::Claimed) => {}
    }
    req.extensions_mut().insert(IdempotencyClaim {
        caller: caller_key.clone(),
        key: key.clone(),
    });

    req.set_payload(bytes_payload(body));
    let res = match next.call(req).await {
        Ok(res) => res.map_into_boxed_body(),
        Err(err) => {
            let _ = state
                .write(move |conn| Ok(idempotency::release(conn, &caller_key, &key)?))
                .await;
            return Err(err);
        }
    };
    if res.response().extensions().contains::<StoredForReplay>() {
        return Ok(res);
    }
    let status = res.status();
    let redact = res.response().extensions().get::<RedactOnReplay>().cloned();
    let (http_req, res) = res.into_parts();
    let (head, body) = res.into_parts();
    let bytes = body::to_bytes(body).await.unwrap_or_default();
    let headers = head
        .headers()
        .iter()
        .map(|(name, value)| (name.clone(), value.to_str().unwrap_or_default().to_owned()));
    let redact = redact.map_or(&[][..], |r| r.0);
    let stored = stored_response(status, headers, &bytes, redact);
    let outcome = match stored {
        Some(stored) => {
            state
                .write(move |conn| Ok(idempotency::complete(conn, &caller_key, &key, &stored)?))
                .await
        }
        None => {
            state
                .write(move |conn| Ok(idempotency::release(conn, &caller_key, &key)?))
                .await
        }
    };
    if let Err(e) = outcome {
        log::error!("could not record idempotency key: {e}");
    }
    Ok(ServiceResponse::new(
        http_req,
        head.set_body(BoxBody::new(bytes)),
    ))
}

/// Whether a response is the lasting answer to a request. Server errors, conflicts, failed
/// preconditions and refused media types can change on a retry, so they are not kept.
fn replayable(status: StatusCode) -> bool {
    let transient = [
        StatusCode::CONFLICT,
        StatusCode::PRECONDITION_FAILED,
        StatusCode::PAYLOAD_TOO_LARGE,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        StatusCode::PRECONDITION_REQUIRED,
        StatusCode::TOO_MANY_REQUESTS,
    ];
    !status.is_server_error() && !transient.contains(&status)
}

/// The access a key is bound to: what decides which records the caller may see.
fn access(caller: &Caller) -> String {
    let organisation = caller.organisation.map(|o| o.to_string());
    let network = caller.network.map(|n| n.to_string());
    format!(
        "{}/{}/{}",
        caller.role,
        organisation.as_deref().unwrap_or("-"),
        network.as_deref().unwrap_or("-")
    )
}

/// Binds a key to what the request asks: method, path, query and body.
fn request_hash(req: &ServiceRequest, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(req.method().as_str());
    h.update(b"\n");
    h.update(req.path());
    h.update(b"?");
    h.update(req.query_string());
    h.update(b"\n");
    h.update(body);
    hex::encode(h.finalize())
}

/// What a retry will replay of a response, if it is the request's lasting answer: status, the
/// headers worth replaying, and the body with `redact` fields set to `null`.
pub fn stored_response(
    status: StatusCode,
    headers: impl IntoIterator<Item = (HeaderName, String)>,
    body: &[u8],
    redact: &[&str],
) -> Option<StoredResponse> {
    if !replayable(status) {
        return None;
    }
    let mut body = String::from_utf8(body.to_vec()).ok()?;
    if !redact.is_empty() {
        let mut value: serde_json::Value = serde_json::from_str(&body).ok()?;
        for field in redact {
            if let Some(v) = value.get_mut(*field) {
                *v = serde_json::Value::Null;
            }
        }
        body = value.to_string();
    }
    let kept: Vec<(String, String)> = headers
        .into_iter()
        .filter(|(name, _)| REPLAYED_HEADERS.contains(name))
        .map(|(name, value)| (name.as_str().to_owned(), value))
        .collect();
    Some(StoredResponse {
        status: status.as_u16(),
        headers: serde_json::to_string(&kept).ok()?,
        body,
    })
}

fn replay(stored: StoredResponse) -> HttpResponse {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    let headers: Vec<(String, String)> = serde_json::from_str(&stored.headers).unwrap_or_default();
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            response.insert_header((name, value));
        }
    }
    response.insert_header((REPLAYED, "true"));
    response.body(stored.body)
}

fn bytes_payload(bytes: Bytes) -> actix_web::dev::Payload {
    let stream: actix_http::BoxedPayloadStream =
        Box::pin(futures_util::stream::once(async move { Ok(bytes) }));
    actix_web::dev::Payload::from(stream)
}
