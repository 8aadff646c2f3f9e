//! `TestApp`: one server, one database, and a helper per common step.

use std::collections::HashMap;
use std::net::TcpListener;

use diesel::{Connection, RunQueryDsl};
use iqnet_conventions::config::Settings;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};

pub const ADMIN_EMAIL: &str = "admin@example.org";
pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";
pub const JWT_SECRET: &str = "a-test-secret-that-is-long-enough-for-hs256";
pub const PASSWORD: &str = "a-password-for-tests";

/// Runs each named `async fn name(app: TestApp)` on SQLite and on PostgreSQL.
macro_rules! backend_tests {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::TestApp::sqlite().await).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(app) = $crate::support::TestApp::postgres().await {
                        super::$name(app).await
                    }
                }
            )+
        }
    };
}

/// A database that disappears with the test.
enum TestDb {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { server_url: String, name: String },
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let TestDb::Postgres { server_url, name } = self else {
            return;
        };
        if let Ok(mut conn) = diesel::pg::PgConnection::establish(server_url) {
            let drop = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            let _ = diesel::sql_query(drop).execute(&mut conn);
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    admin_token: String,
    server: actix_web::dev::ServerHandle,
    db: TestDb,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Sends the stop command now; the workers wind down on their own threads.
        drop(self.server.stop(false));
    }
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        Self::sqlite_with(&[]).await
    }

    pub async fn sqlite_with(extra: &[(&str, &str)]) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("iqnet.db").display());
        Self::start(url, TestDb::Sqlite(dir), extra).await
    }

    /// `None` when no PostgreSQL is configured (and none is required).
    pub async fn postgres() -> Option<TestApp> {
        Self::postgres_with(&[]).await
    }

    pub async fn postgres_with(extra: &[(&str, &str)]) -> Option<TestApp> {
        let Ok(server_url) = std::env::var("TEST_DATABASE_URL") else {
            assert!(
                std::env::var("IQNET_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "IQNET_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set"
            );
            return None;
        };
        let name = format!("iqnet_test_{}", uuid::Uuid::now_v7().simple());
        let created_url = {
            let (server_url, name) = (server_url.clone(), name.clone());
            tokio::task::spawn_blocking(move || {
                let mut conn = diesel::pg::PgConnection::establish(&server_url)
                    .expect("connect to TEST_DATABASE_URL");
                diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
                    .execute(&mut conn)
                    .expect("create test database");
                with_database(&server_url, &name)
            })
            .await
            .expect("create database task")
        };
        Some(Self::start(created_url, TestDb::Postgres { server_url, name }, extra).await)
    }

    async fn start(database_url: String, db: TestDb, extra: &[(&str, &str)]) -> TestApp {
        let mut vars: HashMap<String, String> = [
            ("DATABASE_URL", database_url.as_str()),
            ("IQNET_JWT_SECRET", JWT_SECRET),
            ("IQNET_ADMIN_EMAIL", ADMIN_EMAIL),
            ("IQNET_ADMIN_PASSWORD", ADMIN_PASSWORD),
            ("IQNET_WORKERS", "2"),
            ("IQNET_DB_POOL_SIZE", "4"),
            ("IQNET_SHUTDOWN_TIMEOUT_SECS", "0"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        for (k, v) in extra {
            vars.insert(k.to_string(), v.to_string());
        }
        let settings = Settings::from_lookup(|k| vars.get(k).cloned()).expect("settings");
        let state = tokio::task::spawn_blocking(move || iqnet_api::server::prepare(settings))
            .await
            .expect("prepare task")
            .expect("prepare");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let server = iqnet_api::server::serve(state, listener).expect("serve");
        let handle = server.handle();
        tokio::spawn(server);
        let client = reqwest::Client::new();
        let admin_token = token(&client, &base, ADMIN_EMAIL, ADMIN_PASSWORD).await;
        TestApp {
            base,
            client,
            admin_token,
            server: handle,
            db,
        }
    }

    /// Drops the test's PostgreSQL database under the running server.
    pub async fn drop_database(&self) {
        let TestDb::Postgres { server_url, name } = &self.db else {
            panic!("a PostgreSQL test")
        };
        let (server_url, name) = (server_url.clone(), name.clone());
        tokio::task::spawn_blocking(move || {
            let mut conn = diesel::pg::PgConnection::establish(&server_url).unwrap();
            diesel::sql_query(format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
                .execute(&mut conn)
                .unwrap();
        })
        .await
        .unwrap();
    }

    pub fn admin(&self) -> &str {
        &self.admin_token
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request with no credentials.
    pub fn anon(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// A request carrying `token`.
    pub fn req(&self, token: &str, method: Method, path: &str) -> RequestBuilder {
        self.anon(method, path).bearer_auth(token)
    }

    pub async fn token(&self, email: &str, password: &str) -> String {
        token(&self.client, &self.base, email, password).await
    }

    /// Creates an organisation as the admin; returns its JSON.
    pub async fn organisation(&self, name: &str, state: &str) -> Value {
        let res = self
            .req(self.admin(), Method::POST, "/v1/organisations")
            .json(&json!({ "name": name, "kind": "provider", "state": state }))
            .send()
            .await
            .expect("send");
        expect_json(res, StatusCode::CREATED).await
    }

    /// Creates a user as the admin and signs them in; returns `(user JSON, token)`.
    pub async fn user(&self, role: &str, organisation_id: Option<&str>) -> (Value, String) {
        let email = format!("{role}-{}@example.org", uuid::Uuid::now_v7().simple());
        let res = self
            .req(self.admin(), Method::POST, "/v1/users")
            .json(
                &json!({ "email": email, "display_name": "Test User", "role": role,
                           "organisation_id": organisation_id, "password": PASSWORD }),
            )
            .send()
            .await
            .expect("send");
        let user = expect_json(res, StatusCode::CREATED).await;
        let token = self.token(&email, PASSWORD).await;
        (user, token)
    }
}

fn with_database(server_url: &str, name: &str) -> String {
    let (base, query) = server_url
        .split_once('?')
        .map_or((server_url, None), |(b, q)| (b, Some(q)));
    let authority = base.find("//").map_or(0, |i| i + 2);
    let root = base[authority..]
        .find('/')
        .map_or(base, |i| &base[..authority + i]);
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}
async fn token(client: &reqwest::Client, base: &str, email: &str, password: &str) -> String {
    let res = client
        .post(format!("{base}/v1/auth/token"))
        .form(&[
            ("grant_type", "password"),
            ("username", email),
            ("password", password),
        ])
        .send()
        .await
        .expect("send");
    let body = expect_json(res, StatusCode::OK).await;
    body["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// Asserts the status and returns the JSON body, printing the body when the status is wrong.
pub async fn expect_json(res: Response, status: StatusCode) -> Value {
    let actual = res.status();
    let text = res.text().await.expect("body");
    assert_eq!(actual, status, "unexpected status; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Asserts a complete problem+json answer with `status` and returns it.
pub async fn expect_problem(res: Response, status: StatusCode) -> Value {
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let request_id = res
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = expect_json(res, status).await;
    assert_eq!(
        content_type, "application/problem+json",
        "problem content type; body: {body}"
    );
    assert_eq!(body["status"], status.as_u16(), "{body}");
    assert!(
        body["type"]
            .as_str()
            .is_some_and(|t| t.starts_with("urn:iqnet:problem:")),
        "{body}"
    );
    for member in ["title", "detail", "instance", "request_id"] {
        assert!(body[member].is_string(), "problem lacks `{member}`: {body}");
    }
    assert_eq!(
        body["request_id"].as_str(),
        request_id.as_deref(),
        "request_id matches the X-Request-Id header"
    );
    body
}

#[test]
fn the_test_database_url_is_swapped_for_the_new_database() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        with_database(
            "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
            "t1"
        ),
        "postgres://postgres@127.0.0.1:5432/t1?sslmode=disable"
    );
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
}
