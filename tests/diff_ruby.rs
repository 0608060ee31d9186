//! Differential test: google_ads_config.rb written and read by adsconf against Ruby
//! evaluating the file with a stand-in `Google::Ads::GoogleAds::Config` holding the
//! library's attribute list.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use adsconf::formats::{self, ProblemKind};
use adsconf::lang::Lang;
use adsconf::model::{Settings, Value};
use adsconf::schema::KeyType;
use adsconf::source::Source;
use serde_json::Value as J;

const ORACLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracles/ruby_reader.rb");
const OFFICIAL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/official/ruby/google_ads_config.rb"
);

#[derive(Debug)]
enum Read {
    Ok(BTreeMap<String, J>),
    Err(String, Vec<usize>),
}

fn oracle(ruby: &Path, files: &[PathBuf]) -> Vec<Read> {
    let attrs: Vec<&str> = Lang::Ruby
        .catalog()
        .keys
        .iter()
        .map(|k| k.key.as_str())
        .collect();
    let mut args = vec![ORACLE.to_string(), attrs.join(",")];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = common::run_with_stdin(ruby, &args, b"");
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
                        .map(|a| a.iter().filter_map(J::as_u64).map(|l| l as usize).collect())
                        .unwrap_or_default(),
                ),
            }
        })
        .collect();
    assert_eq!(res.len(), files.len());
    res
}

fn enc(v: &Value) -> J {
    match v {
        Value::Null => serde_json::json!({"t": "null"}),
        Value::Bool(b) => serde_json::json!({"t": "bool", "v": b}),
        Value::Int(i) => serde_json::json!({"t": "int", "v": i.to_string()}),
        Value::Float(f) => serde_json::json!({"t": "float", "v": f}),
        Value::Str(s) => serde_json::json!({"t": "str", "v": s}),
        Value::Symbol(s) => serde_json::json!({"t": "sym", "v": s}),
        Value::Json(j) => serde_json::json!({"t": "json", "v": j}),
    }
}

fn same(ours: &J, theirs: &J) -> bool {
    if ours["t"] == "float" && theirs["t"] == "float" {
        let t: f64 = theirs["v"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or(f64::NAN);
        return ours["v"].as_f64() == Some(t);
    }
    ours == theirs
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn ruby_keys() -> Vec<(String, String, KeyType)> {
    Lang::Ruby
        .catalog()
        .keys
        .iter()
        .filter_map(|k| {
            let n = k.neutral.clone()?;
            Some((n.clone(), k.key.clone(), adsconf::schema::neutral(&n)?.ty))
        })
        .collect()
}

/// The value Ruby should hold for a setting (log_target STDOUT/STDERR become the IO).
fn expected(n: &str, v: &Value) -> Value {
    match (n, v) {
        ("log_target", Value::Str(s)) if s == "STDOUT" || s == "STDERR" => Value::Symbol(s.clone()),
        _ => v.clone(),
    }
}

fn rotated(vals: &[String]) -> Vec<Settings> {
    let keys = ruby_keys();
    (0..vals.len())
        .map(|i| {
            let mut s = Settings::default();
            for (j, (n, _, ty)) in keys.iter().enumerate() {
                let x = &vals[(i + j) % vals.len()];
                let v = match ty {
                    KeyType::Bool => Value::Bool((i + j).is_multiple_of(2)),
                    KeyType::Int => Value::Int(i as i64 * 37 - 100),
                    _ if n == "log_target" && i % 5 < 2 => {
                        Value::Str(if i % 5 == 0 { "STDOUT" } else { "STDERR" }.into())
                    }
                    _ if n == "login_customer_id" && i % 4 == 0 => Value::Int(i as i64 * 1_000_003),
                    _ if n == "linked_customer_id" && i % 7 == 0 => Value::Null,
                    _ => Value::Str(x.clone()),
                };
                s.set(n, v);
            }
            s
        })
        .collect()
}

fn check_generated(ruby: &Path, cases: &[Settings], label: &str) {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = cases
        .iter()
        .enumerate()
        .map(|(i, s)| {
            write(
                dir.path(),
                &format!("c{i}.rb"),
                &formats::format(Lang::Ruby).render(s).expect("render"),
            )
        })
        .collect();
    for ((s, got), f) in cases.iter().zip(oracle(ruby, &files)).zip(&files) {
        let text = std::fs::read_to_string(f).unwrap();
        let Read::Ok(got) = got else {
            panic!("Ruby refused {}: {got:?}\n{text}", f.display())
        };
        let want: BTreeMap<String, J> = s
            .values
            .iter()
            .map(|(n, v)| {
                (
                    Lang::Ruby.catalog().for_neutral(n).unwrap().key.clone(),
                    enc(&expected(n, v)),
                )
            })
            .collect();
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>()
        );
        for (k, w) in &want {
            assert!(
                same(w, &got[k]),
                "{label} {k}: ours {w} Ruby {}\n{text}",
                got[k]
            );
        }
        let parsed = formats::format(Lang::Ruby).parse(&Source::of(&text));
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        for e in parsed.effective() {
            assert!(same(&enc(&e.value), &got[&e.key]), "our parser, {}", e.key);
        }
    }
    eprintln!(
        "ruby: {} {label} files evaluated by Ruby to exactly the settings",
        cases.len()
    );
}

#[test]
fn generated_ruby_evaluates_to_the_settings() {
    let Some(ruby) = common::require("ruby") else {
        return;
    };
    let vals: Vec<String> = common::awkward_values()
        .into_iter()
        .chain(
            [
                "\r",
                "a\rb",
                "\u{0}nul",
                "\u{4}eot\u{1a}",
                "\u{1b}[0m",
                "#{`id`}",
                "\u{2028}",
                "\\'",
                "'\\",
            ]
            .map(String::from),
        )
        .collect();
    check_generated(&ruby, &rotated(&vals), "corpus");

    use proptest::strategy::{Strategy, ValueTree};
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strat = common::awkward_string();
    let vals: Vec<String> = (0..300)
        .map(|_| strat.new_tree(&mut runner).unwrap().current())
        .collect();
    check_generated(&ruby, &rotated(&vals), "proptest");
}

#[test]
fn our_parser_agrees_with_ruby_on_quirks() {
    let Some(ruby) = common::require("ruby") else {
        return;
    };
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ruby");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.push(PathBuf::from(OFFICIAL));
    let (mut ok, mut code, mut err) = (0, 0, 0);
    for (f, want) in files.iter().zip(oracle(&ruby, &files)) {
        let text = std::fs::read_to_string(f).unwrap();
        let src = Source::of(&text);
        let p = formats::format(Lang::Ruby).parse(&src);
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        match want {
            Read::Ok(want) if name.starts_with("code_") => {
                // Code: we must say so at each such line, never guess; what we did read
                // agrees with Ruby.
                assert!(
                    p.problems.iter().all(|p| p.kind == ProblemKind::NotStatic),
                    "{name}: {:?}",
                    p.problems
                );
                let lines: Vec<usize> = p
                    .problems
                    .iter()
                    .map(|p| src.line_col(p.span.start).0)
                    .collect();
                let marked: Vec<usize> = text
                    .lines()
                    .enumerate()
                    // (a heredoc terminator cannot carry the marker comment)
                    .filter(|(_, l)| l.ends_with("# NOTSTATIC") || l.trim() == "EOS")
                    .map(|(i, _)| i + 1)
                    .collect();
                assert_eq!(lines, marked, "{name}: lines reported NotStatic");
                for m in &marked {
                    assert!(
                        lines.contains(m),
                        "{name}: line {m} not reported ({lines:?})"
                    );
                }
                for e in p.effective() {
                    if !p
                        .problems
                        .iter()
                        .any(|q| q.span.start <= e.key_span.start && e.key_span.start <= q.span.end)
                    {
                        assert!(same(&enc(&e.value), &want[&e.key]), "{name} {}", e.key);
                    }
                }
                code += 1;
            }
            Read::Ok(want) => {
                assert!(p.problems.is_empty(), "{name}: {:?}", p.problems);
                let got: BTreeMap<String, J> = p
                    .effective()
                    .iter()
                    .map(|e| (e.key.clone(), enc(&e.value)))
                    .collect();
                assert_eq!(
                    got.keys().collect::<Vec<_>>(),
                    want.keys().collect::<Vec<_>>(),
                    "{name}"
                );
                for (k, w) in &want {
                    assert!(same(&got[k], w), "{name} {k}: ours {} Ruby {w}", got[k]);
                }
                ok += 1;
            }
            Read::Err(msg, lines) => {
                let prob = p
                    .problems
                    .iter()
                    .find(|p| p.kind == ProblemKind::Syntax)
                    .unwrap_or_else(|| {
                        panic!("{name}: Ruby fails ({msg}) but we see {:?}", p.problems)
                    });
                let line = src.line_col(prob.span.start).0;
                assert!(
                    lines.is_empty() || lines.contains(&line),
                    "{name}: ours line {line}, Ruby {lines:?} {msg}"
                );
                err += 1;
            }
        }
    }
    assert!(
        ok >= 5 && code >= 3 && err >= 3,
        "ok {ok} code {code} err {err}"
    );
    eprintln!("ruby: {ok} quirk files read identically, {code} with code reported NotStatic, {err} refused like Ruby");
}

#[test]
fn edits_on_the_official_template() {
    let Some(ruby) = common::require("ruby") else {
        return;
    };
    let orig = std::fs::read_to_string(OFFICIAL).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let fmt = formats::format(Lang::Ruby);
    let src = Source::of(&orig);
    let parsed = fmt.parse(&src);
    let sets: Vec<(&str, Value)> = vec![
        ("developer_token", Value::Str("it's #{x} \\".into())),
        ("client_id", Value::Str("0123456789".into())),
        ("client_secret", Value::Str("tab\there".into())),
        ("refresh_token", Value::Str("1//0g".into())),
        ("login_customer_id", Value::Str("1234567890".into())),
        ("linked_customer_id", Value::Int(1234567890)),
        ("json_key_file_path", Value::Str("C:\\k.json".into())),
        ("impersonated_email", Value::Str("a@b.c".into())),
        ("use_application_default_credentials", Value::Bool(true)),
        ("use_cloud_org_for_api_access", Value::Bool(true)),
        ("endpoint", Value::Str("localhost:8443".into())),
        ("log_level", Value::Str("DEBUG".into())),
        ("log_target", Value::Str("STDERR".into())),
        ("log_target", Value::Str("/tmp/log.txt".into())),
        ("http_proxy", Value::Str("http://u:p@h:8080".into())),
    ];
    let mut files = Vec::new();
    for (i, (n, v)) in sets.iter().enumerate() {
        let key = Lang::Ruby.catalog().for_neutral(n).unwrap();
        let existed = parsed.find(key).is_some();
        let out =
            adsconf::edit::apply(&orig, &fmt.set_edits(&src, &parsed, key, v).unwrap()).unwrap();
        let (a, b): (Vec<&str>, Vec<&str>) = (orig.lines().collect(), out.lines().collect());
        if existed {
            assert_eq!(a.len(), b.len(), "{n}");
            let diff: Vec<usize> = (0..a.len()).filter(|&j| a[j] != b[j]).collect();
            assert_eq!(diff.len(), 1, "{n}");
            assert!(b[diff[0]].starts_with(&format!("  c.{} = ", key.key)));
        } else {
            assert_eq!(b.len(), a.len() + 1);
            let j = (0..b.len()).find(|&j| a.get(j) != Some(&b[j])).unwrap();
            assert!(
                b[j].starts_with(&format!("  c.{} = ", key.key)),
                "{n}: {}",
                b[j]
            );
            assert_eq!(b[j + 1], "end");
            let mut rest = b.clone();
            rest.remove(j);
            assert_eq!(rest, a);
        }
        // Removing the key again drops exactly the line.
        let s2 = Source::of(&out);
        let p2 = fmt.parse(&s2);
        assert!(p2.problems.is_empty(), "{n}: {:?}", p2.problems);
        files.push(write(dir.path(), &format!("e{i}.rb"), &out));
    }
    for (((n, v), got), f) in sets.iter().zip(oracle(&ruby, &files)).zip(&files) {
        let Read::Ok(got) = got else {
            panic!("{n}: {got:?}")
        };
        let key = &Lang::Ruby.catalog().for_neutral(n).unwrap().key;
        assert!(
            same(&enc(&expected(n, v)), &got[key]),
            "{n}: {v:?} vs {}\n{}",
            got[key],
            std::fs::read_to_string(f).unwrap()
        );
    }
    // Remove: the line goes, the rest is byte-identical.
    let key = Lang::Ruby.catalog().for_neutral("client_secret").unwrap();
    let removed = adsconf::edit::apply(&orig, &fmt.remove_edits(&src, &parsed, key)).unwrap();
    assert_eq!(
        removed,
        orig.replace("  c.client_secret = 'INSERT_CLIENT_SECRET_HERE'\n", "")
    );
    eprintln!(
        "ruby: {} edits of the official template evaluated by Ruby",
        sets.len()
    );
}

/// Random Config blocks built from literal and code lines: when we read a file without
/// problems, Ruby evaluates it to exactly our values; when we call it refused, Ruby refuses
/// it; when Ruby refuses it, we report a problem.
#[test]
fn random_blocks_agree_with_ruby() {
    let Some(ruby) = common::require("ruby") else {
        return;
    };
    use proptest::strategy::{Strategy, ValueTree};
    let line = proptest::sample::select(vec![
        "  c.developer_token = 'a'",
        "  c.client_id = \"x\\ty\\s\\e\"",
        "  c.login_customer_id = 0123",
        "  c.log_target = STDERR",
        "  c.keyfile = %q(a(b)c)",
        "  c.impersonate = nil",
        "  c.refresh_token = 'a' \"b\"",
        "  c.client_secret = \"#{1}\"",
        "  c.http_proxy = ENV['HOME']",
        "  # comment 'x",
        "",
        "  c.log_level = 1_0",
        "  c.api_endpoint = -0x1f",
        "  c.bogus = 1",
        "  if false",
        "  end",
        "  c.use_insecure_channel = true; c.developer_token = 'semi'",
        "  c.ads_assistant = \"\\u{1F600 41}\"",
        "  c.developer_token = 'x",
        "=begin\nc.developer_token = 'hidden'\n=end",
        "  c.developer_token = \"a\" # 'q'",
        "  c.client_id = 1.5e3",
        "  c.client_id = 08",
        "  c.client_id = 1__0",
        "  c.client_id = \"\\xff\"",
        "  c.client_id = 'a\\'b\\\\c\\d'",
        "  c.log_target = $stderr",
        "  c.client_id = %Q{x #{2}}",
        "  c.client_id = \"\\101\\x41\\u0041\"",
        "  c.client_id = 'é漢😀'",
        "  c.linked_customer_id = 0b11",
        "  c.client_id =",
        "  c.client_id = 'a'.freeze",
        "  c.client_id = :sym",
        "  x = 1",
        "  c.client_id = \"#@x\"",
        "  c.client_id = \"\\#{1}\"",
        "  c.developer_token = true if false",
    ]);
    let body = proptest::collection::vec(line, 0..7).prop_map(|v| {
        format!(
            "Google::Ads::GoogleAds::Config.new do |c|\n{}\nend\n",
            v.join("\n")
        )
    });
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let docs: Vec<String> = (0..600)
        .map(|_| body.new_tree(&mut runner).unwrap().current())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| write(dir.path(), &format!("r{i}.rb"), d))
        .collect();
    let (mut exact, mut code, mut refused) = (0, 0, 0);
    let mut bad = Vec::new();
    for (d, want) in docs.iter().zip(oracle(&ruby, &files)) {
        let p = formats::format(Lang::Ruby).parse(&Source::of(d));
        let fatal = p.is_fatal();
        match want {
            Read::Ok(want) if p.problems.is_empty() => {
                let got: BTreeMap<String, J> = p
                    .effective()
                    .iter()
                    .map(|e| (e.key.clone(), enc(&e.value)))
                    .collect();
                if got.len() != want.len()
                    || !want
                        .iter()
                        .all(|(k, w)| got.get(k).is_some_and(|g| same(g, w)))
                {
                    bad.push(format!("{d}=> Ruby {want:?}\n   ours {got:?}"));
                }
                exact += 1;
            }
            Read::Ok(_) if fatal => bad.push(format!(
                "{d}=> Ruby reads it, we call it refused: {:?}",
                p.problems
            )),
            Read::Ok(_) => code += 1,
            Read::Err(msg, _) => {
                if p.problems.is_empty() {
                    bad.push(format!("{d}=> Ruby fails ({msg}), we read it"));
                }
                refused += 1;
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.join("\n")
    );
    eprintln!("ruby: {} random blocks agree with Ruby ({exact} read exactly, {code} with code flagged, {refused} refused)", docs.len());
}
