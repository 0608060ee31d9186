//! Faults in the write path: an unwritable directory, a file replaced or edited during the
//! run, a write error injected after the temporary file is written. In every case the
//! original file is intact and no temporary file remains.

use std::fs;
use std::os::unix::fs::PermissionsExt;
mod common;

use std::path::Path;

use adsconf::lang::Lang;
use adsconf::write::WriteOpts;
use adsconf::write::{self, Change, Confirm, Expect, WriteSteps};

const ORIGINAL: &str = "# keep me\nclientId=old\n";

struct Never;
impl Confirm for Never {
    fn interactive(&self) -> bool {
        false
    }
    fn ask(&self, _: &str) -> bool {
        false
    }
}

/// Fails after the temporary file is complete.
struct FailBeforeRename;
impl WriteSteps for FailBeforeRename {
    fn before_rename(&self, tmp: &Path, _dest: &Path) -> std::io::Result<()> {
        assert!(tmp.exists(), "the temporary file exists at this point");
        Err(std::io::Error::other("injected: disk full"))
    }
}

/// Another program replaces the destination (new inode) while adsconf works.
struct ReplaceDest;
impl WriteSteps for ReplaceDest {
    fn before_rename(&self, _tmp: &Path, dest: &Path) -> std::io::Result<()> {
        let other = dest.with_file_name("editor-save.tmp");
        fs::write(&other, "clientId=theirs\n")?;
        fs::rename(&other, dest)
    }
}

/// Another program edits the destination in place (same inode, same length).
struct EditInPlace;
impl WriteSteps for EditInPlace {
    fn before_rename(&self, _tmp: &Path, dest: &Path) -> std::io::Result<()> {
        let t = fs::read_to_string(dest)?.replace("old", "new");
        fs::write(dest, t)
    }
}

fn no_temp_files(dir: &Path) {
    let names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains(".adsconf-")),
        "temporary file left: {names:?}"
    );
}

/// Run `set clientId=new` through the change flow with `steps`.
fn set_with(dir: &Path, steps: &dyn WriteSteps, backup: bool) -> adsconf::error::Result<i32> {
    let f = dir.join("googleads.properties");
    let (snap, src, parsed) = write::load_for_change(&f, Some(Lang::Perl)).unwrap();
    let assigns =
        adsconf::change::assignments(Lang::Perl, &[("client_id".into(), "new".into())], &[])
            .unwrap();
    let new_text = adsconf::change::edited_text(&src, &parsed, &assigns).unwrap();
    let opts = WriteOpts {
        yes: true,
        backup,
        // The values are odd on purpose; the judge has its own tests (write_judge.rs).
        force: true,
        ..Default::default()
    };
    write::apply_change_with(
        &Change {
            path: &f,
            lang: Lang::Perl,
            old: Some((&src, &parsed, &snap)),
            new_text: &new_text,
            encoding: src.encoding,
            secrets: &[],
        },
        &opts,
        &Never,
        steps,
    )
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("googleads.properties"), ORIGINAL).unwrap();
    dir
}

#[test]
fn injected_write_error_leaves_the_original() {
    let dir = setup();
    let e = set_with(dir.path(), &FailBeforeRename, true).unwrap_err();
    assert!(e.message.contains("disk full"), "{e}");
    assert!(e.message.contains("googleads.properties"), "{e}");
    let f = dir.path().join("googleads.properties");
    assert_eq!(fs::read_to_string(&f).unwrap(), ORIGINAL);
    assert!(!dir.path().join("googleads.properties.bak").exists());
    no_temp_files(dir.path());
    // The same flow without the fault writes.
    assert_eq!(set_with(dir.path(), &write::RealSteps, false).unwrap(), 0);
    assert_eq!(fs::read_to_string(&f).unwrap(), "# keep me\nclientId=new\n");
}

#[test]
fn file_replaced_during_the_run_is_not_overwritten() {
    let dir = setup();
    let e = set_with(dir.path(), &ReplaceDest, true).unwrap_err();
    assert_eq!(e.code(), 1, "a refusal");
    assert!(e.message.contains("changed on disk"), "{e}");
    let f = dir.path().join("googleads.properties");
    assert_eq!(fs::read_to_string(&f).unwrap(), "clientId=theirs\n");
    assert!(!dir.path().join("googleads.properties.bak").exists());
    no_temp_files(dir.path());

    let dir = setup();
    let e = set_with(dir.path(), &EditInPlace, false).unwrap_err();
    assert!(e.message.contains("changed on disk"), "{e}");
    assert_eq!(
        fs::read_to_string(dir.path().join("googleads.properties")).unwrap(),
        "# keep me\nclientId=new\n",
        "their edit stays"
    );
    no_temp_files(dir.path());
}

#[test]
fn a_new_file_never_replaces_one_that_appeared() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("new.properties");
    struct Appear;
    impl WriteSteps for Appear {
        fn before_rename(&self, _tmp: &Path, dest: &Path) -> std::io::Result<()> {
            fs::write(dest, "theirs\n")
        }
    }
    let e = write::write_file(&f, b"ours\n", &Expect::Absent, None, &Appear).unwrap_err();
    assert!(e.message.contains("appeared"), "{e}");
    assert_eq!(fs::read_to_string(&f).unwrap(), "theirs\n");
    no_temp_files(dir.path());
}

#[test]
fn unwritable_directory_leaves_the_original() {
    let dir = setup();
    let sub = dir.path().join("ro");
    fs::create_dir(&sub).unwrap();
    let f = sub.join("googleads.properties");
    fs::write(&f, ORIGINAL).unwrap();
    fs::set_permissions(&f, fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&sub, fs::Permissions::from_mode(0o555)).unwrap();
    let bin = env!("CARGO_BIN_EXE_adsconf");
    let args = [
        "set",
        "googleads.properties",
        "client_id=new",
        "--yes",
        "--force",
    ];
    // Root ignores directory permissions: run as `nobody` through setpriv when we are root.
    let root = fs::write(sub.join("probe"), "x").is_ok();
    let mut cmd = if root {
        let _ = fs::remove_file(sub.join("probe"));
        let Some(setpriv) = common::judge("setpriv") else {
            return;
        };
        let mut c = std::process::Command::new(setpriv);
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
        c
    } else {
        std::process::Command::new(bin)
    };
    let out = cmd
        .args(args)
        .current_dir(&sub)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    fs::set_permissions(&sub, fs::Permissions::from_mode(0o700)).unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("permission denied") && err.contains("directory must be writable"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&f).unwrap(), ORIGINAL);
    no_temp_files(&sub);
}

#[test]
fn not_on_a_terminal_without_yes_writes_nothing() {
    let dir = setup();
    let f = dir.path().join("googleads.properties");
    let (snap, src, parsed) = write::load_for_change(&f, Some(Lang::Perl)).unwrap();
    let code = write::apply_change_with(
        &Change {
            path: &f,
            lang: Lang::Perl,
            old: Some((&src, &parsed, &snap)),
            new_text: "clientId=x\n",
            encoding: src.encoding,
            secrets: &[],
        },
        &WriteOpts {
            force: true,
            ..WriteOpts::default()
        },
        &Never,
        &FailBeforeRename,
    )
    .unwrap();
    assert_eq!(code, 1);
    assert_eq!(fs::read_to_string(&f).unwrap(), ORIGINAL);
    no_temp_files(dir.path());
}
