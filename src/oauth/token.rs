//! Token endpoint calls (oauth.md §3.3, §3.4) and how their answers are read.

use std::time::Duration;

use crate::api::{self, Reply};
use crate::error::{Error, Result};
use crate::mask::mask_text;
use crate::oauth::errors;

/// What a successful token answer holds (secrets included: never print them).
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    pub access_token: Option<String>,
    pub refresh_token: Option<String>,
    pub scope: Option<String>,
    /// Present for time-limited grants (a Testing-mode consent screen gives 7 days).
    pub refresh_token_expires_in: Option<u64>,
}

const HTTP_TIMEOUT: Duration = Duration::from_secs(30);

fn str_field(body: &serde_json::Value, k: &str) -> Option<String> {
    body.get(k)
        .and_then(serde_json::Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A short, masked excerpt of a body for messages.
pub fn excerpt(text: &str, secrets: &[String]) -> String {
    let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let t = mask_text(&t, secrets);
    if t.chars().count() > 300 {
        format!("{}…", t.chars().take(300).collect::<String>())
    } else {
        t
    }
}

/// Read a token endpoint answer: the tokens, or an error explaining it (exit 1).
/// `secrets` are masked in anything echoed from the body.
pub fn read_answer(url: &str, reply: &Reply, secrets: &[String]) -> Result<Tokens> {
    let mut all_secrets = secrets.to_vec();
    for k in ["access_token", "refresh_token", "id_token"] {
        if let Some(s) = str_field(&reply.body, k) {
            all_secrets.push(s);
        }
    }
    all_secrets.retain(|s| s.chars().count() >= 4);
    all_secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    if let Some(code) = str_field(&reply.body, "error") {
        let desc = str_field(&reply.body, "error_description").map(|d| mask_text(&d, &all_secrets));
        return Err(Error::refused(format!(
            "the token endpoint {url} refused (HTTP {}): {}",
            reply.status,
            errors::explain(&code, desc.as_deref())
        )));
    }
    if !(200..300).contains(&reply.status) {
        return Err(Error::refused(format!(
            "the token endpoint {url} answered HTTP {} without an OAuth error code: {}",
            reply.status,
            excerpt(&reply.text, &all_secrets)
        )));
    }
    let tokens = Tokens {
        access_token: str_field(&reply.body, "access_token"),
        refresh_token: str_field(&reply.body, "refresh_token"),
        scope: str_field(&reply.body, "scope"),
        refresh_token_expires_in: reply.body.get("refresh_token_expires_in").and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        }),
    };
    if tokens.access_token.is_none() {
        return Err(Error::refused(format!(
            "the token endpoint {url} answered without an access token: {}",
            excerpt(&reply.text, &all_secrets)
        )));
    }
    Ok(tokens)
}

/// Exchange an authorization code (decoded) for tokens.
pub struct CodeExchange<'a> {
    pub token_uri: &'a str,
    pub code: &'a str,
    pub redirect_uri: &'a str,
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub code_verifier: &'a str,
}

pub fn exchange_code(x: &CodeExchange<'_>) -> Result<Tokens> {
    let agent = api::agent(HTTP_TIMEOUT);
    let reply = api::post_form(
        &agent,
        x.token_uri,
        &[
            ("grant_type", "authorization_code"),
            ("code", x.code),
            ("redirect_uri", x.redirect_uri),
            ("client_id", x.client_id),
            ("client_secret", x.client_secret),
            ("code_verifier", x.code_verifier),
        ],
    )?;
    read_answer(
        x.token_uri,
        &reply,
        // The PKCE verifier is as secret as the code: never echoed from an answer.
        &[
            x.code.to_string(),
            x.client_secret.to_string(),
            x.code_verifier.to_string(),
        ],
    )
}

/// The refresh_token grant: a fresh access token.
pub fn refresh(
    token_uri: &str,
    client_id: &str,
    client_secret: &str,
    refresh_token: &str,
) -> Result<Tokens> {
    let agent = api::agent(HTTP_TIMEOUT);
    let reply = api::post_form(
        &agent,
        token_uri,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", client_id),
            ("client_secret", client_secret),
        ],
    )?;
    read_answer(
        token_uri,
        &reply,
        &[refresh_token.to_string(), client_secret.to_string()],
    )
}

/// The jwt-bearer grant for a service account.
pub fn jwt_bearer(token_uri: &str, assertion: &str) -> Result<Tokens> {
    let agent = api::agent(HTTP_TIMEOUT);
    let reply = api::post_form(
        &agent,
        token_uri,
        &[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", assertion),
        ],
    )?;
    read_answer(token_uri, &reply, &[assertion.to_string()])
}

/// What Google's tokeninfo endpoint says about an access token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenInfo {
    /// Space-separated scopes.
    pub scope: Option<String>,
    pub expires_in: Option<u64>,
    /// The OAuth client the token was issued to.
    pub azp: Option<String>,
    /// Present only with the `email` scope.
    pub email: Option<String>,
}

/// The tokeninfo endpoint next to `token_uri`: Google's for Google's token endpoints, else
/// the sibling path `tokeninfo` (emulators, tests).
pub fn tokeninfo_url(token_uri: &str) -> String {
    let host = token_uri
        .split_once("://")
        .map(|(_, r)| r.split(['/', '?', '#', ':']).next().unwrap_or(""))
        .unwrap_or("")
        .to_ascii_lowercase();
    if host.ends_with("googleapis.com") || host.ends_with("google.com") {
        return "https://oauth2.googleapis.com/tokeninfo".into();
    }
    match token_uri.rsplit_once('/') {
        Some((base, _))
            if base.contains("://") && base.split("://").nth(1).is_some_and(|r| !r.is_empty()) =>
        {
            format!("{base}/tokeninfo")
        }
        _ => format!("{}/tokeninfo", token_uri.trim_end_matches('/')),
    }
}

/// Ask the tokeninfo endpoint about `access_token` (sent in a form body, not in the URL).
/// `Err` is a short reason (the check is informative; callers go on without it).
pub fn tokeninfo(
    agent: &ureq::Agent,
    url: &str,
    access_token: &str,
) -> std::result::Result<TokenInfo, String> {
    let reply =
        api::post_form(agent, url, &[("access_token", access_token)]).map_err(|e| e.message)?;
    if !(200..300).contains(&reply.status) {
        let why = str_field(&reply.body, "error_description")
            .or_else(|| str_field(&reply.body, "error"))
            .unwrap_or_default();
        return Err(format!("{url} answered HTTP {} {why}", reply.status)
            .trim()
            .to_string());
    }
    let num = |k: &str| {
        reply.body.get(k).and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
    };
    Ok(TokenInfo {
        scope: str_field(&reply.body, "scope"),
        expires_in: num("expires_in"),
        azp: str_field(&reply.body, "azp").or_else(|| str_field(&reply.body, "aud")),
        email: str_field(&reply.body, "email"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, text: &str) -> Reply {
        Reply {
            status,
            body: serde_json::from_str(text).unwrap_or(serde_json::Value::Null),
            text: text.to_string(),
            retry_after: None,
        }
    }

    #[test]
    fn errors_are_explained_and_masked() {
        let e = read_answer(
            "u",
            &reply(
                400,
                r#"{"error":"invalid_grant","error_description":"Bad code 4/SECRETCODE"}"#,
            ),
            &["4/SECRETCODE".into()],
        )
        .unwrap_err();
        assert_eq!(e.code(), 1);
        assert!(e.message.contains("invalid_grant"));
        assert!(!e.message.contains("SECRETCODE"), "{}", e.message);
        let e = read_answer("u", &reply(502, "<html>bad gateway</html>"), &[]).unwrap_err();
        assert!(e.message.contains("HTTP 502"));
    }

    #[test]
    fn tokeninfo_lives_next_to_the_token_endpoint() {
        assert_eq!(
            tokeninfo_url("https://oauth2.googleapis.com/token"),
            "https://oauth2.googleapis.com/tokeninfo"
        );
        assert_eq!(
            tokeninfo_url("https://accounts.google.com/o/oauth2/token"),
            "https://oauth2.googleapis.com/tokeninfo"
        );
        assert_eq!(
            tokeninfo_url("http://127.0.0.1:9/token"),
            "http://127.0.0.1:9/tokeninfo"
        );
    }

    #[test]
    fn tokens_are_read() {
        let t = read_answer(
            "u",
            &reply(
                200,
                r#"{"access_token":"ya29.x","refresh_token":"1//r","scope":"s","refresh_token_expires_in":604799}"#,
            ),
            &[],
        )
        .unwrap();
        assert_eq!(t.refresh_token.as_deref(), Some("1//r"));
        assert_eq!(t.refresh_token_expires_in, Some(604799));
        let e = read_answer("u", &reply(200, r#"{"token_type":"Bearer"}"#), &[]).unwrap_err();
        assert!(e.message.contains("without an access token"));
    }
}
