//! Priority area 4 through HTTP, one file per resource: skilled-worker networks and their
//! members, events and the public calendar, employer consultations, accelerated procedures,
//! and the roles across two regional networks.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::call::id;

mod accelerated;
mod consultations;
mod events;
mod networks;
mod report;
mod roles;

pub(crate) fn trials() -> Vec<libtest_mimic::Trial> {
    [
        networks::trials(),
        events::trials(),
        consultations::trials(),
        accelerated::trials(),
        report::trials(),
        roles::trials(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// An organisation of `kind` in `state`, created by the admin.
async fn organisation(app: &TestApp, name: &str, kind: &str, state: &str) -> Value {
    app.post(
        app.admin(),
        "/v1/organisations",
        &json!({ "name": name, "kind": kind, "state": state }),
    )
    .created()
    .await
}

/// One regional skilled-worker network and the people acting in it.
struct Region {
    /// A coordinator of the federal state's regional network.
    regional: String,
    /// The network's coordinating organisation and a counsellor of it.
    coordinator: Value,
    counsellor: String,
    /// A member: the foreigners' authority, and a member of its staff.
    authority: Value,
    authority_staff: String,
    /// A company asking for advice (not a member).
    company: Value,
    network: Value,
}

/// A network in `state` with the foreigners' authority as a member since 2026-01-01.
async fn region(app: &TestApp, state: &str) -> Region {
    let coordinator = organisation(app, "Welcome Center", "welcome_center", state).await;
    let (_, regional) = app
        .user("network_coordinator", coordinator["id"].as_str())
        .await;
    let (_, counsellor) = app.user("counsellor", coordinator["id"].as_str()).await;
    let authority = organisation(app, "Ausländerbehörde", "foreigners_authority", state).await;
    let (_, authority_staff) = app.user("counsellor", authority["id"].as_str()).await;
    let company = organisation(app, "Pflegedienst Sonnenschein", "company_sme", state).await;
    let network = app
        .post(
            &regional,
            "/v1/skilled-worker-networks",
            &json!({"regional_network": state, "name": format!("Fachkräftenetzwerk {state}"),
                    "coordinator_organisation_id": id(&coordinator)}),
        )
        .created()
        .await;
    let network = join(app, &regional, &network, &authority, "foreigners_authority").await;
    Region {
        regional,
        coordinator,
        counsellor,
        authority,
        authority_staff,
        company,
        network,
    }
}

/// `organisation` joins `network` on 2026-01-01 as a member representing `kind`.
async fn join(
    app: &TestApp,
    token: &str,
    network: &Value,
    organisation: &Value,
    kind: &str,
) -> Value {
    let path = format!("/v1/skilled-worker-networks/{}/members", id(network));
    app.post(
        token,
        &path,
        &json!({"organisation_id": id(organisation), "role": "member",
                "stakeholder_kind": kind, "joined_on": "2026-01-01"}),
    )
    .ok()
    .await
}

/// `path` under the network: `/v1/skilled-worker-networks/{id}/<path>`.
fn under(network: &Value, path: &str) -> String {
    format!("/v1/skilled-worker-networks/{}/{path}", id(network))
}
