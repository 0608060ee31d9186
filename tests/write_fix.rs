//! `adsconf fix`: the safe fixes `check` reports, applied through the same diff / confirm /
//! atomic-write flow as `set`; nothing else in the file changes.

mod common;

use std::fs;

use common::adsconf;

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Files where a customer id is written with dashes, per format (name, text, the fixed
/// line as the real parser must read it afterwards).
fn dashed() -> Vec<(&'static str, String, &'static str)> {
    vec![
        (
            "google-ads.yaml",
            "# my config\nclient_id: abc.apps.googleusercontent.com\nclient_secret: CANARYtokenvalue123\nlogin_customer_id: 123-456-7890\nuse_proto_plus: true\n".into(),
            "login_customer_id: '1234567890'",
        ),
        (
            "google_ads_php.ini",
            "; my PHP settings\n[GOOGLE_ADS]\nloginCustomerId = \"123-456-7890\"\n\n[OAUTH2]\nclientSecret = \"CANARYtokenvalue123\"\n".into(),
            "loginCustomerId = \"1234567890\"",
        ),
        (
            "googleads.properties",
            "# Perl settings\n# keep = me\nclientId=abc\nloginCustomerId=123-456-7890\n\nrefreshToken=CANARYtokenvalue123\n".into(),
            "loginCustomerId=1234567890",
        ),
        (
            "ads.properties",
            "# Java settings\napi.googleads.clientId=abc\napi.googleads.loginCustomerId=123-456-7890\napi.googleads.refreshToken=CANARYtokenvalue123\n".into(),
            "api.googleads.loginCustomerId=1234567890",
        ),
    ]
}

#[test]
fn fix_removes_dashes_and_nothing_else() {
    for (name, original, fixed_line) in dashed() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join(name);
        fs::write(&f, &original).unwrap();
        // Dry run: exit 1, diff shown, nothing written, no secret printed.
        let o = adsconf(dir.path(), &["fix", name, "--dry-run"]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", text(&o));
        assert!(text(&o).contains(&format!("+{fixed_line}")), "{}", text(&o));
        assert!(!text(&o).contains("CANARYtokenvalue"), "{}", text(&o));
        assert_eq!(fs::read_to_string(&f).unwrap(), original);
        // Not on a terminal: refused without --yes.
        let o = adsconf(dir.path(), &["fix", name]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert_eq!(fs::read_to_string(&f).unwrap(), original);
        let o = adsconf(dir.path(), &["fix", name, "--yes"]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", text(&o));
        let new = fs::read_to_string(&f).unwrap();
        let want = original
            .lines()
            .map(|l| {
                if l.contains("123-456-7890") {
                    fixed_line.to_string()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n";
        assert_eq!(new, want, "{name}");
        // Fixed: nothing more to do.
        let o = adsconf(dir.path(), &["fix", name, "--yes"]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        assert_eq!(fs::read_to_string(&f).unwrap(), want);
    }
}

#[test]
fn fix_reports_every_file_and_keeps_going() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("googleads.properties"),
        "loginCustomerId=123-456-7890\n",
    )
    .unwrap();
    let o = adsconf(
        dir.path(),
        &["fix", "missing.properties", "googleads.properties", "--yes"],
    );
    // The missing file is an error of use (exit 2); the other file is still fixed.
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("missing.properties"), "{}", text(&o));
    assert_eq!(
        fs::read_to_string(dir.path().join("googleads.properties")).unwrap(),
        "loginCustomerId=1234567890\n"
    );
}
