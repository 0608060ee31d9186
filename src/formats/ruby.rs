//! google-ads-ruby `google_ads_config.rb`: Ruby source the library `eval`s; the last
//! expression must be a `Google::Ads::GoogleAds::Config`.
//!
//! adsconf reads the literal subset only: one `Google::Ads::GoogleAds::Config.new do |c| … end`
//! (or `{ |c| … }`) whose statements are `c.attr = literal`, the literal a string (`'…'`,
//! `"…"` with Ruby's escapes, `%q()`, `%Q()`), an integer (Ruby's: `0123` is octal), a
//! float, `true`/`false`/`nil`, or `STDOUT`/`STDERR`. `#` comments and `=begin`/`=end` are
//! skipped. Anything else (method calls, `ENV[…]`, variables, conditionals, interpolation)
//! is a `NotStatic` problem at its line: the value is never guessed.

use minijinja::Environment;

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::render;
use crate::formats::{Entry, Format, Parsed, Problem, ProblemKind};
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

pub struct Ruby;

// ---------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------

/// Does `s` need a double-quoted literal (control characters, which Ruby's lexer may
/// treat specially raw: `\r` before a newline, `^D`/`^Z`/NUL as end of script)?
fn needs_double(s: &str) -> bool {
    s.chars().any(|c| c.is_control())
}

/// A Ruby single-quoted literal: only `\\` and `\'` are escapes, nothing interpolates.
pub fn ruby_single(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// A Ruby double-quoted literal that cannot interpolate (`#` is escaped).
pub fn ruby_double(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '#' => out.push_str("\\#"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Ruby string literal: single quotes where they can carry the value.
pub fn ruby_string(s: &str) -> String {
    if needs_double(s) {
        ruby_double(s)
    } else {
        ruby_single(s)
    }
}

/// A Ruby float literal that evaluates to `f` (finite only).
pub fn ruby_float(f: f64) -> std::result::Result<String, String> {
    if !f.is_finite() {
        return Err("google_ads_config.rb cannot hold a non-finite number as a literal".into());
    }
    let s = format!("{f:?}"); // "1.5", "1e300", "1e-7"
    Ok(if s.contains(['.', 'e']) {
        s
    } else {
        format!("{s}.0")
    })
}

/// A value as a Ruby literal of the same type.
pub fn ruby_value(v: &Value) -> std::result::Result<String, String> {
    Ok(match v {
        Value::Null => "nil".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => ruby_float(*f)?,
        Value::Str(s) => ruby_string(s),
        Value::Symbol(s) if s == "STDOUT" || s == "STDERR" => s.clone(),
        Value::Symbol(s) => ruby_string(s),
        Value::Json(_) => {
            return Err("google_ads_config.rb has no structured (JSON) setting".into());
        }
    })
}

/// `log_target`: `STDOUT`/`STDERR` are the IO constants, anything else a file name.
pub fn ruby_log_target(v: &Value) -> std::result::Result<String, String> {
    match v.as_str() {
        Some(s @ ("STDOUT" | "STDERR")) => Ok(s.to_string()),
        _ => ruby_value(v),
    }
}

fn template_value(v: &minijinja::Value) -> Value {
    match serde_json::to_value(v).unwrap_or(serde_json::Value::Null) {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::String(s) => Value::Str(s),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        other => Value::Json(other),
    }
}

pub fn register(env: &mut Environment<'static>) {
    env.add_filter(
        "ruby_value",
        |v: minijinja::Value| -> std::result::Result<String, minijinja::Error> {
            ruby_value(&template_value(&v)).map_err(render::filter_error)
        },
    );
    env.add_filter(
        "ruby_log_target",
        |v: minijinja::Value| -> std::result::Result<String, minijinja::Error> {
            ruby_log_target(&template_value(&v)).map_err(render::filter_error)
        },
    );
}

// ---------------------------------------------------------------------------------------
// Reading: a lexer for the literal subset
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Newline,
    Semi,
    Ident(String),
    Const(String),
    Gvar(String),
    ColonColon,
    Dot,
    Eq,
    LBrace,
    RBrace,
    Pipe,
    /// A string literal: its value, or why it is not static.
    Str(std::result::Result<String, String>),
    Num(std::result::Result<Value, String>),
    /// Anything else (operators, brackets, symbols…): code we do not read.
    Other(char),
    /// A lexing failure Ruby would also refuse (unterminated string…).
    Bad(String),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    span: std::ops::Range<usize>,
}

struct Lexer<'t> {
    text: &'t str,
    b: &'t [u8],
    i: usize,
    out: Vec<Token>,
}

fn ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

impl<'t> Lexer<'t> {
    fn at_line_start(&self) -> bool {
        self.i == 0 || self.b[self.i - 1] == b'\n'
    }

    fn push(&mut self, tok: Tok, start: usize) {
        self.out.push(Token {
            tok,
            span: start..self.i,
        });
    }

    fn rest(&self) -> &'t str {
        &self.text[self.i..]
    }

    fn skip_line(&mut self) {
        self.i = self
            .rest()
            .find('\n')
            .map(|n| self.i + n)
            .unwrap_or(self.b.len());
    }

    fn run(mut self) -> Vec<Token> {
        while self.i < self.b.len() {
            let start = self.i;
            if self.at_line_start() {
                let r = self.rest();
                if r.starts_with("=begin") && r[6..].starts_with([' ', '\t', '\r', '\n'])
                    || r == "=begin"
                {
                    // Skip to the line after `=end`.
                    let mut j = self.i;
                    loop {
                        match self.text[j..].find('\n') {
                            Some(n) => {
                                j += n + 1;
                                if self.text[j..].starts_with("=end") {
                                    self.i = j;
                                    self.skip_line();
                                    break;
                                }
                            }
                            None => {
                                self.i = self.b.len();
                                self.push(Tok::Bad("`=begin` without `=end`".into()), start);
                                return self.out;
                            }
                        }
                    }
                    continue;
                }
                if r.starts_with("__END__")
                    && matches!(r.as_bytes().get(7), None | Some(b'\n' | b'\r'))
                {
                    break;
                }
            }
            let c = self.b[self.i];
            match c {
                b' ' | b'\t' | b'\r' | 0x0c | 0x0b => self.i += 1,
                b'\\' if self.b.get(self.i + 1) == Some(&b'\n') => self.i += 2,
                b'\\' if self.rest().starts_with("\\\r\n") => self.i += 3,
                b'#' => self.skip_line(),
                b'\n' => {
                    self.i += 1;
                    self.push(Tok::Newline, start);
                }
                b';' => {
                    self.i += 1;
                    self.push(Tok::Semi, start);
                }
                b'.' if !self.rest().starts_with("..") => {
                    self.i += 1;
                    self.push(Tok::Dot, start);
                }
                b':' if self.rest().starts_with("::") => {
                    self.i += 2;
                    self.push(Tok::ColonColon, start);
                }
                b'=' if !matches!(self.b.get(self.i + 1), Some(b'=' | b'>' | b'~')) => {
                    self.i += 1;
                    self.push(Tok::Eq, start);
                }
                b'{' => {
                    self.i += 1;
                    self.push(Tok::LBrace, start);
                }
                b'}' => {
                    self.i += 1;
                    self.push(Tok::RBrace, start);
                }
                b'|' if self.b.get(self.i + 1) != Some(&b'|') => {
                    self.i += 1;
                    self.push(Tok::Pipe, start);
                }
                b'\'' => {
                    let t = self.quoted(b'\'', b'\'', false);
                    self.push(t, start);
                }
                b'"' => {
                    let t = self.quoted(b'"', b'"', true);
                    self.push(t, start);
                }
                b'%' if self.percent_literal() => {
                    let (interp, skip) = match self.b.get(self.i + 1) {
                        Some(b'q') => (false, 2),
                        Some(b'Q') => (true, 2),
                        _ => (true, 1),
                    };
                    self.i += skip;
                    let open = self.b[self.i];
                    let close = match open {
                        b'(' => b')',
                        b'[' => b']',
                        b'{' => b'}',
                        b'<' => b'>',
                        o => o,
                    };
                    let t = self.quoted(open, close, interp);
                    self.push(t, start);
                }
                b'0'..=b'9' => {
                    let t = self.number();
                    self.push(t, start);
                }
                b'$' => {
                    self.i += 1;
                    while self.i < self.b.len() && ident_char(self.b[self.i]) {
                        self.i += 1;
                    }
                    let name = self.text[start..self.i].to_string();
                    self.push(Tok::Gvar(name), start);
                }
                c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                    while self.i < self.b.len() && ident_char(self.b[self.i]) {
                        self.i += 1;
                    }
                    if matches!(self.b.get(self.i), Some(b'?' | b'!'))
                        && self.b.get(self.i + 1) != Some(&b'=')
                    {
                        self.i += 1;
                    }
                    let word = self.text[start..self.i].to_string();
                    let tok = if c.is_ascii_uppercase() {
                        Tok::Const(word)
                    } else {
                        Tok::Ident(word)
                    };
                    self.push(tok, start);
                }
                _ => {
                    let ch = self.rest().chars().next().unwrap_or('?');
                    self.i += ch.len_utf8();
                    self.push(Tok::Other(ch), start);
                }
            }
        }
        self.out
    }

    /// Is the `%` at `i` a `%q(`, `%Q(` or `%(` string literal?
    fn percent_literal(&self) -> bool {
        let next = self.b.get(self.i + 1).copied();
        match next {
            Some(b'q' | b'Q') => self
                .b
                .get(self.i + 2)
                .is_some_and(|d| d.is_ascii_punctuation()),
            Some(b'(' | b'[' | b'{' | b'<' | b'|' | b'!' | b'/') => {
                // After `=` (an operand position), `%(` starts a string.
                matches!(self.out.last().map(|t| &t.tok), Some(Tok::Eq))
            }
            _ => false,
        }
    }

    /// Read a quoted literal from the opening delimiter at `i`.
    fn quoted(&mut self, open: u8, close: u8, interp: bool) -> Tok {
        let start = self.i;
        self.i += 1;
        let mut depth = 0usize;
        let mut val: Vec<u8> = Vec::new();
        let mut not_static: Option<String> = None;
        while self.i < self.b.len() {
            let c = self.b[self.i];
            if c == close && depth == 0 {
                self.i += 1;
                let v = match not_static {
                    Some(r) => Err(r),
                    None => String::from_utf8(val)
                        .map_err(|_| "a byte escape makes this string invalid UTF-8".to_string()),
                };
                return Tok::Str(v);
            }
            if open != close && c == open {
                depth += 1;
            } else if open != close && c == close {
                depth -= 1;
            }
            if c == b'\\' {
                let Some(&n) = self.b.get(self.i + 1) else {
                    break;
                };
                if !interp {
                    // Single-quoted: only `\\` and `\<delimiter>` are escapes.
                    if n == b'\\' || n == close || n == open {
                        val.push(n);
                        self.i += 2;
                    } else {
                        val.push(b'\\');
                        self.i += 1;
                    }
                    continue;
                }
                self.i += 1;
                if let Err(r) = self.escape(&mut val) {
                    not_static.get_or_insert(r);
                }
                continue;
            }
            if interp && c == b'#' {
                match self.b.get(self.i + 1) {
                    Some(b'{') => {
                        not_static.get_or_insert("`#{…}` interpolation runs code".into());
                    }
                    Some(b'@') | Some(b'$')
                        if self.b.get(self.i + 2).is_some_and(|&d| {
                            d.is_ascii_alphabetic() || d == b'_' || d == b'@'
                        }) =>
                    {
                        not_static.get_or_insert("`#@var`/`#$var` interpolation".into());
                    }
                    _ => {}
                }
            }
            val.push(c);
            self.i += 1;
        }
        self.i = self.b.len();
        let line = self.text[..start].matches('\n').count() + 1;
        Tok::Bad(format!(
            "the string that starts on line {line} is never closed (unterminated string meets end of file)"
        ))
    }

    /// A double-quoted escape; `i` is just after the backslash.
    fn escape(&mut self, val: &mut Vec<u8>) -> std::result::Result<(), String> {
        let c = self.b[self.i];
        self.i += 1;
        let push_char = |val: &mut Vec<u8>, ch: char| {
            let mut buf = [0u8; 4];
            val.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        };
        let hex = |s: &[u8]| u32::from_str_radix(std::str::from_utf8(s).unwrap_or("x"), 16).ok();
        match c {
            b'n' => val.push(b'\n'),
            b't' => val.push(b'\t'),
            b's' => val.push(b' '),
            b'r' => val.push(b'\r'),
            b'e' => val.push(0x1b),
            b'a' => val.push(0x07),
            b'b' => val.push(0x08),
            b'f' => val.push(0x0c),
            b'v' => val.push(0x0b),
            b'\n' => {}
            b'0'..=b'7' => {
                let mut n = u32::from(c - b'0');
                for _ in 0..2 {
                    match self.b.get(self.i) {
                        Some(d @ b'0'..=b'7') => {
                            n = n * 8 + u32::from(d - b'0');
                            self.i += 1;
                        }
                        _ => break,
                    }
                }
                val.push((n & 0xff) as u8);
            }
            b'x' => {
                let mut j = self.i;
                while j < self.b.len() && j < self.i + 2 && self.b[j].is_ascii_hexdigit() {
                    j += 1;
                }
                if j == self.i {
                    return Err("invalid hex escape".into());
                }
                val.push(hex(&self.b[self.i..j]).unwrap_or(0) as u8);
                self.i = j;
            }
            b'u' => {
                if self.b.get(self.i) == Some(&b'{') {
                    let end = self.text[self.i..]
                        .find('}')
                        .map(|n| self.i + n)
                        .ok_or("unterminated \\u{…}")?;
                    for cp in self.text[self.i + 1..end].split_ascii_whitespace() {
                        let ch = u32::from_str_radix(cp, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or("invalid Unicode escape")?;
                        push_char(val, ch);
                    }
                    self.i = end + 1;
                } else {
                    let digits = self
                        .b
                        .get(self.i..self.i + 4)
                        .ok_or("invalid Unicode escape")?;
                    if !digits.iter().all(u8::is_ascii_hexdigit) {
                        return Err("invalid Unicode escape".into());
                    }
                    let ch = hex(digits)
                        .and_then(char::from_u32)
                        .ok_or("invalid Unicode escape")?;
                    push_char(val, ch);
                    self.i += 4;
                }
            }
            b'c' | b'C' | b'M' => return Err("control/meta escapes are not read by adsconf".into()),
            _ => {
                // Any other escaped character stands for itself (a multi-byte one whole).
                self.i -= 1;
                let ch = self.rest().chars().next().unwrap_or('?');
                self.i += ch.len_utf8();
                push_char(val, ch);
            }
        }
        Ok(())
    }

    /// A Ruby numeric literal.
    fn number(&mut self) -> Tok {
        let start = self.i;
        let b = self.b;
        let mut j = self.i;
        let radix_prefix = b[j] == b'0'
            && matches!(
                b.get(j + 1),
                Some(b'x' | b'X' | b'b' | b'B' | b'o' | b'O' | b'd' | b'D')
            );
        if radix_prefix {
            j += 2;
        }
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
            j += 1;
        }
        let mut is_float = false;
        if !radix_prefix && b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(u8::is_ascii_digit)
        {
            is_float = true;
            j += 1;
            while j < b.len()
                && (b[j].is_ascii_alphanumeric()
                    || b[j] == b'_'
                    || ((b[j] == b'-' || b[j] == b'+') && matches!(b[j - 1], b'e' | b'E')))
            {
                j += 1;
            }
        } else if !radix_prefix
            && matches!(b.get(j.wrapping_sub(1)), Some(b'e' | b'E'))
            && matches!(b.get(j), Some(b'-' | b'+'))
        {
            j += 1;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
        }
        self.i = j;
        let text = &self.text[start..j];
        Tok::Num(ruby_number(text, is_float))
    }
}

/// Evaluate a Ruby numeric literal's text (no sign).
fn ruby_number(text: &str, dotted: bool) -> std::result::Result<Value, String> {
    let bad = || format!("`{text}` is not a Ruby number literal Ruby accepts");
    if text.contains("__") || text.ends_with('_') {
        return Err(bad());
    }
    let t = text.replace('_', "");
    let lower = t.to_ascii_lowercase();
    if dotted || (!lower.starts_with("0x") && lower.contains('e')) {
        return t.parse::<f64>().map(Value::Float).map_err(|_| bad());
    }
    let (digits, radix) = if let Some(r) = lower.strip_prefix("0x") {
        (r, 16)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (r, 2)
    } else if let Some(r) = lower.strip_prefix("0o") {
        (r, 8)
    } else if let Some(r) = lower.strip_prefix("0d") {
        (r, 10)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (&lower[1..], 8)
    } else {
        (lower.as_str(), 10)
    };
    if digits.is_empty() {
        return Err(bad());
    }
    i64::from_str_radix(digits, radix)
        .map(Value::Int)
        .map_err(|_| bad())
}

// ---------------------------------------------------------------------------------------
// Reading: the Config block
// ---------------------------------------------------------------------------------------

/// Where the `Config.new` block is, for inserting keys.
#[derive(Debug, Clone)]
struct Block {
    /// Byte offset of the closing `end`/`}`.
    close: usize,
    param: String,
    /// Indentation of the block's statements.
    indent: String,
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

fn not_static(parsed: &mut Parsed, text: &str, span: std::ops::Range<usize>, what: &str) {
    let ls = line_start(text, span.start);
    let le = text[span.start..]
        .find('\n')
        .map(|i| span.start + i)
        .unwrap_or(text.len());
    // One problem per line.
    if parsed.problems.iter().any(|p| p.span.start == ls) {
        return;
    }
    parsed.problems.push(Problem {
        kind: ProblemKind::NotStatic,
        span: ls..le.max(ls),
        message: format!("{what}: Ruby code adsconf cannot read statically; the value is unknown"),
    });
}

/// The literal at `toks[0..]` (a statement's right-hand side), or why it is not static.
fn literal(toks: &[Token]) -> std::result::Result<Value, String> {
    let code = || "not a literal (a method call, variable or expression)".to_string();
    match toks {
        [] => Err("an assignment without a value".into()),
        [t] => match &t.tok {
            Tok::Str(v) => v.clone().map(Value::Str),
            Tok::Num(v) => v.clone(),
            Tok::Ident(w) if w == "true" => Ok(Value::Bool(true)),
            Tok::Ident(w) if w == "false" => Ok(Value::Bool(false)),
            Tok::Ident(w) if w == "nil" => Ok(Value::Null),
            Tok::Const(w) if w == "STDOUT" || w == "STDERR" => Ok(Value::Symbol(w.clone())),
            Tok::Gvar(w) if w == "$stdout" || w == "$stderr" => {
                Ok(Value::Symbol(w[1..].to_ascii_uppercase()))
            }
            _ => Err(code()),
        },
        [sign, n]
            if matches!(sign.tok, Tok::Other('-') | Tok::Other('+'))
                && sign.span.end == n.span.start =>
        {
            match (&sign.tok, &n.tok) {
                (Tok::Other('-'), Tok::Num(Ok(Value::Int(i)))) => Ok(Value::Int(-i)),
                (Tok::Other('-'), Tok::Num(Ok(Value::Float(f)))) => Ok(Value::Float(-f)),
                (Tok::Other('+'), Tok::Num(v)) => v.clone(),
                _ => Err(code()),
            }
        }
        // Adjacent string literals concatenate.
        many if many.iter().all(|t| matches!(t.tok, Tok::Str(_))) => {
            let mut s = String::new();
            for t in many {
                if let Tok::Str(v) = &t.tok {
                    s.push_str(&v.clone()?);
                }
            }
            Ok(Value::Str(s))
        }
        _ => Err(code()),
    }
}

/// Ruby's block structure over the whole file: every `do`, `{`, `(`, `[` and block keyword
/// (`if`, `def`, `begin`…) with its `end`/`}`/`)`/`]`.
enum Structure {
    /// Balanced: opener index → closer index.
    Balanced(std::collections::HashMap<usize, usize>),
    /// Code whose structure adsconf does not follow (heredocs): no verdict.
    Unknown,
    /// Ruby's parser stops here, with (about) Ruby's message.
    Broken(std::ops::Range<usize>, String),
}

#[derive(Clone, Copy, PartialEq)]
enum Opened {
    Keyword,
    Brace,
    Paren(char),
}

fn heredoc_at(w: &[&Token]) -> bool {
    matches!((&w[0].tok, &w[1].tok), (Tok::Other('<'), Tok::Other('<')))
        && w[0].span.end == w[1].span.start
        && w[1].span.end == w[2].span.start
        && matches!(
            &w[2].tok,
            Tok::Other('~' | '-') | Tok::Const(_) | Tok::Ident(_) | Tok::Str(_)
        )
}

fn structure(code: &[&Token]) -> Structure {
    if code.windows(3).any(heredoc_at) {
        return Structure::Unknown;
    }
    let mut stack: Vec<(Opened, usize)> = Vec::new();
    let mut pairs = std::collections::HashMap::new();
    // `while`/`until`/`for` take an optional `do` on their own line.
    let mut loop_do = false;
    let opens_expression = |prev: Option<&Tok>| match prev {
        None | Some(Tok::Newline | Tok::Semi | Tok::Eq | Tok::LBrace | Tok::Pipe) => true,
        Some(Tok::Other(c)) => matches!(c, '(' | '[' | ',' | '!' | '|' | '&'),
        Some(Tok::Ident(w)) => matches!(
            w.as_str(),
            "then" | "else" | "do" | "begin" | "and" | "or" | "not"
        ),
        _ => false,
    };
    let what = |o: Opened| match o {
        Opened::Keyword => "`end'".to_string(),
        Opened::Brace => "'}'".to_string(),
        Opened::Paren('(') => "')'".to_string(),
        Opened::Paren(_) => "']'".to_string(),
    };
    let line_of = |t: &Token, code: &[&Token]| {
        code.iter()
            .take_while(|x| x.span.start < t.span.start)
            .filter(|x| matches!(x.tok, Tok::Newline))
            .count()
            + 1
    };
    for (i, t) in code.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| &code[p].tok);
        // `.end`, `::end`, `:end` and `end:` are names, not keywords.
        let name_only = matches!(prev, Some(Tok::Dot | Tok::ColonColon))
            || (i > 0
                && matches!(code[i - 1].tok, Tok::Other(':'))
                && code[i - 1].span.end == t.span.start)
            || code
                .get(i + 1)
                .is_some_and(|n| matches!(n.tok, Tok::Other(':')) && n.span.start == t.span.end);
        let mut close = |want: Opened, found: &str| -> Option<Structure> {
            match stack.pop() {
                Some((o, at)) if o == want => {
                    pairs.insert(at, i);
                    None
                }
                _ => Some(Structure::Broken(
                    t.span.clone(),
                    format!("syntax error, unexpected {found}"),
                )),
            }
        };
        match &t.tok {
            Tok::Newline | Tok::Semi => loop_do = false,
            Tok::Ident(w) if !name_only => match w.as_str() {
                "end" => {
                    if let Some(b) = close(Opened::Keyword, "`end'") {
                        return b;
                    }
                }
                "do" if loop_do => loop_do = false,
                "do" | "case" | "begin" | "module" | "class" => stack.push((Opened::Keyword, i)),
                "if" | "unless" if opens_expression(prev) => stack.push((Opened::Keyword, i)),
                "while" | "until" | "for" if opens_expression(prev) => {
                    stack.push((Opened::Keyword, i));
                    loop_do = true;
                }
                "def" => {
                    // `def name = expr` (endless) has no `end`; `def name=(v)` is a setter.
                    let mut j = i + 1;
                    while matches!(
                        code.get(j).map(|t| &t.tok),
                        Some(Tok::Ident(_) | Tok::Const(_) | Tok::Dot)
                    ) {
                        j += 1;
                    }
                    let endless = matches!(code.get(j).map(|t| &t.tok), Some(Tok::Eq))
                        && code[j].span.start != code[j - 1].span.end;
                    if !endless {
                        stack.push((Opened::Keyword, i));
                    }
                }
                _ => {}
            },
            Tok::LBrace => stack.push((Opened::Brace, i)),
            Tok::RBrace => {
                if let Some(b) = close(Opened::Brace, "'}'") {
                    return b;
                }
            }
            Tok::Other(c @ ('(' | '[')) => stack.push((Opened::Paren(*c), i)),
            Tok::Other(c @ (')' | ']')) => {
                let want = Opened::Paren(if *c == ')' { '(' } else { '[' });
                if let Some(b) = close(want, &format!("'{c}'")) {
                    return b;
                }
            }
            _ => {}
        }
    }
    if let Some((o, at)) = stack.pop() {
        let t = code[at];
        return Structure::Broken(
            t.span.clone(),
            format!(
                "syntax error, unexpected end-of-input, expecting {} (what opens on line {} is never closed)",
                what(o),
                line_of(t, code)
            ),
        );
    }
    Structure::Balanced(pairs)
}

/// How Ruby resolves a constant path written before `.new` from the library's scope
/// (`eval` inside `Google::Ads::GoogleAds::GoogleAdsClient#initialize`).
enum ConfigPath {
    /// `Google::Ads::GoogleAds::Config`, `GoogleAds::Config`, `Config`…
    Config,
    /// A misspelling of it: Ruby's NameError.
    Misspelt(String),
    /// Some other constant (perhaps the application's own).
    Other,
}

fn near(a: &str, b: &str) -> bool {
    a != b && (a.eq_ignore_ascii_case(b) || crate::model::levenshtein(a, b) <= 2)
}

fn config_path(path: &[&str], rooted: bool) -> ConfigPath {
    const FULL: [&str; 4] = ["Google", "Ads", "GoogleAds", "Config"];
    let mut pos: Option<usize> = None;
    for (k, seg) in path.iter().enumerate() {
        let allowed = match pos {
            None if rooted => 0..=0,
            None => 0..=3,
            Some(p) => p + 1..=p + 1,
        };
        match FULL
            .iter()
            .enumerate()
            .find(|(i, f)| allowed.contains(i) && *f == seg)
        {
            Some((i, _)) => pos = Some(i),
            None => {
                let expected = FULL.iter().enumerate().filter(|(i, _)| allowed.contains(i));
                let misspelt = expected.clone().any(|(_, f)| near(seg, f))
                    || (k + 1 == path.len() && near(seg, "Config"));
                if !misspelt {
                    return ConfigPath::Other;
                }
                let prefix = match pos {
                    None if rooted => String::new(),
                    None => "Google::Ads::GoogleAds::GoogleAdsClient::".to_string(),
                    Some(p) => format!("{}::", FULL[..=p].join("::")),
                };
                return ConfigPath::Misspelt(format!(
                    "`{}` is not google-ads-ruby's `Google::Ads::GoogleAds::Config`: Ruby raises NameError (uninitialized constant {prefix}{seg}) when the library evaluates the file",
                    path.join("::")
                ));
            }
        }
    }
    if pos == Some(3) {
        ConfigPath::Config
    } else {
        ConfigPath::Other
    }
}

/// The last top-level statement of `toks` (which start at index `offset` of the file's
/// tokens), stepping over nested blocks.
fn last_statement<'a>(
    toks: &[&'a Token],
    pairs: Option<&std::collections::HashMap<usize, usize>>,
    offset: usize,
) -> Option<Vec<&'a Token>> {
    let mut statements: Vec<Vec<&Token>> = Vec::new();
    let mut cur: Vec<&Token> = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        let t = toks[k];
        if matches!(t.tok, Tok::Newline | Tok::Semi) {
            if !cur.is_empty() {
                statements.push(std::mem::take(&mut cur));
            }
            k += 1;
            continue;
        }
        match pairs.and_then(|p| p.get(&(offset + k))) {
            Some(&c) if c >= offset + k => {
                cur.extend_from_slice(&toks[k..=(c - offset).min(toks.len() - 1)]);
                k = c - offset + 1;
            }
            _ => {
                cur.push(t);
                k += 1;
            }
        }
    }
    if !cur.is_empty() {
        statements.push(cur);
    }
    statements.pop()
}

/// The class of a statement that is a plain literal (`nil`, `42`, `'x'`, `:sym`), as Ruby
/// names it in "got \"NilClass\" instead".
fn literal_class(stmt: &[&Token]) -> Option<&'static str> {
    match stmt {
        [t] => match &t.tok {
            Tok::Ident(w) if w == "nil" => Some("NilClass"),
            Tok::Ident(w) if w == "true" => Some("TrueClass"),
            Tok::Ident(w) if w == "false" => Some("FalseClass"),
            Tok::Num(Ok(Value::Int(_))) => Some("Integer"),
            Tok::Num(Ok(Value::Float(_))) => Some("Float"),
            Tok::Str(Ok(_)) => Some("String"),
            _ => None,
        },
        [c, w]
            if matches!(c.tok, Tok::Other(':'))
                && matches!(w.tok, Tok::Ident(_) | Tok::Const(_))
                && c.span.end == w.span.start =>
        {
            Some("Symbol")
        }
        [sign, n] if matches!(sign.tok, Tok::Other('-' | '+')) && sign.span.end == n.span.start => {
            match n.tok {
                Tok::Num(Ok(Value::Int(_))) => Some("Integer"),
                Tok::Num(Ok(Value::Float(_))) => Some("Float"),
                _ => None,
            }
        }
        many if many.len() > 1 && many.iter().all(|t| matches!(t.tok, Tok::Str(Ok(_)))) => {
            Some("String")
        }
        _ => None,
    }
}

/// A misspelling of an IO constant (`STDOUTT`): Ruby's NameError.
fn misspelt_io(name: &str) -> Option<&'static str> {
    ["STDOUT", "STDERR", "STDIN"]
        .into_iter()
        .find(|io| near(name, io))
}

fn analyze(src: &Source) -> (Parsed, Option<Block>) {
    let text = &src.text;
    let mut parsed = Parsed::new(Lang::Ruby);
    // Ruby's `eval(File.read(path))` (google_ads_client.rb) skips a UTF-8 byte order mark.
    let toks = Lexer {
        text,
        b: text.as_bytes(),
        i: if text.starts_with('\u{feff}') { 3 } else { 0 },
        out: Vec::new(),
    }
    .run();
    if let Some(t) = toks.iter().find(|t| matches!(t.tok, Tok::Bad(_))) {
        if let Tok::Bad(m) = &t.tok {
            // Ruby reports the end of the file, where it ran out of input.
            let eof = text.trim_end_matches('\n').len().min(text.len());
            let at = line_start(text, eof);
            parsed.problems.push(Problem {
                kind: ProblemKind::Syntax,
                span: at..text.len(),
                message: format!("Ruby refuses this file: {m}"),
            });
        }
        return (parsed, None);
    }
    // Statements split on newlines and `;`.
    let code: Vec<&Token> = toks.iter().collect();
    let is_sep = |t: &Token| matches!(t.tok, Tok::Newline | Tok::Semi);
    // Ruby parses the whole file before running any of it: an unclosed block or an `end`
    // too many is a SyntaxError whatever else the file holds.
    let pairs = match structure(&code) {
        Structure::Balanced(pairs) => Some(pairs),
        Structure::Unknown => None,
        Structure::Broken(span, message) => {
            parsed.problems.push(Problem {
                kind: ProblemKind::Syntax,
                span,
                message: format!("Ruby refuses this file: {message}"),
            });
            return (parsed, None);
        }
    };
    // Find the header `Google::Ads::GoogleAds::Config.new do |p|` / `{ |p|`, or a constant
    // path Ruby resolves to it from the library's scope (`Config.new`, `GoogleAds::Config.new`).
    let mut header: Option<(usize, usize, usize, bool, String, Option<String>)> = None; // (first tok, opener, body start, brace, param, NameError)
    for s in 0..code.len() {
        if s > 0 && !is_sep(code[s - 1]) {
            continue;
        }
        let mut j = s;
        let rooted = matches!(code[j].tok, Tok::ColonColon);
        if rooted {
            j += 1;
        }
        let mut path: Vec<&str> = Vec::new();
        while let Some(Tok::Const(c)) = code.get(j).map(|t| &t.tok) {
            path.push(c);
            j += 1;
            if matches!(code.get(j).map(|t| &t.tok), Some(Tok::ColonColon)) {
                j += 1;
            } else {
                break;
            }
        }
        if path.is_empty()
            || !matches!(code.get(j).map(|t| &t.tok), Some(Tok::Dot))
            || !matches!(code.get(j + 1).map(|t| &t.tok), Some(Tok::Ident(w)) if w == "new")
        {
            continue;
        }
        let name_error = match config_path(&path, rooted) {
            ConfigPath::Config => None,
            ConfigPath::Misspelt(m) => Some(m),
            ConfigPath::Other => continue,
        };
        j += 2;
        let opener = j;
        let brace = match code.get(j).map(|t| &t.tok) {
            Some(Tok::Ident(w)) if w == "do" => false,
            Some(Tok::LBrace) => true,
            _ => continue,
        };
        j += 1;
        let mut param = String::new();
        if matches!(code.get(j).map(|t| &t.tok), Some(Tok::Pipe)) {
            match (
                code.get(j + 1).map(|t| &t.tok),
                code.get(j + 2).map(|t| &t.tok),
            ) {
                (Some(Tok::Ident(p)), Some(Tok::Pipe)) => {
                    param = p.clone();
                    j += 3;
                }
                _ => continue,
            }
        }
        header = Some((s, opener, j, brace, param, name_error));
        break;
    }
    let Some((first, opener, body, brace, param, name_error)) = header else {
        match code.iter().find(|t| !is_sep(t)) {
            Some(t) => not_static(
                &mut parsed,
                text,
                t.span.clone(),
                "no `Google::Ads::GoogleAds::Config.new do |c| … end` block",
            ),
            None => parsed.problems.push(Problem {
                kind: ProblemKind::Syntax,
                span: 0..0,
                message: "the file holds no code: google-ads-ruby needs it to end with `Google::Ads::GoogleAds::Config.new do |c| … end` (ArgumentError: did not produce expected type)".into(),
            }),
        }
        return (parsed, None);
    };
    // Code before the header.
    let mut code_before = false;
    for t in &code[..first] {
        if !is_sep(t) {
            code_before = true;
            not_static(
                &mut parsed,
                text,
                t.span.clone(),
                "code before the Config block",
            );
        }
    }
    if let Some(m) = &name_error {
        let span = code[first].span.start..code[opener.saturating_sub(2)].span.end;
        if code_before {
            // The file may define the constant itself.
            not_static(&mut parsed, text, span, m);
        } else {
            parsed.problems.push(Problem {
                kind: ProblemKind::Syntax,
                span,
                message: m.clone(),
            });
        }
    }
    // Where the block closes: its matching `end`/`}` when the structure is known, else the
    // last meaningful token (the file's last expression).
    let close = match pairs.as_ref().and_then(|p| p.get(&opener)) {
        Some(&c) => c,
        None => match (body..code.len()).rev().find(|&k| !is_sep(code[k])) {
            Some(c) => c,
            None => {
                parsed.problems.push(Problem {
                    kind: ProblemKind::Syntax,
                    span: code[first].span.clone(),
                    message:
                        "the Config block is never closed (Ruby: syntax error, unexpected end-of-input)"
                            .into(),
                });
                return (parsed, None);
            }
        },
    };
    let closes = match &code[close].tok {
        Tok::Ident(w) => w == "end" && !brace,
        Tok::RBrace => brace,
        _ => false,
    };
    if !closes {
        not_static(
            &mut parsed,
            text,
            code[close].span.clone(),
            "the file does not end with the Config block's `end`",
        );
        return (parsed, None);
    }
    // After the block: the file's value is its last top-level expression.
    let after: Vec<&Token> = code[close + 1..].to_vec();
    if let Some(last) = last_statement(&after, pairs.as_ref(), close + 1) {
        let span = last[0].span.start..last[last.len() - 1].span.end;
        match literal_class(&last) {
            Some(class) if !code_before => parsed.problems.push(Problem {
                kind: ProblemKind::Syntax,
                span,
                message: format!(
                    "the file's last expression is `{}`, not the Config block: google-ads-ruby refuses it (ArgumentError: Configuration file did not produce expected type Google::Ads::GoogleAds::Config, got \"{class}\" instead)",
                    &text[last[0].span.start..last[last.len() - 1].span.end]
                ),
            }),
            _ => not_static(
                &mut parsed,
                text,
                span,
                "code after the Config block (the file's value is its last expression)",
            ),
        }
    }
    // Statements of the body.
    let mut indent: Option<String> = None;
    // Depth of nested code blocks (`if … end`, `x.each do … end`, `{ … }`): statements
    // inside may never run, so none of them is read.
    let mut depth = 0usize;
    let opens = |stmt: &[&Token]| -> usize {
        let kw = |t: &Token, words: &[&str]| matches!(&t.tok, Tok::Ident(w) if words.contains(&w.as_str()));
        let lead = usize::from(stmt.first().is_some_and(|t| {
            kw(
                t,
                &[
                    "if", "unless", "while", "until", "case", "begin", "def", "class", "module",
                    "for",
                ],
            )
        }));
        let inner = stmt
            .iter()
            .filter(|t| kw(t, &["do"]) || matches!(t.tok, Tok::LBrace))
            .count();
        let closes = stmt
            .iter()
            .filter(|t| kw(t, &["end"]) || matches!(t.tok, Tok::RBrace))
            .count();
        (lead + inner).saturating_sub(closes)
    };
    let closes_n = |stmt: &[&Token]| -> usize {
        let kw_end = |t: &Token| matches!(&t.tok, Tok::Ident(w) if w == "end");
        let n = stmt
            .iter()
            .filter(|t| kw_end(t) || matches!(t.tok, Tok::RBrace))
            .count();
        let o = stmt
            .iter()
            .filter(|t| {
                matches!(&t.tok, Tok::Ident(w) if w == "do") || matches!(t.tok, Tok::LBrace)
            })
            .count();
        n.saturating_sub(o)
    };
    let mut k = body;
    while k < close {
        if is_sep(code[k]) {
            k += 1;
            continue;
        }
        let s = k;
        while k < close && !is_sep(code[k]) {
            k += 1;
        }
        let stmt = &code[s..k];
        let span = stmt[0].span.start..stmt[stmt.len() - 1].span.end;
        let ls = line_start(text, span.start);
        if indent.is_none() {
            indent = Some(text[ls..span.start].to_string());
        }
        // A heredoc (`<<~EOS`, `<<-EOS`, `<<EOS`): the following lines are string content,
        // not statements; nothing after it is read.
        let heredoc = stmt.windows(3).any(|w| {
            matches!((&w[0].tok, &w[1].tok), (Tok::Other('<'), Tok::Other('<')))
                && w[0].span.end == w[1].span.start
                && w[1].span.end == w[2].span.start
                && matches!(
                    &w[2].tok,
                    Tok::Other('~' | '-') | Tok::Const(_) | Tok::Ident(_) | Tok::Str(_)
                )
        });
        if heredoc {
            depth = usize::MAX / 2;
        }
        let open = opens(stmt);
        let close_n = closes_n(stmt);
        if depth > 0 || open > 0 || close_n > 0 {
            depth = (depth + open).saturating_sub(close_n);
            not_static(
                &mut parsed,
                text,
                span,
                "code inside a conditional, loop or nested block",
            );
            continue;
        }
        let shape = match stmt {
            [p, dot, attr, eq, rest @ ..]
                if matches!(&p.tok, Tok::Ident(x) if *x == param && !param.is_empty())
                    && matches!(dot.tok, Tok::Dot)
                    && matches!(attr.tok, Tok::Ident(_))
                    && matches!(eq.tok, Tok::Eq) =>
            {
                Some((attr, rest))
            }
            _ => None,
        };
        let Some((attr, rest)) = shape else {
            not_static(
                &mut parsed,
                text,
                span,
                "a statement that is not `c.attribute = literal`",
            );
            continue;
        };
        let Tok::Ident(key) = &attr.tok else { continue };
        let rest: Vec<Token> = rest.iter().map(|t| (*t).clone()).collect();
        // A number literal Ruby cannot lex (`08`, `1__0`): the library fails to load.
        if let Some(Tok::Num(Err(why))) = rest
            .iter()
            .map(|t| &t.tok)
            .find(|t| matches!(t, Tok::Num(Err(_))))
        {
            parsed.problems.push(Problem {
                kind: ProblemKind::Syntax,
                span: span.clone(),
                message: format!("Ruby refuses this file (syntax error): {why}"),
            });
            continue;
        }
        if let [t] = rest.as_slice() {
            if let Tok::Const(c) = &t.tok {
                if let Some(io) = misspelt_io(c) {
                    parsed.problems.push(Problem {
                        kind: ProblemKind::Syntax,
                        span: t.span.clone(),
                        message: format!(
                            "`{c}` is not a Ruby constant (did you mean `{io}`?): Ruby raises NameError (uninitialized constant Google::Ads::GoogleAds::GoogleAdsClient::{c}) when the library evaluates the file"
                        ),
                    });
                    continue;
                }
            }
        }
        let value = match literal(&rest) {
            Ok(v) => v,
            Err(why) => {
                not_static(
                    &mut parsed,
                    text,
                    span,
                    &format!("`{param}.{key} = …` is {why}"),
                );
                continue;
            }
        };
        let value_span = rest[0].span.start..rest[rest.len() - 1].span.end;
        // The whole line when the statement is alone on it.
        let le = line_end_incl(text, span.end);
        let before = text[ls..span.start].trim();
        let after = text[span.end..le].trim();
        let entry_span = if before.is_empty() && (after.is_empty() || after.starts_with('#')) {
            ls..le
        } else {
            span.clone()
        };
        if Lang::Ruby.catalog().find(None, key).is_none() {
            parsed.problems.push(Problem {
                kind: ProblemKind::Syntax,
                span: attr.span.clone(),
                message: format!(
                    "Google::Ads::GoogleAds::Config has no attribute `{key}`: Ruby raises NoMethodError (undefined method `{key}=`)"
                ),
            });
        }
        parsed.entries.push(Entry {
            section: None,
            key: key.clone(),
            value,
            raw: text[value_span.clone()].to_string(),
            key_span: attr.span.clone(),
            value_span,
            entry_span,
        });
    }
    let close_at = code[close].span.start;
    let close_ls = line_start(text, close_at);
    let indent = indent.unwrap_or_else(|| {
        let base: String = text[close_ls..close_at]
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect();
        format!("{base}  ")
    });
    (
        parsed,
        Some(Block {
            close: close_at,
            param,
            indent,
        }),
    )
}

impl Format for Ruby {
    fn lang(&self) -> Lang {
        Lang::Ruby
    }

    fn parse(&self, src: &Source) -> Parsed {
        analyze(src).0
    }

    fn render(&self, settings: &Settings) -> Result<String> {
        // Each section of the template ends with a blank line; the block's `end` follows
        // the last setting directly, as in the official template.
        let out = render::render(Lang::Ruby, settings)?;
        Ok(match out.strip_suffix("\n\nend\n") {
            Some(head) => format!("{head}\nend\n"),
            None => out,
        })
    }

    fn cannot_carry(&self, _neutral: &str, value: &Value) -> Option<String> {
        ruby_value(value).err()
    }

    fn set_edits(
        &self,
        src: &Source,
        parsed: &Parsed,
        key: &LibKey,
        value: &Value,
    ) -> Result<Vec<Edit>> {
        let name = src.name();
        let fail = |e: String| Error::usage(format!("{name}: cannot set {}: {e}", key.key));
        let lit = if key.key == "log_target" {
            ruby_log_target(value)
        } else {
            ruby_value(value)
        }
        .map_err(fail)?;
        if let Some(e) = parsed.find(key) {
            // Keep the quoting style when it carries the value.
            let text = match (e.raw.as_bytes().first(), value) {
                (Some(b'"'), Value::Str(s)) if lit.starts_with('\'') => ruby_double(s),
                _ => lit,
            };
            return Ok(vec![Edit::replace(e.value_span.clone(), text)]);
        }
        let (p, block) = analyze(src);
        if p.is_fatal() {
            return Err(Error::usage(format!(
                "{name}: Ruby would refuse this file; fix it before editing"
            )));
        }
        let Some(block) = block else {
            return Err(Error::usage(format!(
                "{name}: no `Google::Ads::GoogleAds::Config.new do |c| … end` block to add `{}` to",
                key.key
            )));
        };
        if block.param.is_empty() {
            return Err(Error::usage(format!(
                "{name}: the Config block has no `|c|` parameter; add one to set `{}`",
                key.key
            )));
        }
        let text = &src.text;
        let ls = line_start(text, block.close);
        if !text[ls..block.close].trim().is_empty() {
            return Err(Error::usage(format!(
                "{name}: the Config block closes on a line with code; put its `end` on a line of its own to add `{}`",
                key.key
            )));
        }
        let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
        Ok(vec![Edit::insert(
            ls,
            format!("{}{}.{} = {lit}{eol}", block.indent, block.param, key.key),
        )])
    }
}

#[cfg(test)]
mod tests;
