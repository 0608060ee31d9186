//! End to end in a real browser: headless Chromium opens the authorization URL on the fake
//! provider, follows its redirect to adsconf's loopback listener, and adsconf exchanges the
//! code. Skipped (with the reason printed) when `chromium` is not installed; under CI it is
//! required once `.ci/run` installs it.

mod auth_fake;
mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use auth_fake::*;

fn chromium() -> Option<std::path::PathBuf> {
    common::judge("chromium")
}

fn flags(profile: &Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-proxy-server",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect()
}

/// Run chromium on `url`, printing the DOM of the page it ends on (killed after 60 s).
fn dump_dom(chromium: &Path, profile: &Path, url: &str) -> String {
    let mut child = Command::new(chromium)
        .args(flags(profile))
        .arg("--dump-dom")
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let end = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > end {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.wait();
    reader.join().unwrap()
}

#[test]
fn headless_chromium_completes_the_flow() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let provider = Provider::start(AuthMode::Grant, good_token_reply);
    let cs = provider.client_secrets(dir.path(), "installed", &["http://localhost"]);
    let run = spawn(
        dir.path(),
        &[
            "auth",
            "--client-secrets",
            cs.to_str().unwrap(),
            "--no-browser",
            "--timeout",
            "90",
        ],
        false,
    );
    let url = run.line_starting(&format!("{}?", provider.auth_uri()));
    let dom = dump_dom(&chromium, &dir.path().join("profile"), &url);
    let (code, stdout, stderr) = run.finish(90);
    assert_eq!(code, 0, "{stderr}\nDOM:\n{dom}");
    assert!(dom.contains("Authorization received"), "{dom}");
    assert_eq!(stdout, format!("Your refresh token is: {REFRESH_TOKEN}\n"));
    let auth = provider.server.requests_to("/auth");
    assert!(
        auth[0]
            .header("user-agent")
            .is_some_and(|u| u.contains("Chrome")),
        "the browser made the authorization request"
    );
    assert_eq!(provider.server.requests_to("/token").len(), 1);
}

#[test]
fn adsconf_opens_the_browser_itself() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let provider = Provider::start(AuthMode::Grant, good_token_reply);
    let cs = provider.client_secrets(dir.path(), "installed", &[]);
    // $BROWSER names the browser (as Python's webbrowser reads it); `%s` is the URL.
    let browser = format!(
        "{} {} --dump-dom %s",
        chromium.display(),
        flags(&dir.path().join("profile")).join(" ")
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_adsconf"));
    cmd.args([
        "auth",
        "--client-secrets",
        cs.to_str().unwrap(),
        "--timeout",
        "90",
    ])
    .current_dir(dir.path())
    .env("BROWSER", browser)
    .stdin(Stdio::null());
    let out = cmd.output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("a browser was started"), "{stderr}");
    assert_eq!(stdout, format!("Your refresh token is: {REFRESH_TOKEN}\n"));
    assert!(provider.server.requests_to("/auth")[0]
        .header("user-agent")
        .is_some_and(|u| u.contains("Chrome")));
}
