//! `.dlt/secrets.toml` for dlt's verified source `google_ads` (dlt-hub/verified-sources).
//!
//! The source declares `credentials` (GcpOAuthCredentials: client_id, client_secret,
//! refresh_token, project_id — all required by dlt 1.31 — or a service account),
//! `impersonated_email` and `dev_token`, each resource `customer_id`, all as
//! `dlt.secrets.value` in the section `sources.google_ads`. dlt reads the file with tomlkit;
//! environment variables (`SOURCES__GOOGLE_ADS__DEV_TOKEN`, …) come first. The source never
//! passes a login-customer-id.

use minijinja::Environment;

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::render;
use crate::formats::{Entry, Format, Parsed, Problem, ProblemKind};
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

pub struct Dlt;

/// The section every key of the source lives in.
pub const SECTION: &str = "sources.google_ads";

/// A TOML basic string: `"`, `\` and control characters escaped.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The environment variable dlt reads for a dotted key (`SOURCES__GOOGLE_ADS__DEV_TOKEN`).
pub fn env_name(dotted: &str) -> String {
    dotted.replace('.', "__").to_ascii_uppercase()
}

pub fn register(env: &mut Environment<'static>) {
    env.add_filter("toml_string", |v: minijinja::Value| -> String {
        match v.as_str() {
            Some(s) => toml_string(s),
            None => toml_string(&v.to_string()),
        }
    });
    env.add_filter("dlt_env", |dotted: &str| -> String { env_name(dotted) });
}

fn value_of(v: &toml_edit::Value) -> Value {
    match v {
        toml_edit::Value::String(s) => Value::Str(s.value().clone()),
        toml_edit::Value::Integer(i) => Value::Int(*i.value()),
        toml_edit::Value::Float(f) => Value::Float(*f.value()),
        toml_edit::Value::Boolean(b) => Value::Bool(*b.value()),
        toml_edit::Value::Datetime(d) => Value::Str(d.value().to_string()),
        other => Value::Json(serde_json::from_str(&other.to_string()).unwrap_or(
            serde_json::Value::String(other.to_string().trim().to_string()),
        )),
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |p| p + 1)
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |p| at + p + 1)
}

fn walk(table: &toml_edit::Table, prefix: &str, text: &str, out: &mut Vec<Entry>) {
    for (k, item) in table.iter() {
        let key = if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        };
        match item {
            toml_edit::Item::Table(t) => walk(t, &key, text, out),
            toml_edit::Item::Value(toml_edit::Value::InlineTable(t)) => {
                let mut inner = toml_edit::Table::new();
                for (ik, iv) in t.iter() {
                    inner.insert(ik, toml_edit::Item::Value(iv.clone()));
                }
                // Inline tables keep their spans only on the original values.
                for (ik, iv) in t.iter() {
                    if let Some(span) = iv.span() {
                        let key_span = t.key(ik).and_then(|kk| kk.span()).unwrap_or(span.clone());
                        out.push(Entry {
                            section: None,
                            key: format!("{key}.{ik}"),
                            value: value_of(iv),
                            raw: text[span.clone()].to_string(),
                            key_span: key_span.clone(),
                            value_span: span.clone(),
                            entry_span: key_span.start..span.end,
                        });
                    }
                }
            }
            toml_edit::Item::Value(v) => {
                let Some(span) = v.span() else { continue };
                let key_span = table
                    .key(k)
                    .and_then(|kk| kk.span())
                    .unwrap_or(span.start..span.start);
                out.push(Entry {
                    section: None,
                    key,
                    value: value_of(v),
                    raw: text[span.clone()].to_string(),
                    key_span: key_span.clone(),
                    value_span: span.clone(),
                    entry_span: line_start(text, key_span.start)..line_end(text, span.end),
                });
            }
            toml_edit::Item::ArrayOfTables(_) | toml_edit::Item::None => {}
        }
    }
}

fn parse_doc(src: &Source) -> std::result::Result<toml_edit::ImDocument<&str>, Problem> {
    toml_edit::ImDocument::parse(src.text.as_str()).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        Problem {
            kind: ProblemKind::Syntax,
            span,
            message: format!(
                "invalid TOML: {}",
                e.message().lines().next().unwrap_or("parse error")
            ),
        }
    })
}

/// The explicit `[table]` headers and where each one's last line ends.
fn table_ends(text: &str, doc: &toml_edit::ImDocument<&str>) -> Vec<(String, usize)> {
    fn rec(t: &toml_edit::Table, prefix: &str, text: &str, out: &mut Vec<(String, usize)>) {
        for (k, item) in t.iter() {
            if let toml_edit::Item::Table(sub) = item {
                let name = if prefix.is_empty() {
                    k.to_string()
                } else {
                    format!("{prefix}.{k}")
                };
                if let Some(h) = sub.span() {
                    // The table's own values (not its sub-tables) end its block.
                    let last = sub
                        .iter()
                        .filter_map(|(_, i)| match i {
                            toml_edit::Item::Value(v) => v.span().map(|s| s.end),
                            _ => None,
                        })
                        .max()
                        .unwrap_or(h.end);
                    out.push((name.clone(), line_end(text, last.max(h.end))));
                }
                rec(sub, &name, text, out);
            }
        }
    }
    let mut out = Vec::new();
    rec(doc.as_table(), "", text, &mut out);
    out
}

impl Format for Dlt {
    fn lang(&self) -> Lang {
        Lang::Dlt
    }

    fn parse(&self, src: &Source) -> Parsed {
        let mut parsed = Parsed::new(Lang::Dlt);
        match parse_doc(src) {
            Ok(doc) => walk(doc.as_table(), "", &src.text, &mut parsed.entries),
            Err(p) => parsed.problems.push(p),
        }
        parsed
    }

    fn render(&self, settings: &Settings) -> Result<String> {
        let env = settings.get_str("secrets_in") == Some("env");
        render::render_with(
            Lang::Dlt,
            settings,
            &serde_json::Value::Null,
            &serde_json::json!({ "secrets_in_env": env, "section": SECTION }),
        )
    }

    fn cannot_carry(&self, neutral: &str, value: &Value) -> Option<String> {
        let t = value.to_text();
        match neutral {
            "customer_id" if !(t.len() == 10 && t.bytes().all(|b| b.is_ascii_digit())) => Some(format!(
                "the source passes customer_id as is to search_stream, and the API takes 10 digits without dashes; got {t:?}"
            )),
            _ => None,
        }
    }

    fn set_edits(
        &self,
        src: &Source,
        parsed: &Parsed,
        key: &LibKey,
        value: &Value,
    ) -> Result<Vec<Edit>> {
        let text = &src.text;
        let new = match value {
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            v => toml_string(&v.to_text()),
        };
        if let Some(e) = parsed.entries.iter().rev().find(|e| e.key == key.key) {
            return Ok(vec![Edit::replace(e.value_span.clone(), new)]);
        }
        let doc = parse_doc(src).map_err(|p| Error::refused(p.message))?;
        let (table, leaf) = key.key.rsplit_once('.').unwrap_or(("", key.key.as_str()));
        let ends = table_ends(text, &doc);
        if let Some((_, end)) = ends.iter().find(|(n, _)| n == table) {
            let nl = if *end > 0 && !text[..*end].ends_with('\n') {
                "\n"
            } else {
                ""
            };
            return Ok(vec![Edit::insert(*end, format!("{nl}{leaf} = {new}\n"))]);
        }
        let sep = if text.is_empty() || text.ends_with("\n\n") {
            ""
        } else if text.ends_with('\n') {
            "\n"
        } else {
            "\n\n"
        };
        Ok(vec![Edit::insert(
            text.len(),
            format!("{sep}[{table}]\n{leaf} = {new}\n"),
        )])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_escape_what_toml_requires() {
        assert_eq!(toml_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(toml_string("\u{1}\u{7f}é"), "\"\\u0001\\u007Fé\"");
        // The toml crate reads back exactly the value.
        for s in ["a\"b\\c", "\u{1}\u{7f}é", "\t x ", "'", "#"] {
            let doc: toml::Table = toml::from_str(&format!("k = {}", toml_string(s))).unwrap();
            assert_eq!(doc["k"].as_str(), Some(s));
        }
    }

    #[test]
    fn reads_dotted_paths_and_sets_in_place() {
        let t = "[sources.google_ads]\ndev_token = \"d\"\n\n[sources.google_ads.credentials]\nclient_id = \"c\"\n";
        let src = Source::of(t);
        let p = Dlt.parse(&src);
        let keys: Vec<&str> = p.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "sources.google_ads.dev_token",
                "sources.google_ads.credentials.client_id"
            ]
        );
        let cat = Lang::Dlt.catalog();
        let k = cat.for_neutral("customer_id").unwrap();
        let out = crate::edit::apply(
            t,
            &Dlt.set_edits(&src, &p, k, &Value::Str("1234567890".into()))
                .unwrap(),
        )
        .unwrap();
        let doc: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(
            doc["sources"]["google_ads"]["customer_id"].as_str(),
            Some("1234567890")
        );
        assert_eq!(
            doc["sources"]["google_ads"]["dev_token"].as_str(),
            Some("d")
        );
        let k = cat.for_neutral("client_secret").unwrap();
        let out = crate::edit::apply(
            t,
            &Dlt.set_edits(&src, &p, k, &Value::Str("s".into())).unwrap(),
        )
        .unwrap();
        assert!(
            out.ends_with("client_id = \"c\"\nclient_secret = \"s\"\n"),
            "{out}"
        );
        let k = cat.for_neutral("developer_token").unwrap();
        let out = crate::edit::apply(
            t,
            &Dlt.set_edits(&src, &p, k, &Value::Str("n".into())).unwrap(),
        )
        .unwrap();
        assert!(
            out.starts_with("[sources.google_ads]\ndev_token = \"n\"\n"),
            "{out}"
        );
        let empty = Source::of("");
        let out = crate::edit::apply(
            "",
            &Dlt.set_edits(&empty, &Dlt.parse(&empty), k, &Value::Str("n".into()))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(out, "[sources.google_ads]\ndev_token = \"n\"\n");
    }

    #[test]
    fn syntax_errors_are_found() {
        let p = Dlt.parse(&Source::of("[sources\nx = 1\n"));
        assert!(p.is_fatal());
    }
}
