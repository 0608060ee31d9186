//! `check`'s findings and fixes in LSP terms.

use std::ops::Range;

use lsp_types::{DiagnosticSeverity, NumberOrString, TextEdit};
use serde_json::json;

use super::text::{widen_edit, Encoding, Text};
use crate::diag::{Diagnostic, Severity};
use crate::edit::Edit;
use crate::report::FileReport;

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// One finding as an LSP diagnostic: the message exactly as `check` prints it (secrets are
/// masked by the rules), the rule code as `code`, the rule name in `data.rule`.
pub fn diagnostic(text: &Text, enc: Encoding, d: &Diagnostic) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: text.range(&d.span, enc),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("adsconf".into()),
        message: d.message.clone(),
        data: Some(json!({"rule": d.rule})),
        ..Default::default()
    }
}

pub fn diagnostics(text: &Text, enc: Encoding, r: &FileReport) -> Vec<lsp_types::Diagnostic> {
    r.diagnostics
        .iter()
        .map(|d| diagnostic(text, enc, d))
        .collect()
}

/// A fix's edits as LSP text edits on `text`. The replacement text is the real one (the
/// buffer already holds the secret values it may carry; `check --format json` masks them
/// because it prints). Edits that would split a CRLF are widened (see
/// [`super::text::widen`]); edits that then touch or overlap are merged into one, so the
/// result never has overlapping ranges and changes exactly what the fix changes.
pub fn text_edits(text: &Text, enc: Encoding, edits: &[Edit]) -> Vec<TextEdit> {
    let t = &text.text;
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    // Groups of edits whose widened ranges overlap.
    let mut groups: Vec<(Range<usize>, Vec<&Edit>)> = Vec::new();
    for e in sorted {
        let (w, _) = widen_edit(t, &e.range, &e.replacement);
        match groups.last_mut() {
            Some((g, members)) if w.start < g.end => {
                g.end = g.end.max(w.end);
                members.push(e);
            }
            _ => groups.push((w, vec![e])),
        }
    }
    groups
        .into_iter()
        .map(|(g, members)| {
            let new_text = if let [only] = members.as_slice() {
                widen_edit(t, &only.range, &only.replacement).1
            } else {
                let shifted: Vec<Edit> = members
                    .iter()
                    .map(|e| {
                        Edit::replace(
                            e.range.start - g.start..e.range.end - g.start,
                            e.replacement.clone(),
                        )
                    })
                    .collect();
                crate::edit::apply(&t[g.clone()], &shifted).unwrap_or_default()
            };
            TextEdit {
                range: text.range(&g, enc),
                new_text,
            }
        })
        .collect()
}
