//! The network's structure: organisations, sub-projects, users, API clients, regional networks.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, expect_json};

trials! {
    backends:
        organisations_are_created_read_and_filtered,
        sub_projects_belong_to_an_existing_organisation_and_a_valid_period,
        users_need_an_organisation_for_staff_roles_and_unique_emails,
        a_national_admin_records_a_networks_coordinator_and_funding_round;
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().unwrap()
}

async fn organisations_are_created_read_and_filtered(app: TestApp) {
    let res = app
        .req(app.admin(), Method::POST, "/v1/organisations")
        .json(&json!({"name": "  Jobcenter Köln ", "kind": "jobcenter", "state": "DE-NW", "street": "Luxemburger Str. 121",
                      "postcode": "50939", "city": "Köln", "email": "Info@Jobcenter.example", "website": "https://jobcenter.example"}))
        .send()
        .await
        .unwrap();
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let created = expect_json(res, StatusCode::CREATED).await;
    assert_eq!(created["name"], "Jobcenter Köln", "names are trimmed");
    assert_eq!(created["email"], "info@jobcenter.example");
    assert_eq!(created["version"], 1);
    assert!(
        uuid::Uuid::parse_str(created["id"].as_str().unwrap())
            .is_ok_and(|u| u.get_version_num() == 7)
    );
    assert_eq!(
        location,
        format!("/v1/organisations/{}", created["id"].as_str().unwrap())
    );
    let fetched = app.get(app.admin(), &location).ok().await;
    assert_eq!(
        fetched, created,
        "what is read back equals what was created, timestamps included"
    );

    app.organisation("Provider Berlin", "DE-BE").await;
    let page = app
        .get(app.admin(), "/v1/organisations?kind=jobcenter&state=DE-NW")
        .ok()
        .await;
    assert_eq!(items(&page).len(), 1);
    assert_eq!(items(&page)[0]["id"], created["id"]);
    app.get(app.admin(), "/v1/organisations?state=DE-XX")
        .problem(StatusCode::BAD_REQUEST)
        .await;
}

async fn sub_projects_belong_to_an_existing_organisation_and_a_valid_period(app: TestApp) {
    let org = app.organisation("IQ Sachsen", "DE-SN").await;
    let new = |org_id: &Value, ends_on: &str| {
        json!({"organisation_id": org_id, "regional_network": "DE-SN", "priority_area": "counselling",
               "title": "Anerkennungsberatung Leipzig", "starts_on": "2023-01-01", "ends_on": ends_on})
    };
    let created = app
        .post(
            app.admin(),
            "/v1/sub-projects",
            &new(&org["id"], "2028-12-31"),
        )
        .created()
        .await;
    assert_eq!(created["priority_area"], "counselling");

    assert_eq!(
        app.post(
            app.admin(),
            "/v1/sub-projects",
            &new(&org["id"], "2022-12-31")
        )
        .invalid()
        .await["field"],
        "ends_on"
    );
    let missing = json!(uuid::Uuid::now_v7().to_string());
    assert_eq!(
        app.post(
            app.admin(),
            "/v1/sub-projects",
            &new(&missing, "2028-12-31")
        )
        .invalid()
        .await["field"],
        "organisation_id"
    );

    assert_eq!(
        items(
            &app.get(
                app.admin(),
                "/v1/sub-projects?regional_network=DE-SN&priority_area=counselling"
            )
            .ok()
            .await
        )
        .len(),
        1
    );
    assert_eq!(
        items(
            &app.get(app.admin(), "/v1/sub-projects?priority_area=qualification")
                .ok()
                .await
        )
        .len(),
        0
    );

    let path = format!("/v1/sub-projects/{}", created["id"].as_str().unwrap());
    let open_ended = app
        .patch(app.admin(), &path, &json!({"ends_on": null}))
        .ok()
        .await;
    assert_eq!(open_ended["ends_on"], Value::Null);
    app.patch(
        app.admin(),
        &path,
        &json!({"starts_on": "2030-01-01", "ends_on": "2029-01-01"}),
    )
    .problem(StatusCode::UNPROCESSABLE_ENTITY)
    .await;
}

async fn users_need_an_organisation_for_staff_roles_and_unique_emails(app: TestApp) {
    let user = |email: &str, role: &str, org: Option<&Value>| json!({"email": email, "display_name": "Dana", "role": role, "organisation_id": org.map(|o| &o["id"]), "password": "long-enough-password"});
    assert_eq!(
        app.post(
            app.admin(),
            "/v1/users",
            &user("dana@example.org", "counsellor", None)
        )
        .invalid()
        .await["field"],
        "organisation_id"
    );
    assert_eq!(
        app.post(
            app.admin(),
            "/v1/users",
            &user("dana@example.org", "partner", None)
        )
        .invalid()
        .await["field"],
        "role"
    );
    let mut short = user("dana@example.org", "analyst", None);
    short["password"] = json!("short");
    assert_eq!(
        app.post(app.admin(), "/v1/users", &short).invalid().await["field"],
        "password"
    );

    let org = app.organisation("Centre", "DE-BW").await;
    let created = app
        .post(
            app.admin(),
            "/v1/users",
            &user("dana@example.org", "counsellor", Some(&org)),
        )
        .created()
        .await;
    assert!(created.get("password").is_none() && created.get("password_hash").is_none());
    app.post(
        app.admin(),
        "/v1/users",
        &user("DANA@example.org", "trainer", Some(&org)),
    )
    .problem(StatusCode::CONFLICT)
    .await;
}

async fn a_national_admin_records_a_networks_coordinator_and_funding_round(app: TestApp) {
    let org = app.organisation("Koordination Bayern", "DE-BY").await;
    let network = app
        .patch(
            app.admin(),
            "/v1/regional-networks/DE-BY",
            &json!({"coordinating_organisation_id": org["id"], "funding_round": "2023-2028"}),
        )
        .ok()
        .await;
    assert_eq!(network["coordinating_organisation_id"], org["id"]);
    assert_eq!(network["funding_round"], "2023-2028");
    assert_eq!(network["version"], 2);
    assert_eq!(
        app.patch(
            app.admin(),
            "/v1/regional-networks/DE-BY",
            &json!({"funding_round": "2028-2023"})
        )
        .invalid()
        .await["field"],
        "funding_round"
    );

    let (_, counsellor) = app.user("counsellor", org["id"].as_str()).await;
    app.patch(
        &counsellor,
        "/v1/regional-networks/DE-BY",
        &json!({"name": "Mine"}),
    )
    .problem(StatusCode::FORBIDDEN)
    .await;
}
