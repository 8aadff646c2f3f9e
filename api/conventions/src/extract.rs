//! Extractors that fail with actionable problem details: which field, which rule. Bodies are read
//! through actix's `Bytes` extractor, so the configured size limit (413) applies to all of them.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::{StatusCode, header};
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use iqnet_shared::FieldError;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON request body (`application/json`, or any `+json` type such as merge-patch).
///
/// A merge patch (`PATCH`, or `Content-Type: application/merge-patch+json`) must be a JSON
/// object: RFC 7396 makes any other top-level value replace the whole document, which no
/// endpoint allows, so `[]`, `"x"`, `1` or `null` are a 400 here, once for every endpoint.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = is_json(req);
        let merge_patch = req.method() == actix_web::http::Method::PATCH
            || content_type_essence(req).as_deref() == Some("application/merge-patch+json");
        let bytes = Bytes::from_request(req, payload);
        Box::pin(async move {
            if !content_type_ok {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported-media-type",
                    "the body must be JSON: send Content-Type: application/json",
                ));
            }
            let bytes = bytes.await.map_err(payload_error)?;
            if merge_patch {
                parse_merge_patch(&bytes).map(Json)
            } else {
                parse_json(&bytes).map(Json)
            }
        })
    }
}

/// The media type without parameters, lowercased (`application/json; charset=utf-8` ->
/// `application/json`).
fn content_type_essence(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(
        value
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}

fn is_json(req: &HttpRequest) -> bool {
    content_type_essence(req).is_some_and(|essence| {
        essence == "application/json"
            || (essence.starts_with("application/") && essence.ends_with("+json"))
    })
}

/// Maps the errors of reading a body (size, transport) to problems.
pub fn payload_error(e: actix_web::Error) -> ApiError {
    match e.as_error::<PayloadError>() {
        Some(PayloadError::Overflow) => payload_too_large(),
        _ => match e.as_response_error().status_code() {
            StatusCode::PAYLOAD_TOO_LARGE => payload_too_large(),
            status => ApiError::new(
                status,
                "unreadable-body",
                format!("the request body could not be read: {e}"),
            ),
        },
    }
}

pub fn payload_too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload-too-large",
        "the request body exceeds the configured limit",
    )
}

/// Parses a JSON merge patch: like `parse_json`, but the document must be a JSON object.
pub fn parse_merge_patch<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{') {
        return Err(ApiError::bad_request(
            "invalid-merge-patch",
            "a merge patch must be a JSON object (RFC 7396): name the fields to change",
            Vec::new(),
        ));
    }
    parse_json(bytes)
}

/// Parses JSON: broken syntax is a 400, well-formed JSON of the wrong shape a 422 naming the field.
/// Anything but whitespace after the document (`{"a":1} x`, `{}{}`) is broken syntax too.
/// A NUL character (`\u0000`) is refused anywhere: PostgreSQL cannot store it in text.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        return Err(ApiError::invalid_field(
            "",
            "invalid_character",
            "text must not contain NUL characters",
        ));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = field_path(e.path());
        let inner = e.into_inner();
        let message = strip_position(&inner);
        match inner.classify() {
            serde_json::error::Category::Data => {
                let field = named_field(&path, &message);
                ApiError::validation(vec![FieldError::new(field, "invalid", message)])
            }
            _ => malformed_json(&inner),
        }
    })?;
    de.end().map_err(|e| malformed_json(&e))?;
    Ok(value)
}

fn malformed_json(e: &serde_json::Error) -> ApiError {
    ApiError::bad_request(
        "malformed-json",
        format!("the body is not valid JSON: {e}"),
        Vec::new(),
    )
}

/// Query parameters. Each target struct denies unknown fields, so a misspelt filter is a 400
/// instead of being silently ignored.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(Query))
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let pairs = form_urlencoded::parse(query.as_bytes());
    if let Some((name, _)) = pairs.clone().find(|(_, v)| v.chars().any(char::is_control)) {
        let message = "query values must not contain control characters";
        return Err(ApiError::bad_request(
            "invalid-query",
            message,
            vec![FieldError::new(name, "invalid_character", message)],
        ));
    }
    let de = serde_urlencoded::Deserializer::new(pairs);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = field_path(e.path());
        let message = e.into_inner().to_string();
        let (field, code) = match message.strip_prefix("unknown field `") {
            Some(rest) => (
                rest.split('`').next().unwrap_or("").to_owned(),
                "unknown_parameter",
            ),
            None => (field, "invalid"),
        };
        ApiError::bad_request(
            "invalid-query",
            format!("invalid query parameter `{field}`: {message}"),
            vec![FieldError::new(field, code, message)],
        )
    })
}

fn field_path(path: &serde_path_to_error::Path) -> String {
    let p = path.to_string();
    if p == "." { String::new() } else { p }
}

/// The field a data error is about. Inside internally tagged enums serde buffers the content and
/// loses the path, but its message still names a missing or unknown field.
fn named_field(path: &str, message: &str) -> String {
    let named = ["missing field `", "unknown field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix))
        .and_then(|rest| rest.split('`').next());
    match (path.is_empty(), named) {
        (true, Some(name)) => name.to_owned(),
        (false, Some(name)) if message.starts_with("missing") => format!("{path}.{name}"),
        _ => path.to_owned(),
    }
}

/// serde_json appends " at line 1 column 42" to data errors; the field path says it better.
fn strip_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message,
    }
}

/// Turns actix's path-segment errors (e.g. a malformed id) into a 404: no resource has that name.
pub fn path_error(err: actix_web::error::PathError, _req: &HttpRequest) -> actix_web::Error {
    let _ = err;
    ApiError::not_found().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Filter {
        #[allow(dead_code)]
        limit: Option<u32>,
    }

    #[derive(Debug, Deserialize)]
    struct Body {
        #[allow(dead_code)]
        inner: Inner,
    }

    #[derive(Debug, Deserialize)]
    struct Inner {
        #[allow(dead_code)]
        count: u8,
    }

    #[test]
    fn unknown_query_parameters_are_named() {
        let err = parse_query::<Filter>("limt=5").unwrap_err();
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
        assert_eq!(err.errors[0].field, "limt");
        assert_eq!(err.errors[0].code, "unknown_parameter");
    }

    #[test]
    fn badly_typed_query_parameters_are_named() {
        let err = parse_query::<Filter>("limit=ten").unwrap_err();
        assert_eq!(err.errors[0].field, "limit");
    }

    #[derive(Debug, Deserialize)]
    #[serde(tag = "action", rename_all = "snake_case")]
    enum Tagged {
        Close {
            #[allow(dead_code)]
            outcome: String,
        },
    }

    #[test]
    fn missing_fields_inside_tagged_enums_are_named() {
        let err = parse_json::<Tagged>(br#"{"action":"close"}"#).unwrap_err();
        assert_eq!(err.errors[0].field, "outcome");
        let err = parse_json::<Body>(br#"{"inner":{}}"#).unwrap_err();
        assert_eq!(err.errors[0].field, "inner.count");
    }

    #[test]
    fn malformed_json_is_a_400_and_a_wrong_shape_a_422_with_the_path() {
        assert_eq!(
            parse_json::<Body>(b"{\"inner\":").unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
        for trailing in [
            &br#"{"inner":{"count":1}} x"#[..],
            br#"{"inner":{"count":1}}{}"#,
        ] {
            let err = parse_json::<Body>(trailing).unwrap_err();
            assert_eq!(err.status, StatusCode::BAD_REQUEST);
            assert_eq!(err.kind, "malformed-json");
        }
        assert!(parse_json::<Body>(b"{\"inner\":{\"count\":1}} \n").is_ok());
        let err = parse_json::<Body>(br#"{"inner":{"count":"x"}}"#).unwrap_err();
        assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err.errors[0].field, "inner.count");
        assert!(
            !err.errors[0].message.contains("line 1"),
            "{}",
            err.errors[0].message
        );
    }
}
