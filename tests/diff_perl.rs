//! Differential test: `generate perl` output read back by google-ads-perl's own line reader.

mod common;

use std::collections::BTreeMap;

use adsconf::formats;
use adsconf::lang::Lang;
use adsconf::model::{Settings, Value};

/// Perl keys for every string setting the target expresses.
fn perl_string_keys() -> Vec<(&'static str, &'static str)> {
    Lang::Perl
        .catalog()
        .keys
        .iter()
        .filter_map(|k| k.neutral.as_deref().map(|n| (n, k.key.as_str())))
        .collect()
}

fn oracle(files: &[std::path::PathBuf]) -> Option<Vec<BTreeMap<String, Option<String>>>> {
    let perl = common::require("perl")?;
    let mut args =
        vec![concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracles/perl_reader.pl").to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = common::run_with_stdin(&perl, &args, b"");
    Some(
        out.lines()
            .map(|l| serde_json::from_str(l).expect("oracle JSON"))
            .collect(),
    )
}

#[test]
fn generated_perl_reads_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let keys = perl_string_keys();
    let values: Vec<String> = common::awkward_values()
        .into_iter()
        .filter(|v| !v.contains('\r'))
        .collect();
    let mut cases = Vec::new();
    // Every awkward value in every key, rotating so each file holds every key.
    for (i, _) in values.iter().enumerate() {
        let mut s = Settings::default();
        for (j, (n, _)) in keys.iter().enumerate() {
            if *n == "refresh_token" || *n == "client_id" || *n == "client_secret" {
                continue; // keep one auth family per file
            }
            s.set(n, Value::Str(values[(i + j) % values.len()].clone()));
        }
        if i % 2 == 0 {
            s.values.remove("json_key_file_path");
            s.values.remove("impersonated_email");
            for n in ["client_id", "client_secret", "refresh_token"] {
                s.set(n, Value::Str(values[(i + 7) % values.len()].clone()));
            }
        }
        cases.push(s);
    }
    let mut files = Vec::new();
    for (i, s) in cases.iter().enumerate() {
        let text = formats::format(Lang::Perl).render(s).expect("render");
        let f = dir.path().join(format!("case{i}.properties"));
        std::fs::write(&f, text).unwrap();
        files.push(f);
    }
    let Some(read) = oracle(&files) else { return };
    assert_eq!(read.len(), cases.len());
    for (s, got) in cases.iter().zip(read) {
        for (n, v) in &s.values {
            let key = Lang::Perl.catalog().for_neutral(n).unwrap().key.as_str();
            assert_eq!(got.get(key), Some(&Some(v.to_text())), "key {key}");
        }
        // Nothing else was read (comments stay comments).
        assert_eq!(got.len(), s.values.len(), "{got:?}");
    }
    eprintln!("perl: {} generated files read back exactly", cases.len());
}

#[test]
fn our_parser_agrees_with_the_perl_reader_on_quirks() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        "# comment\n  # indented is not a comment\ndeveloperToken = spaced\nclientId=a=b\r\n\n \t\nnovalue\nx=1\nx=2",
        "\u{feff}developerToken=bom\n#x=y\n!bang=1\n;semi=2\nkey:colon\n",
        "",
        "=\n==\nk=\\\n",
    ];
    let paths: Vec<_> = files
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let p = dir.path().join(format!("q{i}.properties"));
            std::fs::write(&p, t).unwrap();
            p
        })
        .collect();
    let Some(read) = oracle(&paths) else { return };
    for (text, want) in files.iter().zip(read) {
        let parsed = formats::format(Lang::Perl).parse(&adsconf::source::Source::of(text));
        let mut got: BTreeMap<String, Option<String>> = BTreeMap::new();
        for e in parsed.effective() {
            got.insert(e.key.clone(), e.value.as_str().map(str::to_string));
        }
        assert_eq!(got, want, "file {text:?}");
    }
}
