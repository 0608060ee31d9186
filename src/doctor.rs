//! `verify` as a doctor: from a config's settings, check each step a library's first call
//! takes and say which fails first and what to do (CONTRACT §3 `verify`, issue #15):
//! the proxy in use, the network path (DNS, TCP, proxy CONNECT, TLS) to the token and API
//! hosts, the access token, what Google says about it (tokeninfo: scopes, expiry, the Cloud
//! project), `listAccessibleCustomers`, and one cheap `googleAds:search` that shows whether
//! the Cloud project is approved for production. Tokens are never shown.

use std::path::Path;
use std::time::Duration;

use crate::api;
use crate::error::Result;
use crate::model::Settings;
use crate::net;
use crate::oauth::creds::{self, nonempty, Credentials};
use crate::oauth::{errors, minted, token};
use crate::write::mask_text;

/// What to check and where.
#[derive(Debug, Clone)]
pub struct Options {
    pub token_uri: Option<String>,
    pub api_base: String,
    pub api_version: String,
    /// The customer for the production-access check (else the config's login-customer-id).
    pub customer: Option<String>,
    pub timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Ok,
    Note,
    Skipped,
    Warning,
    Failed,
}

impl Status {
    pub fn word(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Note => "note",
            Status::Skipped => "skipped",
            Status::Warning => "warning",
            Status::Failed => "FAILED",
        }
    }
}

/// One check's result: a line for the screen, and more for the report.
#[derive(Debug, Clone)]
pub struct Check {
    pub name: &'static str,
    pub status: Status,
    /// The line shown (`token: OK (access token from …)`).
    pub line: String,
    /// The explanation and fix, for a failure or a warning.
    pub advice: Option<String>,
}

/// Everything `verify` found.
#[derive(Debug, Clone, Default)]
pub struct Diagnosis {
    /// `googleads.properties (perl): OAuth user credentials (client_id …)`.
    pub head: String,
    pub checks: Vec<Check>,
    /// The customers `listAccessibleCustomers` returned.
    pub accessible: Vec<String>,
    /// Every secret met on the way (to mask in anything printed or saved).
    pub secrets: Vec<String>,
}

impl Diagnosis {
    /// The first failed check.
    pub fn failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| c.status == Status::Failed)
    }

    pub fn ok(&self) -> bool {
        self.failure().is_none()
    }

    /// The screen text (masked): the head, one line per check, the warnings' advice.
    pub fn text(&self) -> String {
        let mut out = format!("{}\n", self.head);
        for c in &self.checks {
            out.push_str(&c.line);
            out.push('\n');
            if c.status == Status::Warning {
                if let Some(a) = &c.advice {
                    out.push_str(&format!("warning: {a}\n"));
                }
            }
        }
        mask_text(&out, &self.secrets)
    }

    fn push(&mut self, name: &'static str, status: Status, line: String, advice: Option<String>) {
        self.checks.push(Check {
            name,
            status,
            line,
            advice,
        });
    }

    fn add_secret(&mut self, s: &str) {
        if s.chars().count() >= 4 && !self.secrets.iter().any(|x| x == s) {
            self.secrets.push(s.to_string());
            self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }
}

/// The Cloud project number in an OAuth client id (`123456789012-abc.apps.googleusercontent.com`).
pub fn project_number(client_id: &str) -> Option<&str> {
    let (n, rest) = client_id.split_once('-')?;
    (!n.is_empty()
        && n.chars().all(|c| c.is_ascii_digit())
        && rest.ends_with(".apps.googleusercontent.com"))
    .then_some(n)
}

/// The project id of a service account (`name@PROJECT.iam.gserviceaccount.com`).
pub fn service_account_project(email: &str) -> Option<&str> {
    email
        .split_once('@')?
        .1
        .strip_suffix(".iam.gserviceaccount.com")
}

/// Run every check on `settings` (read from `config`, whose text is `text`).
/// Errors of use (incomplete credentials, bad URLs) are `Err` (exit 2); everything the
/// network or Google answers is a check.
pub fn diagnose(
    settings: &Settings,
    config: &Path,
    text: &str,
    lang_name: &str,
    opts: &Options,
) -> Result<Diagnosis> {
    let name = config.display().to_string();
    let dir = config
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| ".".into());
    let cred = creds::credentials(settings, &name, &dir)?;
    cred.check_files(&name)?;
    api::check_api_version(&opts.api_version)?;
    api::check_url(&opts.api_base, "--api-base")?;
    if let Some(t) = &opts.token_uri {
        api::check_url(t, "--token-uri")?;
    }
    let mut d = Diagnosis::default();
    for k in ["client_secret", "refresh_token", "developer_token"] {
        if let Some(v) = nonempty(settings, k) {
            d.add_secret(&v);
        }
    }
    let proxy = net::use_config_proxy(settings)?;
    if let Some(pw) = proxy.as_ref().and_then(net::ProxyChoice::password) {
        d.add_secret(&pw);
    }
    d.head = format!("{name} ({lang_name}): {}", cred.describe());
    d.push(
        "proxy",
        Status::Note,
        match &proxy {
            Some(p) => format!("proxy: {}", p.shown()),
            None => "proxy: none (no http_proxy in the config, no HTTPS_PROXY/ALL_PROXY)".into(),
        },
        None,
    );

    // 1. The network path to the token endpoint and the API.
    let token_uri = opts
        .token_uri
        .clone()
        .or_else(|| cred.token_uri())
        .unwrap_or_else(|| api::DEFAULT_TOKEN_URI.to_string());
    let mut hosts: Vec<&str> = vec![&token_uri, &opts.api_base];
    hosts.dedup_by_key(|u| net::origin_of(u));
    let mut net_ok = true;
    for url in hosts {
        let Some(hc) = net::check(url, opts.timeout) else {
            continue;
        };
        match hc.first_failure() {
            None => d.push(
                "network",
                Status::Ok,
                format!("network: {}", hc.line()),
                None,
            ),
            Some(_) => {
                net_ok = false;
                d.push(
                    "network",
                    Status::Failed,
                    format!("network: {}", hc.line()),
                    hc.advice(),
                );
            }
        }
    }
    if !net_ok {
        d.push(
            "token",
            Status::Skipped,
            "token: skipped (the network check failed)".into(),
            None,
        );
        return Ok(d);
    }

    // 2. The access token.
    let at = match creds::access_token(&cred, opts.token_uri.as_deref(), &name) {
        Ok(at) => at,
        Err(e) if e.code() == 2 => return Err(e),
        Err(e) => {
            let mut advice = e.message.clone();
            if let Some(w) = testing_mode_hint(&e.message, &cred, config, text) {
                advice.push_str(&format!(". {w}"));
            }
            d.push(
                "token",
                Status::Failed,
                "token: FAILED".into(),
                Some(advice),
            );
            return Ok(d);
        }
    };
    for s in &at.secrets {
        d.add_secret(s);
    }
    d.add_secret(&at.token);
    d.push(
        "token",
        Status::Ok,
        format!("token: OK (access token from {})", at.token_uri),
        None,
    );

    let agent = api::agent(Duration::from_secs(30));
    // 3. What Google says about the token.
    tokeninfo_check(&mut d, &agent, &at, &cred);

    // 4. listAccessibleCustomers.
    let developer_token = nonempty(settings, "developer_token");
    let (url, reply) = match api::list_accessible_customers(
        &agent,
        &opts.api_base,
        &opts.api_version,
        &at.token,
        developer_token.as_deref(),
    ) {
        Ok(r) => r,
        Err(e) => {
            d.push(
                "api",
                Status::Failed,
                format!("API {}: FAILED", opts.api_version.trim()),
                Some(e.message),
            );
            return Ok(d);
        }
    };
    if !(200..300).contains(&reply.status) {
        d.push(
            "api",
            Status::Failed,
            format!("API {}: FAILED", opts.api_version.trim()),
            Some(creds::explain_api_failure(&url, &reply, &d.secrets)),
        );
        return Ok(d);
    }
    let ids = api::accessible_customer_ids(&reply);
    d.push(
        "api",
        Status::Ok,
        format!(
            "API {}: OK, {} accessible customer{}{}{}",
            opts.api_version.trim(),
            ids.len(),
            if ids.len() == 1 { "" } else { "s" },
            if ids.is_empty() { "" } else { ": " },
            shorten(&ids, 20)
        ),
        None,
    );
    if developer_token.is_none() {
        d.push("developer-token", Status::Note, "note: no developer_token is set (not needed since the 2026 sunset for google-ads-python >= 32; older libraries still require one)".into(), None);
    }
    let login = nonempty(settings, "login_customer_id").map(|l| digits(&l));
    if let Some(l) = &login {
        if !ids.is_empty() && !ids.contains(l) {
            d.push("login-customer-id", Status::Note, format!(
                "note: login_customer_id {l} is not among the directly accessible customers; calls through it will fail unless it is reachable another way (see `adsconf access`)"
            ), None);
        }
    }
    d.accessible = ids;

    // 5. Production access: one cheap search on a customer.
    let customer = opts.customer.as_deref().map(digits).or(login.clone());
    match customer {
        None => d.push(
            "production-access",
            Status::Skipped,
            "production access: not checked (listAccessibleCustomers works for Test-level projects too; give --customer C, or set login_customer_id, for one googleAds:search that tells)".into(),
            None,
        ),
        Some(c) => production_check(&mut d, &agent, opts, &at.token, developer_token.as_deref(), &c, login.as_deref()),
    }
    Ok(d)
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn shorten(ids: &[String], shown: usize) -> String {
    if ids.len() > shown {
        format!(
            "{}, … ({} more)",
            ids[..shown].join(", "),
            ids.len() - shown
        )
    } else {
        ids.join(", ")
    }
}

/// A token minted by `adsconf auth` more than 6 days ago that fails with invalid_grant:
/// most likely the 7-day life of a Testing-mode consent screen.
fn testing_mode_hint(
    message: &str,
    cred: &Credentials,
    config: &Path,
    text: &str,
) -> Option<String> {
    if !message.contains("invalid_grant") {
        return None;
    }
    let (_, _, refresh_token) = cred.user()?;
    let stamp = minted::for_token(config, text, refresh_token)?;
    let age = stamp.age(creds::now());
    (age > minted::TESTING_MODE_SECS).then(|| {
        format!(
            "This refresh token was minted by `adsconf auth` on {} ({} days ago): the OAuth consent screen is most likely in Testing mode, whose refresh tokens die after 7 days. In the Cloud console open Google Auth Platform > Audience, click Publish app, then run `adsconf auth` again",
            minted::iso8601(stamp.minted),
            age / 86_400
        )
    })
}

fn tokeninfo_check(
    d: &mut Diagnosis,
    agent: &ureq::Agent,
    at: &creds::AccessToken,
    cred: &Credentials,
) {
    let url = token::tokeninfo_url(&at.token_uri);
    let info = match token::tokeninfo(agent, &url, &at.token) {
        Ok(i) => i,
        Err(e) => {
            d.push(
                "tokeninfo",
                Status::Skipped,
                format!("tokeninfo: not available ({})", mask_text(&e, &d.secrets)),
                None,
            );
            return;
        }
    };
    let mut parts = Vec::new();
    if let Some(s) = &info.scope {
        parts.push(format!("scopes {s}"));
    }
    if let Some(e) = info.expires_in {
        parts.push(format!("expires in {e} s"));
    }
    let project = match cred.user() {
        Some((client_id, _, _)) => project_number(client_id)
            .map(|n| format!("Cloud project number {n} (from the client id)")),
        None => at
            .who
            .split_whitespace()
            .find_map(service_account_project)
            .map(|p| format!("Cloud project {p} (from the service account)")),
    };
    parts.extend(project);
    let has_adwords = info
        .scope
        .as_deref()
        .is_some_and(|s| s.split_whitespace().any(|x| x == api::ADWORDS_SCOPE));
    if info.scope.is_some() && !has_adwords {
        d.push(
            "tokeninfo",
            Status::Warning,
            format!("tokeninfo: {}", parts.join("; ")),
            Some(format!(
                "the token lacks the Google Ads scope {}: {}",
                api::ADWORDS_SCOPE,
                errors::lookup("ACCESS_TOKEN_SCOPE_INSUFFICIENT")
                    .map(|k| k.fix)
                    .unwrap_or("run `adsconf auth` again")
            )),
        );
    } else {
        d.push(
            "tokeninfo",
            Status::Ok,
            format!("tokeninfo: {}", parts.join("; ")),
            None,
        );
    }
}

fn production_check(
    d: &mut Diagnosis,
    agent: &ureq::Agent,
    opts: &Options,
    token: &str,
    developer_token: Option<&str>,
    customer: &str,
    login: Option<&str>,
) {
    let r = api::search(
        agent,
        &opts.api_base,
        &opts.api_version,
        token,
        developer_token,
        customer,
        login,
        "SELECT customer.id FROM customer LIMIT 1",
    );
    let (url, reply) = match r {
        Ok(x) => x,
        Err(e) => {
            d.push(
                "production-access",
                Status::Failed,
                "production access: FAILED".into(),
                Some(e.message),
            );
            return;
        }
    };
    if (200..300).contains(&reply.status) {
        d.push(
            "production-access",
            Status::Ok,
            format!("production access: OK (googleAds:search on {customer} answered)"),
            None,
        );
        return;
    }
    let codes = creds::api_error_codes(&reply.body);
    let before_v25 = opts
        .api_version
        .trim()
        .trim_start_matches('v')
        .split(['_', '.'])
        .next()
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| n < 25);
    let advice = if codes
        .iter()
        .any(|c| c == "CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION")
        || (before_v25 && codes.iter().any(|c| c == "ACTION_NOT_PERMITTED"))
    {
        let k = errors::lookup("CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION");
        format!(
            "{url} answered HTTP {} ({}): {}. To fix: {}",
            reply.status,
            codes.join(", "),
            k.map(|k| k.what).unwrap_or(""),
            k.map(|k| k.fix).unwrap_or("")
        )
    } else {
        creds::explain_api_failure(&url, &reply, &d.secrets)
    };
    d.push(
        "production-access",
        Status::Failed,
        "production access: FAILED".into(),
        Some(advice),
    );
}

/// The first line of a support bundle: `verify --report` overwrites only a file that starts
/// with it.
pub const REPORT_MARKER: &str = "# adsconf verify report";

/// What a support bundle says besides the checks.
pub struct BundleInfo<'a> {
    pub version: &'a str,
    pub config: &'a Path,
    pub lang: &'a str,
    /// `google-ads 34.0.0 (pinned in requirements.txt)`, when known.
    pub library: Option<String>,
    /// The config as `show` prints it (masked).
    pub shown: &'a str,
    pub when: u64,
}

/// A redacted support bundle (Markdown) to attach to a forum post or an issue: versions, the
/// detected library, the config as `show` sees it (secrets masked), each check's result and
/// advice. Every secret met is masked once more over the whole text.
pub fn bundle(d: &Diagnosis, info: &BundleInfo<'_>) -> String {
    let mut out = format!("{REPORT_MARKER}\n\n");
    out.push_str(&format!(
        "- adsconf {} on {} {}\n- made {}\n- config: {} ({})\n- library: {}\n\n",
        info.version,
        std::env::consts::OS,
        std::env::consts::ARCH,
        minted::iso8601(info.when),
        info.config.display(),
        info.lang,
        info.library
            .as_deref()
            .unwrap_or("version not pinned in a manifest next to the config")
    ));
    out.push_str("## The config as the library reads it (secrets masked)\n\n```text\n");
    out.push_str(info.shown.trim_end());
    out.push_str("\n```\n\n## Checks\n\n");
    out.push_str(&format!("{}\n\n", d.head));
    for c in &d.checks {
        out.push_str(&format!(
            "- **{}** ({}): {}\n",
            c.name,
            c.status.word(),
            c.line
        ));
        if let Some(a) = &c.advice {
            out.push_str(&format!("  - {a}\n"));
        }
    }
    if let Some(f) = d.failure() {
        out.push_str(&format!("\nFirst failure: {}\n", f.name));
    } else {
        out.push_str("\nNo check failed.\n");
    }
    mask_text(&out, &d.secrets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_numbers() {
        assert_eq!(
            project_number("123456789012-abc.apps.googleusercontent.com"),
            Some("123456789012")
        );
        assert_eq!(project_number("abc-def.apps.googleusercontent.com"), None);
        assert_eq!(project_number("1234-x"), None);
        assert_eq!(
            service_account_project("ads@my-proj.iam.gserviceaccount.com"),
            Some("my-proj")
        );
    }
}
