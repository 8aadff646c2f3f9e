//! Referrals to other organisations: what the receiving side sees depends on the seeker's
//! consent, and only the receiving side answers.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::builders::today;
use crate::support::{TestApp, id};

trials! {
    backends:
        referred_organisations_see_the_seeker_only_with_consent,
        withdrawing_consent_hides_the_seeker_again,
        only_the_receiving_organisation_answers_a_referral,
        receiving_staff_list_what_was_sent_to_them,
        a_replayed_referral_carries_no_seeker,
        without_consent_the_receiver_gets_neither_reason_nor_seeker_id,
        what_the_receivers_list_shows_is_audited,
        withdrawing_consent_hides_the_reason_in_the_receivers_list;
}

/// Two seekers of a Bremen centre referred to a bridge-course provider: HB-1 consents to
/// sharing with referrals, HB-2 does not.
struct Referred {
    token: String,
    provider_staff: String,
    provider_counsellor: String,
    consenting: Value,
    reluctant: Value,
    referrals: [Value; 2],
}

async fn referred(app: &TestApp) -> Referred {
    let (_, token) = app.counsellor("DE-HB").await;
    let provider = app.organisation("Brückenkurse Bremen", "DE-HB").await;
    let (_, provider_staff) = app.user("trainer", provider["id"].as_str()).await;
    let (_, provider_counsellor) = app.user("counsellor", provider["id"].as_str()).await;
    let consenting = app
        .seeker(&token)
        .code("HB-1")
        .consents(["counselling", "sharing_with_referrals"])
        .create()
        .await;
    let reluctant = app
        .seeker(&token)
        .code("HB-2")
        .consents(["counselling"])
        .create()
        .await;
    app.qualification(&token, &consenting)
        .country("UA")
        .create()
        .await;
    let mut referrals = Vec::new();
    for seeker in [&consenting, &reluctant] {
        let case = app
            .case(&token, seeker)
            .kind("qualification")
            .create()
            .await;
        referrals.push(app.referral(&token, &case, &provider).create().await);
    }
    Referred {
        token,
        provider_staff,
        provider_counsellor,
        consenting,
        reluctant,
        referrals: referrals.try_into().unwrap(),
    }
}

async fn referred_organisations_see_the_seeker_only_with_consent(app: TestApp) {
    let r = referred(&app).await;

    let with_consent = app
        .get_referral(&r.provider_staff, &r.referrals[0])
        .ok()
        .await;
    assert_eq!(with_consent["seeker"]["client_code"], "HB-1");
    assert_eq!(with_consent["seeker"]["qualifications"][0]["country"], "UA");
    let without = app
        .get_referral(&r.provider_staff, &r.referrals[1])
        .ok()
        .await;
    assert_eq!(without["seeker"], Value::Null);
    assert_eq!(without["status"], "sent");
    // The referring side always sees its own seeker.
    assert_eq!(
        app.get_referral(&r.token, &r.referrals[1]).ok().await["seeker"]["client_code"],
        "HB-2"
    );
    // The receiving organisation never reaches the seeker record itself.
    app.get_seeker(&r.provider_counsellor, &r.consenting)
        .problem(StatusCode::NOT_FOUND)
        .await;
}

async fn withdrawing_consent_hides_the_seeker_again(app: TestApp) {
    let r = referred(&app).await;

    let withdrawn = app
        .withdraw_consent(&r.token, &r.consenting, "sharing_with_referrals")
        .ok()
        .await;

    assert!(
        withdrawn["consents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["purpose"] == "sharing_with_referrals" && c["withdrawn_at"].is_string())
    );
    assert_eq!(
        app.get_referral(&r.provider_staff, &r.referrals[0])
            .ok()
            .await["seeker"],
        Value::Null
    );
}

/// The receiving organisation answers; the referring one may not.
async fn only_the_receiving_organisation_answers_a_referral(app: TestApp) {
    let r = referred(&app).await;
    let referral = &r.referrals[0];
    let accept = json!({"action": "accept", "date": today()});

    app.referral_action(&r.token, referral, &accept)
        .problem(StatusCode::FORBIDDEN)
        .await;
    let accepted = app
        .referral_action(&r.provider_staff, referral, &accept)
        .ok()
        .await;
    assert_eq!(accepted["status"], "accepted");
    let problem = app
        .referral_action(
            &r.provider_staff,
            referral,
            &json!({"action": "decline", "date": today()}),
        )
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(problem["allowed"], json!(["complete"]));
}

async fn receiving_staff_list_what_was_sent_to_them(app: TestApp) {
    let r = referred(&app).await;

    let page = app.get(&r.provider_staff, "/v1/referrals").ok().await;

    assert_eq!(page["items"].as_array().unwrap().len(), 2);
}

/// A replayed response never carries a referral's seeker: the stored copy must not outlive a
/// withdrawn consent.
async fn a_replayed_referral_carries_no_seeker(app: TestApp) {
    let (_, token) = app.counsellor("DE-ST").await;
    let seeker = super::olena(&app, &token).create().await;
    let provider = app.organisation("Kursanbieter", "DE-ST").await;
    let case = app
        .case(&token, &seeker)
        .kind("qualification")
        .create()
        .await;
    let refer = app
        .referral(&token, &case, &provider)
        .idempotency_key("ref-1");

    let sent = refer.create().await;
    let replayed = refer.create().await;

    assert_eq!(sent["seeker"]["name"], "Olena K.");
    assert_eq!(replayed["id"], sent["id"]);
    assert_eq!(replayed["seeker"], Value::Null);
    assert_eq!(id(&replayed), id(&sent));
}

/// The personal data a referral carries (the seeker's and the case's ids, the free-text reason).
fn personal(referral: &Value) -> [&Value; 3] {
    [
        &referral["seeker_id"],
        &referral["case_id"],
        &referral["reason"],
    ]
}

/// A referral's entry in a page of referrals.
fn entry<'a>(page: &'a Value, referral: &Value) -> &'a Value {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == referral["id"])
        .unwrap_or_else(|| panic!("{} not listed: {page}", referral["id"]))
}

/// Issue 9, item 21: a referral made without the sharing consent carries no personal data to
/// the receiver, neither in free text nor as ids: not when read, listed or answered.
async fn without_consent_the_receiver_gets_neither_reason_nor_seeker_id(app: TestApp) {
    let r = referred(&app).await;
    let [with_consent, without] = &r.referrals;

    let read = app.get_referral(&r.provider_staff, without).ok().await;
    let listed = app.get(&r.provider_staff, "/v1/referrals").ok().await;
    let answered = app
        .referral_action(
            &r.provider_staff,
            without,
            &json!({"action": "accept", "date": today()}),
        )
        .ok()
        .await;

    let none = [&Value::Null; 3];
    assert_eq!(personal(&read), none, "{read}");
    assert_eq!(personal(entry(&listed, without)), none, "{listed}");
    assert_eq!(personal(&answered), none, "{answered}");
    assert_eq!(answered["status"], "accepted");
    let shared = entry(&listed, with_consent);
    assert_eq!(shared["reason"], "bridge course");
    assert_eq!(shared["seeker_id"], r.consenting["id"]);
    // The referring side sees its own referral whole.
    let own = app.get_referral(&r.token, without).ok().await;
    assert_eq!(own["reason"], "bridge course");
    assert_eq!(own["seeker_id"], r.reluctant["id"]);
    // Nor can the receiver find a seeker's referrals by the seeker's id.
    let path = format!("/v1/referrals?seeker_id={}", id(&r.reluctant));
    let searched = app.get(&r.provider_counsellor, &path).ok().await;
    assert_eq!(searched["items"], json!([]));
}

async fn withdrawing_consent_hides_the_reason_in_the_receivers_list(app: TestApp) {
    let r = referred(&app).await;
    let before = app.get(&r.provider_staff, "/v1/referrals").ok().await;
    assert_eq!(entry(&before, &r.referrals[0])["reason"], "bridge course");

    app.withdraw_consent(&r.token, &r.consenting, "sharing_with_referrals")
        .ok()
        .await;

    let after = app.get(&r.provider_staff, "/v1/referrals").ok().await;
    assert_eq!(personal(entry(&after, &r.referrals[0])), [&Value::Null; 3]);
}

/// The reads of a seeker's audit log made by `listReferrals`.
async fn listed(app: &TestApp, seeker: &Value) -> usize {
    let path = format!("/v1/advice-seekers/{}/audit-log?limit=500", id(seeker));
    let log = app.get(app.admin(), &path).ok().await;
    log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "read" && e["reason"] == "listReferrals")
        .count()
}

/// A list that shows the receiver a seeker's id and the reason is a read of personal data,
/// audited like any other; one that shows nothing of the seeker is not.
async fn what_the_receivers_list_shows_is_audited(app: TestApp) {
    let r = referred(&app).await;

    app.get(&r.provider_staff, "/v1/referrals").ok().await;

    assert_eq!(listed(&app, &r.consenting).await, 1);
    assert_eq!(listed(&app, &r.reluctant).await, 0);
}
