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

/// Tails that must never show (issue 13, points 2–6): each file below hides them in a way
/// the first canary test does not — a misspelt secret key, a secret-shaped value under a
/// non-secret key, a short secret (its first 4 characters would be most of it), a proxy
/// password under a misspelt key, a syntax error whose snippet holds a secret, a PHP value
/// expanded from adsconf's own environment.
const NEW_TAILS: &[&str] = &[
    "tail-misspelt",
    "tail-shaped",
    "QZsh",
    "tail-prxy",
    "tail-broken",
    "tail-next",
    "tail-envexp",
    "tail-envsecret",
];

fn new_leaks(text: &str) -> Vec<&'static str> {
    NEW_TAILS
        .iter()
        .copied()
        .filter(|t| text.contains(t))
        .collect()
}

/// (file name, --lang, content)
fn hostile_files() -> Vec<(&'static str, &'static str, String)> {
    vec![
        (
            "google-ads.yaml",
            "python",
            "login_customer_id: \"1234567890\"\nclient_secert: \"GOCSPX-canary-tail-misspelt\"\ndeveloper-tkn: \"DEVTcanary-tail-misspelt\"\nclient_id: \"1//0canary-tail-shaped\"\ndeveloper_token: \"QZshrt\"\nhttp_prxy: \"http://user:pw-canary-tail-prxy@proxy:1\"\nuse_proto_plus: true\n".into(),
        ),
        (
            "broken.yaml",
            "python",
            "client_secret: \"GOCSPX-canary-tail-broken\nrefresh_token: 1//0canary-tail-next\nuse_proto_plus: true\n".into(),
        ),
        (
            "googleads.properties",
            "perl",
            "clientId=1//0canary-tail-shaped\nclientSecert=GOCSPXcanary-tail-misspelt\ndeveloperToken=QZshrt\nloginCustomerId=1234567890\n".into(),
        ),
        (
            "ads.properties",
            "java",
            "api.googleads.clientSecert=canary-tail-misspelt\napi.googleads.clientId=1//0canary-tail-shaped\napi.googleads.developerToken=QZshrt\napi.googleads.loginCustomerId=1234567890\n".into(),
        ),
        (
            "google_ads_php.ini",
            "php",
            "[GOOGLE_ADS]\ndeveloperToken = \"QZshrt\"\nloginCustomerId = \"1234567890\"\n[OAUTH2]\nclientId = \"${ADSCONF_CANARY_ENV}\"\nclientSecret = \"${ADSCONF_CANARY_SECRET}\"\nclientSecert = \"GOCSPX-canary-tail-misspelt\"\nrefreshToken = \"1//0canary-tail-shaped\"\n".into(),
        ),
        (
            "broken.ini",
            "php",
            "[OAUTH2]\nclientSecret = \"GOCSPX-canary-tail-broken\nrefreshToken = \"1//0canary-tail-next\"\n".into(),
        ),
        (
            "ads.env",
            "env",
            "export GOOGLE_ADS_CLIENT_SECRT='GOCSPX-canary-tail-misspelt'\nexport GOOGLE_ADS_CLIENT_ID='1//0canary-tail-shaped'\nexport GOOGLE_ADS_DEVELOPER_TOKEN='QZshrt'\nexport GOOGLE_ADS_LOGIN_CUSTOMER_ID=1234567890\n".into(),
        ),
        (
            "broken.env",
            "env",
            "export GOOGLE_ADS_CLIENT_SECRET='GOCSPX-canary-tail-broken\nexport GOOGLE_ADS_REFRESH_TOKEN=1//0canary-tail-next\n".into(),
        ),
    ]
}

#[test]
fn shaped_short_misspelt_broken_and_env_expanded_secrets_never_show() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut checked = 0;
    for (file, lang, content) in hostile_files() {
        std::fs::write(d.join(file), &content).unwrap();
        let out_file = format!("converted-{file}.yaml");
        let runs: Vec<Vec<&str>> = vec![
            vec!["show", file, "--lang", lang],
            vec!["show", file, "--lang", lang, "--format", "json"],
            vec!["show", file, "--lang", lang, "--format", "toml"],
            vec!["check", file, "--lang", lang],
            vec!["check", file, "--lang", lang, "--format", "json"],
            vec!["check", file, "--lang", lang, "--format", "sarif"],
            vec!["check", file, "--lang", lang, "--format", "github"],
            vec![
                "set",
                file,
                "--lang",
                lang,
                "login_customer_id=1111111111",
                "--dry-run",
            ],
            vec!["fix", file, "--lang", lang, "--dry-run"],
            vec!["fix", file, "--lang", lang, "--unsafe-fixes", "--dry-run"],
            // (`generate` to stdout prints secrets by design; see the env check below.)
            vec![
                "generate",
                "python",
                "--from",
                file,
                "--from-lang",
                lang,
                "-o",
                &out_file,
                "--yes",
            ],
            vec![
                "verify",
                file,
                "--lang",
                lang,
                "--token-uri",
                "http://127.0.0.1:9/token",
                "--api-base",
                "http://127.0.0.1:9",
            ],
        ];
        for args in runs {
            let out = std::process::Command::new(common::bin())
                .args(&args)
                .current_dir(d)
                .env("NO_COLOR", "1")
                .env("ADSCONF_CANARY_ENV", "envcanary-tail-envexp")
                .env("ADSCONF_CANARY_SECRET", "GOCSPX-canary-tail-envsecret")
                .stdin(std::process::Stdio::null())
                .output()
                .unwrap();
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(!all.contains("panicked"), "{args:?}: {all}");
            assert!(
                new_leaks(&all).is_empty(),
                "`adsconf {}` leaked {:?}:\n{all}",
                args.join(" "),
                new_leaks(&all)
            );
            checked += 1;
        }
    }
    // generate to stdout prints the file's secrets by design, but never a value PHP would take
    // from adsconf's own environment (left out unless --reveal).
    let run = |args: &[&str]| {
        let out = std::process::Command::new(common::bin())
            .args(args)
            .current_dir(d)
            .env("ADSCONF_CANARY_ENV", "envcanary-tail-envexp")
            .env("ADSCONF_CANARY_SECRET", "GOCSPX-canary-tail-envsecret")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
    };
    let g = run(&["generate", "python", "--from", "google_ads_php.ini"]);
    assert!(
        !g.contains("tail-envexp") && !g.contains("tail-envsecret"),
        "{g}"
    );
    assert!(g.contains("taken from the environment"), "{g}");
    let g = run(&[
        "generate",
        "python",
        "--from",
        "google_ads_php.ini",
        "--reveal",
    ]);
    assert!(g.contains("tail-envexp"), "{g}");
    // Asked for: --reveal shows an env-expanded value, so the test above could fail.
    let out = std::process::Command::new(common::bin())
        .args(["show", "google_ads_php.ini", "--format", "json", "--reveal"])
        .current_dir(d)
        .env("ADSCONF_CANARY_ENV", "envcanary-tail-envexp")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("tail-envexp"));
    eprintln!("secrets: {checked} runs over the hostile files");
    assert!(checked >= 90);
}

#[test]
fn environment_listings_mask_misspelt_and_shaped_variables() {
    // `show --lang LANG` (no file) lists the GOOGLE_ADS_* variables, known or not.
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["show", "--lang", "python"],
        vec!["show", "--lang", "env"],
        vec!["show", "--lang", "env", "--format", "json"],
        vec!["show", "--lang", "env", "--format", "toml"],
        vec!["check", "--lang", "python"],
    ] {
        let out = std::process::Command::new(common::bin())
            .args(&args)
            .current_dir(dir.path())
            .env("HOME", dir.path())
            .env("NO_COLOR", "1")
            .env("GOOGLE_ADS_CLIENT_SECRT", "GOCSPX-canary-tail-misspelt")
            .env("GOOGLE_ADS_DEVELOPER_TKN", "DEVTOKENcanary-tail-misspelt")
            .env("GOOGLE_ADS_HTTP_PRXY", "http://u:pw-canary-tail-prxy@h:1")
            .env("GOOGLE_ADS_CLIENT_ID", "1//0canary-tail-shaped")
            .env("GOOGLE_ADS_DEVELOPER_TOKEN", "QZshrt")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains("panicked"), "{args:?}: {all}");
        assert!(
            new_leaks(&all).is_empty(),
            "`adsconf {}` leaked {:?}:\n{all}",
            args.join(" "),
            new_leaks(&all)
        );
    }
}

#[test]
fn error_messages_that_quote_a_value_mask_secret_shapes() {
    // Issue 13, point 5: a refresh token pasted into the wrong key is quoted by the error.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("google-ads.yaml"), "use_proto_plus: true\n").unwrap();
    for kv in [
        "use_proto_plus=1//0canary-tail-shaped",
        "use_proto_plus=GOCSPX-canary-tail-shaped",
        "login_customer_id=ya29.canary-tail-shaped",
    ] {
        let out = common::adsconf(dir.path(), &["set", "google-ads.yaml", kv, "--yes"]);
        let all = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(!all.contains("panicked"), "{all}");
        assert!(new_leaks(&all).is_empty(), "{kv}: {all}");
    }
}
