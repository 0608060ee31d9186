//! The three tables of Google's access-model page (seed document 003), reproduced from
//! `examples/hierarchy.toml`: who has direct / indirect access to what, which
//! login-customer-id gives which callable accounts, and the effective roles.

mod common;

use std::path::Path;

use adsconf::access::{load_hierarchy, model::Hierarchy, resolve, Role};

fn seed() -> Hierarchy {
    load_hierarchy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/hierarchy.toml")).unwrap()
}

fn names(h: &Hierarchy, ids: &[String]) -> Vec<String> {
    ids.iter().map(|i| h.label(i)).collect()
}

#[test]
fn table_1_direct_and_indirect_access() {
    let h = seed();
    // Utilisateur | a directement accès à | A un accès indirect à
    let expected: &[(&str, &[&str], &[&str])] = &[
        ("U1", &["M1"], &["M2", "A1", "A2", "A3"]),
        ("SA1", &["M1"], &["M2", "A1", "A2", "A3"]),
        ("U2", &["M2", "M3"], &["A1", "A2", "A3", "A4"]),
        ("U3", &["A4"], &[]),
    ];
    assert_eq!(h.users.len(), expected.len());
    for (user, direct, indirect) in expected {
        let u = h.user(user).unwrap();
        assert_eq!(names(&h, &resolve::direct(u)), *direct, "{user} direct");
        assert_eq!(
            names(&h, &resolve::indirect(&h, u)),
            *indirect,
            "{user} indirect"
        );
    }
    assert!(h.user("SA1").unwrap().service_account);
}

#[test]
fn table_2_login_customer_ids_and_callable_accounts() {
    let h = seed();
    // Utilisateur | Numéro client à utiliser pour la connexion | Comptes pour effectuer des appels
    let expected: &[(&str, &str, &[&str])] = &[
        ("U1", "M1", &["M1", "M2", "A1", "A2", "A3"]),
        ("SA1", "M1", &["M1", "M2", "A1", "A2", "A3"]),
        ("U2", "M2", &["M2", "A1", "A2", "A3"]),
        ("U2", "M3", &["M3", "A1", "A4"]),
        ("U3", "A4", &["A4"]),
    ];
    let mut got = Vec::new();
    for u in &h.users {
        for l in resolve::logins(&h, u) {
            got.push((u.name.clone(), h.label(&l.login), names(&h, &l.callable)));
        }
    }
    let expected: Vec<(String, String, Vec<String>)> = expected
        .iter()
        .map(|(u, l, c)| {
            (
                u.to_string(),
                l.to_string(),
                c.iter().map(|s| s.to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    // The header may be omitted when U3 calls A4 (direct access), not when U2 calls A1.
    let u3 = h.user("U3").unwrap();
    let a4 = h.find_account("A4").unwrap().id.clone();
    assert!(!resolve::options(&h, u3, &a4)[0].header_required);
    let u2 = h.user("U2").unwrap();
    let a1 = h.find_account("A1").unwrap().id.clone();
    assert!(resolve::options(&h, u2, &a1)
        .iter()
        .all(|o| o.header_required));
}

#[test]
fn table_3_effective_roles() {
    let h = seed();
    // SA1, standard on M1, login M1: standard on M1, M2, A1, A2, A3
    // U2, standard on M2 + read-only on M3, login M2: standard on M2, A1, A2, A3
    // U2, same grants, login M3: read-only on M3, A1, A4
    let expected: &[(&str, &str, Role, &[&str])] = &[
        ("SA1", "M1", Role::Standard, &["M1", "M2", "A1", "A2", "A3"]),
        ("U2", "M2", Role::Standard, &["M2", "A1", "A2", "A3"]),
        ("U2", "M3", Role::ReadOnly, &["M3", "A1", "A4"]),
    ];
    for (user, login, role, callable) in expected {
        let u = h.user(user).unwrap();
        let l = resolve::logins(&h, u)
            .into_iter()
            .find(|l| h.label(&l.login) == *login)
            .unwrap();
        assert_eq!(l.role, *role, "{user} via {login}");
        assert_eq!(names(&h, &l.callable), *callable, "{user} via {login}");
    }
    // A1 is reached by U2 through both: standard (M2) is the best option, read-only second.
    let u2 = h.user("U2").unwrap();
    let a1 = h.find_account("A1").unwrap().id.clone();
    let opts = resolve::options(&h, u2, &a1);
    let got: Vec<(String, Role)> = opts.iter().map(|o| (h.label(&o.login), o.role)).collect();
    assert_eq!(
        got,
        vec![("M2".into(), Role::Standard), ("M3".into(), Role::ReadOnly)]
    );
}

#[test]
fn text_output_prints_the_three_tables() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/hierarchy.toml");
    let out = common::adsconf(
        dir.path(),
        &["access", "--hierarchy", example.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<String>> = text
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|-"))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    let has = |cells: &[&str]| rows.iter().any(|r| r == cells);
    // Table 1, grouped as in the docs.
    assert!(has(&["U1, SA1", "M1", "M2, A1, A2, A3"]), "{text}");
    assert!(has(&["U2", "M2, M3", "A1, A2, A3, A4"]), "{text}");
    assert!(has(&["U3", "A4", ""]), "{text}");
    // Table 2.
    assert!(
        has(&["U1, SA1", "M1 (1000000001)", "M1, M2, A1, A2, A3"]),
        "{text}"
    );
    assert!(has(&["U2", "M2 (1000000002)", "M2, A1, A2, A3"]), "{text}");
    assert!(has(&["U2", "M3 (1000000003)", "M3, A1, A4"]), "{text}");
    assert!(has(&["U3", "A4 (2000000004)", "A4"]), "{text}");
    // The several-hierarchies note (P27): which accounts need which login.
    assert!(
        text.contains("M3, A4 only through M3; A1 through M2 or M3 (best first)"),
        "{text}"
    );
    // Table 3.
    assert!(
        has(&[
            "U2",
            "standard on M2; read_only on M3",
            "M3",
            "read_only on M3, A1, A4"
        ]),
        "{text}"
    );
    assert!(
        has(&[
            "U1, SA1",
            "standard on M1",
            "M1",
            "standard on M1, M2, A1, A2, A3"
        ]),
        "{text}"
    );
}
