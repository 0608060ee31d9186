//! C# `GoogleAdsConfig` snippet (CONTRACT §1): optional `using` directives, then
//! `GoogleAdsConfig config = new GoogleAdsConfig() { Prop = literal, … };` (or
//! `var config = new GoogleAdsConfig { … };`), optional `config.Prop = literal;` statements,
//! then optionally `GoogleAdsClient client = new GoogleAdsClient(config);`.
//!
//! The file is code: only this static subset is read. Literals are C# regular strings (with
//! their escapes), verbatim `@"…"` strings, `true`/`false`, integers and
//! `OAuth2Flow.APPLICATION` / `OAuth2Flow.SERVICE_ACCOUNT` ([`Value::Symbol`]). Anything else
//! is a NotStatic problem at its line, never a guess. A string literal the compiler rejects
//! (unterminated, bad escape, raw line break) is a Syntax problem.
//!
//! Entries are keyed by the settings key the catalogue gives for the property
//! (`ServerUrl` → `GoogleAds.Server`, `MaxReceiveMessageSizeInBytes` →
//! `MaxReceiveMessageLengthInBytes`) so that the shared catalogue lookups work; `key_span`
//! points at the property name as written. Unknown properties keep their own name.

use std::ops::Range;

use minijinja::Environment;

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::dotnet_xml::{
    dotnet_typed_problem, eol_of, indent_at, past_line_comment, reads_of, whole_lines,
};
use crate::formats::render;
use crate::formats::{Entry, Format, Parsed, Problem, ProblemKind};
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

pub struct Csharp;

/// A C# regular string literal holding `value` exactly.
pub fn cs_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            // Other controls and the characters C# treats as line breaks.
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A C# verbatim string literal (`@"…"`, a quote doubled) holding `value` exactly, when it
/// has no character that would need an escape to stay on one line.
pub fn cs_verbatim(value: &str) -> Option<String> {
    if value
        .chars()
        .any(|c| c.is_control() && c != '\t' || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        return None;
    }
    Some(format!("@\"{}\"", value.replace('"', "\"\"")))
}

/// The `GoogleAdsConfig` property for a neutral key (None: no settable property).
pub fn property(neutral: &str) -> Option<&'static str> {
    Lang::Csharp
        .catalog()
        .for_neutral(neutral)
        .and_then(|k| k.property.as_deref())
}

/// A C# literal for `value` in the property of `neutral`, typed as the property is.
pub fn cs_literal(neutral: &str, value: &Value) -> Result<String, String> {
    if let Some(p) = dotnet_typed_problem(neutral, value) {
        return Err(p);
    }
    let text = value.to_text();
    Ok(match reads_of(neutral) {
        "bool_dotnet" => match value {
            Value::Bool(b) => b.to_string(),
            _ => text.trim().to_ascii_lowercase(),
        },
        "int" => text.trim().to_string(),
        "enum_oauth2flow" => format!("OAuth2Flow.{}", text.trim().to_ascii_uppercase()),
        _ => cs_string(&text),
    })
}

fn template_value(v: &minijinja::Value) -> Value {
    if v.kind() == minijinja::value::ValueKind::Bool {
        return Value::Bool(v.is_true());
    }
    match (v.as_str(), i64::try_from(v.clone())) {
        (Some(s), _) => Value::Str(s.to_string()),
        (None, Ok(i)) => Value::Int(i),
        _ => Value::Str(v.to_string()),
    }
}

pub fn register(env: &mut Environment<'static>) {
    env.add_filter(
        "cs_property",
        |n: String| -> Result<String, minijinja::Error> {
            property(&n)
                .map(str::to_string)
                .ok_or_else(|| render::filter_error(format!("{n} has no GoogleAdsConfig property")))
        },
    );
    env.add_filter(
        "cs_literal",
        |v: minijinja::Value, n: String| -> Result<String, minijinja::Error> {
            cs_literal(&n, &template_value(&v)).map_err(render::filter_error)
        },
    );
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    /// A string literal's value; `true` when verbatim.
    Str(String, bool),
    Int(i64),
    Punct(char),
    /// Code we do not read (interpolated/raw strings, char literals, other numbers).
    Other,
}

struct Lexed {
    toks: Vec<(Tok, Range<usize>)>,
    problems: Vec<Problem>,
}

fn lex(text: &str) -> Lexed {
    let b = text.as_bytes();
    let mut toks = Vec::new();
    let mut problems = Vec::new();
    let mut i = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let syntax = |span: Range<usize>, m: &str| Problem {
        kind: ProblemKind::Syntax,
        span,
        message: format!("{m}: the C# compiler rejects the snippet"),
    };
    while i < b.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        let start = i;
        if c.is_whitespace() {
            i += c.len_utf8();
        } else if text[i..].starts_with("//") {
            i = text[i..].find('\n').map(|n| i + n).unwrap_or(b.len());
        } else if text[i..].starts_with("/*") {
            match text[i + 2..].find("*/") {
                Some(n) => i += n + 4,
                None => {
                    problems.push(syntax(i..i + 2, "unterminated /* comment"));
                    i = b.len();
                }
            }
        } else if c == '#' {
            let end = text[i..].find('\n').map(|n| i + n).unwrap_or(b.len());
            let d = text[i + 1..end].trim_start();
            if !["region", "endregion", "nullable", "pragma"]
                .iter()
                .any(|w| d.starts_with(w))
            {
                problems.push(Problem {
                    kind: ProblemKind::NotStatic,
                    span: i..end,
                    message: "preprocessor directive: adsconf reads only plain GoogleAdsConfig initializers".into(),
                });
            }
            i = end;
        } else if c == '_' || c.is_alphabetic() {
            while let Some(c) = text[i..].chars().next() {
                if c == '_' || c.is_alphanumeric() {
                    i += c.len_utf8();
                } else {
                    break;
                }
            }
            toks.push((Tok::Ident(text[start..i].to_string()), start..i));
        } else if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            let t = &text[start..i];
            let tok = match t.parse::<i64>() {
                Ok(v) => Tok::Int(v),
                Err(_) => Tok::Other,
            };
            toks.push((tok, start..i));
        } else if text[i..].starts_with("@\"") {
            i += 2;
            let mut s = String::new();
            let mut closed = false;
            while i < b.len() {
                if text[i..].starts_with("\"\"") {
                    s.push('"');
                    i += 2;
                } else if b[i] == b'"' {
                    i += 1;
                    closed = true;
                    break;
                } else {
                    let c = text[i..].chars().next().unwrap_or(' ');
                    s.push(c);
                    i += c.len_utf8();
                }
            }
            if !closed {
                problems.push(syntax(start..start + 2, "unterminated verbatim string"));
            }
            toks.push((Tok::Str(s, true), start..i));
        } else if text[i..].starts_with("\"\"\"")
            || (text[i..].starts_with('$') || text[i..].starts_with("@$"))
                && text[i..].trim_start_matches(['$', '@']).starts_with('"')
        {
            // Raw and interpolated strings: skip to the end of the literal, not read.
            let (open, close) = if text[i..]
                .trim_start_matches(['$', '@'])
                .starts_with("\"\"\"")
            {
                let n = text[i..].find("\"\"\"").unwrap_or(0);
                (i + n + 3, "\"\"\"")
            } else {
                let n = text[i..].find('"').map(|n| n + 1).unwrap_or(1);
                (i + n, "\"")
            };
            let mut j = open;
            if close == "\"" {
                let verbatim = text[i..open].contains('@');
                while j < b.len() {
                    if b[j] == b'\\' && !verbatim {
                        j += 2;
                    } else if b[j] == b'"' {
                        if verbatim && b.get(j + 1) == Some(&b'"') {
                            j += 2;
                            continue;
                        }
                        j += 1;
                        break;
                    } else if b[j] == b'\n' && !verbatim {
                        break;
                    } else {
                        j += 1;
                    }
                }
            } else {
                j = text[open..]
                    .find("\"\"\"")
                    .map(|n| open + n + 3)
                    .unwrap_or(b.len());
            }
            i = j.max(i + 1).min(b.len());
            while !text.is_char_boundary(i) {
                i += 1;
            }
            toks.push((Tok::Other, start..i));
        } else if c == '"' {
            i += 1;
            let mut s = String::new();
            let mut closed = false;
            while i < b.len() {
                let c = text[i..].chars().next().unwrap_or(' ');
                match c {
                    '"' => {
                        i += 1;
                        closed = true;
                        break;
                    }
                    '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => break,
                    '\\' => {
                        let at = i;
                        i += 1;
                        let Some(e) = text[i..].chars().next() else {
                            break;
                        };
                        i += e.len_utf8();
                        let hex = |i: &mut usize, min: usize, max: usize| -> Option<u32> {
                            let h: String = text[*i..]
                                .chars()
                                .take(max)
                                .take_while(char::is_ascii_hexdigit)
                                .collect();
                            if h.len() < min {
                                return None;
                            }
                            *i += h.len();
                            u32::from_str_radix(&h, 16).ok()
                        };
                        let ch = match e {
                            '\'' => Some('\''),
                            '"' => Some('"'),
                            '\\' => Some('\\'),
                            '0' => Some('\0'),
                            'a' => Some('\u{7}'),
                            'b' => Some('\u{8}'),
                            'f' => Some('\u{c}'),
                            'n' => Some('\n'),
                            'r' => Some('\r'),
                            't' => Some('\t'),
                            'v' => Some('\u{b}'),
                            'u' => hex(&mut i, 4, 4).and_then(char::from_u32),
                            'U' => hex(&mut i, 8, 8).and_then(char::from_u32),
                            'x' => hex(&mut i, 1, 4).and_then(char::from_u32),
                            _ => None,
                        };
                        match ch {
                            Some(ch) => s.push(ch),
                            None => {
                                problems.push(syntax(at..i, "invalid escape sequence in a string"));
                            }
                        }
                    }
                    c => {
                        s.push(c);
                        i += c.len_utf8();
                    }
                }
            }
            if !closed {
                problems.push(syntax(
                    start..i,
                    "unterminated string (C# regular strings cannot span lines)",
                ));
            }
            toks.push((Tok::Str(s, false), start..i));
        } else if c == '\'' {
            // Character literal.
            i += 1;
            while i < b.len() && b[i] != b'\'' && b[i] != b'\n' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(b.len());
            while !text.is_char_boundary(i) {
                i += 1;
            }
            toks.push((Tok::Other, start..i));
        } else {
            i += c.len_utf8();
            toks.push((Tok::Punct(c), start..i));
        }
    }
    Lexed { toks, problems }
}

/// Where the initializer is, for edits.
#[derive(Debug, Clone)]
struct Init {
    /// `{` and `}` of the object initializer (None: `new GoogleAdsConfig()` without one).
    braces: Option<(usize, usize)>,
    /// End of the last member (after its comma when it has one) and whether it has a comma.
    last_member: Option<(usize, bool)>,
    /// End of the declaration statement (after `;`).
    decl_end: usize,
    /// Start of the declaration statement.
    decl_start: usize,
}

struct Reader<'a> {
    text: &'a str,
    toks: Vec<(Tok, Range<usize>)>,
    pos: usize,
    parsed: Parsed,
    init: Option<Init>,
    var: Option<String>,
}

fn is_ident(t: Option<&(Tok, Range<usize>)>, name: &str) -> bool {
    matches!(t, Some((Tok::Ident(s), _)) if s == name)
}

fn is_punct(t: Option<&(Tok, Range<usize>)>, c: char) -> bool {
    matches!(t, Some((Tok::Punct(p), _)) if *p == c)
}

impl Reader<'_> {
    fn peek(&self, n: usize) -> Option<&(Tok, Range<usize>)> {
        self.toks.get(self.pos + n)
    }

    fn span_end(&self) -> usize {
        self.toks
            .get(self.pos.saturating_sub(1))
            .map(|t| t.1.end)
            .unwrap_or(0)
    }

    fn not_static(&mut self, span: Range<usize>, what: &str) {
        self.parsed.problems.push(Problem {
            kind: ProblemKind::NotStatic,
            span,
            message: format!("{what}: adsconf reads only literal values in a GoogleAdsConfig initializer (strings, true/false, integers, OAuth2Flow.X)"),
        });
    }

    /// Skip to just after the next `stop` at bracket depth 0 (not consuming `}` that closes
    /// an enclosing block when `stop` is `,`).
    fn skip_until(&mut self, stops: &[char]) {
        let mut depth = 0i32;
        while let Some((t, _)) = self.peek(0) {
            if let Tok::Punct(c) = t {
                if depth == 0 && stops.contains(c) {
                    return;
                }
                match c {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' => depth -= 1,
                    _ => {}
                }
                if depth < 0 {
                    return;
                }
            }
            self.pos += 1;
        }
    }

    /// A dotted name (`Google.Ads.GoogleAds.Config.GoogleAdsConfig`), returning its parts.
    fn dotted(&mut self) -> Vec<String> {
        let mut parts = Vec::new();
        while let Some((Tok::Ident(s), _)) = self.peek(0) {
            parts.push(s.clone());
            self.pos += 1;
            if is_punct(self.peek(0), '.') && matches!(self.peek(1), Some((Tok::Ident(_), _))) {
                self.pos += 1;
            } else {
                break;
            }
        }
        parts
    }

    /// A literal value at the cursor, or None (cursor unchanged) when it is not one.
    fn literal(&mut self) -> Option<(Value, Range<usize>)> {
        let (t, span) = self.peek(0)?.clone();
        match t {
            Tok::Str(s, _) => {
                self.pos += 1;
                Some((Value::Str(s), span))
            }
            Tok::Int(i) => {
                self.pos += 1;
                Some((Value::Int(i), span))
            }
            Tok::Punct('-') => match self.peek(1) {
                Some((Tok::Int(i), s2)) if s2.start == span.end => {
                    let v = Value::Int(-i);
                    let end = s2.end;
                    self.pos += 2;
                    Some((v, span.start..end))
                }
                _ => None,
            },
            Tok::Ident(ref s) if s == "true" || s == "false" => {
                self.pos += 1;
                Some((Value::Bool(s == "true"), span))
            }
            Tok::Ident(_) => {
                let save = self.pos;
                let parts = self.dotted();
                let n = parts.len();
                if n >= 2
                    && parts[n - 2] == "OAuth2Flow"
                    && matches!(parts[n - 1].as_str(), "APPLICATION" | "SERVICE_ACCOUNT")
                {
                    Some((
                        Value::Symbol(parts[n - 1].clone()),
                        span.start..self.span_end(),
                    ))
                } else {
                    self.pos = save;
                    None
                }
            }
            _ => None,
        }
    }

    fn push_entry(
        &mut self,
        prop: &str,
        prop_span: Range<usize>,
        value: Value,
        vspan: Range<usize>,
        entry: Range<usize>,
    ) {
        let key = Lang::Csharp
            .catalog()
            .keys
            .iter()
            .find(|k| k.property.as_deref() == Some(prop))
            .map(|k| k.key.clone())
            .unwrap_or_else(|| prop.to_string());
        self.parsed.entries.push(Entry {
            section: None,
            key,
            value,
            raw: self.text[vspan.clone()].to_string(),
            key_span: prop_span,
            value_span: vspan,
            entry_span: whole_lines(
                self.text,
                entry.start..past_line_comment(self.text, entry.end),
            ),
        });
    }

    /// `{ Prop = literal, … }` with the cursor on `{`.
    fn initializer(&mut self) -> (usize, usize, Option<(usize, bool)>) {
        let open = self.peek(0).map(|t| t.1.start).unwrap_or(0);
        self.pos += 1;
        let mut last = None;
        loop {
            let Some((t, span)) = self.peek(0).cloned() else {
                self.parsed.problems.push(Problem {
                    kind: ProblemKind::Syntax,
                    span: open..open + 1,
                    message: "unclosed { of the GoogleAdsConfig initializer: the C# compiler rejects the snippet".into(),
                });
                return (open, self.text.len(), last);
            };
            if t == Tok::Punct('}') {
                self.pos += 1;
                return (open, span.start, last);
            }
            let member_start = span.start;
            let ok = match (&t, self.peek(1)) {
                (Tok::Ident(prop), Some((Tok::Punct('='), _))) => {
                    let prop = prop.clone();
                    self.pos += 2;
                    match self.literal() {
                        Some((v, vspan))
                            if is_punct(self.peek(0), ',') || is_punct(self.peek(0), '}') =>
                        {
                            let comma = is_punct(self.peek(0), ',');
                            if comma {
                                self.pos += 1;
                            }
                            let end = self.span_end();
                            self.push_entry(&prop, span.clone(), v, vspan, member_start..end);
                            last = Some((end, comma));
                            true
                        }
                        _ => false,
                    }
                }
                _ => false,
            };
            if !ok {
                let before = self.pos;
                self.skip_until(&[',', '}']);
                if self.pos == before {
                    // A stray closing `)` or `]`: step over it.
                    self.pos += 1;
                }
                let end = self.peek(0).map(|t| t.1.start).unwrap_or(self.text.len());
                self.not_static(member_start..end, "not a literal property assignment");
                if is_punct(self.peek(0), ',') {
                    self.pos += 1;
                }
                last = Some((
                    self.span_end(),
                    is_punct(self.toks.get(self.pos.saturating_sub(1)), ','),
                ));
            }
        }
    }

    /// One statement at the cursor.
    fn statement(&mut self) {
        let Some((_, first)) = self.peek(0).cloned() else {
            return;
        };
        let start = self.pos;
        // `GoogleAdsConfig config = new GoogleAdsConfig() { … };` / `var config = new …`
        let ty = self.dotted();
        if let (Some(tyname), Some((Tok::Ident(var), _))) =
            (ty.last().cloned(), self.peek(0).cloned())
        {
            if is_punct(self.peek(1), '=') && is_ident(self.peek(2), "new") {
                self.pos += 3;
                let newty = self.dotted();
                let newname = newty.last().cloned().unwrap_or_default();
                let ty_ok = tyname == "var" || tyname == newname;
                if ty_ok && newname == "GoogleAdsConfig" && self.init.is_none() {
                    if is_punct(self.peek(0), '(') && is_punct(self.peek(1), ')') {
                        self.pos += 2;
                    }
                    let mut braces = None;
                    let mut last_member = None;
                    if is_punct(self.peek(0), '{') {
                        let (o, c, l) = self.initializer();
                        braces = Some((o, c));
                        last_member = l;
                    }
                    if is_punct(self.peek(0), ';') {
                        self.pos += 1;
                        self.var = Some(var);
                        self.init = Some(Init {
                            braces,
                            last_member,
                            decl_end: self.span_end(),
                            decl_start: first.start,
                        });
                        return;
                    }
                } else if ty_ok
                    && newname == "GoogleAdsClient"
                    && is_punct(self.peek(0), '(')
                    && matches!(self.peek(1), Some((Tok::Ident(v), _)) if Some(v) == self.var.as_ref())
                    && is_punct(self.peek(2), ')')
                    && is_punct(self.peek(3), ';')
                {
                    self.pos += 4;
                    return;
                }
            }
        }
        // `config.Prop = literal;`
        self.pos = start;
        if let (Some((Tok::Ident(v), _)), true, Some((Tok::Ident(prop), pspan)), true) = (
            self.peek(0).cloned(),
            is_punct(self.peek(1), '.'),
            self.peek(2).cloned(),
            is_punct(self.peek(3), '='),
        ) {
            if Some(&v) == self.var.as_ref() {
                self.pos += 4;
                if let Some((val, vspan)) = self.literal() {
                    if is_punct(self.peek(0), ';') {
                        self.pos += 1;
                        let end = self.span_end();
                        self.push_entry(&prop, pspan, val, vspan, first.start..end);
                        return;
                    }
                }
            }
        }
        self.pos = start;
        self.skip_until(&[';']);
        // Consume the `;` (or, at a stray closing bracket, that token) so reading goes on.
        if is_punct(self.peek(0), ';') || self.pos == start {
            self.pos += 1;
        }
        let end = self.span_end().max(first.end);
        self.not_static(first.start..end, "statement adsconf cannot read statically");
    }
}

fn read(src: &Source) -> (Parsed, Option<Init>) {
    let Lexed { toks, problems } = lex(&src.text);
    let mut r = Reader {
        text: &src.text,
        toks,
        pos: 0,
        parsed: Parsed::new(Lang::Csharp),
        init: None,
        var: None,
    };
    r.parsed.problems.extend(problems);
    // `using A.B.C;` directives.
    while is_ident(r.peek(0), "using") {
        let start = r.peek(0).map(|t| t.1.start).unwrap_or(0);
        r.pos += 1;
        let parts = r.dotted();
        if !parts.is_empty() && is_punct(r.peek(0), ';') {
            r.pos += 1;
        } else {
            r.pos = r
                .toks
                .iter()
                .position(|t| t.1.start == start)
                .unwrap_or(r.pos);
            break;
        }
    }
    while r.pos < r.toks.len() {
        r.statement();
    }
    r.parsed.problems.sort_by_key(|p| p.span.start);
    (r.parsed, r.init)
}

impl Format for Csharp {
    fn lang(&self) -> Lang {
        Lang::Csharp
    }

    fn parse(&self, src: &Source) -> Parsed {
        read(src).0
    }

    fn render(&self, settings: &Settings) -> Result<String> {
        render::render(Lang::Csharp, settings)
    }

    /// Only keys with a settable `GoogleAdsConfig` property (not the proxy keys: `Proxy` is a
    /// `WebProxy`; not `ClientCustomerId`: internal).
    fn expressible(&self, neutral: &str) -> bool {
        property(neutral).is_some()
    }

    fn cannot_carry(&self, neutral: &str, value: &Value) -> Option<String> {
        cs_literal(neutral, value).err()
    }

    fn set_edits(
        &self,
        src: &Source,
        parsed: &Parsed,
        key: &LibKey,
        value: &Value,
    ) -> Result<Vec<Edit>> {
        let text = &src.text;
        let neutral = key.neutral.as_deref().unwrap_or("");
        let Some(prop) = key.property.as_deref() else {
            return Err(Error::usage(format!(
                "cannot set {}: GoogleAdsConfig has no settable property for it",
                key.key
            )));
        };
        let cannot = |e: String| Error::usage(format!("cannot set {prop}: {e}"));
        let mut literal = cs_literal(neutral, value).map_err(cannot)?;
        if let Some(e) = parsed.find(key) {
            // Keep a verbatim string verbatim when it can hold the value.
            if e.raw.starts_with('@') && literal.starts_with('"') {
                if let Some(v) = cs_verbatim(&value.to_text()) {
                    literal = v;
                }
            }
            return Ok(vec![Edit::replace(e.value_span.clone(), literal)]);
        }
        let (_, init) = read(src);
        let Some(init) = init else {
            return Err(Error::usage(format!(
                "cannot set {prop}: {} has no `GoogleAdsConfig config = new GoogleAdsConfig() {{ … }};` to add it to",
                src.name()
            )));
        };
        let eol = eol_of(text);
        let member = format!("{prop} = {literal}");
        let Some((open, close)) = init.braces else {
            // No initializer: add an assignment statement after the declaration.
            let indent = indent_at(text, init.decl_start);
            return Ok(vec![Edit::insert(
                init.decl_end,
                format!("{eol}{indent}config.{member};"),
            )]);
        };
        match init.last_member {
            Some((end, comma)) => {
                let indent = indent_at(text, end.saturating_sub(1)).to_string();
                let mut edits = Vec::new();
                if !comma {
                    edits.push(Edit::insert(end, ","));
                }
                let sep = if text[end..close].contains('\n') || text[open..end].contains('\n') {
                    format!("{eol}{indent}")
                } else {
                    " ".into()
                };
                edits.push(Edit::insert(end, format!("{sep}{member},")));
                Ok(edits)
            }
            None => {
                let base = indent_at(text, open).to_string();
                if text[open + 1..close].trim().is_empty() {
                    Ok(vec![Edit::replace(
                        open + 1..close,
                        format!("{eol}{base}    {member},{eol}{base}"),
                    )])
                } else {
                    Ok(vec![Edit::insert(
                        open + 1,
                        format!("{eol}{base}    {member},"),
                    )])
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(t: &str) -> Parsed {
        Csharp.parse(&Source::of(t))
    }

    proptest::proptest! {
        /// No input makes the three .NET parsers panic, and every span is on char
        /// boundaries.
        #[test]
        fn parsers_never_panic(t in "[ a-zA-Z0-9_=;,.:{}()\\[\\]<>/*@$#'\"\\\\\\n\\r\\té😀&-]{0,80}") {
            for lang in [Lang::Dotnet, Lang::DotnetJson, Lang::Csharp] {
                let p = crate::formats::format(lang).parse(&Source::of(&t));
                for r in p.entries.iter().flat_map(|e| [e.key_span.clone(), e.value_span.clone(), e.entry_span.clone()])
                    .chain(p.problems.iter().map(|p| p.span.clone()))
                {
                    proptest::prop_assert!(t.get(r.clone()).is_some(), "{lang} {r:?}");
                }
            }
        }

        /// Snippet-shaped input too.
        #[test]
        fn snippets_never_panic(body in "[ a-zA-Z0-9_=;,.{}()@$'\"\\\\\\n\\té-]{0,60}") {
            let t = format!("var config = new GoogleAdsConfig {{ DeveloperToken = {body} }};");
            let p = Csharp.parse(&Source::of(&t));
            for e in &p.entries {
                proptest::prop_assert!(t.get(e.value_span.clone()).is_some());
            }
        }
    }

    #[test]
    fn string_literals() {
        assert_eq!(
            cs_string("a\"b\\c\td\u{1}\u{2028}é"),
            "\"a\\\"b\\\\c\\td\\u0001\\u2028é\""
        );
        assert_eq!(cs_verbatim("C:\\x \"q\"").unwrap(), "@\"C:\\x \"\"q\"\"\"");
        assert!(cs_verbatim("a\rb").is_none());
        assert_eq!(
            cs_literal("use_grpc_core", &Value::Bool(true)).unwrap(),
            "true"
        );
        assert_eq!(cs_literal("timeout", &Value::Int(5)).unwrap(), "5");
        assert!(cs_literal("timeout", &Value::Int(1 << 40)).is_err());
        assert_eq!(
            cs_literal("oauth2_mode", &Value::Str("service_account".into())).unwrap(),
            "OAuth2Flow.SERVICE_ACCOUNT"
        );
        assert!(cs_literal("oauth2_mode", &Value::Str("web".into())).is_err());
    }

    #[test]
    fn reads_the_static_subset() {
        let t = "using Google.Ads.GoogleAds.Config;\n// c\nGoogleAdsConfig config = new GoogleAdsConfig()\n{\n    DeveloperToken = \"a\\tb\\u00e9\\x41\",\n    OAuth2SecretsJsonPath = @\"C:\\k \"\"q\"\".json\",\n    OAuth2Mode = OAuth2Flow.SERVICE_ACCOUNT,\n    Timeout = -5,\n    UseGrpcCore = true,\n    ServerUrl = Environment.GetEnvironmentVariable(\"X\"),\n    LoginCustomerId = \"1\" + \"2\"\n};\nconfig.LinkedCustomerId = \"9\";\nConsole.WriteLine(1);\nGoogleAdsClient client = new GoogleAdsClient(config);\n";
        let p = entries(t);
        let kv: Vec<_> = p
            .entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.clone()))
            .collect();
        assert_eq!(
            kv,
            vec![
                ("DeveloperToken", Value::Str("a\tbéA".into())),
                (
                    "OAuth2SecretsJsonPath",
                    Value::Str("C:\\k \"q\".json".into())
                ),
                ("OAuth2Mode", Value::Symbol("SERVICE_ACCOUNT".into())),
                ("Timeout", Value::Int(-5)),
                ("UseGrpcCore", Value::Bool(true)),
                ("LinkedCustomerId", Value::Str("9".into())),
            ]
        );
        let src = Source::of(t);
        let lines: Vec<_> = p
            .problems
            .iter()
            .map(|pr| (pr.kind, src.line_col(pr.span.start).0))
            .collect();
        assert_eq!(
            lines,
            vec![
                (ProblemKind::NotStatic, 10),
                (ProblemKind::NotStatic, 11),
                (ProblemKind::NotStatic, 14),
            ]
        );
        assert_eq!(
            &t[p.entries[1].value_span.clone()],
            "@\"C:\\k \"\"q\"\".json\""
        );
        assert_eq!(&t[p.entries[0].key_span.clone()], "DeveloperToken");
        let p = entries("var config = new GoogleAdsConfig { ServerUrl = \"x\" };");
        assert_eq!(p.entries[0].key, "GoogleAds.Server");
        assert!(p.problems.is_empty());
        let p = entries("var config = new GoogleAdsConfig { DeveloperToken = \"x\n\" };");
        assert!(p.is_fatal());
    }

    #[test]
    fn edits_keep_style_and_insert() {
        let cat = Lang::Csharp.catalog();
        let t = "var config = new GoogleAdsConfig()\n{\n    OAuth2SecretsJsonPath = @\"C:\\a\",\n    DeveloperToken = \"x\"\n};\n";
        let src = Source::of(t);
        let p = Csharp.parse(&src);
        let k = cat.for_neutral("json_key_file_path").unwrap();
        let out = crate::edit::apply(
            t,
            &Csharp
                .set_edits(&src, &p, k, &Value::Str("D:\\b".into()))
                .unwrap(),
        )
        .unwrap();
        assert!(out.contains("@\"D:\\b\""), "{out}");
        let k = cat.for_neutral("login_customer_id").unwrap();
        let out = crate::edit::apply(
            t,
            &Csharp
                .set_edits(&src, &p, k, &Value::Str("0123456789".into()))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(out, "var config = new GoogleAdsConfig()\n{\n    OAuth2SecretsJsonPath = @\"C:\\a\",\n    DeveloperToken = \"x\",\n    LoginCustomerId = \"0123456789\",\n};\n");
        let k = cat.keys.iter().find(|k| k.key == "ProxyServer").unwrap();
        assert!(Csharp
            .set_edits(&src, &p, k, &Value::Str("x".into()))
            .is_err());
        assert!(!Csharp.expressible("http_proxy"));
        assert!(Csharp.expressible("endpoint"));
    }
}

#[cfg(test)]
mod more_edit_tests {
    use super::*;

    #[test]
    fn inserts_into_empty_or_missing_initializer() {
        let k = Lang::Csharp
            .catalog()
            .for_neutral("developer_token")
            .unwrap();
        for (t, want) in [
            (
                "var config = new GoogleAdsConfig();\r\n",
                "var config = new GoogleAdsConfig();\r\nconfig.DeveloperToken = \"d\";\r\n",
            ),
            (
                "var config = new GoogleAdsConfig() { };\n",
                "var config = new GoogleAdsConfig() {\n    DeveloperToken = \"d\",\n};\n",
            ),
            (
                "var config = new GoogleAdsConfig { LoginCustomerId = \"1\" };\n",
                "var config = new GoogleAdsConfig { LoginCustomerId = \"1\", DeveloperToken = \"d\", };\n",
            ),
        ] {
            let src = Source::of(t);
            let p = Csharp.parse(&src);
            let out = crate::edit::apply(
                t,
                &Csharp.set_edits(&src, &p, k, &Value::Str("d".into())).unwrap(),
            )
            .unwrap();
            assert_eq!(out, want);
            let back = Csharp.parse(&Source::of(&out));
            assert!(back.problems.is_empty(), "{:?}", back.problems);
            assert_eq!(
                back.find(k).map(|e| e.value.clone()),
                Some(Value::Str("d".into()))
            );
        }
    }
}
