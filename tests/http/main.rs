//! Black-box HTTP tests: each test starts the real server on a random port against a database of
//! its own (a temporary SQLite file, or a fresh PostgreSQL database when `TEST_DATABASE_URL` is
//! set) and talks to it over HTTP only.
//!
//! `backend_tests!` runs each listed test on both backends, as `sqlite::<name>` and
//! `postgres::<name>`. Without `TEST_DATABASE_URL` the PostgreSQL variants pass vacuously, unless
//! `IQNET_REQUIRE_POSTGRES=1` (set by `.ci/run`), which makes them fail instead.

// Test code: a failed expectation is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

mod auth;
mod contract;
mod conventions;
mod counselling;
mod idempotency;
mod reference;
mod structure;
mod tenancy;
