//! Access that ends when it should: tokens die with the account change or the session that
//! issued them, refresh tokens rotate and betray their reuse, and password guessing is throttled.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{PASSWORD, TestApp, expect_json, expect_problem};

trials! {
    backends:
        an_old_token_is_401_after_deactivation,
        an_old_token_is_401_after_a_role_change,
        an_old_token_is_401_after_a_move_to_another_organisation,
        an_old_token_is_401_after_a_password_change,
        a_revoked_clients_token_is_401_at_once,
        a_refresh_token_is_used_once_and_its_reuse_ends_the_session,
        revocation_signs_out_the_session,
        a_refresh_token_dies_with_the_account_change,
        a_burst_of_concurrent_guesses_gets_at_most_ten_answers,
        a_stale_bearer_token_does_not_block_refresh_or_sign_out,
        a_coordinators_token_ends_when_their_organisation_moves_state,
        a_token_revoked_on_one_instance_is_refused_by_the_others;
    sqlite:
        ten_wrong_passwords_lock_the_account_until_the_window_passes_on_sqlite,
        the_key_set_rotates_without_signing_anyone_out_on_sqlite,
        failed_sign_ins_from_one_address_lock_that_address_on_sqlite,
        a_session_ends_at_its_absolute_lifetime_however_often_refreshed_on_sqlite;
    postgres:
        ten_wrong_passwords_lock_the_account_until_the_window_passes_on_postgres;
}

/// Signs in with the password grant; the whole token response.
async fn sign_in(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.anon(Method::POST, "/v1/auth/token")
        .form(&[
            ("grant_type", "password"),
            ("username", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

async fn refresh(app: &TestApp, refresh_token: &str) -> reqwest::Response {
    app.anon(Method::POST, "/v1/auth/token")
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ])
        .send()
        .await
        .unwrap()
}

/// A counsellor of a new organisation: `(user, email, token response)`.
async fn signed_in_counsellor(app: &TestApp) -> (Value, String, Value) {
    let org = app.organisation("Beratung", "DE-BE").await;
    let (user, _) = app.user("counsellor", org["id"].as_str()).await;
    let email = user["email"].as_str().unwrap().to_owned();
    let tokens = expect_json(sign_in(app, &email, PASSWORD).await, StatusCode::OK).await;
    (user, email, tokens)
}

fn access(tokens: &Value) -> &str {
    tokens["access_token"].as_str().unwrap()
}

async fn works(app: &TestApp, token: &str) -> StatusCode {
    app.req(token, Method::GET, "/v1/organisations")
        .send()
        .await
        .unwrap()
        .status()
}

async fn change_user(app: &TestApp, user: &Value, patch: Value) {
    app.patch(
        app.admin(),
        &format!("/v1/users/{}", user["id"].as_str().unwrap()),
        &patch,
    )
    .ok()
    .await;
}

async fn an_old_token_is_401_after_deactivation(app: TestApp) {
    let (user, _, tokens) = signed_in_counsellor(&app).await;
    assert_eq!(works(&app, access(&tokens)).await, StatusCode::OK);
    change_user(&app, &user, json!({"active": false})).await;
    assert_eq!(works(&app, access(&tokens)).await, StatusCode::UNAUTHORIZED);
}

async fn an_old_token_is_401_after_a_role_change(app: TestApp) {
    let (user, email, tokens) = signed_in_counsellor(&app).await;
    change_user(&app, &user, json!({"role": "trainer"})).await;
    assert_eq!(works(&app, access(&tokens)).await, StatusCode::UNAUTHORIZED);
    // A new sign-in carries the new role.
    let fresh = expect_json(sign_in(&app, &email, PASSWORD).await, StatusCode::OK).await;
    assert_eq!(works(&app, access(&fresh)).await, StatusCode::OK);
}

async fn an_old_token_is_401_after_a_move_to_another_organisation(app: TestApp) {
    let (user, _, tokens) = signed_in_counsellor(&app).await;
    let other = app.organisation("Andere Beratung", "DE-HH").await;
    change_user(&app, &user, json!({"organisation_id": other["id"]})).await;
    assert_eq!(works(&app, access(&tokens)).await, StatusCode::UNAUTHORIZED);
}

async fn an_old_token_is_401_after_a_password_change(app: TestApp) {
    let (_, email, tokens) = signed_in_counsellor(&app).await;
    let new_password = "a-new-password-for-tests";
    // A token alone does not change the password: the current one must come with it.
    for (body, code) in [
        (json!({"password": new_password}), "required"),
        (
            json!({"password": new_password, "current_password": "not-the-password"}),
            "mismatch",
        ),
    ] {
        let error = app
            .patch(access(&tokens), "/v1/users/me", &body)
            .invalid()
            .await;
        assert_eq!(
            (error["field"].as_str(), error["code"].as_str()),
            (Some("current_password"), Some(code))
        );
    }
    assert_eq!(
        works(&app, access(&tokens)).await,
        StatusCode::OK,
        "nothing changed"
    );
    app.patch(
        access(&tokens),
        "/v1/users/me",
        &json!({"password": new_password, "current_password": PASSWORD}),
    )
    .ok()
    .await;
    assert_eq!(works(&app, access(&tokens)).await, StatusCode::UNAUTHORIZED);
    let fresh = expect_json(sign_in(&app, &email, new_password).await, StatusCode::OK).await;
    assert_eq!(works(&app, access(&fresh)).await, StatusCode::OK);
}

async fn a_revoked_clients_token_is_401_at_once(app: TestApp) {
    let org = app.organisation("Jobcenter Mitte", "DE-BE").await;
    let client = app
        .post(
            app.admin(),
            "/v1/api-clients",
            &json!({"name": "sync", "role": "partner", "organisation_id": org["id"]}),
        )
        .created()
        .await;
    let id = client["id"].as_str().unwrap();
    let granted = app
        .anon(Method::POST, "/v1/auth/token")
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", client["client_secret"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    let tokens = expect_json(granted, StatusCode::OK).await;
    assert!(
        tokens.get("refresh_token").is_none(),
        "machine clients get no refresh token"
    );
    assert_eq!(works(&app, access(&tokens)).await, StatusCode::OK);
    app.patch(
        app.admin(),
        &format!("/v1/api-clients/{id}"),
        &json!({"active": false}),
    )
    .ok()
    .await;
    assert_eq!(works(&app, access(&tokens)).await, StatusCode::UNAUTHORIZED);
}

async fn a_refresh_token_is_used_once_and_its_reuse_ends_the_session(app: TestApp) {
    let (_, _, first) = signed_in_counsellor(&app).await;
    let first_refresh = first["refresh_token"].as_str().unwrap();
    let second = expect_json(refresh(&app, first_refresh).await, StatusCode::OK).await;
    let second_refresh = second["refresh_token"].as_str().unwrap();
    assert_ne!(first_refresh, second_refresh, "refresh tokens rotate");
    assert_eq!(works(&app, access(&second)).await, StatusCode::OK);

    // The first refresh token again: it leaked. The whole session ends.
    let reused = expect_problem(refresh(&app, first_refresh).await, StatusCode::BAD_REQUEST).await;
    assert_eq!(reused["error"], "invalid_grant");
    let after = expect_problem(refresh(&app, second_refresh).await, StatusCode::BAD_REQUEST).await;
    assert_eq!(after["error"], "invalid_grant", "the family is revoked");
    assert_eq!(works(&app, access(&second)).await, StatusCode::UNAUTHORIZED);
    assert_eq!(works(&app, access(&first)).await, StatusCode::UNAUTHORIZED);
}

async fn revocation_signs_out_the_session(app: TestApp) {
    let (_, email, tokens) = signed_in_counsellor(&app).await;
    let other_session = expect_json(sign_in(&app, &email, PASSWORD).await, StatusCode::OK).await;
    let revoked = app
        .anon(Method::POST, "/v1/auth/revoke")
        .form(&[("token", tokens["refresh_token"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(works(&app, access(&tokens)).await, StatusCode::UNAUTHORIZED);
    let refused = refresh(&app, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    // Only that session: the user's other sign-in goes on.
    assert_eq!(works(&app, access(&other_session)).await, StatusCode::OK);
    // An access token revokes its session too; unknown tokens are answered 200 as well.
    for token in [access(&other_session), "not-a-token"] {
        let res = app
            .anon(Method::POST, "/v1/auth/revoke")
            .form(&[("token", token)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }
    assert_eq!(
        works(&app, access(&other_session)).await,
        StatusCode::UNAUTHORIZED
    );
}

/// Instances may remember the tokens they verified (PostgreSQL tells them all of each change):
/// a revocation on one still ends the token on every other within milliseconds.
async fn a_token_revoked_on_one_instance_is_refused_by_the_others(app: TestApp) {
    let other = app.another_instance().await;
    let (user, _, tokens) = signed_in_counsellor(&app).await;
    for instance in [&app, &other, &other] {
        assert_eq!(works(instance, access(&tokens)).await, StatusCode::OK);
    }
    let revoked = app
        .anon(Method::POST, "/v1/auth/revoke")
        .form(&[("token", tokens["refresh_token"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::OK);
    refused_soon(&other, access(&tokens)).await;

    // A change of the account, made on the other instance, ends a token this one remembers.
    let again = expect_json(
        sign_in(&app, user["email"].as_str().unwrap(), PASSWORD).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(works(&app, access(&again)).await, StatusCode::OK);
    change_user(&other, &user, json!({"active": false})).await;
    refused_soon(&app, access(&again)).await;
}

/// `token` is refused by `instance` within 200 ms (what a notification takes to arrive).
async fn refused_soon(instance: &TestApp, token: &str) {
    let started = std::time::Instant::now();
    while works(instance, token).await != StatusCode::UNAUTHORIZED {
        assert!(
            started.elapsed() < Duration::from_millis(200),
            "still accepted after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

async fn a_refresh_token_dies_with_the_account_change(app: TestApp) {
    let (user, _, tokens) = signed_in_counsellor(&app).await;
    change_user(&app, &user, json!({"active": false})).await;
    let refused = refresh(&app, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
}

/// At most 10 wrong passwords are answered before the account is locked; the lock-out (2 s here)
/// ends, and the right password works again.
async fn ten_wrong_passwords_lock_the_account(app: TestApp) {
    let (_, email, _) = signed_in_counsellor(&app).await;
    for attempt in 1..=10 {
        let res = sign_in(&app, &email, "a-wrong-password-guess").await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "attempt {attempt}");
    }
    let locked = sign_in(&app, &email, PASSWORD).await;
    let retry_after: u64 = locked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3).contains(&retry_after), "{retry_after}");
    expect_problem(locked, StatusCode::TOO_MANY_REQUESTS).await;
    // Another account is not locked by this one's failures.
    let admin = sign_in(
        &app,
        crate::support::ADMIN_EMAIL,
        crate::support::ADMIN_PASSWORD,
    )
    .await;
    assert_eq!(admin.status(), StatusCode::OK);

    tokio::time::sleep(Duration::from_secs(retry_after)).await;
    let again = sign_in(&app, &email, PASSWORD).await;
    assert_eq!(again.status(), StatusCode::OK);
}

const SHORT_LOCKOUT: &[(&str, &str)] = &[("IQNET_SIGN_IN_LOCKOUT_SECS", "2")];

async fn ten_wrong_passwords_lock_the_account_until_the_window_passes_on_sqlite() {
    ten_wrong_passwords_lock_the_account(TestApp::sqlite_with(SHORT_LOCKOUT).await).await;
}

async fn ten_wrong_passwords_lock_the_account_until_the_window_passes_on_postgres() {
    ten_wrong_passwords_lock_the_account(TestApp::postgres_with(SHORT_LOCKOUT).await).await;
}

/// Two keys verify, one signs: a token signed by the older key stays valid after the newer one
/// takes over signing, and withdrawing a key ends its tokens.
async fn the_key_set_rotates_without_signing_anyone_out_on_sqlite() {
    let old = "old=an-old-signing-secret-long-enough-for-hs256";
    let new = "new=a-new-signing-secret-long-enough-for-hs256!";
    let before = TestApp::sqlite_with(&[("IQNET_JWT_KEYS", old)]).await;
    let old_token = before.admin().to_owned();
    assert_eq!(kid(&old_token), "old");

    let keys = format!("{old},{new}");
    let rotated = before
        .restart(&[("IQNET_JWT_KEYS", &keys), ("IQNET_JWT_SIGNING_KID", "new")])
        .await;
    assert_eq!(kid(rotated.admin()), "new", "the new key signs");
    assert_eq!(
        works(&rotated, &old_token).await,
        StatusCode::OK,
        "old tokens still verify"
    );

    let withdrawn = rotated.restart(&[("IQNET_JWT_KEYS", new)]).await;
    assert_eq!(
        works(&withdrawn, &old_token).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(works(&withdrawn, withdrawn.admin()).await, StatusCode::OK);
}

fn kid(token: &str) -> String {
    jsonwebtoken::decode_header(token).unwrap().kid.unwrap()
}

/// Guessing across many accounts from one address is throttled too (3 failures here).
async fn failed_sign_ins_from_one_address_lock_that_address_on_sqlite() {
    let app = TestApp::sqlite_with(&[("IQNET_SIGN_IN_ADDRESS_LIMIT", "3")]).await;
    for n in 1..=3 {
        let res = sign_in(
            &app,
            &format!("nobody-{n}@example.org"),
            "a-wrong-password-guess",
        )
        .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "attempt {n}");
    }
    let locked = sign_in(
        &app,
        crate::support::ADMIN_EMAIL,
        crate::support::ADMIN_PASSWORD,
    )
    .await;
    assert!(locked.headers().contains_key("retry-after"));
    expect_problem(locked, StatusCode::TOO_MANY_REQUESTS).await;
}

/// The attempts are counted before the password is checked, so thirty guesses sent at once get
/// no more than ten answers; the rest are 429 without any hashing.
async fn a_burst_of_concurrent_guesses_gets_at_most_ten_answers(app: TestApp) {
    let (_, email, _) = signed_in_counsellor(&app).await;
    let guesses = (0..30).map(|_| sign_in(&app, &email, "a-wrong-password-guess"));
    let statuses: Vec<StatusCode> = futures_util::future::join_all(guesses)
        .await
        .iter()
        .map(reqwest::Response::status)
        .collect();
    let answered = statuses
        .iter()
        .filter(|s| **s == StatusCode::BAD_REQUEST)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((answered, refused), (10, 20), "{statuses:?}");
}

/// The token endpoints do not look at a bearer token a client attaches out of habit.
async fn a_stale_bearer_token_does_not_block_refresh_or_sign_out(app: TestApp) {
    let (user, _, tokens) = signed_in_counsellor(&app).await;
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    let stale = "eyJhbGciOiJIUzI1NiJ9.e30.invalid";
    let refreshed = app
        .req(stale, Method::POST, "/v1/auth/token")
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ])
        .send()
        .await
        .unwrap();
    let next = expect_json(refreshed, StatusCode::OK).await;
    let revoked = app
        .req(stale, Method::POST, "/v1/auth/revoke")
        .form(&[("token", next["refresh_token"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(works(&app, access(&next)).await, StatusCode::UNAUTHORIZED);
    let _ = user;
}

/// A coordinator's network is their organisation's state: when it moves, their token ends.
async fn a_coordinators_token_ends_when_their_organisation_moves_state(app: TestApp) {
    let org = app.organisation("IQ Koordination", "DE-BE").await;
    let (_, token) = app.user("network_coordinator", org["id"].as_str()).await;
    assert_eq!(works(&app, &token).await, StatusCode::OK);
    app.patch(
        app.admin(),
        &format!("/v1/organisations/{}", org["id"].as_str().unwrap()),
        &json!({"state": "DE-HH"}),
    )
    .ok()
    .await;
    assert_eq!(works(&app, &token).await, StatusCode::UNAUTHORIZED);
}

/// A session lives at most `IQNET_SESSION_TTL_SECS` (2 s here), however often it is refreshed:
/// a stolen one does not live for ever.
async fn a_session_ends_at_its_absolute_lifetime_however_often_refreshed_on_sqlite() {
    let app = TestApp::sqlite_with(&[("IQNET_SESSION_TTL_SECS", "2")]).await;
    let (_, _, tokens) = signed_in_counsellor(&app).await;
    let refreshed = expect_json(
        refresh(&app, tokens["refresh_token"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(works(&app, access(&refreshed)).await, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        works(&app, access(&refreshed)).await,
        StatusCode::UNAUTHORIZED
    );
    let refused = refresh(&app, refreshed["refresh_token"].as_str().unwrap()).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
}
