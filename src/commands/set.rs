//! `adsconf set` and `adsconf fix`: change values inside an existing file, keeping every
//! other byte; show the diff; confirm; write atomically (CONTRACT §3, §5).

use std::path::Path;

use crate::cli::{FixArgs, SetArgs, WriteOpts};
use crate::edit;
use crate::error::{Error, Result};
use crate::formats::{self, Lang};
use crate::model::{self, Value};
use crate::schema::{self, KeyType, LibKey};
use crate::write;

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

/// Set `values` (key as the user wrote it → value) in the config at `path`: show the diff,
/// confirm, write. Returns the exit code (0 written or unchanged, 1 refused / dry-run change).
pub fn set_values(
    path: &Path,
    lang: Option<Lang>,
    values: &[(String, String)],
    opts: &WriteOpts,
) -> Result<i32> {
    let (src, parsed) = formats::load(path, lang)?;
    let lang = parsed.lang;
    if let Some(p) = parsed
        .problems
        .iter()
        .find(|p| p.kind == formats::ProblemKind::Syntax)
    {
        let (line, col) = src.line_col(p.span.start);
        return Err(Error::usage(format!(
            "{}:{line}:{col}: {}; fix the file before changing it",
            src.name(),
            p.message
        )));
    }
    let fmt = formats::format(lang);
    let mut edits = Vec::new();
    let mut wanted = Vec::new();
    for (k, text) in values {
        let key = resolve_key(lang, k)?;
        let value = typed_value(key, text)?;
        if let Value::Str(s) = &value {
            if s.contains('\n') {
                return Err(Error::usage(format!("the value of `{k}` contains a newline, which no configuration format can carry faithfully")));
            }
        }
        if let Some(reason) = key
            .neutral
            .as_deref()
            .and_then(|n| fmt.cannot_carry(n, &value))
        {
            return Err(Error::usage(format!(
                "cannot set `{k}` in {}: {reason}",
                src.name()
            )));
        }
        edits.extend(fmt.set_edits(&src, &parsed, key, &value)?);
        wanted.push((key, value));
    }
    let new_text = edit::apply(&src.text, &edits)?;
    // Validate by re-parsing: the library must read exactly what was asked.
    let new_src = crate::source::Source::new(src.path.clone(), new_text.clone(), src.encoding);
    let reparsed = fmt.parse(&new_src);
    for (key, value) in &wanted {
        let got = reparsed.find(key).map(|e| e.value.clone());
        let ok = match (&got, key.neutral.as_deref()) {
            (Some(g), Some(n)) => {
                model::normalize(n, g, &key.reads) == model::normalize(n, value, &key.reads)
            }
            (Some(g), None) => g.to_text() == value.to_text(),
            (None, _) => false,
        };
        if !ok {
            return Err(Error::usage(format!(
                "internal error: after the edit {} would read `{}` as {:?}, not the value asked for; nothing was written",
                src.name(),
                key.key,
                got.map(|g| g.to_text())
            )));
        }
    }
    write::update_file(&src, &parsed, &new_text, opts)
}

pub fn run_set(args: SetArgs) -> Result<i32> {
    let mut values = Vec::new();
    for a in &args.assignments {
        let (k, v) = a.split_once('=').ok_or_else(|| {
            Error::usage(format!(
                "`{a}` is not KEY=VALUE (example: login_customer_id=1234567890)"
            ))
        })?;
        values.push((k.trim().to_string(), v.to_string()));
    }
    set_values(&args.file, args.lang, &values, &args.write)
}

pub fn run_fix(_args: FixArgs) -> Result<i32> {
    Err(Error::usage("`adsconf fix` is not available yet"))
}
