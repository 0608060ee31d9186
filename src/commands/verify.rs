//! `adsconf verify [CONFIG]`: the doctor ([`crate::doctor`]): the proxy, the network path,
//! the access token, tokeninfo, `listAccessibleCustomers` and (with `--customer` or a
//! login-customer-id) the Cloud project's production access; the first failure with its cause
//! and fix (CONTRACT §3). Exit 0 when the credentials work, 1 when they do not, 2 for bad
//! input. `--report FILE` writes a redacted support bundle. Tokens are never printed.

use std::path::Path;
use std::time::Duration;

use crate::api;
use crate::cli::VerifyArgs;
use crate::doctor::{self, Options};
use crate::error::{Error, Result};
use crate::formats;
use crate::lang::Lang;
use crate::output;

pub fn run(args: VerifyArgs) -> Result<i32> {
    let (path, lang) = match args.config.clone() {
        Some(p) => (p, args.lang),
        None => default_config(args.lang)?,
    };
    if let Some(r) = &args.report {
        check_report_target(r)?;
    }
    let (src, parsed) = formats::load(&path, lang)?;
    if let Some(p) = parsed
        .problems
        .iter()
        .find(|p| p.kind == formats::ProblemKind::Syntax)
    {
        let (line, col) = src.line_col(p.span.start);
        return Err(Error::usage(format!(
            "{}:{line}:{col}: {}; the library cannot load this file, fix it first (`adsconf check {}`)",
            src.name(),
            p.message,
            src.name()
        )));
    }
    let settings = formats::to_settings(&parsed);
    let opts = Options {
        token_uri: args.token_uri.clone(),
        api_base: args
            .api_base
            .clone()
            .unwrap_or_else(|| api::DEFAULT_API_BASE.to_string()),
        api_version: args.api_version.clone(),
        customer: args.customer.clone(),
        timeout: Duration::from_secs(5),
    };
    let d = doctor::diagnose(&settings, &path, &src.text, parsed.lang.name(), &opts)?;
    output::print(&d.text());
    if let Some(r) = &args.report {
        let shown = crate::view::show_file(
            &path,
            Some(parsed.lang),
            crate::view::ShowFormat::Text,
            false,
        )
        .unwrap_or_else(|e| format!("(show failed: {})", e.message));
        let library = crate::rules::versions::detect(&path, parsed.lang)
            .map(|(v, m)| format!("{} {v} (pinned in {m})", parsed.lang.catalog().library));
        let text = doctor::bundle(
            &d,
            &doctor::BundleInfo {
                version: crate::cli::LONG_VERSION,
                config: &path,
                lang: parsed.lang.name(),
                library,
                shown: &shown,
                when: crate::oauth::creds::now(),
            },
        );
        crate::write::atomic_write(r, text.as_bytes())?;
        output::eprint_line(&format!(
            "wrote the support bundle {} (secrets masked)",
            r.display()
        ));
    }
    match d.failure() {
        Some(f) => Err(Error::refused(
            f.advice
                .clone()
                .unwrap_or_else(|| format!("{} failed", f.name)),
        )),
        None => Ok(0),
    }
}

/// `--report FILE` writes a new file, or replaces an earlier report; never another file.
fn check_report_target(path: &Path) -> Result<()> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(());
    }
    let head = crate::source::read_bytes(path)?;
    if head.starts_with(doctor::REPORT_MARKER.as_bytes()) {
        return Ok(());
    }
    Err(Error::usage(format!(
        "{} exists and is not an adsconf report; name a new file for --report",
        path.display()
    )))
}

/// Without CONFIG: the file the library would load by default (`--lang`), or the first
/// library default that exists, in CONTRACT order.
fn default_config(lang: Option<Lang>) -> Result<(std::path::PathBuf, Option<Lang>)> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let env = |k: &str| std::env::var(k).ok();
    let langs: Vec<Lang> = match lang {
        Some(l) => vec![l],
        None => vec![Lang::Java, Lang::Php, Lang::Python, Lang::Ruby, Lang::Perl],
    };
    let mut tried = Vec::new();
    for l in langs {
        let d = crate::discovery::default_config(l, &env, &cwd);
        if let Some(p) = d.chosen.filter(|p| p.is_file()) {
            output::eprint_line(&format!(
                "verifying {} (the file {} would load)",
                p.display(),
                d.library
            ));
            return Ok((p, Some(l)));
        }
        for c in d.candidates {
            let shown = c.path.display().to_string();
            if !tried.contains(&shown) {
                tried.push(shown);
            }
        }
    }
    Err(Error::usage(format!(
        "no config to verify: none of the default files exists ({}); name one, e.g. `adsconf verify google-ads.yaml`, or create one with `adsconf init`",
        if tried.is_empty() { "this library has no default file".to_string() } else { tried.join(", ") }
    )))
}
