//! Code actions: each finding's fix as a quick fix, and every safe fix at once
//! (`source.fixAll.adsconf`, what `adsconf fix` would write).

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionParams, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, Url, WorkspaceEdit,
};
use serde_json::Value;

use super::convert;
use super::text::widen_edit;
use super::{Doc, Server};
use crate::diag::Applicability;
use crate::source::Source;

/// The kind of the action that applies every safe fix.
pub const FIX_ALL: &str = "source.fixAll.adsconf";

fn edit(server: &Server, uri: &Url, doc: &Doc, edits: Vec<TextEdit>) -> WorkspaceEdit {
    if server.client.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(doc.version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..Default::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        }
    }
}

fn wanted(only: Option<&Vec<CodeActionKind>>, kind: &str) -> bool {
    match only {
        None => true,
        Some(kinds) => kinds.iter().any(|k| {
            let k = k.as_str();
            kind == k || kind.starts_with(&format!("{k}."))
        }),
    }
}

fn overlaps(a: &lsp_types::Range, b: &lsp_types::Range) -> bool {
    let (a0, a1) = (
        (a.start.line, a.start.character),
        (a.end.line, a.end.character),
    );
    let (b0, b1) = (
        (b.start.line, b.start.character),
        (b.end.line, b.end.character),
    );
    a0 <= b1 && b0 <= a1
}

pub fn code_actions(server: &Server, uri: &Url, doc: &Doc, p: &CodeActionParams) -> Value {
    let Some(report) = &doc.report else {
        return Value::Array(Vec::new());
    };
    let only = p.context.only.as_ref();
    let mut out: Vec<CodeAction> = Vec::new();
    if wanted(only, CodeActionKind::QUICKFIX.as_str()) {
        for d in &report.diagnostics {
            let Some(fix) = &d.fix else { continue };
            let lsp = convert::diagnostic(&doc.text, server.enc, d);
            if !overlaps(&lsp.range, &p.range) {
                continue;
            }
            let unsafe_fix = fix.applicability == Applicability::Unsafe;
            let mut title = format!("{} ({})", fix.description, d.rule);
            if unsafe_fix {
                title.push_str(" — unsafe fix: check the result");
            }
            out.push(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp]),
                edit: Some(edit(
                    server,
                    uri,
                    doc,
                    convert::text_edits(&doc.text, server.enc, &fix.edits),
                )),
                is_preferred: Some(!unsafe_fix),
                ..Default::default()
            });
        }
    }
    if wanted(only, FIX_ALL) {
        if let Some(a) = fix_all(server, uri, doc) {
            out.push(a);
        }
    }
    serde_json::to_value(out).unwrap_or(Value::Null)
}

/// Every safe fix, applied and re-checked until stable exactly as `adsconf fix` does, as one
/// edit covering the changed part of the text.
fn fix_all(server: &Server, uri: &Url, doc: &Doc) -> Option<CodeAction> {
    let report = doc.report.as_ref()?;
    if !report.diagnostics.iter().any(|d| {
        d.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe)
    }) {
        return None;
    }
    let lang = doc.lang?;
    let src: &Source = &report.src;
    let shown = doc
        .path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| uri.to_string());
    let check = |s: &Source, parsed: &crate::formats::Parsed| {
        crate::lint::check_parsed(&shown, doc.path.as_deref(), s, parsed, &server.opts)
            .unwrap_or_default()
    };
    let fixed = crate::change::fix_until_stable(src, lang, &check, false).ok()?;
    let old = &doc.text.text;
    if &fixed == old {
        return None;
    }
    // The changed middle: common prefix and suffix kept (on char boundaries).
    let mut pre = old
        .bytes()
        .zip(fixed.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(pre) || !fixed.is_char_boundary(pre) {
        pre -= 1;
    }
    let max_suf = (old.len() - pre).min(fixed.len() - pre);
    let mut suf = old
        .bytes()
        .rev()
        .zip(fixed.bytes().rev())
        .take(max_suf)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suf) || !fixed.is_char_boundary(fixed.len() - suf) {
        suf -= 1;
    }
    let span = pre..old.len() - suf;
    let (w, new_text) = widen_edit(old, &span, &fixed[pre..fixed.len() - suf]);
    let edits = vec![TextEdit {
        range: doc.text.range(&w, server.enc),
        new_text,
    }];
    Some(CodeAction {
        title: "Apply every safe fix (adsconf fix)".into(),
        kind: Some(CodeActionKind::new(FIX_ALL)),
        edit: Some(edit(server, uri, doc, edits)),
        ..Default::default()
    })
}
