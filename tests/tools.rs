//! The tool targets (airbyte, meltano, singer, mcp, dlt) without their consumers: file
//! recognition, `check` with the shared rules, `show`, conversions, secrets (0600, masked),
//! and the library ↔ tool round trip for every pair that shares keys.

mod common;

use std::path::Path;

use adsconf::convert;
use adsconf::formats;
use adsconf::lang::Lang;
use adsconf::model::{Settings, Value};

const TOOLS: [Lang; 5] = [
    Lang::Airbyte,
    Lang::Meltano,
    Lang::Singer,
    Lang::Mcp,
    Lang::Dlt,
];

fn base() -> Settings {
    let mut s = Settings::default();
    for (k, v) in [
        ("developer_token", "abcdefghijklmnopqrstuv"),
        ("client_id", "1234-abc.apps.googleusercontent.com"),
        ("client_secret", "GOCSPX-secret-value"),
        ("refresh_token", "1//0refresh-token-value"),
        ("login_customer_id", "2222222222"),
    ] {
        s.set(k, Value::Str(v.into()));
    }
    s
}

fn tool_only() -> Settings {
    let mut s = base();
    for (k, v) in [
        ("customer_id", "1111111111"),
        ("start_date", "2024-01-31"),
        ("project_id", "my-project"),
    ] {
        s.set(k, Value::Str(v.into()));
    }
    s
}

fn file_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Dlt => ".dlt/secrets.toml",
        Lang::Mcp => "claude_desktop_config.json",
        l => l.info().default_file,
    }
}

/// Library ↔ tool: the settings both express survive library → tool → library, and
/// tool → library → tool, through adsconf's own parsers of both files.
/// The `.env` that `generate meltano -o` writes beside `meltano.yml` (its secrets).
fn with_dotenv(lang: Lang, config: &Path, settings: &Settings) {
    if lang == Lang::Meltano {
        let vars = formats::meltano::dotenv_vars(settings);
        std::fs::write(
            config.with_file_name(".env"),
            formats::meltano::dotenv_merge("", &vars),
        )
        .unwrap();
    }
}

#[test]
fn round_trip_between_every_library_and_every_tool() {
    let dir = tempfile::tempdir().unwrap();
    let libs: Vec<Lang> = Lang::all().filter(|l| !TOOLS.contains(l)).collect();
    let mut pairs = 0;
    for tool in TOOLS {
        for &lib in &libs {
            let tfmt = formats::format(tool);
            let lfmt = formats::format(lib);
            let b = base();
            // singer carries the login id only inside a login_customer_ids entry.
            let shared: Vec<&str> = b
                .values
                .keys()
                .map(String::as_str)
                .filter(|k| !(tool == Lang::Singer && *k == "login_customer_id"))
                .filter(|k| tfmt.expressible(k) && lfmt.expressible(k))
                .collect();
            if shared.is_empty() {
                continue;
            }
            pairs += 1;
            for (from, to) in [(lib, tool), (tool, lib)] {
                let (text, _) = convert::generate(from, &tool_only()).unwrap();
                let p = dir
                    .path()
                    .join(format!("{from}-{to}"))
                    .join(file_name(from));
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, &text).unwrap();
                with_dotenv(from, &p, &tool_only());
                let (src, parsed) = formats::load(&p, Some(from)).unwrap();
                assert!(
                    !parsed.is_fatal(),
                    "{from}: {:?}\n{}",
                    parsed.problems,
                    src.text
                );
                let read = formats::to_settings(&parsed);
                let (text2, _) = convert::generate(to, &read).unwrap();
                let q = dir
                    .path()
                    .join(format!("{from}-{to}-2"))
                    .join(file_name(to));
                std::fs::create_dir_all(q.parent().unwrap()).unwrap();
                std::fs::write(&q, &text2).unwrap();
                with_dotenv(to, &q, &read);
                let (_, parsed2) = formats::load(&q, Some(to)).unwrap();
                let back = formats::to_settings(&parsed2);
                for k in &shared {
                    let want = base().get(k).cloned();
                    // Meltano's secrets travel through the .env beside meltano.yml.
                    assert_eq!(back.get(k).cloned(), want, "{from} → {to}: {k}\n{text2}");
                }
            }
        }
    }
    assert!(pairs >= 30, "{pairs}");
}

#[test]
fn files_are_recognised_by_name_and_by_shape() {
    for (name, lang) in [
        ("source-google-ads.json", Lang::Airbyte),
        ("meltano.yml", Lang::Meltano),
        ("tap-google-ads.config.json", Lang::Singer),
        ("claude_desktop_config.json", Lang::Mcp),
        (".cursor/mcp.json", Lang::Mcp),
        (".vscode/mcp.json", Lang::Mcp),
        (".gemini/settings.json", Lang::Mcp),
        (".dlt/secrets.toml", Lang::Dlt),
    ] {
        assert_eq!(formats::detect(Path::new(name), None), Some(lang), "{name}");
    }
    // A VS Code settings.json is not an MCP file.
    assert_eq!(
        formats::detect(Path::new(".vscode/settings.json"), Some("{}")),
        None
    );
    for lang in TOOLS {
        let (text, _) = convert::generate(lang, &tool_only()).unwrap();
        assert_eq!(
            formats::detect(Path::new("config.json"), Some(&text))
                .or_else(|| formats::detect(Path::new("x.toml"), Some(&text)))
                .or_else(|| formats::detect(Path::new("x.yml"), Some(&text))),
            Some(lang),
            "{lang} by content:\n{text}"
        );
    }
}

fn check_json(dir: &Path, file: &str) -> serde_json::Value {
    let o = common::adsconf(dir, &["check", "--format", "json", file]);
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)))
}

fn rules_of(j: &serde_json::Value) -> Vec<(String, String)> {
    j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn generated_files_pass_check_and_are_private() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".dlt")).unwrap();
    for lang in TOOLS {
        let file = file_name(lang);
        let o = common::adsconf(
            dir.path(),
            &[
                "generate",
                lang.name(),
                "--from",
                "adsconf.toml",
                "-o",
                file,
            ],
        );
        // adsconf.toml does not exist yet on the first round.
        if !dir.path().join("adsconf.toml").exists() {
            let mut t = String::new();
            for (k, v) in tool_only().ordered() {
                t.push_str(&format!("{k} = \"{}\"\n", v.to_text()));
            }
            std::fs::write(dir.path().join("adsconf.toml"), t).unwrap();
            let o = common::adsconf(
                dir.path(),
                &[
                    "generate",
                    lang.name(),
                    "--from",
                    "adsconf.toml",
                    "-o",
                    file,
                ],
            );
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        } else {
            assert!(
                o.status.success(),
                "{lang}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(file))
                .unwrap()
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(mode, 0o600, "{lang}");
        }
        let j = check_json(dir.path(), file);
        let errors: Vec<_> = rules_of(&j)
            .into_iter()
            .filter(|(_, s)| s == "error")
            .collect();
        assert!(errors.is_empty(), "{lang}: {j}");
        // show masks the secrets.
        let o = common::adsconf(dir.path(), &["show", file]);
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success(),
            "{lang}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        for secret in [
            "GOCSPX-secret-value",
            "1//0refresh-token-value",
            "abcdefghijklmnopqrstuv",
        ] {
            assert!(!out.contains(secret), "{lang} show leaks {secret}:\n{out}");
        }
    }
    // Meltano's secrets went to .env beside meltano.yml, 0600.
    let env = std::fs::read_to_string(dir.path().join(".env")).unwrap();
    assert!(
        env.contains("TAP_GOOGLEADS_DEVELOPER_TOKEN='abcdefghijklmnopqrstuv'"),
        "{env}"
    );
    let yml = std::fs::read_to_string(dir.path().join("meltano.yml")).unwrap();
    assert!(!yml.contains("GOCSPX-secret-value"), "{yml}");
}

#[test]
fn shared_rules_apply_to_tool_files() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &str, &str, &str)] = &[
        // file, content, rule, severity
        (
            "source-google-ads.json",
            r#"{"credentials": {"developer_token": "d", "client_id": "1234-abc.apps.googleusercontent.com", "client_secret": "s", "refresh_token": "1//0x"}, "customer_id": "123-456-7890"}"#,
            "customer-id-format",
            "error",
        ),
        (
            "source-google-ads.json",
            r#"{"credentials": {"developer_token": "d", "client_id": "1234-abc.apps.googleusercontent.com", "client_secret": "s"}}"#,
            "missing-credentials",
            "error",
        ),
        (
            "tap-google-ads.config.json",
            r#"{"oauth_client_id": "1234-abc.apps.googleusercontent.com", "oauth_client_secret": "s", "refresh_token": "ya29.access", "developer_token": "d", "start_date": "2024-01-01T00:00:00Z", "customer_ids": "1", "login_customer_ids": []}"#,
            "refresh-token-format",
            "error",
        ),
        (
            "claude_desktop_config.json",
            r#"{"mcpServers": {"google-ads-mcp": {"command": "pipx", "args": ["run", "google-ads-mcp"], "env": {"GOOGLE_ADS_DEVELOPER_TOKEN": "INSERT_DEVELOPER_TOKEN_HERE", "GOOGLE_ADS_LOGIN_CUSTOMER_ID": "123-456-7890"}}}}"#,
            "customer-id-format",
            "warning",
        ),
        (
            "claude_desktop_config.json",
            r#"{"mcpServers": {"google-ads-mcp": {"command": "pipx", "env": {"GOOGLE_ADS_DEVELOPER_TOKEN": "INSERT_DEVELOPER_TOKEN_HERE"}}}}"#,
            "placeholder-value",
            "info",
        ),
        (
            "claude_desktop_config.json",
            "{\"mcpServers\": {\"google-ads-mcp\": {\"command\": \"pipx\",}}}",
            "syntax-error",
            "error",
        ),
        (
            ".dlt/secrets.toml",
            "[sources.google_ads]\ndev_token = \"d\"\ncustomer_id = \"123-456-7890\"\nimpersonated_email = \"\"\n[sources.google_ads.credentials]\nclient_id = \"1234-abc.apps.googleusercontent.com\"\nclient_secret = \"s\"\nrefresh_token = \"1//0x\"\nproject_id = \"p\"\n",
            "customer-id-format",
            "error",
        ),
    ];
    for (i, (file, text, rule, sev)) in cases.iter().enumerate() {
        let d = dir.path().join(i.to_string());
        let p = d.join(file);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        let j = check_json(&d, file);
        assert!(
            rules_of(&j).contains(&(rule.to_string(), sev.to_string())),
            "{file}: expected {rule} ({sev}): {j}"
        );
    }
}

#[test]
fn mcp_generate_merges_into_an_existing_client_file() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join(".vscode/mcp.json");
    std::fs::create_dir_all(cfg.parent().unwrap()).unwrap();
    let before = "{\n  \"servers\": {\n    \"github\": {\n      \"type\": \"http\",\n      \"url\": \"https://example.com/mcp\"\n    }\n  }\n}\n";
    std::fs::write(&cfg, before).unwrap();
    let mut t = String::new();
    for (k, v) in base().ordered() {
        t.push_str(&format!("{k} = \"{}\"\n", v.to_text()));
    }
    std::fs::write(dir.path().join("adsconf.toml"), t).unwrap();
    // Without --yes nothing is written, the diff is shown with the token masked.
    let o = common::adsconf(
        dir.path(),
        &[
            "generate",
            "mcp",
            "--client",
            "vscode",
            "-o",
            ".vscode/mcp.json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("google-ads-mcp") && !err.contains("abcdefghijklmnopqrstuv"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), before);
    let o = common::adsconf(
        dir.path(),
        &[
            "generate",
            "mcp",
            "--client",
            "vscode",
            "-o",
            ".vscode/mcp.json",
            "--yes",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let after: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cfg).unwrap()).unwrap();
    assert_eq!(after["servers"]["github"]["url"], "https://example.com/mcp");
    let e = &after["servers"]["google-ads-mcp"];
    assert_eq!(e["type"], "stdio");
    assert_eq!(
        e["env"]["GOOGLE_ADS_DEVELOPER_TOKEN"],
        "abcdefghijklmnopqrstuv"
    );
    assert_eq!(e["env"]["GOOGLE_ADS_LOGIN_CUSTOMER_ID"], "2222222222");
    // Running it again changes nothing.
    let o = common::adsconf(
        dir.path(),
        &[
            "generate",
            "mcp",
            "--client",
            "vscode",
            "-o",
            ".vscode/mcp.json",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn options_and_unexpressible_keys_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = String::new();
    for (k, v) in tool_only().ordered() {
        t.push_str(&format!("{k} = \"{}\"\n", v.to_text()));
    }
    std::fs::write(dir.path().join("adsconf.toml"), t).unwrap();
    let o = common::adsconf(dir.path(), &["generate", "airbyte"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success());
    assert!(err.contains("`login_customer_id`"), "{err}");
    let o = common::adsconf(
        dir.path(),
        &[
            "generate",
            "mcp",
            "--client",
            "claude",
            "--secrets-in",
            "env",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = common::adsconf(dir.path(), &["generate", "airbyte", "--client", "cursor"]);
    assert_eq!(o.status.code(), Some(2));
    let o = common::adsconf(dir.path(), &["generate", "mcp", "--client", "cursor"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("Application Default Credentials") && err.contains("`client_secret`"),
        "{err}"
    );
    assert!(
        !err.contains("mcp_client"),
        "options are not named as keys: {err}"
    );
}

#[test]
fn check_walks_tool_files_and_leaves_other_projects_alone() {
    let dir = tempfile::tempdir().unwrap();
    let w = |p: &str, t: &str| {
        let p = dir.path().join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, t).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
    };
    // Ours: a dlt project with a dashed customer id, found by `check -r`.
    w(
        "etl/.dlt/secrets.toml",
        "[sources.google_ads]\ndev_token = \"d\"\ncustomer_id = \"123-456-7890\"\nimpersonated_email = \"\"\n[sources.google_ads.credentials]\nclient_id = \"1234-abc.apps.googleusercontent.com\"\nclient_secret = \"s\"\nrefresh_token = \"1//0x\"\nproject_id = \"p\"\n",
    );
    // Not ours: another tool's secrets.toml, a Meltano project without tap-googleads, an MCP
    // client with other servers only.
    w(".streamlit/secrets.toml", "password = \"x\"\n");
    w(
        "other/.dlt/secrets.toml",
        "[sources.github]\naccess_token = \"x\"\n",
    );
    w(
        "m/meltano.yml",
        "plugins:\n  extractors:\n  - name: tap-github\n",
    );
    w(
        ".cursor/mcp.json",
        "{\"mcpServers\": {\"github\": {\"command\": \"x\"}}}\n",
    );
    let o = common::adsconf(dir.path(), &["check", "-r", ".", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = j["diagnostics"].as_array().unwrap();
    assert!(
        diags
            .iter()
            .any(|d| d["rule"] == "customer-id-format"
                && d["path"].as_str().unwrap().contains("etl")),
        "{j}"
    );
    for d in diags {
        let p = d["path"].as_str().unwrap();
        assert!(
            p.contains("etl"),
            "only the google_ads file has findings: {d}"
        );
    }
}

/// `generate --from meltano.yml` takes the project's `.env` as Meltano does: its secrets, and
/// its value over meltano.yml's; a value the `.env` takes from the environment (`${…}`) is
/// named and left out, not replaced by meltano.yml's (Meltano would not use that one).
#[test]
fn generate_from_meltano_reads_its_dotenv() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (yml, _) = convert::generate(Lang::Meltano, &tool_only()).unwrap();
    std::fs::write(d.join("meltano.yml"), yml).unwrap();
    std::fs::write(
        d.join(".env"),
        "TAP_GOOGLEADS_OAUTH_CREDENTIALS_CLIENT_SECRET='GOCSPX-from-dotenv'\n\
         export TAP_GOOGLEADS_OAUTH_CREDENTIALS_REFRESH_TOKEN=\"1//0from\\\\dotenv\" # c\n\
         TAP_GOOGLEADS_LOGIN_CUSTOMER_ID=${ADSCONF_TEST_LCID}\n",
    )
    .unwrap();
    let o = common::adsconf(d, &["generate", "python", "--from", "meltano.yml"]);
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        out.contains("client_secret: \"GOCSPX-from-dotenv\""),
        "{out}"
    );
    assert!(
        out.contains("refresh_token: \"1//0from\\\\dotenv\""),
        "{out}"
    );
    assert!(!out.contains("login_customer_id:"), "{out}");
    assert!(
        err.contains("`login_customer_id` comes from TAP_GOOGLEADS_LOGIN_CUSTOMER_ID"),
        "{err}"
    );
    // `show` says which values come from the .env, masks them, and names the one it cannot know.
    let o = common::adsconf(d, &["show", "meltano.yml"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.lines()
            .any(|l| l.starts_with("client_secret") && l.ends_with("(from .env)")),
        "{out}"
    );
    assert!(!out.contains("from-dotenv"), "a secret shown: {out}");
    assert!(
        out.contains("environment Meltano runs in (not shown): login_customer_id"),
        "{out}"
    );
}
