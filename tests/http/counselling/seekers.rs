//! Advice seekers: registration, validation, updates and pages follow the API's conventions.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, expect_json, id};

trials! {
    backends:
        registration_is_idempotent,
        the_client_code_is_unique_per_organisation,
        validation_names_every_field_and_refuses_unknown_countries,
        merge_patch_erases_the_name_and_if_match_protects_against_lost_updates,
        seekers_page_with_cursors,
        nul_characters_are_refused_with_4xx,
        a_replayed_registration_carries_no_direct_identifiers;
}

async fn registration_is_idempotent(app: TestApp) {
    let (_, token) = app.counsellor("DE-SL").await;
    let register = app
        .seeker(&token)
        .code("SL-1")
        .gender("male")
        .nationalities(["AF"])
        .minimal()
        .idempotency_key("reg-1");

    let first = register.create().await;
    let again = register.call().send().await;

    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(expect_json(again, StatusCode::CREATED).await, first);
}

async fn the_client_code_is_unique_per_organisation(app: TestApp) {
    let (_, token) = app.counsellor("DE-SL").await;
    let register = app.seeker(&token).code("SL-1").minimal();
    register.create().await;

    register.call().problem(StatusCode::CONFLICT).await;
}

async fn validation_names_every_field_and_refuses_unknown_countries(app: TestApp) {
    let (_, token) = app.counsellor("DE-SL").await;

    app.seeker(&token)
        .code(" ")
        .gender("unknown")
        .nationalities(["XX"])
        .minimal()
        .call()
        .problem(StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    let error = app
        .seeker(&token)
        .code("SL-2")
        .nationalities(["XX"])
        .minimal()
        .call()
        .invalid()
        .await;
    assert_eq!(error["code"], "unknown_country");
}

/// Merge patch erases the name; If-Match protects against lost updates.
async fn merge_patch_erases_the_name_and_if_match_protects_against_lost_updates(app: TestApp) {
    let (_, token) = app.counsellor("DE-SL").await;
    let seeker = app
        .seeker(&token)
        .code("SL-1")
        .gender("male")
        .nationalities(["AF"])
        .minimal()
        .create()
        .await;
    let path = format!("/v1/advice-seekers/{}", id(&seeker));

    let v2 = app
        .patch(
            &token,
            &path,
            &json!({"name": "Ahmad", "german_level": "a2"}),
        )
        .if_match(1)
        .ok()
        .await;
    assert_eq!(
        (v2["name"].as_str(), v2["version"].as_i64()),
        (Some("Ahmad"), Some(2))
    );
    app.patch(&token, &path, &json!({"name": null}))
        .if_match(1)
        .problem(StatusCode::PRECONDITION_FAILED)
        .await;
    let erased = app.patch(&token, &path, &json!({"name": null})).ok().await;
    assert_eq!(erased["name"], Value::Null);
    let res = app
        .get(&token, &path)
        .header("if-none-match", "\"3\"")
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
}

async fn seekers_page_with_cursors(app: TestApp) {
    let (_, token) = app.counsellor("DE-SL").await;
    app.seeker(&token).code("SL-1").minimal().create().await;
    for i in 0..4 {
        app.seeker(&token)
            .code(format!("P-{i}"))
            .gender("diverse")
            .nationalities(Vec::<String>::new())
            .minimal()
            .create()
            .await;
    }

    let page1 = app.get(&token, "/v1/advice-seekers?limit=3").ok().await;
    let cursor = page1["next_cursor"].as_str().unwrap();
    let page2 = app
        .get(
            &token,
            &format!("/v1/advice-seekers?limit=3&cursor={cursor}"),
        )
        .ok()
        .await;

    assert_eq!(
        page1["items"].as_array().unwrap().len() + page2["items"].as_array().unwrap().len(),
        5
    );
    assert_eq!(page2["next_cursor"], Value::Null);
}

/// NUL characters (PostgreSQL cannot store them) are a 4xx on both backends, never a 500.
async fn nul_characters_are_refused_with_4xx(app: TestApp) {
    let (_, token) = app.counsellor("DE-MV").await;

    app.get(&token, "/v1/advice-seekers?client_code=a%00b")
        .problem(StatusCode::BAD_REQUEST)
        .await;
    app.seeker(&token)
        .code("MV\u{0}1")
        .nationalities(Vec::<String>::new())
        .minimal()
        .call()
        .problem(StatusCode::UNPROCESSABLE_ENTITY)
        .await;
}

/// A replayed response never carries a person's direct identifiers: the stored copy must not
/// outlive an erasure.
async fn a_replayed_registration_carries_no_direct_identifiers(app: TestApp) {
    let (_, token) = app.counsellor("DE-ST").await;
    let register = super::olena(&app, &token).idempotency_key("st-1");

    let first = register.create().await;
    let replay = register.create().await;

    assert_eq!(first["name"], "Olena K.");
    assert_eq!(replay["id"], first["id"]);
    assert_eq!(
        (replay["name"].clone(), replay["email"].clone()),
        (Value::Null, Value::Null)
    );
}
