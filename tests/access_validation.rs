//! Hierarchy files that must be refused: one sentence naming the file and the line.

mod common;

use std::path::{Path, PathBuf};

use adsconf::access::load_hierarchy;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/access")
        .join(name)
}

/// Load a fixture that must fail; check `file:line:` and the words of the message.
fn refused(name: &str, line: usize, words: &[&str]) {
    let path = fixture(name);
    let err = load_hierarchy(&path).expect_err(name);
    let prefix = format!("{}:{line}: ", path.display());
    assert!(
        err.message.starts_with(&prefix),
        "{name}: expected prefix {prefix:?}, got {:?}",
        err.message
    );
    for w in words {
        assert!(
            err.message.contains(w),
            "{name}: {w:?} not in {:?}",
            err.message
        );
    }
    assert!(
        !err.message.contains('\n'),
        "{name}: one sentence: {:?}",
        err.message
    );
    assert_eq!(err.code(), 2);
}

#[test]
fn cycle_is_named() {
    refused("cycle.toml", 5, &["cycle", "M1 → M2 → M1"]);
    refused("long_cycle.toml", 11, &["Mid → Low → Mid"]);
}

#[test]
fn client_with_children() {
    refused(
        "client_children.toml",
        10,
        &["A1", "client", "manager = true"],
    );
}

#[test]
fn unknown_reference() {
    refused("unknown_ref.toml", 5, &["`A2`", "not an account"]);
    refused(
        "unknown_user_account.toml",
        8,
        &["`Agencyy`", "did you mean `Agency`"],
    );
}

#[test]
fn bad_id() {
    refused("bad_id.toml", 7, &["`123-456-789`", "10-digit"]);
    refused("integer_id.toml", 2, &["string"]);
}

#[test]
fn unknown_role() {
    refused(
        "unknown_role.toml",
        8,
        &["`readonly`", "did you mean `read_only`", "ana@example.com"],
    );
}

#[test]
fn duplicates() {
    refused("duplicate_id.toml", 7, &["1000000001", "twice", "line 2"]);
    refused("duplicate_name.toml", 8, &["`M1`", "unique"]);
}

#[test]
fn unknown_key() {
    refused("unknown_key.toml", 4, &["childs"]);
}

#[test]
fn documented_linking_limits() {
    refused(
        "too_many_managers.toml",
        26,
        &["Shop", "6 managers", "at most 5"],
    );
    refused(
        "same_hierarchy.toml",
        14,
        &["Shop", "same manager hierarchy", "Top"],
    );
}

#[test]
fn cli_reports_the_error_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture("cycle.toml");
    let out = common::adsconf(
        dir.path(),
        &["access", "--hierarchy", path.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("cycle.toml:5:"), "{err}");
    assert!(err.contains("M1 → M2 → M1"), "{err}");
    assert!(out.stdout.is_empty());
}
