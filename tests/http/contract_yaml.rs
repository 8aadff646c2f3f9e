//! `openapi.yaml` reads as the document served at `/openapi.json` whichever YAML version the reader
//! follows. Generators read it with YAML 1.1 parsers (PyYAML, SnakeYAML), which resolve many more
//! plain scalars than YAML 1.2 does: `25_34` is an integer there, `2026-01-05` a date, `on` true.
//! A real parser (yaml-rust2) reports each scalar with its style; every plain one is resolved here
//! by the rules of each version, and the result must equal the JSON document, scalar for scalar.

use std::collections::BTreeMap;
use std::sync::Mutex;

use regex::Regex;
use serde_json::{Map, Value};
use yaml_rust2::parser::{Event, EventReceiver, Parser};
use yaml_rust2::scanner::TScalarStyle;

trials! {
    plain:
        the_yaml_reads_as_the_json_under_yaml_1_1,
        the_yaml_reads_as_the_json_under_yaml_1_2,
        the_yaml_reads_as_the_json_with_pyyaml,
        the_emitter_keeps_strings_the_document_does_not_have_yet;
}

#[derive(Clone, Copy)]
enum Version {
    Yaml11,
    Yaml12,
}

/// The types of the YAML 1.1 type repository (yaml.org/type: bool, null, int, float, timestamp,
/// merge, value), as PyYAML and SnakeYAML resolve them. Sexagesimal, underscores, octal and
/// binary numbers resolve to something other than their text: a marker that equals no string.
fn resolve_yaml_1_1(s: &str) -> Value {
    let matches = |pattern: &str| regex(pattern).is_match(s);
    if matches(r"^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$") {
        return Value::Bool(true);
    }
    if matches(r"^(n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$") {
        return Value::Bool(false);
    }
    if matches(r"^(~|null|Null|NULL|)$") {
        return Value::Null;
    }
    if matches(r"^[-+]?(0|[1-9][0-9]*)$") {
        return s
            .parse::<i64>()
            .map_or_else(|_| marker("int", s), Value::from);
    }
    if matches(r"^[-+]?[0-9]+\.[0-9]*([eE][-+][0-9]+)?$") {
        return s
            .parse::<f64>()
            .map_or_else(|_| marker("float", s), Value::from);
    }
    let other_types = [
        r"^[-+]?0b[0-1_]+$",
        r"^[-+]?0[0-7_]+$",
        r"^[-+]?(0|[1-9][0-9_]*)$",
        r"^[-+]?0x[0-9a-fA-F_]+$",
        r"^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+$",
        r"^[-+]?([0-9][0-9_]*)?\.[0-9._]*([eE][-+][0-9]+)?$",
        r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*$",
        r"^[-+]?\.(inf|Inf|INF)$",
        r"^\.(nan|NaN|NAN)$",
        r"^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$",
        r"^[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?([Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](\.[0-9]*)?(([ \t]*)Z|[-+][0-9][0-9]?(:[0-9][0-9])?)?$",
        r"^<<$",
        r"^=$",
    ];
    if other_types.iter().any(|pattern| matches(pattern)) {
        return marker("non-string", s);
    }
    Value::String(s.to_owned())
}

/// The YAML 1.2 core schema.
fn resolve_yaml_1_2(s: &str) -> Value {
    let matches = |pattern: &str| regex(pattern).is_match(s);
    if matches(r"^(true|True|TRUE)$") {
        return Value::Bool(true);
    }
    if matches(r"^(false|False|FALSE)$") {
        return Value::Bool(false);
    }
    if matches(r"^(~|null|Null|NULL|)$") {
        return Value::Null;
    }
    if matches(r"^[-+]?[0-9]+$") {
        return s
            .parse::<i64>()
            .map_or_else(|_| marker("int", s), Value::from);
    }
    if matches(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$") {
        return s
            .parse::<f64>()
            .map_or_else(|_| marker("float", s), Value::from);
    }
    if matches(r"^(0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$") {
        return marker("non-string", s);
    }
    Value::String(s.to_owned())
}

/// Each pattern compiled once: the document has tens of thousands of scalars.
fn regex(pattern: &str) -> Regex {
    static COMPILED: Mutex<BTreeMap<String, Regex>> = Mutex::new(BTreeMap::new());
    let mut compiled = COMPILED.lock().unwrap();
    compiled
        .entry(pattern.to_owned())
        .or_insert_with(|| Regex::new(pattern).unwrap())
        .clone()
}

fn marker(kind: &str, s: &str) -> Value {
    serde_json::json!({ "<read as a YAML value that is no string>": kind, "text": s })
}

/// Builds the value from the parser's events; plain scalars go through the version's resolver,
/// quoted and block scalars are strings.
struct Builder {
    version: Version,
    stack: Vec<(Value, Option<String>)>,
    done: Option<Value>,
}

impl Builder {
    fn push_value(&mut self, value: Value) {
        match self.stack.last_mut() {
            None => self.done = Some(value),
            Some((Value::Array(items), _)) => items.push(value),
            Some((Value::Object(map), key)) => match key.take() {
                None => {
                    let text = value.as_str().map(ToOwned::to_owned);
                    *key = Some(text.unwrap_or_else(|| format!("<key read as {value}>")));
                }
                Some(k) => {
                    assert!(map.insert(k.clone(), value).is_none(), "duplicate key {k}");
                }
            },
            Some(_) => unreachable!(),
        }
    }
}

impl EventReceiver for Builder {
    fn on_event(&mut self, event: Event) {
        match event {
            Event::Scalar(text, style, _, tag) => {
                assert!(tag.is_none(), "no tags: {text}");
                let value = match (style, self.version) {
                    (TScalarStyle::Plain, Version::Yaml11) => resolve_yaml_1_1(&text),
                    (TScalarStyle::Plain, Version::Yaml12) => resolve_yaml_1_2(&text),
                    _ => Value::String(text),
                };
                self.push_value(value);
            }
            Event::SequenceStart(..) => self.stack.push((Value::Array(Vec::new()), None)),
            Event::MappingStart(..) => self.stack.push((Value::Object(Map::new()), None)),
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, _) = self.stack.pop().unwrap();
                self.push_value(value);
            }
            Event::Alias(_) => panic!("no aliases"),
            _ => {}
        }
    }
}

fn read(yaml: &str, version: Version) -> Value {
    let mut builder = Builder {
        version,
        stack: Vec::new(),
        done: None,
    };
    Parser::new_from_str(yaml)
        .load(&mut builder, false)
        .expect("valid YAML");
    builder.done.expect("a document")
}

/// The first place where `read` and `json` differ, with both values.
fn first_difference(read: &Value, json: &Value, path: &str) -> Option<String> {
    match (read, json) {
        (Value::Object(a), Value::Object(b)) => {
            if a.keys().ne(b.keys()) {
                return Some(format!("{path}: keys {:?} != {:?}", a.keys(), b.keys()));
            }
            a.iter()
                .find_map(|(k, v)| first_difference(v, &b[k], &format!("{path}/{k}")))
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, &format!("{path}[{i}]"))),
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => None,
        (a, b) if a == b => None,
        (a, b) => Some(format!("{path}: read as {a}, served as {b}")),
    }
}

fn assert_reads_as_json(version: Version) {
    let yaml = iqnet_api::server::api_doc_yaml().unwrap();
    let json = serde_json::to_value(iqnet_api::server::api_doc()).unwrap();
    if let Some(difference) = first_difference(&read(&yaml, version), &json, "") {
        panic!("openapi.yaml does not read as /openapi.json: {difference}");
    }
}

fn the_yaml_reads_as_the_json_under_yaml_1_1() {
    assert_reads_as_json(Version::Yaml11);
    // The resolver itself: what the issue found, and the other classic traps.
    for trap in [
        "25_34",
        "2026-01-05",
        "on",
        "No",
        "~",
        "0123",
        "1:20",
        ".inf",
        "0x1F",
        "1_000.5",
        "<<",
    ] {
        assert!(
            resolve_yaml_1_1(trap) != Value::String(trap.to_owned()),
            "{trap}"
        );
        let quoted = iqnet_conventions::yaml::to_string(&Value::String(trap.to_owned()));
        assert_eq!(
            read(&quoted, Version::Yaml11),
            Value::String(trap.to_owned())
        );
    }
}

fn the_yaml_reads_as_the_json_under_yaml_1_2() {
    assert_reads_as_json(Version::Yaml12);
}

/// Strings the document may come to hold: each as a value and as a key, read back under both
/// versions (and by PyYAML, where installed) as exactly itself.
fn the_emitter_keeps_strings_the_document_does_not_have_yet() {
    let strings = [
        "",
        " leading",
        "trailing ",
        "a: b",
        "#x",
        "x #y",
        "- x",
        "x:",
        "? x",
        "[x]",
        "{x}",
        "@x",
        "`x",
        "!x",
        "&x",
        "*x",
        "|x",
        ">x",
        "%x",
        "'x",
        "\"x",
        "=",
        "<<",
        "~",
        "null",
        "Yes",
        "NO",
        "off",
        "y",
        "1e3",
        "-1",
        "+1",
        ".5",
        "0x10",
        "0o17",
        "1:20:30",
        "1_000",
        "2001-12-14t21:59:43.10-05:00",
        "multi\nline",
        "multi\nline\n",
        "multi\n\n\n",
        "\nfirst empty",
        "  indented\nfirst",
        "line\n  indented",
        "blank\n  \nline",
        "tab\there",
        "nul\u{0}",
        "nel\u{85}x",
        "ls\u{2028}x",
        "\u{feff}bom",
        "quote'and\"",
        "back\\slash",
        "é ü 中 🦀",
        "crlf\r\nx",
    ];
    let value = serde_json::json!({
        "values": strings.to_vec(),
        "keys": strings.iter().map(|s| (s.to_string(), Value::from(*s))).collect::<Map<_, _>>(),
        "nested": [[strings[0], [], {}], {"a": {"b": [strings[38]]}}],
        "numbers": [0, -1, 1.5, 1e16, -2.5e-8, 12345678901234_i64],
        "other": [true, false, null],
    });
    let yaml = iqnet_conventions::yaml::to_string(&value);
    for version in [Version::Yaml11, Version::Yaml12] {
        if let Some(difference) = first_difference(&read(&yaml, version), &value, "") {
            panic!("{difference}\n{yaml}");
        }
    }
    assert_same_with_pyyaml(&yaml, &value);
}

/// PyYAML itself, where it is installed (it is the parser openapi-python-client uses).
fn the_yaml_reads_as_the_json_with_pyyaml() {
    assert_same_with_pyyaml(
        &iqnet_api::server::api_doc_yaml().unwrap(),
        &serde_json::to_value(iqnet_api::server::api_doc()).unwrap(),
    );
}

fn assert_same_with_pyyaml(yaml_text: &str, json_value: &Value) {
    const SCRIPT: &str = "import json, sys, yaml\n\
        yaml_doc = yaml.safe_load(open(sys.argv[1], encoding='utf-8'))\n\
        json_doc = json.load(open(sys.argv[2], encoding='utf-8'))\n\
        sys.exit(0 if yaml_doc == json_doc else 'PyYAML reads the YAML differently from the JSON')\n";
    let has_pyyaml = std::process::Command::new("python3")
        .args(["-c", "import yaml"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !has_pyyaml {
        println!("skipped: no python3 with PyYAML");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("doc.yaml");
    let json = dir.path().join("doc.json");
    std::fs::write(&yaml, yaml_text).unwrap();
    std::fs::write(&json, serde_json::to_string(json_value).unwrap()).unwrap();
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(&yaml)
        .arg(&json)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
