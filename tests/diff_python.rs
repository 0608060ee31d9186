//! Differential test: google-ads.yaml written and read by adsconf against PyYAML `safe_load`
//! (the library's load step) and `google.ads.googleads.config.load_from_yaml_file`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use adsconf::formats::{self, ProblemKind};
use adsconf::lang::Lang;
use adsconf::model::{Settings, Value};
use adsconf::schema::KeyType;
use adsconf::source::Source;
use serde_json::Value as J;

const ORACLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/oracles/pyyaml_reader.py"
);
const OFFICIAL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/official/python/google-ads.yaml"
);

/// One file as the oracle read it.
#[derive(Debug)]
enum Read {
    Ok(BTreeMap<String, J>),
    Err(String, Vec<usize>),
}

fn oracle(python: &Path, mode: &str, files: &[PathBuf]) -> Vec<Read> {
    let mut args = vec![ORACLE.to_string(), mode.to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = common::run_with_stdin(python, &args, b"");
    let res: Vec<Read> = out
        .lines()
        .map(|l| {
            let j: J = serde_json::from_str(l).expect("oracle JSON");
            match j.get("ok") {
                Some(J::Object(m)) => Read::Ok(m.clone().into_iter().collect()),
                _ => Read::Err(
                    j["error"].as_str().unwrap_or("").to_string(),
                    j["lines"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|l| l.as_u64())
                                .map(|l| l as usize)
                                .collect()
                        })
                        .unwrap_or_default(),
                ),
            }
        })
        .collect();
    assert_eq!(res.len(), files.len());
    res
}

/// Our value in the oracle's typed encoding.
fn enc(v: &Value) -> J {
    match v {
        Value::Null => serde_json::json!({"t": "null"}),
        Value::Bool(b) => serde_json::json!({"t": "bool", "v": b}),
        Value::Int(i) => serde_json::json!({"t": "int", "v": i.to_string()}),
        Value::Float(f) => serde_json::json!({"t": "float", "v": f}),
        Value::Str(s) | Value::Symbol(s) => serde_json::json!({"t": "str", "v": s}),
        Value::Json(j) => serde_json::json!({"t": "json", "v": j}),
    }
}

/// Compare one typed value (floats by value, NaN equal to NaN).
fn same(ours: &J, theirs: &J) -> bool {
    if ours["t"] == "float" && theirs["t"] == "float" {
        let o = ours["v"].as_f64();
        let t = match theirs["v"].as_str().unwrap_or("") {
            "inf" => f64::INFINITY,
            "-inf" => f64::NEG_INFINITY,
            "nan" => f64::NAN,
            s => s.parse().unwrap_or(f64::MIN),
        };
        return match o {
            Some(o) => o == t || (o.is_nan() && t.is_nan()),
            // serde_json turned a non-finite float into null.
            None => !t.is_finite(),
        };
    }
    ours == theirs
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn python_keys() -> Vec<(String, String, KeyType)> {
    let mut seen = std::collections::BTreeSet::new();
    Lang::Python
        .catalog()
        .keys
        .iter()
        .filter(|k| !k.deprecated)
        .filter_map(|k| {
            let n = k.neutral.clone()?;
            let ty = adsconf::schema::neutral(&n)?.ty;
            seen.insert(n.clone()).then(|| (n, k.key.clone(), ty))
        })
        .collect()
}

fn logging_value(s: &str, i: usize) -> Value {
    Value::Json(serde_json::json!({
        "version": 1,
        "disable_existing_loggers": i.is_multiple_of(2),
        "formatters": {"f": {"format": s, "datefmt": "%Y"}},
        s: [s, i, 2.5, -1e300, null, true, {}, []],
        "loggers": {"": {"level": "INFO", "handlers": ["h"]}},
    }))
}

/// Settings holding `vals` rotated over every key (strings in string keys, booleans in
/// boolean keys, a mapping holding the strings in `logging`).
fn rotated(vals: &[String]) -> Vec<Settings> {
    let keys = python_keys();
    (0..vals.len())
        .map(|i| {
            let mut s = Settings::default();
            for (j, (n, _, ty)) in keys.iter().enumerate() {
                let x = &vals[(i + j) % vals.len()];
                let v = match ty {
                    KeyType::Bool => Value::Bool((i + j).is_multiple_of(2)),
                    KeyType::Json => logging_value(x, i),
                    KeyType::Int => Value::Int(i as i64 - 3),
                    _ => Value::Str(x.clone()),
                };
                s.set(n, v);
            }
            if i.is_multiple_of(3) {
                s.values.remove("use_proto_plus");
            }
            s
        })
        .collect()
}

/// Render every case, read all with PyYAML in one process, compare typed values exactly.
fn check_generated(python: &Path, cases: &[Settings], label: &str) {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = cases
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let text = formats::format(Lang::Python).render(s).expect("render");
            write(dir.path(), &format!("c{i}.yaml"), &text)
        })
        .collect();
    let read = oracle(python, "yaml", &files);
    for ((s, got), f) in cases.iter().zip(read).zip(&files) {
        let Read::Ok(got) = got else {
            panic!(
                "PyYAML refused {}: {got:?}\n{}",
                f.display(),
                std::fs::read_to_string(f).unwrap()
            );
        };
        let mut want: BTreeMap<String, J> = BTreeMap::new();
        for (n, v) in &s.values {
            let key = Lang::Python.catalog().for_neutral(n).unwrap().key.clone();
            want.insert(key, enc(v));
        }
        want.entry("use_proto_plus".into())
            .or_insert_with(|| enc(&Value::Bool(true)));
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>()
        );
        for (k, w) in &want {
            assert!(
                same(w, &got[k]),
                "{label} key {k}: ours {w} PyYAML {}",
                got[k]
            );
        }
        // Our own parser reads the file the same way.
        let parsed =
            formats::format(Lang::Python).parse(&Source::of(&std::fs::read_to_string(f).unwrap()));
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        for e in parsed.effective() {
            assert!(
                same(&enc(&e.value), &got[&e.key]),
                "our parser, key {}",
                e.key
            );
        }
    }
    eprintln!(
        "python: {} {label} files read back exactly by PyYAML",
        cases.len()
    );
}

#[test]
fn generated_yaml_reads_back_exactly_with_pyyaml() {
    let Some(python) = common::python_with(&["yaml"]) else {
        return;
    };
    let vals: Vec<String> = common::awkward_values()
        .into_iter()
        .chain(
            [
                "\r",
                "a\rb",
                "\u{85}nel",
                "\u{2028}ls\u{2029}",
                "\u{feff}bom",
                "\u{1}\u{1f}\u{9f}",
                "\u{fffe}",
            ]
            .map(String::from),
        )
        .collect();
    check_generated(&python, &rotated(&vals), "corpus");

    use proptest::strategy::{Strategy, ValueTree};
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strat = common::awkward_string();
    let vals: Vec<String> = (0..300)
        .map(|_| strat.new_tree(&mut runner).unwrap().current())
        .collect();
    check_generated(&python, &rotated(&vals), "proptest");
}

#[test]
fn generated_yaml_loads_in_google_ads_python() {
    let Some(python) = common::python_with(&["yaml", "google.ads.googleads.config"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let vals = common::awkward_values();
    let mut cases = Vec::new();
    for (i, x) in vals.iter().enumerate() {
        let mut s = Settings::default();
        s.set("use_proto_plus", Value::Bool(i.is_multiple_of(2)));
        s.set(
            "use_application_default_credentials",
            Value::Bool(i.is_multiple_of(3)),
        );
        s.set("login_customer_id", Value::Str(format!("{:010}", i * 7919)));
        s.set("linked_customer_id", Value::Str("0123456789".into()));
        for n in [
            "developer_token",
            "client_id",
            "client_secret",
            "refresh_token",
            "endpoint",
            "http_proxy",
            "ads_assistant",
        ] {
            s.set(n, Value::Str(x.clone()));
        }
        if i.is_multiple_of(4) {
            s.set("logging", logging_value(x, i));
        }
        cases.push(s);
    }
    let files: Vec<PathBuf> = cases
        .iter()
        .enumerate()
        .map(|(i, s)| {
            write(
                dir.path(),
                &format!("l{i}.yaml"),
                &formats::format(Lang::Python).render(s).unwrap(),
            )
        })
        .collect();
    for (s, got) in cases.iter().zip(oracle(&python, "lib", &files)) {
        let Read::Ok(got) = got else {
            panic!("library refused: {got:?}")
        };
        for (n, v) in &s.values {
            let key = &Lang::Python.catalog().for_neutral(n).unwrap().key;
            assert!(same(&enc(v), &got[key]), "{key}: {v:?} vs {}", got[key]);
        }
    }
    eprintln!(
        "python: {} generated files accepted by load_from_yaml_file",
        cases.len()
    );
}

#[test]
fn our_parser_agrees_with_pyyaml_on_quirks() {
    let Some(python) = common::python_with(&["yaml"]) else {
        return;
    };
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/python");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.push(PathBuf::from(OFFICIAL));
    let read = oracle(&python, "yaml", &files);
    let (mut ok, mut err) = (0, 0);
    for (f, want) in files.iter().zip(read) {
        let text = std::fs::read_to_string(f).unwrap();
        let src = Source::of(&text);
        let p = formats::format(Lang::Python).parse(&src);
        match want {
            Read::Ok(want) => {
                assert!(
                    !p.is_fatal(),
                    "{}: we report {:?}, PyYAML reads it",
                    f.display(),
                    p.problems
                );
                let got: BTreeMap<String, J> = p
                    .effective()
                    .iter()
                    .map(|e| (e.key.clone(), enc(&e.value)))
                    .collect();
                assert_eq!(
                    got.keys().collect::<Vec<_>>(),
                    want.keys().collect::<Vec<_>>(),
                    "{}",
                    f.display()
                );
                for (k, w) in &want {
                    assert!(
                        same(&got[k], w),
                        "{} key {k}: ours {} PyYAML {w}",
                        f.display(),
                        got[k]
                    );
                }
                ok += 1;
            }
            Read::Err(msg, lines) => {
                let prob = p
                    .problems
                    .iter()
                    .find(|p| p.kind == ProblemKind::Syntax)
                    .unwrap_or_else(|| {
                        panic!(
                            "{}: PyYAML fails ({msg}) but we read {:?}",
                            f.display(),
                            p.entries
                        )
                    });
                let ours = src.line_col(prob.span.start).0;
                assert!(
                    lines.is_empty() || lines.contains(&ours),
                    "{}: we say line {ours}, PyYAML {lines:?}: {msg} / {}",
                    f.display(),
                    prob.message
                );
                err += 1;
            }
        }
    }
    assert!(err >= 8 && ok >= 10, "ok {ok} err {err}");
    eprintln!("python: {ok} quirk files read identically, {err} rejected at PyYAML's line");
}

/// Every line but the edited one is byte-identical, and PyYAML reads the new value.
#[test]
fn edits_on_the_official_template() {
    let Some(python) = common::python_with(&["yaml"]) else {
        return;
    };
    let orig = std::fs::read_to_string(OFFICIAL).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let fmt = formats::format(Lang::Python);
    let src = Source::of(&orig);
    let parsed = fmt.parse(&src);
    let sets: Vec<(&str, Value)> = vec![
        ("developer_token", Value::Str("it's: \"new\" #x".into())),
        ("use_proto_plus", Value::Bool(true)),
        ("client_id", Value::Str("0123456789".into())),
        ("client_secret", Value::Str("yes".into())),
        ("refresh_token", Value::Str("1//0g-abc".into())),
        ("login_customer_id", Value::Str("0012345678".into())),
        ("linked_customer_id", Value::Str("1234567890".into())),
        ("json_key_file_path", Value::Str("C:\\keys\\k.json".into())),
        ("impersonated_email", Value::Str("a@b.c".into())),
        ("http_proxy", Value::Str("http://u:p@h:8080".into())),
        ("use_application_default_credentials", Value::Bool(false)),
        ("endpoint", Value::Str("googleads.googleapis.com".into())),
        ("use_cloud_org_for_api_access", Value::Bool(true)),
        ("logging", logging_value("%(message)s", 1)),
    ];
    let mut files = Vec::new();
    let mut outs = Vec::new();
    for (i, (n, v)) in sets.iter().enumerate() {
        let key = Lang::Python.catalog().for_neutral(n).unwrap();
        let existed = parsed.find(key).is_some();
        let out =
            adsconf::edit::apply(&orig, &fmt.set_edits(&src, &parsed, key, v).unwrap()).unwrap();
        let (a, b): (Vec<&str>, Vec<&str>) = (orig.lines().collect(), out.lines().collect());
        if existed {
            assert_eq!(a.len(), b.len(), "{n}");
            let diff: Vec<usize> = (0..a.len()).filter(|&j| a[j] != b[j]).collect();
            assert_eq!(diff.len(), 1, "{n}: {diff:?}");
            assert!(b[diff[0]].starts_with(&format!("{}: ", key.key)));
        } else {
            let j = (0..b.len()).find(|&j| a.get(j) != Some(&b[j])).unwrap();
            assert!(b[j].starts_with(&format!("{}: ", key.key)), "{n}: {}", b[j]);
            let mut rest = b.clone();
            rest.drain(j..j + (b.len() - a.len()));
            assert_eq!(rest, a, "{n}");
            assert!(out.ends_with('\n'));
        }
        files.push(write(dir.path(), &format!("e{i}.yaml"), &out));
        outs.push((key.key.clone(), v.clone()));
    }
    // Removal of a multi-line value, then of a plain one.
    let logging_set = std::fs::read_to_string(&files[sets.len() - 1]).unwrap();
    let s2 = Source::of(&logging_set);
    let p2 = fmt.parse(&s2);
    let key = Lang::Python.catalog().for_neutral("logging").unwrap();
    let removed = adsconf::edit::apply(&logging_set, &fmt.remove_edits(&s2, &p2, key)).unwrap();
    assert_eq!(removed, orig, "removing logging restores the template");
    let block =
        "client_id: |\n  a\n  b\n\nk: >\n  x\nlogging:\n  version: 1\n  h: [1,\n    2]\n# tail\n";
    let s3 = Source::of(block);
    let p3 = fmt.parse(&s3);
    let mut edits = fmt.remove_edits(
        &s3,
        &p3,
        Lang::Python.catalog().for_neutral("client_id").unwrap(),
    );
    edits.extend(fmt.remove_edits(&s3, &p3, key));
    let removed = adsconf::edit::apply(block, &edits).unwrap();
    assert_eq!(removed, "\nk: >\n  x\n# tail\n");

    let read = oracle(&python, "yaml", &files);
    for ((k, v), got) in outs.iter().zip(read) {
        let Read::Ok(got) = got else {
            panic!("{k}: {got:?}")
        };
        assert!(same(&enc(v), &got[k]), "{k}: {v:?} vs {}", got[k]);
    }
    eprintln!(
        "python: {} edits of the official template read back by PyYAML",
        outs.len()
    );
}

/// Random small documents built from YAML-ish lines: wherever PyYAML reads a file we read
/// the same typed values, and wherever PyYAML refuses it we report a syntax problem.
#[test]
fn random_documents_agree_with_pyyaml() {
    let Some(python) = common::python_with(&["yaml"]) else {
        return;
    };
    use proptest::strategy::{Strategy, ValueTree};
    let line = proptest::sample::select(vec![
        "client_id: abc",
        "client_id: 'q''s'",
        "k: \"e\\u00e9\\t\"",
        "k2: yes",
        "k3: 0123",
        "k4: 1:30",
        "k5: ~",
        "k6:",
        "k7: [a, 1, {b: c}]",
        "k8: {x: 1}",
        "k9: |",
        "k9: >-",
        "  folded line",
        "  nested: 1",
        "    deeper: [1]",
        "- item",
        "k10: &a anchored",
        "k11: *a",
        "# comment",
        "",
        "k12: a #b",
        "k13: a#b",
        "k14: x\ty",
        "\tk15: 1",
        "k16: 'unclosed",
        "k17: \"x\" y",
        "k18: 1.5e+3",
        "k19: .inf",
        "k20: 0x1F",
        "? k21",
        ": v21",
        "k22: !!str 12",
        "---",
        "k23: - a",
        "k24: =",
        "k25: on",
        "  - seq item",
        "k26: [1, 2",
        "k27: }",
        "key with spaces: v",
        "\"quoted key\": v",
        "k28: 2001-12-14",
        "k29: b: c",
        "k30: '",
        "k31: @x",
        "k32: `x`",
        "k33: %x",
    ]);
    // Mostly-valid lines too, so that many documents are read and not only refused.
    let good = proptest::sample::select(vec![
        "client_id: abc",
        "client_id: 'q''s'",
        "k: \"e\\u00e9\\t\"",
        "k2: yes",
        "k3: 0123",
        "k4: 1:30",
        "k5: ~",
        "k6:",
        "k7: [a, 1, {b: c}]",
        "k8: {x: 1}",
        "k10: &a anchored",
        "# comment",
        "",
        "k12: a #b",
        "k13: a#b",
        "k18: 1.5e+3",
        "k19: .inf",
        "k20: 0x1F",
        "k22: !!str 12",
        "k25: on",
        "k28: 2001-12-14",
        "\"quoted key\": v",
        "k34: |\n  a\n  b",
        "k35:\n  x: [1, 2]\n  y: {z: no}",
        "k36: >\n  f\n\n  g",
        "k37:\n- 1\n- two",
        "k38: 1_000",
        "k39: -0b101",
        "k40: 'multi\n  line'",
        "k41: plain\n  continued",
        "k42: 09",
        "k43: 1e3",
    ]);
    let doc = proptest::collection::vec(line, 1..7).prop_map(|v| v.join("\n") + "\n");
    let good_doc = proptest::collection::vec(good, 1..9).prop_map(|v| v.join("\n") + "\n");
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut docs: Vec<String> = (0..400)
        .map(|_| doc.new_tree(&mut runner).unwrap().current())
        .collect();
    docs.extend((0..400).map(|_| good_doc.new_tree(&mut runner).unwrap().current()));
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| write(dir.path(), &format!("r{i}.yaml"), d))
        .collect();
    let (mut ok, mut err) = (0, 0);
    let mut mismatches = Vec::new();
    for (d, want) in docs.iter().zip(oracle(&python, "yaml", &files)) {
        let p = formats::format(Lang::Python).parse(&Source::of(d));
        match want {
            Read::Ok(want) => {
                let got: BTreeMap<String, J> = p
                    .effective()
                    .iter()
                    .map(|e| (e.key.clone(), enc(&e.value)))
                    .collect();
                let agree = !p.is_fatal()
                    && got.len() == want.len()
                    && want
                        .iter()
                        .all(|(k, w)| got.get(k).is_some_and(|g| same(g, w)));
                if !agree {
                    mismatches.push(format!(
                        "{d:?}: PyYAML {want:?}, ours {got:?} {:?}",
                        p.problems
                    ));
                }
                ok += 1;
            }
            Read::Err(msg, _) => {
                if !p.is_fatal() {
                    mismatches.push(format!("{d:?}: PyYAML fails ({msg}), we read it"));
                }
                err += 1;
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    eprintln!(
        "python: {} random documents ({ok} read, {err} refused) agree with PyYAML",
        docs.len()
    );
}
