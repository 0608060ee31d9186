//! Differential tests: google_ads_php.ini files read by PHP's own
//! `parse_ini_file($f, true, INI_SCANNER_TYPED)` (tests/oracles/php_reader.php), one PHP
//! process per batch.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use adsconf::formats::{self, php};
use adsconf::lang::Lang;
use adsconf::model::{Settings, Value};
use adsconf::schema::KeyType;
use adsconf::source::Source;
use base64::Engine;
use serde_json::{json, Value as J};

/// `(section, key)` → typed value.
type Flat = BTreeMap<(Option<String>, String), J>;

/// Environment given to PHP and to our reader for `${VAR}` interpolation.
const ENV: &[(&str, &str)] = &[("ADSCONF_T", "tval")];

fn b64(s: &str) -> String {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(s)
        .expect("base64 from oracle");
    String::from_utf8_lossy(&bytes).into_owned()
}

fn typed(v: &J) -> J {
    match v {
        J::Object(o) if o.contains_key("s") => J::String(b64(o["s"].as_str().unwrap())),
        other => other.clone(),
    }
}

/// What PHP read: `Ok(flat)` or `Err(line PHP names)`.
type Read = Result<Flat, Option<u64>>;

fn oracle(files: &[PathBuf]) -> Option<Vec<Read>> {
    let php = common::require("php")?;
    let mut cmd = std::process::Command::new(php);
    cmd.arg(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/oracles/php_reader.php"
    ));
    cmd.args(files);
    for (k, v) in ENV {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run php");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let reads: Vec<Read> = text
        .lines()
        .map(|l| {
            let j: J = serde_json::from_str(l).expect("oracle JSON");
            if j["ok"] == J::Bool(true) {
                let mut flat = Flat::new();
                if let J::Object(top) = &j["ini"] {
                    for (k, v) in top {
                        let k = b64(k);
                        match v {
                            J::Object(o) if !o.contains_key("s") => {
                                for (k2, v2) in o {
                                    flat.insert((Some(k.clone()), b64(k2)), typed(v2));
                                }
                            }
                            other => {
                                flat.insert((None, k), typed(other));
                            }
                        }
                    }
                }
                Ok(flat)
            } else {
                Err(j["line"].as_u64())
            }
        })
        .collect();
    assert_eq!(reads.len(), files.len());
    Some(reads)
}

fn to_json(v: &Value) -> J {
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => json!(i),
        Value::Float(f) => json!(f),
        other => J::String(other.to_text()),
    }
}

/// Our reader, with the same environment PHP had.
fn ours(text: &str) -> (Read, Source) {
    let src = Source::of(text);
    let env = |n: &str| {
        ENV.iter()
            .find(|(k, _)| *k == n)
            .map(|(_, v)| v.to_string())
    };
    let p = php::parse_env(&src, &env);
    if let Some(prob) = p
        .problems
        .iter()
        .find(|p| p.kind == formats::ProblemKind::Syntax)
    {
        let named = php::syntax_error_line(prob).expect("PHP's line in the message");
        let at = src.line_col(prob.span.start).0;
        // The span is on the line PHP names (PHP's counter can run past the last line after
        // a `[section] key=…` line, whose `]` counts a line: then the span is at the end).
        if named <= src.line_count() {
            assert_eq!(at, named, "message and span disagree: {prob:?}");
        } else {
            assert_eq!(prob.span.start, src.text.len(), "{prob:?}");
        }
        return (Err(Some(named as u64)), src);
    }
    let mut flat = Flat::new();
    for e in p.effective() {
        flat.insert((e.section.clone(), e.key.clone()), to_json(&e.value));
    }
    (Ok(flat), src)
}

fn write_all(dir: &Path, texts: &[String]) -> Vec<PathBuf> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let p = dir.join(format!("case{i}.ini"));
            std::fs::write(&p, t).unwrap();
            p
        })
        .collect()
}

/// Settings → what PHP must read: every string key as that exact string, bools as bools.
fn expected(s: &Settings) -> Flat {
    let cat = Lang::Php.catalog();
    s.values
        .iter()
        .map(|(n, v)| {
            let k = cat.for_neutral(n).unwrap();
            let j = match v {
                Value::Bool(b) => J::Bool(*b),
                other => J::String(other.to_text()),
            };
            ((k.section.clone(), k.key.clone()), j)
        })
        .collect()
}

fn neutral_keys() -> Vec<(&'static str, KeyType)> {
    common::lang_keys(Lang::Php)
}

fn check_generated(cases: &[Settings], what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let texts: Vec<String> = cases
        .iter()
        .map(|s| formats::format(Lang::Php).render(s).expect("render"))
        .collect();
    let files = write_all(dir.path(), &texts);
    let Some(read) = oracle(&files) else { return };
    for ((s, got), text) in cases.iter().zip(read).zip(&texts) {
        let got = got.unwrap_or_else(|line| panic!("PHP rejected line {line:?}:\n{text}"));
        assert_eq!(got, expected(s), "{what}:\n{text}");
        // Our own reader agrees with PHP on our own output too.
        assert_eq!(ours(text).0, Ok(got), "{text}");
    }
    eprintln!(
        "php: {} {what} files read back exactly by parse_ini_file",
        cases.len()
    );
}

#[test]
fn generated_php_reads_back_exactly() {
    let keys = neutral_keys();
    let mut values = common::awkward_values();
    // Carried inside double quotes too (checked here): a lone CR, control chars, DEL.
    values.push("a\rb\r".into());
    values.push("\u{1}\u{1b}[0m\u{7f}".into());
    let cases = common::rotated_cases(&keys, &values);
    check_generated(&cases, "awkward-corpus");
}

#[test]
fn generated_php_reads_back_exactly_proptest() {
    let cases = common::proptest_cases(&neutral_keys(), 300);
    check_generated(&cases, "proptest");
}

fn fixture_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/php"))
}

#[test]
fn our_reader_agrees_with_php_on_quirk_files() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ini"))
        .collect();
    files.sort();
    files.push(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/official/php/google_ads_php.ini"
    )));
    let Some(read) = oracle(&files) else { return };
    let mut errors = 0;
    for (f, want) in files.iter().zip(read) {
        let text = std::fs::read_to_string(f).unwrap();
        let (got, _) = ours(&text);
        if want.is_err() {
            errors += 1;
        }
        assert_eq!(got, want, "{}", f.display());
    }
    assert!(errors >= 20, "the syntax-error fixtures are exercised");
    eprintln!(
        "php: {} quirk files ({errors} syntax errors) read identically by our reader and PHP",
        files.len()
    );
}

/// Lines of `a` and `b` outside their common prefix and suffix.
fn changed_lines<'a>(a: &'a str, b: &'a str) -> (Vec<&'a str>, Vec<&'a str>) {
    let la: Vec<&str> = a.split_inclusive('\n').collect();
    let lb: Vec<&str> = b.split_inclusive('\n').collect();
    let pre = la.iter().zip(&lb).take_while(|(x, y)| x == y).count();
    let suf = la[pre..]
        .iter()
        .rev()
        .zip(lb[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (
        la[pre..la.len() - suf].to_vec(),
        lb[pre..lb.len() - suf].to_vec(),
    )
}

#[test]
fn set_on_the_official_template_changes_one_line_and_php_reads_it() {
    let official = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/official/php/google_ads_php.ini"
    );
    let base = std::fs::read_to_string(official).unwrap();
    let cat = Lang::Php.catalog();
    let fmt = formats::format(Lang::Php);
    let core: Vec<_> = adsconf::schema::neutral_keys()
        .iter()
        .filter(|n| n.core)
        .filter_map(|n| cat.for_neutral(&n.name).map(|k| (n, k)))
        .collect();
    let mut texts = Vec::new();
    let mut wants = Vec::new();
    for (n, k) in &core {
        let (v1, v2) = match n.ty {
            KeyType::Bool => (Value::Bool(true), Value::Bool(false)),
            KeyType::CustomerId => (
                Value::Str("0123456789".into()),
                Value::Str("9876543210".into()),
            ),
            _ => (
                Value::Str("a;b \"c\" ${X} = ! ( ) yes".into()),
                Value::Str("plain_value".into()),
            ),
        };
        // First set (inserts when missing, replaces when present), then set again (replaces).
        let mut text = base.clone();
        for v in [&v1, &v2] {
            let src = Source::of(&text);
            let parsed = fmt.parse(&src);
            let existed = parsed.find(k).map(|e| e.entry_span.clone());
            let edits = fmt.set_edits(&src, &parsed, k, v).unwrap();
            let out = adsconf::edit::apply(&text, &edits).unwrap();
            let (old, new) = changed_lines(&text, &out);
            match existed {
                Some(span) => {
                    assert_eq!(old.concat(), text[span].to_string(), "{}", k.key);
                    assert_eq!(new.len(), 1, "{}: {new:?}", k.key);
                }
                None => {
                    assert!(old.is_empty(), "{}: {old:?}", k.key);
                    assert_eq!(new.len(), 1, "{}: {new:?}", k.key);
                    assert!(new[0].starts_with(&k.key), "{new:?}");
                }
            }
            texts.push(out.clone());
            let mut want = BTreeMap::new();
            want.insert(
                (k.section.clone(), k.key.clone()),
                match v {
                    Value::Bool(b) => J::Bool(*b),
                    other => J::String(other.to_text()),
                },
            );
            wants.push(want);
            text = out;
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let files = write_all(dir.path(), &texts);
    let Some(read) = oracle(&files) else { return };
    for ((got, want), text) in read.into_iter().zip(&wants).zip(&texts) {
        let got = got.unwrap_or_else(|l| panic!("PHP rejected line {l:?}:\n{text}"));
        for (k, v) in want {
            assert_eq!(got.get(k), Some(v), "{k:?}\n{text}");
        }
    }
    eprintln!(
        "php: {} edits of {} core keys on the official template read back by PHP",
        texts.len(),
        core.len()
    );
}

/// Random INI text from PHP-significant atoms: our reader and PHP agree on every file
/// (same typed values, or both reject it on the same line).
/// `strict_lines`: also require the same error line (else both must reject, and line
/// differences are counted and printed).
fn random_files_agree(atoms: Vec<&'static str>, what: &str, strict_lines: bool) {
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    let atoms = prop::sample::select(atoms);
    let strat = prop::collection::vec(atoms, 0..16).prop_map(|v| v.concat());
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let n: usize = std::env::var("ADSCONF_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600);
    let texts: Vec<String> = (0..n)
        .map(|i| {
            let body = strat.new_tree(&mut runner).unwrap().current();
            if i % 2 == 0 {
                format!("[S]\nk{i} = {body}\n")
            } else {
                body
            }
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let files = write_all(dir.path(), &texts);
    let Some(read) = oracle(&files) else { return };
    let mut rejected = 0;
    let mut line_diffs = 0;
    let mut bad = Vec::new();
    for (text, want) in texts.iter().zip(read) {
        rejected += usize::from(want.is_err());
        let got = ours(text).0;
        if !strict_lines && got.is_err() && want.is_err() {
            line_diffs += usize::from(got != want);
            continue;
        }
        if got != want {
            bad.push(format!("{text:?}\n  php:  {want:?}\n  ours: {got:?}"));
        }
    }
    assert!(
        bad.is_empty(),
        "{} disagreements:\n{}",
        bad.len(),
        bad[..bad.len().min(12)].join("\n")
    );
    eprintln!(
        "php: {} random {what} files ({rejected} rejected by PHP) read identically \
         ({line_diffs} rejected with a different error line)",
        texts.len()
    );
}

#[test]
fn our_reader_agrees_with_php_on_random_files() {
    random_files_agree(
        vec![
            "k",
            "key",
            " ",
            "\t",
            "=",
            " = ",
            "\n",
            "\r\n",
            "\n[S]\n",
            "[",
            "]",
            ";",
            "#",
            "\"",
            "'",
            "\\",
            "$",
            "${ADSCONF_T}",
            "${",
            "}",
            "{",
            "(",
            ")",
            "!",
            "~",
            "^",
            "|",
            "&",
            "-",
            "+",
            ".",
            "0",
            "0123",
            "12",
            "1.5",
            "true",
            "no",
            "null",
            "None",
            "PHP_OS",
            "E_ALL",
            "é",
            "x y",
            ":",
            ",",
            "/",
            "@",
        ],
        "mixed",
        true,
    );
}

#[test]
fn our_reader_agrees_with_php_on_random_quoted_and_sectioned_files() {
    random_files_agree(
        vec![
            "\"",
            "\"",
            "'",
            "\\",
            "\\\"",
            "\\$",
            "${ADSCONF_T}",
            "${ ADSCONF_T }",
            "$",
            "{",
            "}",
            "[",
            "]",
            "[S]",
            "\n[",
            "]\n",
            "k=",
            " = ",
            "\n",
            "\r",
            "\r\n",
            " ",
            "\t",
            ";",
            "x",
            "0",
            "7.",
            "é",
            "=",
            "&",
            "~",
        ],
        "quoted/sectioned",
        false,
    );
}
