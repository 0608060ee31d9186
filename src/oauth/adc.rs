//! Application Default Credentials (ADC), as google-auth finds them for a library with
//! `use_application_default_credentials` and for the official MCP server:
//! `GOOGLE_APPLICATION_CREDENTIALS`, else the well-known file written by
//! `gcloud auth application-default login` (or `adsconf auth --adc`):
//! `$CLOUDSDK_CONFIG/application_default_credentials.json`, else
//! `~/.config/gcloud/application_default_credentials.json` (`%APPDATA%\gcloud\…` on Windows).
//! The metadata server of Google Cloud machines is the last resort; adsconf does not query it.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::error::{Error, Result};
use crate::oauth::jwt;

pub const WELL_KNOWN_NAME: &str = "application_default_credentials.json";

/// Where ADC would be read from, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdcLocation {
    pub path: PathBuf,
    /// `GOOGLE_APPLICATION_CREDENTIALS` or `the well-known file of gcloud`.
    pub source: &'static str,
}

/// The well-known file's path (whether it exists or not).
pub fn well_known_path(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let get = |k: &str| env(k).filter(|v| !v.trim().is_empty());
    if let Some(dir) = get("CLOUDSDK_CONFIG") {
        return Some(PathBuf::from(dir).join(WELL_KNOWN_NAME));
    }
    if cfg!(windows) {
        return get("APPDATA").map(|a| PathBuf::from(a).join("gcloud").join(WELL_KNOWN_NAME));
    }
    get("HOME").map(|h| {
        PathBuf::from(h)
            .join(".config")
            .join("gcloud")
            .join(WELL_KNOWN_NAME)
    })
}

/// Where google-auth looks: `GOOGLE_APPLICATION_CREDENTIALS` (used even when the file is
/// missing: google-auth then fails), else the well-known file when it exists.
pub fn locate(env: &dyn Fn(&str) -> Option<String>) -> Option<AdcLocation> {
    if let Some(p) = env("GOOGLE_APPLICATION_CREDENTIALS").filter(|v| !v.trim().is_empty()) {
        return Some(AdcLocation {
            path: PathBuf::from(p),
            source: "GOOGLE_APPLICATION_CREDENTIALS",
        });
    }
    let p = well_known_path(env)?;
    p.is_file().then_some(AdcLocation {
        path: p,
        source: "the well-known ADC file",
    })
}

/// What an ADC file holds.
#[derive(Debug, Clone)]
pub enum AdcFile {
    AuthorizedUser {
        client_id: String,
        client_secret: String,
        refresh_token: String,
        quota_project_id: Option<String>,
    },
    ServiceAccount(jwt::ServiceAccountKey),
    /// `external_account`, `impersonated_service_account`, … (not checked by adsconf).
    Other(String),
}

/// Read and classify an ADC file.
pub fn load(loc: &AdcLocation) -> Result<AdcFile> {
    let name = format!("{} (from {})", loc.path.display(), loc.source);
    let text = crate::source::read_text(&loc.path, "an Application Default Credentials file")
        .map_err(|e| {
            Error::usage(format!(
                "cannot read the Application Default Credentials {name}: {}; run `adsconf auth --adc --client-secrets FILE` (or `gcloud auth application-default login --scopes=https://www.googleapis.com/auth/adwords,https://www.googleapis.com/auth/cloud-platform`)",
                if loc.path.exists() {
                    e.message
                } else {
                    "no such file".to_string()
                }
            ))
        })?;
    parse(&text, &name)
}

pub fn parse(text: &str, name: &str) -> Result<AdcFile> {
    let json: Json = serde_json::from_str(text).map_err(|e| {
        Error::usage(format!(
            "{name}:{}:{}: not valid JSON ({e}); create the file again with `adsconf auth --adc`",
            e.line(),
            e.column()
        ))
    })?;
    let field = |k: &str| {
        json.get(k)
            .and_then(Json::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    match field("type").as_deref() {
        Some("authorized_user") => {
            let missing: Vec<&str> = ["client_id", "client_secret", "refresh_token"]
                .into_iter()
                .filter(|k| field(k).is_none())
                .collect();
            if !missing.is_empty() {
                return Err(Error::usage(format!(
                    "{name} (authorized_user) lacks {}; create it again with `adsconf auth --adc`",
                    missing.join(", ")
                )));
            }
            Ok(AdcFile::AuthorizedUser {
                client_id: field("client_id").unwrap_or_default(),
                client_secret: field("client_secret").unwrap_or_default(),
                refresh_token: field("refresh_token").unwrap_or_default(),
                quota_project_id: field("quota_project_id"),
            })
        }
        Some("service_account") => Ok(AdcFile::ServiceAccount(jwt::parse_key(text, name)?)),
        Some(other) => Ok(AdcFile::Other(other.to_string())),
        None => Err(Error::usage(format!(
            "{name} has no `type`; it is not an Application Default Credentials file"
        ))),
    }
}

/// The `authorized_user` ADC file `auth --adc` writes (gcloud's shape).
pub fn authorized_user_json(
    client_id: &str,
    client_secret: &str,
    refresh_token: &str,
    quota_project_id: Option<&str>,
) -> String {
    let mut j = serde_json::json!({
        "account": "",
        "client_id": client_id,
        "client_secret": client_secret,
        "refresh_token": refresh_token,
        "type": "authorized_user",
        "universe_domain": "googleapis.com",
    });
    if let Some(q) = quota_project_id {
        j["quota_project_id"] = Json::String(q.to_string());
    }
    format!("{}\n", serde_json::to_string_pretty(&j).unwrap_or_default())
}

/// Where `auth --adc` writes: `GOOGLE_APPLICATION_CREDENTIALS` when set (that is what the
/// libraries will read), else the well-known file.
pub fn write_target(env: &dyn Fn(&str) -> Option<String>) -> Result<AdcLocation> {
    if let Some(p) = env("GOOGLE_APPLICATION_CREDENTIALS").filter(|v| !v.trim().is_empty()) {
        return Ok(AdcLocation {
            path: PathBuf::from(p),
            source: "GOOGLE_APPLICATION_CREDENTIALS",
        });
    }
    well_known_path(env)
        .map(|path| AdcLocation {
            path,
            source: "the well-known ADC file",
        })
        .ok_or_else(|| {
            Error::usage("cannot tell where the ADC file goes: HOME is not set (set HOME or GOOGLE_APPLICATION_CREDENTIALS)")
        })
}

/// Write an `authorized_user` ADC file for these credentials (mode 0600, atomically; the
/// directory is created when missing). An existing file is replaced only with `yes`.
pub fn write_authorized_user(
    env: &dyn Fn(&str) -> Option<String>,
    client_id: &str,
    client_secret: &str,
    refresh_token: &str,
    yes: bool,
) -> Result<AdcLocation> {
    let loc = write_target(env)?;
    let exists = std::fs::symlink_metadata(&loc.path).is_ok();
    if exists && !yes {
        return Err(Error::refused(format!(
            "{} ({}) already exists; pass --yes to replace it with these credentials",
            loc.path.display(),
            loc.source
        )));
    }
    if let Some(d) = parent_to_create(&loc.path) {
        std::fs::create_dir_all(d).map_err(|e| Error::io(d, "create", &e))?;
    }
    let text = authorized_user_json(client_id, client_secret, refresh_token, None);
    let expect = if exists {
        crate::write::Expect::Any
    } else {
        crate::write::Expect::Absent
    };
    crate::write::write_file(
        &loc.path,
        text.as_bytes(),
        &expect,
        None,
        &crate::write::RealSteps,
    )?;
    Ok(loc)
}

/// Does `p` look like an ADC path in a directory that must be created first?
pub fn parent_to_create(p: &Path) -> Option<&Path> {
    p.parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_adc_is_looked_for() {
        let env = |k: &str| match k {
            "HOME" => Some("/home/u".to_string()),
            _ => None,
        };
        assert_eq!(
            well_known_path(&env).unwrap(),
            PathBuf::from("/home/u/.config/gcloud/application_default_credentials.json")
        );
        let env2 = |k: &str| match k {
            "CLOUDSDK_CONFIG" => Some("/cfg".to_string()),
            "GOOGLE_APPLICATION_CREDENTIALS" => Some("/k.json".to_string()),
            _ => None,
        };
        assert_eq!(
            well_known_path(&env2).unwrap(),
            PathBuf::from("/cfg/application_default_credentials.json")
        );
        let loc = locate(&env2).unwrap();
        assert_eq!(loc.source, "GOOGLE_APPLICATION_CREDENTIALS");
        assert_eq!(write_target(&env2).unwrap().path, PathBuf::from("/k.json"));
    }

    #[test]
    fn adc_files_are_classified() {
        let j = authorized_user_json("i", "s", "r", Some("q"));
        match parse(&j, "adc").unwrap() {
            AdcFile::AuthorizedUser {
                client_id,
                quota_project_id,
                ..
            } => {
                assert_eq!(client_id, "i");
                assert_eq!(quota_project_id.as_deref(), Some("q"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse(r#"{"type":"external_account"}"#, "x").unwrap(),
            AdcFile::Other(_)
        ));
        let e = parse(r#"{"type":"authorized_user","client_id":"i"}"#, "x").unwrap_err();
        assert!(e.message.contains("client_secret, refresh_token"));
        assert!(parse("{", "x").is_err());
    }
}
