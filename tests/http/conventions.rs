//! The conventions every endpoint follows: problem+json for every failure, pagination, request
//! ids, content types and size limits, unknown parameters and routes.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, expect_json, expect_problem};

trials! {
    backends:
        health_and_readiness_answer,
        regional_networks_are_sixteen_and_page_with_cursors_and_link_headers,
        pagination_bounds_and_foreign_cursors_are_refused,
        unknown_query_parameters_are_refused_on_every_endpoint,
        unknown_routes_are_404_and_wrong_methods_405_with_allow,
        malformed_json_wrong_content_type_and_bad_enums_are_4xx_problems,
        a_body_over_the_limit_is_413_and_changes_nothing,
        request_ids_are_echoed_or_generated,
        updated_since_filters_collections;
    sqlite:
        cors_allows_the_configured_origins_only;
    postgres:
        readiness_fails_with_503_when_the_database_is_gone;
}

async fn health_and_readiness_answer(app: TestApp) {
    let health = app.public("/healthz").ok().await;
    assert_eq!(health["status"], "ok");
    let ready = app.public("/readyz").ok().await;
    assert_eq!(ready["status"], "ready");
    let docs = app.anon(Method::GET, "/docs/").send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(
        docs.text().await.unwrap().contains("swagger"),
        "Swagger UI is served"
    );
}

async fn regional_networks_are_sixteen_and_page_with_cursors_and_link_headers(app: TestApp) {
    let all = app.public("/v1/regional-networks").ok().await;
    let codes: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 16);
    assert!(codes.contains(&"DE-BE") && codes.contains(&"DE-TH"));
    assert_eq!(all["next_cursor"], Value::Null);

    let mut seen = Vec::new();
    let mut path = "/v1/regional-networks?limit=5".to_owned();
    loop {
        let res = app.anon(Method::GET, &path).send().await.unwrap();
        let link = res
            .headers()
            .get("link")
            .map(|v| v.to_str().unwrap().to_owned());
        let page = expect_json(res, StatusCode::OK).await;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 5);
        seen.extend(items.iter().map(|n| n["code"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                let link = link.expect("a Link header when more pages follow");
                assert!(link.ends_with("rel=\"next\""), "{link}");
                assert!(
                    link.contains(&format!("cursor={cursor}")) && link.contains("limit=5"),
                    "{link}"
                );
                path = format!("/v1/regional-networks?limit=5&cursor={cursor}");
            }
            None => {
                assert!(link.is_none(), "no Link header on the last page");
                break;
            }
        }
    }
    assert_eq!(
        seen, codes,
        "pages together list every network once, in order"
    );
}

async fn pagination_bounds_and_foreign_cursors_are_refused(app: TestApp) {
    // An empty cursor too: the contract declares `minLength: 1`.
    for query in [
        "limit=0",
        "limit=501",
        "limit=ten",
        "cursor=not-ours",
        "cursor=",
    ] {
        let problem = app
            .public(&format!("/v1/regional-networks?{query}"))
            .problem(StatusCode::BAD_REQUEST)
            .await;
        let field = query.split('=').next().unwrap();
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
}

async fn unknown_query_parameters_are_refused_on_every_endpoint(app: TestApp) {
    // A list with its own filters, a single resource, and an operation without parameters.
    for path in [
        "/v1/organisations?stat=DE-BE",
        "/v1/regional-networks/DE-BE?expand=all",
        "/v1/reference/language-levels?x=1",
    ] {
        let problem = app
            .get(app.admin(), path)
            .problem(StatusCode::BAD_REQUEST)
            .await;
        assert_eq!(
            problem["errors"][0]["code"], "unknown_parameter",
            "{path}: {problem}"
        );
    }
}

async fn unknown_routes_are_404_and_wrong_methods_405_with_allow(app: TestApp) {
    app.public("/v1/no-such-thing")
        .problem(StatusCode::NOT_FOUND)
        .await;
    let res = app
        .anon(Method::DELETE, "/v1/regional-networks/DE-BE")
        .send()
        .await
        .unwrap();
    let allow = res
        .headers()
        .get("allow")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    expect_problem(res, StatusCode::METHOD_NOT_ALLOWED).await;
    assert!(
        allow.contains("GET") && allow.contains("PATCH"),
        "Allow: {allow}"
    );
    // A malformed id names no resource.
    app.get(app.admin(), "/v1/organisations/not-a-uuid")
        .problem(StatusCode::NOT_FOUND)
        .await;
}

async fn malformed_json_wrong_content_type_and_bad_enums_are_4xx_problems(app: TestApp) {
    let post = || app.req(app.admin(), Method::POST, "/v1/organisations");
    let res = post()
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::BAD_REQUEST).await;

    let res = post()
        .header("content-type", "text/plain")
        .body("name=x")
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;

    let res = post()
        .json(&json!({"name": "X", "kind": "castle", "state": "DE-BE"}))
        .send()
        .await
        .unwrap();
    let problem = expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "kind");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("provider"),
        "lists the allowed values: {problem}"
    );

    let res = post()
        .json(&json!({"name": "X", "kind": "provider", "state": "DE-BE", "colour": "red"}))
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;

    let res = post().json(&json!({"name": " ", "kind": "provider", "state": "DE-BE", "postcode": "123", "email": "nope"})).send().await.unwrap();
    let problem = expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["name", "postcode", "email"],
        "every broken rule at once"
    );

    let list = app.get(app.admin(), "/v1/organisations").ok().await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        0,
        "no failed request created anything"
    );
}

async fn a_body_over_the_limit_is_413_and_changes_nothing(app: TestApp) {
    let huge = format!(
        "{{\"name\": \"{}\", \"kind\": \"provider\", \"state\": \"DE-BE\"}}",
        "x".repeat(10 * 1024 * 1024)
    );
    for idempotency_key in [None, Some("big-1")] {
        let mut req = app
            .req(app.admin(), Method::POST, "/v1/organisations")
            .header("content-type", "application/json");
        if let Some(key) = idempotency_key {
            req = req.header("idempotency-key", key);
        }
        let res = req.body(huge.clone()).send().await.unwrap();
        expect_problem(res, StatusCode::PAYLOAD_TOO_LARGE).await;
    }
    let list = app.get(app.admin(), "/v1/organisations").ok().await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
}

async fn request_ids_are_echoed_or_generated(app: TestApp) {
    let res = app
        .anon(Method::GET, "/healthz")
        .header("x-request-id", "trace-abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "trace-abc-123");
    let res = app
        .anon(Method::GET, "/healthz")
        .header("x-request-id", "bad id with spaces")
        .send()
        .await
        .unwrap();
    let generated = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_ne!(generated, "bad id with spaces");
    assert!(uuid::Uuid::parse_str(&generated).is_ok(), "{generated}");
    let problem = app
        .public("/v1/organisations")
        .header("x-request-id", "trace-401")
        .problem(StatusCode::UNAUTHORIZED)
        .await;
    assert_eq!(problem["request_id"], "trace-401");
    assert_eq!(problem["instance"], "/v1/organisations");
}

async fn updated_since_filters_collections(app: TestApp) {
    app.organisation("Old", "DE-BE").await;
    let cut = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let newer = app.organisation("New", "DE-BE").await;
    let since = cut.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let res = app
        .req(app.admin(), Method::GET, "/v1/organisations")
        .query(&[("updated_since", since)])
        .send()
        .await
        .unwrap();
    let page = expect_json(res, StatusCode::OK).await;
    let ids: Vec<&Value> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["id"])
        .collect();
    assert_eq!(ids, [&newer["id"]]);
}

/// Browsers from a configured origin may call the API and read its headers; others may not.
async fn cors_allows_the_configured_origins_only() {
    let app = TestApp::sqlite_with(&[("IQNET_CORS_ORIGINS", "https://portal.example.org")]).await;
    let preflight = |origin: &'static str| {
        app.anon(Method::OPTIONS, "/v1/organisations")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type, idempotency-key",
            )
            .send()
    };
    let res = preflight("https://portal.example.org").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://portal.example.org"
    );
    let res = preflight("https://evil.example.com").await.unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());

    let res = app
        .anon(Method::GET, "/v1/regional-networks")
        .header("origin", "https://portal.example.org")
        .send()
        .await
        .unwrap();
    let exposed = res.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    for header in ["etag", "location", "link", "x-request-id"] {
        assert!(exposed.contains(header), "{header} in {exposed}");
    }
}

/// `/readyz` tells a load balancer when the database is gone; `/healthz` still answers.
async fn readiness_fails_with_503_when_the_database_is_gone() {
    let app = TestApp::postgres_with(&[("IQNET_DB_TIMEOUT_MS", "300")]).await;
    assert_eq!(
        app.anon(Method::GET, "/readyz")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    app.drop_database().await;
    let res = app.anon(Method::GET, "/readyz").send().await.unwrap();
    assert!(res.headers().contains_key("retry-after"));
    let problem = expect_problem(res, StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(problem["type"], "urn:iqnet:problem:service-unavailable");
    assert!(
        !problem.to_string().contains("iqnet_test_"),
        "no internals leak: {problem}"
    );
    app.public("/v1/regional-networks")
        .problem(StatusCode::SERVICE_UNAVAILABLE)
        .await;
    assert_eq!(
        app.anon(Method::GET, "/healthz")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}
