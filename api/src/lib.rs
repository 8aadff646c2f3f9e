//! The iqnet HTTP API: routes under `/v1`, authentication, wire conventions and the OpenAPI
//! contract. `server::prepare` + `server::serve` start it; the binary `iqnet` wraps both.

pub mod audit;
pub mod auth;
pub mod config;
pub mod error;
pub mod extract;
pub mod http;
pub mod middleware;
pub mod openapi;
pub mod routes;
pub mod server;
pub mod state;
