//! Percent-encoding, query strings and the authorization URL (oauth.md §3.1, §3.2).

use crate::api::ADWORDS_SCOPE;

/// Percent-encode everything but RFC 3986 unreserved characters.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decode a query component: `+` is a space, `%XX` a byte; invalid escapes stay as written.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len()
                && hex(bytes[i + 1]).is_some()
                && hex(bytes[i + 2]).is_some() =>
            {
                let hi = hex(bytes[i + 1]).unwrap_or(0);
                let lo = hex(bytes[i + 2]).unwrap_or(0);
                out.push((hi * 16 + lo) as u8);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parse `a=1&b=2` into decoded pairs, in order.
pub fn parse(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// `k=v&…` with both sides encoded.
pub fn build(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The first value of `key`.
pub fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The scope list: adwords first, then extras (deduplicated), space-separated.
pub fn scopes(extra: &[String]) -> String {
    let mut v: Vec<&str> = vec![ADWORDS_SCOPE];
    for s in extra.iter().flat_map(|s| s.split_whitespace()) {
        if !v.contains(&s) {
            v.push(s);
        }
    }
    v.join(" ")
}

/// Everything the authorization URL carries.
pub struct AuthRequest<'a> {
    pub auth_uri: &'a str,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub scope: &'a str,
    pub state: &'a str,
    pub code_challenge: &'a str,
}

/// The authorization URL (oauth.md §3.1): `response_type=code`, `access_type=offline`,
/// `prompt=consent`, PKCE S256.
pub fn authorization_url(r: &AuthRequest<'_>) -> String {
    let q = build(&[
        ("response_type", "code"),
        ("client_id", r.client_id),
        ("redirect_uri", r.redirect_uri),
        ("scope", r.scope),
        ("access_type", "offline"),
        ("prompt", "consent"),
        ("state", r.state),
        ("code_challenge", r.code_challenge),
        ("code_challenge_method", "S256"),
    ]);
    let sep = if r.auth_uri.contains('?') { '&' } else { '?' };
    format!("{}{sep}{q}", r.auth_uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_handles_escapes_plus_and_garbage() {
        assert_eq!(decode("4%2F0AeanS"), "4/0AeanS");
        assert_eq!(decode("a+b%20c"), "a b c");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("%C3%A9"), "é");
    }

    #[test]
    fn encode_roundtrips() {
        for s in [
            "4/0Ae-x_y.z~",
            "a b&c=d?e#f",
            "é€",
            "http://127.0.0.1:8080/x?y=1",
        ] {
            assert_eq!(decode(&encode(s)), s);
        }
        assert_eq!(encode("a b/c"), "a%20b%2Fc");
    }

    #[test]
    fn auth_url_has_every_parameter() {
        let url = authorization_url(&AuthRequest {
            auth_uri: "https://accounts.google.com/o/oauth2/v2/auth",
            client_id: "1-a.apps.googleusercontent.com",
            redirect_uri: "http://127.0.0.1:4242",
            scope: &scopes(&[
                "openid".into(),
                "https://www.googleapis.com/auth/adwords".into(),
            ]),
            state: "st",
            code_challenge: "ch",
        });
        let (base, q) = url.split_once('?').unwrap();
        assert_eq!(base, "https://accounts.google.com/o/oauth2/v2/auth");
        let p = parse(q);
        assert_eq!(get(&p, "response_type"), Some("code"));
        assert_eq!(get(&p, "redirect_uri"), Some("http://127.0.0.1:4242"));
        assert_eq!(
            get(&p, "scope"),
            Some("https://www.googleapis.com/auth/adwords openid")
        );
        assert_eq!(get(&p, "access_type"), Some("offline"));
        assert_eq!(get(&p, "prompt"), Some("consent"));
        assert_eq!(get(&p, "state"), Some("st"));
        assert_eq!(get(&p, "code_challenge"), Some("ch"));
        assert_eq!(get(&p, "code_challenge_method"), Some("S256"));
    }
}
