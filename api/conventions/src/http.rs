//! The conventions every endpoint shares: cursor pagination, ETags and conditional requests,
//! `201 Created` with `Location`, and JSON merge-patch fields.

use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, EntityTag, Header};
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest, HttpResponse, Responder};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use iqnet_persistence::{Page, PageRequest};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use iqnet_shared::DomainError;
use iqnet_shared::error::Violations;

use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{Ref, RefOr};

use crate::error::{ApiError, ApiResult};
use crate::middleware::idempotency::{RedactOnReplay, StoredForReplay};

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;

/// One page of a collection.
#[derive(Debug, Serialize)]
pub struct List<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

// The schema is written by hand: the derive copies `T`'s whole schema into `items`, so generated
// clients got a second class per list (`ListAdviceSeekerItemsItem`) instead of `AdviceSeeker`.
// Here `items` refers to `T` by name. utoipa's macros build a generic type where it is used
// (`body = List<AdviceSeeker>`, named `List_AdviceSeeker`) through `ComposeSchema`.
impl<T: ToSchema> utoipa::__dev::ComposeSchema for List<T> {
    fn compose(_inline_generics: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        ObjectBuilder::new()
            .description(Some("One page of a collection."))
            .property(
                "items",
                ArrayBuilder::new().items(Ref::from_schema_name(T::name())),
            )
            .required("items")
            .property(
                "next_cursor",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                    .description(Some(
                        "Pass as `cursor` to get the next page; `null` on the last page.",
                    )),
            )
            .into()
    }
}

impl<T: ToSchema> ToSchema for List<T> {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("List")
    }

    /// `T` itself, which `items` refers to, and what `T` refers to.
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((T::name().into_owned(), T::schema()));
        T::schemas(schemas);
    }
}

/// Declares a list query: the given filters plus `limit`, `cursor` and (where the records change)
/// `updated_since`. Unknown parameters are refused. With `=> Filter`, the filters are moved into
/// the storage layer's filter struct of the same fields by `into_parts`, so no handler copies
/// them field by field.
#[macro_export]
macro_rules! list_query {
    ($(#[$meta:meta])* pub struct $name:ident => $filter:ident { $($(#[$fmeta:meta])* pub $field:ident : $ty:ty,)* }) => {
        $crate::list_query! {
            $(#[$meta])* pub struct $name { $($(#[$fmeta])* pub $field: $ty,)* }
        }

        impl $name {
            /// The storage filter and the page this query asks for.
            pub fn into_parts(
                self,
            ) -> $crate::error::ApiResult<($filter, iqnet_persistence::PageRequest)> {
                let page = self.page()?;
                Ok(($filter { $($field: self.$field,)* }, page))
            }
        }
    };
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$fmeta:meta])* pub $field:ident : $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
        #[serde(deny_unknown_fields)]
        #[into_params(parameter_in = Query)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            /// Page size, 1 to 500.
            #[param(minimum = 1, maximum = 500, default = 50, example = 50)]
            pub limit: Option<u32>,
            /// Opaque cursor from a previous page's `next_cursor`. Never empty: the server
            /// refuses an empty or altered one (400 `invalid-cursor`).
            #[param(min_length = 1, pattern = "^[A-Za-z0-9_-]+$")]
            pub cursor: Option<String>,
        }

        impl $name {
            pub fn page(&self) -> $crate::error::ApiResult<iqnet_persistence::PageRequest> {
                $crate::http::page_request(self.limit, self.cursor.as_deref())
            }
        }
    };
}

/// Validates `limit` and decodes `cursor`.
pub fn page_request(limit: Option<u32>, cursor: Option<&str>) -> ApiResult<PageRequest> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid-query",
            format!("limit must be between 1 and {MAX_LIMIT}"),
            vec![iqnet_shared::FieldError::new(
                "limit",
                "out_of_range",
                format!("1 to {MAX_LIMIT}"),
            )],
        ));
    }
    let after = cursor.map(decode_cursor).transpose()?;
    Ok(PageRequest {
        after,
        limit: i64::from(limit),
    })
}

fn encode_cursor(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("k:{key}"))
}

fn decode_cursor(cursor: &str) -> ApiResult<String> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|s| s.strip_prefix("k:").map(str::to_owned))
        .filter(|key| !key.chars().any(char::is_control))
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid-cursor",
                "the cursor is not one this API issued",
                vec![iqnet_shared::FieldError::new(
                    "cursor",
                    "invalid",
                    "pass next_cursor from a previous page unchanged",
                )],
            )
        })
}

/// `200` with a page of items, and a `Link: <...>; rel="next"` header when more follow.
pub fn list<T: Serialize + ToSchema>(req: &HttpRequest, page: Page<T>) -> HttpResponse {
    let next_cursor = page.next_after.as_deref().map(encode_cursor);
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &next_cursor {
        response.insert_header((
            header::LINK,
            format!("<{}>; rel=\"next\"", next_link(req, cursor)),
        ));
    }
    response.json(List {
        items: page.items,
        next_cursor,
    })
}

/// The request's own URL with `cursor` replaced.
fn next_link(req: &HttpRequest, cursor: &str) -> String {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(req.query_string().as_bytes())
        .filter(|(k, _)| k != "cursor")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.push(("cursor".to_owned(), cursor.to_owned()));
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("{}?{query}", req.path())
}

/// The strong entity tag of a resource: its version.
pub fn etag(version: i64) -> EntityTag {
    EntityTag::new_strong(version.to_string())
}

/// `200` with the resource and its `ETag`, or `304` when `If-None-Match` already names it.
pub fn single<T: Serialize>(req: &HttpRequest, body: &T, version: i64) -> HttpResponse {
    let tag = etag(version);
    // If-None-Match uses the weak comparison (RFC 9110 13.1.2).
    let unchanged = match header::IfNoneMatch::parse(req) {
        Ok(header::IfNoneMatch::Any) => true,
        Ok(header::IfNoneMatch::Items(tags)) => tags.iter().any(|t| t.weak_eq(&tag)),
        Err(_) => false,
    };
    if unchanged {
        return HttpResponse::NotModified()
            .insert_header(header::ETag(tag))
            .finish();
    }
    HttpResponse::Ok()
        .insert_header(header::ETag(tag))
        .json(body)
}

/// A finished response made inside the transaction that made the change: `Send`, so it can
/// leave the blocking thread, and complete, so an `Idempotency-Key` can store it in that same
/// transaction (`AppState::commit`).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: Vec<(header::HeaderName, String)>,
    /// JSON.
    pub body: Bytes,
    /// Top-level fields an idempotent replay carries as `null` (secrets, direct identifiers).
    pub redact_on_replay: &'static [&'static str],
    /// Set by `AppState::commit` once the reply is stored under the request's idempotency key.
    pub stored_for_replay: bool,
}

impl Reply {
    pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Reply {
        let body = serde_json::to_vec(body).unwrap_or_else(|e| {
            log::error!("cannot serialise a response: {e}");
            b"null".to_vec()
        });
        Reply {
            status,
            headers: vec![(header::CONTENT_TYPE, "application/json".to_owned())],
            body: Bytes::from(body),
            redact_on_replay: &[],
            stored_for_replay: false,
        }
    }

    pub fn with_header(mut self, name: header::HeaderName, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }

    /// Marks top-level fields that an idempotent replay must carry as `null`.
    pub fn redact_on_replay(mut self, fields: &'static [&'static str]) -> Reply {
        self.redact_on_replay = fields;
        self
    }
}

impl Responder for Reply {
    type Body = BoxBody;

    fn respond_to(self, _req: &HttpRequest) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        for (name, value) in &self.headers {
            response.insert_header((name.clone(), value.as_str()));
        }
        let mut response = response.body(self.body);
        if !self.redact_on_replay.is_empty() {
            response
                .extensions_mut()
                .insert(RedactOnReplay(self.redact_on_replay));
        }
        if self.stored_for_replay {
            response.extensions_mut().insert(StoredForReplay);
        }
        response
    }
}

/// `200` with the resource and its `ETag`, ignoring `If-None-Match`: for changes (made already),
/// and for views whose content depends on more than the version.
pub fn ok_with_etag<T: Serialize>(body: &T, version: i64) -> Reply {
    Reply::json(StatusCode::OK, body).with_header(header::ETAG, etag(version).to_string())
}

/// `201` with `Location`, `ETag` and the new resource.
pub fn created<T: Serialize>(location: String, body: &T, version: i64) -> Reply {
    Reply::json(StatusCode::CREATED, body)
        .with_header(header::LOCATION, location)
        .with_header(header::ETAG, etag(version).to_string())
}

/// The entity tags `If-Match` names, if the request sent the header. An extractor: a handler
/// that updates takes it as a parameter and checks it against the current version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    Absent,
    Any,
    Tags(Vec<EntityTag>),
}

impl IfMatch {
    pub fn of(req: &HttpRequest) -> IfMatch {
        if !req.headers().contains_key(header::IF_MATCH) {
            return IfMatch::Absent;
        }
        match header::IfMatch::parse(req) {
            Ok(header::IfMatch::Any) => IfMatch::Any,
            Ok(header::IfMatch::Items(tags)) => IfMatch::Tags(tags),
            // An unreadable precondition matches no version.
            Err(_) => IfMatch::Tags(Vec::new()),
        }
    }

    /// 412 unless the current version is acceptable (strong comparison, RFC 9110 13.1.1).
    pub fn check(&self, current: i64) -> ApiResult<()> {
        match self {
            IfMatch::Absent | IfMatch::Any => Ok(()),
            IfMatch::Tags(tags) if tags.iter().any(|t| t.strong_eq(&etag(current))) => Ok(()),
            IfMatch::Tags(_) => Err(ApiError::precondition_failed(current)),
        }
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(IfMatch::of(req)))
    }
}

/// A field of a JSON merge patch (RFC 7396): absent leaves it alone, `null` removes it, a value
/// replaces it. Use with `#[serde(default)]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Patch<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(d)?.map_or(Patch::Null, Patch::Value))
    }
}

impl<T> Patch<T> {
    /// Applies the patch to an optional field.
    pub fn apply_to(self, current: Option<T>) -> Option<T> {
        match self {
            Patch::Absent => current,
            Patch::Null => None,
            Patch::Value(v) => Some(v),
        }
    }

    /// Applies the patch to a required field: `null` is refused.
    pub fn apply_required(self, field: &str, current: T) -> ApiResult<T> {
        match self {
            Patch::Absent => Ok(current),
            Patch::Null => Err(ApiError::invalid_field(
                field,
                "required",
                "cannot be removed",
            )),
            Patch::Value(v) => Ok(v),
        }
    }
}

impl Patch<String> {
    /// Applies the patch to an optional field whose new value must parse first; a failed parse
    /// is recorded in `v`, so one response can name every broken field.
    pub fn parse_into<U>(
        self,
        v: &mut Violations,
        field: &str,
        current: Option<U>,
        parse: impl FnOnce(&str) -> Result<U, DomainError>,
    ) -> Option<U> {
        match self {
            Patch::Absent => current,
            Patch::Null => None,
            Patch::Value(s) => v.check(field, parse(&s)),
        }
    }
}

impl<T> Patch<T> {
    /// Applies the patch to a required field whose new value must parse first: `null` and a
    /// failed parse are recorded in `v`.
    pub fn parse_required<U>(
        self,
        v: &mut Violations,
        field: &str,
        current: U,
        parse: impl FnOnce(T) -> Result<U, DomainError>,
    ) -> Option<U> {
        match self {
            Patch::Absent => Some(current),
            Patch::Null => {
                v.push(field, "required", "cannot be removed");
                None
            }
            Patch::Value(value) => v.check(field, parse(value)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        let page = page_request(Some(10), Some(&encode_cursor("0192-abc"))).unwrap();
        assert_eq!(page.after.as_deref(), Some("0192-abc"));
        assert!(page_request(None, Some("not-a-cursor")).is_err());
        assert!(page_request(Some(0), None).is_err());
        assert!(page_request(Some(501), None).is_err());
        assert_eq!(page_request(None, None).unwrap().limit, 50);
    }

    #[test]
    fn if_match_uses_strong_comparison() {
        let req = TestRequest::default()
            .insert_header((header::IF_MATCH, "W/\"3\", \"4\""))
            .to_http_request();
        let cond = IfMatch::of(&req);
        assert!(matches!(cond, IfMatch::Tags(_)));
        assert!(cond.check(4).is_ok());
        assert!(cond.check(3).is_err());
        let any = TestRequest::default()
            .insert_header((header::IF_MATCH, "*"))
            .to_http_request();
        assert!(IfMatch::of(&any).check(9).is_ok());
    }

    #[test]
    fn next_link_keeps_filters_and_replaces_the_cursor() {
        let req =
            TestRequest::with_uri("/v1/organisations?kind=jobcenter&cursor=old").to_http_request();
        assert_eq!(
            next_link(&req, "new"),
            "/v1/organisations?kind=jobcenter&cursor=new"
        );
    }

    #[test]
    fn merge_patch_fields_distinguish_absent_null_and_value() {
        #[derive(Deserialize)]
        struct P {
            #[serde(default)]
            a: Patch<String>,
            #[serde(default)]
            b: Patch<String>,
            #[serde(default)]
            c: Patch<String>,
        }
        let p: P = serde_json::from_str(r#"{"b": null, "c": "x"}"#).unwrap();
        assert_eq!(p.a, Patch::Absent);
        assert_eq!(p.b, Patch::Null);
        assert_eq!(p.c, Patch::Value("x".into()));
    }
}
