//! Every file adsconf reads goes through one guard (issue 13, point 1): a regular file only,
//! opened without blocking, under `ADSCONF_MAX_FILE_SIZE`, one sentence naming the file on
//! failure. A FIFO must never hang a command and `/dev/zero` must never fill memory: each run
//! here has a deadline and is killed past it (before the guard, `check`, `verify` and `auth`
//! hung on a FIFO key file or client-secrets file and read /dev/zero until out of memory).

#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Run adsconf with a deadline; `None` when it had to be killed.
fn run_deadline(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Option<Output> {
    let mut c = Command::new(common::bin());
    c.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .env_remove("ADSCONF_MAX_FILE_SIZE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        c.env(k, v);
    }
    let mut child = c.spawn().unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

/// The hostile paths: a FIFO, /dev/zero, and (with a small cap) a regular file over the cap.
fn hostile(dir: &Path) -> Vec<(String, Vec<(&'static str, &'static str)>)> {
    let fifo = dir.join("fifo.json");
    mkfifo(&fifo);
    let big = dir.join("big.json");
    std::fs::write(&big, format!("{{\"x\": \"{}\"}}", "a".repeat(4000))).unwrap();
    vec![
        (fifo.display().to_string(), vec![]),
        ("/dev/zero".to_string(), vec![]),
        (
            big.display().to_string(),
            vec![("ADSCONF_MAX_FILE_SIZE", "1000")],
        ),
    ]
}

fn assert_refused(what: &str, path: &str, out: Option<Output>) {
    let out = out.unwrap_or_else(|| panic!("{what} with {path}: still running after 20 s"));
    let err =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(err.contains(path), "{what} must name {path}: {err}");
    assert!(
        err.contains("not a regular file") || err.contains("-byte limit"),
        "{what} with {path}: {err}"
    );
    assert_ne!(out.status.code(), Some(0), "{what}: {err}");
}

#[test]
fn key_files_client_secrets_and_sources_are_guarded() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    for (path, envs) in hostile(dir) {
        // check and verify read json_key_file_path.
        std::fs::write(
            dir.join("google-ads.yaml"),
            format!("json_key_file_path: \"{path}\"\nuse_proto_plus: true\n"),
        )
        .unwrap();
        let out = run_deadline(dir, &["check", "google-ads.yaml"], &envs);
        assert_refused("check", &path, out);
        let out = run_deadline(
            dir,
            &[
                "verify",
                "google-ads.yaml",
                "--token-uri",
                "http://127.0.0.1:9/token",
                "--api-base",
                "http://127.0.0.1:9",
            ],
            &envs,
        );
        assert_refused("verify", &path, out);
        let out = run_deadline(
            dir,
            &["auth", "--client-secrets", &path, "--dry-run"],
            &envs,
        );
        assert_refused("auth --client-secrets", &path, out);
        let out = run_deadline(dir, &["generate", "python", "--from", &path], &envs);
        assert_refused("generate --from", &path, out);
        let out = run_deadline(
            dir,
            &[
                "access",
                "--hierarchy",
                &path,
                "--user",
                "u",
                "--customer",
                "1234567890",
            ],
            &envs,
        );
        assert_refused("access --hierarchy", &path, out);
    }
}

#[test]
fn lock_files_for_version_detection_never_hang() {
    // A FIFO named like a lock file next to the config: version detection skips it.
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    mkfifo(&dir.join("composer.lock"));
    mkfifo(&dir.join("requirements.txt"));
    mkfifo(&dir.join("Gemfile.lock"));
    std::fs::write(
        dir.join("google_ads_php.ini"),
        "[GOOGLE_ADS]\nloginCustomerId = \"1234567890\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("google-ads.yaml"), "use_proto_plus: true\n").unwrap();
    let out = run_deadline(dir, &["check", "-r", "."], &[]).expect("check -r hung on a FIFO");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn guarded_reader_cuts_off_at_the_cap() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("k.json");
    std::fs::write(&p, "x".repeat(100)).unwrap();
    assert!(adsconf::source::read_guarded(&p, "a key").is_ok());
    std::env::set_var("ADSCONF_MAX_FILE_SIZE", "50");
    let e = adsconf::source::read_guarded(&p, "a key").unwrap_err();
    std::env::remove_var("ADSCONF_MAX_FILE_SIZE");
    assert!(
        e.message.contains("over the 50-byte limit for a key"),
        "{}",
        e.message
    );
    let e = adsconf::source::read_guarded(Path::new("/dev/zero"), "a key").unwrap_err();
    assert!(e.message.contains("not a regular file"), "{}", e.message);
}

/// The files adsconf reads beside the one it was given, or finds by itself, are guarded too:
/// Meltano's `.env`, the mint record of a JSON config, the Application Default Credentials
/// named by `GOOGLE_APPLICATION_CREDENTIALS`, a client file for `init`. Each of these hung
/// the command on a FIFO before (read with `std::fs::read_to_string`).
#[test]
fn side_files_and_found_files_never_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let meltano = "version: 1\nplugins:\n  extractors:\n  - name: tap-googleads\n    variant: meltanolabs\n    config:\n      customer_id: \"1234567890\"\n      oauth_credentials.client_id: \"1234-abc.apps.googleusercontent.com\"\n";
    std::fs::write(dir.join("meltano.yml"), meltano).unwrap();
    mkfifo(&dir.join(".env"));
    let out = run_deadline(dir, &["check", "meltano.yml"], &[]).expect("check hung on .env");
    assert_ne!(out.status.code(), Some(2), "{out:?}");

    let sub = dir.join("dotnet");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(
        sub.join("appsettings.json"),
        "{\"GoogleAdsApi\": {\"OAuth2ClientId\": \"1234-abc.apps.googleusercontent.com\", \"OAuth2ClientSecret\": \"GOCSPX-abcdefghijklmnop\", \"OAuth2RefreshToken\": \"1//0abcdefghijklmnop\", \"OAuth2Mode\": \"APPLICATION\"}}\n",
    )
    .unwrap();
    mkfifo(&sub.join(".appsettings.json.adsconf-minted"));
    run_deadline(&sub, &["check", "appsettings.json"], &[]).expect("check hung on the mint record");

    let adc = dir.join("adc.json");
    mkfifo(&adc);
    std::fs::write(
        dir.join("adc.yaml"),
        "use_application_default_credentials: true\nuse_proto_plus: true\n",
    )
    .unwrap();
    let adc_s = adc.display().to_string();
    let out = run_deadline(
        dir,
        &["verify", "adc.yaml"],
        &[("GOOGLE_APPLICATION_CREDENTIALS", &adc_s)],
    )
    .expect("verify hung on the ADC file");
    assert_refused("ADC file", &adc_s, Some(out));

    mkfifo(&dir.join("client_secret_fifo.json"));
    let out = run_deadline(
        dir,
        &[
            "init",
            "--lang",
            "python",
            "--client-secrets",
            "client_secret_fifo.json",
            "-o",
            "g.yaml",
        ],
        &[],
    )
    .expect("init hung on the client file");
    assert_refused("client file", "client_secret_fifo.json", Some(out));
}
