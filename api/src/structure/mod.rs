//! The network's structure: tokens, regional networks, organisations, sub-projects, staff users
//! and machine clients. One module per resource.

pub mod api_clients;
pub mod auth;
pub mod networks;
pub mod organisations;
pub mod sub_projects;
pub mod users;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(auth::configure)
        .configure(networks::configure)
        .configure(organisations::configure)
        .configure(sub_projects::configure)
        .configure(users::configure)
        .configure(api_clients::configure);
}
