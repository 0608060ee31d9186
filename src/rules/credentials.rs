//! Credential sets: missing or partial, conflicting, and the developer-token sunset.

use super::{is_placeholder, DiagExt, FileCtx};
use crate::diag::{Diagnostic, Severity};
use crate::formats::entry_label;
use crate::lang::Lang;
use crate::minted;
use crate::model::Value;

const USER: &[&str] = &["client_id", "client_secret", "refresh_token"];

pub fn check(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    developer_token(ctx, out);
    token_age(ctx, out, now());
    // A file the library cannot load, or code we cannot read, says nothing about what is missing.
    if ctx.parsed.is_fatal() || ctx.has_unreadable() {
        return;
    }
    // Environment files are usually one layer among several; curl takes $ACCESS_TOKEN;
    // google-ads-mcp takes its credentials from Application Default Credentials.
    if matches!(ctx.lang(), Lang::Env | Lang::Curl | Lang::Mcp) {
        conflicting(ctx, out);
        return;
    }
    // A meltano.yml without the tap-googleads extractor, a secrets.toml without the google_ads
    // source: the tool is configured for something else (or from the environment) here.
    let tool = matches!(
        ctx.lang(),
        Lang::Airbyte | Lang::Meltano | Lang::Singer | Lang::Dlt
    );
    if !(tool && ctx.parsed.entries.is_empty()) {
        missing(ctx, out);
    }
    conflicting(ctx, out);
}

/// Is the key present (with any value, placeholders included: those are reported on their own)?
/// Meltano also reads each setting from TAP_GOOGLEADS_<NAME> in the project's `.env` or the
/// environment.
fn present(ctx: &FileCtx, n: &str) -> bool {
    if ctx.lang() == Lang::Meltano {
        // Text judged before it has a place (stdout): its .env is not known.
        if ctx.fs_path.is_none() && crate::formats::meltano::is_sensitive_neutral(n) {
            return true;
        }
        if let Some(k) = ctx.lang().catalog().for_neutral(n) {
            let var = crate::formats::meltano::env_name(&k.key);
            let dir = ctx.fs_path.and_then(|p| p.parent());
            if std::env::var_os(&var).is_some()
                || crate::formats::meltano::dotenv_names(dir).contains(&var)
            {
                return true;
            }
        }
    }
    ctx.find_neutral(n).is_some_and(|e| {
        // google-ads-perl tests each key for Perl truth: "0" is false.
        let perl_false = ctx.lang() == Lang::Perl && e.value.to_text() == "0";
        !(matches!(e.value, Value::Null | Value::Bool(false))
            || e.value.to_text().trim().is_empty()
            || perl_false)
    })
}

pub(super) fn adc(ctx: &FileCtx) -> bool {
    flag_on(ctx, "use_application_default_credentials")
}

/// Is the flag on, as the library reads it (Java: only "true" is true; Ruby: anything but
/// nil and false)?
pub(super) fn flag_on(ctx: &FileCtx, neutral: &str) -> bool {
    ctx.find_neutral(neutral).is_some_and(|e| {
        let reads = ctx
            .catalog_key(e)
            .map(|k| k.reads.as_str())
            .unwrap_or("bool_string");
        crate::model::normalize(neutral, &e.value, reads) == Some(Value::Bool(true))
    })
}

/// google-ads-php's OAuth2TokenBuilder::build (33.5.0): a key file wins; else a non-empty
/// refresh token needs clientId and clientSecret that are not null ("" counts as set); else
/// it falls back to Application Default Credentials, silently.
fn php_missing(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let value = |n: &str| ctx.find_neutral(n).map(|e| &e.value);
    let is_null = |n: &str| matches!(value(n), None | Some(Value::Null));
    let php_empty = |n: &str| value(n).is_none_or(super::loaders::php_empty);
    let key = |n: &str| {
        ctx.lang()
            .catalog()
            .for_neutral(n)
            .map(|k| k.key.clone())
            .unwrap_or_else(|| n.to_string())
    };
    if !php_empty("json_key_file_path") {
        return;
    }
    if !php_empty("refresh_token") {
        let null: Vec<String> = ["client_id", "client_secret"]
            .into_iter()
            .filter(|n| is_null(n))
            .map(|n| format!("`{}`", key(n)))
            .collect();
        let span = ctx
            .find_neutral("refresh_token")
            .map(|e| e.key_span.clone())
            .unwrap_or(0..0);
        if !null.is_empty() {
            out.push(
                ctx.diag(
                    "missing-credentials",
                    span,
                    format!(
                        "`refreshToken` is set but {} missing: google-ads-php stops with \"Both 'clientId' and 'clientSecret' must be set when using 'refreshToken'.\"",
                        null.join(" and ")
                    ),
                )
                .help("add the client id and secret from the Cloud console (APIs & Services → Credentials)"),
            );
            return;
        }
        let blank: Vec<String> = ["client_id", "client_secret"]
            .into_iter()
            .filter(|n| value(n).is_some_and(|v| v.to_text().trim().is_empty()))
            .map(|n| format!("`{}`", key(n)))
            .collect();
        blank_credentials(
            ctx,
            out,
            span,
            &blank,
            "google-ads-php sends the refresh token with an empty client to the token endpoint, which answers invalid_client",
            "fill in the client id and secret from the Cloud console (APIs & Services → Credentials)",
        );
        return;
    }
    // No key file and no refresh token: Application Default Credentials, whatever else is set.
    let set: Vec<String> = USER
        .iter()
        .filter(|n| !is_null(n))
        .map(|n| format!("`{}`", key(n)))
        .collect();
    let (msg, help) = if set.is_empty() {
        (
            "no credentials in the file: google-ads-php falls back to Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud, the metadata server)".to_string(),
            "nothing to do if you use Application Default Credentials; otherwise run `adsconf auth --client-secrets client_secret.json --write FILE`",
        )
    } else {
        (
            format!(
                "{} set but no `refreshToken`: google-ads-php ignores them and silently falls back to Application Default Credentials",
                set.join(" and ")
            ),
            "obtain a refresh token with `adsconf auth --client-secrets client_secret.json --write FILE`",
        )
    };
    let span = USER
        .iter()
        .filter_map(|n| ctx.find_neutral(n))
        .map(|e| e.key_span.clone())
        .min_by_key(|r| r.start)
        .unwrap_or(0..0);
    out.push(
        ctx.diag("missing-credentials", span, msg)
            .severity(Severity::Warning)
            .judged(super::Judge::None)
            .help(help),
    );
}

/// google-ads-python's oauth2.get_credentials: the flow is chosen by which keys are in the
/// file (any value); google-auth then refuses a null value before the network, and the
/// token endpoint an empty one.
fn python_missing(ctx: &FileCtx, out: &mut Vec<Diagnostic>) -> bool {
    if !USER.iter().all(|n| ctx.find_neutral(n).is_some()) {
        return false;
    }
    let key = |n: &str| format!("`{n}`");
    let null: Vec<String> = USER
        .iter()
        .filter(|n| {
            ctx.find_neutral(n)
                .is_some_and(|e| matches!(e.value, Value::Null))
        })
        .map(|n| key(n))
        .collect();
    let span = ctx
        .find_neutral("client_id")
        .map(|e| e.key_span.clone())
        .unwrap_or(0..0);
    if !null.is_empty() {
        out.push(
            ctx.diag(
                "missing-credentials",
                span,
                format!(
                    "{} {} no value: google-ads-python builds the OAuth credentials and google-auth refuses to refresh them (\"The credentials do not contain the necessary fields need to refresh the access token.\")",
                    null.join(" and "),
                    if null.len() > 1 { "have" } else { "has" }
                ),
            )
            .help("give each key its value (`adsconf auth --client-secrets client_secret.json --write FILE` writes all three)"),
        );
        return true;
    }
    let blank: Vec<String> = USER
        .iter()
        .filter(|n| {
            ctx.find_neutral(n)
                .is_some_and(|e| e.value.to_text().trim().is_empty())
        })
        .map(|n| key(n))
        .collect();
    blank_credentials(
        ctx,
        out,
        span,
        &blank,
        "google-ads-python sends them to the token endpoint, which refuses them (invalid_client / invalid_grant)",
        "give each key its value (`adsconf auth --client-secrets client_secret.json --write FILE` writes all three)",
    );
    true
}

/// Credential keys that are set but blank: the library loads and sends them, and the token
/// endpoint refuses them (an error judged by the server). `blank` holds the quoted key names.
fn blank_credentials(
    ctx: &FileCtx,
    out: &mut Vec<Diagnostic>,
    span: std::ops::Range<usize>,
    blank: &[String],
    what_happens: &str,
    help: &'static str,
) {
    if blank.is_empty() {
        return;
    }
    let verb = if blank.len() > 1 { "are" } else { "is" };
    out.push(
        ctx.diag(
            "missing-credentials",
            span,
            format!("{} {verb} empty: {what_happens}", blank.join(" and ")),
        )
        .judged(super::Judge::Server)
        .help(help),
    );
}

fn missing(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    if ctx.lang() == Lang::Php {
        return php_missing(ctx, out);
    }
    if adc(ctx) {
        return;
    }
    if ctx.lang() == Lang::Python && python_missing(ctx, out) {
        return;
    }
    let cat = ctx.lang().catalog();
    let user: Vec<&str> = USER.iter().copied().filter(|n| present(ctx, n)).collect();
    let sa = present(ctx, "json_key_file_path");
    if adc(ctx) || sa || user.len() == USER.len() {
        return;
    }
    let key = |n: &str| {
        cat.for_neutral(n)
            .map(|k| k.key.clone())
            .unwrap_or_else(|| n.to_string())
    };
    let lib = ctx.library();
    if user.is_empty() {
        let fallback = match ctx.lang() {
            Lang::Php => {
                " (google-ads-php then silently falls back to Application Default Credentials)"
            }
            Lang::Python => ": \"Your YAML file is incorrectly configured for OAuth2.\"",
            _ => "",
        };
        let sa_key = key("json_key_file_path");
        out.push(
            ctx.diag(
                "missing-credentials",
                0..0,
                format!("no credentials: {lib} needs {}, or `{sa_key}` for a service account{fallback}",
                    USER.iter().map(|n| format!("`{}`", key(n))).collect::<Vec<_>>().join(", ")),
            )
            .help("run `adsconf auth --client-secrets client_secret.json --write FILE` to obtain and write the OAuth credentials"),
        );
        return;
    }
    let missing: Vec<String> = USER
        .iter()
        .filter(|n| !user.contains(n))
        .map(|n| format!("`{}`", key(n)))
        .collect();
    let have: Vec<String> = user.iter().map(|n| format!("`{}`", key(n))).collect();
    let span = user
        .iter()
        .filter_map(|n| ctx.find_neutral(n))
        .map(|e| e.key_span.clone())
        .min_by_key(|r| r.start)
        .unwrap_or(0..0);
    let extra = match ctx.lang() {
        Lang::Php if !user.contains(&"refresh_token") => {
            " google-ads-php then silently falls back to Application Default Credentials.".to_string()
        }
        Lang::Php => " google-ads-php stops with \"Both 'clientId' and 'clientSecret' must be set when using 'refreshToken'.\"".to_string(),
        _ => String::new(),
    };
    out.push(
        ctx.diag(
            "missing-credentials",
            span,
            format!(
                "incomplete OAuth credentials: {} set but {} missing.{extra}",
                have.join(" and "),
                missing.join(" and ")
            ),
        )
        .help(if !user.contains(&"refresh_token") {
            "obtain a refresh token with `adsconf auth --client-secrets client_secret.json --write FILE`".to_string()
        } else {
            format!("add {} from the Cloud console (APIs & Services → Credentials)", missing.join(" and "))
        }),
    );
}

fn conflicting(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let user: Vec<&str> = USER.iter().copied().filter(|n| present(ctx, n)).collect();
    let sa_keys: Vec<&str> = ["json_key_file_path", "impersonated_email"]
        .into_iter()
        .filter(|n| present(ctx, n))
        .collect();
    let adc = adc(ctx);
    let label = |n: &str| {
        ctx.find_neutral(n)
            .map(entry_label)
            .unwrap_or_else(|| n.to_string())
    };
    if adc && (!user.is_empty() || !sa_keys.is_empty()) && ctx.lang() == Lang::Java {
        let e = ctx.find_neutral("use_application_default_credentials");
        out.push(
            ctx.diag(
                "conflicting-credentials",
                e.map(|e| e.key_span.clone()).unwrap_or(0..0),
                "google-ads-java refuses this file: \"Cannot use application default credentials when other credential types are specified in the configuration.\"".into(),
            )
            .help("remove the other credential keys, or set useApplicationDefaultCredentials to false"),
        );
        return;
    }
    // google-ads-php: a key file with any of the user keys present, even empty ("" is not
    // null), is refused.
    if ctx.lang() == Lang::Php {
        let php_user: Vec<&str> = USER
            .iter()
            .copied()
            .filter(|n| {
                ctx.find_neutral(n)
                    .is_some_and(|e| !matches!(e.value, Value::Null))
            })
            .collect();
        let key_file = ctx
            .find_neutral("json_key_file_path")
            .filter(|e| !super::loaders::php_empty(&e.value));
        if let (Some(k), false) = (key_file, php_user.is_empty()) {
            let users = php_user
                .iter()
                .map(|n| format!("`{}`", label(n)))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                ctx.diag(
                    "conflicting-credentials",
                    k.key_span.clone(),
                    format!("both OAuth user keys ({users}) and `{}` are set; google-ads-php refuses it: \"Cannot have both service account flow and installed/web application flow credential values set.\"", entry_label(k)),
                )
                .help("keep one credential set and delete the other (an empty key counts as set)"),
            );
        }
        if key_file.is_some() {
            return;
        }
    }
    if user.is_empty() || sa_keys.is_empty() {
        return;
    }
    let sa_entry = sa_keys
        .iter()
        .filter_map(|n| ctx.find_neutral(n))
        .min_by_key(|e| e.key_span.start);
    let span = sa_entry.map(|e| e.key_span.clone()).unwrap_or(0..0);
    let users = user
        .iter()
        .map(|n| format!("`{}`", label(n)))
        .collect::<Vec<_>>()
        .join(", ");
    let sas = sa_keys
        .iter()
        .map(|n| format!("`{}`", label(n)))
        .collect::<Vec<_>>()
        .join(", ");
    let (what, sev) = match ctx.lang() {
        Lang::Java => (
            "google-ads-java refuses the file: \"Entries found in properties for both SERVICE_ACCOUNT_SECRETS_PATH and REFRESH_TOKEN.\"".to_string(),
            Severity::Error,
        ),
        Lang::Php if present(ctx, "json_key_file_path") => (
            "google-ads-php refuses it: \"Cannot have both service account flow and installed/web application flow credential values set.\"".to_string(),
            Severity::Error,
        ),
        Lang::Python => ("google-ads-python silently uses the refresh token and ignores the service account".to_string(), Severity::Warning),
        Lang::Ruby => ("google-ads-ruby silently uses the service account (keyfile) and ignores the refresh token".to_string(), Severity::Warning),
        Lang::Dotnet | Lang::DotnetJson | Lang::Csharp => (
            "google-ads-dotnet uses whichever OAuth2Mode selects and ignores the other".to_string(),
            Severity::Warning,
        ),
        Lang::Perl => ("google-ads-perl tries the refresh token first and ignores the service account".to_string(), Severity::Warning),
        _ => ("libraries disagree on which one wins".to_string(), Severity::Warning),
    };
    out.push(
        ctx.diag(
            "conflicting-credentials",
            span,
            format!("both OAuth user credentials ({users}) and service-account credentials ({sas}) are set; {what}"),
        )
        .severity(sev)
        .help("keep one credential set and delete the other"),
    );
}

fn developer_token(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let Some(e) = ctx.find_neutral("developer_token") else {
        return;
    };
    let t = e.value.to_text();
    if t.trim().is_empty() || is_placeholder(&t) || matches!(e.value, Value::Null) {
        return;
    }
    // The catalogue's `required_before` says which releases still require the key.
    let before = ctx
        .catalog_key(e)
        .and_then(|k| k.required_before.as_deref())
        .and_then(super::Version::parse);
    let still = match (ctx.version, before) {
        (Some(v), Some(b)) if v < b => format!(
            " {} {v} still requires the key to be present; {b} and later do not.",
            ctx.lang().catalog().library
        ),
        _ => String::new(),
    };
    out.push(
        ctx.diag(
            "developer-token-ignored",
            e.key_span.clone(),
            format!(
                "`{}` is set, but the API has ignored developer tokens since 2026-09-09; access now depends on the Google Cloud project of the OAuth client or service account.{still}",
                entry_label(e)
            ),
        )
        .help("nothing is broken; remove the key when every library version you use no longer requires it"),
    );
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The 7-day life of a refresh token minted while the consent screen is in Testing mode.
const TESTING_LIFE: u64 = 7 * 86_400;

/// A refresh token whose minted record (written by `auth --write` / `init`) says it is dead,
/// or would be if the consent screen were in Testing mode. Only the record is read: the
/// publishing status is not knowable offline, and the message says so.
fn token_age(ctx: &FileCtx, out: &mut Vec<Diagnostic>, now: u64) {
    let Some(e) = ctx.find_neutral("refresh_token") else {
        return;
    };
    let token = e.value.to_text();
    if token.trim().is_empty() || is_placeholder(&token) {
        return;
    }
    let stamp = match ctx.fs_path {
        Some(p) => minted::for_token(p, &ctx.src.text, &token),
        None => minted::Stamp::parse(&ctx.src.text).filter(|s| s.is_for(&token)),
    };
    let Some(s) = stamp else {
        return;
    };
    let when = |t: u64| minted::iso8601(t);
    let span = FileCtx::key_span(e);
    let publish = "if the consent screen is in Testing mode, open Google Auth Platform > Audience in the Cloud console and click Publish app, then run `adsconf auth --client-secrets FILE --write CONFIG` for a new token (a token minted in Testing mode keeps its 7-day life)";
    let d = match s.expires_in {
        // Google said, when it minted the token, that it would expire: no guess involved.
        Some(life) => {
            let end = s.minted.saturating_add(life);
            let said = format!(
                "when adsconf minted it ({}), Google said it would last {:.1} days (a time-limited grant; a consent screen in Testing mode gives 7 days)",
                when(s.minted),
                life as f64 / 86_400.0
            );
            if now >= end {
                ctx.diag(
                    "refresh-token-age",
                    span,
                    format!(
                        "the refresh token expired on {}: {said}; {} will fail at its first call with invalid_grant",
                        when(end),
                        ctx.library()
                    ),
                )
                .severity(Severity::Warning)
            } else {
                ctx.diag(
                    "refresh-token-age",
                    span,
                    format!("the refresh token expires on {}: {said}", when(end)),
                )
            }
        }
        None if s.age(now) > minted::TESTING_MODE_SECS => {
            let end = s.minted.saturating_add(TESTING_LIFE);
            let fate = if now >= end {
                format!("it died on {}", when(end))
            } else {
                format!("it dies on {}", when(end))
            };
            ctx.diag(
                "refresh-token-age",
                span,
                format!(
                    "the refresh token was minted by adsconf on {}, over 6 days ago: if the app's OAuth consent screen is in Testing mode, {fate} (Testing-mode tokens last 7 days). adsconf cannot see the publishing status offline; `adsconf verify` tries the token",
                    when(s.minted)
                ),
            )
        }
        None => return,
    };
    out.push(d.help(format!(
        "{publish}; if the app is already in production, nothing is wrong: ignore this rule"
    )));
}

#[cfg(test)]
mod age_tests {
    use super::*;
    use crate::formats;
    use crate::source::Source;

    const DAY: u64 = 86_400;
    const T0: u64 = 1_762_077_600; // 2025-11-02T10:00:00Z

    fn findings(text: &str, now: u64) -> Vec<Diagnostic> {
        let src = Source::of(text);
        let parsed = formats::format(Lang::Python).parse(&src);
        let env = Default::default();
        let ctx = FileCtx::text("google-ads.yaml", &src, &parsed, &env);
        let mut out = Vec::new();
        token_age(&ctx, &mut out, now);
        out
    }

    fn config(stamp: &minted::Stamp, token: &str) -> String {
        format!("# {}\nrefresh_token: \"{token}\"\n", stamp.text())
    }

    #[test]
    fn a_lifetime_google_announced_decides_the_severity() {
        let s = minted::Stamp::new("1//tok", T0, Some(7 * DAY));
        let text = config(&s, "1//tok");
        let dead = findings(&text, T0 + 7 * DAY);
        assert_eq!(dead.len(), 1);
        assert_eq!(dead[0].severity, Severity::Warning);
        assert!(
            dead[0].message.contains("expired on 2025-11-09T10:00:00Z"),
            "{}",
            dead[0].message
        );
        let alive = findings(&text, T0 + DAY);
        assert_eq!(alive.len(), 1);
        assert_eq!(alive[0].severity, Severity::Info);
        assert!(alive[0].message.contains("expires on 2025-11-09T10:00:00Z"));
    }

    #[test]
    fn without_google_s_word_it_is_an_info_after_six_days_only() {
        let s = minted::Stamp::new("1//tok", T0, None);
        let text = config(&s, "1//tok");
        assert!(findings(&text, T0 + 6 * DAY).is_empty());
        let soon = findings(&text, T0 + 6 * DAY + 1);
        assert_eq!(soon.len(), 1);
        assert_eq!(soon[0].severity, Severity::Info);
        assert!(soon[0].message.contains("it dies on 2025-11-09T10:00:00Z"));
        let old = findings(&text, T0 + 30 * DAY);
        assert!(old[0].message.contains("it died on 2025-11-09T10:00:00Z"));
        assert!(old[0].message.contains("cannot see the publishing status"));
        assert!(!old[0].message.contains("1//tok"));
    }

    #[test]
    fn a_record_of_another_token_says_nothing() {
        let s = minted::Stamp::new("1//old", T0, Some(7 * DAY));
        assert!(findings(&config(&s, "1//new-pasted-later"), T0 + 30 * DAY).is_empty());
        assert!(findings("refresh_token: \"1//tok\"\n", T0 + 30 * DAY).is_empty());
    }
}
