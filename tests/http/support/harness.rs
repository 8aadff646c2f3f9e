//! The test binary's own harness (libtest-mimic): each test function becomes a trial named
//! `<module>::<name>`, and each backend test two, `<module>::sqlite::<name>` and
//! `<module>::postgres::<name>`.
//!
//! A PostgreSQL trial runs when a server answers at `TEST_DATABASE_URL` (by default
//! `postgres://postgres@127.0.0.1:5432/postgres`, probed once per process). Otherwise it is
//! reported as ignored with the reason, never as passed; with `IQNET_REQUIRE_POSTGRES=1` it fails.

use std::future::Future;
use std::pin::Pin;

use libtest_mimic::{Completion, Failed, Trial};

use super::TestApp;
use super::database;

/// A test's body, boxed so that plain `async fn`s of one shape fit one type.
pub type Pending = Pin<Box<dyn Future<Output = ()>>>;

/// Lists a module's tests as trials: `pub(crate) fn trials()`, for `main` to collect.
///
/// - `backends:` `async fn name(app: TestApp)`, run on SQLite and on PostgreSQL;
/// - `sqlite:` `async fn name()` that starts its own (SQLite) app;
/// - `postgres:` `async fn name()` that starts its own PostgreSQL app;
/// - `plain:` `fn name()`.
macro_rules! trials {
    ($($kind:ident: $($name:ident),+ $(,)?;)+) => {
        pub(crate) fn trials() -> Vec<libtest_mimic::Trial> {
            let mut trials = Vec::new();
            $($(trials.extend(trials!(@one $kind $name));)+)+
            trials
        }
    };
    (@one backends $name:ident) => {
        $crate::support::harness::backends(
            module_path!(),
            stringify!($name),
            |app| -> $crate::support::harness::Pending { Box::pin($name(app)) },
        )
    };
    (@one sqlite $name:ident) => {
        [$crate::support::harness::sqlite(
            module_path!(),
            stringify!($name),
            || -> $crate::support::harness::Pending { Box::pin($name()) },
        )]
    };
    (@one postgres $name:ident) => {
        [$crate::support::harness::postgres(
            module_path!(),
            stringify!($name),
            || -> $crate::support::harness::Pending { Box::pin($name()) },
        )]
    };
    (@one plain $name:ident) => {
        [$crate::support::harness::plain(module_path!(), stringify!($name), $name)]
    };
}

/// `http::counselling::cases` -> `counselling::cases::<parts>`.
fn trial_name(module: &str, parts: &[&str]) -> String {
    let module = module.split_once("::").map_or("", |(_, rest)| rest);
    std::iter::once(module)
        .chain(parts.iter().copied())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("::")
}

/// One trial per backend.
pub fn backends(module: &str, name: &str, test: fn(TestApp) -> Pending) -> [Trial; 2] {
    [
        Trial::test(trial_name(module, &["sqlite", name]), move || {
            block_on(Box::pin(async move { test(TestApp::sqlite().await).await }))
        }),
        postgres(module, &format!("postgres::{name}"), move || {
            Box::pin(async move { test(TestApp::postgres().await).await })
        }),
    ]
}

pub fn sqlite(module: &str, name: &str, test: impl FnOnce() -> Pending + Send + 'static) -> Trial {
    Trial::test(trial_name(module, &[name]), move || block_on(test()))
}

/// Runs when PostgreSQL answers; ignored (or, when it is required, failed) when it does not.
pub fn postgres(
    module: &str,
    name: &str,
    test: impl FnOnce() -> Pending + Send + 'static,
) -> Trial {
    Trial::ignorable_test(
        trial_name(module, &[name]),
        move || match database::postgres_server() {
            Ok(_) => block_on(test()).map(|()| Completion::Completed),
            Err(missing) if database::postgres_required() => {
                Err(format!("IQNET_REQUIRE_POSTGRES=1 but there is {missing}").into())
            }
            Err(missing) => Ok(Completion::ignored_with(missing)),
        },
    )
}

pub fn plain(module: &str, name: &str, test: fn()) -> Trial {
    Trial::test(trial_name(module, &[name]), move || {
        test();
        Ok(())
    })
}

/// Each trial has a runtime of its own, as `#[tokio::test(flavor = "multi_thread",
/// worker_threads = 2)]` gives.
fn block_on(test: Pending) -> Result<(), Failed> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    runtime.block_on(test);
    Ok(())
}

fn trial_names_drop_the_crate_and_keep_the_backend() {
    assert_eq!(
        trial_name("http::counselling::cases", &["sqlite", "x"]),
        "counselling::cases::sqlite::x"
    );
    assert_eq!(trial_name("http::auth", &["y"]), "auth::y");
}

trials! {
    plain: trial_names_drop_the_crate_and_keep_the_backend;
}
