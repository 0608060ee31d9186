//! Hostile and odd input: one clear sentence naming the file, a sensible exit code, never a
//! panic — for every command that reads a config file.

mod common;

use std::path::Path;
use std::process::Output;

/// Commands that read FILE (the file is the last argument).
const READERS: &[&[&str]] = &[
    &["show"],
    &["check"],
    &["generate", "java", "--from"],
    &["set", "--dry-run"],
    &["fix", "--dry-run"],
];

fn run_all(dir: &Path, file: &str, extra: &[&str]) -> Vec<(String, Output)> {
    READERS
        .iter()
        .map(|cmd| {
            let mut args: Vec<&str> = cmd.to_vec();
            args.push(file);
            if cmd[0] == "set" {
                args.push("login_customer_id=1234567890");
            }
            // `generate` names the source's format with --from-lang.
            args.extend(extra.iter().map(|a| {
                if cmd[0] == "generate" && *a == "--lang" {
                    "--from-lang"
                } else {
                    a
                }
            }));
            (args.join(" "), common::adsconf(dir, &args))
        })
        .collect()
}

fn assert_clean_failure(label: &str, out: &Output, phrases: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{label}: panic: {err}"
    );
    let code = out.status.code();
    assert!(
        matches!(code, Some(1) | Some(2)),
        "{label}: exit {code:?}: {err}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let all = format!("{err}{stdout}");
    for p in phrases {
        assert!(all.contains(p), "{label}: expected {p:?} in: {all}");
    }
}

#[test]
fn binary_file() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("google-ads.yaml"),
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\xff\xfe",
    )
    .unwrap();
    for (label, out) in run_all(d.path(), "google-ads.yaml", &[]) {
        assert_clean_failure(&label, &out, &["google-ads.yaml"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("binary") || label.starts_with("check"),
            "{label}: {err}"
        );
    }
}

#[test]
fn file_over_the_size_cap() {
    let d = tempfile::tempdir().unwrap();
    let big = "developer_token: \"x\"\n".repeat(60_000);
    std::fs::write(d.path().join("google-ads.yaml"), &big).unwrap();
    for (label, out) in run_all(d.path(), "google-ads.yaml", &[]) {
        assert_clean_failure(&label, &out, &["google-ads.yaml", "ADSCONF_MAX_FILE_SIZE"]);
    }
    // The cap is configurable.
    let out = std::process::Command::new(common::bin())
        .args(["show", "google-ads.yaml"])
        .current_dir(d.path())
        .env("ADSCONF_MAX_FILE_SIZE", "4000000")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn invalid_utf8_where_the_format_is_utf8_but_not_for_java() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("google-ads.yaml"),
        b"developer_token: \"caf\xe9\"\n",
    )
    .unwrap();
    for (label, out) in run_all(d.path(), "google-ads.yaml", &[]) {
        assert_clean_failure(&label, &out, &["google-ads.yaml:1", "UTF-8"]);
    }
    // ads.properties is ISO-8859-1: the same byte is é.
    std::fs::write(
        d.path().join("ads.properties"),
        b"api.googleads.developerToken=caf\xe9\n",
    )
    .unwrap();
    let out = common::adsconf(
        d.path(),
        &["show", "ads.properties", "--format", "json", "--reveal"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("café"));
}

#[test]
fn directory_fifo_missing_and_unreadable() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("google-ads.yaml")).unwrap();
    for (label, out) in run_all(d.path(), "google-ads.yaml", &[]) {
        if label.starts_with("check") {
            // `check DIR` without -r: a usage error too.
            assert_clean_failure(&label, &out, &["google-ads.yaml"]);
        } else {
            assert_clean_failure(&label, &out, &["google-ads.yaml", "directory"]);
        }
    }
    for (label, out) in run_all(d.path(), "nope.yaml", &[]) {
        assert_clean_failure(&label, &out, &["nope.yaml"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("no such file") || err.contains("does not exist"),
            "{label}: {err}"
        );
        assert_eq!(out.status.code(), Some(2), "{label}");
    }
    #[cfg(unix)]
    {
        let fifo = d.path().join("fifo.yaml");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            for (label, out) in run_all(d.path(), "fifo.yaml", &[]) {
                assert_clean_failure(&label, &out, &["fifo.yaml", "not a regular file"]);
            }
        }
        // A file whose read fails even for root: /proc/self/mem reads give EIO.
        std::os::unix::fs::symlink("/proc/self/mem", d.path().join("unreadable.yaml")).unwrap();
        for (label, out) in run_all(d.path(), "unreadable.yaml", &["--lang", "python"]) {
            assert_clean_failure(&label, &out, &["unreadable.yaml"]);
        }
    }
}

#[test]
fn symlink_loop_under_check_r() {
    let d = tempfile::tempdir().unwrap();
    let sub = d.path().join("a/b");
    std::fs::create_dir_all(&sub).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(d.path().join("a"), sub.join("loop")).unwrap();
        std::os::unix::fs::symlink(sub.join("self.yaml"), sub.join("self.yaml")).unwrap();
    }
    std::fs::write(
        sub.join("google-ads.yaml"),
        "use_proto_plus: true\nclient_id: \"x.apps.googleusercontent.com\"\n",
    )
    .unwrap();
    let out = common::adsconf(d.path(), &["check", "-r", ".", "--format", "json"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(matches!(out.status.code(), Some(0) | Some(1)), "{err}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(json["summary"]["files"].as_u64().unwrap() >= 1, "{json}");
}

#[test]
fn yaml_alias_bomb_and_deep_nesting() {
    let d = tempfile::tempdir().unwrap();
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!(
            "{i}: &{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    bomb.push_str("logging: *i\n");
    std::fs::write(d.path().join("google-ads.yaml"), &bomb).unwrap();
    let start = std::time::Instant::now();
    for (label, out) in run_all(d.path(), "google-ads.yaml", &[]) {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{label}: {err}");
    }
    assert!(
        start.elapsed().as_secs() < 20,
        "alias bomb took {:?}",
        start.elapsed()
    );
    let deep = format!("logging: {}1{}\n", "[".repeat(50_000), "]".repeat(50_000));
    std::fs::write(d.path().join("google-ads.yaml"), &deep).unwrap();
    for (label, out) in run_all(d.path(), "google-ads.yaml", &[]) {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("overflow"),
            "{label}: {err}"
        );
    }
    let deep_json = format!(
        "{{\"GoogleAdsApi\": {{\"x\": {}1{}}}}}\n",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    std::fs::write(d.path().join("appsettings.json"), &deep_json).unwrap();
    for (label, out) in run_all(d.path(), "appsettings.json", &[]) {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("overflow"),
            "{label}: {err}"
        );
    }
}

#[test]
fn ruby_file_with_code_is_reported_not_run() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("google_ads_config.rb"),
        "system('touch pwned')\nGoogle::Ads::GoogleAds::Config.new do |c|\n  c.client_id = ENV['CLIENT_ID']\n  c.login_customer_id = '1234567890'\nend\n",
    )
    .unwrap();
    let out = common::adsconf(d.path(), &["show", "google_ads_config.rb"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("1234567890"), "{text}");
    assert!(
        text.contains(":1") || text.contains("line 1"),
        "the code on line 1 is named: {text}"
    );
    let out = common::adsconf(
        d.path(),
        &["check", "google_ads_config.rb", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "ruby-not-static"),
        "{json}"
    );
    assert!(
        !d.path().join("pwned").exists(),
        "adsconf must never run the file"
    );
}
