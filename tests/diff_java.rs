//! Differential tests: ads.properties files read by `java.util.Properties.load(InputStream)`
//! (tests/oracles/PropsOracle.java, source-launched once per batch), files written as
//! ISO-8859-1 bytes.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use adsconf::formats;
use adsconf::lang::Lang;
use adsconf::model::{Settings, Value};
use adsconf::schema::KeyType;
use adsconf::source::{self, Encoding, Source};
use serde_json::Value as J;

type Read = Result<BTreeMap<String, String>, String>;

/// The oracle compiled once per test binary (javac into the cargo test temp dir); the
/// tests of this file share it.
fn oracle_classes() -> Option<PathBuf> {
    static DIR: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let javac = common::require("javac")?;
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("props-oracle");
        std::fs::create_dir_all(&dir).unwrap();
        let st = std::process::Command::new(javac)
            .arg("-d")
            .arg(&dir)
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/oracles/PropsOracle.java"
            ))
            .status()
            .expect("run javac");
        assert!(st.success(), "javac failed");
        Some(dir)
    })
    .clone()
}

fn oracle(files: &[PathBuf]) -> Option<Vec<Read>> {
    let classes = oracle_classes()?;
    let java = common::require("java")?;
    let out = std::process::Command::new(java)
        .arg("-cp")
        .arg(&classes)
        .arg("PropsOracle")
        .args(files)
        .output()
        .expect("run java");
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
                Ok(serde_json::from_value(j["props"].clone()).unwrap())
            } else {
                Err(j["error"].as_str().unwrap_or("").to_string())
            }
        })
        .collect();
    assert_eq!(reads.len(), files.len());
    Some(reads)
}

/// Our reader: the winning value of every key, or the syntax problem.
fn ours(text: &str) -> Read {
    let src = Source::new(None, text.to_string(), Encoding::Latin1);
    let p = formats::format(Lang::Java).parse(&src);
    if p.is_fatal() {
        return Err(p.problems[0].message.clone());
    }
    Ok(p.effective()
        .into_iter()
        .map(|e| (e.key.clone(), e.value.to_text()))
        .collect())
}

fn write_latin1(dir: &Path, texts: &[String]) -> Vec<PathBuf> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let p = dir.join(format!("case{i}.properties"));
            std::fs::write(&p, source::encode(t, Encoding::Latin1).unwrap()).unwrap();
            p
        })
        .collect()
}

fn expected(s: &Settings) -> BTreeMap<String, String> {
    let cat = Lang::Java.catalog();
    s.values
        .iter()
        .map(|(n, v)| (cat.for_neutral(n).unwrap().key.clone(), v.to_text()))
        .collect()
}

fn check_generated(cases: &[Settings], what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let texts: Vec<String> = cases
        .iter()
        .map(|s| formats::format(Lang::Java).render(s).expect("render"))
        .collect();
    let files = write_latin1(dir.path(), &texts);
    let Some(read) = oracle(&files) else { return };
    for ((s, got), text) in cases.iter().zip(read).zip(&texts) {
        let got = got.unwrap_or_else(|e| panic!("Java rejected ({e}):\n{text}"));
        assert_eq!(got, expected(s), "{what}:\n{text}");
        assert_eq!(ours(text), Ok(got), "{text}");
    }
    eprintln!(
        "java: {} {what} files read back exactly by Properties.load",
        cases.len()
    );
}

fn keys() -> Vec<(&'static str, KeyType)> {
    common::lang_keys(Lang::Java)
}

#[test]
fn generated_java_reads_back_exactly() {
    let mut values = common::awkward_values();
    values.push("a\rb\u{c}c\u{0}d".into());
    values.push("astral 😀 𝄞 and BMP € ā".into());
    let keys = keys();
    let cases = common::rotated_cases(&keys, &values);
    check_generated(&cases, "awkward-corpus");
}

#[test]
fn generated_java_reads_back_exactly_proptest() {
    let cases = common::proptest_cases(&keys(), 300);
    check_generated(&cases, "proptest");
}

/// Hand-written files exercising the Properties grammar (as Latin-1 text).
fn quirks() -> Vec<String> {
    [
        "# comment\n! bang comment\n   # indented comment\na=1\n",
        "a = b  \nc:d\ne f\ng\n   h   =   i\nj==k\nl:=m\nn = = o\n",
        "key\\ with\\ spaces = v\n\\#notcomment=1\n\\!x=2\nk\\=eq=3\nk\\:colon=4\n",
        "esc=\\t\\n\\r\\f\\a\\b\\\\ \\\"\nwin=C:\\path\\file\nwin2=C:\\\\path\\\\file\n",
        "u=\\u0041\\u00e9\\u20AC\\ud83d\\ude00\nU=\\U0041\n",
        "cont = first \\\n     second \\\n\tthird\nnext=1\n",
        "cont2=a\\\\\nnot_cont=b\n",
        "cont3=a\\\\\\\nnow_cont\n",
        "empty_cont=\\\n\nafter=1\n",
        "comment_cont=#x \\\n  y\n#c \\\nz=1\n",
        "crlf=1\r\ncr=2\rlf=3\ncont=a\\\r\n  b\r\n",
        "dup=1\ndup=2\n dup = 3 \n",
        "latin1=caf\u{e9} \u{ff}\u{a0}\u{80}\n\u{e9}key=v\n",
        "trailing_bs=abc\\",
        "only_key",
        "   \n\t\n\u{c}\n",
        "\u{ef}\u{bb}\u{bf}bom=1\n",
        "ff\u{c}sep\u{c}value\n",
        "bad=\\u12g4\n",
        "bad2=\\u12",
        "ok=1\nbad3=\\uXYZW\n",
        "badkey\\u00=1\n",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[test]
fn our_reader_agrees_with_java_on_quirk_files() {
    let mut texts = quirks();
    let official = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/official/java/ads.properties.sample"
    );
    texts.push(source::decode_latin1(&std::fs::read(official).unwrap()));
    let dir = tempfile::tempdir().unwrap();
    let files = write_latin1(dir.path(), &texts);
    let Some(read) = oracle(&files) else { return };
    let mut errors = 0;
    for (text, want) in texts.iter().zip(read) {
        match (ours(text), want) {
            (Err(_), Err(_)) => errors += 1,
            (got, want) => assert_eq!(got, want, "{text:?}"),
        }
    }
    assert!(errors >= 4, "malformed \\u fixtures are exercised");
    eprintln!(
        "java: {} quirk files ({errors} rejected) read identically by our reader and Properties.load",
        texts.len()
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
fn set_on_the_official_template_changes_one_line_and_java_reads_it() {
    let official = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/official/java/ads.properties.sample"
    );
    let bytes = std::fs::read(official).unwrap();
    // A continued entry too, to replace a value spanning lines.
    let base = source::decode_latin1(&bytes) + "api.googleads.endpoint = host\\\n    :443\n";
    let cat = Lang::Java.catalog();
    let fmt = formats::format(Lang::Java);
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
                Value::Str(" lead \\ é😀 # ! = : trail ".into()),
                Value::Str("plain".into()),
            ),
        };
        let mut text = base.clone();
        for v in [&v1, &v2] {
            let src = Source::new(None, text.clone(), Encoding::Latin1);
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
                }
            }
            texts.push(out.clone());
            wants.push((k.key.clone(), v.to_text()));
            text = out;
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let files = write_latin1(dir.path(), &texts);
    let Some(read) = oracle(&files) else { return };
    for ((got, (k, v)), text) in read.into_iter().zip(&wants).zip(&texts) {
        let got = got.unwrap_or_else(|e| panic!("Java rejected ({e}):\n{text}"));
        assert_eq!(got.get(k), Some(v), "{k}\n{text}");
    }
    eprintln!(
        "java: {} edits of {} core keys on the official template read back by Properties.load",
        texts.len(),
        core.len()
    );
}

/// Random property text from grammar-significant atoms: our reader and Java agree on every
/// file (same properties, or both reject it).
#[test]
fn our_reader_agrees_with_java_on_random_files() {
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    let atoms = prop::sample::select(vec![
        "k",
        "key",
        " ",
        "\t",
        "\u{c}",
        "=",
        ":",
        "\\",
        "\\\\",
        "\\u0041",
        "\\ud83d\\ude00",
        "\\u00",
        "\\t",
        "\\n",
        "\\ ",
        "#",
        "!",
        "\n",
        "\r\n",
        "\r",
        "\u{e9}",
        "\u{ff}",
        "\\\n",
        "\\\r\n",
        "\\\r",
        "x y",
        "\"",
        "'",
    ]);
    let strat = prop::collection::vec(atoms, 0..20).prop_map(|v| v.concat());
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let n: usize = std::env::var("ADSCONF_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600);
    let texts: Vec<String> = (0..n)
        .map(|_| strat.new_tree(&mut runner).unwrap().current())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let files = write_latin1(dir.path(), &texts);
    let Some(read) = oracle(&files) else { return };
    let mut rejected = 0;
    let mut bad = Vec::new();
    for (text, want) in texts.iter().zip(read) {
        let got = ours(text);
        match (&got, &want) {
            (Err(_), Err(_)) => rejected += 1,
            _ if got == want => {}
            _ => bad.push(format!("{text:?}\n  java: {want:?}\n  ours: {got:?}")),
        }
    }
    assert!(
        bad.is_empty(),
        "{} disagreements:\n{}",
        bad.len(),
        bad[..bad.len().min(12)].join("\n")
    );
    eprintln!(
        "java: {} random files ({rejected} rejected by Java) read identically",
        texts.len()
    );
}
