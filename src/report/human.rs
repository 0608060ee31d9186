//! rustc-style snippets (annotate-snippets), coloured on a terminal only.

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::{counted, FileReport, Masked, Report, Summary};
use crate::diag::{Applicability, Diagnostic, Severity};

pub struct Human {
    pub color: bool,
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

impl Human {
    fn one(&self, renderer: &Renderer, f: &FileReport, masked: &Masked, d: &Diagnostic) -> String {
        let title = level(d.severity)
            .primary_title(super::message(d))
            .id(d.code);
        let text = masked.text.as_str();
        // Spans from any parser are snapped to char boundaries inside the text.
        let mut start = masked.map(d.span.start).min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = masked.map(d.span.end).clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let mut span = start..end;
        let file_level = d.span == (0..0) || text.is_empty();
        if span.is_empty() && !file_level {
            // Point at one character so the caret shows.
            let end = text[span.start..]
                .chars()
                .next()
                .filter(|c| *c != '\n')
                .map(|c| span.start + c.len_utf8());
            if let Some(end) = end {
                span.end = end;
            }
        }
        let group = if file_level {
            title.element(Origin::path(f.path.as_str()))
        } else {
            title.element(
                Snippet::source(text)
                    .path(f.path.as_str())
                    .fold(true)
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        };
        let mut elements =
            vec![Level::NOTE.message(format!("rule: {} (--ignore {})", d.rule, d.rule))];
        let mut help = super::help(d).unwrap_or_default();
        if let Some(fix) = &d.fix {
            let how = match fix.applicability {
                Applicability::Safe => "`adsconf fix` does this",
                Applicability::Unsafe => "`adsconf fix --unsafe-fixes` does this",
            };
            if help.is_empty() {
                help = format!("{} ({how})", fix.description);
            } else {
                help = format!("{help} ({how}: {})", fix.description);
            }
        }
        if !help.is_empty() {
            elements.push(Level::HELP.message(help));
        }
        let group = group.elements(elements);
        let report: &[Group] = &[group];
        renderer.render(report)
    }
}

impl Report for Human {
    fn file(&self, f: &FileReport) -> String {
        if f.diagnostics.is_empty() {
            return String::new();
        }
        let renderer = if self.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let masked = Masked::new(&f.src, &f.secret_spans);
        let mut out = String::new();
        for d in &f.diagnostics {
            out.push_str(&self.one(&renderer, f, &masked, d));
            out.push_str("\n\n");
        }
        out
    }

    fn finish(&self, s: &Summary) -> String {
        let files = counted(s.files, "file");
        let mut out = if s.diagnostics() == 0 {
            format!("no problems found in {files}\n")
        } else {
            format!(
                "found {}, {}, {} in {files}\n",
                counted(s.errors, "error"),
                counted(s.warnings, "warning"),
                counted(s.infos, "info")
            )
        };
        for line in s.assumed_lines() {
            out.push_str(&format!("checked against {line}\n"));
        }
        out
    }
}
