//! How the file is written: syntax errors, code that cannot be read statically, line endings,
//! and the per-format traps where a value is not read as written (Perl spacing, .properties
//! escapes, unquoted INI values).

use super::{is_placeholder, DiagExt, FileCtx};
use crate::diag::{Applicability, Diagnostic, Severity};
use crate::edit::Edit;
use crate::formats::ProblemKind;
use crate::lang::Lang;
use crate::model::Value;
use crate::schema::KeyType;

pub fn check(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    problems(ctx, out);
    crlf(ctx, out);
    match ctx.lang() {
        Lang::Perl => {
            perl_spacing(ctx, out);
            properties(ctx, out);
        }
        Lang::Java => properties(ctx, out),
        Lang::Php => ini(ctx, out),
        _ => {}
    }
}

fn problems(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    for p in &ctx.parsed.problems {
        match p.kind {
            ProblemKind::Syntax => out.push(
                ctx.diag("syntax-error", p.span.clone(), p.message.clone())
                    .help(format!(
                        "{} cannot load this file, so none of its settings take effect; correct it here",
                        ctx.library()
                    )),
            ),
            ProblemKind::NotStatic => out.push(
                ctx.diag("ruby-not-static", p.span.clone(), p.message.clone())
                    .help("adsconf reads literal values only; the rules cannot check this value"),
            ),
        }
    }
}

/// `crlf-line-endings`: the Perl reader and POSIX shells keep `\r` in values.
fn crlf(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    if !matches!(ctx.lang(), Lang::Perl | Lang::Env | Lang::Curl) {
        return;
    }
    let text = &ctx.src.text;
    let crs: Vec<usize> = text.match_indices("\r\n").map(|(i, _)| i).collect();
    let Some(&first) = crs.first() else {
        return;
    };
    let reader = match ctx.lang() {
        Lang::Perl => "google-ads-perl removes only the \\n",
        _ => "a POSIX shell keeps the \\r",
    };
    let edits = crs.iter().map(|&i| Edit::delete(i..i + 1)).collect();
    out.push(
        ctx.diag(
            "crlf-line-endings",
            first..first + 1,
            format!(
                "{} with \\r\\n; {reader}, so every value on them ends with an invisible \\r",
                crate::output::plural(crs.len(), "line ends", "lines end")
            ),
        )
        .help("save the file with LF line endings")
        .fix(
            Applicability::Safe,
            "convert CRLF line endings to LF",
            edits,
        ),
    );
}

/// `perl-key-spacing`: google-ads-perl trims nothing around `=`, and `#` is a comment only
/// in column 0.
fn perl_spacing(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let cat = ctx.lang().catalog();
    for e in &ctx.parsed.entries {
        let trimmed = e.key.trim();
        if trimmed.starts_with('#') {
            out.push(
                ctx.diag(
                    "perl-key-spacing",
                    e.key_span.clone(),
                    "google-ads-perl reads this line as a key (`#` starts a comment only in column 0), but no key is spelt like it, so it is ignored just like a comment".into(),
                )
                .severity(Severity::Info)
                .help("move the `#` to the start of the line")
                .fix(
                    Applicability::Safe,
                    "move `#` to column 0",
                    vec![Edit::delete(
                        e.key_span.start..e.key_span.start + (e.key.len() - e.key.trim_start().len()),
                    )],
                ),
            );
            continue;
        }
        if trimmed == e.key || cat.find(None, trimmed).is_none() {
            continue;
        }
        let raw = &e.raw;
        let lead = raw.len() - raw.trim_start_matches([' ', '\t']).len();
        let end = if matches!(e.value, Value::Null) {
            e.key_span.end
        } else {
            e.value_span.start + lead
        };
        let replacement = if matches!(e.value, Value::Null) {
            trimmed.to_string()
        } else {
            format!("{trimmed}=")
        };
        out.push(
            ctx.diag(
                "perl-key-spacing",
                e.key_span.clone(),
                format!(
                    "google-ads-perl reads this key as {:?} (it trims nothing), so `{trimmed}` is not set",
                    e.key
                ),
            )
            .help(format!("write `{trimmed}=value` with no spaces around `=`"))
            .fix(
                Applicability::Safe,
                "remove the spaces around `=`",
                vec![Edit::replace(e.key_span.start..end, replacement)],
            ),
        );
    }
}

/// `properties-escape`: .properties values not read as written.
fn properties(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let lib = ctx.library();
    for e in &ctx.parsed.entries {
        if e.value_span.is_empty() || ctx.catalog_key(e).is_none() {
            continue;
        }
        let raw = &e.raw;
        // Perl keeps a trailing \r, reported by crlf-line-endings.
        let body = raw.trim_end_matches('\r');
        let trimmed = body.trim_end_matches([' ', '\t']);
        if trimmed.len() < body.len() && !trimmed.is_empty() {
            let start = e.value_span.start + trimmed.len();
            let ws = start..e.value_span.start + body.len();
            out.push(
                ctx.diag(
                    "properties-escape",
                    ws.clone(),
                    format!(
                        "`{}` ends with {} that {lib} keeps in the value",
                        e.key.trim(),
                        crate::output::plural(
                            body.len() - trimmed.len(),
                            "whitespace character",
                            "whitespace characters"
                        )
                    ),
                )
                .help("delete the trailing whitespace")
                .fix(
                    Applicability::Safe,
                    "delete trailing whitespace",
                    vec![Edit::delete(ws)],
                ),
            );
        }
        let t = trimmed.trim_start();
        let quoted = t.len() >= 2
            && ((t.starts_with('"') && t.ends_with('"'))
                || (t.starts_with('\'') && t.ends_with('\'')));
        if quoted {
            let q = e.value_span.start + (trimmed.len() - t.len());
            let edits = vec![
                Edit::delete(q..q + 1),
                Edit::delete(q + t.len() - 1..q + t.len()),
            ];
            out.push(
                ctx.diag(
                    "properties-escape",
                    e.value_span.clone(),
                    format!(
                        "the quotes around the value of `{}` are part of the value: {lib} has no quoting",
                        e.key.trim()
                    ),
                )
                .help("remove the quotes")
                .fix(Applicability::Unsafe, "remove the quotes", edits),
            );
        }
        if ctx.lang() == Lang::Java && raw.contains('\\') {
            let lost: bool = {
                // A backslash before anything but a recognised escape just disappears.
                let mut it = raw.chars().peekable();
                let mut lost = false;
                while let Some(c) = it.next() {
                    if c == '\\' {
                        match it.next() {
                            Some('\\') | Some('u') | Some('n') | Some('t') | Some('r')
                            | Some('f') | None => {}
                            Some(_) => lost = true,
                        }
                    }
                }
                lost
            };
            if lost {
                let doubled = raw.replace('\\', "\\\\");
                out.push(
                    ctx.diag(
                        "properties-escape",
                        e.value_span.clone(),
                        format!(
                            "java.util.Properties treats `\\` as an escape: `{}` is read as {:?}",
                            e.key,
                            ctx.shown(e)
                        ),
                    )
                    .help("use forward slashes (C:/keys/sa.json) or double every backslash")
                    .fix(
                        Applicability::Unsafe,
                        "double the backslashes",
                        vec![Edit::replace(e.value_span.clone(), doubled)],
                    ),
                );
            }
        }
    }
}

/// `unquoted-ini-value`: PHP's typed INI scanner changes unquoted values.
fn ini(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    const SPECIAL: &[char] = &[
        '?', '{', '}', '|', '&', '~', '!', '[', '(', ')', '^', '"', '$',
    ];
    const TYPOGRAPHIC: &[char] = &['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}'];
    for e in &ctx.parsed.entries {
        let raw = e.raw.trim();
        if raw.is_empty() || raw.starts_with('"') || raw.starts_with('\'') {
            continue;
        }
        let Some(k) = ctx.catalog_key(e) else {
            continue;
        };
        let neutral = k.neutral.as_deref().and_then(crate::schema::neutral);
        let ty = neutral.map(|n| n.ty);
        // Ids are customer-id-type's business; flags are meant to be typed.
        if matches!(
            ty,
            Some(KeyType::CustomerId) | Some(KeyType::Bool) | Some(KeyType::Int)
        ) {
            continue;
        }
        if is_placeholder(raw) {
            continue;
        }
        let changed = match &e.value {
            Value::Str(s) => s != raw,
            _ => true,
        };
        let typographic = raw.contains(TYPOGRAPHIC);
        let special = raw.contains(SPECIAL);
        let read_as = match &e.value {
            Value::Bool(b) => format!("the boolean {b}"),
            Value::Null => "an empty value".into(),
            Value::Int(i) => format!("the integer {i}"),
            Value::Float(f) => format!("the number {f}"),
            Value::Str(s) => format!("the string '{}'", crate::mask::mask_url_password(s)),
            _ => "something else".into(),
        };
        let msg = if typographic {
            format!(
                "the value of `{}` uses typographic quotes, which PHP does not treat as quotes",
                e.key
            )
        } else if changed {
            format!(
                "unquoted, the value of `{}` is read by PHP as {read_as}",
                e.key
            )
        } else if special {
            format!(
                "the unquoted value of `{}` contains characters PHP's INI parser treats specially",
                e.key
            )
        } else {
            format!(
                "the value of `{}` is not quoted; PHP reads unquoted values with its typed scanner",
                e.key
            )
        };
        // PHP loads the file with another value than the one written: a warning by the
        // severity policy; what the changed value breaks is reported by that value's rules.
        let mut d = ctx
            .diag("unquoted-ini-value", e.value_span.clone(), msg)
            .help("quote the value with straight double quotes, as Google's template does");
        if !typographic && !raw.contains(['"', '\\', '$']) {
            let app = if changed || special {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            d = d.fix(
                app,
                "quote the value",
                vec![
                    Edit::insert(e.value_span.start, "\""),
                    Edit::insert(e.value_span.end, "\""),
                ],
            );
        }
        out.push(d);
    }
}
