//! Value shapes: customer ids, refresh tokens, OAuth client ids.

use super::loaders::{self, RubyId};
use super::{is_placeholder, DiagExt, FileCtx, Judge};
use crate::diag::{Applicability, Diagnostic, Severity};
use crate::edit::Edit;
use crate::formats::{entry_label, Entry};
use crate::lang::Lang;
use crate::model::Value;
use crate::schema::{self, KeyType};

pub fn check(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    for e in ctx.parsed.effective() {
        let Some(n) = ctx.neutral_of(e) else { continue };
        let text = e.value.to_text();
        let is_id = schema::neutral(n).is_some_and(|k| k.ty == KeyType::CustomerId);
        // An empty id string is refused by the libraries that convert it (Python's str()
        // check, Ruby's Integer()); elsewhere `empty-value` reports it.
        let empty_refused = is_id
            && matches!(e.value, Value::Str(_))
            && matches!(ctx.lang(), Lang::Python | Lang::Ruby);
        if is_placeholder(&text)
            || (text.trim().is_empty() && !empty_refused)
            || matches!(e.value, Value::Null)
        {
            continue;
        }
        if is_id {
            customer_id(ctx, e, out);
        }
        match n {
            "refresh_token" => refresh_token(ctx, e, out),
            "client_id" => client_id(ctx, e, out),
            _ => {}
        }
    }
}

/// The value text without surrounding quotes, and the byte offset of that text in the file.
fn unquoted(e: &Entry) -> (&str, usize) {
    let raw = e.raw.as_str();
    let t = raw.trim_end_matches(['\r']);
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return (&t[1..t.len() - 1], e.value_span.start + 1);
        }
    }
    (t, e.value_span.start)
}

fn customer_id(ctx: &FileCtx, e: &Entry, out: &mut Vec<Diagnostic>) {
    let label = entry_label(e);
    let lang = ctx.lang();
    // customer-id-type: the format reads a number.
    if let Value::Int(_) | Value::Float(_) = e.value {
        let (inner, _) = unquoted(e);
        // YAML 1.1 and Ruby read `_` between digits as a separator: 123_456_7890 is
        // 1234567890, which both libraries then use as written.
        let separators = matches!(lang, Lang::Python | Lang::Ruby);
        let digits_written: String = inner
            .chars()
            .filter(|c| !(c.is_whitespace() || separators && *c == '_'))
            .collect();
        let read = e.value.to_text();
        let same = digits_written == read;
        let how = match lang {
            Lang::Python => "YAML",
            Lang::Php => "PHP's typed INI scanner",
            Lang::Ruby => "Ruby",
            Lang::DotnetJson => "JSON",
            Lang::Csharp => "C#",
            _ => "the format",
        };
        let msg = if same {
            format!("`{label}` is written as a number; {how} reads it as the integer {read}")
        } else {
            format!(
                "{how} reads `{label}` = {} as the number {read}, not the id you wrote",
                inner.trim()
            )
        };
        let quote = if lang == Lang::Ruby || lang == Lang::Python {
            "'"
        } else {
            "\""
        };
        let mut d = ctx
            .diag("customer-id-type", e.value_span.clone(), msg)
            .help(format!("quote it: {quote}{}{quote}", inner.trim()));
        if !same {
            d = d.severity(Severity::Error);
            if lang == Lang::Ruby {
                // Integer() accepts the number; the header is its decimal text (other digits).
                d.message.push_str(&format!(
                    "; google-ads-ruby sends {read} as the header, which is not the account meant"
                ));
                d = d.judged(Judge::Server);
            }
        }
        if lang != Lang::Csharp {
            let app = if same {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            d = d.fix(
                app,
                "quote the id",
                vec![Edit::replace(
                    e.value_span.clone(),
                    format!("{quote}{}{quote}", inner.trim()),
                )],
            );
        }
        out.push(d);
        if same && read.len() == 10 || !same && lang == Lang::Ruby {
            return;
        }
    }
    match lang {
        Lang::Ruby => return ruby_id(ctx, e, out),
        Lang::Php if loaders::php_negative(&e.value) => {
            let which = if label.to_ascii_lowercase().contains("linked") {
                "linked"
            } else {
                "login"
            };
            out.push(
                ctx.diag(
                    "customer-id-format",
                    e.value_span.clone(),
                    format!(
                        "`{label}` is '{}', which google-ads-php counts as negative: it stops with \"The {which} customer ID must be a positive number.\"",
                        e.value.to_text()
                    ),
                )
                .judged(Judge::Loader)
                .help("write the 10 digits of the customer id"),
            );
            return;
        }
        _ => {}
    }
    let text = e.value.to_text();
    if text.len() == 10 && text.bytes().all(|b| b.is_ascii_digit()) {
        return;
    }
    let (inner, inner_start) = unquoted(e);
    // In .properties files trailing whitespace is properties-escape's finding (and fix).
    let inner = if matches!(lang, Lang::Java | Lang::Perl) {
        inner.trim_end_matches([' ', '\t'])
    } else {
        inner
    };
    if inner.len() == 10 && inner.bytes().all(|b| b.is_ascii_digit()) {
        return;
    }
    let digits: String = inner.chars().filter(|c| c.is_ascii_digit()).collect();
    let only_separators = inner
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '.' | '\t' | '_'));
    if digits.len() == 10 && only_separators {
        // Perl, google-ads-mcp and tap-googleads strip dashes themselves; the others fail.
        let perl_ok = matches!(lang, Lang::Perl | Lang::Mcp | Lang::Meltano)
            && inner.chars().all(|c| c.is_ascii_digit() || c == '-');
        let consequence = if perl_ok && lang == Lang::Perl {
            "google-ads-perl strips the dashes itself, but no other library does".to_string()
        } else if perl_ok {
            format!(
                "{} strips the dashes itself, but the client libraries do not",
                lang.info().reader
            )
        } else {
            library_error(lang, &label, inner).unwrap_or_default()
        };
        let mut d = ctx
            .diag(
                "customer-id-format",
                e.value_span.clone(),
                format!("`{label}` is '{inner}', not 10 digits without separators; {consequence}"),
            )
            .help(format!("write {digits}"));
        if perl_ok {
            d = d.severity(Severity::Warning).judged(Judge::None);
        }
        d = d.fix(
            Applicability::Safe,
            "remove the separators",
            vec![Edit::replace(
                inner_start..inner_start + inner.len(),
                digits,
            )],
        );
        out.push(d);
    } else {
        let what = if inner.contains('@') {
            " (an email address is not a customer id)"
        } else if digits.len() != 10 && !digits.is_empty() && digits.len() == inner.trim().len() {
            " (it has the wrong number of digits)"
        } else {
            ""
        };
        out.push(
            ctx.diag(
                "customer-id-format",
                e.value_span.clone(),
                format!(
                    "`{label}` must be a 10-digit Google Ads customer id; got '{}'{what}",
                    inner.trim()
                ),
            )
            .help("copy the id from the Google Ads UI (top right, 123-456-7890) and write its 10 digits; delete the line if you access accounts directly"),
        );
    }
}

/// The library's own error text for a malformed id, where it checks locally.
fn library_error(lang: Lang, label: &str, value: &str) -> Option<String> {
    let which = if label.to_ascii_lowercase().contains("linked") {
        "linked"
    } else {
        "login"
    };
    match lang {
        Lang::Python => Some(format!(
            "google-ads-python stops with \"The specified {which} customer ID is invalid. It must be a ten digit number represented as a string, i.e. '1234567890'\""
        )),
        Lang::Java => Some(format!(
            "google-ads-java stops with \"Invalid {which}CustomerId, must be a number, provided: {value}\""
        )),
        Lang::Ruby => Some(format!("google-ads-ruby stops with \"Invalid value for {which}_customer_id, must be integer\"")),
        Lang::Env => Some(
            "google-ads-python, -java and -ruby reject it when they read the environment; the other libraries send it and the server answers INVALID_LOGIN_CUSTOMER_ID".into(),
        ),
        Lang::Php | Lang::Dotnet | Lang::DotnetJson | Lang::Csharp | Lang::Curl => {
            Some("the library sends it as is and the server answers INVALID_LOGIN_CUSTOMER_ID".into())
        }
        Lang::Perl => None,
        Lang::Airbyte => Some("Airbyte refuses the config: its spec requires ^[0-9]{10}(,[0-9]{10})*$".into()),
        Lang::Singer => Some(format!(
            "the tap builds its google-ads client per entry, and google-ads-python stops with \"The specified {which} customer ID is invalid. It must be a ten digit number represented as a string, i.e. '1234567890'\""
        )),
        Lang::Dlt => Some("dlt passes it as is to search_stream and the server answers INVALID_CUSTOMER_ID".into()),
        Lang::Meltano | Lang::Mcp => None,
    }
}

/// google-ads-ruby: `Integer()` and the range check when the first service is fetched, then
/// the value's `to_s` as the header (rules::loaders::ruby_customer_id).
fn ruby_id(ctx: &FileCtx, e: &Entry, out: &mut Vec<Diagnostic>) {
    let label = entry_label(e);
    let field = if label.contains("linked") {
        "linked_customer_id"
    } else {
        "login_customer_id"
    };
    let (inner, inner_start) = unquoted(e);
    let shown = e.value.to_text();
    let digits: String = shown.chars().filter(|c| c.is_ascii_digit()).collect();
    let separators_only = matches!(e.value, Value::Str(_))
        && digits.len() == 10
        && shown
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '.' | '\t' | '_'));
    let remove_separators = |d: Diagnostic| {
        if separators_only {
            d.fix(
                Applicability::Safe,
                "remove the separators",
                vec![Edit::replace(
                    inner_start..inner_start + inner.len(),
                    digits.clone(),
                )],
            )
        } else {
            d
        }
    };
    match loaders::ruby_customer_id(field, &e.value) {
        RubyId::Unset => {}
        RubyId::Refused(msg) => {
            let octal = matches!(e.value, Value::Str(_))
                && shown.trim_start().starts_with('0')
                && shown.trim().len() > 1
                && shown.trim().bytes().all(|b| b.is_ascii_digit());
            let why = if octal {
                "; Integer() reads a leading 0 as octal, where 8 and 9 are not digits"
            } else {
                ""
            };
            let d = ctx
                .diag(
                    "customer-id-format",
                    e.value_span.clone(),
                    format!(
                        "`{label}` is '{shown}': google-ads-ruby stops at the first call with \"{msg}\"{why}"
                    ),
                )
                .help(if octal {
                    "google-ads-ruby cannot take an id with a leading 0 and an 8 or 9; write the 10 digits of the customer id".to_string()
                } else if separators_only {
                    format!("write {digits}")
                } else {
                    "write the 10 digits of the customer id".to_string()
                });
            out.push(remove_separators(d));
        }
        RubyId::Sent(header) => {
            let ten = |t: &str| t.len() == 10 && t.bytes().all(|b| b.is_ascii_digit());
            if ten(&header) {
                return;
            }
            if ten(header.trim()) {
                let d = ctx
                    .diag(
                        "customer-id-format",
                        e.value_span.clone(),
                        format!(
                            "`{label}` is '{shown}': google-ads-ruby accepts it, as Integer() ignores the spaces, but sends the header with them, which Google may refuse"
                        ),
                    )
                    .severity(Severity::Warning)
                    .judged(Judge::None)
                    .help(format!("write {}", header.trim()));
                out.push(remove_separators(d));
                return;
            }
            let d = ctx
                .diag(
                    "customer-id-format",
                    e.value_span.clone(),
                    format!(
                        "`{label}` is '{shown}': google-ads-ruby accepts it, as Integer() reads a number in it, but sends '{header}' as the {} header; the API answers INVALID_{}_CUSTOMER_ID",
                        field.replace('_', "-"),
                        if field.starts_with("linked") { "LINKED" } else { "LOGIN" }
                    ),
                )
                .judged(Judge::Server)
                .help(if separators_only {
                    format!("write {digits}")
                } else {
                    "write the 10 digits of the customer id".to_string()
                });
            out.push(remove_separators(d));
        }
    }
}

fn refresh_token(ctx: &FileCtx, e: &Entry, out: &mut Vec<Diagnostic>) {
    let label = entry_label(e);
    let (inner, inner_start) = unquoted(e);
    let t = inner.trim();
    let masked = crate::mask::mask(t);
    let what = if t.starts_with("4/") {
        Some("an authorization code (4/…), not a refresh token; it is exchanged once for tokens and then fails with invalid_grant")
    } else if t.starts_with("ya29.") {
        Some("an access token (ya29.…), not a refresh token; it expires within an hour")
    } else {
        None
    };
    if let Some(what) = what {
        out.push(
            ctx.diag("refresh-token-format", e.value_span.clone(), format!("`{label}` ('{masked}') is {what}"))
                .help("obtain a refresh token (it usually starts with 1//) with `adsconf auth --client-secrets FILE --write CONFIG`"),
        );
        return;
    }
    if t.contains(char::is_whitespace) || t.contains(['"', '\'']) {
        out.push(
            ctx.diag(
                "refresh-token-format",
                e.value_span.clone(),
                format!("`{label}` ('{masked}') contains whitespace or quotes, which are never part of a refresh token"),
            )
            .help("paste the token again without spaces or quotes"),
        );
        return;
    }
    let _ = inner_start;
}

/// `NUMBER-xxxx.apps.googleusercontent.com`.
fn looks_like_client_id(s: &str) -> bool {
    let Some(head) = s.strip_suffix(".apps.googleusercontent.com") else {
        return false;
    };
    let Some((num, rest)) = head.split_once('-') else {
        return false;
    };
    !num.is_empty()
        && num.bytes().all(|b| b.is_ascii_digit())
        && !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

fn client_id(ctx: &FileCtx, e: &Entry, out: &mut Vec<Diagnostic>) {
    let (inner, _) = unquoted(e);
    let t = inner.trim();
    if looks_like_client_id(t) {
        return;
    }
    let label = entry_label(e);
    let secret = ctx.find_neutral("client_secret");
    let swapped = secret.is_some_and(|s| looks_like_client_id(unquoted(s).0.trim()));
    if swapped || t.starts_with("GOCSPX-") {
        // The value shown is masked: it is probably the secret.
        let mut d = ctx
            .diag(
                "client-id-format",
                e.value_span.clone(),
                format!(
                    "`{label}` ('{}') looks like a client secret, not a client id{}",
                    crate::mask::mask(t),
                    if swapped { "; the client secret holds the client id: the two are swapped" } else { "" }
                ),
            )
            .help("the client id ends in .apps.googleusercontent.com; the secret usually starts with GOCSPX-");
        if let (true, Some(s)) = (swapped, secret) {
            d = d.fix(
                Applicability::Unsafe,
                "swap the client id and the client secret",
                vec![
                    Edit::replace(e.value_span.clone(), s.raw.clone()),
                    Edit::replace(s.value_span.clone(), e.raw.clone()),
                ],
            );
        }
        out.push(d);
        return;
    }
    let reason = if t.contains(char::is_whitespace) {
        "it contains whitespace"
    } else if t.ends_with(".apps.googleusercontent.com") {
        "the part before .apps.googleusercontent.com should be NUMBER-LETTERS"
    } else {
        "it should end in .apps.googleusercontent.com"
    };
    out.push(
        ctx.diag(
            "client-id-format",
            e.value_span.clone(),
            format!("`{label}` ('{t}') does not look like an OAuth client id: {reason}"),
        )
        .help("copy the client id from the Cloud console (APIs & Services → Credentials); it looks like 1234567890-abc123.apps.googleusercontent.com"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_id_shape() {
        assert!(looks_like_client_id("1234-abc.apps.googleusercontent.com"));
        assert!(!looks_like_client_id("GOCSPX-abc"));
        assert!(!looks_like_client_id("abc-1.apps.googleusercontent.com"));
        assert!(!looks_like_client_id("1234-ABC.apps.googleusercontent.com"));
    }
}
