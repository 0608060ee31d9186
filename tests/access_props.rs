//! Property tests on random account hierarchies (forests of managers, clients under up to
//! five managers of different hierarchies, random grants) against a reference written here:
//! reachability by DFS over the generator's own adjacency lists.

use std::collections::{BTreeMap, BTreeSet};

use adsconf::access::model::{parse_hierarchy, to_toml, Hierarchy};
use adsconf::access::{resolve, Role};
use adsconf::source::Source;
use proptest::prelude::*;

const ROLE_NAMES: [&str; 4] = ["admin", "standard", "read_only", "email_only"];

#[derive(Debug, Clone)]
struct Gen {
    /// ids, managers first
    ids: Vec<String>,
    names: Vec<Option<String>>,
    manager: Vec<bool>,
    /// adjacency: index → children indices
    children: Vec<BTreeSet<usize>>,
    /// users: grants index → role index
    users: Vec<BTreeMap<usize, usize>>,
    /// write references with dashes / by name
    style: Vec<u8>,
}

fn gen() -> impl Strategy<Value = Gen> {
    (1usize..6, 0usize..8).prop_flat_map(|(nm, nc)| {
        let n = nm + nc;
        (
            Just(nm),
            Just(nc),
            proptest::collection::vec(proptest::option::of(0usize..nm.max(1)), nm),
            proptest::collection::vec(proptest::collection::vec(any::<bool>(), nm), nc),
            proptest::collection::vec(proptest::collection::btree_map(0..n, 0usize..4, 0..4), 1..4),
            proptest::collection::vec(any::<u8>(), n),
            proptest::collection::vec(any::<bool>(), n),
            proptest::collection::btree_set(1_000_000_000u64..9_999_999_999, n..=n),
        )
            .prop_map(|(nm, nc, mparent, cpick, users, style, named, idset)| {
                let n = nm + nc;
                let ids: Vec<String> = idset.into_iter().map(|i| i.to_string()).collect();
                let mut children = vec![BTreeSet::new(); n];
                // Managers form a forest: parent j < i.
                for (i, p) in mparent.iter().enumerate() {
                    if let Some(p) = p {
                        if *p < i {
                            children[*p].insert(i);
                        }
                    }
                }
                let root = |mut i: usize, children: &Vec<BTreeSet<usize>>| loop {
                    match (0..nm).find(|p| children[*p].contains(&i)) {
                        Some(p) => i = p,
                        None => return i,
                    }
                };
                for (c, picks) in cpick.iter().enumerate() {
                    let mut roots = BTreeSet::new();
                    let mut count = 0;
                    for (m, take) in picks.iter().enumerate() {
                        if *take && count < 5 && roots.insert(root(m, &children)) {
                            children[m].insert(nm + c);
                            count += 1;
                        }
                    }
                }
                let names = (0..n)
                    .map(|i| named[i].then(|| format!("acct {i}")))
                    .collect();
                let manager = (0..n).map(|i| i < nm).collect();
                Gen {
                    ids,
                    names,
                    manager,
                    children,
                    users,
                    style,
                }
            })
    })
}

fn reference(g: &Gen, i: usize) -> String {
    match (g.style[i] % 3, &g.names[i]) {
        (0, Some(n)) => n.clone(),
        (1, _) => {
            let id = &g.ids[i];
            format!("{}-{}-{}", &id[..3], &id[3..6], &id[6..])
        }
        _ => g.ids[i].clone(),
    }
}

fn toml_text(g: &Gen) -> String {
    let mut s = String::new();
    for i in 0..g.ids.len() {
        s.push_str(&format!("[[account]]\nid = \"{}\"\n", g.ids[i]));
        if let Some(n) = &g.names[i] {
            s.push_str(&format!("name = \"{n}\"\n"));
        }
        s.push_str(&format!("manager = {}\n", g.manager[i]));
        let kids: Vec<String> = g.children[i]
            .iter()
            .map(|c| format!("\"{}\"", reference(g, *c)))
            .collect();
        s.push_str(&format!("children = [{}]\n\n", kids.join(", ")));
    }
    for (u, grants) in g.users.iter().enumerate() {
        s.push_str(&format!(
            "[[user]]\nname = \"user{u}@example.com\"\naccess = {{ "
        ));
        let g2: Vec<String> = grants
            .iter()
            .map(|(a, r)| format!("\"{}\" = \"{}\"", reference(g, *a), ROLE_NAMES[*r]))
            .collect();
        s.push_str(&g2.join(", "));
        s.push_str(" }\n\n");
    }
    s
}

/// Reference reachability: DFS over the generator's adjacency.
fn below(g: &Gen, i: usize) -> BTreeSet<usize> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![i];
    while let Some(x) = stack.pop() {
        for c in &g.children[x] {
            if seen.insert(*c) {
                stack.push(*c);
            }
        }
    }
    seen
}

fn ids(g: &Gen, set: impl IntoIterator<Item = usize>) -> Vec<String> {
    let mut v: Vec<String> = set.into_iter().map(|i| g.ids[i].clone()).collect();
    v.sort();
    v
}

fn parse(text: &str) -> Hierarchy {
    match parse_hierarchy(&Source::of(text)) {
        Ok(h) => h,
        Err(e) => panic!("{}\n{text}", e.message),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn direct_indirect_callable_and_options_match_reference(g in gen()) {
        let text = toml_text(&g);
        let h = parse(&text);
        prop_assert_eq!(h.accounts.len(), g.ids.len());
        for (ui, grants) in g.users.iter().enumerate() {
            let u = h.user(&format!("user{ui}@example.com")).unwrap();
            // direct
            let direct: BTreeSet<usize> = grants.keys().copied().collect();
            prop_assert_eq!(resolve::direct(u), ids(&g, direct.iter().copied()));
            // indirect
            let mut ind = BTreeSet::new();
            for d in &direct { ind.extend(below(&g, *d)); }
            let ind: Vec<usize> = ind.difference(&direct).copied().collect();
            prop_assert_eq!(resolve::indirect(&h, u), ids(&g, ind));
            // logins and callable
            let logins = resolve::logins(&h, u);
            prop_assert_eq!(logins.len(), direct.len());
            for l in &logins {
                let li = g.ids.iter().position(|x| *x == l.login).unwrap();
                let mut call = below(&g, li);
                call.insert(li);
                prop_assert_eq!(&l.callable, &ids(&g, call));
                prop_assert_eq!(l.role.as_str(), ROLE_NAMES[grants[&li]]);
            }
            // options for every account, ordered: role rank, header needed last, id
            for c in 0..g.ids.len() {
                let mut want: Vec<(usize, bool, String)> = direct
                    .iter()
                    .filter(|d| **d == c || below(&g, **d).contains(&c))
                    .map(|d| (grants[d], *d != c, g.ids[*d].clone()))
                    .collect();
                want.sort();
                let got: Vec<(usize, bool, String)> = resolve::options(&h, u, &g.ids[c])
                    .into_iter()
                    .map(|o| {
                        let rank = ROLE_NAMES.iter().position(|r| *r == o.role.as_str()).unwrap();
                        (rank, o.header_required, o.login)
                    })
                    .collect();
                prop_assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn login_findings_agree_with_the_reference(g in gen()) {
        use adsconf::access::login_findings;
        let h = parse(&toml_text(&g));
        for (ui, grants) in g.users.iter().enumerate() {
            let uname = format!("user{ui}@example.com");
            for c in 0..g.ids.len() {
                let reaches = |d: usize| d == c || below(&g, d).contains(&c);
                let best = resolve::options(&h, h.user(&uname).unwrap(), &g.ids[c])
                    .first()
                    .map(|o| o.login.clone());
                let f = login_findings(&h, &uname, &g.ids[c], None).unwrap();
                let any = grants.keys().any(|d| reaches(*d));
                let rules: Vec<&str> = f.iter().map(|x| x.rule).collect();
                if !any {
                    prop_assert_eq!(rules, vec!["login-customer-id-unreachable"]);
                } else if grants.contains_key(&c) {
                    prop_assert!(rules.is_empty());
                } else {
                    prop_assert_eq!(rules, vec!["login-customer-id-missing"]);
                    prop_assert_eq!(&f[0].suggested_login, &best);
                }
                for l in 0..g.ids.len() {
                    let dashed = format!("{}-{}-{}", &g.ids[l][..3], &g.ids[l][3..6], &g.ids[l][6..]);
                    let f = login_findings(&h, &uname, &g.ids[c], Some(&dashed)).unwrap();
                    let rules: Vec<&str> = f.iter().map(|x| x.rule).collect();
                    if !grants.contains_key(&l) || !reaches(l) {
                        prop_assert_eq!(rules, vec!["login-customer-id-unreachable"]);
                        prop_assert_eq!(&f[0].suggested_login, &best);
                    } else if l == c {
                        prop_assert_eq!(rules, vec!["login-customer-id-unneeded"]);
                    } else {
                        prop_assert!(rules.is_empty());
                    }
                }
            }
        }
    }

    #[test]
    fn saved_toml_reads_back_identically(g in gen()) {
        let h = parse(&toml_text(&g));
        let again = parse(&to_toml(&h, "round trip"));
        prop_assert_eq!(h, again);
    }

    #[test]
    fn a_back_link_is_refused_as_a_named_cycle(g in gen(), pick in any::<prop::sample::Index>()) {
        // Pick a manager with a descendant manager and link the descendant back to it.
        let pairs: Vec<(usize, usize)> = (0..g.ids.len())
            .filter(|i| g.manager[*i])
            .flat_map(|i| below(&g, i).into_iter().filter(|d| g.manager[*d]).map(move |d| (i, d)))
            .collect();
        prop_assume!(!pairs.is_empty());
        let (top, low) = pairs[pick.index(pairs.len())];
        let mut g2 = g.clone();
        g2.children[low].insert(top);
        let err = parse_hierarchy(&Source::of(&toml_text(&g2))).unwrap_err();
        prop_assert!(err.message.contains("cycle"), "{}", err.message);
        // The named cycle is made of real links and closes on itself.
        let h = parse(&toml_text(&g));
        let inner = err.message.split('(').nth(1).unwrap().split(')').next().unwrap();
        let hops: Vec<&str> = inner.split(" → ").collect();
        prop_assert!(hops.len() >= 3 && hops.first() == hops.last(), "{}", err.message);
        let id_of = |label: &str| -> usize {
            (0..g.ids.len()).find(|i| g.names[*i].as_deref() == Some(label) || g.ids[*i] == label).unwrap()
        };
        for w in hops.windows(2) {
            let (a, b) = (id_of(w[0]), id_of(w[1]));
            prop_assert!(g2.children[a].contains(&b), "{} → {} is not a link", w[0], w[1]);
        }
        let _ = h;
    }

    #[test]
    fn role_order_is_strength(a in 0usize..4, b in 0usize..4) {
        let ra = Role::parse(ROLE_NAMES[a]).unwrap();
        let rb = Role::parse(ROLE_NAMES[b]).unwrap();
        prop_assert_eq!(ra.cmp(&rb), a.cmp(&b));
    }
}
