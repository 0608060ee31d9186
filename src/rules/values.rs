//! Values the library's own validation refuses: value sets (`values` in the catalogue) and
//! shapes (`shape`): URLs as PHP's filter_var/parse_url, Ruby's URI and LWP see them, JSON
//! strings. Rules `invalid-value` and `invalid-url`.

use super::{is_placeholder, DiagExt, FileCtx};
use crate::diag::{Diagnostic, Severity};
use crate::formats::entry_label;
use crate::model::Value;

/// google-ads-ruby puts `developer_token` into the call's metadata as is (ServiceLookup#headers,
/// service_lookup.rb l.89-91 at 42.0.0), unless use_cloud_org_for_api_access is truthy; gRPC
/// refuses a metadata value that is not a String before anything is sent.
fn ruby_header_types(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let Some(e) = ctx.find_neutral("developer_token") else {
        return;
    };
    let class = match &e.value {
        Value::Int(_) => "an Integer",
        Value::Float(_) => "a Float",
        Value::Bool(true) => "true",
        Value::Symbol(_) => "an IO",
        _ => return,
    };
    if super::credentials::flag_on(ctx, "use_cloud_org_for_api_access") {
        return;
    }
    out.push(
        ctx.diag(
            "invalid-value",
            FileCtx::value_span(e),
            format!(
                "`{}` is {class}, not a String: google-ads-ruby sends it as the developer-token header and gRPC refuses it at the first call (\"Header values must be of type string or array\")",
                entry_label(e)
            ),
        )
        .judged(super::Judge::Loader)
        .help("quote the token: c.developer_token = '…'"),
    );
}

/// google-ads-php's builder checks that need two settings, or a type the INI scanner gave:
/// an insecure gRPC channel with another transport (GoogleAdsClientBuilder::validate,
/// l.470-477 at 33.5.0) and a log file path that is not a string (Monolog's StreamHandler,
/// created in from(): "A stream must either be a resource or a string.").
fn php_builder(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    if let Some(e) = ctx.find_neutral("log_file_path") {
        if matches!(e.value, Value::Int(_) | Value::Float(_) | Value::Bool(_)) {
            out.push(
                ctx.diag(
                    "invalid-value",
                    FileCtx::value_span(e),
                    format!(
                        "`{}` is read as {} (unquoted), not a path: google-ads-php stops when it creates its logger (\"A stream must either be a resource or a string.\")",
                        entry_label(e),
                        match e.value {
                            Value::Bool(b) => format!("the boolean {b}"),
                            _ => format!("the number {}", e.value.to_text()),
                        }
                    ),
                )
                .help("quote the path: logFilePath = \"/var/log/google-ads.log\""),
            );
        }
    }
    // filter_var(FILTER_VALIDATE_BOOLEAN, FILTER_NULL_ON_FAILURE, default true): only a
    // false word (or the boolean false the typed scanner gives for off/no) is false.
    let insecure = ctx
        .find_neutral("grpc_channel_is_secure")
        .filter(|e| match &e.value {
            Value::Bool(b) => !b,
            Value::Int(i) => *i == 0,
            Value::Str(s) => matches!(
                s.trim().to_ascii_lowercase().as_str(),
                "0" | "false" | "off" | "no"
            ),
            _ => false,
        });
    let transport = ctx.find_neutral("transport");
    if let (Some(i), Some(t)) = (insecure, transport) {
        let tv = &t.value;
        if !super::loaders::php_empty(tv) && tv.to_text() != "grpc" {
            out.push(
                ctx.diag(
                    "invalid-value",
                    FileCtx::value_span(i),
                    format!(
                        "`{}` is false with transport '{}': google-ads-php stops with \"The gRPC channel can only be set as insecure when the transport is \"grpc\".\"",
                        entry_label(i),
                        tv.to_text()
                    ),
                )
                .help("remove grpcChannelIsSecure (REST is always secure), or use transport = \"grpc\""),
            );
        }
    }
}

pub fn check(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    if ctx.lang() == crate::lang::Lang::Ruby {
        ruby_header_types(ctx, out);
    }
    if ctx.lang() == crate::lang::Lang::Php {
        php_builder(ctx, out);
    }
    let lib = ctx.library();
    for e in ctx.parsed.effective() {
        let Some(k) = ctx.catalog_key(e) else {
            continue;
        };
        if k.values.is_empty() && k.shape.is_none() {
            continue;
        }
        if k.shape.as_deref() == Some("json_string") {
            python_logging(ctx, e, out);
            continue;
        }
        if matches!(e.value, Value::Null) {
            continue;
        }
        // GoogleAdsClientBuilder::validate checks these only `if (!empty($x))`: null, false,
        // 0, "" and "0" count as unset.
        if ctx.lang() == crate::lang::Lang::Php
            && matches!(
                k.key.as_str(),
                "transport" | "endpoint" | "proxy" | "ads_assistant"
            )
            && super::loaders::php_empty(&e.value)
        {
            continue;
        }
        let text = e.value.to_text();
        if is_placeholder(&text) {
            continue;
        }
        let label = entry_label(e);
        let warning = k.invalid.as_deref() == Some("warning");
        let span = FileCtx::value_span(e);
        if !k.values.is_empty() {
            let ok = k.values.iter().any(|v| {
                if k.values_ignore_case {
                    v.eq_ignore_ascii_case(&text)
                } else {
                    *v == text
                }
            });
            if !ok {
                let case = if k.values_ignore_case {
                    " (any case)"
                } else {
                    ""
                };
                let what = if warning {
                    format!("{lib} cannot use it and carries on without it")
                } else {
                    format!("{lib} refuses to start")
                };
                let mut d = ctx
                    .diag(
                        "invalid-value",
                        span,
                        format!(
                            "`{label}` is '{}', which {lib} does not accept; {what}",
                            ctx.shown(e)
                        ),
                    )
                    .help(format!("use one of: {}{case}", k.values.join(", ")));
                if warning {
                    d = d.severity(Severity::Warning);
                }
                out.push(d);
            }
            continue;
        }
        if text.trim().is_empty() && k.shape.as_deref() != Some("not_blank") {
            continue;
        }
        let problem = match k.shape.as_deref() {
            Some("php_filter_url") => (!php_filter_url(&text)).then(|| {
                "google-ads-php refuses it: \"Proxy must be a valid URI in the form protocol://user:pass@host:port\"".to_string()
            }),
            Some("php_parse_url") => (!php_parse_url(&text))
                .then(|| "google-ads-php refuses it: \"Endpoint must be a valid URL.\"".to_string()),
            Some("not_blank") => (!text.is_empty() && text.trim().is_empty()).then(|| {
                "google-ads-php refuses a blank value: \"The ads assistant metadata must not be empty.\"".to_string()
            }),
            Some("ruby_http_proxy") => ruby_proxy_scheme(&text).map(|s| {
                format!("google-ads-ruby raises \"{text} has invalid scheme {s}, should be http or https\" while it reads the file")
            }),
            Some("lwp_proxy") => lwp_proxy_scheme(&text).map(|s| {
                format!("LWP has no protocol handler for '{s}': google-ads-perl gets no token and finds \"no authorization mechanism\" before the first request")
            }),
            _ => None,
        };
        if let Some(why) = problem {
            let rule = if k.shape.as_deref() == Some("not_blank") {
                "invalid-value"
            } else {
                "invalid-url"
            };
            let shown = crate::mask::mask_url_password(&text);
            out.push(
                ctx.diag(rule, span, format!("`{label}` is '{shown}': {why}"))
                    .help(match rule {
                        "invalid-url" => "write the full URL with its scheme, e.g. http://user:password@proxy.example.com:8080",
                        _ => "give a value the library accepts, or delete the line",
                    }),
            );
        }
    }
}

/// google-ads-python's `logging` (config.py `_config_parser_decorator`, client.py
/// `GoogleAdsClient.__init__`): a value that is not a mapping is `json.loads`ed (a failure is
/// "The configuration value should be a valid JSON string.", null a TypeError), then
/// `logging.config.dictConfig` runs on a non-empty result, which needs `version: 1`.
fn python_logging(ctx: &FileCtx, e: &crate::formats::Entry, out: &mut Vec<Diagnostic>) {
    let label = entry_label(e);
    let parsed: Result<serde_json::Value, String> = match &e.value {
        Value::Json(j) => Ok(j.clone()),
        Value::Null => Err("google-ads-python passes a null `logging` to json.loads and stops (TypeError: the JSON object must be str, bytes or bytearray, not NoneType)".to_string()),
        Value::Str(s) => serde_json::from_str(s).map_err(|_| {
            "google-ads-python parses a string `logging` value as JSON and stops: \"The configuration value should be a valid JSON string.\"".to_string()
        }),
        other => Err(format!(
            "google-ads-python passes `logging` ({}) to json.loads and stops (TypeError)",
            other.to_text()
        )),
    };
    let problem = match parsed {
        Err(why) => Some(why),
        Ok(j) => {
            // dictConfig runs only when the value is truthy (an empty mapping is skipped).
            let falsy = match &j {
                serde_json::Value::Object(m) => m.is_empty() && matches!(e.value, Value::Json(_)),
                serde_json::Value::Null => matches!(e.value, Value::Json(_)),
                _ => false,
            };
            if falsy {
                None
            } else {
                match j.as_object().map(|m| m.get("version")) {
                    None => Some("logging.config.dictConfig needs a mapping: google-ads-python stops when it configures logging".to_string()),
                    Some(None) => Some("logging.config.dictConfig refuses it: \"dictionary doesn't specify a version\"".to_string()),
                    Some(Some(v)) if v.as_f64() != Some(1.0) => Some(format!(
                        "logging.config.dictConfig refuses it: \"Unsupported version: {v}\""
                    )),
                    Some(Some(_)) => None,
                }
            }
        }
    };
    if let Some(why) = problem {
        let shown = match &e.value {
            Value::Null => "null".to_string(),
            v => v.to_text(),
        };
        out.push(
            ctx.diag(
                "invalid-value",
                FileCtx::value_span(e),
                format!("`{label}` is '{shown}': {why}"),
            )
            .help("give a logging.config dictionary with \"version\": 1 (as a YAML mapping or a JSON string), or delete the line"),
        );
    }
}

/// `scheme://` at the start, as URL parsers read it.
fn scheme(text: &str) -> Option<&str> {
    let i = text.find(':')?;
    let s = &text[..i];
    (!s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(s)
}

/// PHP `filter_var($url, FILTER_VALIDATE_URL)`: a scheme, `//`, a host, a numeric port if any.
fn php_filter_url(text: &str) -> bool {
    let Some(s) = scheme(text) else { return false };
    let Some(rest) = text[s.len() + 1..].strip_prefix("//") else {
        // mailto:, news: and file: are the only schemes allowed without a host.
        return matches!(s.to_ascii_lowercase().as_str(), "mailto" | "news" | "file");
    };
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || host_port.starts_with('[') => (h, Some(p)),
        _ => (host_port, None),
    };
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '[' | ']' | ':'))
    {
        return false;
    }
    !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && port.is_none_or(|p| {
            !p.is_empty()
                && p.len() <= 5
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u32>().is_ok_and(|n| n <= 65535)
        })
}

/// PHP `parse_url($url) !== false`: lenient; it fails on `scheme:///path`, an empty host
/// after `//` with a port, and a port that is not a number up to 65535.
fn php_parse_url(text: &str) -> bool {
    let after_scheme = match scheme(text) {
        Some(s) => &text[s.len() + 1..],
        None => text,
    };
    if after_scheme.starts_with("///") && scheme(text).is_some() {
        return false;
    }
    if let Some(rest) = after_scheme.strip_prefix("//") {
        let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if let Some((h, p)) = host_port.rsplit_once(':') {
            if h.is_empty() && !p.is_empty() {
                return false;
            }
            let port_ok =
                p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u32>().is_ok_and(|n| n <= 65535);
            if !p.is_empty() && !port_ok {
                return false;
            }
        }
    }
    true
}

/// The scheme Ruby's `URI.parse` sees when it is not http/https (`localhost:8080` has the
/// scheme `localhost`); `None` when the proxy is accepted.
fn ruby_proxy_scheme(text: &str) -> Option<String> {
    let s = scheme(text).map(|s| s.to_ascii_lowercase());
    match s.as_deref() {
        Some("http") | Some("https") => None,
        Some(other) => Some(other.to_string()),
        None => Some(String::new()),
    }
}

/// LWP picks the protocol handler by the proxy URL's scheme; only http and https exist.
fn lwp_proxy_scheme(text: &str) -> Option<String> {
    ruby_proxy_scheme(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn php_urls_as_filter_var_and_parse_url_read_them() {
        assert!(php_filter_url("http://u:p@localhost:8080"));
        assert!(php_filter_url("https://proxy.example.com"));
        assert!(!php_filter_url("localhost:8080"));
        assert!(!php_filter_url("protocol://user:pass@host:port"));
        assert!(!php_filter_url("http://h:port"));
        assert!(php_parse_url("googleads.googleapis.com"));
        assert!(php_parse_url("https://googleads.googleapis.com/"));
        assert!(!php_parse_url("http:///x"));
        assert!(!php_parse_url("//:80"));
    }

    #[test]
    fn proxy_schemes() {
        assert_eq!(ruby_proxy_scheme("http://h:1"), None);
        assert_eq!(
            ruby_proxy_scheme("localhost:8080").as_deref(),
            Some("localhost")
        );
        assert_eq!(
            ruby_proxy_scheme("socks5://h:1080").as_deref(),
            Some("socks5")
        );
    }
}
