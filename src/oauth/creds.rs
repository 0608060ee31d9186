//! Credentials from a config's settings, and an access token from them (user flow:
//! refresh_token grant; service account: RS256 JWT assertion). Shared by `verify` and
//! `access --live`; explanations of Google Ads API failures.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::api::{self, ADWORDS_SCOPE, DEFAULT_TOKEN_URI};
use crate::error::{Error, Result};
use crate::model::{Settings, Value};
use crate::oauth::{adc, errors, jwt, token};

/// The credentials a config holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    User {
        client_id: String,
        client_secret: String,
        refresh_token: String,
    },
    ServiceAccount {
        key_file: PathBuf,
        impersonated_email: Option<String>,
    },
    /// Application Default Credentials: where they were found and what they hold.
    Adc {
        location: adc::AdcLocation,
        inner: Box<Credentials>,
    },
}

impl Credentials {
    /// Who these credentials are, for the first line of `verify` (no secret).
    pub fn describe(&self) -> String {
        match self {
            Credentials::User { client_id, .. } => {
                format!("OAuth user credentials (client_id {client_id})")
            }
            Credentials::ServiceAccount {
                key_file,
                impersonated_email,
            } => {
                let as_whom = impersonated_email
                    .as_deref()
                    .map(|e| format!(" impersonating {e}"))
                    .unwrap_or_default();
                match jwt::load_key(key_file) {
                    Ok(k) => format!("service account {}{as_whom}", k.client_email),
                    Err(_) => format!("service account key {}{as_whom}", key_file.display()),
                }
            }
            Credentials::Adc { location, inner } => format!(
                "Application Default Credentials {} (from {}): {}",
                location.path.display(),
                location.source,
                inner.describe()
            ),
        }
    }

    /// The token endpoint the credentials name themselves (a key file's `token_uri`).
    pub fn token_uri(&self) -> Option<String> {
        match self {
            Credentials::User { .. } => None,
            Credentials::ServiceAccount { key_file, .. } => {
                jwt::load_key(key_file).ok().and_then(|k| k.token_uri)
            }
            Credentials::Adc { inner, .. } => inner.token_uri(),
        }
    }

    /// Read the key file the credentials name (an error of use when it cannot be read or is
    /// not a key), before anything goes over the network. `name` is the config, for messages.
    pub fn check_files(&self, name: &str) -> Result<()> {
        match self {
            Credentials::ServiceAccount { key_file, .. } => jwt::load_key(key_file)
                .map(|_| ())
                .map_err(|e| Error::usage(format!("{} (json_key_file_path in {name})", e.message))),
            Credentials::Adc { inner, .. } => inner.check_files(name),
            Credentials::User { .. } => Ok(()),
        }
    }

    /// The user credentials, through ADC too.
    pub fn user(&self) -> Option<(&str, &str, &str)> {
        match self {
            Credentials::User {
                client_id,
                client_secret,
                refresh_token,
            } => Some((client_id, client_secret, refresh_token)),
            Credentials::Adc { inner, .. } => inner.user(),
            Credentials::ServiceAccount { .. } => None,
        }
    }
}

/// The credentials Application Default Credentials would give a library (`env` reads the
/// environment). Missing or unusable ADC is an error of use with the next step.
pub fn adc_credentials(env: &dyn Fn(&str) -> Option<String>) -> Result<Credentials> {
    let Some(location) = adc::locate(env) else {
        let wk = adc::well_known_path(env)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "~/.config/gcloud/application_default_credentials.json".into());
        return Err(Error::usage(format!(
            "use_application_default_credentials is set, but there are no Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS is not set and {wk} does not exist. Create them with `adsconf auth --adc --client-secrets FILE` (or `gcloud auth application-default login --scopes=https://www.googleapis.com/auth/adwords,https://www.googleapis.com/auth/cloud-platform`)"
        )));
    };
    let inner = match adc::load(&location)? {
        adc::AdcFile::AuthorizedUser {
            client_id,
            client_secret,
            refresh_token,
            ..
        } => Credentials::User {
            client_id,
            client_secret,
            refresh_token,
        },
        adc::AdcFile::ServiceAccount(_) => Credentials::ServiceAccount {
            key_file: location.path.clone(),
            impersonated_email: None,
        },
        adc::AdcFile::Other(t) => {
            return Err(Error::usage(format!(
                "the Application Default Credentials {} (from {}) are of type `{t}`, which adsconf cannot check; check them with `gcloud auth application-default print-access-token`",
                location.path.display(),
                location.source
            )))
        }
    };
    Ok(Credentials::Adc {
        location,
        inner: Box::new(inner),
    })
}

pub fn nonempty(s: &Settings, k: &str) -> Option<String> {
    s.get(k)
        .map(Value::to_text)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// Which credentials `settings` (read from `name`) hold; bad or incomplete input is exit 2.
pub fn credentials(settings: &Settings, name: &str, config_dir: &Path) -> Result<Credentials> {
    if matches!(
        settings.get("use_application_default_credentials"),
        Some(Value::Bool(true))
    ) {
        settings.check_single_auth_mode()?;
        return adc_credentials(&|k| std::env::var(k).ok());
    }
    let user: Vec<Option<String>> = ["client_id", "client_secret", "refresh_token"]
        .iter()
        .map(|k| nonempty(settings, k))
        .collect();
    let key_file = nonempty(settings, "json_key_file_path");
    if user.iter().any(Option::is_some) {
        settings.check_single_auth_mode()?;
        let missing: Vec<&str> = ["client_id", "client_secret", "refresh_token"]
            .iter()
            .zip(&user)
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| *k)
            .collect();
        if !missing.is_empty() {
            return Err(Error::usage(format!(
                "{name} lacks {} for the OAuth user flow; run `adsconf auth --client-secrets FILE --write {name}` to set all three together",
                missing.join(", ")
            )));
        }
        let mut it = user.into_iter().flatten();
        return Ok(Credentials::User {
            client_id: it.next().unwrap_or_default(),
            client_secret: it.next().unwrap_or_default(),
            refresh_token: it.next().unwrap_or_default(),
        });
    }
    if let Some(k) = key_file {
        let p = PathBuf::from(&k);
        // Libraries open the path as given (relative to the working directory); fall back to
        // the config's directory so `verify dir/google-ads.yaml` works from elsewhere.
        let key_file = if p.is_relative() && !p.exists() && config_dir.join(&p).exists() {
            config_dir.join(&p)
        } else {
            p
        };
        return Ok(Credentials::ServiceAccount {
            key_file,
            impersonated_email: nonempty(settings, "impersonated_email"),
        });
    }
    Err(Error::usage(format!(
        "{name} holds no credentials (neither client_id/client_secret/refresh_token nor json_key_file_path); run `adsconf auth --client-secrets FILE --write {name}`"
    )))
}

/// Google Ads error codes in a REST error body: `errorCode` values of a GoogleAdsFailure,
/// `ErrorInfo` reasons, the RPC status.
pub fn api_error_codes(body: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    let err = &body["error"];
    if let Some(details) = err["details"].as_array() {
        for d in details {
            if let Some(r) = d["reason"].as_str() {
                out.push(r.to_string());
            }
            for e in d["errors"].as_array().into_iter().flatten() {
                if let Some(obj) = e["errorCode"].as_object() {
                    out.extend(obj.values().filter_map(|v| v.as_str()).map(str::to_string));
                }
            }
        }
    }
    if let Some(m) = err["message"].as_str() {
        if m.contains("has not been used in project") || m.contains("it is disabled") {
            out.push("SERVICE_DISABLED".into());
        }
    }
    if let Some(s) = err["status"].as_str() {
        out.push(s.to_string());
    }
    out
}

/// Explain a failed API answer (masked).
pub fn explain_api_failure(url: &str, reply: &api::Reply, secrets: &[String]) -> String {
    let codes = api_error_codes(&reply.body);
    let message = reply.body["error"]["message"]
        .as_str()
        .map(|m| token::excerpt(m, secrets))
        .unwrap_or_else(|| token::excerpt(&reply.text, secrets));
    let head = format!("{url} answered HTTP {}", reply.status);
    match errors::best(codes.iter().map(String::as_str)) {
        Some(k) => format!(
            "{head}: {} ({}). Google says: \"{message}\". To fix: {}",
            k.what, k.code, k.fix
        ),
        None => format!(
            "{head}{}: \"{message}\"",
            if codes.is_empty() {
                String::new()
            } else {
                format!(" ({})", codes.join(", "))
            }
        ),
    }
}

fn token_uri_of(c: &Credentials, given: Option<&str>) -> String {
    given
        .map(str::to_string)
        .or_else(|| c.token_uri())
        .unwrap_or_else(|| DEFAULT_TOKEN_URI.to_string())
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// An access token and who it is for (never print `token`).
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub token: String,
    /// "OAuth user credentials (client_id …)" or "service account … impersonating …".
    pub who: String,
    /// The token endpoint used.
    pub token_uri: String,
    /// Secrets seen on the way (the JWT assertion), to mask in messages.
    pub secrets: Vec<String>,
}

/// Obtain an access token for `creds`. `token_uri` overrides the endpoint (tests,
/// emulators); `name` is the config, for messages.
pub fn access_token(
    creds: &Credentials,
    token_uri: Option<&str>,
    name: &str,
) -> Result<AccessToken> {
    let mut secrets = Vec::new();
    if let Credentials::Adc { location, inner } = creds {
        let mut at = access_token(inner, token_uri, name)?;
        at.who = format!(
            "Application Default Credentials {} (from {}): {}",
            location.path.display(),
            location.source,
            at.who
        );
        return Ok(at);
    }
    let (who, token_uri, tokens) = match creds {
        Credentials::User {
            client_id,
            client_secret,
            refresh_token,
        } => {
            let token_uri = token_uri
                .map(str::to_string)
                .unwrap_or_else(|| DEFAULT_TOKEN_URI.to_string());
            let t = token::refresh(&token_uri, client_id, client_secret, refresh_token)?;
            (
                format!("OAuth user credentials (client_id {client_id})"),
                token_uri,
                t,
            )
        }
        Credentials::ServiceAccount {
            key_file,
            impersonated_email,
        } => {
            let key = jwt::load_key(key_file).map_err(|e| {
                Error::usage(format!("{} (json_key_file_path in {name})", e.message))
            })?;
            let token_uri = token_uri
                .map(str::to_string)
                .or_else(|| key.token_uri.clone())
                .unwrap_or_else(|| DEFAULT_TOKEN_URI.to_string());
            api::check_url(&token_uri, &format!("token_uri of {}", key_file.display()))?;
            let claims = jwt::claims(
                &key,
                &token_uri,
                ADWORDS_SCOPE,
                impersonated_email.as_deref(),
                now(),
            );
            let assertion = jwt::sign(&key, &claims, &key_file.display().to_string())?;
            secrets.push(assertion.clone());
            let t = token::jwt_bearer(&token_uri, &assertion)?;
            let as_whom = impersonated_email
                .as_deref()
                .map(|e| format!(" impersonating {e}"))
                .unwrap_or_default();
            (
                format!("service account {}{as_whom}", key.client_email),
                token_uri,
                t,
            )
        }
        Credentials::Adc { inner, .. } => {
            return access_token(inner, Some(&token_uri_of(inner, token_uri)), name)
        }
    };
    Ok(AccessToken {
        token: tokens.access_token.unwrap_or_default(),
        who,
        token_uri,
        secrets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, Value)]) -> Settings {
        let mut s = Settings::default();
        for (k, v) in pairs {
            s.set(k, v.clone());
        }
        s
    }

    #[test]
    fn which_credentials() {
        let d = Path::new(".");
        let s = settings(&[
            ("client_id", Value::Str("i".into())),
            ("client_secret", Value::Str("s".into())),
            ("refresh_token", Value::Str("r".into())),
        ]);
        assert!(matches!(
            credentials(&s, "c", d).unwrap(),
            Credentials::User { .. }
        ));
        let s = settings(&[("client_id", Value::Str("i".into()))]);
        let e = credentials(&s, "c", d).unwrap_err();
        assert_eq!(e.code(), 2);
        assert!(e.message.contains("client_secret, refresh_token"));
        let s = settings(&[("json_key_file_path", Value::Str("k.json".into()))]);
        assert!(matches!(
            credentials(&s, "c", d).unwrap(),
            Credentials::ServiceAccount { .. }
        ));
        let e = adc_credentials(&|k| match k {
            "HOME" => Some("/nonexistent-home".into()),
            _ => None,
        })
        .unwrap_err();
        assert!(e.message.contains("auth --adc"), "{}", e.message);
        assert!(credentials(&Settings::default(), "c", d).is_err());
    }

    #[test]
    fn api_codes_are_found_everywhere() {
        let body: serde_json::Value = serde_json::from_str(
            r#"{"error":{"code":403,"message":"Google Ads API has not been used in project 1 before or it is disabled.","status":"PERMISSION_DENIED",
            "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED"},
                       {"@type":"type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure","errors":[{"errorCode":{"authorizationError":"USER_PERMISSION_DENIED"}}]}]}}"#,
        )
        .unwrap();
        let codes = api_error_codes(&body);
        assert!(codes.contains(&"SERVICE_DISABLED".to_string()));
        assert!(codes.contains(&"USER_PERMISSION_DENIED".to_string()));
        assert!(codes.contains(&"PERMISSION_DENIED".to_string()));
    }
}
