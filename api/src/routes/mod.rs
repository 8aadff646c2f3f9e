//! The endpoints, one module per resource, each with its contract (`#[utoipa::path]`) beside it.

pub mod api_clients;
pub mod counselling;
pub mod health;
pub mod networks;
pub mod organisations;
pub mod reference;
pub mod sub_projects;
pub mod users;

use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/v1`.
pub fn v1(cfg: &mut ServiceConfig) {
    cfg.configure(crate::auth::routes::configure)
        .configure(networks::configure)
        .configure(organisations::configure)
        .configure(sub_projects::configure)
        .configure(users::configure)
        .configure(api_clients::configure)
        .configure(reference::configure)
        .configure(counselling::configure);
}
