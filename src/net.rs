//! The network path to Google, as the client libraries would take it: which proxy (the
//! config's `http_proxy` first, as every library that has the key does, else the
//! environment's `ALL_PROXY`/`HTTPS_PROXY`/`HTTP_PROXY` with `NO_PROXY`), and the steps of a
//! connection — DNS, TCP, the proxy's `CONNECT`, TLS — each timed and judged, so that
//! `verify` can say which step fails first and what to check (like google-ads-doctor).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::model::mask_url_password;

/// The proxy the HTTP calls go through, and where it was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyChoice {
    /// The proxy URL as written (may hold a password: show it with [`ProxyChoice::shown`]).
    pub url: String,
    /// `the config's http_proxy`, `HTTPS_PROXY`…
    pub source: String,
    /// Hosts that bypass it (`NO_PROXY`; only for a proxy from the environment).
    pub no_proxy: Option<String>,
}

impl ProxyChoice {
    /// `http://user:…@proxy:3128 (from HTTPS_PROXY)`, password masked.
    pub fn shown(&self) -> String {
        format!("{} (from {})", mask_url_password(&self.url), self.source)
    }

    /// Does a request to `host` bypass this proxy (`NO_PROXY`)?
    pub fn bypasses(&self, host: &str) -> bool {
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        self.no_proxy.as_deref().is_some_and(|list| {
            list.split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .any(|e| {
                    let e = e.to_ascii_lowercase();
                    if e == "*" {
                        return true;
                    }
                    let e = e.trim_start_matches('*');
                    if let Some(suffix) = e.strip_prefix('.') {
                        host.ends_with(&format!(".{suffix}")) || host == suffix
                    } else {
                        host == e || host.ends_with(&format!(".{e}"))
                    }
                })
        })
    }

    /// host and port of the proxy itself.
    pub fn host_port(&self) -> Option<(String, u16)> {
        let (scheme, rest) = self
            .url
            .split_once("://")
            .unwrap_or(("http", self.url.as_str()));
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        let default = if scheme.eq_ignore_ascii_case("https") {
            443
        } else {
            80
        };
        split_host_port(authority, default)
    }

    /// `user:password` of the proxy URL, percent-decoded, when there is one.
    fn credentials(&self) -> Option<String> {
        let rest = self
            .url
            .split_once("://")
            .map(|(_, r)| r)
            .unwrap_or(&self.url);
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let (userinfo, _) = authority.rsplit_once('@')?;
        Some(percent_decode(userinfo))
    }

    /// The proxy's password (to mask), when its URL has one.
    pub fn password(&self) -> Option<String> {
        let c = self.credentials()?;
        c.split_once(':')
            .map(|(_, p)| p.to_string())
            .filter(|p| !p.is_empty())
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() && s.is_char_boundary(i + 1) && s.is_char_boundary(i + 3)
        {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The host of a URL (lower case, no brackets), for messages and comparisons.
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    split_host_port(authority, 0)
        .map(|(h, _)| h.to_ascii_lowercase())
        .unwrap_or_default()
}

/// `scheme://host:port` of a URL (the default port filled in), to tell two endpoints apart.
pub fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let default = if scheme == "https" { 443 } else { 80 };
    match split_host_port(authority, default) {
        Some((h, p)) => format!("{scheme}://{}:{p}", h.to_ascii_lowercase()),
        None => url.to_string(),
    }
}

/// `host:port` / `[v6]:port` / `host` split, with a default port.
pub fn split_host_port(authority: &str, default: u16) -> Option<(String, u16)> {
    if authority.is_empty() {
        return None;
    }
    if let Some(r) = authority.strip_prefix('[') {
        let (h, after) = r.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None => default,
        };
        return Some((h.to_string(), port));
    }
    match authority.rsplit_once(':') {
        Some((h, p)) => Some((h.to_string(), p.parse().ok()?)),
        None => Some((authority.to_string(), default)),
    }
}

/// The proxy a library would use: the config's `http_proxy` wins (gRPC's `grpc.http_proxy`
/// channel argument, PHP's `putenv`, Ruby's `ENV["http_proxy"]`, Perl's `proxy`, .NET's
/// `ProxyServer`), else the environment as ureq and the libraries' HTTP stacks read it.
pub fn proxy_choice(
    config_proxy: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Option<ProxyChoice> {
    if let Some(p) = config_proxy.map(str::trim).filter(|p| !p.is_empty()) {
        return Some(ProxyChoice {
            url: p.to_string(),
            source: "the config's http_proxy".into(),
            no_proxy: None,
        });
    }
    let no_proxy = ["NO_PROXY", "no_proxy"]
        .iter()
        .find_map(|k| env(k))
        .filter(|v| !v.trim().is_empty());
    for k in [
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ] {
        if let Some(v) = env(k).filter(|v| !v.trim().is_empty()) {
            return Some(ProxyChoice {
                url: v.trim().to_string(),
                source: k.to_string(),
                no_proxy,
            });
        }
    }
    None
}

static PROXY: RwLock<Option<ProxyChoice>> = RwLock::new(None);

/// Use `choice` for every HTTP call from now on (`verify`, `access --live` and `init` call
/// this once they have read the config; `None`: the environment's proxy, if any). A proxy URL
/// that cannot be used is an error of use naming where it came from.
pub fn use_proxy(choice: Option<ProxyChoice>) -> Result<()> {
    if let Some(c) = &choice {
        ureq::Proxy::new(&c.url).map_err(|e| {
            Error::usage(format!(
                "the proxy {} is not a proxy URL adsconf can use ({e}); write it as http://host:port",
                c.shown()
            ))
        })?;
    }
    if let Ok(mut p) = PROXY.write() {
        *p = choice;
    }
    Ok(())
}

/// Read the config's proxy setting (neutral `http_proxy`) and use it as the library would.
pub fn use_config_proxy(settings: &crate::model::Settings) -> Result<Option<ProxyChoice>> {
    let config = settings.get("http_proxy").map(crate::model::Value::to_text);
    let choice = proxy_choice(config.as_deref(), &|k| std::env::var(k).ok());
    let set = choice
        .clone()
        .filter(|c| c.source.starts_with("the config"));
    use_proxy(set)?;
    Ok(choice)
}

/// The proxy in force: the one set by [`use_proxy`], else the environment's.
pub fn current_proxy() -> Option<ProxyChoice> {
    if let Some(p) = PROXY.read().ok().and_then(|p| p.clone()) {
        return Some(p);
    }
    proxy_choice(None, &|k| std::env::var(k).ok())
}

/// The ureq proxy for the current choice (`None`: no proxy).
pub fn ureq_proxy() -> Option<ureq::Proxy> {
    match PROXY.read().ok().and_then(|p| p.clone()) {
        Some(c) => ureq::Proxy::new(&c.url).ok(),
        None => ureq::Proxy::try_from_env(),
    }
}

/// One step of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// `DNS`, `TCP`, `proxy CONNECT`, `TLS`.
    pub name: &'static str,
    /// What it was done to (`oauth2.googleapis.com`, `142.250.1.1:443`…).
    pub target: String,
    /// `Ok(detail)` or `Err(what went wrong)`.
    pub outcome: std::result::Result<String, String>,
    pub millis: u128,
}

/// The steps to one URL's host.
#[derive(Debug, Clone)]
pub struct HostCheck {
    pub host: String,
    pub port: u16,
    pub proxy: Option<ProxyChoice>,
    pub steps: Vec<Step>,
}

impl HostCheck {
    pub fn first_failure(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.outcome.is_err())
    }

    /// One line: `oauth2.googleapis.com:443 via proxy …: DNS ok (1 ms) · TCP ok …`.
    pub fn line(&self) -> String {
        let via = match &self.proxy {
            Some(p) => format!(" through the proxy {}", p.shown()),
            None => String::new(),
        };
        let steps: Vec<String> = self
            .steps
            .iter()
            .map(|s| match &s.outcome {
                Ok(d) if d.is_empty() => format!("{} ok ({} ms)", s.name, s.millis),
                Ok(d) => format!("{} ok ({d}, {} ms)", s.name, s.millis),
                Err(e) => format!("{} FAILED ({}): {e}", s.name, s.target),
            })
            .collect();
        format!("{}:{}{via}: {}", self.host, self.port, steps.join(" · "))
    }

    /// What to check, for the first failed step.
    pub fn advice(&self) -> Option<String> {
        let f = self.first_failure()?;
        let proxy = self.proxy.as_ref().map(ProxyChoice::shown);
        Some(match (f.name, &proxy) {
            ("DNS", Some(p)) if f.target != self.host => format!(
                "the proxy's name {} does not resolve: check the proxy {p}",
                f.target
            ),
            ("DNS", _) => format!(
                "{} does not resolve: check the network connection and the DNS settings (/etc/resolv.conf); on a network that needs a proxy, set HTTPS_PROXY or the config's http_proxy",
                self.host
            ),
            ("TCP", Some(p)) => format!(
                "no connection to the proxy {p}: check that it runs and that the host and port are right"
            ),
            ("TCP", None) => format!(
                "no connection to {}:{}: a firewall may block outgoing port {}; on a network that needs a proxy, set HTTPS_PROXY or the config's http_proxy",
                self.host, self.port, self.port
            ),
            ("proxy CONNECT", Some(p)) => format!(
                "the proxy {p} refused to open a tunnel to {}:{}: check the proxy's credentials (user:password in the URL) and that it allows this host",
                self.host, self.port
            ),
            ("TLS", _) => format!(
                "the TLS handshake with {} failed: a proxy or antivirus that inspects TLS re-signs Google's certificate with its own authority, which adsconf (and the libraries' default trust stores) do not trust; ask for the proxy's CA certificate and configure your library to trust it, or bypass inspection for {}",
                self.host, self.host
            ),
            _ => format!("{} failed", f.name),
        })
    }
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, u128) {
    let t = Instant::now();
    let r = f();
    (r, t.elapsed().as_millis())
}

/// Resolve in a thread so that a dead resolver costs at most `timeout`.
fn resolve(
    host: &str,
    port: u16,
    timeout: Duration,
) -> std::result::Result<Vec<SocketAddr>, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let h = host.to_string();
    std::thread::spawn(move || {
        let r = (h.as_str(), port)
            .to_socket_addrs()
            .map(|a| a.collect::<Vec<_>>());
        let _ = tx.send(r);
    });
    match rx.recv_timeout(timeout) {
        Ok(Ok(a)) if !a.is_empty() => Ok(a),
        Ok(Ok(_)) => Err("no address".into()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer within {} s", timeout.as_secs())),
    }
}

fn connect(
    addrs: &[SocketAddr],
    timeout: Duration,
) -> std::result::Result<(TcpStream, SocketAddr), String> {
    let mut last = String::from("no address");
    for a in addrs {
        match TcpStream::connect_timeout(a, timeout) {
            Ok(s) => return Ok((s, *a)),
            Err(e) => last = format!("{a}: {e}"),
        }
    }
    Err(last)
}

/// `CONNECT host:port` through an open connection to the proxy.
fn connect_tunnel(
    stream: &mut TcpStream,
    host: &str,
    port: u16,
    auth: Option<&str>,
) -> std::result::Result<String, String> {
    use base64::Engine;
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut req = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
    if let Some(a) = auth {
        req.push_str(&format!(
            "Proxy-Authorization: Basic {}\r\n",
            base64::engine::general_purpose::STANDARD.encode(a)
        ));
    }
    req.push_str("\r\n");
    stream
        .write_all(req.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
    let mut status = String::new();
    reader.read_line(&mut status).map_err(|e| e.to_string())?;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).map_err(|e| e.to_string())? == 0 || h.trim().is_empty() {
            break;
        }
    }
    let code = status.split_whitespace().nth(1).unwrap_or("");
    if code.starts_with('2') {
        Ok(format!("HTTP {code}"))
    } else if status.trim().is_empty() {
        Err("the proxy closed the connection".into())
    } else {
        Err(format!("the proxy answered {}", status.trim()))
    }
}

fn tls_config() -> std::result::Result<Arc<rustls::ClientConfig>, String> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let cfg = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| e.to_string())?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(Arc::new(cfg))
}

fn tls_handshake<S: Read + Write>(io: &mut S, host: &str) -> std::result::Result<String, String> {
    let name =
        rustls::pki_types::ServerName::try_from(host.to_string()).map_err(|e| e.to_string())?;
    let mut conn = rustls::ClientConnection::new(tls_config()?, name).map_err(|e| e.to_string())?;
    while conn.is_handshaking() {
        match conn.complete_io(io) {
            Ok((0, 0)) if conn.is_handshaking() => {
                return Err("the connection closed during the handshake".into())
            }
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    let version = conn
        .protocol_version()
        .map(|v| format!("{v:?}").replace("TLSv1_", "TLS 1."))
        .unwrap_or_default();
    Ok(format!("{version}, certificate verified"))
}

/// Check the way to `url` (its host and port) step by step, through the current proxy unless
/// `NO_PROXY` exempts the host. Stops at the first failed step.
pub fn check(url: &str, timeout: Duration) -> Option<HostCheck> {
    let (scheme, rest) = url.split_once("://")?;
    let https = scheme.eq_ignore_ascii_case("https");
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = split_host_port(authority, if https { 443 } else { 80 })?;
    let proxy = current_proxy().filter(|p| !p.bypasses(&host));
    let mut steps = Vec::new();
    let mut push = |name, target: &str, r: (std::result::Result<String, String>, u128)| {
        let ok = r.0.is_ok();
        steps.push(Step {
            name,
            target: target.to_string(),
            outcome: r.0,
            millis: r.1,
        });
        ok
    };
    // Where the TCP connection goes: the proxy, or the host.
    let (conn_host, conn_port) = match &proxy {
        Some(p) => match p.host_port() {
            Some(hp) => hp,
            None => {
                push("DNS", &p.url, (Err("not a proxy URL".into()), 0));
                return Some(HostCheck {
                    host,
                    port,
                    proxy,
                    steps,
                });
            }
        },
        None => (host.clone(), port),
    };
    let (addrs, ms) = timed(|| resolve(&conn_host, conn_port, timeout));
    let addrs = match addrs {
        Ok(a) => {
            let shown: Vec<String> = a.iter().take(2).map(|x| x.ip().to_string()).collect();
            push("DNS", &conn_host, (Ok(shown.join(", ")), ms));
            a
        }
        Err(e) => {
            push("DNS", &conn_host, (Err(e), ms));
            return Some(HostCheck {
                host,
                port,
                proxy,
                steps,
            });
        }
    };
    let (conn, ms) = timed(|| connect(&addrs, timeout));
    let mut stream = match conn {
        Ok((s, a)) => {
            push(
                "TCP",
                &format!("{conn_host}:{conn_port}"),
                (Ok(a.to_string()), ms),
            );
            s
        }
        Err(e) => {
            push("TCP", &format!("{conn_host}:{conn_port}"), (Err(e), ms));
            return Some(HostCheck {
                host,
                port,
                proxy,
                steps,
            });
        }
    };
    let _ = stream.set_read_timeout(Some(timeout));
    let _ = stream.set_write_timeout(Some(timeout));
    // ureq (and gRPC) tunnel every request through the proxy with CONNECT, http too.
    if let Some(p) = &proxy {
        let auth = p.credentials();
        let r = timed(|| connect_tunnel(&mut stream, &host, port, auth.as_deref()));
        if !push("proxy CONNECT", &format!("{host}:{port}"), r) {
            return Some(HostCheck {
                host,
                port,
                proxy,
                steps,
            });
        }
    }
    if https {
        let r = timed(|| tls_handshake(&mut stream, &host));
        push("TLS", &host, r);
    }
    Some(HostCheck {
        host,
        port,
        proxy,
        steps,
    })
}

/// A transport failure of a request to `url` (no HTTP answer), in one sentence: the host,
/// the proxy in use and what to check.
pub fn explain_unreachable(url: &str, err: &ureq::Error) -> String {
    let authority = url
        .split_once("://")
        .map(|(_, r)| r.split(['/', '?', '#']).next().unwrap_or(""))
        .unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let host = split_host_port(authority, 443)
        .map(|(h, _)| h)
        .unwrap_or_default();
    let proxy = current_proxy().filter(|p| !p.bypasses(&host));
    let via = match &proxy {
        Some(p) => format!("through the proxy {}", p.shown()),
        None => {
            "directly (no proxy: neither the config's http_proxy nor HTTPS_PROXY/ALL_PROXY is set)"
                .to_string()
        }
    };
    let what = match err {
        ureq::Error::HostNotFound => match &proxy {
            Some(_) => "a host name does not resolve (DNS)".to_string(),
            None => format!("{host} does not resolve (DNS)"),
        },
        ureq::Error::ConnectionFailed => "the connection was refused or could not be made".into(),
        ureq::Error::Timeout(t) => format!("it timed out ({t})"),
        ureq::Error::ConnectProxyFailed(m) => format!("the proxy refused the tunnel: {m}"),
        ureq::Error::Tls(m) => format!("TLS failed: {m}"),
        ureq::Error::Rustls(e) => format!("TLS failed: {e}"),
        ureq::Error::Io(e) => {
            let m = e.to_string();
            if m.contains("lookup") || m.contains("resolve") || m.contains("Name or service") {
                match &proxy {
                    Some(_) => "a host name does not resolve (DNS)".to_string(),
                    None => format!("{host} does not resolve (DNS)"),
                }
            } else if e.kind() == std::io::ErrorKind::ConnectionRefused {
                "the connection was refused".to_string()
            } else {
                m
            }
        }
        other => other.to_string(),
    };
    format!(
        "cannot reach {host} {via}: {what}. Check the network connection, DNS and firewall{}; `adsconf verify` checks DNS, TCP and TLS step by step",
        if proxy.is_some() { " and the proxy" } else { ", and set HTTPS_PROXY or the config's http_proxy on a network that needs a proxy" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_config_proxy_wins_over_the_environment() {
        let e = env(&[
            ("HTTPS_PROXY", "http://env:3128"),
            ("NO_PROXY", "localhost,.corp"),
        ]);
        let c = proxy_choice(Some("http://u:secretpw@cfg:8080"), &e).unwrap();
        assert_eq!(c.source, "the config's http_proxy");
        assert!(!c.shown().contains("secretpw"), "{}", c.shown());
        assert_eq!(c.host_port(), Some(("cfg".into(), 8080)));
        assert_eq!(c.credentials().as_deref(), Some("u:secretpw"));
        let c = proxy_choice(None, &e).unwrap();
        assert_eq!(c.source, "HTTPS_PROXY");
        assert!(
            c.bypasses("localhost") && c.bypasses("a.corp") && !c.bypasses("oauth2.googleapis.com")
        );
        assert!(proxy_choice(Some("  "), &env(&[])).is_none());
        let c = proxy_choice(None, &env(&[("ALL_PROXY", "p:1"), ("HTTPS_PROXY", "q:2")])).unwrap();
        assert_eq!(c.source, "ALL_PROXY");
        assert_eq!(c.host_port(), Some(("p".into(), 1)));
    }

    #[test]
    fn host_ports() {
        assert_eq!(split_host_port("[::1]:8", 1), Some(("::1".into(), 8)));
        assert_eq!(split_host_port("h", 443), Some(("h".into(), 443)));
        assert_eq!(split_host_port("h:x", 443), None);
    }
}
