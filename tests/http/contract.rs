//! The OpenAPI document: the committed `openapi.yaml` is what the server serves, and every
//! operation is fully described. Run with `UPDATE_OPENAPI=1` to rewrite the committed file.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::support::TestApp;

trials! {
    sqlite:
        the_server_serves_the_committed_document;
    plain:
        the_committed_openapi_yaml_is_current,
        every_operation_is_fully_described,
        the_document_names_its_licence_and_a_server,
        no_schema_is_named_like_a_generated_class,
        the_problem_schema_declares_every_member_the_server_sends,
        every_variant_of_an_action_union_has_its_own_title,
        list_items_refer_to_their_schema_and_every_reference_resolves,
        no_name_in_the_document_reads_as_a_boolean_in_yaml_1_1;
}

fn committed_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.yaml")
}

fn the_committed_openapi_yaml_is_current() {
    let generated = iqnet_api::server::api_doc_yaml().expect("yaml");
    let path = committed_path();
    if std::env::var("UPDATE_OPENAPI").as_deref() == Ok("1") {
        std::fs::write(&path, &generated).expect("write openapi.yaml");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi.yaml is stale: regenerate it with `UPDATE_OPENAPI=1 cargo test -p iqnet-tests contract` \
         (or `cargo run -- openapi > openapi.yaml`) and commit it"
    );
}

async fn the_server_serves_the_committed_document() {
    let app = TestApp::sqlite().await;
    let served = app.anon(Method::GET, "/openapi.yaml").send().await.unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    let served = served.text().await.unwrap();
    assert_eq!(served, iqnet_api::server::api_doc_yaml().unwrap());
    let json: Value = app
        .anon(Method::GET, "/openapi.json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json["openapi"], "3.1.0");
}

/// openapi-generator stops without `info.license.identifier`; Redocly without `servers`.
fn the_document_names_its_licence_and_a_server() {
    let doc = serde_json::to_value(iqnet_api::server::api_doc()).unwrap();
    assert_eq!(doc["info"]["license"]["identifier"], "EUPL-1.2");
    assert_eq!(doc["info"]["license"]["name"], "EUPL-1.2");
    assert!(
        doc["info"]["license"].get("url").is_none(),
        "url excludes identifier"
    );
    let servers = doc["servers"].as_array().expect("servers");
    assert!(!servers.is_empty() && servers.iter().all(|s| s["url"].is_string()));
}

/// openapi-generator's clients have classes of their own (`ApiClient`, `Configuration`, ...); a
/// schema named like one of them breaks the generated code.
fn no_schema_is_named_like_a_generated_class() {
    let doc = serde_json::to_value(iqnet_api::server::api_doc()).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "ApiClient",
        "ApiResponse",
        "Configuration",
        "ApiException",
        "BaseAPI",
    ] {
        assert!(!schemas.contains_key(name), "rename the schema {name}");
    }
    assert!(schemas.contains_key("MachineClient"));
}

/// `Problem` is one plain object (an empty `allOf` part made TypeScript type it as
/// `Record<string, never> & {...}`), and declares every member an `ApiError::with` can add.
fn the_problem_schema_declares_every_member_the_server_sends() {
    let doc = serde_json::to_value(iqnet_api::server::api_doc()).unwrap();
    let problem = &doc["components"]["schemas"]["Problem"];
    assert_eq!(problem["type"], "object", "{problem}");
    assert!(problem.get("allOf").is_none(), "{problem}");
    let declared = problem["properties"].as_object().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut used = std::collections::BTreeSet::new();
    let mut dirs = vec![root.join("api"), root.join("domain")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for part in text.split(".with(\"").skip(1) {
                    used.insert(part.split('"').next().unwrap().to_owned());
                }
            }
        }
    }
    assert!(used.contains("allowed"), "{used:?}");
    for member in [
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "request_id",
        "errors",
    ]
    .into_iter()
    .chain(used.iter().map(String::as_str))
    {
        assert!(
            declared.contains_key(member),
            "Problem does not declare `{member}`"
        );
    }
}

/// Generators name an untitled variant `ActionType0`, ...: each one of a union tagged by
/// `action` has a title, unique and unlike any schema's name (both become class names).
fn every_variant_of_an_action_union_has_its_own_title() {
    let doc = serde_json::to_value(iqnet_api::server::api_doc()).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut titles = std::collections::HashSet::new();
    for (name, schema) in schemas {
        let Some(variants) = schema["oneOf"].as_array() else {
            continue;
        };
        let tagged = |v: &Value| {
            v["properties"]["action"].is_object()
                || v["allOf"].as_array().is_some_and(|parts| {
                    parts.iter().any(|p| p["properties"]["action"].is_object())
                })
        };
        for variant in variants.iter().filter(|v| tagged(v)) {
            let title = variant["title"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: a variant without a title: {variant}"));
            assert!(
                titles.insert(title.to_owned()),
                "{name}: title {title} twice"
            );
            assert!(
                !schemas.contains_key(title),
                "{name}: title {title} is a schema"
            );
        }
    }
    assert!(titles.len() >= 40, "{} titled variants", titles.len());
}

/// A page's `items` refer to the item's schema (an inline copy made generators write a second
/// class, `ListAdviceSeekerItemsItem`), and every `$ref` names a schema of the document.
fn list_items_refer_to_their_schema_and_every_reference_resolves() {
    let doc = serde_json::to_value(iqnet_api::server::api_doc()).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for (name, schema) in schemas.iter().filter(|(n, _)| n.starts_with("List_")) {
        let item = &name["List_".len()..];
        assert_eq!(
            schema["properties"]["items"]["items"]["$ref"],
            format!("#/components/schemas/{item}"),
            "{name}"
        );
    }
    fn refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => map.iter().for_each(|(k, v)| match (k.as_str(), v) {
                ("$ref", Value::String(r)) => found.push(r),
                _ => refs(v, found),
            }),
            Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    refs(&doc, &mut found);
    for r in found {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or(r);
        assert!(schemas.contains_key(name), "unresolved $ref {r}");
    }
}

fn every_operation_is_fully_described() {
    let doc = serde_json::to_value(iqnet_api::server::api_doc()).unwrap();
    let mut operation_ids = std::collections::HashSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let name = format!("{method} {path}");
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: no operationId"));
            assert!(
                operation_ids.insert(id.to_owned()),
                "{name}: duplicate operationId {id}"
            );
            assert!(
                id.chars().next().is_some_and(char::is_lowercase) && !id.contains('_'),
                "{name}: operationId {id} is camelCase"
            );
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{name}: no summary"
            );
            // The doc comment's first paragraph is the summary, the rest the description.
            assert!(
                op["description"]
                    .as_str()
                    .is_some_and(|s| !s.trim().is_empty()),
                "{name}: no description (a paragraph after the summary line)"
            );
            assert_eq!(
                op["tags"].as_array().map(Vec::len),
                Some(1),
                "{name}: one tag"
            );
            assert!(
                op["security"].is_array(),
                "{name}: security is stated (empty for public operations)"
            );
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|s| s.starts_with('2')),
                "{name}: a success response"
            );
            for status in ["400", "500"] {
                assert!(responses.contains_key(status), "{name}: declares {status}");
            }
            let secured = op["security"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r.as_object().is_some_and(|o| !o.is_empty()));
            if secured {
                assert!(
                    responses.contains_key("401") && responses.contains_key("403"),
                    "{name}: declares 401 and 403"
                );
            }
            for (status, response) in responses
                .iter()
                .filter(|(s, _)| s.starts_with('4') || s.starts_with('5'))
            {
                assert_eq!(
                    response["content"]["application/problem+json"]["schema"]["$ref"],
                    "#/components/schemas/Problem",
                    "{name}: {status} is a problem"
                );
            }
            // The server refuses an empty cursor: the schema says so, or fuzzers send one.
            for cursor in op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["name"] == "cursor")
            {
                assert_eq!(cursor["schema"]["minLength"], 1, "{name}: cursor minLength");
            }
            // Keys are scoped to the caller: the anonymous token endpoints take none.
            if method == "post" && secured {
                let params = op["parameters"].as_array().unwrap();
                assert!(
                    params
                        .iter()
                        .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header"),
                    "{name}: Idempotency-Key"
                );
            }
        }
    }
    assert!(
        operation_ids.len() >= 30,
        "{} operations",
        operation_ids.len()
    );
}

/// YAML 1.1 readers (PyYAML and tools built on it) read bare `on`, `off`, `yes`, `no`, `y`, `n`
/// as booleans, so no property may be named like that: the YAML document would change meaning.
fn no_name_in_the_document_reads_as_a_boolean_in_yaml_1_1() {
    const BOOLEAN_WORDS: [&str; 11] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "Y", "N", "ON",
    ];
    fn walk(value: &Value, path: &str, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    if BOOLEAN_WORDS.iter().any(|w| w.eq_ignore_ascii_case(key)) {
                        found.push(format!("{path}/{key}"));
                    }
                    walk(inner, &format!("{path}/{key}"), found);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let boolean_word = item
                        .as_str()
                        .filter(|s| BOOLEAN_WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)));
                    if let (Some(s), true) = (boolean_word, path.ends_with("/required")) {
                        found.push(format!("{path}[{i}] = {s}"));
                    }
                    walk(item, &format!("{path}[{i}]"), found);
                }
            }
            _ => {}
        }
    }
    let doc = serde_json::to_value(iqnet_api::server::api_doc()).unwrap();
    let mut found = Vec::new();
    walk(&doc, "", &mut found);
    assert!(found.is_empty(), "rename these: {found:?}");
}
