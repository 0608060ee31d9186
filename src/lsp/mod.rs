//! `adsconf lsp`: the checks of `adsconf check` in the editor, as a Language Server Protocol
//! server over stdio (synchronous, on `lsp-server`).
//!
//! Every open document that `check -r` would recognise (by name, or by content for generic
//! names) is checked through [`crate::lint::check_text`] — the function behind `check` — on
//! open and after each change (debounced), and its findings are published with the same rule,
//! code, severity, message and range as `check --format json`. Fixes become code actions,
//! keys get hovers and completions from the catalogues in `schemas/`. Nothing here knows a
//! rule or a format: everything comes from the rule table, the language table, the
//! catalogues and the parsers' spans, so new rules and formats appear here by themselves.
//!
//! The server never touches the network and never writes a file: edits go to the editor.

mod actions;
mod convert;
mod hover;
pub mod settings;
pub mod text;
pub mod transport;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{notification as n, request as r, Url};
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::lint::{self, Options};
use crate::report::FileReport;
pub use settings::Settings;
use text::{Encoding, Text};

/// One open document.
struct Doc {
    version: i32,
    text: Text,
    /// The file on disk the document is (for file: URIs).
    path: Option<PathBuf>,
    /// The library the document is for, when recognised.
    lang: Option<Lang>,
    /// The findings on the current text (`None` until linted).
    report: Option<FileReport>,
    /// When to lint after the last change.
    due: Option<Instant>,
    /// A message about this document was shown (size cap): do not repeat it on each keystroke.
    warned: bool,
}

/// What the client can do, from `initialize`.
#[derive(Debug, Clone, Copy, Default)]
struct Client {
    document_changes: bool,
    markdown: bool,
}

pub struct Server {
    conn: Connection,
    enc: Encoding,
    client: Client,
    root: Option<PathBuf>,
    settings: Settings,
    opts: Options,
    docs: HashMap<Url, Doc>,
    shutdown: bool,
}

/// Run the server on stdin/stdout until `exit`. Returns the process exit code: 0 after
/// `shutdown` then `exit`, 1 when the client went away or sent `exit` without `shutdown`.
pub fn run_stdio() -> Result<i32> {
    let (conn, io) = transport::stdio();
    let code = serve(conn)?;
    io.join().map_err(|e| Error::usage(format!("lsp: {e}")))?;
    Ok(code)
}

fn protocol(e: impl std::fmt::Display) -> Error {
    Error::usage(format!("lsp: {e}"))
}

/// The server's side of an LSP connection (stdio, or an in-memory one in tests and benches):
/// initialize, then serve until `exit`.
pub fn serve(conn: Connection) -> Result<i32> {
    let (id, params) = match conn.initialize_start() {
        Ok(x) => x,
        // The client went away before initializing.
        Err(e) if e.channel_is_disconnected() => return Ok(1),
        Err(e) => return Err(protocol(e)),
    };
    let offered: Option<Vec<lsp_types::PositionEncodingKind>> = params
        .pointer("/capabilities/general/positionEncodings")
        .and_then(|v| serde_json::from_value(v.clone()).ok());
    let enc = Encoding::negotiate(offered.as_deref());
    let client = Client {
        document_changes: params
            .pointer("/capabilities/workspace/workspaceEdit/documentChanges")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        markdown: params
            .pointer("/capabilities/textDocument/hover/contentFormat")
            .and_then(Value::as_array)
            .is_some_and(|f| f.iter().any(|k| k == "markdown")),
    };
    let root = root_of(&params);
    let mut problems = Vec::new();
    let settings = match params.get("initializationOptions") {
        Some(v) => Settings::from_json(v).unwrap_or_else(|e| {
            problems.push(e.message);
            Settings::default()
        }),
        None => Settings::default(),
    };
    // Settings check would refuse: say so, and start with what can be used (the editor's
    // settings without the project's table, else none).
    let opts = match settings.options(root.as_deref()) {
        Ok(o) => o,
        Err(e) => {
            problems.push(e.message);
            settings
                .flags(root.as_deref())
                .options(None)
                .or_else(|_| lint::Flags::default().options(None))?
        }
    };
    let result = json!({
        "capabilities": capabilities(enc),
        "serverInfo": {"name": "adsconf", "version": env!("CARGO_PKG_VERSION")},
    });
    if let Err(e) = conn.initialize_finish(id, result) {
        return if e.channel_is_disconnected() {
            Ok(1)
        } else {
            Err(protocol(e))
        };
    }
    let mut server = Server {
        conn,
        enc,
        client,
        root,
        settings,
        opts,
        docs: HashMap::new(),
        shutdown: false,
    };
    for p in problems {
        server.show(
            lsp_types::MessageType::ERROR,
            &format!("adsconf settings: {p}"),
        );
    }
    Ok(server.main_loop())
}

/// The workspace root: the first workspace folder, else `rootUri`, else `rootPath`.
fn root_of(params: &Value) -> Option<PathBuf> {
    let uri = params
        .pointer("/workspaceFolders/0/uri")
        .or_else(|| params.get("rootUri"))
        .and_then(Value::as_str)
        .and_then(|u| Url::parse(u).ok())
        .and_then(|u| u.to_file_path().ok());
    uri.or_else(|| {
        params
            .get("rootPath")
            .and_then(Value::as_str)
            .map(PathBuf::from)
    })
}

fn capabilities(enc: Encoding) -> Value {
    let mut caps = json!({
        "textDocumentSync": {
            "openClose": true,
            "change": 2,
            "save": {"includeText": false},
        },
        "codeActionProvider": {
            "codeActionKinds": ["quickfix", actions::FIX_ALL],
        },
        "hoverProvider": true,
        "completionProvider": {"triggerCharacters": ["."]},
    });
    if enc != Encoding::Utf16 {
        caps["positionEncoding"] = json!(enc.kind().as_str());
    }
    caps
}

impl Server {
    fn main_loop(&mut self) -> i32 {
        loop {
            let due = self.docs.values().filter_map(|d| d.due).min();
            let msg = match due {
                Some(at) => match self.conn.receiver.recv_deadline(at) {
                    Ok(m) => m,
                    Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                        self.lint_due();
                        continue;
                    }
                    Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return 1,
                },
                None => match self.conn.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => return 1,
                },
            };
            match msg {
                Message::Request(req) => self.on_request(req),
                Message::Notification(not) if not.method == n::Exit::METHOD => {
                    return if self.shutdown { 0 } else { 1 };
                }
                Message::Notification(not) => self.on_notification(not),
                Message::Response(_) => {}
            }
        }
    }

    fn send(&self, msg: Message) {
        // The client went away: the next receive ends the loop.
        let _ = self.conn.sender.send(msg);
    }

    fn notify(&self, method: &str, params: Value) {
        self.send(Notification::new(method.to_string(), params).into());
    }

    fn show(&self, typ: lsp_types::MessageType, message: &str) {
        self.notify(
            n::ShowMessage::METHOD,
            json!({"type": typ, "message": message}),
        );
    }

    fn log(&self, typ: lsp_types::MessageType, message: &str) {
        self.notify(
            n::LogMessage::METHOD,
            json!({"type": typ, "message": message}),
        );
    }

    fn respond(&self, id: RequestId, result: std::result::Result<Value, (ErrorCode, String)>) {
        let resp = match result {
            Ok(v) => Response::new_ok(id, v),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(resp.into());
    }

    fn on_request(&mut self, req: Request) {
        if self.shutdown {
            return self.respond(
                req.id,
                Err((
                    ErrorCode::InvalidRequest,
                    "the server is shutting down".into(),
                )),
            );
        }
        let result = match req.method.as_str() {
            r::Shutdown::METHOD => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            r::CodeActionRequest::METHOD => self.with_doc(&req.params, |s, uri, doc| {
                let p: lsp_types::CodeActionParams = parse(&req.params)?;
                Ok(actions::code_actions(s, uri, doc, &p))
            }),
            r::HoverRequest::METHOD => self.with_doc(&req.params, |s, _, doc| {
                let p: lsp_types::HoverParams = parse(&req.params)?;
                Ok(hover::hover(
                    s,
                    doc,
                    p.text_document_position_params.position,
                ))
            }),
            r::Completion::METHOD => self.with_doc(&req.params, |s, _, doc| {
                let p: lsp_types::CompletionParams = parse(&req.params)?;
                Ok(hover::complete(s, doc, p.text_document_position.position))
            }),
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("adsconf does not answer {}", req.method),
            )),
        };
        self.respond(req.id, result);
    }

    /// Answer a request about a document: lint it first if a change is pending, so the answer
    /// is about the text the editor holds. A document the server does not know gets `null`.
    fn with_doc(
        &mut self,
        params: &Value,
        f: impl FnOnce(&Server, &Url, &Doc) -> std::result::Result<Value, (ErrorCode, String)>,
    ) -> std::result::Result<Value, (ErrorCode, String)> {
        let uri: Url = params
            .pointer("/textDocument/uri")
            .and_then(|u| serde_json::from_value(u.clone()).ok())
            .ok_or_else(|| {
                (
                    ErrorCode::InvalidParams,
                    "missing textDocument.uri".to_string(),
                )
            })?;
        if self.docs.get(&uri).is_some_and(|d| d.due.is_some()) {
            self.lint(&uri);
        }
        match self.docs.get(&uri) {
            Some(doc) => f(self, &uri, doc),
            None => Ok(Value::Null),
        }
    }

    fn on_notification(&mut self, not: Notification) {
        match not.method.as_str() {
            n::DidOpenTextDocument::METHOD => {
                let Ok(p) = parse::<lsp_types::DidOpenTextDocumentParams>(&not.params) else {
                    return;
                };
                let uri = p.text_document.uri;
                let path = uri.to_file_path().ok().filter(|_| uri.scheme() == "file");
                self.docs.insert(
                    uri.clone(),
                    Doc {
                        version: p.text_document.version,
                        text: Text::new(p.text_document.text),
                        path,
                        lang: None,
                        report: None,
                        due: None,
                        warned: false,
                    },
                );
                self.lint(&uri);
            }
            n::DidChangeTextDocument::METHOD => {
                let Ok(p) = parse::<lsp_types::DidChangeTextDocumentParams>(&not.params) else {
                    return;
                };
                let delay = self.settings.debounce();
                let enc = self.enc;
                let uri = p.text_document.uri;
                let Some(doc) = self.docs.get_mut(&uri) else {
                    return;
                };
                for change in p.content_changes {
                    doc.text.apply(change.range, &change.text, enc);
                }
                doc.version = p.text_document.version;
                doc.report = None;
                if delay.is_zero() {
                    self.lint(&uri);
                } else {
                    doc.due = Some(Instant::now() + delay);
                }
            }
            n::DidSaveTextDocument::METHOD => {
                // A saved manifest (requirements.txt, pom.xml, ...) may change the detected
                // library version, a saved adsconf.toml the project's [check] table, and the
                // file's mode on disk may have changed.
                crate::rules::versions::forget();
                let settings = self.settings.clone();
                self.apply(settings);
            }
            n::DidCloseTextDocument::METHOD => {
                let Ok(p) = parse::<lsp_types::DidCloseTextDocumentParams>(&not.params) else {
                    return;
                };
                if self.docs.remove(&p.text_document.uri).is_some() {
                    self.publish(&p.text_document.uri, None, Vec::new());
                }
            }
            n::DidChangeConfiguration::METHOD => {
                let v = not.params.get("settings").cloned().unwrap_or(Value::Null);
                match Settings::from_json(&v) {
                    Ok(settings) => self.apply(settings),
                    Err(e) => self.refuse(&e.message),
                }
            }
            _ => {}
        }
    }

    /// Take new settings (with the project's `[check]` table as it is now) and check every
    /// open document again; settings `check` would refuse are reported and the previous ones
    /// stay.
    fn apply(&mut self, settings: Settings) {
        match settings.options(self.root.as_deref()) {
            Ok(opts) => {
                self.settings = settings;
                self.opts = opts;
                let uris: Vec<Url> = self.docs.keys().cloned().collect();
                for u in uris {
                    self.lint(&u);
                }
            }
            Err(e) => self.refuse(&e.message),
        }
    }

    fn refuse(&self, message: &str) {
        self.show(
            lsp_types::MessageType::ERROR,
            &format!("adsconf settings: {message}; the previous settings stay in force"),
        );
    }

    fn lint_due(&mut self) {
        let now = Instant::now();
        let due: Vec<Url> = self
            .docs
            .iter()
            .filter(|(_, d)| d.due.is_some_and(|t| t <= now))
            .map(|(u, _)| u.clone())
            .collect();
        for u in due {
            self.lint(&u);
        }
    }

    /// Check one document and publish its findings.
    fn lint(&mut self, uri: &Url) {
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        doc.due = None;
        let name = doc
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Once recognised, a document stays what it is while it is edited (a half-typed
        // file must not lose its findings), as `check FILE` checks a file it was given.
        if doc.lang.is_none() {
            doc.lang = lint::recognise_text(&name, &doc.text.text, None);
        }
        let Some(lang) = doc.lang else {
            doc.report = None;
            let version = doc.version;
            return self.publish(uri, Some(version), Vec::new());
        };
        let cap = crate::source::max_file_size();
        if doc.text.text.len() as u64 > cap {
            let first = !doc.warned;
            doc.warned = true;
            doc.report = None;
            let version = doc.version;
            if first {
                self.show(
                    lsp_types::MessageType::WARNING,
                    &format!(
                        "adsconf: {} is over the {cap}-byte limit for a configuration file, so it is not checked; set ADSCONF_MAX_FILE_SIZE to raise it",
                        uri
                    ),
                );
            }
            return self.publish(uri, Some(version), Vec::new());
        }
        let shown = doc
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| uri.to_string());
        let text = doc.text.text.clone();
        let path = doc.path.clone();
        let opts = &self.opts;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            lint::check_text(&shown, path.as_deref(), text, lang, opts)
        }));
        let (report, problem) = match outcome {
            Ok(Ok(report)) => (Some(report), None),
            Ok(Err(e)) => (None, Some(e.message)),
            Err(_) => (
                None,
                Some(format!(
                    "internal error while checking {shown}; please report it with the file's shape (not its secrets)"
                )),
            ),
        };
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        let version = doc.version;
        let diagnostics = match &report {
            Some(r) => convert::diagnostics(&doc.text, self.enc, r),
            None => Vec::new(),
        };
        doc.report = report;
        if let Some(p) = problem {
            self.log(lsp_types::MessageType::ERROR, &format!("adsconf: {p}"));
        }
        self.publish(uri, Some(version), diagnostics);
    }

    fn publish(&self, uri: &Url, version: Option<i32>, diagnostics: Vec<lsp_types::Diagnostic>) {
        let params = lsp_types::PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version,
        };
        self.notify(
            n::PublishDiagnostics::METHOD,
            serde_json::to_value(params).unwrap_or(Value::Null),
        );
    }
}

fn parse<T: serde::de::DeserializeOwned>(
    params: &Value,
) -> std::result::Result<T, (ErrorCode, String)> {
    serde_json::from_value(params.clone())
        .map_err(|e| (ErrorCode::InvalidParams, format!("invalid parameters: {e}")))
}
