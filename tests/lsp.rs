//! `adsconf lsp` driven over stdio by a scripted client (initialize, didOpen, didChange,
//! codeAction, hover, completion, shutdown, exit).
//!
//! The judge is `adsconf check --format json` on the same text: for every config file of every
//! rule fixture folder (`tests/fixtures/check/<rule>/`, with its ENV and ARGS), the server's
//! diagnostics carry the same rule, code, severity and message, over the same range, whichever
//! position encoding the client negotiates. Ranges are compared as byte offsets, each side
//! converted by this file's own reading of its convention (check: 1-based lines split at `\n`,
//! columns in chars; LSP: lines split at `\n`, `\r\n` or `\r`, characters in the negotiated
//! unit), not by the server's code.

mod common;

use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use lsp_server::{Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------------------
// A scripted client.

struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: mpsc::Receiver<Message>,
    next_id: i32,
    /// Notifications received while waiting for something else.
    pending: Vec<Notification>,
    /// Everything the server sent, as JSON text (for the secrets check).
    pub transcript: Vec<String>,
    pub encoding: String,
}

impl Session {
    /// Start `adsconf lsp` in `dir` with `env` only (plus HOME), and initialize. `encodings`:
    /// the client's `general.positionEncodings` (None: not sent, as LSP 3.16 clients).
    fn start(
        dir: &Path,
        env: &[(String, String)],
        encodings: Option<&[&str]>,
        init: Value,
    ) -> Session {
        let mut child = Command::new(common::bin())
            .arg("lsp")
            .current_dir(dir)
            .env_clear()
            .env("HOME", dir.join("home"))
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start adsconf lsp");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Ok(Some(m)) = Message::read(&mut r) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut s = Session {
            child,
            stdin,
            rx,
            next_id: 0,
            pending: Vec::new(),
            transcript: Vec::new(),
            encoding: "utf-16".into(),
        };
        let mut caps = json!({
            "workspace": {"workspaceEdit": {"documentChanges": true}},
            "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}},
        });
        if let Some(e) = encodings {
            caps["general"] = json!({"positionEncodings": e});
        }
        let root = Url::from_dir(dir);
        let r = s.request(
            "initialize",
            json!({"processId": null, "rootUri": root, "capabilities": caps,
                   "initializationOptions": init}),
        );
        s.encoding = r["capabilities"]["positionEncoding"]
            .as_str()
            .unwrap_or("utf-16")
            .to_string();
        s.notify("initialized", json!({}));
        s
    }

    fn send(&mut self, m: Message) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        m.write(stdin).expect("write to the server");
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(Notification::new(method.into(), params).into());
    }

    fn recv(&mut self) -> Message {
        let m = self
            .rx
            .recv_timeout(TIMEOUT)
            .expect("the server answers in time");
        self.transcript
            .push(serde_json::to_string(&m_value(&m)).unwrap());
        m
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        match self.try_request(method, params) {
            Ok(v) => v,
            Err(e) => panic!("{method} failed: {} {}", e.code, e.message),
        }
    }

    fn try_request(
        &mut self,
        method: &str,
        params: Value,
    ) -> Result<Value, lsp_server::ResponseError> {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.send(Request::new(id.clone(), method.into(), params).into());
        loop {
            match self.recv() {
                Message::Response(Response {
                    id: rid,
                    response_result,
                }) if rid == id => return response_result,
                Message::Notification(n) => self.pending.push(n),
                Message::Request(r) => panic!("unexpected request from the server: {r:?}"),
                Message::Response(r) => panic!("unexpected response {r:?}"),
            }
        }
    }

    /// The next notification `method` (with `uri`, when given).
    fn wait_notification(&mut self, method: &str, uri: Option<&str>) -> Value {
        let matches = |n: &Notification| {
            n.method == method && uri.is_none_or(|u| n.params["uri"].as_str() == Some(u))
        };
        if let Some(i) = self.pending.iter().position(matches) {
            return self.pending.remove(i).params;
        }
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            match self.recv() {
                Message::Notification(n) if matches(&n) => return n.params,
                Message::Notification(n) => self.pending.push(n),
                other => panic!("unexpected message {other:?}"),
            }
        }
        panic!("no {method} for {uri:?}");
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}),
        );
        self.diagnostics(uri)
    }

    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let p = self.wait_notification("textDocument/publishDiagnostics", Some(uri));
        p["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// `shutdown` then `exit`; the exit code.
    fn finish(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert!(r.is_null());
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    fn exit_code(&mut self) -> i32 {
        self.stdin = None;
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server does not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn m_value(m: &Message) -> Value {
    serde_json::to_value(m).unwrap_or(Value::Null)
}

struct Url;
impl Url {
    fn from_dir(dir: &Path) -> String {
        lsp_types::Url::from_directory_path(dir)
            .unwrap()
            .to_string()
    }
    fn from_file(p: &Path) -> String {
        lsp_types::Url::from_file_path(p).unwrap().to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Positions, as this test reads the two conventions.

/// Byte offset of check's 1-based (line, column in chars), lines split at `\n`.
fn check_offset(text: &str, line: u64, column: u64) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let mut off = start;
    for (n, (i, _)) in text[start..].char_indices().enumerate() {
        if n as u64 == column - 1 {
            return start + i;
        }
        off = start + i;
    }
    // Past the last char of the text.
    let _ = off;
    text.len()
}

/// Byte offset of an LSP position: lines split at `\n`, `\r\n` and `\r`; characters in
/// `encoding` units.
fn lsp_offset(text: &str, pos: &Value, encoding: &str) -> usize {
    let line = pos["line"].as_u64().unwrap();
    let character = pos["character"].as_u64().unwrap();
    let b = text.as_bytes();
    let mut start = 0;
    let mut l = 0;
    let mut i = 0;
    while l < line && i < b.len() {
        if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            l += 1;
            start = i + 1;
        }
        i += 1;
    }
    let mut units = 0u64;
    for (j, c) in text[start..].char_indices() {
        if c == '\n' || c == '\r' || units >= character {
            return start + j;
        }
        units += match encoding {
            "utf-8" => c.len_utf8() as u64,
            "utf-32" => 1,
            _ => c.len_utf16() as u64,
        };
    }
    text.len()
}

/// A span moved off the middle of a CRLF (no LSP position names that point): a start moves
/// back to the `\r`, an end forward past the `\n`.
fn lsp_representable(text: &str, (a, b): (usize, usize)) -> (usize, usize) {
    let inside = |o: usize| {
        o > 0 && text.as_bytes().get(o) == Some(&b'\n') && text.as_bytes()[o - 1] == b'\r'
    };
    (
        if inside(a) { a - 1 } else { a },
        if inside(b) { b + 1 } else { b },
    )
}

// ---------------------------------------------------------------------------------------------
// The judge.

/// `adsconf check --format json` of `file` in `dir`, with `env` and extra args.
fn check_json(dir: &Path, file: &Path, env: &[(String, String)], args: &[String]) -> Vec<Value> {
    let out = Command::new(common::bin())
        .arg("check")
        .args(["--format", "json"])
        .args(args)
        .arg(file)
        .current_dir(dir)
        .env_clear()
        .env("HOME", dir.join("home"))
        .env("NO_COLOR", "1")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .output()
        .expect("run adsconf check");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check --format json: {e}\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    v["diagnostics"].as_array().cloned().unwrap()
}

/// One finding reduced to what both sides must agree on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    start: usize,
    end: usize,
    rule: String,
    code: String,
    severity: String,
    message: String,
}

fn from_check(text: &str, d: &Value) -> Finding {
    let a = check_offset(
        text,
        d["line"].as_u64().unwrap(),
        d["column"].as_u64().unwrap(),
    );
    let b = check_offset(
        text,
        d["end_line"].as_u64().unwrap(),
        d["end_column"].as_u64().unwrap(),
    );
    let (start, end) = lsp_representable(text, (a, b));
    Finding {
        start,
        end,
        rule: d["rule"].as_str().unwrap().into(),
        code: d["code"].as_str().unwrap().into(),
        severity: d["severity"].as_str().unwrap().into(),
        message: d["message"].as_str().unwrap().into(),
    }
}

fn from_lsp(text: &str, d: &Value, encoding: &str) -> Finding {
    Finding {
        start: lsp_offset(text, &d["range"]["start"], encoding),
        end: lsp_offset(text, &d["range"]["end"], encoding),
        rule: d["data"]["rule"].as_str().unwrap_or("").into(),
        code: d["code"].as_str().unwrap_or("").into(),
        severity: match d["severity"].as_u64() {
            Some(1) => "error",
            Some(2) => "warning",
            Some(3) => "info",
            _ => "?",
        }
        .into(),
        message: d["message"].as_str().unwrap_or("").into(),
    }
}

fn sorted(mut v: Vec<Finding>) -> Vec<Finding> {
    v.sort();
    v
}

/// The text a file holds, as its library decodes it (ISO-8859-1 for Java); `None` for bytes
/// that are not text in that encoding (an editor cannot send them as they are: LSP carries
/// Unicode text).
fn decoded(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).unwrap();
    match adsconf::formats::detect(path, None).map(|l| l.info().encoding) {
        Some(adsconf::source::Encoding::Latin1) => Some(adsconf::source::decode_latin1(&bytes)),
        _ => String::from_utf8(bytes).ok(),
    }
}

// ---------------------------------------------------------------------------------------------
// Fixtures.

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

/// A rule fixture folder copied to a temporary directory (modes as `tests/check.rs` sets
/// them): the config files, the ENV variables and the ARGS.
struct Staged {
    dir: tempfile::TempDir,
    configs: Vec<PathBuf>,
    env: Vec<(String, String)>,
    args: Vec<String>,
}

fn stage(rule: &str) -> Staged {
    let src = fixtures().join(rule);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("home")).unwrap();
    let mut s = Staged {
        configs: Vec::new(),
        env: Vec::new(),
        args: Vec::new(),
        dir,
    };
    let mut names: Vec<String> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let to = s.dir.path().join(&name);
        std::fs::copy(src.join(&name), &to).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = if rule == "file-permissions" {
                0o644
            } else {
                0o600
            };
            std::fs::set_permissions(&to, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        let text = std::fs::read_to_string(&to).unwrap_or_default();
        match name.as_str() {
            "CHECK_ENV" => {}
            "ENV" => s.env.extend(
                text.lines()
                    .filter_map(|l| l.split_once('='))
                    .map(|(k, v)| (k.to_string(), v.to_string())),
            ),
            "ARGS" => s.args.extend(text.lines().map(String::from)),
            _ => match decoded(&to) {
                Some(t) if adsconf::lint::recognise_text(&name, &t, None).is_some() => {
                    s.configs.push(to)
                }
                Some(_) => {}
                None => eprintln!("not sent: {rule}/{name} is not text in its encoding"),
            },
        }
    }
    s
}

/// `check`'s flags as the server's settings (`--hierarchy H` → `{"hierarchy": "H"}`).
fn settings_of(args: &[String]) -> Value {
    let mut m = serde_json::Map::new();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let name = flag.trim_start_matches('-').to_string();
        let value = it.next().cloned().unwrap_or_default();
        m.insert(name, Value::String(value));
    }
    Value::Object(m)
}

/// For every rule fixture and every position encoding: the server's diagnostics on open are
/// `check --format json`'s on the same file.
#[test]
fn diagnostics_equal_checks_on_every_rule_fixture() {
    let mut compared = 0;
    let mut findings = 0;
    let mut langs = std::collections::BTreeSet::new();
    for rule in adsconf::rules::RULES {
        let s = stage(rule.name);
        if s.configs.is_empty() {
            continue;
        }
        let expected: Vec<(PathBuf, String, Vec<Value>)> = s
            .configs
            .iter()
            .map(|p| {
                let text = decoded(p).unwrap_or_default();
                (
                    p.clone(),
                    text,
                    check_json(s.dir.path(), p, &s.env, &s.args),
                )
            })
            .collect();
        for enc in [None, Some(&["utf-8", "utf-16"][..]), Some(&["utf-32"][..])] {
            let mut session = Session::start(s.dir.path(), &s.env, enc, settings_of(&s.args));
            let want_enc = match enc {
                Some(e) if e.contains(&"utf-8") => "utf-8",
                Some(_) => "utf-32",
                None => "utf-16",
            };
            assert_eq!(session.encoding, want_enc);
            for (path, text, check) in &expected {
                let uri = Url::from_file(path);
                let got = session.open(&uri, text);
                let enc = session.encoding.clone();
                let got = sorted(got.iter().map(|d| from_lsp(text, d, &enc)).collect());
                let want = sorted(check.iter().map(|d| from_check(text, d)).collect());
                assert_eq!(
                    got,
                    want,
                    "{}/{} ({enc})",
                    rule.name,
                    path.file_name().unwrap().to_string_lossy()
                );
                assert!(
                    got.iter().any(|f| f.rule == rule.name),
                    "{}: the fixture's own rule is missing",
                    rule.name
                );
                compared += 1;
                findings += got.len();
                if let Some(l) = adsconf::formats::detect(path, Some(text)) {
                    langs.insert(l.name());
                }
            }
            assert_eq!(session.finish(), 0);
        }
    }
    eprintln!("{compared} documents, {findings} findings, formats: {langs:?}");
    assert!(compared >= 90, "only {compared} documents compared");
}
