//! A request on its way and the answer a test expects of it:
//! `app.get(&token, path).ok().await`, `app.post(&token, path, body).problem(CONFLICT).await`.

use reqwest::{RequestBuilder, Response, StatusCode};
use serde_json::Value;

pub struct Call(RequestBuilder);

impl Call {
    pub fn new(request: RequestBuilder) -> Call {
        Call(request)
    }

    pub fn header(self, name: &str, value: &str) -> Call {
        Call(self.0.header(name, value))
    }

    pub fn json(self, body: &Value) -> Call {
        Call(self.0.json(body))
    }

    pub fn idempotency_key(self, key: &str) -> Call {
        self.header("idempotency-key", key)
    }

    /// `If-Match: "<version>"`.
    pub fn if_match(self, version: i64) -> Call {
        self.header("if-match", &format!("\"{version}\""))
    }

    pub async fn send(self) -> Response {
        self.0.send().await.expect("send")
    }

    /// Asserts the status; returns the JSON body.
    pub async fn expect(self, status: StatusCode) -> Value {
        expect_json(self.send().await, status).await
    }

    /// 200 with a JSON body.
    pub async fn ok(self) -> Value {
        self.expect(StatusCode::OK).await
    }

    /// 201 with a JSON body.
    pub async fn created(self) -> Value {
        self.expect(StatusCode::CREATED).await
    }

    /// A complete problem+json answer with `status`.
    pub async fn problem(self, status: StatusCode) -> Value {
        expect_problem(self.send().await, status).await
    }

    /// A 422 problem; returns its first error.
    pub async fn invalid(self) -> Value {
        self.problem(StatusCode::UNPROCESSABLE_ENTITY).await["errors"][0].take()
    }
}

/// A resource's `id`.
pub fn id(resource: &Value) -> &str {
    resource["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id: {resource}"))
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
