//! `adsconf verify` against a local fake token endpoint and fake Google Ads REST API.

mod auth_fake;
mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};

use auth_fake::*;
use serde_json::json;

const DEV_TOKEN: &str = "devTOKENabcdefghijklmn";

/// A fake Google: `/token` answers `token`, the API path answers `api`.
fn fake(
    token: impl Fn(&Req) -> Resp + Send + Sync + 'static,
    api: impl Fn(&Req) -> Resp + Send + Sync + 'static,
) -> Server {
    fake_with(token, api, tokeninfo_ok, search_ok)
}

/// The fake Google with every endpoint `verify` calls: the token endpoint, tokeninfo,
/// listAccessibleCustomers and googleAds:search.
fn fake_with(
    token: impl Fn(&Req) -> Resp + Send + Sync + 'static,
    api: impl Fn(&Req) -> Resp + Send + Sync + 'static,
    tokeninfo: impl Fn(&Req) -> Resp + Send + Sync + 'static,
    search: impl Fn(&Req) -> Resp + Send + Sync + 'static,
) -> Server {
    Server::start(move |req| match (req.method.as_str(), req.path.as_str()) {
        ("POST", "/token") => token(req),
        ("POST", "/tokeninfo") => tokeninfo(req),
        ("GET", p) if p.ends_with("/customers:listAccessibleCustomers") => api(req),
        ("POST", p) if p.ends_with("/googleAds:search") => search(req),
        _ => Resp::json(
            404,
            json!({"error": {"code": 404, "message": "not found", "status": "NOT_FOUND"}}),
        ),
    })
}

/// One row of `SELECT customer.id FROM customer`, for the bearer of the fake token.
fn search_ok(req: &Req) -> Resp {
    if req.header("authorization") != Some(&format!("Bearer {ACCESS_TOKEN}")) {
        return Resp::json(
            401,
            json!({"error": {"code": 401, "status": "UNAUTHENTICATED"}}),
        );
    }
    let id = req
        .path
        .split("customers/")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or("")
        .to_string();
    Resp::json(
        200,
        json!({"results": [{"customer": {"resourceName": format!("customers/{id}"), "id": id}}],
               "fieldMask": "customer.id"}),
    )
}

/// The refresh_token grant as Google checks it.
fn refresh_ok(req: &Req) -> Resp {
    let f = req.form();
    if f.get("grant_type").map(String::as_str) == Some("refresh_token")
        && f.get("refresh_token").map(String::as_str) == Some(REFRESH_TOKEN)
        && f.get("client_id").map(String::as_str) == Some(CLIENT_ID)
        && f.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET)
    {
        Resp::json(
            200,
            json!({"access_token": ACCESS_TOKEN, "expires_in": 3599, "token_type": "Bearer", "scope": "https://www.googleapis.com/auth/adwords"}),
        )
    } else {
        Resp::json(
            400,
            json!({"error": "invalid_request", "error_description": format!("unexpected form {:?}", req.body)}),
        )
    }
}

fn api_ok(req: &Req) -> Resp {
    if req.header("authorization") != Some(&format!("Bearer {ACCESS_TOKEN}")) {
        return Resp::json(
            401,
            json!({"error": {"code": 401, "message": "Request had invalid authentication credentials.", "status": "UNAUTHENTICATED"}}),
        );
    }
    Resp::json(
        200,
        json!({"resourceNames": ["customers/9876543210", "customers/1234567890"]}),
    )
}

fn user_config(dir: &Path) -> String {
    std::fs::write(
        dir.join("googleads.properties"),
        format!("developerToken={DEV_TOKEN}\nclientId={CLIENT_ID}\nclientSecret={CLIENT_SECRET}\nrefreshToken={REFRESH_TOKEN}\nloginCustomerId=1234567890\n"),
    )
    .unwrap();
    "googleads.properties".into()
}

fn verify(dir: &Path, server: &Server, extra: &[&str]) -> (i32, String, String) {
    let cfg = user_config(dir);
    let token_uri = format!("{}/token", server.base);
    let mut args = vec![
        "verify",
        &cfg,
        "--token-uri",
        &token_uri,
        "--api-base",
        &server.base,
    ];
    args.extend_from_slice(extra);
    let out = common::adsconf(dir, &args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_no_secrets(text: &str) {
    for s in [REFRESH_TOKEN, CLIENT_SECRET, ACCESS_TOKEN, DEV_TOKEN] {
        assert!(!text.contains(s), "secret {s} printed:\n{text}");
    }
}

#[test]
fn success_lists_the_customers() {
    let dir = tempfile::tempdir().unwrap();
    let server = fake(refresh_ok, api_ok);
    let (code, stdout, stderr) = verify(dir.path(), &server, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("token: OK"), "{stdout}");
    assert!(
        stdout.contains("2 accessible customers: 1234567890, 9876543210"),
        "{stdout}"
    );
    assert_no_secrets(&(stdout.clone() + &stderr));
    assert!(stdout.lines().count() <= 24, "one screen");
    let api = server
        .requests
        .lock()
        .unwrap()
        .iter()
        .find(|r| r.method == "GET")
        .cloned()
        .unwrap();
    assert_eq!(
        api.path,
        format!(
            "/{}/customers:listAccessibleCustomers",
            adsconf::api::DEFAULT_API_VERSION
        )
    );
    assert_eq!(api.header("developer-token"), Some(DEV_TOKEN));
    // The version is a setting.
    let (code, stdout, _) = verify(dir.path(), &server, &["--api-version", "v99"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("API v99: OK"));
    assert!(
        server
            .requests_to("/v99/customers:listAccessibleCustomers")
            .len()
            == 1
    );
}

#[test]
fn token_errors_are_explained_and_masked() {
    let table = [
        (
            "invalid_grant",
            "Token has been expired or revoked.",
            "Publish app",
        ),
        (
            "invalid_client",
            "Unauthorized",
            "download the client secrets JSON again",
        ),
        (
            "unauthorized_client",
            "Unauthorized",
            "different OAuth client",
        ),
    ];
    for (err, desc, phrase) in table {
        let dir = tempfile::tempdir().unwrap();
        let server = fake(
            move |_| {
                Resp::json(
                    400,
                    json!({"error": err, "error_description": format!("{desc} ({REFRESH_TOKEN})")}),
                )
            },
            api_ok,
        );
        let (code, stdout, stderr) = verify(dir.path(), &server, &[]);
        assert_eq!(code, 1, "{err}: {stderr}");
        assert!(
            stderr.contains(err) && stderr.contains(phrase),
            "{err}: {stderr}"
        );
        assert!(
            stderr.contains(desc),
            "Google's own words are kept: {stderr}"
        );
        assert_no_secrets(&(stdout + &stderr));
        assert!(server
            .requests_to(&format!(
                "/{}/customers:listAccessibleCustomers",
                adsconf::api::DEFAULT_API_VERSION
            ))
            .is_empty());
    }
}

fn ads_failure(
    status: u16,
    rpc: &str,
    message: &str,
    error_code: serde_json::Value,
    reason: Option<&str>,
) -> Resp {
    let mut details = vec![json!({
        "@type": "type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure",
        "errors": [{"errorCode": error_code, "message": message}],
        "requestId": "abc"
    })];
    if let Some(r) = reason {
        details.push(json!({"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": r, "domain": "googleapis.com"}));
    }
    Resp::json(
        status,
        json!({"error": {"code": status, "message": message, "status": rpc, "details": details}}),
    )
}

#[test]
fn api_errors_get_their_likely_cause() {
    type Case = (&'static str, fn() -> Resp, &'static str);
    let cases: Vec<Case> = vec![
        (
            "SERVICE_DISABLED",
            || {
                Resp::json(
                    403,
                    json!({"error": {"code": 403, "status": "PERMISSION_DENIED",
                    "message": "Google Ads API has not been used in project 123456 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/googleads.googleapis.com/overview?project=123456 then retry.",
                    "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED", "domain": "googleapis.com"}]}}),
                )
            },
            "apis/library/googleads.googleapis.com",
        ),
        (
            "CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION",
            || {
                ads_failure(
                    403,
                    "PERMISSION_DENIED",
                    "The project is not approved.",
                    json!({"authorizationError": "CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION"}),
                    None,
                )
            },
            "Explorer or Basic access",
        ),
        (
            "USER_PERMISSION_DENIED",
            || {
                ads_failure(
                    403,
                    "PERMISSION_DENIED",
                    "User doesn't have permission to access customer.",
                    json!({"authorizationError": "USER_PERMISSION_DENIED"}),
                    None,
                )
            },
            "login_customer_id",
        ),
        (
            "NOT_ADS_USER",
            || {
                ads_failure(
                    401,
                    "UNAUTHENTICATED",
                    "The login email is not associated with any Google Ads account.",
                    json!({"authenticationError": "NOT_ADS_USER"}),
                    None,
                )
            },
            "not associated with any Google Ads account",
        ),
        (
            "DEVELOPER_TOKEN_INVALID",
            || {
                ads_failure(
                    400,
                    "INVALID_ARGUMENT",
                    &format!("bad token {DEV_TOKEN} with {ACCESS_TOKEN}"),
                    json!({"authenticationError": "DEVELOPER_TOKEN_INVALID"}),
                    None,
                )
            },
            "API Center",
        ),
    ];
    for (name, reply, phrase) in cases {
        let dir = tempfile::tempdir().unwrap();
        let server = fake(refresh_ok, move |_| reply());
        let (code, stdout, stderr) = verify(dir.path(), &server, &[]);
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(
            stdout.contains("token: OK"),
            "{name}: the token part worked: {stdout}"
        );
        assert!(
            stderr.contains(name) && stderr.contains(phrase),
            "{name}: {stderr}"
        );
        assert_no_secrets(&(stdout + &stderr));
    }
}

#[test]
fn bad_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["verify", "--lang", "dotnet"],
            "",
            "no config to verify",
        ),
        (
            vec!["verify", "googleads.properties"],
            "developerToken=x\n",
            "holds no credentials",
        ),
        (
            vec!["verify", "googleads.properties"],
            "clientId=x\n",
            "lacks client_secret, refresh_token",
        ),
        (
            vec![
                "verify",
                "googleads.properties",
                "--api-base",
                "http://example.com",
            ],
            "clientId=a\nclientSecret=b\nrefreshToken=c\n",
            "non-loopback",
        ),
        (
            vec!["verify", "googleads.properties", "--token-uri", "ftp://x"],
            "clientId=a\nclientSecret=b\nrefreshToken=c\n",
            "not an http(s) URL",
        ),
        (
            vec!["verify", "googleads.properties"],
            "jsonKeyFilePath=/nonexistent/key.json\n",
            "/nonexistent/key.json",
        ),
        (
            vec!["verify", "missing.properties", "--lang", "perl"],
            "",
            "missing.properties",
        ),
    ];
    for (args, text, phrase) in cases {
        if !text.is_empty() {
            std::fs::write(d.join("googleads.properties"), text).unwrap();
        }
        let out = common::adsconf(d, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(phrase), "{args:?}: {stderr}");
    }
}

/// Check an RS256 JWT with `openssl dgst -verify` (not our code): the claims when valid.
fn openssl_verify_jwt(jwt: &str, public: &Path, tmp: &Path) -> Option<serde_json::Value> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let (input, sig) = jwt.rsplit_once('.')?;
    let (header, claims) = input.split_once('.')?;
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    if header["alg"] != "RS256" {
        return None;
    }
    let n = std::process::id().to_string()
        + &format!("{:?}", std::thread::current().id()).replace(['(', ')'], "");
    let data = tmp.join(format!("jwt-{n}.txt"));
    let sigf = tmp.join(format!("jwt-{n}.sig"));
    std::fs::write(&data, input).unwrap();
    std::fs::write(&sigf, URL_SAFE_NO_PAD.decode(sig).ok()?).unwrap();
    let out = std::process::Command::new("openssl")
        .args(["dgst", "-sha256", "-verify"])
        .arg(public)
        .arg("-signature")
        .arg(&sigf)
        .arg(&data)
        .output()
        .unwrap();
    if !out.status.success() {
        return None;
    }
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).ok()?).ok()
}

#[test]
fn service_account_jwt_is_signed_rs256() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    let Some((pem, public)) = common::openssl_key(&d, "sa") else {
        return;
    };
    let Some((other_pem, _)) = common::openssl_key(&d, "other") else {
        return;
    };
    let seen: Arc<Mutex<Vec<serde_json::Value>>> = Arc::default();
    let (seen2, d2, public2) = (seen.clone(), d.clone(), public.clone());
    let server = Server::start(move |req| match req.path.as_str() {
        "/token" => {
            let f = req.form();
            if f.get("grant_type").map(String::as_str)
                != Some("urn:ietf:params:oauth:grant-type:jwt-bearer")
            {
                return Resp::json(400, json!({"error": "unsupported_grant_type"}));
            }
            match openssl_verify_jwt(&f["assertion"], &public2, &d2) {
                Some(claims) => {
                    seen2.lock().unwrap().push(claims);
                    Resp::json(
                        200,
                        json!({"access_token": ACCESS_TOKEN, "expires_in": 3599, "token_type": "Bearer"}),
                    )
                }
                None => Resp::json(
                    400,
                    json!({"error": "invalid_grant", "error_description": "Invalid JWT Signature."}),
                ),
            }
        }
        p if p.ends_with("/customers:listAccessibleCustomers") => api_ok(req),
        _ => Resp::json(404, json!({})),
    });
    let token_uri = format!("{}/token", server.base);
    let key_json = |pem: &str| {
        json!({
            "type": "service_account", "project_id": "p", "private_key_id": "kid1",
            "private_key": pem, "client_email": "ads@p.iam.gserviceaccount.com",
            "client_id": "1", "token_uri": token_uri,
        })
        .to_string()
    };
    std::fs::write(d.join("key.json"), key_json(&pem)).unwrap();
    std::fs::write(d.join("wrong.json"), key_json(&other_pem)).unwrap();
    std::fs::write(
        d.join("googleads.properties"),
        "jsonKeyFilePath=key.json\nimpersonatedEmail=boss@example.com\ndeveloperToken=x12345678\n",
    )
    .unwrap();
    let out = common::adsconf(
        &d,
        &["verify", "googleads.properties", "--api-base", &server.base],
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "service account ads@p.iam.gserviceaccount.com impersonating boss@example.com"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("2 accessible customers"));
    assert!(!stdout.contains(ACCESS_TOKEN) && !stderr.contains(ACCESS_TOKEN));
    let claims = seen.lock().unwrap()[0].clone();
    assert_eq!(claims["iss"], "ads@p.iam.gserviceaccount.com");
    assert_eq!(claims["scope"], "https://www.googleapis.com/auth/adwords");
    assert_eq!(
        claims["aud"],
        token_uri.as_str(),
        "aud is the token endpoint of the key file"
    );
    assert_eq!(claims["sub"], "boss@example.com");
    let (iat, exp) = (
        claims["iat"].as_u64().unwrap(),
        claims["exp"].as_u64().unwrap(),
    );
    assert!(exp > iat && exp - iat <= 3600);

    // A key the token endpoint does not know: refused with the explanation.
    std::fs::write(
        d.join("googleads.properties"),
        "jsonKeyFilePath=wrong.json\n",
    )
    .unwrap();
    let out = common::adsconf(
        &d,
        &["verify", "googleads.properties", "--api-base", &server.base],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("invalid_grant") && stderr.contains("Invalid JWT Signature"),
        "{stderr}"
    );
    assert_eq!(seen.lock().unwrap().len(), 1);
}

/// The same credentials in each library's format: verify reads them through that format's
/// parser. Formats whose parser is not on this branch yet are skipped with the reason.
#[test]
fn verify_reads_every_format() {
    let table: &[(&str, String)] = &[
        ("googleads.properties", format!("clientId={CLIENT_ID}\nclientSecret={CLIENT_SECRET}\nrefreshToken={REFRESH_TOKEN}\n")),
        ("google_ads_php.ini", format!("[GOOGLE_ADS]\ndeveloperToken = \"{DEV_TOKEN}\"\n[OAUTH2]\nclientId = \"{CLIENT_ID}\"\nclientSecret = \"{CLIENT_SECRET}\"\nrefreshToken = \"{REFRESH_TOKEN}\"\n")),
        ("ads.properties", format!("api.googleads.clientId={CLIENT_ID}\napi.googleads.clientSecret={CLIENT_SECRET}\napi.googleads.refreshToken={REFRESH_TOKEN}\n")),
        ("google-ads.yaml", format!("client_id: {CLIENT_ID}\nclient_secret: {CLIENT_SECRET}\nrefresh_token: \"{REFRESH_TOKEN}\"\nuse_proto_plus: true\n")),
        ("googleads.env", format!("export GOOGLE_ADS_CLIENT_ID={CLIENT_ID}\nexport GOOGLE_ADS_CLIENT_SECRET={CLIENT_SECRET}\nexport GOOGLE_ADS_REFRESH_TOKEN='{REFRESH_TOKEN}'\n")),
    ];
    let server = fake(refresh_ok, api_ok);
    let token_uri = format!("{}/token", server.base);
    let mut checked = Vec::new();
    for (file, text) in table {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(file), text).unwrap();
        let out = common::adsconf(
            dir.path(),
            &[
                "verify",
                file,
                "--token-uri",
                &token_uri,
                "--api-base",
                &server.base,
            ],
        );
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        if out.status.code() == Some(2)
            && (stderr.contains("not supported yet")
                || stderr.contains("not available yet")
                || stderr.contains("holds no credentials"))
        {
            eprintln!("skipped: verify {file}: {}", stderr.trim());
            continue;
        }
        assert_eq!(out.status.code(), Some(0), "{file}: {stderr}");
        assert!(
            stdout.contains("2 accessible customers"),
            "{file}: {stdout}"
        );
        assert_no_secrets(&(stdout.to_string() + &stderr));
        checked.push(*file);
    }
    eprintln!("verify checked: {}", checked.join(", "));
    assert!(checked.len() >= 3, "perl, php and java are on main");
}

#[test]
fn without_config_verifies_the_library_default_file() {
    let home = tempfile::tempdir().unwrap();
    let run = |home: &std::path::Path| {
        std::process::Command::new(common::bin())
            .args(["verify", "--token-uri", "http://127.0.0.1:9/token"])
            .current_dir(home)
            .env("HOME", home)
            .env_remove("GOOGLE_ADS_CONFIGURATION_FILE_PATH")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    let out = run(home.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("google-ads.yaml") && err.contains("googleads.properties"),
        "{err}"
    );
    std::fs::write(
        home.path().join("googleads.properties"),
        "clientId=x.apps.googleusercontent.com\nclientSecret=GOCSPX-canary-secret\nrefreshToken=1//canary-refresh\n",
    )
    .unwrap();
    let out = run(home.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("googleads.properties"), "{err}");
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        !err.contains("canary-secret") && !err.contains("canary-refresh"),
        "{err}"
    );
}

/// adsconf in `dir` with a clean proxy environment plus `env`.
fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut c = std::process::Command::new(common::bin());
    c.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .stdin(std::process::Stdio::null());
    for k in [
        "GOOGLE_ADS_CONFIGURATION_FILE_PATH",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "CLOUDSDK_CONFIG",
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
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_doctor_reports_every_step() {
    let dir = tempfile::tempdir().unwrap();
    let server = fake(refresh_ok, api_ok);
    let (code, stdout, stderr) = verify(dir.path(), &server, &[]);
    assert_eq!(code, 0, "{stderr}");
    let host = server.base.trim_start_matches("http://");
    assert!(
        stdout.contains(&format!("network: {host}: DNS ok"))
            && stdout.contains("TCP ok")
            && !stdout.contains("TLS"),
        "plain http on loopback: no TLS step: {stdout}"
    );
    assert!(stdout.contains("proxy: none"), "{stdout}");
    assert!(
        stdout.contains("tokeninfo: scopes https://www.googleapis.com/auth/adwords; expires in 3599 s; Cloud project number 1234 (from the client id)"),
        "{stdout}"
    );
    // The config's loginCustomerId is the customer of the production-access search.
    assert!(
        stdout.contains("production access: OK (googleAds:search on 1234567890 answered)"),
        "{stdout}"
    );
    let search = server
        .requests
        .lock()
        .unwrap()
        .iter()
        .find(|r| r.path.ends_with("/googleAds:search"))
        .cloned()
        .unwrap();
    assert_eq!(search.path, "/v26/customers/1234567890/googleAds:search");
    assert_eq!(search.header("login-customer-id"), Some("1234567890"));
    assert!(search.body.contains("FROM customer"), "{}", search.body);
    // The access token travels in the tokeninfo body, never in a URL.
    let ti = server.requests_to("/tokeninfo");
    assert_eq!(ti.len(), 1);
    assert!(ti[0].query.is_empty());
    assert_no_secrets(&(stdout + &stderr));
    // --customer names the customer instead.
    let (code, stdout, _) = verify(dir.path(), &server, &["--customer", "987-654-3210"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("googleAds:search on 9876543210"),
        "{stdout}"
    );
}

#[test]
fn production_access_errors_get_the_cloud_console_advice() {
    let approval = |_: &Req| {
        ads_error(
            403,
            "PERMISSION_DENIED",
            "The Google Cloud project is not approved for production.",
            json!({"authorizationError": "CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION"}),
        )
    };
    let not_permitted = |_: &Req| {
        ads_error(
            403,
            "PERMISSION_DENIED",
            "The user does not have permission to perform this action.",
            json!({"authorizationError": "ACTION_NOT_PERMITTED"}),
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let server = fake_with(refresh_ok, api_ok, tokeninfo_ok, approval);
    let (code, stdout, stderr) = verify(dir.path(), &server, &[]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("API v26: OK"),
        "listAccessibleCustomers still works: {stdout}"
    );
    assert!(stdout.contains("production access: FAILED"), "{stdout}");
    assert!(
        stderr.contains("CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION")
            && stderr.contains("Test")
            && stderr.contains("Explorer or Basic")
            && stderr.contains("Cloud console"),
        "{stderr}"
    );
    assert_no_secrets(&(stdout + &stderr));
    // Before v25 the same refusal is ACTION_NOT_PERMITTED.
    let server = fake_with(refresh_ok, api_ok, tokeninfo_ok, not_permitted);
    let (code, _, stderr) = verify(dir.path(), &server, &["--api-version", "v24"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("ACTION_NOT_PERMITTED") && stderr.contains("Explorer or Basic"),
        "{stderr}"
    );
    // From v25 on ACTION_NOT_PERMITTED is something else: not called an approval problem.
    let (code, _, stderr) = verify(dir.path(), &server, &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("ACTION_NOT_PERMITTED") && !stderr.contains("Explorer or Basic"),
        "{stderr}"
    );
    // No customer at all: the check is skipped, said so, and verify passes.
    std::fs::write(
        dir.path().join("googleads.properties"),
        format!(
            "clientId={CLIENT_ID}\nclientSecret={CLIENT_SECRET}\nrefreshToken={REFRESH_TOKEN}\n"
        ),
    )
    .unwrap();
    let server = fake_with(refresh_ok, api_ok, tokeninfo_ok, approval);
    let token_uri = format!("{}/token", server.base);
    let (code, stdout, _) = run_env(
        dir.path(),
        &[
            "verify",
            "googleads.properties",
            "--token-uri",
            &token_uri,
            "--api-base",
            &server.base,
        ],
        &[],
    );
    assert_eq!(code, 0);
    assert!(
        stdout.contains("production access: not checked") && stdout.contains("--customer"),
        "{stdout}"
    );
}

#[test]
fn a_token_without_the_adwords_scope_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let narrow = |_: &Req| {
        Resp::json(
            200,
            json!({"azp": CLIENT_ID, "scope": "https://www.googleapis.com/auth/userinfo.email", "expires_in": 100}),
        )
    };
    let server = fake_with(refresh_ok, api_ok, narrow, search_ok);
    let (code, stdout, _) = verify(dir.path(), &server, &[]);
    assert_eq!(
        code, 0,
        "the API answered; the scope is a warning: {stdout}"
    );
    assert!(
        stdout.contains(
            "warning: the token lacks the Google Ads scope https://www.googleapis.com/auth/adwords"
        ),
        "{stdout}"
    );
    // tokeninfo unavailable: said, not fatal.
    let server = fake_with(
        refresh_ok,
        api_ok,
        |_: &Req| Resp::json(404, json!({})),
        search_ok,
    );
    let (code, stdout, _) = verify(dir.path(), &server, &[]);
    assert_eq!(code, 0);
    assert!(stdout.contains("tokeninfo: not available"), "{stdout}");
}

#[test]
fn an_old_token_from_auth_that_dies_names_testing_mode() {
    let dir = tempfile::tempdir().unwrap();
    let expired = |_: &Req| {
        Resp::json(
            400,
            json!({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}),
        )
    };
    let server = fake(expired, api_ok);
    let token_uri = format!("{}/token", server.base);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let stamp = |token: &str, age_days: u64| {
        adsconf::oauth::minted::Stamp::new(token, now - age_days * 86_400, None).text()
    };
    let run = |comment: String| {
        std::fs::write(
            dir.path().join("googleads.properties"),
            format!("clientId={CLIENT_ID}\nclientSecret={CLIENT_SECRET}\n# {comment}\nrefreshToken={REFRESH_TOKEN}\n"),
        )
        .unwrap();
        run_env(
            dir.path(),
            &[
                "verify",
                "googleads.properties",
                "--token-uri",
                &token_uri,
                "--api-base",
                &server.base,
            ],
            &[],
        )
    };
    let (code, stdout, stderr) = run(stamp(REFRESH_TOKEN, 8));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("invalid_grant")
            && stderr.contains("minted by `adsconf auth` on")
            && stderr.contains("8 days ago")
            && stderr.contains("Testing mode"),
        "{stderr}"
    );
    assert_no_secrets(&(stdout + &stderr));
    // A young token, or the record of another token: no such claim.
    for comment in [stamp(REFRESH_TOKEN, 2), stamp("1//another-token", 30)] {
        let (code, _, stderr) = run(comment);
        assert_eq!(code, 1);
        assert!(!stderr.contains("minted by"), "{stderr}");
    }
}

#[test]
fn network_steps_name_the_host_the_proxy_and_the_first_failure() {
    let dir = tempfile::tempdir().unwrap();
    user_config(dir.path());
    let server = fake(refresh_ok, api_ok);
    let token_uri = format!("{}/token", server.base);
    // DNS: a name that cannot resolve (RFC 6761 .invalid).
    let (code, stdout, stderr) = run_env(
        dir.path(),
        &[
            "verify",
            "googleads.properties",
            "--token-uri",
            &token_uri,
            "--api-base",
            "https://ads.nonexistent.invalid",
        ],
        &[],
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("network: ads.nonexistent.invalid:443: DNS FAILED"),
        "{stdout}"
    );
    assert!(stdout.contains("token: skipped"), "{stdout}");
    assert!(
        stderr.contains("ads.nonexistent.invalid does not resolve")
            && stderr.contains("HTTPS_PROXY"),
        "{stderr}"
    );
    assert!(
        server.requests_to("/token").is_empty(),
        "nothing sent after a failed step"
    );
    // TCP: nothing listens on the token port.
    let (code, stdout, stderr) = run_env(
        dir.path(),
        &[
            "verify",
            "googleads.properties",
            "--token-uri",
            "http://127.0.0.1:9/token",
            "--api-base",
            &server.base,
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(
        stdout.contains("network: 127.0.0.1:9: DNS ok") && stdout.contains("TCP FAILED"),
        "{stdout}"
    );
    assert!(stderr.contains("no connection to 127.0.0.1:9"), "{stderr}");
    // TLS: the API "host" speaks plain HTTP.
    let host = server.base.trim_start_matches("http://").to_string();
    let (code, stdout, stderr) = run_env(
        dir.path(),
        &[
            "verify",
            "googleads.properties",
            "--token-uri",
            &token_uri,
            "--api-base",
            &format!("https://{host}"),
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(
        stdout.contains("TCP ok") && stdout.contains("TLS FAILED"),
        "{stdout}"
    );
    assert!(
        stderr.contains("TLS handshake") && stderr.contains("inspects TLS"),
        "{stderr}"
    );
    // A proxy from the environment that is down: named with where it came from.
    let (code, stdout, stderr) = run_env(
        dir.path(),
        &[
            "verify",
            "googleads.properties",
            "--token-uri",
            &token_uri,
            "--api-base",
            &server.base,
        ],
        &[("HTTPS_PROXY", "http://user:proxypass123@127.0.0.1:9")],
    );
    assert_eq!(code, 1);
    assert!(
        stdout.contains("proxy: http://user:")
            && stdout.contains("@127.0.0.1:9 (from HTTPS_PROXY)"),
        "{stdout}"
    );
    assert!(stderr.contains("no connection to the proxy"), "{stderr}");
    assert!(!stdout.contains("proxypass123") && !stderr.contains("proxypass123"));
}

#[test]
fn the_configs_http_proxy_is_used_as_the_library_would() {
    let dir = tempfile::tempdir().unwrap();
    // The fake Google is reached only through the proxy: the URLs name a dead port.
    let proxy = fake(refresh_ok, api_ok);
    let host = proxy.base.trim_start_matches("http://");
    std::fs::write(
        dir.path().join("google-ads.yaml"),
        format!("client_id: {CLIENT_ID}\nclient_secret: {CLIENT_SECRET}\nrefresh_token: \"{REFRESH_TOKEN}\"\nuse_proto_plus: true\nhttp_proxy: http://u:proxysecret77@{host}\n"),
    )
    .unwrap();
    let (code, stdout, stderr) = run_env(
        dir.path(),
        &[
            "verify",
            "google-ads.yaml",
            "--token-uri",
            "http://127.0.0.1:9/token",
            "--api-base",
            "http://127.0.0.1:9",
        ],
        // The environment's proxy loses to the config's.
        &[("HTTPS_PROXY", "http://127.0.0.1:9")],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("(from the config's http_proxy)"),
        "{stdout}"
    );
    assert!(stdout.contains("2 accessible customers"), "{stdout}");
    let reqs = proxy.requests.lock().unwrap().clone();
    assert!(
        reqs.iter()
            .any(|r| r.path == "/token" && r.tunnel.as_deref() == Some("127.0.0.1:9")),
        "the token request went through the proxy: {reqs:?}"
    );
    assert!(reqs
        .iter()
        .any(|r| r.path.ends_with("listAccessibleCustomers") && r.tunnel.is_some()));
    assert!(
        stdout.contains("proxy CONNECT ok"),
        "the network step opens the tunnel too: {stdout}"
    );
    assert!(!stdout.contains("proxysecret77") && !stderr.contains("proxysecret77"));
}

#[test]
fn report_is_a_redacted_support_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let server = fake(refresh_ok, api_ok);
    let (code, _, stderr) = verify(dir.path(), &server, &["--report", "report.md"]);
    assert_eq!(code, 0, "{stderr}");
    let report = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(report.starts_with("# adsconf verify report"), "{report}");
    for want in [
        "adsconf 0.1.0",
        "googleads.properties (perl)",
        "client_id",
        "login_customer_id",
        "**network** (ok)",
        "**token** (ok)",
        "**tokeninfo** (ok)",
        "**api** (ok)",
        "**production-access** (ok)",
        "No check failed",
    ] {
        assert!(report.contains(want), "{want} missing:\n{report}");
    }
    assert_no_secrets(&report);
    assert!(
        report.contains("GOCS…") || report.contains("…"),
        "secrets shown masked: {report}"
    );
    // A failing run names the first failure and its advice, still redacted.
    let server = fake(
        |_: &Req| {
            Resp::json(
                400,
                json!({"error": "invalid_client", "error_description": format!("bad {CLIENT_SECRET}")}),
            )
        },
        api_ok,
    );
    let (code, _, _) = verify(dir.path(), &server, &["--report", "report.md"]);
    assert_eq!(code, 1);
    let report = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(
        report.contains("First failure: token") && report.contains("invalid_client"),
        "{report}"
    );
    assert_no_secrets(&report);
    // Another file is never overwritten.
    std::fs::write(dir.path().join("notes.md"), "mine\n").unwrap();
    let (code, _, stderr) = verify(dir.path(), &server, &["--report", "notes.md"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.md")).unwrap(),
        "mine\n"
    );
}

#[test]
fn application_default_credentials_are_found_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let server = fake(refresh_ok, api_ok);
    let token_uri = format!("{}/token", server.base);
    std::fs::write(
        dir.path().join("google-ads.yaml"),
        "use_application_default_credentials: true\nuse_proto_plus: true\nlogin_customer_id: 1234567890\n",
    )
    .unwrap();
    let adc =
        adsconf::oauth::adc::authorized_user_json(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, None);
    let args = [
        "verify",
        "google-ads.yaml",
        "--token-uri",
        token_uri.as_str(),
        "--api-base",
        server.base.as_str(),
    ];
    // Missing: exit 2 with the way to create them.
    let (code, _, stderr) = run_env(dir.path(), &args, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("adsconf auth --adc"), "{stderr}");
    // The well-known file (under CLOUDSDK_CONFIG here).
    let gcloud = dir.path().join("gcloud");
    std::fs::create_dir(&gcloud).unwrap();
    std::fs::write(gcloud.join("application_default_credentials.json"), &adc).unwrap();
    let (code, stdout, stderr) = run_env(
        dir.path(),
        &args,
        &[("CLOUDSDK_CONFIG", gcloud.to_str().unwrap())],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Application Default Credentials")
            && stdout.contains("the well-known ADC file"),
        "{stdout}"
    );
    assert!(stdout.contains("2 accessible customers"));
    assert_no_secrets(&(stdout + &stderr));
    // GOOGLE_APPLICATION_CREDENTIALS wins.
    std::fs::write(dir.path().join("adc.json"), &adc).unwrap();
    let (code, stdout, _) = run_env(
        dir.path(),
        &args,
        &[(
            "GOOGLE_APPLICATION_CREDENTIALS",
            dir.path().join("adc.json").to_str().unwrap(),
        )],
    );
    assert_eq!(code, 0);
    assert!(
        stdout.contains("(from GOOGLE_APPLICATION_CREDENTIALS)"),
        "{stdout}"
    );
}
