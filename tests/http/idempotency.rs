//! `Idempotency-Key` on POST and conditional requests (`ETag`, `If-Match`, `If-None-Match`).

use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, expect_json, expect_problem};

trials! {
    backends:
        the_same_post_twice_creates_one_record_and_replays_the_answer,
        a_retry_after_a_crash_between_commit_and_response_replays,
        the_same_key_with_another_body_is_422,
        twenty_concurrent_identical_requests_create_one_record,
        keys_belong_to_their_caller,
        replayed_client_creation_does_not_reveal_the_secret_again,
        if_none_match_with_the_current_etag_is_304,
        a_stale_if_match_is_412_and_changes_nothing,
        merge_patch_removes_with_null_and_bumps_the_version,
        a_retry_after_the_caller_moved_organisation_neither_replays_nor_repeats;
}

fn body() -> Value {
    json!({"name": "IQ Anerkennungsberatung", "kind": "provider", "state": "DE-NW", "city": "Köln"})
}

async fn organisation_count(app: &TestApp) -> usize {
    let page = app
        .get(app.admin(), "/v1/organisations?limit=500")
        .ok()
        .await;
    page["items"].as_array().unwrap().len()
}

/// The key's response is stored in the transaction that makes the change: a crash after the
/// commit cannot make a retry repeat the change.
async fn a_retry_after_a_crash_between_commit_and_response_replays(app: TestApp) {
    let before = organisation_count(&app).await;
    let send = || {
        app.req(app.admin(), Method::POST, "/v1/organisations")
            .header("idempotency-key", "crash-1")
            .json(&body())
            .send()
    };
    app.crash_after_next_commit();
    let crashed = send().await.unwrap();
    assert_eq!(crashed.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        organisation_count(&app).await,
        before + 1,
        "the change committed"
    );

    let retry = send().await.unwrap();
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let replayed = expect_json(retry, StatusCode::CREATED).await;
    assert_eq!(
        organisation_count(&app).await,
        before + 1,
        "no second record"
    );
    let stored = app
        .get(
            app.admin(),
            &format!("/v1/organisations/{}", replayed["id"].as_str().unwrap()),
        )
        .ok()
        .await;
    assert_eq!(stored["name"], replayed["name"]);
}

async fn the_same_post_twice_creates_one_record_and_replays_the_answer(app: TestApp) {
    let send = || {
        app.req(app.admin(), Method::POST, "/v1/organisations")
            .header("idempotency-key", "create-1")
            .json(&body())
            .send()
    };
    let first = send().await.unwrap();
    let location = first.headers()["location"].clone();
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first = expect_json(first, StatusCode::CREATED).await;
    let second = send().await.unwrap();
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    assert_eq!(second.headers()["location"], location);
    assert_eq!(second.headers()["etag"], "\"1\"");
    let second = expect_json(second, StatusCode::CREATED).await;
    assert_eq!(first, second, "the replay is the same body");
    assert_eq!(organisation_count(&app).await, 1);

    // Without a key, a repeat is a new request.
    app.req(app.admin(), Method::POST, "/v1/organisations")
        .json(&body())
        .send()
        .await
        .unwrap();
    assert_eq!(organisation_count(&app).await, 2);
}

async fn the_same_key_with_another_body_is_422(app: TestApp) {
    let send = |body: Value| {
        app.req(app.admin(), Method::POST, "/v1/organisations")
            .header("idempotency-key", "k")
            .json(&body)
            .send()
    };
    expect_json(send(body()).await.unwrap(), StatusCode::CREATED).await;
    let mut other = body();
    other["name"] = json!("Something else");
    let problem =
        expect_problem(send(other).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["type"], "urn:iqnet:problem:idempotency-key-reused");
    assert_eq!(organisation_count(&app).await, 1);
}

async fn twenty_concurrent_identical_requests_create_one_record(app: TestApp) {
    let requests = (0..20).map(|_| {
        app.req(app.admin(), Method::POST, "/v1/organisations")
            .header("idempotency-key", "burst")
            .json(&body())
            .send()
    });
    let responses = join_all(requests).await;
    let mut created = Vec::new();
    for res in responses {
        let res = res.unwrap();
        match res.status() {
            StatusCode::CREATED => created.push(res.json::<Value>().await.unwrap()),
            StatusCode::CONFLICT => {
                let problem = expect_problem(res, StatusCode::CONFLICT).await;
                assert_eq!(problem["type"], "urn:iqnet:problem:idempotency-key-in-use");
            }
            other => panic!("unexpected {other}: {}", res.text().await.unwrap()),
        }
    }
    assert!(!created.is_empty());
    assert!(
        created.iter().all(|c| c == &created[0]),
        "every success answers with the one record"
    );
    assert_eq!(organisation_count(&app).await, 1);
}

async fn keys_belong_to_their_caller(app: TestApp) {
    let org = app.organisation("Berlin", "DE-BE").await;
    let (_, coordinator) = app.user("network_coordinator", org["id"].as_str()).await;
    let mut berlin = body();
    berlin["state"] = json!("DE-BE");
    for token in [app.admin(), coordinator.as_str()] {
        let res = app
            .req(token, Method::POST, "/v1/organisations")
            .header("idempotency-key", "shared")
            .json(&berlin)
            .send()
            .await
            .unwrap();
        assert!(
            res.headers().get("idempotent-replayed").is_none(),
            "another caller's key is not replayed"
        );
        expect_json(res, StatusCode::CREATED).await;
    }
}

async fn replayed_client_creation_does_not_reveal_the_secret_again(app: TestApp) {
    let org = app.organisation("Agency", "DE-BY").await;
    let send = || {
        app.req(app.admin(), Method::POST, "/v1/api-clients")
            .header("idempotency-key", "client-1")
            .json(&json!({"name": "sync", "organisation_id": org["id"]}))
            .send()
    };
    let first = expect_json(send().await.unwrap(), StatusCode::CREATED).await;
    assert!(
        first["client_secret"]
            .as_str()
            .is_some_and(|s| s.starts_with("iqs_"))
    );
    let replay = expect_json(send().await.unwrap(), StatusCode::CREATED).await;
    assert_eq!(replay["id"], first["id"]);
    assert_eq!(replay["client_secret"], Value::Null);
}

async fn if_none_match_with_the_current_etag_is_304(app: TestApp) {
    let org = app.organisation("Cached", "DE-SN").await;
    let path = format!("/v1/organisations/{}", org["id"].as_str().unwrap());
    let res = app
        .req(app.admin(), Method::GET, &path)
        .send()
        .await
        .unwrap();
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(etag, "\"1\"");
    let res = app
        .req(app.admin(), Method::GET, &path)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(res.headers()["etag"], etag.as_str());
    let res = app
        .req(app.admin(), Method::GET, &path)
        .header("if-none-match", "\"0\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // Public resources too.
    let res = app
        .anon(Method::GET, "/v1/regional-networks/DE-SN")
        .header("if-none-match", "\"1\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
}

async fn a_stale_if_match_is_412_and_changes_nothing(app: TestApp) {
    let org = app.organisation("Versioned", "DE-HE").await;
    let path = format!("/v1/organisations/{}", org["id"].as_str().unwrap());
    let patch = |if_match: &str, name: &str| {
        app.req(app.admin(), Method::PATCH, &path)
            .header("if-match", if_match)
            .header("content-type", "application/merge-patch+json")
            .body(json!({"name": name}).to_string())
            .send()
    };
    let res = patch("\"1\"", "First change").await.unwrap();
    assert_eq!(res.headers()["etag"], "\"2\"");
    expect_json(res, StatusCode::OK).await;
    let problem = expect_problem(
        patch("\"1\"", "Lost update").await.unwrap(),
        StatusCode::PRECONDITION_FAILED,
    )
    .await;
    assert_eq!(problem["current_version"], 2);
    let now = app.get(app.admin(), &path).ok().await;
    assert_eq!(now["name"], "First change");
    assert_eq!(now["version"], 2);

    // A PATCH on regional networks honours it too.
    app.patch(
        app.admin(),
        "/v1/regional-networks/DE-HE",
        &json!({"funding_round": "2023-2028"}),
    )
    .header("if-match", "\"7\"")
    .problem(StatusCode::PRECONDITION_FAILED)
    .await;
    let network = app.public("/v1/regional-networks/DE-HE").ok().await;
    assert_eq!(network["funding_round"], Value::Null);
}

async fn merge_patch_removes_with_null_and_bumps_the_version(app: TestApp) {
    let org = app.organisation("Patchable", "DE-BE").await;
    let path = format!("/v1/organisations/{}", org["id"].as_str().unwrap());
    let v2 = app
        .patch(
            app.admin(),
            &path,
            &json!({"city": "Berlin", "postcode": "10115"}),
        )
        .ok()
        .await;
    assert_eq!(
        (
            v2["city"].as_str(),
            v2["postcode"].as_str(),
            v2["version"].as_i64()
        ),
        (Some("Berlin"), Some("10115"), Some(2))
    );
    let v3 = app
        .patch(app.admin(), &path, &json!({"city": null}))
        .ok()
        .await;
    assert_eq!(v3["city"], Value::Null);
    assert_eq!(v3["postcode"], "10115", "absent fields are left alone");
    assert_eq!(v3["version"], 3);
    assert_eq!(v3["created_at"], org["created_at"]);
    assert_ne!(v3["updated_at"], org["updated_at"]);
    assert_eq!(
        app.patch(app.admin(), &path, &json!({"name": null}))
            .invalid()
            .await["field"],
        "name"
    );
    app.patch(app.admin(), &path, &json!({"postcode": "abc"}))
        .problem(StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    let now = app.get(app.admin(), &path).ok().await;
    assert_eq!(now["version"], 3, "failed patches change nothing");
}

/// A replay must not outlive the caller's access: a counsellor who created a seeker with a key,
/// then moved to another organisation, gets neither the seeker's data nor a second seeker by
/// retrying with that key.
async fn a_retry_after_the_caller_moved_organisation_neither_replays_nor_repeats(app: TestApp) {
    let first = app.organisation("Centre A", "DE-BE").await;
    let second = app.organisation("Centre B", "DE-BE").await;
    let (counsellor, token) = app.user("counsellor", first["id"].as_str()).await;
    let seeker = app.seeker(&token).idempotency_key("seeker-1");
    let created = seeker.create().await;

    let user = format!("/v1/users/{}", counsellor["id"].as_str().unwrap());
    app.patch(
        app.admin(),
        &user,
        &json!({"organisation_id": second["id"]}),
    )
    .ok()
    .await;
    let moved = app
        .token(
            counsellor["email"].as_str().unwrap(),
            crate::support::PASSWORD,
        )
        .await;
    app.get_seeker(&moved, &created)
        .problem(StatusCode::NOT_FOUND)
        .await;

    let res = app
        .req(&moved, Method::POST, "/v1/advice-seekers")
        .header("idempotency-key", "seeker-1")
        .json(&seeker.body())
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("location").is_none());
    assert!(res.headers().get("idempotent-replayed").is_none());
    let problem = expect_problem(res, StatusCode::FORBIDDEN).await;
    assert_eq!(
        problem["type"],
        "urn:iqnet:problem:idempotency-key-access-changed"
    );
    let text = problem.to_string();
    for field in ["client_code", "name", "email"] {
        let value = created[field].as_str().unwrap();
        assert!(
            !text.contains(value),
            "the answer holds the seeker's {field}"
        );
    }

    let code = created["client_code"].as_str().unwrap();
    let found = app
        .get(
            app.admin(),
            &format!("/v1/advice-seekers?client_code={code}"),
        )
        .ok()
        .await;
    assert_eq!(
        found["items"].as_array().unwrap().len(),
        1,
        "no second seeker"
    );
}
