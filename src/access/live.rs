//! `adsconf access --live`: build the hierarchy from the Google Ads API with a config's
//! credentials (OAuth user or service account).
//!
//! 1. An access token from `oauth::creds` (the same code as `verify`).
//! 2. `GET {api}/{version}/customers:listAccessibleCustomers`: the accounts the
//!    authenticated user was invited to directly (its direct accounts).
//! 3. For each of them, `POST {api}/{version}/customers/{id}/googleAds:search` with
//!    `login-customer-id: {id}` and a `customer_client` query limited to `level <= 1`
//!    (the account itself and the accounts linked directly below it), paged with
//!    `pageToken` / `nextPageToken`. Managers found below are expanded the same way with the
//!    same login-customer-id, so a manager under a manager is followed to the leaves while
//!    every parent → child link stays known.
//!
//! The role of the user is not part of `customer_client` and `listAccessibleCustomers`:
//! it is recorded as `standard` and said on stderr (and in the saved file), never silently.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::Duration;

use serde_json::{json, Value as Json};

use super::model::{normalize_id, Account, Hierarchy, Role, User};
use crate::api::{self, Endpoints};
use crate::error::{Error, Result};

pub const QUERY: &str = "SELECT customer_client.client_customer, customer_client.level, customer_client.manager, customer_client.descriptive_name, customer_client.id FROM customer_client WHERE customer_client.level <= 1";

/// The name given to the authenticated user in a hierarchy built live.
pub const LIVE_USER: &str = "me";

/// Upper bounds so that a misbehaving server cannot keep us looping.
const MAX_PAGES_PER_CUSTOMER: usize = 1000;
const MAX_CUSTOMERS: usize = 100_000;

/// The message of an API or token-endpoint error reply: status and the server's own words.
pub fn explain_reply(what: &str, r: &api::Reply) -> String {
    let b = &r.body;
    let msg = b
        .pointer("/error/message")
        .and_then(Json::as_str)
        .map(str::to_string)
        .or_else(|| {
            // OAuth: {"error": "invalid_grant", "error_description": "..."}
            let e = b.get("error").and_then(Json::as_str)?;
            Some(match b.get("error_description").and_then(Json::as_str) {
                Some(d) => format!("{e}: {d}"),
                None => e.to_string(),
            })
        })
        .unwrap_or_else(|| {
            let t: String = r.text.chars().take(200).collect();
            if t.trim().is_empty() {
                "no message".into()
            } else {
                t.trim().to_string()
            }
        });
    // The API's detailed error code (e.g. USER_PERMISSION_DENIED) when present.
    let code = b
        .pointer("/error/details/0/errors/0/errorCode")
        .and_then(Json::as_object)
        .and_then(|o| o.iter().next())
        .and_then(|(_, v)| v.as_str().map(str::to_string));
    let mut out = format!(
        "{what} failed with HTTP {}: {}",
        r.status,
        msg.trim_end_matches('.')
    );
    if let Some(c) = code {
        out.push_str(&format!(" ({c})"));
    }
    let hint = match (r.status, msg.as_str()) {
        (_, m) if m.contains("invalid_grant") => Some("the refresh token was revoked or expired, or belongs to another OAuth client; run `adsconf auth` to get a new one"),
        (_, m) if m.contains("invalid_client") || m.contains("unauthorized_client") => Some("client_id and client_secret do not match the OAuth client that issued the refresh token"),
        (401, _) => Some("the access token was refused; check that the refresh token was issued with the adwords scope"),
        (403, _) => Some("check that the Google Ads API is enabled for the Cloud project and that this user can see the account"),
        (429, _) => Some("the API refused too many requests at once, also after waiting; try again later, or with fewer at once (`adsconf access --live --in-flight 4`)"),
        _ => None,
    };
    if let Some(h) = hint {
        out.push_str(&format!("; {h}"));
    }
    out
}

fn api_url(ep: &Endpoints, tail: &str) -> String {
    format!(
        "{}/{}/{tail}",
        ep.api_base.trim_end_matches('/'),
        ep.api_version.trim_matches('/')
    )
}

/// One `customer_client` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRow {
    pub id: String,
    pub level: u64,
    pub manager: bool,
    pub name: Option<String>,
}

fn parse_row(r: &Json) -> Option<ClientRow> {
    let cc = r.get("customerClient")?;
    // int64 fields come as JSON strings in REST; accept numbers too.
    let as_text = |v: &Json| match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let id = cc
        .get("id")
        .and_then(as_text)
        .or_else(|| {
            cc.get("clientCustomer")
                .and_then(Json::as_str)
                .and_then(|s| s.strip_prefix("customers/"))
                .map(str::to_string)
        })
        .and_then(|s| normalize_id(&s))?;
    let level = cc
        .get("level")
        .and_then(as_text)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Some(ClientRow {
        id,
        level,
        manager: cc.get("manager").and_then(Json::as_bool).unwrap_or(false),
        name: cc
            .get("descriptiveName")
            .and_then(Json::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    })
}

/// Talks to the API with one access token.
pub struct Client<'a> {
    pub agent: ureq::Agent,
    pub ep: &'a Endpoints,
    pub token: String,
    pub developer_token: Option<String>,
}

impl Client<'_> {
    fn headers<'h>(&'h self, bearer: &'h str, login: Option<&'h str>) -> Vec<(&'h str, &'h str)> {
        let mut h = vec![("authorization", bearer)];
        if let Some(d) = &self.developer_token {
            h.push(("developer-token", d.as_str()));
        }
        if let Some(l) = login {
            h.push(("login-customer-id", l));
        }
        h
    }

    /// The ids of `customers:listAccessibleCustomers`, ascending.
    pub fn accessible(&self) -> Result<Vec<String>> {
        let url = api_url(self.ep, "customers:listAccessibleCustomers");
        let bearer = format!("Bearer {}", self.token);
        let r = api::get(&self.agent, &url, &self.headers(&bearer, None))?;
        if r.status != 200 {
            return Err(Error::refused(explain_reply("listAccessibleCustomers", &r)));
        }
        let mut ids: BTreeSet<String> = BTreeSet::new();
        for n in r
            .body
            .get("resourceNames")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            let s = n.as_str().unwrap_or_default();
            let id = s
                .strip_prefix("customers/")
                .and_then(normalize_id)
                .ok_or_else(|| {
                    Error::refused(format!(
                        "listAccessibleCustomers returned an unexpected resource name `{s}`"
                    ))
                })?;
            ids.insert(id);
        }
        Ok(ids.into_iter().collect())
    }

    /// All `customer_client` rows at level ≤ 1 of `customer`, through `login`.
    pub fn clients(&self, customer: &str, login: &str) -> Result<Vec<ClientRow>> {
        let url = api_url(self.ep, &format!("customers/{customer}/googleAds:search"));
        let bearer = format!("Bearer {}", self.token);
        let headers = self.headers(&bearer, Some(login));
        let mut rows = Vec::new();
        let mut page: Option<String> = None;
        let mut seen_tokens = BTreeSet::new();
        for _ in 0..MAX_PAGES_PER_CUSTOMER {
            let mut body = json!({ "query": QUERY });
            if let Some(t) = &page {
                body["pageToken"] = json!(t);
            }
            let r = self.post_query(&url, &headers, &body)?;
            if r.status != 200 {
                return Err(Error::refused(explain_reply(
                    &format!("the customer_client query on {customer} (login-customer-id {login})"),
                    &r,
                )));
            }
            for row in r
                .body
                .get("results")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
            {
                match parse_row(row) {
                    Some(cr) => rows.push(cr),
                    None => {
                        return Err(Error::refused(format!(
                            "the customer_client query on {customer} returned a row without a customer id: {}",
                            row.to_string().chars().take(200).collect::<String>()
                        )))
                    }
                }
            }
            match r.body.get("nextPageToken").and_then(Json::as_str) {
                Some(t) if !t.is_empty() => {
                    if !seen_tokens.insert(t.to_string()) {
                        return Err(Error::refused(format!(
                            "the API repeated page token `{t}` for {customer}; stopping"
                        )));
                    }
                    page = Some(t.to_string());
                }
                _ => return Ok(rows),
            }
        }
        Err(Error::refused(format!(
            "the customer_client query on {customer} returned more than {MAX_PAGES_PER_CUSTOMER} pages; stopping"
        )))
    }
}

/// Queries in flight at once while walking the hierarchy (`access --live --in-flight N`).
/// A fixed bound B costs about max(depth, managers / B) round trips: 16 keeps the benchmark's
/// 120 managers over 5 levels within 3 × depth × round-trip (BENCHMARKS.md), where 8 cannot
/// (122 requests / 8 is already 15 round trips); a refusal for too many requests is retried.
pub const IN_FLIGHT: usize = 16;

/// The most `--in-flight` accepts.
pub const MAX_IN_FLIGHT: usize = 64;

/// How many times a query refused for too many requests (HTTP 429, `RESOURCE_EXHAUSTED`) is
/// tried again: after the wait the server asks for (`Retry-After`, `RetryInfo.retryDelay`),
/// else after 1 s, 2 s, 4 s.
const RETRIES: u32 = 3;

/// The longest wait a server's `Retry-After` may impose on one retry; a longer one is cut
/// here (the walk then fails after its retries with the advice to try later).
const MAX_RETRY_WAIT: Duration = Duration::from_secs(30);

/// The query that reads the users of an account: only an ADMIN of the account may run it
/// (Google Ads API, "Managing users"), so an answer means the caller is admin there.
pub const ROLE_QUERY: &str = "SELECT customer_user_access.user_id, customer_user_access.email_address, customer_user_access.access_role FROM customer_user_access";

/// What one worker found: the customer expanded, the login used, its rows (or the failure).
type Found = (String, String, Result<Vec<ClientRow>>);

/// One request of the walk.
enum Job {
    /// The `customer_client` rows of a customer, through a login.
    Expand(String, String),
    /// The caller's role on a direct account.
    Role(String),
}

/// Shared state of the walk: the queue, what has been queued, what came back.
#[derive(Default)]
struct Walk {
    queue: VecDeque<Job>,
    queued: BTreeSet<String>,
    busy: usize,
    found: Vec<Found>,
    roles: BTreeMap<String, Role>,
    failed: bool,
}

/// Is this reply a refusal for too many requests (worth trying again later)?
fn too_many(r: &api::Reply) -> bool {
    r.status == 429
        || r.body.pointer("/error/status").and_then(Json::as_str) == Some("RESOURCE_EXHAUSTED")
}

impl Client<'_> {
    /// POST a query, trying again after a pause when the API says too many requests.
    fn post_query(&self, url: &str, headers: &[(&str, &str)], body: &Json) -> Result<api::Reply> {
        let mut pause = Duration::from_secs(1);
        let mut tries = 0;
        loop {
            let r = api::post_json(&self.agent, url, headers, body)?;
            if !too_many(&r) || tries == RETRIES {
                return Ok(r);
            }
            tries += 1;
            std::thread::sleep(r.retry_after.unwrap_or(pause).min(MAX_RETRY_WAIT));
            pause *= 2;
        }
    }

    /// The caller's role on `customer` when the API tells it: `admin` when its users can be
    /// read (admins only), `None` when the query is refused (standard, read-only or
    /// email-only: the API does not say which).
    pub fn role_on(&self, customer: &str) -> Option<Role> {
        let url = api_url(self.ep, &format!("customers/{customer}/googleAds:search"));
        let bearer = format!("Bearer {}", self.token);
        let headers = self.headers(&bearer, Some(customer));
        let r = self
            .post_query(&url, &headers, &json!({ "query": ROLE_QUERY }))
            .ok()?;
        (r.status == 200).then_some(Role::Admin)
    }

    /// Expand managers with up to `in_flight` requests at once, one pool for the whole walk:
    /// the role queries of the direct accounts go first, and a manager found below is queued
    /// at once (a worker does not wait for the rest of its level), so the walk costs about
    /// max(depth, requests / `in_flight`) round trips.
    fn walk(&self, start: &[String], in_flight: usize) -> Result<Walk> {
        let state = std::sync::Mutex::new(Walk::default());
        let wake = std::sync::Condvar::new();
        {
            let mut w = lock(&state);
            for d in start {
                w.queue.push_back(Job::Role(d.clone()));
            }
            for d in start {
                if w.queued.insert(d.clone()) {
                    w.queue.push_back(Job::Expand(d.clone(), d.clone()));
                }
            }
        }
        let worker = || loop {
            let job = {
                let mut w = lock(&state);
                loop {
                    if w.failed {
                        return;
                    }
                    if let Some(job) = w.queue.pop_front() {
                        w.busy += 1;
                        break job;
                    }
                    if w.busy == 0 {
                        return;
                    }
                    w = match wake.wait(w) {
                        Ok(g) => g,
                        Err(p) => p.into_inner(),
                    };
                }
            };
            let (cust, login) = match job {
                Job::Role(d) => {
                    let role = self.role_on(&d);
                    let mut w = lock(&state);
                    w.busy -= 1;
                    if let Some(r) = role {
                        w.roles.insert(d, r);
                    }
                    wake.notify_all();
                    continue;
                }
                Job::Expand(c, l) => (c, l),
            };
            let rows = self.clients(&cust, &login);
            let mut w = lock(&state);
            w.busy -= 1;
            match &rows {
                Ok(rows) => {
                    for r in rows {
                        if r.level == 1
                            && r.manager
                            && r.id != cust
                            && w.queued.insert(r.id.clone())
                        {
                            w.queue.push_back(Job::Expand(r.id.clone(), login.clone()));
                        }
                    }
                    if w.queued.len() > MAX_CUSTOMERS {
                        w.failed = true;
                    }
                }
                Err(e) if e.message.contains("(CUSTOMER_NOT_ENABLED)") => {}
                Err(_) => w.failed = true,
            }
            w.found.push((cust, login, rows));
            wake.notify_all();
        };
        std::thread::scope(|s| {
            for _ in 0..in_flight.clamp(1, MAX_IN_FLIGHT) {
                s.spawn(worker);
            }
        });
        let w = state.into_inner().unwrap_or_else(|p| p.into_inner());
        if w.queued.len() > MAX_CUSTOMERS {
            return Err(Error::refused(format!(
                "more than {MAX_CUSTOMERS} accounts; stopping"
            )));
        }
        Ok(w)
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Build the hierarchy: accessible customers as the user's direct accounts (role `admin`
/// where the account's users can be read, else recorded as `standard`), links from
/// `customer_client` level 1 rows, managers expanded breadth-first, `in_flight` at a time.
pub fn build(client: &Client<'_>, in_flight: usize) -> Result<Hierarchy> {
    let direct = client.accessible()?;
    let walk = client.walk(&direct, in_flight)?;
    let roles = walk.roles;
    let mut found = walk.found;
    // The first failure in a stable order (the walk's order depends on timing).
    found.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some((_, _, Err(e))) = found
        .iter()
        .find(|(_, _, r)| matches!(r, Err(e) if !e.message.contains("(CUSTOMER_NOT_ENABLED)")))
    {
        return Err(e.clone());
    }
    let mut accounts: BTreeMap<String, Account> = BTreeMap::new();
    for (cust, _login, rows) in found {
        let rows = match rows {
            Ok(rows) => rows,
            // listAccessibleCustomers also lists cancelled or suspended accounts, which
            // refuse every query; keep them as accounts without links instead of failing.
            Err(_) => {
                crate::output::eprint_line(&format!(
                    "note: account {cust} is not enabled (cancelled, suspended or never finished); it is listed without the accounts below it"
                ));
                accounts.entry(cust.clone()).or_insert_with(|| Account {
                    id: cust.clone(),
                    name: None,
                    manager: false,
                    children: BTreeSet::new(),
                });
                continue;
            }
        };
        let mut kids = BTreeSet::new();
        for r in rows {
            let entry = accounts.entry(r.id.clone()).or_insert_with(|| Account {
                id: r.id.clone(),
                name: None,
                manager: r.manager,
                children: BTreeSet::new(),
            });
            entry.manager |= r.manager;
            if entry.name.is_none() {
                entry.name = r.name.clone();
            }
            if r.level == 1 && r.id != cust {
                kids.insert(r.id.clone());
            }
        }
        let me = accounts.entry(cust.clone()).or_insert_with(|| Account {
            id: cust.clone(),
            name: None,
            manager: !kids.is_empty(),
            children: BTreeSet::new(),
        });
        me.children.extend(kids);
    }
    dedupe_names(&mut accounts);
    let user = User {
        name: LIVE_USER.to_string(),
        service_account: false,
        access: direct
            .iter()
            .map(|d| (d.clone(), roles.get(d).copied().unwrap_or(Role::Standard)))
            .collect(),
    };
    Ok(Hierarchy {
        accounts,
        users: vec![user],
    })
}

/// Descriptive names are not unique in Google Ads; hierarchy names must be. Later duplicates
/// get their id appended.
fn dedupe_names(accounts: &mut BTreeMap<String, Account>) {
    let mut seen = BTreeSet::new();
    for a in accounts.values_mut() {
        if let Some(n) = &a.name {
            if !seen.insert(n.clone()) || normalize_id(n).is_some() {
                let renamed = format!("{n} ({})", a.id);
                seen.insert(renamed.clone());
                a.name = Some(renamed);
            }
        }
    }
}

/// The hierarchy seen with `token` (from `oauth::creds::access_token`, never printed).
pub fn fetch(ep: &Endpoints, token: String, developer_token: Option<String>) -> Result<Hierarchy> {
    fetch_with(ep, token, developer_token, IN_FLIGHT)
}

/// [`fetch`] with `in_flight` requests at once (1: one after the other; benchmarks).
pub fn fetch_with(
    ep: &Endpoints,
    token: String,
    developer_token: Option<String>,
    in_flight: usize,
) -> Result<Hierarchy> {
    api::check_url(&ep.api_base, "API base URL")?;
    let client = Client {
        agent: api::agent(Duration::from_secs(60)),
        ep,
        token,
        developer_token,
    };
    build(&client, in_flight)
}
