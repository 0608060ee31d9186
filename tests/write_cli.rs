//! The write flow seen from the command line (CONTRACT §3 `generate -o`, `set`, `fix`; §5):
//! refusal without `--yes` off a terminal, `--dry-run` exit codes, masked secrets in every
//! diff, file modes, symbolic links, backups, `generate -o` over an existing file, and the
//! interactive confirmation on a pseudo-terminal.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;

/// adsconf with `--force` on the writing commands: these tests are about the write flow
/// (diff, consent, modes, links, masking), not the values, which are deliberately odd
/// (`client_id=new`); the write judge has its own tests (tests/write_judge.rs). Its report
/// goes through the same masking, so the secret canaries below still watch it.
fn adsconf(dir: &Path, args: &[&str]) -> Output {
    let mut a: Vec<&str> = args.to_vec();
    if matches!(
        args.first(),
        Some(&"set") | Some(&"fix") | Some(&"generate")
    ) {
        a.push("--force");
    }
    common::adsconf(dir, &a)
}

const SECRET: &str = "CANARYsecretAAAA1111";
const SECRET2: &str = "CANARYsecretBBBB2222";
const TOKEN: &str = "1//0CANARYrefreshtoken";
const SHORT: &str = "s3kr";
const PROXY_PW: &str = "CANARYproxy";

/// A commented Perl config holding canary secrets.
fn config() -> String {
    format!(
        "# My Google Ads settings\n\n### Google Ads ###\ndeveloperToken={SHORT}\n\n# OAuth\nclientId=123.apps.googleusercontent.com\nclientSecret={SECRET}\nrefreshToken={TOKEN}\n# proxy with a password\nproxy=http://me:{PROXY_PW}@proxy.example:8080\n"
    )
}

fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("googleads.properties");
    fs::write(&f, config()).unwrap();
    (dir, f)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// No secret value (old or new) ever appears in the output.
fn assert_no_secrets(o: &Output) {
    let t = text(o);
    for s in [SECRET, SECRET2, TOKEN, "CANARYrefresh", PROXY_PW, "s3kr"] {
        assert!(!t.contains(s), "secret {s:?} printed:\n{t}");
    }
}

fn no_temp_files(dir: &Path) {
    for e in fs::read_dir(dir).unwrap() {
        let n = e.unwrap().file_name().to_string_lossy().to_string();
        assert!(!n.contains(".adsconf-"), "temporary file left: {n}");
    }
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn refuses_without_yes_when_not_on_a_terminal() {
    let (dir, f) = setup();
    let o = adsconf(
        dir.path(),
        &[
            "set",
            "googleads.properties",
            "login_customer_id=1234567890",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--yes") && err.contains("not written"),
        "{err}"
    );
    assert!(err.contains("+loginCustomerId=1234567890"), "{err}");
    assert!(
        err.contains("--- googleads.properties\n+++ googleads.properties (after)\n"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&f).unwrap(), config());
    assert_no_secrets(&o);
    no_temp_files(dir.path());
}

#[test]
fn the_done_when_one_line_diff() {
    // A new user's commented file: one added line in the diff, nothing else changed.
    let (dir, f) = setup();
    let o = adsconf(
        dir.path(),
        &[
            "set",
            "googleads.properties",
            "login_customer_id=1234567890",
            "--yes",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    let changed: Vec<&str> = err
        .lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .collect();
    assert_eq!(changed, ["+loginCustomerId=1234567890"], "{err}");
    assert_eq!(
        fs::read_to_string(&f).unwrap(),
        format!("{}loginCustomerId=1234567890\n", config())
    );
    assert_no_secrets(&o);
}

#[test]
fn dry_run_exit_codes_and_unchanged_files() {
    let (dir, f) = setup();
    let before = fs::metadata(&f).unwrap().modified().unwrap();
    // Would change: diff shown, exit 1, nothing written.
    let o = adsconf(
        dir.path(),
        &[
            "set",
            "googleads.properties",
            "client_secret=CANARYsecretBBBB2222",
            "--dry-run",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("dry run"), "{}", text(&o));
    assert_eq!(fs::read_to_string(&f).unwrap(), config());
    assert_no_secrets(&o);
    // No change: exit 0, with or without --dry-run, and the file is not rewritten.
    for extra in [&["--dry-run"][..], &[][..], &["--yes"][..]] {
        let mut args = vec![
            "set",
            "googleads.properties",
            "client_id=123.apps.googleusercontent.com",
        ];
        args.extend_from_slice(extra);
        let o = adsconf(dir.path(), &args);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        assert!(text(&o).contains("already up to date"), "{}", text(&o));
    }
    assert_eq!(fs::metadata(&f).unwrap().modified().unwrap(), before);
    no_temp_files(dir.path());
}

#[test]
fn secrets_masked_in_every_diff() {
    let (dir, _f) = setup();
    // Change every secret, short and long, and the proxy password.
    let o = adsconf(
        dir.path(),
        &[
            "set",
            "googleads.properties",
            &format!("client_secret={SECRET2}"),
            "developer_token=zz",
            "refresh_token=1//0CANARYrefreshtoken-2",
            "http_proxy=http://me:CANARYproxy2@proxy.example:8080",
            "--dry-run",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_no_secrets(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    // The change is still visible: masked lines differ.
    for line in [
        "-clientSecret=CANA…\n",
        "+clientSecret=CANA… (changed)\n",
        "-developerToken=…\n",
        "+developerToken=… (changed)\n",
        "+proxy=http://me:CANA…@proxy.example:8080 (changed)\n",
    ] {
        assert!(err.contains(line), "{line:?} missing:\n{err}");
    }
    // generate -o over the file (in place and --replace), from a TOML holding other canaries.
    fs::write(
        dir.path().join("adsconf.toml"),
        format!(
            "client_secret = \"{SECRET2}\"\nrefresh_token = \"{TOKEN}x\"\nclient_id = \"id\"\n"
        ),
    )
    .unwrap();
    for extra in [&[][..], &["--replace"][..]] {
        let mut args = vec![
            "generate",
            "perl",
            "-o",
            "googleads.properties",
            "--dry-run",
        ];
        args.extend_from_slice(extra);
        let o = adsconf(dir.path(), &args);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert_no_secrets(&o);
        assert!(text(&o).contains("+clientSecret=CANA…"), "{}", text(&o));
    }
    // A new file's diff (dry run) is masked too.
    let o = adsconf(
        dir.path(),
        &["generate", "perl", "-o", "new.properties", "--dry-run"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("--- /dev/null"), "{}", text(&o));
    assert_no_secrets(&o);
    assert!(!dir.path().join("new.properties").exists());
}

#[test]
fn new_files_are_0600_and_modes_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("adsconf.toml"),
        format!("client_id = \"id\"\nclient_secret = \"{SECRET}\"\n"),
    )
    .unwrap();
    let o = adsconf(
        dir.path(),
        &["generate", "perl", "-o", "googleads.properties"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_no_secrets(&o);
    let f = dir.path().join("googleads.properties");
    assert_eq!(mode(&f), 0o600);
    assert!(
        text(&o).contains("wrote googleads.properties"),
        "{}",
        text(&o)
    );
    fs::set_permissions(&f, fs::Permissions::from_mode(0o640)).unwrap();
    let o = adsconf(
        dir.path(),
        &["set", "googleads.properties", "client_id=other", "--yes"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(mode(&f), 0o640);
    assert!(fs::read_to_string(&f).unwrap().contains("clientId=other\n"));
    no_temp_files(dir.path());
}

#[test]
fn symlinks_are_refused_unless_followed() {
    let (dir, f) = setup();
    let link = dir.path().join("link.properties");
    std::os::unix::fs::symlink(&f, &link).unwrap();
    let o = adsconf(
        dir.path(),
        &[
            "set",
            "link.properties",
            "client_id=viaLink",
            "--yes",
            "--lang",
            "perl",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("symbolic link") && text(&o).contains("--follow-symlinks"));
    assert_eq!(fs::read_to_string(&f).unwrap(), config());
    let o = adsconf(
        dir.path(),
        &[
            "set",
            "link.properties",
            "client_id=viaLink",
            "--yes",
            "--lang",
            "perl",
            "--follow-symlinks",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(fs::read_to_string(&f)
        .unwrap()
        .contains("clientId=viaLink\n"));
    no_temp_files(dir.path());
}

#[test]
fn backup_keeps_the_previous_file_and_its_mode() {
    let (dir, f) = setup();
    fs::set_permissions(&f, fs::Permissions::from_mode(0o640)).unwrap();
    let o = adsconf(
        dir.path(),
        &[
            "set",
            "googleads.properties",
            "client_id=new",
            "--yes",
            "--backup",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let bak = dir.path().join("googleads.properties.bak");
    assert_eq!(fs::read_to_string(&bak).unwrap(), config());
    assert_eq!(mode(&bak), 0o640);
    assert_eq!(mode(&f), 0o640);
    assert!(fs::read_to_string(&f).unwrap().contains("clientId=new\n"));
    assert!(text(&o).contains("googleads.properties.bak"));
    no_temp_files(dir.path());
}

#[test]
fn unset_removes_and_empty_value_sets_empty() {
    let (dir, f) = setup();
    let o = adsconf(
        dir.path(),
        &[
            "set",
            "googleads.properties",
            "--unset",
            "http_proxy",
            "client_id=",
            "--yes",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_no_secrets(&o);
    let t = fs::read_to_string(&f).unwrap();
    assert!(
        !t.contains("proxy=") && t.contains("# proxy with a password\n"),
        "{t}"
    );
    assert!(t.contains("\nclientId=\n"), "{t}");
    // Errors of use: unknown key (with a suggestion), no `=`.
    let o = adsconf(
        dir.path(),
        &["set", "googleads.properties", "login_customer_idd=1"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("did you mean `login_customer_id`"),
        "{}",
        text(&o)
    );
    let o = adsconf(
        dir.path(),
        &["set", "missing.properties", "client_id=x", "--yes"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("does not exist") && text(&o).contains("generate"),
        "{}",
        text(&o)
    );
    assert!(!dir.path().join("missing.properties").exists());
    let o = adsconf(dir.path(), &["set", "googleads.properties", "client_id"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("KEY=VALUE"), "{}", text(&o));
}

#[test]
fn generate_o_updates_an_existing_config_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let template = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/official/perl/googleads.properties"
    ))
    .unwrap();
    let f = dir.path().join("googleads.properties");
    fs::write(&f, &template).unwrap();
    fs::write(
        dir.path().join("adsconf.toml"),
        format!(
            "client_id = \"id.apps.googleusercontent.com\"\nclient_secret = \"{SECRET}\"\nrefresh_token = \"{TOKEN}\"\nlogin_customer_id = \"0123456789\"\n"
        ),
    )
    .unwrap();
    let o = adsconf(
        dir.path(),
        &["generate", "perl", "-o", "googleads.properties"],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "not on a terminal, no --yes: {}",
        text(&o)
    );
    assert_eq!(fs::read_to_string(&f).unwrap(), template);
    let o = adsconf(
        dir.path(),
        &["generate", "perl", "-o", "googleads.properties", "--yes"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_no_secrets(&o);
    let new = fs::read_to_string(&f).unwrap();
    // Every comment of the original survives, in order.
    let comments = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with('#'))
            .map(String::from)
            .collect()
    };
    assert_eq!(comments(&new), comments(&template));
    assert!(new.contains(&format!("clientSecret={SECRET}\n")));
    assert!(new.contains("loginCustomerId=0123456789"));
    // The developer token the sources do not hold is kept, and a note says so.
    assert!(new.contains("developerToken=INSERT_DEVELOPER_TOKEN_HERE"));
    assert!(text(&o).contains("keeps `developer_token`"), "{}", text(&o));
    // Again: nothing to do.
    let o = adsconf(
        dir.path(),
        &["generate", "perl", "-o", "googleads.properties"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("already up to date"));
    // --replace: exactly what `generate` prints.
    let o = adsconf(
        dir.path(),
        &[
            "generate",
            "perl",
            "-o",
            "googleads.properties",
            "--replace",
            "--yes",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let stdout = adsconf(dir.path(), &["generate", "perl"]).stdout;
    assert_eq!(fs::read(&f).unwrap(), stdout);
    no_temp_files(dir.path());
}

#[test]
fn generate_o_refuses_a_file_of_another_format() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("adsconf.toml"), "client_id = \"id\"\n").unwrap();
    let yaml = "# my python config\nclient_id: x\n";
    fs::write(dir.path().join("google-ads.yaml"), yaml).unwrap();
    let o = adsconf(
        dir.path(),
        &["generate", "perl", "-o", "google-ads.yaml", "--yes"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("--replace") && t.contains("python"), "{t}");
    assert_eq!(
        fs::read_to_string(dir.path().join("google-ads.yaml")).unwrap(),
        yaml
    );
}

/// Run `cmd` on a pseudo-terminal (util-linux `script`), feeding `input`.
fn on_pty(dir: &Path, cmd: &str, input: &str) -> Option<Output> {
    let script = common::require("script")?;
    use std::io::Write;
    let mut child = std::process::Command::new(script)
        .args(["-qec", cmd, "/dev/null"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    Some(child.wait_with_output().unwrap())
}

#[test]
fn interactive_confirm_on_a_terminal() {
    let (dir, f) = setup();
    let bin = common::bin().display().to_string();
    let cmd = format!("{bin} set googleads.properties client_id=typed --force");
    let Some(o) = on_pty(dir.path(), &cmd, "\n") else {
        return;
    };
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("[y/N]"), "{}", text(&o));
    assert_eq!(
        fs::read_to_string(&f).unwrap(),
        config(),
        "empty answer writes nothing"
    );
    assert_no_secrets(&o);
    let o = on_pty(dir.path(), &cmd, "y\n").unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(fs::read_to_string(&f).unwrap().contains("clientId=typed\n"));
    assert_no_secrets(&o);
}

/// The changed lines of a diff printed on stderr.
fn changed_lines(err: &str) -> Vec<String> {
    err.lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .map(String::from)
        .collect()
}

#[test]
fn the_done_when_on_the_official_yaml() {
    // The "done when": a new user sets the login customer id in their commented
    // google-ads.yaml and sees a one-line change; nothing else in the file moves.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("google-ads.yaml");
    let original = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/official/python/google-ads.yaml"
    ))
    .unwrap();
    fs::write(&f, &original).unwrap();
    let o = adsconf(
        dir.path(),
        &[
            "set",
            "google-ads.yaml",
            "login_customer_id=1234567890",
            "--yes",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    let changed = changed_lines(&err);
    assert_eq!(changed.len(), 2, "one line replaced: {err}");
    assert!(changed[0].starts_with("-login_customer_id:"), "{err}");
    assert!(changed[1].starts_with("+login_customer_id:") && changed[1].contains("1234567890"));
    let new = fs::read_to_string(&f).unwrap();
    let (a, b): (Vec<&str>, Vec<&str>) = (original.lines().collect(), new.lines().collect());
    assert_eq!(a.len(), b.len());
    let differing: Vec<_> = a.iter().zip(&b).filter(|(x, y)| x != y).collect();
    assert_eq!(differing.len(), 1, "{differing:?}");
    // A user's file without the key: one added line.
    let mine = "# my settings\nclient_id: abc.apps.googleusercontent.com\n# the secret\nclient_secret: CANARYsecretAAAA1111\n";
    fs::write(&f, mine).unwrap();
    let o = adsconf(
        dir.path(),
        &[
            "set",
            "google-ads.yaml",
            "login_customer_id=1234567890",
            "--yes",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_no_secrets(&o);
    let changed = changed_lines(&String::from_utf8_lossy(&o.stderr));
    assert_eq!(changed.len(), 1, "{}", text(&o));
    assert!(changed[0].starts_with("+login_customer_id:"));
    let new = fs::read_to_string(&f).unwrap();
    assert!(new.starts_with(mine), "{new}");
}
