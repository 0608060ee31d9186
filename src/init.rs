//! `adsconf init`: from nothing to a working, verified config in one run (issue #15).
//!
//! 1. Which library: `--lang`, else the project's manifests ([`crate::rules::versions::libraries_in`]),
//!    asked when there are several or none.
//! 2. Which credentials: `--client-secrets`, `--key-file`, `--adc`, else the
//!    `client_secret*.json` files of the project and `~/Downloads`, judged
//!    ([`crate::oauth::client_files`]).
//! 3. The refresh token through the same flow as `auth` ([`crate::oauth::flow`]).
//! 4. The accounts: the live hierarchy ([`crate::access::live`]), which customer the code
//!    works on (`--customer` or asked), and the login-customer-id to use, with why.
//! 5. The config, through the change-settings service (new file 0600; an existing one updated
//!    in place after a diff and consent), with the record of when the token was minted.
//! 6. `verify` on what was written ([`crate::doctor`]).
//!
//! Every question has a flag; without a terminal a missing answer is an error naming it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::access::{live, resolve, Hierarchy};
use crate::api::{self, Endpoints};
use crate::doctor;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::oauth::client_files::{self, Verdict};
use crate::oauth::creds::{self, Credentials};
use crate::oauth::flow::{self, Flow, FlowOptions};
use crate::oauth::{minted, secrets, token};
use crate::output;
use crate::write::WriteOpts;

/// The answers given as flags.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    pub lang: Option<Lang>,
    pub client_secrets: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
    pub adc: bool,
    pub customer: Option<String>,
    pub login_customer_id: Option<String>,
    pub output: Option<PathBuf>,
    pub yes: bool,
    pub no_browser: bool,
    pub timeout: u64,
    pub api_base: Option<String>,
    pub api_version: String,
}

/// How questions are asked (a seam for tests; [`Terminal`] on a real terminal).
pub trait Ask {
    /// Is there someone to ask?
    fn interactive(&self) -> bool;
    /// Pick one of `items`; returns its index.
    fn select(&self, prompt: &str, items: &[String], default: usize) -> Result<usize>;
    /// A line of text.
    fn input(&self, prompt: &str) -> Result<String>;
}

/// Prompts on the terminal (dialoguer, drawn on stderr); only when stdin and stderr are
/// terminals.
pub struct Terminal;

impl Ask for Terminal {
    fn interactive(&self) -> bool {
        use std::io::IsTerminal;
        std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
    }

    fn select(&self, prompt: &str, items: &[String], default: usize) -> Result<usize> {
        dialoguer::Select::new()
            .with_prompt(prompt)
            .items(items)
            .default(default.min(items.len().saturating_sub(1)))
            .interact()
            .map_err(|e| Error::usage(format!("no answer to \"{prompt}\": {e}")))
    }

    fn input(&self, prompt: &str) -> Result<String> {
        dialoguer::Input::<String>::new()
            .with_prompt(prompt)
            .interact_text()
            .map_err(|e| Error::usage(format!("no answer to \"{prompt}\": {e}")))
    }
}

/// The error when a question cannot be asked.
fn cannot_ask(what: &str, flag: &str) -> Error {
    Error::usage(format!(
        "not on a terminal, so adsconf cannot ask {what}; pass {flag}"
    ))
}

/// The library the config is for, and how it was chosen.
pub fn choose_lang(o: &InitOptions, dir: &Path, ask: &dyn Ask) -> Result<(Lang, String)> {
    if let Some(l) = o.lang {
        return Ok((l, "--lang".into()));
    }
    let found = crate::rules::versions::libraries_in(dir);
    let describe = |(l, v, m): &(Lang, Option<crate::rules::versions::Version>, String)| {
        format!(
            "{} ({}{}, named in {m})",
            l.name(),
            l.catalog().library,
            v.map(|v| format!(" {v}")).unwrap_or_default()
        )
    };
    if found.len() == 1 {
        let l = found[0].0;
        let l = if l == Lang::Dotnet && dir.join("appsettings.json").is_file() {
            Lang::DotnetJson
        } else {
            l
        };
        return Ok((l, format!("found in the project: {}", describe(&found[0]))));
    }
    let choices: Vec<Lang> = if found.is_empty() {
        vec![
            Lang::Python,
            Lang::Java,
            Lang::Php,
            Lang::Ruby,
            Lang::Dotnet,
            Lang::DotnetJson,
            Lang::Perl,
        ]
    } else {
        found.iter().map(|f| f.0).collect()
    };
    if !ask.interactive() {
        let why = if found.is_empty() {
            "which client library the code uses (no manifest in this directory names one)"
                .to_string()
        } else {
            format!(
                "which of the libraries the project uses to configure ({})",
                found.iter().map(describe).collect::<Vec<_>>().join("; ")
            )
        };
        return Err(cannot_ask(&why, "--lang LANG"));
    }
    let items: Vec<String> = choices
        .iter()
        .map(|l| format!("{} ({})", l.name(), l.catalog().library))
        .collect();
    let i = ask.select("Which client library will read the config?", &items, 0)?;
    Ok((choices[i], "chosen".into()))
}

/// Where the credentials come from.
#[derive(Debug, Clone)]
pub enum Source {
    Client(PathBuf, secrets::ClientSecrets),
    KeyFile(PathBuf),
    Adc,
}

/// The credentials to use: the flag, else the client files found (judged), else asked.
pub fn choose_source(o: &InitOptions, dir: &Path, ask: &dyn Ask) -> Result<Source> {
    if let Some(p) = &o.client_secrets {
        return match client_files::judge(p) {
            Verdict::Ready(s) => Ok(Source::Client(p.clone(), s)),
            Verdict::Caveat(s, note) => {
                output::eprint_line(&format!("note: {}: {note}", p.display()));
                Ok(Source::Client(p.clone(), s))
            }
            Verdict::Unusable(why) => Err(Error::usage(format!("{}: {why}", p.display()))),
        };
    }
    if let Some(k) = &o.key_file {
        crate::oauth::jwt::load_key(k)?;
        return Ok(Source::KeyFile(k.clone()));
    }
    if o.adc {
        return Ok(Source::Adc);
    }
    let env = |k: &str| std::env::var(k).ok();
    let found = client_files::discover(&client_files::search_dirs(dir, &env));
    for f in found.iter().filter(|f| f.usable().is_none()) {
        output::eprint_line(&format!("note: skipped {}", f.summary()));
    }
    let usable: Vec<&client_files::Found> = found.iter().filter(|f| f.usable().is_some()).collect();
    match usable.len() {
        1 if !ask.interactive() || o.yes => {
            let f = usable[0];
            output::eprint_line(&format!("using {}", f.summary()));
            let s = f.usable().cloned().ok_or_else(|| Error::usage("no client"))?;
            Ok(Source::Client(f.path.clone(), s))
        }
        0 if !ask.interactive() => Err(Error::usage(
            "no OAuth client file (client_secret*.json) in this directory or ~/Downloads, and not on a terminal to ask; download a Desktop app client from the Cloud console (APIs & Services > Credentials) and pass --client-secrets FILE, or pass --key-file FILE (service account) or --adc",
        )),
        _ if !ask.interactive() => Err(cannot_ask(
            &format!(
                "which OAuth client file to use ({})",
                usable
                    .iter()
                    .map(|f| f.path.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "--client-secrets FILE",
        )),
        _ => {
            let mut items: Vec<String> = usable.iter().map(|f| f.summary()).collect();
            items.push("another OAuth client file (type its path)".into());
            items.push("a service-account key file (type its path)".into());
            items.push("Application Default Credentials (ADC)".into());
            let i = ask.select("Which credentials should the library use?", &items, 0)?;
            let n = usable.len();
            if i < n {
                let f = usable[i];
                let s = f.usable().cloned().ok_or_else(|| Error::usage("no client"))?;
                return Ok(Source::Client(f.path.clone(), s));
            }
            match i - n {
                0 => {
                    let p = PathBuf::from(ask.input("Path of the client secrets JSON")?.trim());
                    choose_source(
                        &InitOptions {
                            client_secrets: Some(p),
                            ..o.clone()
                        },
                        dir,
                        ask,
                    )
                }
                1 => {
                    let p = PathBuf::from(ask.input("Path of the service-account key JSON")?.trim());
                    crate::oauth::jwt::load_key(&p)?;
                    Ok(Source::KeyFile(p))
                }
                _ => Ok(Source::Adc),
            }
        }
    }
}

/// What the credentials step produced.
pub struct Obtained {
    /// Neutral settings to write (credentials only).
    pub settings: Settings,
    pub access_token: String,
    pub token_uri: String,
    pub who: String,
    pub stamp: Option<minted::Stamp>,
    pub secrets: Vec<String>,
}

/// Run the OAuth flow (client file), or get a token from the key file or ADC.
pub fn obtain(o: &InitOptions, src: &Source) -> Result<Obtained> {
    let mut settings = Settings::default();
    match src {
        Source::Client(path, s) => {
            let m = flow::obtain(
                s,
                &path.display().to_string(),
                &FlowOptions {
                    flow: Flow::of(s.kind),
                    port: None,
                    timeout: o.timeout,
                    no_browser: o.no_browser,
                    scope: Vec::new(),
                },
            )?;
            let access = match m.access_token.clone() {
                Some(a) => a,
                None => token::refresh(
                    &s.token_uri,
                    &s.client_id,
                    &s.client_secret,
                    &m.refresh_token,
                )?
                .access_token
                .unwrap_or_default(),
            };
            settings.set("client_id", Value::Str(s.client_id.clone()));
            settings.set("client_secret", Value::Str(s.client_secret.clone()));
            settings.set("refresh_token", Value::Str(m.refresh_token.clone()));
            Ok(Obtained {
                settings,
                secrets: vec![
                    s.client_secret.clone(),
                    m.refresh_token.clone(),
                    access.clone(),
                ],
                access_token: access,
                token_uri: s.token_uri.clone(),
                who: format!("OAuth user credentials (client_id {})", s.client_id),
                stamp: Some(minted::Stamp::new(&m.refresh_token, m.minted, m.expires_in)),
            })
        }
        Source::KeyFile(k) => {
            let abs = std::fs::canonicalize(k).unwrap_or_else(|_| k.clone());
            let cred = Credentials::ServiceAccount {
                key_file: abs.clone(),
                impersonated_email: None,
            };
            let at = creds::access_token(&cred, None, &k.display().to_string())?;
            settings.set("json_key_file_path", Value::Str(abs.display().to_string()));
            Ok(Obtained {
                settings,
                secrets: vec![at.token.clone()],
                access_token: at.token,
                token_uri: at.token_uri,
                who: at.who,
                stamp: None,
            })
        }
        Source::Adc => {
            let cred = creds::adc_credentials(&|k| std::env::var(k).ok())?;
            let at = creds::access_token(&cred, None, "the Application Default Credentials")?;
            settings.set("use_application_default_credentials", Value::Bool(true));
            Ok(Obtained {
                settings,
                secrets: vec![at.token.clone()],
                access_token: at.token,
                token_uri: at.token_uri,
                who: at.who,
                stamp: None,
            })
        }
    }
}

/// The login-customer-id to use for `customer`, and why (one paragraph).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub customer: String,
    /// `None`: no header needed (direct access).
    pub login: Option<String>,
    pub why: String,
}

/// Recommend the login-customer-id for calling `customer` as the hierarchy's (only) user;
/// `forced` is `--login-customer-id`, checked against the valid choices.
pub fn recommend(h: &Hierarchy, customer: &str, forced: Option<&str>) -> Result<Recommendation> {
    let user = h
        .users
        .first()
        .ok_or_else(|| Error::refused("the hierarchy has no user"))?;
    let c = h.find_account(customer)?.id.clone();
    let opts = resolve::options(h, user, &c);
    let label = h.label_with_id(&c);
    if opts.is_empty() {
        return Err(Error::refused(resolve::explain_unreachable(h, user, &c)));
    }
    if let Some(f) = forced {
        let f = crate::access::normalize_id(f).ok_or_else(|| {
            Error::usage(format!(
                "--login-customer-id {f} is not a 10-digit customer id"
            ))
        })?;
        let Some(o) = opts.iter().find(|o| o.login == f) else {
            return Err(Error::refused(format!(
                "--login-customer-id {f} cannot reach {label}; the valid choices are {}",
                opts.iter()
                    .map(|o| format!("{} ({})", h.label_with_id(&o.login), o.role))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        return Ok(Recommendation {
            customer: c.clone(),
            login: Some(f.clone()),
            why: format!(
                "login-customer-id {} as given (role {} on {label})",
                h.label_with_id(&o.login),
                o.role
            ),
        });
    }
    let best = &opts[0];
    if !best.header_required {
        return Ok(Recommendation {
            customer: c.clone(),
            login: None,
            why: format!(
                "no login-customer-id is needed: you were invited to {label} directly (role {})",
                best.role
            ),
        });
    }
    let others = opts.len() - 1;
    Ok(Recommendation {
        customer: c.clone(),
        login: Some(best.login.clone()),
        why: format!(
            "login-customer-id {}: you reach {label} only through this manager account, to which you were invited directly (role {}){}",
            h.label_with_id(&best.login),
            best.role,
            if others > 0 {
                format!("; {others} other manager{} also reach{} it with an equal or weaker role", if others == 1 { "" } else { "s" }, if others == 1 { "es" } else { "" })
            } else {
                String::new()
            }
        ),
    })
}

/// The customer the code will work on: `--customer`, else asked among the accounts.
pub fn choose_customer(o: &InitOptions, h: &Hierarchy, ask: &dyn Ask) -> Result<String> {
    if let Some(c) = &o.customer {
        return Ok(h.find_account(c)?.id.clone());
    }
    // Clients first (the accounts code usually works on), then managers.
    let mut ids: Vec<&crate::access::Account> = h.accounts.values().collect();
    ids.sort_by_key(|a| (a.manager, a.id.clone()));
    if ids.len() == 1 {
        return Ok(ids[0].id.clone());
    }
    if !ask.interactive() {
        return Err(cannot_ask(
            &format!("which of the {} accounts the code works on", ids.len()),
            "--customer C",
        ));
    }
    let items: Vec<String> = ids
        .iter()
        .map(|a| {
            format!(
                "{}{}",
                h.label_with_id(&a.id),
                if a.manager { " (manager)" } else { "" }
            )
        })
        .collect();
    let i = ask.select("Which account will the code work on?", &items, 0)?;
    Ok(ids[i].id.clone())
}

/// The config path: `--output`, else the file the library loads by default.
pub fn config_path(o: &InitOptions, lang: Lang, dir: &Path) -> PathBuf {
    if let Some(p) = &o.output {
        return p.clone();
    }
    let env = |k: &str| std::env::var(k).ok();
    let d = crate::discovery::default_config(lang, &env, dir);
    d.chosen
        .or_else(|| d.candidates.first().map(|c| c.path.clone()))
        .unwrap_or_else(|| dir.join(lang.info().default_file))
}

/// Write the config (new: 0600; existing: in place after a diff and consent), with the
/// minted record where there is a refresh token. Returns the exit code of the write.
pub fn write_config(
    path: &Path,
    lang: Lang,
    settings: &Settings,
    stamp: Option<&minted::Stamp>,
    opts: &WriteOpts,
) -> Result<i32> {
    let (rendered, notes) = crate::convert::generate(lang, settings)?;
    for n in notes {
        output::eprint_line(&format!("note: {n}"));
    }
    let stamped = std::cell::Cell::new(false);
    let finish = |text: &str| -> String {
        let Some(s) = stamp else {
            return text.to_string();
        };
        match minted::stamp_text(text, &minted::parse_as(lang, text), s) {
            Some(t) => {
                stamped.set(true);
                t
            }
            None => text.to_string(),
        }
    };
    let code =
        crate::change::write_generated_then(path, lang, settings, &rendered, false, opts, &finish)?;
    if let (Some(s), false, 0) = (stamp, stamped.get(), code) {
        crate::write::atomic_write(&minted::sidecar(path), format!("{}\n", s.text()).as_bytes())?;
    }
    Ok(code)
}

/// The whole of `init`. Returns the exit code.
pub fn run(o: &InitOptions, ask: &dyn Ask) -> Result<i32> {
    let dir = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let api_base = o
        .api_base
        .clone()
        .unwrap_or_else(|| api::DEFAULT_API_BASE.to_string());
    api::check_url(&api_base, "--api-base")?;
    api::check_api_version(&o.api_version)?;
    if !o.yes && !ask.interactive() {
        let path = config_path(o, o.lang.unwrap_or(Lang::Python), &dir);
        if o.lang.is_some() && path.exists() {
            return Err(Error::usage(format!(
                "{} exists and adsconf would change it; not on a terminal to confirm, so pass --yes (or --output another file)",
                path.display()
            )));
        }
    }
    // 1. The library.
    let (lang, how) = choose_lang(o, &dir, ask)?;
    output::eprint_line(&format!("1. library: {} ({how})", lang.catalog().library));
    let path = config_path(o, lang, &dir);
    // 2. The credentials.
    let src = choose_source(o, &dir, ask)?;
    output::eprint_line(&format!(
        "2. credentials: {}",
        match &src {
            Source::Client(p, s) => format!("OAuth client {} from {}", s.client_id, p.display()),
            Source::KeyFile(p) => format!("service-account key {}", p.display()),
            Source::Adc => "Application Default Credentials".to_string(),
        }
    ));
    // 3. The token.
    let got = obtain(o, &src)?;
    output::eprint_line(&format!("3. token: OK ({})", got.who));
    // 4. The accounts.
    let ep = Endpoints {
        token_uri: got.token_uri.clone(),
        api_base: api_base.clone(),
        api_version: o.api_version.clone(),
    };
    let h = live::fetch(&ep, got.access_token.clone(), None)?;
    let direct = h.users.first().map(|u| u.access.len()).unwrap_or(0);
    output::eprint_line(&format!(
        "4. accounts: {} reachable, {direct} of them directly",
        h.accounts.len()
    ));
    let customer = choose_customer(o, &h, ask)?;
    let rec = recommend(&h, &customer, o.login_customer_id.as_deref())?;
    output::eprint_line(&format!(
        "   for {}: {}",
        h.label_with_id(&rec.customer),
        rec.why
    ));
    // 5. The config.
    let mut settings = got.settings.clone();
    if let Some(l) = &rec.login {
        settings.set("login_customer_id", Value::Str(l.clone()));
    }
    if lang == Lang::Python {
        settings.set("use_proto_plus", Value::Bool(true));
    }
    output::eprint_line(&format!("5. config: {}", path.display()));
    let code = write_config(
        &path,
        lang,
        &settings,
        got.stamp.as_ref(),
        &WriteOpts {
            yes: o.yes,
            ..WriteOpts::default()
        },
    )?;
    if code != 0 {
        return Ok(code);
    }
    // 6. Verify what was written, as the library will read it.
    output::eprint_line("6. verify:");
    let (src_text, parsed) = crate::formats::load(&path, Some(lang))?;
    let read_back = crate::formats::to_settings(&parsed);
    let d = doctor::diagnose(
        &read_back,
        &path,
        &src_text.text,
        lang.name(),
        &doctor::Options {
            token_uri: Some(got.token_uri.clone()),
            api_base,
            api_version: o.api_version.clone(),
            customer: Some(rec.customer.clone()),
            timeout: Duration::from_secs(5),
        },
    )?;
    output::print(&d.text());
    match d.failure() {
        Some(f) => Err(Error::refused(
            f.advice
                .clone()
                .unwrap_or_else(|| format!("{} failed", f.name)),
        )),
        None => {
            output::eprint_line(&format!(
                "Done: {} is ready for {}.",
                path.display(),
                lang.catalog().library
            ));
            Ok(0)
        }
    }
}
