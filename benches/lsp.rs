//! Language-server latency (criterion): the time from sending `textDocument/didChange` to
//! receiving the `textDocument/publishDiagnostics` it causes, on a 200-line file of every
//! format, with the debounce set to 0 (`debounceMs`) so that what is measured is the work:
//! applying the change, checking the text, converting the findings, framing the messages.
//!
//! Two transports: `in-process` (the server on a thread, `lsp_server::Connection::memory`)
//! and `stdio` (the release binary `adsconf lsp` over pipes, as an editor runs it).
//! Run: `cargo bench --bench lsp`.

use std::io::{BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use adsconf::formats;
use adsconf::lang::{Lang, LANGS};
use adsconf::model::{Settings, Value};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::json;

const LINES: usize = 200;

/// The realistic file of a format: the official template where there is one, else a full
/// rendering; padded with comment lines to 200 lines.
fn document(lang: Lang) -> String {
    let official = match lang {
        Lang::Java => Some(include_str!(
            "../tests/fixtures/official/java/ads.properties.sample"
        )),
        Lang::Dotnet => Some(include_str!("../tests/fixtures/dotnet/official_App.config")),
        Lang::DotnetJson => Some(include_str!(
            "../tests/fixtures/dotnet/official_appsettings.json"
        )),
        Lang::Php => Some(include_str!(
            "../tests/fixtures/official/php/google_ads_php.ini"
        )),
        Lang::Python => Some(include_str!(
            "../tests/fixtures/official/python/google-ads.yaml"
        )),
        Lang::Ruby => Some(include_str!(
            "../tests/fixtures/official/ruby/google_ads_config.rb"
        )),
        Lang::Perl => Some(include_str!(
            "../tests/fixtures/official/perl/googleads.properties"
        )),
        Lang::Csharp | Lang::Curl | Lang::Env => None,
    };
    let mut text = match official {
        Some(t) => t.to_string(),
        None => {
            let mut s = Settings::default();
            for (k, v) in [
                ("developer_token", "abcdefghijklmnopqrstuv"),
                ("client_id", "1234-abc.apps.googleusercontent.com"),
                ("client_secret", "GOCSPX-benchmark"),
                ("refresh_token", "1//0benchmark"),
                ("login_customer_id", "123-456-7890"),
            ] {
                s.set(k, Value::Str(v.into()));
            }
            formats::format(lang).render(&s).expect("render")
        }
    };
    let comment = match lang {
        Lang::Dotnet => "<!-- a comment line of the benchmark's padding -->",
        Lang::DotnetJson | Lang::Csharp => "// a comment line of the benchmark's padding",
        Lang::Php => "; a comment line of the benchmark's padding",
        _ => "# a comment line of the benchmark's padding",
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    while text.lines().count() < LINES {
        text.push_str(comment);
        text.push('\n');
    }
    assert_eq!(
        text.lines().count(),
        LINES,
        "{lang}: the template is over {LINES} lines"
    );
    text
}

/// One side of a session: send, and wait for the next publishDiagnostics.
trait Client {
    fn send(&mut self, m: Message);
    fn recv(&mut self) -> Message;

    fn wait_publish(&mut self) -> usize {
        loop {
            if let Message::Notification(n) = self.recv() {
                if n.method == "textDocument/publishDiagnostics" {
                    return n.params["diagnostics"].as_array().map_or(0, Vec::len);
                }
            }
        }
    }

    fn start(&mut self, uri: &str, text: &str) -> usize {
        self.send(
            Request::new(
                RequestId::from(1),
                "initialize".into(),
                json!({"capabilities": {}, "initializationOptions": {"debounceMs": 0}}),
            )
            .into(),
        );
        while !matches!(self.recv(), Message::Response(_)) {}
        self.send(Notification::new("initialized".into(), json!({})).into());
        self.send(
            Notification::new(
                "textDocument/didOpen".into(),
                json!({"textDocument": {"uri": uri, "languageId": "x", "version": 1, "text": text}}),
            )
            .into(),
        );
        self.wait_publish()
    }

    /// Type or delete one space at the end of the first line; wait for the findings.
    fn change(&mut self, uri: &str, version: i32, first_line_len: usize) -> usize {
        let (range, text) = if version % 2 == 0 {
            let at = json!({"line": 0, "character": first_line_len});
            (json!({"start": at, "end": at}), " ")
        } else {
            (
                json!({"start": {"line": 0, "character": first_line_len},
                       "end": {"line": 0, "character": first_line_len + 1}}),
                "",
            )
        };
        self.send(
            Notification::new(
                "textDocument/didChange".into(),
                json!({"textDocument": {"uri": uri, "version": version},
                       "contentChanges": [{"range": range, "text": text}]}),
            )
            .into(),
        );
        self.wait_publish()
    }
}

struct InProcess {
    conn: Connection,
}

impl Client for InProcess {
    fn send(&mut self, m: Message) {
        self.conn.sender.send(m).expect("server alive");
    }
    fn recv(&mut self) -> Message {
        self.conn.receiver.recv().expect("server alive")
    }
}

struct Stdio_ {
    child: Child,
    stdin: ChildStdin,
    rx: mpsc::Receiver<Message>,
}

impl Client for Stdio_ {
    fn send(&mut self, m: Message) {
        m.write(&mut self.stdin).expect("write");
        self.stdin.flush().expect("flush");
    }
    fn recv(&mut self) -> Message {
        self.rx
            .recv_timeout(Duration::from_secs(10))
            .expect("server answers")
    }
}

impl Drop for Stdio_ {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn stdio_client() -> Stdio_ {
    let mut child = Command::new(env!("CARGO_BIN_EXE_adsconf"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start adsconf lsp");
    let stdout = child.stdout.take().expect("stdout");
    let stdin = child.stdin.take().expect("stdin");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        while let Ok(Some(m)) = Message::read(&mut r) {
            if tx.send(m).is_err() {
                break;
            }
        }
    });
    Stdio_ { child, stdin, rx }
}

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir();
    for transport in ["in-process", "stdio"] {
        let mut group =
            c.benchmark_group(format!("lsp didChange→publishDiagnostics ({transport})"));
        for info in LANGS {
            let text = document(info.lang);
            let first = text.lines().next().unwrap_or("").encode_utf16().count();
            // A path the server recognises by its name (nothing is written there).
            let path = dir
                .join("adsconf-bench-lsp")
                .join(info.name)
                .join(info.default_file);
            let uri = lsp_types::Url::from_file_path(&path)
                .expect("absolute")
                .to_string();
            let mut client: Box<dyn Client> = match transport {
                "in-process" => {
                    let (server, client) = Connection::memory();
                    std::thread::spawn(move || adsconf::lsp::serve(server));
                    Box::new(InProcess { conn: client })
                }
                _ => Box::new(stdio_client()),
            };
            let opened = client.start(&uri, &text);
            let mut version = 1;
            group.bench_function(BenchmarkId::from_parameter(info.name), |b| {
                b.iter(|| {
                    version += 1;
                    client.change(&uri, version, first)
                })
            });
            assert!(opened > 0, "{}: the document is not checked", info.name);
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
