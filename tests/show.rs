//! `adsconf show`: the three formats, masking, --reveal, unknown keys, discovery with a fake
//! HOME and environment, and the exit code for a file the library cannot parse.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn show_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(common::bin());
    c.args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

const PERL: &str = "# c\nclientId=abc.apps.googleusercontent.com\nclientSecret=GOCSPX-verysecret\nrefreshToken=1//0refresh\nloginCustomerId=0123456789\nclient_id=wrong-name\nclientSecert=typo-secret\nproxy=http://u:hunter2@proxy:8080\n";

#[test]
fn text_masks_secrets_and_explains_unknown_keys() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("googleads.properties"), PERL).unwrap();
    let o = common::adsconf(d.path(), &["show", "googleads.properties"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let t = stdout(&o);
    assert!(
        t.contains("client_id         = \"abc.apps.googleusercontent.com\""),
        "{t}"
    );
    assert!(t.contains("client_secret     = \"GOCS…\""), "{t}");
    assert!(t.contains("login_customer_id = \"0123456789\""), "{t}");
    assert!(t.contains("http://u:hunt…@proxy:8080"), "{t}");
    assert!(
        !t.contains("verysecret") && !t.contains("hunter2") && !t.contains("typo-secret"),
        "{t}"
    );
    assert!(t.contains("ignored by google-ads-perl:"), "{t}");
    assert!(t.contains("did you mean `clientId`?"), "{t}");
    assert!(t.contains("did you mean `clientSecret`?"), "{t}");
    let o = common::adsconf(d.path(), &["show", "googleads.properties", "--reveal"]);
    let t = stdout(&o);
    assert!(t.contains("GOCSPX-verysecret") && t.contains("hunter2") && t.contains("typo-secret"));
}

#[test]
fn json_has_the_contract_shape() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("googleads.properties"), PERL).unwrap();
    let o = common::adsconf(
        d.path(),
        &["show", "googleads.properties", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let obj = v.as_object().unwrap();
    assert_eq!(
        obj.keys().collect::<Vec<_>>(),
        ["lang", "known", "loaded", "unknown"]
    );
    // Perl's loader ends with its default service address (with the trailing slash).
    assert_eq!(v["loaded"]["endpoint"], "https://googleads.googleapis.com/");
    assert_eq!(v["loaded"]["refresh_token"], "1//0…");
    assert_eq!(v["lang"], "perl");
    assert_eq!(v["known"]["login_customer_id"], "0123456789");
    assert_eq!(v["known"]["refresh_token"], "1//0…");
    assert_eq!(v["unknown"]["client_id"], "wrong-name");
    assert_eq!(v["unknown"]["clientSecert"], "typo…");
    let o = common::adsconf(
        d.path(),
        &[
            "show",
            "googleads.properties",
            "--format",
            "json",
            "--reveal",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["known"]["refresh_token"], "1//0refresh");
}

#[test]
fn toml_is_accepted_by_generate() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("googleads.properties"), PERL).unwrap();
    let o = common::adsconf(
        d.path(),
        &["show", "googleads.properties", "--format", "toml"],
    );
    let t = stdout(&o);
    assert!(
        t.contains("# client_secret = \"GOCS…\""),
        "masked secrets are commented out: {t}"
    );
    let o = common::adsconf(
        d.path(),
        &[
            "show",
            "googleads.properties",
            "--format",
            "toml",
            "--reveal",
        ],
    );
    std::fs::write(d.path().join("adsconf.toml"), stdout(&o)).unwrap();
    // The file's odd values (a wrong-name client id) are what this round trip carries.
    let g = common::adsconf(
        d.path(),
        &["generate", "env", "--from", "adsconf.toml", "--force"],
    );
    assert_eq!(
        g.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&g.stderr)
    );
    let env = stdout(&g);
    assert!(
        env.contains("export GOOGLE_ADS_CLIENT_SECRET='GOCSPX-verysecret'"),
        "{env}"
    );
    assert!(
        env.contains("export GOOGLE_ADS_LOGIN_CUSTOMER_ID='0123456789'"),
        "{env}"
    );
}

#[test]
fn syntax_error_exits_1_with_position() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("googleads.env"),
        "export A=1\nexport GOOGLE_ADS_CLIENT_ID='x\n",
    )
    .unwrap();
    let o = common::adsconf(d.path(), &["show", "googleads.env"]);
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("googleads.env:2:29:"), "{e}");
    let o = common::adsconf(d.path(), &["show"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn discovery_with_fake_home_and_environment() {
    let d = tempfile::tempdir().unwrap();
    let home = d.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("googleads.properties"), PERL).unwrap();
    let h = home.to_str().unwrap();
    let o = show_env(
        d.path(),
        &["show", "--lang", "perl"],
        &[
            ("HOME", h),
            ("GOOGLE_ADS_CLIENT_SECRET", "envsecret-x"),
            ("GOOGLE_ADS_LOGGING", "{}"),
            ("GOOGLE_ADS_CLEINT_ID", "typo"),
        ],
    );
    let t = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(
        t.contains(&format!("google-ads-perl loads {h}/googleads.properties")),
        "{t}"
    );
    assert!(t.contains("client_secret     = \"GOCS…\""), "{t}");
    assert!(
        t.contains("GOOGLE_ADS_CLIENT_SECRET = \"envs…\"  [overrides]"),
        "{t}"
    );
    assert!(t.contains("configure_from_environment_variables()"), "{t}");
    assert!(t.contains("GOOGLE_ADS_LOGGING"), "{t}");
    assert!(t.contains("not read by google-ads-perl"), "{t}");
    assert!(t.contains("did you mean GOOGLE_ADS_CLIENT_ID?"), "{t}");
    assert!(!t.contains("envsecret-x"));
    // Python: the file is missing, so the library would fail (exit 1), and env never merges.
    let o = show_env(
        d.path(),
        &["show", "--lang", "python"],
        &[("HOME", h), ("GOOGLE_ADS_CLIENT_ID", "x")],
    );
    assert_eq!(o.status.code(), Some(1));
    let t = stdout(&o);
    assert!(
        t.contains(&format!("{h}/google-ads.yaml")) && t.contains("none exists"),
        "{t}"
    );
    assert!(t.contains("[not merged]"), "{t}");
    // The path variable wins.
    std::fs::write(d.path().join("x.properties"), "developerToken=abcdefgh\n").unwrap();
    let o = show_env(
        d.path(),
        &["show", "--lang", "perl", "--format", "json"],
        &[
            ("HOME", h),
            ("GOOGLE_ADS_CONFIGURATION_FILE_PATH", "x.properties"),
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["known"]["developer_token"], "abcd…");
    // .NET has no default file.
    let o = show_env(d.path(), &["show", "--lang", "dotnet"], &[("HOME", h)]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("no default file"));
}

#[test]
fn show_lang_env_reads_the_environment() {
    let d = tempfile::tempdir().unwrap();
    let o = show_env(
        d.path(),
        &["show", "--lang", "env", "--format", "json"],
        &[
            ("GOOGLE_ADS_REFRESH_TOKEN", "1//0secret"),
            ("GOOGLE_ADS_LOGIN_CUSTOMER_ID", "0123456789"),
            ("GOOGLE_ADS_CLEINT_ID", "x"),
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["lang"], "env");
    assert_eq!(v["known"]["refresh_token"], "1//0…");
    assert_eq!(v["known"]["login_customer_id"], "0123456789");
    assert_eq!(v["unknown"]["GOOGLE_ADS_CLEINT_ID"], "x");
}
