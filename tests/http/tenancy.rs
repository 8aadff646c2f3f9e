//! Who sees what: personal data (users) stays within the caller's organisation or network, and
//! anything outside answers 404, never revealing that it exists.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{PASSWORD, TestApp, id};

trials! {
    backends:
        a_counsellor_gets_404_for_another_organisations_user,
        a_coordinator_sees_and_manages_only_their_network,
        analysts_and_partners_never_see_personal_data,
        staff_may_change_their_own_name_and_password_but_not_their_role,
        a_coordinator_sees_and_manages_only_the_clients_it_could_create,
        a_coordinator_creates_sub_projects_only_for_organisations_of_their_network,
        a_taken_email_tells_a_coordinator_nothing_about_the_other_account;
    sqlite:
        a_coordinator_cannot_take_over_accounts;
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_counsellor_gets_404_for_another_organisations_user(app: TestApp) {
    let a = app.organisation("Centre A", "DE-BE").await;
    let b = app.organisation("Centre B", "DE-BE").await;
    let (alice, alice_token) = app.user("counsellor", a["id"].as_str()).await;
    let (colleague, _) = app.user("counsellor", a["id"].as_str()).await;
    let (bob, _) = app.user("counsellor", b["id"].as_str()).await;

    let path = |u: &Value| format!("/v1/users/{}", u["id"].as_str().unwrap());
    let not_found = app
        .get(&alice_token, &path(&bob))
        .problem(StatusCode::NOT_FOUND)
        .await;
    // Exactly the answer for an id that does not exist at all.
    let missing = app
        .get(&alice_token, &format!("/v1/users/{}", uuid::Uuid::now_v7()))
        .problem(StatusCode::NOT_FOUND)
        .await;
    assert_eq!(not_found["detail"], missing["detail"]);
    assert_eq!(not_found["type"], missing["type"]);

    app.get(&alice_token, &path(&colleague)).ok().await;
    let page = app.get(&alice_token, "/v1/users").ok().await;
    let mut expected = vec![
        alice["id"].as_str().unwrap().to_owned(),
        colleague["id"].as_str().unwrap().to_owned(),
    ];
    expected.sort();
    assert_eq!(ids(&page), expected, "only the own organisation's users");

    // Nor can a PATCH reach the other organisation's user.
    app.patch(
        &alice_token,
        &path(&bob),
        &json!({"display_name": "Hacked"}),
    )
    .problem(StatusCode::NOT_FOUND)
    .await;
    let bob_now = app.get(app.admin(), &path(&bob)).ok().await;
    assert_eq!(bob_now["display_name"], "Test User");
}

async fn a_coordinator_sees_and_manages_only_their_network(app: TestApp) {
    let berlin = app.organisation("IQ Berlin", "DE-BE").await;
    let hamburg = app.organisation("IQ Hamburg", "DE-HH").await;
    let (_, coordinator) = app.user("network_coordinator", berlin["id"].as_str()).await;
    let (in_network, _) = app.user("counsellor", berlin["id"].as_str()).await;
    let (elsewhere, _) = app.user("counsellor", hamburg["id"].as_str()).await;

    let page = app
        .get(&coordinator, "/v1/users?role=counsellor")
        .ok()
        .await;
    assert_eq!(ids(&page), [in_network["id"].as_str().unwrap()]);
    app.get(
        &coordinator,
        &format!("/v1/users/{}", elsewhere["id"].as_str().unwrap()),
    )
    .problem(StatusCode::NOT_FOUND)
    .await;

    // Organisations: in their own state only.
    let new_org = |state: &str| json!({"name": "New centre", "kind": "provider", "state": state});
    app.post(&coordinator, "/v1/organisations", &new_org("DE-BE"))
        .created()
        .await;
    app.post(&coordinator, "/v1/organisations", &new_org("DE-HH"))
        .problem(StatusCode::FORBIDDEN)
        .await;
    app.patch(
        &coordinator,
        &format!("/v1/organisations/{}", berlin["id"].as_str().unwrap()),
        &json!({"state": "DE-HH"}),
    )
    .problem(StatusCode::FORBIDDEN)
    .await;

    // Users: not as national admin, not in another network.
    let new_user = |role: &str, org: &Value| {
        json!({"email": format!("{role}-{}@example.org", uuid::Uuid::now_v7().simple()), "display_name": "N",
               "role": role, "organisation_id": org["id"], "password": "long-enough-password"})
    };
    app.post(&coordinator, "/v1/users", &new_user("trainer", &berlin))
        .created()
        .await;
    app.post(
        &coordinator,
        "/v1/users",
        &new_user("national_admin", &berlin),
    )
    .problem(StatusCode::FORBIDDEN)
    .await;
    app.post(&coordinator, "/v1/users", &new_user("counsellor", &hamburg))
        .problem(StatusCode::FORBIDDEN)
        .await;
}

async fn analysts_and_partners_never_see_personal_data(app: TestApp) {
    let org = app.organisation("Centre", "DE-BE").await;
    let (someone, _) = app.user("counsellor", org["id"].as_str()).await;
    let (_, analyst) = app.user("analyst", None).await;
    for path in [
        "/v1/users".to_owned(),
        format!("/v1/users/{}", someone["id"].as_str().unwrap()),
        "/v1/api-clients".to_owned(),
    ] {
        app.get(&analyst, &path)
            .problem(StatusCode::FORBIDDEN)
            .await;
    }
    // Structure without personal data stays readable.
    app.get(&analyst, "/v1/organisations").ok().await;
}

async fn staff_may_change_their_own_name_and_password_but_not_their_role(app: TestApp) {
    let org = app.organisation("Centre", "DE-BE").await;
    let (me, token) = app.user("counsellor", org["id"].as_str()).await;
    let path = format!("/v1/users/{}", me["id"].as_str().unwrap());
    app.patch(&token, &path, &json!({"role": "national_admin"}))
        .problem(StatusCode::FORBIDDEN)
        .await;
    let updated = app
        .patch(
            &token,
            &path,
            &json!({"display_name": "Renamed", "password": "a-brand-new-password",
                "current_password": PASSWORD}),
        )
        .ok()
        .await;
    assert_eq!(updated["display_name"], "Renamed");
    assert_eq!(updated["role"], "counsellor");
    assert_eq!(updated["version"], 2);
    app.token(me["email"].as_str().unwrap(), "a-brand-new-password")
        .await;
}

/// A coordinator cannot reach above their grants: not an admin's account, not another's password.
async fn a_coordinator_cannot_take_over_accounts() {
    let app = TestApp::sqlite().await;
    let berlin = app.organisation("IQ Berlin", "DE-BE").await;
    let (_, coordinator) = app.user("network_coordinator", berlin["id"].as_str()).await;
    let (admin_in_berlin, _) = app.user("national_admin", berlin["id"].as_str()).await;
    let (counsellor, _) = app.user("counsellor", berlin["id"].as_str()).await;
    let path = |u: &Value| format!("/v1/users/{}", u["id"].as_str().unwrap());
    for body in [
        json!({"password": "a-takeover-password"}),
        json!({"role": "counsellor"}),
        json!({"active": false}),
    ] {
        app.patch(&coordinator, &path(&admin_in_berlin), &body)
            .problem(StatusCode::FORBIDDEN)
            .await;
    }
    app.patch(
        &coordinator,
        &path(&counsellor),
        &json!({"password": "a-takeover-password"}),
    )
    .problem(StatusCode::FORBIDDEN)
    .await;
    // What a coordinator may do: deactivate a counsellor of the network.
    assert_eq!(
        app.patch(&coordinator, &path(&counsellor), &json!({"active": false}))
            .ok()
            .await["active"],
        false
    );
    // A national admin may reset a password.
    app.patch(
        app.admin(),
        &path(&counsellor),
        &json!({"password": "a-reset-password-123"}),
    )
    .ok()
    .await;
}

/// A coordinator sees and manages the clients it could create (partner clients of its network);
/// any other, such as an analyst's client the admin created for one of its organisations, is a
/// 404 to it, exactly as an id that does not exist.
async fn a_coordinator_sees_and_manages_only_the_clients_it_could_create(app: TestApp) {
    let (berlin, hamburg, coordinator) = app.berlin_coordinator().await;
    let analyst = app.api_client("analyst", berlin["id"].as_str()).await;
    let partner = app.api_client("partner", berlin["id"].as_str()).await;
    app.api_client("partner", hamburg["id"].as_str()).await;
    let path = |c: &Value| format!("/v1/api-clients/{}", id(c));

    let hidden = app
        .get(&coordinator, &path(&analyst))
        .problem(StatusCode::NOT_FOUND)
        .await;
    let missing = app
        .get(
            &coordinator,
            &format!("/v1/api-clients/{}", uuid::Uuid::now_v7()),
        )
        .problem(StatusCode::NOT_FOUND)
        .await;
    assert_eq!(hidden["detail"], missing["detail"]);
    app.patch(&coordinator, &path(&analyst), &json!({"active": false}))
        .problem(StatusCode::NOT_FOUND)
        .await;
    assert_eq!(
        app.get(app.admin(), &path(&analyst)).ok().await["active"],
        true
    );
    let all = app.get(&coordinator, "/v1/api-clients").ok().await;
    assert_eq!(ids(&all), [id(&partner)]);
    let analysts = app
        .get(&coordinator, "/v1/api-clients?role=analyst")
        .ok()
        .await;
    assert!(ids(&analysts).is_empty());

    app.get(&coordinator, &path(&partner)).ok().await;
    let revoked = app
        .patch(&coordinator, &path(&partner), &json!({"active": false}))
        .ok()
        .await;
    assert_eq!(revoked["active"], false);
    // The admin still sees every client.
    let everything = app.get(app.admin(), "/v1/api-clients").ok().await;
    assert_eq!(ids(&everything).len(), 3);
}

/// The organisation's state decides where a sub-project is: a coordinator cannot create one for
/// another network's organisation by naming its own network, and nobody can place one outside
/// its organisation's network.
async fn a_coordinator_creates_sub_projects_only_for_organisations_of_their_network(app: TestApp) {
    let (berlin, hamburg, coordinator) = app.berlin_coordinator().await;
    let new = |org: &Value, network: &str| {
        json!({"organisation_id": org["id"], "regional_network": network,
               "priority_area": "counselling", "title": "Beratung", "starts_on": "2023-01-01"})
    };
    for network in ["DE-BE", "DE-HH"] {
        app.post(&coordinator, "/v1/sub-projects", &new(&hamburg, network))
            .problem(StatusCode::FORBIDDEN)
            .await;
    }
    let error = app
        .post(app.admin(), "/v1/sub-projects", &new(&hamburg, "DE-BE"))
        .invalid()
        .await;
    assert_eq!(error["field"], "regional_network");
    let hamburgs = format!("/v1/sub-projects?organisation_id={}", id(&hamburg));
    assert!(ids(&app.get(app.admin(), &hamburgs).ok().await).is_empty());

    let own = app
        .post(&coordinator, "/v1/sub-projects", &new(&berlin, "DE-BE"))
        .created()
        .await;
    assert_eq!(own["regional_network"], "DE-BE");
    app.post(app.admin(), "/v1/sub-projects", &new(&hamburg, "DE-HH"))
        .created()
        .await;
}

/// An e-mail is unique nationwide, so a refusal says it is taken; it says nothing else to a
/// coordinator: the same answer whether the other account is in their network or not, and no
/// answer at all about it unless they may grant the role in the organisation first.
async fn a_taken_email_tells_a_coordinator_nothing_about_the_other_account(app: TestApp) {
    let (berlin, hamburg, coordinator) = app.berlin_coordinator().await;
    let (in_network, _) = app.user("counsellor", berlin["id"].as_str()).await;
    let (elsewhere, _) = app.user("counsellor", hamburg["id"].as_str()).await;
    let (admin, _) = app.user("national_admin", None).await;
    let new = |taken: &Value, role: &str, org: &Value| {
        json!({"email": taken["email"], "display_name": "N", "role": role,
               "organisation_id": org["id"], "password": "long-enough-password"})
    };

    let mut answers = Vec::new();
    for taken in [&in_network, &elsewhere, &admin] {
        let mut problem = app
            .post(
                &coordinator,
                "/v1/users",
                &new(taken, "counsellor", &berlin),
            )
            .problem(StatusCode::CONFLICT)
            .await;
        let object = problem.as_object_mut().unwrap();
        object.remove("instance");
        object.remove("request_id");
        answers.push(problem);
    }
    assert_eq!(answers[0], answers[1], "in or outside the network alike");
    assert_eq!(answers[0], answers[2], "whatever the other account's role");
    assert!(answers[0].get("existing").is_none());

    // Authorisation comes before any lookup.
    for (taken, role, org) in [
        (&elsewhere, "counsellor", &hamburg),
        (&admin, "national_admin", &berlin),
    ] {
        app.post(&coordinator, "/v1/users", &new(taken, role, org))
            .problem(StatusCode::FORBIDDEN)
            .await;
    }

    // A national admin sees every account: theirs names the existing one.
    let problem = app
        .post(
            app.admin(),
            "/v1/users",
            &new(&elsewhere, "counsellor", &berlin),
        )
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(problem["existing"], format!("/v1/users/{}", id(&elsewhere)));
}
