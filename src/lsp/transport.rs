//! The stdio transport: LSP's `Content-Length` framing on stdin/stdout, with bounds.
//!
//! `lsp_server::Connection::stdio` allocates whatever `Content-Length` says (a hostile or
//! broken client aborts the process) and echoes an unparsable message whole in its error (the
//! text of a config file, secrets included, would reach the editor's log). This reader caps
//! header lines and message sizes and names a problem without quoting the message.

use std::io::{self, BufRead, Read, Write};
use std::thread;

use crossbeam_channel::{bounded, Receiver, Sender};
use lsp_server::{Connection, Message};

/// Longest header line accepted.
const MAX_HEADER_LINE: u64 = 1024;

/// Largest message accepted: a document at the file-size cap, JSON-escaped (`\u0000` is six
/// bytes for one), with room for the envelope.
pub fn max_message() -> usize {
    let cap = crate::source::max_file_size().saturating_mul(6);
    usize::try_from(cap)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024)
}

/// Read one framed message; `Ok(None)` at a clean end of input.
pub fn read_message(r: &mut impl BufRead, max: usize) -> Result<Option<Message>, String> {
    let mut size: Option<usize> = None;
    let mut first = true;
    loop {
        let mut line = Vec::new();
        let n = r
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("cannot read from the editor: {e}"))?;
        if n == 0 {
            return if first {
                Ok(None)
            } else {
                Err("the input ended inside a message header".into())
            };
        }
        first = false;
        if !line.ends_with(b"\r\n") {
            return Err(
                "a message header is malformed (not a `Name: value` line ending in CRLF)".into(),
            );
        }
        let line = &line[..line.len() - 2];
        if line.is_empty() {
            break;
        }
        let text = String::from_utf8_lossy(line);
        let Some((name, value)) = text.split_once(':') else {
            return Err(
                "a message header is malformed (not a `Name: value` line ending in CRLF)".into(),
            );
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            size = Some(
                value
                    .trim()
                    .parse()
                    .map_err(|_| "a Content-Length header is not a number of bytes".to_string())?,
            );
        }
    }
    let size = size.ok_or("a message has no Content-Length header")?;
    if size > max {
        return Err(format!(
            "a message of {size} bytes is over the {max}-byte limit (ADSCONF_MAX_FILE_SIZE sets the document size)"
        ));
    }
    let mut body = vec![0; size];
    r.read_exact(&mut body)
        .map_err(|_| "the input ended inside a message".to_string())?;
    serde_json::from_slice(&body).map(Some).map_err(|e| {
        format!(
            "a message is not a JSON-RPC request, response or notification (at line {}, column {})",
            e.line(),
            e.column()
        )
    })
}

/// The reader and writer threads of a stdio connection.
pub struct Io {
    reader: thread::JoinHandle<Result<(), String>>,
    writer: thread::JoinHandle<io::Result<()>>,
}

impl Io {
    /// Wait for both threads; the reader's error, if any, in one sentence.
    pub fn join(self) -> Result<(), String> {
        let read = self
            .reader
            .join()
            .unwrap_or_else(|_| Err("the reader thread failed".into()));
        let write = self.writer.join();
        read?;
        match write {
            Ok(Ok(())) => Ok(()),
            // The editor closed our stdout: nothing left to say to it.
            Ok(Err(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            Ok(Err(e)) => Err(format!("cannot write to the editor: {e}")),
            Err(_) => Err("the writer thread failed".into()),
        }
    }
}

/// A connection on stdin/stdout.
pub fn stdio() -> (Connection, Io) {
    let (to_server, from_client): (Sender<Message>, Receiver<Message>) = bounded(0);
    let (to_client, outgoing): (Sender<Message>, Receiver<Message>) = bounded(0);
    let max = max_message();
    let reader = thread::spawn(move || {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        loop {
            match read_message(&mut input, max)? {
                None => return Ok(()),
                Some(msg) => {
                    let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                    if to_server.send(msg).is_err() || exit {
                        return Ok(());
                    }
                }
            }
        }
    });
    let writer = thread::spawn(move || {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        for msg in outgoing {
            msg.write(&mut out)?;
            out.flush()?;
        }
        Ok(())
    });
    (
        Connection {
            sender: to_client,
            receiver: from_client,
        },
        Io { reader, writer },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Option<Message>, String> {
        read_message(&mut io::Cursor::new(bytes.to_vec()), 1000)
    }

    #[test]
    fn frames_and_bounds() {
        let body = br#"{"jsonrpc":"2.0","method":"exit"}"#;
        let ok = [
            format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes(),
            body,
        ]
        .concat();
        assert!(matches!(read(&ok), Ok(Some(Message::Notification(_)))));
        assert!(matches!(read(b""), Ok(None)));
        let secret = br#"{"text": "client_secret: GOCSPX-abcdef""#;
        let bad = [
            format!("Content-Length: {}\r\n\r\n", secret.len()).as_bytes(),
            secret,
        ]
        .concat();
        let e = read(&bad).unwrap_err();
        assert!(!e.contains("GOCSPX"), "{e}");
        assert!(read(b"Content-Length: 99999999999\r\n\r\n{}")
            .unwrap_err()
            .contains("over the"));
        assert!(read(&[b'x'; 5000]).is_err());
        assert!(read(b"Content-Length: 10\r\n\r\n{}")
            .unwrap_err()
            .contains("ended inside"));
        assert!(read(b"Content-Type: x\r\n\r\n{}")
            .unwrap_err()
            .contains("no Content-Length"));
    }
}
