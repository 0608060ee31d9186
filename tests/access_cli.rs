//! `adsconf access --hierarchy`: text, JSON (exact CONTRACT shape), DOT, Mermaid, and the
//! exit codes of `--user U --customer C`.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::json;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/hierarchy.toml")
}

fn run(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let ex = example();
    let mut all = vec!["access", "--hierarchy", ex.to_str().unwrap()];
    all.extend_from_slice(args);
    common::adsconf(dir.path(), &all)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const M1: &str = "1000000001";
const M2: &str = "1000000002";
const M3: &str = "1000000003";
const A1: &str = "2000000001";
const A2: &str = "2000000002";
const A3: &str = "2000000003";
const A4: &str = "2000000004";

fn callable(ids: &[&str], role: &str) -> serde_json::Value {
    ids.iter()
        .map(|i| json!({"customer_id": i, "role": role}))
        .collect()
}

#[test]
fn json_has_the_contract_shape_exactly() {
    let o = run(&["--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let got: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let m1_login =
        json!({"login_customer_id": M1, "callable": callable(&[M1, M2, A1, A2, A3], "standard")});
    let expected = json!({"users": [
        {"user": "U1", "direct": [M1], "indirect": [M2, A1, A2, A3], "logins": [m1_login.clone()]},
        {"user": "SA1", "direct": [M1], "indirect": [M2, A1, A2, A3], "logins": [m1_login]},
        {"user": "U2", "direct": [M2, M3], "indirect": [A1, A2, A3, A4], "logins": [
            {"login_customer_id": M2, "callable": callable(&[M2, A1, A2, A3], "standard")},
            {"login_customer_id": M3, "callable": callable(&[M3, A1, A4], "read_only")},
        ]},
        {"user": "U3", "direct": [A4], "indirect": [], "logins": [
            {"login_customer_id": A4, "callable": callable(&[A4], "standard")},
        ]},
    ]});
    assert_eq!(got, expected);
}

#[test]
fn user_filter_by_name_and_unknown_user() {
    let o = run(&["--format", "json", "--user", "U2"]);
    assert_eq!(o.status.code(), Some(0));
    let got: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(got["users"].as_array().unwrap().len(), 1);
    assert_eq!(got["users"][0]["user"], "U2");

    let o = run(&["--user", "UU2"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("no user `UU2`") && e.contains("did you mean `U2`"),
        "{e}"
    );
    assert!(stdout(&o).is_empty());
}

#[test]
fn options_best_first_and_exit_codes() {
    // A1 by dashed id: standard via M2 first, read-only via M3 second.
    let o = run(&[
        "--user",
        "U2",
        "--customer",
        "200-000-0001",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let got: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        got,
        json!({"user": "U2", "customer_id": A1, "options": [
            {"login_customer_id": M2, "role": "standard", "header_required": true},
            {"login_customer_id": M3, "role": "read_only", "header_required": true},
        ]})
    );
    // Direct access: header may be omitted.
    let o = run(&["--user", "U3", "--customer", "A4", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let got: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(got["options"][0]["header_required"], false);
    // Text names the best login.
    let o = run(&["--user", "U2", "--customer", "A1"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("login_customer_id = \"1000000002\""),
        "{}",
        stdout(&o)
    );

    // No option: empty list, exit 1, explanation naming the managers above.
    let o = run(&["--user", "U3", "--customer", "A1", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let got: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(got, json!({"user": "U3", "customer_id": A1, "options": []}));
    let e = stderr(&o);
    assert!(e.contains("M2 or M3") && e.contains("M1 → M2 → A1"), "{e}");
    let o = run(&["--user", "U2", "--customer", "M1"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("no manager above it"), "{}", stdout(&o));

    // Unknown customer: error of use with a suggestion.
    let o = run(&["--user", "U2", "--customer", "A5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no account `A5`"), "{}", stderr(&o));
    // --customer needs --user (clap).
    let o = run(&["--customer", "A1"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Statements of a DOT graph we produce: node ids with attributes, and edges.
type Links = BTreeSet<(String, String)>;
type Grants = BTreeSet<(String, String, String)>;

fn dot_edges(text: &str) -> (Links, Grants) {
    let mut links = BTreeSet::new();
    let mut grants = BTreeSet::new();
    for line in text.lines() {
        let l = line.trim();
        let Some((a, rest)) = l.split_once(" -> ") else {
            continue;
        };
        let a = a.trim_matches('"').to_string();
        let b = rest
            .split(['[', ';'])
            .next()
            .unwrap()
            .trim()
            .trim_matches('"')
            .to_string();
        if let Some(label) = rest.split("label=\"").nth(1) {
            assert!(rest.contains("style=dashed"), "{l}");
            grants.insert((a, b, label.split('"').next().unwrap().to_string()));
        } else {
            links.insert((a, b));
        }
    }
    (links, grants)
}

fn expected_links() -> BTreeSet<(String, String)> {
    [(M1, M2), (M2, A1), (M2, A2), (M2, A3), (M3, A1), (M3, A4)]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn dot_draws_links_and_grants() {
    let o = run(&["--format", "dot"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.starts_with("digraph ") && text.trim_end().ends_with('}'));
    let (links, grants) = dot_edges(&text);
    assert_eq!(links, expected_links());
    let want: BTreeSet<(String, String, String)> = [
        ("user:U1", M1, "standard"),
        ("user:SA1", M1, "standard"),
        ("user:U2", M2, "standard"),
        ("user:U2", M3, "read_only"),
        ("user:U3", A4, "standard"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(grants, want);
    // Managers and clients are styled differently.
    let style = |id: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(&format!("\"{id}\" [")))
            .unwrap()
            .to_string()
    };
    assert!(style(M1).contains("shape=box") && style(A1).contains("shape=ellipse"));
    assert!(style("user:SA1").contains("hexagon"));

    // The real parser: Graphviz (installed by .ci/run; a skip locally without it).
    if let Some(dot) = common::require("dot") {
        {
            use std::io::Write;
            let mut child = std::process::Command::new(dot)
                .arg("-Tsvg")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn dot_escapes_awkward_names() {
    let dir = tempfile::tempdir().unwrap();
    let h = dir.path().join("h.toml");
    std::fs::write(
        &h,
        "[[account]]\nid = \"1000000001\"\nname = 'Agency \"North\" \\ co'\nmanager = true\n\n[[user]]\nname = \"a\\\"b@example.com\"\naccess = { \"1000000001\" = \"admin\" }\n",
    )
    .unwrap();
    let o = common::adsconf(
        dir.path(),
        &["access", "--hierarchy", "h.toml", "--format", "dot"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains(r#"label="Agency \"North\" \\ co\n1000000001""#),
        "{text}"
    );
    assert!(text.contains(r#""user:a\"b@example.com""#), "{text}");
    let o = common::adsconf(
        dir.path(),
        &["access", "--hierarchy", "h.toml", "--format", "mermaid"],
    );
    let text = stdout(&o);
    assert!(
        text.contains("Agency #quot;North#quot; \\ co<br/>1000000001"),
        "{text}"
    );
}

#[test]
fn mermaid_draws_links_and_grants() {
    let o = run(&["--format", "mermaid"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.starts_with("flowchart TD\n"));
    let links: BTreeSet<(String, String)> = text
        .lines()
        .filter_map(|l| l.trim().split_once(" --> "))
        .map(|(a, b)| {
            (
                a.trim_start_matches('a').to_string(),
                b.trim_start_matches('a').to_string(),
            )
        })
        .collect();
    assert_eq!(links, expected_links());
    let grants: Vec<&str> = text.lines().filter(|l| l.contains(" -.->|")).collect();
    assert_eq!(grants.len(), 5, "{text}");
    assert!(text.contains(&format!("-.->|read_only| a{M3}")), "{text}");
    assert!(
        text.contains(&format!("a{M1}[\"M1<br/>{M1}\"]:::manager")),
        "{text}"
    );
    assert!(
        text.contains(&format!("a{A4}(\"A4<br/>{A4}\"):::client")),
        "{text}"
    );
    assert!(text.contains("([\"SA1\"]):::serviceAccount"), "{text}");
    assert!(text.contains("classDef manager") && text.contains("classDef client"));
    // --customer only answers in text or json.
    let o = run(&["--format", "mermaid", "--user", "U2", "--customer", "A1"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn missing_file_is_one_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let o = common::adsconf(dir.path(), &["access", "--hierarchy", "nope.toml"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("nope.toml") && e.lines().count() == 1, "{e}");
}
