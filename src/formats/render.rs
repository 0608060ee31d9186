//! Rendering through minijinja templates (`templates/`). Templates only lay files out;
//! every value goes through a format's escaping filter, a tested Rust function registered
//! by the format module.

use std::sync::OnceLock;

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::formats;
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::schema::{self, AuthMode};

/// Templates, by the file name `LangInfo::template` gives.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "java.properties.j2",
        include_str!("../../templates/java.properties.j2"),
    ),
    (
        "dotnet.config.j2",
        include_str!("../../templates/dotnet.config.j2"),
    ),
    (
        "dotnet.json.j2",
        include_str!("../../templates/dotnet.json.j2"),
    ),
    ("csharp.cs.j2", include_str!("../../templates/csharp.cs.j2")),
    ("php.ini.j2", include_str!("../../templates/php.ini.j2")),
    (
        "python.yaml.j2",
        include_str!("../../templates/python.yaml.j2"),
    ),
    ("ruby.rb.j2", include_str!("../../templates/ruby.rb.j2")),
    (
        "perl.properties.j2",
        include_str!("../../templates/perl.properties.j2"),
    ),
    ("curl.sh.j2", include_str!("../../templates/curl.sh.j2")),
    ("env.sh.j2", include_str!("../../templates/env.sh.j2")),
    (
        "airbyte.json.j2",
        include_str!("../../templates/airbyte.json.j2"),
    ),
    (
        "meltano.yml.j2",
        include_str!("../../templates/meltano.yml.j2"),
    ),
    (
        "singer.json.j2",
        include_str!("../../templates/singer.json.j2"),
    ),
    ("mcp.json.j2", include_str!("../../templates/mcp.json.j2")),
    ("dlt.toml.j2", include_str!("../../templates/dlt.toml.j2")),
];

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        for (name, text) in TEMPLATES {
            // Templates are compiled in and covered by tests: a syntax error is a bug.
            env.add_template(name, text)
                .unwrap_or_else(|e| panic!("template {name}: {e}"));
        }
        formats::csharp::register(&mut env);
        formats::curl::register(&mut env);
        formats::dotnet_json::register(&mut env);
        formats::dotnet_xml::register(&mut env);
        formats::env::register(&mut env);
        formats::dlt::register(&mut env);
        formats::meltano::register(&mut env);
        formats::java::register(&mut env);
        formats::perl::register(&mut env);
        formats::php::register(&mut env);
        formats::python::register(&mut env);
        formats::ruby::register(&mut env);
        env
    })
}

/// The authentication mode the settings select (for comments and .NET's `OAuth2Mode`).
pub fn auth_mode(settings: &Settings) -> &'static str {
    if settings.get("use_application_default_credentials") == Some(&Value::Bool(true)) {
        "adc"
    } else if !settings.auth_keys(AuthMode::ServiceAccount).is_empty() {
        "service_account"
    } else if !settings.auth_keys(AuthMode::User).is_empty() {
        "user"
    } else {
        "none"
    }
}

#[derive(Serialize)]
struct Context<'a> {
    /// Neutral name → value, only the keys this target expresses.
    v: std::collections::BTreeMap<&'a str, &'a Value>,
    /// Neutral name → the library's key for it.
    k: std::collections::BTreeMap<&'a str, &'a str>,
    /// `user`, `service_account`, `adc` or `none`.
    auth: &'static str,
    api_version: &'static str,
    adsconf_version: &'static str,
    /// The document a JSON or nested target lays out (built by its format module).
    doc: &'a serde_json::Value,
    /// Target-specific extras (the MCP client, where secrets go, ...).
    x: &'a serde_json::Value,
}

/// Render `settings` with `lang`'s template.
pub fn render(lang: Lang, settings: &Settings) -> Result<String> {
    render_with(
        lang,
        settings,
        &serde_json::Value::Null,
        &serde_json::Value::Null,
    )
}

/// Render a JSON document a format module built (the data and agent tools' JSON files):
/// the template receives it laid out by [`formats::jsontree::pretty`] as `doc`.
pub fn render_doc(lang: Lang, settings: &Settings, doc: &serde_json::Value) -> Result<String> {
    let text = serde_json::Value::String(formats::jsontree::pretty(doc));
    render_with(lang, settings, &text, &serde_json::Value::Null)
}

/// Render with a document and target-specific extras in the template context.
pub fn render_with(
    lang: Lang,
    settings: &Settings,
    doc: &serde_json::Value,
    x: &serde_json::Value,
) -> Result<String> {
    let cat = lang.catalog();
    let fmt = formats::format(lang);
    let v = settings
        .values
        .iter()
        .filter(|(n, _)| fmt.expressible(n))
        .map(|(n, v)| (n.as_str(), v))
        .collect();
    let k = schema::neutral_keys()
        .iter()
        .filter_map(|n| {
            cat.for_neutral(&n.name)
                .map(|lk| (n.name.as_str(), lk.key.as_str()))
        })
        .collect();
    let ctx = Context {
        v,
        k,
        auth: auth_mode(settings),
        api_version: crate::api::DEFAULT_API_VERSION,
        adsconf_version: env!("CARGO_PKG_VERSION"),
        doc,
        x,
    };
    let name = lang.info().template;
    let tmpl = environment()
        .get_template(name)
        .map_err(|e| Error::usage(format!("internal error: template {name}: {e}")))?;
    tmpl.render(ctx).map_err(|e| {
        // Filters refuse values they cannot carry with an InvalidOperation error whose
        // detail is the user-facing sentence.
        Error::usage(
            e.detail()
                .map(str::to_string)
                .unwrap_or_else(|| format!("internal error rendering {name}: {e}")),
        )
    })
}

/// Build a filter error carrying a user-facing sentence.
pub fn filter_error(message: impl Into<String>) -> minijinja::Error {
    minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, message.into())
}

/// Every template file is listed (a new format is one row in `LANGS` and one template).
#[cfg(test)]
mod tests {
    #[test]
    fn every_lang_has_a_template() {
        for l in crate::lang::LANGS {
            assert!(
                super::TEMPLATES.iter().any(|(n, _)| *n == l.template),
                "{}",
                l.template
            );
        }
    }
}
