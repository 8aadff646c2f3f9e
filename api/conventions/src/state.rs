//! What every handler shares: the database, the token keys, the settings. Database work runs on
//! actix's blocking pool so the async workers never wait on it.

use actix_web::web;
use iqnet_persistence::{Database, DbConnection};

use crate::auth::TokenKeys;
use crate::config::Settings;
use crate::error::{ApiError, ApiResult};

pub struct AppState {
    pub db: Database,
    pub keys: TokenKeys,
    pub settings: Settings,
}

impl AppState {
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
