//! Renderers for `adsconf check` results, behind one trait [`Report`]: human (rustc-style
//! snippets), json (CONTRACT §3), sarif (2.1.0) and github (workflow annotations).
//!
//! Secrets never leave this module unmasked: snippets are rendered from the source with every
//! secret value masked, and fix edits that touch a secret show it masked.

use std::ops::Range;

use serde_json::Value;

use crate::diag::{Diagnostic, Severity};
use crate::edit::Edit;
use crate::mask;
use crate::source::Source;

/// `check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Sarif,
    Github,
}

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
    /// The library version the file was checked against and where it came from (`None` for
    /// the environment and for libraries without version-dependent rules).
    pub assumed: Option<crate::rules::versions::Assumed>,
}

/// Everything `check` found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub files: Vec<FileReport>,
}

/// Totals for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Library versions the files were checked against, with how many files each.
    pub assumed: std::collections::BTreeMap<crate::rules::versions::Assumed, usize>,
}

impl Summary {
    /// The totals of one file's findings.
    pub fn of(f: &FileReport) -> Summary {
        let mut s = Summary {
            files: usize::from(f.is_file),
            ..Summary::default()
        };
        for d in &f.diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        if let Some(a) = &f.assumed {
            s.assumed.insert(a.clone(), 1);
        }
        s
    }

    pub fn add(&mut self, other: Summary) {
        self.files += other.files;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        for (a, n) in other.assumed {
            *self.assumed.entry(a).or_default() += n;
        }
    }

    /// How many findings in all.
    pub fn diagnostics(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    /// One line per library version assumed: "google-ads-python 31.4.0 (from requirements.txt)".
    pub fn assumed_lines(&self) -> Vec<String> {
        self.assumed
            .iter()
            .map(|(a, n)| {
                if *n > 1 {
                    format!("{a} for {n} files")
                } else {
                    a.to_string()
                }
            })
            .collect()
    }
}

impl CheckReport {
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for f in &self.files {
            s.add(Summary::of(f));
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

/// A renderer of check results, written file by file so that `check -r` over any number of
/// files holds only the files in flight: [`Report::file`] renders one file's findings (on
/// any thread, in any order) and [`Stream`] writes them in path order between
/// [`Report::begin`] and [`Report::finish`].
pub trait Report: Send + Sync {
    /// What comes before the first finding.
    fn begin(&self) -> String {
        String::new()
    }

    /// The findings of one file, as text; several findings are joined by
    /// [`Report::separator`], and so are the texts of two files.
    fn file(&self, f: &FileReport) -> String;

    /// Between two findings (`,` in the JSON formats).
    fn separator(&self) -> &'static str {
        ""
    }

    /// What comes after the last finding, given the totals.
    fn finish(&self, summary: &Summary) -> String;

    /// The whole report at once.
    fn render(&self, report: &CheckReport) -> String {
        render_all(self, report)
    }
}

/// The whole report at once, through the same path as the streamed one.
pub fn render_all<R: Report + ?Sized>(reporter: &R, report: &CheckReport) -> String {
    let mut stream = Stream::new(reporter, Vec::new());
    for f in &report.files {
        // Writing to a Vec cannot fail.
        let _ = stream.push(Rendered::of(reporter, f));
    }
    match stream.finish() {
        Ok((out, _)) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// One file's findings rendered, with their totals (what a worker hands to the [`Stream`]).
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub text: String,
    pub summary: Summary,
}

impl Rendered {
    pub fn of<R: Report + ?Sized>(reporter: &R, f: &FileReport) -> Rendered {
        Rendered {
            text: reporter.file(f),
            summary: Summary::of(f),
        }
    }
}

/// Writes rendered files in order between the report's beginning and end.
pub struct Stream<'r, R: Report + ?Sized, W: std::io::Write> {
    reporter: &'r R,
    out: W,
    summary: Summary,
    begun: bool,
    /// Has any finding been written (so the next one needs a separator)?
    any: bool,
}

impl<'r, R: Report + ?Sized, W: std::io::Write> Stream<'r, R, W> {
    pub fn new(reporter: &'r R, out: W) -> Self {
        Stream {
            reporter,
            out,
            summary: Summary::default(),
            begun: false,
            any: false,
        }
    }

    fn begin(&mut self) -> std::io::Result<()> {
        if !self.begun {
            self.begun = true;
            self.out.write_all(self.reporter.begin().as_bytes())?;
        }
        Ok(())
    }

    /// Write the next file's findings.
    pub fn push(&mut self, r: Rendered) -> std::io::Result<()> {
        self.begin()?;
        self.summary.add(r.summary);
        if r.text.is_empty() {
            return Ok(());
        }
        if self.any {
            self.out.write_all(self.reporter.separator().as_bytes())?;
        }
        self.any = true;
        self.out.write_all(r.text.as_bytes())
    }

    /// Write the end of the report; gives back the writer and the totals.
    pub fn finish(mut self) -> std::io::Result<(W, Summary)> {
        self.begin()?;
        let end = self.reporter.finish(&self.summary);
        self.out.write_all(end.as_bytes())?;
        self.out.flush()?;
        Ok((self.out, self.summary))
    }
}

/// A pretty-printed JSON document one of whose arrays is written item by item, exactly as
/// `serde_json::to_string_pretty` prints the whole document.
pub(crate) struct JsonArray {
    /// Indentation of the array's key.
    indent: usize,
}

impl JsonArray {
    const PRETTY_INDENT: usize = 2;

    /// Split `skeleton` (the document with the array `key` empty) around that array: the
    /// text up to and including `[`, and the text from `]` on.
    fn split(skeleton: &Value, key: &str) -> (String, String, usize) {
        let mut text = serde_json::to_string_pretty(skeleton).unwrap_or_default();
        text.push('\n');
        let needle = format!("{}: [", Value::String(key.into()));
        // The key's own `"key": [` cannot occur inside a string, where quotes are escaped.
        let Some(at) = text.find(&needle) else {
            return (text, String::new(), 0);
        };
        let open = at + needle.len();
        let indent = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
        let tail = text.split_off(open);
        (text, tail, indent)
    }

    /// The text before the first item.
    pub fn head(skeleton: &Value, key: &str) -> (String, JsonArray) {
        let (head, _, indent) = Self::split(skeleton, key);
        (head, JsonArray { indent })
    }

    /// The items of one file's findings, joined by `,`.
    pub fn items(
        &self,
        f: &FileReport,
        item: impl Fn(&FileReport, &Diagnostic) -> Value,
    ) -> String {
        f.diagnostics
            .iter()
            .map(|d| self.item(&item(f, d)))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// One item (a separator `,` goes between items).
    pub fn item(&self, v: &Value) -> String {
        let pad = " ".repeat(self.indent + Self::PRETTY_INDENT);
        let text = serde_json::to_string_pretty(v).unwrap_or_default();
        let mut out = String::with_capacity(text.len() + 64);
        for line in text.lines() {
            out.push('\n');
            out.push_str(&pad);
            out.push_str(line);
        }
        out
    }

    /// The text after the last item, `skeleton` carrying the final totals.
    pub fn tail(skeleton: &Value, key: &str, items: usize) -> String {
        let (_, tail, indent) = Self::split(skeleton, key);
        if items == 0 {
            tail
        } else {
            format!("\n{}{tail}", " ".repeat(indent))
        }
    }
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

/// The masked text of a secret value span: quotes kept, content as [`mask::mask`].
fn mask_raw(raw: &str) -> String {
    let body = raw.trim_end_matches('\r');
    format!(
        "{}{}",
        mask::mask_raw(body, mask::Kind::Whole),
        &raw[body.len()..]
    )
}

/// A diagnostic's message as shown: values with a secret's shape masked (a refresh token
/// pasted as the customer id is quoted in the message).
pub fn message(d: &Diagnostic) -> String {
    mask::mask_message(&d.message, &[])
}

/// A diagnostic's help as shown (masked like [`message`]).
pub fn help(d: &Diagnostic) -> Option<String> {
    d.help.as_deref().map(|h| mask::mask_message(h, &[]))
}

/// The source text with secret values masked, and a map from original to masked offsets.
pub struct Masked {
    pub text: String,
    /// (original range, masked length), sorted.
    repl: Vec<(Range<usize>, usize)>,
}

impl Masked {
    /// `spans` (the parsed secret values) and whatever [`mask::scan`] finds in the text (a
    /// file that does not parse has no entries, and its snippet still shows no secret).
    pub fn new(src: &Source, spans: &[Range<usize>]) -> Masked {
        let mut all = spans.to_vec();
        all.extend(mask::scan(&src.text));
        let spans: Vec<Range<usize>> = mask::merge(all)
            .into_iter()
            .filter(|r| {
                r.end <= src.text.len()
                    && src.text.is_char_boundary(r.start)
                    && src.text.is_char_boundary(r.end)
            })
            .collect();
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

/// Reports of every shape a stream meets: no file, a file without findings, several files
/// (one the environment), findings with help, fixes and secrets, unicode and quotes.
#[cfg(test)]
pub(crate) fn sample_reports() -> Vec<CheckReport> {
    use crate::diag::{Applicability, Fix};
    use crate::rules::diag;
    let file = |path: &str, text: &str, diags: Vec<Diagnostic>, is_file: bool| FileReport {
        path: path.into(),
        is_file,
        src: Source::of(text),
        secret_spans: text.find("1//0").map(|i| i..i + 20).into_iter().collect(),
        diagnostics: diags,
        assumed: is_file.then(|| crate::rules::versions::Assumed {
            library: "google-ads-java",
            version: Some(crate::rules::Version(45, 0, 0)),
            source: crate::rules::versions::Source::Manifest {
                path: "pom.xml".into(),
                exact: true,
            },
        }),
    };
    let text =
        "loginCustomerId=123-456-7890\nrefreshToken=1//0averysecretvalue1\nname=\"é\\\"q\"\n";
    let mut with_fix = diag(
        "customer-id-format",
        "a/googleads.properties",
        16..28,
        "`loginCustomerId` has dashes: \"123-456-7890\"".into(),
    );
    with_fix.help = Some("write it as 10 digits".into());
    with_fix.fix = Some(Fix {
        applicability: Applicability::Safe,
        description: "remove the dashes".into(),
        edits: vec![crate::edit::Edit::replace(16..28, "1234567890")],
    });
    let secret = diag(
        "placeholder-value",
        "a/googleads.properties",
        42..62,
        "a value é".into(),
    );
    let empty = file("b/ads.properties", "", Vec::new(), true);
    let env = file(
        "<environment>",
        "GOOGLE_ADS_LOGIN_CUSTOMER_ID=1\n",
        vec![diag(
            "customer-id-format",
            "<environment>",
            0..0,
            "short".into(),
        )],
        false,
    );
    vec![
        CheckReport::default(),
        CheckReport {
            files: vec![empty.clone()],
        },
        CheckReport {
            files: vec![
                file("a/googleads.properties", text, vec![with_fix, secret], true),
                empty,
                file(
                    "c d/google-ads.yaml",
                    "x: 1\n",
                    vec![diag(
                        "syntax-error",
                        "c d/google-ads.yaml",
                        0..1,
                        "bad".into(),
                    )],
                    true,
                ),
                env,
            ],
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streamed_report_is_the_files_rendered_in_order() {
        for report in sample_reports() {
            for r in [
                reporter(CheckFormat::Human, false),
                reporter(CheckFormat::Github, false),
            ] {
                let mut expected: String = report.files.iter().map(|f| r.file(f)).collect();
                expected.push_str(&r.finish(&report.summary()));
                assert_eq!(r.render(&report), expected);
            }
            let s = report.summary();
            assert_eq!(s.files, report.files.iter().filter(|f| f.is_file).count());
            assert_eq!(s.diagnostics(), report.iter().count());
        }
    }

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
