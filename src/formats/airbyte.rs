//! Airbyte `source-google-ads` config JSON (airbyte-source-google-ads 6.1.7).
//!
//! The connector reads the file with Python's `json`, checks it against its spec
//! (`check_config_against_spec_or_exit`: `credentials` with the four OAuth values required,
//! `customer_id` as `^[0-9]{10}(,[0-9]{10})*$`, dates as YYYY-MM-DD) and then passes the
//! credentials through its manifest's Jinja interpolation (`'{{ config["credentials"]["client_id"] }}'`,
//! the `developer-token` header). That interpolation runs Python's `ast.literal_eval` on the
//! result and keeps the object when it parses: `0x10` becomes 16, `'x'` loses its quotes,
//! `None` fails. adsconf refuses such values instead of writing a file that sends something
//! else ([`literal_eval_changes`]).

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::jsontree;
use crate::formats::render;
use crate::formats::{Format, Parsed};
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

pub struct Airbyte;

/// The settings the manifest interpolates.
const INTERPOLATED: &[&str] = &[
    "developer_token",
    "client_id",
    "client_secret",
    "refresh_token",
];

impl Format for Airbyte {
    fn lang(&self) -> Lang {
        Lang::Airbyte
    }

    fn parse(&self, src: &Source) -> Parsed {
        let mut parsed = Parsed::new(Lang::Airbyte);
        jsontree::parse_flat(src, &mut parsed);
        parsed
    }

    fn render(&self, settings: &Settings) -> Result<String> {
        if settings.get_str("secrets_in") == Some("env") {
            return Err(Error::usage(
                "an Airbyte config cannot refer to environment variables (the connector reads the JSON as is); \
                 drop --secrets-in env, or keep the secrets in Airbyte's own secret store and generate the file without them",
            ));
        }
        let cat = Lang::Airbyte.catalog();
        let mut doc = serde_json::json!({});
        for k in &cat.keys {
            let Some(n) = &k.neutral else { continue };
            if let Some(v) = settings.get(n) {
                let path: Vec<&str> = k.key.split('.').collect();
                jsontree::insert_path(&mut doc, &path, jsontree::json_of(v));
            }
        }
        render::render_doc(Lang::Airbyte, settings, &doc)
    }

    fn cannot_carry(&self, neutral: &str, value: &Value) -> Option<String> {
        let text = value.to_text();
        if neutral == "developer_token" {
            // The requester sends the interpolated object as a header: requests refuses any
            // non-string, and an empty header is dropped.
            if text.is_empty() {
                return Some("Airbyte drops an empty developer-token header".into());
            }
            if text.starts_with(char::is_whitespace) {
                return Some(
                    "requests refuses a header value that starts with whitespace (InvalidHeader)"
                        .into(),
                );
            }
            if let Some(kind) = python_literal(&text).filter(|k| *k != "a complex number") {
                return Some(format!(
                    "Airbyte's interpolation turns it into {kind} (Python ast.literal_eval), which requests refuses as a header value"
                ));
            }
        }
        if INTERPOLATED.contains(&neutral) {
            if text.is_empty() && neutral == "client_id" {
                return Some(
                    "Airbyte's OAuth authenticator evaluates an empty value to None and stops (\"unable to evaluate\")"
                        .into(),
                );
            }
            // The refresh token is sent as str() of what the interpolation gives: "None" and a
            // container written as Python prints it survive.
            let survives = (neutral == "refresh_token"
                && matches!(
                    python_literal(&text),
                    Some("None" | "a Python list, tuple, dict or set")
                ))
                // The refresh body is form-encoded: a float whose repr is the text survives.
                || (python_literal(&text) == Some("a float") && plain_float(&text));
            if let Some(why) = literal_eval_changes(&text).filter(|_| !survives) {
                return Some(format!(
                    "Airbyte's manifest interpolation would read it as {why} (Python ast.literal_eval), not as the text you gave"
                ));
            }
        }
        match neutral {
            "customer_id" if !is_id_list(&text) => Some(format!(
                "Airbyte's spec requires 10-digit ids without dashes, comma-separated; got {text:?}{}",
                dashless(&text)
                    .map(|d| format!(" (write {d})"))
                    .unwrap_or_default()
            )),
            "start_date" | "end_date"
                if !(is_date(&text) || neutral == "end_date" && text.is_empty()) =>
            {
                Some(format!("Airbyte's spec requires YYYY-MM-DD; got {text:?}"))
            }
            _ => None,
        }
    }

    fn set_edits(
        &self,
        src: &Source,
        _parsed: &Parsed,
        key: &LibKey,
        value: &Value,
    ) -> Result<Vec<Edit>> {
        let root = jsontree::parse_strict(src).map_err(|p| Error::refused(p.message))?;
        let path: Vec<&str> = key.key.split('.').collect();
        jsontree::set_path_edits(&src.text, &root, &path, &jsontree::json_of(value))
    }
}

/// `^[0-9]{10}(,[0-9]{10})*$`
pub fn is_id_list(s: &str) -> bool {
    s.split(',')
        .all(|id| id.len() == 10 && id.bytes().all(|b| b.is_ascii_digit()))
}

/// The id list without dashes, when that makes it valid.
fn dashless(s: &str) -> Option<String> {
    let d = s.replace(['-', ' '], "");
    (d != s && is_id_list(&d)).then_some(d)
}

/// `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// What Airbyte's interpolation (`ast.literal_eval` on the rendered text, the object kept
/// unless it is complex) turns `s` into, when that is not the same text: `Some("the integer
/// 16")`. `None` when the text survives: it is no Python literal, or one whose `str()` is
/// the text itself (a plain decimal integer, `True`, `False`), or a complex number (which
/// the interpolation leaves as text).
pub fn literal_eval_changes(s: &str) -> Option<String> {
    let kind = literal_kind(s)?;
    let same = match kind {
        Kind::Int => canonical_int(s),
        Kind::Bool => s == "True" || s == "False",
        Kind::Complex => true,
        _ => false,
    };
    if same {
        return None;
    }
    Some(
        match kind {
            Kind::Int => "an integer",
            Kind::Float => "a float",
            Kind::Bool => "a boolean",
            Kind::None => "None (and then fails)",
            Kind::Str => "a quoted Python string (quotes removed)",
            Kind::Container => "a Python list, tuple, dict or set",
            Kind::Complex => "a complex number",
        }
        .to_string(),
    )
}

/// What `ast.literal_eval` makes of `s`, if it parses (a description: "an integer", ...).
pub fn python_literal(s: &str) -> Option<&'static str> {
    literal_kind(s).map(|k| match k {
        Kind::Int => "an integer",
        Kind::Float => "a float",
        Kind::Bool => "a boolean",
        Kind::None => "None",
        Kind::Str => "a quoted Python string",
        Kind::Container => "a Python list, tuple, dict or set",
        Kind::Complex => "a complex number",
    })
}

fn literal_kind(s: &str) -> Option<Kind> {
    // literal_eval strips leading spaces and tabs before parsing.
    let t = s.trim_start_matches([' ', '\t']);
    let mut p = Lit {
        b: t.as_bytes(),
        i: 0,
    };
    let kind = p.expr()?;
    p.ws();
    (p.i == p.b.len()).then_some(kind)
}

/// A float written as Python's `repr` prints it (`1.5`, `-0.25`, `3.0`), short enough to be
/// exact.
fn plain_float(s: &str) -> bool {
    let d = s.strip_prefix('-').unwrap_or(s);
    let Some((i, f)) = d.split_once('.') else {
        return false;
    };
    !i.is_empty()
        && !f.is_empty()
        && i.bytes().all(|b| b.is_ascii_digit())
        && f.bytes().all(|b| b.is_ascii_digit())
        && (i == "0" || !i.starts_with('0'))
        && (f == "0" || !f.ends_with('0'))
        && i.len() + f.len() <= 15
}

/// A decimal integer as Python's `str(int)` prints it.
fn canonical_int(s: &str) -> bool {
    let d = s.strip_prefix('-').unwrap_or(s);
    !d.is_empty()
        && d.bytes().all(|b| b.is_ascii_digit())
        && (d == "0" || !d.starts_with('0'))
        && s != "-0"
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Int,
    Float,
    Complex,
    Bool,
    None,
    Str,
    Container,
}

/// A recogniser for the expressions `ast.literal_eval` accepts (no values computed).
struct Lit<'a> {
    b: &'a [u8],
    i: usize,
}

impl Lit<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\x0c')) {
            self.i += 1;
        }
        if self.peek() == Some(b'#') {
            self.i = self.b.len();
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// `a + bj` / `a - bj` are literals; any other sum is refused by literal_eval.
    fn expr(&mut self) -> Option<Kind> {
        let k = self.unary()?;
        self.ws();
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.i += 1;
            let r = self.unary()?;
            return (matches!(k, Kind::Int | Kind::Float) && r == Kind::Complex)
                .then_some(Kind::Complex);
        }
        Some(k)
    }

    fn unary(&mut self) -> Option<Kind> {
        self.ws();
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.i += 1;
            let k = self.unary()?;
            // UnaryOp on a number (bool is an int in Python).
            return match k {
                Kind::Int | Kind::Float | Kind::Complex => Some(k),
                Kind::Bool => Some(Kind::Int),
                _ => None,
            };
        }
        self.atom()
    }

    fn atom(&mut self) -> Option<Kind> {
        self.ws();
        let c = self.peek()?;
        match c {
            b'0'..=b'9' | b'.' => self.number(),
            b'"' | b'\'' => self.strings(),
            b'(' | b'[' | b'{' => self.container(c),
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = self.i;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
                {
                    self.i += 1;
                }
                let word = &self.b[start..self.i];
                if matches!(self.peek(), Some(b'"' | b'\'')) {
                    // String prefixes: r, b, u, rb, br (f-strings are not literals).
                    let lower = word.to_ascii_lowercase();
                    return matches!(&lower[..], b"r" | b"b" | b"u" | b"rb" | b"br")
                        .then(|| self.strings())
                        .flatten();
                }
                match word {
                    b"True" | b"False" => Some(Kind::Bool),
                    b"None" => Some(Kind::None),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn strings(&mut self) -> Option<Kind> {
        loop {
            let q = self.peek()?;
            let triple = self.b[self.i..].starts_with(&[q, q, q]);
            self.i += if triple { 3 } else { 1 };
            loop {
                let c = self.peek()?;
                if c == b'\\' {
                    self.i += 2;
                    continue;
                }
                if triple && self.b[self.i..].starts_with(&[q, q, q]) {
                    self.i += 3;
                    break;
                }
                self.i += 1;
                if !triple && c == q {
                    break;
                }
            }
            self.ws();
            // Implicit concatenation of adjacent literals.
            match self.peek() {
                Some(b'"' | b'\'') => continue,
                _ => return Some(Kind::Str),
            }
        }
    }

    fn number(&mut self) -> Option<Kind> {
        let start = self.i;
        let b = self.b;
        let digits = |s: &mut Self, ok: fn(u8) -> bool| {
            let from = s.i;
            while s.peek().is_some_and(|c| ok(c) || c == b'_') {
                s.i += 1;
            }
            let run = &b[from..s.i];
            // Underscores only between digits.
            !run.is_empty()
                && !run.starts_with(b"_")
                && !run.ends_with(b"_")
                && !run.windows(2).any(|w| w == b"__")
        };
        if b[start] == b'0'
            && matches!(
                b.get(start + 1),
                Some(b'x' | b'X' | b'o' | b'O' | b'b' | b'B')
            )
        {
            let radix = b[start + 1].to_ascii_lowercase();
            self.i += 2;
            if self.peek() == Some(b'_') {
                self.i += 1;
            }
            let ok = match radix {
                b'x' => digits(self, |c| c.is_ascii_hexdigit()),
                b'o' => digits(self, |c| (b'0'..=b'7').contains(&c)),
                _ => digits(self, |c| c == b'0' || c == b'1'),
            };
            return (ok && !self.peek().is_some_and(|c| c.is_ascii_alphanumeric()))
                .then_some(Kind::Int);
        }
        let mut float = false;
        let int_part = if b[start] == b'.' {
            true
        } else {
            digits(self, |c| c.is_ascii_digit())
        };
        if !int_part {
            return None;
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            float = true;
            if self.peek().is_some_and(|c| c.is_ascii_digit())
                && !digits(self, |c| c.is_ascii_digit())
            {
                return None;
            }
            if self.i == start + 1 {
                return None; // a lone '.'
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digits(self, |c| c.is_ascii_digit()) {
                return None;
            }
            float = true;
        }
        if matches!(self.peek(), Some(b'j' | b'J')) {
            self.i += 1;
            return Some(Kind::Complex);
        }
        if self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
        {
            return None;
        }
        if !float {
            // Python 3 refuses leading zeros in a non-zero decimal ("0123").
            let text: Vec<u8> = b[start..self.i]
                .iter()
                .copied()
                .filter(|c| *c != b'_')
                .collect();
            if text.len() > 1 && text[0] == b'0' && text.iter().any(|c| *c != b'0') {
                return None;
            }
            return Some(Kind::Int);
        }
        Some(Kind::Float)
    }

    fn container(&mut self, open: u8) -> Option<Kind> {
        self.i += 1;
        let close = match open {
            b'(' => b')',
            b'[' => b']',
            _ => b'}',
        };
        if self.eat(close) {
            return Some(Kind::Container);
        }
        let mut n = 0;
        loop {
            let k = self.expr()?;
            n += 1;
            if open == b'{' && self.eat(b':') {
                self.expr()?;
            }
            if self.eat(b',') {
                // A trailing comma: `(1,)` is a tuple.
                if self.eat(close) {
                    break;
                }
                continue;
            }
            if self.eat(close) {
                // `(x)` is x itself, not a tuple.
                if open == b'(' && n == 1 {
                    return Some(k);
                }
                break;
            }
            return None;
        }
        Some(Kind::Container)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_eval_recogniser() {
        // Changed by Airbyte's interpolation (checked against airbyte-cdk in tests/diff_tools.rs).
        for s in [
            "0x10", "1_000", "1e3", "1.5", "'x'", "\"x\"", "None", "[1, 2]", "(1, 2)", "{}",
            "{'a': 1}", "+1", "00", "1 ", " 1", "1 # c", "(1)", "b'x'", "r'x'", "'a' 'b'", "-True",
        ] {
            assert!(literal_eval_changes(s).is_some(), "{s:?} should change");
        }
        // Kept as the same text.
        for s in [
            "123",
            "-5",
            "0",
            "True",
            "False",
            "1j",
            "1+2j",
            "0123",
            "1_",
            "1__0",
            "abc",
            "1234-abc.apps.googleusercontent.com",
            "1//0abc",
            "GOCSPX-abc",
            "it's",
            "{{x}}",
            "'open",
            "f'x'",
            "1+1",
            "",
            " ",
            "x1",
            "0x",
            "1e",
            ".",
            "[1,",
            "True1",
        ] {
            assert_eq!(literal_eval_changes(s), None, "{s:?} should stay");
        }
    }

    #[test]
    fn ids_and_dates() {
        assert!(is_id_list("1234567890"));
        assert!(is_id_list("1234567890,0987654321"));
        assert!(!is_id_list("123-456-7890"));
        assert!(!is_id_list("1234567890, 0987654321"));
        assert_eq!(dashless("123-456-7890").as_deref(), Some("1234567890"));
        assert!(is_date("2024-01-31"));
        assert!(!is_date("2024-1-31"));
    }

    #[test]
    fn renders_nested_credentials() {
        let mut s = Settings::default();
        s.set(
            "client_id",
            Value::Str("1-x.apps.googleusercontent.com".into()),
        );
        s.set("refresh_token", Value::Str("1//0\"q".into()));
        s.set("customer_id", Value::Str("1234567890".into()));
        s.set("login_customer_id", Value::Str("1111111111".into()));
        let out = Airbyte.render(&s).unwrap();
        let j: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(j["credentials"]["refresh_token"], "1//0\"q");
        assert_eq!(j["customer_id"], "1234567890");
        assert!(j.get("login_customer_id").is_none());
        let p = Airbyte.parse(&Source::of(&out));
        assert_eq!(p.problems, vec![]);
        assert!(p.entries.iter().any(|e| e.key == "credentials.client_id"));
    }
}
