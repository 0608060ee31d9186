//! Conversion: every implemented target → every implemented target on the awkward value
//! corpus. The source file is rendered, read by adsconf (`generate --from`'s loader), rendered
//! for the destination, and the destination file is read back by its real reader (the Perl
//! reader, a POSIX shell sourcing the env file, the curl script run by a shell with a fake
//! curl), then compared with the source's values.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use adsconf::commands::generate;
use adsconf::formats::{self, Lang};
use adsconf::model::{Settings, Value};
use adsconf::schema::{self, KeyType};

/// Targets implemented in this branch (the lead extends the list after merging).
const CONVERTIBLE: &[Lang] = &[Lang::Perl, Lang::Env, Lang::Curl];

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
        _ => None,
    }
}

/// Neutral string keys both targets express (keeping one credential family).
fn shared_keys(a: Lang, b: Lang) -> Vec<&'static str> {
    schema::neutral_keys()
        .iter()
        .filter(|n| matches!(n.ty, KeyType::String | KeyType::CustomerId))
        .filter(|n| n.auth != Some(schema::AuthMode::ServiceAccount))
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
                    generate::load_source(src.to_str().unwrap(), Some(from)).unwrap();
                assert_eq!(read, s, "{from} read back by adsconf");
                assert!(notes.is_empty(), "{notes:?}");
                let (text, notes) = generate::generate(to, &read).unwrap();
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
    let (_, notes) = generate::generate(Lang::Curl, &s).unwrap();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes[0].contains("ACCESS_TOKEN"), "{notes:?}");
    assert!(
        notes[1].contains("`json_key_file_path`") && notes[1].contains("`use_proto_plus`"),
        "{notes:?}"
    );
    let (_, notes) = generate::generate(Lang::Perl, &s).unwrap();
    assert!(notes[0].contains("`use_proto_plus`") && !notes[0].contains("json_key_file_path"));
}

#[test]
fn generate_from_a_fake_environment() {
    let d = tempfile::tempdir().unwrap();
    for to in CONVERTIBLE {
        let o = Command::new(common::bin())
            .args(["generate", to.name(), "--from", "env"])
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
            Some("cid $x 'q'")
        );
        assert_eq!(
            got[0].get(&key("login_customer_id")).map(String::as_str),
            Some("0123456789")
        );
        let err = String::from_utf8_lossy(&o.stderr);
        if *to != Lang::Env {
            assert!(err.contains("`use_proto_plus`"), "{to}: {err}");
        }
    }
}
