//! The client secrets JSON (`client_secret_<id>.apps.googleusercontent.com.json`):
//! one top-level object `installed` (Desktop app) or `web` (Web application).

use std::path::Path;

use serde_json::Value as Json;

use crate::error::{Error, Result};

/// Google's authorization endpoint when the file names none.
pub const DEFAULT_AUTH_URI: &str = "https://accounts.google.com/o/oauth2/v2/auth";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    /// `installed`: Desktop app (any loopback port is accepted by Google).
    Installed,
    /// `web`: Web application (the redirect URI must be registered exactly).
    Web,
}

impl ClientKind {
    pub fn json_key(self) -> &'static str {
        match self {
            ClientKind::Installed => "installed",
            ClientKind::Web => "web",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSecrets {
    pub kind: ClientKind,
    pub client_id: String,
    pub client_secret: String,
    pub auth_uri: String,
    pub token_uri: String,
    pub redirect_uris: Vec<String>,
}

/// Read and check a client secrets file.
pub fn load(path: &Path) -> Result<ClientSecrets> {
    let text = crate::source::read_text(path, "an OAuth client secrets file (JSON)")?;
    parse(&text, &path.display().to_string())
}

/// Parse the JSON text of a client secrets file named `name` (for messages).
pub fn parse(text: &str, name: &str) -> Result<ClientSecrets> {
    let json: Json = serde_json::from_str(text).map_err(|e| {
        Error::usage(format!(
            "{name}:{}:{}: not valid JSON ({e}); download the client secrets file again from the Cloud console (APIs & Services > Credentials > your OAuth client > Download JSON)",
            e.line(),
            e.column()
        ))
    })?;
    let obj = json.as_object().ok_or_else(|| {
        Error::usage(format!(
            "{name} is not a client secrets file (expected a JSON object with `installed` or `web`)"
        ))
    })?;
    if obj.get("type").and_then(Json::as_str) == Some("service_account") {
        return Err(Error::usage(format!(
            "{name} is a service-account key, not an OAuth client: a service account needs no refresh token. \
             Put its path in your config as json_key_file_path (and check it with `adsconf verify`), \
             or download an OAuth client of type Desktop app for `adsconf auth`"
        )));
    }
    if obj.get("type").and_then(Json::as_str) == Some("authorized_user") {
        return Err(Error::usage(format!(
            "{name} already holds user credentials (type authorized_user, e.g. from gcloud); \
             `adsconf auth` needs the OAuth client file downloaded from the Cloud console (APIs & Services > Credentials)"
        )));
    }
    let (kind, inner) = if let Some(v) = obj.get("installed") {
        (ClientKind::Installed, v)
    } else if let Some(v) = obj.get("web") {
        (ClientKind::Web, v)
    } else {
        let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        return Err(Error::usage(format!(
            "{name} has no `installed` or `web` client (top-level keys: {}); download the OAuth client JSON \
             of a Desktop app client from the Cloud console (APIs & Services > Credentials)",
            if keys.is_empty() { "none".to_string() } else { keys.join(", ") }
        )));
    };
    let field = |k: &str| -> Option<String> {
        inner
            .get(k)
            .and_then(Json::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let kind_key = kind.json_key();
    let client_id = field("client_id").ok_or_else(|| {
        Error::usage(format!(
            "{name}: `{kind_key}.client_id` is missing; download the client secrets file again"
        ))
    })?;
    let client_secret = field("client_secret").ok_or_else(|| {
        Error::usage(format!(
            "{name}: `{kind_key}.client_secret` is missing; Google requires it even with PKCE. \
             Download the client secrets file again (Credentials > your client > Download JSON)"
        ))
    })?;
    let auth_uri = field("auth_uri").unwrap_or_else(|| DEFAULT_AUTH_URI.to_string());
    let token_uri = field("token_uri").unwrap_or_else(|| crate::api::DEFAULT_TOKEN_URI.to_string());
    crate::api::check_url(&auth_uri, &format!("{name}: auth_uri"))?;
    crate::api::check_url(&token_uri, &format!("{name}: token_uri"))?;
    let redirect_uris = inner
        .get("redirect_uris")
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Json::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Ok(ClientSecrets {
        kind,
        client_id,
        client_secret,
        auth_uri,
        token_uri,
        redirect_uris,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installed_and_web() {
        let s = parse(
            r#"{"installed":{"client_id":"1-a.apps.googleusercontent.com","client_secret":"GOCSPX-x","auth_uri":"https://accounts.google.com/o/oauth2/auth","token_uri":"https://oauth2.googleapis.com/token","redirect_uris":["http://localhost"]}}"#,
            "c.json",
        )
        .unwrap();
        assert_eq!(s.kind, ClientKind::Installed);
        assert_eq!(s.redirect_uris, vec!["http://localhost"]);
        let w = parse(r#"{"web":{"client_id":"1","client_secret":"s"}}"#, "c.json").unwrap();
        assert_eq!(w.kind, ClientKind::Web);
        assert_eq!(w.auth_uri, DEFAULT_AUTH_URI);
        assert!(w.redirect_uris.is_empty());
    }

    #[test]
    fn wrong_files_get_a_sentence() {
        let sa = parse(r#"{"type":"service_account","private_key":"x"}"#, "k.json").unwrap_err();
        assert!(sa.message.contains("service-account key"), "{}", sa.message);
        let other = parse(r#"{"foo":{}}"#, "c.json").unwrap_err();
        assert!(other.message.contains("no `installed` or `web`"));
        assert!(other.message.contains("foo"));
        let bad = parse("{", "c.json").unwrap_err();
        assert!(bad.message.starts_with("c.json:1:"), "{}", bad.message);
        let nosecret = parse(r#"{"installed":{"client_id":"1"}}"#, "c.json").unwrap_err();
        assert!(nosecret.message.contains("client_secret"));
        let http = parse(
            r#"{"installed":{"client_id":"1","client_secret":"s","token_uri":"http://example.com/token"}}"#,
            "c.json",
        )
        .unwrap_err();
        assert!(http.message.contains("non-loopback"), "{}", http.message);
    }
}
