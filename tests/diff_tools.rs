//! Differential tests of the data and agent tool targets: a corpus of awkward values is
//! rendered by adsconf and read back by each consumer's own code, installed from PyPI / npm by
//! `.ci/run` (tests/oracles/*_reader.py say exactly which calls):
//! - airbyte: airbyte-source-google-ads 6.1.7 — its spec check, its manifest's interpolation
//!   of the credentials, google-ads' check of the dict it builds its client from;
//! - meltano: Meltano 4.4.1 reading meltano.yml + .env, then singer-sdk 0.49 validating the
//!   result against tap-googleads 0.9's settings (not on PyPI: schema transcribed, cited);
//! - singer: singer-python 6.1.1 `parse_args` with the tap's required keys, then google-ads
//!   27.0.0 `load_from_dict` per login_customer_ids entry, as the tap builds it (not on PyPI);
//! - mcp: google-ads-mcp 0.0.5's own functions with the env of the generated entry; for
//!   Gemini the real Gemini CLI 0.61 resolves the file and spawns the server;
//! - dlt: dlt 1.31 resolving the verified source's arguments from `.dlt/secrets.toml`.
//!
//! A value adsconf refuses is written raw (by serde_json / by hand) and the consumer must be
//! shown to change or reject it: every refusal is justified by the consumer itself.

mod common;

use std::path::{Path, PathBuf};

use adsconf::convert;
use adsconf::formats::meltano;
use adsconf::lang::Lang;
use adsconf::model::{Settings, Value};
use serde_json::json;

/// The shared corpus plus values that Python-side readers treat specially.
fn corpus() -> Vec<String> {
    let mut v = common::awkward_values();
    v.extend(
        [
            "0x10",
            "1_000",
            "'x'",
            "None",
            "[1, 2]",
            "123",
            "True",
            "1j",
            " 1",
            "1 # c",
            "(1)",
            "-1",
            "+1",
            "{}",
            "00",
            "1.5",
            "1//0abc",
            "GOCSPX-abc_DEF-123",
            "a$b",
            "$$",
        ]
        .map(String::from),
    );
    v
}

fn base() -> Settings {
    let mut s = Settings::default();
    for (k, v) in [
        ("developer_token", "abcdefghijklmnopqrstuv"),
        ("client_id", "1234-abc.apps.googleusercontent.com"),
        ("client_secret", "GOCSPX-secret"),
        ("refresh_token", "1//0refresh"),
        ("customer_id", "1111111111"),
        ("login_customer_id", "2222222222"),
        ("start_date", "2024-01-31"),
        ("project_id", "my-project"),
    ] {
        s.set(k, Value::Str(v.into()));
    }
    s
}

fn with(mut s: Settings, key: &str, v: &str) -> Settings {
    s.set(key, Value::Str(v.into()));
    s
}

fn render(lang: Lang, s: &Settings) -> Result<String, String> {
    convert::generate(lang, s)
        .map(|(t, _)| t)
        .map_err(|e| e.to_string())
}

fn write(path: &Path, text: &str) {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

fn s(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

// ---------------------------------------------------------------------------------------
// airbyte
// ---------------------------------------------------------------------------------------

const AIRBYTE_CREDS: [&str; 4] = [
    "developer_token",
    "client_id",
    "client_secret",
    "refresh_token",
];

#[test]
fn airbyte_reads_every_value_adsconf_writes_and_mangles_every_one_it_refuses() {
    let Some(py) = common::judge("airbyte-source-google-ads") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut cases = Vec::new(); // (key, value, refused)
    for (i, v) in corpus().iter().enumerate() {
        for key in AIRBYTE_CREDS {
            let st = with(base(), key, v);
            let path = dir.path().join(format!("{i}-{key}.json"));
            let refused = match render(Lang::Airbyte, &st) {
                Ok(text) => {
                    write(&path, &text);
                    false
                }
                Err(e) => {
                    assert!(e.contains(key), "the refusal names the key: {e}");
                    // The raw value, written without adsconf.
                    let mut creds = json!({
                        "developer_token": "d", "client_id": "c", "client_secret": "s", "refresh_token": "r"
                    });
                    creds[key] = json!(v);
                    write(&path, &json!({ "credentials": creds }).to_string());
                    true
                }
            };
            files.push(s(&path));
            cases.push((key, v.clone(), refused));
        }
    }
    // The customer id and the dates: the spec's patterns.
    for (key, v, ok) in [
        ("customer_id", "1234567890", true),
        ("customer_id", "1234567890,0987654321", true),
        ("customer_id", "123-456-7890", false),
        ("customer_id", "12345", false),
        ("start_date", "2024-02-29", true),
        ("start_date", "2024/02/29", false),
    ] {
        let st = with(base(), key, v);
        let path = dir.path().join(format!("{key}-{}.json", files.len()));
        match render(Lang::Airbyte, &st) {
            Ok(text) => {
                assert!(ok, "{key}={v} should be refused");
                write(&path, &text);
            }
            Err(e) => {
                assert!(!ok, "{key}={v} refused: {e}");
                let mut j: serde_json::Value =
                    serde_json::from_str(&render(Lang::Airbyte, &base()).unwrap()).unwrap();
                j[key] = json!(v);
                write(&path, &j.to_string());
            }
        }
        files.push(s(&path));
        cases.push((key, v.to_string(), !ok));
    }
    let mut args = vec!["--streams".to_string()];
    args.extend(files);
    let out = common::judge_lines(&py, "airbyte_reader.py", &args, &[]);
    assert_eq!(out.len(), cases.len());
    let mut refused = 0;
    for ((key, v, was_refused), got) in cases.iter().zip(&out) {
        if *was_refused {
            refused += 1;
            let read = got
                .get(*key)
                .and_then(|x| x.as_str())
                .map(str::to_string)
                .or_else(|| got.get("customer_ids").map(|c| c.to_string()));
            assert!(
                got.get("rejected").is_some() || read.as_deref() != Some(v.as_str()),
                "adsconf refused {key}={v:?} but Airbyte reads it unchanged: {got}"
            );
        } else {
            assert!(got.get("rejected").is_none(), "{key}={v:?}: {got}");
            match *key {
                "customer_id" => assert_eq!(
                    got["customer_ids"],
                    json!(v.split(',').collect::<Vec<_>>()),
                    "{got}"
                ),
                "start_date" => assert_eq!(got["start_date"], json!(v)),
                k => {
                    assert_eq!(got[k], json!(v), "{k}");
                    for other in AIRBYTE_CREDS.iter().filter(|o| **o != k) {
                        assert_eq!(
                            got[*other],
                            json!(base().get_str(other).unwrap()),
                            "{other}"
                        );
                    }
                }
            }
        }
    }
    assert!(
        refused >= 15,
        "the corpus exercises the refusals ({refused})"
    );
    // The whole connector (its manifest's streams) builds from the first file.
    assert!(out[0]["streams"].as_u64().unwrap_or(0) > 10, "{}", out[0]);
}

// ---------------------------------------------------------------------------------------
// singer
// ---------------------------------------------------------------------------------------

const SINGER_KEYS: [(&str, &str); 4] = [
    ("developer_token", "developer_token"),
    ("client_id", "oauth_client_id"),
    ("client_secret", "oauth_client_secret"),
    ("refresh_token", "refresh_token"),
];

#[test]
fn singer_tap_reads_every_value_and_builds_its_clients() {
    let Some(py) = common::judge("singer-python") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut cases = Vec::new();
    for (i, v) in corpus().iter().enumerate() {
        for (n, key) in SINGER_KEYS {
            let text = render(Lang::Singer, &with(base(), n, v))
                .unwrap_or_else(|e| panic!("singer reads JSON as is; {n}={v:?} refused: {e}"));
            let p = dir.path().join(format!("{i}-{key}.json"));
            write(&p, &text);
            files.push(s(&p));
            cases.push((n, key, v.clone()));
        }
    }
    let out = common::judge_lines(&py, "singer_reader.py", &files, &[]);
    assert_eq!(out.len(), cases.len());
    for ((n, key, v), got) in cases.iter().zip(&out) {
        // google-ads-python itself refuses an empty developer token / client id at load:
        // the tap would stop there too, and `check` reports empty values.
        if v.is_empty() || v.trim().is_empty() {
            continue;
        }
        assert!(got.get("rejected").is_none(), "{key}={v:?}: {got}");
        assert_eq!(got["config"][*key], json!(v), "{key}");
        let c = &got["clients"][0];
        assert_eq!(c[*n], json!(v), "the client is built with {n}");
        assert_eq!(c["login_customer_id"], "2222222222");
        assert_eq!(c["customerId"], "1111111111");
        assert_eq!(got["config"]["start_date"], "2024-01-31T00:00:00Z");
    }
}

#[test]
fn singer_refuses_the_login_ids_the_tap_refuses() {
    let Some(py) = common::judge("singer-python") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let st = with(base(), "login_customer_id", "222-222-2222");
    let e = render(Lang::Singer, &st).unwrap_err();
    assert!(e.contains("login_customer_id"), "{e}");
    // Written raw, the tap's client refuses it.
    let mut j: serde_json::Value =
        serde_json::from_str(&render(Lang::Singer, &base()).unwrap()).unwrap();
    j["login_customer_ids"][0]["loginCustomerId"] = json!("222-222-2222");
    let p = dir.path().join("raw.json");
    write(&p, &j.to_string());
    // And a file without customer_ids (the tap's own config.sample.json) fails its start-up.
    j.as_object_mut().unwrap().remove("customer_ids");
    j["login_customer_ids"][0]["loginCustomerId"] = json!("2222222222");
    let q = dir.path().join("sample-like.json");
    write(&q, &j.to_string());
    let out = common::judge_lines(&py, "singer_reader.py", &[s(&p), s(&q)], &[]);
    assert!(
        out[0]["rejected"]
            .as_str()
            .unwrap()
            .contains("login customer ID is invalid"),
        "{}",
        out[0]
    );
    assert!(
        out[1]["rejected"]
            .as_str()
            .unwrap()
            .contains("customer_ids"),
        "{}",
        out[1]
    );
}

#[test]
fn singer_login_list_comes_from_the_hierarchy() {
    let Some(py) = common::judge("singer-python") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let hier = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/hierarchy.toml");
    let toml_path = dir.path().join("adsconf.toml");
    write(
        &toml_path,
        "developer_token = \"abcdefghijklmnopqrstuv\"\nclient_id = \"1234-abc.apps.googleusercontent.com\"\nclient_secret = \"GOCSPX-s\"\nrefresh_token = \"1//0r\"\nstart_date = \"2024-01-01\"\n",
    );
    let o = common::adsconf(
        dir.path(),
        &[
            "generate",
            "singer",
            "--hierarchy",
            hier.to_str().unwrap(),
            "--user",
            "U2",
            "-o",
            "tap.json",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = common::judge_lines(
        &py,
        "singer_reader.py",
        &[s(&dir.path().join("tap.json"))],
        &[],
    );
    let got: Vec<(String, String)> = out[0]["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["customerId"].as_str().unwrap().into(),
                c["login_customer_id"].as_str().unwrap().into(),
            )
        })
        .collect();
    // Every client account U2 reaches (A1–A4), each with `access`'s best option.
    let mut want = Vec::new();
    for c in ["2000000001", "2000000002", "2000000003", "2000000004"] {
        let a = common::adsconf(
            dir.path(),
            &[
                "access",
                "--hierarchy",
                hier.to_str().unwrap(),
                "--user",
                "U2",
                "--customer",
                c,
                "--format",
                "json",
            ],
        );
        let j: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
        want.push((
            c.to_string(),
            j["options"][0]["login_customer_id"]
                .as_str()
                .unwrap()
                .to_string(),
        ));
    }
    assert_eq!(got, want);
    assert_eq!(
        want[0].1, "1000000002",
        "A1: standard through M2 beats read-only through M3"
    );
    assert_eq!(want[3].1, "1000000003");
    assert_eq!(
        out[0]["config"]["customer_ids"],
        "2000000001,2000000002,2000000003,2000000004"
    );
}

// ---------------------------------------------------------------------------------------
// dlt
// ---------------------------------------------------------------------------------------

const DLT_KEYS: [(&str, &str); 5] = [
    ("developer_token", "dev_token"),
    ("client_id", "credentials.client_id"),
    ("client_secret", "credentials.client_secret"),
    ("refresh_token", "credentials.refresh_token"),
    ("project_id", "credentials.project_id"),
];

fn dlt_read<'a>(got: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    match path.split_once('.') {
        Some((a, b)) => &got[a][b],
        None => &got[path],
    }
}

#[test]
fn dlt_resolves_every_value_adsconf_writes() {
    let Some(py) = common::judge("dlt") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut dirs = Vec::new();
    let mut cases = Vec::new();
    for (i, v) in corpus().iter().enumerate() {
        for (n, path) in DLT_KEYS {
            let text = render(Lang::Dlt, &with(base(), n, v))
                .unwrap_or_else(|e| panic!("TOML carries every value; {n}={v:?} refused: {e}"));
            let d = dir.path().join(format!("p{i}-{n}"));
            write(&d.join(".dlt/secrets.toml"), &text);
            dirs.push(s(&d));
            cases.push((path, v.clone()));
        }
    }
    let home = s(dir.path());
    let out = common::judge_lines(&py, "dlt_reader.py", &dirs, &[("HOME", &home)]);
    assert_eq!(out.len(), cases.len());
    for ((path, v), got) in cases.iter().zip(&out) {
        assert!(got.get("rejected").is_none(), "{path}={v:?}: {got}");
        assert_eq!(got["credentials_type"], "GcpOAuthCredentials");
        assert_eq!(dlt_read(got, path), &json!(v), "{path}");
        assert_eq!(got["customer_id"], "1111111111");
    }
}

#[test]
fn dlt_env_references_and_what_dlt_refuses() {
    let Some(py) = common::judge("dlt") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // --secrets-in env: the secrets are left out; dlt takes them from SOURCES__… variables.
    let mut st = base();
    st.set("secrets_in", Value::Str("env".into()));
    let text = render(Lang::Dlt, &st).unwrap();
    assert!(
        !text.contains("GOCSPX-secret") && !text.contains("abcdefghijklmnopqrstuv"),
        "{text}"
    );
    write(&dir.path().join("env/.dlt/secrets.toml"), &text);
    // Without project_id (no neutral default), dlt refuses the OAuth credentials.
    let mut st = base();
    st.values.remove("project_id");
    write(
        &dir.path().join("noproject/.dlt/secrets.toml"),
        &render(Lang::Dlt, &st).unwrap(),
    );
    // The section the verified source's README shows is never read.
    let readme = render(Lang::Dlt, &base()).unwrap().replace(
        "[sources.google_ads.credentials]",
        "[sources.google_analytics.credentials]",
    );
    write(&dir.path().join("readme/.dlt/secrets.toml"), &readme);
    let home = s(dir.path());
    let out = common::judge_lines(
        &py,
        "dlt_reader.py",
        &[
            s(&dir.path().join("env")),
            s(&dir.path().join("noproject")),
            s(&dir.path().join("readme")),
        ],
        &[
            ("HOME", &home),
            ("SOURCES__GOOGLE_ADS__DEV_TOKEN", "from-env-dev"),
            (
                "SOURCES__GOOGLE_ADS__CREDENTIALS__CLIENT_SECRET",
                "from-env-secret",
            ),
            (
                "SOURCES__GOOGLE_ADS__CREDENTIALS__REFRESH_TOKEN",
                "from-env-refresh",
            ),
        ],
    );
    assert_eq!(out[0]["dev_token"], "from-env-dev", "{}", out[0]);
    assert_eq!(out[0]["credentials"]["client_secret"], "from-env-secret");
    assert_eq!(
        out[0]["credentials"]["client_id"],
        "1234-abc.apps.googleusercontent.com"
    );
    assert!(
        out[1]["rejected"].as_str().unwrap().contains("credentials"),
        "{}",
        out[1]
    );
    assert!(
        out[2]["rejected"].as_str().unwrap().contains("credentials"),
        "{}",
        out[2]
    );
    // adsconf's check says so before dlt does.
    for d in ["noproject", "readme"] {
        let o = common::adsconf(
            dir.path(),
            &[
                "check",
                "--format",
                "json",
                &format!("{d}/.dlt/secrets.toml"),
            ],
        );
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert!(
            j["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["severity"] == "error"),
            "{d}: {j}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// meltano
// ---------------------------------------------------------------------------------------

const MELTANO_KEYS: [(&str, &str); 4] = [
    ("client_id", "client_id"),
    ("client_secret", "client_secret"),
    ("refresh_token", "refresh_token"),
    ("developer_token", "developer_token"),
];

fn meltano_read(got: &serde_json::Value, n: &str) -> serde_json::Value {
    match n {
        "developer_token" => got["config"]["developer_token"].clone(),
        other => got["config"]["oauth_credentials"][other].clone(),
    }
}

#[test]
fn meltano_and_the_tap_read_every_value_adsconf_writes() {
    let Some(py) = common::judge("meltano") else {
        return;
    };
    let schema =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles/tap_googleads_0_9_settings.json");
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![s(&schema)];
    let mut cases = Vec::new();
    for (i, v) in corpus().iter().enumerate() {
        for (n, _) in MELTANO_KEYS {
            let st = with(base(), n, v);
            let d = dir.path().join(format!("p{i}-{n}"));
            let refused = match render(Lang::Meltano, &st) {
                Ok(yml) => {
                    write(&d.join("meltano.yml"), &yml);
                    // The .env adsconf writes beside it (the same functions as `-o`).
                    write(
                        &d.join(".env"),
                        &meltano::dotenv_merge("", &meltano::dotenv_vars(&st)),
                    );
                    false
                }
                Err(e) => {
                    assert!(
                        v.contains("${"),
                        "only ${{…}} in a secret is refused: {n}={v:?}: {e}"
                    );
                    // Written raw into .env, where adsconf would put it.
                    write(
                        &d.join("meltano.yml"),
                        &render(Lang::Meltano, &base()).unwrap(),
                    );
                    let setting = &Lang::Meltano.catalog().for_neutral(n).unwrap().key;
                    let var = meltano::env_name(setting);
                    let mut vars = meltano::dotenv_vars(&base());
                    vars.retain(|(k, _)| *k != var);
                    vars.push((var, v.clone()));
                    write(&d.join(".env"), &meltano::dotenv_merge("", &vars));
                    true
                }
            };
            args.push(s(&d));
            cases.push((n, v.clone(), refused, d));
        }
    }
    let home = s(dir.path());
    let out = common::judge_lines(&py, "meltano_reader.py", &args, &[("HOME", &home)]);
    assert_eq!(out.len(), cases.len());
    // adsconf reads the same project back as Meltano does: `show` (and so `generate --from`)
    // takes the .env beside meltano.yml, and a value Meltano fills from the environment
    // (`${…}`) is not claimed as the file's.
    for ((n, v, refused, d), got) in cases.iter().zip(&out) {
        let shown = show_json(d, "meltano.yml");
        let ours = &shown["known"][*n];
        if *refused {
            assert!(
                ours.is_null() || *ours == meltano_read(got, n),
                "show claims {n}={ours} where Meltano reads {}: {v:?}",
                meltano_read(got, n)
            );
        } else {
            assert_eq!(*ours, meltano_read(got, n), "show {n}={v:?}");
        }
    }
    assert!(
        out[0].get("cli_mismatch").is_none(),
        "meltano config print agrees: {}",
        out[0]
    );
    for ((n, v, refused, _), got) in cases.iter().zip(&out) {
        if *refused {
            assert_ne!(
                meltano_read(got, n),
                json!(v),
                "Meltano would keep {n}={v:?}: {got}"
            );
            continue;
        }
        assert_eq!(got["valid"], true, "{n}={v:?}: {got}");
        assert_eq!(meltano_read(got, n), json!(v), "{n}: {got}");
        assert_eq!(got["config"]["login_customer_id"], "2222222222");
        assert_eq!(got["config"]["start_date"], "2024-01-31");
    }
}

/// `adsconf show FILE --reveal --format json` in `dir` (adsconf reads the .env alone: the
/// environment of this process plays no part).
fn show_json(dir: &Path, file: &str) -> serde_json::Value {
    let o = common::adsconf(dir, &["show", file, "--reveal", "--format", "json"]);
    assert!(
        o.status.success(),
        "show {file}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The `.env` forms people write by hand (export, double quotes with escapes, bare values with
/// comments, quoted names, CRLF, several lines in quotes, repeated names, references to names
/// above, lines python-dotenv cannot parse): adsconf's reader gives what python-dotenv
/// 1.2.4's `dotenv_values` (Meltano's reader) gives, value by value.
#[test]
fn meltano_dotenv_is_read_as_python_dotenv_reads_it() {
    let Some(py) = common::judge("meltano") else {
        return;
    };
    let var = meltano::env_name("oauth_credentials.client_secret");
    let mut texts: Vec<String> = Vec::new();
    for v in common::awkward_values()
        .into_iter()
        .filter(|v| !v.contains("${") && !v.contains('\0'))
    {
        let dq = v
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n");
        texts.push(format!("export {var}=\"{dq}\"\n"));
        texts.push(format!("{var} = {v}  # a comment\n"));
        texts.push(format!(
            "'{var}'='{}'\r\n",
            v.replace('\\', "\\\\").replace('\'', "\\'")
        ));
        texts.push(format!("A=1\n{var}=first\n{var}={v}\nB=2\n"));
    }
    texts.extend([
        format!("OTHER=abc\n{var}=\"x-${{OTHER}}-y\"\n"),
        format!("OTHER='a b'\n{var}=pre${{OTHER:-d}}post\n"),
        format!("{var}=\"two\nlines\" # c\n"),
        format!("{var}='unterminated\nNEXT=1\n"),
        format!("{var}='x' junk\nNEXT=1\n"),
        format!("{var}= #only a comment\n"),
        format!("{var}=#not a comment\n"),
        format!("{var}=p#q#r # c\n"),
        format!("{var}\n"),
        format!("  export   {var}=\t spaced \t\n"),
        format!("{var}=\"tab\\tbell\\a\\x\"\n"),
        format!("{var}=\"line\\nbreak\\r\\v\\f\\b\\'\\\"\\\\\"\n"),
        format!("{var}='no \\n escape \\\\ \\''\n"),
        format!("#{var}=commented\n"),
        format!("{var}=a\u{a0}#b\n"),
        format!("{var}=unicode-é-✓ # c\n"),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let yml = render(Lang::Meltano, &base()).unwrap();
    let mut args = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let d = dir.path().join(format!("e{i}"));
        write(&d.join("meltano.yml"), &yml);
        write(&d.join(".env"), t);
        args.push(s(&d.join(".env")));
    }
    let out = common::judge_lines(&py, "dotenv_reader.py", &args, &[]);
    assert_eq!(out.len(), texts.len());
    let mut compared = 0;
    for (i, (t, want)) in texts.iter().zip(&out).enumerate() {
        let shown = show_json(&dir.path().join(format!("e{i}")), "meltano.yml");
        let ours = &shown["known"]["client_secret"];
        let theirs = &want[&var];
        if t.contains("${OTHER}") || t.contains("${OTHER:") || !theirs.is_string() {
            // Resolved from the line above, or absent/None: adsconf has it from the file or
            // (None) not at all — base() puts no client_secret into meltano.yml.
            if theirs.is_string() {
                assert_eq!(ours, theirs, "{t:?}");
            } else {
                assert!(
                    ours.is_null(),
                    "{t:?}: python-dotenv has {theirs}, show {ours}"
                );
            }
        } else {
            assert_eq!(ours, theirs, "{t:?}");
        }
        compared += 1;
    }
    assert!(compared > 150, "{compared}");
}

// ---------------------------------------------------------------------------------------
// mcp
// ---------------------------------------------------------------------------------------

/// An authorized_user ADC file (what `gcloud auth application-default login` writes).
fn adc_file(dir: &Path) -> PathBuf {
    let p = dir.join("adc dir 'x'/adc.json");
    write(
        &p,
        &json!({"type": "authorized_user", "client_id": "adc-id", "client_secret": "adc-secret", "refresh_token": "adc-refresh"}).to_string(),
    );
    p
}

#[test]
fn google_ads_mcp_reads_the_env_of_every_client_shape() {
    let Some(py) = common::judge("google-ads-mcp") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let adc = adc_file(dir.path());
    let home = s(dir.path());
    for client in ["claude", "cursor", "vscode"] {
        let mut cases = Vec::new();
        for (i, v) in corpus().iter().enumerate() {
            for n in ["developer_token", "login_customer_id"] {
                let mut st = with(base(), n, v);
                for k in ["client_id", "client_secret", "refresh_token"] {
                    st.values.remove(k);
                }
                st.set("json_key_file_path", Value::Str(s(&adc)));
                st.set("mcp_client", Value::Str(client.into()));
                let p = dir.path().join(format!("{client}/{i}-{n}.json"));
                match render(Lang::Mcp, &st) {
                    Ok(t) => write(&p, &t),
                    Err(e) => {
                        assert!(v.contains("${"), "{client} refused {n}={v:?}: {e}");
                        continue;
                    }
                }
                cases.push((n, v.clone(), p));
            }
        }
        let files: Vec<String> = std::iter::once("--client".to_string())
            .chain(std::iter::once(client.to_string()))
            .chain(cases.iter().map(|(_, _, p)| s(p)))
            .collect();
        let out = common::judge_lines(&py, "mcp_reader.py", &files, &[("HOME", &home)]);
        assert_eq!(out.len(), cases.len());
        for ((n, v, _), got) in cases.iter().zip(&out) {
            let var = if *n == "developer_token" {
                "GOOGLE_ADS_DEVELOPER_TOKEN"
            } else {
                "GOOGLE_ADS_LOGIN_CUSTOMER_ID"
            };
            assert_eq!(got["env"][var], json!(v), "{client} {n}");
            if *n == "developer_token" {
                assert_eq!(got["developer_token"], json!(v));
            } else {
                // The server keeps the digits only; an empty result means no header.
                let digits: String = v.chars().filter(char::is_ascii_digit).collect();
                let want = if digits.is_empty() {
                    json!(null)
                } else {
                    json!(digits)
                };
                assert_eq!(got["client"]["login_customer_id"], want, "{v:?}: {got}");
            }
            assert_eq!(got["credentials"]["client_id"], "adc-id", "{got}");
            assert_eq!(got["credentials"]["refresh_token"], "adc-refresh");
        }
        assert!(cases.len() > 100);
    }
}

/// Values for the Gemini CLI run (each one is a server process Gemini starts).
fn gemini_corpus() -> Vec<String> {
    corpus()
        .into_iter()
        .filter(|v| {
            v.len() < 100
                && (v.is_empty()
                    || v.contains(['$', '\\', '"', '\'', '`', '{', '%', '~', ' '])
                    || !v.is_ascii())
        })
        .collect()
}

/// Gemini CLI itself reads `~/.gemini/settings.json`, resolves each server's `env` and spawns
/// it: every generated entry (its `env` kept as is) gets a command that records the
/// environment it was given, which google-ads-mcp's own code then reads.
#[test]
fn gemini_cli_passes_every_value_adsconf_writes() {
    let Some(py) = common::judge("google-ads-mcp") else {
        return;
    };
    let Some(gemini) = common::judge("gemini-cli") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let adc = adc_file(dir.path());
    let record = "import json, os, sys; json.dump(dict(os.environ), open(sys.argv[1], 'w'))";
    let mut servers = serde_json::Map::new();
    let mut cases = Vec::new(); // (value, refused, by_ref, recorded env file)
    for (i, v) in gemini_corpus().iter().enumerate() {
        for by_ref in [false, true] {
            let mut st = with(base(), "developer_token", v);
            for k in ["client_id", "client_secret", "refresh_token"] {
                st.values.remove(k);
            }
            st.set("json_key_file_path", Value::Str(s(&adc)));
            st.set("mcp_client", Value::Str("gemini".into()));
            if by_ref {
                st.set("secrets_in", Value::Str("env".into()));
            }
            let (env, refused) = match render(Lang::Mcp, &st) {
                Ok(t) => {
                    let j: serde_json::Value = serde_json::from_str(&t).unwrap();
                    (j["mcpServers"]["google-ads-mcp"]["env"].clone(), false)
                }
                Err(e) => {
                    assert!(v.contains('$') && !by_ref, "refused {v:?}: {e}");
                    (
                        json!({"GOOGLE_ADS_DEVELOPER_TOKEN": v, "GOOGLE_APPLICATION_CREDENTIALS": s(&adc)}),
                        true,
                    )
                }
            };
            if by_ref {
                assert_eq!(
                    env["GOOGLE_ADS_DEVELOPER_TOKEN"],
                    "${GOOGLE_ADS_DEVELOPER_TOKEN}"
                );
                if i > 0 {
                    continue; // one by-reference entry is enough: its value comes from Gemini
                }
            }
            let out = dir.path().join(format!("env-{i}-{by_ref}.json"));
            servers.insert(
                format!("s{i}-{by_ref}"),
                json!({"command": s(&py), "args": ["-c", record, s(&out)], "env": env}),
            );
            cases.push((v.clone(), refused, by_ref, out));
        }
    }
    write(
        &home.join(".gemini/settings.json"),
        &json!({ "mcpServers": servers }).to_string(),
    );
    write(
        &home.join(".gemini/trustedFolders.json"),
        &json!({ s(&work): "TRUST_FOLDER" }).to_string(),
    );
    let o = std::process::Command::new(&gemini)
        .args(["mcp", "list"])
        .current_dir(&work)
        .env("HOME", &home)
        // What `${GOOGLE_ADS_DEVELOPER_TOKEN}` refers to: Gemini's own environment. Gemini
        // expands `$name` only when `name` is set: set those the corpus names.
        .env(
            "GOOGLE_ADS_DEVELOPER_TOKEN",
            "token-from-the-client-environment",
        )
        .env("x", "expanded")
        .env("b", "expanded")
        .env_remove("GOOGLE_APPLICATION_CREDENTIALS")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run gemini");
    let listing = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(listing.contains("s0-false"), "{listing}");
    let files: Vec<String> = std::iter::once("--env-json".to_string())
        .chain(cases.iter().map(|(_, _, _, out)| {
            assert!(
                out.exists(),
                "Gemini did not start the server for {}:\n{listing}",
                out.display()
            );
            s(out)
        }))
        .collect();
    let home_s = s(&home);
    let got = common::judge_lines(&py, "mcp_reader.py", &files, &[("HOME", &home_s)]);
    assert_eq!(got.len(), cases.len());
    let mut refused = 0;
    for ((v, was_refused, by_ref, _), got) in cases.iter().zip(&got) {
        let token = &got["env"]["GOOGLE_ADS_DEVELOPER_TOKEN"];
        if *was_refused {
            refused += 1;
            assert_ne!(
                token,
                &json!(v),
                "adsconf refused {v:?} but Gemini passes it unchanged"
            );
        } else if *by_ref {
            assert_eq!(
                got["developer_token"], "token-from-the-client-environment",
                "{got}"
            );
        } else {
            assert_eq!(token, &json!(v), "{got}");
            assert_eq!(got["developer_token"], json!(v));
            assert_eq!(got["credentials"]["client_id"], "adc-id", "{got}");
        }
    }
    assert!(refused >= 2, "{refused}");
}
