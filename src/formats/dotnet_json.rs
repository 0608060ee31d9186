//! google-ads-dotnet `appsettings.json`, read through `Microsoft.Extensions.Configuration.Json`
//! (`LoadFromSettingsJson(path, "GoogleAdsApi")`, library-config-spec §2.1–2.2).
//!
//! What that provider accepts (dotnet/runtime `JsonConfigurationFileParser`, read from its
//! source, not run here): `JsonDocument.Parse` with `CommentHandling = Skip` and
//! `AllowTrailingCommas = true`, so `//` and `/* */` comments and one trailing comma in
//! objects and arrays are accepted; everything else is strict RFC 8259 (no single quotes,
//! no NaN, no raw control characters in strings). The root must be an object. Every leaf
//! becomes a string under a `:`-joined path in a case-insensitive dictionary; a path seen
//! twice (also differing only in case) throws `FormatException` ("A duplicate key … was
//! found."). A leaf's string is `JsonElement.ToString()`: a string's value, a number's raw
//! text (`1.0` stays `1.0`), `True` / `False` for booleans, and the empty string for `null`.
//! The section name is matched case-insensitively; the keys inside keep their spelling and
//! the library then looks them up case-sensitively.

use minijinja::Environment;

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::dotnet_xml::{
    char_span, dotnet_typed_problem, eol_of, indent_at, past_line_comment, whole_lines,
};
use crate::formats::render;
use crate::formats::{Entry, Format, Parsed, Problem, ProblemKind};
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

pub struct DotnetJson;

/// The section `LoadFromSettingsJson` is called with.
pub const SECTION: &str = "GoogleAdsApi";

/// A JSON string literal for `value` (strict JSON: `"`, `\` and control characters escaped).
pub fn json_string(value: &str) -> String {
    serde_json::Value::String(value.to_string()).to_string()
}

/// A JSON value for a setting: booleans and integers as JSON literals (the configuration
/// provider turns them into the strings `True`/`False`/digits the library converts),
/// everything else as a string.
pub fn json_value(value: &Value) -> String {
    match value {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        v => json_string(&v.to_text()),
    }
}

pub fn register(env: &mut Environment<'static>) {
    env.add_filter("json_value", |v: minijinja::Value| -> String {
        if v.kind() == minijinja::value::ValueKind::Bool {
            return v.is_true().to_string();
        }
        match (v.as_str(), i64::try_from(v.clone())) {
            (Some(s), _) => json_string(s),
            (None, Ok(i)) => i.to_string(),
            (None, Err(_)) => json_string(&v.to_string()),
        }
    });
}

/// A parsed JSON value with its byte span.
#[derive(Debug, Clone)]
pub struct JNode {
    pub kind: JKind,
    pub span: std::ops::Range<usize>,
}

#[derive(Debug, Clone)]
pub enum JKind {
    Obj(Vec<JMember>),
    Arr(Vec<JNode>),
    Str(String),
    Num,
    Bool(bool),
    Null,
}

#[derive(Debug, Clone)]
pub struct JMember {
    pub key: String,
    /// The key with its quotes.
    pub key_span: std::ops::Range<usize>,
    pub value: JNode,
    /// Offset of the comma after the value, if any.
    pub comma: Option<usize>,
}

/// A small JSON parser with `//` and `/* */` comments and trailing commas, as the .NET
/// configuration provider reads JSON.
struct P<'a> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
}

type PResult<T> = std::result::Result<T, (usize, String)>;

impl<'a> P<'a> {
    fn err<T>(&self, at: usize, m: impl Into<String>) -> PResult<T> {
        Err((at, m.into()))
    }

    fn skip(&mut self) -> PResult<()> {
        loop {
            match self.b.get(self.pos) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') if self.b.get(self.pos + 1) == Some(&b'/') => {
                    while let Some(&c) = self.b.get(self.pos) {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                Some(b'/') if self.b.get(self.pos + 1) == Some(&b'*') => {
                    match self.s[self.pos + 2..].find("*/") {
                        Some(i) => self.pos += 2 + i + 2,
                        None => return self.err(self.pos, "unterminated /* comment"),
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn value(&mut self, depth: usize) -> PResult<JNode> {
        if depth > 64 {
            return self.err(self.pos, "nesting deeper than 64 levels");
        }
        let start = self.pos;
        let kind = match self.b.get(self.pos) {
            None => return self.err(self.pos, "unexpected end of file, expected a value"),
            Some(b'{') => {
                self.pos += 1;
                let mut members: Vec<JMember> = Vec::new();
                loop {
                    self.skip()?;
                    match self.b.get(self.pos) {
                        Some(b'}') => {
                            self.pos += 1;
                            break;
                        }
                        Some(b'"') if members.last().is_none_or(|m| m.comma.is_some()) => {
                            let ks = self.pos;
                            let key = self.string()?;
                            let key_span = ks..self.pos;
                            self.skip()?;
                            if self.b.get(self.pos) != Some(&b':') {
                                return self.err(self.pos, "expected ':' after the property name");
                            }
                            self.pos += 1;
                            self.skip()?;
                            let value = self.value(depth + 1)?;
                            self.skip()?;
                            let comma = if self.b.get(self.pos) == Some(&b',') {
                                self.pos += 1;
                                Some(self.pos - 1)
                            } else {
                                None
                            };
                            members.push(JMember {
                                key,
                                key_span,
                                value,
                                comma,
                            });
                        }
                        _ if members.last().is_some_and(|m| m.comma.is_none()) => {
                            return self.err(self.pos, "expected ',' or '}'");
                        }
                        _ => {
                            return self.err(self.pos, "expected a property name in double quotes")
                        }
                    }
                }
                JKind::Obj(members)
            }
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                let mut need_comma = false;
                loop {
                    self.skip()?;
                    match self.b.get(self.pos) {
                        Some(b']') => {
                            self.pos += 1;
                            break;
                        }
                        Some(b',') if need_comma => {
                            self.pos += 1;
                            need_comma = false;
                        }
                        _ if need_comma => return self.err(self.pos, "expected ',' or ']'"),
                        _ => {
                            items.push(self.value(depth + 1)?);
                            need_comma = true;
                        }
                    }
                }
                JKind::Arr(items)
            }
            Some(b'"') => JKind::Str(self.string()?),
            Some(b't') if self.s[self.pos..].starts_with("true") => {
                self.pos += 4;
                JKind::Bool(true)
            }
            Some(b'f') if self.s[self.pos..].starts_with("false") => {
                self.pos += 5;
                JKind::Bool(false)
            }
            Some(b'n') if self.s[self.pos..].starts_with("null") => {
                self.pos += 4;
                JKind::Null
            }
            Some(b'-' | b'0'..=b'9') => {
                self.number()?;
                JKind::Num
            }
            Some(_) => return self.err(self.pos, "unexpected character, expected a JSON value"),
        };
        // A literal must not run into letters (`truex`).
        if matches!(kind, JKind::Bool(_) | JKind::Null | JKind::Num)
            && self
                .b
                .get(self.pos)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            return self.err(self.pos, "unexpected character after a value");
        }
        Ok(JNode {
            kind,
            span: start..self.pos,
        })
    }

    fn digits(&mut self) -> usize {
        let s = self.pos;
        while self.b.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        self.pos - s
    }

    fn number(&mut self) -> PResult<()> {
        if self.b.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.b.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return self.err(self.pos, "invalid number"),
        }
        if self.b.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return self.err(self.pos, "invalid number: digits expected after '.'");
            }
        }
        if matches!(self.b.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.b.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return self.err(self.pos, "invalid number: digits expected in the exponent");
            }
        }
        Ok(())
    }

    fn hex4(&mut self) -> PResult<u32> {
        let h = self.s.get(self.pos..self.pos + 4).unwrap_or("");
        match (h.len() == 4 && h.bytes().all(|c| c.is_ascii_hexdigit()))
            .then(|| u32::from_str_radix(h, 16).ok())
            .flatten()
        {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => self.err(self.pos, "invalid \\u escape (four hex digits expected)"),
        }
    }

    fn string(&mut self) -> PResult<String> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.s[self.pos..].chars().next() else {
                return self.err(open, "unterminated string");
            };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                '\\' => {
                    let at = self.pos;
                    self.pos += 1;
                    let e = self.b.get(self.pos).copied();
                    self.pos += 1;
                    match e {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi) {
                                if !self.s[self.pos..].starts_with("\\u") {
                                    return self.err(at, "lone UTF-16 surrogate in \\u escape");
                                }
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return self.err(at, "lone UTF-16 surrogate in \\u escape");
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else if (0xDC00..0xE000).contains(&hi) {
                                return self.err(at, "lone UTF-16 surrogate in \\u escape");
                            } else {
                                hi
                            };
                            out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                        }
                        _ => return self.err(at, "invalid escape sequence in string"),
                    }
                }
                c if (c as u32) < 0x20 => {
                    return self.err(self.pos, "control character inside a string (escape it)");
                }
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }
}

/// Parse JSON with comments and trailing commas; the error is (offset, message).
pub fn parse_jsonc(text: &str) -> PResult<JNode> {
    let mut p = P {
        s: text,
        b: text.as_bytes(),
        pos: 0,
    };
    if text.starts_with('\u{feff}') {
        p.pos = 3;
    }
    p.skip()?;
    let v = p.value(0)?;
    p.skip()?;
    if p.pos < text.len() {
        return p.err(p.pos, "unexpected text after the JSON value");
    }
    Ok(v)
}

/// `JsonElement.ToString()` of a leaf; `None` for objects and arrays.
fn leaf_text(node: &JNode, text: &str) -> Option<String> {
    Some(match &node.kind {
        JKind::Str(s) => s.clone(),
        JKind::Num => text[node.span.clone()].to_string(),
        JKind::Bool(true) => "True".into(),
        JKind::Bool(false) => "False".into(),
        JKind::Null => String::new(),
        JKind::Obj(_) | JKind::Arr(_) => return None,
    })
}

/// Flatten leaves the way the provider does, reporting the first duplicate path.
fn find_duplicate(
    node: &JNode,
    path: &str,
    at: std::ops::Range<usize>,
    seen: &mut std::collections::HashSet<String>,
) -> Option<(String, std::ops::Range<usize>)> {
    match &node.kind {
        JKind::Obj(ms) => ms.iter().find_map(|m| {
            let p = if path.is_empty() {
                m.key.clone()
            } else {
                format!("{path}:{}", m.key)
            };
            find_duplicate(&m.value, &p, m.key_span.clone(), seen)
        }),
        JKind::Arr(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, it)| find_duplicate(it, &format!("{path}:{i}"), it.span.clone(), seen)),
        _ => (!seen.insert(path.to_lowercase())).then(|| (path.to_string(), at)),
    }
}

/// The root object's members and the members of the `GoogleAdsApi` section (first one).
fn section(root: &JNode) -> Option<(&Vec<JMember>, &JNode)> {
    let JKind::Obj(ms) = &root.kind else {
        return None;
    };
    let sec = ms
        .iter()
        .find(|m| m.key.eq_ignore_ascii_case(SECTION) && matches!(m.value.kind, JKind::Obj(_)))?;
    Some((ms, &sec.value))
}

fn parse_tree(src: &Source) -> (Parsed, Option<JNode>) {
    let mut parsed = Parsed::new(Lang::DotnetJson);
    let text = &src.text;
    let root = match parse_jsonc(text) {
        Ok(r) => r,
        Err((at, m)) => {
            parsed.problems.push(Problem {
                kind: ProblemKind::Syntax,
                span: char_span(text, at),
                message: format!("not valid JSON: {m}; .NET's JSON configuration provider refuses the file (FormatException)"),
            });
            return (parsed, None);
        }
    };
    let JKind::Obj(members) = &root.kind else {
        parsed.problems.push(Problem {
            kind: ProblemKind::Syntax,
            span: root.span.clone(),
            message: "the top level of appsettings.json must be an object ({ … }); .NET's JSON configuration provider refuses anything else".into(),
        });
        return (parsed, None);
    };
    if let Some((path, span)) =
        find_duplicate(&root, "", root.span.clone(), &mut Default::default())
    {
        parsed.problems.push(Problem {
            kind: ProblemKind::Syntax,
            span,
            message: format!("duplicate key '{path}' (keys are compared ignoring case); .NET's JSON configuration provider throws FormatException on it"),
        });
    }
    for m in members {
        let sec_prefix = m
            .key
            .get(..SECTION.len() + 1)
            .filter(|p| p.eq_ignore_ascii_case("GoogleAdsApi:"));
        let mut push = |key: &str, member: &JMember, key_span: std::ops::Range<usize>| {
            if key.contains(':') {
                return;
            }
            let Some(v) = leaf_text(&member.value, text) else {
                return;
            };
            let end = member.comma.map(|c| c + 1).unwrap_or(member.value.span.end);
            parsed.entries.push(Entry {
                section: None,
                key: key.to_string(),
                value: Value::Str(v),
                raw: text[member.value.span.clone()].to_string(),
                key_span,
                value_span: member.value.span.clone(),
                entry_span: whole_lines(text, member.key_span.start..past_line_comment(text, end)),
            });
        };
        if m.key.eq_ignore_ascii_case(SECTION) {
            if let JKind::Obj(inner) = &m.value.kind {
                for im in inner {
                    let ks = im.key_span.start + 1..im.key_span.end - 1;
                    push(&im.key, im, ks);
                }
            }
        } else if sec_prefix.is_some() {
            let rest = &m.key[SECTION.len() + 1..];
            let ks = m.key_span.clone();
            push(rest, m, ks);
        }
    }
    (parsed, Some(root))
}

/// Edits inserting `member` (`"Key": value`) into the object `obj`.
fn insert_member(text: &str, obj: &JNode, member: &str, unit: &str) -> Vec<Edit> {
    let eol = eol_of(text);
    let JKind::Obj(ms) = &obj.kind else {
        return Vec::new();
    };
    let open = obj.span.start;
    let close = obj.span.end - 1;
    match ms.last() {
        Some(last) => {
            let indent = indent_at(text, last.key_span.start).to_string();
            let mut edits = Vec::new();
            let at = match last.comma {
                Some(c) => c + 1,
                None => {
                    edits.push(Edit::insert(last.value.span.end, ","));
                    last.value.span.end
                }
            };
            // Keep what follows the last value on its line (a `// comment`) before ours.
            let line_end = text[at..close]
                .find('\n')
                .map(|i| at + i)
                .filter(|&e| text[at..e].trim_start().starts_with("//"))
                .map(|e| if text[..e].ends_with('\r') { e - 1 } else { e })
                .unwrap_or(at);
            edits.push(Edit::insert(line_end, format!("{eol}{indent}{member}")));
            edits
        }
        None => {
            let base = indent_at(text, open).to_string();
            let inside = &text[open + 1..close];
            if inside.trim().is_empty() {
                vec![Edit::replace(
                    open + 1..close,
                    format!("{eol}{base}{unit}{member}{eol}{base}"),
                )]
            } else {
                vec![Edit::insert(open + 1, format!("{eol}{base}{unit}{member}"))]
            }
        }
    }
}

/// The file's indentation unit (that of the root's first member), default two spaces.
fn indent_unit(text: &str, root: &JNode) -> String {
    if let JKind::Obj(ms) = &root.kind {
        if let Some(m) = ms.first() {
            let i = indent_at(text, m.key_span.start);
            if !i.is_empty() && text[..m.key_span.start].ends_with(i) {
                return i.to_string();
            }
        }
    }
    "  ".into()
}

impl Format for DotnetJson {
    fn lang(&self) -> Lang {
        Lang::DotnetJson
    }

    fn parse(&self, src: &Source) -> Parsed {
        parse_tree(src).0
    }

    fn render(&self, settings: &Settings) -> Result<String> {
        render::render(Lang::DotnetJson, settings)
    }

    fn cannot_carry(&self, neutral: &str, value: &Value) -> Option<String> {
        dotnet_typed_problem(neutral, value)
    }

    fn set_edits(
        &self,
        src: &Source,
        parsed: &Parsed,
        key: &LibKey,
        value: &Value,
    ) -> Result<Vec<Edit>> {
        let text = &src.text;
        let literal = json_value(value);
        if let Some(e) = parsed.find(key) {
            return Ok(vec![Edit::replace(e.value_span.clone(), literal)]);
        }
        let (_, root) = parse_tree(src);
        let Some(root) = root else {
            return Err(Error::usage(format!(
                "cannot set {}: {} is not a JSON object .NET can read; fix it first",
                key.key,
                src.name()
            )));
        };
        let unit = indent_unit(text, &root);
        let member = format!("{}: {literal}", json_string(&key.key));
        match section(&root) {
            Some((_, sec)) => Ok(insert_member(text, sec, &member, &unit)),
            None => {
                let eol = eol_of(text);
                let ind = format!("{}{unit}", indent_at(text, root.span.start));
                let sec = format!("\"{SECTION}\": {{{eol}{ind}{unit}{member}{eol}{ind}}}");
                Ok(insert_member(text, &root, &sec, &unit))
            }
        }
    }

    fn remove_edits(&self, src: &Source, parsed: &Parsed, key: &LibKey) -> Vec<Edit> {
        // Removing the last member of an object leaves the previous member's comma: the
        // provider accepts it, but keep the file strict JSON by removing it too.
        let text = &src.text;
        let mut edits = Vec::new();
        for e in parsed.entries.iter().filter(|e| e.key == key.key) {
            edits.push(Edit::delete(e.entry_span.clone()));
            let last_in_object = text[e.value_span.end..]
                .trim_start_matches([' ', '\t', '\r', '\n'])
                .starts_with('}');
            if last_in_object {
                let before = text[..e.entry_span.start].trim_end_matches([' ', '\t', '\r', '\n']);
                if before.ends_with(',')
                    && !edits
                        .iter()
                        .any(|x: &Edit| x.range.start == before.len() - 1)
                {
                    let c = before.len() - 1;
                    if c < e.entry_span.start {
                        edits.push(Edit::delete(c..c + 1));
                    }
                }
            }
        }
        edits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(t: &str) -> (Vec<(String, String)>, bool) {
        let p = DotnetJson.parse(&Source::of(t));
        (
            p.entries
                .iter()
                .map(|e| (e.key.clone(), e.value.to_text()))
                .collect(),
            p.is_fatal(),
        )
    }

    #[test]
    fn reads_like_the_provider() {
        let t = "// c\n{\n  /* x */ \"googleadsapi\": {\n    \"DeveloperToken\": \"a\\u00e9\\\"\", // t\n    \"Timeout\": 1.0,\n    \"UseGrpcCore\": true,\n    \"OAuth2Scope\": null,\n    \"Nested\": {\"x\": 1},\n  },\n  \"GoogleAdsApi:LoginCustomerId\": 123,\n}\n";
        let (e, fatal) = kv(t);
        assert!(!fatal);
        assert_eq!(
            e,
            vec![
                ("DeveloperToken".into(), "aé\"".into()),
                ("Timeout".into(), "1.0".into()),
                ("UseGrpcCore".into(), "True".into()),
                ("OAuth2Scope".into(), "".into()),
                ("LoginCustomerId".into(), "123".into()),
            ]
        );
        let p = DotnetJson.parse(&Source::of(t));
        assert_eq!(&t[p.entries[0].value_span.clone()], "\"a\\u00e9\\\"\"");
        assert_eq!(&t[p.entries[0].key_span.clone()], "DeveloperToken");
        assert_eq!(
            &t[p.entries[0].entry_span.clone()],
            "    \"DeveloperToken\": \"a\\u00e9\\\"\", // t\n"
        );
    }

    #[test]
    fn refuses_what_dotnet_refuses() {
        for bad in [
            "",
            "[]",
            "{'a': 1}",
            "{\"a\": 01}",
            "{\"a\": NaN}",
            "{\"a\": 1,,}",
            "{,}",
            "{\"a\": \"x\ty\"}",
            "{\"a\": 1} x",
            "{\"A\": 1, \"a\": 2}",
            "{\"a\": {\"b\": 1}, \"A:b\": 2}",
            "{\"a\": \"\\ud800\"}",
            "{/* open",
            "{\"a\": tru}",
        ] {
            assert!(kv(bad).1, "{bad:?} should be refused");
        }
        let src = Source::of("{\n  \"a\": 1\n  \"b\": 2\n}");
        let p = DotnetJson.parse(&src);
        assert_eq!(src.line_col(p.problems[0].span.start).0, 3);
        assert!(!kv("{\"a\": [1, 2,], \"b\": {},}").1);
    }

    #[test]
    fn set_and_insert_keep_strict_json() {
        let cat = Lang::DotnetJson.catalog();
        let t = "{\n    \"GoogleAdsApi\": {\n        \"DeveloperToken\": \"x\"\n    }\n}\n";
        let src = Source::of(t);
        let p = DotnetJson.parse(&src);
        let k = cat.for_neutral("login_customer_id").unwrap();
        let out = crate::edit::apply(
            t,
            &DotnetJson
                .set_edits(&src, &p, k, &Value::Str("0123456789".into()))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(out, "{\n    \"GoogleAdsApi\": {\n        \"DeveloperToken\": \"x\",\n        \"LoginCustomerId\": \"0123456789\"\n    }\n}\n");
        let t = "{\n  \"Logging\": {}\n}\n";
        let src = Source::of(t);
        let p = DotnetJson.parse(&src);
        let out = crate::edit::apply(
            t,
            &DotnetJson
                .set_edits(&src, &p, k, &Value::Str("1".into()))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(out, "{\n  \"Logging\": {},\n  \"GoogleAdsApi\": {\n    \"LoginCustomerId\": \"1\"\n  }\n}\n");
        let src = Source::of(&out);
        let p = DotnetJson.parse(&src);
        let removed = crate::edit::apply(&out, &DotnetJson.remove_edits(&src, &p, k)).unwrap();
        assert_eq!(
            removed,
            "{\n  \"Logging\": {},\n  \"GoogleAdsApi\": {\n  }\n}\n"
        );
    }

    #[test]
    fn json_escaping() {
        assert_eq!(
            json_string("a\"b\\c\td\u{1}é"),
            "\"a\\\"b\\\\c\\td\\u0001é\""
        );
        assert_eq!(json_value(&Value::Bool(true)), "true");
        assert_eq!(json_value(&Value::Int(5)), "5");
        assert_eq!(json_value(&Value::Str("5".into())), "\"5\"");
    }
}

#[cfg(test)]
mod crlf_tests {
    use super::*;

    #[test]
    fn insert_after_a_trailing_comment_with_crlf() {
        let t =
            "{\r\n  \"GoogleAdsApi\": {\r\n    \"DeveloperToken\": \"x\" // why\r\n  }\r\n}\r\n";
        let src = Source::of(t);
        let p = DotnetJson.parse(&src);
        let k = Lang::DotnetJson.catalog().for_neutral("client_id").unwrap();
        let out = crate::edit::apply(
            t,
            &DotnetJson
                .set_edits(&src, &p, k, &Value::Str("id".into()))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(out, "{\r\n  \"GoogleAdsApi\": {\r\n    \"DeveloperToken\": \"x\", // why\r\n    \"OAuth2ClientId\": \"id\"\r\n  }\r\n}\r\n");
        assert!(!DotnetJson.parse(&Source::of(&out)).is_fatal());
    }
}
