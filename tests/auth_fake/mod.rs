//! Test doubles for `auth` and `verify`: a tiny HTTP server on 127.0.0.1:0 (fake OAuth
//! provider, fake Google Ads REST API), a "browser" that follows one redirect, and a runner
//! that reads adsconf's stderr as it comes. Servers live in test threads with bounded loops
//! and stop by themselves (on drop, or after a minute at most).
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// Decode a query component (an implementation independent of adsconf's).
pub fn decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'+' {
            out.push(b' ');
        } else if b[i] == b'%' && i + 2 < b.len() {
            let h = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(h, 16).unwrap());
            i += 2;
        } else {
            out.push(b[i]);
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|c| {
            if c.is_ascii_alphanumeric() || b"-._~".contains(&c) {
                (c as char).to_string()
            } else {
                format!("%{c:02X}")
            }
        })
        .collect()
}

pub fn parse_query(q: &str) -> HashMap<String, String> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    /// The path (for a proxied request, the path of its absolute-form target).
    pub path: String,
    /// The absolute-form target of a request sent to a proxy (`http://host:port/path`).
    pub absolute: Option<String>,
    /// The `CONNECT host:port` this request came through (the server plays the proxy too).
    pub tunnel: Option<String>,
    pub query: HashMap<String, String>,
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Req {
    pub fn form(&self) -> HashMap<String, String> {
        parse_query(&self.body)
    }
    pub fn header(&self, k: &str) -> Option<&str> {
        self.headers
            .get(&k.to_ascii_lowercase())
            .map(String::as_str)
    }
}

#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn json(status: u16, body: serde_json::Value) -> Resp {
        Resp {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string(),
        }
    }
    pub fn redirect(location: &str) -> Resp {
        Resp {
            status: 302,
            headers: vec![("Location".into(), location.into())],
            body: String::new(),
        }
    }
}

type Handler = Box<dyn Fn(&Req) -> Resp + Send + Sync>;

/// A fake HTTP server recording every request.
pub struct Server {
    pub base: String,
    pub requests: Arc<Mutex<Vec<Req>>>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

/// Read a request; a `CONNECT` is answered 200 and the request sent through the tunnel is
/// read instead (so a fake server is its own proxy).
fn read_request(stream: &mut TcpStream) -> Option<Req> {
    let first = read_one(stream)?;
    if first.method != "CONNECT" {
        return Some(first);
    }
    stream
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .ok()?;
    let mut req = read_one(stream)?;
    req.tunnel = Some(first.path.trim_start_matches('/').to_string());
    Some(req)
}

fn read_one(stream: &mut TcpStream) -> Option<Req> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 {
            break;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    reader.read_exact(&mut body).ok()?;
    let (absolute, target) = match target.strip_prefix("http://") {
        Some(rest) => {
            let i = rest.find('/').unwrap_or(rest.len());
            (
                Some(target.clone()),
                format!("/{}", rest[i..].trim_start_matches('/')),
            )
        }
        None => (None, target),
    };
    let (path, q) = target.split_once('?').unwrap_or((&target, ""));
    Some(Req {
        method,
        tunnel: None,
        absolute,
        path: path.to_string(),
        query: parse_query(q),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        _ => "Status",
    }
}

fn write_response(stream: &mut TcpStream, resp: &Resp) {
    let mut out = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (k, v) in &resp.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{}",
        resp.body.len(),
        resp.body
    ));
    let _ = stream.write_all(out.as_bytes());
}

impl Server {
    pub fn start(handler: impl Fn(&Req) -> Resp + Send + Sync + 'static) -> Server {
        let handler: Handler = Box::new(handler);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        listener.set_nonblocking(true).unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (r2, s2) = (requests.clone(), stop.clone());
        let handle = std::thread::spawn(move || {
            let end = Instant::now() + Duration::from_secs(60);
            while !s2.load(Ordering::Relaxed) && Instant::now() < end {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        stream.set_nonblocking(false).unwrap();
                        let Some(req) = read_request(&mut stream) else {
                            continue;
                        };
                        let resp = handler(&req);
                        r2.lock().unwrap().push(req);
                        write_response(&mut stream, &resp);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Server {
            base,
            requests,
            stop,
            handle: Some(handle),
        }
    }

    /// A server that answers each connection on its own thread after `delay` (a round trip
    /// to Google), so concurrent clients are served concurrently. `in_flight` records the
    /// most requests handled at once.
    pub fn start_threaded(
        delay: Duration,
        handler: impl Fn(&Req) -> Resp + Send + Sync + 'static,
    ) -> (Server, Arc<std::sync::atomic::AtomicUsize>) {
        let handler: Arc<Handler> = Arc::new(Box::new(handler));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        listener.set_nonblocking(true).unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let now = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (r2, s2, peak2) = (requests.clone(), stop.clone(), peak.clone());
        let handle = std::thread::spawn(move || {
            let end = Instant::now() + Duration::from_secs(120);
            while !s2.load(Ordering::Relaxed) && Instant::now() < end {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        stream.set_nonblocking(false).unwrap();
                        let (h, r3, p3, n3) =
                            (handler.clone(), r2.clone(), peak2.clone(), now.clone());
                        std::thread::spawn(move || {
                            let Some(req) = read_request(&mut stream) else {
                                return;
                            };
                            let n = n3.fetch_add(1, Ordering::SeqCst) + 1;
                            p3.fetch_max(n, Ordering::SeqCst);
                            std::thread::sleep(delay);
                            let resp = h(&req);
                            n3.fetch_sub(1, Ordering::SeqCst);
                            r3.lock().unwrap().push(req);
                            write_response(&mut stream, &resp);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(1)),
                }
            }
        });
        (
            Server {
                base,
                requests,
                stop,
                handle: Some(handle),
            },
            peak,
        )
    }

    pub fn requests_to(&self, path: &str) -> Vec<Req> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// One `CONNECT` a [`TunnelProxy`] was asked for.
#[derive(Debug, Clone)]
pub struct Connect {
    /// `host:port` of the tunnel.
    pub target: String,
    /// Did `Proxy-Authorization` carry the right user and password?
    pub authorized: bool,
    /// Was a tunnel opened (authorized and the target reachable)?
    pub opened: bool,
}

/// A forward proxy that opens real tunnels, as squid does: `CONNECT host:port` with
/// `Proxy-Authorization: Basic` of the right `user:password` is answered 200 and the bytes
/// are copied both ways to `host:port`; a missing or wrong password gets 407, anything but
/// CONNECT 405. Each connection on its own thread; stops on drop (or after two minutes).
pub struct TunnelProxy {
    /// `http://127.0.0.1:PORT` (no credentials).
    pub base: String,
    pub connects: Arc<Mutex<Vec<Connect>>>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

/// The request head (through the blank line), read byte by byte so that nothing of the
/// tunnelled stream is consumed.
fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut b = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut b).ok()? == 0 || head.len() > 64 * 1024 {
            return None;
        }
        head.push(b[0]);
    }
    String::from_utf8(head).ok()
}

impl TunnelProxy {
    pub fn start(user: &str, password: &str) -> TunnelProxy {
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
        );
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        listener.set_nonblocking(true).unwrap();
        let connects = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (c2, s2) = (connects.clone(), stop.clone());
        let handle = std::thread::spawn(move || {
            let end = Instant::now() + Duration::from_secs(120);
            while !s2.load(Ordering::Relaxed) && Instant::now() < end {
                let Ok((mut client, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                let (c3, expected) = (c2.clone(), expected.clone());
                std::thread::spawn(move || {
                    client.set_nonblocking(false).unwrap();
                    client
                        .set_read_timeout(Some(Duration::from_secs(30)))
                        .unwrap();
                    let Some(head) = read_head(&mut client) else {
                        return;
                    };
                    let mut lines = head.lines();
                    let first = lines.next().unwrap_or("").to_string();
                    let mut parts = first.split_whitespace();
                    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                    if method != "CONNECT" {
                        let _ = client.write_all(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        return;
                    }
                    let auth = lines
                        .filter_map(|l| l.split_once(':'))
                        .find(|(k, _)| k.trim().eq_ignore_ascii_case("proxy-authorization"))
                        .map(|(_, v)| v.trim().to_string());
                    let authorized = auth.as_deref() == Some(expected.as_str());
                    let mut record = Connect {
                        target: target.to_string(),
                        authorized,
                        opened: false,
                    };
                    if !authorized {
                        c3.lock().unwrap().push(record);
                        let _ = client.write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        return;
                    }
                    let Ok(upstream) = TcpStream::connect(target) else {
                        c3.lock().unwrap().push(record);
                        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        return;
                    };
                    record.opened = true;
                    c3.lock().unwrap().push(record);
                    if client
                        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                        .is_err()
                    {
                        return;
                    }
                    // Copy both ways until either side closes.
                    let (mut up_r, mut up_w) = (upstream.try_clone().unwrap(), upstream);
                    let (mut cl_r, mut cl_w) = (client.try_clone().unwrap(), client);
                    let t = std::thread::spawn(move || {
                        let _ = std::io::copy(&mut cl_r, &mut up_w);
                        let _ = up_w.shutdown(std::net::Shutdown::Write);
                    });
                    let _ = std::io::copy(&mut up_r, &mut cl_w);
                    let _ = cl_w.shutdown(std::net::Shutdown::Both);
                    let _ = t.join();
                });
            }
        });
        TunnelProxy {
            base,
            connects,
            stop,
            handle: Some(handle),
        }
    }

    /// The proxy URL with credentials: `http://user:password@127.0.0.1:PORT`.
    pub fn url_with(&self, user: &str, password: &str) -> String {
        format!(
            "http://{user}:{password}@{}",
            self.base.trim_start_matches("http://")
        )
    }

    pub fn connects(&self) -> Vec<Connect> {
        self.connects.lock().unwrap().clone()
    }
}

impl Drop for TunnelProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// A plain HTTP GET (no proxy, no redirect following): status, headers, body.
pub fn http_get(url: &str) -> (u16, HashMap<String, String>, String) {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => {
            let (a, q) = rest
                .split_once('?')
                .map(|(a, q)| (a, format!("/?{q}")))
                .unwrap_or((rest, "/".into()));
            return http_get_raw(a, &q);
        }
    };
    http_get_raw(authority, path)
}

fn http_get_raw(authority: &str, path: &str) -> (u16, HashMap<String, String>, String) {
    let mut s = TcpStream::connect(authority).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, body.to_string())
}

pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// How the fake provider's authorization endpoint answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    /// Redirect with a code and the state.
    Grant,
    /// Redirect with `error=access_denied`.
    Deny,
    /// Redirect with a code and a different state.
    WrongState,
    /// Redirect with a code and no state.
    NoState,
}

/// The fake Google: `/auth` checks the authorization request and redirects back to the
/// redirect URI; `/token` exchanges the code, checking redirect URI, client and the PKCE
/// verifier against the challenge, then answers `token_reply`.
pub struct Provider {
    pub server: Server,
}

pub const CLIENT_ID: &str = "1234-fake.apps.googleusercontent.com";
pub const CLIENT_SECRET: &str = "GOCSPX-fake-client-secret";
pub const REFRESH_TOKEN: &str = "1//0fake-refresh-token-abcdef";
pub const ACCESS_TOKEN: &str = "ya29.fake-access-token-xyz";
/// The code as the provider issues it: its `/` arrives percent-encoded.
pub const CODE: &str = "4/0AfakeCode-123";

pub fn good_token_reply() -> Resp {
    Resp::json(
        200,
        serde_json::json!({
            "access_token": ACCESS_TOKEN,
            "expires_in": 3599,
            "refresh_token": REFRESH_TOKEN,
            "scope": "https://www.googleapis.com/auth/adwords",
            "token_type": "Bearer"
        }),
    )
}

/// Google's tokeninfo for the fake access token: the adwords scope, an hour, the fake client.
pub fn tokeninfo_ok(req: &Req) -> Resp {
    let token = req
        .form()
        .get("access_token")
        .cloned()
        .or_else(|| req.query.get("access_token").cloned());
    if token.as_deref() != Some(ACCESS_TOKEN) {
        return Resp::json(
            400,
            serde_json::json!({"error": "invalid_token", "error_description": "Invalid Value"}),
        );
    }
    Resp::json(
        200,
        serde_json::json!({"azp": CLIENT_ID, "aud": CLIENT_ID, "scope": "https://www.googleapis.com/auth/adwords",
            "exp": "1893456000", "expires_in": "3599", "access_type": "offline"}),
    )
}

/// A Google Ads API failure body (`GoogleAdsFailure` with one error code).
pub fn ads_error(status: u16, rpc: &str, message: &str, error_code: serde_json::Value) -> Resp {
    Resp::json(
        status,
        serde_json::json!({"error": {"code": status, "message": message, "status": rpc, "details": [{
            "@type": "type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure",
            "errors": [{"errorCode": error_code, "message": message}], "requestId": "fake"}]}}),
    )
}

impl Provider {
    pub fn start(
        mode: AuthMode,
        token_reply: impl Fn() -> Resp + Send + Sync + 'static,
    ) -> Provider {
        Provider::start_with(mode, move |_| token_reply())
    }

    /// [`Provider::start`] with a token reply that sees the token request's form (to echo
    /// what the client sent, as a hostile endpoint would).
    pub fn start_with(
        mode: AuthMode,
        token_reply: impl Fn(&HashMap<String, String>) -> Resp + Send + Sync + 'static,
    ) -> Provider {
        // code → (challenge, redirect_uri)
        let issued: Arc<Mutex<HashMap<String, (String, String)>>> = Arc::default();
        let server = Server::start(move |req| match (req.method.as_str(), req.path.as_str()) {
            ("GET", "/auth") => {
                let q = &req.query;
                let bad = |what: &str| {
                    Resp::json(
                        400,
                        serde_json::json!({"error": "invalid_request", "error_description": what}),
                    )
                };
                for (k, v) in [
                    ("response_type", "code"),
                    ("client_id", CLIENT_ID),
                    ("access_type", "offline"),
                    ("prompt", "consent"),
                    ("code_challenge_method", "S256"),
                ] {
                    if q.get(k).map(String::as_str) != Some(v) {
                        return bad(&format!("{k} must be {v}"));
                    }
                }
                let scope = q.get("scope").cloned().unwrap_or_default();
                if !scope
                    .split(' ')
                    .any(|s| s == "https://www.googleapis.com/auth/adwords")
                {
                    return bad("scope lacks adwords");
                }
                let (Some(redirect), Some(state), Some(challenge)) = (
                    q.get("redirect_uri"),
                    q.get("state"),
                    q.get("code_challenge"),
                ) else {
                    return bad("missing redirect_uri, state or code_challenge");
                };
                if challenge.len() != 43 || state.len() < 16 {
                    return bad("weak state or challenge");
                }
                issued
                    .lock()
                    .unwrap()
                    .insert(CODE.to_string(), (challenge.clone(), redirect.clone()));
                let loc = match mode {
                    AuthMode::Grant => format!(
                        "{redirect}?state={}&code={}&scope={}",
                        encode(state),
                        encode(CODE),
                        encode(&scope)
                    ),
                    AuthMode::Deny => {
                        format!("{redirect}?error=access_denied&state={}", encode(state))
                    }
                    AuthMode::WrongState => format!(
                        "{redirect}?state=forged{}&code={}",
                        encode(state),
                        encode(CODE)
                    ),
                    AuthMode::NoState => format!("{redirect}?code={}", encode(CODE)),
                };
                Resp::redirect(&loc)
            }
            ("POST", "/tokeninfo") => tokeninfo_ok(req),
            ("POST", "/token") => {
                let f = req.form();
                let err = |e: &str, d: &str| {
                    Resp::json(400, serde_json::json!({"error": e, "error_description": d}))
                };
                if f.get("grant_type").map(String::as_str) == Some("refresh_token") {
                    // What verify does with the token the flow gave.
                    return if f.get("refresh_token").map(String::as_str) == Some(REFRESH_TOKEN)
                        && f.get("client_id").map(String::as_str) == Some(CLIENT_ID)
                        && f.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET)
                    {
                        Resp::json(
                            200,
                            serde_json::json!({"access_token": ACCESS_TOKEN, "expires_in": 3599,
                                "scope": "https://www.googleapis.com/auth/adwords", "token_type": "Bearer"}),
                        )
                    } else {
                        err("invalid_grant", "Token has been expired or revoked.")
                    };
                }
                if f.get("grant_type").map(String::as_str) != Some("authorization_code") {
                    return err("unsupported_grant_type", "");
                }
                if f.get("client_id").map(String::as_str) != Some(CLIENT_ID)
                    || f.get("client_secret").map(String::as_str) != Some(CLIENT_SECRET)
                {
                    return err("invalid_client", "Unauthorized");
                }
                let code = f.get("code").cloned().unwrap_or_default();
                let Some((challenge, redirect)) = issued.lock().unwrap().remove(&code) else {
                    return err("invalid_grant", "Malformed auth code.");
                };
                if f.get("redirect_uri") != Some(&redirect) {
                    return err("redirect_uri_mismatch", "Bad Request");
                }
                match f.get("code_verifier") {
                    Some(v) if (43..=128).contains(&v.len()) && s256(v) == challenge => {
                        token_reply(&f)
                    }
                    Some(_) => err("invalid_grant", "Invalid code verifier."),
                    None => err("invalid_grant", "Missing code verifier."),
                }
            }
            _ => Resp::json(404, serde_json::json!({"error": "not_found"})),
        });
        Provider { server }
    }

    pub fn auth_uri(&self) -> String {
        format!("{}/auth", self.server.base)
    }
    pub fn token_uri(&self) -> String {
        format!("{}/token", self.server.base)
    }

    /// Write a client secrets file pointing at this provider.
    pub fn client_secrets(
        &self,
        dir: &Path,
        kind: &str,
        redirect_uris: &[&str],
    ) -> std::path::PathBuf {
        let p = dir.join("client_secret.json");
        let mut inner = serde_json::json!({
            "client_id": CLIENT_ID,
            "project_id": "fake-project",
            "auth_uri": self.auth_uri(),
            "token_uri": self.token_uri(),
            "client_secret": CLIENT_SECRET,
        });
        if !redirect_uris.is_empty() {
            inner["redirect_uris"] = serde_json::json!(redirect_uris);
        }
        std::fs::write(&p, serde_json::json!({ kind: inner }).to_string()).unwrap();
        p
    }
}

/// A running adsconf whose stderr is read line by line as it comes.
pub struct Run {
    pub child: Child,
    lines: mpsc::Receiver<String>,
    pub stderr: Arc<Mutex<String>>,
    stdout: Option<JoinHandle<String>>,
}

pub fn spawn(dir: &Path, args: &[&str], stdin_piped: bool) -> Run {
    spawn_env(dir, args, stdin_piped, &[])
}

/// [`spawn`] with extra environment variables.
pub fn spawn_env(dir: &Path, args: &[&str], stdin_piped: bool, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_adsconf"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    // adsconf runs as from a terminal, where Ctrl-C is not ignored: a test run started in the
    // background of a non-interactive shell (a CI runner, `cmd &`) inherits SIGINT ignored,
    // and exec keeps that, which would make the Ctrl-C tests test nothing.
    // SAFETY: signal() is async-signal-safe and the closure touches nothing else.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = cmd
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("BROWSER")
        .env_remove("HTTPS_PROXY")
        .env_remove("HTTP_PROXY")
        .env_remove("ALL_PROXY")
        .env_remove("https_proxy")
        .env_remove("http_proxy")
        .env_remove("all_proxy")
        .stdin(if stdin_piped {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let all = Arc::new(Mutex::new(String::new()));
    let err = child.stderr.take().unwrap();
    let all2 = all.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines() {
            let Ok(line) = line else { break };
            all2.lock().unwrap().push_str(&line);
            all2.lock().unwrap().push('\n');
            let _ = tx.send(line);
        }
    });
    let mut out = child.stdout.take().unwrap();
    let stdout = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    Run {
        child,
        lines: rx,
        stderr: all,
        stdout: Some(stdout),
    }
}

impl Run {
    /// The first stderr line starting with `prefix` (panics after 20 s).
    pub fn line_starting(&self, prefix: &str) -> String {
        let end = Instant::now() + Duration::from_secs(20);
        while Instant::now() < end {
            if let Ok(l) = self.lines.recv_timeout(Duration::from_millis(100)) {
                if l.starts_with(prefix) {
                    return l;
                }
            }
        }
        panic!(
            "no stderr line starting with {prefix}; stderr so far:\n{}",
            self.stderr.lock().unwrap()
        );
    }

    pub fn write_stdin(&mut self, text: &str) {
        let stdin = self.child.stdin.as_mut().unwrap();
        stdin.write_all(text.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Wait for the exit (kill after `secs`): exit code, stdout, stderr.
    pub fn finish(mut self, secs: u64) -> (i32, String, String) {
        drop(self.child.stdin.take());
        let end = Instant::now() + Duration::from_secs(secs);
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > end {
                let _ = self.child.kill();
                panic!(
                    "adsconf did not finish in {secs} s; stderr:\n{}",
                    self.stderr.lock().unwrap()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stdout = self.stdout.take().unwrap().join().unwrap();
        // Let the stderr reader drain.
        std::thread::sleep(Duration::from_millis(50));
        let stderr = self.stderr.lock().unwrap().clone();
        (status.code().unwrap_or(-1), stdout, stderr)
    }
}
