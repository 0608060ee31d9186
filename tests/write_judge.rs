//! One judge for writing and checking (issue 12): `set`, `fix`, `generate` (file and stdout)
//! never write what `check` calls an error unless `--force`; values with one safe meaning are
//! normalised and said; errors already in the file elsewhere do not block a write.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use adsconf::judge::{self, Leniency, Proposal};
use adsconf::lang::Lang;
use adsconf::model::{Settings, Value};

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn check_errors(dir: &Path, file: &str) -> Vec<String> {
    let o = common::adsconf(dir, &["check", file, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| format!("{}: {}", d["rule"], d["message"]))
        .collect()
}

const YAML: &str = "# mine\nuse_proto_plus: true\nclient_id: \"1-abc.apps.googleusercontent.com\"\nclient_secret: \"GOCSPX-abcdefgh\"\nrefresh_token: \"1//0abcdefghij\"\n";

#[test]
fn set_normalises_a_value_with_one_meaning_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("google-ads.yaml"), YAML).unwrap();
    let o = common::adsconf(
        dir.path(),
        &[
            "set",
            "google-ads.yaml",
            "login_customer_id=123-456-7890",
            "--yes",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = std::fs::read_to_string(dir.path().join("google-ads.yaml")).unwrap();
    assert!(text.contains("login_customer_id: \"1234567890\""), "{text}");
    assert!(err(&o).contains("remove the separators"), "{}", err(&o));
    assert!(err(&o).contains("1234567890"), "{}", err(&o));
    assert!(check_errors(dir.path(), "google-ads.yaml").is_empty());
}

#[test]
fn set_refuses_an_error_with_checks_own_message_unless_force() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("google-ads.yaml");
    std::fs::write(&f, YAML).unwrap();
    let o = common::adsconf(
        dir.path(),
        &["set", "google-ads.yaml", "login_customer_id=123", "--yes"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        YAML,
        "nothing written"
    );
    let refusal = err(&o);
    assert!(refusal.contains("--force"), "{refusal}");
    // Write it anyway, then check says the very same sentence.
    let o = common::adsconf(
        dir.path(),
        &[
            "set",
            "google-ads.yaml",
            "login_customer_id=123",
            "--yes",
            "--force",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let found = check_errors(dir.path(), "google-ads.yaml");
    assert_eq!(found.len(), 1, "{found:?}");
    let message: serde_json::Value =
        serde_json::from_str(found[0].split_once(": ").unwrap().1).unwrap();
    let message = message.as_str().unwrap();
    assert!(
        refusal.contains(message),
        "refusal:\n{refusal}\ncheck: {message}"
    );
    assert!(
        refusal.contains("error[ADS"),
        "rendered as check renders it: {refusal}"
    );
}

#[test]
fn errors_elsewhere_in_the_file_do_not_block_a_repair() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("google-ads.yaml");
    let broken = format!("{YAML}login_customer_id: \"123\"\n");
    std::fs::write(&f, &broken).unwrap();
    assert_eq!(check_errors(dir.path(), "google-ads.yaml").len(), 1);
    let o = common::adsconf(
        dir.path(),
        &[
            "set",
            "google-ads.yaml",
            "client_id=2-xyz.apps.googleusercontent.com",
            "--yes",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // Removing the line just above the old error leaves that error as it was: not blocking.
    let broken = format!("{YAML}endpoint: googleads.googleapis.com\nlogin_customer_id: \"123\"\n");
    std::fs::write(&f, &broken).unwrap();
    let o = common::adsconf(
        dir.path(),
        &["set", "google-ads.yaml", "--unset", "endpoint", "--yes"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(!std::fs::read_to_string(&f).unwrap().contains("endpoint"));
    // ... but a write that makes another line wrong is refused (credentials that now conflict).
    std::fs::write(dir.path().join("ads.properties"), "api.googleads.clientId=1-abc.apps.googleusercontent.com\napi.googleads.clientSecret=GOCSPX-abcdefgh\napi.googleads.refreshToken=1//0abcdefghij\n").unwrap();
    let o = common::adsconf(
        dir.path(),
        &[
            "set",
            "ads.properties",
            "json_key_file_path=/etc/sa.json",
            "--yes",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("conflicting-credentials"), "{}", err(&o));
}

#[test]
fn generate_to_stdout_and_to_a_file_is_judged_too() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.toml"),
        "client_id = \"foo\"\nclient_secret = \"GOCSPX-x\"\nrefresh_token = \"1//0abc\"\n",
    )
    .unwrap();
    for out in [&[][..], &["-o", "google-ads.yaml"][..]] {
        let mut args = vec!["generate", "python", "--from", "a.toml"];
        args.extend_from_slice(out);
        let o = common::adsconf(dir.path(), &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", err(&o));
        assert!(o.stdout.is_empty());
        assert!(err(&o).contains("client-id-format"), "{}", err(&o));
        assert!(!dir.path().join("google-ads.yaml").exists());
        args.push("--force");
        let o = common::adsconf(dir.path(), &args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", err(&o));
    }
    // A key file that is not on this machine is a note, not a refusal.
    std::fs::write(
        dir.path().join("sa.toml"),
        "json_key_file_path = \"/nowhere/sa.json\"\n",
    )
    .unwrap();
    let o = common::adsconf(dir.path(), &["generate", "php", "--from", "sa.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        err(&o).contains("note:") && err(&o).contains("/nowhere/sa.json"),
        "{}",
        err(&o)
    );
}

#[test]
fn fix_that_exposes_a_wrong_value_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("googleads.properties");
    let text = "clientId=1-abc.apps.googleusercontent.com\nclientSecret=GOCSPX-abcdefgh\nrefreshToken=1//0abcdefghij\nlogin_customer_id=123\n";
    std::fs::write(&f, text).unwrap();
    let o = common::adsconf(dir.path(), &["fix", "googleads.properties", "--yes"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("customer-id-format"), "{}", err(&o));
    assert_eq!(std::fs::read_to_string(&f).unwrap(), text);
}

/// The promise, over awkward values in every key of every library: what the judge lets
/// through has no error-level finding `check` would report (besides the machine's own: a
/// key file that is not here).
#[test]
fn nothing_judged_writable_fails_check() {
    let values = common::awkward_values();
    let mut checked = 0;
    let mut refused = 0;
    for lang in [
        Lang::Java,
        Lang::Dotnet,
        Lang::DotnetJson,
        Lang::Php,
        Lang::Python,
        Lang::Ruby,
        Lang::Perl,
        Lang::Env,
    ] {
        let keys = common::lang_keys(lang);
        for s in common::rotated_cases(&keys, &values)
            .into_iter()
            .chain(one_key_cases(&keys))
        {
            let Ok((text, _)) = adsconf::convert::generate(lang, &s) else {
                continue; // refused before rendering (newlines, two credential kinds)
            };
            let p = Proposal {
                path: None,
                lang,
                old: None,
                new_text: &text,
                encoding: lang.info().encoding,
            };
            let v = judge::judge(&p, Leniency::default());
            if !v.errors.is_empty() {
                refused += 1;
                continue;
            }
            let src = adsconf::source::Source::new(None, v.text.clone(), lang.info().encoding);
            let parsed = adsconf::formats::format(lang).parse(&src);
            let left: Vec<String> =
                judge::findings("f", Path::new(lang.info().default_file), &src, &parsed)
                    .into_iter()
                    .filter(|d| d.severity == adsconf::diag::Severity::Error)
                    .filter(|d| !judge::ABOUT_THIS_MACHINE.contains(&d.rule))
                    .map(|d| format!("{}: {}", d.rule, d.message))
                    .collect();
            assert!(
                left.is_empty(),
                "{lang}: judged writable but check says {left:?}\n{}",
                v.text
            );
            checked += 1;
        }
    }
    assert!(
        checked > 50 && refused > 50,
        "checked {checked}, refused {refused}"
    );
}

/// One good credential set plus one awkward value in one key at a time.
fn one_key_cases(keys: &[(&str, adsconf::schema::KeyType)]) -> Vec<Settings> {
    let mut base = BTreeMap::new();
    base.insert("client_id", "1-abc.apps.googleusercontent.com");
    base.insert("client_secret", "GOCSPX-abcdefgh");
    base.insert("refresh_token", "1//0abcdefghij");
    let mut out = Vec::new();
    for (k, ty) in keys {
        if *ty == adsconf::schema::KeyType::Bool {
            continue;
        }
        for v in [
            "123-456-7890",
            "0123456789",
            " 1234567890",
            "INSERT_HERE",
            "x",
        ] {
            let mut s = Settings::default();
            for (bk, bv) in &base {
                if keys.iter().any(|(n, _)| n == bk) {
                    s.set(bk, Value::Str(bv.to_string()));
                }
            }
            s.set(k, Value::Str(v.to_string()));
            out.push(s);
        }
    }
    out
}
