//! The contract. Handlers describe their own success responses; the conventions that hold for
//! every operation (problem responses, bearer security, `Idempotency-Key`) are added here, once,
//! so that no operation can forget a status it may answer with.

use utoipa::openapi::LicenseBuilder;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{Object, OneOf, Schema};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::server::ServerBuilder;
use utoipa::openapi::{ContentBuilder, OpenApi as OpenApiDoc, Ref, RefOr, Required};
use utoipa::{Modify, PartialSchema, ToSchema};

use crate::error::{PROBLEM_JSON, Problem};

/// Applied to the finished document (after the routes added their paths).
pub struct Conventions;

impl Modify for Conventions {
    fn modify(&self, doc: &mut OpenApiDoc) {
        doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
        // The workspace's licence, as the SPDX identifier generators require next to the name.
        doc.info.license = Some(
            LicenseBuilder::new()
                .name(env!("CARGO_PKG_LICENSE"))
                .identifier(Some(env!("CARGO_PKG_LICENSE")))
                .build(),
        );
        // Relative: clients reach the API where they read the document, or set their base URL.
        doc.servers.get_or_insert_with(|| {
            vec![
                ServerBuilder::new()
                    .url("/")
                    .description(Some(
                        "The server that serves this document (e.g. http://localhost:8080 in development)",
                    ))
                    .build(),
            ]
        });
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("A token from POST /v1/auth/token, or from the configured identity provider"))
                    .build(),
            ),
        );
        components
            .schemas
            .entry(Problem::name().into_owned())
            .or_insert_with(Problem::schema);
        for (name, schema) in components.schemas.iter_mut() {
            if let RefOr::T(Schema::OneOf(union)) = schema {
                title_tagged_variants(name, union);
            }
        }
        for (path, item) in doc.paths.paths.iter_mut() {
            let has_path_params = path.contains('{');
            let ops = [
                (&mut item.get, "GET"),
                (&mut item.post, "POST"),
                (&mut item.put, "PUT"),
                (&mut item.patch, "PATCH"),
                (&mut item.delete, "DELETE"),
            ];
            for (op, method) in ops {
                if let Some(op) = op.as_mut() {
                    let conditional = matches!(method, "PATCH" | "PUT" | "DELETE")
                        || (method == "POST" && path.ends_with("/actions"));
                    if conditional {
                        add_if_match(op, method);
                    }
                    add_conventions(op, method, has_path_params, path.starts_with("/v1"));
                }
            }
        }
    }
}

/// The variants of a union tagged by `action` (`#[serde(tag = "action")]`) get a title each, e.g.
/// `CaseActionClose`: without one, generators name them `ActionType0`, `ActionType1`, ... The
/// union's name comes first: `Action` + `StartMeasure` and `MeasureAction` + `Start` differ so.
fn title_tagged_variants(union_name: &str, union: &mut OneOf) {
    for variant in &mut union.items {
        let RefOr::T(variant) = variant else { continue };
        let tag = match &*variant {
            Schema::Object(object) => action_tag(object),
            // A variant holding a named schema: `allOf` of it and the `action` part.
            Schema::AllOf(all) => all.items.iter().find_map(|part| match part {
                RefOr::T(Schema::Object(object)) => action_tag(object),
                _ => None,
            }),
            _ => None,
        };
        let Some(tag) = tag else { continue };
        let title = match variant {
            Schema::Object(object) => &mut object.title,
            Schema::AllOf(all) => &mut all.title,
            _ => continue,
        };
        title.get_or_insert_with(|| format!("{union_name}{}", pascal_case(&tag)));
    }
}

/// The one value of the variant's `action` property.
fn action_tag(object: &Object) -> Option<String> {
    match object.properties.get("action")? {
        RefOr::T(Schema::Object(tag)) => match tag.enum_values.as_deref()? {
            [serde_json::Value::String(value)] => Some(value.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn pascal_case(snake: &str) -> String {
    snake
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

fn is_secured(op: &Operation) -> bool {
    op.security.as_ref().is_some_and(|reqs| {
        reqs.iter()
            .any(|r| serde_json::to_string(r).map(|s| s != "{}").unwrap_or(false))
    })
}

/// Every change of an existing resource honours `If-Match` and can meet a concurrent change:
/// declared here once rather than on each operation.
fn add_if_match(op: &mut Operation, method: &str) {
    op.parameters.get_or_insert_with(Vec::new).push(
        ParameterBuilder::new()
            .name("If-Match")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some("The ETag you read; a stale one is refused with 412"))
            .schema(Some(
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String),
            ))
            .build()
            .into(),
    );
    let conflict = if method == "POST" {
        "Not allowed in the current state (`allowed` lists what is), or changed concurrently"
    } else {
        "Changed concurrently; read again and retry"
    };
    let problems = [
        ("409", conflict),
        ("412", "`If-Match` is stale; nothing changed"),
    ];
    for (status, description) in problems {
        op.responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| problem_response(description).into());
    }
}

/// `in_v1`: the operation is under `/v1`, where every request's token is checked and the
/// database is used.
fn add_conventions(op: &mut Operation, method: &str, has_path_params: bool, in_v1: bool) {
    let secured = is_secured(op);
    let has_body = op.request_body.is_some();
    // Keys are scoped to the authenticated caller: anonymous POSTs (the token endpoints) have none.
    let idempotent_post = method == "POST" && secured;
    if idempotent_post {
        op.parameters
            .get_or_insert_with(Vec::new)
            .push(idempotency_key_parameter().into());
    }
    let mut problems: Vec<(&str, &str)> = vec![(
        "400",
        "Malformed request: bad JSON syntax, an unknown or invalid query parameter",
    )];
    if secured {
        problems.push((
            "401",
            "No, expired or invalid bearer token (with `WWW-Authenticate: Bearer`)",
        ));
        problems.push(("403", "The caller's role may not do this"));
    } else if in_v1 {
        problems.push((
            "401",
            "A bearer token was sent but is invalid (none is needed here; a broken one is never ignored)",
        ));
    }
    if has_path_params {
        problems.push(("404", "No such resource, or not visible to the caller"));
    }
    if idempotent_post {
        problems.push(("409", "Conflict: a unique value is taken, or a request with this Idempotency-Key is still in flight"));
    }
    if has_body {
        problems.push(("413", "The body exceeds the size limit"));
        problems.push(("415", "The body is not JSON"));
        problems.push(("422", "Valid JSON that breaks a rule (`errors[]` names each field), or an Idempotency-Key reused for another request"));
    } else if idempotent_post {
        problems.push(("422", "The Idempotency-Key was used for another request"));
    }
    problems.push(("500", "Unexpected error; quote the `request_id`"));
    if in_v1 {
        problems.push((
            "503",
            "The database is unreachable; retry after `Retry-After` seconds",
        ));
    }
    for (status, description) in problems {
        op.responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| problem_response(description).into());
    }
    add_link_header(op);
}

/// Every page of a list carries `Link: <...>; rel="next"` when more follow (RFC 8288).
fn add_link_header(op: &mut Operation) {
    let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200") else {
        return;
    };
    let is_page = ok.content.get("application/json").is_some_and(|content| {
        matches!(content, RefOr::T(c) if matches!(&c.schema, Some(RefOr::Ref(r))
            if r.ref_location.starts_with("#/components/schemas/List_")))
    });
    if is_page {
        ok.headers.entry("Link".to_owned()).or_insert_with(|| {
            utoipa::openapi::HeaderBuilder::new()
                .schema(Some(
                    utoipa::openapi::schema::ObjectBuilder::new()
                        .schema_type(utoipa::openapi::schema::Type::String),
                ))
                .description(Some("`<...>; rel=\"next\"` when more pages follow"))
                .build()
                .into()
        });
    }
}

fn problem_response(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

fn idempotency_key_parameter() -> Parameter {
    ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Makes a retry safe: the first response for this key is stored for 24 h and replayed \
             (with `Idempotent-Replayed: true`) for the same request; another request with the key is a 422. \
             Use a fresh value (e.g. a random UUID) per logical request and the same one for its retries.",
        ))
        .schema(Some(
            utoipa::openapi::schema::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::Type::String)
                .min_length(Some(1))
                .max_length(Some(255))
                .pattern(Some("^[!-~]+$")),
        ))
        // No example on purpose: tools send an example verbatim, and one shared key makes
        // every request after the first a 422 for reusing it.
        .build()
}
