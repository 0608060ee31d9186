//! Waiting for the redirect: a loopback HTTP listener (127.0.0.1 only) raced against a
//! redirect URL pasted on stdin, until one arrives or the time is up (oauth.md §9 step 5, 6).
//!
//! Stray requests (favicon, pre-connects, probes, other paths) get a 404 or a short page and
//! do not end the wait. The first request on the redirect path carrying `code`, `error` or
//! `state` ends it: its `state` is checked before anything else.

use std::io::{IsTerminal, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::oauth::{errors, query};

/// Bind the listener. A busy port is explained (exit 2).
pub fn bind(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            Error::usage(format!(
                "cannot listen on {addr}: {}",
                errors::explain("port_in_use", None)
            ))
        } else {
            Error::usage(format!("cannot listen on {addr}: {e}"))
        }
    })
}

/// Where the redirect came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Browser,
    Pasted,
}

/// A redirect whose `state` matched and that carries a code.
#[derive(Debug, Clone)]
pub struct Redirect {
    /// The authorization code, percent-decoded.
    pub code: String,
    pub params: Vec<(String, String)>,
    pub via: Via,
}

pub struct WaitOptions<'a> {
    /// Path of the redirect URI (`/` for `http://127.0.0.1:PORT`).
    pub path: &'a str,
    /// The `state` sent in the authorization URL.
    pub state: &'a str,
    pub timeout: Duration,
    /// The status line ("Waiting for the authorization on … (Ctrl-C to cancel)").
    pub status: &'a str,
    /// Accept a redirect URL pasted on stdin.
    pub read_stdin: bool,
    /// No browser was opened (`--no-browser`): the URL must be pasted, and a timeout's
    /// advice says so instead of suggesting `--no-browser`.
    pub no_browser: bool,
}

/// Is this query a redirect from the authorization server (rather than a stray request)?
fn is_callback(params: &[(String, String)]) -> bool {
    ["code", "error", "state"]
        .iter()
        .any(|k| query::get(params, k).is_some())
}

/// Judge a redirect: state first (no token request on a mismatch), then `error=`, then the code.
pub fn judge(params: &[(String, String)], state: &str) -> Result<String> {
    let got = query::get(params, "state");
    if got != Some(state) {
        let how = if got.is_none() { "missing" } else { "wrong" };
        return Err(Error::refused(format!(
            "refused the redirect ({how} state): {}",
            errors::explain("state_mismatch", None)
        )));
    }
    if let Some(code) = query::get(params, "error") {
        return Err(Error::refused(format!(
            "the authorization failed: {}",
            errors::explain(code, query::get(params, "error_description"))
        )));
    }
    match query::get(params, "code") {
        Some(c) if !c.is_empty() => Ok(c.to_string()),
        _ => Err(Error::refused(
            "the redirect carried neither an authorization code nor an error; run `adsconf auth` again",
        )),
    }
}

/// Split a pasted line into query parameters: a whole URL, or just its query.
fn pasted_params(line: &str) -> Vec<(String, String)> {
    let line = line.trim();
    let line = line.split('#').next().unwrap_or("");
    let q = match line.split_once('?') {
        Some((_, q)) => q,
        None if line.contains('=') => line,
        None => "",
    };
    query::parse(q)
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>adsconf: {t}</title></head>\
         <body style=\"font-family:sans-serif;max-width:40em;margin:3em auto\"><h1>{t}</h1><p>{b}</p></body></html>",
        t = html_escape(title),
        b = html_escape(body)
    )
}

fn respond(stream: &mut TcpStream, status: &str, html: &str) {
    let resp = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{html}",
        html.len()
    );
    let _ = stream.write_all(resp.as_bytes());
    let _ = stream.flush();
}

/// Read a request head (bounded in size and time). `None` for an empty or broken connection.
fn read_head(stream: &mut TcpStream) -> Option<String> {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    while buf.len() < 16 * 1024 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                if buf.windows(4).any(|w| w == b"\r\n\r\n") || buf.windows(2).any(|w| w == b"\n\n")
                {
                    break;
                }
            }
        }
    }
    if buf.is_empty() {
        return None;
    }
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// What one connection was.
enum Request {
    /// Not for us: answered and ignored.
    Stray,
    /// A redirect: its query parameters (the connection is kept to answer it).
    Callback(Vec<(String, String)>, TcpStream),
}

fn handle(mut stream: TcpStream, path: &str) -> Request {
    let Some(head) = read_head(&mut stream) else {
        return Request::Stray;
    };
    let mut parts = head.lines().next().unwrap_or("").split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("");
    let (p, q) = target.split_once('?').unwrap_or((target, ""));
    let p = if p.is_empty() { "/" } else { p };
    if method != "GET" {
        respond(
            &mut stream,
            "405 Method Not Allowed",
            &page("Method not allowed", "adsconf only answers GET."),
        );
        return Request::Stray;
    }
    if p != path {
        respond(
            &mut stream,
            "404 Not Found",
            &page("Not found", "adsconf is waiting for Google's redirect."),
        );
        return Request::Stray;
    }
    let params = query::parse(q.split('#').next().unwrap_or(""));
    if !is_callback(&params) {
        respond(
            &mut stream,
            "200 OK",
            &page(
                "Waiting",
                "adsconf is waiting for Google's redirect; open the authorization URL printed in the terminal.",
            ),
        );
        return Request::Stray;
    }
    Request::Callback(params, stream)
}

/// Read stdin lines into `tx` until EOF, an error, or `stop`. On Unix the thread reads fd 0
/// itself after poll(2), with its own buffer: it stops within 200 ms once the wait is over,
/// and never holds the lock or the buffer of `std::io::stdin()` (a later confirmation prompt
/// reads stdin too).
#[cfg(unix)]
fn stdin_lines(stop: Arc<AtomicBool>, tx: mpsc::Sender<String>) {
    let mut pending: Vec<u8> = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        while let Some(pos) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=pos).collect();
            if tx
                .send(String::from_utf8_lossy(&line).into_owned())
                .is_err()
            {
                return;
            }
        }
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let mut fds = libc::pollfd {
            fd: 0,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, count 1, bounded timeout.
        let r = unsafe { libc::poll(&mut fds, 1, 200) };
        if r == 0 {
            continue;
        }
        if r < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return;
        }
        if stop.load(Ordering::Relaxed) {
            return;
        }
        // SAFETY: reading into a live buffer of the given length.
        let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
        if n == 0 {
            if !pending.is_empty() {
                let _ = tx.send(String::from_utf8_lossy(&pending).into_owned());
            }
            return;
        }
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return;
        }
        pending.extend_from_slice(&buf[..n as usize]);
    }
}

/// Elsewhere: a plain blocking line reader (it cannot be stopped; it ends at EOF).
#[cfg(not(unix))]
fn stdin_lines(stop: Arc<AtomicBool>, tx: mpsc::Sender<String>) {
    loop {
        let mut line = String::new();
        match std::io::stdin().read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {
                if stop.load(Ordering::Relaxed) || tx.send(line).is_err() {
                    return;
                }
            }
        }
    }
}

/// Does the status line spin? Only on a terminal, and never while the user may be pasting
/// the redirect URL on the same terminal (the redraw would erase the pasted text).
fn spins(stderr_terminal: bool, stdin_typing: bool) -> bool {
    stderr_terminal && !stdin_typing
}

/// The status line, as a spinner on a terminal, else printed once.
struct Status {
    text: String,
    spin: bool,
    frame: usize,
    last: Instant,
}

impl Status {
    fn new(text: &str, spin: bool) -> Status {
        let s = Status {
            text: text.to_string(),
            spin,
            frame: 0,
            last: Instant::now(),
        };
        if !spin {
            crate::output::eprint_line(text);
        }
        s.draw();
        s
    }

    fn draw(&self) {
        if self.spin {
            const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K{} {}", FRAMES[self.frame % 4], self.text);
            let _ = err.flush();
        }
    }

    fn tick(&mut self) {
        if self.spin && self.last.elapsed() >= Duration::from_millis(120) {
            self.frame += 1;
            self.last = Instant::now();
            self.draw();
        }
    }

    /// Print a message above the status line.
    fn say(&self, msg: &str) {
        if self.spin {
            eprint!("\r\x1b[2K");
        }
        crate::output::eprint_line(msg);
        self.draw();
    }

    fn clear(&self) {
        if self.spin {
            eprint!("\r\x1b[2K");
        }
    }
}

/// Wait for the redirect on `listener` or stdin.
pub fn wait(listener: TcpListener, opts: &WaitOptions<'_>) -> Result<Redirect> {
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::usage(format!("cannot use the loopback listener: {e}")))?;
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel::<String>();
    if opts.read_stdin {
        let stop = stop.clone();
        std::thread::spawn(move || stdin_lines(stop, tx));
    } else {
        drop(tx);
    }
    // A spinner redraws its line, erasing what the user is pasting there: only when nobody
    // types (stdin is not a terminal), otherwise the status is printed once on its own line.
    let typing = opts.read_stdin && std::io::stdin().is_terminal();
    let mut status = Status::new(opts.status, spins(std::io::stderr().is_terminal(), typing));
    let deadline = Instant::now() + opts.timeout;
    let result = loop {
        if Instant::now() >= deadline {
            break Err(Error::refused(format!(
                "gave up after {} s: {}",
                opts.timeout.as_secs(),
                errors::explain(
                    if opts.no_browser {
                        "timeout_no_browser"
                    } else {
                        "timeout"
                    },
                    None
                )
            )));
        }
        match listener.accept() {
            Ok((stream, _)) => {
                if let Request::Callback(params, mut stream) = handle(stream, opts.path) {
                    let verdict = judge(&params, opts.state);
                    let html = match &verdict {
                        Ok(_) => page(
                            "Authorization received",
                            "adsconf received the authorization. You can close this tab and return to the terminal.",
                        ),
                        Err(_) => page(
                            "Authorization failed",
                            "adsconf could not use this redirect. Return to the terminal for what happened and what to do.",
                        ),
                    };
                    respond(&mut stream, "200 OK", &html);
                    break verdict.map(|code| Redirect {
                        code,
                        params,
                        via: Via::Browser,
                    });
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(_) => {}
        }
        match rx.try_recv() {
            Ok(line) => {
                if line.trim().is_empty() {
                    continue;
                }
                let params = pasted_params(&line);
                if is_callback(&params) {
                    break judge(&params, opts.state).map(|code| Redirect {
                        code,
                        params,
                        via: Via::Pasted,
                    });
                }
                status.say("That is not the redirect URL: paste the whole address of the page the browser ended on (it starts with the redirect URI and contains `code=` and `state=`).");
            }
            Err(mpsc::TryRecvError::Empty) | Err(mpsc::TryRecvError::Disconnected) => {}
        }
        status.tick();
        std::thread::sleep(Duration::from_millis(40));
    };
    stop.store(true, Ordering::Relaxed);
    status.clear();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Vec<(String, String)> {
        query::parse(s)
    }

    #[test]
    fn judge_checks_state_before_anything() {
        assert_eq!(judge(&q("state=s&code=4%2Fabc"), "s").unwrap(), "4/abc");
        let e = judge(&q("state=x&code=c"), "s").unwrap_err();
        assert_eq!(e.code(), 1);
        assert!(e.message.contains("wrong state"));
        let e = judge(&q("code=c"), "s").unwrap_err();
        assert!(e.message.contains("missing state"));
        let e = judge(&q("state=x&error=access_denied"), "s").unwrap_err();
        assert!(e.message.contains("state"), "{}", e.message);
        let e = judge(&q("state=s&error=access_denied"), "s").unwrap_err();
        assert!(e.message.contains("access_denied") && e.message.contains("Test users"));
    }

    #[test]
    fn pasted_lines() {
        let p = pasted_params("  http://127.0.0.1:5/?state=s&code=4%2Fx&scope=a#frag\n");
        assert_eq!(query::get(&p, "code"), Some("4/x"));
        assert_eq!(query::get(&p, "scope"), Some("a"));
        assert!(is_callback(&pasted_params("state=s&code=c")));
        assert!(!is_callback(&pasted_params("hello")));
    }

    #[test]
    fn html_is_escaped() {
        assert!(!page("<x>", "a&b").contains("<x>"));
    }

    #[test]
    fn no_spinner_while_the_user_may_paste() {
        assert!(spins(true, false));
        assert!(!spins(true, true));
        assert!(!spins(false, false));
    }
}
