//! Conversion: every implemented target → every implemented target on the awkward value
//! corpus. The source file is rendered, read by adsconf (`generate --from`'s loader), rendered
//! for the destination, and the destination file is read back by its real reader (the Perl
//! reader, a POSIX shell sourcing the env file, the curl script run by a shell with a fake
//! curl), then compared with the source's values.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use adsconf::convert;
use adsconf::formats;
use adsconf::lang::Lang;
use adsconf::model::{Settings, Value};
use adsconf::schema::{self, KeyType};

/// Every target. `csharp` files are read back by the C# compiler in `tests/diff_dotnet.rs`;
/// here they are a source (read by adsconf) and a destination checked by adsconf's reader,
/// which that suite proves equal to the compiler's on the same corpus.
const CONVERTIBLE: &[Lang] = &[
    Lang::Java,
    Lang::Dotnet,
    Lang::DotnetJson,
    Lang::Csharp,
    Lang::Php,
    Lang::Python,
    Lang::Ruby,
    Lang::Perl,
    Lang::Env,
    Lang::Curl,
];

fn oracle(name: &str) -> String {
    format!("{}/tests/oracles/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Run `program args… files…` and parse one JSON line per file.
fn json_lines(
    program: &std::path::Path,
    args: &[String],
    files: &[PathBuf],
) -> Vec<serde_json::Value> {
    let out = Command::new(program)
        .args(args)
        .args(files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}: {}",
        program.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let v: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        v.len(),
        files.len(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    v
}

/// `{key: value}` where value is a string or a typed `{"t","v"}` / base64 `{"s"}` cell.
fn string_map(obj: &serde_json::Value) -> BTreeMap<String, String> {
    string_map_keys(obj, false)
}

/// As [`string_map`]; `b64_keys`: keys are base64 too (the PHP oracle).
fn string_map_keys(obj: &serde_json::Value, b64_keys: bool) -> BTreeMap<String, String> {
    use base64::Engine;
    let b64 = |s: &str| {
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(s).unwrap()).unwrap()
    };
    let mut m = BTreeMap::new();
    let Some(o) = obj.as_object() else { return m };
    for (k, v) in o {
        let k = &if b64_keys { b64(k) } else { k.clone() };
        let text = match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Object(c) if c.contains_key("s") => {
                let b = base64::engine::general_purpose::STANDARD
                    .decode(c["s"].as_str().unwrap())
                    .unwrap();
                String::from_utf8(b).unwrap()
            }
            serde_json::Value::Object(c) if c.get("t").and_then(|t| t.as_str()) == Some("str") => {
                c["v"].as_str().unwrap().to_string()
            }
            serde_json::Value::Object(_) => {
                // A PHP section: flatten its keys (they are unique across sections).
                m.extend(string_map_keys(v, b64_keys));
                continue;
            }
            other => format!("<not a string: {other}>"),
        };
        m.insert(k.clone(), text);
    }
    m
}

fn java_oracle_dir() -> Option<PathBuf> {
    static DIR: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let javac = common::require("javac")?;
        let dir = std::env::temp_dir().join(format!("adsconf-convert-java-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let st = Command::new(javac)
            .arg("-d")
            .arg(&dir)
            .arg(oracle("PropsOracle.java"))
            .status()
            .unwrap();
        assert!(st.success(), "javac failed");
        Some(dir)
    })
    .clone()
}

/// Read files with the destination's real reader: library key → value per file.
fn real_read(lang: Lang, files: &[PathBuf]) -> Option<Vec<BTreeMap<String, String>>> {
    match lang {
        Lang::Perl => {
            let perl = common::require("perl")?;
            let mut args =
                vec![
                    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracles/perl_reader.pl")
                        .to_string(),
                ];
            args.extend(files.iter().map(|f| f.display().to_string()));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = common::run_with_stdin(&perl, &args, b"");
            Some(
                out.lines()
                    .map(|l| {
                        let m: BTreeMap<String, Option<String>> = serde_json::from_str(l).unwrap();
                        m.into_iter()
                            .map(|(k, v)| (k, v.unwrap_or_default()))
                            .collect()
                    })
                    .collect(),
            )
        }
        Lang::Env | Lang::Curl => {
            let sh = common::require("sh")?;
            let names: Vec<String> = lang.catalog().keys.iter().map(|k| k.key.clone()).collect();
            // Source each file in a subshell (curl: with a no-op curl and a given token and
            // customer id), then print the catalogue's variables NUL-separated.
            let mut script = String::from("curl() { :; }\nfor f in \"$@\"; do printf 'FILE\\001\\0'; ( ACCESS_TOKEN=t; set -- 1234567890; set -a; . \"$f\" >/dev/null;");
            for n in &names {
                script.push_str(&format!(
                    " [ \"${{{n}+x}}\" = x ] && printf '%s=%s\\0' {n} \"${n}\";"
                ));
            }
            script.push_str(" true ); done");
            let out = Command::new(sh)
                .env_clear()
                .env("PATH", "/usr/bin:/bin")
                .arg("-c")
                .arg(&script)
                .arg("sh")
                .args(files)
                .output()
                .unwrap();
            let text = String::from_utf8(out.stdout).unwrap();
            let mut res: Vec<BTreeMap<String, String>> = Vec::new();
            for rec in text.split('\0') {
                if rec == "FILE\u{1}" {
                    res.push(BTreeMap::new());
                } else if let (Some(m), Some((k, v))) = (res.last_mut(), rec.split_once('=')) {
                    m.insert(k.to_string(), v.to_string());
                }
            }
            assert_eq!(
                res.len(),
                files.len(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            Some(res)
        }
        Lang::Php => {
            let php = common::require("php")?;
            let lines = json_lines(&php, &[oracle("php_reader.php")], files);
            Some(
                lines
                    .iter()
                    .map(|l| {
                        assert_eq!(l["ok"], true, "{l}");
                        string_map_keys(&l["ini"], true)
                    })
                    .collect(),
            )
        }
        Lang::Java => {
            let java = common::require("java")?;
            let dir = java_oracle_dir()?;
            let args = vec![
                "-cp".to_string(),
                dir.display().to_string(),
                "PropsOracle".to_string(),
            ];
            let lines = json_lines(&java, &args, files);
            Some(
                lines
                    .iter()
                    .map(|l| {
                        assert_eq!(l["ok"], true, "{l}");
                        string_map(&l["props"])
                    })
                    .collect(),
            )
        }
        Lang::Python => {
            let py = common::python_with(&["yaml"])?;
            let lines = json_lines(&py, &[oracle("pyyaml_reader.py"), "yaml".into()], files);
            Some(
                lines
                    .iter()
                    .map(|l| {
                        assert!(l.get("error").is_none(), "{l}");
                        string_map(l.get("ok").unwrap_or(l))
                    })
                    .collect(),
            )
        }
        Lang::Ruby => {
            let ruby = common::require("ruby")?;
            let attrs: Vec<&str> = Lang::Ruby
                .catalog()
                .keys
                .iter()
                .map(|k| k.key.as_str())
                .collect();
            let lines = json_lines(&ruby, &[oracle("ruby_reader.rb"), attrs.join(",")], files);
            Some(
                lines
                    .iter()
                    .map(|l| {
                        assert!(l.get("error").is_none(), "{l}");
                        string_map(&l["ok"])
                    })
                    .collect(),
            )
        }
        Lang::Dotnet | Lang::DotnetJson => {
            let py = common::python_with(&[])?;
            let script = if lang == Lang::Dotnet {
                "dotnet_appconfig_reader.py"
            } else {
                "dotnet_json_reader.py"
            };
            let lines = json_lines(&py, &[oracle(script)], files);
            Some(
                lines
                    .iter()
                    .map(|l| {
                        assert!(l.get("error").is_none(), "{l}");
                        string_map(&l["settings"])
                    })
                    .collect(),
            )
        }
        Lang::Csharp => {
            // adsconf's reader (proved equal to mcs + mono in tests/diff_dotnet.rs).
            Some(
                files
                    .iter()
                    .map(|f| {
                        let (_, parsed) = formats::load(f, Some(Lang::Csharp)).unwrap();
                        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
                        parsed
                            .effective()
                            .iter()
                            .map(|e| (e.key.clone(), e.value.to_text()))
                            .collect()
                    })
                    .collect(),
            )
        }
    }
}

/// Neutral string keys both targets express (keeping one credential family).
fn shared_keys(a: Lang, b: Lang) -> Vec<&'static str> {
    schema::neutral_keys()
        .iter()
        .filter(|n| matches!(n.ty, KeyType::String | KeyType::CustomerId))
        .filter(|n| n.auth != Some(schema::AuthMode::ServiceAccount))
        // An enumeration (APPLICATION | SERVICE_ACCOUNT), not free text.
        .filter(|n| n.name != "oauth2_mode")
        .filter(|n| {
            formats::format(a).expressible(&n.name) && formats::format(b).expressible(&n.name)
        })
        .map(|n| n.name.as_str())
        .collect()
}

#[test]
fn every_target_to_every_target() {
    let dir = tempfile::tempdir().unwrap();
    let values: Vec<String> = common::awkward_values()
        .into_iter()
        .filter(|v| !v.contains('\r'))
        .collect();
    let mut total = 0;
    for &from in CONVERTIBLE {
        for &to in CONVERTIBLE {
            let keys = shared_keys(from, to);
            assert!(keys.len() >= 4, "{from}->{to}: {keys:?}");
            let mut cases = Vec::new();
            let mut files = Vec::new();
            for i in 0..values.len() {
                let mut s = Settings::default();
                for (j, n) in keys.iter().enumerate() {
                    s.set(n, Value::Str(values[(i + j) % values.len()].clone()));
                }
                let src = dir.path().join(format!("{from}-{to}-{i}.src"));
                std::fs::write(&src, formats::format(from).render(&s).unwrap()).unwrap();
                let (read, notes) =
                    convert::load_source(src.to_str().unwrap(), Some(from)).unwrap();
                // Settings a renderer derives when absent (.NET OAuth2Mode from the credentials;
                // the Python file always carries the required use_proto_plus).
                let mut read = read;
                for derived in ["oauth2_mode", "use_proto_plus"] {
                    if s.get(derived).is_none() {
                        read.values.remove(derived);
                    }
                }
                assert_eq!(read, s, "{from} read back by adsconf");
                assert!(notes.is_empty(), "{notes:?}");
                let (text, notes) = convert::generate(to, &read).unwrap();
                assert!(notes.is_empty(), "{from}->{to}: {notes:?}");
                let dst = dir.path().join(format!("{from}-{to}-{i}.dst"));
                std::fs::write(&dst, text).unwrap();
                files.push(dst);
                cases.push(s);
            }
            let Some(got) = real_read(to, &files) else {
                continue;
            };
            let cat = to.catalog();
            for (s, got) in cases.iter().zip(got) {
                for (n, v) in &s.values {
                    for k in cat.all_for_neutral(n).filter(|k| !k.deprecated) {
                        assert_eq!(
                            got.get(&k.key),
                            Some(&v.to_text()),
                            "{from}->{to}: {}",
                            k.key
                        );
                    }
                }
            }
            total += cases.len();
            eprintln!(
                "{from} -> {to}: {} files read back by the real reader",
                cases.len()
            );
        }
    }
    assert!(total > 0);
}

#[test]
fn notes_name_what_the_target_cannot_express() {
    let mut s = Settings::default();
    s.set("json_key_file_path", Value::Str("/k.json".into()));
    s.set("use_proto_plus", Value::Bool(true));
    let (_, notes) = convert::generate(Lang::Curl, &s).unwrap();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes[0].contains("ACCESS_TOKEN"), "{notes:?}");
    // use_proto_plus is google-ads-python's alone: no loss worth a note for curl.
    assert!(
        notes[1].contains("`json_key_file_path`") && !notes[1].contains("`use_proto_plus`"),
        "{notes:?}"
    );
    let (_, notes) = convert::generate(Lang::Perl, &s).unwrap();
    assert!(notes.is_empty(), "{notes:?}");
    // A setting several libraries have still gets its note where the target lacks it.
    let mut s = Settings::default();
    s.set("http_proxy", Value::Str("http://proxy:8080".into()));
    let shared: Vec<Lang> = CONVERTIBLE
        .iter()
        .copied()
        .filter(|l| !formats::format(*l).expressible("http_proxy"))
        .collect();
    assert!(!shared.is_empty());
    for lang in shared {
        let (_, notes) = convert::generate(lang, &s).unwrap();
        assert!(
            notes.iter().any(|n| n.contains("`http_proxy`")),
            "{lang}: {notes:?}"
        );
    }
}

#[test]
fn generate_from_a_fake_environment() {
    let d = tempfile::tempdir().unwrap();
    for to in CONVERTIBLE {
        let o = Command::new(common::bin())
            // `cid $x 'q'` is no client id: check calls it an error, the test is about escaping.
            .args(["generate", to.name(), "--from", "env", "--force"])
            .current_dir(d.path())
            .env_clear()
            .env("GOOGLE_ADS_CLIENT_ID", "cid $x 'q'")
            .env("GOOGLE_ADS_CLIENT_SECRET", "sec")
            .env("GOOGLE_ADS_REFRESH_TOKEN", "1//r")
            .env("GOOGLE_ADS_LOGIN_CUSTOMER_ID", "0123456789")
            .env("GOOGLE_ADS_USE_PROTO_PLUS", "true")
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let f = d.path().join(format!("from-env.{to}"));
        std::fs::write(&f, &o.stdout).unwrap();
        let Some(got) = real_read(*to, std::slice::from_ref(&f)) else {
            continue;
        };
        let key = |n: &str| to.catalog().for_neutral(n).unwrap().key.clone();
        assert_eq!(
            got[0].get(&key("client_id")).map(String::as_str),
            Some("cid $x 'q'"),
            "{to}: {:?}",
            got[0]
        );
        assert_eq!(
            got[0].get(&key("login_customer_id")).map(String::as_str),
            Some("0123456789")
        );
        let err = String::from_utf8_lossy(&o.stderr);
        // A setting only google-ads-python has is left out without a note.
        assert!(!err.contains("`use_proto_plus`"), "{to}: {err}");
    }
}
