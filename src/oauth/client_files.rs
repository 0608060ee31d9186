//! Finding and judging OAuth client files for `init`: `client_secret*.json` in the project
//! directory and in `~/Downloads` (where the Cloud console's download lands), each read with
//! the same parser as `auth` and judged: a Desktop app client is ready; a Web client needs a
//! loopback redirect URI; a service-account key or malformed JSON gets its next step.

use std::path::{Path, PathBuf};

use crate::oauth::secrets::{self, ClientKind, ClientSecrets};

/// What a found file is good for.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// Usable for `auth` as is (Desktop app, or Web with a loopback redirect URI).
    Ready(ClientSecrets),
    /// Usable, with a caveat worth saying.
    Caveat(ClientSecrets, String),
    /// Not usable; the sentence says why and what to do.
    Unusable(String),
}

#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub verdict: Verdict,
    /// Modification time (newest first when listing).
    pub modified: Option<std::time::SystemTime>,
}

impl Found {
    pub fn usable(&self) -> Option<&ClientSecrets> {
        match &self.verdict {
            Verdict::Ready(s) | Verdict::Caveat(s, _) => Some(s),
            Verdict::Unusable(_) => None,
        }
    }

    /// One line for a list: `client_secret_1234….json — Desktop app client 1234-….apps…`.
    pub fn summary(&self) -> String {
        let what = match &self.verdict {
            Verdict::Ready(s) => format!("{} client {}", kind_name(s.kind), s.client_id),
            Verdict::Caveat(s, c) => format!("{} client {} ({c})", kind_name(s.kind), s.client_id),
            Verdict::Unusable(why) => format!("not usable: {why}"),
        };
        format!("{}: {what}", self.path.display())
    }
}

pub fn kind_name(k: ClientKind) -> &'static str {
    match k {
        ClientKind::Installed => "Desktop app",
        ClientKind::Web => "Web application",
    }
}

/// Judge one client file (never an error: the verdict says what is wrong).
pub fn judge(path: &Path) -> Verdict {
    let name = path.display().to_string();
    let text = match crate::source::read_text(path, "a client-secrets JSON file") {
        Ok(t) => t,
        Err(e) => return Verdict::Unusable(format!("cannot read it: {}", e.message)),
    };
    judge_text(&text, &name)
}

pub fn judge_text(text: &str, name: &str) -> Verdict {
    match secrets::parse(text, name) {
        Err(e) => Verdict::Unusable(e.message),
        Ok(s) if s.kind == ClientKind::Installed => Verdict::Ready(s),
        Ok(s) => {
            let loopback: Vec<&String> = s
                .redirect_uris
                .iter()
                .filter(|u| {
                    u.strip_prefix("http://")
                        .map(|r| {
                            let host = r.split(['/', ':', '?', '#']).next().unwrap_or("");
                            host == "127.0.0.1" || host == "localhost" || r.starts_with("[::1]")
                        })
                        .unwrap_or(false)
                })
                .collect();
            if loopback.is_empty() {
                Verdict::Unusable(format!(
                    "this Web application client has no loopback redirect URI ({}); in the Cloud console (APIs & Services > Credentials > this client) add http://127.0.0.1 under Authorized redirect URIs and download the JSON again, or create a Desktop app client, which needs none",
                    if s.redirect_uris.is_empty() {
                        "none registered".to_string()
                    } else {
                        format!("registered: {}", s.redirect_uris.join(", "))
                    }
                ))
            } else {
                let first = loopback[0].clone();
                Verdict::Caveat(
                    s,
                    format!("Web application client: the redirect goes to {first} as registered; a Desktop app client is simpler"),
                )
            }
        }
    }
}

/// `client_secret*.json` files directly in `dirs` (not below), newest first, each judged.
pub fn discover(dirs: &[PathBuf]) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    for d in dirs {
        let Ok(rd) = std::fs::read_dir(d) else {
            continue;
        };
        for e in rd.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().into_owned();
            if !(name.starts_with("client_secret") && name.ends_with(".json")) {
                continue;
            }
            let path = e.path();
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if !meta.is_file() || meta.len() > 64 * 1024 {
                continue;
            }
            if out.iter().any(|f| same_file(&f.path, &path)) {
                continue;
            }
            out.push(Found {
                verdict: judge(&path),
                modified: meta.modified().ok(),
                path,
            });
        }
    }
    out.sort_by(|a, b| b.modified.cmp(&a.modified).then(a.path.cmp(&b.path)));
    out
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Where `init` looks: the project directory, then `~/Downloads`.
pub fn search_dirs(cwd: &Path, env: &dyn Fn(&str) -> Option<String>) -> Vec<PathBuf> {
    let mut dirs = vec![cwd.to_path_buf()];
    let home = env("HOME")
        .or_else(|| env("USERPROFILE"))
        .filter(|h| !h.is_empty());
    if let Some(h) = home {
        dirs.push(PathBuf::from(h).join("Downloads"));
    }
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        let ok = judge_text(
            r#"{"installed":{"client_id":"1-a.apps.googleusercontent.com","client_secret":"GOCSPX-x"}}"#,
            "c.json",
        );
        assert!(matches!(ok, Verdict::Ready(_)));
        let web = judge_text(
            r#"{"web":{"client_id":"1","client_secret":"s","redirect_uris":["https://example.com/cb"]}}"#,
            "c.json",
        );
        match web {
            Verdict::Unusable(m) => assert!(
                m.contains("http://127.0.0.1") && m.contains("example.com"),
                "{m}"
            ),
            other => panic!("{other:?}"),
        }
        let web = judge_text(
            r#"{"web":{"client_id":"1","client_secret":"s","redirect_uris":["http://127.0.0.1:8765/cb"]}}"#,
            "c.json",
        );
        assert!(matches!(web, Verdict::Caveat(..)));
        assert!(
            matches!(judge_text("{", "c.json"), Verdict::Unusable(m) if m.contains("not valid JSON"))
        );
        assert!(matches!(
            judge_text(r#"{"type":"service_account"}"#, "c.json"),
            Verdict::Unusable(m) if m.contains("service-account")
        ));
    }
}
