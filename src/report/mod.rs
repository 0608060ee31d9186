//! Renderers for `adsconf check` results, behind one trait [`Report`]: human (rustc-style
//! snippets), json (CONTRACT §3), sarif (2.1.0) and github (workflow annotations).
//!
//! Secrets never leave this module unmasked: snippets are rendered from the source with every
//! secret value masked, and fix edits that touch a secret show it masked.

use std::ops::Range;

use crate::cli::CheckFormat;
use crate::diag::{Diagnostic, Severity};
use crate::edit::Edit;
use crate::model;
use crate::source::Source;

mod github;
mod human;
mod json;
mod sarif;

pub use github::Github;
pub use human::Human;
pub use json::Json;
pub use sarif::Sarif;

/// The findings of one file (or of the environment).
#[derive(Debug, Clone)]
pub struct FileReport {
    /// As shown to the user.
    pub path: String,
    /// `false` for the environment pseudo-file (no file on disk).
    pub is_file: bool,
    pub src: Source,
    /// Byte ranges of secret values in `src` (masked everywhere).
    pub secret_spans: Vec<Range<usize>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Everything `check` found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub files: Vec<FileReport>,
}

/// Totals for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl CheckReport {
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            files: self.files.iter().filter(|f| f.is_file).count(),
            ..Summary::default()
        };
        for d in self.files.iter().flat_map(|f| &f.diagnostics) {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }

    /// Every diagnostic with its file.
    pub fn iter(&self) -> impl Iterator<Item = (&FileReport, &Diagnostic)> {
        self.files
            .iter()
            .flat_map(|f| f.diagnostics.iter().map(move |d| (f, d)))
    }
}

/// A renderer of check results.
pub trait Report {
    fn render(&self, report: &CheckReport) -> String;
}

/// The renderer for `--format`.
pub fn reporter(format: CheckFormat, color: bool) -> Box<dyn Report> {
    match format {
        CheckFormat::Human => Box::new(Human { color }),
        CheckFormat::Json => Box::new(Json),
        CheckFormat::Sarif => Box::new(Sarif),
        CheckFormat::Github => Box::new(Github),
    }
}

/// 1-based start and end (line, column) of a span; columns count chars; the end column is
/// exclusive (the column just after the last character), as in SARIF.
pub fn region(src: &Source, span: &Range<usize>) -> (usize, usize, usize, usize) {
    let (l1, c1) = src.line_col(span.start);
    let (l2, c2) = src.line_col(span.end.max(span.start));
    (l1, c1, l2, c2)
}

/// The masked text of a secret value span: quotes kept, content as `model::mask`.
fn mask_raw(raw: &str) -> String {
    for q in ['"', '\''] {
        if raw.len() >= 2 && raw.starts_with(q) && raw.ends_with(q) {
            return format!("{q}{}{q}", model::mask(&raw[1..raw.len() - 1]));
        }
    }
    let body = raw.trim_end_matches('\r');
    format!("{}{}", model::mask(body), &raw[body.len()..])
}

/// The source text with secret values masked, and a map from original to masked offsets.
pub struct Masked {
    pub text: String,
    /// (original range, masked length), sorted.
    repl: Vec<(Range<usize>, usize)>,
}

impl Masked {
    pub fn new(src: &Source, spans: &[Range<usize>]) -> Masked {
        let mut spans: Vec<Range<usize>> = spans
            .iter()
            .filter(|r| {
                r.end <= src.text.len()
                    && src.text.is_char_boundary(r.start)
                    && src.text.is_char_boundary(r.end)
            })
            .cloned()
            .collect();
        spans.sort_by_key(|r| (r.start, r.end));
        spans.dedup();
        let mut text = String::with_capacity(src.text.len());
        let mut repl = Vec::new();
        let mut pos = 0;
        for r in spans {
            if r.start < pos {
                continue;
            }
            text.push_str(&src.text[pos..r.start]);
            let m = mask_raw(&src.text[r.clone()]);
            repl.push((r.clone(), m.len()));
            text.push_str(&m);
            pos = r.end;
        }
        text.push_str(&src.text[pos..]);
        Masked { text, repl }
    }

    /// Where an original offset lands in the masked text.
    pub fn map(&self, off: usize) -> usize {
        let mut delta: isize = 0;
        for (r, len) in &self.repl {
            if off <= r.start {
                break;
            }
            if off < r.end {
                let inside = (off - r.start).min(*len);
                let mut at = (r.start as isize + delta) as usize + inside;
                while !self.text.is_char_boundary(at) {
                    at -= 1;
                }
                return at;
            }
            delta += *len as isize - (r.end - r.start) as isize;
        }
        (off as isize + delta) as usize
    }
}

/// The replacement text of an edit as it may be shown: masked when it replaces a secret
/// value or carries one.
pub fn shown_content(f: &FileReport, edit: &Edit) -> String {
    let touches = f
        .secret_spans
        .iter()
        .any(|s| edit.range.start < s.end && s.start < edit.range.end);
    let carries = f.secret_spans.iter().any(|s| {
        let v = f.src.text.get(s.clone()).unwrap_or("");
        let v = v.trim_matches(|c| c == '"' || c == '\'' || c == '\r');
        v.len() >= 5 && edit.replacement.contains(v)
    });
    if (touches || carries) && !edit.replacement.is_empty() {
        mask_raw(&edit.replacement)
    } else {
        edit.replacement.clone()
    }
}

/// `error` / `warning` / `info`, plural aware.
pub fn counted(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_maps_offsets() {
        let src = Source::of("a=1//0secret\nb=\"GOCSPX-xyz\"\nc=1234567890\n");
        let s1 = 2..12;
        let s2 = src.text.find("\"GOCSPX").unwrap()..src.text.find("\nc=").unwrap();
        let m = Masked::new(&src, &[s1, s2]);
        assert_eq!(m.text, "a=1//0…\nb=\"GOCS…\"\nc=1234567890\n");
        let c = src.text.find("c=").unwrap();
        assert_eq!(&m.text[m.map(c)..m.map(c) + 2], "c=");
        assert_eq!(m.map(0), 0);
        assert!(!m.text.contains("secret") && !m.text.contains("xyz"));
    }
}
