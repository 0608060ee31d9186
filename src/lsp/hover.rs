//! Hover on a key, and completion of key names, from the library's catalogue in `schemas/`.

use std::ops::Range;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionItemTag, CompletionList, CompletionTextEdit,
    Documentation, Hover, HoverContents, MarkupContent, MarkupKind, Position, TextEdit,
};
use serde_json::Value;

use super::{Doc, Server};
use crate::formats::{self, Entry, Parsed};
use crate::model::{self, Value as V};
use crate::rules;
use crate::schema::{self, LibKey};

/// `text` as an inline code span that no backtick inside it can close.
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// The parser's type of a value, in words.
fn type_name(v: &V) -> &'static str {
    match v {
        V::Null => "null",
        V::Bool(_) => "boolean",
        V::Int(_) => "integer",
        V::Float(_) => "float",
        V::Str(_) => "string",
        V::Symbol(_) => "identifier",
        V::Json(_) => "mapping",
    }
}

/// The value as it may be shown: masked when secret (by its key or by its look).
fn shown_value(parsed: &Parsed, e: &Entry, neutral: Option<&str>) -> String {
    let v = match neutral {
        Some(n) => model::display_value(n, &e.value, false),
        None => e.value.clone(),
    };
    let secret = rules::is_secret_entry(parsed.lang, e) || rules::looks_secret(&e.value.to_text());
    let v = match v {
        V::Str(s) if secret && !s.ends_with('…') => V::Str(crate::mask::mask(&s)),
        other if secret && !matches!(other, V::Null | V::Bool(_) | V::Str(_)) => {
            V::Str(crate::mask::mask(&other.to_text()))
        }
        other => other,
    };
    match &v {
        V::Str(s) | V::Symbol(s) => serde_json::to_string(s).unwrap_or_default(),
        other => other.to_text(),
    }
}

fn markup(server: &Server, text: String) -> MarkupContent {
    if server.client.markdown {
        MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }
    } else {
        MarkupContent {
            kind: MarkupKind::PlainText,
            value: text.replace('`', ""),
        }
    }
}

fn contains(span: &Range<usize>, off: usize) -> bool {
    span.start <= off && off <= span.end && !span.is_empty()
}

/// What one catalogue key is: neutral name, summary, how the library reads it, the
/// environment variable that can override it.
fn key_facts(server: &Server, parsed: &Parsed, k: &LibKey, out: &mut Vec<String>) {
    let lang = parsed.lang;
    if let Some(n) = k.neutral.as_deref() {
        out.push(format!("Neutral name: {}", code(n)));
        if let Some(nk) = schema::neutral(n) {
            out.push(nk.summary.clone());
        }
    } else {
        out.push(format!(
            "{} reads this key; it has no neutral name in adsconf.",
            lang.info().reader
        ));
    }
    out.push(format!("Read as: {}", code(&k.reads)));
    if k.deprecated {
        let current = k
            .neutral
            .as_deref()
            .and_then(|n| lang.catalog().for_neutral(n))
            .filter(|c| !c.deprecated)
            .map(|c| format!("; use {}", code(&c.key)))
            .unwrap_or_default();
        out.push(format!("Deprecated{current}."));
    }
    if k.required {
        out.push("Required.".into());
    }
    if let Some(notes) = &k.notes {
        out.push(notes.clone());
    }
    if let Some(var) = &k.env {
        let state = match server.opts.env.get(var) {
            Some(v) => {
                let shown = k
                    .neutral
                    .as_deref()
                    .map(|n| model::display_value(n, &V::Str(v.clone()), false).to_text())
                    .unwrap_or_else(|| v.clone());
                format!("set in this environment to {}", code(&shown))
            }
            None => "not set in this environment".into(),
        };
        out.push(format!(
            "Environment variable: {} ({state}); {}.",
            code(var),
            rules::env_precedence(lang)
        ));
    }
}

/// Hover: the key under the cursor (or whose value is under it), and the help of the
/// findings there.
pub fn hover(server: &Server, doc: &Doc, pos: Position) -> Value {
    let (Some(report), Some(lang)) = (&doc.report, doc.lang) else {
        return Value::Null;
    };
    let off = doc.text.offset(pos, server.enc);
    let parsed = formats::format(lang).parse(&report.src);
    let mut parts: Vec<String> = Vec::new();
    let mut range = None;
    if let Some((i, e)) = parsed
        .entries
        .iter()
        .enumerate()
        .find(|(_, e)| contains(&e.key_span, off) || contains(&e.value_span, off))
    {
        range = Some(doc.text.range(
            &(e.key_span.start..e.value_span.end.max(e.key_span.end)),
            server.enc,
        ));
        let cat = lang.catalog();
        let label = formats::entry_label(e);
        match cat
            .find(e.section.as_deref(), &e.key)
            .filter(|k| k.section == e.section)
        {
            Some(k) => {
                parts.push(format!("**{}** — {}", code(&label), lang.info().reader));
                let neutral = k.neutral.as_deref();
                parts.push(format!(
                    "The library reads: {} {}",
                    type_name(&e.value),
                    code(&shown_value(&parsed, e, neutral))
                ));
                if let Some(later) = parsed.entries[i + 1..]
                    .iter()
                    .rev()
                    .find(|x| x.key == e.key && x.section == e.section)
                {
                    parts.push(format!(
                        "Overridden: line {} sets {} again and wins.",
                        report.src.line_col(later.key_span.start).0,
                        code(&label)
                    ));
                }
                key_facts(server, &parsed, k, &mut parts);
            }
            None => {
                parts.push(format!(
                    "**{}** — {} never reads this key.",
                    code(&label),
                    lang.info().reader
                ));
            }
        }
    }
    // The help lines of the findings at the cursor (the message itself is in the diagnostic).
    for d in &report.diagnostics {
        let span = d.span.start..d.span.end.max(d.span.start);
        if span.start <= off && off <= span.end {
            if let Some(h) = &d.help {
                parts.push(format!("{} {}: {h}", d.code, d.rule));
            }
        }
    }
    if parts.is_empty() {
        return Value::Null;
    }
    let h = Hover {
        contents: HoverContents::Markup(markup(server, parts.join("\n\n"))),
        range,
    };
    serde_json::to_value(h).unwrap_or(Value::Null)
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// Completion of the library's key names at the cursor (PHP: the keys of the section the
/// cursor is in), each with its neutral name as detail. Nothing is offered inside a value.
pub fn complete(server: &Server, doc: &Doc, pos: Position) -> Value {
    let (Some(report), Some(lang)) = (&doc.report, doc.lang) else {
        return Value::Null;
    };
    let text = &doc.text.text;
    let off = doc.text.offset(pos, server.enc);
    let fmt = formats::format(lang);
    let parsed = fmt.parse(&report.src);
    if parsed
        .entries
        .iter()
        .any(|e| !e.value_span.is_empty() && e.value_span.start < off && off <= e.value_span.end)
    {
        return Value::Null;
    }
    // The key being typed: the key characters before the cursor on its line.
    let token_start = text[..off]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_key_char(*c))
        .last()
        .map_or(off, |(i, _)| i);
    let token = &text[token_start..off];
    let cat = lang.catalog();
    let section = if cat.sections.is_empty() {
        None
    } else {
        fmt.section_at(&report.src, off)
    };
    let mut items = Vec::new();
    for k in &cat.keys {
        if !cat.sections.is_empty() && k.section != section {
            continue;
        }
        // Replace from the first point of the token from which the key continues it
        // (`c.client_i` in Ruby replaces `client_i`), else from after the last `.`.
        let starts = std::iter::once(token_start)
            .chain(token.match_indices('.').map(|(i, _)| token_start + i + 1));
        let from = starts
            .clone()
            .find(|&s| {
                let typed = &text[s..off];
                k.key.len() >= typed.len()
                    && k.key.is_char_boundary(typed.len())
                    && k.key[..typed.len()].eq_ignore_ascii_case(typed)
            })
            .unwrap_or_else(|| starts.last().unwrap_or(off));
        let mut doc_lines = Vec::new();
        key_facts(server, &parsed, k, &mut doc_lines);
        items.push(CompletionItem {
            label: k.key.clone(),
            kind: Some(CompletionItemKind::PROPERTY),
            detail: Some(match &k.neutral {
                Some(n) => n.clone(),
                None => "(no neutral name)".into(),
            }),
            documentation: Some(Documentation::MarkupContent(markup(
                server,
                doc_lines.join("\n\n"),
            ))),
            tags: k.deprecated.then(|| vec![CompletionItemTag::DEPRECATED]),
            sort_text: Some(format!("{}{}", u8::from(k.deprecated), k.key)),
            filter_text: Some(k.key.clone()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range: doc.text.range(&(from..off), server.enc),
                new_text: k.key.clone(),
            })),
            ..Default::default()
        });
    }
    serde_json::to_value(CompletionList {
        is_incomplete: false,
        items,
    })
    .unwrap_or(Value::Null)
}
