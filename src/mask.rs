//! What is a secret and how it is shown: the one place every renderer, diff and message asks.
//!
//! A value is secret by its key's name (the catalogues' secret keys, any name within edit
//! distance 2 of one, names containing `secret`/`token`/`password`) or by its shape (`GOCSPX-`
//! client secrets, `1//` refresh tokens, `ya29.` access tokens, `4/0` authorization codes,
//! PEM private-key blocks, the password of a URL's user-info). Masked form: the first 4
//! characters then `…`; a secret of 8 characters or fewer is shown as `…` alone.
//!
//! Layering: this module sits beside `model` (it reads only the key catalogues), below
//! `formats`, `rules`, `report` and `commands`.

use std::ops::Range;
use std::sync::OnceLock;

/// How much of a value is secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    None,
    /// The whole value.
    Whole,
    /// Only the password in a URL's user-info (`http://user:PASSWORD@host`).
    UrlPassword,
}

/// Prefixes of Google secrets, whatever key holds them.
pub const SHAPES: &[&str] = &["GOCSPX-", "1//", "ya29.", "4/0"];

/// Secrets of this many characters or fewer are shown as `…` alone.
pub const SHORT: usize = 8;

/// The masked form of a secret: `GOCS…`, or `…` for a secret of 8 characters or fewer.
pub fn mask(secret: &str) -> String {
    if secret.chars().count() <= SHORT {
        "…".into()
    } else {
        let head: String = secret.chars().take(4).collect();
        format!("{head}…")
    }
}

/// The masked form of a raw value as written in a file: surrounding quotes kept, the inside
/// masked as `kind` says.
pub fn mask_raw(raw: &str, kind: Kind) -> String {
    let (open, inner, close) = split_quotes(raw);
    let inner = match kind {
        Kind::None => return raw.to_string(),
        Kind::UrlPassword if url_password(inner).is_some() => mask_url_password(inner),
        _ => mask(inner),
    };
    format!("{open}{inner}{close}")
}

/// `(open quote, inside, close quote)` of a raw value.
pub fn split_quotes(raw: &str) -> (&str, &str, &str) {
    for q in ["\"\"\"", "'''", "\"", "'"] {
        if raw.len() >= 2 * q.len() && raw.starts_with(q) && raw.ends_with(q) {
            return (q, &raw[q.len()..raw.len() - q.len()], q);
        }
    }
    ("", raw, "")
}

/// Byte range of the password in a URL's user-info (`scheme://user:PASSWORD@host`).
pub fn url_password(url: &str) -> Option<Range<usize>> {
    let start = url.find("://")? + 3;
    let rest = &url[start..];
    let end = rest
        .find(|c: char| c == '/' || c == '?' || c == '#' || c.is_whitespace())
        .unwrap_or(rest.len());
    let at = rest[..end].rfind('@')?;
    let colon = rest[..at].find(':')?;
    // The documentation's own template (`protocol://user:pass@host:port`, quoted in the
    // libraries' error texts and in our help) is no secret: keep it readable.
    let template = rest[..colon].eq_ignore_ascii_case("user")
        && matches!(
            rest[colon + 1..at].to_ascii_lowercase().as_str(),
            "pass" | "password"
        );
    (colon + 1 < at && !template).then(|| start + colon + 1..start + at)
}

/// A URL with the password of its user-info masked (`http://user:pass…@host`).
pub fn mask_url_password(url: &str) -> String {
    match url_password(url) {
        Some(r) => format!(
            "{}{}{}",
            &url[..r.start],
            mask(&url[r.clone()]),
            &url[r.end..]
        ),
        None => url.to_string(),
    }
}

/// Does this value have the shape of a secret (whatever key holds it)?
pub fn looks_secret(value: &str) -> bool {
    let t = value.trim().trim_matches(|c| c == '"' || c == '\'');
    SHAPES.iter().any(|p| shape_at(t, p).is_some()) || is_private_key(t)
}

/// A PEM private key (or the start of one).
fn is_private_key(t: &str) -> bool {
    t.contains("-----BEGIN") && t.contains("PRIVATE KEY")
}

/// Length of the secret token starting with `prefix` at the start of `t`, when it is one:
/// at least 5 token characters after the prefix (`4/0` must be followed by a letter).
fn shape_at(t: &str, prefix: &str) -> Option<usize> {
    let rest = t.strip_prefix(prefix)?;
    if prefix == "4/0" && !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let n = rest.find(|c: char| !is_token_char(c)).unwrap_or(rest.len());
    (n >= 5).then_some(prefix.len() + n)
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '+' | '=' | '~' | '%')
}

/// How secret a value is: by its key's name first, then by its shape.
pub fn kind_of(key: &str, value: &str) -> Kind {
    match key_kind(key) {
        Kind::None => value_kind(value),
        Kind::UrlPassword if url_password(split_quotes(value).1).is_none() => {
            // A proxy-like key whose value is not a URL with a password: by shape.
            value_kind(value)
        }
        k => k,
    }
}

/// How secret a value is by its shape alone.
pub fn value_kind(value: &str) -> Kind {
    if looks_secret(value) {
        Kind::Whole
    } else if url_password(split_quotes(value.trim()).1).is_some() {
        Kind::UrlPassword
    } else {
        Kind::None
    }
}

/// The value as it may be shown: masked when the key or the shape says it is secret.
pub fn shown(key: &str, value: &str) -> String {
    match kind_of(key, value) {
        Kind::None => value.to_string(),
        Kind::Whole => mask(value),
        Kind::UrlPassword => mask_url_password(value),
    }
}

// ---------------------------------------------------------------------------------------
// Key names.

/// A key name reduced for comparison: lower case, letters and digits only.
fn norm(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

struct Names {
    /// Normalised names of secret keys (every catalogue's own names, environment variables,
    /// neutral names) and their kind.
    secret: Vec<(String, Kind)>,
    /// Normalised names of keys the catalogues know are not secret.
    plain: std::collections::HashSet<String>,
}

/// The key-name table derived from `schemas/` at build time (build.rs).
mod generated {
    include!(concat!(env!("OUT_DIR"), "/key_names.rs"));
}

fn names() -> &'static Names {
    static N: OnceLock<Names> = OnceLock::new();
    N.get_or_init(|| {
        build_names(
            generated::NEUTRAL.iter().copied(),
            generated::KEYS.iter().copied(),
        )
    })
}

/// The table from the neutral keys `(name, secret, secret user-info)` and the catalogues'
/// names `(name, neutral name, secret)`: a name is of the kind its own flag or its neutral
/// key gives; a secret spelling wins over a plain one that normalises the same.
fn build_names<'a>(
    neutral: impl Iterator<Item = (&'a str, bool, bool)> + Clone,
    keys: impl Iterator<Item = (&'a str, Option<&'a str>, bool)>,
) -> Names {
    let mut secret: Vec<(String, Kind)> = Vec::new();
    let mut plain = std::collections::HashSet::new();
    let mut add = |name: &str, kind: Kind| {
        for n in [norm(name), norm(name.rsplit('.').next().unwrap_or(name))] {
            if n.is_empty() {
                continue;
            }
            match kind {
                Kind::None => {
                    plain.insert(n);
                }
                k => {
                    if !secret.iter().any(|(s, _)| *s == n) {
                        secret.push((n, k));
                    }
                }
            }
        }
    };
    let neutral_kind = |name: &str| match neutral.clone().find(|(n, _, _)| *n == name) {
        Some((_, true, _)) => Kind::Whole,
        Some((_, _, true)) => Kind::UrlPassword,
        _ => Kind::None,
    };
    for (n, _, _) in neutral.clone() {
        add(n, neutral_kind(n));
    }
    for (name, to, is_secret) in keys {
        let kind = if is_secret {
            Kind::Whole
        } else {
            to.map_or(Kind::None, neutral_kind)
        };
        add(name, kind);
    }
    // A secret name wins over a plain one with the same normalised spelling.
    plain.retain(|p| !secret.iter().any(|(s, _)| s == p));
    Names { secret, plain }
}

/// Is a key of this name secret? The catalogues' answer for a known key; for any other name,
/// secret when it contains `secret`, `token`, `password` or `passwd`, or is within edit
/// distance 2 of a secret key's name (`client_secert`, `developer-tkn`, `http_prxy`).
pub fn key_kind(name: &str) -> Kind {
    // The scan asks about every `word:`/`word =` of a text, comments included, and the same
    // names come back file after file: the answers are remembered per thread (bounded).
    thread_local! {
        static SEEN: std::cell::RefCell<std::collections::HashMap<String, Kind>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if let Some(k) = SEEN.with(|m| m.borrow().get(name).copied()) {
        return k;
    }
    let k = key_kind_uncached(name);
    SEEN.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 4096 {
            m.clear();
        }
        m.insert(name.to_string(), k);
    });
    k
}

fn key_kind_uncached(name: &str) -> Kind {
    let n = norm(name);
    if n.is_empty() {
        return Kind::None;
    }
    let names = names();
    let last = norm(name.rsplit('.').next().unwrap_or(name));
    let bare = n.strip_prefix("googleads").unwrap_or(&n).to_string();
    for cand in [&n, &last] {
        if let Some((_, k)) = names.secret.iter().find(|(s, _)| s == cand) {
            return *k;
        }
    }
    if names.plain.contains(&n) || names.plain.contains(&last) {
        return Kind::None;
    }
    let plain_suffix = [
        "uri",
        "url",
        "endpoint",
        "path",
        "file",
        "expiry",
        "expiresin",
    ]
    .iter()
    .any(|w| n.ends_with(w));
    if !plain_suffix
        && ["secret", "token", "password", "passwd"]
            .iter()
            .any(|w| n.contains(w))
    {
        return Kind::Whole;
    }
    let mut best: Option<(usize, Kind)> = None;
    for cand in [&n, &last, &bare] {
        if cand.len() < 5 {
            continue;
        }
        for (s, k) in &names.secret {
            if s.len().abs_diff(cand.len()) > 2 || s.len() < 5 {
                continue;
            }
            let d = levenshtein_within(cand, s, 2);
            if let Some(d) = d {
                if best.is_none_or(|(b, _)| d < b) {
                    best = Some((d, *k));
                }
            }
        }
    }
    best.map_or(Kind::None, |(_, k)| k)
}

/// Edit distance between `a` and `b` when it is at most `max`.
fn levenshtein_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let d = levenshtein(a, b);
    (d <= max).then_some(d)
}

/// Edit distance (chars).
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

// ---------------------------------------------------------------------------------------
// Free text.

/// Is this value a template placeholder (`INSERT_…`, `YOUR_…_HERE`, `<YOUR…>`)? Those are
/// shown as they are.
pub fn is_placeholder(text: &str) -> bool {
    let t = text.trim().trim_matches(|c| c == '"' || c == '\'');
    let u = t.to_ascii_uppercase();
    (u.starts_with("INSERT_")
        && u.len() > 7
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        || (u.starts_with("<YOUR") && u.ends_with('>'))
        || (u.starts_with("YOUR_") && u.ends_with("_HERE"))
}

/// Byte ranges of secrets in free text that may not parse (snippets of a broken file, a
/// quoted source line, environment listings, bodies): shaped tokens, private-key bodies, URL
/// passwords, and the values of `KEY = value`, `KEY: value`, `KEY => value` and XML
/// `key="KEY" value="…"` whose key name is secret. Sorted, not overlapping.
pub fn scan(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    scan_shapes(text, &mut out);
    scan_keys(text, &mut out);
    merge(out)
}

/// Shapes only (no key names): for messages, where prose like "token: expired" is no secret.
pub fn scan_shapes_only(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    scan_shapes(text, &mut out);
    merge(out)
}

fn scan_shapes(text: &str, out: &mut Vec<Range<usize>>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let boundary = i == 0 || !is_token_char(char::from(b[i - 1])) || b[i - 1] >= 0x80;
        if boundary && matches!(b[i], b'G' | b'1' | b'y' | b'4') {
            if let Some(n) = SHAPES.iter().find_map(|p| shape_at(&text[i..], p)) {
                out.push(i..i + n);
                i += n;
                continue;
            }
        }
        i += 1;
    }
    // Private-key bodies: from the end of the BEGIN marker to the END marker (or the end of
    // the quoted string / text).
    let mut from = 0;
    while let Some(p) = text[from..].find("-----BEGIN") {
        let begin = from + p;
        let Some(h) = text[begin + 10..].find("-----") else {
            break;
        };
        let header_end = begin + 10 + h + 5;
        if !text[begin..header_end].contains("PRIVATE KEY") {
            from = header_end;
            continue;
        }
        let end = text[header_end..]
            .find("-----END")
            .map(|e| header_end + e)
            .or_else(|| text[header_end..].find('"').map(|e| header_end + e))
            .unwrap_or(text.len());
        if end > header_end {
            out.push(header_end..end);
        }
        from = end.max(header_end);
    }
    // URL passwords.
    let mut from = 0;
    while let Some(p) = text[from..].find("://") {
        let at = from + p;
        // The scheme: the ASCII run before `://` (after any other character, whatever its
        // width: the fuzzer found a 2-byte one here).
        let start = text[..at]
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-')))
            .map_or(0, |(i, c)| i + c.len_utf8());
        if let Some(r) = url_password(&text[start..]) {
            out.push(start + r.start..start + r.end);
        }
        from = at + 3;
    }
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'$')
}

fn scan_keys(text: &str, out: &mut Vec<Range<usize>>) {
    let b = text.as_bytes();
    let mut line_start = 0;
    while line_start < b.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(b.len(), |e| line_start + e);
        scan_line(text, line_start, line_end, out);
        line_start = line_end + 1;
    }
}

/// One line: every `KEY sep value` whose key is secret.
fn scan_line(text: &str, start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    let b = text.as_bytes();
    let mut i = start;
    while i < end {
        let c = b[i];
        let is_sep = c == b'=' || (c == b':' && !text[i..end].starts_with("://"));
        if !is_sep {
            i += 1;
            continue;
        }
        // The key before the separator: blanks, one closing quote, the name.
        let mut k_end = i;
        while k_end > start && matches!(b[k_end - 1], b' ' | b'\t') {
            k_end -= 1;
        }
        if k_end > start && matches!(b[k_end - 1], b'"' | b'\'') {
            k_end -= 1;
        }
        let mut k_start = k_end;
        while k_start > start && is_ident_char(b[k_start - 1]) {
            k_start -= 1;
        }
        let key = &text[k_start..k_end];
        let value = value_after(text, i + 1, end);
        i += 1;
        let (Some(v), false) = (value, key.is_empty()) else {
            continue;
        };
        let kind = key_kind(key);
        let raw = &text[v.clone()];
        if key.eq_ignore_ascii_case("key") {
            // XML: key="NAME" value="…".
            if key_kind(raw) != Kind::None {
                let rest = &text[v.end..end];
                if let Some(p) = rest.find("value=") {
                    let vs = v.end + p + 6;
                    if let Some(r) = value_after(text, vs, end) {
                        push_value(text, r, key_kind(raw), out);
                    }
                }
            }
            continue;
        }
        if kind != Kind::None {
            push_value(text, v.clone(), kind, out);
        }
    }
}

/// The value after a separator at `i` (`=>` and blanks skipped): the inside of a quoted
/// string, else up to a blank or a delimiter. `None` when empty.
fn value_after(text: &str, mut i: usize, end: usize) -> Option<Range<usize>> {
    let b = text.as_bytes();
    if i < end && b[i] == b'>' {
        i += 1;
    }
    while i < end && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    if i >= end {
        return None;
    }
    let r = if matches!(b[i], b'"' | b'\'') {
        let q = b[i];
        let s = i + 1;
        let mut j = s;
        while j < end && b[j] != q {
            if b[j] == b'\\' {
                j += 1;
            }
            j += 1;
        }
        s..j.min(end)
    } else {
        let j = text[i..end]
            .find(|c: char| c.is_whitespace() || "`,;()[]{}<>\"'".contains(c))
            .map_or(end, |e| i + e);
        if matches!(b.get(j), Some(b'(' | b'[' | b'{')) {
            // Code (`ENV.fetch(…)`), not a value.
            return None;
        }
        i..j
    };
    let r = r.start..r.end.min(end);
    let t = text[r.clone()].trim_end();
    (!t.is_empty()).then(|| r.start..r.start + t.len())
}

fn push_value(text: &str, r: Range<usize>, kind: Kind, out: &mut Vec<Range<usize>>) {
    let raw = &text[r.clone()];
    if is_placeholder(raw) {
        return;
    }
    match kind {
        Kind::None => {}
        Kind::Whole => out.push(r),
        Kind::UrlPassword => {
            if let Some(p) = url_password(raw) {
                out.push(r.start + p.start..r.start + p.end);
            } else if looks_secret(raw) {
                out.push(r);
            }
        }
    }
}

/// Sort and merge overlapping ranges.
pub fn merge(mut v: Vec<Range<usize>>) -> Vec<Range<usize>> {
    v.retain(|r| !r.is_empty());
    v.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(v.len());
    for r in v {
        match out.last_mut() {
            Some(l) if r.start < l.end => l.end = l.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// `text` with the given ranges (sorted, not overlapping, on char boundaries) masked.
pub fn apply(text: &str, ranges: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for r in ranges {
        if r.start < pos || r.end > text.len() {
            continue;
        }
        out.push_str(&text[pos..r.start]);
        out.push_str(&mask(&text[r.clone()]));
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Every occurrence of the known secrets (4 characters or more) in `text`.
pub fn known_ranges(text: &str, known: &[String]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for s in known.iter().filter(|s| s.chars().count() >= 4) {
        let mut from = 0;
        while let Some(p) = text[from..].find(s.as_str()) {
            out.push(from + p..from + p + s.len());
            from += p + s.len();
        }
    }
    out
}

/// Free text (a snippet, an environment listing, a body) with every secret masked: the
/// known secrets wherever they occur, and whatever [`scan`] finds.
pub fn mask_text(text: &str, known: &[String]) -> String {
    let mut r = scan(text);
    r.extend(known_ranges(text, known));
    apply(text, &merge(r))
}

/// A message (which quotes values in prose) with secret-shaped values masked, and the known
/// secrets wherever they occur.
pub fn mask_message(text: &str, known: &[String]) -> String {
    let mut r = scan_shapes_only(text);
    r.extend(known_ranges(text, known));
    apply(text, &merge(r))
}

/// A string from a remote server (token endpoint, API error, a redirect's parameters) made
/// safe to print: control characters (escape sequences, carriage returns, bells, C1 codes)
/// and bidirectional overrides removed; line breaks and tabs become spaces.
pub fn clean_remote(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => None,
            c => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn short_secrets_show_nothing() {
        assert_eq!(mask("GOCSPX-abc"), "GOCS…");
        assert_eq!(mask("12345678"), "…");
        assert_eq!(mask("123456789"), "1234…");
        assert_eq!(mask("ab"), "…");
        assert_eq!(
            mask_url_password("http://u:secretpass@h:8080/x"),
            "http://u:secr…@h:8080/x"
        );
        assert_eq!(mask_url_password("http://u:pw@h"), "http://u:…@h");
        assert_eq!(mask_url_password("http://h:8080"), "http://h:8080");
        assert_eq!(mask_raw("\"abcdefghijk\"", Kind::Whole), "\"abcd…\"");
    }

    #[test]
    fn misspelt_secret_keys_are_secret() {
        for k in [
            "client_secret",
            "client_secert",
            "clientSecert",
            "developer-tkn",
            "developerTokn",
            "GOOGLE_ADS_CLIENT_SECRT",
            "refresh_tokn",
            "my_password",
            "api.googleads.clientSecret",
        ] {
            assert_eq!(key_kind(k), Kind::Whole, "{k}");
        }
        for k in ["http_prxy", "proxy", "GOOGLE_ADS_HTTP_PROXY"] {
            assert_eq!(key_kind(k), Kind::UrlPassword, "{k}");
        }
        for k in [
            "client_id",
            "login_customer_id",
            "use_proto_plus",
            "developer",
            "token_uri",
            "json_key_file_path",
            "clientId",
            "endpoint",
        ] {
            assert_eq!(key_kind(k), Kind::None, "{k}");
        }
    }

    #[test]
    fn shapes() {
        for v in [
            "GOCSPX-abcdefgh",
            "1//0gABCDEFGH",
            "ya29.a0AfH6SM",
            "4/0AX4XfWhabc",
            "'1//0gABCDEFGH'",
            "-----BEGIN PRIVATE KEY-----\nMIIE",
        ] {
            assert!(looks_secret(v), "{v}");
        }
        for v in ["1234567890", "4/05/2024", "http://h", "GOCSPX-", "abc"] {
            assert!(!looks_secret(v), "{v}");
        }
        assert_eq!(shown("client_id", "1//0gABCDEFGH"), "1//0…");
        assert_eq!(shown("note", "http://u:pw@h"), "http://u:…@h");
        assert_eq!(
            shown("client_id", "123-x.apps.googleusercontent.com"),
            "123-x.apps.googleusercontent.com"
        );
    }

    #[test]
    fn scan_finds_secrets_in_text_that_does_not_parse() {
        let t = "client_secret: \"GOCSPX-abcdefghijklmnop\nrefresh_token: 1//0gABCDEFGHIJK\ndeveloper-tkn: DEVTOKENSECRET123\nhttp_prxy: http://user:hunter2@p:1\nclient_id: 1-a.apps.googleusercontent.com\n";
        let m = apply(t, &scan(t));
        for leak in [
            "abcdefghijklmnop",
            "ABCDEFGHIJK",
            "TOKENSECRET123",
            "hunter2",
        ] {
            assert!(!m.contains(leak), "{leak}: {m}");
        }
        assert!(
            m.contains("client_id: 1-a.apps.googleusercontent.com"),
            "{m}"
        );
        assert!(m.contains("developer-tkn: DEVT…"), "{m}");
        // XML, JSON, Perl-style separators, PEM bodies, placeholders kept.
        let x = "<add key=\"OAuth2ClientSecret\" value=\"GOCSPXabcdefghijkl\"/>\n{\"clientSecert\": \"zzzzzzzzzzzz\"}\nrefreshToken => 'qqqqqqqqqqqq'\n\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADAN\\n-----END PRIVATE KEY-----\\n\"\nclientSecret=INSERT_CLIENT_SECRET_HERE\n";
        let m = apply(x, &scan(x));
        for leak in ["abcdefghijkl", "zzzzzzzz", "qqqqqqqq", "MIIEvQIBADAN"] {
            assert!(!m.contains(leak), "{leak}: {m}");
        }
        assert!(m.contains("INSERT_CLIENT_SECRET_HERE"), "{m}");
        // Code is not a value.
        let c = "c.client_secret = ENV.fetch('X')";
        assert_eq!(apply(c, &scan(c)), c);
        // Messages: shapes only, prose kept.
        assert_eq!(
            mask_message("the refresh token: expired; got '1//0gABCDEFGH'", &[]),
            "the refresh token: expired; got '1//0…'"
        );
    }

    /// build.rs reads the schemas with a line scanner; the table it makes must be the one the
    /// catalogues' real parse gives.
    #[test]
    fn the_build_time_name_table_is_the_catalogues() {
        let neutral: Vec<(String, bool, bool)> = crate::schema::neutral_keys()
            .iter()
            .map(|k| (k.name.clone(), k.secret, k.secret_userinfo))
            .collect();
        let mut keys: Vec<(String, Option<String>, bool)> = Vec::new();
        for lang in Lang::all() {
            for k in &lang.catalog().keys {
                for name in [Some(&k.key), k.env.as_ref(), k.property.as_ref()]
                    .into_iter()
                    .flatten()
                {
                    keys.push((name.clone(), k.neutral.clone(), k.secret));
                }
            }
        }
        let parsed = build_names(
            neutral.iter().map(|(n, a, b)| (n.as_str(), *a, *b)),
            keys.iter().map(|(n, t, s)| (n.as_str(), t.as_deref(), *s)),
        );
        let built = names();
        let sorted = |n: &Names| {
            let mut v: Vec<(String, Kind)> = n.secret.clone();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        };
        assert_eq!(sorted(&parsed), sorted(built));
        assert_eq!(parsed.plain, built.plain);
        assert!(built.secret.len() > 20 && built.plain.len() > 40);
        assert_eq!(generated::NEUTRAL.len(), neutral.len());
    }

    #[test]
    fn the_documented_url_template_is_no_secret() {
        let t = "Proxy must be a valid URI in the form protocol://user:pass@host:port";
        assert_eq!(mask_message(t, &[]), t);
        assert_eq!(
            mask_url_password("http://user:password@proxy.example.com:8080"),
            "http://user:password@proxy.example.com:8080"
        );
        // A real user or password is masked as before.
        assert_ne!(
            mask_url_password("http://user:s3cret-pw@proxy:8080"),
            "http://user:s3cret-pw@proxy:8080"
        );
        assert_ne!(
            mask_url_password("http://ops:password@proxy:8080"),
            "http://ops:password@proxy:8080"
        );
    }

    #[test]
    fn scan_stays_on_char_boundaries() {
        // fuzz/artifacts/check/crash-176be003…: a multi-byte character right before a URL's
        // scheme made the scheme start fall inside it.
        for t in [
            "\u{9d}x://u:password@h",
            "é://u:pw@h",
            "# see https://developers.google.com/\u{9d}://a:b@c\n",
            "key=\"\\é\" x=1//0abcdefgh",
            "clientSecret = \"é-long-secret-value\u{9d}\"\n",
        ] {
            let r = scan(t);
            for x in &r {
                assert!(
                    t.is_char_boundary(x.start) && t.is_char_boundary(x.end),
                    "{t:?} {r:?}"
                );
            }
            let _ = apply(t, &r);
            let _ = mask_text(t, &["é-long".into()]);
        }
        assert_eq!(
            apply("é://u:password1@h", &scan("é://u:password1@h")),
            "é://u:pass…@h"
        );
    }

    #[test]
    fn remote_text_loses_control_characters() {
        assert_eq!(
            clean_remote("bad \u{1b}[31mRED\u{1b}[0m \u{1b}]0;t\u{7}\r\nx\u{9b}y\u{202e}z"),
            "bad [31mRED[0m ]0;t  xyz"
        );
    }
}
