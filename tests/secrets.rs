//! Secrets never appear in output unless asked: every command and output format over files
//! of every format holding canary secrets.

mod common;

use adsconf::formats;
use adsconf::lang::LANGS;
use adsconf::model::{Settings, Value};

/// Canary values: the first 4 chars may show (masked form), the tails must never.
const CANARIES: &[(&str, &str)] = &[
    ("developer_token", "DEVTcanary-tail-developer"),
    ("client_secret", "GOCScanary-tail-clientsecret"),
    ("refresh_token", "1//0canary-tail-refresh"),
];
const PROXY: &str = "http://user:PWDcanary-tail-proxy@proxy.example:8080";
const TAILS: &[&str] = &[
    "canary-tail-developer",
    "canary-tail-clientsecret",
    "canary-tail-refresh",
    "canary-tail-proxy",
];

fn settings() -> Settings {
    let mut s = Settings::default();
    for (k, v) in CANARIES {
        s.set(k, Value::Str(v.to_string()));
    }
    s.set(
        "client_id",
        Value::Str("123-abc.apps.googleusercontent.com".into()),
    );
    s.set("login_customer_id", Value::Str("123-456-7890".into()));
    s.set("http_proxy", Value::Str(PROXY.into()));
    s.set("use_proto_plus", Value::Bool(true));
    s
}

fn leaks(text: &str) -> Vec<&'static str> {
    TAILS.iter().copied().filter(|t| text.contains(t)).collect()
}

#[test]
fn no_command_prints_a_secret_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = settings();
    let mut checked = 0;
    for info in LANGS {
        let Ok((text, _)) = adsconf::convert::generate(info.lang, &s) else {
            continue;
        };
        let file = info.default_file;
        if let Some(parent) = d.join(file).parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(
            d.join(file),
            adsconf::source::encode(&text, info.encoding).unwrap(),
        )
        .unwrap();
        let other = if info.name == "python" {
            "php"
        } else {
            "python"
        };
        let out_file = format!("converted-{}", info.name);
        let runs: Vec<Vec<&str>> = vec![
            vec!["show", file],
            vec!["show", file, "--format", "json"],
            vec!["show", file, "--format", "toml"],
            vec!["check", file],
            vec!["check", file, "--format", "json"],
            vec!["check", file, "--format", "sarif"],
            vec!["check", file, "--format", "github"],
            vec!["set", file, "login_customer_id=1234567890", "--dry-run"],
            vec![
                "set",
                file,
                "client_secret=GOCSnew-canary-tail-clientsecret",
                "--dry-run",
            ],
            vec!["fix", file, "--dry-run"],
            vec!["fix", file, "--unsafe-fixes", "--dry-run"],
            vec!["generate", other, "--from", file, "-o", &out_file],
            vec![
                "verify",
                file,
                "--token-uri",
                "http://127.0.0.1:9/token",
                "--api-base",
                "http://127.0.0.1:9",
            ],
        ];
        for args in runs {
            let out = common::adsconf(d, &args);
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(!all.contains("panicked"), "{args:?}: {all}");
            assert!(
                leaks(&all).is_empty(),
                "`adsconf {}` leaked {:?}:\n{all}",
                args.join(" "),
                leaks(&all)
            );
            checked += 1;
        }
        // Asked for: --reveal shows them (so the test above could fail).
        let out = common::adsconf(d, &["show", file, "--format", "json", "--reveal"]);
        let all = String::from_utf8_lossy(&out.stdout).to_string();
        // Meltano writes the tokens to .env, not meltano.yml.
        let tokens_in_file = formats::format(info.lang).expressible("refresh_token")
            && info.lang != adsconf::lang::Lang::Meltano;
        if tokens_in_file {
            assert!(
                all.contains("canary-tail-refresh"),
                "{}: --reveal must show the secret: {all}",
                info.name
            );
        }
    }
    eprintln!(
        "secrets: {checked} command runs checked over {} formats",
        LANGS.len()
    );
    assert!(checked >= 100);
}
