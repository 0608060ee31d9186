//! `adsconf verify [CONFIG]`: refresh an access token from the config's credentials and call
//! `customers:listAccessibleCustomers`; report the customer ids, or the likely cause and fix
//! (CONTRACT §3). Exit 0 when the credentials work, 1 when they do not, 2 for bad input.
//! Tokens are never printed, not even inside echoed error bodies.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::api;
use crate::cli::VerifyArgs;
use crate::error::{Error, Result};
use crate::formats;
use crate::mask::mask_message;
use crate::oauth::creds::{self, nonempty};
use crate::output;

pub fn run(args: VerifyArgs) -> Result<i32> {
    let (path, lang) = match args.config.clone() {
        Some(p) => (p, args.lang),
        None => default_config(args.lang)?,
    };
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
    let name = src.name().to_string();
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let cred = creds::credentials(&settings, &name, &dir)?;
    api::check_api_version(&args.api_version)?;
    let api_base = args
        .api_base
        .clone()
        .unwrap_or_else(|| api::DEFAULT_API_BASE.to_string());
    api::check_url(&api_base, "--api-base")?;
    if let Some(t) = &args.token_uri {
        api::check_url(t, "--token-uri")?;
    }
    let developer_token = nonempty(&settings, "developer_token");
    let mut secrets: Vec<String> = ["client_secret", "refresh_token", "developer_token"]
        .iter()
        .filter_map(|k| nonempty(&settings, k))
        .collect();

    // 1. The access token.
    let at = creds::access_token(&cred, args.token_uri.as_deref(), &name)?;
    secrets.extend(at.secrets.iter().cloned());
    let (what, token_uri) = (at.who.clone(), at.token_uri.clone());
    let access = at.token.clone();
    secrets.push(access.clone());
    secrets.retain(|s| s.chars().count() >= 4);
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut report = format!(
        "{name} ({}): {what}\ntoken: OK (access token from {token_uri})\n",
        parsed.lang
    );

    // 2. The API call.
    let agent = api::agent(Duration::from_secs(30));
    let (url, reply) = api::list_accessible_customers(
        &agent,
        &api_base,
        &args.api_version,
        &access,
        developer_token.as_deref(),
    )?;
    if !(200..300).contains(&reply.status) {
        output::print(&mask_message(&report, &secrets));
        return Err(Error::refused(creds::explain_api_failure(
            &url, &reply, &secrets,
        )));
    }
    let ids = api::accessible_customer_ids(&reply);
    let shown = 20;
    let list = if ids.len() > shown {
        format!(
            "{}, … ({} more)",
            ids[..shown].join(", "),
            ids.len() - shown
        )
    } else {
        ids.join(", ")
    };
    report.push_str(&format!(
        "API {}: OK, {} accessible customer{}{}{}\n",
        args.api_version.trim(),
        ids.len(),
        if ids.len() == 1 { "" } else { "s" },
        if ids.is_empty() { "" } else { ": " },
        list
    ));
    if developer_token.is_none() {
        report.push_str("note: no developer_token is set (not needed since the 2026 sunset for google-ads-python >= 32; older libraries still require one)\n");
    }
    if let Some(login) = nonempty(&settings, "login_customer_id") {
        let digits: String = login.chars().filter(char::is_ascii_digit).collect();
        if !ids.is_empty() && !ids.contains(&digits) {
            report.push_str(&format!(
                "note: login_customer_id {login} is not among the directly accessible customers; calls through it will fail unless it is reachable another way (see `adsconf access`)\n"
            ));
        }
    }
    output::print(&mask_message(&report, &secrets));
    Ok(0)
}

/// Without CONFIG: the file the library would load by default (`--lang`), or the first
/// library default that exists, in CONTRACT order.
fn default_config(
    lang: Option<crate::lang::Lang>,
) -> Result<(std::path::PathBuf, Option<crate::lang::Lang>)> {
    use crate::lang::Lang;
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
        tried.extend(d.candidates.iter().map(|c| c.path.display().to_string()));
    }
    Err(Error::usage(format!(
        "no config to verify: none of the default files exists ({}); name one, e.g. `adsconf verify google-ads.yaml`",
        if tried.is_empty() { "this library has no default file".to_string() } else { tried.join(", ") }
    )))
}
