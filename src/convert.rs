//! Convert settings: load them from any source (an `adsconf.toml`, any supported library
//! config, the environment), merge several, and render them for any target with notes on
//! what the target cannot express. Behind `generate`, `init` and conversions between libraries.

use std::path::Path;

use crate::error::{Error, Result};
use crate::formats;
use crate::lang::Lang;
use crate::model::{self, Settings};

/// Load one `--from` source: `env`, an `adsconf.toml`, or any supported library config.
/// Returns the settings and notes about what the source holds that the model cannot.
pub fn load_source(src: &str, from_lang: Option<Lang>) -> Result<(Settings, Vec<String>)> {
    load_source_with(src, from_lang, false)
}

/// [`load_source`]; with `reveal`, values a PHP file takes from the environment (`${VAR}`)
/// are kept as adsconf's environment gives them, else they are left out with a note (they
/// would copy whatever this process's environment holds, secrets included, into the output).
pub fn load_source_with(
    src: &str,
    from_lang: Option<Lang>,
    reveal: bool,
) -> Result<(Settings, Vec<String>)> {
    if src == "env" {
        return Ok((model::from_process_env()?, Vec::new()));
    }
    let path = Path::new(src);
    if from_lang.is_none() && path.extension().is_some_and(|e| e == "toml") {
        return Ok((model::load_toml(path)?, Vec::new()));
    }
    let (source, parsed) = formats::load(path, from_lang)?;
    if let Some(p) = parsed
        .problems
        .iter()
        .find(|p| p.kind == formats::ProblemKind::Syntax)
    {
        let (line, col) = source.line_col(p.span.start);
        return Err(Error::usage(format!(
            "{}:{line}:{col}: {} — {} would refuse this file; fix it first (`adsconf check {}` says more)",
            source.name(),
            p.message,
            parsed.lang.info().reader,
            source.name()
        )));
    }
    let mut notes = Vec::new();
    let loaded = formats::to_loaded(&parsed);
    for k in loaded.unmapped.keys() {
        notes.push(format!(
            "{}: `{k}` has no equivalent in other libraries; not converted",
            source.name()
        ));
    }
    for p in parsed
        .problems
        .iter()
        .filter(|p| p.kind == formats::ProblemKind::NotStatic)
    {
        let (line, _) = source.line_col(p.span.start);
        notes.push(format!(
            "{}:{line}: {}; not converted",
            source.name(),
            p.message
        ));
    }
    let mut settings = formats::to_settings(&parsed);
    if !reveal {
        for (name, vars) in formats::env_fed(&parsed) {
            if settings.values.remove(&name).is_some() {
                notes.push(format!(
                    "{}: `{name}` is taken from the environment ({}) when the file is read; left out (--reveal writes the value adsconf's environment gives it)",
                    source.name(),
                    vars.iter().map(|v| format!("${{{v}}}")).collect::<Vec<_>>().join(", ")
                ));
            }
        }
    }
    Ok((settings, notes))
}

/// Merge every `--from` source left to right (later wins). Without any: `./adsconf.toml`
/// if it exists, else the environment.
pub fn load_sources(from: &[String], from_lang: Option<Lang>) -> Result<(Settings, Vec<String>)> {
    load_sources_with(from, from_lang, false)
}

/// [`load_sources`] with [`load_source_with`]'s `reveal`.
pub fn load_sources_with(
    from: &[String],
    from_lang: Option<Lang>,
    reveal: bool,
) -> Result<(Settings, Vec<String>)> {
    let default;
    let sources: &[String] = if from.is_empty() {
        default = vec![if Path::new("adsconf.toml").exists() {
            "adsconf.toml".to_string()
        } else {
            "env".to_string()
        }];
        &default
    } else {
        from
    };
    let mut settings = Settings::default();
    let mut notes = Vec::new();
    for s in sources {
        let (one, n) = load_source_with(s, from_lang, reveal)?;
        settings.merge(one);
        notes.extend(n);
    }
    Ok((settings, notes))
}

/// Render `settings` for `lang`; the notes name keys the target cannot express.
pub fn generate(lang: Lang, settings: &Settings) -> Result<(String, Vec<String>)> {
    settings.check_no_newlines()?;
    settings.check_single_auth_mode()?;
    let fmt = formats::format(lang);
    let mut notes = Vec::new();
    let mut dropped = Vec::new();
    for (k, v) in settings.ordered() {
        if !fmt.expressible(k) {
            dropped.push(k);
            continue;
        }
        if let Some(reason) = fmt.cannot_carry(k, v) {
            return Err(Error::usage(format!(
                "cannot write `{k}` for {lang}: {reason}"
            )));
        }
    }
    if lang == Lang::Curl
        && dropped.iter().any(|k| {
            matches!(
                *k,
                "json_key_file_path" | "impersonated_email" | "use_application_default_credentials"
            )
        })
    {
        notes.push(
            "plain curl cannot sign a service-account JWT or use Application Default Credentials: \
             run the script with ACCESS_TOKEN set (e.g. ACCESS_TOKEN=$(gcloud auth print-access-token))"
                .into(),
        );
    }
    if !dropped.is_empty() {
        notes.push(format!(
            "{lang} cannot express {}; {} left out",
            dropped
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", "),
            if dropped.len() == 1 {
                "it is"
            } else {
                "they are"
            }
        ));
    }
    Ok((fmt.render(settings)?, notes))
}
