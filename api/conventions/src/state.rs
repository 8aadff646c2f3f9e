//! What every handler shares: the database, the token keys, the settings. Database work runs on
//! actix's blocking pool so the async workers never wait on it.

use std::sync::Arc;

use actix_web::{HttpMessage, HttpRequest, web};
use iqnet_persistence::{Database, DbConnection, idempotency};
use tokio::sync::Semaphore;

use crate::auth::TokenKeys;
use crate::config::Settings;
use crate::error::{ApiError, ApiResult};
use crate::http::Reply;
use crate::middleware::idempotency::{IdempotencyClaim, stored_response};

/// Called after a transaction of `commit` committed and before its reply is sent. `None` in
/// production; tests use it to stand for a crash in exactly that window.
pub type AfterCommit = Arc<dyn Fn() + Send + Sync>;

pub struct AppState {
    pub db: Database,
    pub keys: TokenKeys,
    pub settings: Settings,
    pub after_commit: Option<AfterCommit>,
    /// Bounds the password hashes computed at once: each takes about 19 MiB, so 64 concurrent
    /// sign-ins would otherwise take over a gigabyte.
    hashing: Semaphore,
}

impl AppState {
    pub fn new(db: Database, keys: TokenKeys, settings: Settings) -> AppState {
        AppState {
            hashing: Semaphore::new(settings.hashing_concurrency),
            db,
            keys,
            settings,
            after_commit: None,
        }
    }

    /// Runs password hashing (`f`) on a blocking thread, at most `hashing_concurrency` at once;
    /// the others wait their turn without holding memory.
    pub async fn hash<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let _permit = self
            .hashing
            .acquire()
            .await
            .map_err(|e| ApiError::internal(format!("hashing slots closed: {e}")))?;
        web::block(f)
            .await
            .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))
    }

    /// Runs `f` in one write transaction on a blocking thread.
    pub async fn write<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    {
        let db = self.db.clone();
        web::block(move || db.write(f))
            .await
            .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))?
    }

    /// Makes a change and its reply in one write transaction. When the request holds an
    /// `Idempotency-Key`, the reply is stored under it in that same transaction: either both
    /// commit or neither does, so a retry after any crash replays the change instead of
    /// making it twice.
    pub async fn commit<F>(&self, req: &HttpRequest, f: F) -> ApiResult<Reply>
    where
        F: FnOnce(&mut DbConnection) -> ApiResult<Reply> + Send + 'static,
    {
        let claim = req.extensions().get::<IdempotencyClaim>().cloned();
        let db = self.db.clone();
        let after_commit = self.after_commit.clone();
        web::block(move || {
            let reply = db.write(|conn| {
                let mut reply = f(conn)?;
                if let Some(claim) = &claim {
                    store_for_replay(conn, claim, &mut reply)?;
                }
                Ok::<_, ApiError>(reply)
            })?;
            if let Some(hook) = after_commit {
                hook();
            }
            Ok(reply)
        })
        .await
        .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))?
    }

    /// Runs `f` on one connection (no transaction) on a blocking thread.
    pub async fn read<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    {
        let db = self.db.clone();
        web::block(move || db.read(f))
            .await
            .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))?
    }
}

fn store_for_replay(
    conn: &mut DbConnection,
    claim: &IdempotencyClaim,
    reply: &mut Reply,
) -> ApiResult<()> {
    let headers = reply.headers.iter().cloned();
    if let Some(stored) =
        stored_response(reply.status, headers, &reply.body, reply.redact_on_replay)
    {
        idempotency::complete(conn, &claim.caller, &claim.key, &stored)?;
        reply.stored_for_replay = true;
    }
    Ok(())
}
