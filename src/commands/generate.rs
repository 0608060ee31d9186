//! `adsconf generate LANG`: render the merged settings for one target (CONTRACT §3).

use std::path::Path;

use crate::cli::GenerateArgs;
use crate::error::{Error, Result};
use crate::formats;
use crate::lang::Lang;
use crate::model::{self, Settings};
use crate::output;

/// Load one `--from` source: `env`, an `adsconf.toml`, or any supported library config.
/// Returns the settings and notes about what the source holds that the model cannot.
pub fn load_source(src: &str, from_lang: Option<Lang>) -> Result<(Settings, Vec<String>)> {
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
    Ok((formats::to_settings(&parsed), notes))
}

/// Merge every `--from` source left to right (later wins). Without any: `./adsconf.toml`
/// if it exists, else the environment.
pub fn load_sources(from: &[String], from_lang: Option<Lang>) -> Result<(Settings, Vec<String>)> {
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
        let (one, n) = load_source(s, from_lang)?;
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

pub fn run(args: GenerateArgs) -> Result<i32> {
    let (settings, mut notes) = load_sources(&args.from, args.from_lang)?;
    let (text, more) = generate(args.lang, &settings)?;
    notes.extend(more);
    for n in &notes {
        output::eprint_line(&format!("note: {n}"));
    }
    let Some(path) = args.output else {
        output::print(&text);
        return Ok(0);
    };
    write_output(
        &path,
        args.lang,
        &settings,
        &text,
        args.replace,
        &args.write,
    )
}

/// `generate -o FILE` (CONTRACT §3). A new FILE is written with mode 0600. An existing
/// config of the same library is updated in place: every setting of the model is set in it
/// (its comments, order and other keys survive), through the same diff / confirm / `--yes`
/// / `--dry-run` flow as `set`. `--replace` replaces it with the rendered template instead.
/// A file of another format is refused unless `--replace`.
pub fn write_output(
    path: &Path,
    lang: Lang,
    settings: &Settings,
    rendered: &str,
    replace: bool,
    opts: &crate::write::WriteOpts,
) -> Result<i32> {
    use crate::commands::set::{edited_text, Assign};
    use crate::write::{self, Change};
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
                new_text: rendered,
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
