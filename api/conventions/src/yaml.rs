//! The YAML form of the contract. A general YAML emitter writes a string plain whenever a YAML 1.2
//! reader gets it back as a string, but YAML 1.1 readers (PyYAML, the Java generators' parser)
//! resolve more plain scalars: `25_34` is an integer there, `2026-01-05` a date, `on` a boolean,
//! `1:20` sexagesimal. So this emitter writes a string plain only when it cannot be read as
//! anything else under either version, and quotes every other one. It writes a JSON value (the
//! document as served at `/openapi.json`), so both forms carry the same data.

use std::fmt::Write as _;

use serde_json::Value;

/// The block-style YAML of `value`: mappings indented by two, sequences inside mappings not
/// indented (as libyaml writes them), multi-line strings as literal blocks where that is exact.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_mapping(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => write_sequence(&mut out, items, 0),
        scalar => {
            write_scalar(&mut out, scalar, 0);
            out.push('\n');
        }
    }
    out
}

fn write_mapping(out: &mut String, map: &serde_json::Map<String, Value>, indent: usize) {
    for (i, (key, value)) in map.iter().enumerate() {
        // The first key of a mapping inside a sequence item follows the `- ` on the same line.
        if i > 0 || out.ends_with('\n') || out.is_empty() {
            pad(out, indent);
        }
        write_string(out, key, indent, true);
        out.push(':');
        match value {
            Value::Object(inner) if !inner.is_empty() => {
                out.push('\n');
                write_mapping(out, inner, indent + 2);
            }
            Value::Array(items) if !items.is_empty() => {
                out.push('\n');
                write_sequence(out, items, indent);
            }
            scalar => {
                out.push(' ');
                write_scalar(out, scalar, indent + 2);
                out.push('\n');
            }
        }
    }
}

fn write_sequence(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        if out.ends_with('\n') || out.is_empty() {
            pad(out, indent);
        }
        out.push_str("- ");
        match item {
            Value::Object(inner) if !inner.is_empty() => write_mapping(out, inner, indent + 2),
            Value::Array(inner) if !inner.is_empty() => write_sequence(out, inner, indent + 2),
            scalar => {
                write_scalar(out, scalar, indent + 2);
                out.push('\n');
            }
        }
    }
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// A scalar, or an empty collection in flow style; `indent` is where a literal block's lines go.
fn write_scalar(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number(n)),
        Value::String(s) => write_string(out, s, indent, false),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

/// YAML 1.1 reads a float only with a dot (`1.0e+16`, not JSON's `1e16`, which is a string there).
fn number(n: &serde_json::Number) -> String {
    let text = n.to_string();
    if !n.is_f64() || text.contains('.') {
        return text;
    }
    match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => {
            let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
            let sign = if exponent.starts_with('-') { "" } else { "+" };
            format!("{mantissa}.0e{sign}{exponent}")
        }
        None => format!("{text}.0"),
    }
}

fn write_string(out: &mut String, s: &str, indent: usize, is_key: bool) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else if !is_key && is_literal_safe(s) {
        write_literal(out, s, indent);
    } else if s.chars().all(is_printable) && !s.contains('\n') {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
    } else {
        write_double_quoted(out, s);
    }
}

/// Characters any style may hold as they are: no control characters, no byte-order mark, and none
/// of the characters YAML 1.1 counts as line breaks (NEL, LS, PS).
fn is_printable(c: char) -> bool {
    !c.is_control()
        && !matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
}

/// Plain only when no reader can take the text for anything but this string: not starting with an
/// indicator, a digit, a sign or a dot (every number, date, time and `.inf`/`.nan` does), not a
/// word that YAML 1.1 or 1.2 resolves (`yes`, `off`, `null`, `~`, ...), and without `: ` or ` #`.
pub fn is_plain_safe(s: &str) -> bool {
    const RESOLVED_WORDS: [&str; 12] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "empty", "<<",
    ];
    let Some(first) = s.chars().next() else {
        return false;
    };
    let starts_badly = first.is_ascii_digit()
        || first.is_whitespace()
        || "-+.?:,[]{}#&*!|>'\"%@`<=~\\".contains(first);
    !starts_badly
        && !s.ends_with(char::is_whitespace)
        && !s.ends_with(':')
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.contains('\t')
        && s.chars().all(|c| is_printable(c) && c != '\n')
        && !RESOLVED_WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
}

/// A literal block keeps every character, provided its indentation can be told from the first
/// line (which must not start with a space) and no line is only blanks (which would read as
/// indentation rather than content).
fn is_literal_safe(s: &str) -> bool {
    s.contains('\n')
        && s.chars().all(|c| c == '\n' || is_printable(c))
        && !s.contains('\t')
        && s.lines()
            .next()
            .is_some_and(|first| !first.is_empty() && !first.starts_with(' '))
        && s.lines()
            .all(|line| line.is_empty() || !line.trim().is_empty())
        && !s.ends_with(' ')
}

fn write_literal(out: &mut String, s: &str, indent: usize) {
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    out.push_str(match trailing {
        0 => "|-",
        1 => "|",
        _ => "|+",
    });
    for line in s
        .split('\n')
        .take(body.split('\n').count() + trailing.saturating_sub(1))
    {
        out.push('\n');
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
    }
}

fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if is_printable(c) => out.push(c),
            c => {
                // Every character left here is in the Basic Multilingual Plane.
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
        }
    }
    out.push('"');
}
