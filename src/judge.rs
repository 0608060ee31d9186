//! One judge for writing and checking (issue 12): before adsconf writes a config — `set`,
//! `fix`, `generate` (to a file or to stdout), `auth --write`, `init` — it runs `check`'s
//! rules ([`crate::rules::check_file`], the same engine, table and library-version detection)
//! on the text it is about to write, in the destination's context.
//!
//! - An error-level finding the write **introduced or touched** refuses the write: exit 1,
//!   the finding printed exactly as `check` prints it, `--force` to write anyway.
//! - Before refusing, an introduced error whose fix is *safe* (it has exactly one meaning,
//!   e.g. `123-456-7890` → `1234567890`) is applied to the text and said on stderr: the
//!   value is normalised, not refused.
//! - Errors the file already had, on lines the write does not touch, do not block it: a broken
//!   file must stay repairable one key at a time (docs/writes.md argues this).
//!
//! "Touched": the finding's span meets a line the write added or replaced. "Introduced": no
//! finding of the same rule on the same text existed before (a whole-file finding: none of
//! the same rule). New rules are picked up with no change here.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diag::{Applicability, Diagnostic, Severity};
use crate::edit::{self, Edit};
use crate::error::{Error, Result};
use crate::formats::{self, Parsed};
use crate::lang::Lang;
use crate::output;
use crate::report::{self, CheckFormat, FileReport};
use crate::rules::{self, FileCtx};
use crate::source::{Encoding, Source};

/// What is being written, and where.
pub struct Proposal<'a> {
    /// The destination as the user named it (`None`: stdout; judged as the library's default
    /// file name in the current directory).
    pub path: Option<&'a Path>,
    pub lang: Lang,
    /// The file as it is now (`None`: a new file, or stdout).
    pub old: Option<(&'a Source, &'a Parsed)>,
    pub new_text: &'a str,
    pub encoding: Encoding,
}

/// How strict to be.
#[derive(Debug, Clone, Copy, Default)]
pub struct Leniency {
    /// `--force`: write even with error-level findings (they are still shown).
    pub force: bool,
    /// `generate --allow-empty`: whole-file findings about missing settings are expected.
    pub accept_missing: bool,
}

/// The judge's answer: the text to write (normalised), and what was said about it.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub text: String,
    /// One line per normalisation (`said on stderr`).
    pub normalised: Vec<String>,
    /// Error-level findings the write introduced or touched and that remain (written anyway
    /// only with `--force`).
    pub errors: Vec<Diagnostic>,
    /// Error-level findings about this machine (see [`ABOUT_THIS_MACHINE`]) the write
    /// introduced or touched: said, not blocking.
    pub machine: Vec<Diagnostic>,
}

/// Rules whose verdict depends on this machine rather than on the text (a key file that is
/// not here yet, the environment, permissions): a config is often written on one machine for
/// another. Their findings are said as notes and never block a write.
pub const ABOUT_THIS_MACHINE: &[&str] = &["key-file-missing", "env-override", "file-permissions"];

/// A normalising pass may enable another; never more than this many.
const MAX_PASSES: usize = 4;

/// Judge a proposed write. Never fails: the caller decides with [`enforce`].
pub fn judge(p: &Proposal, leniency: Leniency) -> Verdict {
    let path = display_path(p);
    let fs_path = p
        .path
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(p.lang.info().default_file));
    let before: Vec<(String, String)> = match p.old {
        Some((src, parsed)) => findings(&path, &fs_path, src, parsed)
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| signature(d, &src.text))
            .collect(),
        None => Vec::new(),
    };
    let before: HashSet<(String, String)> = before.into_iter().collect();
    let old_text = p.old.map(|(s, _)| s.text.as_str());
    let mut text = p.new_text.to_string();
    let mut normalised = Vec::new();
    for pass in 0..=MAX_PASSES {
        let src = Source::new(None, text.clone(), p.encoding);
        let parsed = formats::format(p.lang).parse(&src);
        let changed = changed_lines(old_text, &text);
        let (machine, blocking): (Vec<Diagnostic>, Vec<Diagnostic>) =
            findings(&path, &fs_path, &src, &parsed)
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .filter(|d| !(leniency.accept_missing && whole_file(d)))
                .filter(|d| {
                    touches(&src, &d.span, &changed) || !before.contains(&signature(d, &text))
                })
                .partition(|d| ABOUT_THIS_MACHINE.contains(&d.rule));
        let fixes: Vec<&Diagnostic> = blocking
            .iter()
            .filter(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| f.applicability == Applicability::Safe)
            })
            .collect();
        if fixes.is_empty() || pass == MAX_PASSES {
            return Verdict {
                text,
                normalised,
                errors: blocking,
                machine,
            };
        }
        let (next, said) = normalise(&src, &parsed, &fixes);
        if next == text {
            return Verdict {
                text,
                normalised,
                errors: blocking,
                machine,
            };
        }
        normalised.extend(said);
        text = next;
    }
    Verdict {
        text,
        normalised,
        errors: Vec::new(),
        machine: Vec::new(),
    }
}

/// Say the normalisations, then refuse (exit 1, `check`'s own report of the errors) unless
/// `--force`; with `--force` the errors are shown and the text is written anyway. Returns
/// the text to write.
pub fn enforce(p: &Proposal, verdict: Verdict, leniency: Leniency) -> Result<String> {
    let path = display_path(p);
    for n in &verdict.normalised {
        output::eprint_line(&format!("note: {path}: {n}"));
    }
    for d in &verdict.machine {
        output::eprint_line(&format!(
            "note: {path}: {}; `adsconf check` reports it as an error until that changes on the machine that uses the file",
            d.message
        ));
    }
    if verdict.errors.is_empty() {
        return Ok(verdict.text);
    }
    let src = Source::new(None, verdict.text.clone(), p.encoding);
    let parsed = formats::format(p.lang).parse(&src);
    let f = FileReport {
        path: path.clone(),
        is_file: true,
        src,
        secret_spans: rules::secret_spans(&parsed),
        diagnostics: verdict.errors.clone(),
        assumed: None,
    };
    let shown = report::reporter(CheckFormat::Human, output::stderr_color()).file(&f);
    output::eprint_line(shown.trim_end());
    let n = output::plural(verdict.errors.len(), "error", "errors");
    if leniency.force {
        output::eprint_line(&format!(
            "{path}: writing it anyway (--force), with {n} that `adsconf check` reports"
        ));
        return Ok(verdict.text);
    }
    Err(Error::refused(format!(
        "{path}: not written: it would have {n} that `adsconf check` reports (shown above); \
         fix the value, or pass --force to write it anyway"
    )))
}

/// [`judge`] then [`enforce`].
pub fn judged_text(p: &Proposal, leniency: Leniency) -> Result<String> {
    enforce(p, judge(p, leniency), leniency)
}

fn display_path(p: &Proposal) -> String {
    match p.path {
        Some(path) => path.display().to_string(),
        None => format!("{} (stdout)", p.lang.info().default_file),
    }
}

/// `check`'s findings for a text as if it were the file at `fs_path`: the same rules, the
/// same library-version detection and environment as `check` (and `fix`).
pub fn findings(shown: &str, fs_path: &Path, src: &Source, parsed: &Parsed) -> Vec<Diagnostic> {
    let env = rules::process_env();
    let ctx = FileCtx {
        path: shown,
        fs_path: Some(fs_path),
        src,
        parsed,
        version: rules::versions::detect(fs_path, parsed.lang).map(|(v, _)| v),
        env: &env,
        cwd: std::env::current_dir().ok(),
    };
    rules::check_file(&ctx)
}

/// A finding about the whole file (no place in it): a missing setting.
fn whole_file(d: &Diagnostic) -> bool {
    d.span == (0..0)
}

/// What makes two findings "the same" across the edit: the rule and the text it points at.
fn signature(d: &Diagnostic, text: &str) -> (String, String) {
    let at = if whole_file(d) {
        String::new()
    } else {
        text.get(d.span.clone()).unwrap_or("").trim().to_string()
    };
    (d.rule.to_string(), at)
}

/// The 0-based lines of `new` that the write changed (all of them for a new file).
fn changed_lines(old: Option<&str>, new: &str) -> HashSet<usize> {
    let Some(old) = old else {
        return (0..=new.lines().count()).collect();
    };
    let mut out = HashSet::new();
    for op in similar::TextDiff::from_lines(old, new).ops() {
        // Lines added or replaced. A pure deletion leaves its neighbours as they were: a
        // finding there is new (and blocks) only if its signature did not exist before.
        if !matches!(op.tag(), similar::DiffTag::Equal) {
            out.extend(op.new_range());
        }
    }
    out
}

/// Does the span meet a changed line?
fn touches(src: &Source, span: &Range<usize>, changed: &HashSet<usize>) -> bool {
    if whole_file_span(span) {
        return false;
    }
    let first = src.line_col(span.start).0.saturating_sub(1);
    let last = src
        .line_col(span.end.max(span.start + 1).min(src.text.len().max(1)) - 1)
        .0
        .saturating_sub(1);
    (first..=last.max(first)).any(|l| changed.contains(&l))
}

fn whole_file_span(span: &Range<usize>) -> bool {
    *span == (0..0)
}

/// Apply the safe fixes of `fixes` (whole, non-overlapping) and describe each: line, the
/// fix, and what was written instead of what (secrets masked).
fn normalise(src: &Source, parsed: &Parsed, fixes: &[&Diagnostic]) -> (String, Vec<String>) {
    let secret = rules::secret_spans(parsed);
    let mut chosen: Vec<Edit> = Vec::new();
    let mut said = Vec::new();
    for d in fixes {
        let Some(fix) = &d.fix else { continue };
        let overlaps = fix.edits.iter().any(|e| {
            chosen.iter().any(|c| {
                c.range.start < e.range.end.max(e.range.start + 1)
                    && e.range.start < c.range.end.max(c.range.start + 1)
            })
        });
        if overlaps {
            continue;
        }
        chosen.extend(fix.edits.iter().cloned());
        let line = src.line_col(d.span.start).0;
        let is_secret = secret
            .iter()
            .any(|s| s.start < d.span.end && d.span.start < s.end);
        let detail = match (fix.edits.as_slice(), is_secret) {
            ([e], false) if e.range.start >= d.span.start && e.range.end <= d.span.end => {
                let was = &src.text[d.span.clone()];
                let now = format!(
                    "{}{}{}",
                    &src.text[d.span.start..e.range.start],
                    e.replacement,
                    &src.text[e.range.end..d.span.end]
                );
                format!(": `{}` → `{}`", was.trim(), now.trim())
            }
            _ => String::new(),
        };
        said.push(format!(
            "line {line}: {}{detail} (`check` calls the original an error: {})",
            fix.description, d.rule
        ));
    }
    match edit::apply(&src.text, &chosen) {
        Ok(t) => (t, said),
        Err(_) => (src.text.clone(), Vec::new()),
    }
}
