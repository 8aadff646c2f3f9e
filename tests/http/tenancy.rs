//! Who sees what: personal data (users) stays within the caller's organisation or network, and
//! anything outside answers 404, never revealing that it exists.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, expect_json, expect_problem};

trials! {
    backends:
        a_counsellor_gets_404_for_another_organisations_user,
        a_coordinator_sees_and_manages_only_their_network,
        analysts_and_partners_never_see_personal_data,
        staff_may_change_their_own_name_and_password_but_not_their_role;
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
    let res = app
        .req(&alice_token, Method::GET, &path(&bob))
        .send()
        .await
        .unwrap();
    let not_found = expect_problem(res, StatusCode::NOT_FOUND).await;
    // Exactly the answer for an id that does not exist at all.
    let res = app
        .req(
            &alice_token,
            Method::GET,
            &format!("/v1/users/{}", uuid::Uuid::now_v7()),
        )
        .send()
        .await
        .unwrap();
    let missing = expect_problem(res, StatusCode::NOT_FOUND).await;
    assert_eq!(not_found["detail"], missing["detail"]);
    assert_eq!(not_found["type"], missing["type"]);

    expect_json(
        app.req(&alice_token, Method::GET, &path(&colleague))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let page = expect_json(
        app.req(&alice_token, Method::GET, "/v1/users")
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let mut expected = vec![
        alice["id"].as_str().unwrap().to_owned(),
        colleague["id"].as_str().unwrap().to_owned(),
    ];
    expected.sort();
    assert_eq!(ids(&page), expected, "only the own organisation's users");

    // Nor can a PATCH reach the other organisation's user.
    let res = app
        .req(&alice_token, Method::PATCH, &path(&bob))
        .json(&json!({"display_name": "Hacked"}))
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::NOT_FOUND).await;
    let bob_now = expect_json(
        app.req(app.admin(), Method::GET, &path(&bob))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(bob_now["display_name"], "Test User");
}

async fn a_coordinator_sees_and_manages_only_their_network(app: TestApp) {
    let berlin = app.organisation("IQ Berlin", "DE-BE").await;
    let hamburg = app.organisation("IQ Hamburg", "DE-HH").await;
    let (_, coordinator) = app.user("network_coordinator", berlin["id"].as_str()).await;
    let (in_network, _) = app.user("counsellor", berlin["id"].as_str()).await;
    let (elsewhere, _) = app.user("counsellor", hamburg["id"].as_str()).await;

    let page = expect_json(
        app.req(&coordinator, Method::GET, "/v1/users?role=counsellor")
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(ids(&page), [in_network["id"].as_str().unwrap()]);
    let res = app
        .req(
            &coordinator,
            Method::GET,
            &format!("/v1/users/{}", elsewhere["id"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::NOT_FOUND).await;

    // Organisations: in their own state only.
    let new_org = |state: &str| json!({"name": "New centre", "kind": "provider", "state": state});
    let res = app
        .req(&coordinator, Method::POST, "/v1/organisations")
        .json(&new_org("DE-BE"))
        .send()
        .await
        .unwrap();
    expect_json(res, StatusCode::CREATED).await;
    let res = app
        .req(&coordinator, Method::POST, "/v1/organisations")
        .json(&new_org("DE-HH"))
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::FORBIDDEN).await;
    let res = app
        .req(
            &coordinator,
            Method::PATCH,
            &format!("/v1/organisations/{}", berlin["id"].as_str().unwrap()),
        )
        .json(&json!({"state": "DE-HH"}))
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::FORBIDDEN).await;

    // Users: not as national admin, not in another network.
    let new_user = |role: &str, org: &Value| {
        json!({"email": format!("{role}-{}@example.org", uuid::Uuid::now_v7().simple()), "display_name": "N",
               "role": role, "organisation_id": org["id"], "password": "long-enough-password"})
    };
    let res = app
        .req(&coordinator, Method::POST, "/v1/users")
        .json(&new_user("trainer", &berlin))
        .send()
        .await
        .unwrap();
    expect_json(res, StatusCode::CREATED).await;
    let res = app
        .req(&coordinator, Method::POST, "/v1/users")
        .json(&new_user("national_admin", &berlin))
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::FORBIDDEN).await;
    let res = app
        .req(&coordinator, Method::POST, "/v1/users")
        .json(&new_user("counsellor", &hamburg))
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::FORBIDDEN).await;
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
        let res = app.req(&analyst, Method::GET, &path).send().await.unwrap();
        expect_problem(res, StatusCode::FORBIDDEN).await;
    }
    // Structure without personal data stays readable.
    expect_json(
        app.req(&analyst, Method::GET, "/v1/organisations")
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
}

async fn staff_may_change_their_own_name_and_password_but_not_their_role(app: TestApp) {
    let org = app.organisation("Centre", "DE-BE").await;
    let (me, token) = app.user("counsellor", org["id"].as_str()).await;
    let path = format!("/v1/users/{}", me["id"].as_str().unwrap());
    let res = app
        .req(&token, Method::PATCH, &path)
        .json(&json!({"role": "national_admin"}))
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::FORBIDDEN).await;
    let res = app
        .req(&token, Method::PATCH, &path)
        .json(&json!({"display_name": "Renamed", "password": "a-brand-new-password"}))
        .send()
        .await
        .unwrap();
    let updated = expect_json(res, StatusCode::OK).await;
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
        let res = app
            .req(&coordinator, Method::PATCH, &path(&admin_in_berlin))
            .json(&body)
            .send()
            .await
            .unwrap();
        expect_problem(res, StatusCode::FORBIDDEN).await;
    }
    let res = app
        .req(&coordinator, Method::PATCH, &path(&counsellor))
        .json(&json!({"password": "a-takeover-password"}))
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::FORBIDDEN).await;
    // What a coordinator may do: deactivate a counsellor of the network.
    let res = app
        .req(&coordinator, Method::PATCH, &path(&counsellor))
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(expect_json(res, StatusCode::OK).await["active"], false);
    // A national admin may reset a password.
    let res = app
        .req(app.admin(), Method::PATCH, &path(&counsellor))
        .json(&json!({"password": "a-reset-password-123"}))
        .send()
        .await
        .unwrap();
    expect_json(res, StatusCode::OK).await;
}
