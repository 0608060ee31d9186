//! Keys and values: unknown and misplaced keys, duplicates, empty values, template
//! placeholders, booleans, and Python's required `use_proto_plus`.

use std::collections::BTreeMap;

use super::{is_placeholder, DiagExt, FileCtx};
use crate::diag::{Applicability, Diagnostic, Severity};
use crate::edit::Edit;
use crate::formats::{self, entry_label, Entry};
use crate::lang::Lang;
use crate::model::{self, Value};
use crate::schema::{self, KeyType, LibKey};

pub fn check(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    unknown_keys(ctx, out);
    duplicates(ctx, out);
    values(ctx, out);
    use_proto_plus(ctx, out);
}

/// Keys that credential/required settings use: a placeholder there has no safe removal.
fn is_required_like(neutral: &str) -> bool {
    matches!(
        neutral,
        "developer_token"
            | "client_id"
            | "client_secret"
            | "refresh_token"
            | "json_key_file_path"
            | "use_proto_plus"
    )
}

/// Where the library's own check refuses a template placeholder (rather than sending it to
/// Google): its message.
fn loader_refuses_placeholder(lang: Lang, neutral: &str) -> Option<&'static str> {
    let id = matches!(neutral, "login_customer_id" | "linked_customer_id");
    match lang {
        Lang::Python if id => Some("\"The specified login customer ID is invalid. It must be a ten digit number represented as a string\""),
        Lang::Python if matches!(neutral, "use_proto_plus" | "use_application_default_credentials") => {
            Some("\"The 'use_proto_plus' configuration key value must be explicitly set to ('y', 'yes', 't', 'true', 'on', '1') for 'true', or ('n', 'no', 'f', 'false', 'off', '0') for 'false'\"")
        }
        Lang::Ruby if id => Some("\"Invalid value for login_customer_id, must be integer\", from Integer()"),
        Lang::Java if id => Some("\"Invalid loginCustomerId, must be a number\" (Long.parseLong)"),
        _ => None,
    }
}

/// Keys of the AdWords API era that the Google Ads libraries never read.
const ADWORDS_KEYS: &[&str] = &[
    "client_customer_id",
    "clientCustomerId",
    "user_agent",
    "api.adwords.",
    "api.admanager.",
];

/// How a key the library does not read was probably meant: ONE answer, used by `check`
/// (unknown-key, wrong-section) and `show` (text and JSON), so they never disagree.
#[derive(Debug, Clone)]
pub struct Suggestion {
    /// The key the library reads.
    pub key: &'static LibKey,
    /// Why we think so: a clause ("`loginCustomerId` is google-ads-php's name for this setting").
    pub why: String,
    /// Sure enough for a safe fix (a documented misspelling, a case difference, another
    /// library's exact name for the same setting).
    pub certain: bool,
    /// The key is right but in the wrong section (PHP).
    pub misplaced: bool,
}

impl Suggestion {
    /// Where the key belongs when that is not where it is (` under [OAUTH2]`), else "".
    pub fn place(&self, section: Option<&str>) -> String {
        match &self.key.section {
            Some(s) if section != Some(s.as_str()) => format!(" under [{s}]"),
            _ => String::new(),
        }
    }

    /// The hint in one sentence (no parentheses): what `show` prints beside the key.
    pub fn sentence(&self, lang: Lang, section: Option<&str>) -> String {
        if self.misplaced {
            return self.why.clone();
        }
        let _ = lang;
        format!(
            "did you mean `{}`{}? {}",
            self.key.key,
            self.place(section),
            self.why
        )
    }
}

/// The libraries (or "an environment variable") whose catalogue has exactly `key` for a
/// neutral setting, in table order, with that setting.
fn other_names(lang: Lang, key: &str, exact: bool) -> Option<(String, Vec<String>, &'static str)> {
    let mut neutral: Option<String> = None;
    let mut whose: Vec<String> = Vec::new();
    let mut spelt = "";
    for info in crate::lang::LANGS {
        if info.catalog == lang.info().catalog {
            continue;
        }
        let other = info.lang.catalog();
        let hit = other.keys.iter().find(|k| {
            k.neutral.is_some()
                && if exact {
                    k.key == key
                } else {
                    k.key.eq_ignore_ascii_case(key)
                }
        });
        let Some(k) = hit else { continue };
        if neutral.is_some() && neutral != k.neutral {
            continue;
        }
        neutral = k.neutral.clone();
        spelt = k.key.as_str();
        let name = if other.lang == "env" {
            "an environment variable".to_string()
        } else {
            other.library.clone()
        };
        if !whose.contains(&name) {
            whose.push(name);
        }
    }
    neutral.map(|n| (n, whose, spelt))
}

/// "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The suggestion for a key `lang`'s library ignores (`section`: the PHP section it is in).
pub fn suggest(lang: Lang, section: Option<&str>, key: &str) -> Option<Suggestion> {
    let cat = lang.catalog();
    let lib = cat.library.as_str();
    let section_ok = |k: &LibKey| k.section.is_none() || k.section.as_deref() == section;
    let bare = key.trim();
    // The library's own key, in another section (PHP).
    if let Some(k) = cat.keys.iter().find(|k| k.key == key && !section_ok(k)) {
        let want = k.section.as_deref().unwrap_or("?");
        let here = match section {
            Some(s) => format!("under [{s}]"),
            None => "above the first section".into(),
        };
        return Some(Suggestion {
            key: k,
            why: format!("{lib} reads `{key}` only under [{want}]; {here} it is ignored"),
            certain: true,
            misplaced: true,
        });
    }
    // A documented misspelling.
    if let Some(k) = cat
        .keys
        .iter()
        .find(|k| k.mistakes.iter().any(|m| m == key))
    {
        return Some(Suggestion {
            key: k,
            why: format!("`{key}` is a documented misspelling"),
            certain: true,
            misplaced: false,
        });
    }
    // A case difference.
    if let Some(k) = cat
        .keys
        .iter()
        .find(|k| k.key.eq_ignore_ascii_case(key) && section_ok(k))
    {
        return Some(Suggestion {
            key: k,
            why: format!("keys are case-sensitive and {lib} spells it `{}`", k.key),
            certain: true,
            misplaced: false,
        });
    }
    // Another library's (or the neutral model's, or the environment's) exact name for one of
    // this library's settings; then the same ignoring case.
    let neutral_own = schema::neutral(bare).map(|n| {
        (
            n.name.clone(),
            vec!["adsconf.toml".to_string(), "google-ads-python".to_string()],
            n.name.as_str(),
        )
    });
    for (exact, hit) in [
        (true, neutral_own.or_else(|| other_names(lang, bare, true))),
        (false, None),
    ] {
        let hit = if exact {
            hit
        } else {
            other_names(lang, bare, false)
        };
        let Some((n, whose, spelt)) = hit else {
            continue;
        };
        if let Some(k) = cat.for_neutral(&n) {
            let name = if exact { bare } else { spelt };
            let why = match whose.as_slice() {
                [one] if one == "an environment variable" => {
                    format!("`{name}` is an environment variable for this setting")
                }
                [one] => format!("`{name}` is {one}'s name for this setting"),
                many => format!(
                    "`{name}` is the name {} use for this setting",
                    and_list(many)
                ),
            };
            return Some(Suggestion {
                key: k,
                why,
                certain: exact && section_ok(k),
                misplaced: false,
            });
        }
    }
    // The nearest key.
    let names: Vec<&str> = cat.keys.iter().map(|k| k.key.as_str()).collect();
    let near = model::nearest(bare, names.iter().copied())?;
    let k = cat.keys.iter().find(|k| k.key == near)?;
    Some(Suggestion {
        key: k,
        why: "it is the closest key".into(),
        certain: false,
        misplaced: false,
    })
}

/// The AdWords API setting `key` is (or starts with), if it is one.
pub fn adwords(key: &str) -> Option<&'static str> {
    ADWORDS_KEYS.iter().copied().find(|k| {
        if k.ends_with('.') {
            key.starts_with(*k)
        } else {
            key == *k
        }
    })
}

/// What `show` prints beside a key the library ignores, and the neutral setting it was
/// probably meant for: the same answer `check` gives (see [`suggest`]).
pub fn hint(lang: Lang, section: Option<&str>, key: &str) -> (Option<String>, Option<String>) {
    if let Some(old) = adwords(key) {
        return (
            Some(format!(
                "an AdWords API setting ({old}) that {} never reads; delete the line",
                lang.catalog().library
            )),
            None,
        );
    }
    match suggest(lang, section, key) {
        Some(s) => (Some(s.sentence(lang, section)), s.key.neutral.clone()),
        None => (None, None),
    }
}

fn suggestion(ctx: &FileCtx, e: &Entry) -> Option<Suggestion> {
    suggest(ctx.lang(), e.section.as_deref(), &e.key)
}

fn unknown_keys(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let lang = ctx.lang();
    let cat = lang.catalog();
    if lang == Lang::Curl {
        return;
    }
    let lib = cat.library.as_str();
    for e in &ctx.parsed.entries {
        if ctx.catalog_key(e).is_some() {
            continue;
        }
        let trimmed = e.key.trim();
        // Perl keys with spaces, indented comments: perl-key-spacing.
        if lang == Lang::Perl && (trimmed != e.key) {
            continue;
        }
        // .env files hold other variables too.
        if lang == Lang::Env && !e.key.starts_with("GOOGLE_ADS_") {
            continue;
        }
        // PHP: a known key in the wrong section.
        if lang == Lang::Php {
            let homes: Vec<&LibKey> = cat.keys.iter().filter(|k| k.key == e.key).collect();
            if let Some(home) = homes.first() {
                wrong_section(ctx, e, home, out);
                continue;
            }
        }
        let label = entry_label(e);
        if let Some(old) = adwords(&e.key) {
            out.push(
                ctx.diag(
                    "unknown-key",
                    e.key_span.clone(),
                    format!("`{label}` is an AdWords API setting ({old}); {lib} never reads it"),
                )
                .help(
                    "the Google Ads API takes the customer id with each request; delete the line",
                ),
            );
            continue;
        }
        let code_lang = matches!(lang, Lang::Ruby | Lang::Csharp);
        let mut d = match suggestion(ctx, e) {
            Some(s) => {
                let place = s.place(e.section.as_deref());
                let d = ctx
                    .diag(
                        "unknown-key",
                        e.key_span.clone(),
                        format!("{lib} does not read `{label}`; did you mean `{}`{place}?", s.key.key),
                    )
                    .help(format!("rename it to `{}`: {}", s.key.key, s.why));
                if place.is_empty() && !e.key_span.is_empty() {
                    let app = if s.certain { Applicability::Safe } else { Applicability::Unsafe };
                    d.fix(app, format!("rename to `{}`", s.key.key), vec![Edit::replace(e.key_span.clone(), s.key.key.clone())])
                } else {
                    d
                }
            }
            None => ctx
                .diag(
                    "unknown-key",
                    e.key_span.clone(),
                    format!("{lib} does not read `{label}`; the setting is ignored"),
                )
                .help("delete it, or see `adsconf show --lang LANG` and the README for the keys this library reads"),
        };
        if code_lang {
            d = d.severity(Severity::Error);
            d.message.push_str(match lang {
                Lang::Ruby => " (Ruby raises NoMethodError for an unknown attribute)",
                _ => " (the C# compiler rejects an unknown property)",
            });
        }
        out.push(d);
    }
}

fn wrong_section(ctx: &FileCtx, e: &Entry, home: &LibKey, out: &mut Vec<Diagnostic>) {
    let want = home.section.as_deref().unwrap_or("?");
    let here = match &e.section {
        Some(s) => format!("under [{s}]"),
        None => "above the first section".into(),
    };
    let mut d = ctx
        .diag(
            "wrong-section",
            e.key_span.clone(),
            // The same sentence `show` prints (one answer: [`suggest`]).
            suggest(ctx.lang(), e.section.as_deref(), &e.key)
                .filter(|s| s.misplaced)
                .map(|s| s.why)
                .unwrap_or_else(|| {
                    format!(
                        "google-ads-php reads `{}` only under [{want}]; {here} it is ignored",
                        e.key
                    )
                }),
        )
        .help(format!("move this line under [{want}]"));
    // The fix: delete the line and set the key in its section through the format's editor.
    if let Ok(mut edits) =
        formats::format(ctx.lang()).set_edits(ctx.src, ctx.parsed, home, &e.value)
    {
        if !edits
            .iter()
            .any(|x| x.range.start < e.entry_span.end && x.range.end > e.entry_span.start)
        {
            edits.push(Edit::delete(e.entry_span.clone()));
            d = d.fix(
                Applicability::Unsafe,
                format!("move the line to [{want}]"),
                edits,
            );
        }
    }
    out.push(d);
}

fn duplicates(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let mut groups: BTreeMap<(Option<&str>, &str), Vec<&Entry>> = BTreeMap::new();
    for e in &ctx.parsed.entries {
        groups
            .entry((e.section.as_deref(), e.key.as_str()))
            .or_default()
            .push(e);
    }
    for list in groups.values().filter(|l| l.len() > 1) {
        let Some(winner) = list.last() else { continue };
        let line = ctx.line(winner.entry_span.start);
        let value = ctx.shown(winner);
        for e in &list[..list.len() - 1] {
            let mut d = ctx
                .diag(
                    "duplicate-key",
                    e.key_span.clone(),
                    format!(
                        "`{}` is set again on line {line}; {} uses that last value ('{value}'), not this one",
                        entry_label(e),
                        ctx.library()
                    ),
                )
                .help(format!("delete this line, or edit line {line}"))
                .fix(Applicability::Safe, "delete the overridden line", vec![Edit::delete(e.entry_span.clone())]);
            if ctx.lang() == Lang::Csharp {
                d = d.severity(Severity::Error);
                d.message = format!(
                    "`{}` is set twice in the object initializer (line {line}); the C# compiler rejects it (CS1912)",
                    e.key
                );
            }
            out.push(d);
        }
    }
}

fn values(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let winners: Vec<*const Entry> = ctx
        .parsed
        .effective()
        .into_iter()
        .map(|e| e as *const Entry)
        .collect();
    for e in &ctx.parsed.entries {
        // Only the value that is used matters (duplicates are reported on their own).
        if !winners.contains(&(e as *const Entry)) {
            continue;
        }
        let Some(k) = ctx.catalog_key(e) else {
            continue;
        };
        let neutral = k.neutral.as_deref();
        let text = e.value.to_text();
        let label = entry_label(e);
        if is_placeholder(&text) {
            let optional = neutral.is_some_and(|n| !is_required_like(n));
            let mut d = ctx.diag(
                "placeholder-value",
                super::FileCtx::value_span(e),
                format!("`{label}` still holds the template value '{}'", text.trim()),
            );
            if let Some(said) = neutral.and_then(|n| loader_refuses_placeholder(ctx.lang(), n)) {
                d = d.judged(super::Judge::Loader);
                d.message.push_str(&format!(
                    "; {} refuses it before the first call: {said}",
                    ctx.library()
                ));
            }
            if neutral == Some("developer_token") {
                // Any value satisfies the libraries that still want the key, and the API
                // ignores the header since 2026-09-09.
                d = d.severity(Severity::Info);
                d.message.push_str("; harmless since the API ignores developer tokens (2026-09-09), but the file still looks unfinished");
            }
            d = if optional {
                d.help(
                    "put the real value here, or delete the line if you do not need this setting",
                )
                .fix(
                    Applicability::Unsafe,
                    format!("delete `{label}`"),
                    vec![Edit::delete(e.entry_span.clone())],
                )
            } else {
                d.help(match neutral {
                    Some("use_proto_plus") => "set it to True (proto-plus messages) or False (raw protobuf)".to_string(),
                    Some("refresh_token") => "put your refresh token here (`adsconf auth --client-secrets FILE --write CONFIG` obtains one)".to_string(),
                    _ => format!("put your {} here", neutral.unwrap_or("value").replace('_', " ")),
                })
            };
            out.push(d);
            continue;
        }
        let empty = match &e.value {
            Value::Null => true,
            Value::Str(s) => s.trim().is_empty(),
            _ => false,
        };
        // dlt's google_ads source requires impersonated_email even with OAuth credentials:
        // empty is how a file without a service account says "none".
        if empty && ctx.lang() == Lang::Dlt && neutral == Some("impersonated_email") {
            continue;
        }
        // google-ads-python's flags (`use_proto_plus:` with no value, `''`) go through
        // disambiguate_string_bool, which raises: invalid-boolean, not an untidy line.
        if empty && k.reads == "bool_strtobool" {
            boolean(ctx, e, k, out);
            continue;
        }
        let is_id_type = neutral
            .and_then(schema::neutral)
            .is_some_and(|n| n.ty == KeyType::CustomerId);
        // An empty id string: Python's and Ruby's own checks refuse it (customer-id-format).
        if empty
            && is_id_type
            && matches!(e.value, Value::Str(_))
            && matches!(ctx.lang(), Lang::Python | Lang::Ruby)
        {
            continue;
        }
        if empty {
            let is_id = is_id_type;
            let required = neutral.is_some_and(is_required_like);
            let dotnet = matches!(ctx.lang(), Lang::Dotnet | Lang::DotnetJson | Lang::Csharp);
            // google-ads-dotnet treats an empty optional setting as unset (its own template
            // ships empty proxy keys); elsewhere an empty optional key is only untidy.
            if dotnet && !is_id && !required {
                continue;
            }
            let no_equals = ctx.lang() == Lang::Perl && matches!(e.value, Value::Null);
            let untidy = !(is_id || required || no_equals);
            let msg = if ctx.lang() == Lang::Perl && matches!(e.value, Value::Null) {
                format!("this line has no `=`: google-ads-perl reads `{label}` with no value")
            } else if is_id {
                format!("`{label}` is present but empty; some library and transport versions send an empty header, which the server rejects (INVALID_LOGIN_CUSTOMER_ID)")
            } else {
                format!("`{label}` is present but empty")
            };
            let mut d = ctx.diag("empty-value", super::FileCtx::key_span(e), msg);
            if untidy {
                d = d.severity(Severity::Info);
            }
            if required {
                d = d.help("give it a value");
            } else {
                d = d.help("give it a value, or delete the line").fix(
                    Applicability::Safe,
                    format!("delete the empty `{label}`"),
                    vec![Edit::delete(e.entry_span.clone())],
                );
            }
            out.push(d);
            continue;
        }
        let ty = neutral.and_then(schema::neutral).map(|n| n.ty);
        if ty == Some(KeyType::Bool) {
            boolean(ctx, e, k, out);
        }
    }
}

const TRUE_WORDS: &[&str] = &["y", "yes", "t", "true", "on", "1"];
const FALSE_WORDS: &[&str] = &["n", "no", "f", "false", "off", "0"];

/// `invalid-boolean`, by how the library reads the flag (`reads` in the catalogue).
fn boolean(ctx: &FileCtx, e: &Entry, k: &LibKey, out: &mut Vec<Diagnostic>) {
    let label = entry_label(e);
    let text = e.value.to_text();
    let lower = text.trim().to_ascii_lowercase();
    // google-ads-python compares `value.lower()` without trimming (a quoted ' true' fails).
    let exact = if k.reads == "bool_strtobool" {
        text.to_lowercase()
    } else {
        lower.clone()
    };
    let msg: Option<(String, Severity)> = match (k.reads.as_str(), &e.value) {
        (_, Value::Bool(_)) => None,
        ("bool_strtobool" | "bool_string", Value::Str(_)) => {
            if TRUE_WORDS.contains(&exact.as_str()) || FALSE_WORDS.contains(&exact.as_str()) {
                None
            } else if k.reads == "bool_string" {
                // An environment variable: each library reading it has its own word list.
                let libs = k.libs.iter().map(|l| format!("google-ads-{l}")).collect::<Vec<_>>().join(", ");
                Some((
                    format!("`{label}={text}` is not a boolean word ({libs} read it); use true or false (google-ads-python's load_from_env refuses it)"),
                    Severity::Error,
                ))
            } else {
                // The library's message names use_proto_plus whichever flag it checks.
                let names = if k.key == "use_proto_plus" { "" } else { " (its message names use_proto_plus for every flag)" };
                Some((
                    format!(
                        "{} rejects `{label}: {text}`{names}: \"The 'use_proto_plus' configuration key value must be explicitly set to ('y', 'yes', 't', 'true', 'on', '1') for 'true', or ('n', 'no', 'f', 'false', 'off', '0') for 'false', but '{text}' was given.\"",
                        ctx.library(),
                    ),
                    Severity::Error,
                ))
            }
        }
        ("bool_strtobool", other) => Some((
            format!(
                "{} rejects `{label}`: 'The \"use_proto_plus\" configuration key is invalid. Expected Union[bool, str] but received {}'",
                ctx.library(),
                match other {
                    Value::Int(_) => "<class 'int'>",
                    Value::Float(_) => "<class 'float'>",
                    Value::Null => "<class 'NoneType'>",
                    Value::Json(serde_json::Value::Array(_)) => "<class 'list'>",
                    Value::Json(_) => "<class 'dict'>",
                    _ => "another type",
                }
            ),
            Severity::Error,
        )),
        ("bool_java" | "bool_dotnet", _) => {
            if lower == "true" || lower == "false" {
                None
            } else {
                Some((
                    format!(
                        "{} reads anything but `true` as false: `{label}` = '{text}' means false",
                        ctx.library()
                    ),
                    Severity::Warning,
                ))
            }
        }
        ("bool_filter_var", Value::Int(0 | 1)) => None,
        ("bool_filter_var", _) => {
            if ["1", "true", "on", "yes", "0", "false", "off", "no", ""].contains(&lower.as_str()) {
                None
            } else {
                // from(): filter_var(…, FILTER_VALIDATE_BOOLEAN, default, FILTER_NULL_ON_FAILURE).
                let default = if k.key == "grpcChannelIsSecure" { "true" } else { "false" };
                Some((
                    format!("google-ads-php does not read `{label}` = '{text}' as a boolean (filter_var FILTER_VALIDATE_BOOLEAN) and uses its default, {default}"),
                    Severity::Warning,
                ))
            }
        }
        ("bool_truthy", Value::Str(_)) => {
            let falsy = FALSE_WORDS.contains(&lower.as_str()) || text.is_empty();
            let who = if ctx.lang() == Lang::Ruby {
                "Ruby treats every string as true".to_string()
            } else {
                format!("{} does not convert this flag: any non-empty string is true", ctx.library())
            };
            Some((
                if falsy {
                    format!("{who}: `{label}` = '{text}' means true")
                } else {
                    format!("`{label}` is a string; {who}")
                },
                Severity::Warning,
            ))
        }
        ("bool_truthy", Value::Int(0)) => Some((
            format!("Ruby treats 0 as true: `{label}` = 0 means true"),
            Severity::Warning,
        )),
        _ => None,
    };
    if let Some((m, sev)) = msg {
        let mut d = ctx
            .diag("invalid-boolean", super::FileCtx::value_span(e), m)
            .severity(sev)
            .help("write true or false (unquoted where the format has types)");
        if sev == Severity::Error && k.reads == "bool_string" {
            d = d.judged(super::Judge::Loader);
        }
        out.push(d);
    }
}

fn use_proto_plus(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    if ctx.lang() != Lang::Python || ctx.parsed.is_fatal() || ctx.has_unreadable() {
        return;
    }
    if ctx.find_neutral("use_proto_plus").is_some() {
        return;
    }
    let text = &ctx.src.text;
    let prefix = if text.is_empty() || text.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    out.push(
        ctx.diag(
            "missing-use-proto-plus",
            0..0,
            "google-ads-python refuses this file: 'The client library configuration is missing the required \"use_proto_plus\" key. Please set this option to either \"True\" or \"False\".'".into(),
        )
        .help("add `use_proto_plus: True` (proto-plus messages) or `use_proto_plus: False` (raw protobuf, faster)")
        .fix(
            Applicability::Unsafe,
            "add `use_proto_plus: True`",
            vec![Edit::insert(text.len(), format!("{prefix}use_proto_plus: True\n"))],
        ),
    );
}
