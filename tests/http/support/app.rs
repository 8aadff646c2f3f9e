//! `TestApp`: one server, one database, and a helper per endpoint the suites call repeatedly.

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use iqnet_conventions::config::Settings;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};

use super::call::{Call, expect_json, id};
use super::database::TestDb;
use super::process::{self, ServerProcess};
use super::{ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET, PASSWORD};

/// The panic `crash_after_next_commit` causes; `main` keeps it out of the output.
pub const SIMULATED_CRASH: &str = "simulated crash between a commit and its response";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    admin_token: String,
    /// When set, the next committed change panics before its response is sent (see
    /// `crash_after_next_commit`).
    crash_next_commit: Arc<AtomicBool>,
    server: Server,
    database_url: String,
    db: TestDb,
}

/// Where the server runs: on this process's runtime, or as a process of its own.
enum Server {
    InProcess(actix_web::dev::ServerHandle),
    /// Killed when dropped.
    Process(#[allow(dead_code)] ServerProcess),
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Server::InProcess(handle) = &self.server {
            // Sends the stop command now; the workers wind down on their own threads.
            drop(handle.stop(false));
        }
    }
}

/// The settings of a test server on `database_url`, with `extra` on top.
fn server_vars(database_url: &str, extra: &[(&str, &str)]) -> HashMap<String, String> {
    let mut vars: HashMap<String, String> = [
        ("DATABASE_URL", database_url),
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
    vars
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        Self::sqlite_with(&[]).await
    }

    pub async fn sqlite_with(extra: &[(&str, &str)]) -> TestApp {
        let (db, url) = TestDb::sqlite();
        Self::start(url, db, extra).await
    }

    /// Only for trials the harness runs when PostgreSQL answers (`backends:` or `postgres:`).
    pub async fn postgres() -> TestApp {
        Self::postgres_with(&[]).await
    }

    pub async fn postgres_with(extra: &[(&str, &str)]) -> TestApp {
        let (db, url) = tokio::task::spawn_blocking(TestDb::postgres)
            .await
            .expect("create database task");
        Self::start(url, db, extra).await
    }

    async fn start(database_url: String, db: TestDb, extra: &[(&str, &str)]) -> TestApp {
        let vars = server_vars(&database_url, extra);
        let settings = Settings::from_lookup(|k| vars.get(k).cloned()).expect("settings");
        let database_url = database_url.clone();
        let mut state = tokio::task::spawn_blocking(move || iqnet_api::server::prepare(settings))
            .await
            .expect("prepare task")
            .expect("prepare");
        let crash_next_commit = Arc::new(AtomicBool::new(false));
        let crash = crash_next_commit.clone();
        state.after_commit = Some(Arc::new(move || {
            if crash.swap(false, Ordering::SeqCst) {
                panic!("{SIMULATED_CRASH}");
            }
        }));
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
            crash_next_commit,
            database_url,
            server: Server::InProcess(handle),
            db,
        }
    }

    /// A second server on the same database in a process of its own, as separate machines
    /// run it: it shares no memory, pool or cache with this one.
    pub async fn another_process(&self) -> TestApp {
        let vars = server_vars(&self.database_url, &[]);
        let process = tokio::task::spawn_blocking(move || process::spawn(&vars))
            .await
            .expect("spawn task")
            .expect("server process");
        let client = reqwest::Client::new();
        let admin_token = token(&client, &process.base, ADMIN_EMAIL, ADMIN_PASSWORD).await;
        TestApp {
            base: process.base.clone(),
            client,
            admin_token,
            crash_next_commit: Arc::new(AtomicBool::new(false)),
            database_url: self.database_url.clone(),
            server: Server::Process(process),
            db: TestDb::Moved,
        }
    }

    /// Makes the next change the server commits fail before its response is sent, as if the
    /// process died right after the commit: the client sees a 500 (or nothing), the change stays.
    pub fn crash_after_next_commit(&self) {
        self.crash_next_commit.store(true, Ordering::SeqCst);
    }

    /// Stops this server and starts another on the same database with other settings (as a
    /// deployment does).
    pub async fn restart(mut self, extra: &[(&str, &str)]) -> TestApp {
        if let Server::InProcess(handle) = &self.server {
            handle.stop(true).await;
        }
        let db = std::mem::replace(&mut self.db, TestDb::Moved);
        Self::start(self.database_url.clone(), db, extra).await
    }

    /// A second server on the same database, as a deployment of several instances runs. The
    /// database stays this app's: it is dropped with this one.
    pub async fn another_instance(&self) -> TestApp {
        Self::start(self.database_url.clone(), TestDb::Moved, &[]).await
    }

    /// Runs `iqnet seed-demo --scale <scale>` on this app's database.
    pub async fn seed_demo(&self, scale: f64) -> Result<String, String> {
        let url = self.database_url.clone();
        tokio::task::spawn_blocking(move || {
            let db = iqnet_persistence::Database::connect(&url, &Default::default())
                .map_err(|e| e.to_string())?;
            iqnet_api::seed::seed_demo(&db, scale, false).map(|summary| summary.to_string())
        })
        .await
        .expect("seed task")
    }

    /// Drops the test's PostgreSQL database under the running server.
    pub async fn drop_database(&self) {
        tokio::task::block_in_place(|| self.db.drop_postgres());
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

    /// `GET path` with no credentials.
    pub fn public(&self, path: &str) -> Call {
        Call::new(self.anon(Method::GET, path))
    }

    pub fn get(&self, token: &str, path: &str) -> Call {
        Call::new(self.req(token, Method::GET, path))
    }

    pub fn post(&self, token: &str, path: &str, body: &Value) -> Call {
        Call::new(self.req(token, Method::POST, path)).json(body)
    }

    pub fn patch(&self, token: &str, path: &str, body: &Value) -> Call {
        Call::new(self.req(token, Method::PATCH, path)).json(body)
    }

    pub async fn token(&self, email: &str, password: &str) -> String {
        token(&self.client, &self.base, email, password).await
    }

    /// Creates an organisation as the admin; returns its JSON.
    pub async fn organisation(&self, name: &str, state: &str) -> Value {
        self.post(
            self.admin(),
            "/v1/organisations",
            &json!({ "name": name, "kind": "provider", "state": state }),
        )
        .created()
        .await
    }

    /// Creates a user as the admin and signs them in; returns `(user JSON, token)`.
    pub async fn user(&self, role: &str, organisation_id: Option<&str>) -> (Value, String) {
        let email = format!("{role}-{}@example.org", uuid::Uuid::now_v7().simple());
        let user = self
            .post(
                self.admin(),
                "/v1/users",
                &json!({ "email": email, "display_name": "Test User", "role": role,
                         "organisation_id": organisation_id, "password": PASSWORD }),
            )
            .created()
            .await;
        let token = self.token(&email, PASSWORD).await;
        (user, token)
    }

    /// Two organisations, `IQ Berlin` (DE-BE) and `IQ Hamburg` (DE-HH), and a coordinator of
    /// the Berlin network; returns `(berlin, hamburg, coordinator token)`.
    pub async fn berlin_coordinator(&self) -> (Value, Value, String) {
        let berlin = self.organisation("IQ Berlin", "DE-BE").await;
        let hamburg = self.organisation("IQ Hamburg", "DE-HH").await;
        let (_, coordinator) = self
            .user("network_coordinator", berlin["id"].as_str())
            .await;
        (berlin, hamburg, coordinator)
    }

    /// Creates a machine client (`partner` or `analyst`) as the admin; returns its JSON.
    pub async fn api_client(&self, role: &str, organisation_id: Option<&str>) -> Value {
        self.post(
            self.admin(),
            "/v1/api-clients",
            &json!({ "name": format!("{role} client"), "role": role,
                     "organisation_id": organisation_id }),
        )
        .created()
        .await
    }

    /// A new counselling organisation in `state` with a counsellor; returns `(organisation,
    /// counsellor token)`.
    pub async fn counsellor(&self, state: &str) -> (Value, String) {
        let org = self.organisation("Beratungszentrum", state).await;
        let (_, token) = self.user("counsellor", org["id"].as_str()).await;
        (org, token)
    }

    /// `GET /v1/advice-centres?<query>`: the names of the centres found, in order.
    pub async fn find_centres(&self, query: &str) -> Vec<String> {
        let page = self
            .public(&format!("/v1/advice-centres?{query}"))
            .ok()
            .await;
        items(&page)
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect()
    }

    pub fn get_seeker(&self, token: &str, seeker: &Value) -> Call {
        self.get(token, &format!("/v1/advice-seekers/{}", id(seeker)))
    }

    pub fn journey(&self, token: &str, seeker: &Value) -> Call {
        self.get(token, &format!("/v1/advice-seekers/{}/journey", id(seeker)))
    }

    pub fn withdraw_consent(&self, token: &str, seeker: &Value, purpose: &str) -> Call {
        let path = format!(
            "/v1/advice-seekers/{}/consents/{purpose}/withdrawal",
            id(seeker)
        );
        self.post(token, &path, &json!({}))
    }

    pub fn get_case(&self, token: &str, case: &Value) -> Call {
        self.get(token, &format!("/v1/counselling-cases/{}", id(case)))
    }

    /// `POST /v1/counselling-cases/{id}/actions`.
    pub fn case_action(&self, token: &str, case: &Value, action: &Value) -> Call {
        let path = format!("/v1/counselling-cases/{}/actions", id(case));
        self.post(token, &path, action)
    }

    pub fn get_procedure(&self, token: &str, procedure: &Value) -> Call {
        self.get(
            token,
            &format!("/v1/recognition-procedures/{}", id(procedure)),
        )
    }

    /// `POST /v1/recognition-procedures/{id}/actions`.
    pub fn procedure_action(&self, token: &str, procedure: &Value, action: &Value) -> Call {
        let path = format!("/v1/recognition-procedures/{}/actions", id(procedure));
        self.post(token, &path, action)
    }

    /// A procedure action that must succeed; returns the procedure after it.
    pub async fn step(&self, token: &str, procedure: &Value, action: Value) -> Value {
        self.procedure_action(token, procedure, &action).ok().await
    }

    /// A procedure action that carries nothing but its date.
    pub fn dated_action(&self, token: &str, procedure: &Value, action: &str, date: &str) -> Call {
        self.procedure_action(token, procedure, &json!({"action": action, "date": date}))
    }

    /// A dated procedure action that must succeed; returns the procedure after it.
    pub async fn advance(&self, token: &str, procedure: &Value, action: &str, date: &str) -> Value {
        self.dated_action(token, procedure, action, date).ok().await
    }

    pub fn get_referral(&self, token: &str, referral: &Value) -> Call {
        self.get(token, &format!("/v1/referrals/{}", id(referral)))
    }

    /// `POST /v1/referrals/{id}/actions`.
    pub fn referral_action(&self, token: &str, referral: &Value, action: &Value) -> Call {
        let path = format!("/v1/referrals/{}/actions", id(referral));
        self.post(token, &path, action)
    }
}

/// A page's `items`.
pub fn items(page: &Value) -> &Vec<Value> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a page: {page}"))
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
