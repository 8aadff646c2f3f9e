//! What every handler shares: the database, the token keys, the settings. Database work runs on
//! actix's blocking pool so the async workers never wait on it.

use std::sync::Arc;

use actix_web::{HttpMessage, HttpRequest, web};
use iqnet_persistence::access;
use iqnet_persistence::access::notifications::{self, Heard};
use iqnet_persistence::{Backend, Database, DbConnection, idempotency};
use tokio::sync::oneshot;

use crate::audit_writer::AuditWriter;
use crate::auth::{TokenKeys, VerifiedTokens};
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
    /// Group-commits the audit rows of reads.
    pub audit: AuditWriter,
    /// Tokens checked against the database a moment ago; emptied by every change.
    pub verified: Arc<VerifiedTokens>,
    /// Computes password hashes: each takes about 19 MiB, so 64 concurrent sign-ins would
    /// otherwise take over a gigabyte.
    hashing: Hashing,
}

impl AppState {
    pub fn new(db: Database, keys: TokenKeys, settings: Settings) -> AppState {
        AppState {
            hashing: Hashing::start(settings.hashing_concurrency),
            audit: AuditWriter::start(db.clone()),
            verified: hear_credential_changes(&db),
            db,
            keys,
            settings,
            after_commit: None,
        }
    }

    /// Runs password hashing (`f`) on one of `hashing_concurrency` dedicated threads; the
    /// others wait their turn in a queue, holding no memory but their closure.
    pub async fn hash<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        self.hashing.run(f).await
    }

    /// Runs `f` in one write transaction on a blocking thread.
    pub async fn write<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    {
        let db = self.db.clone();
        let verified = self.verified.clone();
        blocking(move || {
            access::take_credentials_changed();
            let result = db.write(f);
            forget_if_credentials_changed(&verified);
            result
        })
        .await?
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
        let verified = self.verified.clone();
        blocking(move || {
            access::take_credentials_changed();
            let reply = db.write(|conn| {
                let mut reply = f(conn)?;
                if let Some(claim) = &claim {
                    store_for_replay(conn, claim, &mut reply)?;
                }
                Ok::<_, ApiError>(reply)
            });
            forget_if_credentials_changed(&verified);
            let reply = reply?;
            if let Some(hook) = after_commit {
                hook();
            }
            Ok(reply)
        })
        .await?
    }

    /// Runs `f` on one connection (no transaction) on a blocking thread.
    pub async fn read<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    {
        let db = self.db.clone();
        blocking(move || db.read(f)).await?
    }
}

/// A change that can end a token holds from the next request on: what this instance verified
/// is forgotten before the change's response is sent.
fn forget_if_credentials_changed(verified: &VerifiedTokens) {
    if access::take_credentials_changed() {
        verified.forget_all();
    }
}

/// Remembers verified tokens only on PostgreSQL, where every instance hears of each credential
/// change; without that (SQLite, or no listener) every request checks its token.
fn hear_credential_changes(db: &Database) -> Arc<VerifiedTokens> {
    let verified = Arc::new(VerifiedTokens::default());
    if db.backend() == Backend::Postgres {
        // Weak: the listener stops once the state (and the server) is gone.
        let listener = Arc::downgrade(&verified);
        let listening = notifications::listen(db.url().to_owned(), move |heard| {
            let Some(verified) = listener.upgrade() else {
                return false;
            };
            match heard {
                Heard::Listening => verified.set_enabled(true),
                Heard::Changed => verified.forget_all(),
                Heard::Deaf => verified.set_enabled(false),
                Heard::Nothing => {}
            }
            true
        });
        if let Err(e) = listening {
            log::error!("cannot listen for credential changes: {e}");
        }
    }
    verified
}

/// Runs `f` on actix's blocking pool, so the async workers never wait on the database.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> ApiResult<T> {
    web::block(f).await.map_err(blocking_failed)
}

fn blocking_failed(e: actix_web::error::BlockingError) -> ApiError {
    ApiError::internal(format!("blocking task failed: {e}"))
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

type Job = Box<dyn FnOnce() + Send>;

/// A few threads that do nothing but hash passwords. Not the blocking pool: each thread's
/// allocator arena keeps the 19 MiB an argon2 hash took, so hashing on up to 512 blocking
/// threads kept gigabytes resident; on a fixed few it keeps a few times 19 MiB.
struct Hashing {
    jobs: std::sync::mpsc::SyncSender<Job>,
}

/// Jobs that may wait per hashing thread; beyond that a request is refused (503) at once rather
/// than queued behind work nobody may be waiting for any more.
const QUEUED_PER_THREAD: usize = 64;

impl Hashing {
    fn start(threads: usize) -> Hashing {
        let (sender, receiver) =
            std::sync::mpsc::sync_channel::<Job>(threads.max(1) * QUEUED_PER_THREAD);
        let receiver = std::sync::Arc::new(std::sync::Mutex::new(receiver));
        for n in 0..threads.max(1) {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("hashing-{n}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while waiting for the next job.
                        let job = match receiver.lock() {
                            Ok(jobs) => jobs.recv(),
                            Err(_) => return,
                        };
                        match job {
                            // A panicking job fails its request (its result is never sent),
                            // not the thread.
                            Ok(job) => {
                                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                            }
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                log::error!("cannot start a hashing thread: {e}");
            }
        }
        Hashing { jobs: sender }
    }

    async fn run<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(f());
        });
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(std::sync::mpsc::TrySendError::Full(_)) => {
                return Err(ApiError::new(
                    actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                    "busy",
                    "too many sign-ins at once; retry shortly",
                )
                .with_header(actix_web::http::header::RETRY_AFTER, "1"));
            }
            Err(std::sync::mpsc::TrySendError::Disconnected(_)) => {
                return Err(ApiError::internal("no hashing thread is running"));
            }
        }
        result
            .await
            .map_err(|_| ApiError::internal("a hashing job failed"))
    }
}
