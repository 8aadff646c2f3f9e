//! Tokens: both grants, and every way a token can be wrong.

use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{
    ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET, TestApp, expect_json, expect_problem,
};

trials! {
    backends:
        the_password_grant_opens_protected_endpoints,
        wrong_credentials_are_invalid_grant_without_telling_which,
        missing_and_broken_tokens_are_401_with_www_authenticate,
        forged_expired_and_misaddressed_tokens_are_401,
        the_client_credentials_grant_works_and_revocation_ends_it,
        inactive_users_cannot_sign_in;
    sqlite:
        tokens_of_the_external_issuer_are_accepted;
}

/// The claims of a token the server would accept now: the bootstrap admin's (a real account, with
/// its credential epoch), changed by `overrides`.
fn claims(overrides: Value) -> Value {
    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({
        "iss": "iqnet", "aud": "iqnet-api", "sub": "user:",
        "iat": now, "exp": now + 600, "jti": "t", "role": "national_admin", "epc": 1
    });
    for (k, v) in overrides.as_object().unwrap() {
        claims[k] = v.clone();
    }
    claims
}

/// The admin's subject, from the token the server issued (a token's payload is readable).
fn admin_subject(app: &TestApp) -> Value {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = app.admin().split('.').nth(1).unwrap();
    let payload: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    json!({"sub": payload["sub"]})
}

/// An HS256 token naming the server's key id (`kid`), as the server's own tokens do.
fn hs256_with_kid(app: &TestApp, claims: &Value, secret: &str) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = jsonwebtoken::decode_header(app.admin()).unwrap().kid;
    encode(
        &header,
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn hs256(claims: &Value, secret: &str) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn status_with(app: &TestApp, token: &str) -> (StatusCode, Option<String>) {
    let res = app
        .req(token, Method::GET, "/v1/organisations")
        .send()
        .await
        .unwrap();
    let www = res
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned());
    (res.status(), www)
}

async fn the_password_grant_opens_protected_endpoints(app: TestApp) {
    // Form encoding (RFC 6749) ...
    let res = app
        .anon(Method::POST, "/v1/auth/token")
        .form(&[
            ("grant_type", "password"),
            ("username", ADMIN_EMAIL),
            ("password", ADMIN_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body = expect_json(res, StatusCode::OK).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(status_with(&app, token).await.0, StatusCode::OK);
    // ... and JSON, with the e-mail in any case.
    let res = app
        .anon(Method::POST, "/v1/auth/token")
        .json(&json!({"grant_type": "password", "username": ADMIN_EMAIL.to_uppercase(), "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    expect_json(res, StatusCode::OK).await;
    let me = app.get(token, "/v1/users/me").ok().await;
    assert_eq!(me["email"], ADMIN_EMAIL);
    assert_eq!(me["role"], "national_admin");
    assert!(me.get("password_hash").is_none() && me.get("password").is_none());
}

async fn wrong_credentials_are_invalid_grant_without_telling_which(app: TestApp) {
    for (user, password) in [
        (ADMIN_EMAIL, "wrong-password-123"),
        ("nobody@example.org", ADMIN_PASSWORD),
        ("not-an-email", "x"),
    ] {
        let res = app
            .anon(Method::POST, "/v1/auth/token")
            .form(&[
                ("grant_type", "password"),
                ("username", user),
                ("password", password),
            ])
            .send()
            .await
            .unwrap();
        let problem = expect_problem(res, StatusCode::BAD_REQUEST).await;
        assert_eq!(problem["error"], "invalid_grant");
        assert_eq!(
            problem["detail"],
            "unknown user, wrong password, or the account is inactive"
        );
    }
    let res = app
        .anon(Method::POST, "/v1/auth/token")
        .form(&[("grant_type", "implicit")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_problem(res, StatusCode::BAD_REQUEST).await["error"],
        "unsupported_grant_type"
    );
    let res = app
        .anon(Method::POST, "/v1/auth/token")
        .form(&[("grant_type", "password")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_problem(res, StatusCode::BAD_REQUEST).await["error"],
        "invalid_request"
    );
}

async fn missing_and_broken_tokens_are_401_with_www_authenticate(app: TestApp) {
    let res = app
        .anon(Method::GET, "/v1/organisations")
        .send()
        .await
        .unwrap();
    assert!(
        res.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    expect_problem(res, StatusCode::UNAUTHORIZED).await;
    for header in ["Basic YWRtaW46YWRtaW4=", "Bearer ", "Bearer not.a.jwt"] {
        let res = app
            .anon(Method::GET, "/v1/organisations")
            .header("authorization", header)
            .send()
            .await
            .unwrap();
        assert!(res.headers().contains_key("www-authenticate"), "{header}");
        expect_problem(res, StatusCode::UNAUTHORIZED).await;
    }
    // A broken token is refused even where no token is needed: it is never silently ignored.
    app.public("/v1/regional-networks")
        .header("authorization", "Bearer not.a.jwt")
        .problem(StatusCode::UNAUTHORIZED)
        .await;
}

async fn forged_expired_and_misaddressed_tokens_are_401(app: TestApp) {
    let admin = admin_subject(&app);
    let signed = |overrides: Value, secret: &str| {
        let mut all = admin.clone();
        for (k, v) in overrides.as_object().unwrap() {
            all[k] = v.clone();
        }
        hs256_with_kid(&app, &claims(all), secret)
    };
    let good = signed(json!({}), JWT_SECRET);
    assert_eq!(
        status_with(&app, &good).await.0,
        StatusCode::OK,
        "the control token is accepted"
    );

    let unsigned = {
        use base64::Engine;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(claims(json!({})).to_string());
        format!("{header}.{body}.")
    };
    let now = chrono::Utc::now().timestamp();
    let cases = [
        ("alg none", unsigned),
        (
            "wrong key",
            signed(json!({}), "another-secret-that-is-long-enough-too"),
        ),
        (
            "expired",
            signed(json!({"iat": now - 7200, "exp": now - 3600}), JWT_SECRET),
        ),
        (
            "wrong audience",
            signed(json!({"aud": "someone-else"}), JWT_SECRET),
        ),
        ("wrong issuer", signed(json!({"iss": "evil"}), JWT_SECRET)),
        (
            "unknown role",
            signed(json!({"role": "emperor"}), JWT_SECRET),
        ),
        ("no key id", hs256(&claims(admin.clone()), JWT_SECRET)),
        (
            "not yet valid",
            signed(json!({"nbf": now + 3600}), JWT_SECRET),
        ),
        (
            "issued in the future",
            signed(json!({"iat": now + 3600}), JWT_SECRET),
        ),
        (
            "an older credential epoch",
            signed(json!({"epc": 0}), JWT_SECRET),
        ),
        (
            "no credential epoch",
            signed(json!({"epc": null}), JWT_SECRET),
        ),
        (
            "a subject that does not exist",
            signed(
                json!({"sub": format!("user:{}", uuid::Uuid::now_v7())}),
                JWT_SECRET,
            ),
        ),
        ("an unknown critical extension", {
            use base64::Engine;
            use base64::engine::general_purpose::URL_SAFE_NO_PAD;
            let kid = jsonwebtoken::decode_header(app.admin())
                .unwrap()
                .kid
                .unwrap();
            let header =
                json!({"alg": "HS256", "typ": "JWT", "kid": kid, "crit": ["exp-x"], "exp-x": 1});
            let header = URL_SAFE_NO_PAD.encode(header.to_string());
            let payload = URL_SAFE_NO_PAD.encode(claims(admin.clone()).to_string());
            let signature = hmac_sha256_sign(JWT_SECRET, &format!("{header}.{payload}"));
            format!("{header}.{payload}.{signature}")
        }),
    ];
    for (what, token) in cases {
        let res = app
            .req(&token, Method::GET, "/v1/organisations")
            .send()
            .await
            .unwrap();
        let www = res
            .headers()
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap().to_owned());
        let problem = expect_problem(res, StatusCode::UNAUTHORIZED).await;
        assert!(www.is_some_and(|w| w.contains("invalid_token")), "{what}");
        // Why verification failed is for the log, not for someone tuning a forgery.
        assert_eq!(
            problem["detail"], "the bearer token is invalid, expired or revoked",
            "{what}"
        );
    }
}

/// The HS256 signature (base64url) of `data`: a JWS made by hand, for headers the JWT library
/// would not write.
fn hmac_sha256_sign(secret: &str, data: &str) -> String {
    let key = EncodingKey::from_secret(secret.as_bytes());
    jsonwebtoken::crypto::sign(data.as_bytes(), &key, Algorithm::HS256).unwrap()
}

async fn the_client_credentials_grant_works_and_revocation_ends_it(app: TestApp) {
    let org = app.organisation("Jobcenter Mitte", "DE-BE").await;
    let created = app
        .post(
            app.admin(),
            "/v1/api-clients",
            &json!({"name": "sync", "organisation_id": org["id"]}),
        )
        .created()
        .await;
    assert_eq!(created["role"], "partner");
    let (id, secret) = (
        created["id"].as_str().unwrap(),
        created["client_secret"].as_str().unwrap(),
    );
    let grant = |secret: &str| {
        app.anon(Method::POST, "/v1/auth/token")
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", id),
                ("client_secret", secret),
            ])
            .send()
    };
    let token = expect_json(grant(secret).await.unwrap(), StatusCode::OK).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // A partner is authenticated but may not read users.
    app.get(&token, "/v1/users")
        .problem(StatusCode::FORBIDDEN)
        .await;
    let res = grant("iqs_wrong").await.unwrap();
    assert_eq!(
        expect_problem(res, StatusCode::BAD_REQUEST).await["error"],
        "invalid_client"
    );

    assert_eq!(
        app.patch(
            app.admin(),
            &format!("/v1/api-clients/{id}"),
            &json!({"active": false})
        )
        .ok()
        .await["active"],
        false
    );
    let res = grant(secret).await.unwrap();
    assert_eq!(
        expect_problem(res, StatusCode::BAD_REQUEST).await["error"],
        "invalid_client"
    );
}

async fn inactive_users_cannot_sign_in(app: TestApp) {
    let org = app.organisation("Beratung", "DE-HH").await;
    let (user, token) = app.user("counsellor", org["id"].as_str()).await;
    app.patch(
        app.admin(),
        &format!("/v1/users/{}", user["id"].as_str().unwrap()),
        &json!({"active": false}),
    )
    .ok()
    .await;
    let res = app
        .anon(Method::POST, "/v1/auth/token")
        .form(&[
            ("grant_type", "password"),
            ("username", user["email"].as_str().unwrap()),
            ("password", crate::support::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::BAD_REQUEST).await;
    drop(token);
}

/// Tokens of a configured external identity provider (ES256) are accepted with their claims;
/// the same claims signed by another key are not. SQLite only: the issuer is a setting, not storage.
async fn tokens_of_the_external_issuer_are_accepted() {
    let public = include_str!("fixtures/external-issuer-public.pem");
    let private = include_str!("fixtures/external-issuer-private.pem");
    let app = TestApp::sqlite_with(&[
        ("IQNET_JWT_EXTERNAL_ISSUER", "https://idp.example.org"),
        ("IQNET_JWT_EXTERNAL_AUDIENCE", "iqnet"),
        ("IQNET_JWT_EXTERNAL_ALGORITHM", "ES256"),
        ("IQNET_JWT_EXTERNAL_PUBLIC_KEY", public),
    ])
    .await;
    let key = EncodingKey::from_ec_pem(private.as_bytes()).unwrap();
    let external = claims(
        json!({"iss": "https://idp.example.org", "aud": "iqnet", "sub": "alice", "role": "analyst"}),
    );
    let token = encode(&Header::new(Algorithm::ES256), &external, &key).unwrap();
    assert_eq!(status_with(&app, &token).await.0, StatusCode::OK);
    app.get(&token, "/v1/users")
        .problem(StatusCode::FORBIDDEN)
        .await;

    let wrong_audience = claims(
        json!({"iss": "https://idp.example.org", "aud": "iqnet-api", "sub": "alice", "role": "analyst"}),
    );
    let token = encode(&Header::new(Algorithm::ES256), &wrong_audience, &key).unwrap();
    assert_eq!(status_with(&app, &token).await.0, StatusCode::UNAUTHORIZED);
    // The external issuer's name with the internal HS256 secret is not a way in either.
    let token = hs256(
        &claims(json!({"iss": "https://idp.example.org", "aud": "iqnet"})),
        JWT_SECRET,
    );
    assert_eq!(status_with(&app, &token).await.0, StatusCode::UNAUTHORIZED);
}
