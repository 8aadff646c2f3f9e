use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// What can go wrong in storage, in the terms the API needs to answer correctly.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write (the message names what was duplicated).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A referenced record does not exist (a foreign key refused the write).
    #[error("a referenced record does not exist: {0}")]
    MissingReference(String),
    /// `If-Match` named a version that is no longer current.
    #[error("version {expected} is not current")]
    StaleVersion { expected: i64 },
    /// The database cannot be reached or the pool is exhausted.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A stored value no longer parses: a bug or a hand-edited row, never the client's fault.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Other(DieselError),
}

impl From<DieselError> for StoreError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => StoreError::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                StoreError::Conflict(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                StoreError::MissingReference(info.message().to_owned())
            }
            DieselError::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                info,
            ) => StoreError::Unavailable(info.message().to_owned()),
            DieselError::DeserializationError(e) => StoreError::Corrupt(with_sources(&*e)),
            other => StoreError::Other(other),
        }
    }
}

impl From<r2d2_error::PoolError> for StoreError {
    fn from(e: r2d2_error::PoolError) -> Self {
        StoreError::Unavailable(e.to_string())
    }
}

/// An error and what caused it: a column that failed to read names the column, its cause the value.
fn with_sources(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text = format!("{text}: {c}");
        cause = c.source();
    }
    text
}

mod r2d2_error {
    pub use diesel::r2d2::PoolError;
}

/// Parses a value read from the database; failure means the row is corrupt, not that the client erred.
pub(crate) fn stored<T, E: std::fmt::Display>(
    column: &str,
    result: Result<T, E>,
) -> Result<T, StoreError> {
    result.map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}
