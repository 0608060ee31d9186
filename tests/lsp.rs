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

/// Documents with non-ASCII and astral characters before and inside findings, CRLF, and a
/// lone CR (a line end for Java's reader and for LSP, not for check's line numbers):
/// `tests/fixtures/lsp/unicode/`, each as its library decodes it.
fn unicode_docs() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lsp/unicode");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let docs: Vec<(String, String)> = names
        .into_iter()
        .map(|n| {
            let text = decoded(&dir.join(&n)).unwrap();
            (n, text)
        })
        .collect();
    assert!(docs.len() >= 8);
    docs
}

/// A directory with `name` holding `text` (encoded as its library reads it), mode 0600.
fn write_doc(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    let lang = adsconf::formats::detect(&p, Some(text)).expect("a recognised name");
    let bytes = adsconf::source::encode(text, lang.info().encoding).unwrap();
    std::fs::write(&p, bytes).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    p
}

fn home_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("home")).unwrap();
    d
}

const ENCODINGS: [Option<&[&str]>; 3] = [None, Some(&["utf-8"]), Some(&["utf-32", "utf-16"])];

#[test]
fn non_ascii_astral_crlf_and_lone_cr_positions() {
    let dir = home_dir();
    for enc in ENCODINGS {
        let mut s = Session::start(dir.path(), &[], enc, json!({}));
        let e = s.encoding.clone();
        for (name, text) in &unicode_docs() {
            let p = write_doc(dir.path(), name, text);
            let want = sorted(
                check_json(dir.path(), &p, &[], &[])
                    .iter()
                    .map(|d| from_check(text, d))
                    .collect(),
            );
            assert!(
                want.iter()
                    .any(|f| text[..f.start].contains(|c: char| !c.is_ascii())
                        || text[f.start..f.end].contains(|c: char| !c.is_ascii())),
                "{name}: no finding after or over a non-ASCII character: {want:?}"
            );
            let got = s.open(&Url::from_file(&p), text);
            let got = sorted(got.iter().map(|d| from_lsp(text, d, &e)).collect());
            assert_eq!(got, want, "{name} ({e})");
        }
        assert_eq!(s.finish(), 0);
    }
}

/// A deterministic pseudo-random sequence (no dependency, same every run).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// The LSP position of a byte offset, as this test reads the convention.
fn lsp_position(text: &str, off: usize, encoding: &str) -> Value {
    let b = text.as_bytes();
    let (mut line, mut start) = (0, 0);
    let mut i = 0;
    while i < off {
        if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            line += 1;
            start = i + 1;
        }
        i += 1;
    }
    let character: usize = text[start..off]
        .chars()
        .map(|c| match encoding {
            "utf-8" => c.len_utf8(),
            "utf-32" => 1,
            _ => c.len_utf16(),
        })
        .sum();
    json!({"line": line, "character": character})
}

/// Incremental changes (insertions and deletions of non-ASCII text, across lines) leave the
/// server with the editor's text: its diagnostics after each change are check's on that text.
#[test]
fn incremental_changes_track_the_text() {
    let dir = home_dir();
    let inserts = [
        "é",
        "😀",
        "\n",
        "x",
        "123-456-7890",
        "漢字",
        "\r\n",
        " = ",
        "# c\n",
    ];
    for enc in ENCODINGS {
        let mut s = Session::start(dir.path(), &[], enc, json!({"debounceMs": 0}));
        let e = s.encoding.clone();
        let mut rng = Lcg(7);
        // UTF-8 formats: the edits insert characters ISO-8859-1 (Java) cannot hold.
        for (name, text) in unicode_docs().iter().filter(|(n, _)| {
            adsconf::formats::detect(Path::new(n), None)
                .is_some_and(|l| l.info().encoding == adsconf::source::Encoding::Utf8)
        }) {
            let p = dir.path().join(name);
            let uri = Url::from_file(&p);
            let mut text = text.to_string();
            s.open(&uri, &text);
            for version in 2..14 {
                // A random char-boundary range, never splitting a CRLF.
                let bounds: Vec<usize> = (0..=text.len())
                    .filter(|&o| text.is_char_boundary(o))
                    .filter(|&o| {
                        !(o > 0
                            && text.as_bytes().get(o) == Some(&b'\n')
                            && text.as_bytes()[o - 1] == b'\r')
                    })
                    .collect();
                let a = bounds[rng.next(bounds.len())];
                let b = if rng.next(3) == 0 {
                    a
                } else {
                    bounds[rng.next(bounds.len())]
                };
                let (a, b) = (a.min(b), a.max(b));
                let b = a + (b - a).min(12);
                let b = (b..=text.len())
                    .find(|&o| text.is_char_boundary(o))
                    .unwrap();
                let new = inserts[rng.next(inserts.len())];
                let range =
                    json!({"start": lsp_position(&text, a, &e), "end": lsp_position(&text, b, &e)});
                text.replace_range(a..b, new);
                s.notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": uri, "version": version},
                           "contentChanges": [{"range": range, "text": new}]}),
                );
                let got = s.diagnostics(&uri);
                write_doc(dir.path(), name, &text);
                let want = sorted(
                    check_json(dir.path(), &p, &[], &[])
                        .iter()
                        .map(|d| from_check(&text, d))
                        .collect(),
                );
                let got = sorted(got.iter().map(|d| from_lsp(&text, d, &e)).collect());
                assert_eq!(got, want, "{name} v{version} ({e}):\n{text:?}");
            }
        }
        assert_eq!(s.finish(), 0);
    }
}

/// Apply LSP text edits (this test's reading of positions) to `text`.
fn apply_lsp_edits(text: &str, edits: &[Value], encoding: &str) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                lsp_offset(text, &e["range"]["start"], encoding),
                lsp_offset(text, &e["range"]["end"], encoding),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| (s.0, s.1));
    let mut out = String::new();
    let mut pos = 0;
    for (a, b, t) in spans {
        assert!(a >= pos, "overlapping edits");
        out.push_str(&text[pos..a]);
        out.push_str(&t);
        pos = b;
    }
    out.push_str(&text[pos..]);
    out
}

/// The edits of a code action for `uri` (versioned `documentChanges`, as this client asks).
fn action_edits(a: &Value, uri: &str, version: i64) -> Vec<Value> {
    let dc = &a["edit"]["documentChanges"][0];
    assert_eq!(dc["textDocument"]["uri"].as_str(), Some(uri));
    assert_eq!(dc["textDocument"]["version"].as_i64(), Some(version));
    dc["edits"].as_array().cloned().unwrap()
}

/// Every fix of every rule fixture is offered as a quick fix on its finding; applying the
/// action's edits gives exactly the text `check`'s fix gives (the library's own edits); unsafe
/// fixes say so and are never preferred.
#[test]
fn quick_fixes_are_checks_fixes() {
    let mut applied = 0;
    let mut unsafe_seen = 0;
    for rule in adsconf::rules::RULES {
        let s = stage(rule.name);
        if s.configs.is_empty() {
            continue;
        }
        let mut opts = adsconf::lint::Options::new(None, &[], None, (None, None, None)).unwrap();
        opts.env = s.env.iter().cloned().collect();
        opts.cwd = Some(s.dir.path().to_path_buf());
        let mut session = Session::start(s.dir.path(), &s.env, Some(&["utf-16"]), json!({}));
        let enc = session.encoding.clone();
        for path in &s.configs {
            let text = decoded(path).unwrap();
            let uri = Url::from_file(path);
            let published = session.open(&uri, &text);
            let Ok(report) = adsconf::lint::check_path(path, None, &opts) else {
                continue;
            };
            for d in report.diagnostics.iter().filter(|d| d.fix.is_some()) {
                let fix = d.fix.as_ref().unwrap();
                let lsp_diag = published
                    .iter()
                    .find(|p| p["message"] == d.message.as_str() && p["code"] == d.code)
                    .unwrap_or_else(|| panic!("{}: {} not published", rule.name, d.rule));
                let actions = session.request(
                    "textDocument/codeAction",
                    json!({"textDocument": {"uri": uri}, "range": lsp_diag["range"],
                           "context": {"diagnostics": [lsp_diag], "only": ["quickfix"]}}),
                );
                let action = actions
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|a| a["diagnostics"][0]["message"] == d.message.as_str())
                    .unwrap_or_else(|| {
                        panic!("{}: no action for {}: {actions}", rule.name, d.rule)
                    });
                assert_eq!(action["kind"], "quickfix");
                let is_unsafe = fix.applicability == adsconf::diag::Applicability::Unsafe;
                assert_eq!(action["isPreferred"], !is_unsafe, "{}", action["title"]);
                assert_eq!(
                    action["title"].as_str().unwrap().contains("unsafe"),
                    is_unsafe,
                    "{}",
                    action["title"]
                );
                unsafe_seen += usize::from(is_unsafe);
                let edits = action_edits(action, &uri, 1);
                let got = apply_lsp_edits(&text, &edits, &enc);
                let want = adsconf::edit::apply(&text, &fix.edits).unwrap();
                assert_eq!(got, want, "{}: {} ({})", rule.name, d.rule, action["title"]);
                applied += 1;
            }
        }
        assert_eq!(session.finish(), 0);
    }
    eprintln!("{applied} quick fixes applied, {unsafe_seen} unsafe");
    assert!(
        applied >= 15 && unsafe_seen >= 3,
        "{applied} fixes, {unsafe_seen} unsafe"
    );
}

/// The fix-all action makes the text `adsconf fix` writes (with `--force`: the action edits the
/// buffer and leaves the findings it cannot fix in view).
#[test]
fn fix_all_is_adsconf_fix() {
    let mut compared = 0;
    for rule in adsconf::rules::RULES {
        let s = stage(rule.name);
        if s.configs.is_empty() || !s.args.is_empty() {
            continue;
        }
        let mut session = Session::start(s.dir.path(), &s.env, Some(&["utf-8"]), json!({}));
        for path in &s.configs {
            let text = decoded(path).unwrap();
            let uri = Url::from_file(path);
            session.open(&uri, &text);
            let actions = session.request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri},
                       "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                       "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
            );
            let actions = actions.as_array().cloned().unwrap_or_default();
            assert!(actions.iter().all(|a| a["kind"] == "source.fixAll.adsconf"));
            let out = Command::new(common::bin())
                // --force: the file may keep errors the fixes do not touch; the action edits
                // a buffer, which the editor saves when the user says so.
                .args(["fix", "--yes", "--force"])
                .arg(path)
                .current_dir(s.dir.path())
                .env_clear()
                .env("HOME", s.dir.path().join("home"))
                .env("NO_COLOR", "1")
                .envs(s.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .stdin(Stdio::null())
                .output()
                .unwrap();
            let fixed = decoded(path).unwrap();
            match actions.first() {
                Some(a) => {
                    let got = apply_lsp_edits(&text, &action_edits(a, &uri, 1), "utf-8");
                    assert_eq!(
                        got,
                        fixed,
                        "{}: {}",
                        rule.name,
                        String::from_utf8_lossy(&out.stderr)
                    );
                    compared += 1;
                }
                None => assert_eq!(
                    fixed, text,
                    "{}: fix changed what the server would not",
                    rule.name
                ),
            }
            // Back to the fixture's text for the next file of the folder.
            std::fs::write(
                path,
                adsconf::source::encode(
                    &text,
                    adsconf::formats::detect(path, Some(&text))
                        .unwrap()
                        .info()
                        .encoding,
                )
                .unwrap(),
            )
            .unwrap();
        }
        assert_eq!(session.finish(), 0);
    }
    assert!(compared >= 8, "only {compared} fix-all actions compared");
}

fn position_of(text: &str, needle: &str, encoding: &str) -> Value {
    let off = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in the text"));
    lsp_position(text, off, encoding)
}

fn hover_text(s: &mut Session, uri: &str, pos: Value) -> String {
    let h = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos}),
    );
    h["contents"]["value"].as_str().unwrap_or("").to_string()
}

/// Hover on a key: the neutral name, what the library reads (typed, secrets masked), the
/// catalogue's summary, the environment variable that overrides it; and the help of the
/// finding under the cursor.
#[test]
fn hover_tells_what_the_library_reads() {
    let dir = home_dir();
    let yaml = "use_proto_plus: True\nclient_id: 1234-abc.apps.googleusercontent.com\nclient_secret: GOCSPX-verysecretvalue\nrefresh_token: \"1//0averysecretrefresh\"\nlogin_customer_id: 123-456-7890\nlinked_customer_id: 1234567890\nrefreshToken: 1//0anothersecretvalue\n";
    let p = write_doc(dir.path(), "google-ads.yaml", yaml);
    let uri = Url::from_file(&p);
    let env = [(
        "GOOGLE_ADS_LOGIN_CUSTOMER_ID".to_string(),
        "1111111111".to_string(),
    )];
    let mut s = Session::start(dir.path(), &env, None, json!({}));
    s.open(&uri, yaml);
    let h = hover_text(
        &mut s,
        &uri,
        position_of(yaml, "linked_customer_id", "utf-16"),
    );
    for want in [
        "linked_customer_id",
        "integer",
        "1234567890",
        "GOOGLE_ADS_LINKED_CUSTOMER_ID",
        "not set in this environment",
    ] {
        assert!(h.contains(want), "{want:?} not in hover:\n{h}");
    }
    let summary = &adsconf::schema::neutral("linked_customer_id")
        .unwrap()
        .summary;
    assert!(h.contains(summary.as_str()), "{h}");
    // On the value of a secret: masked, never the value.
    let h = hover_text(&mut s, &uri, position_of(yaml, "GOCSPX", "utf-16"));
    assert!(h.contains("client_secret") && h.contains("GOCS…"), "{h}");
    assert!(!h.contains("verysecret"), "{h}");
    // A key the library never reads, spelt like a secret: its value is masked too.
    let h = hover_text(&mut s, &uri, position_of(yaml, "refreshToken", "utf-16"));
    assert!(h.contains("never reads"), "{h}");
    assert!(!h.contains("anothersecret"), "{h}");
    // The variable set in the environment, and the finding's help at the cursor.
    let h = hover_text(&mut s, &uri, position_of(yaml, "123-456", "utf-16"));
    assert!(
        h.contains("GOOGLE_ADS_LOGIN_CUSTOMER_ID") && h.contains("1111111111"),
        "{h}"
    );
    assert!(h.contains("customer-id-format"), "the finding's help: {h}");
    // Nowhere near a key: nothing.
    let off = yaml.find("\nclient_id").unwrap() + 1;
    let blank = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 99, "character": 0}}),
    );
    assert!(blank.is_null(), "{blank}");
    let _ = off;
    assert_eq!(s.finish(), 0);
}

fn completion_labels(s: &mut Session, uri: &str, pos: Value) -> Vec<(String, String, Value)> {
    let r = s.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": pos}),
    );
    r["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|i| {
            (
                i["label"].as_str().unwrap().to_string(),
                i["detail"].as_str().unwrap_or("").to_string(),
                i["textEdit"].clone(),
            )
        })
        .collect()
}

/// Completion offers the library's key names with their neutral names, in PHP only the
/// keys of the section the cursor is in, and nothing inside a value.
#[test]
fn completion_of_key_names() {
    let dir = home_dir();
    let ini = "[GOOGLE_ADS]\ndeveloperToken = \"abc\"\nlogin\n\n[OAUTH2]\n\n[CONNECTION]\n";
    let p = write_doc(dir.path(), "google_ads_php.ini", ini);
    let uri = Url::from_file(&p);
    let mut s = Session::start(dir.path(), &[], Some(&["utf-8"]), json!({}));
    s.open(&uri, ini);
    let php = adsconf::lang::Lang::Php.catalog();
    let in_section = |name: &str| -> Vec<String> {
        php.keys
            .iter()
            .filter(|k| k.section.as_deref() == Some(name))
            .map(|k| k.key.clone())
            .collect()
    };
    // Under [GOOGLE_ADS], after `login`.
    let pos = json!({"line": 2, "character": 5});
    let items = completion_labels(&mut s, &uri, pos);
    let mut labels: Vec<String> = items.iter().map(|i| i.0.clone()).collect();
    labels.sort();
    let mut want = in_section("GOOGLE_ADS");
    want.sort();
    assert_eq!(labels, want);
    let login = items.iter().find(|i| i.0 == "loginCustomerId").unwrap();
    assert_eq!(login.1, "login_customer_id");
    assert_eq!(
        login.2["range"]["start"],
        json!({"line": 2, "character": 0})
    );
    // In the empty [OAUTH2] section: its keys only.
    let items = completion_labels(&mut s, &uri, json!({"line": 5, "character": 0}));
    let mut labels: Vec<String> = items.iter().map(|i| i.0.clone()).collect();
    labels.sort();
    let mut want = in_section("OAUTH2");
    want.sort();
    assert_eq!(labels, want);
    assert!(labels.contains(&"refreshToken".to_string()));
    // Inside a value: nothing.
    let items = completion_labels(&mut s, &uri, json!({"line": 1, "character": 19}));
    assert!(items.is_empty(), "{items:?}");

    // Ruby: `c.client_i` completes the attribute, keeping `c.`.
    let rb = "Google::Ads::GoogleAds::Config.new do |c|\n  c.client_i\nend\n";
    let p = write_doc(dir.path(), "google_ads_config.rb", rb);
    let uri = Url::from_file(&p);
    s.open(&uri, rb);
    let items = completion_labels(&mut s, &uri, json!({"line": 1, "character": 12}));
    let id = items
        .iter()
        .find(|i| i.0 == "client_id")
        .expect("client_id offered");
    assert_eq!(id.1, "client_id");
    assert_eq!(id.2["range"]["start"], json!({"line": 1, "character": 4}));
    // Java: the whole dotted key is replaced.
    let props = "api.googleads.cl\n";
    let p = write_doc(dir.path(), "ads.properties", props);
    let uri = Url::from_file(&p);
    s.open(&uri, props);
    let items = completion_labels(&mut s, &uri, json!({"line": 0, "character": 16}));
    let id = items
        .iter()
        .find(|i| i.0 == "api.googleads.clientId")
        .expect("clientId offered");
    assert_eq!(id.2["range"]["start"], json!({"line": 0, "character": 0}));
    assert_eq!(s.finish(), 0);
}

/// Settings mean what `check`'s flags mean: `ignore` drops a rule (by name or code),
/// `libraryVersion` changes version-dependent verdicts; a change of settings re-checks open
/// documents; a bad setting is reported and the previous settings stay.
#[test]
fn settings_are_checks_flags() {
    let dir = home_dir();
    let yaml = "use_proto_plus: True\nclient_id: 1234-abc.apps.googleusercontent.com\nclient_secret: GOCSPX-x\nrefresh_token: 1//0x\nlogin_customer_id: 123-456-7890\n";
    let p = write_doc(dir.path(), "google-ads.yaml", yaml);
    let uri = Url::from_file(&p);
    let rules_of = |d: &[Value]| -> Vec<String> {
        let mut v: Vec<String> = d
            .iter()
            .map(|x| x["data"]["rule"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    let check_rules = |args: &[&str]| -> Vec<String> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let mut v: Vec<String> = check_json(dir.path(), &p, &[], &args)
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    // Initialization options, nested under "adsconf" as VS Code sends them.
    let mut s = Session::start(
        dir.path(),
        &[],
        None,
        json!({"adsconf": {"ignore": ["ADS003"], "libraryVersion": "31.0.0"}}),
    );
    let first = rules_of(&s.open(&uri, yaml));
    assert_eq!(
        first,
        check_rules(&["--ignore", "ADS003", "--library-version", "31.0.0"])
    );
    assert!(
        first.contains(&"missing-required-key".to_string()),
        "{first:?}"
    );
    assert!(!first.contains(&"customer-id-format".to_string()));
    // didChangeConfiguration: flat, with the CLI's spelling.
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"ignore": "customer-id-format,missing-credentials", "library-version": ""}}),
    );
    let second = rules_of(&s.diagnostics(&uri));
    assert_eq!(
        second,
        check_rules(&["--ignore", "customer-id-format,missing-credentials"])
    );
    assert_ne!(first, second);
    // A rule that does not exist: the CLI's sentence in a message, the settings unchanged.
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"adsconf": {"ignore": ["customer-id-formats"]}}}),
    );
    let msg = s.wait_notification("window/showMessage", None);
    assert_eq!(msg["type"], 1);
    let text = msg["message"].as_str().unwrap();
    assert!(
        text.contains("no rule `customer-id-formats`")
            && text.contains("did you mean `customer-id-format`"),
        "{text}"
    );
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": yaml}]}),
    );
    assert_eq!(rules_of(&s.diagnostics(&uri)), second);
    // The hierarchy question (relative to the workspace root), as --hierarchy/--user/--customer.
    let fixture = fixtures().join("login-customer-id-unreachable");
    std::fs::copy(
        fixture.join("hierarchy.toml"),
        dir.path().join("hierarchy.toml"),
    )
    .unwrap();
    let args: Vec<String> = std::fs::read_to_string(fixture.join("ARGS"))
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let mut settings = settings_of(&args);
    settings["hierarchy"] = json!("hierarchy.toml");
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": settings}),
    );
    let third = rules_of(&s.diagnostics(&uri));
    let mut cli_args: Vec<&str> = args.iter().map(String::as_str).collect();
    let h = cli_args.iter().position(|a| *a == "--hierarchy").unwrap();
    cli_args[h + 1] = "hierarchy.toml";
    assert_eq!(third, check_rules(&cli_args));
    assert!(
        third.iter().any(|r| r.starts_with("login-customer-id")),
        "{third:?}"
    );
    assert_eq!(s.finish(), 0);
}

/// Files `check -r` would not recognise get no findings (the server can be attached to every
/// YAML or INI buffer); recognised ones without a name (untitled) neither.
#[test]
fn unrecognised_documents_get_nothing() {
    let dir = home_dir();
    let mut s = Session::start(dir.path(), &[], None, json!({}));
    for (name, text) in [
        ("docker-compose.yaml", "services:\n  web:\n    image: x\n"),
        ("settings.ini", "[core]\nkey = 1-2-3\n"),
        ("notes.txt", "login_customer_id: 123-456-7890\n"),
    ] {
        let uri = Url::from_file(&dir.path().join(name));
        assert!(s.open(&uri, text).is_empty(), "{name}");
    }
    assert!(s
        .open("untitled:Untitled-1", "login_customer_id: 123-456-7890\n")
        .is_empty());
    // A generic name recognised by its content is checked.
    let uri = Url::from_file(&dir.path().join("prod.yaml"));
    let d = s.open(
        &uri,
        "use_proto_plus: True\nlogin_customer_id: 123-456-7890\n",
    );
    assert!(
        d.iter().any(|x| x["data"]["rule"] == "customer-id-format"),
        "{d:?}"
    );
    // Closing clears.
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(s.diagnostics(&uri).is_empty());
    assert_eq!(s.finish(), 0);
}

/// Changes are debounced: a burst of edits is checked once, after the last one.
#[test]
fn changes_are_debounced() {
    let dir = home_dir();
    let p = dir.path().join("google-ads.yaml");
    let uri = Url::from_file(&p);
    let mut s = Session::start(dir.path(), &[], None, json!({"debounceMs": 1000}));
    s.open(&uri, "use_proto_plus: True\n");
    let start = Instant::now();
    let mut text = String::from("use_proto_plus: True\n");
    for (v, c) in "login_customer_id: 123-456-7890".chars().enumerate() {
        let end = lsp_position(&text, text.len(), "utf-16");
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": v + 2},
                   "contentChanges": [{"range": {"start": end, "end": end}, "text": c.to_string()}]}),
        );
        text.push(c);
    }
    let p = s.wait_notification("textDocument/publishDiagnostics", Some(&uri));
    assert!(start.elapsed() >= Duration::from_millis(1000));
    assert_eq!(p["version"], 32, "one check, of the last version");
    assert!(p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["data"]["rule"] == "customer-id-format"));
    // A request about a document with a pending change answers on the current text.
    let end = lsp_position(&text, text.len(), "utf-16");
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 40},
               "contentChanges": [{"range": {"start": {"line": 1, "character": 0}, "end": end}, "text": "linked_customer_id: 1"}]}),
    );
    let h = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 2}}),
    );
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("linked_customer_id"),
        "{h}"
    );
    assert_eq!(s.finish(), 0);
}

/// The lifecycle: exit after shutdown is 0, exit without shutdown 1, requests after
/// shutdown are refused, unknown requests get MethodNotFound, garbage on stdin ends the
/// server without a panic.
#[test]
fn lifecycle_and_bad_input() {
    let dir = home_dir();
    let mut s = Session::start(dir.path(), &[], None, json!({}));
    let e = s.try_request(
        "textDocument/definition",
        json!({"textDocument": {"uri": "file:///x"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(e.unwrap_err().code, -32601);
    // A request about a document never opened: null.
    let h = s.request("textDocument/hover", json!({"textDocument": {"uri": "file:///nope.yaml"}, "position": {"line": 0, "character": 0}}));
    assert!(h.is_null());
    assert!(s.request("shutdown", Value::Null).is_null());
    let e = s.try_request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(e.unwrap_err().code, -32600);
    s.notify("exit", Value::Null);
    assert_eq!(s.exit_code(), 0);

    let mut s = Session::start(dir.path(), &[], None, json!({}));
    s.notify("exit", Value::Null);
    assert_eq!(s.exit_code(), 1);

    // Bad settings at start: the server starts with the defaults and says why.
    let mut s = Session::start(dir.path(), &[], None, json!({"libraryVersion": "newest"}));
    let m = s.wait_notification("window/showMessage", None);
    assert!(
        m["message"].as_str().unwrap().contains("is not a version"),
        "{m}"
    );
    assert_eq!(s.finish(), 0);

    for garbage in [
        &b"Content-Length: 5\r\n\r\n{{{{{"[..],
        b"\x00\xff garbage\r\n\r\n",
        b"Content-Length: 99999999999\r\n\r\n{}",
    ] {
        let mut child = Command::new(common::bin())
            .arg("lsp")
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(garbage).unwrap();
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{garbage:?}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(
            err.starts_with("error: ") && err.lines().count() == 1,
            "{err:?}"
        );
    }
}

/// No secret value is ever sent in a diagnostic, a hover or a completion; only a code action
/// that moves a secret carries it (into the buffer that already holds it).
#[test]
fn secrets_stay_masked() {
    let dir = home_dir();
    let secrets = [
        "GOCSPX-verysecretvalue",
        "1//0averysecretrefresh",
        "supersecretdevtoken1234",
        "pr0xyp4ss",
    ];
    let yaml = format!(
        "use_proto_plus: maybe\nclient_id: {}\nclient_secret: 1234-abc.apps.googleusercontent.com\nrefresh_token: \"{} \"\ndeveloper_token: {}\nhttp_proxy: http://user:{}@proxy:8080\nrefreshTokn: {}\n",
        secrets[0], secrets[1], secrets[2], secrets[3], secrets[1]
    );
    let p = write_doc(dir.path(), "google-ads.yaml", &yaml);
    let uri = Url::from_file(&p);
    let mut s = Session::start(dir.path(), &[], None, json!({}));
    let diags = s.open(&uri, &yaml);
    assert!(diags.len() >= 3, "{diags:?}");
    for i in 0..yaml.lines().count() {
        for ch in [0, 3, 14, 20] {
            let pos = json!({"line": i, "character": ch});
            s.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": pos}),
            );
            s.request(
                "textDocument/completion",
                json!({"textDocument": {"uri": uri}, "position": pos}),
            );
        }
    }
    let before_actions = s.transcript.len();
    s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}},
               "context": {"diagnostics": []}}),
    );
    for (i, m) in s.transcript[..before_actions].iter().enumerate() {
        for secret in secrets {
            assert!(!m.contains(secret), "message {i} shows {secret}: {m}");
        }
    }
    // Code action titles never show them either (the edits may: they write the buffer).
    let mut titles = 0;
    for m in &s.transcript[before_actions..] {
        let v: Value = serde_json::from_str(m).unwrap();
        for a in v["result"].as_array().cloned().unwrap_or_default() {
            let title = a["title"].as_str().unwrap();
            titles += 1;
            for secret in secrets {
                assert!(!title.contains(secret), "{title}");
            }
        }
    }
    assert!(titles >= 2, "only {titles} code actions");
    assert_eq!(s.finish(), 0);
}

/// A project's `adsconf.toml` `[check]` table is read by `check` run in its directory and by
/// the server for that workspace, the same way; editor settings (like flags) add to it.
#[test]
fn project_check_table_is_read_by_both() {
    let dir = home_dir();
    let yaml = "use_proto_plus: True\nclient_id: 1234-abc.apps.googleusercontent.com\nclient_secret: GOCSPX-x\nrefresh_token: 1//0x\nlogin_customer_id: 123-456-7890\nlinked_customer_id: 1234567890\n";
    let p = write_doc(dir.path(), "google-ads.yaml", yaml);
    std::fs::write(
        dir.path().join("adsconf.toml"),
        "client_id = \"1234-abc.apps.googleusercontent.com\"\n\n[check]\nignore = [\"customer-id-format\"]\nlibrary-version = \"31.0.0\"\n",
    )
    .unwrap();
    let rules = |v: Vec<String>| {
        let mut v = v;
        v.sort();
        v
    };
    let cli = |args: &[&str]| {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        rules(
            check_json(dir.path(), &p, &[], &args)
                .iter()
                .map(|d| d["rule"].as_str().unwrap().to_string())
                .collect(),
        )
    };
    let from_cli = cli(&[]);
    assert!(
        !from_cli.contains(&"customer-id-format".to_string()),
        "{from_cli:?}"
    );
    assert!(
        from_cli.contains(&"missing-required-key".to_string()),
        "31.0.0 applies: {from_cli:?}"
    );
    let mut s = Session::start(dir.path(), &[], None, json!({}));
    let uri = Url::from_file(&p);
    let got = rules(
        s.open(&uri, yaml)
            .iter()
            .map(|d| d["data"]["rule"].as_str().unwrap().to_string())
            .collect(),
    );
    assert_eq!(got, from_cli);
    // Editor settings add to the table, as flags do.
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"ignore": ["customer-id-type"], "libraryVersion": "33.0.0"}}),
    );
    let got = rules(
        s.diagnostics(&uri)
            .iter()
            .map(|d| d["data"]["rule"].as_str().unwrap().to_string())
            .collect(),
    );
    let want = cli(&[
        "--ignore",
        "customer-id-type",
        "--library-version",
        "33.0.0",
    ]);
    assert_eq!(got, want);
    assert!(
        !want.contains(&"customer-id-type".to_string())
            && !want.contains(&"customer-id-format".to_string())
    );
    assert_eq!(s.finish(), 0);
    // A table check would refuse: the CLI exits 2 naming the file and line; the server says
    // the same in a message and starts with the editor's settings alone.
    std::fs::write(
        dir.path().join("adsconf.toml"),
        "[check]\nignore = [\"nope-rule\"]\n",
    )
    .unwrap();
    let out = Command::new(common::bin())
        .args(["check", "google-ads.yaml"])
        .current_dir(dir.path())
        .env("HOME", dir.path().join("home"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no rule `nope-rule`"));
    std::fs::write(
        dir.path().join("adsconf.toml"),
        "[check]\nignored = [\"unknown-key\"]\n",
    )
    .unwrap();
    let out = Command::new(common::bin())
        .args(["check", "google-ads.yaml"])
        .current_dir(dir.path())
        .env("HOME", dir.path().join("home"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("adsconf.toml:1: [check]") && err.contains("ignored"),
        "{err}"
    );
    let mut s = Session::start(dir.path(), &[], None, json!({}));
    let m = s.wait_notification("window/showMessage", None);
    assert!(m["message"].as_str().unwrap().contains("[check]"), "{m}");
    assert_eq!(s.finish(), 0);
}
