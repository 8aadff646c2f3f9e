//! Builders for the resources the suites create, each with sensible defaults:
//! `app.seeker(&token).code("B-1").consents(["counselling"]).create().await`.
//!
//! A `Draft` is the JSON body of one `POST`; the typed setters of each resource name its fields,
//! `set`/`unset` reach any other.

use std::marker::PhantomData;

use serde_json::{Map, Value, json};

use super::TestApp;
use super::call::{Call, id};

pub struct Draft<'a, Kind> {
    app: &'a TestApp,
    token: String,
    path: String,
    body: Map<String, Value>,
    idempotency_key: Option<String>,
    kind: PhantomData<Kind>,
}

impl<'a, Kind> Draft<'a, Kind> {
    fn new(app: &'a TestApp, token: &str, path: impl Into<String>, body: Value) -> Self {
        let Value::Object(body) = body else {
            panic!("a draft's body is an object")
        };
        Draft {
            app,
            token: token.to_owned(),
            path: path.into(),
            body,
            idempotency_key: None,
            kind: PhantomData,
        }
    }

    /// Sets any field.
    pub fn set(mut self, field: &str, value: impl Into<Value>) -> Self {
        self.body.insert(field.to_owned(), value.into());
        self
    }

    /// Leaves a field out.
    pub fn unset(mut self, field: &str) -> Self {
        self.body.remove(field);
        self
    }

    pub fn idempotency_key(mut self, key: &str) -> Self {
        self.idempotency_key = Some(key.to_owned());
        self
    }

    /// The body as it would be sent.
    pub fn body(&self) -> Value {
        Value::Object(self.body.clone())
    }

    /// The `POST`, for a test that expects something other than 201.
    pub fn call(&self) -> Call {
        let call = self.app.post(&self.token, &self.path, &self.body());
        match &self.idempotency_key {
            Some(key) => call.idempotency_key(key),
            None => call,
        }
    }

    /// Creates the resource (201); returns its JSON.
    pub async fn create(&self) -> Value {
        self.call().created().await
    }
}

/// Typed setters: `name(value)` sets `"field"`.
macro_rules! setters {
    ($kind:ident { $($setter:ident => $field:literal),+ $(,)? }) => {
        pub struct $kind;
        impl Draft<'_, $kind> {
            $(
                pub fn $setter(self, value: impl Into<Value>) -> Self {
                    self.set($field, value)
                }
            )+
        }
    };
}

setters!(Centre {
    name => "name", kind => "kind", state => "state", postcode => "postcode", city => "city",
    languages => "languages", formats => "formats", opening_hours => "opening_hours",
    organisation => "organisation_id",
});
setters!(Seeker {
    code => "client_code", name => "name", email => "email", gender => "gender",
    nationalities => "nationalities", consents => "consents",
});
setters!(Qualification {
    country => "country", occupation => "reference_occupation",
});
setters!(Case {
    kind => "kind", access_route => "access_route", opened_on => "opened_on",
});
setters!(Session {
    kind => "kind", format => "format", held_on => "held_on", minutes => "duration_minutes",
    language => "language", topics => "topics",
});
setters!(Procedure {
    submitted_on => "submitted_on", accelerated => "accelerated", authority => "authority_name",
});
setters!(Referral {
    reason => "reason", sent_on => "sent_on",
});

impl Draft<'_, Qualification> {
    /// Acquired in `country`, for the reference occupation `occupation`.
    pub fn from(self, country: &str, occupation: &str) -> Self {
        self.country(country).occupation(occupation)
    }
}

impl Draft<'_, Seeker> {
    /// Only the required fields: no name, e-mail, residence details or consents.
    pub fn minimal(self) -> Self {
        let optional = [
            "name",
            "email",
            "year_of_entry",
            "residence_title",
            "german_level",
        ];
        optional
            .into_iter()
            .chain(["consents"])
            .fold(self, |draft, field| draft.unset(field))
    }
}

impl Draft<'_, Procedure> {
    /// The counselling case the procedure belongs to.
    pub fn case(self, case: &Value) -> Self {
        self.set("case_id", id(case))
    }
}

/// Today, as the API writes dates.
pub fn today() -> String {
    days_ago(0)
}

pub fn days_ago(n: i64) -> String {
    (chrono::Utc::now().date_naive() - chrono::Duration::days(n)).to_string()
}

impl TestApp {
    /// An advice centre of the caller's organisation: fixed, in Berlin, German, in person.
    pub fn centre(&self, token: &str) -> Draft<'_, Centre> {
        Draft::new(
            self,
            token,
            "/v1/advice-centres",
            json!({"name": "IQ Beratung", "kind": "fixed", "state": "DE-BE", "postcode": "10115",
                   "city": "Berlin", "languages": ["de"], "formats": ["in_person"]}),
        )
    }

    /// An advice seeker with every personal field filled and no consents; the client code is
    /// unique unless set.
    pub fn seeker(&self, token: &str) -> Draft<'_, Seeker> {
        let code = format!("S-{}", &uuid::Uuid::now_v7().simple().to_string()[20..]);
        Draft::new(
            self,
            token,
            "/v1/advice-seekers",
            json!({"client_code": code, "name": "Amina Haddad", "email": "amina@example.org",
                   "gender": "female", "nationalities": ["SY"], "country_of_residence": "DE",
                   "year_of_entry": 2019, "residence_title": "18a", "german_level": "b2",
                   "consents": []}),
        )
    }

    /// A Syrian nursing degree (a regulated occupation, 81302).
    pub fn qualification(&self, token: &str, seeker: &Value) -> Draft<'_, Qualification> {
        Draft::new(
            self,
            token,
            format!("/v1/advice-seekers/{}/qualifications", id(seeker)),
            json!({"kind": "academic", "title": "Nursing", "country": "SY", "year_acquired": 2014,
                   "dqr_level": 6, "reference_occupation": "81302"}),
        )
    }

    /// A recognition case the seeker came to by themselves.
    pub fn case(&self, token: &str, seeker: &Value) -> Draft<'_, Case> {
        Draft::new(
            self,
            token,
            "/v1/counselling-cases",
            json!({"seeker_id": id(seeker), "kind": "recognition", "access_route": "self"}),
        )
    }

    /// A first session of an hour, in person, in German, today.
    pub fn session(&self, token: &str, case: &Value) -> Draft<'_, Session> {
        Draft::new(
            self,
            token,
            format!("/v1/counselling-cases/{}/sessions", id(case)),
            json!({"kind": "first", "format": "in_person", "held_on": today(),
                   "duration_minutes": 60, "language": "de", "topics": ["procedure"]}),
        )
    }

    /// A normal (not accelerated) procedure submitted today.
    pub fn procedure(&self, token: &str, qualification: &Value) -> Draft<'_, Procedure> {
        Draft::new(
            self,
            token,
            "/v1/recognition-procedures",
            json!({"qualification_id": id(qualification), "submitted_on": today(),
                   "accelerated": false}),
        )
    }

    /// A referral of the case's seeker to another organisation, for a bridge course.
    pub fn referral(&self, token: &str, case: &Value, to: &Value) -> Draft<'_, Referral> {
        Draft::new(
            self,
            token,
            "/v1/referrals",
            json!({"case_id": id(case), "to_organisation_id": id(to), "reason": "bridge course"}),
        )
    }
}
