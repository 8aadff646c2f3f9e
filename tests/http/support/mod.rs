//! What every suite shares: the harness that turns test functions into trials, a `TestApp` per
//! test, calls with their expected answers, and builders for the resources the suites create.

#[macro_use]
pub mod harness;
pub mod app;
pub mod builders;
pub mod call;
pub mod database;
pub mod process;

pub use app::TestApp;
pub use call::{expect_json, expect_problem, id};

pub const ADMIN_EMAIL: &str = "admin@example.org";
pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";
pub const JWT_SECRET: &str = "a-test-secret-that-is-long-enough-for-hs256";
pub const PASSWORD: &str = "a-password-for-tests";
