//! `adsconf check` from the outside: exit codes, the four output formats (SARIF validated
//! against the SARIF 2.1.0 schema), secrets, `-r` walks, the default files, `rules`, `explain`.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use adsconf::rules::RULES;

const CREDS: &str = "clientId=1234567890-abc123.apps.googleusercontent.com\nclientSecret=GOCSPX-verysecretvalue\nrefreshToken=1//0averysecretrefreshtoken\n";

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(common::bin())
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("HOME", dir.join("home"))
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run adsconf")
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A temp dir with an empty `home/` and the given files (mode 0600).
fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("home")).unwrap();
    for (name, text) in files {
        let p = d.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
    }
    d
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(o)))
}

/// The paths of the findings of one rule, in report order.
fn paths_with(v: &serde_json::Value, rule: &str) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect()
}

fn rules_of(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn exit_codes() {
    let d = dir_with(&[
        ("clean/googleads.properties", CREDS),
        (
            "warn/googleads.properties",
            &format!("loginCustomerId=1111111111\n{CREDS}loginCustomerId=2222222222\n"),
        ),
        (
            "err/googleads.properties",
            &format!("loginCustomerId=12345\n{CREDS}"),
        ),
        (
            "info/googleads.properties",
            &format!("developerToken=abcdefghijklmnopqrstuv\n{CREDS}"),
        ),
    ]);
    let p = d.path();
    let clean = run(p, &["check", "clean/googleads.properties"], &[]);
    assert_eq!(code(&clean), 0, "{}", stdout(&clean));
    assert_eq!(stdout(&clean), "no problems found in 1 file\n");
    assert_eq!(
        code(&run(p, &["check", "info/googleads.properties"], &[])),
        0
    );
    assert_eq!(
        code(&run(
            p,
            &["check", "info/googleads.properties", "--deny", "warnings"],
            &[]
        )),
        0,
        "infos never fail"
    );
    assert_eq!(
        code(&run(p, &["check", "warn/googleads.properties"], &[])),
        0
    );
    assert_eq!(
        code(&run(
            p,
            &["check", "--deny", "warnings", "warn/googleads.properties"],
            &[]
        )),
        1
    );
    assert_eq!(
        code(&run(p, &["check", "err/googleads.properties"], &[])),
        1
    );
    // --ignore by name or by code.
    for ign in ["customer-id-format", "ADS003", "ads003"] {
        let o = run(
            p,
            &[
                "check",
                "--ignore",
                ign,
                "--format",
                "json",
                "err/googleads.properties",
            ],
            &[],
        );
        assert_eq!(code(&o), 0, "--ignore {ign}");
        assert!(!rules_of(&json(&o)).contains(&"customer-id-format".to_string()));
    }
    // Errors of use: exit 2 with one sentence.
    let o = run(p, &["check", "missing.properties"], &[]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("missing.properties") && stderr(&o).contains("no such file"),
        "{}",
        stderr(&o)
    );
    let o = run(p, &["check", "clean"], &[]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("-r"), "{}", stderr(&o));
    let o = run(
        p,
        &[
            "check",
            "--ignore",
            "customer-id-formt",
            "clean/googleads.properties",
        ],
        &[],
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("did you mean `customer-id-format`"),
        "{}",
        stderr(&o)
    );
    let o = run(
        p,
        &[
            "check",
            "--library-version",
            "latest",
            "clean/googleads.properties",
        ],
        &[],
    );
    assert_eq!(code(&o), 2);
    let o = run(
        p,
        &["check", "--format", "xml", "clean/googleads.properties"],
        &[],
    );
    assert_eq!(code(&o), 2);
    // A file the library cannot read is a finding, not a failure of the command.
    std::fs::write(p.join("bad.properties"), b"api.googleads.clientId=\xff\n").unwrap();
    let o = run(
        p,
        &[
            "check",
            "--lang",
            "perl",
            "--format",
            "json",
            "bad.properties",
        ],
        &[],
    );
    assert_eq!(code(&o), 1);
    assert_eq!(rules_of(&json(&o)), ["syntax-error"]);
}

#[test]
fn json_shape_is_the_contract() {
    let d = dir_with(&[(
        "googleads.properties",
        &format!("loginCustomerId=123-456-7890\n{CREDS}"),
    )]);
    let o = run(
        d.path(),
        &["check", "--format", "json", "googleads.properties"],
        &[],
    );
    let v = json(&o);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["diagnostics", "summary"]);
    let s = &v["summary"];
    assert_eq!(
        s,
        // library_versions: the library versions the files were checked against (an addition
        // to CONTRACT §3 by issue #12; google-ads-perl has no version-dependent rule).
        &serde_json::json!({"files": 1, "errors": 0, "warnings": 1, "infos": 0, "library_versions": []})
    );
    let dgs = v["diagnostics"].as_array().unwrap();
    assert_eq!(dgs.len(), 1);
    let d0 = &dgs[0];
    let keys: Vec<&str> = d0.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "rule",
            "code",
            "severity",
            "message",
            "path",
            "line",
            "column",
            "end_line",
            "end_column",
            "fix"
        ]
    );
    assert_eq!(d0["rule"], "customer-id-format");
    assert_eq!(d0["code"], "ADS003");
    assert_eq!(d0["severity"], "warning");
    assert_eq!(d0["path"], "googleads.properties");
    assert_eq!(
        (d0["line"].as_u64(), d0["column"].as_u64()),
        (Some(1), Some(17))
    );
    assert_eq!(
        (d0["end_line"].as_u64(), d0["end_column"].as_u64()),
        (Some(1), Some(29))
    );
    assert_eq!(
        d0["fix"],
        serde_json::json!({"applicability": "safe", "edits": [
            {"line": 1, "column": 17, "end_line": 1, "end_column": 29, "content": "1234567890"}
        ]})
    );
}

#[test]
fn columns_count_characters() {
    // A multi-byte character before the id: the column counts it once.
    let d = dir_with(&[(
        "googleads.properties",
        &format!("userAgent=é\nloginCustomerId=ééé12345\n{CREDS}"),
    )]);
    let o = run(
        d.path(),
        &["check", "--format", "json", "googleads.properties"],
        &[],
    );
    let v = json(&o);
    let d0 = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "customer-id-format")
        .unwrap()
        .clone();
    assert_eq!(
        (
            d0["line"].as_u64(),
            d0["column"].as_u64(),
            d0["end_column"].as_u64()
        ),
        (Some(2), Some(17), Some(25))
    );
}

#[test]
fn github_annotations() {
    let d = dir_with(&[(
        "googleads.properties",
        &format!("loginCustomerId=12345\ndeveloperToken=abcdefghijklmnopqrstuv\n{CREDS}"),
    )]);
    let o = run(
        d.path(),
        &["check", "--format", "github", "googleads.properties"],
        &[],
    );
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("::error file=googleads.properties,line=1,col=17,endLine=1,endColumn=22,title=ADS003 customer-id-format::"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("::notice file=googleads.properties,line=2,col=1,"),
        "{}",
        lines[1]
    );
    // Multi-line text is escaped onto one line.
    assert!(lines.iter().all(|l| l.contains("%0Ahelp: ")), "{out}");
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let d = dir_with(&[
        (
            "a/googleads.properties",
            &format!("loginCustomerId=123-456-7890\nclientId=x\n{CREDS}"),
        ),
        (
            "b/ads.properties",
            "api.googleads.loginCustomerId=123-456-7890\n",
        ),
    ]);
    let o = run(
        d.path(),
        &["check", "-r", ".", "--format", "sarif"],
        &[("GOOGLE_ADS_LOGIN_CUSTOMER_ID", "1111111111")],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Shape checks that do not need the validator.
    assert_eq!(v["version"], "2.1.0");
    let run0 = &v["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), RULES.len());
    for (i, r) in RULES.iter().enumerate() {
        assert_eq!(rules[i]["id"], r.code);
        assert_eq!(rules[i]["name"], r.name);
    }
    let results = run0["results"].as_array().unwrap();
    assert!(results.len() >= 3);
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(r["ruleId"], RULES[idx].code);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
    }
    assert!(results.iter().any(|r| r["fixes"].is_array()));
    // The schema itself, with Python's jsonschema (CI installs it).
    let Some(py) = common::python_with(&["jsonschema"]) else {
        return;
    };
    let schema =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif/sarif-2.1.0-rtm.5.json");
    let sarif = d.path().join("out.sarif");
    std::fs::write(&sarif, &out).unwrap();
    let script = "import json, sys, jsonschema\n\
schema = json.load(open(sys.argv[1]))\n\
doc = json.load(open(sys.argv[2]))\n\
jsonschema.Draft4Validator.check_schema(schema)\n\
errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=str)\n\
for e in errors: print(list(e.path), e.message)\n\
sys.exit(1 if errors else 0)\n";
    let o = Command::new(py)
        .args([
            "-c",
            script,
            schema.to_str().unwrap(),
            sarif.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "SARIF is not valid:\n{}{}",
        stdout(&o),
        stderr(&o)
    );
    // And a validator that accepts it also rejects a broken document (the check can fail).
    let mut broken = v.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    std::fs::write(&sarif, broken.to_string()).unwrap();
    let o = Command::new(common::python_with(&["jsonschema"]).unwrap())
        .args([
            "-c",
            script,
            schema.to_str().unwrap(),
            sarif.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!o.status.success(), "the validator accepted a wrong level");
}

#[test]
fn secrets_never_appear_in_any_format() {
    let secret = "GOCSPX-verysecretvalue";
    let token = "1//0averysecretrefreshtoken";
    // Findings on and next to the secret lines, a swapped id/secret fix, a duplicate secret.
    let text = format!(
        "clientId={secret}\nclientSecret=1234567890-abc123.apps.googleusercontent.com\nrefreshToken={token} \nrefreshToken={token}\nloginCustomerId=1-2\n"
    );
    let d = dir_with(&[("googleads.properties", &text)]);
    let env = [("GOOGLE_ADS_REFRESH_TOKEN", "1//0anotherenvsecret")];
    for fmt in ["human", "json", "sarif", "github"] {
        let o = run(
            d.path(),
            &["check", "--format", fmt, "googleads.properties"],
            &env,
        );
        let out = stdout(&o) + &stderr(&o);
        assert_eq!(code(&o), 1, "{fmt}");
        for s in [
            secret,
            token,
            "1//0anotherenvsecret",
            "verysecret",
            "averysecret",
        ] {
            assert!(
                !out.contains(s),
                "{fmt} output shows a secret ({s}):\n{out}"
            );
        }
        if fmt == "human" {
            assert!(out.contains("refreshToken=1//0…"), "{out}");
        }
    }
}

#[test]
fn recursive_walk_honours_gitignore_and_sorts() {
    let d = dir_with(&[
        (".gitignore", "ignored/\n"),
        ("z/googleads.properties", "loginCustomerId=1\n"),
        ("a/googleads.properties", "loginCustomerId=2\n"),
        ("ignored/googleads.properties", "loginCustomerId=3\n"),
        ("a/b/ads.properties", "api.googleads.loginCustomerId=4\n"),
        ("a/b/conf.properties", "api.googleads.loginCustomerId=5\n"),
        ("a/b/other.properties", "log.level=debug\n"),
        ("a/notes.txt", "loginCustomerId=6\n"),
    ]);
    let o = run(d.path(), &["check", "-r", ".", "--format", "json"], &[]);
    let v = json(&o);
    let paths = paths_with(&v, "customer-id-format");
    assert_eq!(
        paths,
        [
            "./a/b/ads.properties",
            "./a/b/conf.properties",
            "./a/googleads.properties",
            "./z/googleads.properties"
        ]
    );
    assert_eq!(v["summary"]["files"], 4);
    // The same run twice gives the same bytes (parallel walk, stable order).
    let again = run(d.path(), &["check", "-r", ".", "--format", "json"], &[]);
    assert_eq!(stdout(&o), stdout(&again));
    // --lang narrows the walk to one library.
    let o = run(
        d.path(),
        &["check", "-r", ".", "--lang", "perl", "--format", "json"],
        &[],
    );
    assert_eq!(json(&o)["summary"]["files"], 2);
}

#[test]
fn without_path_checks_the_default_files_and_the_environment() {
    let d = dir_with(&[(
        "home/googleads.properties",
        &format!("loginCustomerId=123-456-7890x\n{CREDS}"),
    )]);
    let o = run(
        d.path(),
        &["check", "--format", "json"],
        &[("GOOGLE_ADS_LOGIN_CUSTOMER_ID", "123-456-7890")],
    );
    let v = json(&o);
    let found: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let home_file = d
        .path()
        .join("home/googleads.properties")
        .display()
        .to_string();
    assert!(
        found.contains(&(home_file.clone(), "customer-id-format".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("<environment>".into(), "customer-id-format".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(home_file, "env-override".into())),
        "{found:?}"
    );
    // GOOGLE_ADS_CONFIGURATION_FILE_PATH pointing nowhere is an error of the environment.
    let o = run(
        d.path(),
        &["check", "--format", "json"],
        &[(
            "GOOGLE_ADS_CONFIGURATION_FILE_PATH",
            "/nonexistent/google-ads.yaml",
        )],
    );
    assert_eq!(code(&o), 1);
    assert!(json(&o)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["rule"] == "env-override" && d["path"] == "<environment>"));
    // Nothing to check at all: exit 2 and the places searched.
    let empty = dir_with(&[]);
    let o = run(empty.path(), &["check"], &[]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("google-ads.yaml"), "{}", stderr(&o));
}

#[test]
fn library_version_changes_required_keys() {
    let d = dir_with(&[("google-ads.yaml", "use_proto_plus: true\nclient_id: 1234567890-abc123.apps.googleusercontent.com\nclient_secret: GOCSPX-x\nrefresh_token: 1//0x\n")]);
    let ready = !adsconf::formats::format(adsconf::lang::Lang::Python)
        .parse(&adsconf::source::Source::of("x: 1\n"))
        .problems
        .iter()
        .any(|p| p.message.contains("not supported yet"));
    if !ready {
        eprintln!("skipped: the python parser is not in this build yet");
        return;
    }
    let old = run(
        d.path(),
        &[
            "check",
            "--format",
            "json",
            "--library-version",
            "31.4.0",
            "google-ads.yaml",
        ],
        &[],
    );
    assert!(rules_of(&json(&old)).contains(&"missing-required-key".to_string()));
    let new = run(
        d.path(),
        &[
            "check",
            "--format",
            "json",
            "--library-version",
            "32.0.0",
            "google-ads.yaml",
        ],
        &[],
    );
    assert!(!rules_of(&json(&new)).contains(&"missing-required-key".to_string()));
    let newest = run(
        d.path(),
        &["check", "--format", "json", "google-ads.yaml"],
        &[],
    );
    assert!(!rules_of(&json(&newest)).contains(&"missing-required-key".to_string()));
    std::fs::write(d.path().join("requirements.txt"), "google-ads==30.0.0\n").unwrap();
    let detected = run(
        d.path(),
        &["check", "--format", "json", "google-ads.yaml"],
        &[],
    );
    assert!(rules_of(&json(&detected)).contains(&"missing-required-key".to_string()));
}

#[test]
fn hierarchy_errors_are_errors_of_use() {
    let d = dir_with(&[
        ("googleads.properties", CREDS),
        ("h.toml", "[[account]]\nid = \"1000000001\"\nmanager = true\n\n[[user]]\nname = \"U1\"\naccess = { \"1000000001\" = \"admin\" }\n"),
    ]);
    let o = run(
        d.path(),
        &[
            "check",
            "--hierarchy",
            "h.toml",
            "--user",
            "nobody",
            "--customer",
            "1000000001",
            "googleads.properties",
        ],
        &[],
    );
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    let o = run(
        d.path(),
        &[
            "check",
            "--hierarchy",
            "missing.toml",
            "--user",
            "U1",
            "--customer",
            "1000000001",
            "googleads.properties",
        ],
        &[],
    );
    assert_eq!(code(&o), 2);
    let o = run(
        d.path(),
        &[
            "check",
            "--hierarchy",
            "h.toml",
            "--user",
            "U1",
            "--customer",
            "1000000001",
            "googleads.properties",
        ],
        &[],
    );
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}

#[test]
fn rules_and_explain() {
    let d = dir_with(&[]);
    let o = run(d.path(), &["rules"], &[]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    for r in RULES {
        assert!(
            out.lines()
                .any(|l| l.starts_with(r.code) && l.contains(r.name) && l.contains(r.summary)),
            "{}",
            r.name
        );
    }
    let o = run(d.path(), &["rules", "--json"], &[]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), RULES.len());
    assert_eq!(
        v[2],
        serde_json::json!({"code": "ADS003", "name": "customer-id-format", "severity": "error",
            "also": [{"severity": "warning", "when": adsconf::rules::OTHER_LEVELS.iter().find(|o| o.rule == "customer-id-format").unwrap().when}],
            "summary": RULES[2].summary})
    );
    for arg in ["customer-id-format", "ADS003"] {
        let o = run(d.path(), &["explain", arg], &[]);
        assert_eq!(code(&o), 0);
        let out = stdout(&o);
        assert!(
            out.starts_with("ADS003 customer-id-format (error)"),
            "{out}"
        );
        for part in [
            "What and why:",
            "Example that triggers it:",
            "    login_customer_id: \"123-456-7890\"",
            "Fixed:",
            "Fix:",
        ] {
            assert!(out.contains(part), "missing {part:?}:\n{out}");
        }
    }
    let o = run(d.path(), &["explain", "custmer-id-format"], &[]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("did you mean `customer-id-format`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn pre_commit_hook_matches_the_config_names() {
    let Some(py) = common::python_with(&["yaml"]) else {
        return;
    };
    let hooks = Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    let script = "import re, sys, yaml\n\
hooks = yaml.safe_load(open(sys.argv[1]))\n\
h = [h for h in hooks if h['id'] == 'adsconf-check'][0]\n\
assert h['entry'] == 'adsconf check' and h['language'] == 'rust', h\n\
rx = re.compile(h['files'])\n\
yes = ['ads.properties', 'conf/googleads.properties', 'google_ads_php.ini', 'google-ads.yaml', 'x/google-ads.yml',\n\
       'google_ads_config.rb', 'googleads.env', 'ads.properties.sample', 'a/GoogleAdsConfig.snippet.cs']\n\
no = ['README.md', 'app.yaml', 'x/ads.properties.bak', 'notads.properties', 'src/main.rs']\n\
bad = [f for f in yes if not rx.search(f)] + [f for f in no if rx.search(f)]\n\
print(bad)\n\
sys.exit(1 if bad else 0)\n";
    let o = Command::new(py)
        .args(["-c", script, hooks.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
}

/// `got`, consecutive repeats folded (a file's several findings), is `expected`.
fn assert_in_order(format: &str, mut got: Vec<String>, expected: &[String]) {
    got.dedup();
    assert!(
        got == expected,
        "{format}: files out of order: {:?}",
        first_difference(&got, expected)
    );
}

/// Where two lists first differ (index, left, right), and their lengths.
fn first_difference<'a>(
    a: &'a [String],
    b: &'a [String],
) -> (Option<(usize, &'a String, &'a String)>, usize, usize) {
    let at = a
        .iter()
        .zip(b)
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| (i, x, y));
    (at, a.len(), b.len())
}

/// More files than `check` keeps in flight (its window is 256): every format still lists the
/// files in path order, each once, and the run is byte-for-byte repeatable.
#[test]
fn a_large_tree_is_reported_in_path_order_in_every_format() {
    let n = 700;
    let mut files = Vec::new();
    for i in 0..n {
        // Names and depths vary so that walk order and path order differ.
        let (dir, name) = match i % 3 {
            0 => (format!("p{}/a{i}", i % 7), "googleads.properties"),
            1 => (format!("q{}", i % 11), "ads.properties"),
            _ => (format!("p{}/z/{i}", i % 5), "googleads.properties"),
        };
        let key = if name == "ads.properties" {
            "api.googleads.loginCustomerId"
        } else {
            "loginCustomerId"
        };
        files.push((format!("{dir}/{name}"), format!("{key}=123-456-{:04}\n", i)));
    }
    // Several files in one q-directory would collide: give each its own.
    let files: Vec<(String, String)> = files
        .into_iter()
        .enumerate()
        .map(|(i, (p, t))| (p.replacen("q", &format!("q{i}-"), 1), t))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let d = dir_with(&refs);
    let mut expected: Vec<String> = files.iter().map(|(p, _)| format!("./{p}")).collect();
    expected.sort();

    let o = run(d.path(), &["check", "-r", ".", "--format", "json"], &[]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let v = json(&o);
    assert_in_order("json", paths_with(&v, "customer-id-format"), &expected);
    assert_eq!(v["summary"]["files"], n);
    let again = run(d.path(), &["check", "-r", ".", "--format", "json"], &[]);
    assert_eq!(stdout(&o), stdout(&again));

    // SARIF: one result per diagnostic, in the same order.
    let o = run(d.path(), &["check", "-r", ".", "--format", "sarif"], &[]);
    let s: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let uris: Vec<String> = s["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["ruleId"]
                == RULES
                    .iter()
                    .find(|r| r.name == "customer-id-format")
                    .unwrap()
                    .code
        })
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let bare: Vec<String> = expected.iter().map(|p| p[2..].to_string()).collect();
    assert_in_order("sarif", uris, &bare);

    // github and human: the files in the same order, the summary last.
    let o = run(d.path(), &["check", "-r", ".", "--format", "github"], &[]);
    let files_in: Vec<String> = stdout(&o)
        .lines()
        .filter(|l| l.contains("ADS"))
        .filter_map(|l| l.split("file=").nth(1))
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    // Two findings a file: no credentials, and the customer id.
    assert_eq!(files_in.len(), 2 * n);
    assert_in_order("github", files_in, &expected);
    let o = run(d.path(), &["check", "-r", "."], &[]);
    let out = stdout(&o);
    let arrows: Vec<String> = out
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .map(|l| l.rsplitn(3, ':').last().unwrap().to_string())
        .collect();
    assert_in_order("human", arrows, &expected);
    // The summary comes last, then the library versions the files were checked against.
    let summary_and_after: Vec<&str> = out
        .lines()
        .rev()
        .take_while(|l| !l.trim().is_empty())
        .collect();
    assert!(
        summary_and_after
            .last()
            .is_some_and(|l| l.ends_with(&format!("in {n} files"))),
        "{}",
        &out[out.len().saturating_sub(400)..]
    );
    assert!(
        summary_and_after
            .iter()
            .rev()
            .skip(1)
            .all(|l| l.starts_with("checked against ")),
        "{}",
        &out[out.len().saturating_sub(400)..]
    );
    assert!(out.contains("checked against the newest google-ads-java (no version pinned"));
}

/// A file that cannot be read in the middle of a tree: it is named on stderr, every other
/// file is still reported (a complete JSON document), and the run exits 2.
#[test]
fn an_unreadable_file_in_a_tree_is_named_and_the_rest_reported() {
    let mut files: Vec<(String, String)> = (0..12)
        .map(|i| {
            (
                format!("app{i:02}/googleads.properties"),
                "loginCustomerId=123-456-7890\n".to_string(),
            )
        })
        .collect();
    let big = format!("login_customer_id: \"{}\"\n", "1".repeat(400));
    files.push(("app05/google-ads.yaml".into(), big.clone()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let d = dir_with(&refs);
    let cap = [("ADSCONF_MAX_FILE_SIZE", "200")];
    for format in ["json", "sarif", "human", "github"] {
        let o = run(d.path(), &["check", "-r", ".", "--format", format], &cap);
        assert_eq!(code(&o), 2, "{format}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("app05/google-ads.yaml") && err.contains("ADSCONF_MAX_FILE_SIZE"),
            "{format}: {err}"
        );
        assert_eq!(err.matches("error:").count(), 1, "{format}: {err}");
        if format == "json" {
            let v = json(&o);
            assert_eq!(v["summary"]["files"], 12);
            let mut paths: Vec<&str> = v["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["path"].as_str().unwrap())
                .collect();
            paths.dedup();
            let expected: Vec<String> = (0..12)
                .map(|i| format!("./app{i:02}/googleads.properties"))
                .collect();
            assert_eq!(paths, expected);
        }
        if format == "sarif" {
            let s: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
            let n = s["runs"][0]["results"].as_array().unwrap().len();
            assert!(n >= 12, "{n} results");
        }
    }
    // Two such files: each named, then one line that counts them.
    std::fs::write(d.path().join("app09/google-ads.yaml"), &big).unwrap();
    let o = run(d.path(), &["check", "-r", ".", "--format", "json"], &cap);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("app05/google-ads.yaml") && err.contains("app09/google-ads.yaml"),
        "{err}"
    );
    assert!(err.contains("2 files could not be checked"), "{err}");
    assert_eq!(json(&o)["summary"]["files"], 12);
}

/// `--library-version` takes every library's versions, alone or per library, changes the
/// verdicts where the library changed, and check says which version it used and why.
#[test]
fn library_versions_change_verdicts_and_are_named() {
    let php = "[GOOGLE_ADS]\nloginCustomerId = \"1234567890\"\n[OAUTH2]\nclientId = \"1234567890-abc123.apps.googleusercontent.com\"\nclientSecret = \"GOCSPX-verysecretvalue\"\nrefreshToken = \"1//0averysecretrefreshtoken\"\n";
    let d = dir_with(&[("google_ads_php.ini", php)]);
    let check = |v: Option<&str>| {
        let mut args = vec!["check", "--format", "json"];
        if let Some(v) = v {
            args.extend(["--library-version", v]);
        }
        args.push("google_ads_php.ini");
        run(d.path(), &args, &[])
    };
    // google-ads-php 33.5.0 still requires the developer token; the newest does not.
    let o = check(Some("php=33.5.0"));
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let v = json(&o);
    assert!(rules_of(&v).contains(&"missing-required-key".to_string()));
    assert_eq!(
        v["summary"]["library_versions"],
        serde_json::json!([{"library": "google-ads-php", "version": "33.5.0", "from": "--library-version", "exact": true, "files": 1}])
    );
    let o = check(Some("33.5.0"));
    assert_eq!(code(&o), 1, "a bare version applies to every library");
    // Another library's version leaves PHP at the newest.
    let o = check(Some("ruby=42.0.0"));
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert_eq!(
        json(&o)["summary"]["library_versions"][0]["version"],
        serde_json::Value::Null
    );
    // Detected from composer.lock, and said in the human output.
    std::fs::write(
        d.path().join("composer.lock"),
        "{\"packages\": [{\"name\": \"googleads/google-ads-php\", \"version\": \"v33.5.0\"}]}",
    )
    .unwrap();
    let o = run(d.path(), &["check", "google_ads_php.ini"], &[]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("checked against google-ads-php 33.5.0 (from composer.lock)"),
        "{}",
        stdout(&o)
    );
    // Errors of use name the flag.
    for bad in ["nope=1.0", "abc", "php="] {
        let o = check(Some(bad));
        assert_eq!(code(&o), 2, "{bad}");
        assert!(
            stderr(&o).contains("--library-version"),
            "{bad}: {}",
            stderr(&o)
        );
    }
}
