//! Group commit of the audit rows of reads. A read of personal data writes no row of its own:
//! its entries wait in the request (`PendingReads`) until the handler has answered, then one
//! writer thread appends the entries of every request waiting at that moment in one transaction,
//! and each response goes out only after the commit that holds its rows. So a read costs the
//! database no commit of its own (64 concurrent reads share one), and no response that showed
//! personal data is sent before its audit row is durable.
//!
//! Changes (create, update) still write their audit rows in their own transaction: the change
//! and its row commit together or not at all.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};

use actix_web::http::StatusCode;
use actix_web::http::header::RETRY_AFTER;
use iqnet_persistence::{Database, audit};
use iqnet_shared::records::AuditEntry;
use tokio::sync::oneshot;

use crate::error::{ApiError, ApiResult};

/// The read entries of one request, collected while its handler runs.
#[derive(Debug, Clone, Default)]
pub struct PendingReads(Arc<Mutex<Vec<AuditEntry>>>);

impl PendingReads {
    pub fn add(&self, entries: Vec<AuditEntry>) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(entries);
    }

    pub fn take(&self) -> Vec<AuditEntry> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

struct Job {
    entries: Vec<AuditEntry>,
    done: oneshot::Sender<Result<(), String>>,
}

/// Requests that may wait for the writer; beyond that a read is refused (503) rather than
/// queued without bound.
const QUEUE: usize = 10_000;

/// Writer threads: while one commits, the other gathers and writes the next batch, so the
/// database's commit latency is overlapped instead of serialised.
const WRITERS: usize = 2;

/// At most this many entries per transaction, so one commit stays short.
const ENTRIES_PER_COMMIT: usize = 20_000;

/// The writer thread's queue.
#[derive(Debug)]
pub struct AuditWriter {
    jobs: SyncSender<Job>,
}

impl AuditWriter {
    pub fn start(db: Database) -> AuditWriter {
        let (jobs, queue) = sync_channel(QUEUE);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..WRITERS {
            let (db, queue) = (db.clone(), queue.clone());
            let started = std::thread::Builder::new()
                .name(format!("audit-writer-{n}"))
                .spawn(move || write_batches(&db, &queue));
            if let Err(e) = started {
                log::error!("cannot start an audit writer: {e}");
            }
        }
        AuditWriter { jobs }
    }

    /// Appends `entries` and waits for the commit that holds them.
    pub async fn append(&self, entries: Vec<AuditEntry>) -> ApiResult<()> {
        let (done, committed) = oneshot::channel();
        match self.jobs.try_send(Job { entries, done }) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                return Err(unavailable("too many reads are waiting for the audit log"));
            }
            Err(TrySendError::Disconnected(_)) => {
                return Err(ApiError::internal("the audit writer is not running"));
            }
        }
        match committed.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => {
                log::error!("audit rows not written: {e}");
                Err(unavailable(
                    "the access could not be logged, so nothing was sent",
                ))
            }
            Err(_) => Err(ApiError::internal("the audit writer stopped")),
        }
    }
}

fn unavailable(detail: &str) -> ApiError {
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "audit-unavailable", detail)
        .with_header(RETRY_AFTER, "1")
}

/// Takes whatever waits, writes it in one transaction, answers every waiting request, repeats.
/// While one batch commits the next one gathers, so batches grow with the load.
fn write_batches(db: &Database, queue: &Mutex<Receiver<Job>>) {
    while let Some(mut batch) = next_batch(queue) {
        let all: Vec<AuditEntry> = batch
            .iter_mut()
            .flat_map(|job| std::mem::take(&mut job.entries))
            .collect();
        let result = db
            .write(|conn| audit::append(conn, &all))
            .map_err(|e| e.to_string());
        for job in batch {
            // A request that gave up waiting still has its rows written; nobody to tell.
            let _ = job.done.send(result.clone());
        }
    }
}

/// Waits for a job, then takes whatever else waits (up to `ENTRIES_PER_COMMIT` entries). The
/// queue is locked only while taking, never while writing. `None` once the server is gone.
fn next_batch(queue: &Mutex<Receiver<Job>>) -> Option<Vec<Job>> {
    let queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
    let first = queue.recv().ok()?;
    let mut entries = first.entries.len();
    let mut batch = vec![first];
    while entries < ENTRIES_PER_COMMIT {
        let Ok(job) = queue.try_recv() else { break };
        entries += job.entries.len();
        batch.push(job);
    }
    Some(batch)
}
