//! Input and headers: JSON that is not one document, merge patches that are not objects,
//! headers actix or we refuse, `HEAD`, `Cache-Control`, the audit log's request ids and access
//! reasons, and where metrics are served. Every refusal is problem+json where the server can
//! reach it.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{TestApp, expect_problem, id};

trials! {
    backends:
        json_with_trailing_content_is_malformed_and_changes_nothing,
        a_merge_patch_must_be_an_object,
        a_control_character_in_the_idempotency_key_is_a_problem,
        head_answers_as_get_without_a_body,
        authenticated_answers_are_not_stored_by_caches,
        the_audit_log_holds_the_servers_request_id_and_decoded_reasons,
        metrics_are_not_served_on_the_public_address;
    sqlite:
        headers_too_large_or_unparsable_are_refused_before_the_app,
        a_refused_cors_preflight_is_a_problem,
        metrics_are_served_on_their_own_address_only;
}

/// Sends `body` as it is, with `content_type`, as the admin.
async fn send_raw(
    app: &TestApp,
    method: Method,
    path: &str,
    content_type: &str,
    body: &str,
) -> reqwest::Response {
    app.req(app.admin(), method, path)
        .header("content-type", content_type)
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

/// Sends `body` as `send_raw` does and expects a 400 problem of `kind`.
async fn refused(
    app: &TestApp,
    method: Method,
    path: &str,
    content_type: &str,
    body: &str,
    kind: &str,
) {
    let res = send_raw(app, method, path, content_type, body).await;
    let problem = expect_problem(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(
        problem["type"],
        format!("urn:iqnet:problem:{kind}"),
        "{body}: {problem}"
    );
}

async fn json_with_trailing_content_is_malformed_and_changes_nothing(app: TestApp) {
    let organisation = r#"{"name": "Trailing", "kind": "provider", "state": "DE-BE"}"#;
    for body in [format!("{organisation} x"), format!("{organisation}{{}}")] {
        let path = "/v1/organisations";
        refused(
            &app,
            Method::POST,
            path,
            "application/json",
            &body,
            "malformed-json",
        )
        .await;
    }
    let list = app.get(app.admin(), "/v1/organisations").ok().await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        0,
        "nothing created"
    );

    let before = app.get(app.admin(), "/v1/users/me").ok().await;
    for body in [
        r#"{"display_name": "Changed"} x"#,
        r#"{"display_name": "Changed"}{}"#,
    ] {
        let content_type = "application/merge-patch+json";
        refused(
            &app,
            Method::PATCH,
            "/v1/users/me",
            content_type,
            body,
            "malformed-json",
        )
        .await;
    }
    let after = app.get(app.admin(), "/v1/users/me").ok().await;
    assert_eq!(after, before, "nothing changed");
    // Whitespace after the document is fine.
    let body = format!("{organisation} \n");
    let res = send_raw(
        &app,
        Method::POST,
        "/v1/organisations",
        "application/json",
        &body,
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

async fn a_merge_patch_must_be_an_object(app: TestApp) {
    let before = app.get(app.admin(), "/v1/users/me").ok().await;
    for content_type in ["application/merge-patch+json", "application/json"] {
        for body in [
            "[]",
            "[{\"display_name\": \"X\"}]",
            "\"x\"",
            "1",
            "null",
            "true",
        ] {
            let path = "/v1/users/me";
            refused(
                &app,
                Method::PATCH,
                path,
                content_type,
                body,
                "invalid-merge-patch",
            )
            .await;
        }
    }
    assert_eq!(app.get(app.admin(), "/v1/users/me").ok().await, before);
    let patched = app
        .patch(
            app.admin(),
            "/v1/users/me",
            &json!({"display_name": "Object patch"}),
        )
        .ok()
        .await;
    assert_eq!(patched["display_name"], "Object patch");
}

async fn a_control_character_in_the_idempotency_key_is_a_problem(app: TestApp) {
    // A tab is the one control character HTTP lets through in a field value; it reaches the
    // idempotency middleware, which refuses it.
    let problem = app
        .post(
            app.admin(),
            "/v1/organisations",
            &json!({"name": "Keyed", "kind": "provider", "state": "DE-BE"}),
        )
        .idempotency_key("key\twith-tab")
        .problem(StatusCode::BAD_REQUEST)
        .await;
    assert_eq!(problem["type"], "urn:iqnet:problem:invalid-idempotency-key");
    let list = app.get(app.admin(), "/v1/organisations").ok().await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
}

/// Sends `request` over a plain TCP connection; returns what came back before the server closed
/// it (a server refusing a request head may reset the connection while the rest is sent).
async fn exchange(app: &TestApp, request: &[u8]) -> String {
    let address = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

/// actix-http 3 parses a request head before any service or middleware runs, and answers the
/// heads it cannot take itself, with an empty body: a head over its fixed 128 KiB buffer
/// (`h1::decoder::MAX_BUFFER_SIZE`, not configurable) is a 431, a field value with a control
/// byte other than tab a 400 (`h1::dispatcher`, `Response::bad_request().drop_body()`).
/// Neither `HttpServer` nor `HttpServiceBuilder` has a setting or a hook for these answers, so
/// they cannot be problem+json; this test pins that behaviour so a change in actix shows.
async fn headers_too_large_or_unparsable_are_refused_before_the_app() {
    let app = TestApp::sqlite().await;
    let token = "x".repeat(200 * 1024);
    let request =
        format!("GET /v1/users/me HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {token}\r\n\r\n");
    let answer = exchange(&app, request.as_bytes()).await;
    assert!(
        answer.is_empty()
            || (answer.starts_with("HTTP/1.1 431") && answer.contains("content-length: 0")),
        "{}",
        &answer[..answer.len().min(300)]
    );

    let request = "POST /v1/organisations HTTP/1.1\r\nHost: t\r\nIdempotency-Key: a\x01b\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    let answer = exchange(&app, request.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");

    // Below that limit, a large header reaches the app, which answers with a problem.
    let token = "x".repeat(100 * 1024);
    let problem = app
        .anon(Method::GET, "/v1/users/me")
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    expect_problem(problem, StatusCode::UNAUTHORIZED).await;
}

async fn a_refused_cors_preflight_is_a_problem() {
    let app = TestApp::sqlite_with(&[("IQNET_CORS_ORIGINS", "https://portal.example.org")]).await;
    let preflight = |origin: &str| {
        app.anon(Method::OPTIONS, "/v1/organisations")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .send()
    };
    let res = preflight("https://evil.example.com").await.unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());
    let problem = expect_problem(res, StatusCode::BAD_REQUEST).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("Origin"),
        "{problem}"
    );
    let res = preflight("https://portal.example.org").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

async fn head_answers_as_get_without_a_body(app: TestApp) {
    let networks = |method| app.anon(method, "/v1/regional-networks").send();
    let get = networks(Method::GET).await.unwrap();
    let get_length = get.bytes().await.unwrap().len();
    let head = networks(Method::HEAD).await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()["content-type"], "application/json");
    assert_eq!(
        head.headers()["content-length"],
        get_length.to_string().as_str()
    );
    assert!(head.bytes().await.unwrap().is_empty());

    let (_, token) = app.counsellor("DE-HB").await;
    let seeker = app.seeker(&token).create().await;
    let path = format!("/v1/advice-seekers/{}", id(&seeker));
    let head = app.req(&token, Method::HEAD, &path).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert!(head.headers().contains_key("etag"));
    assert!(head.bytes().await.unwrap().is_empty());

    for (path, status) in [
        ("/v1/no-such-thing", StatusCode::NOT_FOUND),
        ("/v1/regional-networks?bogus=1", StatusCode::BAD_REQUEST),
        ("/v1/auth/token", StatusCode::METHOD_NOT_ALLOWED),
    ] {
        let head = app.anon(Method::HEAD, path).send().await.unwrap();
        assert_eq!(head.status(), status, "{path}");
        assert_eq!(head.headers()["content-type"], "application/problem+json");
        assert!(head.bytes().await.unwrap().is_empty(), "{path}");
    }
}

async fn authenticated_answers_are_not_stored_by_caches(app: TestApp) {
    let (_, token) = app.counsellor("DE-HH").await;
    let seeker = app.seeker(&token).create().await;
    let cache_control = |res: &reqwest::Response| {
        res.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    for path in [
        format!("/v1/advice-seekers/{}", id(&seeker)),
        "/v1/advice-seekers?client_code=X-1".to_owned(),
        "/v1/users/me".to_owned(),
        "/v1/advice-seekers/01a21181-992f-70db-abb1-30daf918d644".to_owned(),
    ] {
        let res = app.req(&token, Method::GET, &path).send().await.unwrap();
        assert_eq!(cache_control(&res).as_deref(), Some("no-store"), "{path}");
    }
    let res = app
        .anon(Method::GET, "/v1/regional-networks")
        .send()
        .await
        .unwrap();
    assert_eq!(cache_control(&res), None, "public data may be cached");
}

async fn the_audit_log_holds_the_servers_request_id_and_decoded_reasons(app: TestApp) {
    let (_, token) = app.counsellor("DE-SN").await;
    let seeker = app.seeker(&token).create().await;
    let res = app
        .get_seeker(&token, &seeker)
        .header("x-request-id", "spoofed-request-id")
        .header(
            "x-access-reason",
            "UTF-8''Vorbereitung%20f%C3%BCr%20das%20Gespr%C3%A4ch",
        )
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["x-request-id"], "spoofed-request-id");

    // A reason that is neither visible ASCII nor RFC 8187 is refused, and nothing is read.
    for reason in ["Gespräch".as_bytes(), b"UTF-8''%zz", b"UTF-8''%C3"] {
        let res = app
            .req(
                &token,
                Method::GET,
                &format!("/v1/advice-seekers/{}", id(&seeker)),
            )
            .header(
                "x-access-reason",
                reqwest::header::HeaderValue::from_bytes(reason).unwrap(),
            )
            .send()
            .await
            .unwrap();
        let problem = expect_problem(res, StatusCode::BAD_REQUEST).await;
        assert_eq!(
            problem["errors"][0]["field"], "X-Access-Reason",
            "{problem}"
        );
    }

    let log = app
        .get(
            app.admin(),
            &format!("/v1/advice-seekers/{}/audit-log", id(&seeker)),
        )
        .ok()
        .await;
    let entries: &Vec<Value> = log["items"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "the create and one read: {entries:?}");
    let read = &entries[1];
    assert_eq!(read["action"], "read");
    assert_eq!(
        read["reason"],
        "getAdviceSeeker: Vorbereitung für das Gespräch"
    );
    assert_eq!(read["request_id"], "spoofed-request-id");
    let server_id = read["server_request_id"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(server_id).is_ok(), "{server_id}");
    let create = &entries[0];
    assert_ne!(create["server_request_id"], read["server_request_id"]);
    assert_eq!(
        create["server_request_id"], create["request_id"],
        "without a client id, the generated one is both"
    );
}

async fn metrics_are_not_served_on_the_public_address(app: TestApp) {
    app.public("/metrics").problem(StatusCode::NOT_FOUND).await;
    let doc = app.public("/openapi.json").ok().await;
    assert!(doc["paths"].get("/metrics").is_none());
}

async fn metrics_are_served_on_their_own_address_only() {
    // A free port for the metrics listener (the server binds it by its setting).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bind = format!("127.0.0.1:{port}");
    let app = TestApp::sqlite_with(&[("IQNET_METRICS_BIND", bind.as_str())]).await;
    app.public("/v1/regional-networks").ok().await;
    app.public("/metrics").problem(StatusCode::NOT_FOUND).await;

    let metrics_listener = |path: &str| app.client.get(format!("http://{bind}{path}")).send();
    let metrics = metrics_listener("/metrics").await.unwrap();
    assert_eq!(metrics.status(), StatusCode::OK);
    let text = metrics.text().await.unwrap();
    assert!(
        text.contains("iqnet_http_requests_total") && text.contains("/v1/regional-networks"),
        "{text}"
    );
    let api = metrics_listener("/v1/regional-networks").await.unwrap();
    expect_problem(api, StatusCode::NOT_FOUND).await;
}
