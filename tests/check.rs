//! `adsconf check` rule fixtures: every rule has a folder `tests/fixtures/check/<rule-name>/`
//! of config files that trigger it. Each folder is checked by the real binary (human, plain,
//! and JSON), the output is snapshotted (insta), and the rule must be among the findings.
//!
//! A folder may hold `ENV` (`NAME=value` lines): the variables are set for the run, and a
//! folder with no config file is checked without PATH (the environment alone, HOME empty).
//! `ARGS` (one argument a line) adds options, e.g. `--hierarchy hierarchy.toml --user U1`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use adsconf::formats;
use adsconf::lang::Lang;
use adsconf::rules::RULES;
use adsconf::source::Source;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

/// Is this format's parser implemented in this build (not the "not supported yet" stub)?
fn parser_ready(lang: Lang) -> bool {
    let p = formats::format(lang).parse(&Source::of("x"));
    !p.problems
        .iter()
        .any(|p| p.message.contains("not supported yet"))
}

struct Run {
    code: i32,
    stdout: String,
}

fn run(dir: &Path, args: &[&str], env: &[(String, String)]) -> Run {
    let out = Command::new(common::bin())
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("HOME", dir.join("home"))
        .env("NO_COLOR", "1")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .output()
        .expect("run adsconf");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    }
}

/// Copy a fixture folder to a temporary directory with controlled file modes.
#[allow(clippy::type_complexity)]
fn stage(
    rule: &str,
) -> (
    tempfile::TempDir,
    Vec<String>,
    Vec<(String, String)>,
    Vec<String>,
) {
    let src = fixtures().join(rule);
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("home")).unwrap();
    let mut configs = Vec::new();
    let mut env = Vec::new();
    let mut extra = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let from = src.join(&name);
        let to = tmp.path().join(&name);
        std::fs::copy(&from, &to).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = if rule == "file-permissions" {
                0o644
            } else {
                0o600
            };
            std::fs::set_permissions(&to, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        if name == "CHECK_ENV" {
            continue;
        }
        if name == "ENV" {
            for line in std::fs::read_to_string(&from).unwrap().lines() {
                if let Some((k, v)) = line.split_once('=') {
                    env.push((k.to_string(), v.to_string()));
                }
            }
            continue;
        }
        if name == "ARGS" {
            extra.extend(
                std::fs::read_to_string(&from)
                    .unwrap()
                    .lines()
                    .map(String::from),
            );
            continue;
        }
        if let Some(lang) = formats::detect(Path::new(&name), None) {
            if parser_ready(lang) {
                configs.push(name);
            } else {
                eprintln!(
                    "skipped: {rule}/{name}: the {} parser is not in this build yet",
                    lang.name()
                );
            }
        }
    }
    (tmp, configs, env, extra)
}

#[test]
fn every_rule_has_a_fixture_and_fixtures_name_rules() {
    for r in RULES {
        let dir = fixtures().join(r.name);
        assert!(
            dir.is_dir(),
            "rule {} has no fixture folder {}",
            r.name,
            dir.display()
        );
        assert!(
            std::fs::read_dir(&dir).unwrap().count() > 0,
            "{} is empty",
            dir.display()
        );
    }
    for e in std::fs::read_dir(fixtures()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            adsconf::rules::rule(&name).is_some(),
            "fixture folder {name} names no rule"
        );
    }
}

/// Run one fixture (one config file, or the environment alone) in both formats and
/// snapshot it; returns the rules found.
fn run_fixture(
    rule: &str,
    dir: &Path,
    file: Option<&str>,
    env: &[(String, String)],
    extra: &[String],
) -> Vec<String> {
    let mut human_args = vec!["check"];
    human_args.extend(extra.iter().map(String::as_str));
    human_args.extend(file);
    let mut json_args = vec!["check", "--format", "json"];
    json_args.extend(extra.iter().map(String::as_str));
    json_args.extend(file);
    let human = run(dir, &human_args, env);
    let json = run(dir, &json_args, env);
    assert_eq!(
        human.code, json.code,
        "{rule}: exit codes differ between formats"
    );
    let v: serde_json::Value = serde_json::from_str(&json.stdout)
        .unwrap_or_else(|e| panic!("{rule}: JSON output does not parse: {e}\n{}", json.stdout));
    let errors = v["summary"]["errors"].as_u64().unwrap();
    assert_eq!(
        json.code,
        i32::from(errors > 0),
        "{rule}: exit code vs errors"
    );
    let mut shown = extra.join(" ");
    if !shown.is_empty() {
        shown.push(' ');
    }
    shown.push_str(file.unwrap_or("(environment)"));
    let env_note = env
        .iter()
        .map(|(k, v)| format!("{k}={v} "))
        .collect::<String>();
    insta::assert_snapshot!(
        format!("rule_{rule}__{}", file.unwrap_or("environment")),
        format!(
            "$ {env_note}adsconf check {shown}\nexit {}\n{}\n$ adsconf check --format json {shown}\n{}",
            human.code, human.stdout, json.stdout
        )
    );
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

/// Every config file of a rule's folder (and the environment, with a `CHECK_ENV` marker)
/// triggers the rule. One snapshot per file, so a parser landing adds snapshots without
/// changing the others.
#[test]
fn fixtures_trigger_their_rule() {
    let mut checked = 0;
    let mut files = 0;
    for r in RULES {
        let (tmp, configs, env, extra) = stage(r.name);
        for file in &configs {
            let found = run_fixture(r.name, tmp.path(), Some(file), &env, &extra);
            assert!(
                found.iter().any(|f| f == r.name),
                "{}/{file} does not trigger its rule: {found:?}",
                r.name
            );
            files += 1;
        }
        if fixtures().join(r.name).join("CHECK_ENV").exists() {
            let found = run_fixture(r.name, tmp.path(), None, &env, &extra);
            assert!(
                found.iter().any(|f| f == r.name),
                "{}: the environment does not trigger its rule: {found:?}",
                r.name
            );
            files += 1;
        }
        checked += 1;
    }
    eprintln!("{checked} rule fixture folders, {files} fixture runs");
    assert!(files >= 30, "only {files} fixture runs");
}

/// Applying a finding's fix (safe or unsafe) makes that finding go away, and applying every
/// safe fix of a fixture keeps the file parseable by its format: the fixes are real edits,
/// not advice.
#[test]
fn fixes_remove_their_findings() {
    use adsconf::diag::Applicability;
    use adsconf::rules::{check_file, FileCtx};
    let env = Default::default();
    let mut applied = 0;
    for r in RULES {
        let (tmp, configs, _env, _extra) = stage(r.name);
        for name in configs {
            let path = tmp.path().join(&name);
            let Ok((src, parsed)) = formats::load(&path, None) else {
                continue;
            };
            let lint = |src: &Source, parsed: &formats::Parsed| {
                let ctx = FileCtx {
                    path: &name,
                    fs_path: None,
                    src,
                    parsed,
                    version: None,
                    env: &env,
                    cwd: Some(tmp.path().to_path_buf()),
                };
                check_file(&ctx)
            };
            let before = lint(&src, &parsed);
            for d in before.iter().filter(|d| d.fix.is_some()) {
                let fix = d.fix.as_ref().unwrap();
                let text = adsconf::edit::apply(&src.text, &fix.edits).unwrap_or_else(|e| {
                    panic!("{}/{name}: {}: fix does not apply: {e}", r.name, d.rule)
                });
                let src2 = Source::new(None, text.clone(), src.encoding);
                let parsed2 = formats::format(parsed.lang).parse(&src2);
                let after = lint(&src2, &parsed2);
                let same =
                    |x: &adsconf::diag::Diagnostic| x.rule == d.rule && x.message == d.message;
                assert!(
                    !after.iter().any(same),
                    "{}/{name}: the {:?} fix of {} leaves the finding:\n{text}",
                    r.name,
                    fix.applicability,
                    d.rule
                );
                if fix.applicability == Applicability::Safe {
                    assert!(
                        !parsed2.is_fatal(),
                        "{}/{name}: safe fix of {} breaks the file:\n{text}",
                        r.name,
                        d.rule
                    );
                }
                applied += 1;
            }
        }
    }
    eprintln!("{applied} fixes applied and re-checked");
    assert!(applied >= 15, "only {applied} fixes");
}

/// The severity policy (docs/check.md): an error is a file the library refuses (its loader,
/// or its own validation before the network) or a value Google certainly refuses at the
/// first call; what merely loads differently is a warning. So every error-level finding of
/// every fixture names a judge, the library's loader or Google's server (schemas/mirrors.toml
/// or the finding's own), never nobody.
#[test]
fn errors_follow_the_severity_policy() {
    use adsconf::diag::Severity;
    use adsconf::rules::{check_file, judge_of, FileCtx, Judge};
    let env = Default::default();
    let mut errors = 0;
    for r in RULES {
        let (tmp, configs, _env, _extra) = stage(r.name);
        for name in configs {
            let path = tmp.path().join(&name);
            let Ok((src, parsed)) = formats::load(&path, None) else {
                continue;
            };
            let ctx = FileCtx {
                path: &name,
                fs_path: Some(&path),
                src: &src,
                parsed: &parsed,
                version: None,
                env: &env,
                cwd: Some(tmp.path().to_path_buf()),
            };
            for d in check_file(&ctx) {
                if d.severity == Severity::Error {
                    errors += 1;
                    assert_ne!(
                        judge_of(&d, parsed.lang),
                        Judge::None,
                        "{}/{name}: {} is an error that nothing refuses: {}",
                        r.name,
                        d.rule,
                        d.message
                    );
                }
            }
        }
    }
    assert!(errors >= 30, "only {errors} errors seen");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
    /// No input makes the rules or any report panic, and the JSON report always parses.
    #[test]
    fn rules_and_reports_never_panic(
        lines in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::string::string_regex("[A-Za-z_.]{0,12}[ =:]{0,3}[-0-9 é\"'\\\\/]{0,14}").unwrap(),
                proptest::sample::select(vec![
                    "loginCustomerId=123-456-7890".to_string(), "[GOOGLE_ADS]".into(), "refreshToken=4/0é\r".into(),
                    "clientId = \"x\"".into(), "api.googleads.clientId=a\\".into(), "  # c".into(), "\u{201c}x\u{201d}".into(),
                    "<add key=\"LoginCustomerId\" value=\"1-2\"/>".into(), "login_customer_id: 0123".into(),
                    "proxy = http://u:p&w@h:1".into(), "developerToken=INSERT_X_HERE".into(),
                ]),
            ],
            0..8,
        ),
        lang_ix in 0usize..10,
    ) {
        use adsconf::report::{CheckReport, FileReport, Report};
        let lang = adsconf::lang::LANGS[lang_ix].lang;
        let text = lines.join("\n");
        let src = Source::new(None, text, adsconf::lang::LANGS[lang_ix].encoding);
        let parsed = formats::format(lang).parse(&src);
        let env = Default::default();
        let ctx = adsconf::rules::FileCtx::text("f", &src, &parsed, &env);
        let diagnostics = adsconf::rules::check_file(&ctx);
        for d in &diagnostics {
            if d.severity == adsconf::diag::Severity::Error {
                proptest::prop_assert_ne!(adsconf::rules::judge_of(d, lang), adsconf::rules::Judge::None, "{} error judged by nobody: {}", d.rule, d.message);
            }
        }
        let report = CheckReport { files: vec![FileReport {
            path: "f".into(), is_file: true, src: src.clone(),
            secret_spans: adsconf::rules::secret_spans(&parsed), diagnostics, assumed: None,
        }]};
        for r in [
            &adsconf::report::Human { color: false } as &dyn Report,
            &adsconf::report::Human { color: true },
            &adsconf::report::Sarif,
            &adsconf::report::Github,
        ] {
            let _ = r.render(&report);
        }
        let json: serde_json::Value = serde_json::from_str(&adsconf::report::Json.render(&report)).unwrap();
        proptest::prop_assert!(json["summary"]["files"] == 1);
    }
}
