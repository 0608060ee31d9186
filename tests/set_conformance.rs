//! `adsconf set` on every official template, for every core key (present or missing in the
//! template): the library's real parser reads the new value, every other line of the file
//! is byte-identical, and secret values never appear in the command's output.
//!
//! One table: a new format is one row (template, oracle, how its parser types a value).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use adsconf::lang::Lang;
use adsconf::model::{self, Value};
use adsconf::schema::{self, KeyType, LibKey};
use serde_json::Value as Json;

/// What a real parser read from each file: the library's key (PHP `SECTION.key`) → value.
type Read = BTreeMap<String, Json>;
type Oracle = fn(&[PathBuf]) -> Option<Vec<Read>>;

struct Row {
    lang: Lang,
    /// Official template, relative to the conformance directory; `generated:NAME` for a
    /// target without an official template (adsconf's own rendering, with a user comment).
    template: &'static str,
    oracle: Oracle,
    /// Most lines of the original an edit of one key may replace.
    max_old_lines: usize,
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            lang: Lang::Perl,
            template: "perl/googleads.properties",
            oracle: perl_oracle,
            max_old_lines: 1,
        },
        Row {
            lang: Lang::Java,
            template: "java/ads.properties.sample",
            oracle: java_oracle,
            max_old_lines: 1,
        },
        Row {
            lang: Lang::Php,
            template: "php/google_ads_php.ini",
            oracle: php_oracle,
            max_old_lines: 1,
        },
        Row {
            lang: Lang::Env,
            template: "generated:googleads.env",
            oracle: env_oracle,
            max_old_lines: 1,
        },
        Row {
            lang: Lang::Python,
            template: "python/google-ads.yaml",
            oracle: python_oracle,
            max_old_lines: 1,
        },
        Row {
            lang: Lang::Ruby,
            template: "ruby/google_ads_config.rb",
            oracle: ruby_oracle,
            max_old_lines: 1,
        },
        Row {
            lang: Lang::Dotnet,
            template: "dotnet/App.config",
            oracle: |f| dotnet_oracle("dotnet_appconfig_reader.py", f),
            max_old_lines: 1,
        },
        Row {
            lang: Lang::DotnetJson,
            template: "dotnet/appsettings.json",
            oracle: |f| dotnet_oracle("dotnet_json_reader.py", f),
            max_old_lines: 1,
        },
    ]
}

/// Does the real parser's value `got` mean `text` for `key`, the way the library
/// interprets it (PHP's typed INI gives ints and booleans; the library reads them back)?
fn reads_back(key: &LibKey, got: Option<&Json>, text: &str) -> bool {
    let Some(got) = got else { return false };
    let got = match got {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) if n.is_i64() => Value::Int(n.as_i64().unwrap()),
        Json::Number(n) => Value::Float(n.as_f64().unwrap()),
        Json::String(s) => Value::Str(s.clone()),
        other => Value::Json(other.clone()),
    };
    let want = adsconf::change::typed_value(key, text).unwrap();
    match key.neutral.as_deref() {
        Some(n) => {
            let g = model::normalize(n, &got, &key.reads);
            g.is_some() && g == model::normalize(n, &want, &key.reads)
        }
        None => got.to_text() == text,
    }
}

fn perl_oracle(files: &[PathBuf]) -> Option<Vec<Read>> {
    let lines = run_oracle("perl", "perl_reader.pl", files)?;
    Some(
        lines
            .into_iter()
            .map(|j| serde_json::from_value(j).unwrap())
            .collect(),
    )
}

fn dotnet_oracle(script: &str, files: &[PathBuf]) -> Option<Vec<Read>> {
    let lines = run_oracle("python3", script, files)?;
    Some(
        lines
            .into_iter()
            .map(|j| {
                assert!(
                    j.get("error").is_none(),
                    "the .NET reader refused the file: {j}"
                );
                serde_json::from_value(j["settings"].clone()).unwrap()
            })
            .collect(),
    )
}

/// The template's file name and bytes.
fn template_of(row: &Row, dir: &Path, official: &Path) -> PathBuf {
    match row.template.strip_prefix("generated:") {
        None => official.join(row.template),
        Some(name) => {
            let mut s = adsconf::model::Settings::default();
            s.set(
                "developer_token",
                Value::Str("INSERT_DEVELOPER_TOKEN_HERE".into()),
            );
            s.set("client_id", Value::Str("INSERT_CLIENT_ID_HERE".into()));
            s.set(
                "client_secret",
                Value::Str("INSERT_CLIENT_SECRET_HERE".into()),
            );
            s.set(
                "refresh_token",
                Value::Str("INSERT_REFRESH_TOKEN_HERE".into()),
            );
            let text = adsconf::formats::format(row.lang).render(&s).unwrap();
            let d = dir.join(format!("template-{}", row.lang));
            std::fs::create_dir_all(&d).unwrap();
            let f = d.join(name);
            std::fs::write(
                &f,
                format!("# my own comment, kept\n{text}\n# trailing note\n"),
            )
            .unwrap();
            f
        }
    }
}

/// A POSIX shell sourcing each file with `set -a` (as a user's shell would), reporting
/// the `GOOGLE_ADS_*` variables it set.
fn env_oracle(files: &[PathBuf]) -> Option<Vec<Read>> {
    let sh = common::require("sh")?;
    let script = r#"for f in "$@"; do printf 'FILE\001\0'; ( set -a; . "$f"; env -0 ); done"#;
    let out = std::process::Command::new(sh)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .args(["-c", script, "sh"])
        .args(files)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut reads: Vec<Read> = Vec::new();
    for rec in text.split('\0') {
        if rec == "FILE\u{1}" {
            reads.push(Read::new());
        } else if let (Some(cur), Some((k, v))) = (reads.last_mut(), rec.split_once('=')) {
            if k.starts_with("GOOGLE_ADS_") || k == "USE_APPLICATION_DEFAULT_CREDENTIALS" {
                cur.insert(k.to_string(), Json::String(v.to_string()));
            }
        }
    }
    assert_eq!(
        reads.len(),
        files.len(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(reads)
}

/// `{"t": type, "v": value}` (the Python and Ruby oracles) as plain JSON.
fn untag(v: &Json) -> Json {
    match v["t"].as_str() {
        Some("null") => Json::Null,
        Some("int") => v["v"]
            .as_str()
            .and_then(|s| s.parse::<i64>().ok())
            .map(Json::from)
            .unwrap_or_else(|| v["v"].clone()),
        Some("float") => v["v"]
            .as_str()
            .and_then(|s| s.parse::<f64>().ok())
            .map(Json::from)
            .unwrap_or_else(|| v["v"].clone()),
        _ => v["v"].clone(),
    }
}

fn tagged_reads(lines: Vec<Json>, who: &str) -> Vec<Read> {
    lines
        .into_iter()
        .map(|j| {
            let Some(Json::Object(m)) = j.get("ok") else {
                panic!("{who} refused the file: {j}");
            };
            m.iter().map(|(k, v)| (k.clone(), untag(v))).collect()
        })
        .collect()
}

fn python_oracle(files: &[PathBuf]) -> Option<Vec<Read>> {
    let py = common::python_with(&["yaml"])?;
    let mut args = vec![
        format!(
            "{}/tests/oracles/pyyaml_reader.py",
            env!("CARGO_MANIFEST_DIR")
        ),
        "yaml".into(),
    ];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = common::run_with_stdin(&py, &args, b"");
    let lines: Vec<Json> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), files.len());
    Some(tagged_reads(lines, "PyYAML"))
}

fn ruby_oracle(files: &[PathBuf]) -> Option<Vec<Read>> {
    let ruby = common::require("ruby")?;
    let attrs: Vec<&str> = Lang::Ruby
        .catalog()
        .keys
        .iter()
        .map(|k| k.key.as_str())
        .collect();
    let mut args = vec![
        format!(
            "{}/tests/oracles/ruby_reader.rb",
            env!("CARGO_MANIFEST_DIR")
        ),
        attrs.join(","),
    ];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = common::run_with_stdin(&ruby, &args, b"");
    let lines: Vec<Json> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), files.len());
    Some(tagged_reads(lines, "Ruby"))
}

fn run_oracle(program: &str, script: &str, files: &[PathBuf]) -> Option<Vec<Json>> {
    let exe = common::require(program)?;
    let out = std::process::Command::new(exe)
        .arg(format!(
            "{}/tests/oracles/{script}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .args(files)
        .output()
        .expect("run oracle");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Json> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("oracle JSON"))
        .collect();
    assert_eq!(lines.len(), files.len());
    Some(lines)
}

fn java_oracle(files: &[PathBuf]) -> Option<Vec<Read>> {
    let lines = run_oracle("java", "PropsOracle.java", files)?;
    Some(
        lines
            .into_iter()
            .map(|j| {
                assert_eq!(j["ok"], Json::Bool(true), "java refused the file: {j}");
                serde_json::from_value(j["props"].clone()).unwrap()
            })
            .collect(),
    )
}

fn php_oracle(files: &[PathBuf]) -> Option<Vec<Read>> {
    use base64::Engine;
    let b64 = |s: &str| {
        String::from_utf8_lossy(&base64::engine::general_purpose::STANDARD.decode(s).unwrap())
            .into_owned()
    };
    let typed = |v: &Json| match v {
        Json::Object(o) if o.contains_key("s") => Json::String(b64(o["s"].as_str().unwrap())),
        other => other.clone(),
    };
    let lines = run_oracle("php", "php_reader.php", files)?;
    Some(
        lines
            .into_iter()
            .map(|j| {
                assert_eq!(j["ok"], Json::Bool(true), "PHP refused the file: {j}");
                let mut flat = Read::new();
                if let Json::Object(top) = &j["ini"] {
                    for (k, v) in top {
                        match v {
                            Json::Object(o) if !o.contains_key("s") => {
                                for (k2, v2) in o {
                                    flat.insert(format!("{}.{}", b64(k), b64(k2)), typed(v2));
                                }
                            }
                            other => {
                                flat.insert(b64(k), typed(other));
                            }
                        }
                    }
                }
                flat
            })
            .collect(),
    )
}

/// A value for each core key (canaries for secrets: they must never be printed).
fn value_for(neutral: &str) -> String {
    let k = schema::neutral(neutral).unwrap();
    match k.ty {
        KeyType::CustomerId => "1234567890".into(),
        KeyType::Bool => "true".into(),
        KeyType::Int => "7".into(),
        _ if k.secret => format!("CANARY{}secretvalue", neutral.len()),
        _ if k.secret_userinfo => "http://user:CANARYproxypass@proxy.example:8080".into(),
        _ if neutral == "endpoint" => "https://googleads.example.com".into(),
        _ => format!("value-of-{neutral}"),
    }
}

fn canaries(v: &str) -> Option<&str> {
    if let Some(i) = v.find("CANARY") {
        let rest = &v[i..];
        let end = rest.find('@').unwrap_or(rest.len());
        return Some(&rest[..end]);
    }
    None
}

fn label(k: &LibKey) -> String {
    match &k.section {
        Some(s) => format!("{s}.{}", k.key),
        None => k.key.clone(),
    }
}

/// Every line of `old` survives in `new` except at most `max_old` lines holding `key`;
/// every added line holds `key` or is blank or a section header.
fn only_key_lines_changed(old: &str, new: &str, key: &str, max_old: usize) -> Result<(), String> {
    // Adding a line after a last line without a terminator gives it one: not a change.
    let old_owned;
    let old = if !old.ends_with('\n') && new.starts_with(&format!("{old}\n")) {
        old_owned = format!("{old}\n");
        old_owned.as_str()
    } else {
        old
    };
    let diff = similar::TextDiff::from_lines(old, new);
    // A separator added to the line before an insertion (JSON's comma) is not a change.
    let bare = |l: &str| l.trim_end().trim_end_matches(',').to_string();
    let deleted: Vec<String> = diff
        .iter_all_changes()
        .filter(|c| c.tag() == similar::ChangeTag::Delete)
        .map(|c| bare(c.value()))
        .collect();
    let inserted: Vec<String> = diff
        .iter_all_changes()
        .filter(|c| c.tag() == similar::ChangeTag::Insert)
        .map(|c| bare(c.value()))
        .collect();
    let mut removed = 0;
    for ch in diff.iter_all_changes() {
        let b = bare(ch.value());
        if ch.tag() == similar::ChangeTag::Delete && inserted.contains(&b)
            || ch.tag() == similar::ChangeTag::Insert && deleted.contains(&b)
        {
            continue;
        }
        let line = ch.value();
        match ch.tag() {
            similar::ChangeTag::Equal => {}
            similar::ChangeTag::Delete => {
                removed += 1;
                if !line.contains(key) {
                    return Err(format!("line {line:?} was changed but does not hold {key}"));
                }
            }
            similar::ChangeTag::Insert => {
                let t = line.trim();
                if !(t.contains(key) || t.is_empty() || t.starts_with('[')) {
                    return Err(format!("line {line:?} was added but does not hold {key}"));
                }
            }
        }
    }
    if removed > max_old {
        return Err(format!("{removed} lines of the original changed"));
    }
    Ok(())
}

#[test]
fn set_every_core_key_in_every_official_template() {
    let Some(official) = common::shared().map(|s| s.join("conformance/official")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let core: Vec<&str> = schema::neutral_keys()
        .iter()
        .filter(|k| k.core)
        .map(|k| k.name.as_str())
        .collect();
    for row in rows() {
        let template = template_of(&row, dir.path(), &official);
        let original = std::fs::read(&template).unwrap();
        let file_name = template.file_name().unwrap();
        let cat = row.lang.catalog();
        let mut cases = Vec::new(); // (file, key, value, original had it)
        let mut refused = 0;
        for (i, n) in core.iter().enumerate() {
            let case_dir = dir.path().join(format!("{}-{i}", row.lang));
            std::fs::create_dir_all(&case_dir).unwrap();
            let file = case_dir.join(file_name);
            std::fs::write(&file, &original).unwrap();
            let value = value_for(n);
            // Alternate neutral names and the library's own names (PHP: SECTION.key).
            let name = match cat.for_neutral(n) {
                Some(k) if i % 2 == 1 => label(k),
                _ => n.to_string(),
            };
            let arg = format!("{name}={value}");
            let out = common::adsconf(
                &case_dir,
                &[
                    "set",
                    file_name.to_str().unwrap(),
                    &arg,
                    "--yes",
                    // `value-of-client_id` is no client id: the judge would refuse it, and
                    // this test is about where and how the value lands.
                    "--force",
                    "--lang",
                    row.lang.name(),
                ],
            );
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            if let Some(c) = canaries(&value) {
                assert!(
                    !stdout.contains(c) && !stderr.contains(c),
                    "{}: secret {n} printed:\n{stderr}",
                    row.lang
                );
            }
            let Some(key) = cat.for_neutral(n) else {
                // Not expressible: refused (exit 2), file untouched.
                assert_eq!(out.status.code(), Some(2), "{}: {n}: {stderr}", row.lang);
                assert!(stderr.contains(n), "{stderr}");
                assert_eq!(std::fs::read(&file).unwrap(), original);
                refused += 1;
                continue;
            };
            assert_eq!(out.status.code(), Some(0), "{}: {n}: {stderr}", row.lang);
            assert!(
                stderr.contains(&format!("--- {}", file_name.to_str().unwrap())),
                "{stderr}"
            );
            let new = std::fs::read_to_string(&file).unwrap();
            let old = String::from_utf8_lossy(&original);
            if let Err(e) = only_key_lines_changed(&old, &new, &key.key, row.max_old_lines) {
                panic!("{}: set {n}: {e}\n--- new file:\n{new}", row.lang);
            }
            cases.push((file, key, value));
        }
        let files: Vec<PathBuf> = cases.iter().map(|c| c.0.clone()).collect();
        let Some(read) = (row.oracle)(&files) else {
            continue;
        };
        for ((file, key, value), got) in cases.iter().zip(&read) {
            assert!(
                reads_back(key, got.get(&label(key)), value),
                "{}: {} = {value:?} in {}: the parser read {:?}",
                row.lang,
                key.key,
                file.display(),
                got.get(&label(key))
            );
        }
        // All core keys at once: one edit, one diff.
        let case_dir = dir.path().join(format!("{}-all", row.lang));
        std::fs::create_dir_all(&case_dir).unwrap();
        let file = case_dir.join(file_name);
        std::fs::write(&file, &original).unwrap();
        let keys: Vec<&LibKey> = core.iter().filter_map(|n| cat.for_neutral(n)).collect();
        let mut args = vec!["set".to_string(), file_name.to_str().unwrap().to_string()];
        args.extend(
            core.iter()
                .filter(|n| cat.for_neutral(n).is_some())
                .map(|n| format!("{n}={}", value_for(n))),
        );
        args.push("--yes".into());
        args.push("--force".into()); // placeholder-like values, as above
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = common::adsconf(&case_dir, &args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let read = (row.oracle)(std::slice::from_ref(&file)).unwrap();
        for k in &keys {
            let n = k.neutral.as_deref().unwrap();
            assert!(
                reads_back(k, read[0].get(&label(k)), &value_for(n)),
                "{}: {} read as {:?}",
                row.lang,
                k.key,
                read[0].get(&label(k))
            );
        }
        eprintln!(
            "{}: {} keys set one by one and all at once, read back by the real parser; {refused} refused as not expressible",
            row.lang,
            cases.len()
        );
    }
}

/// Awkward values (quotes, backslashes, YAML/INI lookalikes, unicode, 5000 characters) set
/// in place into every official template: the real parser reads each exactly, or the
/// format refuses it up front (exit 2 in the CLI) and nothing is written.
#[test]
fn awkward_values_set_in_place_read_back_exactly() {
    let Some(official) = common::shared().map(|s| s.join("conformance/official")) else {
        return;
    };
    use adsconf::change::{assignments, edited_text};
    let dir = tempfile::tempdir().unwrap();
    for row in rows() {
        let template = template_of(&row, dir.path(), &official);
        let file_name = template.file_name().unwrap();
        let cat = row.lang.catalog();
        let mut cases = Vec::new();
        let mut refused = 0;
        for (i, v) in common::awkward_values().iter().enumerate() {
            for n in ["client_id", "login_customer_id", "client_secret"] {
                let Some(key) = cat.for_neutral(n) else {
                    continue;
                };
                let (_, src, parsed) =
                    adsconf::write::load_for_change(&template, Some(row.lang)).unwrap();
                let a = assignments(row.lang, &[(n.to_string(), v.clone())], &[]).unwrap();
                match edited_text(&src, &parsed, &a) {
                    Ok(text) => {
                        only_key_lines_changed(&src.text, &text, &key.key, row.max_old_lines)
                            .unwrap_or_else(|e| panic!("{}: {n}={v:?}: {e}", row.lang));
                        let d = dir.path().join(format!("{}-{i}-{n}", row.lang));
                        std::fs::create_dir_all(&d).unwrap();
                        let f = d.join(file_name);
                        std::fs::write(&f, src.encode(&text).unwrap()).unwrap();
                        cases.push((f, key, v.clone()));
                    }
                    Err(e) => {
                        assert_eq!(e.code(), 2, "{e}");
                        refused += 1;
                    }
                }
            }
        }
        let files: Vec<PathBuf> = cases.iter().map(|c| c.0.clone()).collect();
        let Some(read) = (row.oracle)(&files) else {
            continue;
        };
        for ((f, key, v), got) in cases.iter().zip(&read) {
            assert!(
                reads_back(key, got.get(&label(key)), v),
                "{}: {} = {v:?} in {}: the parser read {:?}",
                row.lang,
                key.key,
                f.display(),
                got.get(&label(key))
            );
        }
        eprintln!(
            "{}: {} awkward edits read back exactly; {refused} refused by the format",
            row.lang,
            cases.len()
        );
    }
}
