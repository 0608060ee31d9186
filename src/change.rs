//! Change settings in a file, keeping every other byte: resolve the keys a user names, type
//! the values, compute the edited text (verified by re-parsing it as the library would), apply
//! `check`'s fixes, then show the diff, confirm and write atomically through [`crate::write`].
//! The service behind `set`, `fix`, `generate -o` over an existing file and `auth --write`.

use std::path::Path;

use crate::diag::{Applicability, Diagnostic};
use crate::edit::{self, Edit};
use crate::error::{Error, Result};
use crate::formats::{self, Parsed, ProblemKind};
use crate::lang::Lang;
use crate::minted;
use crate::model::{self, Settings, Value};
use crate::output;
use crate::schema::{self, KeyType, LibKey};
use crate::source::Source;
use crate::write;
use crate::write::WriteOpts;

/// Resolve a key given on the command line (neutral name, or the library's own key, or
/// for PHP `SECTION.key`) to the library's catalogue entry.
pub fn resolve_key(lang: Lang, key: &str) -> Result<&'static LibKey> {
    let cat = lang.catalog();
    if let Some(k) = cat.for_neutral(key) {
        return Ok(k);
    }
    let (section, name) = match key.split_once('.') {
        Some((s, n)) if cat.sections.iter().any(|x| x == s) => (Some(s), n),
        _ => (None, key),
    };
    if let Some(k) = cat.find(section, name) {
        return Ok(k);
    }
    if schema::neutral(key).is_some() {
        return Err(Error::usage(format!(
            "{lang} has no setting for `{key}`; {} cannot express it",
            lang.info().reader
        )));
    }
    let candidates = schema::neutral_keys()
        .iter()
        .map(|n| n.name.as_str())
        .chain(cat.keys.iter().map(|k| k.key.as_str()));
    let hint = model::nearest(key, candidates)
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    Err(Error::usage(format!(
        "unknown key `{key}` for {lang}{hint}"
    )))
}

/// Type a value given as text for the neutral key it sets.
pub fn typed_value(key: &LibKey, text: &str) -> Result<Value> {
    let ty = key
        .neutral
        .as_deref()
        .and_then(schema::neutral)
        .map(|n| n.ty)
        .unwrap_or(KeyType::String);
    Ok(match ty {
        KeyType::Bool => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Value::Bool(true),
            "false" | "no" | "off" | "0" => Value::Bool(false),
            _ => {
                return Err(Error::usage(format!(
                    "`{}` takes true or false, not {text:?}",
                    key.key
                )))
            }
        },
        KeyType::Int => {
            Value::Int(text.trim().parse().map_err(|_| {
                Error::usage(format!("`{}` takes an integer, not {text:?}", key.key))
            })?)
        }
        KeyType::Json => Value::Json(
            serde_json::from_str(text)
                .map_err(|e| Error::usage(format!("`{}` takes JSON: {e}", key.key)))?,
        ),
        KeyType::String | KeyType::CustomerId => Value::Str(text.to_string()),
    })
}

/// One change to a key: set it to a value, or (`None`) remove it.
#[derive(Debug, Clone)]
pub struct Assign {
    pub key: &'static LibKey,
    /// The key as the user wrote it (for messages).
    pub label: String,
    pub value: Option<Value>,
}

/// Is this catalogue key a secret (its value never shown)?
fn key_is_secret(key: &LibKey) -> bool {
    key.secret || key.neutral.as_deref().is_some_and(schema::is_secret)
}

/// Does the file already read `value` for `key` (as the library interprets it)?
fn reads_as(parsed: &Parsed, key: &LibKey, value: &Value) -> bool {
    let Some(got) = parsed.find(key).map(|e| &e.value) else {
        return false;
    };
    match key.neutral.as_deref() {
        Some(n) => {
            let g = model::normalize(n, got, &key.reads);
            g.is_some() && g == model::normalize(n, value, &key.reads)
        }
        None => got.to_text() == value.to_text(),
    }
}

/// The entries of `key` and of every alias of the same neutral setting.
fn all_keys_of(lang: Lang, key: &'static LibKey) -> Vec<&'static LibKey> {
    match key.neutral.as_deref() {
        Some(n) => lang.catalog().all_for_neutral(n).collect(),
        None => vec![key],
    }
}

/// The text after applying `assigns` to the file, verified by re-parsing: the library must
/// read exactly the values asked for (and none for removed keys). Assignments the file
/// already satisfies produce no edit.
pub fn edited_text(src: &Source, parsed: &Parsed, assigns: &[Assign]) -> Result<String> {
    let lang = parsed.lang;
    let fmt = formats::format(lang);
    let mut edits: Vec<Edit> = Vec::new();
    for a in assigns {
        match &a.value {
            Some(value) => {
                if let Value::Str(s) = value {
                    if s.contains('\n') || s.contains('\r') && lang == Lang::Perl {
                        return Err(Error::usage(format!(
                            "the value of `{}` contains a line break, which {} cannot carry faithfully",
                            a.label,
                            src.name()
                        )));
                    }
                }
                if let Some(reason) = a
                    .key
                    .neutral
                    .as_deref()
                    .and_then(|n| fmt.cannot_carry(n, value))
                {
                    return Err(Error::usage(format!(
                        "cannot set `{}` in {}: {reason}",
                        a.label,
                        src.name()
                    )));
                }
                if reads_as(parsed, a.key, value) {
                    continue;
                }
                if fmt.sequential_edits() {
                    continue;
                }
                edits.extend(fmt.set_edits(src, parsed, a.key, value)?);
            }
            None => {
                if fmt.sequential_edits() {
                    continue;
                }
                for k in all_keys_of(lang, a.key) {
                    edits.extend(fmt.remove_edits(src, parsed, k));
                }
            }
        }
    }
    edits.dedup();
    let new_text = if fmt.sequential_edits() {
        // Nested formats: a missing table or object is created by the first key set in it,
        // so each assignment is computed on the text the previous ones produced.
        let mut cur = src.clone();
        for a in assigns {
            let cur_parsed = fmt.parse(&cur);
            let Some(value) = &a.value else {
                let mut rm = Vec::new();
                for k in all_keys_of(lang, a.key) {
                    rm.extend(fmt.remove_edits(&cur, &cur_parsed, k));
                }
                let t = edit::apply(&cur.text, &rm)?;
                cur = Source::new(src.path.clone(), t, src.encoding);
                continue;
            };
            if reads_as(&cur_parsed, a.key, value) {
                continue;
            }
            let es = fmt.set_edits(&cur, &cur_parsed, a.key, value)?;
            let t = edit::apply(&cur.text, &es)?;
            cur = Source::new(src.path.clone(), t, src.encoding);
        }
        cur.text
    } else {
        edit::apply(&src.text, &edits).map_err(|_| {
            Error::usage(format!(
                "these changes touch the same place in {}; set the keys one command at a time",
                src.name()
            ))
        })?
    };
    // Validate by re-parsing: the library must read exactly what was asked.
    let new_src = Source::new(src.path.clone(), new_text.clone(), src.encoding);
    let reparsed = fmt.parse(&new_src);
    if reparsed.is_fatal() && !parsed.is_fatal() {
        return Err(Error::usage(format!(
            "internal error: the edit would make {} unreadable for {}; nothing was written",
            src.name(),
            lang.info().reader
        )));
    }
    for a in assigns {
        match &a.value {
            Some(value) => {
                if !reads_as(&reparsed, a.key, value) {
                    let got = reparsed.find(a.key).map(|e| e.value.to_text());
                    let shown = match got {
                        Some(g) if key_is_secret(a.key) => write::mask_secret(&g),
                        Some(g) => format!("{g:?}"),
                        None => "nothing".into(),
                    };
                    return Err(Error::usage(format!(
                        "internal error: after the edit {} would read `{}` as {shown}, not the value asked for; nothing was written",
                        src.name(),
                        a.key.key,
                    )));
                }
            }
            None => {
                for k in all_keys_of(lang, a.key) {
                    if reparsed.find(k).is_some() {
                        return Err(Error::usage(format!(
                            "internal error: after removing `{}` {} would still read it; nothing was written",
                            k.key,
                            src.name()
                        )));
                    }
                }
            }
        }
    }
    Ok(new_text)
}

/// Refuse to edit a file the library cannot read (the edit could land anywhere).
fn refuse_unreadable(src: &Source, parsed: &Parsed, extra: &str) -> Result<()> {
    if let Some(p) = parsed
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::Syntax)
    {
        let (line, col) = src.line_col(p.span.start);
        return Err(Error::usage(format!(
            "{}:{line}:{col}: {}; {} refuses this file, so fix it first (`adsconf check {}` says more){extra}",
            src.name(),
            p.message,
            parsed.lang.info().reader,
            src.name()
        )));
    }
    Ok(())
}

/// Change the file at `path`: apply `assigns` (built by the caller from `path`'s format),
/// show the diff, confirm, write.
pub fn change_file(
    path: &Path,
    lang: Option<Lang>,
    assigns: impl FnOnce(Lang) -> Result<Vec<Assign>>,
    opts: &WriteOpts,
) -> Result<i32> {
    change_file_then(path, lang, assigns, opts, &|_, t| t.to_string())
}

/// [`change_file`], with `finish` applied to the edited text before the diff and the write.
pub fn change_file_then(
    path: &Path,
    lang: Option<Lang>,
    assigns: impl FnOnce(Lang) -> Result<Vec<Assign>>,
    opts: &WriteOpts,
    finish: &dyn Fn(Lang, &str) -> String,
) -> Result<i32> {
    if std::fs::symlink_metadata(path).is_err() {
        let lang = lang.or_else(|| formats::detect(path, None));
        return Err(Error::usage(format!(
            "{} does not exist; `set` changes an existing file — create it with `adsconf generate {} -o {}`",
            path.display(),
            lang.map(|l| l.name()).unwrap_or("LANG"),
            path.display()
        )));
    }
    let (snap, src, parsed) = write::load_for_change(path, lang)?;
    refuse_unreadable(&src, &parsed, "")?;
    let assigns = assigns(parsed.lang)?;
    let new_text = finish(parsed.lang, &edited_text(&src, &parsed, &assigns)?);
    let secrets: Vec<String> = assigns
        .iter()
        .filter(|a| key_is_secret(a.key))
        .filter_map(|a| a.value.as_ref().map(Value::to_text))
        .collect();
    write::apply_change(
        &write::Change {
            path,
            lang: parsed.lang,
            old: Some((&src, &parsed, &snap)),
            new_text: &new_text,
            encoding: src.encoding,
            secrets: &secrets,
        },
        opts,
    )
}

/// Turn `KEY=VALUE` texts (and keys to remove) into assignments for `lang`.
pub fn assignments(
    lang: Lang,
    values: &[(String, String)],
    unset: &[String],
) -> Result<Vec<Assign>> {
    let mut out: Vec<Assign> = Vec::new();
    for (k, text) in values {
        let key = resolve_key(lang, k)?;
        let value = typed_value(key, text)?;
        out.push(Assign {
            key,
            label: k.clone(),
            value: Some(value),
        });
    }
    for k in unset {
        let key = resolve_key(lang, k)?;
        out.push(Assign {
            key,
            label: k.clone(),
            value: None,
        });
    }
    for (i, a) in out.iter().enumerate() {
        if let Some(b) = out[..i].iter().find(|b| {
            std::ptr::eq(b.key, a.key) || a.key.neutral.is_some() && a.key.neutral == b.key.neutral
        }) {
            return Err(Error::usage(format!(
                "`{}` and `{}` name the same setting; give it once",
                b.label, a.label
            )));
        }
    }
    Ok(out)
}

/// `set KEY=-`: the value is read from stdin (one line with echo off on a terminal, else
/// the whole input without its final line break), so a secret never has to be on the
/// command line. One `KEY=-` at most: stdin is read once.
pub fn values_from_stdin(values: &mut [(String, String)]) -> Result<()> {
    let from_stdin: Vec<usize> = values
        .iter()
        .enumerate()
        .filter(|(_, (_, v))| v == "-")
        .map(|(i, _)| i)
        .collect();
    match from_stdin.as_slice() {
        [] => Ok(()),
        [i] => {
            let key = values[*i].0.clone();
            let v = crate::output::read_secret(&format!("value for {key} (not shown): ")).map_err(
                |e| Error::usage(format!("cannot read the value of {key} from stdin: {e}")),
            )?;
            if v.contains(['\n', '\r']) {
                return Err(Error::usage(format!(
                    "the value of {key} read from stdin has several lines; give one line"
                )));
            }
            values[*i].1 = v;
            Ok(())
        }
        _ => Err(Error::usage(
            "only one KEY=- may read its value from stdin; set the others in another run",
        )),
    }
}

/// Set `values` (key as the user wrote it → value text) in the config at `path`: show the
/// diff, confirm, write. Returns the exit code (0 written or unchanged, 1 refused / dry-run
/// change). Used by `set` and `auth --write`.
pub fn set_values(
    path: &Path,
    lang: Option<Lang>,
    values: &[(String, String)],
    opts: &WriteOpts,
) -> Result<i32> {
    change_file(path, lang, |l| assignments(l, values, &[]), opts)
}

// ---------------------------------------------------------------------------------------
// `adsconf fix`

/// Do two edits touch the same text (an insertion inside or at the start of the other
/// counts: their order would be ambiguous)?
fn conflicts(a: &Edit, b: &Edit) -> bool {
    let (a0, a1, b0, b1) = (a.range.start, a.range.end, b.range.start, b.range.end);
    (a0 < b1 && b0 < a1)
        || a0 == b0
        || (a0 == a1 && b0 < a0 && a0 < b1)
        || (b0 == b1 && a0 < b0 && b0 < a1)
}

/// Apply the fixes of `diags` that may be applied (safe ones; unsafe ones too with
/// `unsafe_ok`) in one pass. A fix is taken whole or not at all; a fix whose edits conflict
/// with an already chosen fix waits for the next pass (see [`fix_until_stable`]);
/// duplicate fixes (two findings proposing the same edits) apply once.
pub fn apply_fixes(src: &Source, diags: &[Diagnostic], unsafe_ok: bool) -> Result<String> {
    let mut fixes: Vec<&crate::diag::Fix> = diags
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.applicability == Applicability::Safe || unsafe_ok)
        .filter(|f| !f.edits.is_empty())
        .collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.range.start).min());
    let mut chosen: Vec<&Edit> = Vec::new();
    let mut seen: Vec<&Vec<Edit>> = Vec::new();
    for f in fixes {
        if seen.contains(&&f.edits) {
            continue;
        }
        let ok = f.edits.iter().all(|e| {
            e.range.start <= e.range.end
                && e.range.end <= src.text.len()
                && !chosen.iter().any(|c| conflicts(c, e))
        }) && !f.edits.iter().enumerate().any(|(i, e)| {
            // Within one fix only real overlaps are a problem (its insertions keep order).
            f.edits[..i]
                .iter()
                .any(|o| o.range.start < e.range.end && e.range.start < o.range.end)
        });
        if ok {
            chosen.extend(f.edits.iter());
            seen.push(&f.edits);
        }
    }
    let edits: Vec<Edit> = chosen.into_iter().cloned().collect();
    edit::apply(&src.text, &edits)
}

/// At most this many fix passes (a fix may enable another: re-check after each pass).
pub const MAX_FIX_PASSES: usize = 8;

/// Apply fixes, re-parse and re-check, until no fix applies (or [`MAX_FIX_PASSES`]).
/// `check` runs the rules on a parsed text. Refuses when a pass would make the file
/// unreadable for the library.
pub fn fix_until_stable(
    src: &Source,
    lang: Lang,
    check: &dyn Fn(&Source, &Parsed) -> Vec<Diagnostic>,
    unsafe_ok: bool,
) -> Result<String> {
    let fmt = formats::format(lang);
    let mut cur = src.clone();
    let mut parsed = fmt.parse(&cur);
    for _ in 0..MAX_FIX_PASSES {
        let diags = check(&cur, &parsed);
        let next = apply_fixes(&cur, &diags, unsafe_ok)?;
        if next == cur.text {
            break;
        }
        let next_src = Source::new(cur.path.clone(), next, cur.encoding);
        let next_parsed = fmt.parse(&next_src);
        if next_parsed.is_fatal() && !parsed.is_fatal() {
            return Err(Error::usage(format!(
                "internal error: the fixes would make {} unreadable for {}; nothing was written",
                src.name(),
                lang.info().reader
            )));
        }
        cur = next_src;
        parsed = next_parsed;
    }
    Ok(cur.text)
}

/// The rules engine's findings for one file, for `fix` (exactly what `check` reports for
/// it: the same rules, library version detection and environment).
fn check_for_fix(path: &Path, src: &Source, parsed: &Parsed) -> Result<Vec<Diagnostic>> {
    let shown = path.display().to_string();
    let env = crate::rules::process_env();
    let ctx = crate::rules::FileCtx {
        path: &shown,
        fs_path: Some(path),
        src,
        parsed,
        version: crate::rules::versions::detect(path, parsed.lang).map(|(v, _)| v),
        env: &env,
        cwd: std::env::current_dir().ok(),
    };
    Ok(crate::rules::check_file(&ctx))
}

/// Apply the fixes `check` reports for the file at `path` (safe ones; unsafe ones too with
/// `unsafe_fixes`): show the diff, confirm, write. Returns the exit code.
pub fn fix_file(
    path: &Path,
    lang: Option<Lang>,
    unsafe_fixes: bool,
    opts: &WriteOpts,
) -> Result<i32> {
    let (snap, src, parsed) = write::load_for_change(path, lang)?;
    refuse_unreadable(&src, &parsed, "")?;
    let failed = std::cell::RefCell::new(None);
    let check = |s: &Source, p: &Parsed| match check_for_fix(path, s, p) {
        Ok(d) => d,
        Err(e) => {
            failed.borrow_mut().get_or_insert(e);
            Vec::new()
        }
    };
    let new_text = fix_until_stable(&src, parsed.lang, &check, unsafe_fixes)?;
    if let Some(e) = failed.into_inner() {
        return Err(e);
    }
    // What is left after the fixes, for one line of advice.
    let after = Source::new(src.path.clone(), new_text.clone(), src.encoding);
    let left = check_for_fix(path, &after, &formats::format(parsed.lang).parse(&after))
        .unwrap_or_default();
    let unsafe_left = left.iter().filter(|d| d.fix.is_some()).count();
    let manual = left.iter().filter(|d| d.fix.is_none()).count();
    let n = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    let advice = match (manual, unsafe_left, unsafe_fixes) {
            (0, 0, _) => String::new(),
            (m, u, false) if u > 0 => format!(
                "{} remain: {} a fix that may change behaviour (--unsafe-fixes applies it), {} fixing by hand (`adsconf check {}`)",
                n(m + u, "finding", "findings"),
                n(u, "has", "have"),
                n(m, "needs", "need"),
                src.name()
            ),
            (m, _, _) => format!(
                "{} fixing by hand (`adsconf check {}`)",
                n(m, "finding needs", "findings need"),
                src.name()
            ),
        };
    if new_text == src.text {
        let rest = if advice.is_empty() {
            String::new()
        } else {
            format!("; {advice}")
        };
        crate::output::eprint_line(&format!(
            "{}: nothing to fix automatically{rest}",
            src.name()
        ));
        return Ok(0);
    }
    let code = write::apply_change(
        &write::Change {
            path,
            lang: parsed.lang,
            old: Some((&src, &parsed, &snap)),
            new_text: &new_text,
            encoding: src.encoding,
            secrets: &[],
        },
        opts,
    )?;
    if !advice.is_empty() {
        crate::output::eprint_line(&format!("{}: {advice}", src.name()));
    }
    Ok(code)
}

/// The file a target keeps beside its main one: Meltano's `.env` with the sensitive settings
/// (unless `--secrets-in file`). Written through the same diff / confirm / `--yes` flow;
/// exit code 0 when there is nothing to write.
pub fn write_companion(
    path: &Path,
    lang: Lang,
    settings: &Settings,
    opts: &crate::write::WriteOpts,
) -> Result<i32> {
    use crate::formats::meltano;
    if lang != Lang::Meltano || meltano::secrets_inline(settings) {
        return Ok(0);
    }
    let vars = meltano::dotenv_vars(settings);
    if vars.is_empty() {
        return Ok(0);
    }
    let env_path = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(".env");
    let exists = std::fs::symlink_metadata(&env_path).is_ok();
    let loaded = if exists {
        Some(write::load_for_change(&env_path, Some(Lang::Env))?)
    } else {
        None
    };
    let old_text = loaded.as_ref().map(|(_, src, _)| src.text.as_str());
    let new_text = meltano::dotenv_merge(old_text.unwrap_or(""), &vars);
    if old_text == Some(new_text.as_str()) {
        return Ok(0);
    }
    let secrets: Vec<String> = vars.iter().map(|(_, v)| v.clone()).collect();
    write::apply_change(
        &write::Change {
            path: &env_path,
            lang: Lang::Env,
            old: loaded
                .as_ref()
                .map(|(snap, src, parsed)| (src, parsed, snap)),
            new_text: &new_text,
            encoding: crate::source::Encoding::Utf8,
            secrets: &secrets,
        },
        opts,
    )
}

/// `generate -o FILE` (CONTRACT §3). A new FILE is written with mode 0600. An existing
/// config of the same library is updated in place: every setting of the model is set in it
/// (its comments, order and other keys survive), through the same diff / confirm / `--yes`
/// / `--dry-run` flow as `set`. `--replace` replaces it with the rendered template instead.
/// A file of another format is refused unless `--replace`.
pub fn write_generated(
    path: &Path,
    lang: Lang,
    settings: &Settings,
    rendered: &str,
    replace: bool,
    opts: &crate::write::WriteOpts,
) -> Result<i32> {
    write_generated_then(path, lang, settings, rendered, replace, opts, &|_, t| {
        t.to_string()
    })
}

/// [`write_generated`] with the record of when the refresh token in `settings` was minted:
/// a comment on the line before the token, part of the same diff, where the format has
/// comments; else a sidecar ([`minted::sidecar`]) written once the change is written.
/// The code `init` uses.
pub fn write_generated_stamped(
    path: &Path,
    lang: Lang,
    settings: &Settings,
    rendered: &str,
    replace: bool,
    opts: &crate::write::WriteOpts,
    stamp: Option<&minted::Stamp>,
) -> Result<i32> {
    let rec = Recorder::new(stamp);
    let code = write_generated_then(path, lang, settings, rendered, replace, opts, &|l, t| {
        rec.finish(l, t)
    })?;
    rec.after(path, code, opts)?;
    Ok(code)
}

/// [`set_values`] with the record of when the refresh token among `values` was minted, as
/// [`write_generated_stamped`] does (`auth --write`).
pub fn set_values_stamped(
    path: &Path,
    lang: Option<Lang>,
    values: &[(String, String)],
    opts: &WriteOpts,
    stamp: &minted::Stamp,
) -> Result<i32> {
    let rec = Recorder::new(Some(stamp));
    let code = change_file_then(
        path,
        lang,
        |l| assignments(l, values, &[]),
        opts,
        &|l, t| rec.finish(l, t),
    )?;
    rec.after(path, code, opts)?;
    Ok(code)
}

/// Puts the minted record into a change: inline while the new text is made (so the diff
/// shows it), or in a sidecar after the write where the format has no comments or the
/// token's line cannot take one before it.
struct Recorder<'a> {
    stamp: Option<&'a minted::Stamp>,
    inline: std::cell::Cell<bool>,
}

impl<'a> Recorder<'a> {
    fn new(stamp: Option<&'a minted::Stamp>) -> Self {
        Recorder {
            stamp,
            inline: std::cell::Cell::new(false),
        }
    }

    fn finish(&self, lang: Lang, text: &str) -> String {
        let Some(s) = self.stamp else {
            return text.to_string();
        };
        match minted::stamp_text(text, &minted::parse_as(lang, text), s) {
            Some(t) => {
                self.inline.set(true);
                t
            }
            None => text.to_string(),
        }
    }

    /// Write the sidecar when the record is not in the file and the change was written.
    fn after(&self, path: &Path, code: i32, opts: &WriteOpts) -> Result<()> {
        let Some(s) = self.stamp else { return Ok(()) };
        if self.inline.get() || code != 0 || opts.dry_run {
            return Ok(());
        }
        let side = minted::sidecar(path);
        write::atomic_write(&side, format!("{}\n", s.text()).as_bytes())?;
        output::eprint_line(&format!(
            "wrote {} (when the refresh token was minted; {} has no place for a comment)",
            side.display(),
            path.display()
        ));
        Ok(())
    }
}

/// [`write_generated`], with `finish` applied to the new text before the diff and the write
/// (`init` and `auth` add the record of when the refresh token was minted).
pub fn write_generated_then(
    path: &Path,
    lang: Lang,
    settings: &Settings,
    rendered: &str,
    replace: bool,
    opts: &crate::write::WriteOpts,
    finish: &dyn Fn(Lang, &str) -> String,
) -> Result<i32> {
    use crate::write::Change;
    let encoding = lang.info().encoding;
    let secrets: Vec<String> = settings
        .ordered()
        .into_iter()
        .filter(|(n, _)| crate::schema::is_secret(n))
        .map(|(_, v)| v.to_text())
        .collect();
    if std::fs::symlink_metadata(path).is_err() {
        return write::apply_change(
            &Change {
                path,
                lang,
                old: None,
                new_text: &finish(lang, rendered),
                encoding,
                secrets: &secrets,
            },
            opts,
        );
    }
    let head = crate::source::read_bytes(path)?;
    let head = String::from_utf8_lossy(&head[..head.len().min(64 * 1024)]).into_owned();
    let detected = formats::detect(path, Some(&head));
    if let Some(other) = detected.filter(|d| *d != lang) {
        if !replace {
            return Err(Error::refused(format!(
                "{} exists and is a {other} config (read by {}), not a {lang} one; nothing written. \
                 Write to another path (-o {}) or pass --replace to overwrite it with the {lang} file",
                path.display(),
                other.info().reader,
                lang.info().default_file
            )));
        }
    }
    let (snap, src, parsed) = write::load_for_change(path, Some(lang))?;
    let blank = src.text.trim().is_empty();
    let new_text = if replace || blank {
        rendered.to_string()
    } else {
        if let Some(p) = parsed
            .problems
            .iter()
            .find(|p| p.kind == formats::ProblemKind::Syntax)
        {
            let (line, col) = src.line_col(p.span.start);
            return Err(Error::refused(format!(
                "{}:{line}:{col}: {}; {} refuses this file, so adsconf will not update it in place. \
                 Fix it, or pass --replace to overwrite it with the generated file",
                src.name(),
                p.message,
                lang.info().reader
            )));
        }
        if detected.is_none() && parsed.entries.is_empty() {
            return Err(Error::refused(format!(
                "{} exists but does not look like a {lang} config (no setting found); nothing written. \
                 Write to another path or pass --replace to overwrite it",
                path.display()
            )));
        }
        let fmt = formats::format(lang);
        let cat = lang.catalog();
        let assigns: Vec<Assign> = settings
            .ordered()
            .into_iter()
            .filter(|(n, _)| fmt.expressible(n))
            .filter_map(|(n, v)| {
                Some(Assign {
                    key: cat.for_neutral(n)?,
                    label: n.to_string(),
                    value: Some(v.clone()),
                })
            })
            .collect();
        let text = edited_text(&src, &parsed, &assigns)?;
        let after = fmt.parse(&crate::source::Source::new(None, text.clone(), encoding));
        if let Err(e) = formats::to_settings(&after).check_single_auth_mode() {
            return Err(Error::refused(format!(
                "updating {} in place would leave it with two kinds of credentials: {}; \
                 pass --replace to write the generated file instead, or remove the old ones with `adsconf set {} --unset KEY`",
                path.display(),
                e.message,
                path.display()
            )));
        }
        let kept: Vec<String> = formats::to_loaded(&parsed)
            .known
            .keys()
            .filter(|k| settings.get(k).is_none())
            .map(|k| format!("`{k}`"))
            .collect();
        if !kept.is_empty() {
            output::eprint_line(&format!(
                "note: {} keeps {} (not in the sources); --replace writes only the sources' settings",
                path.display(),
                kept.join(", ")
            ));
        }
        text
    };
    let new_text = finish(lang, &new_text);
    write::apply_change(
        &Change {
            path,
            lang,
            old: Some((&src, &parsed, &snap)),
            new_text: &new_text,
            encoding,
            secrets: &secrets,
        },
        opts,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Fix, Severity};

    fn diag(edits: Vec<Edit>, applicability: Applicability) -> Diagnostic {
        Diagnostic {
            rule: "customer-id-format",
            code: "ADS000",
            severity: Severity::Error,
            message: "m".into(),
            path: "f".into(),
            span: 0..0,
            help: None,
            judge: None,
            fix: Some(Fix {
                applicability,
                description: "d".into(),
                edits,
            }),
        }
    }

    #[test]
    fn applies_safe_fixes_only_unless_asked() {
        let src = Source::of("loginCustomerId=123-456-7890\nuserAgent=x\n");
        let start = src.text.find("123").unwrap();
        let safe = diag(
            vec![Edit::replace(start..start + 12, "1234567890")],
            Applicability::Safe,
        );
        let ua = src.text.find("=x").unwrap() + 1;
        let risky = diag(vec![Edit::replace(ua..ua + 1, "y")], Applicability::Unsafe);
        let both = [safe.clone(), risky.clone()];
        assert_eq!(
            apply_fixes(&src, &both, false).unwrap(),
            "loginCustomerId=1234567890\nuserAgent=x\n"
        );
        assert_eq!(
            apply_fixes(&src, &both, true).unwrap(),
            "loginCustomerId=1234567890\nuserAgent=y\n"
        );
        // Duplicates apply once; a conflicting fix waits.
        let other = diag(
            vec![Edit::replace(start..start + 3, "999")],
            Applicability::Safe,
        );
        assert_eq!(
            apply_fixes(&src, &[safe.clone(), safe.clone(), other], false).unwrap(),
            "loginCustomerId=1234567890\nuserAgent=x\n"
        );
    }

    #[test]
    fn iterates_until_no_fix_applies() {
        // A toy rule: every `-` in a customer id is a finding whose fix removes the first one.
        let check = |s: &Source, p: &Parsed| -> Vec<Diagnostic> {
            p.entries
                .iter()
                .filter_map(|e| {
                    let i = s.text[e.value_span.clone()].find('-')?;
                    let at = e.value_span.start + i;
                    Some(diag(vec![Edit::delete(at..at + 1)], Applicability::Safe))
                })
                .collect()
        };
        let src = Source::of("# a - comment\nloginCustomerId=123-456-7890\n");
        let out = fix_until_stable(&src, Lang::Perl, &check, false).unwrap();
        assert_eq!(out, "# a - comment\nloginCustomerId=1234567890\n");
        // A rule that never converges stops after the bounded number of passes.
        let endless = |s: &Source, _: &Parsed| -> Vec<Diagnostic> {
            vec![diag(
                vec![Edit::insert(s.text.len(), "x")],
                Applicability::Safe,
            )]
        };
        let out = fix_until_stable(&Source::of(""), Lang::Perl, &endless, false).unwrap();
        assert_eq!(out, "x".repeat(MAX_FIX_PASSES));
    }

    #[test]
    fn set_and_unset_in_one_edit() {
        let src = Source::of("# keep\nclientId=a\nclientSecret=b\n");
        let p = formats::format(Lang::Perl).parse(&src);
        let a = assignments(
            Lang::Perl,
            &[
                ("login_customer_id".into(), "1234567890".into()),
                ("clientId".into(), "z".into()),
            ],
            &["client_secret".into()],
        )
        .unwrap();
        assert_eq!(
            edited_text(&src, &p, &a).unwrap(),
            "# keep\nclientId=z\nloginCustomerId=1234567890\n"
        );
        // Same value: no edit at all.
        let a = assignments(Lang::Perl, &[("client_id".into(), "a".into())], &[]).unwrap();
        assert_eq!(edited_text(&src, &p, &a).unwrap(), src.text);
        // The same setting twice is refused.
        assert!(assignments(
            Lang::Perl,
            &[
                ("client_id".into(), "a".into()),
                ("clientId".into(), "b".into())
            ],
            &[]
        )
        .is_err());
    }
}
