//! The iqnet HTTP API: one module per area, each mounting its routes under `/v1` with its
//! `configure`; the conventions they share come from `iqnet_conventions`. `server::prepare` +
//! `server::serve` start it; the binary `iqnet` wraps both.

pub mod contract;
pub mod counselling;
pub mod health;
pub mod intercultural;
pub mod permissions;
pub mod qualification;
pub mod reference;
pub mod seed;
pub mod server;
pub mod skilled_workers;
pub mod structure;

use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/v1`: each area mounts its own routes.
pub fn v1(cfg: &mut ServiceConfig) {
    cfg.configure(structure::configure)
        .configure(reference::configure)
        .configure(counselling::configure)
        .configure(qualification::configure)
        .configure(intercultural::configure)
        .configure(skilled_workers::configure);
}
