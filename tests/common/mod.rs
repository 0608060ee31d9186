//! Shared helpers for integration tests: the binary, the real parsers (interpreters), and
//! the awkward-value corpus.
//!
//! Interpreter-backed tests skip with a printed reason when the interpreter is missing, and
//! fail when the `CI` environment variable is set (CI installs every interpreter).
#![allow(dead_code)]

mod judges;
pub use judges::*;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The adsconf binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_adsconf"))
}

/// Run adsconf with `args` in `dir`, stdin closed (not a terminal).
pub fn adsconf(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GOOGLE_ADS_CONFIGURATION_FILE_PATH")
        .stdin(Stdio::null())
        .output()
        .expect("run adsconf")
}

pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Find an executable on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// The judge `name` (an executable registered in [`JUDGES`]), or `None` after printing why
/// the test is skipped. Under `CI` a missing judge fails the test.
pub fn require(name: &str) -> Option<PathBuf> {
    judge(name)
}

/// Skip (print the reason) locally; panic under CI.
pub fn skip<T>(reason: &str) -> Option<T> {
    if in_ci() {
        panic!("required in CI: {reason}");
    }
    eprintln!("skipped: {reason}");
    None
}

/// A Python importing `modules`: the judge registered for that set of modules
/// (`python3`, `pyyaml`, `google-ads`, `jsonschema`); `$ADSCONF_PYTHON` comes first.
pub fn python_with(modules: &[&str]) -> Option<PathBuf> {
    judge(match modules {
        [] => "python3",
        ["yaml"] => "pyyaml",
        ["jsonschema"] => "jsonschema",
        ["yaml", "google.ads.googleads.config"] | ["google.ads.googleads.config"] => "google-ads",
        other => panic!(
            "no judge for a python with {other:?}: add a row to tests/common/judges.rs and ask for it with common::judge(NAME)"
        ),
    })
}

/// Run `program args…` feeding `stdin`; panic with its stderr when it fails.
pub fn run_with_stdin(program: &Path, args: &[&str], stdin: &[u8]) -> String {
    use std::io::Write;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {}: {e}", program.display()));
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{} failed: {}",
        program.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Awkward string values every format must carry exactly (no newlines: those are refused).
pub fn awkward_values() -> Vec<String> {
    [
        "plain",
        "",
        " leading and trailing spaces ",
        "\ttab\tinside",
        "it's \"quoted\" both ways",
        "back\\slash and C:\\Users\\me\\key.json",
        "\\\\server\\share\\",
        "ends with backslash\\",
        "; # = ! : ( ) { } | & ~ ^",
        "${HOME} and $HOME and $x",
        "#{1} ruby interpolation",
        "`backticks` $(cmd)",
        "- dash",
        "key: value",
        "*alias &anchor !tag %directive @at [flow] {map}",
        "yes",
        "no",
        "off",
        "on",
        "null",
        "~",
        "true",
        "false",
        "none",
        "0x1F",
        "1e3",
        "1:30",
        "0123",
        "0123456789",
        "0012345678",
        "1_000",
        ".inf",
        "NaN",
        "accents éàü, CJK 漢字, emoji 😀",
        "'single'",
        "\"double\"",
        "a'b\"c\\d",
        "<xml attr=\"&amp;\"> &lt;",
        "]]> --> <!--",
        "%s %d {0} {{x}} {% raw %}",
        "trailing =",
        "= leading",
        "#comment-like",
        "!bang",
        "@\"verbatim\"",
        "\\u0041 not an escape",
        "\u{7f}\u{80}\u{a0}\u{ff}",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(std::iter::once("x".repeat(5000)))
    .collect()
}

/// proptest strategy: strings drawn from awkward characters (no line breaks).
pub fn awkward_string() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let atoms = prop::sample::select(vec![
        "a", "Z", "0", "9", " ", "\t", "'", "\"", "\\", ";", "#", "=", "!", ":", "(", ")", "{",
        "}", "|", "&", "~", "^", "$", "${HOME}", "#{1}", "`", "- ", ": ", "*", "%", "@", "[", "]",
        ",", "?", "<", ">", "é", "漢", "😀", "yes", "off", "null", "0x1F", "1e3", "1:30", "0123",
        ".", "/", "+", "\u{a0}",
    ]);
    prop::collection::vec(atoms, 0..12).prop_map(|v| v.concat())
}

/// Neutral keys a target expresses, with their types (catalogue order).
pub fn lang_keys(lang: adsconf::lang::Lang) -> Vec<(&'static str, adsconf::schema::KeyType)> {
    lang.catalog()
        .keys
        .iter()
        .filter_map(|k| k.neutral.as_deref())
        .map(|n| {
            (
                n,
                adsconf::schema::neutral(n)
                    .expect("catalogue names a neutral key")
                    .ty,
            )
        })
        .collect()
}

/// One settings per value: every value rotated over every key, so each file holds every key
/// (booleans alternate true/false).
pub fn rotated_cases(
    keys: &[(&str, adsconf::schema::KeyType)],
    values: &[String],
) -> Vec<adsconf::model::Settings> {
    use adsconf::model::{Settings, Value};
    (0..values.len())
        .map(|i| {
            let mut s = Settings::default();
            for (j, (n, ty)) in keys.iter().enumerate() {
                let v = match ty {
                    adsconf::schema::KeyType::Bool => Value::Bool((i + j) % 2 == 0),
                    _ => Value::Str(values[(i + j) % values.len()].clone()),
                };
                s.set(n, v);
            }
            s
        })
        .collect()
}

/// `n` settings whose non-boolean keys hold strings from [`awkward_string`] (deterministic).
pub fn proptest_cases(
    keys: &[(&str, adsconf::schema::KeyType)],
    n: usize,
) -> Vec<adsconf::model::Settings> {
    use adsconf::model::{Settings, Value};
    use proptest::strategy::{Strategy, ValueTree};
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strat = awkward_string();
    (0..n)
        .map(|_| {
            let mut s = Settings::default();
            for (k, ty) in keys {
                if *ty != adsconf::schema::KeyType::Bool {
                    s.set(
                        k,
                        Value::Str(strat.new_tree(&mut runner).expect("strategy").current()),
                    );
                }
            }
            s
        })
        .collect()
}

/// A throwaway RSA key made with openssl: (PKCS#8 PEM private key, public key PEM path).
pub fn openssl_key(dir: &Path, name: &str) -> Option<(String, std::path::PathBuf)> {
    let openssl = require("openssl")?;
    let key = dir.join(format!("{name}.pem"));
    let public = dir.join(format!("{name}.pub.pem"));
    let ok = std::process::Command::new(&openssl)
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
        ])
        .arg(&key)
        .output()
        .unwrap()
        .status
        .success()
        && std::process::Command::new(&openssl)
            .args(["pkey", "-pubout", "-in"])
            .arg(&key)
            .arg("-out")
            .arg(&public)
            .output()
            .unwrap()
            .status
            .success();
    assert!(ok, "openssl could not make a key");
    Some((std::fs::read_to_string(key).unwrap(), public))
}
