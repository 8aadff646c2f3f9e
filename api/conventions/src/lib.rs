//! The conventions every endpoint of the iqnet API follows, built once (API-CONVENTIONS.md):
//! problem+json errors, extractors that name the broken field, cursor pagination, ETags and
//! conditional requests, JSON merge patch, `Idempotency-Key`, bearer authentication and roles,
//! the audit log of personal-data access, the application state, and the OpenAPI modifier that
//! adds what every operation shares. It knows no priority area: the areas build on it.

pub mod audit;
pub mod audit_writer;
pub mod auth;
pub mod config;
pub mod error;
pub mod extract;
pub mod http;
pub mod middleware;
pub mod openapi;
pub mod state;
pub mod yaml;
