//! google-ads-python `google-ads.yaml`, read as the library reads it: `yaml.safe_load` on the
//! file's bytes (PyYAML, a YAML **1.1** loader), `or {}`, then the library's parser step.
//!
//! Structure comes from `saphyr-parser` events (YAML 1.2 grammar, spans in *characters*,
//! quoted-scalar ends that overshoot: both corrected here). Plain scalars are typed with
//! PyYAML's own implicit resolvers (bool `yes/no/on/off…`, int with octal `0123`, `0x`,
//! `0b`, `1_000`, sexagesimal `1:30`, float only with a dot, `~`/`null`/empty → None,
//! `=` → an error in `safe_load`). What PyYAML refuses on top of the grammar (unprintable
//! characters, several documents, unknown tags, unhashable keys) is a `Syntax` problem.

use std::borrow::Cow;

use minijinja::Environment;
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::render;
use crate::formats::{Entry, Format, Parsed, Problem, ProblemKind};
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

pub struct Python;

/// Cap on nodes produced by alias expansion (an alias bomb is refused, not expanded).
const ALIAS_BUDGET: usize = 100_000;

// ---------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------

/// Characters PyYAML's reader accepts in a stream (`Reader.NON_PRINTABLE` complement).
pub fn pyyaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// A YAML double-quoted scalar that PyYAML reads back as exactly `s` (a `str`): `"` and
/// `\` escaped, every character that is not plainly printable (controls, DEL, C1, the
/// YAML line breaks NEL/LS/PS, BOM, non-characters) written as an escape.
pub fn yaml_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => {
                out.push_str(&format!("\\x{:02x}", u32::from(c)));
            }
            '\u{2028}' | '\u{2029}' | '\u{feff}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c if !pyyaml_printable(c) => {
                if u32::from(c) <= 0xffff {
                    out.push_str(&format!("\\u{:04x}", u32::from(c)));
                } else {
                    out.push_str(&format!("\\U{:08x}", u32::from(c)));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A float as a YAML 1.1 plain scalar PyYAML reads as the same float (PyYAML's float
/// resolver needs a dot and a signed exponent: `1e3` is a string to it).
pub fn yaml_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    let s = format!("{f:e}"); // shortest round-trip digits: "1.5e3", "1e-7"
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let mant = if mant.contains('.') {
        mant.to_string()
    } else {
        format!("{mant}.0")
    };
    let exp = if exp.starts_with('-') {
        exp.to_string()
    } else {
        format!("+{exp}")
    };
    format!("{mant}e{exp}")
}

/// Flow YAML (JSON-shaped, every string double-quoted with [`yaml_quote`]) for structured
/// data; `indent` > 0 lays mappings and sequences out one item per line.
pub fn yaml_flow(j: &serde_json::Value, indent: usize) -> String {
    let mut out = String::new();
    write_flow(&mut out, j, indent, 1);
    out
}

fn write_flow(out: &mut String, j: &serde_json::Value, indent: usize, depth: usize) {
    use serde_json::Value as J;
    let nl = |out: &mut String, d: usize| {
        if indent > 0 {
            out.push('\n');
            out.push_str(&" ".repeat(indent * d));
        }
    };
    match j {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => out.push_str(&i.to_string()),
            (None, Some(u), _) => out.push_str(&u.to_string()),
            (_, _, Some(f)) => out.push_str(&yaml_float(f)),
            _ => out.push_str("null"),
        },
        J::String(s) => out.push_str(&yaml_quote(s)),
        J::Array(a) if a.is_empty() => out.push_str("[]"),
        J::Object(o) if o.is_empty() => out.push_str("{}"),
        J::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    if indent == 0 {
                        out.push(' ');
                    }
                }
                nl(out, depth);
                write_flow(out, x, indent, depth + 1);
            }
            nl(out, depth - 1);
            out.push(']');
        }
        J::Object(o) => {
            out.push('{');
            for (i, (k, x)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    if indent == 0 {
                        out.push(' ');
                    }
                }
                nl(out, depth);
                let key = yaml_quote(k);
                // PyYAML limits implicit keys to 1024 characters: use an explicit `?` key.
                if key.chars().count() > 1000 {
                    out.push_str("? ");
                }
                out.push_str(&key);
                out.push_str(": ");
                write_flow(out, x, indent, depth + 1);
            }
            nl(out, depth - 1);
            out.push('}');
        }
    }
}

/// A value as YAML that PyYAML `safe_load` reads back with the same type and value.
pub fn yaml_value(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => yaml_float(*f),
        Value::Str(s) | Value::Symbol(s) => yaml_quote(s),
        Value::Json(j) => yaml_flow(j, 2),
    }
}

fn template_value(v: &minijinja::Value) -> Value {
    serde_json::to_value(v)
        .ok()
        .map(|j| match j {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::String(s) => Value::Str(s),
            serde_json::Value::Number(n) if n.is_i64() => Value::Int(n.as_i64().unwrap_or(0)),
            serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
            other => Value::Json(other),
        })
        .unwrap_or(Value::Null)
}

pub fn register(env: &mut Environment<'static>) {
    env.add_filter(
        "yaml_value",
        |v: minijinja::Value| -> Result<String, minijinja::Error> {
            let v = template_value(&v);
            if let Value::Str(s) = &v {
                if s.contains('\n') {
                    return Err(render::filter_error(
                        "a google-ads.yaml value cannot hold a line break",
                    ));
                }
            }
            Ok(yaml_value(&v))
        },
    );
}

// ---------------------------------------------------------------------------------------
// Reading: PyYAML's YAML 1.1 implicit typing
// ---------------------------------------------------------------------------------------

/// What PyYAML's implicit resolvers make of a plain scalar.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Value(Value),
    /// A type `safe_load` cannot build (`=` resolves to `tag:yaml.org,2002:value`).
    Error(String),
}

fn all(s: &str, f: impl Fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(f)
}

fn strip_sign(s: &str) -> (bool, &str) {
    match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}

/// `[0-9][0-9_]*(:[0-5]?[0-9])+` parts after the first (sexagesimal), without sign.
fn sexagesimal_parts(s: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() < 2 {
        return None;
    }
    for p in &parts[1..] {
        let b = p.as_bytes();
        let ok = match b.len() {
            1 => b[0].is_ascii_digit(),
            2 => (b'0'..=b'5').contains(&b[0]) && b[1].is_ascii_digit(),
            _ => false,
        };
        if !ok {
            return None;
        }
    }
    Some(parts)
}

fn is_int(s: &str) -> bool {
    let (_, u) = strip_sign(s);
    if let Some(r) = u.strip_prefix("0b") {
        return all(r, |c| c == '0' || c == '1' || c == '_');
    }
    if let Some(r) = u.strip_prefix("0x") {
        return all(r, |c| c.is_ascii_hexdigit() || c == '_');
    }
    if u == "0" {
        return true;
    }
    if let Some(r) = u.strip_prefix('0') {
        return all(r, |c| ('0'..='7').contains(&c) || c == '_');
    }
    if u.starts_with(|c: char| ('1'..='9').contains(&c)) {
        if all(u, |c| c.is_ascii_digit() || c == '_') {
            return true;
        }
        if let Some(parts) = sexagesimal_parts(u) {
            return all(parts[0], |c| c.is_ascii_digit() || c == '_');
        }
    }
    false
}

fn is_float(s: &str) -> bool {
    let digits_us = |t: &str| t.chars().all(|c| c.is_ascii_digit() || c == '_');
    let exp_ok = |t: &str| -> bool {
        // (?:[eE][-+][0-9]+)?
        if t.is_empty() {
            return true;
        }
        let b = t.as_bytes();
        matches!(b[0], b'e' | b'E')
            && b.len() >= 3
            && matches!(b[1], b'-' | b'+')
            && t[2..].chars().all(|c| c.is_ascii_digit())
    };
    // \.(?:nan|NaN|NAN) (no sign)
    if matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (_, u) = strip_sign(s);
    if matches!(u, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    // \.[0-9][0-9_]*(exp)? — no sign allowed
    if let Some(r) = s.strip_prefix('.') {
        if r.starts_with(|c: char| c.is_ascii_digit()) {
            let end = r
                .find(|c: char| !(c.is_ascii_digit() || c == '_'))
                .unwrap_or(r.len());
            return exp_ok(&r[end..]);
        }
        return false;
    }
    if !u.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    // [0-9][0-9_]*\.[0-9_]*(exp)?
    let int_end = u
        .find(|c: char| !(c.is_ascii_digit() || c == '_'))
        .unwrap_or(u.len());
    let rest = &u[int_end..];
    if let Some(frac) = rest.strip_prefix('.') {
        let fend = frac
            .find(|c: char| !(c.is_ascii_digit() || c == '_'))
            .unwrap_or(frac.len());
        return exp_ok(&frac[fend..]);
    }
    // [0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
    if rest.starts_with(':') {
        if let Some(dot) = u.rfind('.') {
            if !digits_us(&u[dot + 1..]) {
                return false;
            }
            if let Some(parts) = sexagesimal_parts(&u[..dot]) {
                return digits_us(parts[0]);
            }
        }
    }
    false
}

/// PyYAML's `construct_yaml_timestamp` followed by Python's `str()`: `2001-12-14`,
/// `2001-12-14 21:59:43.100000-05:00`. `None`: not a timestamp; `Err`: Python refuses the
/// date (month 13, hour 24…), so `safe_load` fails.
pub fn timestamp_str(s: &str) -> Option<std::result::Result<String, String>> {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize, min: usize, max: usize| -> Option<u32> {
        let st = *i;
        while *i < b.len() && *i - st < max && b[*i].is_ascii_digit() {
            *i += 1;
        }
        if *i - st < min {
            return None;
        }
        s[st..*i].parse().ok()
    };
    let year = digits(&mut i, 4, 4)?;
    let dash = |i: &mut usize| -> Option<()> { (b.get(*i) == Some(&b'-')).then(|| *i += 1) };
    dash(&mut i)?;
    let month = digits(&mut i, 1, 2)?;
    dash(&mut i)?;
    let day = digits(&mut i, 1, 2)?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let mdays = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let bad = |what: &str| {
        Some(Err(format!(
            "`{s}` is a YAML timestamp Python refuses ({what}); quote it"
        )))
    };
    let date_ok =
        year >= 1 && (1..=12).contains(&month) && day >= 1 && day <= mdays[month as usize - 1];
    if i == b.len() {
        // The date-only form is exactly YYYY-MM-DD.
        if b.len() != 10 {
            return None;
        }
        if !date_ok {
            return bad("no such date");
        }
        return Some(Ok(format!("{year:04}-{month:02}-{day:02}")));
    }
    // (?:[Tt]|[ \t]+)
    if matches!(b[i], b'T' | b't') {
        i += 1;
    } else {
        let st = i;
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        if i == st {
            return None;
        }
    }
    let hour = digits(&mut i, 1, 2)?;
    (b.get(i) == Some(&b':')).then_some(())?;
    i += 1;
    let minute = digits(&mut i, 2, 2)?;
    (b.get(i) == Some(&b':')).then_some(())?;
    i += 1;
    let second = digits(&mut i, 2, 2)?;
    let mut micro = 0u32;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let st = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let mut f: String = s[st..i].chars().take(6).collect();
        while !f.is_empty() && f.len() < 6 {
            f.push('0');
        }
        micro = f.parse().unwrap_or(0);
    }
    while i < b.len() && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    let mut tz: Option<i32> = None; // minutes east of UTC
    if i < b.len() {
        match b[i] {
            b'Z' => {
                i += 1;
                tz = Some(0);
            }
            b'-' | b'+' => {
                let neg = b[i] == b'-';
                i += 1;
                let h = digits(&mut i, 1, 2)?;
                let mut m = 0;
                if b.get(i) == Some(&b':') {
                    i += 1;
                    m = digits(&mut i, 2, 2)?;
                }
                let total = (h * 60 + m) as i32;
                tz = Some(if neg { -total } else { total });
            }
            _ => return None,
        }
    }
    if i != b.len() {
        return None;
    }
    if !date_ok || hour > 23 || minute > 59 || second > 59 {
        return bad("no such date or time");
    }
    if tz.is_some_and(|t| t.abs() >= 24 * 60) {
        return bad("offset of a day or more");
    }
    let mut out = format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}");
    if micro != 0 {
        out.push_str(&format!(".{micro:06}"));
    }
    if let Some(t) = tz {
        let sign = if t < 0 { '-' } else { '+' };
        out.push_str(&format!("{sign}{:02}:{:02}", t.abs() / 60, t.abs() % 60));
    }
    Some(Ok(out))
}

/// PyYAML `construct_yaml_int`.
fn construct_int(s: &str) -> Value {
    let t = s.replace('_', "");
    let (neg, u) = strip_sign(&t);
    let parsed: Option<i128> = if u == "0" {
        Some(0)
    } else if let Some(r) = u.strip_prefix("0b") {
        i128::from_str_radix(r, 2).ok()
    } else if let Some(r) = u.strip_prefix("0x") {
        i128::from_str_radix(r, 16).ok()
    } else if u.starts_with('0') {
        i128::from_str_radix(u, 8).ok()
    } else if u.contains(':') {
        let mut acc: i128 = 0;
        for p in u.split(':') {
            acc = acc
                .saturating_mul(60)
                .saturating_add(p.parse::<i128>().unwrap_or(0));
        }
        Some(acc)
    } else {
        u.parse::<i128>().ok()
    };
    match parsed.map(|v| if neg { -v } else { v }) {
        Some(v) => match i64::try_from(v) {
            Ok(i) => Value::Int(i),
            // Python ints are unbounded; keep the digits rather than a wrong number.
            Err(_) => Value::Str(v.to_string()),
        },
        // `0x_`, `0b_`: PyYAML's resolver says int, `int('', 16)` then fails.
        None => Value::Null,
    }
}

/// PyYAML `construct_yaml_float`.
fn construct_float(s: &str) -> Value {
    let t = s.replace('_', "").to_ascii_lowercase();
    let (neg, u) = strip_sign(&t);
    let sign = if neg { -1.0 } else { 1.0 };
    let f = if u == ".inf" {
        f64::INFINITY
    } else if u == ".nan" {
        f64::NAN
    } else if u.contains(':') {
        let mut acc = 0.0;
        for p in u.split(':') {
            acc = acc * 60.0 + p.parse::<f64>().unwrap_or(0.0);
        }
        acc
    } else {
        u.parse::<f64>().unwrap_or(0.0)
    };
    Value::Float(sign * f)
}

/// Type a plain scalar the way PyYAML's `SafeLoader` does.
pub fn resolve_plain(s: &str) -> Resolved {
    let v = match s {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => Value::Bool(true),
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Value::Bool(false)
        }
        "=" => {
            return Resolved::Error(
                "a plain `=` is YAML 1.1's `value` type, which yaml.safe_load cannot construct; quote it"
                    .into(),
            )
        }
        _ if is_float(s) => construct_float(s),
        _ if is_int(s) => match construct_int(s) {
            Value::Null => {
                return Resolved::Error(format!(
                    "`{s}` looks like a YAML 1.1 integer but has no digits; PyYAML fails on it — quote it"
                ))
            }
            v => v,
        },
        // A date or datetime: PyYAML builds a `date`/`datetime`; adsconf holds its `str()`.
        _ => match timestamp_str(s) {
            Some(Ok(text)) => Value::Str(text),
            Some(Err(e)) => return Resolved::Error(e),
            None => Value::Str(s.to_string()),
        },
    };
    Resolved::Value(v)
}

// ---------------------------------------------------------------------------------------
// Reading: a node tree with byte spans
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Kind {
    Scalar {
        text: String,
        style: ScalarStyle,
        tag: Option<Tag>,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone)]
struct Node {
    kind: Kind,
    /// Byte range of the node's text (for collections: first to last character).
    span: std::ops::Range<usize>,
    /// Nodes (this one included) in this subtree, for the alias budget.
    size: usize,
}

/// Char index → byte offset.
struct CharMap(Vec<usize>);

impl CharMap {
    fn new(text: &str) -> Self {
        let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        v.push(text.len());
        CharMap(v)
    }
    fn byte(&self, char_index: usize) -> usize {
        self.0
            .get(char_index)
            .copied()
            .unwrap_or_else(|| self.0.last().copied().unwrap_or(0))
    }
}

/// End (exclusive, bytes) of the quoted scalar starting at `start`.
fn quoted_end(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    let Some(&q) = b.get(start) else {
        return start;
    };
    let mut i = start + 1;
    while i < b.len() {
        match (q, b[i]) {
            (b'"', b'\\') => i += 2,
            (b'"', b'"') => return i + 1,
            (b'\'', b'\'') if b.get(i + 1) == Some(&b'\'') => i += 2,
            (b'\'', b'\'') => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// The first tab PyYAML's scanner refuses: outside quoted and block scalars and comments.
/// Linear in the file size (scalars come in document order; one comment scan per line).
fn stray_tab(text: &str, scalars: &[std::ops::Range<usize>]) -> Option<usize> {
    let mut sorted: Vec<&std::ops::Range<usize>> = scalars.iter().collect();
    sorted.sort_by_key(|r| r.start);
    let inside = |i: usize| {
        let k = sorted.partition_point(|r| r.start <= i);
        // Ranges do not overlap (scalars are leaves), so the last one starting at or
        // before `i` is the only candidate.
        k > 0 && sorted[k - 1].contains(&i)
    };
    let b = text.as_bytes();
    let mut line_end: Option<usize> = None;
    let mut comment_at = usize::MAX;
    for (i, _) in text.match_indices('\t') {
        if inside(i) {
            continue;
        }
        if line_end.is_none_or(|le| i > le) {
            let ls = line_start(text, i);
            // Where this line's comment starts (a `#` after whitespace, outside scalars).
            let le = text[ls..].find('\n').map(|n| ls + n).unwrap_or(text.len());
            line_end = Some(le);
            comment_at = (ls..le)
                .find(|&j| {
                    b[j] == b'#' && (j == ls || matches!(b[j - 1], b' ' | b'\t')) && !inside(j)
                })
                .unwrap_or(usize::MAX);
        }
        if i < comment_at {
            return Some(i);
        }
    }
    None
}

/// Skip `&anchor` and `!tag` properties (and the spaces after them) at `start`.
fn skip_properties(text: &str, mut start: usize, end: usize) -> usize {
    let b = text.as_bytes();
    while start < end.min(b.len()) && matches!(b[start], b'&' | b'!') {
        while start < b.len() && !matches!(b[start], b' ' | b'\t' | b'\n' | b'\r') {
            start += 1;
        }
        while start < b.len() && matches!(b[start], b' ' | b'\t') {
            start += 1;
        }
    }
    start
}

/// Start (bytes) of the `|`/`>` header of a block scalar whose content starts at `content`.
fn block_indicator(text: &str, content: usize) -> usize {
    let mut end = content;
    // The header is on the last non-blank line before the content.
    loop {
        let ls = line_start(text, end.saturating_sub(1).min(end));
        let line = &text[ls..end];
        if !line.trim().is_empty() || ls == 0 {
            let b = line.as_bytes();
            for i in 0..b.len() {
                if (b[i] == b'|' || b[i] == b'>')
                    && (i == 0 || matches!(b[i - 1], b' ' | b'\t' | b':' | b'-'))
                {
                    return ls + i;
                }
            }
            return content;
        }
        if ls == 0 {
            return content;
        }
        end = ls - 1;
    }
}

/// Trim trailing whitespace and line breaks off a byte range's end.
fn trim_end(text: &str, start: usize, end: usize) -> usize {
    let t = &text[start..end.max(start)];
    start + t.trim_end_matches([' ', '\t', '\r', '\n']).len()
}

struct Builder<'t> {
    text: &'t str,
    map: CharMap,
    stack: Vec<(Kind, usize, Option<usize>)>,
    anchor_stack: Vec<usize>,
    /// Anchor names seen (PyYAML refuses a name defined twice) and where the last event ended.
    anchor_names: std::collections::HashSet<String>,
    last_end: usize,
    /// Byte ranges of quoted and block scalars (where PyYAML accepts tabs).
    scalars: Vec<std::ops::Range<usize>>,
    anchors: std::collections::HashMap<usize, Node>,
    budget: usize,
    docs: usize,
    root: Option<Node>,
    problem: Option<Problem>,
}

impl<'t> Builder<'t> {
    fn problem(&mut self, kind: ProblemKind, at: usize, message: String) {
        if self.problem.is_none() {
            let end = self.text[at..]
                .find('\n')
                .map(|i| at + i)
                .unwrap_or(self.text.len());
            self.problem = Some(Problem {
                kind,
                span: at..end.max(at),
                message,
            });
        }
    }

    fn push_node(&mut self, node: Node, anchor: Option<usize>) {
        if let Some(a) = anchor.filter(|a| *a > 0) {
            self.anchors.insert(a, node.clone());
        }
        match self.stack.last_mut() {
            Some((Kind::Seq(items), _, _)) => items.push(node),
            Some((Kind::Map(pairs), _, pending)) => {
                // A key is pushed with a placeholder value; `pending` remembers its index
                // until the value arrives.
                if pending.is_none() {
                    pairs.push((node, placeholder()));
                    *pending = Some(pairs.len() - 1);
                } else if let Some(i) = pending.take() {
                    pairs[i].1 = node;
                }
            }
            Some((Kind::Scalar { .. }, _, _)) => {}
            None => {
                self.docs += 1;
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
        }
    }

    fn on(&mut self, ev: Event<'_>, span: Span) {
        let start = self.map.byte(span.start.index());
        let end = self.map.byte(span.end.index());
        let from = self.last_end.min(start);
        self.last_end = self.last_end.max(end);
        let anchored = match &ev {
            Event::Scalar(_, _, a, _) | Event::SequenceStart(a, _) | Event::MappingStart(a, _) => {
                *a > 0
            }
            _ => false,
        };
        if anchored {
            // The anchor's name is the first `&name` between the previous event and this one.
            let window = &self.text[from..end.max(start).min(self.text.len())];
            if let Some(amp) = window.find('&') {
                let name: String = window[amp + 1..]
                    .chars()
                    .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
                    .collect();
                if !self.anchor_names.insert(name.clone()) {
                    self.problem(
                        ProblemKind::Syntax,
                        from + amp,
                        format!(
                            "the anchor &{name} is defined twice; PyYAML refuses duplicate anchors"
                        ),
                    );
                }
            }
        }
        match ev {
            Event::DocumentStart(_) if self.docs > 0 => {
                self.problem(
                    ProblemKind::Syntax,
                    start,
                    "a second YAML document: yaml.safe_load expects a single document in the stream".into(),
                );
            }
            Event::Scalar(text, style, anchor, tag) => {
                // The node's properties (`&anchor`, `!tag`) are not part of its value text.
                let start = match style {
                    ScalarStyle::Literal | ScalarStyle::Folded => start,
                    _ => skip_properties(self.text, start, end),
                };
                let end = match style {
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                        quoted_end(self.text, start)
                    }
                    ScalarStyle::Plain => end.max(start),
                    _ => trim_end(self.text, start, end),
                };
                if style != ScalarStyle::Plain {
                    self.scalars.push(start..end);
                }
                // YAML 1.2 allows an empty implicit key (`: value`); PyYAML does not.
                let key_position = matches!(self.stack.last(), Some((Kind::Map(_), _, None)));
                if key_position
                    && style == ScalarStyle::Plain
                    && text.is_empty()
                    && tag.is_none()
                    && self.text.as_bytes().get(start) == Some(&b':')
                {
                    self.problem(
                        ProblemKind::Syntax,
                        start,
                        "a `:` without a key: PyYAML expects a key before the colon".into(),
                    );
                }
                let start = match style {
                    ScalarStyle::Literal | ScalarStyle::Folded => block_indicator(self.text, start),
                    _ => start,
                };
                let node = Node {
                    kind: Kind::Scalar {
                        text: text.into_owned(),
                        style,
                        tag: tag.map(Cow::into_owned),
                    },
                    span: start..end,
                    size: 1,
                };
                self.push_node(node, Some(anchor));
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if let Some(t) = tag.as_deref() {
                    let allowed = non_specific(t)
                        || (is_core(t) && matches!(t.suffix.as_str(), "map" | "seq"));
                    if !allowed {
                        self.problem(
                            ProblemKind::Syntax,
                            start,
                            format!(
                                "yaml.safe_load cannot construct the tag {}{}",
                                t.handle, t.suffix
                            ),
                        );
                    }
                }
                let kind = if matches!(ev, Event::SequenceStart(..)) {
                    Kind::Seq(Vec::new())
                } else {
                    Kind::Map(Vec::new())
                };
                // The third field is the index of a key waiting for its value (maps).
                self.stack.push((kind, start, None));
                self.anchor_stack.push(anchor);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some((kind, s, _)) = self.stack.pop() else {
                    return;
                };
                let anchor = self.anchor_stack.pop();
                let flow = matches!(self.text.as_bytes().get(s), Some(b'[' | b'{'));
                let (last, size) = match &kind {
                    Kind::Seq(items) => (
                        items.last().map(|n| n.span.end),
                        1 + items.iter().map(|n| n.size).sum::<usize>(),
                    ),
                    Kind::Map(pairs) => (
                        pairs.last().map(|(_, v)| {
                            v.span
                                .end
                                .max(pairs.last().map(|(k, _)| k.span.end).unwrap_or(0))
                        }),
                        1 + pairs.iter().map(|(k, v)| k.size + v.size).sum::<usize>(),
                    ),
                    Kind::Scalar { .. } => (None, 1),
                };
                let e = if flow { end } else { last.unwrap_or(s) };
                self.push_node(
                    Node {
                        kind,
                        span: s..e.max(s),
                        size,
                    },
                    anchor,
                );
            }
            Event::Alias(id) => {
                let Some(node) = self.anchors.get(&id).cloned() else {
                    self.problem(
                        ProblemKind::Syntax,
                        start,
                        "an alias to an unknown anchor".into(),
                    );
                    return;
                };
                if node.size > self.budget {
                    self.problem(
                        ProblemKind::NotStatic,
                        start,
                        format!(
                            "aliases here expand to more than {ALIAS_BUDGET} nodes (an alias bomb); adsconf does not expand them"
                        ),
                    );
                    self.budget = 0;
                    return;
                }
                self.budget -= node.size;
                let node = Node {
                    span: start..end.max(start),
                    ..node
                };
                self.push_node(node, None);
            }
            _ => {}
        }
    }
}

fn placeholder() -> Node {
    Node {
        kind: Kind::Scalar {
            text: String::new(),
            style: ScalarStyle::Plain,
            tag: None,
        },
        span: 0..0,
        size: 1,
    }
}

/// The non-specific tag `!` (a plain scalar stays a string).
fn non_specific(t: &Tag) -> bool {
    format!("{}{}", t.handle, t.suffix) == "!"
}

fn is_core(t: &Tag) -> bool {
    t.handle == "tag:yaml.org,2002:" || t.handle == "!!"
}

/// How `safe_load` builds a node. `Err` carries the reason the library fails.
fn construct(node: &Node) -> std::result::Result<Value, String> {
    match &node.kind {
        Kind::Scalar { text, style, tag } => {
            if let Some(t) = tag {
                // PyYAML resolves `!` like no tag at all (a plain `! 12` is an int).
                if non_specific(t) {
                    return match (style, resolve_plain(text)) {
                        (ScalarStyle::Plain, Resolved::Value(v)) => Ok(v),
                        (ScalarStyle::Plain, Resolved::Error(e)) => Err(e),
                        _ => Ok(Value::Str(text.clone())),
                    };
                }
                if !is_core(t) {
                    return Err(format!(
                        "yaml.safe_load cannot construct the tag {}{}",
                        t.handle, t.suffix
                    ));
                }
                return match t.suffix.as_str() {
                    "str" => Ok(Value::Str(text.clone())),
                    "null" => Ok(Value::Null),
                    "bool" => match resolve_plain(&text.to_ascii_lowercase()) {
                        Resolved::Value(Value::Bool(b)) => Ok(Value::Bool(b)),
                        _ => Err(format!("!!bool {text:?} is not a YAML 1.1 boolean")),
                    },
                    "int" if is_int(text) && construct_int(text) != Value::Null => {
                        Ok(construct_int(text))
                    }
                    "float" if is_float(text) || is_int(text) => Ok(construct_float(text)),
                    other => Err(format!("yaml.safe_load cannot build !!{other} {text:?}")),
                };
            }
            match style {
                ScalarStyle::Plain => match resolve_plain(text) {
                    Resolved::Value(v) => Ok(v),
                    Resolved::Error(e) => Err(e),
                },
                _ => Ok(Value::Str(text.clone())),
            }
        }
        Kind::Seq(items) => Ok(Value::Json(serde_json::Value::Array(
            items
                .iter()
                .map(|n| construct(n).map(|v| to_json(&v)))
                .collect::<std::result::Result<_, _>>()?,
        ))),
        Kind::Map(pairs) => {
            // A Python dict: equal keys collapse (and `True == 1 == 1.0`), the first key
            // object stays, the last value wins.
            let mut items: Vec<(Value, serde_json::Value)> = Vec::new();
            for (k, v) in pairs {
                if !matches!(k.kind, Kind::Scalar { .. }) {
                    return Err("a mapping or list used as a key is unhashable in Python".into());
                }
                let key = construct(k)?;
                let val = to_json(&construct(v)?);
                match items.iter_mut().find(|(x, _)| py_eq(x, &key)) {
                    Some(slot) => slot.1 = val,
                    None => items.push((key, val)),
                }
            }
            let m = items
                .into_iter()
                .map(|(k, v)| {
                    let k = match k {
                        Value::Str(s) => s,
                        Value::Null => "null".into(),
                        Value::Bool(b) => b.to_string(),
                        other => other.to_text(),
                    };
                    (k, v)
                })
                .collect();
            Ok(Value::Json(serde_json::Value::Object(m)))
        }
    }
}

/// Python `==` between scalar keys (`True == 1 == 1.0`).
fn py_eq(a: &Value, b: &Value) -> bool {
    let num = |v: &Value| match v {
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    };
    match (num(a), num(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Json(j) => j.clone(),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        other => other.to_json(),
    }
}

/// The key of a top-level entry as Python sees it (non-strings as their `str()`).
fn key_text(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        other => other.to_text(),
    }
}

/// Is `v` falsy for Python (`safe_load(doc) or {}` turns it into an empty config)?
fn falsy(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) | Value::Int(0) => true,
        Value::Float(f) => *f == 0.0,
        Value::Str(s) => s.is_empty(),
        Value::Json(j) => {
            j.as_array().is_some_and(Vec::is_empty)
                || j.as_object().is_some_and(serde_json::Map::is_empty)
        }
        _ => false,
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0)
}

fn line_end_incl(text: &str, at: usize) -> usize {
    text[at..]
        .find('\n')
        .map(|i| at + i + 1)
        .unwrap_or(text.len())
}

/// Parse `src` as PyYAML would, returning the top-level mapping's node too (for edits).
fn analyze(src: &Source) -> (Parsed, Option<Node>) {
    let text = &src.text;
    let mut parsed = Parsed::new(Lang::Python);
    // PyYAML's reader refuses unprintable characters anywhere in the stream.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let off = text.len() - body.len();
    if let Some((i, c)) = body.char_indices().find(|(_, c)| !pyyaml_printable(*c)) {
        let at = off + i;
        parsed.problems.push(Problem {
            kind: ProblemKind::Syntax,
            span: at..at + c.len_utf8(),
            message: format!(
                "unacceptable character U+{:04X}: PyYAML refuses non-printable characters; remove it or write it as an escape in a double-quoted string",
                u32::from(c)
            ),
        });
        return (parsed, None);
    }
    let mut b = Builder {
        text,
        map: CharMap::new(text),
        stack: Vec::new(),
        anchor_stack: Vec::new(),
        anchor_names: Default::default(),
        last_end: 0,
        scalars: Vec::new(),
        anchors: Default::default(),
        budget: ALIAS_BUDGET,
        docs: 0,
        root: None,
        problem: None,
    };
    let mut parser = Parser::new_from_str(text);
    for ev in &mut parser {
        match ev {
            Ok((ev, span)) => b.on(ev, span),
            Err(e) => {
                let at = b.map.byte(e.marker().index());
                b.problem(
                    ProblemKind::Syntax,
                    line_start(text, at.min(text.len())),
                    format!("not valid YAML: {}", e.info()),
                );
                break;
            }
        }
        if b.problem.is_some() {
            break;
        }
    }
    if b.problem.is_none() {
        if let Some(at) = stray_tab(text, &b.scalars) {
            b.problem(
                ProblemKind::Syntax,
                at,
                "a tab where PyYAML expects a token (tabs are allowed only inside quoted or block scalars and comments); use spaces".into(),
            );
        }
    }
    if let Some(p) = b.problem.take() {
        parsed.problems.push(p);
        if parsed.is_fatal() {
            return (parsed, None);
        }
    }
    let Some(root) = b.root else {
        return (parsed, None);
    };
    let Kind::Map(pairs) = &root.kind else {
        match construct(&root) {
            Ok(v) if falsy(&v) => {}
            _ => parsed.problems.push(Problem {
                kind: ProblemKind::Syntax,
                span: root.span.clone(),
                message: "the file is not a YAML mapping of `key: value` lines, so google-ads-python cannot read it".into(),
            }),
        }
        return (parsed, None);
    };
    for (k, v) in pairs {
        let key = match (&k.kind, construct(k)) {
            (Kind::Scalar { .. }, Ok(kv)) => key_text(&kv),
            (_, Err(msg)) => {
                parsed.problems.push(Problem {
                    kind: ProblemKind::Syntax,
                    span: k.span.clone(),
                    message: msg,
                });
                continue;
            }
            _ => {
                parsed.problems.push(Problem {
                    kind: ProblemKind::Syntax,
                    span: k.span.clone(),
                    message: "a mapping or list used as a key is unhashable in Python; yaml.safe_load fails".into(),
                });
                continue;
            }
        };
        if key == "<<"
            && matches!(
                &k.kind,
                Kind::Scalar {
                    style: ScalarStyle::Plain,
                    ..
                }
            )
        {
            parsed.problems.push(Problem {
                kind: ProblemKind::NotStatic,
                span: k.span.clone(),
                message: "YAML merge keys (`<<`) are not read by adsconf; write the keys out"
                    .into(),
            });
            continue;
        }
        let value = match construct(v) {
            Ok(val) => val,
            Err(msg) => {
                parsed.problems.push(Problem {
                    kind: ProblemKind::Syntax,
                    span: v.span.clone(),
                    message: msg,
                });
                continue;
            }
        };
        let empty = v.span.is_empty() || v.span.start < k.span.end;
        let value_span = if empty {
            // No value text: the insertion point is just after the `:`.
            let colon = text[k.span.end..]
                .find(':')
                .map(|i| k.span.end + i + 1)
                .unwrap_or(k.span.end);
            colon..colon
        } else {
            v.span.clone()
        };
        let last = value_span.end.max(k.span.end);
        let entry_end = if last > 0 && text.as_bytes().get(last - 1) == Some(&b'\n') {
            last
        } else {
            line_end_incl(text, last)
        };
        parsed.entries.push(Entry {
            section: None,
            key,
            value,
            raw: text[value_span.clone()].to_string(),
            key_span: k.span.clone(),
            value_span,
            entry_span: line_start(text, k.span.start)..entry_end,
        });
    }
    (parsed, Some(root))
}

/// Can `s` be written as a plain scalar that PyYAML reads back as the same string?
fn plain_carries(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s != s.trim() || "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.contains('\t') {
        return false;
    }
    if s.chars().any(|c| {
        !pyyaml_printable(c)
            || c == '\u{85}'
            || c == '\u{2028}'
            || c == '\u{2029}'
            || c == '\u{feff}'
            || c == '\n'
            || c == '\r'
    }) {
        return false;
    }
    if s.contains(['{', '}', '[', ']', ',']) {
        return false;
    }
    resolve_plain(s) == Resolved::Value(Value::Str(s.to_string()))
}

/// Can `s` be written single-quoted (no escapes but `''`)?
fn single_carries(s: &str) -> bool {
    !s.chars().any(|c| {
        !pyyaml_printable(c)
            || matches!(
                c,
                '\t' | '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'
            )
    }) && s.trim() == s
}

/// The value text for an in-place edit, keeping the old quoting style when it carries the
/// value exactly.
fn edit_text(old_raw: &str, v: &Value) -> String {
    if let Value::Str(s) = v {
        match old_raw.as_bytes().first() {
            Some(b'\'') if single_carries(s) => return format!("'{}'", s.replace('\'', "''")),
            Some(b'"') => return yaml_quote(s),
            Some(c) if !b"|>{[&*!".contains(c) && !old_raw.is_empty() && plain_carries(s) => {
                return s.clone()
            }
            _ => {}
        }
    }
    yaml_value(v)
}

impl Format for Python {
    fn lang(&self) -> Lang {
        Lang::Python
    }

    fn parse(&self, src: &Source) -> Parsed {
        analyze(src).0
    }

    fn render(&self, settings: &Settings) -> Result<String> {
        render::render(Lang::Python, settings)
    }

    fn cannot_carry(&self, _neutral: &str, value: &Value) -> Option<String> {
        match value {
            Value::Str(s) if s.contains('\n') => {
                Some("a google-ads.yaml value written by adsconf cannot hold a line break".into())
            }
            _ => None,
        }
    }

    fn set_edits(
        &self,
        src: &Source,
        parsed: &Parsed,
        key: &LibKey,
        value: &Value,
    ) -> Result<Vec<Edit>> {
        let name = src.name();
        if let Some(p) = parsed
            .problems
            .iter()
            .find(|p| p.kind == ProblemKind::Syntax)
        {
            let (line, _) = src.line_col(p.span.start);
            return Err(Error::usage(format!(
                "{name}:{line}: cannot edit a file PyYAML rejects ({}); fix it first",
                p.message
            )));
        }
        let text = &src.text;
        if let Some(e) = parsed.find(key) {
            let new = edit_text(&e.raw, value);
            let same_line = !text[e.key_span.end..e.value_span.start].contains('\n');
            if e.raw.is_empty() {
                return Ok(vec![Edit::insert(e.value_span.start, format!(" {new}"))]);
            }
            if same_line {
                return Ok(vec![Edit::replace(e.value_span.clone(), new)]);
            }
            // A value on the following lines (block mapping, block scalar): replace from
            // just after the `:` so the new value sits on the key's line.
            let colon = text[e.key_span.end..]
                .find(':')
                .map(|i| e.key_span.end + i + 1)
                .unwrap_or(e.key_span.end);
            return Ok(vec![Edit::replace(
                colon..e.value_span.end,
                format!(" {}", yaml_value(value)),
            )]);
        }
        let (_, root) = analyze(src);
        if let Some(root) = &root {
            if matches!(text.as_bytes().get(root.span.start), Some(b'{')) {
                return Err(Error::usage(format!(
                    "{name}: the settings are a one-line flow mapping; adsconf cannot insert `{}` into it — write it as `key: value` lines",
                    key.key
                )));
            }
        }
        let line = format!("{}: {}", key.key, yaml_value(value));
        let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
        match parsed.entries.iter().map(|e| e.entry_span.end).max() {
            Some(at) => {
                let sep = if at > 0 && text.as_bytes()[at - 1] == b'\n' {
                    ""
                } else {
                    eol
                };
                Ok(vec![Edit::insert(at, format!("{sep}{line}{eol}"))])
            }
            None => {
                let at = text.len();
                let sep = if text.is_empty() || text.ends_with('\n') {
                    ""
                } else {
                    eol
                };
                Ok(vec![Edit::insert(at, format!("{sep}{line}{eol}"))])
            }
        }
    }
}

#[cfg(test)]
mod tests;
