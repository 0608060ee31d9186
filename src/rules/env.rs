//! The environment: `GOOGLE_ADS_*` variables that disagree with a file, and
//! `GOOGLE_ADS_CONFIGURATION_FILE_PATH` pointing somewhere unusable.

use std::collections::BTreeMap;
use std::path::Path;

use super::{DiagExt, FileCtx};
use crate::diag::{Diagnostic, Severity};
use crate::formats::{self, entry_label, Entry, Parsed};
use crate::lang::Lang;
use crate::model::{self, Value};
use crate::source::Source;

/// The variables adsconf looks at: every variable of the env catalogue.
pub fn relevant(name: &str) -> bool {
    Lang::Env.catalog().find(None, name).is_some()
}

/// The environment as a pseudo-file (`NAME=value` lines, sorted) so that the value rules
/// (ids, tokens, booleans, placeholders) apply to variables too.
pub fn env_source(env: &BTreeMap<String, String>) -> (Source, Parsed) {
    let mut text = String::new();
    let mut parsed = Parsed::new(Lang::Env);
    for (k, v) in env {
        if !relevant(k) || v.contains('\n') {
            continue;
        }
        let start = text.len();
        text.push_str(k);
        text.push('=');
        let vstart = text.len();
        text.push_str(v);
        let vend = text.len();
        text.push('\n');
        parsed.entries.push(Entry {
            section: None,
            key: k.clone(),
            value: Value::Str(v.clone()),
            raw: v.clone(),
            key_span: start..start + k.len(),
            value_span: vstart..vend,
            entry_span: start..text.len(),
        });
    }
    (
        Source::new(None, text, crate::source::Encoding::Utf8),
        parsed,
    )
}

/// Which library catalogue a variable applies to.
fn applies(var: &str, lang: Lang) -> bool {
    Lang::Env
        .catalog()
        .find(None, var)
        .is_some_and(|k| k.libs.iter().any(|l| l == lang.info().catalog))
}

/// How each library combines the environment with its file.
pub fn precedence(lang: Lang) -> &'static str {
    match lang {
        Lang::Python => "google-ads-python's load_from_storage() uses the file and ignores the variable; load_from_env() uses the variable",
        Lang::Java => "google-ads-java uses whichever of fromPropertiesFile() and fromEnvironment() runs last",
        Lang::Php => "google-ads-php's fromEnvironmentVariables() lets the variable win",
        Lang::Ruby => "google-ads-ruby lets the variable win once load_environment_config runs",
        Lang::Perl => "google-ads-perl lets the variable win once configure_from_environment_variables() runs",
        _ => "google-ads-dotnet lets the variable win once LoadFromEnvironmentVariables() runs",
    }
}

pub fn check_file(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    interpolations(ctx, out);
    if matches!(ctx.lang(), Lang::Env | Lang::Curl) || ctx.env.is_empty() {
        return;
    }
    let env_cat = Lang::Env.catalog();
    for (var, val) in ctx.env {
        let Some(k) = env_cat.find(None, var) else {
            continue;
        };
        let Some(n) = k.neutral.as_deref() else {
            continue;
        };
        if k.deprecated || !applies(var, ctx.lang()) {
            continue;
        }
        let Some(e) = ctx.find_neutral(n) else {
            continue;
        };
        let reads = ctx
            .catalog_key(e)
            .map(|k| k.reads.as_str())
            .unwrap_or("string");
        let file_v = model::normalize(n, &e.value, reads);
        let env_v = model::normalize(n, &Value::Str(val.clone()), &k.reads);
        if file_v == env_v {
            continue;
        }
        let message = if crate::schema::is_secret(n) {
            format!(
                "`{}` here differs from {var} (secret values not shown); {}",
                entry_label(e),
                precedence(ctx.lang())
            )
        } else {
            format!(
                "`{}` is '{}' here but {var} is '{val}'; {}",
                entry_label(e),
                e.value.to_text(),
                precedence(ctx.lang())
            )
        };
        out.push(
            ctx.diag("env-override", e.value_span.clone(), message)
                .help(format!("make both agree, or `unset {var}`")),
        );
    }
}

/// Findings on the environment itself (`path` is the pseudo-file's name).
pub fn check_env(
    env: &BTreeMap<String, String>,
    src: &Source,
    parsed: &Parsed,
    path: &str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(e) = parsed
        .entries
        .iter()
        .find(|e| e.key == "GOOGLE_ADS_CONFIGURATION_FILE_PATH")
    else {
        return out;
    };
    let _ = src;
    let Some(p) = env.get("GOOGLE_ADS_CONFIGURATION_FILE_PATH") else {
        return out;
    };
    let path_ref = Path::new(p);
    let d = |msg: String| super::diag("env-override", path, e.value_span.clone(), msg);
    if p.contains("://") {
        out.push(
            d(format!("GOOGLE_ADS_CONFIGURATION_FILE_PATH is a URL ({p}); the libraries read a local file path"))
                .severity(Severity::Error)
                .judged(super::Judge::Loader)
                .help("download the file and give its absolute path"),
        );
        return out;
    }
    if !path_ref.exists() {
        out.push(
            d(format!("GOOGLE_ADS_CONFIGURATION_FILE_PATH points at {p}, which does not exist; the libraries that read it fail to load their configuration (google-ads-perl silently ignores it)"))
                .severity(Severity::Error)
                .judged(super::Judge::Loader)
                .help("set it to the absolute path of your config file, or unset it"),
        );
        return out;
    }
    if path_ref.is_relative() {
        out.push(
            d(format!("GOOGLE_ADS_CONFIGURATION_FILE_PATH is a relative path ({p}); it is resolved against each program's working directory"))
                .help("use an absolute path"),
        );
    }
    if let Some(lang) = formats::detect(path_ref, None) {
        out.push(
            d(format!(
                "GOOGLE_ADS_CONFIGURATION_FILE_PATH replaces the default file of every library, but {p} is a {} file; the other libraries cannot parse it",
                lang.name()
            ))
            .severity(Severity::Info)
            .help("set the variable only in the environment of the program that uses this library"),
        );
    }
    out
}

/// `env-interpolation`: a PHP value that reads `${VAR}` from the environment.
fn interpolations(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    for e in &ctx.parsed.entries {
        let vars = formats::env_reads(ctx.lang(), e);
        if vars.is_empty() {
            continue;
        }
        let names = vars
            .iter()
            .map(|v| format!("${{{v}}}"))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(
            ctx.diag(
                "env-interpolation",
                e.value_span.clone(),
                format!(
                    "`{}` is taken from the environment ({names}) when google-ads-php reads the file: its value depends on the environment of the PHP process",
                    entry_label(e)
                ),
            )
            .help(format!(
                "make sure {} set wherever the PHP program runs, or write the value itself",
                if vars.len() == 1 { format!("{} is", vars[0]) } else { format!("{} are", vars.join(", ")) }
            )),
        );
    }
}
