//! The neutral settings model (CONTRACT §2): one value per neutral key name.
//!
//! Values come from `adsconf.toml`, from `GOOGLE_ADS_*` environment variables, or from any
//! supported library config (through its parser and [`normalize`]). Several sources merge
//! left to right, later wins.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::schema::{self, AuthMode, KeyType};

/// A typed value, as a format's real parser types it (CONTRACT §3 `show --format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A bare identifier the format evaluates to something that is not a string
    /// (Ruby `STDOUT`, C# `OAuth2Flow.APPLICATION`); serialised as its text.
    Symbol(String),
    /// Structured data (Python `logging` mapping).
    Json(serde_json::Value),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) | Value::Symbol(s) => Some(s),
            _ => None,
        }
    }

    /// The value as text, the way a string-typed key would carry it.
    pub fn to_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Str(s) | Value::Symbol(s) => s.clone(),
            Value::Json(j) => j.to_string(),
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

/// The value as shown to a user: masked when the neutral key is secret, or the value has a
/// secret's shape (a refresh token pasted as the client id), unless `reveal` (see [`mask`]).
///
/// [`mask`]: crate::mask
pub fn display_value(neutral_name: &str, value: &Value, reveal: bool) -> Value {
    if reveal {
        return value.clone();
    }
    let secret = schema::neutral(neutral_name).is_some_and(|k| k.secret);
    match value {
        Value::Null | Value::Bool(_) => value.clone(),
        Value::Str(s) => Value::Str(crate::mask::shown(neutral_name, s)),
        other if secret => Value::Str(crate::mask::mask(&other.to_text())),
        other => other.clone(),
    }
}

/// The neutral settings: neutral key name → value.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Settings {
    pub values: BTreeMap<String, Value>,
}

impl Settings {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.values.get(key).and_then(Value::as_str)
    }

    pub fn set(&mut self, key: &str, value: Value) {
        self.values.insert(key.to_string(), value);
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Merge `other` over `self` (later wins).
    pub fn merge(&mut self, other: Settings) {
        self.values.extend(other.values);
    }

    /// Keys in catalogue order.
    pub fn ordered(&self) -> Vec<(&str, &Value)> {
        let mut v: Vec<_> = self.values.iter().map(|(k, v)| (k.as_str(), v)).collect();
        v.sort_by_key(|(k, _)| schema::neutral_order(k));
        v
    }

    /// Which credential families have at least one key set.
    pub fn auth_keys(&self, mode: AuthMode) -> Vec<&str> {
        self.ordered()
            .into_iter()
            .filter(|(k, v)| {
                schema::neutral(k).and_then(|n| n.auth) == Some(mode)
                    && !matches!(v, Value::Null | Value::Bool(false))
            })
            .map(|(k, _)| k)
            .collect()
    }

    /// Refuse a model holding both OAuth user credentials and service-account credentials
    /// (Java and PHP reject such files at load time).
    pub fn check_single_auth_mode(&self) -> Result<()> {
        let user = self.auth_keys(AuthMode::User);
        let sa = self.auth_keys(AuthMode::ServiceAccount);
        if !user.is_empty() && !sa.is_empty() {
            return Err(Error::usage(format!(
                "the settings hold both OAuth user credentials ({}) and service-account credentials ({}); \
                 google-ads-java and google-ads-php reject such a file. Drop {} to use the service account, or {} to use the user flow",
                user.join(", "),
                sa.join(", "),
                user.join(", "),
                sa.join(", ")
            )));
        }
        Ok(())
    }

    /// Refuse values no format can carry faithfully: a newline anywhere.
    pub fn check_no_newlines(&self) -> Result<()> {
        for (k, v) in self.ordered() {
            if let Value::Str(s) = v {
                if s.contains('\n') {
                    return Err(Error::usage(format!(
                        "the value of `{k}` contains a newline, which no configuration format can carry faithfully; remove it"
                    )));
                }
            }
        }
        Ok(())
    }
}

/// Did you mean…? The closest candidate within a small edit distance.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lw = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (levenshtein(&lw, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

pub use crate::mask::levenshtein;

/// Convert a value read by a library into the neutral model's type for that key, following
/// how the library interprets it (`reads` in the catalogue). `None`: the library would treat
/// the key as unset.
pub fn normalize(neutral_name: &str, value: &Value, reads: &str) -> Option<Value> {
    let ty = schema::neutral(neutral_name)
        .map(|k| k.ty)
        .unwrap_or(KeyType::String);
    if matches!(value, Value::Null) {
        return None;
    }
    Some(match ty {
        KeyType::String | KeyType::CustomerId => match value {
            Value::Bool(true) => Value::Str("1".into()),
            Value::Bool(false) => Value::Str(String::new()),
            other => Value::Str(other.to_text()),
        },
        KeyType::Bool => match value {
            Value::Bool(b) => Value::Bool(*b),
            // Ruby: everything but nil and false is true, 0 and "" included.
            _ if reads == "bool_truthy" => Value::Bool(true),
            Value::Int(i) => Value::Bool(*i != 0),
            other => {
                let s = other.to_text();
                let l = s.trim().to_ascii_lowercase();
                Value::Bool(match reads {
                    "bool_java" | "bool_dotnet" => l == "true",
                    "bool_filter_var" => matches!(l.as_str(), "1" | "true" | "on" | "yes"),
                    "bool_strtobool" | "bool_string" => {
                        matches!(l.as_str(), "y" | "yes" | "t" | "true" | "on" | "1")
                    }
                    // Truthiness of a string: any non-empty string is true.
                    _ => !s.is_empty(),
                })
            }
        },
        KeyType::Int => match value {
            Value::Int(i) => Value::Int(*i),
            other => match other.to_text().trim().parse::<i64>() {
                Ok(i) => Value::Int(i),
                Err(_) => Value::Str(other.to_text()),
            },
        },
        KeyType::Json => match value {
            Value::Json(j) => Value::Json(j.clone()),
            other => match serde_json::from_str(&other.to_text()) {
                Ok(j) => Value::Json(j),
                Err(_) => Value::Str(other.to_text()),
            },
        },
    })
}

/// Load a neutral `adsconf.toml`.
pub fn load_toml(path: &Path) -> Result<Settings> {
    let bytes = crate::source::read_bytes(path)?;
    let src = crate::source::decode(Some(path), bytes, crate::source::Encoding::Utf8)?;
    parse_toml(&src)
}

/// Parse the text of an `adsconf.toml`.
pub fn parse_toml(src: &crate::source::Source) -> Result<Settings> {
    let name = src.name();
    let table: toml::Table = toml::from_str(&src.text).map_err(|e| {
        let line = e.span().map(|s| src.line_col(s.start).0).unwrap_or(1);
        Error::usage(format!("{name}:{line}: not valid TOML: {}", e.message()))
    })?;
    let line_of = |key: &str| -> usize {
        src.text
            .lines()
            .position(|l| l.trim_start().starts_with(key))
            .map(|i| i + 1)
            .unwrap_or(1)
    };
    let mut settings = Settings::default();
    for (k, v) in table {
        // `[check]` holds `adsconf check`'s project settings (crate::lint::Flags), not a setting.
        if k == "check" && v.is_table() {
            continue;
        }
        let line = line_of(&k);
        let Some(key) = schema::neutral(&k) else {
            let hint = nearest(&k, schema::neutral_keys().iter().map(|n| n.name.as_str()))
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_else(|| {
                    "; `adsconf rules` and the README list the neutral names".into()
                });
            return Err(Error::usage(format!(
                "{name}:{line}: unknown setting `{k}`{hint}"
            )));
        };
        let value = match (key.ty, v) {
            (KeyType::String | KeyType::CustomerId, toml::Value::String(s)) => Value::Str(s),
            (KeyType::CustomerId, toml::Value::Integer(i)) => {
                return Err(Error::usage(format!(
                    "{name}:{line}: `{k}` must be a quoted string (\"{i}\"), so that leading zeros survive"
                )))
            }
            (KeyType::Bool, toml::Value::Boolean(b)) => Value::Bool(b),
            (KeyType::Int, toml::Value::Integer(i)) => Value::Int(i),
            (KeyType::Json, v @ toml::Value::Table(_)) => Value::Json(serde_json::to_value(v).unwrap_or_default()),
            (KeyType::Json, toml::Value::String(s)) => Value::Json(serde_json::from_str(&s).map_err(|e| {
                Error::usage(format!("{name}:{line}: `{k}` is not valid JSON: {e}"))
            })?),
            (ty, other) => {
                return Err(Error::usage(format!(
                    "{name}:{line}: `{k}` must be {}, not {}",
                    match ty {
                        KeyType::String | KeyType::CustomerId => "a string",
                        KeyType::Bool => "a boolean (true or false)",
                        KeyType::Int => "an integer",
                        KeyType::Json => "a table",
                    },
                    other.type_str()
                )))
            }
        };
        settings.set(&k, value);
    }
    Ok(settings)
}

/// The settings held by `GOOGLE_ADS_*` variables of an environment (`--from env`).
pub fn from_env_vars<'a>(vars: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Settings> {
    let cat = schema::catalog(crate::lang::Lang::Env);
    let mut settings = Settings::default();
    for (name, value) in vars {
        let Some(entry) = cat.find(None, name) else {
            continue;
        };
        let Some(neutral) = entry.neutral.as_deref() else {
            continue;
        };
        if entry.deprecated || settings.get(neutral).is_some() && !name.starts_with("GOOGLE_ADS_") {
            continue;
        }
        let ty = schema::neutral(neutral)
            .map(|k| k.ty)
            .unwrap_or(KeyType::String);
        let v = match ty {
            KeyType::Bool => match value.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" | "y" | "t" => Value::Bool(true),
                "false" | "0" | "no" | "off" | "n" | "f" => Value::Bool(false),
                _ => {
                    return Err(Error::usage(format!(
                        "environment variable {name}={value:?} is not a boolean; use true or false"
                    )))
                }
            },
            KeyType::Int => Value::Int(value.trim().parse().map_err(|_| {
                Error::usage(format!(
                    "environment variable {name}={value:?} is not an integer"
                ))
            })?),
            KeyType::Json => Value::Json(serde_json::from_str(value).map_err(|e| {
                Error::usage(format!(
                    "environment variable {name} is not valid JSON: {e}"
                ))
            })?),
            _ => Value::Str(value.to_string()),
        };
        settings.set(neutral, v);
    }
    Ok(settings)
}

/// The process environment's settings.
pub fn from_process_env() -> Result<Settings> {
    let vars: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    from_env_vars(vars.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    #[test]
    fn toml_types_checked() {
        let s = parse_toml(&Source::of(
            "login_customer_id = \"0123456789\"\nuse_proto_plus = true\n",
        ))
        .unwrap();
        assert_eq!(
            s.get("login_customer_id"),
            Some(&Value::Str("0123456789".into()))
        );
        let e = parse_toml(&Source::of("x = 1\n")).unwrap_err();
        assert!(e.message.contains("unknown setting `x`"), "{e}");
        let e = parse_toml(&Source::of("login_customer_id = 123\n")).unwrap_err();
        assert!(
            e.message.contains(":1:") && e.message.contains("quoted"),
            "{e}"
        );
        let e = parse_toml(&Source::of("client_secert = \"x\"\n")).unwrap_err();
        assert!(e.message.contains("did you mean `client_secret`"), "{e}");
        // `[check]` is check's project table, not a setting; a `check` value is still unknown.
        let s = parse_toml(&Source::of(
            "client_id = \"x\"\n[check]\nignore = [\"unknown-key\"]\n",
        ))
        .unwrap();
        assert_eq!(s.ordered(), vec![("client_id", &Value::Str("x".into()))]);
        assert!(parse_toml(&Source::of("check = 1\n")).is_err());
    }

    #[test]
    fn env_vars() {
        let s = from_env_vars([
            ("GOOGLE_ADS_LOGIN_CUSTOMER_ID", "0012345678"),
            ("USE_APPLICATION_DEFAULT_CREDENTIALS", "true"),
            ("HOME", "/x"),
        ])
        .unwrap();
        assert_eq!(s.get_str("login_customer_id"), Some("0012345678"));
        assert_eq!(
            s.get("use_application_default_credentials"),
            Some(&Value::Bool(true))
        );
        assert_eq!(s.values.len(), 2);
    }

    #[test]
    fn normalizes_per_library_reading() {
        assert_eq!(
            normalize(
                "login_customer_id",
                &Value::Int(1234567890),
                "int_or_string"
            ),
            Some(Value::Str("1234567890".into()))
        );
        assert_eq!(
            normalize(
                "use_application_default_credentials",
                &Value::Str("TRUE".into()),
                "bool_java"
            ),
            Some(Value::Bool(true))
        );
        assert_eq!(
            normalize(
                "use_application_default_credentials",
                &Value::Str("yes".into()),
                "bool_java"
            ),
            Some(Value::Bool(false))
        );
        assert_eq!(
            normalize(
                "use_cloud_org_for_api_access",
                &Value::Str("False".into()),
                "bool_truthy"
            ),
            Some(Value::Bool(true))
        );
        assert_eq!(normalize("developer_token", &Value::Null, "string"), None);
    }

    #[test]
    fn conflicting_auth_refused() {
        let mut s = Settings::default();
        s.set("refresh_token", Value::Str("1//x".into()));
        s.set("json_key_file_path", Value::Str("/k.json".into()));
        let e = s.check_single_auth_mode().unwrap_err();
        assert!(e.message.contains("refresh_token") && e.message.contains("json_key_file_path"));
    }
}
