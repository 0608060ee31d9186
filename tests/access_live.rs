//! `adsconf access --live` against a fake token endpoint and Google Ads REST API: plain
//! `TcpListener` servers on 127.0.0.1 (port 0) in test threads, bounded loops.

mod auth_fake;
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

#[derive(Debug, Clone)]
struct Req {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Req {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Router = dyn Fn(&Req) -> (u16, Value) + Send + Sync;

/// Serve up to `max` requests (one per connection) and record them.
fn serve(max: usize, route: Box<Router>) -> (String, Arc<Mutex<Vec<Req>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let log2 = log.clone();
    std::thread::spawn(move || {
        for _ in 0..max {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap_or("").to_string();
            let path = parts.next().unwrap_or("").to_string();
            let mut headers = Vec::new();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
                if let Some((k, v)) = h.trim_end().split_once(':') {
                    headers.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
            let len: usize = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let mut body = vec![0u8; len];
            let _ = reader.read_exact(&mut body);
            let req = Req {
                method,
                path,
                headers,
                body: String::from_utf8_lossy(&body).into_owned(),
            };
            let (status, value) = route(&req);
            log2.lock().unwrap().push(req);
            let text = value.to_string();
            let mut s = stream;
            let _ = write!(
                s,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    (base, log)
}

const ACCESS_TOKEN: &str = "ya29.SECRET-ACCESS-TOKEN";
const REFRESH_TOKEN: &str = "1//SECRET-REFRESH";
const CLIENT_SECRET: &str = "GOCSPX-SECRET";

fn row(id: &str, level: u32, manager: bool, name: &str) -> Value {
    json!({"customerClient": {
        "resourceName": format!("customers/x/customerClients/{id}"),
        "clientCustomer": format!("customers/{id}"),
        "id": id,
        "level": level.to_string(),
        "manager": manager,
        "descriptiveName": name,
    }})
}

const M1: &str = "1000000001";
const M2: &str = "1000000002";
const M3: &str = "1000000003";
const A1: &str = "2000000001";
const A2: &str = "2000000002";
const A3: &str = "2000000003";
const A4: &str = "2000000004";

/// The seed hierarchy behind a fake API: M1 and M3 accessible, M2 (manager) under M1, its
/// clients paged over two pages, A1 under both M2 and M3.
fn seed_api(req: &Req) -> (u16, Value) {
    if req.path == "/token" {
        assert!(
            req.body.contains("grant_type=refresh_token"),
            "{}",
            req.body
        );
        return (
            200,
            json!({"access_token": ACCESS_TOKEN, "expires_in": 3599, "token_type": "Bearer"}),
        );
    }
    assert_eq!(
        req.header("authorization"),
        Some(format!("Bearer {ACCESS_TOKEN}").as_str())
    );
    if req.path == "/v26/customers:listAccessibleCustomers" {
        return (
            200,
            json!({"resourceNames": [format!("customers/{M3}"), format!("customers/{M1}")]}),
        );
    }
    let body: Value = serde_json::from_str(&req.body).unwrap_or(Value::Null);
    if body["query"]
        .as_str()
        .unwrap_or("")
        .contains("FROM customer_user_access")
    {
        // Only an admin may read an account's users: admin on M3, not on M1.
        return match req.path.as_str() {
            "/v26/customers/1000000003/googleAds:search" => (
                200,
                json!({"results": [{"customerUserAccess": {"userId": "1", "emailAddress": "me@example.com", "accessRole": "ADMIN"}}]}),
            ),
            _ => (
                403,
                json!({"error": {"code": 403, "message": "The caller does not have permission", "status": "PERMISSION_DENIED",
                    "details": [{"errors": [{"errorCode": {"authorizationError": "USER_PERMISSION_DENIED"}}]}]}}),
            ),
        };
    }
    assert!(body["query"]
        .as_str()
        .unwrap_or("")
        .contains("FROM customer_client WHERE customer_client.level <= 1"));
    let page = body["pageToken"].as_str();
    match (req.path.as_str(), page) {
        ("/v26/customers/1000000001/googleAds:search", None) => (
            200,
            json!({"results": [row(M1, 0, true, "M1"), row(M2, 1, true, "M2")]}),
        ),
        ("/v26/customers/1000000002/googleAds:search", None) => (
            200,
            json!({"results": [row(M2, 0, true, "M2"), row(A1, 1, false, "A1")], "nextPageToken": "page-2"}),
        ),
        ("/v26/customers/1000000002/googleAds:search", Some("page-2")) => (
            200,
            json!({"results": [row(A2, 1, false, "A2"), row(A3, 1, false, "A3")]}),
        ),
        ("/v26/customers/1000000003/googleAds:search", None) => (
            200,
            json!({"results": [row(M3, 0, true, "M3"), row(A1, 1, false, "A1"), row(A4, 1, false, "A4")]}),
        ),
        _ => (
            404,
            json!({"error": {"code": 404, "message": format!("unexpected {} {}", req.method, req.path)}}),
        ),
    }
}

fn config(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("googleads.properties");
    std::fs::write(
        &p,
        format!("clientId=1234-abc.apps.googleusercontent.com\nclientSecret={CLIENT_SECRET}\nrefreshToken={REFRESH_TOKEN}\n"),
    )
    .unwrap();
    p
}

/// `access --live --config googleads.properties EXTRA...` in `dir`.
fn live_with(dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["access", "--live", "--config", "googleads.properties"];
    args.extend_from_slice(extra);
    common::adsconf(dir, &args)
}

/// Against the fake server at `base` (token endpoint `{base}/token`, API v26).
fn live(dir: &std::path::Path, base: &str, extra: &[&str]) -> std::process::Output {
    let token = format!("{base}/token");
    let mut args = vec![
        "--token-uri",
        &token,
        "--api-base",
        base,
        "--api-version",
        "v26",
    ];
    args.extend_from_slice(extra);
    live_with(dir, &args)
}

fn no_secrets(o: &std::process::Output) {
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    for s in [ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET] {
        assert!(!all.contains(s), "secret {s} printed:\n{all}");
    }
}

#[test]
fn builds_the_hierarchy_with_paging_nested_managers_and_shared_clients() {
    let dir = tempfile::tempdir().unwrap();
    config(dir.path());
    let (base, log) = serve(20, Box::new(seed_api));
    let o = live(dir.path(), &base, &["--format", "json", "--save", "h.toml"]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{err}");
    no_secrets(&o);
    assert!(err.contains("standard"), "the unknown role is said: {err}");
    let got: Value = serde_json::from_slice(&o.stdout).unwrap();
    let callable = |ids: &[&str], role: &str| -> Value {
        ids.iter()
            .map(|i| json!({"customer_id": i, "role": role}))
            .collect()
    };
    assert_eq!(
        got,
        json!({"users": [{"user": "me", "direct": [M1, M3], "indirect": [M2, A1, A2, A3, A4],
        "logins": [
            {"login_customer_id": M1, "callable": callable(&[M1, M2, A1, A2, A3], "standard")},
            {"login_customer_id": M3, "callable": callable(&[M3, A1, A4], "admin")},
        ]}]})
    );
    let reqs = log.lock().unwrap().clone();
    // M2 (reached through M1) is queried with login-customer-id M1; both pages fetched.
    let m2: Vec<&Req> = reqs
        .iter()
        .filter(|r| r.path.contains(&format!("customers/{M2}/")))
        .collect();
    assert_eq!(m2.len(), 2);
    assert!(m2.iter().all(|r| r.header("login-customer-id") == Some(M1)));
    let page2: Value = serde_json::from_str(&m2[1].body).unwrap();
    assert_eq!(page2["pageToken"], "page-2");
    let m3 = reqs
        .iter()
        .find(|r| r.path.contains(&format!("customers/{M3}/")))
        .unwrap();
    assert_eq!(m3.header("login-customer-id"), Some(M3));
    assert_eq!(
        reqs.len(),
        1 + 1 + 4 + 2,
        "token, list, M1, M2 x2, M3, the users of M1 and M3"
    );
    // Clients are never expanded.
    assert!(!reqs.iter().any(|r| r.path.contains(A1)));

    // The saved file reads back as the same hierarchy (A1 under M2 and M3).
    let h = adsconf::access::load_hierarchy(&dir.path().join("h.toml")).unwrap();
    assert_eq!(
        h.parents(A1).into_iter().collect::<Vec<_>>(),
        vec![M2.to_string(), M3.to_string()]
    );
    assert_eq!(
        h.parents(M2).into_iter().collect::<Vec<_>>(),
        vec![M1.to_string()]
    );
    assert_eq!(h.account(A2).unwrap().name.as_deref(), Some("A2"));
    let saved = std::fs::read_to_string(dir.path().join("h.toml")).unwrap();
    assert!(saved.contains("admin"), "{saved}");
    assert!(saved.contains("\"standard\""), "{saved}");
    assert!(!saved.contains("SECRET"));

    // Saving over an existing file is refused without --yes (before any HTTP call).
    let before = std::fs::read(dir.path().join("h.toml")).unwrap();
    let o = live(dir.path(), "http://127.0.0.1:9", &["--save", "h.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--yes"));
    assert_eq!(std::fs::read(dir.path().join("h.toml")).unwrap(), before);
}

#[test]
fn text_tables_from_live() {
    let dir = tempfile::tempdir().unwrap();
    config(dir.path());
    let (base, _log) = serve(20, Box::new(seed_api));
    let o = live(
        dir.path(),
        &base,
        &["--user", "me", "--customer", "A1", "--format", "json"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let got: Value = serde_json::from_slice(&o.stdout).unwrap();
    // Admin on M3 (its users could be read) beats standard on M1.
    assert_eq!(got["options"][0]["login_customer_id"], M3);
    assert_eq!(got["options"][0]["role"], "admin");
    assert_eq!(got["options"][1]["login_customer_id"], M1);
}

#[test]
fn api_error_is_explained_with_status_and_message() {
    let dir = tempfile::tempdir().unwrap();
    config(dir.path());
    let (base, _log) = serve(
        10,
        Box::new(|req: &Req| {
            if req.path == "/token" {
                return (200, json!({"access_token": ACCESS_TOKEN}));
            }
            if req.path.ends_with("listAccessibleCustomers") {
                return (200, json!({"resourceNames": [format!("customers/{M1}")]}));
            }
            (
                403,
                json!({"error": {"code": 403,
            "message": "The caller does not have permission",
            "status": "PERMISSION_DENIED",
            "details": [{"@type": "type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure",
                "errors": [{"errorCode": {"authorizationError": "USER_PERMISSION_DENIED"},
                    "message": "User doesn't have permission to access customer."}]}]}}),
            )
        }),
    );
    let o = live(dir.path(), &base, &[]);
    assert_eq!(o.status.code(), Some(1));
    no_secrets(&o);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("HTTP 403"), "{e}");
    assert!(e.contains("The caller does not have permission"), "{e}");
    assert!(e.contains("USER_PERMISSION_DENIED"), "{e}");
    assert!(e.contains(M1), "{e}");
    assert!(o.stdout.is_empty());
}

#[test]
fn a_disabled_account_is_kept_without_links() {
    let dir = tempfile::tempdir().unwrap();
    config(dir.path());
    let (base, _log) = serve(
        10,
        Box::new(|req: &Req| {
            if req.path == "/token" {
                return (200, json!({"access_token": ACCESS_TOKEN}));
            }
            if req.path.ends_with("listAccessibleCustomers") {
                return (
                    200,
                    json!({"resourceNames": [format!("customers/{M3}"), format!("customers/{A2}")]}),
                );
            }
            if req.path.contains(A2) {
                return (
                    403,
                    json!({"error": {"code": 403, "message": "The caller does not have permission",
                "details": [{"errors": [{"errorCode": {"authorizationError": "CUSTOMER_NOT_ENABLED"},
                    "message": "The customer account can't be accessed because it is not yet enabled or has been deactivated."}]}]}}),
                );
            }
            (
                200,
                json!({"results": [row(M3, 0, true, "M3"), row(A4, 1, false, "A4")]}),
            )
        }),
    );
    let o = live(dir.path(), &base, &["--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("not enabled"));
    let got: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(got["users"][0]["direct"], json!([M3, A2]));
    assert_eq!(got["users"][0]["indirect"], json!([A4]));
}

#[test]
fn token_error_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    config(dir.path());
    let (base, log) = serve(
        5,
        Box::new(|_req: &Req| {
            (
                400,
                json!({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}),
            )
        }),
    );
    let o = live(dir.path(), &base, &[]);
    assert_eq!(o.status.code(), Some(1));
    no_secrets(&o);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("HTTP 400") && e.contains("invalid_grant") && e.contains("adsconf auth"),
        "{e}"
    );
    assert_eq!(
        log.lock().unwrap().len(),
        1,
        "no API call after a failed refresh"
    );
}

/// A service account: the token comes from a signed JWT (the jwt-bearer grant, the same code
/// as `verify`), then the same API walk as for a user.
#[test]
fn service_account_builds_the_hierarchy() {
    let dir = tempfile::tempdir().unwrap();
    let Some((pem, _public)) = common::openssl_key(dir.path(), "sa") else {
        return;
    };
    let (base, log) = serve(
        50,
        Box::new(|req: &Req| {
            if req.path == "/token" {
                assert!(
                    req.body.contains(
                        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
                    ) && req.body.contains("assertion="),
                    "{}",
                    req.body
                );
                return (
                    200,
                    json!({"access_token": ACCESS_TOKEN, "expires_in": 3599, "token_type": "Bearer"}),
                );
            }
            seed_api(req)
        }),
    );
    let key = json!({
        "type": "service_account", "project_id": "p", "private_key_id": "kid1",
        "private_key": pem, "client_email": "ads@p.iam.gserviceaccount.com",
        "token_uri": format!("{base}/token"),
    });
    std::fs::write(dir.path().join("key.json"), key.to_string()).unwrap();
    std::fs::write(
        dir.path().join("googleads.properties"),
        "jsonKeyFilePath=key.json\nimpersonatedEmail=admin@example.com\n",
    )
    .unwrap();
    // No --token-uri: the key file's own token_uri is used, as the libraries do.
    let o = live_with(
        dir.path(),
        &[
            "--api-base",
            &base,
            "--api-version",
            "v26",
            "--format",
            "json",
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("ads@p.iam.gserviceaccount.com impersonating admin@example.com"),
        "{err}"
    );
    let got: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(got["users"][0]["direct"], json!([M1, M3]));
    let all = format!("{}{err}", String::from_utf8_lossy(&o.stdout));
    assert!(
        !all.contains(ACCESS_TOKEN) && !all.contains("PRIVATE KEY"),
        "{all}"
    );
    let reqs = log.lock().unwrap();
    assert_eq!(reqs[0].path, "/token");
    assert!(reqs.len() > 3, "the API was walked");
}

#[test]
fn plain_http_is_refused_and_missing_credentials_named() {
    let dir = tempfile::tempdir().unwrap();
    config(dir.path());
    for (flag, url) in [
        ("--token-uri", "http://example.com/token"),
        ("--api-base", "http://example.com"),
    ] {
        let o = live_with(dir.path(), &[flag, url]);
        assert_eq!(o.status.code(), Some(2), "{flag}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("https://"),
            "{flag}"
        );
    }
    // Half a user's credentials: named, nothing sent.
    std::fs::write(
        dir.path().join("googleads.properties"),
        "clientId=x.apps.googleusercontent.com\n",
    )
    .unwrap();
    let o = live(dir.path(), "http://127.0.0.1:9", &[]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("client_secret, refresh_token"), "{e}");
}

/// Without a network: the message names the host, the proxy in use and what to check
/// (issue #14 point 9), from the environment or from the config's proxy setting.
#[test]
fn no_network_names_the_host_and_the_proxy() {
    let dir = tempfile::tempdir().unwrap();
    config(dir.path());
    let (base, _log) = serve(5, Box::new(seed_api));
    let token = format!("{base}/token");
    let run = |env: &[(&str, &str)]| {
        let mut c = std::process::Command::new(common::bin());
        c.args([
            "access",
            "--live",
            "--config",
            "googleads.properties",
            "--token-uri",
            &token,
            "--api-base",
            "https://ads.nonexistent.invalid",
        ])
        .current_dir(dir.path())
        .stdin(std::process::Stdio::null());
        for k in [
            "HTTPS_PROXY",
            "https_proxy",
            "HTTP_PROXY",
            "http_proxy",
            "ALL_PROXY",
            "all_proxy",
            "NO_PROXY",
            "no_proxy",
        ] {
            c.env_remove(k);
        }
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("cannot reach ads.nonexistent.invalid directly (no proxy")
            && e.contains("DNS")
            && e.contains("HTTPS_PROXY")
            && e.contains("adsconf verify"),
        "{e}"
    );
    assert!(!e.contains("failed to lookup address information"), "{e}");
    // Through a proxy from the environment (the token endpoint is exempted by NO_PROXY).
    let o = run(&[
        ("HTTPS_PROXY", "http://127.0.0.1:9"),
        ("NO_PROXY", "127.0.0.1"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("through the proxy http://127.0.0.1:9 (from HTTPS_PROXY)"),
        "{e}"
    );
    no_secrets(&o);
}

/// The walk keeps `--in-flight` requests going at once (no more), gives the same hierarchy
/// whatever the number, and tries a query again when the API says too many requests.
#[test]
fn walks_in_flight_at_once_and_retries_when_told_too_many_requests() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let dir = tempfile::tempdir().unwrap();
    config(dir.path());
    // M0 over 12 managers, each over 2 clients; the 5th manager's first query is refused
    // with 429 RESOURCE_EXHAUSTED.
    let managers: Vec<String> = (1..=12)
        .map(|i| format!("{}", 1_000_000_100u64 + i))
        .collect();
    let refused_once = Arc::new(AtomicBool::new(false));
    let (m, r) = (managers.clone(), refused_once.clone());
    let (server, peak) = auth_fake::Server::start_threaded(
        std::time::Duration::from_millis(40),
        move |req| {
            let ok = |v: Value| auth_fake::Resp::json(200, v);
            if req.path == "/token" {
                return ok(json!({"access_token": ACCESS_TOKEN, "expires_in": 3599}));
            }
            if req.path.ends_with("customers:listAccessibleCustomers") {
                return ok(json!({"resourceNames": ["customers/1000000100"]}));
            }
            let body: Value = serde_json::from_str(&req.body).unwrap_or_default();
            if body["query"]
                .as_str()
                .unwrap_or("")
                .contains("customer_user_access")
            {
                return auth_fake::Resp::json(
                    403,
                    json!({"error": {"code": 403, "status": "PERMISSION_DENIED"}}),
                );
            }
            let cust = req
                .path
                .split("customers/")
                .nth(1)
                .and_then(|x| x.split('/').next())
                .unwrap_or("")
                .to_string();
            if cust == m[4] && !r.swap(true, Ordering::SeqCst) {
                // The server asks for 3 s (more than the 1 s adsconf waits unasked).
                let mut resp = auth_fake::Resp::json(
                    429,
                    json!({"error": {"code": 429, "message": "Too many requests.", "status": "RESOURCE_EXHAUSTED"}}),
                );
                resp.headers.push(("Retry-After".into(), "3".into()));
                return resp;
            }
            let mut rows = vec![row(&cust, 0, true, &format!("N{cust}"))];
            if cust == "1000000100" {
                rows.extend(m.iter().map(|c| row(c, 1, true, &format!("N{c}"))));
            } else if let Some(i) = m.iter().position(|c| *c == cust) {
                for k in 0..2 {
                    let c = format!("{}", 2_000_000_100u64 + (i as u64) * 2 + k);
                    rows.push(row(&c, 1, false, &format!("N{c}")));
                }
            }
            ok(json!({ "results": rows }))
        },
    );
    let run = |n: &str| {
        peak.store(0, Ordering::SeqCst);
        let o = live(
            dir.path(),
            &server.base,
            &["--format", "json", "--in-flight", n],
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        no_secrets(&o);
        (
            serde_json::from_slice::<Value>(&o.stdout).unwrap(),
            peak.load(Ordering::SeqCst),
        )
    };
    let started = std::time::Instant::now();
    let (wide, peak4) = run("4");
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(2900),
        "the refused query waited the 3 s the server's Retry-After asked for ({:?})",
        started.elapsed()
    );
    assert_eq!(
        peak4, 4,
        "12 managers at one level keep 4 requests going, never more"
    );
    let refused: Vec<_> = server
        .requests
        .lock()
        .unwrap()
        .iter()
        .filter(|q| {
            q.path
                .contains(&format!("customers/{}/googleAds:search", managers[4]))
        })
        .cloned()
        .collect();
    assert_eq!(refused.len(), 2, "the refused query was sent again");
    let (one, peak1) = run("1");
    assert_eq!(peak1, 1);
    assert_eq!(
        wide, one,
        "the same hierarchy whatever the number in flight"
    );
    assert_eq!(
        wide["users"][0]["indirect"].as_array().unwrap().len(),
        12 + 24
    );
}
