//! Shared reading, rendering and editing for the JSON configuration files of the data and
//! agent tools (`airbyte`, `singer`, `mcp`).
//!
//! Their readers are strict JSON parsers (Python's `json`, the MCP clients' `JSON.parse`):
//! no comments, no trailing commas. The tree with byte spans comes from the JSONC parser of
//! the .NET format; strictness is then judged by `serde_json`, whose error position names
//! the offending place. A setting is an entry at a dotted path (`credentials.client_id`);
//! an array is one entry whose value is the JSON array.

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::dotnet_json::{parse_jsonc, JKind, JMember, JNode};
use crate::formats::{Entry, Parsed, Problem, ProblemKind};
use crate::model::Value;
use crate::source::Source;

/// `"x"` — a JSON string literal (strict JSON escapes).
pub fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// The JSON value for a setting: booleans and numbers as JSON literals, structured values as
/// JSON, everything else as a string.
pub fn json_of(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Value::Json(j) => j.clone(),
        other => serde_json::Value::String(other.to_text()),
    }
}

/// Pretty JSON with two-space indentation (keys in the order they were inserted).
pub fn pretty(doc: &serde_json::Value) -> String {
    serde_json::to_string_pretty(doc).unwrap_or_else(|_| doc.to_string())
}

/// Set `path` (object keys) in `doc` to `value`, creating the objects on the way.
pub fn insert_path(doc: &mut serde_json::Value, path: &[&str], value: serde_json::Value) {
    let mut cur = doc;
    for (i, seg) in path.iter().enumerate() {
        if !cur.is_object() {
            *cur = serde_json::Value::Object(serde_json::Map::new());
        }
        let Some(obj) = cur.as_object_mut() else {
            return;
        };
        if i + 1 == path.len() {
            obj.insert(seg.to_string(), value);
            return;
        }
        cur = obj
            .entry(seg.to_string())
            .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
    }
}

/// Byte offset of a 1-based (line, column-in-chars) position, as `serde_json` reports it.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return off
                + l.char_indices()
                    .nth(column.saturating_sub(1))
                    .map_or(l.len(), |(b, _)| b);
        }
        off += l.len();
    }
    text.len()
}

/// Parse `src` as strict JSON: the tree, or the syntax problem the tool's parser reports.
pub fn parse_strict(src: &Source) -> std::result::Result<JNode, Problem> {
    let text = src.text.as_str();
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(body) {
        let skip = text.len() - body.len();
        let at = skip + offset_of(body, e.line(), e.column());
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        return Err(Problem {
            kind: ProblemKind::Syntax,
            span: at..(at + 1).min(text.len()).max(at),
            message: format!("invalid JSON: {msg}"),
        });
    }
    if text.starts_with('\u{feff}') {
        // Python's json.loads refuses a BOM ("Unexpected UTF-8 BOM").
        return Err(Problem {
            kind: ProblemKind::Syntax,
            span: 0..3,
            message: "invalid JSON: the file starts with a UTF-8 byte-order mark, which Python's json module refuses".into(),
        });
    }
    parse_jsonc(text).map_err(|(at, m)| Problem {
        kind: ProblemKind::Syntax,
        span: at..at,
        message: format!("invalid JSON: {m}"),
    })
}

/// The model value of a JSON node (numbers as the tools' `json` module types them).
pub fn node_value(node: &JNode, text: &str) -> Value {
    match &node.kind {
        JKind::Str(s) => Value::Str(s.clone()),
        JKind::Bool(b) => Value::Bool(*b),
        JKind::Null => Value::Null,
        JKind::Num => {
            let t = &text[node.span.clone()];
            match t.parse::<i64>() {
                Ok(i) => Value::Int(i),
                Err(_) => t.parse::<f64>().map(Value::Float).unwrap_or(Value::Null),
            }
        }
        JKind::Obj(_) | JKind::Arr(_) => Value::Json(
            serde_json::from_str(&text[node.span.clone()]).unwrap_or(serde_json::Value::Null),
        ),
    }
}

/// The span that removes `members[i]` and keeps the object valid JSON.
fn member_removal(text: &str, members: &[JMember], i: usize) -> std::ops::Range<usize> {
    let m = &members[i];
    let line_start = text[..m.key_span.start].rfind('\n').map_or(0, |p| p + 1);
    let alone = text[line_start..m.key_span.start].trim().is_empty();
    match m.comma {
        Some(c) => {
            // Up to the next member's line (or key).
            let mut end = c + 1;
            let rest = &text[end..];
            let ws = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            if rest[ws..].starts_with('\n') && alone {
                end += ws + 1;
            } else if rest[ws..].starts_with("\r\n") && alone {
                end += ws + 2;
            } else {
                end += ws;
            }
            (if alone { line_start } else { m.key_span.start })..end
        }
        None if i > 0 => {
            let prev = &members[i - 1];
            let from = prev.comma.unwrap_or(prev.value.span.end);
            from..m.value.span.end
        }
        None => m.key_span.start..m.value.span.end,
    }
}

/// Every leaf under `node` as an entry at its dotted path (arrays are leaves).
pub fn flatten(node: &JNode, text: &str, prefix: &str, out: &mut Vec<Entry>) {
    let JKind::Obj(members) = &node.kind else {
        return;
    };
    for (i, m) in members.iter().enumerate() {
        let key = if prefix.is_empty() {
            m.key.clone()
        } else {
            format!("{prefix}.{}", m.key)
        };
        if let JKind::Obj(_) = m.value.kind {
            flatten(&m.value, text, &key, out);
            continue;
        }
        out.push(member_entry(text, members, i, key));
    }
}

/// The entry of `members[i]` under the name `key`.
pub fn member_entry(text: &str, members: &[JMember], i: usize, key: String) -> Entry {
    let m = &members[i];
    Entry {
        section: None,
        key,
        value: node_value(&m.value, text),
        raw: text[m.value.span.clone()].to_string(),
        key_span: m.key_span.clone(),
        value_span: m.value.span.clone(),
        entry_span: member_removal(text, members, i),
    }
}

/// Parse a JSON tool config into entries at dotted paths.
pub fn parse_flat(src: &Source, parsed: &mut Parsed) -> Option<JNode> {
    match parse_strict(src) {
        Ok(root) => {
            if !matches!(root.kind, JKind::Obj(_)) {
                parsed.problems.push(Problem {
                    kind: ProblemKind::Syntax,
                    span: root.span.clone(),
                    message: "the configuration must be a JSON object".into(),
                });
                return None;
            }
            flatten(&root, &src.text, "", &mut parsed.entries);
            Some(root)
        }
        Err(p) => {
            parsed.problems.push(p);
            None
        }
    }
}

/// The member named `key` of an object node (the last one: Python's `json` keeps the last).
pub fn member<'a>(node: &'a JNode, key: &str) -> Option<&'a JMember> {
    match &node.kind {
        JKind::Obj(ms) => ms.iter().rev().find(|m| m.key == key),
        _ => None,
    }
}

/// Indentation of the line holding byte `at`.
fn indent_of(text: &str, at: usize) -> String {
    let line_start = text[..at].rfind('\n').map_or(0, |p| p + 1);
    text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// `value` laid out as pretty JSON whose continuation lines start with `indent`.
fn pretty_at(value: &serde_json::Value, indent: &str) -> String {
    let p = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    p.replace('\n', &format!("\n{indent}"))
}

/// Edits that make `path` hold `value` in the JSON text whose tree is `root`: the value is
/// replaced in place when the path exists, else the missing members are inserted into the
/// deepest existing object (the file's indentation and everything else kept).
pub fn set_path_edits(
    text: &str,
    root: &JNode,
    path: &[&str],
    value: &serde_json::Value,
) -> Result<Vec<Edit>> {
    let mut node = root;
    for (i, seg) in path.iter().enumerate() {
        let JKind::Obj(members) = &node.kind else {
            return Err(Error::refused(format!(
                "`{}` is not a JSON object, so `{}` cannot be set in it",
                path[..i].join("."),
                path.join(".")
            )));
        };
        match members.iter().rev().find(|m| m.key == *seg) {
            Some(m) if i + 1 == path.len() => {
                let indent = indent_of(text, m.key_span.start);
                return Ok(vec![Edit::replace(
                    m.value.span.clone(),
                    pretty_at(value, &indent),
                )]);
            }
            Some(m) => node = &m.value,
            None => {
                // Build the rest of the path as a nested value and insert it here.
                let mut nested = value.clone();
                for s in path[i + 1..].iter().rev() {
                    let mut o = serde_json::Map::new();
                    o.insert(s.to_string(), nested);
                    nested = serde_json::Value::Object(o);
                }
                return Ok(vec![insert_member(text, node, members, seg, &nested)]);
            }
        }
    }
    Ok(Vec::new())
}

fn insert_member(
    text: &str,
    obj: &JNode,
    members: &[JMember],
    key: &str,
    value: &serde_json::Value,
) -> Edit {
    let obj_indent = indent_of(text, obj.span.start);
    match members.last() {
        None => {
            let unit = "  ";
            let ind = format!("{obj_indent}{unit}");
            let close = obj.span.end - 1;
            let inner = &text[obj.span.start + 1..close];
            let member = format!("{}: {}", json_string(key), pretty_at(value, &ind));
            if inner.contains('\n') || obj.span.start == 0 || text[..obj.span.start].contains('\n')
            {
                Edit::replace(
                    obj.span.start + 1..close,
                    format!("\n{ind}{member}\n{obj_indent}"),
                )
            } else {
                Edit::replace(obj.span.start + 1..close, format!(" {member} "))
            }
        }
        Some(last) => {
            let same_line = !text[obj.span.start..last.key_span.start].contains('\n');
            let ind = indent_of(text, last.key_span.start);
            let member = format!("{}: {}", json_string(key), pretty_at(value, &ind));
            let at = last.value.span.end;
            if same_line {
                Edit::insert(at, format!(", {member}"))
            } else {
                Edit::insert(at, format!(",\n{ind}{member}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Parsed {
        let mut p = Parsed::new(crate::lang::Lang::Airbyte);
        parse_flat(&Source::of(t), &mut p);
        p
    }

    #[test]
    fn flattens_to_dotted_paths() {
        let p = parse("{\"a\": {\"b\": \"x\", \"c\": [1]}, \"d\": 2, \"e\": 1.5}\n");
        let kv: Vec<(String, Value)> = p
            .entries
            .iter()
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect();
        assert_eq!(
            kv,
            vec![
                ("a.b".into(), Value::Str("x".into())),
                ("a.c".into(), Value::Json(serde_json::json!([1]))),
                ("d".into(), Value::Int(2)),
                ("e".into(), Value::Float(1.5)),
            ]
        );
    }

    #[test]
    fn strict_json_only() {
        for bad in [
            "{\"a\": 1,}",
            "{// c\n\"a\": 1}",
            "{'a': 1}",
            "\u{feff}{}",
            "[1]",
        ] {
            let p = parse(bad);
            assert!(p.is_fatal(), "{bad:?}");
        }
        let p = parse("{\n  \"a\": 1,\n  \"b\": x\n}");
        assert_eq!(p.problems[0].span.start, 19, "{:?}", p.problems);
    }

    #[test]
    fn sets_existing_and_missing_paths() {
        let t = "{\n  \"a\": {\n    \"b\": \"old\"\n  },\n  \"z\": 1\n}\n";
        let root = parse_strict(&Source::of(t)).unwrap();
        let v = serde_json::json!("n\"w");
        let out =
            crate::edit::apply(t, &set_path_edits(t, &root, &["a", "b"], &v).unwrap()).unwrap();
        assert_eq!(
            out,
            "{\n  \"a\": {\n    \"b\": \"n\\\"w\"\n  },\n  \"z\": 1\n}\n"
        );
        let out =
            crate::edit::apply(t, &set_path_edits(t, &root, &["a", "c"], &v).unwrap()).unwrap();
        assert_eq!(
            out,
            "{\n  \"a\": {\n    \"b\": \"old\",\n    \"c\": \"n\\\"w\"\n  },\n  \"z\": 1\n}\n"
        );
        let out =
            crate::edit::apply(t, &set_path_edits(t, &root, &["q", "r"], &v).unwrap()).unwrap();
        assert_eq!(
            out,
            "{\n  \"a\": {\n    \"b\": \"old\"\n  },\n  \"z\": 1,\n  \"q\": {\n    \"r\": \"n\\\"w\"\n  }\n}\n"
        );
        let e = "{}\n";
        let root = parse_strict(&Source::of(e)).unwrap();
        let out = crate::edit::apply(e, &set_path_edits(e, &root, &["a"], &v).unwrap()).unwrap();
        assert_eq!(out, "{\n  \"a\": \"n\\\"w\"\n}\n");
        assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok());
    }

    #[test]
    fn removal_keeps_valid_json() {
        let t = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}\n";
        let p = parse(t);
        for e in &p.entries {
            let out = crate::edit::apply(t, &[Edit::delete(e.entry_span.clone())]).unwrap();
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert!(v.get(&e.key).is_none(), "{out}");
            assert_eq!(v.as_object().unwrap().len(), 2, "{out}");
        }
        let t = "{\"a\": 1, \"b\": 2}";
        let p = parse(t);
        for e in &p.entries {
            let out = crate::edit::apply(t, &[Edit::delete(e.entry_span.clone())]).unwrap();
            assert!(
                serde_json::from_str::<serde_json::Value>(&out).is_ok(),
                "{out}"
            );
        }
    }
}
