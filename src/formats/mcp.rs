//! The `google-ads-mcp` server entry of an MCP client's configuration (google-ads-mcp 0.0.5).
//!
//! What the server reads (ads_mcp/utils.py, coordinator.py, server.py): the developer token
//! from `GOOGLE_ADS_DEVELOPER_TOKEN`, the login-customer-id from
//! `GOOGLE_ADS_LOGIN_CUSTOMER_ID` (every non-digit stripped), and credentials only through
//! Application Default Credentials (`google.auth.default`: `GOOGLE_APPLICATION_CREDENTIALS`
//! or gcloud's file) or FastMCP's OAuth proxy. `GOOGLE_ADS_CLIENT_ID`, `…_CLIENT_SECRET`,
//! `…_REFRESH_TOKEN` are not read.
//!
//! The clients (`--client`): Claude Desktop `claude_desktop_config.json` and Cursor
//! `mcp.json` (`mcpServers`; Cursor expands `${env:NAME}`), VS Code `mcp.json` (`servers`,
//! each with `type: "stdio"`; `${input:ID}` prompts declared in `inputs`, `${env:NAME}`),
//! Gemini CLI `settings.json` (`mcpServers`; `$NAME` and `${NAME}` expanded in every string).

use std::path::{Path, PathBuf};

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::dotnet_json::{JKind, JNode};
use crate::formats::jsontree;
use crate::formats::render;
use crate::formats::{Format, Parsed, Problem, ProblemKind};
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

pub struct Mcp;

/// The server's name in the client's table.
pub const SERVER: &str = "google-ads-mcp";

/// The command that runs the server from PyPI.
pub const COMMAND: &str = "pipx";
pub const ARGS: &[&str] = &["run", "google-ads-mcp"];

/// An MCP client whose configuration file adsconf writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    Claude,
    Cursor,
    Vscode,
    Gemini,
}

impl Client {
    pub const ALL: [Client; 4] = [
        Client::Claude,
        Client::Cursor,
        Client::Vscode,
        Client::Gemini,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Client::Claude => "claude",
            Client::Cursor => "cursor",
            Client::Vscode => "vscode",
            Client::Gemini => "gemini",
        }
    }

    pub fn from_name(s: &str) -> Option<Client> {
        Client::ALL.into_iter().find(|c| c.name() == s)
    }

    /// The top-level key holding the servers.
    pub fn top(self) -> &'static str {
        match self {
            Client::Vscode => "servers",
            _ => "mcpServers",
        }
    }

    /// The reference to an environment variable in an `env` value, where the client has one.
    pub fn env_ref(self, var: &str) -> Option<String> {
        match self {
            Client::Claude => None,
            Client::Cursor => Some(format!("${{env:{var}}}")),
            Client::Vscode => Some(format!("${{input:{}}}", input_id(var))),
            Client::Gemini => Some(format!("${{{var}}}")),
        }
    }

    /// Why the client would not pass `value` through unchanged, if it would not.
    pub fn mangles(self, value: &str) -> Option<&'static str> {
        match self {
            Client::Claude => None,
            Client::Cursor | Client::Vscode if value.contains("${") => {
                Some("the client substitutes ${…} variables in it")
            }
            Client::Gemini if gemini_expands(value) => Some(
                "Gemini CLI replaces $NAME and ${NAME} in it when NAME is set in its environment",
            ),
            _ => None,
        }
    }

    /// The client a file belongs to, from its name and shape.
    pub fn of_file(path: Option<&Path>, root: Option<&JNode>) -> Client {
        if let Some(r) = root {
            if jsontree::member(r, "servers").is_some()
                && jsontree::member(r, "mcpServers").is_none()
            {
                return Client::Vscode;
            }
        }
        let Some(p) = path else {
            return Client::Claude;
        };
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let parent = p
            .parent()
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match (name.as_str(), parent.as_str()) {
            ("settings.json", _) => Client::Gemini,
            ("mcp.json", ".vscode") => Client::Vscode,
            ("mcp.json", _) => Client::Cursor,
            _ => Client::Claude,
        }
    }
}

/// Does Gemini CLI's `resolveEnvVarsInString` (`/\$(?:(\w+)|{([^}]+?)(?::-([^}]*))?})/`)
/// find a reference in `value`?
pub fn gemini_expands(value: &str) -> bool {
    let b = value.as_bytes();
    b.iter().enumerate().any(|(i, c)| {
        *c == b'$'
            && match b.get(i + 1) {
                Some(n) if n.is_ascii_alphanumeric() || *n == b'_' => true,
                Some(b'{') => b[i + 2..]
                    .iter()
                    .position(|c| *c == b'}')
                    .is_some_and(|p| p > 0),
                _ => false,
            }
    })
}

/// The VS Code input id prompting for a variable (`google-ads-developer-token`).
pub fn input_id(var: &str) -> String {
    var.to_ascii_lowercase().replace('_', "-")
}

/// The configuration files each client reads, for `show --lang mcp` without a file.
pub fn client_files(home: &Path, cwd: &Path) -> Vec<(PathBuf, String)> {
    let claude = if cfg!(target_os = "macos") {
        home.join("Library/Application Support/Claude/claude_desktop_config.json")
    } else if cfg!(windows) {
        std::env::var_os("APPDATA")
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join("AppData/Roaming"))
            .join("Claude/claude_desktop_config.json")
    } else {
        home.join(".config/Claude/claude_desktop_config.json")
    };
    vec![
        (claude, "Claude Desktop".into()),
        (cwd.join(".cursor/mcp.json"), "Cursor (this project)".into()),
        (
            home.join(".cursor/mcp.json"),
            "Cursor (every project)".into(),
        ),
        (
            cwd.join(".vscode/mcp.json"),
            "VS Code (this workspace)".into(),
        ),
        (
            cwd.join(".gemini/settings.json"),
            "Gemini CLI (this project)".into(),
        ),
        (
            home.join(".gemini/settings.json"),
            "Gemini CLI (every project)".into(),
        ),
    ]
}

/// The server entry: the one named `google-ads-mcp`, else one whose command line runs it.
fn server_entry<'a>(root: &'a JNode, text: &str, client: Client) -> Option<(&'a str, &'a JNode)> {
    let servers = &jsontree::member(root, client.top())?.value;
    let JKind::Obj(ms) = &servers.kind else {
        return None;
    };
    if let Some(m) = ms.iter().rev().find(|m| m.key == SERVER) {
        return Some((m.key.as_str(), &m.value));
    }
    ms.iter()
        .rev()
        .find(|m| {
            let t = &text[m.value.span.clone()];
            t.contains("google-ads-mcp") || t.contains("ads_mcp")
        })
        .map(|m| (m.key.as_str(), &m.value))
}

/// The `env` value a setting is written as: the value, or a reference with `--secrets-in env`.
fn env_value(client: Client, var: &str, secret: bool, v: &Value, by_ref: bool) -> String {
    if secret && by_ref {
        if let Some(r) = client.env_ref(var) {
            return r;
        }
    }
    v.to_text()
}

impl Format for Mcp {
    fn lang(&self) -> Lang {
        Lang::Mcp
    }

    fn parse(&self, src: &Source) -> Parsed {
        let mut parsed = Parsed::new(Lang::Mcp);
        let root = match jsontree::parse_strict(src) {
            Ok(r) => r,
            Err(p) => {
                parsed.problems.push(p);
                return parsed;
            }
        };
        let client = Client::of_file(src.path.as_deref(), Some(&root));
        let text = src.text.as_str();
        let Some((_, entry)) = server_entry(&root, text, client) else {
            return parsed;
        };
        if let Some(cmd) = jsontree::member(entry, "command") {
            if !matches!(cmd.value.kind, JKind::Str(_)) {
                parsed.problems.push(Problem {
                    kind: ProblemKind::Syntax,
                    span: cmd.value.span.clone(),
                    message: "the server's `command` must be a string".into(),
                });
            }
        }
        if client == Client::Vscode {
            match jsontree::member(entry, "type") {
                Some(t) if matches!(&t.value.kind, JKind::Str(s) if s == "stdio") => {}
                Some(t) => parsed.problems.push(Problem {
                    kind: ProblemKind::Syntax,
                    span: t.value.span.clone(),
                    message: "VS Code starts a local server only with \"type\": \"stdio\"".into(),
                }),
                None if jsontree::member(entry, "command").is_some() => {
                    parsed.problems.push(Problem {
                        kind: ProblemKind::Syntax,
                        span: entry.span.start..entry.span.start + 1,
                        message: "VS Code needs \"type\": \"stdio\" in the server entry".into(),
                    })
                }
                None => {}
            }
        }
        if let Some(env) = jsontree::member(entry, "env") {
            if let JKind::Obj(ms) = &env.value.kind {
                for (i, m) in ms.iter().enumerate() {
                    if !matches!(m.value.kind, JKind::Str(_)) {
                        parsed.problems.push(Problem {
                            kind: ProblemKind::Syntax,
                            span: m.value.span.clone(),
                            message: format!("`{}`: environment values must be strings", m.key),
                        });
                        continue;
                    }
                    parsed
                        .entries
                        .push(jsontree::member_entry(text, ms, i, m.key.clone()));
                }
            }
        }
        parsed
    }

    fn expressible(&self, neutral: &str) -> bool {
        // ADC is what the server uses when no other credentials are given.
        neutral == "use_application_default_credentials"
            || Lang::Mcp.catalog().for_neutral(neutral).is_some()
    }

    fn render(&self, settings: &Settings) -> Result<String> {
        let client = match settings.get_str("mcp_client") {
            None => Client::Claude,
            Some(c) => Client::from_name(c).ok_or_else(|| {
                Error::usage(format!(
                    "unknown MCP client {c:?}; choose claude, cursor, vscode or gemini"
                ))
            })?,
        };
        let by_ref = settings.get_str("secrets_in") == Some("env");
        if by_ref && client == Client::Claude {
            return Err(Error::usage(
                "Claude Desktop passes env values literally (no variable references); drop --secrets-in env, or choose --client cursor, vscode or gemini",
            ));
        }
        let cat = Lang::Mcp.catalog();
        let mut env = serde_json::Map::new();
        let mut inputs = Vec::new();
        for k in &cat.keys {
            let Some(n) = &k.neutral else { continue };
            let Some(v) = settings.get(n) else { continue };
            let secret = crate::schema::is_secret(n);
            let text = env_value(client, &k.key, secret, v, by_ref);
            if !(secret && by_ref) {
                if let Some(why) = client.mangles(&text) {
                    return Err(Error::usage(format!(
                        "cannot write `{n}` for {}: {why}",
                        client.name()
                    )));
                }
            }
            if secret && by_ref && client == Client::Vscode {
                inputs.push(serde_json::json!({
                    "type": "promptString",
                    "id": input_id(&k.key),
                    "description": format!("{} for google-ads-mcp", k.notes.as_deref().unwrap_or(&k.key)),
                    "password": true,
                }));
            }
            env.insert(k.key.clone(), serde_json::Value::String(text));
        }
        let mut entry = serde_json::Map::new();
        if client == Client::Vscode {
            entry.insert("type".into(), "stdio".into());
        }
        entry.insert("command".into(), COMMAND.into());
        entry.insert("args".into(), serde_json::json!(ARGS));
        entry.insert("env".into(), serde_json::Value::Object(env));
        let mut servers = serde_json::Map::new();
        servers.insert(SERVER.into(), serde_json::Value::Object(entry));
        let mut doc = serde_json::Map::new();
        if !inputs.is_empty() {
            doc.insert("inputs".into(), serde_json::Value::Array(inputs));
        }
        doc.insert(client.top().into(), serde_json::Value::Object(servers));
        render::render_doc(Lang::Mcp, settings, &serde_json::Value::Object(doc))
    }

    fn sequential_edits(&self) -> bool {
        true
    }

    fn set_edits(
        &self,
        src: &Source,
        _parsed: &Parsed,
        key: &LibKey,
        value: &Value,
    ) -> Result<Vec<Edit>> {
        let root = jsontree::parse_strict(src).map_err(|p| Error::refused(p.message))?;
        let client = Client::of_file(src.path.as_deref(), Some(&root));
        let text = value.to_text();
        if let Some(why) = client.mangles(&text) {
            return Err(Error::usage(format!(
                "cannot write `{}` for {}: {why}",
                key.key,
                client.name()
            )));
        }
        let v = serde_json::Value::String(text);
        match server_entry(&root, &src.text, client) {
            Some((name, _)) => {
                let name = name.to_string();
                jsontree::set_path_edits(
                    &src.text,
                    &root,
                    &[client.top(), &name, "env", &key.key],
                    &v,
                )
            }
            None => {
                // A new server entry with the command that runs the server.
                let mut entry = serde_json::Map::new();
                if client == Client::Vscode {
                    entry.insert("type".into(), "stdio".into());
                }
                entry.insert("command".into(), COMMAND.into());
                entry.insert("args".into(), serde_json::json!(ARGS));
                entry.insert("env".into(), serde_json::json!({ key.key.clone(): v }));
                jsontree::set_path_edits(
                    &src.text,
                    &root,
                    &[client.top(), SERVER],
                    &serde_json::Value::Object(entry),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(client: &str, by_ref: bool) -> Settings {
        let mut s = Settings::default();
        s.set(
            "developer_token",
            Value::Str("abcdefghijklmnopqrstuv".into()),
        );
        s.set("login_customer_id", Value::Str("1234567890".into()));
        s.set("mcp_client", Value::Str(client.into()));
        if by_ref {
            s.set("secrets_in", Value::Str("env".into()));
        }
        s
    }

    #[test]
    fn each_client_gets_its_shape() {
        for c in Client::ALL {
            let out = Mcp.render(&settings(c.name(), false)).unwrap();
            let j: serde_json::Value = serde_json::from_str(&out).unwrap();
            let e = &j[c.top()][SERVER];
            assert_eq!(e["command"], COMMAND, "{c:?}");
            assert_eq!(
                e["env"]["GOOGLE_ADS_DEVELOPER_TOKEN"],
                "abcdefghijklmnopqrstuv"
            );
            assert_eq!(e["type"].as_str(), (c == Client::Vscode).then_some("stdio"));
        }
    }

    #[test]
    fn secrets_by_reference() {
        assert!(Mcp.render(&settings("claude", true)).is_err());
        let j: serde_json::Value =
            serde_json::from_str(&Mcp.render(&settings("vscode", true)).unwrap()).unwrap();
        assert_eq!(
            j["servers"][SERVER]["env"]["GOOGLE_ADS_DEVELOPER_TOKEN"],
            "${input:google-ads-developer-token}"
        );
        assert_eq!(j["inputs"][0]["id"], "google-ads-developer-token");
        assert_eq!(j["inputs"][0]["password"], true);
        let j: serde_json::Value =
            serde_json::from_str(&Mcp.render(&settings("cursor", true)).unwrap()).unwrap();
        assert_eq!(
            j["mcpServers"][SERVER]["env"]["GOOGLE_ADS_DEVELOPER_TOKEN"],
            "${env:GOOGLE_ADS_DEVELOPER_TOKEN}"
        );
        // The login id is no secret: written as is.
        assert_eq!(
            j["mcpServers"][SERVER]["env"]["GOOGLE_ADS_LOGIN_CUSTOMER_ID"],
            "1234567890"
        );
    }

    #[test]
    fn merges_into_a_file_with_other_servers() {
        let t = "{\n  \"mcpServers\": {\n    \"other\": {\n      \"command\": \"x\"\n    }\n  },\n  \"theme\": \"dark\"\n}\n";
        let src = Source::new(
            Some(PathBuf::from("claude_desktop_config.json")),
            t.into(),
            crate::source::Encoding::Utf8,
        );
        let cat = Lang::Mcp.catalog();
        let k = cat.for_neutral("developer_token").unwrap();
        let out = crate::edit::apply(
            t,
            &Mcp.set_edits(&src, &Mcp.parse(&src), k, &Value::Str("d".into()))
                .unwrap(),
        )
        .unwrap();
        let j: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(j["mcpServers"]["other"]["command"], "x");
        assert_eq!(j["theme"], "dark");
        assert_eq!(
            j["mcpServers"][SERVER]["env"]["GOOGLE_ADS_DEVELOPER_TOKEN"],
            "d"
        );
        assert_eq!(j["mcpServers"][SERVER]["args"], serde_json::json!(ARGS));
        let src2 = Source::new(src.path.clone(), out.clone(), src.encoding);
        let p = Mcp.parse(&src2);
        assert_eq!(p.entries.len(), 1);
        let k2 = cat.for_neutral("login_customer_id").unwrap();
        let out2 = crate::edit::apply(
            &out,
            &Mcp.set_edits(&src2, &p, k2, &Value::Str("1".into()))
                .unwrap(),
        )
        .unwrap();
        let j: serde_json::Value = serde_json::from_str(&out2).unwrap();
        assert_eq!(
            j["mcpServers"][SERVER]["env"]["GOOGLE_ADS_LOGIN_CUSTOMER_ID"],
            "1"
        );
    }

    #[test]
    fn gemini_expansion_pattern() {
        for v in ["$HOME", "a${b}", "${a:-x}", "$_", "$1"] {
            assert!(gemini_expands(v), "{v}");
        }
        for v in ["$", "a$", "$$", "$(cmd)", "${}", "${open", "$-"] {
            assert!(!gemini_expands(v), "{v}");
        }
    }

    #[test]
    fn gemini_refuses_dollars() {
        let mut s = settings("gemini", false);
        s.set("developer_token", Value::Str("a$b".into()));
        assert!(Mcp
            .render(&s)
            .unwrap_err()
            .to_string()
            .contains("replaces $NAME"));
        s.set("mcp_client", Value::Str("claude".into()));
        assert!(Mcp.render(&s).is_ok());
    }
}
