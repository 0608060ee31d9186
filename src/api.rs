//! HTTP to Google's OAuth token endpoint and the Google Ads REST API (`verify`, `auth`,
//! `access --live`). Base URLs can be overridden for tests and emulators; only loopback
//! hosts may use `http://`.

use std::time::Duration;

use crate::error::{Error, Result};

/// The Google Ads API version used for REST calls (one place; `--api-version` overrides).
pub const DEFAULT_API_VERSION: &str = "v26";
/// The Google Ads REST API base URL.
pub const DEFAULT_API_BASE: &str = "https://googleads.googleapis.com";
/// Google's OAuth 2.0 token endpoint.
pub const DEFAULT_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
/// The Google Ads API OAuth scope.
pub const ADWORDS_SCOPE: &str = "https://www.googleapis.com/auth/adwords";

/// Where the HTTP calls go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub token_uri: String,
    pub api_base: String,
    pub api_version: String,
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints {
            token_uri: DEFAULT_TOKEN_URI.into(),
            api_base: DEFAULT_API_BASE.into(),
            api_version: DEFAULT_API_VERSION.into(),
        }
    }
}

/// Is `host` a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`)?
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Accept `https://` URLs, and `http://` only for loopback hosts.
pub fn check_url(url: &str, what: &str) -> Result<()> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return Ok(());
    }
    if let Some(rest) = lower.strip_prefix("http://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        let host = if authority.starts_with('[') {
            authority
                .split(']')
                .next()
                .map(|h| format!("{h}]"))
                .unwrap_or_default()
        } else {
            authority.split(':').next().unwrap_or("").to_string()
        };
        if is_loopback_host(&host) {
            return Ok(());
        }
        return Err(Error::usage(format!(
            "{what} {url} uses http:// on a non-loopback host; use https://"
        )));
    }
    Err(Error::usage(format!("{what} {url} is not an http(s) URL")))
}

/// An HTTP agent that returns error statuses as responses (we explain them ourselves).
/// The proxy is the one in force ([`crate::net::current_proxy`]: the config's `http_proxy`
/// once a command has read it, else the environment's).
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .proxy(crate::net::ureq_proxy())
        .http_status_as_error(false)
        .user_agent(concat!("adsconf/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// A response: status and body parsed as JSON (`Null` when the body is not JSON).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: serde_json::Value,
    pub text: String,
    /// How long the server asked to wait before trying again: its `Retry-After` header
    /// (seconds), else a `google.rpc.RetryInfo` `retryDelay` in the error's details.
    pub retry_after: Option<std::time::Duration>,
}

/// The wait a refusal asks for: `Retry-After: SECONDS` (an HTTP date is not followed), else
/// the first `retryDelay` (`"1.5s"`) among `error.details`, as Google APIs send it with
/// `RESOURCE_EXHAUSTED`.
pub fn retry_delay(header: Option<&str>, body: &serde_json::Value) -> Option<std::time::Duration> {
    if let Some(secs) = header.and_then(|h| h.trim().parse::<u64>().ok()) {
        return Some(std::time::Duration::from_secs(secs));
    }
    body.pointer("/error/details")?
        .as_array()?
        .iter()
        .filter_map(|d| d.get("retryDelay")?.as_str())
        .find_map(|d| {
            let secs: f64 = d.trim().strip_suffix('s')?.parse().ok()?;
            (secs.is_finite() && secs >= 0.0).then(|| std::time::Duration::from_secs_f64(secs))
        })
}

fn reply(
    url: &str,
    r: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<Reply> {
    let mut resp = r.map_err(|e| {
        Error::refused(crate::mask::clean_remote(&crate::net::explain_unreachable(
            url, &e,
        )))
    })?;
    let status = resp.status().as_u16();
    let retry_header = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let raw = resp.body_mut().read_to_string().unwrap_or_default();
    // Everything a server says is cleaned of control characters once, here, so no escape
    // sequence from a remote reaches the terminal whatever part of the answer is printed.
    let mut body = serde_json::from_str(&raw).unwrap_or(serde_json::Value::Null);
    clean_json(&mut body);
    let text = crate::mask::clean_remote(&raw);
    let retry_after = retry_delay(retry_header.as_deref(), &body);
    Ok(Reply {
        status,
        body,
        text,
        retry_after,
    })
}

/// Clean every string (and key) of a JSON answer with [`crate::mask::clean_remote`].
fn clean_json(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => {
            *s = crate::mask::clean_remote(s);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(clean_json),
        serde_json::Value::Object(o) => {
            let old = std::mem::take(o);
            for (k, mut val) in old {
                clean_json(&mut val);
                o.insert(crate::mask::clean_remote(&k), val);
            }
        }
        _ => {}
    }
}

/// POST an `application/x-www-form-urlencoded` form.
pub fn post_form(agent: &ureq::Agent, url: &str, form: &[(&str, &str)]) -> Result<Reply> {
    check_url(url, "token endpoint")?;
    reply(url, agent.post(url).send_form(form.iter().copied()))
}

/// GET with headers.
pub fn get(agent: &ureq::Agent, url: &str, headers: &[(&str, &str)]) -> Result<Reply> {
    check_url(url, "API base URL")?;
    let mut req = agent.get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    reply(url, req.call())
}

/// POST a JSON body with headers.
pub fn post_json(
    agent: &ureq::Agent,
    url: &str,
    headers: &[(&str, &str)],
    body: &serde_json::Value,
) -> Result<Reply> {
    check_url(url, "API base URL")?;
    let mut req = agent.post(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    reply(url, req.send_json(body))
}

/// Refuse an API version that cannot be a path segment (`v26`, `v27_1`…).
pub fn check_api_version(version: &str) -> Result<()> {
    let v = version.trim();
    if v.is_empty()
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    {
        return Err(Error::usage(format!(
            "--api-version {version:?} is not an API version such as {DEFAULT_API_VERSION}"
        )));
    }
    Ok(())
}

/// `{api_base}/{version}/{method}` (no doubled slash).
pub fn api_url(api_base: &str, version: &str, method: &str) -> String {
    format!(
        "{}/{}/{}",
        api_base.trim_end_matches('/'),
        version.trim(),
        method.trim_start_matches('/')
    )
}

/// `GET customers:listAccessibleCustomers` with the bearer token and, when set, the
/// developer token (no login-customer-id: the call is not about one customer).
pub fn list_accessible_customers(
    agent: &ureq::Agent,
    api_base: &str,
    version: &str,
    access_token: &str,
    developer_token: Option<&str>,
) -> Result<(String, Reply)> {
    let url = api_url(api_base, version, "customers:listAccessibleCustomers");
    let bearer = format!("Bearer {access_token}");
    let mut headers: Vec<(&str, &str)> = vec![("Authorization", bearer.as_str())];
    if let Some(d) = developer_token {
        headers.push(("developer-token", d));
    }
    let reply = get(agent, &url, &headers)?;
    Ok((url, reply))
}

/// `POST customers/{customer}/googleAds:search` with one query (`login` as the
/// login-customer-id header when given).
#[allow(clippy::too_many_arguments)]
pub fn search(
    agent: &ureq::Agent,
    api_base: &str,
    version: &str,
    access_token: &str,
    developer_token: Option<&str>,
    customer: &str,
    login: Option<&str>,
    query: &str,
) -> Result<(String, Reply)> {
    let url = api_url(
        api_base,
        version,
        &format!("customers/{customer}/googleAds:search"),
    );
    let bearer = format!("Bearer {access_token}");
    let mut headers: Vec<(&str, &str)> = vec![("Authorization", bearer.as_str())];
    if let Some(d) = developer_token {
        headers.push(("developer-token", d));
    }
    if let Some(l) = login {
        headers.push(("login-customer-id", l));
    }
    let reply = post_json(
        agent,
        &url,
        &headers,
        &serde_json::json!({ "query": query }),
    )?;
    Ok((url, reply))
}

/// The customer ids of a listAccessibleCustomers answer (`customers/123` → `123`), sorted.
pub fn accessible_customer_ids(reply: &Reply) -> Vec<String> {
    let mut ids: Vec<String> = reply.body["resourceNames"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .map(|r| r.trim_start_matches("customers/").to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_may_use_http() {
        assert!(check_url("https://oauth2.googleapis.com/token", "x").is_ok());
        assert!(check_url("http://127.0.0.1:8080/token", "x").is_ok());
        assert!(check_url("http://localhost/token", "x").is_ok());
        assert!(check_url("http://[::1]:9/x", "x").is_ok());
        assert!(check_url("http://example.com/token", "x").is_err());
        assert!(check_url("http://127.0.0.1.evil.com/x", "x").is_err());
        assert!(check_url("http://user@evil.com/x", "x").is_err());
        assert!(check_url("ftp://x", "x").is_err());
    }

    #[test]
    fn api_urls_and_versions() {
        assert_eq!(
            api_url(
                "http://127.0.0.1:9/",
                "v26",
                "customers:listAccessibleCustomers"
            ),
            "http://127.0.0.1:9/v26/customers:listAccessibleCustomers"
        );
        assert!(check_api_version("v26").is_ok());
        assert!(check_api_version("v26/../x").is_err());
        assert!(check_api_version("").is_err());
        let r = Reply {
            status: 200,
            body: serde_json::json!({"resourceNames": ["customers/2", "customers/1", "customers/2"]}),
            text: String::new(),
            retry_after: None,
        };
        assert_eq!(accessible_customer_ids(&r), vec!["1", "2"]);
    }

    #[test]
    fn retry_delay_from_header_or_retry_info() {
        use serde_json::json;
        use std::time::Duration;
        let none = serde_json::Value::Null;
        assert_eq!(retry_delay(Some("7"), &none), Some(Duration::from_secs(7)));
        assert_eq!(retry_delay(Some(" 0 "), &none), Some(Duration::ZERO));
        // An HTTP date is not followed; the body's RetryInfo then is.
        let body = json!({"error": {"status": "RESOURCE_EXHAUSTED", "details": [
            {"@type": "type.googleapis.com/google.ads.googleads.v22.errors.GoogleAdsFailure"},
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1.5s"}
        ]}});
        assert_eq!(
            retry_delay(Some("Wed, 21 Oct 2026 07:28:00 GMT"), &body),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(retry_delay(None, &body), Some(Duration::from_millis(1500)));
        assert_eq!(retry_delay(None, &none), None);
        assert_eq!(
            retry_delay(
                None,
                &json!({"error": {"details": [{"retryDelay": "-3s"}]}})
            ),
            None
        );
        assert_eq!(
            retry_delay(
                None,
                &json!({"error": {"details": [{"retryDelay": "soon"}]}})
            ),
            None
        );
    }
}
