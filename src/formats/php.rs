//! google-ads-php `google_ads_php.ini`, read with `parse_ini_file($f, true, INI_SCANNER_TYPED)`.
//!
//! The reader below follows PHP 8.2's `Zend/zend_ini_scanner.l` and `zend_ini_parser.y`
//! rule by rule (longest match, ties to the earlier rule), on bytes, so that values are typed
//! exactly as PHP types them and syntax errors are reported on the line PHP names:
//!
//! * `;` starts a comment (also after a value); `#` does not (`#a=1` is key `#a`).
//! * Unquoted `true/on/yes`, `false/off/no/none`, `null` (any case) are bool/null; a value
//!   that is exactly one number token (`-?[0-9]+` or `[0-9]*.[0-9]+`/`[0-9]+.`) becomes an int
//!   (leading zeros lost) or float, unless it overflows; anything else is a string.
//! * Double quotes know only `\"`, `\\`, `\$`; `${NAME}` is read from the environment (our
//!   reader resolves it from the process environment; [`interpolations`] lets a lint see it;
//!   PHP looks in the php.ini directives first, which a static reader cannot know.)
//!   Single quotes are raw. Adjacent pieces concatenate (`"a" b 'c'` is `ab c`).
//! * Unquoted names of PHP constants (`PHP_OS`, `E_ALL`) are replaced by the constant.
//! * `= ! ( ) ~ ^ | & " { }` misuse, reserved words as keys, unterminated quotes and
//!   sections are syntax errors, and PHP then returns `false` for the whole file.
//! * A repeated `[SECTION]` replaces the earlier one entirely (its entries are not read).
//! * `key[] = v` / `key[x] = v` build arrays in PHP; they are kept as entries named `key[]`,
//!   `key[x]` (never a key the library reads as a string).

use minijinja::Environment;

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::render;
use crate::formats::{Entry, Format, Parsed, Problem, ProblemKind};
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

pub struct Php;

// ---------------------------------------------------------------------------------------
// Rendering: escaping functions (registered as template filters).

/// A PHP double-quoted string that reads back as exactly `value`: `\`, `"` and `$` are
/// escaped, everything else is literal (`;`, `#`, `=`, `!`, reserved words, leading zeros).
pub fn php_quoted(value: &str) -> Result<String, String> {
    if let Some(reason) = php_refuses(value) {
        return Err(reason);
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' | '"' | '$' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.push('"');
    Ok(out)
}

/// Why a string cannot be carried in google_ads_php.ini, if it cannot. A lone `\r` is
/// carried inside double quotes (checked against PHP in tests/diff_php.rs).
pub fn php_refuses(value: &str) -> Option<String> {
    if value.contains('\0') {
        // PHP itself keeps a NUL inside double quotes, but a file holding one is binary to
        // every editor (and adsconf refuses to read it back).
        return Some("a google_ads_php.ini value cannot hold a NUL character".into());
    }
    if value.contains('\n') {
        return Some("a google_ads_php.ini value cannot hold a line break".into());
    }
    None
}

/// A value in PHP INI syntax: booleans bare (`true`/`false`, read as bool), null as `null`,
/// everything else (customer ids included) as a double-quoted string.
pub fn php_value(value: &Value) -> Result<String, String> {
    match value {
        Value::Bool(b) => Ok(if *b { "true" } else { "false" }.into()),
        Value::Null => Ok("null".into()),
        other => php_quoted(&other.to_text()),
    }
}

fn template_value(v: &minijinja::Value) -> Value {
    match v.kind() {
        minijinja::value::ValueKind::Bool => Value::Bool(v.is_true()),
        minijinja::value::ValueKind::None | minijinja::value::ValueKind::Undefined => Value::Null,
        _ => match v.as_str() {
            Some(s) => Value::Str(s.to_string()),
            None => Value::Str(v.to_string()),
        },
    }
}

pub fn register(env: &mut Environment<'static>) {
    env.add_filter(
        "php_value",
        |v: minijinja::Value| -> Result<String, minijinja::Error> {
            php_value(&template_value(&v)).map_err(render::filter_error)
        },
    );
}

// ---------------------------------------------------------------------------------------
// Reading.

const SPACE_TAB: &[u8] = b" \t";

/// PHP 8.2's `LABEL_CHAR` (`]` is a label char there: `key]=1` is key `key]`).
fn is_label_char(c: u8) -> bool {
    !b"=\n\r\t;&|^$~(){}!\"[\0".contains(&c)
}

fn is_value_char(c: u8) -> bool {
    !b"$= \t\n\r;&|^~()!\"'\0".contains(&c)
}

fn is_const_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_const_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// PHP constants whose value does not depend on the PHP build (`None`: it does).
fn constant(name: &str) -> Option<Option<String>> {
    let os = match std::env::consts::OS {
        "macos" => "Darwin",
        "windows" => "WINNT",
        "freebsd" => "FreeBSD",
        _ => "Linux",
    };
    let v: &str = match name {
        "PHP_EOL" => "\n",
        "PHP_INT_MAX" => "9223372036854775807",
        "PHP_INT_MIN" => "-9223372036854775808",
        "PHP_INT_SIZE" => "8",
        "PHP_OS" | "PHP_OS_FAMILY" => os,
        "DIRECTORY_SEPARATOR" => "/",
        "PATH_SEPARATOR" => ":",
        "E_ERROR" => "1",
        "E_WARNING" => "2",
        "E_PARSE" => "4",
        "E_NOTICE" => "8",
        "E_CORE_ERROR" => "16",
        "E_CORE_WARNING" => "32",
        "E_COMPILE_ERROR" => "64",
        "E_COMPILE_WARNING" => "128",
        "E_USER_ERROR" => "256",
        "E_USER_WARNING" => "512",
        "E_USER_NOTICE" => "1024",
        "E_STRICT" => "2048",
        "E_RECOVERABLE_ERROR" => "4096",
        "E_DEPRECATED" => "8192",
        "E_USER_DEPRECATED" => "16384",
        "E_ALL" => "32767",
        "INI_SCANNER_NORMAL" => "0",
        "INI_SCANNER_RAW" => "1",
        "INI_SCANNER_TYPED" => "2",
        "M_PI" => "3.1415926535898",
        "M_E" => "2.718281828459",
        "PHP_VERSION"
        | "PHP_MAJOR_VERSION"
        | "PHP_MINOR_VERSION"
        | "PHP_RELEASE_VERSION"
        | "PHP_VERSION_ID"
        | "PHP_EXTRA_VERSION"
        | "PHP_BINARY"
        | "PHP_PREFIX"
        | "PHP_BINDIR"
        | "PHP_LIBDIR"
        | "PHP_DATADIR"
        | "PHP_SYSCONFDIR"
        | "PHP_EXTENSION_DIR"
        | "DEFAULT_INCLUDE_PATH"
        | "PEAR_INSTALL_DIR"
        | "PEAR_EXTENSION_DIR"
        | "PHP_CONFIG_FILE_PATH"
        | "PHP_CONFIG_FILE_SCAN_DIR"
        | "PHP_SHLIB_SUFFIX"
        | "PHP_MANDIR"
        | "PHP_SAPI"
        | "PHP_DEBUG"
        | "PHP_ZTS"
        | "PHP_MAXPATHLEN" => return Some(None),
        _ => return None,
    };
    Some(Some(v.to_string()))
}

/// A syntax error: where, PHP's line number and what PHP says.
#[derive(Debug)]
struct SyntaxError {
    at: usize,
    line: usize,
    unexpected: String,
}

type PResult<T> = std::result::Result<T, SyntaxError>;

/// Tokens of PHP's ST_VALUE state.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Raw(Vec<u8>),
    DollarCurly,
    True,
    False,
    Null,
    /// End of the value: a newline (or comment line) or end of input.
    Eol,
    /// `=` inside a value: ends the value, then is an error at the statement level.
    EqEol,
    Constant,
    Number,
    Op(u8),
    Str,
    QuoteOpen,
    Ws,
    /// The scanner returns 0 (end of file) here.
    End,
}

impl Tok {
    fn name(&self, text: &[u8]) -> String {
        match self {
            Tok::Raw(_) => "TC_RAW".into(),
            Tok::DollarCurly => "TC_DOLLAR_CURLY".into(),
            Tok::True => "BOOL_TRUE".into(),
            Tok::False => "BOOL_FALSE".into(),
            Tok::Null => "NULL_NULL".into(),
            Tok::Eol | Tok::EqEol => "END_OF_LINE".into(),
            Tok::Constant => "TC_CONSTANT".into(),
            Tok::Number => "TC_NUMBER".into(),
            Tok::Op(c) => format!("'{}'", *c as char),
            Tok::Str => format!("TC_STRING {:?}", String::from_utf8_lossy(text)),
            Tok::QuoteOpen => "'\"'".into(),
            Tok::Ws => "TC_WHITESPACE".into(),
            Tok::End => "end of file".into(),
        }
    }
}

/// One lexed token: kind, byte range, end of its content (before eaten trailing blanks).
#[derive(Debug, Clone)]
struct Lexed {
    tok: Tok,
    start: usize,
    end: usize,
    content_end: usize,
}

/// What a value evaluates to, with what it depended on.
#[derive(Debug, Default, Clone)]
struct Piece {
    bytes: Vec<u8>,
    /// Exactly one number token (PHP's INI_ZVAL_IS_NUMBER).
    number: bool,
    /// That number, typed (`None`: it overflows and stays a string).
    num: Option<Value>,
}

struct Reader<'a> {
    b: &'a [u8],
    /// PHP's own line counter (SCNG(lineno)), which names the line of an error.
    lineno: usize,
    env: &'a dyn Fn(&str) -> Option<String>,
    /// `${NAME}` references interpolated, in order.
    vars: Vec<String>,
    /// Constants whose value depends on the PHP build.
    unknown_consts: Vec<(usize, String)>,
}

fn count_while(b: &[u8], from: usize, f: impl Fn(u8) -> bool) -> usize {
    b[from.min(b.len())..].iter().take_while(|&&c| f(c)).count()
}

/// Length of `{TABS_AND_SPACES}*{NEWLINE}` at `i`, if it matches.
fn eol_len(b: &[u8], i: usize) -> Option<usize> {
    let t = count_while(b, i, |c| SPACE_TAB.contains(&c));
    match b.get(i + t) {
        Some(b'\n') => Some(t + 1),
        Some(b'\r') if b.get(i + t + 1) == Some(&b'\n') => Some(t + 2),
        Some(b'\r') => Some(t + 1),
        _ => None,
    }
}

/// `{TABS_AND_SPACES}*[;][^\r\n]*{NEWLINE}`: Some(Ok(len)) matched, Some(Err) ran off the end
/// (PHP's scanner returns end of file), None no match.
fn comment_len(b: &[u8], i: usize) -> Option<std::result::Result<usize, ()>> {
    let t = count_while(b, i, |c| SPACE_TAB.contains(&c));
    if b.get(i + t) != Some(&b';') {
        return None;
    }
    let body = count_while(b, i + t + 1, |c| c != b'\n' && c != b'\r');
    let nl = i + t + 1 + body;
    match b.get(nl) {
        Some(b'\r') if b.get(nl + 1) == Some(&b'\n') => Some(Ok(nl + 2 - i)),
        Some(_) => Some(Ok(nl + 1 - i)),
        None => Some(Err(())),
    }
}

/// Reserved word (case-insensitive) followed by spaces/tabs at `i`: (token, length).
fn word_len(b: &[u8], i: usize) -> Option<(Tok, usize, usize)> {
    const WORDS: &[(&str, u8)] = &[
        ("true", 1),
        ("on", 1),
        ("yes", 1),
        ("false", 2),
        ("off", 2),
        ("none", 2),
        ("no", 2),
        ("null", 3),
    ];
    let mut best: Option<(Tok, usize, usize)> = None;
    for (w, kind) in WORDS {
        let n = w.len();
        if b.len() >= i + n && b[i..i + n].eq_ignore_ascii_case(w.as_bytes()) {
            let t = count_while(b, i + n, |c| SPACE_TAB.contains(&c));
            let tok = match kind {
                1 => Tok::True,
                2 => Tok::False,
                _ => Tok::Null,
            };
            if best.as_ref().is_none_or(|(_, l, _)| n + t > *l) {
                best = Some((tok, n + t, n));
            }
        }
    }
    best
}

/// Length of `{VALUE_CHARS}+` at `i`: the longest run, where a `$` takes the next char
/// (`$x`) or, before a backslash, the next two (`$\\x`); both readings are tried, as the
/// scanner's DFA does (`$\\$\n` is `$\\` then `$\n`).
fn value_chars_len(b: &[u8], i: usize) -> usize {
    let n = b.len();
    // reach[k]: position j + k can end a match (a sliding window over positions).
    let mut reach = [true, false, false, false];
    let mut best = i;
    let mut j = i;
    while j < n && reach.iter().any(|&r| r) {
        if reach[0] {
            if j > i {
                best = j;
            }
            let c = b[j];
            if is_value_char(c) {
                reach[1] = true;
            } else if c == b'$' {
                match b.get(j + 1) {
                    Some(b'{') | Some(0) | None => {}
                    Some(&d) => {
                        reach[2] = true;
                        if d == b'\\' && j + 2 < n {
                            reach[3] = true;
                        }
                    }
                }
            }
        }
        reach = [reach[1], reach[2], reach[3], false];
        j += 1;
    }
    if j <= n && reach[0] && j > i {
        best = best.max(j);
    }
    best - i
}

/// Length of PHP 8.2's `{NUMBER}` (`[-]?{LNUM}|{DNUM}`) at `i`.
fn number_len(b: &[u8], i: usize) -> usize {
    let digits = |from: usize| count_while(b, from, |c| c.is_ascii_digit());
    // [-]?[0-9]+
    let neg = usize::from(b.get(i) == Some(&b'-'));
    let d = digits(i + neg);
    let lnum = if d > 0 { neg + d } else { 0 };
    // [0-9]*[.][0-9]+ | [0-9]+[.][0-9]*
    let d0 = digits(i);
    let dnum = if b.get(i + d0) == Some(&b'.') {
        let d1 = digits(i + d0 + 1);
        if d1 > 0 || d0 > 0 {
            d0 + 1 + d1
        } else {
            0
        }
    } else {
        0
    };
    lnum.max(dnum)
}

/// PHP's `is_numeric_string_ex` on a number token, as `normalize_value` uses it.
fn to_number(s: &str) -> Option<Value> {
    if s.contains('.') {
        let int_part = s.split('.').next().unwrap_or("");
        let significant = int_part.trim_start_matches('0').len();
        if significant >= 20 {
            return None;
        }
        return s.parse::<f64>().ok().map(Value::Float);
    }
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s),
    };
    let mag: u64 = digits.trim_start_matches('0').parse().unwrap_or(
        if digits.trim_start_matches('0').is_empty() {
            0
        } else {
            u64::MAX
        },
    );
    if mag > i64::MAX as u64 {
        return None;
    }
    let v = mag as i64;
    Some(Value::Int(if neg { -v } else { v }))
}

/// A double as PHP prints it with `precision=14` (`zend_gcvt`: `%.14G`, but `1.0E+25`).
pub fn php_double(f: f64) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.into();
    }
    if !f.is_finite() {
        return if f.is_nan() {
            "NAN"
        } else if f > 0.0 {
            "INF"
        } else {
            "-INF"
        }
        .into();
    }
    let sci = format!("{:.13e}", f.abs());
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let sign = if f < 0.0 { "-" } else { "" };
    if !(-4..14).contains(&exp) {
        let rest = if digits.len() > 1 { &digits[1..] } else { "0" };
        let es = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{}.{rest}E{es}{}", &digits[..1], exp.abs());
    }
    if exp < 0 {
        return format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize));
    }
    let point = exp as usize + 1;
    if digits.len() <= point {
        format!("{sign}{digits}{}", "0".repeat(point - digits.len()))
    } else {
        format!("{sign}{}.{}", &digits[..point], &digits[point..])
    }
}

/// C `atoi` as `zend_ini_do_op` uses it (then truncated to a C int).
fn atoi(b: &[u8]) -> i32 {
    let s = String::from_utf8_lossy(b);
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mut v: i64 = 0;
    for c in rest.bytes().take_while(u8::is_ascii_digit) {
        v = (v * 10 + i64::from(c - b'0')) & 0xffff_ffff_ffff;
    }
    let v = if neg { -v } else { v };
    v as i32
}

impl<'a> Reader<'a> {
    fn err<T>(&self, at: usize, unexpected: impl Into<String>) -> PResult<T> {
        Err(SyntaxError {
            at,
            line: self.lineno,
            unexpected: unexpected.into(),
        })
    }

    /// Scan one token of ST_VALUE at `i`.
    fn value_token(&mut self, i: usize) -> Lexed {
        let b = self.b;
        let mk = |tok, len: usize, content: usize| Lexed {
            tok,
            start: i,
            end: i + len,
            content_end: i + content,
        };
        if i >= b.len() {
            return mk(Tok::Eol, 0, 0);
        }
        // Candidates in rule order; the longest wins, ties to the earliest.
        let mut cands: Vec<Lexed> = Vec::new();
        if b[i] == b'\'' {
            match b[i + 1..].iter().position(|&c| c == b'\'') {
                Some(0) => {}
                Some(n) => cands.push(mk(Tok::Raw(b[i + 1..i + 1 + n].to_vec()), n + 2, n + 2)),
                // The match runs past the end of the input: PHP's scanner returns 0.
                None => return mk(Tok::End, b.len() - i, b.len() - i),
            }
        }
        if b[i..].starts_with(b"${") {
            cands.push(mk(Tok::DollarCurly, 2, 2));
        }
        if let Some((tok, len, content)) = word_len(b, i) {
            cands.push(mk(tok, len, content));
        }
        if let Some(n) = eol_len(b, i) {
            cands.push(mk(Tok::Eol, n, 0));
        }
        if is_const_start(b[i]) {
            let n = 1 + count_while(b, i + 1, is_const_char);
            cands.push(mk(Tok::Constant, n, n));
        }
        let n = number_len(b, i);
        if n > 0 {
            cands.push(mk(Tok::Number, n, n));
        }
        if b"&|^~()!".contains(&b[i]) {
            let t = count_while(b, i + 1, |c| SPACE_TAB.contains(&c));
            cands.push(mk(Tok::Op(b[i]), 1 + t, 1));
        }
        if b[i] == b'=' && cands.is_empty() {
            return mk(Tok::EqEol, 0, 0);
        }
        let n = value_chars_len(b, i);
        if n > 0 {
            cands.push(mk(Tok::Str, n, n));
        }
        let t = count_while(b, i, |c| SPACE_TAB.contains(&c));
        if b.get(i + t) == Some(&b'"') {
            cands.push(mk(Tok::QuoteOpen, t + 1, t + 1));
        }
        if t > 0 {
            cands.push(mk(Tok::Ws, t, t));
        }
        match comment_len(b, i) {
            Some(Ok(n)) => cands.push(mk(Tok::Eol, n, 0)),
            // The comment runs off the end of the input: PHP's scanner returns 0.
            Some(Err(())) => return mk(Tok::End, b.len() - i, 0),
            _ => {}
        }
        let mut best: Option<Lexed> = None;
        for c in cands {
            if best.as_ref().is_none_or(|b| c.end > b.end) {
                best = Some(c);
            }
        }
        match best {
            Some(l) => {
                if l.tok == Tok::Eol && b[l.start..l.end].iter().any(|&c| c == b'\n' || c == b'\r')
                {
                    self.lineno += 1;
                }
                l
            }
            // `[^]`: any other byte ends the value (consumed).
            None => mk(Tok::Eol, 1, 0),
        }
    }

    /// `${NAME}` after the `${` at `i`: the value and the position after `}`.
    fn var_ref(&mut self, i: usize) -> PResult<(Vec<u8>, usize)> {
        let b = self.b;
        let n = count_while(b, i, is_label_char);
        if n == 0 {
            return match b.get(i) {
                Some(b'}') => self.err(i, "'}', expecting TC_VARNAME"),
                _ => self.err(i, "end of file, expecting TC_VARNAME"),
            };
        }
        if b.get(i + n) != Some(&b'}') {
            return self.err(i + n, "end of file, expecting '}'");
        }
        let name = String::from_utf8_lossy(&b[i..i + n])
            .trim_matches([' ', '\t'])
            .to_string();
        let value = (self.env)(&name).unwrap_or_default();
        self.vars.push(name);
        Ok((value.into_bytes(), i + n + 1))
    }

    /// Body of a double-quoted string after the opening quote at `i`; returns the bytes and
    /// the position after the closing quote (and the blanks it eats).
    fn quoted(&mut self, mut i: usize) -> PResult<(Vec<u8>, usize, usize)> {
        let b = self.b;
        let mut out = Vec::new();
        loop {
            if i >= b.len() {
                return self.err(
                    i,
                    "end of file, expecting TC_DOLLAR_CURLY or TC_QUOTED_STRING or '\"'",
                );
            }
            if b[i] == b'"' {
                let t = count_while(b, i + 1, |c| SPACE_TAB.contains(&c));
                return Ok((out, i + 1, i + 1 + t));
            }
            if b[i..].starts_with(b"${") {
                let (v, next) = self.var_ref(i + 2)?;
                out.extend(v);
                i = next;
                continue;
            }
            // A chunk up to the closing quote or `${`.
            let start = i;
            let mut s = i;
            while s < b.len() {
                let c = b[s];
                s += 1;
                match c {
                    b'"' => {
                        s -= 1;
                        break;
                    }
                    b'$' if b.get(s) == Some(&b'{') => {
                        s -= 1;
                        break;
                    }
                    b'\\' if s < b.len() => {
                        let escaped = b[s];
                        s += 1;
                        if escaped == b'"' && (s >= b.len() || b[s] == b'\n' || b[s] == b'\r') {
                            s -= 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let chunk = &b[start..s];
            let mut k = 0;
            while k < chunk.len() {
                let c = chunk[k];
                if c == b'\\' && k + 1 < chunk.len() && b"\"\\$".contains(&chunk[k + 1]) {
                    out.push(chunk[k + 1]);
                    k += 1;
                } else {
                    out.push(c);
                }
                if chunk[k] == b'\n' || (chunk[k] == b'\r' && chunk.get(k + 1) != Some(&b'\n')) {
                    self.lineno += 1;
                }
                k += 1;
            }
            i = s;
        }
    }

    /// A value after `=`: (value, value span end, position of the token ending it).
    fn value(&mut self, i: usize) -> PResult<(Value, usize, Lexed)> {
        let first = self.value_token(i);
        match first.tok {
            Tok::True | Tok::False | Tok::Null => {
                let v = match first.tok {
                    Tok::True => Value::Bool(true),
                    Tok::False => Value::Bool(false),
                    _ => Value::Null,
                };
                let next = self.value_token(first.end);
                match next.tok {
                    Tok::Eol | Tok::EqEol | Tok::End => Ok((v, first.content_end, next)),
                    other => self.err(next.start, other.name(&self.b[next.start..next.end])),
                }
            }
            Tok::Eol | Tok::EqEol => Ok((Value::Str(String::new()), i, first)),
            Tok::End => self.err(first.start, "end of file"),
            _ => {
                let (piece, end, stop) = self.expr(first)?;
                let v = if piece.number {
                    piece
                        .num
                        .clone()
                        .unwrap_or_else(|| Value::Str(String::from_utf8_lossy(&piece.bytes).into()))
                } else {
                    Value::Str(String::from_utf8_lossy(&piece.bytes).into_owned())
                };
                match stop.tok {
                    Tok::Eol | Tok::EqEol | Tok::End => Ok((v, end, stop)),
                    other => self.err(stop.start, other.name(&self.b[stop.start..stop.end])),
                }
            }
        }
    }

    /// `expr` starting with token `t`: (value, content end, the token after it).
    fn expr(&mut self, t: Lexed) -> PResult<(Piece, usize, Lexed)> {
        let (mut left, mut end, mut next) = self.term(t)?;
        while let Tok::Op(op @ (b'|' | b'&' | b'^')) = next.tok {
            let t2 = self.value_token(next.end);
            let (right, e2, n2) = self.term(t2)?;
            let (a, c) = (atoi(&left.bytes), atoi(&right.bytes));
            let r = match op {
                b'|' => a | c,
                b'&' => a & c,
                _ => a ^ c,
            };
            left = Piece {
                bytes: r.to_string().into_bytes(),
                ..Piece::default()
            };
            end = e2;
            next = n2;
        }
        Ok((left, end, next))
    }

    fn term(&mut self, t: Lexed) -> PResult<(Piece, usize, Lexed)> {
        match t.tok {
            Tok::Op(op @ (b'~' | b'!')) => {
                let t2 = self.value_token(t.end);
                let (p, end, next) = self.term(t2)?;
                let a = atoi(&p.bytes);
                let r = if op == b'~' { !a } else { i32::from(a == 0) };
                Ok((
                    Piece {
                        bytes: r.to_string().into_bytes(),
                        ..Piece::default()
                    },
                    end,
                    next,
                ))
            }
            Tok::Op(b'(') => {
                let t2 = self.value_token(t.end);
                let (p, _, close) = self.expr(t2)?;
                if close.tok != Tok::Op(b')') {
                    return self.err(
                        close.start,
                        format!(
                            "{}, expecting '^' or '|' or '&' or ')'",
                            close.tok.name(&self.b[close.start..close.end])
                        ),
                    );
                }
                let next = self.value_token(close.end);
                Ok((p, close.content_end, next))
            }
            _ => self.list(t),
        }
    }

    /// `var_string_list`: concatenated pieces.
    fn list(&mut self, mut t: Lexed) -> PResult<(Piece, usize, Lexed)> {
        let mut out = Piece::default();
        let mut count = 0;
        let mut end = t.start;
        loop {
            let (bytes, number, content_end, after) = match &t.tok {
                Tok::Raw(r) => (r.clone(), false, t.content_end, t.end),
                Tok::Number => {
                    // PHP 8.2 types a number token as it scans it (INI_SCANNER_TYPED): a
                    // concatenation sees the number printed back (`0123` → `123`).
                    let raw = String::from_utf8_lossy(&self.b[t.start..t.end]).into_owned();
                    let typed = to_number(&raw);
                    if count == 0 {
                        out.num = typed.clone();
                    }
                    let text = match typed {
                        Some(Value::Int(i)) => i.to_string(),
                        Some(Value::Float(f)) => php_double(f),
                        _ => raw,
                    };
                    (text.into_bytes(), true, t.end, t.end)
                }
                Tok::Str | Tok::Ws => (self.b[t.start..t.end].to_vec(), false, t.end, t.end),
                Tok::Constant => {
                    let name = String::from_utf8_lossy(&self.b[t.start..t.end]).into_owned();
                    let v = match constant(&name) {
                        Some(Some(v)) => v.into_bytes(),
                        Some(None) => {
                            self.unknown_consts.push((t.start, name.clone()));
                            name.into_bytes()
                        }
                        None => name.into_bytes(),
                    };
                    (v, false, t.end, t.end)
                }
                Tok::DollarCurly => {
                    let (v, next) = self.var_ref(t.end)?;
                    (v, false, next, next)
                }
                Tok::QuoteOpen => {
                    let (v, close, next) = self.quoted(t.end)?;
                    (v, false, close, next)
                }
                _ => break,
            };
            if count == 0 {
                out.number = number;
            } else {
                out.number = false;
            }
            out.bytes.extend(bytes);
            count += 1;
            end = content_end;
            t = self.value_token(after);
        }
        if count == 0 {
            let name = t.tok.name(&self.b[t.start..t.end]);
            return self.err(t.start, name);
        }
        Ok((out, end, t))
    }

    /// A section name after `[` at `i`: (name, position after `]` and what it eats).
    fn section(&mut self, i: usize) -> PResult<(String, usize)> {
        self.bracketed(i, false)
    }

    /// The body of `[section]` or of `key[offset]` (ST_OFFSET ends at `]` without eating the
    /// line end).
    fn bracketed(&mut self, mut i: usize, offset: bool) -> PResult<(String, usize)> {
        let b = self.b;
        let mut out = Vec::new();
        loop {
            match b.get(i) {
                Some(b']') if offset => {
                    return Ok((String::from_utf8_lossy(&out).into_owned(), i + 1));
                }
                Some(b']') => {
                    let t = count_while(b, i + 1, |c| SPACE_TAB.contains(&c));
                    let mut j = i + 1 + t;
                    if let Some(n) = eol_len(b, j) {
                        j += n;
                    }
                    self.lineno += 1;
                    return Ok((String::from_utf8_lossy(&out).into_owned(), j));
                }
                Some(b'"') => {
                    let (v, _, next) = self.quoted(i + 1)?;
                    out.extend(v);
                    i = next;
                }
                Some(b'\'') => match b[i + 1..].iter().position(|&c| c == b'\'') {
                    Some(n) if n > 0 => {
                        out.extend(&b[i + 1..i + 1 + n]);
                        i += n + 2;
                    }
                    _ => return self.err(i, "end of file, expecting ']'"),
                },
                Some(b'$') if b.get(i + 1) == Some(&b'{') => {
                    let (v, next) = self.var_ref(i + 2)?;
                    out.extend(v);
                    i = next;
                }
                Some(b'$') if b.get(i + 1).is_some_and(|&c| c != 0) => {
                    // `{LITERAL_DOLLAR}`: the `$` takes the next char, whatever it is.
                    let n = if b[i + 1] == b'\\' && i + 2 < b.len() {
                        3
                    } else {
                        2
                    };
                    out.extend(&b[i..i + n]);
                    i += n;
                }
                Some(b'\\') if i + 1 < b.len() => {
                    out.extend(&b[i..i + 2]);
                    i += 2;
                }
                Some(&c) if !b"\n\r;\0".contains(&c) => {
                    out.push(c);
                    i += 1;
                }
                _ => return self.err(i, "end of file, expecting ']'"),
            }
        }
    }
}

/// What PHP makes of a whole file.
struct FileRead {
    entries: Vec<Entry>,
    error: Option<SyntaxError>,
    unknown_consts: Vec<(usize, String)>,
}

fn read(text: &str, env: &dyn Fn(&str) -> Option<String>) -> FileRead {
    let b = text.as_bytes();
    let mut r = Reader {
        b,
        lineno: 1,
        env,
        vars: Vec::new(),
        unknown_consts: Vec::new(),
    };
    let mut entries: Vec<Entry> = Vec::new();
    let mut section: Option<String> = None;
    let mut i = 0;
    if b.len() > 3 && b.starts_with(b"\xef\xbb\xbf") {
        i = 3;
    }
    let result: PResult<()> = (|| {
        while i < b.len() {
            let line_start = i;
            // INITIAL state: find the longest rule.
            let label = count_while(b, i, is_label_char);
            let word = word_len(b, i);
            let eq = {
                let t = count_while(b, i, |c| SPACE_TAB.contains(&c));
                (b.get(i + t) == Some(&b'='))
                    .then(|| t + 1 + count_while(b, i + t + 1, |c| SPACE_TAB.contains(&c)))
            };
            let blanks = count_while(b, i, |c| SPACE_TAB.contains(&c));
            let eol = eol_len(b, i);
            let comment = comment_len(b, i);
            if label > 0 && i + label == b.len() {
                // A label running to the end of the input (even a reserved word, `true`):
                // PHP's scanner runs off the buffer and returns end of file.
                return Ok(());
            }
            if b[i] == b'[' {
                let (name, next) = r.section(i + 1)?;
                // A repeated section replaces the earlier one.
                entries.retain(|e| e.section.as_deref() != Some(name.as_str()));
                section = Some(name);
                i = next;
                continue;
            }
            let lens = [
                word.as_ref().map_or(0, |w| w.1),
                label,
                eq.unwrap_or(0),
                blanks,
                eol.unwrap_or(0),
                match comment {
                    Some(Ok(n)) => n,
                    _ => 0,
                },
            ];
            let max = lens.iter().copied().max().unwrap_or(0);
            if matches!(comment, Some(Err(()))) {
                return Ok(()); // the scanner runs off the end: end of file
            }
            if max == 0 {
                // `{TOKENS}` or any other byte.
                if b"[]\"'()&|^+-/*=%$!~<>?@{}:,.".contains(&b[i]) {
                    return r.err(i, format!("'{}'", b[i] as char));
                }
                return Ok(()); // `[^]` returns 0: the parse ends here
            }
            if lens[0] == max {
                let (tok, ..) = word.unwrap_or((Tok::True, 0, 0));
                return r.err(i, tok.name(b""));
            }
            if label == max {
                let end = i + label;
                if b.get(end) == Some(&b'[') {
                    // `key[offset] = value`: an array element; kept as `key[offset]`.
                    let (_, key_end) = r.bracketed(end + 1, true)?;
                    let key_text = String::from_utf8_lossy(&b[i..key_end]);
                    let lead = key_text.len() - key_text.trim_start().len();
                    let t = count_while(b, key_end, |c| SPACE_TAB.contains(&c));
                    if b.get(key_end + t) != Some(&b'=') {
                        return r.err(key_end + t, "token after an offset, expecting '='");
                    }
                    let vstart = key_end
                        + t
                        + 1
                        + count_while(b, key_end + t + 1, |c| SPACE_TAB.contains(&c));
                    let (value, vend, stop) = r.value(vstart)?;
                    let (was_eq, done, next) = finish(&stop, b.len());
                    entries.push(Entry {
                        section: section.clone(),
                        key: key_text.trim().to_string(),
                        value,
                        raw: text[vstart..vend].to_string(),
                        key_span: i + lead..key_end,
                        value_span: vstart..vend,
                        entry_span: line_start..next,
                    });
                    if was_eq {
                        return r.err(next, "'='");
                    }
                    if done {
                        return Ok(());
                    }
                    i = next;
                    continue;
                }
                let raw = &text[i..end];
                let lead = raw.len() - raw.trim_start_matches([' ', '\t']).len();
                let key = raw.trim_matches([' ', '\t']);
                let key_span = i + lead..i + lead + key.len();
                i = end;
                // After the label: `=` then a value, or the label stands alone (ignored).
                let t = count_while(b, i, |c| SPACE_TAB.contains(&c));
                if b.get(i + t) == Some(&b'=') {
                    let vstart = i + t + 1 + count_while(b, i + t + 1, |c| SPACE_TAB.contains(&c));
                    let (value, vend, stop) = r.value(vstart)?;
                    let (was_eq, done, next) = finish(&stop, b.len());
                    entries.push(Entry {
                        section: section.clone(),
                        key: key.to_string(),
                        value,
                        raw: text[vstart..vend].to_string(),
                        key_span,
                        value_span: vstart..vend,
                        entry_span: line_start..next,
                    });
                    if was_eq {
                        return r.err(next, "'='");
                    }
                    if done {
                        return Ok(());
                    }
                    i = next;
                }
                continue;
            }
            if eq == Some(max) {
                return r.err(i + blanks, "'='");
            }
            if eol == Some(max) || matches!(comment, Some(Ok(n)) if n == max) {
                r.lineno += 1;
                i += max;
                continue;
            }
            // blanks
            i += max;
        }
        Ok(())
    })();
    FileRead {
        entries,
        error: result.err(),
        unknown_consts: r.unknown_consts,
    }
}

/// How the token that ended a value continues the file: (`=` follows, end of parse, next).
fn finish(stop: &Lexed, len: usize) -> (bool, bool, usize) {
    match stop.tok {
        Tok::EqEol => (true, false, stop.start),
        Tok::End => (false, true, len),
        _ => (false, false, stop.end),
    }
}

/// Names of the `${VAR}` references PHP interpolates in a value's raw text (empty when the
/// value does not depend on the environment).
pub fn interpolations(raw: &str) -> Vec<String> {
    let text = format!("k = {raw}\n");
    let b = text.as_bytes();
    let none = |_: &str| None;
    let mut r = Reader {
        b,
        lineno: 1,
        env: &none,
        vars: Vec::new(),
        unknown_consts: Vec::new(),
    };
    let _ = r.value(4);
    r.vars
}

fn parse_with(src: &Source, env: &dyn Fn(&str) -> Option<String>) -> Parsed {
    let mut parsed = Parsed::new(Lang::Php);
    let fr = read(&src.text, env);
    parsed.entries = fr.entries;
    for (at, name) in fr.unknown_consts {
        parsed.problems.push(Problem {
            kind: ProblemKind::NotStatic,
            span: at..at + name.len(),
            message: format!(
                "`{name}` is a PHP constant whose value depends on the PHP installation; quote the value to use the text itself"
            ),
        });
    }
    if let Some(e) = fr.error {
        // Point at the offending token, or at the start of the line PHP names when the
        // token (an end of line) belongs to the line before.
        let at = e.at.min(src.text.len());
        let span_start = if src.line_col(at).0 == e.line {
            at
        } else {
            src.line_range(e.line).start.min(src.text.len())
        };
        let end = src.text[span_start..]
            .char_indices()
            .nth(1)
            .map_or(src.text.len(), |(n, _)| span_start + n);
        parsed.problems.push(Problem {
            kind: ProblemKind::Syntax,
            span: span_start..end.max(span_start),
            message: format!(
                "PHP rejects the whole file: syntax error, unexpected {} on line {} (parse_ini_file returns false)",
                e.unexpected, e.line
            ),
        });
    }
    parsed
}

/// Parse with an explicit environment for `${VAR}` (tests and callers that know the
/// environment PHP will run in).
pub fn parse_env(src: &Source, env: &dyn Fn(&str) -> Option<String>) -> Parsed {
    parse_with(src, env)
}

/// Line PHP names for a syntax error, from our problem message.
pub fn syntax_error_line(p: &Problem) -> Option<usize> {
    let rest = p.message.split(" on line ").nth(1)?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

// ---------------------------------------------------------------------------------------
// Editing.

/// The text to write for `value` in the style of an existing raw value.
fn styled(raw: &str, value: &Value) -> Result<String, String> {
    if let Value::Bool(_) | Value::Null = value {
        return php_value(value);
    }
    let s = value.to_text();
    if let Some(reason) = php_refuses(&s) {
        return Err(reason);
    }
    if raw.starts_with('\'') && !s.is_empty() && !s.contains('\'') {
        return Ok(format!("'{s}'"));
    }
    if !raw.starts_with('"') && !raw.starts_with('\'') && !raw.is_empty() {
        // Bare: keep it bare when PHP reads the bare text back as this very string.
        let probe = Source::of(&format!("k = {s}\n"));
        let none = |_: &str| None;
        let p = parse_with(&probe, &none);
        let same = p.problems.is_empty()
            && p.entries.len() == 1
            && p.entries[0].value == Value::Str(s.clone())
            && p.entries[0].raw == s
            && interpolations(&s).is_empty();
        if same {
            return Ok(s);
        }
    }
    php_quoted(&s)
}

impl Format for Php {
    fn lang(&self) -> Lang {
        Lang::Php
    }

    fn parse(&self, src: &Source) -> Parsed {
        let env = |name: &str| std::env::var(name).ok();
        parse_with(src, &env)
    }

    fn render(&self, settings: &Settings) -> Result<String> {
        render::render(Lang::Php, settings)
    }

    /// PHP's own reader on the lines before `offset` plus one probe entry: the section it
    /// files the probe under (a repeated or bracketed section name is read as PHP reads it).
    fn section_at(&self, src: &Source, offset: usize) -> Option<String> {
        let mut at = offset.min(src.text.len());
        while !src.text.is_char_boundary(at) {
            at -= 1;
        }
        let line_start = src.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let probe = "adsconf_section_probe";
        let text = format!("{}{probe} = 1\n", &src.text[..line_start]);
        let read = read(&text, &|_| None);
        read.entries
            .last()
            .filter(|e| e.key == probe)
            .and_then(|e| e.section.clone())
    }

    fn cannot_carry(&self, _neutral: &str, value: &Value) -> Option<String> {
        value.as_str().and_then(php_refuses)
    }

    fn set_edits(
        &self,
        src: &Source,
        parsed: &Parsed,
        key: &LibKey,
        value: &Value,
    ) -> Result<Vec<Edit>> {
        if let Some(p) = parsed
            .problems
            .iter()
            .find(|p| p.kind == ProblemKind::Syntax)
        {
            let (line, _) = src.line_col(p.span.start);
            return Err(Error::usage(format!(
                "cannot set {} in {}: PHP cannot read the file (syntax error at line {line}); fix it first",
                key.key,
                src.name()
            )));
        }
        let refuse = |e: String| Error::usage(format!("cannot set {}: {e}", key.key));
        if let Some(e) = parsed.find(key) {
            let text = styled(&e.raw, value).map_err(refuse)?;
            return Ok(vec![Edit::replace(e.value_span.clone(), text)]);
        }
        let text = php_value(value).map_err(refuse)?;
        let eol = if src.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let line = format!("{} = {text}{eol}", key.key);
        let Some(section) = key.section.as_deref() else {
            return Ok(vec![Edit::insert(0, line)]);
        };
        // After the last entry of the (last) section of that name, else after its header.
        if let Some(last) = parsed
            .entries
            .iter()
            .rev()
            .find(|e| e.section.as_deref() == Some(section))
        {
            let at = last.entry_span.end;
            let sep = if at > 0 && !src.text[..at].ends_with('\n') {
                eol
            } else {
                ""
            };
            return Ok(vec![Edit::insert(at, format!("{sep}{line}"))]);
        }
        let header = format!("[{section}]");
        if let Some(pos) = src
            .text
            .match_indices(&header)
            .map(|(p, _)| p)
            .filter(|&p| p == 0 || src.text.as_bytes()[p - 1] == b'\n')
            .last()
        {
            let line_no = src.line_col(pos).0;
            let at = src
                .line_range(line_no + 1)
                .start
                .min(src.text.len())
                .max(src.line_range(line_no).end);
            let at = if at == src.line_range(line_no).end {
                // The header is the last line, without a newline.
                return Ok(vec![Edit::insert(at, format!("{eol}{line}"))]);
            } else {
                at
            };
            return Ok(vec![Edit::insert(at, line)]);
        }
        let sep = if src.text.is_empty() {
            ""
        } else if src.text.ends_with('\n') {
            eol
        } else {
            "\n\n"
        };
        Ok(vec![Edit::insert(
            src.text.len(),
            format!("{sep}{header}{eol}{line}"),
        )])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Parsed {
        let env = |n: &str| (n == "HOME").then(|| "/home/u".to_string());
        parse_env(&Source::of(t), &env)
    }

    fn one(t: &str) -> Value {
        let p = parse(&format!("[S]\nk = {t}\n"));
        assert!(p.problems.is_empty(), "{t}: {:?}", p.problems);
        p.entries.last().unwrap().value.clone()
    }

    fn s(v: &str) -> Value {
        Value::Str(v.into())
    }

    #[test]
    fn types_like_php_typed_mode() {
        assert_eq!(one("0123"), Value::Int(123));
        assert_eq!(one("-5"), Value::Int(-5));
        assert_eq!(one("+5"), s("+5"));
        assert_eq!(one("1e3"), s("1e3"));
        assert_eq!(one("0x1F"), s("0x1F"));
        assert_eq!(one("99999999999999999999"), s("99999999999999999999"));
        assert_eq!(one("1.5"), Value::Float(1.5));
        assert_eq!(one("-1.5"), s("-1.5"));
        assert_eq!(one("On"), Value::Bool(true));
        assert_eq!(one("NONE"), Value::Bool(false));
        assert_eq!(one("nUll"), Value::Null);
        assert_eq!(one("\"0123\""), s("0123"));
        assert_eq!(one("'a\\b'"), s("a\\b"));
        assert_eq!(one("\"a\\\"b\\\\c\\$d\\n\""), s("a\"b\\c$d\\n"));
        assert_eq!(one("\"${HOME}/x \\${HOME}\""), s("/home/u/x ${HOME}"));
        assert_eq!(one("\"x\" trailing 'y'"), s("xtrailing y"));
        assert_eq!(one("a;b"), s("a"));
        assert_eq!(one("E_ALL & ~E_NOTICE"), s("32759"));
        assert_eq!(one("(1)"), Value::Int(1));
        assert_eq!(one("PHP_EOL"), s("\n"));
        assert_eq!(one("0123${HOME}1.5"), s("123/home/u1.5"));
        assert_eq!(one("00 5."), s("0 5"));
        assert_eq!(php_double(1e19), "1.0E+19");
        assert_eq!(php_double(1.25e-7), "1.25E-7");
        assert_eq!(php_double(0.001), "0.001");
        assert_eq!(php_double(12345678901234567.5), "1.2345678901235E+16");
    }

    #[test]
    fn syntax_errors_at_phps_line() {
        for (t, line) in [
            ("[A]\nk = a=b\n", 2),
            ("true = 1\n", 1),
            ("k = (a\n", 2),
            ("[A] k=1\nm = (\n", 4),
            ("k = \"abc\n", 2),
            ("x = a null b\n", 1),
        ] {
            let p = parse(t);
            assert!(p.is_fatal(), "{t}");
            assert_eq!(syntax_error_line(&p.problems[0]), Some(line), "{t}");
        }
    }

    #[test]
    fn spans_and_sections() {
        let t = "[A]\n  ké = \"vé\" ; c\n[B]\nx=1\n[A]\ny=2";
        let p = parse(t);
        let src = Source::of(t);
        // The repeated [A] replaced the first.
        assert_eq!(p.entries.len(), 2);
        let y = &p.entries[1];
        assert_eq!(y.section.as_deref(), Some("A"));
        assert_eq!(src.line_col(y.value_span.start), (6, 3));
        let p = parse("[A]\n  ké = \"vé\" ; c\n");
        let e = &p.entries[0];
        assert_eq!(&"[A]\n  ké = \"vé\" ; c\n"[e.key_span.clone()], "ké");
        assert_eq!(e.raw, "\"vé\"");
        assert_eq!(
            Source::of("[A]\n  ké = \"vé\" ; c\n").line_col(e.value_span.start),
            (2, 8)
        );
    }

    #[test]
    fn spans_after_multiline_values_and_multibyte() {
        let t = "[S]\r\na = \"l1\nl2 é\" ; c\r\nb = 'x\ny'\n  clé\t=\t\"v\" \n";
        let src = Source::of(t);
        let p = parse(t);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let [a, b, c] = &p.entries[..] else {
            panic!("{:?}", p.entries)
        };
        assert_eq!(a.value, s("l1\nl2 é"));
        assert_eq!(&t[a.value_span.clone()], "\"l1\nl2 é\"");
        assert_eq!(&t[a.entry_span.clone()], "a = \"l1\nl2 é\" ; c\r\n");
        assert_eq!(src.line_col(b.key_span.start), (4, 1));
        assert_eq!(src.line_col(b.value_span.end), (5, 3));
        assert_eq!(&t[c.key_span.clone()], "clé");
        assert_eq!(src.line_col(c.key_span.start), (6, 3));
        assert_eq!(src.line_col(c.value_span.start), (6, 9));
        assert_eq!(&t[c.value_span.clone()], "\"v\"");
    }

    #[test]
    fn quoting_escapes() {
        assert_eq!(
            php_quoted("a\"b\\c$d${e}").unwrap(),
            "\"a\\\"b\\\\c\\$d\\${e}\""
        );
        assert_eq!(
            php_quoted("; # = ! ( ) yes 0123").unwrap(),
            "\"; # = ! ( ) yes 0123\""
        );
        assert!(php_quoted("a\0b").is_err());
        assert_eq!(php_value(&Value::Bool(true)).unwrap(), "true");
        for v in [
            "${HOME}", "; x", "#y", "yes", "0123", "= ! ( )", "C:\\p\\", "a\"", "null",
        ] {
            let q = php_quoted(v).unwrap();
            assert_eq!(one(&q), s(v), "{q}");
        }
    }

    #[test]
    fn keys_outside_their_section_are_unknown() {
        let p = parse("developerToken = \"top\"\n[OAUTH2]\ndeveloperToken = \"x\"\n[GOOGLE_ADS]\ndeveloperToken = \"y\"\n");
        let l = crate::formats::to_loaded(&p);
        assert_eq!(l.known.get("developer_token"), Some(&s("y")));
        assert_eq!(l.unknown.get("developerToken"), Some(&s("top")));
        assert_eq!(l.unknown.get("OAUTH2.developerToken"), Some(&s("x")));
    }

    #[test]
    fn interpolation_is_visible() {
        assert_eq!(interpolations("\"${HOME}/x\""), vec!["HOME"]);
        assert!(interpolations("'${HOME}'").is_empty());
        assert!(interpolations("\"\\${HOME}\"").is_empty());
    }

    #[test]
    fn edits_keep_style() {
        let cat = Lang::Php.catalog();
        let src = Source::of("[GOOGLE_ADS]\ndeveloperToken = abc ; c\n[OAUTH2]\nclientId = 'x'\n");
        let p = Php.parse(&src);
        let k = cat.for_neutral("developer_token").unwrap();
        let out =
            crate::edit::apply(&src.text, &Php.set_edits(&src, &p, k, &s("new")).unwrap()).unwrap();
        assert_eq!(
            out,
            "[GOOGLE_ADS]\ndeveloperToken = new ; c\n[OAUTH2]\nclientId = 'x'\n"
        );
        let out = crate::edit::apply(&src.text, &Php.set_edits(&src, &p, k, &s("0123")).unwrap())
            .unwrap();
        assert_eq!(
            out,
            "[GOOGLE_ADS]\ndeveloperToken = \"0123\" ; c\n[OAUTH2]\nclientId = 'x'\n"
        );
        let k = cat.for_neutral("login_customer_id").unwrap();
        let out = crate::edit::apply(
            &src.text,
            &Php.set_edits(&src, &p, k, &s("0123456789")).unwrap(),
        )
        .unwrap();
        assert_eq!(
            out,
            "[GOOGLE_ADS]\ndeveloperToken = abc ; c\nloginCustomerId = \"0123456789\"\n[OAUTH2]\nclientId = 'x'\n"
        );
        let k = cat.for_neutral("http_proxy").unwrap();
        let out = crate::edit::apply(
            &src.text,
            &Php.set_edits(&src, &p, k, &s("http://h:1")).unwrap(),
        )
        .unwrap();
        assert!(out.ends_with("clientId = 'x'\n\n[CONNECTION]\nproxy = \"http://h:1\"\n"));
    }
}

#[cfg(test)]
mod render_tests {
    use super::*;

    #[test]
    fn renders_sections_and_types() {
        let mut s = Settings::default();
        s.set("developer_token", Value::Str("a;b".into()));
        s.set("login_customer_id", Value::Str("0123456789".into()));
        s.set("use_cloud_org_for_api_access", Value::Bool(true));
        s.set("http_proxy", Value::Str("http://u:p@h:1".into()));
        let out = Php.render(&s).unwrap();
        let p = Php.parse(&Source::of(&out));
        assert!(p.problems.is_empty(), "{out}");
        let got: Vec<_> = p
            .entries
            .iter()
            .map(|e| (e.section.clone().unwrap(), e.key.as_str(), e.value.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "GOOGLE_ADS".into(),
                    "developerToken",
                    Value::Str("a;b".into())
                ),
                (
                    "GOOGLE_ADS".into(),
                    "useCloudOrgForApiAccess",
                    Value::Bool(true)
                ),
                (
                    "GOOGLE_ADS".into(),
                    "loginCustomerId",
                    Value::Str("0123456789".into())
                ),
                (
                    "CONNECTION".into(),
                    "proxy",
                    Value::Str("http://u:p@h:1".into())
                ),
            ]
        );
    }
}
