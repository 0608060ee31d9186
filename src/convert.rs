//! Convert settings: load them from any source (an `adsconf.toml`, any supported library
//! config, the environment), merge several, and render them for any target with notes on
//! what the target cannot express. Behind `generate`, `init` and conversions between libraries.

use std::path::Path;

use crate::error::{Error, Result};
use crate::formats;
use crate::lang::Lang;
use crate::model::{self, Settings, Value};

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
    if std::fs::symlink_metadata(path).is_err() {
        return Err(Error::usage(missing_source(src)));
    }
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
    // What the companion file (Meltano's .env) takes from the environment: named, left out.
    for (name, _) in parsed.companion.iter().filter(|(_, v)| *v == Value::Null) {
        let var = parsed
            .lang
            .catalog()
            .for_neutral(name)
            .map(|k| formats::meltano::env_name(&k.key))
            .unwrap_or_default();
        notes.push(format!(
            "{}: `{name}` comes from {var} in the .env beside it, which takes it from the environment Meltano runs in (${{…}}); not converted",
            source.name()
        ));
    }
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

/// What to do when a `--from` file does not exist: the next step, not just "no such file".
pub fn missing_source(src: &str) -> String {
    let example = ["examples/oauth-user.toml", "examples/service-account.toml"]
        .iter()
        .filter(|e| Path::new(e).is_file())
        .map(|e| format!("`--from {e}`"))
        .collect::<Vec<_>>();
    let start = if example.is_empty() {
        "write one: the README's `adsconf.toml` section lists the keys, and the repository's \
         examples/oauth-user.toml is a start"
            .to_string()
    } else {
        format!(
            "try {} first, then copy it to {src} with your own values",
            example.join(" or ")
        )
    };
    format!(
        "cannot read {src}: it does not exist. To generate a config, {start}; \
         or convert another library's config (`--from google-ads.yaml`) or the GOOGLE_ADS_* variables (`--from env`)"
    )
}

/// Where `load_sources` looked, for the "nothing to generate" message.
fn looked_at(from: &[String]) -> String {
    if from.is_empty() {
        return "./adsconf.toml does not exist and no GOOGLE_ADS_* variable is set".into();
    }
    let each: Vec<String> = from
        .iter()
        .map(|s| {
            if s == "env" {
                "no GOOGLE_ADS_* variable is set".to_string()
            } else {
                format!("{s} holds no setting")
            }
        })
        .collect();
    each.join(" and ")
}

/// Merge every `--from` source left to right (later wins). Without any: `./adsconf.toml`
/// if it exists, else the environment. Nothing at all is refused unless `allow_empty`
/// (a config without any setting is never what was meant).
pub fn load_sources_checked(
    from: &[String],
    from_lang: Option<Lang>,
    allow_empty: bool,
) -> Result<(Settings, Vec<String>)> {
    load_sources_checked_with(from, from_lang, allow_empty, false)
}

/// [`load_sources_checked`] with [`load_source_with`]'s `reveal`.
pub fn load_sources_checked_with(
    from: &[String],
    from_lang: Option<Lang>,
    allow_empty: bool,
    reveal: bool,
) -> Result<(Settings, Vec<String>)> {
    let (settings, notes) = load_sources_with(from, from_lang, reveal)?;
    if settings.is_empty() && !allow_empty {
        return Err(Error::refused(format!(
            "nothing to generate: {}. Give the settings with --from FILE (an adsconf.toml or any \
             library's config; see {}), set GOOGLE_ADS_* variables, or pass --allow-empty to write \
             a file without settings",
            looked_at(from),
            if Path::new("examples/oauth-user.toml").is_file() {
                "examples/oauth-user.toml"
            } else {
                "the README"
            }
        )));
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

/// Apply the tool targets' options to the settings: the MCP client, where secrets go, and
/// for `singer` the `login_customer_ids` computed from an account hierarchy (every data
/// account the user reaches, each with its best login-customer-id).
pub fn apply_target_options(
    settings: &mut Settings,
    lang: Lang,
    client: Option<&str>,
    secrets_in: Option<&str>,
    hierarchy: Option<(&std::path::Path, &str)>,
) -> Result<()> {
    if let Some(c) = client {
        if lang != Lang::Mcp {
            return Err(Error::usage(format!(
                "--client chooses the MCP client and applies to `generate mcp`, not {lang}"
            )));
        }
        settings.set("mcp_client", Value::Str(c.to_string()));
    }
    if let Some(w) = secrets_in {
        settings.set("secrets_in", Value::Str(w.to_string()));
    }
    if let Some((path, user)) = hierarchy {
        if lang != Lang::Singer {
            return Err(Error::usage(format!(
                "--hierarchy computes singer's login_customer_ids and applies to `generate singer`, not {lang}"
            )));
        }
        let h = crate::access::load_hierarchy(path)?;
        let u = h.find_user(user)?;
        let list: Vec<serde_json::Value> = crate::access::resolve::best_logins(&h, u)
            .into_iter()
            .map(|(c, l)| serde_json::json!({"customerId": c, "loginCustomerId": l}))
            .collect();
        if list.is_empty() {
            return Err(Error::refused(format!(
                "{user} reaches no client account in {}; nothing to sync",
                path.display()
            )));
        }
        settings.set(
            "login_customer_ids",
            Value::Json(serde_json::Value::Array(list)),
        );
    }
    Ok(())
}

/// How many client libraries have a setting for the neutral key `name` (the env and curl
/// targets are not libraries).
pub fn libraries_with(name: &str) -> usize {
    let mut catalogs: Vec<&str> = crate::lang::LANGS
        .iter()
        .filter(|l| !matches!(l.lang, Lang::Env | Lang::Curl))
        .filter(|l| l.lang.catalog().for_neutral(name).is_some())
        .map(|l| l.catalog)
        .collect();
    catalogs.sort_unstable();
    catalogs.dedup();
    catalogs.len()
}

/// Render `settings` for `lang`; the notes name keys (of more than one library) the target
/// cannot express.
pub fn generate(lang: Lang, settings: &Settings) -> Result<(String, Vec<String>)> {
    settings.check_no_newlines()?;
    settings.check_single_auth_mode()?;
    let fmt = formats::format(lang);
    let mut notes = Vec::new();
    let mut dropped = Vec::new();
    for (k, v) in settings.ordered() {
        if crate::schema::is_option(k) {
            continue;
        }
        if !fmt.expressible(k) {
            // A setting only one library has (use_proto_plus, logging, …) is no loss for
            // another library: not worth a note on every conversion.
            if libraries_with(k) > 1 {
                dropped.push(k);
            }
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
    if lang == Lang::Mcp
        && dropped
            .iter()
            .any(|k| matches!(*k, "client_id" | "client_secret" | "refresh_token"))
    {
        notes.push(
            "google-ads-mcp reads OAuth user credentials only through Application Default Credentials: \
             `adsconf auth --client-secrets CLIENT_SECRETS.json --adc` writes them where the server looks \
             (or `gcloud auth application-default login --client-id-file=CLIENT_SECRETS.json \
             --scopes=https://www.googleapis.com/auth/adwords,https://www.googleapis.com/auth/cloud-platform`)"
                .into(),
        );
    }
    if lang == Lang::Meltano && !crate::formats::meltano::secrets_inline(settings) {
        let vars = crate::formats::meltano::dotenv_vars(settings);
        if !vars.is_empty() {
            notes.push(format!(
                "the secrets go to .env beside meltano.yml (written with -o), not into meltano.yml: {}",
                vars.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ")
            ));
        }
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
