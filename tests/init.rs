//! `adsconf init` end to end against the fake OAuth provider and a fake Google Ads API: with
//! flags only (no terminal), and on a pseudo-terminal with answers typed after each prompt.

mod auth_fake;
mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use auth_fake::*;
use serde_json::json;

const M1: &str = "1000000001";
const A1: &str = "2000000001";
const A2: &str = "2000000002";
const A9: &str = "2000000009";

fn row(id: &str, level: u32, manager: bool, name: &str) -> serde_json::Value {
    json!({"customerClient": {"clientCustomer": format!("customers/{id}"), "id": id,
        "level": level.to_string(), "manager": manager, "descriptiveName": name}})
}

/// The API: the user was invited to manager M1 (clients A1, A2) and to client A9 directly.
fn api() -> Server {
    Server::start(|req| {
        if req.header("authorization") != Some(&format!("Bearer {ACCESS_TOKEN}")) {
            return Resp::json(
                401,
                json!({"error": {"code": 401, "status": "UNAUTHENTICATED"}}),
            );
        }
        if req.path.ends_with("customers:listAccessibleCustomers") {
            return Resp::json(
                200,
                json!({"resourceNames": [format!("customers/{M1}"), format!("customers/{A9}")]}),
            );
        }
        let body: serde_json::Value = serde_json::from_str(&req.body).unwrap_or_default();
        let q = body["query"].as_str().unwrap_or("");
        let cust = req
            .path
            .split("customers/")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or("")
            .to_string();
        if q.contains("FROM customer_user_access") {
            return ads_error(
                403,
                "PERMISSION_DENIED",
                "no",
                json!({"authorizationError": "USER_PERMISSION_DENIED"}),
            );
        }
        if q.contains("FROM customer_client") {
            return match cust.as_str() {
                M1 => Resp::json(
                    200,
                    json!({"results": [row(M1, 0, true, "Agency"), row(A1, 1, false, "Shop"), row(A2, 1, false, "Blog")]}),
                ),
                _ => Resp::json(200, json!({"results": [row(&cust, 0, false, "Own")]})),
            };
        }
        // The production-access check: allowed through M1 for its clients, and on A9 itself.
        let login = req.header("login-customer-id").unwrap_or(&cust).to_string();
        if (login == M1 && [M1, A1, A2].contains(&cust.as_str())) || (cust == A9 && login == A9) {
            Resp::json(200, json!({"results": [{"customer": {"id": cust}}]}))
        } else {
            ads_error(
                403,
                "PERMISSION_DENIED",
                "User doesn't have permission to access customer.",
                json!({"authorizationError": "USER_PERMISSION_DENIED"}),
            )
        }
    })
}

fn text(run: &str) -> String {
    run.to_string()
}

fn assert_no_secrets(all: &str) {
    for s in [CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN] {
        assert!(!all.contains(s), "secret {s} shown:\n{all}");
    }
}

/// Play the browser: follow the authorization URL printed by adsconf to the listener.
fn browse_url(url: &str) {
    let (status, headers, body) = http_get(url);
    assert_eq!(status, 302, "the provider refused the request: {body}");
    let (status, _, page) = http_get(&headers["location"]);
    assert_eq!(status, 200, "{page}");
}

#[test]
fn flags_only_from_a_client_file_to_a_verified_config() {
    let dir = tempfile::tempdir().unwrap();
    let provider = Provider::start(AuthMode::Grant, good_token_reply);
    let api = api();
    provider.client_secrets(dir.path(), "installed", &["http://localhost"]);
    std::fs::write(dir.path().join("requirements.txt"), "google-ads==34.0.0\n").unwrap();
    let run = spawn_env(
        dir.path(),
        &[
            "init",
            "--client-secrets",
            "client_secret.json",
            "--customer",
            "200-000-0001",
            "--no-browser",
            "-o",
            "google-ads.yaml",
            "--api-base",
            &api.base,
        ],
        false,
        &[("HOME", dir.path().to_str().unwrap())],
    );
    let url = run.line_starting(&format!("{}?", provider.auth_uri()));
    browse_url(&url);
    let (code, stdout, stderr) = run.finish(30);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("1. library: google-ads-python (found in the project: python"),
        "{stderr}"
    );
    assert!(stderr.contains("3. token: OK"), "{stderr}");
    assert!(
        stderr.contains("4. accounts: 4 reachable, 2 of them directly"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("login-customer-id Agency ({M1}): you reach Shop ({A1}) only through this manager account")),
        "{stderr}"
    );
    assert!(
        stderr.contains("wrote google-ads.yaml (new file, mode 0600)"),
        "{stderr}"
    );
    assert!(
        stdout.contains("token: OK") && stdout.contains("production access: OK"),
        "{stdout}"
    );
    assert!(
        stderr.contains("Done: google-ads.yaml is ready"),
        "{stderr}"
    );
    assert_no_secrets(&(stdout.clone() + &stderr));
    let p = dir.path().join("google-ads.yaml");
    let written = std::fs::read_to_string(&p).unwrap();
    assert!(
        written.contains("adsconf: refresh token minted "),
        "{written}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // The library's own loader reads what init wrote.
    if let Some(py) = common::python_with(&["google.ads.googleads.config"]) {
        let out = std::process::Command::new(py)
            .args([
                "-c",
                "import json,sys; from google.ads.googleads import config; c=config.load_from_yaml_file(sys.argv[1]); print(json.dumps({k: c.get(k) for k in ['client_id','client_secret','refresh_token','login_customer_id','use_proto_plus']}))",
                p.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            got,
            json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "refresh_token": REFRESH_TOKEN,
                   "login_customer_id": M1, "use_proto_plus": true})
        );
    }

    // Again on the existing file, for the account invited directly: no login-customer-id
    // needed; the file is updated in place (diff shown, --yes given) with a fresh stamp.
    let run = spawn_env(
        dir.path(),
        &[
            "init",
            "--client-secrets",
            "client_secret.json",
            "--customer",
            A9,
            "--login-customer-id",
            A9,
            "--no-browser",
            "-o",
            "google-ads.yaml",
            "--api-base",
            &api.base,
            "--yes",
        ],
        false,
        &[("HOME", dir.path().to_str().unwrap())],
    );
    let url = run.line_starting(&format!("{}?", provider.auth_uri()));
    browse_url(&url);
    let (code, stdout, stderr) = run.finish(30);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("login_customer_id"),
        "the diff is shown: {stderr}"
    );
    assert_no_secrets(&(stdout + &stderr));
    let after = std::fs::read_to_string(&p).unwrap();
    assert!(after.contains(A9), "{after}");
    assert_eq!(
        after.matches("adsconf: refresh token minted").count(),
        1,
        "{after}"
    );
}

#[test]
fn without_a_terminal_every_missing_answer_names_its_flag() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let home = d.to_str().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(common::bin())
            .args(args)
            .current_dir(d)
            .env("HOME", home)
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = run(&["init"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("not on a terminal") && err.contains("--lang LANG"),
        "{err}"
    );
    // Two libraries in the project: still a question.
    std::fs::write(d.join("requirements.txt"), "google-ads\n").unwrap();
    std::fs::write(d.join("Gemfile"), "gem 'google-ads-googleads'\n").unwrap();
    let (code, err) = run(&["init"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("python") && err.contains("ruby") && err.contains("--lang"),
        "{err}"
    );
    // No client file anywhere.
    let (code, err) = run(&["init", "--lang", "python"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--client-secrets FILE")
            && err.contains("--key-file")
            && err.contains("--adc"),
        "{err}"
    );
    // A broken client file is judged with its next step.
    std::fs::write(
        d.join("client_secret_1.json"),
        "{\"web\": {\"client_id\": \"1\", \"client_secret\": \"s\"}}",
    )
    .unwrap();
    let (code, err) = run(&[
        "init",
        "--lang",
        "python",
        "--client-secrets",
        "client_secret_1.json",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no loopback redirect URI") && err.contains("http://127.0.0.1"),
        "{err}"
    );
}

#[test]
fn several_accounts_need_customer_without_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let provider = Provider::start(AuthMode::Grant, good_token_reply);
    let api = api();
    provider.client_secrets(dir.path(), "installed", &[]);
    let run = spawn_env(
        dir.path(),
        &[
            "init",
            "--lang",
            "perl",
            "--no-browser",
            "-o",
            "googleads.properties",
            "--api-base",
            &api.base,
        ],
        false,
        &[("HOME", dir.path().to_str().unwrap())],
    );
    assert!(run.line_starting("using ").contains("client_secret.json"));
    let url = run.line_starting(&format!("{}?", provider.auth_uri()));
    browse_url(&url);
    let (code, _, stderr) = run.finish(30);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--customer C") && stderr.contains("4 accounts"),
        "{stderr}"
    );
    assert!(!dir.path().join("googleads.properties").exists());
}

/// A pseudo-terminal session through util-linux `script`: the screen is read as it comes,
/// answers are typed after their prompt appears.
struct Pty {
    child: std::process::Child,
    screen: Arc<Mutex<String>>,
}

impl Pty {
    fn start(dir: &Path, cmd: &str) -> Option<Pty> {
        let script = common::require("script")?;
        let mut child = std::process::Command::new(script)
            .args(["-qec", cmd, "/dev/null"])
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("HOME", dir)
            .env("TERM", "xterm")
            .env_remove("BROWSER")
            .env_remove("HTTPS_PROXY")
            .env_remove("HTTP_PROXY")
            .env_remove("ALL_PROXY")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let screen = Arc::new(Mutex::new(String::new()));
        let (mut out, s2) = (child.stdout.take().unwrap(), screen.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s2.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Some(Pty { child, screen })
    }

    /// Wait until the screen shows `text` (after position `from`); the screen position after it.
    fn wait_for(&self, text: &str, from: usize) -> usize {
        let end = Instant::now() + Duration::from_secs(20);
        loop {
            {
                let s = self.screen.lock().unwrap();
                if let Some(i) = s.get(from..).and_then(|t| t.find(text)) {
                    return from + i + text.len();
                }
            }
            if Instant::now() > end {
                panic!(
                    "no `{text}` on the screen:\n{}",
                    self.screen.lock().unwrap()
                );
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn type_keys(&mut self, keys: &str) {
        std::thread::sleep(Duration::from_millis(150));
        let stdin = self.child.stdin.as_mut().unwrap();
        stdin.write_all(keys.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    fn finish(mut self) -> (i32, String) {
        let end = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > end {
                let _ = self.child.kill();
                panic!("init did not finish:\n{}", self.screen.lock().unwrap());
            }
            std::thread::sleep(Duration::from_millis(30));
        };
        std::thread::sleep(Duration::from_millis(100));
        let s = self.screen.lock().unwrap().clone();
        (status.code().unwrap_or(-1), s)
    }
}

#[test]
fn on_a_terminal_the_questions_are_asked_and_answered() {
    let dir = tempfile::tempdir().unwrap();
    let provider = Provider::start(AuthMode::Grant, good_token_reply);
    let api = api();
    provider.client_secrets(dir.path(), "installed", &[]);
    let bin = common::bin().display().to_string();
    let cmd = format!(
        "{bin} init --no-browser -o ads.properties --api-base {}",
        api.base
    );
    let Some(mut pty) = Pty::start(dir.path(), &cmd) else {
        return;
    };
    // 1. No manifest: which library? Down to java (second), Enter.
    let at = pty.wait_for("Which client library will read the config?", 0);
    pty.type_keys("\x1b[B\r");
    // 2. The client file found is offered first: Enter.
    let at = pty.wait_for("Which credentials should the library use?", at);
    pty.type_keys("\r");
    // 3. The browser step.
    let at = pty.wait_for(&format!("{}?", provider.auth_uri()), at);
    let url = {
        let s = pty.screen.lock().unwrap();
        let start = s[..at].rfind(&provider.auth_uri()).unwrap();
        s[start..].split(['\r', '\n']).next().unwrap().to_string()
    };
    browse_url(&url);
    // 4. Which account? Clients first: Shop (A1), Blog (A2), Own (A9), then Agency: pick Blog.
    let at = pty.wait_for("Which account will the code work on?", at);
    pty.type_keys("\x1b[B\r");
    pty.wait_for("Done:", at);
    let (code, screen) = pty.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains(&format!("Blog ({A2})")),
        "{}",
        text(&screen)
    );
    assert_no_secrets(&screen);
    let written = std::fs::read_to_string(dir.path().join("ads.properties")).unwrap();
    assert!(
        written.contains("api.googleads.loginCustomerId=1000000001"),
        "java chosen, M1 recommended: {written}"
    );
    assert!(
        written.contains("# adsconf: refresh token minted"),
        "{written}"
    );
}

#[test]
fn auth_adc_writes_an_authorized_user_file_that_verify_uses() {
    let dir = tempfile::tempdir().unwrap();
    let provider = Provider::start(AuthMode::Grant, good_token_reply);
    let api = api();
    provider.client_secrets(dir.path(), "installed", &[]);
    let adc = dir
        .path()
        .join("gcloud")
        .join("application_default_credentials.json");
    let cloudsdk = dir.path().join("gcloud");
    let env = [
        ("HOME", dir.path().to_str().unwrap()),
        ("CLOUDSDK_CONFIG", cloudsdk.to_str().unwrap()),
    ];
    let args = [
        "auth",
        "--client-secrets",
        "client_secret.json",
        "--adc",
        "--no-browser",
    ];
    let run = spawn_env(dir.path(), &args, false, &env);
    browse_url(&run.line_starting(&format!("{}?", provider.auth_uri())));
    let (code, stdout, stderr) = run.finish(30);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("wrote the Application Default Credentials"),
        "{stderr}"
    );
    assert_no_secrets(&(stdout + &stderr));
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&adc).unwrap()).unwrap();
    assert_eq!(j["type"], "authorized_user");
    assert_eq!(j["client_id"], CLIENT_ID);
    assert_eq!(j["refresh_token"], REFRESH_TOKEN);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&adc).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // A second run does not replace it without --yes (before any browser step is wasted? no:
    // after the flow, nothing is overwritten).
    let run = spawn_env(dir.path(), &args, false, &env);
    browse_url(&run.line_starting(&format!("{}?", provider.auth_uri())));
    let (code, _, stderr) = run.finish(30);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--yes"), "{stderr}");
    // verify with use_application_default_credentials reads that file.
    std::fs::write(
        dir.path().join("google-ads.yaml"),
        "use_application_default_credentials: true\nuse_proto_plus: true\n",
    )
    .unwrap();
    let out = std::process::Command::new(common::bin())
        .args([
            "verify",
            "google-ads.yaml",
            "--token-uri",
            &provider.token_uri(),
            "--api-base",
            &api.base,
        ])
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .env("CLOUDSDK_CONFIG", &cloudsdk)
        .env_remove("GOOGLE_APPLICATION_CREDENTIALS")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let so = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{so}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(so.contains("Application Default Credentials"), "{so}");
}
