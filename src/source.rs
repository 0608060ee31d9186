//! Source text of a configuration file and byte offset → line/column mapping.
//!
//! Spans everywhere in adsconf are byte ranges into [`Source::text`]. Lines and columns are
//! 1-based; columns count Unicode characters (CONTRACT §3).

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Default cap on the size of a configuration file (configurable with `ADSCONF_MAX_FILE_SIZE`).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;

/// How the file's bytes map to text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// ISO-8859-1: every byte is one char (Java properties). Lossless both ways.
    Latin1,
}

/// A loaded file (or string) and its line index.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: Option<PathBuf>,
    pub text: String,
    pub encoding: Encoding,
    line_starts: Vec<usize>,
}

impl Source {
    pub fn new(path: Option<PathBuf>, text: String, encoding: Encoding) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source {
            path,
            text,
            encoding,
            line_starts,
        }
    }

    pub fn of(text: &str) -> Self {
        Source::new(None, text.to_string(), Encoding::Utf8)
    }

    /// Name to show in messages.
    pub fn name(&self) -> String {
        self.path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "<input>".into())
    }

    /// 1-based (line, column) of a byte offset; columns count chars.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count() + 1;
        (line + 1, col)
    }

    /// Byte range of 1-based line `line` without its line terminator.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        let mut end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Encode text back to the file's bytes (ISO-8859-1 text must hold only chars ≤ U+00FF).
    pub fn encode(&self, text: &str) -> Result<Vec<u8>> {
        encode(text, self.encoding)
    }
}

/// Encode `text` for writing.
pub fn encode(text: &str, encoding: Encoding) -> Result<Vec<u8>> {
    match encoding {
        Encoding::Utf8 => Ok(text.as_bytes().to_vec()),
        Encoding::Latin1 => text
            .chars()
            .map(|c| {
                u8::try_from(u32::from(c)).map_err(|_| {
                    Error::usage(format!(
                        "character {c:?} cannot be written in an ISO-8859-1 file; write it as a \\u escape"
                    ))
                })
            })
            .collect(),
    }
}

/// Decode bytes as ISO-8859-1.
pub fn decode_latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// The file size cap in bytes (`ADSCONF_MAX_FILE_SIZE` overrides the default of 1 MiB).
pub fn max_file_size() -> u64 {
    std::env::var("ADSCONF_MAX_FILE_SIZE")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_MAX_FILE_SIZE)
}

/// Read a configuration file's bytes: [`read_guarded`] naming it "a configuration file".
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    read_guarded(path, "a configuration file")
}

/// Read a file adsconf was pointed at (a config, a key file, a client-secrets file, a
/// hierarchy, a lock file), `what` naming it in messages ("the service-account key file"):
/// a regular file only, opened without blocking (a FIFO never hangs, a device is never
/// read), at most the size cap (`ADSCONF_MAX_FILE_SIZE`, also enforced while reading, so a
/// file that grows is cut off). Errors are one sentence naming the file.
pub fn read_guarded(path: &Path, what: &str) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = opts.open(path).map_err(|e| Error::io(path, "read", &e))?;
    let meta = file.metadata().map_err(|e| Error::io(path, "read", &e))?;
    if meta.is_dir() {
        return Err(Error::usage(format!(
            "{} is a directory; give {what}{}",
            path.display(),
            if what == "a configuration file" {
                " (or use `check -r` for a tree)"
            } else {
                ""
            }
        )));
    }
    if !meta.is_file() {
        return Err(Error::usage(format!(
            "{} is not a regular file (a FIFO, socket or device); give {what}",
            path.display()
        )));
    }
    let cap = max_file_size();
    let too_big = |len: u64| {
        Error::usage(format!(
            "{} is {len} bytes, over the {cap}-byte limit for {what}; set ADSCONF_MAX_FILE_SIZE to raise it",
            path.display()
        ))
    };
    if meta.len() > cap {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, "read", &e))?;
    if bytes.len() as u64 > cap {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// [`read_guarded`] as UTF-8 text (one sentence naming the file when it is not).
pub fn read_text(path: &Path, what: &str) -> Result<String> {
    let bytes = read_guarded(path, what)?;
    String::from_utf8(bytes).map_err(|e| {
        Error::usage(format!(
            "{} is not UTF-8 text (byte offset {}); give {what}",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Does this look like a binary file (NUL bytes in the first 8 KiB)?
pub fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8192).any(|&b| b == 0)
}

/// Decode bytes for a format, with one clear sentence when that is impossible.
pub fn decode(path: Option<&Path>, bytes: Vec<u8>, encoding: Encoding) -> Result<Source> {
    let name = path
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "<input>".into());
    if looks_binary(&bytes) {
        return Err(Error::usage(format!(
            "{name} looks like a binary file (it contains NUL bytes), not a configuration file"
        )));
    }
    let text = match encoding {
        Encoding::Latin1 => decode_latin1(&bytes),
        Encoding::Utf8 => String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let raw = e.as_bytes();
            let line = raw[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Error::usage(format!(
                "{name}:{line}: invalid UTF-8 (byte offset {at}); save the file as UTF-8"
            ))
        })?,
    };
    Ok(Source::new(path.map(Path::to_path_buf), text, encoding))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars() {
        let s = Source::of("a=é\nbé=c\n");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(2), (1, 3));
        let b = s.text.find("=c").unwrap();
        assert_eq!(s.line_col(b), (2, 3));
        assert_eq!(s.line_range(2), 5..10);
    }

    #[test]
    fn latin1_roundtrip() {
        let bytes: Vec<u8> = (0u8..=255).collect();
        let text = decode_latin1(&bytes);
        assert_eq!(encode(&text, Encoding::Latin1).unwrap(), bytes);
        assert!(encode("€", Encoding::Latin1).is_err());
    }
}
