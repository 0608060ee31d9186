//! The account hierarchy (CONTRACT §4): loading a hierarchy TOML file with positions,
//! validating it, and the graph queries the resolver needs.
//!
//! Limits enforced, as documented by Google (Google Ads Help "About linking accounts to your
//! manager account", answer 7456530, and developers.google.com/google-ads/shopping/
//! campaign-management/articles/t14 "Administer an existing Google Ads account"):
//! - an individual (client) account can be directly managed by at most 5 manager accounts;
//! - a manager account can be directly managed by at most 1 other manager account;
//! - an account cannot be linked to more than one manager in the same manager hierarchy;
//! - the structure can be no more than six levels deep. The help page does not say how
//!   levels are counted, so we read it leniently: an account may sit at most 6 links below
//!   its top-level manager (`customer_client.level` ≤ 6), and only deeper chains are refused.
//!
//! The API reports the first three as `CustomerClientLinkError.CLIENT_HAS_TOO_MANY_MANAGERS`
//! and `CLIENT_ALREADY_MANAGED_IN_HIERARCHY`; cycles as `CYCLIC_LINK_NOT_ALLOWED`.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result};
use crate::source::Source;

/// Documented limit: managers directly above one client account.
pub const MAX_MANAGERS_PER_CLIENT: usize = 5;
/// Documented limit: managers directly above one manager account.
pub const MAX_MANAGERS_PER_MANAGER: usize = 1;
/// Documented limit (read leniently, see the module comment): links below the top manager.
pub const MAX_LEVEL: usize = 6;

/// A user role on an account, strongest first (`Ord`: `Admin` < `Standard` < … so that
/// sorting ascending puts the stronger role first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Admin,
    Standard,
    ReadOnly,
    EmailOnly,
}

pub const ROLES: [Role; 4] = [Role::Admin, Role::Standard, Role::ReadOnly, Role::EmailOnly];

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Standard => "standard",
            Role::ReadOnly => "read_only",
            Role::EmailOnly => "email_only",
        }
    }

    /// Parse a role as written in a hierarchy file (`read_only`, also `read-only`,
    /// `READ_ONLY` as the API spells it).
    pub fn parse(s: &str) -> Option<Role> {
        let norm = s.trim().to_ascii_lowercase().replace('-', "_");
        ROLES.into_iter().find(|r| r.as_str() == norm)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One Google Ads account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// 10 digits, no dashes.
    pub id: String,
    pub name: Option<String>,
    pub manager: bool,
    /// Ids of the accounts linked directly below (sorted).
    pub children: BTreeSet<String>,
}

/// A user or service account and its direct grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub service_account: bool,
    /// Direct access: account id → role.
    pub access: BTreeMap<String, Role>,
}

/// A validated hierarchy: a DAG of accounts (clients are leaves) and users.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hierarchy {
    /// Accounts by id (ascending).
    pub accounts: BTreeMap<String, Account>,
    /// Users in file order.
    pub users: Vec<User>,
}

/// Normalise a customer id: dashes (and spaces around them) removed; `None` unless 10 digits.
pub fn normalize_id(s: &str) -> Option<String> {
    let t: String = s.trim().chars().filter(|c| *c != '-').collect();
    (t.len() == 10 && t.bytes().all(|b| b.is_ascii_digit())).then_some(t)
}

/// `123-456-7890` form of a 10-digit id.
pub fn dashed(id: &str) -> String {
    if id.len() == 10 && id.is_ascii() {
        format!("{}-{}-{}", &id[..3], &id[3..6], &id[6..])
    } else {
        id.to_string()
    }
}

impl Hierarchy {
    pub fn account(&self, id: &str) -> Option<&Account> {
        self.accounts.get(id)
    }

    /// The account's name, or its id.
    pub fn label(&self, id: &str) -> String {
        match self.accounts.get(id).and_then(|a| a.name.as_deref()) {
            Some(n) => n.to_string(),
            None => id.to_string(),
        }
    }

    /// `name (id)` or `id`.
    pub fn label_with_id(&self, id: &str) -> String {
        match self.accounts.get(id).and_then(|a| a.name.as_deref()) {
            Some(n) => format!("{n} ({id})"),
            None => id.to_string(),
        }
    }

    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|u| u.name == name).or_else(|| {
            self.users
                .iter()
                .find(|u| u.name.eq_ignore_ascii_case(name))
        })
    }

    /// Find a user by name or email, or say clearly that there is none (with a did-you-mean).
    pub fn find_user(&self, name: &str) -> Result<&User> {
        self.user(name).ok_or_else(|| {
            let hint = crate::model::nearest(name, self.users.iter().map(|u| u.name.as_str()))
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_else(|| {
                    let all: Vec<&str> = self.users.iter().map(|u| u.name.as_str()).collect();
                    if all.is_empty() {
                        "; the hierarchy lists no users".to_string()
                    } else {
                        format!("; the users are: {}", all.join(", "))
                    }
                });
            Error::usage(format!("no user `{name}` in the hierarchy{hint}"))
        })
    }

    /// Resolve a customer given by id (dashes allowed) or by name.
    pub fn find_account(&self, s: &str) -> Result<&Account> {
        if let Some(id) = normalize_id(s) {
            if let Some(a) = self.accounts.get(&id) {
                return Ok(a);
            }
        }
        if let Some(a) = self
            .accounts
            .values()
            .find(|a| a.name.as_deref() == Some(s))
        {
            return Ok(a);
        }
        if let Some(a) = self
            .accounts
            .values()
            .find(|a| a.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(s)))
        {
            return Ok(a);
        }
        let names = self
            .accounts
            .values()
            .flat_map(|a| a.name.as_deref().into_iter().chain([a.id.as_str()]));
        let hint = crate::model::nearest(s, names)
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        Err(Error::usage(format!(
            "no account `{s}` in the hierarchy (give its 10-digit id or its name){hint}"
        )))
    }

    /// Every account strictly below `id` (sorted).
    pub fn descendants(&self, id: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&str> = vec![id];
        while let Some(cur) = stack.pop() {
            if let Some(a) = self.accounts.get(cur) {
                for c in &a.children {
                    if seen.insert(c.clone()) {
                        stack.push(c);
                    }
                }
            }
        }
        seen.remove(id);
        seen
    }

    /// The managers directly above `id` (sorted).
    pub fn parents(&self, id: &str) -> BTreeSet<String> {
        self.accounts
            .values()
            .filter(|a| a.children.contains(id))
            .map(|a| a.id.clone())
            .collect()
    }

    /// Every account strictly above `id` (sorted).
    pub fn ancestors(&self, id: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![id.to_string()];
        while let Some(cur) = stack.pop() {
            for p in self.parents(&cur) {
                if seen.insert(p.clone()) {
                    stack.push(p);
                }
            }
        }
        seen
    }

    /// A shortest chain of links from `from` down to `to` (both included), if any.
    pub fn path(&self, from: &str, to: &str) -> Option<Vec<String>> {
        let mut prev: BTreeMap<String, String> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([from.to_string()]);
        let mut seen = BTreeSet::from([from.to_string()]);
        while let Some(cur) = queue.pop_front() {
            if cur == to {
                let mut out = vec![cur.clone()];
                let mut at = cur;
                while let Some(p) = prev.get(&at) {
                    out.push(p.clone());
                    at = p.clone();
                }
                out.reverse();
                return Some(out);
            }
            if let Some(a) = self.accounts.get(&cur) {
                for c in &a.children {
                    if seen.insert(c.clone()) {
                        prev.insert(c.clone(), cur.clone());
                        queue.push_back(c.clone());
                    }
                }
            }
        }
        None
    }
}

// ---------------------------------------------------------------------------------------
// Loading

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    account: Vec<Spanned<RawAccount>>,
    #[serde(default)]
    user: Vec<Spanned<RawUser>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccount {
    id: Spanned<String>,
    #[serde(default)]
    name: Option<Spanned<String>>,
    #[serde(default)]
    manager: bool,
    #[serde(default)]
    children: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUser {
    name: Spanned<String>,
    #[serde(default)]
    service_account: bool,
    #[serde(default)]
    access: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// Read and validate a hierarchy file.
pub fn load_hierarchy(path: &Path) -> Result<Hierarchy> {
    let bytes = crate::source::read_bytes(path)?;
    let src = crate::source::decode(Some(path), bytes, crate::source::Encoding::Utf8)?;
    parse_hierarchy(&src)
}

/// Parse and validate the text of a hierarchy file. Every error is one sentence starting
/// with `file:line:`.
pub fn parse_hierarchy(src: &Source) -> Result<Hierarchy> {
    let name = src.name();
    let at = |span: &Range<usize>, msg: String| -> Error {
        let line = src.line_col(span.start.min(src.text.len())).0;
        Error::usage(format!("{name}:{line}: {msg}"))
    };
    let raw: RawFile = toml::from_str(&src.text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let mut msg = e.message().trim().trim_end_matches('.').replace('\n', " ");
        if msg.contains("invalid type: integer") {
            msg.push_str("; write customer ids as quoted strings (\"1234567890\")");
        }
        at(
            &span,
            if msg.contains("missing field") {
                format!("not a valid hierarchy file: {msg} ([[account]] tables take id, name, manager, children; [[user]] tables take name, service_account, access)")
            } else {
                format!("not a valid hierarchy file: {msg}")
            },
        )
    })?;

    // Accounts: ids, names, duplicates.
    let mut h = Hierarchy::default();
    let mut id_span: BTreeMap<String, Range<usize>> = BTreeMap::new();
    let mut by_name: BTreeMap<String, String> = BTreeMap::new();
    for acc in &raw.account {
        let acc = acc.get_ref();
        let id = normalize_id(acc.id.get_ref()).ok_or_else(|| {
            at(
                &acc.id.span(),
                format!(
                    "account id `{}` is not a 10-digit customer id; write it like \"1234567890\" or \"123-456-7890\"",
                    acc.id.get_ref()
                ),
            )
        })?;
        if let Some(first) = id_span.get(&id) {
            let first_line = src.line_col(first.start).0;
            return Err(at(
                &acc.id.span(),
                format!(
                    "account {id} is listed twice (first on line {first_line}); keep one entry"
                ),
            ));
        }
        id_span.insert(id.clone(), acc.id.span());
        let name_s = match &acc.name {
            Some(n) => {
                let v = n.get_ref().trim().to_string();
                if v.is_empty() {
                    return Err(at(
                        &n.span(),
                        "account name is empty; remove `name` or give one".into(),
                    ));
                }
                if let Some(other) = by_name.get(&v) {
                    return Err(at(
                        &n.span(),
                        format!("account name `{v}` is already used by account {other}; names must be unique"),
                    ));
                }
                if normalize_id(&v).is_some_and(|nid| nid != id) {
                    return Err(at(
                        &n.span(),
                        format!("account name `{v}` looks like another account's id; choose a name that is not a customer id"),
                    ));
                }
                by_name.insert(v.clone(), id.clone());
                Some(v)
            }
            None => None,
        };
        h.accounts.insert(
            id.clone(),
            Account {
                id,
                name: name_s,
                manager: acc.manager,
                children: BTreeSet::new(),
            },
        );
    }
    let known: BTreeSet<String> = h.accounts.keys().cloned().collect();
    let resolve = |s: &Spanned<String>, what: &str| -> Result<String> {
        let v = s.get_ref().trim();
        if let Some(id) = normalize_id(v) {
            if known.contains(&id) {
                return Ok(id);
            }
        }
        if let Some(id) = by_name.get(v) {
            return Ok(id.clone());
        }
        let cands = by_name
            .keys()
            .map(String::as_str)
            .chain(known.iter().map(String::as_str));
        let hint = crate::model::nearest(v, cands)
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_else(|| "; add an [[account]] entry for it".into());
        Err(at(
            &s.span(),
            format!("{what} `{v}` is not an account of this file{hint}"),
        ))
    };

    // Links.
    let mut child_span: BTreeMap<(String, String), Range<usize>> = BTreeMap::new();
    for acc in &raw.account {
        let acc = acc.get_ref();
        let Some(id) = normalize_id(acc.id.get_ref()) else {
            continue;
        };
        let mut kids = BTreeSet::new();
        for c in &acc.children {
            let cid = resolve(c, "child")?;
            if cid == id {
                return Err(at(
                    &c.span(),
                    format!("account {} lists itself as its child", h.label(&id)),
                ));
            }
            if !kids.insert(cid.clone()) {
                return Err(at(
                    &c.span(),
                    format!(
                        "child {} is listed twice under {}",
                        h.label(&cid),
                        h.label(&id)
                    ),
                ));
            }
            child_span.insert((id.clone(), cid), c.span());
        }
        if !kids.is_empty() && !acc.manager {
            return Err(at(
                &acc.children[0].span(),
                format!(
                    "account {} is a client (not a manager) but has children; only manager accounts link other accounts — set `manager = true` or remove `children`",
                    h.label(&id)
                ),
            ));
        }
        if let Some(a) = h.accounts.get_mut(&id) {
            a.children = kids;
        }
    }

    // Cycles (DFS with colours); report the first one found, named.
    if let Some(cycle) = find_cycle(&h) {
        let first = &cycle[0];
        let second = cycle.get(1).unwrap_or(first);
        let span = child_span
            .get(&(first.clone(), second.clone()))
            .cloned()
            .unwrap_or(0..0);
        let named: Vec<String> = cycle.iter().map(|id| h.label(id)).collect();
        return Err(at(
            &span,
            format!(
                "the account links form a cycle ({}); a hierarchy must be acyclic — remove one of these links",
                named.join(" → ")
            ),
        ));
    }

    // Documented linking limits.
    for a in h.accounts.values() {
        let parents = h.parents(&a.id);
        let span = id_span.get(&a.id).cloned().unwrap_or(0..0);
        let names = || {
            parents
                .iter()
                .map(|p| h.label(p))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if a.manager && parents.len() > MAX_MANAGERS_PER_MANAGER {
            return Err(at(
                &span,
                format!(
                    "manager account {} is linked under {} managers ({}); Google Ads allows a manager account only one manager directly above it",
                    h.label(&a.id),
                    parents.len(),
                    names()
                ),
            ));
        }
        if !a.manager && parents.len() > MAX_MANAGERS_PER_CLIENT {
            return Err(at(
                &span,
                format!(
                    "account {} is linked under {} managers ({}); Google Ads allows at most {MAX_MANAGERS_PER_CLIENT}",
                    h.label(&a.id),
                    parents.len(),
                    names()
                ),
            ));
        }
        // Two managers of the same account in one manager hierarchy (same top-level root).
        let mut root_of: BTreeMap<String, String> = BTreeMap::new();
        for p in &parents {
            for r in roots_above(&h, p) {
                if let Some(other) = root_of.get(&r) {
                    return Err(at(
                        &span,
                        format!(
                            "account {} is linked under both {} and {}, which belong to the same manager hierarchy (under {}); Google Ads allows one link per hierarchy",
                            h.label(&a.id),
                            h.label(other),
                            h.label(p),
                            h.label(&r)
                        ),
                    ));
                }
                root_of.insert(r, p.clone());
            }
        }
        let level = depth_below_root(&h, &a.id);
        if level > MAX_LEVEL {
            return Err(at(
                &span,
                format!(
                    "account {} sits {level} links below its top-level manager; Google Ads allows a hierarchy at most {MAX_LEVEL} levels deep",
                    h.label(&a.id)
                ),
            ));
        }
    }

    // Users.
    let mut seen_users: BTreeMap<String, usize> = BTreeMap::new();
    for u in &raw.user {
        let u = u.get_ref();
        let uname = u.name.get_ref().trim().to_string();
        let line = src.line_col(u.name.span().start).0;
        if uname.is_empty() {
            return Err(at(
                &u.name.span(),
                "user name is empty; give an email or a label".into(),
            ));
        }
        if let Some(first) = seen_users.get(&uname) {
            return Err(at(
                &u.name.span(),
                format!(
                    "user `{uname}` is listed twice (first on line {first}); merge the two entries"
                ),
            ));
        }
        seen_users.insert(uname.clone(), line);
        let mut access = BTreeMap::new();
        for (k, v) in &u.access {
            let id = resolve(k, "access to account")?;
            let role = Role::parse(v.get_ref()).ok_or_else(|| {
                let hint = crate::model::nearest(v.get_ref(), ROLES.iter().map(|r| r.as_str()))
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                at(
                    &v.span(),
                    format!(
                        "unknown role `{}` for user `{uname}`; {hint}roles are admin, standard, read_only, email_only",
                        v.get_ref()
                    ),
                )
            })?;
            if access.insert(id.clone(), role).is_some() {
                return Err(at(
                    &k.span(),
                    format!(
                        "user `{uname}` is granted account {} twice; keep one role",
                        h.label(&id)
                    ),
                ));
            }
        }
        h.users.push(User {
            name: uname,
            service_account: u.service_account,
            access,
        });
    }
    Ok(h)
}

/// A cycle as a list of ids, first repeated at the end (`[a, b, a]`).
fn find_cycle(h: &Hierarchy) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum C {
        White,
        Grey,
        Black,
    }
    let mut colour: BTreeMap<&str, C> = h.accounts.keys().map(|k| (k.as_str(), C::White)).collect();
    for start in h.accounts.keys() {
        if colour[start.as_str()] != C::White {
            continue;
        }
        // Iterative DFS keeping the current path.
        let mut path: Vec<&str> = vec![start];
        let mut iters: Vec<std::collections::btree_set::Iter<'_, String>> =
            vec![h.accounts[start].children.iter()];
        colour.insert(start, C::Grey);
        while let Some(it) = iters.last_mut() {
            match it.next() {
                Some(c) => match colour.get(c.as_str()).copied().unwrap_or(C::Black) {
                    C::White => {
                        colour.insert(c, C::Grey);
                        path.push(c);
                        iters.push(h.accounts[c].children.iter());
                    }
                    C::Grey => {
                        let from = path.iter().position(|p| *p == c).unwrap_or(0);
                        let mut cyc: Vec<String> =
                            path[from..].iter().map(|s| s.to_string()).collect();
                        cyc.push(c.clone());
                        return Some(cyc);
                    }
                    C::Black => {}
                },
                None => {
                    iters.pop();
                    if let Some(done) = path.pop() {
                        colour.insert(done, C::Black);
                    }
                }
            }
        }
    }
    None
}

/// The top-level accounts above `id` (itself when it has no manager). Needs an acyclic graph.
fn roots_above(h: &Hierarchy, id: &str) -> BTreeSet<String> {
    let mut anc = h.ancestors(id);
    anc.insert(id.to_string());
    anc.into_iter()
        .filter(|a| h.parents(a).is_empty())
        .collect()
}

/// The longest chain of links from a top-level account down to `id`. Needs an acyclic graph.
fn depth_below_root(h: &Hierarchy, id: &str) -> usize {
    fn go(h: &Hierarchy, id: &str, memo: &mut BTreeMap<String, usize>) -> usize {
        if let Some(d) = memo.get(id) {
            return *d;
        }
        let d = h
            .parents(id)
            .iter()
            .map(|p| go(h, p, memo) + 1)
            .max()
            .unwrap_or(0);
        memo.insert(id.to_string(), d);
        d
    }
    go(h, id, &mut BTreeMap::new())
}

// ---------------------------------------------------------------------------------------
// Writing (for `access --live --save`)

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Render a hierarchy as a hierarchy TOML file that [`parse_hierarchy`] reads back.
pub fn to_toml(h: &Hierarchy, header: &str) -> String {
    let mut out = String::new();
    for line in header.lines() {
        out.push_str(&format!("# {line}\n"));
    }
    for a in h.accounts.values() {
        out.push_str("\n[[account]]\n");
        out.push_str(&format!("id = {}\n", toml_str(&a.id)));
        if let Some(n) = &a.name {
            out.push_str(&format!("name = {}\n", toml_str(n)));
        }
        out.push_str(&format!("manager = {}\n", a.manager));
        if !a.children.is_empty() {
            let kids: Vec<String> = a.children.iter().map(|c| toml_str(c)).collect();
            out.push_str(&format!("children = [{}]\n", kids.join(", ")));
        }
    }
    for u in &h.users {
        out.push_str("\n[[user]]\n");
        out.push_str(&format!("name = {}\n", toml_str(&u.name)));
        out.push_str(&format!("service_account = {}\n", u.service_account));
        let grants: Vec<String> = u
            .access
            .iter()
            .map(|(id, r)| format!("{} = {}", toml_str(id), toml_str(r.as_str())))
            .collect();
        out.push_str(&format!("access = {{ {} }}\n", grants.join(", ")));
    }
    out
}
