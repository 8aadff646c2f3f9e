//! Black-box HTTP tests: each test starts the real server on a random port against a database of
//! its own (a temporary SQLite file, or a fresh PostgreSQL database) and talks to it over HTTP
//! only.
//!
//! The binary has its own harness (`support::harness`, libtest-mimic): each module lists its
//! tests with `trials!`, and each backend test runs as `<module>::sqlite::<name>` and
//! `<module>::postgres::<name>`. PostgreSQL is the server at `TEST_DATABASE_URL`, by default
//! `postgres://postgres@127.0.0.1:5432/postgres`; when none answers, the PostgreSQL trials are
//! reported as ignored, or fail with `IQNET_REQUIRE_POSTGRES=1` (set by `.ci/run` under CI).
//! The usual arguments work: `cargo test -p iqnet-tests -- counselling::cases --list`.

// Test code: a failed expectation is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

mod auth;
mod contract;
mod contract_yaml;
mod conventions;
mod counselling;
mod idempotency;
mod input;
mod intercultural;
mod qualification;
mod reference;
mod seed;
mod sessions;
mod skilled_workers;
mod structure;
mod tenancy;

fn main() -> std::process::ExitCode {
    if let Some(code) = support::process::serve_if_asked() {
        return code;
    }
    quiet_simulated_crashes();
    let args = libtest_mimic::Arguments::from_args();
    let trials = [
        support::harness::trials(),
        support::database::trials(),
        auth::trials(),
        contract::trials(),
        contract_yaml::trials(),
        conventions::trials(),
        counselling::trials(),
        idempotency::trials(),
        input::trials(),
        intercultural::trials(),
        qualification::trials(),
        reference::trials(),
        seed::trials(),
        sessions::trials(),
        skilled_workers::trials(),
        structure::trials(),
        tenancy::trials(),
    ]
    .into_iter()
    .flatten()
    .collect();
    libtest_mimic::run(&args, trials).exit_code()
}

/// The crashes `crash_after_next_commit` simulates are expected: their panic message (and a
/// backtrace, under `RUST_BACKTRACE`) would only be noise between the results.
fn quiet_simulated_crashes() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied());
        if message != Some(support::app::SIMULATED_CRASH) {
            report(info);
        }
    }));
}
