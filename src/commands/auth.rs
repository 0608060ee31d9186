//! `adsconf auth`: Google's OAuth 2.0 flow for the adwords scope, to a refresh token
//! (CONTRACT §3; oauth.md §9). The flow is [`crate::oauth::flow`]; the token is printed, or
//! written with the change-settings service into each `--write` config.

use std::path::Path;

use crate::cli::AuthArgs;
use crate::error::{Error, Result};
use crate::oauth::flow::{Flow, FlowOptions};
use crate::oauth::secrets::{self, ClientSecrets};
use crate::output;
use crate::write::WriteOpts;

/// Check the `--write` targets before the browser step, so the flow is not wasted.
fn precheck_writes(args: &AuthArgs) -> Result<()> {
    if args.write.is_empty() {
        return Ok(());
    }
    if !args.yes && !args.dry_run && !output::stdin_is_terminal() {
        return Err(Error::usage(
            "--write needs --yes when stdin is not a terminal (adsconf cannot ask for confirmation); add --yes, or --dry-run to see the diff only",
        ));
    }
    for path in &args.write {
        let (src, parsed) = crate::formats::load(path, None)?;
        if let Some(p) = parsed
            .problems
            .iter()
            .find(|p| p.kind == crate::formats::ProblemKind::Syntax)
        {
            let (line, col) = src.line_col(p.span.start);
            return Err(Error::usage(format!(
                "{}:{line}:{col}: {}; fix the file before running `adsconf auth --write`",
                src.name(),
                p.message
            )));
        }
        for key in ["client_id", "client_secret", "refresh_token"] {
            crate::change::resolve_key(parsed.lang, key)?;
        }
    }
    Ok(())
}

pub fn run(args: AuthArgs) -> Result<i32> {
    let file = args.client_secrets.display().to_string();
    let secrets = secrets::load(&args.client_secrets)?;
    precheck_writes(&args)?;
    let minted = crate::oauth::flow::obtain(
        &secrets,
        &file,
        &FlowOptions {
            flow: args.flow.unwrap_or(Flow::of(secrets.kind)),
            port: args.port,
            timeout: args.timeout,
            no_browser: args.no_browser,
            scope: args.scope.clone(),
        },
    )?;
    let refresh_token = minted.refresh_token.clone();
    if args.adc {
        let env = |k: &str| std::env::var(k).ok();
        let loc = crate::oauth::adc::write_authorized_user(
            &env,
            &secrets.client_id,
            &secrets.client_secret,
            &refresh_token,
            args.yes,
        )?;
        let stamp =
            crate::oauth::minted::Stamp::new(&refresh_token, minted.minted, minted.expires_in);
        crate::write::atomic_write(
            &crate::oauth::minted::sidecar(&loc.path),
            format!("{}\n", stamp.text()).as_bytes(),
        )?;
        output::eprint_line(&format!(
            "wrote the Application Default Credentials {} ({}, mode 0600, scope adwords)",
            loc.path.display(),
            loc.source
        ));
        if args.write.is_empty() {
            return Ok(0);
        }
    }
    if args.write.is_empty() {
        output::print(&format!("Your refresh token is: {refresh_token}\n"));
        output::eprint_line(
            "Put it in your configuration with client_id and client_secret from the same client file (or rerun with --write CONFIG).",
        );
        return Ok(0);
    }
    write_configs(
        &args.write,
        &secrets,
        &refresh_token,
        WriteOpts {
            yes: args.yes,
            dry_run: args.dry_run,
            force: args.force,
            ..WriteOpts::default()
        },
    )
}

/// Set the three credentials in every config; carry on past a failure and say which
/// configs did not get the token.
fn write_configs(
    paths: &[std::path::PathBuf],
    secrets: &ClientSecrets,
    refresh_token: &str,
    opts: WriteOpts,
) -> Result<i32> {
    let values = [
        ("client_id".to_string(), secrets.client_id.clone()),
        ("client_secret".to_string(), secrets.client_secret.clone()),
        ("refresh_token".to_string(), refresh_token.to_string()),
    ];
    let mut code = 0;
    let mut missed: Vec<&Path> = Vec::new();
    for path in paths {
        match crate::change::set_values(path, None, &values, &opts) {
            Ok(c) => {
                if c != 0 {
                    missed.push(path);
                }
                code = code.max(c);
            }
            Err(e) => {
                output::eprint_line(&format!("error: {}", e.message));
                missed.push(path);
                code = code.max(e.code());
            }
        }
    }
    if !missed.is_empty() && !opts.dry_run {
        output::eprint_line(&format!(
            "the refresh token was not written to {}; run `adsconf auth` again to write it there",
            missed
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(code)
}
