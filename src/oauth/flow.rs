//! The authorization-code flow to a refresh token (CONTRACT §3 `auth`; oauth.md §9):
//! loopback listener on 127.0.0.1 raced against a pasted redirect URL, `state` and PKCE (S256)
//! checked, the code exchanged at the client file's `token_uri`. Used by `auth` and `init`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use crate::api::{is_loopback_host, ADWORDS_SCOPE};
use crate::error::{Error, Result};
use crate::oauth::secrets::{ClientKind, ClientSecrets};
use crate::oauth::{errors, listener, pkce, query, token};
use crate::output;

/// `auth --flow`: which OAuth client type's flow to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Flow {
    Desktop,
    Web,
}

impl Flow {
    /// The flow a client of this kind is made for.
    pub fn of(kind: ClientKind) -> Flow {
        match kind {
            ClientKind::Installed => Flow::Desktop,
            ClientKind::Web => Flow::Web,
        }
    }
}

/// Where the browser is sent back to, and where we listen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectPlan {
    /// Address to bind (port 0 for an ephemeral port).
    pub bind: SocketAddr,
    /// Host as written in the redirect URI.
    pub host: String,
    /// `Some(port)` when the port is part of the registered URI (it must be used as is).
    pub fixed_port: Option<u16>,
    /// Path of the redirect URI (`""` when it has none).
    pub path: String,
    /// A note for the user about this choice.
    pub note: Option<String>,
}

impl RedirectPlan {
    /// The redirect URI for the port actually bound.
    pub fn uri(&self, port: u16) -> String {
        format!("http://{}:{port}{}", self.host, self.path)
    }

    /// The path the listener answers on.
    pub fn listen_path(&self) -> String {
        if self.path.is_empty() {
            "/".into()
        } else {
            self.path.clone()
        }
    }
}

/// A loopback `http://` redirect URI split into host, port and path.
fn parse_loopback(uri: &str) -> Option<(String, Option<u16>, String)> {
    let rest = uri.strip_prefix("http://")?;
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if path.contains(['?', '#']) || authority.contains('@') {
        return None;
    }
    let (host, port) = if let Some(r) = authority.strip_prefix('[') {
        let (h, after) = r.split_once(']')?;
        (format!("[{h}]"), after.strip_prefix(':'))
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (authority.to_string(), None),
        }
    };
    if !is_loopback_host(&host) {
        return None;
    }
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok()?),
        None => None,
    };
    Some((host, port, path.to_string()))
}

/// Decide the redirect URI and listening address (CONTRACT §3 `auth`).
pub fn plan(
    secrets: &ClientSecrets,
    flow: Flow,
    port: Option<u16>,
    file: &str,
) -> Result<RedirectPlan> {
    match flow {
        Flow::Desktop => Ok(RedirectPlan {
            bind: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port.unwrap_or(0)),
            host: "127.0.0.1".into(),
            fixed_port: None,
            path: String::new(),
            note: (secrets.kind == ClientKind::Web).then(|| {
                "note: this is a Web application client used with the desktop flow; Google accepts it only if http://127.0.0.1 (with this port) is among its Authorized redirect URIs".to_string()
            }),
        }),
        Flow::Web => {
            let Some((uri, (host, reg_port, path))) = secrets
                .redirect_uris
                .iter()
                .find_map(|u| parse_loopback(u).map(|p| (u, p)))
            else {
                let registered = if secrets.redirect_uris.is_empty() {
                    "none are registered".to_string()
                } else {
                    format!("registered: {}", secrets.redirect_uris.join(", "))
                };
                return Err(Error::usage(format!(
                    "{file}: this Web application client has no loopback redirect URI ({registered}). \
                     In the Cloud console (APIs & Services > Credentials > this client) add http://127.0.0.1 \
                     under Authorized redirect URIs, save, download the JSON again and rerun; \
                     or create a Desktop app client, which needs no registration"
                )));
            };
            if let (Some(r), Some(p)) = (reg_port, port) {
                if r != p {
                    return Err(Error::usage(format!(
                        "--port {p} differs from the port of the registered redirect URI {uri}; leave --port out or register http://{host}:{p}{path}"
                    )));
                }
            }
            let ip = if host.starts_with('[') {
                IpAddr::V6(Ipv6Addr::LOCALHOST)
            } else {
                host.parse::<IpAddr>()
                    .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
            };
            let note = match reg_port {
                Some(_) => None,
                None => Some(format!(
                    "note: the registered redirect URI {uri} has no port, so adsconf listens on a free port and uses it in the redirect URI (Google matches loopback ports loosely); if Google answers redirect_uri_mismatch, register http://{host}:PORT{path} and pass --port PORT"
                )),
            };
            Ok(RedirectPlan {
                bind: SocketAddr::new(ip, reg_port.or(port).unwrap_or(0)),
                host,
                fixed_port: reg_port,
                path,
                note,
            })
        }
    }
}

/// Open `url` in the user's browser without waiting for it; false when nothing could start.
/// `$BROWSER` first (as Python's webbrowser does), then the platform opener.
pub fn open_browser(url: &str) -> bool {
    let mut candidates: Vec<(String, Vec<String>)> = Vec::new();
    if let Ok(b) = std::env::var("BROWSER") {
        for entry in b.split(':').filter(|e| !e.trim().is_empty()) {
            let mut words = entry.split_whitespace().map(str::to_string);
            if let Some(prog) = words.next() {
                let mut args: Vec<String> = words.collect();
                if args.iter().any(|a| a.contains("%s")) {
                    args = args.iter().map(|a| a.replace("%s", url)).collect();
                } else {
                    args.push(url.to_string());
                }
                candidates.push((prog, args));
            }
        }
    }
    if cfg!(target_os = "macos") {
        candidates.push(("open".into(), vec![url.into()]));
    } else if cfg!(windows) {
        // Not `cmd /c start`: cmd would split the URL at `&`.
        candidates.push((
            "rundll32".into(),
            vec!["url.dll,FileProtocolHandler".into(), url.into()],
        ));
    } else {
        candidates.push(("xdg-open".into(), vec![url.into()]));
    }
    for (prog, args) in candidates {
        let spawned = std::process::Command::new(&prog)
            .args(&args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        if let Ok(mut child) = spawned {
            // Reap it in the background; never wait for a browser.
            std::thread::spawn(move || {
                let _ = child.wait();
            });
            return true;
        }
    }
    false
}

/// The warning for a time-limited refresh token (Testing-mode consent screen).
pub fn testing_mode_warning(expires_in: u64) -> String {
    let days = expires_in as f64 / 86400.0;
    format!(
        "warning: Google says this refresh token expires in {days:.1} days (`refresh_token_expires_in` in the token answer). \
         That is how a consent screen in Testing mode shows: its refresh tokens die after 7 days (then invalid_grant). \
         For a lasting token: Cloud console > Google Auth Platform > Audience > Publish app (In production), then run `adsconf auth` again"
    )
}

/// What the user chose for the flow (the `auth` flags, also asked by `init`).
#[derive(Debug, Clone)]
pub struct FlowOptions {
    pub flow: Flow,
    pub port: Option<u16>,
    /// Seconds to wait for the redirect.
    pub timeout: u64,
    pub no_browser: bool,
    /// Extra scopes besides adwords.
    pub scope: Vec<String>,
}

/// What the flow obtained (secrets: never print them unless asked).
#[derive(Debug, Clone)]
pub struct Minted {
    pub refresh_token: String,
    pub access_token: Option<String>,
    /// Seconds since the epoch when the token endpoint answered.
    pub minted: u64,
    /// `refresh_token_expires_in` (a Testing-mode consent screen gives 7 days).
    pub expires_in: Option<u64>,
}

/// Run the whole authorization flow for `secrets` (read from `file`): listen on loopback,
/// print the URL (and open a browser), wait for the redirect or a pasted URL, check `state`,
/// exchange the code with PKCE. Returns the refresh token; every failure is explained.
pub fn obtain_refresh_token(
    secrets: &ClientSecrets,
    file: &str,
    opts: &FlowOptions,
) -> Result<String> {
    obtain(secrets, file, opts).map(|m| m.refresh_token)
}

/// [`obtain_refresh_token`] with the access token and when the tokens were minted.
pub fn obtain(secrets: &ClientSecrets, file: &str, opts: &FlowOptions) -> Result<Minted> {
    if opts.timeout == 0 {
        return Err(Error::usage("--timeout must be at least 1 second"));
    }
    let plan = plan(secrets, opts.flow, opts.port, file)?;
    let listener = listener::bind(plan.bind)?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::usage(format!("cannot read the listener's port: {e}")))?
        .port();
    let redirect_uri = plan.uri(port);
    let state = pkce::random_token(32)?;
    let pkce = pkce::Pkce::new()?;
    let scope = query::scopes(&opts.scope);
    let url = query::authorization_url(&query::AuthRequest {
        auth_uri: &secrets.auth_uri,
        client_id: &secrets.client_id,
        redirect_uri: &redirect_uri,
        scope: &scope,
        state: &state,
        code_challenge: &pkce.challenge,
    });

    if let Some(note) = &plan.note {
        output::eprint_line(note);
    }
    output::eprint_line(
        "Open this URL in a browser and sign in with the Google account that has access to Google Ads:",
    );
    output::eprint_line(&url);
    let opened = !opts.no_browser && open_browser(&url);
    if opened {
        output::eprint_line(
            "(a browser was started; if nothing opened, open the URL above yourself)",
        );
    }
    output::eprint_line(&format!(
        "No browser on this machine? Open the URL elsewhere, then paste here the full address of the page you end on (it starts with {redirect_uri} and may fail to load) and press Enter."
    ));
    let redirect = listener::wait(
        listener,
        &listener::WaitOptions {
            path: &plan.listen_path(),
            state: &state,
            timeout: Duration::from_secs(opts.timeout),
            status: &format!(
                "Waiting for the authorization on {redirect_uri} … (Ctrl-C to cancel)"
            ),
            read_stdin: true,
            no_browser: opts.no_browser,
        },
    )?;
    if redirect.via == listener::Via::Pasted {
        output::eprint_line("Got the pasted redirect URL.");
    }

    let tokens = token::exchange_code(&token::CodeExchange {
        token_uri: &secrets.token_uri,
        code: &redirect.code,
        redirect_uri: &redirect_uri,
        client_id: &secrets.client_id,
        client_secret: &secrets.client_secret,
        code_verifier: &pkce.verifier,
    })?;
    let Some(refresh_token) = tokens.refresh_token.clone() else {
        return Err(Error::refused(format!(
            "no refresh token: {}",
            errors::explain("no_refresh_token", None)
        )));
    };
    let granted = tokens
        .scope
        .as_deref()
        .or_else(|| query::get(&redirect.params, "scope"));
    if let Some(granted) = granted {
        if !granted.split_whitespace().any(|s| s == ADWORDS_SCOPE) {
            return Err(Error::refused(format!(
                "the token was granted for `{granted}` only: {}",
                errors::explain("scope_not_granted", None)
            )));
        }
    }
    if let Some(n) = tokens.refresh_token_expires_in {
        output::eprint_line(&testing_mode_warning(n));
    }

    Ok(Minted {
        refresh_token,
        access_token: tokens.access_token,
        minted: crate::oauth::creds::now(),
        expires_in: tokens.refresh_token_expires_in,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(kind: ClientKind, uris: &[&str]) -> ClientSecrets {
        ClientSecrets {
            kind,
            client_id: "id".into(),
            client_secret: "s".into(),
            auth_uri: "https://a".into(),
            token_uri: "https://t".into(),
            redirect_uris: uris.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn desktop_listens_on_loopback_only() {
        let p = plan(
            &secrets(ClientKind::Installed, &["http://localhost"]),
            Flow::Desktop,
            None,
            "f",
        )
        .unwrap();
        assert_eq!(p.bind, "127.0.0.1:0".parse().unwrap());
        assert_eq!(p.uri(4242), "http://127.0.0.1:4242");
        assert_eq!(p.listen_path(), "/");
        let p = plan(
            &secrets(ClientKind::Installed, &[]),
            Flow::Desktop,
            Some(8080),
            "f",
        )
        .unwrap();
        assert_eq!(p.bind.port(), 8080);
    }

    #[test]
    fn web_uses_the_first_loopback_uri_as_registered() {
        let s = secrets(
            ClientKind::Web,
            &[
                "https://example.com/cb",
                "http://127.0.0.1:8765/authorize/",
                "http://localhost:9/x",
            ],
        );
        let p = plan(&s, Flow::Web, None, "f").unwrap();
        assert_eq!(p.uri(8765), "http://127.0.0.1:8765/authorize/");
        assert_eq!(p.bind.port(), 8765);
        assert_eq!(p.listen_path(), "/authorize/");
        assert!(plan(&s, Flow::Web, Some(1), "f").is_err());
        let p = plan(
            &secrets(ClientKind::Web, &["http://127.0.0.1"]),
            Flow::Web,
            None,
            "f",
        )
        .unwrap();
        assert_eq!(p.bind.port(), 0);
        assert!(p.note.is_some());
        let e = plan(
            &secrets(ClientKind::Web, &["https://example.com/cb"]),
            Flow::Web,
            None,
            "f",
        )
        .unwrap_err();
        assert_eq!(e.code(), 2);
        assert!(e.message.contains("add http://127.0.0.1") && e.message.contains("example.com"));
        let e = plan(&secrets(ClientKind::Web, &[]), Flow::Web, None, "f").unwrap_err();
        assert!(e.message.contains("none are registered"));
    }

    #[test]
    fn loopback_parsing() {
        assert_eq!(
            parse_loopback("http://[::1]:5/p"),
            Some(("[::1]".into(), Some(5), "/p".into()))
        );
        assert_eq!(parse_loopback("http://evil.com:5/"), None);
        assert_eq!(parse_loopback("https://127.0.0.1/"), None);
        assert_eq!(parse_loopback("http://127.0.0.1:notaport"), None);
    }

    #[test]
    fn testing_warning_says_how_to_tell_and_what_to_do() {
        let w = testing_mode_warning(604799);
        assert!(w.contains("7.0 days") && w.contains("Testing mode") && w.contains("Publish app"));
    }
}
