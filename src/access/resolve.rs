//! Who can call what, through which login-customer-id, with which role (CONTRACT §4).
//!
//! - direct accounts: the keys of the user's `access`;
//! - indirect accounts: descendants of a direct account that are not direct themselves;
//! - valid logins: the direct accounts; with login L the user can call L and everything
//!   below L, with the role granted on L;
//! - the header may be omitted only when calling a direct account itself.

use std::collections::BTreeSet;

use super::model::{Hierarchy, Role, User};

/// One login-customer-id and what it lets the user call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    pub login: String,
    pub role: Role,
    /// The login itself and every account below it, ascending.
    pub callable: Vec<String>,
}

/// One way to call a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallOption {
    pub login: String,
    pub role: Role,
    pub header_required: bool,
}

pub fn direct(user: &User) -> Vec<String> {
    user.access.keys().cloned().collect()
}

pub fn indirect(h: &Hierarchy, user: &User) -> Vec<String> {
    let mut out = BTreeSet::new();
    for d in user.access.keys() {
        out.extend(h.descendants(d));
    }
    out.retain(|a| !user.access.contains_key(a));
    out.into_iter().collect()
}

pub fn logins(h: &Hierarchy, user: &User) -> Vec<Login> {
    user.access
        .iter()
        .map(|(l, role)| {
            let mut callable = h.descendants(l);
            callable.insert(l.clone());
            Login {
                login: l.clone(),
                role: *role,
                callable: callable.into_iter().collect(),
            }
        })
        .collect()
}

/// The ways `user` can call `customer`, best first: stronger role, then no header needed,
/// then the smaller id.
pub fn options(h: &Hierarchy, user: &User, customer: &str) -> Vec<CallOption> {
    let mut out: Vec<CallOption> = user
        .access
        .iter()
        .filter(|(l, _)| l.as_str() == customer || h.descendants(l).contains(customer))
        .map(|(l, role)| CallOption {
            login: l.clone(),
            role: *role,
            header_required: l.as_str() != customer,
        })
        .collect();
    sort_options(&mut out);
    out
}

/// Every account `user` can reach that holds data (not a manager), each with its best
/// login-customer-id (the first of [`options`]), ascending by customer id: the
/// `login_customer_ids` list of singer-io tap-google-ads.
pub fn best_logins(h: &Hierarchy, user: &User) -> Vec<(String, String)> {
    let mut reach: BTreeSet<String> = user.access.keys().cloned().collect();
    reach.extend(indirect(h, user));
    reach
        .into_iter()
        .filter(|c| h.account(c).is_some_and(|a| !a.manager))
        .filter_map(|c| {
            let best = options(h, user, &c).into_iter().next()?;
            Some((c, best.login))
        })
        .collect()
}

/// The CONTRACT ordering of options.
pub fn sort_options(opts: &mut [CallOption]) {
    opts.sort_by(|a, b| {
        (a.role, a.header_required, &a.login).cmp(&(b.role, b.header_required, &b.login))
    });
}

/// Why `user` cannot call `customer` (there is no option), in one or two sentences built
/// from the graph: the managers above the customer and the user's own accounts.
pub fn explain_unreachable(h: &Hierarchy, user: &User, customer: &str) -> String {
    let c = h.label_with_id(customer);
    let ancestors = h.ancestors(customer);
    let direct: Vec<String> = user.access.keys().map(|d| h.label(d)).collect();
    let has = if direct.is_empty() {
        format!("{} has no direct access to any account", user.name)
    } else {
        format!("{}'s direct accounts are {}", user.name, direct.join(", "))
    };
    if ancestors.is_empty() {
        return format!(
            "{} cannot call {c}: {c} has no manager above it and {has}; ask an admin of {} to invite {}",
            user.name,
            h.label(customer),
            user.name
        );
    }
    // Every chain from a top-level manager down to the customer.
    let chains: Vec<String> = ancestors
        .iter()
        .filter(|a| h.parents(a).is_empty())
        .filter_map(|root| h.path(root, customer))
        .map(|p| {
            p.iter()
                .map(|id| h.label(id))
                .collect::<Vec<_>>()
                .join(" → ")
        })
        .collect();
    let managers: Vec<String> = ancestors.iter().map(|a| h.label(a)).collect();
    let parents: Vec<String> = h.parents(customer).iter().map(|a| h.label(a)).collect();
    format!(
        "{} cannot call {c}: {} is reached only through {}, and {} has no access to {} ({has}); ask an admin of {}, or of a manager above, to grant {} access",
        user.name,
        h.label(customer),
        chains.join(" and "),
        user.name,
        if managers.len() == 1 { managers[0].clone() } else { format!("any of {}", managers.join(", ")) },
        parents.join(" or "),
        user.name
    )
}
