//! The generated curl script run by real shells (`sh` = dash, and `bash`) with `curl`
//! replaced by a shell function that records its arguments (NUL-separated) and answers the
//! token request with a canned JSON: the headers, URLs, token flow and customer id are
//! asserted exactly.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use adsconf::formats;
use adsconf::lang::Lang;
use adsconf::model::{Settings, Value};
use adsconf::source::Source;

const FAKE_CURL: &str = r#"
curl() {
  for a in "$@"; do printf '%s\0' "$a" >> "$CURL_LOG"; done
  printf '\001END\0' >> "$CURL_LOG"
  case "$*" in
    *oauth2.googleapis.com/token*)
      if [ -n "${COMPACT:-}" ]; then
        printf '{"expires_in":3599,"access_token":"ya29.fake-token","token_type":"Bearer"}'
      else
        printf '{\n  "access_token": "ya29.fake-token",\n  "expires_in": 3599,\n  "token_type": "Bearer"\n}\n'
      fi ;;
    *) printf '{"results": []}\n' ;;
  esac
}
"#;

struct Run<'a> {
    args: &'a [&'a str],
    env: &'a [(&'a str, &'a str)],
}

/// Run every script (with its run options) in one shell process; return each run's curl
/// calls (argument lists) and exit status.
fn run_all(shell: &Path, dir: &Path, runs: &[(PathBuf, Run)]) -> Vec<(Vec<Vec<String>>, i32)> {
    let mut driver = String::from(FAKE_CURL);
    for (i, (script, run)) in runs.iter().enumerate() {
        let log = dir.join(format!("log{i}"));
        let _ = std::fs::remove_file(&log);
        let mut env = String::new();
        for (k, v) in run.env {
            env.push_str(&format!("{k}='{v}'; export {k}; "));
        }
        let args: Vec<String> = run.args.iter().map(|a| format!("'{a}'")).collect();
        driver.push_str(&format!(
            "( CURL_LOG='{}'; {env} set -- {}; . '{}' ) > /dev/null; echo $? > '{}.rc'\n",
            log.display(),
            args.join(" "),
            script.display(),
            log.display()
        ));
    }
    let out = Command::new(shell)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .arg("-c")
        .arg(&driver)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (0..runs.len())
        .map(|i| {
            let log = dir.join(format!("log{i}"));
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            let mut calls = vec![Vec::new()];
            for a in text.split('\0') {
                if a == "\u{1}END" {
                    calls.push(Vec::new());
                } else if !a.is_empty() || !text.is_empty() {
                    calls.last_mut().unwrap().push(a.to_string());
                }
            }
            // Drop the empty tail after the last END marker.
            calls.retain(|c| !c.is_empty() && c != &[String::new()]);
            let rc = std::fs::read_to_string(format!("{}.rc", log.display()))
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            (calls, rc)
        })
        .collect()
}

fn headers(call: &[String]) -> Vec<String> {
    call.windows(2)
        .filter(|w| w[0] == "--header" || w[0] == "-H")
        .map(|w| w[1].clone())
        .collect()
}

fn shells() -> Vec<PathBuf> {
    ["sh", "bash"]
        .iter()
        .filter_map(|s| common::require(s))
        .collect()
}

fn user_settings(v: &[String], i: usize, linked: bool) -> Settings {
    let mut s = Settings::default();
    let pick = |k: usize| v[(i + k) % v.len()].clone();
    s.set("developer_token", Value::Str(pick(0)));
    s.set("login_customer_id", Value::Str(pick(1)));
    if linked {
        s.set("linked_customer_id", Value::Str(pick(2)));
    }
    s.set("client_id", Value::Str(pick(3)));
    s.set("client_secret", Value::Str(pick(4)));
    s.set("refresh_token", Value::Str(pick(5)));
    s
}

#[test]
fn script_sends_exact_headers_and_token_flow() {
    let dir = tempfile::tempdir().unwrap();
    let mut values: Vec<String> = common::awkward_values()
        .into_iter()
        .filter(|v| !v.contains('\r'))
        .collect();
    // Plus a batch of generated awkward strings.
    {
        use proptest::strategy::{Strategy, ValueTree};
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strat = proptest::collection::vec(common::awkward_string(), 150);
        values.extend(strat.new_tree(&mut runner).unwrap().current());
    }
    let mut cases = Vec::new();
    let mut runs = Vec::new();
    for i in 0..values.len() {
        let s = user_settings(&values, i, i % 2 == 0);
        let text = formats::format(Lang::Curl).render(&s).expect("render");
        // Our parser reads back the values too (the shell runs below are the judge).
        let parsed = formats::format(Lang::Curl).parse(&Source::of(&text));
        assert_eq!(parsed.problems, vec![], "{text}");
        assert_eq!(formats::to_settings(&parsed), s);
        let f = dir.path().join(format!("s{i}.sh"));
        std::fs::write(&f, text).unwrap();
        runs.push((
            f.clone(),
            Run {
                args: &["123-456-7890"],
                env: &[],
            },
        ));
        cases.push(s);
    }
    for sh in shells() {
        let got = run_all(&sh, dir.path(), &runs);
        for (s, (calls, rc)) in cases.iter().zip(got) {
            assert_eq!(rc, 0, "{}", sh.display());
            assert_eq!(calls.len(), 2, "token request then search: {calls:?}");
            let t = &calls[0];
            assert_eq!(
                t,
                &[
                    "-sS",
                    "-X",
                    "POST",
                    "https://oauth2.googleapis.com/token",
                    "--data-urlencode",
                    &format!("client_id={}", s.get_str("client_id").unwrap()),
                    "--data-urlencode",
                    &format!("client_secret={}", s.get_str("client_secret").unwrap()),
                    "--data-urlencode",
                    &format!("refresh_token={}", s.get_str("refresh_token").unwrap()),
                    "--data-urlencode",
                    "grant_type=refresh_token",
                ]
            );
            let c = &calls[1];
            assert_eq!(
                &c[..4],
                &[
                    "-sS",
                    "-X",
                    "POST",
                    "https://googleads.googleapis.com/v26/customers/1234567890/googleAds:search"
                ]
            );
            let mut want = vec![
                "Content-Type: application/json".to_string(),
                format!("developer-token: {}", s.get_str("developer_token").unwrap()),
                format!(
                    "login-customer-id: {}",
                    s.get_str("login_customer_id").unwrap()
                ),
            ];
            if let Some(l) = s.get_str("linked_customer_id") {
                want.push(format!("linked-customer-id: {l}"));
            }
            want.push("Authorization: Bearer ya29.fake-token".into());
            assert_eq!(headers(c), want, "{}", sh.display());
            assert!(c.last().unwrap().contains("\"query\""));
        }
        eprintln!("curl: {} scripts run by {}", cases.len(), sh.display());
    }
}

#[test]
fn access_token_customer_id_and_endpoint() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Settings::default();
    s.set("login_customer_id", Value::Str("1112223333".into()));
    s.set("client_id", Value::Str("c".into()));
    s.set("client_secret", Value::Str("s".into()));
    s.set("refresh_token", Value::Str("r".into()));
    let plain = dir.path().join("plain.sh");
    std::fs::write(&plain, formats::format(Lang::Curl).render(&s).unwrap()).unwrap();
    s.set("endpoint", Value::Str("example.test:8443/".into()));
    let ep = dir.path().join("ep.sh");
    std::fs::write(&ep, formats::format(Lang::Curl).render(&s).unwrap()).unwrap();
    let mut sa = Settings::default();
    sa.set("json_key_file_path", Value::Str("/k.json".into()));
    let sa_path = dir.path().join("sa.sh");
    std::fs::write(&sa_path, formats::format(Lang::Curl).render(&sa).unwrap()).unwrap();
    let runs = vec![
        // $ACCESS_TOKEN set: no token request.
        (
            plain.clone(),
            Run {
                args: &["1-2-3"],
                env: &[("ACCESS_TOKEN", "given")],
            },
        ),
        // $CUSTOMER_ID from the environment.
        (
            plain.clone(),
            Run {
                args: &[],
                env: &[("CUSTOMER_ID", "987-654-3210"), ("ACCESS_TOKEN", "t")],
            },
        ),
        // The argument beats $CUSTOMER_ID.
        (
            plain.clone(),
            Run {
                args: &["5555555555"],
                env: &[("CUSTOMER_ID", "1"), ("ACCESS_TOKEN", "t")],
            },
        ),
        // No customer id: listAccessibleCustomers, without login-customer-id.
        (
            plain.clone(),
            Run {
                args: &[],
                env: &[],
            },
        ),
        // Endpoint without scheme gets https://, trailing slash dropped.
        (
            ep,
            Run {
                args: &["1234567890"],
                env: &[("ACCESS_TOKEN", "t")],
            },
        ),
        // Service account: the script cannot get a token itself.
        (
            sa_path.clone(),
            Run {
                args: &["1234567890"],
                env: &[],
            },
        ),
        (
            sa_path,
            Run {
                args: &["1234567890"],
                env: &[("ACCESS_TOKEN", "t")],
            },
        ),
        // A token answer on one line (no pretty-printing) is read too.
        (
            plain.clone(),
            Run {
                args: &["1234567890"],
                env: &[("COMPACT", "1")],
            },
        ),
    ];
    for sh in shells() {
        let got = run_all(&sh, dir.path(), &runs);
        let (c, rc) = &got[0];
        assert_eq!(*rc, 0);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(
            c[0][3],
            "https://googleads.googleapis.com/v26/customers/123/googleAds:search"
        );
        assert!(headers(&c[0]).contains(&"Authorization: Bearer given".to_string()));
        assert_eq!(
            got[1].0[0][3],
            "https://googleads.googleapis.com/v26/customers/9876543210/googleAds:search"
        );
        assert_eq!(
            got[2].0[0][3],
            "https://googleads.googleapis.com/v26/customers/5555555555/googleAds:search"
        );
        let (c, rc) = &got[3];
        assert_eq!(*rc, 0);
        assert_eq!(c.len(), 2);
        assert_eq!(
            &c[1][..4],
            &[
                "-sS",
                "-X",
                "GET",
                "https://googleads.googleapis.com/v26/customers:listAccessibleCustomers"
            ]
        );
        assert_eq!(
            headers(&c[1]),
            vec!["Authorization: Bearer ya29.fake-token".to_string()]
        );
        assert_eq!(
            got[4].0[0][3],
            "https://example.test:8443/v26/customers/1234567890/googleAds:search"
        );
        assert_eq!(got[5], (vec![], 2), "no token, no request");
        assert_eq!(
            headers(&got[7].0[1])[1..],
            [
                "login-customer-id: 1112223333",
                "Authorization: Bearer ya29.fake-token"
            ]
        );
        assert_eq!(
            headers(&got[6].0[0]),
            vec![
                "Content-Type: application/json".to_string(),
                "Authorization: Bearer t".into()
            ]
        );
    }
}
