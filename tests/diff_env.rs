//! Differential test: `generate env` output (and quirky hand-written env files) sourced by
//! real shells, `sh` (dash on Debian) and `bash`, compared byte for byte with what adsconf
//! wrote or read.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use adsconf::formats;
use adsconf::lang::Lang;
use adsconf::model::{Settings, Value};
use adsconf::schema::{self, KeyType};
use adsconf::source::Source;
use proptest::strategy::{Strategy, ValueTree};

/// Variables a shell sets on its own (not from the file).
const SHELL_OWN: &[&str] = &["_", "PWD", "OLDPWD", "SHLVL", "PATH", "HOME"];

/// Source every file in one shell process (`set -a; . FILE` in a subshell) and return the
/// variables each file set, read from `env -0` (NUL-separated, so any value survives).
fn shell_read(shell: &Path, files: &[PathBuf]) -> Vec<BTreeMap<String, String>> {
    let script = r#"for f in "$@"; do printf 'FILE\001\0'; ( set -a; . "$f"; env -0 ); done"#;
    let mut cmd = Command::new(shell);
    cmd.env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", "/nonexistent")
        .arg("-c")
        .arg(script)
        .arg("sh");
    cmd.args(files);
    let out = cmd.output().expect("run shell");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut files_out = Vec::new();
    for rec in text.split('\0') {
        if rec == "FILE\u{1}" {
            files_out.push(BTreeMap::new());
            continue;
        }
        if let (Some(cur), Some((k, v))) = (files_out.last_mut(), rec.split_once('=')) {
            if !SHELL_OWN.contains(&k) {
                cur.insert(k.to_string(), v.to_string());
            }
        }
    }
    assert_eq!(
        files_out.len(),
        files.len(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    files_out
}

fn shells() -> Vec<PathBuf> {
    ["sh", "bash"]
        .iter()
        .filter_map(|s| common::require(s))
        .collect()
}

/// What the generated file must set: every variable of the env catalogue whose neutral key
/// is set (booleans that only some libraries normalise are written only when true).
fn expected(s: &Settings) -> BTreeMap<String, String> {
    let mut want = BTreeMap::new();
    for k in &Lang::Env.catalog().keys {
        let (Some(n), false) = (&k.neutral, k.deprecated) else {
            continue;
        };
        let Some(v) = s.get(n) else { continue };
        let text = match v {
            Value::Bool(false)
                if n == "use_application_default_credentials"
                    || n == "use_cloud_org_for_api_access" =>
            {
                continue
            }
            Value::Json(j) => j.to_string(),
            other => other.to_text(),
        };
        want.insert(k.key.clone(), text);
    }
    want
}

/// Neutral string keys the env target expresses.
fn string_keys() -> Vec<&'static str> {
    schema::neutral_keys()
        .iter()
        .filter(|n| matches!(n.ty, KeyType::String | KeyType::CustomerId))
        .filter(|n| Lang::Env.catalog().for_neutral(&n.name).is_some())
        .map(|n| n.name.as_str())
        .collect()
}

/// JSON with every object's keys sorted.
fn canon(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => {
            let sorted: BTreeMap<&String, serde_json::Value> =
                m.iter().map(|(k, v)| (k, canon(v))).collect();
            serde_json::to_value(sorted).unwrap()
        }
        other => other.clone(),
    }
}

fn check_cases(cases: &[Settings], label: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, s) in cases.iter().enumerate() {
        let text = formats::format(Lang::Env).render(s).expect("render");
        // Our own reader agrees with the model too (the shell below is the judge).
        let parsed = formats::format(Lang::Env).parse(&Source::of(&text));
        assert_eq!(parsed.problems, vec![], "{text}");
        let f = dir.path().join(format!("case{i}.env"));
        std::fs::write(&f, text).unwrap();
        files.push(f);
    }
    let shells = shells();
    for sh in &shells {
        let read = shell_read(sh, &files);
        for (s, got) in cases.iter().zip(&read) {
            let mut got = got.clone();
            let mut want = expected(s);
            // JSON compares as JSON (key order inside the mapping is not significant).
            for m in [&mut got, &mut want] {
                if let Some(j) = m.remove("GOOGLE_ADS_LOGGING") {
                    let v: serde_json::Value = serde_json::from_str(&j).expect("JSON");
                    m.insert("GOOGLE_ADS_LOGGING".into(), canon(&v).to_string());
                }
            }
            assert_eq!(got, want, "{} on {label}", sh.display());
        }
    }
    eprintln!(
        "env/{label}: {} files x {} shells read back exactly",
        cases.len(),
        shells.len()
    );
}

#[test]
fn awkward_values_survive_sh_and_bash() {
    let keys = string_keys();
    let values: Vec<String> = common::awkward_values()
        .into_iter()
        .filter(|v| !v.contains('\r'))
        .collect();
    let mut cases = Vec::new();
    for i in 0..values.len() {
        let mut s = Settings::default();
        for (j, n) in keys.iter().enumerate() {
            s.set(n, Value::Str(values[(i + j) % values.len()].clone()));
        }
        cases.push(s);
    }
    // Typed keys: booleans both ways, an int, JSON.
    let mut typed = Settings::default();
    typed.set("use_proto_plus", Value::Bool(false));
    typed.set("use_application_default_credentials", Value::Bool(true));
    typed.set("use_cloud_org_for_api_access", Value::Bool(false));
    typed.set("max_inbound_message_bytes", Value::Int(123456));
    typed.set(
        "logging",
        Value::Json(serde_json::json!({"version": 1, "handlers": {"h": {"class": "it's \"x\""}}})),
    );
    cases.push(typed);
    check_cases(&cases, "awkward");
}

#[test]
fn proptest_strings_survive_sh_and_bash() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let keys = string_keys();
    let strat = proptest::collection::vec(common::awkward_string(), 2000);
    let values = strat.new_tree(&mut runner).unwrap().current();
    let cases: Vec<Settings> = values
        .chunks(keys.len())
        .map(|chunk| {
            let mut s = Settings::default();
            for (n, v) in keys.iter().zip(chunk) {
                s.set(n, Value::Str(v.clone()));
            }
            s
        })
        .collect();
    check_cases(&cases, "proptest");
}

#[test]
fn parser_agrees_with_the_shell_on_quirk_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/env");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 4);
    for sh in shells() {
        let read = shell_read(&sh, &files);
        for (f, got) in files.iter().zip(read) {
            let text = std::fs::read_to_string(f).unwrap();
            let parsed = formats::format(Lang::Env).parse(&Source::of(&text));
            let mut ours: BTreeMap<String, String> = BTreeMap::new();
            for e in parsed.effective() {
                ours.insert(e.key.clone(), e.value.to_text());
            }
            // Every value we read is what the shell holds; every variable the shell set is
            // either read by us or reported as not static on its line.
            for (k, v) in &ours {
                assert_eq!(
                    got.get(k),
                    Some(v),
                    "{}: {k} ({})",
                    f.display(),
                    sh.display()
                );
            }
            for k in got.keys() {
                let reported = parsed
                    .problems
                    .iter()
                    .any(|p| text[p.span.clone()].contains(k.as_str()));
                assert!(
                    ours.contains_key(k) || reported,
                    "{}: the shell set {k} but adsconf neither read it nor reported it",
                    f.display()
                );
            }
            if f.ends_with("dynamic.env") {
                for k in [
                    "LOGIN_CUSTOMER_ID",
                    "REFRESH_TOKEN",
                    "ENDPOINT",
                    "CLIENT_SECRET",
                    "IMPERSONATED_EMAIL",
                ] {
                    assert!(
                        parsed
                            .problems
                            .iter()
                            .any(|p| text[p.span.clone()].contains(k)),
                        "{k} not reported: {:?}",
                        parsed.problems
                    );
                }
                assert!(!ours.contains_key("GOOGLE_ADS_ENDPOINT"));
            } else {
                assert_eq!(parsed.problems, vec![], "{}", f.display());
            }
        }
    }
}
