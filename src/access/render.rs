//! Output of `adsconf access`: text tables (the three tables of Google's access-model page),
//! JSON (CONTRACT §4), Graphviz DOT and Mermaid.

use serde_json::{json, Value as Json};

use super::model::{Hierarchy, User};
use super::resolve::{self, CallOption};

/// A Markdown-style table with padded columns (widths count chars).
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c}{}", " ".repeat(widths[i] - c.chars().count())))
            .collect();
        format!("| {} |\n", padded.join(" | "))
    };
    let mut out = line(header.iter().map(|s| s.to_string()).collect());
    out.push_str(&format!(
        "|{}|\n",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("|")
    ));
    for r in rows {
        out.push_str(&line(r.clone()));
    }
    out
}

fn names(h: &Hierarchy, ids: &[String]) -> String {
    ids.iter()
        .map(|i| h.label(i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Group rows that are identical but for the first column (as the docs write "U1, SA1").
fn grouped(rows: Vec<(String, Vec<String>)>) -> Vec<Vec<String>> {
    let mut out: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for (who, rest) in rows {
        match out.iter_mut().find(|(_, r)| *r == rest) {
            Some((w, _)) => w.push(who),
            None => out.push((vec![who], rest)),
        }
    }
    out.into_iter()
        .map(|(w, rest)| {
            let mut row = vec![w.join(", ")];
            row.extend(rest);
            row
        })
        .collect()
}

/// Table 1: direct and indirect access per user.
pub fn access_table(h: &Hierarchy, users: &[&User]) -> String {
    let rows = users
        .iter()
        .map(|u| {
            (
                u.name.clone(),
                vec![
                    names(h, &resolve::direct(u)),
                    names(h, &resolve::indirect(h, u)),
                ],
            )
        })
        .collect();
    table(
        &["User", "Direct access", "Indirect access"],
        &grouped(rows),
    )
}

/// Table 2: which login-customer-id lets each user call which accounts.
pub fn logins_table(h: &Hierarchy, users: &[&User]) -> String {
    let mut rows = Vec::new();
    for u in users {
        if u.access.is_empty() {
            rows.push((
                u.name.clone(),
                vec!["(none: no direct access)".into(), String::new()],
            ));
        }
        for l in resolve::logins(h, u) {
            rows.push((
                u.name.clone(),
                vec![h.label_with_id(&l.login), names(h, &l.callable)],
            ));
        }
    }
    table(
        &["User", "login-customer-id", "Accounts it can call"],
        &grouped(rows),
    )
}

/// Table 3: effective roles per user and login.
pub fn roles_table(h: &Hierarchy, users: &[&User]) -> String {
    let mut rows = Vec::new();
    for u in users {
        let grants = u
            .access
            .iter()
            .map(|(id, r)| format!("{r} on {}", h.label(id)))
            .collect::<Vec<_>>()
            .join("; ");
        for l in resolve::logins(h, u) {
            rows.push((
                u.name.clone(),
                vec![
                    grants.clone(),
                    h.label(&l.login),
                    format!("{} on {}", l.role, names(h, &l.callable)),
                ],
            ));
        }
    }
    table(
        &[
            "User",
            "Role granted",
            "login-customer-id",
            "Effective access",
        ],
        &grouped(rows),
    )
}

/// The three tables with titles.
pub fn text(h: &Hierarchy, users: &[&User]) -> String {
    let mut out = String::new();
    out.push_str("Direct and indirect access\n\n");
    out.push_str(&access_table(h, users));
    out.push_str("\nWhich login-customer-id to use\n\n");
    out.push_str(&logins_table(h, users));
    out.push_str(
        "\nThe header may be left out only when calling an account the user was invited to directly.\n",
    );
    out.push_str("\nEffective roles (the login-customer-id decides the role)\n\n");
    out.push_str(&roles_table(h, users));
    let notes: Vec<String> = users
        .iter()
        .filter_map(|u| several_hierarchies(h, u))
        .collect();
    if !notes.is_empty() {
        out.push_str("\nSeveral hierarchies (one login-customer-id per client instance)\n\n");
        for n in notes {
            out.push_str(&format!("- {n}\n"));
        }
    }
    let email_only: Vec<&str> = users
        .iter()
        .filter(|u| {
            u.access
                .values()
                .any(|r| *r == super::model::Role::EmailOnly)
        })
        .map(|u| u.name.as_str())
        .collect();
    if !email_only.is_empty() {
        out.push_str(&format!(
            "\nNote: email_only is not a real user role; {} cannot call the API through an email_only grant.\n",
            email_only.join(", ")
        ));
    }
    out
}

/// For a user with several logins: which accounts need which login-customer-id.
fn several_hierarchies(h: &Hierarchy, u: &User) -> Option<String> {
    let logins = resolve::logins(h, u);
    if logins.len() < 2 {
        return None;
    }
    let mut all: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for l in &logins {
        all.extend(l.callable.iter().cloned());
    }
    // login set (best first) → accounts
    let mut groups: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for a in all {
        let opts: Vec<String> = resolve::options(h, u, &a)
            .into_iter()
            .map(|o| o.login)
            .collect();
        match groups.iter_mut().find(|(k, _)| *k == opts) {
            Some((_, v)) => v.push(a),
            None => groups.push((opts, vec![a])),
        }
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|(ls, accts)| {
            let via = if ls.len() == 1 {
                format!("only through {}", h.label(&ls[0]))
            } else {
                format!(
                    "through {} (best first)",
                    ls.iter()
                        .map(|l| h.label(l))
                        .collect::<Vec<_>>()
                        .join(" or ")
                )
            };
            format!("{} {via}", names(h, accts))
        })
        .collect();
    Some(format!(
        "{} reaches accounts through {} logins: {}; a client instance sends one login-customer-id, so use one per login (or set it per request).",
        u.name,
        logins.len(),
        parts.join("; ")
    ))
}

/// CONTRACT §4 JSON for the users.
pub fn json(h: &Hierarchy, users: &[&User]) -> Json {
    let users: Vec<Json> = users
        .iter()
        .map(|u| {
            let logins: Vec<Json> = resolve::logins(h, u)
                .into_iter()
                .map(|l| {
                    let callable: Vec<Json> = l
                        .callable
                        .iter()
                        .map(|c| json!({"customer_id": c, "role": l.role.as_str()}))
                        .collect();
                    json!({"login_customer_id": l.login, "callable": callable})
                })
                .collect();
            json!({
                "user": u.name,
                "direct": resolve::direct(u),
                "indirect": resolve::indirect(h, u),
                "logins": logins,
            })
        })
        .collect();
    json!({ "users": users })
}

/// CONTRACT §4 JSON for `--user U --customer C`.
pub fn options_json(user: &User, customer: &str, opts: &[CallOption]) -> Json {
    let options: Vec<Json> = opts
        .iter()
        .map(|o| {
            json!({
                "login_customer_id": o.login,
                "role": o.role.as_str(),
                "header_required": o.header_required,
            })
        })
        .collect();
    json!({"user": user.name, "customer_id": customer, "options": options})
}

/// Text for `--user U --customer C` with at least one option.
pub fn options_text(h: &Hierarchy, user: &User, customer: &str, opts: &[CallOption]) -> String {
    let mut out = format!(
        "{} can call {} in {} way{}, best first:\n\n",
        user.name,
        h.label_with_id(customer),
        opts.len(),
        if opts.len() == 1 { "" } else { "s" }
    );
    let rows: Vec<Vec<String>> = opts
        .iter()
        .enumerate()
        .map(|(i, o)| {
            vec![
                (i + 1).to_string(),
                h.label_with_id(&o.login),
                o.role.to_string(),
                if o.header_required {
                    "required".into()
                } else {
                    "may be omitted".into()
                },
            ]
        })
        .collect();
    out.push_str(&table(&["#", "login-customer-id", "Role", "Header"], &rows));
    if let Some(best) = opts.first() {
        out.push_str(&format!(
            "\nUse login_customer_id = \"{}\"{}.\n",
            best.login,
            if best.header_required {
                String::new()
            } else {
                " (or leave it unset: the user was invited to this account directly)".into()
            }
        ));
        if best.role == super::model::Role::EmailOnly {
            out.push_str(
                "Note: email_only is not a real user role; these calls will be refused.\n",
            );
        }
    }
    out
}

fn dot_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn node_label(h: &Hierarchy, id: &str) -> String {
    match h.account(id).and_then(|a| a.name.as_deref()) {
        Some(n) => format!("{n}\n{id}"),
        None => id.to_string(),
    }
}

/// Graphviz DOT: managers as bold boxes, clients as ellipses, users as notes (service
/// accounts as hexagons), grants as dashed edges labelled by role.
pub fn dot(h: &Hierarchy, users: &[&User]) -> String {
    let mut out = String::from("digraph access {\n  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\"];\n");
    for a in h.accounts.values() {
        let style = if a.manager {
            "shape=box, style=\"filled,bold\", fillcolor=\"#dbe7fb\""
        } else {
            "shape=ellipse, style=filled, fillcolor=\"#f2f2f2\""
        };
        out.push_str(&format!(
            "  {} [label={}, {style}];\n",
            dot_str(&a.id),
            dot_str(&node_label(h, &a.id))
        ));
    }
    for a in h.accounts.values() {
        for c in &a.children {
            out.push_str(&format!("  {} -> {};\n", dot_str(&a.id), dot_str(c)));
        }
    }
    for u in users {
        let shape = if u.service_account { "hexagon" } else { "note" };
        let uid = dot_str(&format!("user:{}", u.name));
        out.push_str(&format!(
            "  {uid} [label={}, shape={shape}, style=filled, fillcolor=\"#fff4d6\"];\n",
            dot_str(&u.name)
        ));
        for (id, role) in &u.access {
            out.push_str(&format!(
                "  {uid} -> {} [style=dashed, label={}];\n",
                dot_str(id),
                dot_str(role.as_str())
            ));
        }
    }
    out.push_str("}\n");
    out
}

fn mermaid_text(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '|' => out.push_str("#124;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Mermaid flowchart: managers as rectangles (class `manager`), clients as rounded boxes
/// (class `client`), users as stadiums (class `user`, `serviceAccount`), dashed grant edges.
pub fn mermaid(h: &Hierarchy, users: &[&User]) -> String {
    let mut out = String::from("flowchart TD\n");
    for a in h.accounts.values() {
        let label = match &a.name {
            Some(n) => format!("{}<br/>{}", mermaid_text(n), a.id),
            None => a.id.clone(),
        };
        if a.manager {
            out.push_str(&format!("  a{}[\"{label}\"]:::manager\n", a.id));
        } else {
            out.push_str(&format!("  a{}(\"{label}\"):::client\n", a.id));
        }
    }
    for a in h.accounts.values() {
        for c in &a.children {
            out.push_str(&format!("  a{} --> a{c}\n", a.id));
        }
    }
    for (i, u) in users.iter().enumerate() {
        let class = if u.service_account {
            "serviceAccount"
        } else {
            "user"
        };
        out.push_str(&format!(
            "  u{i}([\"{}\"]):::{class}\n",
            mermaid_text(&u.name)
        ));
        for (id, role) in &u.access {
            out.push_str(&format!("  u{i} -.->|{}| a{id}\n", role.as_str()));
        }
    }
    out.push_str("  classDef manager fill:#dbe7fb,stroke:#1a4d99,stroke-width:2px\n");
    out.push_str("  classDef client fill:#f2f2f2,stroke:#666\n");
    out.push_str("  classDef user fill:#fff4d6,stroke:#a67c00\n");
    out.push_str("  classDef serviceAccount fill:#fff4d6,stroke:#a67c00,stroke-dasharray:4 2\n");
    out
}
