//! `adsconf access`: which login-customer-id to use, with which role, from an account
//! hierarchy (CONTRACT §4) read from a file ([`model`]) or built from the API ([`live`]).
//! [`resolve`] holds the access semantics, [`render`] the outputs. [`login_findings`] is the
//! entry point for `check --hierarchy`.

pub mod live;
pub mod model;
pub mod render;
pub mod resolve;

use std::path::Path;

pub use model::{normalize_id, Account, Hierarchy, Role, User};

use crate::diag::Severity;
use crate::error::Error;

/// Read and validate a hierarchy TOML file.
pub fn load_hierarchy(path: &Path) -> Result<Hierarchy, Error> {
    model::load_hierarchy(path)
}

/// One account-access finding about a configured login-customer-id (for `check --hierarchy`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginFinding {
    /// `login-customer-id-unreachable`, `login-customer-id-missing` or
    /// `login-customer-id-unneeded`.
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// The best login-customer-id for this user and customer (10 digits), when one exists.
    pub suggested_login: Option<String>,
}

pub const RULE_UNREACHABLE: &str = "login-customer-id-unreachable";
pub const RULE_MISSING: &str = "login-customer-id-missing";
pub const RULE_UNNEEDED: &str = "login-customer-id-unneeded";

/// What the hierarchy says about calling `customer` (id with or without dashes, or name) as
/// `user` (name or email) with `configured_login` (as written in the config, or `None`).
/// Errors (exit 2): unknown user or customer.
pub fn login_findings(
    h: &Hierarchy,
    user: &str,
    customer: &str,
    configured_login: Option<&str>,
) -> Result<Vec<LoginFinding>, Error> {
    let u = h.find_user(user)?;
    let c = h.find_account(customer)?.id.clone();
    let opts = resolve::options(h, u, &c);
    let best = opts.first();
    let cl = h.label_with_id(&c);
    let valid_logins = || {
        let l: Vec<String> = opts
            .iter()
            .map(|o| format!("{} ({})", h.label_with_id(&o.login), o.role))
            .collect();
        l.join(", ")
    };
    let suggest = |best: &resolve::CallOption| {
        format!(
            "set login_customer_id to {} ({} role){}",
            best.login,
            best.role,
            if opts.len() > 1 {
                format!("; the valid choices for {} are {}", cl, valid_logins())
            } else {
                String::new()
            }
        )
    };
    let unreachable_help = || resolve::explain_unreachable(h, u, &c);
    let mut out = Vec::new();
    match configured_login.map(str::trim).filter(|s| !s.is_empty()) {
        Some(raw) => {
            let Some(login) = normalize_id(raw) else {
                // The format itself is another rule's business; we can only say it reaches nothing.
                out.push(LoginFinding {
                    rule: RULE_UNREACHABLE,
                    severity: Severity::Error,
                    message: format!("login-customer-id `{raw}` is not a 10-digit customer id, so it cannot reach {cl}"),
                    help: Some(best.map(suggest).unwrap_or_else(unreachable_help)),
                    suggested_login: best.map(|b| b.login.clone()),
                });
                return Ok(out);
            };
            let ll = h.label_with_id(&login);
            if !u.access.contains_key(&login) {
                let why = if h.account(&login).is_none() {
                    format!("{login} is not an account of the hierarchy")
                } else {
                    format!("{} was not invited to {ll} directly (a login-customer-id must be an account the user or service account was invited to)", u.name)
                };
                out.push(LoginFinding {
                    rule: RULE_UNREACHABLE,
                    severity: Severity::Error,
                    message: format!("login-customer-id {ll} cannot be used by {}: {why}", u.name),
                    help: Some(best.map(suggest).unwrap_or_else(unreachable_help)),
                    suggested_login: best.map(|b| b.login.clone()),
                });
            } else if login != c && !h.descendants(&login).contains(&c) {
                out.push(LoginFinding {
                    rule: RULE_UNREACHABLE,
                    severity: Severity::Error,
                    message: format!("{cl} is not under login-customer-id {ll}, so {} cannot call it with this header", u.name),
                    help: Some(best.map(suggest).unwrap_or_else(unreachable_help)),
                    suggested_login: best.map(|b| b.login.clone()),
                });
            } else if login == c {
                let stronger = best.filter(|b| b.role < u.access[&c]);
                let mut help = format!(
                    "{} was invited to {cl} directly, so the header can be removed; keep it if the same credentials also call other accounts through {}",
                    u.name,
                    h.label(&c)
                );
                if let Some(b) = stronger {
                    help.push_str(&format!(
                        "; note that login-customer-id {} gives the stronger role {}",
                        h.label_with_id(&b.login),
                        b.role
                    ));
                }
                out.push(LoginFinding {
                    rule: RULE_UNNEEDED,
                    severity: Severity::Info,
                    message: format!("login-customer-id {ll} is not needed to call {cl}"),
                    help: Some(help),
                    suggested_login: None,
                });
            }
        }
        None => match best {
            None => out.push(LoginFinding {
                rule: RULE_UNREACHABLE,
                severity: Severity::Error,
                message: format!("{} cannot reach {cl} with any login-customer-id", u.name),
                help: Some(unreachable_help()),
                suggested_login: None,
            }),
            Some(_) if u.access.contains_key(&c) => {}
            Some(b) => out.push(LoginFinding {
                rule: RULE_MISSING,
                severity: Severity::Error,
                message: format!(
                    "{} reaches {cl} only through a manager account, so a login-customer-id is required and none is set",
                    u.name
                ),
                help: Some(suggest(b)),
                suggested_login: Some(b.login.clone()),
            }),
        },
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    fn seed() -> Hierarchy {
        let text = include_str!("../../examples/hierarchy.toml");
        model::parse_hierarchy(&Source::of(text)).unwrap()
    }

    #[test]
    fn findings_follow_the_seed_example() {
        let h = seed();
        // U2 → A1 with no login: missing, best is M2 (standard beats read_only on M3).
        let f = login_findings(&h, "U2", "A1", None).unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule, RULE_MISSING);
        assert_eq!(f[0].suggested_login.as_deref(), Some("1000000002"));
        // U2 → A4 via M2: unreachable, suggest M3.
        let f = login_findings(&h, "U2", "A4", Some("100-000-0002")).unwrap();
        assert_eq!(f[0].rule, RULE_UNREACHABLE);
        assert_eq!(f[0].suggested_login.as_deref(), Some("1000000003"));
        // U2 with M1: not a direct account.
        let f = login_findings(&h, "U2", "A1", Some("1000000001")).unwrap();
        assert_eq!(f[0].rule, RULE_UNREACHABLE);
        assert!(f[0].message.contains("not invited"), "{}", f[0].message);
        // U3 → A4 with A4: unneeded; without: nothing.
        let f = login_findings(&h, "U3", "A4", Some("2000000004")).unwrap();
        assert_eq!(f[0].rule, RULE_UNNEEDED);
        assert_eq!(f[0].severity, Severity::Info);
        assert!(login_findings(&h, "U3", "A4", None).unwrap().is_empty());
        // U3 → A1: nothing reaches it.
        let f = login_findings(&h, "U3", "A1", None).unwrap();
        assert_eq!(f[0].rule, RULE_UNREACHABLE);
        assert!(f[0].help.as_deref().unwrap().contains("M2"));
        // Valid: U1 with M1 → A2.
        assert!(login_findings(&h, "U1", "A2", Some("1000000001"))
            .unwrap()
            .is_empty());
        // Unknown user / customer: errors with did-you-mean.
        let e = login_findings(&h, "U4", "A1", None).unwrap_err();
        assert!(e.message.contains("did you mean"), "{}", e.message);
        assert!(login_findings(&h, "U1", "A9", None).is_err());
    }
}
