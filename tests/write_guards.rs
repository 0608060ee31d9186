//! Writers that race, links, modes and secrets in argv (issue 13, points 8–12). Each test
//! failed before its fix: the backup followed a symbolic link, parallel `set`s lost keys, a
//! 0644 file received secrets silently (and a `chmod 600` done during the prompt was undone),
//! a hard link was broken silently, and a secret could only be given on the command line.

#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use adsconf::lang::Lang;
use adsconf::write::{self, Change, Confirm, RealSteps, WriteOpts};

const YAML: &str = "developer_token: \"DEVTOKENcanary-tail-dev\"\nuse_proto_plus: true\nlogin_customer_id: \"1234567890\"\n";

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn setup(mode: u32) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("google-ads.yaml");
    fs::write(&f, YAML).unwrap();
    fs::set_permissions(&f, fs::Permissions::from_mode(mode)).unwrap();
    (dir, f)
}

#[test]
fn a_symbolic_link_at_the_backup_path_is_refused_not_followed() {
    let (dir, f) = setup(0o600);
    let victim = dir.path().join("victim");
    fs::write(&victim, "").unwrap();
    fs::set_permissions(&victim, fs::Permissions::from_mode(0o666)).unwrap();
    let bak = dir.path().join("google-ads.yaml.bak");
    std::os::unix::fs::symlink(&victim, &bak).unwrap();
    let o = common::adsconf(
        dir.path(),
        &[
            "set",
            "google-ads.yaml",
            "login_customer_id=1111111111",
            "--yes",
            "--backup",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("is a symbolic link"), "{}", text(&o));
    assert_eq!(fs::read_to_string(&f).unwrap(), YAML, "original untouched");
    assert!(fs::symlink_metadata(&bak).unwrap().file_type().is_symlink());
    assert_eq!(fs::read_to_string(&victim).unwrap(), "");
    // A regular backup gets the original's mode.
    fs::remove_file(&bak).unwrap();
    fs::write(&bak, "old backup").unwrap();
    fs::set_permissions(&bak, fs::Permissions::from_mode(0o644)).unwrap();
    let o = common::adsconf(
        dir.path(),
        &[
            "set",
            "google-ads.yaml",
            "login_customer_id=1111111111",
            "--yes",
            "--backup",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(fs::read_to_string(&bak).unwrap(), YAML);
    assert_eq!(mode(&bak), 0o600);
}

#[test]
fn parallel_sets_on_one_file_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("google-ads.yaml");
    let keys = [
        ("login_customer_id", "1234567890"),
        ("client_id", "1-a.apps.googleusercontent.com"),
        ("client_secret", "GOCSPX-aaaaaaaaaaaa"),
        ("refresh_token", "1//0aaaaaaaaaaaaaa"),
        ("developer_token", "DEVTOKaaaaaaaaaa"),
        ("linked_customer_id", "2234567890"),
        ("http_proxy", "http://proxy.example:1"),
    ];
    for round in 0..12 {
        fs::write(&f, "use_proto_plus: true\n").unwrap();
        let children: Vec<_> = keys
            .iter()
            .map(|(k, v)| {
                Command::new(common::bin())
                    // --force: each process alone leaves incomplete credentials (the judge).
                    .args([
                        "set",
                        "google-ads.yaml",
                        &format!("{k}={v}"),
                        "--yes",
                        "--force",
                    ])
                    .current_dir(dir.path())
                    .env("NO_COLOR", "1")
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let o = c.wait_with_output().unwrap();
            assert_eq!(o.status.code(), Some(0), "round {round}: {}", text(&o));
        }
        let t = fs::read_to_string(&f).unwrap();
        for (k, v) in keys {
            assert!(
                t.contains(&format!("{k}: \"{v}\"")),
                "round {round}: lost {k}:\n{t}"
            );
        }
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n != "google-ads.yaml")
            .collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }
}

#[test]
fn a_held_lock_fails_clearly() {
    use std::os::unix::io::AsRawFd;
    let (dir, f) = setup(0o600);
    let lock = fs::File::create(write::lock_path(&f)).unwrap();
    // SAFETY: flock on a file we own.
    assert_eq!(unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) }, 0);
    let o = Command::new(common::bin())
        .args([
            "set",
            "google-ads.yaml",
            "login_customer_id=1111111111",
            "--yes",
        ])
        .current_dir(dir.path())
        .env("ADSCONF_LOCK_TIMEOUT", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("is being changed by another program"),
        "{}",
        text(&o)
    );
    assert_eq!(fs::read_to_string(&f).unwrap(), YAML);
}

#[test]
fn secrets_into_a_readable_file_warn_and_chmod_makes_it_0600() {
    let (dir, f) = setup(0o644);
    let o = common::adsconf(
        dir.path(),
        &[
            "set",
            "google-ads.yaml",
            "login_customer_id=1111111111",
            "--yes",
            "--force",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("readable by other users (mode 0644) and holds secrets")
            && text(&o).contains("--chmod"),
        "{}",
        text(&o)
    );
    assert_eq!(mode(&f), 0o644);
    let o = common::adsconf(
        dir.path(),
        &[
            "set",
            "google-ads.yaml",
            "login_customer_id=2222222222",
            "--yes",
            "--chmod",
            "--force",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(mode(&f), 0o600, "{}", text(&o));
    // generate -o into an existing readable file.
    fs::set_permissions(&f, fs::Permissions::from_mode(0o640)).unwrap();
    fs::write(
        dir.path().join("adsconf.toml"),
        "refresh_token = \"1//0abcdefghijkl\"\nuse_proto_plus = true\n",
    )
    .unwrap();
    let o = common::adsconf(
        dir.path(),
        &[
            "generate",
            "python",
            "-o",
            "google-ads.yaml",
            "--yes",
            "--chmod",
            "--force",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(mode(&f), 0o600);
    // A file without secrets is left alone.
    let plain = dir.path().join("plain.yaml");
    fs::write(&plain, "use_proto_plus: true\n").unwrap();
    fs::set_permissions(&plain, fs::Permissions::from_mode(0o644)).unwrap();
    let o = common::adsconf(
        dir.path(),
        &[
            "set",
            "plain.yaml",
            "--lang",
            "python",
            "login_customer_id=1111111111",
            "--yes",
        ],
    );
    assert!(!text(&o).contains("holds secrets"), "{}", text(&o));
    assert_eq!(mode(&plain), 0o644);
}

/// Answers the prompt with `answer`; with `chmod_first`, runs `chmod 600` on the file while
/// the question is open (as a user in another terminal would).
struct Answer {
    answer: &'static str,
    chmod_first: Option<std::path::PathBuf>,
    asked: std::cell::RefCell<String>,
}
impl Confirm for Answer {
    fn interactive(&self) -> bool {
        true
    }
    fn ask(&self, q: &str) -> bool {
        self.answer(q) == "y"
    }
    fn answer(&self, q: &str) -> String {
        *self.asked.borrow_mut() = q.to_string();
        if let Some(p) = &self.chmod_first {
            fs::set_permissions(p, fs::Permissions::from_mode(0o600)).unwrap();
        }
        self.answer.to_string()
    }
}

fn set_interactively(f: &Path, confirm: &Answer) -> i32 {
    let (snap, src, parsed) = write::load_for_change(f, Some(Lang::Python)).unwrap();
    let assigns = adsconf::change::assignments(
        Lang::Python,
        &[("login_customer_id".into(), "1111111111".into())],
        &[],
    )
    .unwrap();
    let new_text = adsconf::change::edited_text(&src, &parsed, &assigns).unwrap();
    write::apply_change_with(
        &Change {
            path: f,
            lang: Lang::Python,
            old: Some((&src, &parsed, &snap)),
            new_text: &new_text,
            encoding: src.encoding,
            secrets: &[],
        },
        &WriteOpts::default(),
        confirm,
        &RealSteps,
    )
    .unwrap()
}

#[test]
fn the_prompt_offers_0600_and_a_chmod_during_the_prompt_is_kept() {
    let (_dir, f) = setup(0o644);
    let c = Answer {
        answer: "c",
        chmod_first: None,
        asked: Default::default(),
    };
    assert_eq!(set_interactively(&f, &c), 0);
    assert!(
        c.asked.borrow().contains("make it 0600"),
        "{}",
        c.asked.borrow()
    );
    assert_eq!(mode(&f), 0o600);
    // The user answers "y" (keep the mode) but ran chmod 600 while the prompt was open.
    let (_dir, f) = setup(0o644);
    let c = Answer {
        answer: "y",
        chmod_first: Some(f.clone()),
        asked: Default::default(),
    };
    assert_eq!(set_interactively(&f, &c), 0);
    assert_eq!(
        mode(&f),
        0o600,
        "the chmod done during the prompt was undone"
    );
    assert!(fs::read_to_string(&f).unwrap().contains("1111111111"));
    // "n" writes nothing.
    let (_dir, f) = setup(0o644);
    let c = Answer {
        answer: "",
        chmod_first: None,
        asked: Default::default(),
    };
    assert_eq!(set_interactively(&f, &c), 1);
    assert_eq!(fs::read_to_string(&f).unwrap(), YAML);
}

#[test]
fn hard_links_are_refused_unless_asked() {
    let (dir, f) = setup(0o600);
    let other = dir.path().join("other-name.yaml");
    fs::hard_link(&f, &other).unwrap();
    let o = common::adsconf(
        dir.path(),
        &[
            "set",
            "google-ads.yaml",
            "login_customer_id=1111111111",
            "--yes",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("hard link") && text(&o).contains("--break-hardlinks"));
    assert_eq!(fs::read_to_string(&f).unwrap(), YAML);
    assert_eq!(fs::metadata(&f).unwrap().nlink(), 2);
    let o = common::adsconf(
        dir.path(),
        &[
            "set",
            "google-ads.yaml",
            "login_customer_id=1111111111",
            "--yes",
            "--break-hardlinks",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("keep the previous content"),
        "{}",
        text(&o)
    );
    assert!(fs::read_to_string(&f).unwrap().contains("1111111111"));
    assert_eq!(fs::read_to_string(&other).unwrap(), YAML);
}

#[test]
fn set_key_dash_reads_the_value_from_stdin() {
    let (dir, f) = setup(0o600);
    let secret = "GOCSPX-from-stdin-canary-tail";
    let mut child = Command::new(common::bin())
        .args([
            "set",
            "google-ads.yaml",
            "client_secret=-",
            "--yes",
            "--force",
        ])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{secret}\n").as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(!text(&o).contains("canary-tail"), "{}", text(&o));
    let t = fs::read_to_string(&f).unwrap();
    assert!(t.contains(&format!("client_secret: \"{secret}\"\n")), "{t}");
    // Two values from stdin is an error of use.
    let o = common::adsconf(
        dir.path(),
        &[
            "set",
            "google-ads.yaml",
            "client_secret=-",
            "refresh_token=-",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    // On a terminal the value is prompted for and not echoed.
    let Some(script) = common::require("script") else {
        return;
    };
    let cmd = format!(
        "{} set google-ads.yaml refresh_token=- --force",
        common::bin().display()
    );
    let mut child = Command::new(script)
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Give the prompt time to turn echo off before typing, as a person would.
    std::thread::sleep(std::time::Duration::from_millis(700));
    stdin.write_all(b"1//0typed-canary-tail-zz\n").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    stdin.write_all(b"y\n").unwrap();
    drop(stdin);
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("value for refresh_token"), "{}", text(&o));
    assert!(!text(&o).contains("canary-tail"), "echoed: {}", text(&o));
    assert!(fs::read_to_string(&f)
        .unwrap()
        .contains("refresh_token: \"1//0typed-canary-tail-zz\""));
}
