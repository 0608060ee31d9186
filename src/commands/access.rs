//! `adsconf access`: which login-customer-id to use, with which role (CONTRACT §3, §4).

use std::path::Path;

use crate::access::{live, model, render, resolve, Hierarchy, User};
use crate::api::{self, Endpoints, DEFAULT_API_BASE};
use crate::cli::{AccessArgs, AccessFormat};
use crate::error::{Error, Result};
use crate::oauth::creds;
use crate::output;

pub fn run(args: AccessArgs) -> Result<i32> {
    let h = match (&args.hierarchy, args.live) {
        (Some(path), _) => model::load_hierarchy(path)?,
        (None, true) => live_hierarchy(&args)?,
        (None, false) => {
            return Err(Error::usage(
                "give --hierarchy H (a hierarchy file) or --live (build it from the API)",
            ))
        }
    };
    if args.hierarchy.is_some() && (args.token_uri.is_some() || args.api_base.is_some()) {
        output::eprint_line("note: --token-uri and --api-base are used only with --live");
    }
    show(&h, &args)
}

fn show(h: &Hierarchy, args: &AccessArgs) -> Result<i32> {
    let users: Vec<&User> = match &args.user {
        Some(u) => vec![h.find_user(u)?],
        None => h.users.iter().collect(),
    };
    if let (Some(c), Some(u)) = (&args.customer, users.first()) {
        let cust = h.find_account(c)?.id.clone();
        let opts = resolve::options(h, u, &cust);
        match args.format {
            AccessFormat::Json => {
                output::print(&format!("{}\n", render::options_json(u, &cust, &opts)));
                if opts.is_empty() {
                    output::eprint_line(&resolve::explain_unreachable(h, u, &cust));
                }
            }
            AccessFormat::Text => {
                if opts.is_empty() {
                    output::print(&format!("{}\n", resolve::explain_unreachable(h, u, &cust)));
                } else {
                    output::print(&render::options_text(h, u, &cust, &opts));
                }
            }
            AccessFormat::Dot | AccessFormat::Mermaid => {
                return Err(Error::usage(
                    "--customer answers with text or json; drop --customer to draw the hierarchy",
                ))
            }
        }
        return Ok(if opts.is_empty() { 1 } else { 0 });
    }
    let out = match args.format {
        AccessFormat::Text => {
            if users.is_empty() {
                "The hierarchy lists no users; add [[user]] entries with their direct access.\n"
                    .to_string()
            } else {
                render::text(h, &users)
            }
        }
        AccessFormat::Json => format!("{}\n", render::json(h, &users)),
        AccessFormat::Dot => render::dot(h, &users),
        AccessFormat::Mermaid => render::mermaid(h, &users),
    };
    output::print(&out);
    Ok(0)
}

/// The config's settings for `--live`: `--config`, else `GOOGLE_ADS_CONFIGURATION_FILE_PATH`,
/// else the `GOOGLE_ADS_*` environment variables.
fn live_settings(config: Option<&Path>) -> Result<(crate::model::Settings, String)> {
    let path = config.map(Path::to_path_buf).or_else(|| {
        std::env::var_os("GOOGLE_ADS_CONFIGURATION_FILE_PATH")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
    });
    match path {
        Some(p) => {
            let is_neutral = p.extension().is_some_and(|e| e == "toml");
            let settings = if is_neutral {
                crate::model::load_toml(&p)?
            } else {
                let (_, parsed) = crate::formats::load(&p, None)?;
                if let Some(problem) = parsed.problems.first() {
                    if parsed.is_fatal() {
                        return Err(Error::usage(format!(
                            "{}: the library could not read this file: {}",
                            p.display(),
                            problem.message
                        )));
                    }
                }
                crate::formats::to_settings(&parsed)
            };
            Ok((settings, p.display().to_string()))
        }
        None => {
            let s = crate::model::from_process_env()?;
            if s.is_empty() {
                return Err(Error::usage(
                    "--live needs credentials: pass --config CONFIG (a library config or adsconf.toml) or set the GOOGLE_ADS_* environment variables",
                ));
            }
            Ok((s, "the environment".to_string()))
        }
    }
}

fn live_hierarchy(args: &AccessArgs) -> Result<Hierarchy> {
    if let Some(save) = &args.save {
        if save.exists() && !args.write.yes {
            return Err(Error::refused(format!(
                "{} already exists; pass --yes to overwrite it",
                save.display()
            )));
        }
    }
    let (settings, origin) = live_settings(args.config.as_deref())?;
    let config_dir = args
        .config
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let creds = creds::credentials(&settings, &origin, &config_dir)?;
    crate::net::use_config_proxy(&settings)?;
    // Plain http only to loopback, for every URL, before anything is sent.
    if let Some(t) = &args.token_uri {
        api::check_url(t, "token endpoint")?;
    }
    let api_base = args
        .api_base
        .clone()
        .unwrap_or_else(|| DEFAULT_API_BASE.to_string());
    api::check_url(&api_base, "API base URL")?;
    let token = creds::access_token(&creds, args.token_uri.as_deref(), &origin)?;
    let ep = Endpoints {
        token_uri: token.token_uri.clone(),
        api_base,
        api_version: args.api_version.clone(),
    };
    let h = live::fetch(
        &ep,
        token.token,
        creds::nonempty(&settings, "developer_token"),
    )?;
    output::eprint_line(&format!(
        "note: user `{}` is {} from {origin}; its direct accounts come from listAccessibleCustomers. Its role is `admin` where the account's users could be read (only admins may), else shown as `standard` (the API does not tell standard, read-only and email-only apart) — correct the roles in the saved file if they differ.",
        live::LIVE_USER,
        token.who
    ));
    if let Some(save) = &args.save {
        let header = format!(
            "Account hierarchy built by `adsconf access --live` from {origin}.\nRoles of `{}`: \"admin\" where the account's users could be read (admins only), else recorded as \"standard\"; correct them.",
            live::LIVE_USER
        );
        crate::write::atomic_write(save, model::to_toml(&h, &header).as_bytes())?;
        output::eprint_line(&format!("wrote {}", save.display()));
    }
    Ok(h)
}
