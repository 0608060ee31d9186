//! Workspace settings of the language server: the same meaning as `check`'s flags.
//!
//! They come from `initializationOptions` and `workspace/didChangeConfiguration`, either flat
//! (`{"ignore": [...]}`) or under an `adsconf` key (`{"adsconf": {"ignore": [...]}}`), in
//! camelCase or as the CLI spells them (`library-version`). Empty strings mean "not set"
//! (editors send their defaults).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Result};
use crate::lint::{Flags, Options};

/// The settings the server knows, as the editor names them (the VS Code extension's
/// `adsconf.*` settings are these; a test keeps the two lists equal).
pub const KNOWN: &[&str] = &[
    "libraryVersion",
    "ignore",
    "hierarchy",
    "user",
    "customer",
    "debounceMs",
];

/// Milliseconds between the last change and the lint, unless `debounceMs` says otherwise.
pub const DEFAULT_DEBOUNCE_MS: u64 = 100;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub library_version: Option<String>,
    pub ignore: Vec<String>,
    pub hierarchy: Option<String>,
    pub user: Option<String>,
    pub customer: Option<String>,
    pub debounce_ms: Option<u64>,
}

fn text(v: &Value, name: &str) -> Result<Option<String>> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s.trim().to_string())),
        Value::Number(n) => Ok(Some(n.to_string())),
        _ => Err(Error::usage(format!(
            "setting `{name}` must be a string, not {v}"
        ))),
    }
}

impl Settings {
    /// Read settings from an editor's JSON. Unknown names are ignored (editors send their
    /// whole configuration section); values of the wrong type are errors naming the setting.
    pub fn from_json(v: &Value) -> Result<Settings> {
        let v = match v.get("adsconf") {
            Some(inner) if inner.is_object() => inner,
            _ => v,
        };
        let mut s = Settings::default();
        let Some(map) = v.as_object() else {
            return Ok(s);
        };
        for (k, val) in map {
            match k.as_str() {
                "libraryVersion" | "library-version" | "library_version" => {
                    s.library_version = text(val, k)?
                }
                "ignore" => {
                    s.ignore = match val {
                        Value::Null => Vec::new(),
                        Value::String(t) => vec![t.clone()],
                        Value::Array(items) => items
                            .iter()
                            .map(|i| {
                                i.as_str().map(str::to_string).ok_or_else(|| {
                                    Error::usage(format!(
                                    "setting `ignore` lists rule names or codes (strings), not {i}"
                                ))
                                })
                            })
                            .collect::<Result<_>>()?,
                        other => {
                            return Err(Error::usage(format!(
                            "setting `ignore` must be a list of rule names or codes, not {other}"
                        )))
                        }
                    }
                }
                "hierarchy" => s.hierarchy = text(val, k)?,
                "user" => s.user = text(val, k)?,
                "customer" => s.customer = text(val, k)?,
                "debounceMs" | "debounce-ms" | "debounce_ms" => {
                    s.debounce_ms = match val {
                        Value::Null => None,
                        v => Some(v.as_u64().ok_or_else(|| {
                            Error::usage(format!(
                            "setting `debounceMs` must be a whole number of milliseconds, not {v}"
                        ))
                        })?),
                    }
                }
                _ => {}
            }
        }
        Ok(s)
    }

    /// `check`'s flags these settings set (a relative hierarchy is taken from `root`).
    pub fn flags(&self, root: Option<&Path>) -> Flags {
        let hierarchy: Option<PathBuf> = self.hierarchy.as_ref().map(|h| {
            let p = PathBuf::from(h);
            match root {
                Some(r) if p.is_relative() => r.join(p),
                _ => p,
            }
        });
        Flags {
            ignore: self.ignore.clone(),
            library_version: self.library_version.clone(),
            hierarchy,
            user: self.user.clone(),
            customer: self.customer.clone(),
        }
    }

    /// The check options in force: the `[check]` table of the workspace's `adsconf.toml`,
    /// then these settings (as `check` takes the project's table, then its flags).
    pub fn options(&self, root: Option<&Path>) -> Result<Options> {
        let project = match root {
            Some(r) => Flags::from_project(r)?,
            None => Flags::default(),
        };
        project.then(self.flags(root)).options(None)
    }

    pub fn debounce(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.debounce_ms.unwrap_or(DEFAULT_DEBOUNCE_MS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flat_nested_and_cli_spellings() {
        let a = Settings::from_json(&json!({"adsconf": {"libraryVersion": "31.0.0",
            "ignore": ["unknown-key", "ADS016"], "debounceMs": 0, "other": 1}}))
        .unwrap();
        let b = Settings::from_json(&json!({"library-version": "31.0.0",
            "ignore": ["unknown-key", "ADS016"], "debounce-ms": 0}))
        .unwrap();
        assert_eq!(a, b);
        assert_eq!(a.debounce_ms, Some(0));
        let opts = a.options(None).unwrap();
        assert_eq!(opts.ignore, vec!["unknown-key", "file-permissions"]);
        // Editors' empty defaults are "not set".
        let empty = Settings::from_json(&json!({"libraryVersion": "", "hierarchy": "",
            "ignore": []}))
        .unwrap();
        assert_eq!(empty, Settings::default());
    }

    #[test]
    fn errors_say_what_the_cli_says() {
        let s = Settings::from_json(&json!({"ignore": "unknown-keys"})).unwrap();
        let e = s.options(None).err().unwrap();
        assert!(
            e.message.contains("did you mean `unknown-key`"),
            "{}",
            e.message
        );
        let s = Settings::from_json(&json!({"libraryVersion": "latest"})).unwrap();
        assert!(s.options(None).is_err());
        let s = Settings::from_json(&json!({"hierarchy": "h.toml"})).unwrap();
        assert!(s.options(None).err().unwrap().message.contains("--user"));
        assert!(Settings::from_json(&json!({"debounceMs": "fast"})).is_err());
        assert!(Settings::from_json(&json!({"ignore": [1]})).is_err());
    }
}
