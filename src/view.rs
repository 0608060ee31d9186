//! What a config means, for people and programs (`adsconf show`, CONTRACT §3): the text, JSON
//! and TOML views of what the library's parser reads from a file, under neutral names; the
//! file a library would load by default and what the environment does to it.

use std::path::Path;

use crate::discovery::{self, EnvEffect};
use crate::error::{Error, Result};
use crate::formats::{self, Loaded, Parsed, ProblemKind};
use crate::lang::Lang;
use crate::model::{self, Value};
use crate::output;
use crate::rules;
use crate::schema;
use crate::source::Source;

/// `show --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    /// For people (`text` is accepted too)
    #[value(name = "human", alias = "text")]
    Text,
    Json,
    Toml,
}

/// A value as text: strings JSON-quoted (so spaces and escapes are visible), others bare.
fn fmt_value(v: &Value) -> String {
    match v {
        Value::Str(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::Symbol(s) => s.clone(),
        other => other.to_json().to_string(),
    }
}

/// Mask an unknown key's value when its name (or the key it was probably meant to be) is a
/// secret, or when the value has a secret's shape ([`mask`](crate::mask)).
fn mask_unknown(name: &str, guess: Option<&str>, v: &Value, reveal: bool) -> Value {
    if reveal {
        return v.clone();
    }
    match v {
        Value::Null | Value::Bool(_) => v.clone(),
        other if guess.is_some_and(schema::is_secret) => {
            Value::Str(crate::mask::mask(&other.to_text()))
        }
        Value::Str(s) => Value::Str(crate::mask::shown(name, s)),
        other if crate::mask::key_kind(name) == crate::mask::Kind::Whole => {
            Value::Str(crate::mask::mask(&other.to_text()))
        }
        other => other.clone(),
    }
}

/// Did you mean…? for a key `lang`'s library ignores (`label` as in `Loaded::unknown`, PHP
/// `SECTION.key`), and the neutral setting it was probably meant for: exactly the answer of
/// `check` ([`rules::keys::suggest`]).
pub fn did_you_mean(
    lang: Lang,
    parsed: Option<&Parsed>,
    label: &str,
) -> (Option<String>, Option<String>) {
    let entry = parsed.and_then(|p| {
        p.entries
            .iter()
            .rev()
            .find(|e| formats::entry_label(e) == label)
    });
    match entry {
        Some(e) => rules::keys::hint(lang, e.section.as_deref(), &e.key),
        None => rules::keys::hint(lang, None, label),
    }
}

/// Read FILE and render it in the requested format.
pub fn show_file(
    path: &Path,
    lang: Option<Lang>,
    format: ShowFormat,
    reveal: bool,
) -> Result<String> {
    let (src, parsed) = formats::load(path, lang)?;
    if let Some(p) = parsed
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::Syntax)
    {
        let (line, col) = src.line_col(p.span.start);
        return Err(Error::refused(format!(
            "{}:{line}:{col}: {} — {} refuses this file; fix it first",
            src.name(),
            p.message,
            parsed.lang.info().reader
        )));
    }
    let loaded = formats::to_loaded(&parsed);
    // Values the library takes from the environment (PHP `${VAR}`) hold whatever adsconf's
    // own environment holds: masked like secrets unless --reveal.
    let env_fed: Hide = formats::env_fed(&parsed).into_keys().collect();
    Ok(match format {
        ShowFormat::Json => json_of(parsed.lang, Some(&parsed), &loaded, reveal, &env_fed),
        ShowFormat::Toml => toml_of(&src, &parsed, reveal, &env_fed),
        ShowFormat::Text => text_of(&src, &parsed, &loaded, reveal, &env_fed),
    })
}

/// Names whose values are masked whatever they are (taken from the environment).
type Hide = std::collections::BTreeSet<String>;

/// A known value as shown: [`model::display_value`], or masked when `hide` names it.
fn shown_known(k: &str, v: &Value, reveal: bool, hide: &Hide) -> Value {
    if !reveal && hide.contains(k) && !matches!(v, Value::Null | Value::Bool(_)) {
        return Value::Str(crate::mask::mask(&v.to_text()));
    }
    model::display_value(k, v, reveal)
}

/// An unknown or unmapped value as shown: `mask_unknown`, or masked when `hide` names it.
fn shown_other(k: &str, guess: Option<&str>, v: &Value, reveal: bool, hide: &Hide) -> Value {
    if !reveal && hide.contains(k) && !matches!(v, Value::Null | Value::Bool(_)) {
        return Value::Str(crate::mask::mask(&v.to_text()));
    }
    mask_unknown(k, guess, v, reveal)
}

fn json_of(
    lang: Lang,
    parsed: Option<&Parsed>,
    loaded: &Loaded,
    reveal: bool,
    hide: &Hide,
) -> String {
    let known: serde_json::Map<String, serde_json::Value> = loaded
        .known
        .iter()
        .map(|(k, v)| (k.clone(), shown_known(k, v, reveal, hide).to_json()))
        .collect();
    let unknown: serde_json::Map<String, serde_json::Value> = loaded
        .unknown
        .iter()
        .map(|(k, v)| {
            let (_, guess) = did_you_mean(lang, parsed, k);
            (
                k.clone(),
                shown_other(k, guess.as_deref(), v, reveal, hide).to_json(),
            )
        })
        .collect();
    let after_loader = parsed
        .map(formats::loader_view)
        .unwrap_or_else(|| loaded.known.clone());
    let loaded_view: serde_json::Map<String, serde_json::Value> = after_loader
        .iter()
        .map(|(k, v)| (k.clone(), shown_known(k, v, reveal, hide).to_json()))
        .collect();
    let obj = serde_json::json!({"lang": lang.name(), "known": known, "loaded": loaded_view, "unknown": unknown});
    format!(
        "{}\n",
        serde_json::to_string_pretty(&obj).unwrap_or_default()
    )
}

fn toml_value(v: &Value) -> Option<toml::Value> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::Int(i) => toml::Value::Integer(*i),
        Value::Float(f) => toml::Value::Float(*f),
        Value::Str(s) | Value::Symbol(s) => toml::Value::String(s.clone()),
        Value::Json(j) => {
            toml::Value::try_from(j).unwrap_or_else(|_| toml::Value::String(j.to_string()))
        }
    })
}

fn toml_of(src: &Source, parsed: &Parsed, reveal: bool, hide: &Hide) -> String {
    let settings = formats::to_settings(parsed);
    let mut out = format!(
        "# adsconf.toml: the settings {} reads from {}\n",
        parsed.lang.info().reader,
        src.name()
    );
    let mut masked = false;
    for (k, v) in settings.ordered() {
        let Some(tv) = toml_value(v) else { continue };
        let mut one = toml::Table::new();
        one.insert(k.to_string(), tv);
        let line = toml::to_string(&one).unwrap_or_default();
        let shown = shown_known(k, v, reveal, hide);
        if &shown != v || (!reveal && hide.contains(k)) {
            // A masked secret stays out of the file (commented), so `generate --from` never
            // writes a masked value as if it were real.
            let mut t = toml::Table::new();
            if let Some(sv) = toml_value(&shown) {
                t.insert(k.to_string(), sv);
            }
            out.push_str(&format!("# {}", toml::to_string(&t).unwrap_or_default()));
            masked = true;
        } else {
            out.push_str(&line);
        }
    }
    if masked {
        out.push_str(
            "# Secrets (and values taken from the environment) are masked and commented out; run with --reveal to include them.\n",
        );
    }
    out
}

fn text_of(src: &Source, parsed: &Parsed, loaded: &Loaded, reveal: bool, hide: &Hide) -> String {
    let lang = parsed.lang;
    let library = lang.catalog().library.clone();
    let mut out = String::new();
    let mut known: Vec<(&String, &Value)> = loaded.known.iter().collect();
    known.sort_by_key(|(k, _)| schema::neutral_order(k));
    let width = known
        .iter()
        .map(|(k, _)| k.chars().count())
        .chain(loaded.unmapped.keys().map(|k| k.chars().count()))
        .max()
        .unwrap_or(0);
    if known.is_empty() && loaded.unmapped.is_empty() {
        out.push_str(&format!(
            "{library} reads no settings from {}\n",
            src.name()
        ));
    }
    for (k, v) in &known {
        let shown = shown_known(k, v, reveal, hide);
        let from = if parsed.companion.iter().any(|(n, _)| n == *k) {
            "  (from .env)"
        } else {
            ""
        };
        out.push_str(&format!("{k:<width$} = {}{from}\n", fmt_value(&shown)));
    }
    let from_env: Vec<&str> = parsed
        .companion
        .iter()
        .filter(|(_, v)| *v == Value::Null)
        .map(|(n, _)| n.as_str())
        .collect();
    if !from_env.is_empty() {
        out.push_str(&format!(
            "\ntaken by the .env from the environment Meltano runs in (not shown): {}\n",
            from_env.join(", ")
        ));
    }
    if !loaded.unmapped.is_empty() {
        out.push_str(&format!(
            "\nread by {library}, with no equivalent in other libraries:\n"
        ));
        for (k, v) in &loaded.unmapped {
            let shown = shown_other(k, None, v, reveal, hide);
            out.push_str(&format!("  {k:<width$} = {}\n", fmt_value(&shown)));
        }
    }
    if !loaded.unknown.is_empty() {
        out.push_str(&format!("\nignored by {library}:\n"));
        let w = loaded
            .unknown
            .keys()
            .map(|k| k.chars().count())
            .max()
            .unwrap_or(0);
        for (k, v) in &loaded.unknown {
            let (hint, guess) = did_you_mean(lang, Some(parsed), k);
            let shown = shown_other(k, guess.as_deref(), v, reveal, hide);
            let line = parsed
                .entries
                .iter()
                .rev()
                .find(|e| &formats::entry_label(e) == k)
                .map(|e| src.line_col(e.key_span.start).0);
            out.push_str(&format!(
                "  {k:<w$} = {}{}{}\n",
                fmt_value(&shown),
                line.map(|l| format!("  (line {l})")).unwrap_or_default(),
                hint.map(|h| format!("  {h}")).unwrap_or_default()
            ));
        }
    }
    let problems: Vec<_> = parsed.problems.iter().collect();
    if !problems.is_empty() {
        out.push_str("\nnot read:\n");
        for p in problems {
            let (line, col) = src.line_col(p.span.start);
            out.push_str(&format!("  {}:{line}:{col}: {}\n", src.name(), p.message));
        }
    }
    out
}

/// The process environment as a lookup function.
fn process_env(name: &str) -> Option<String> {
    std::env::var_os(name).and_then(|v| v.into_string().ok())
}

/// `GOOGLE_ADS_*` variables of the process that no library reads.
fn unknown_env_vars() -> Vec<(String, String)> {
    let cat = Lang::Env.catalog();
    let mut v: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .filter(|(k, _)| k.starts_with("GOOGLE_ADS_") && cat.find(None, k).is_none())
        .collect();
    v.sort();
    v
}

pub fn show_default(lang: Lang, format: ShowFormat, reveal: bool) -> Result<i32> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    if lang == Lang::Env {
        return show_environment(format, reveal);
    }
    let d = discovery::default_config(lang, &process_env, &cwd);
    let mut out = String::new();
    let mut code = 0;
    let mut body = None;
    match &d.chosen {
        Some(p) => {
            let c = d.candidates.iter().find(|c| &c.path == p);
            let reason = c.map(|c| c.reason.as_str()).unwrap_or("");
            out.push_str(&format!("{} loads {}: {reason}\n", d.library, p.display()));
            body = Some(show_file(p, Some(lang), format, reveal)?);
        }
        None if d.candidates.is_empty() => {
            out.push_str(&format!("{}\n", d.when_missing));
        }
        None => {
            out.push_str(&format!("{} would look for:\n", d.library));
            for c in &d.candidates {
                out.push_str(&format!("  {}: {}\n", c.path.display(), c.reason));
            }
            out.push_str(&format!("none exists; {}\n", d.when_missing));
            if d.missing_is_error {
                code = 1;
            }
        }
    }
    if format != ShowFormat::Text {
        // Machine formats: the document on stdout, the explanation on stderr.
        for l in out.lines() {
            output::eprint_line(l);
        }
        if let Some(b) = body {
            output::print(&b);
        }
        return Ok(code);
    }
    if let Some(b) = body {
        out.push('\n');
        out.push_str(&b);
    }
    let unknown = unknown_env_vars();
    if !d.env.is_empty() || !unknown.is_empty() {
        out.push_str("\nenvironment:\n");
        if !d.precedence.is_empty() {
            out.push_str(&format!("  {}\n", d.precedence));
        }
        let w = d
            .env
            .iter()
            .map(|v| v.name.len())
            .chain(unknown.iter().map(|(k, _)| k.len()))
            .max()
            .unwrap_or(0);
        for v in &d.env {
            let shown = match &v.neutral {
                Some(n) => model::display_value(n, &Value::Str(v.value.clone()), reveal),
                None => Value::Str(v.value.clone()),
            };
            let tag = match v.effect {
                EnvEffect::Overrides => "overrides",
                EnvEffect::NotMerged => "not merged",
                EnvEffect::Ignored => "ignored",
            };
            out.push_str(&format!(
                "  {:<w$} = {}  [{tag}] {}\n",
                v.name,
                fmt_value(&shown),
                v.note
            ));
        }
        for (k, v) in &unknown {
            let names: Vec<&str> = Lang::Env
                .catalog()
                .keys
                .iter()
                .map(|k| k.key.as_str())
                .collect();
            let near = model::nearest(k, names);
            let hint = near
                .map(|n| format!("; did you mean {n}?"))
                .unwrap_or_default();
            let guess = near
                .and_then(|n| Lang::Env.catalog().find(None, n))
                .and_then(|k| k.neutral.as_deref());
            let shown = mask_unknown(k, guess, &Value::Str(v.clone()), reveal);
            out.push_str(&format!(
                "  {k:<w$} = {}  [ignored] no library reads it{hint}\n",
                fmt_value(&shown)
            ));
        }
    } else if process_env(discovery::PATH_VAR).is_some() {
        out.push_str(&format!(
            "\nno other GOOGLE_ADS_* variable is set in this environment ({} chose the file)\n",
            discovery::PATH_VAR
        ));
    } else {
        out.push_str("\nno GOOGLE_ADS_* variable is set in this environment\n");
    }
    output::print(&out);
    Ok(code)
}

/// `show --lang env`: the process's `GOOGLE_ADS_*` variables, read as the env target.
pub fn show_environment(format: ShowFormat, reveal: bool) -> Result<i32> {
    let cat = Lang::Env.catalog();
    let mut loaded = Loaded::default();
    for k in &cat.keys {
        let (Some(n), Some(v)) = (&k.neutral, process_env(&k.key)) else {
            continue;
        };
        if k.deprecated && loaded.known.contains_key(n) {
            continue;
        }
        loaded.known.insert(n.clone(), Value::Str(v));
    }
    for (k, v) in unknown_env_vars() {
        loaded.unknown.insert(k, Value::Str(v));
    }
    let text = match format {
        ShowFormat::Json => json_of(Lang::Env, None, &loaded, reveal, &Hide::new()),
        ShowFormat::Toml | ShowFormat::Text => {
            let settings = model::from_process_env()?;
            let mut parsed = Parsed::new(Lang::Env);
            let mut body = String::new();
            for (k, v) in settings.ordered() {
                if let Some(lk) = cat.for_neutral(k) {
                    body.push_str(&format!(
                        "export {}={}\n",
                        lk.key,
                        crate::formats::shell::single_quote(&crate::formats::env::value_text(v))
                    ));
                }
            }
            for (k, v) in &loaded.unknown {
                body.push_str(&format!(
                    "export {k}={}\n",
                    crate::formats::shell::single_quote(&v.to_text())
                ));
            }
            let src = Source::new(
                Some("<environment>".into()),
                body,
                crate::source::Encoding::Utf8,
            );
            parsed.entries = formats::format(Lang::Env).parse(&src).entries;
            let l = formats::to_loaded(&parsed);
            if format == ShowFormat::Toml {
                toml_of(&src, &parsed, reveal, &Hide::new())
            } else {
                text_of(&src, &parsed, &l, reveal, &Hide::new())
            }
        }
    };
    output::print(&text);
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_knows_other_libraries_and_typos() {
        let (h, n) = did_you_mean(Lang::Perl, None, "client_id");
        assert_eq!(n.as_deref(), Some("client_id"));
        assert!(h.unwrap().contains("`clientId`"));
        let (h, n) = did_you_mean(Lang::Perl, None, "clientSecert");
        assert_eq!(
            h.as_deref(),
            Some("did you mean `clientSecret`? it is the closest key")
        );
        assert_eq!(n.as_deref(), Some("client_secret"));
        assert_eq!(did_you_mean(Lang::Perl, None, "zzzzzzzzzz"), (None, None));
    }

    #[test]
    fn unknown_secret_values_are_masked() {
        let v = Value::Str("supersecret".into());
        assert_eq!(
            mask_unknown("clientSecert", Some("client_secret"), &v, false),
            Value::Str("supe…".into())
        );
        assert_eq!(
            mask_unknown("my_token", None, &v, false),
            Value::Str("supe…".into())
        );
        assert_eq!(mask_unknown("my_token", None, &v, true), v);
        assert_eq!(
            mask_unknown("prox", None, &Value::Str("http://u:pass@h".into()), false),
            Value::Str("http://u:…@h".into())
        );
        // Misspelt secret keys (edit distance 2) and secret-shaped values under any key.
        let tok = Value::Str("DEVTOKENSECRETVALUE1234".into());
        assert_eq!(
            mask_unknown("developer-tkn", None, &tok, false),
            Value::Str("DEVT…".into())
        );
        let rt = Value::Str("1//0gABCDEFGHIJKLMNOP".into());
        assert_eq!(
            mask_unknown("note", None, &rt, false),
            Value::Str("1//0…".into())
        );
        assert_eq!(
            mask_unknown(
                "http_prxy",
                None,
                &Value::Str("http://u:pw@h".into()),
                false
            ),
            Value::Str("http://u:…@h".into())
        );
    }
}
