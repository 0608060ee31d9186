//! google-ads-dotnet `App.config`: the library's own reader (`AppConfigUtilities.GetSection`,
//! library-config-spec §2.2) loads the file with `XmlDocument`, takes the `GoogleAdsApi`
//! element under the root `configuration` element and reads the `key` and `value` attributes
//! of every child element into a dictionary (later duplicates win). Comments are not
//! elements; an element without `key`/`value` (e.g. `<clear/>`) makes the reader throw.
//! Values are strings after XML attribute-value normalisation (entities and character
//! references expanded, literal tab/CR/LF turned into spaces); the library converts them
//! later (`bool`/`int`/enum converters), so every value here is a [`Value::Str`].
//!
//! This module also holds the helpers the three .NET targets share (`dotnet-json`, `csharp`).

use minijinja::Environment;

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::render;
use crate::formats::{Entry, Format, Parsed, Problem, ProblemKind};
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

pub struct DotnetXml;

/// Is `c` allowed in an XML 1.0 document (production `Char`)?
pub fn xml_char_ok(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// Escape `value` for a double-quoted XML attribute so that attribute-value normalisation
/// gives `value` back exactly: `& < > "` as entities, tab/LF/CR as character references
/// (a literal one would be normalised to a space). Characters XML 1.0 cannot hold at all
/// are refused.
pub fn xml_attr(value: &str) -> Result<String, String> {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if !xml_char_ok(c) => {
                return Err(format!(
                    "an App.config value cannot hold the character U+{:04X} (XML 1.0 forbids it)",
                    c as u32
                ));
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

/// Escape for a single-quoted attribute (used when editing a `key='…' value='…'` entry).
pub fn xml_attr_single(value: &str) -> Result<String, String> {
    Ok(xml_attr(value)?
        .replace("&quot;", "\"")
        .replace('\'', "&apos;"))
}

/// The text of a template value the way .NET settings carry it (bools as `true`/`false`).
pub fn template_text(v: &minijinja::Value) -> String {
    match v.as_str() {
        Some(s) => s.to_string(),
        None if v.kind() == minijinja::value::ValueKind::Bool => {
            if v.is_true() {
                "true".into()
            } else {
                "false".into()
            }
        }
        None => v.to_string(),
    }
}

/// `OAuth2Mode` implied by the authentication mode `render::auth_mode` reports, when the
/// settings do not give one: the user flow is `APPLICATION`, a service account
/// `SERVICE_ACCOUNT`; ADC and no credentials need none.
pub fn implied_oauth2_mode(auth: &str) -> Option<&'static str> {
    match auth {
        "user" => Some("APPLICATION"),
        "service_account" => Some("SERVICE_ACCOUNT"),
        _ => None,
    }
}

/// The catalogue reads a value of this kind for `neutral` (`string` when unknown).
pub fn reads_of(neutral: &str) -> &'static str {
    Lang::Dotnet
        .catalog()
        .for_neutral(neutral)
        .map(|k| k.reads.as_str())
        .unwrap_or("string")
}

/// A typed .NET value (`bool`, `int`, `OAuth2Flow`) that the library would silently turn into
/// its default: refuse it instead of writing a setting that does nothing.
pub fn dotnet_typed_problem(neutral: &str, value: &Value) -> Option<String> {
    let reads = reads_of(neutral);
    let text = value.to_text();
    match reads {
        "bool_dotnet" => {
            let ok = matches!(value, Value::Bool(_))
                || matches!(text.trim().to_ascii_lowercase().as_str(), "true" | "false");
            (!ok).then(|| {
                format!("{neutral} must be true or false for google-ads-dotnet (got {text:?})")
            })
        }
        "int" => {
            let ok = match value {
                Value::Int(i) => i32::try_from(*i).is_ok(),
                _ => text.trim().parse::<i32>().is_ok(),
            };
            (!ok).then(|| {
                format!("{neutral} must be a whole number that fits a .NET int for google-ads-dotnet (got {text:?})")
            })
        }
        "enum_oauth2flow" => {
            let ok = matches!(
                text.trim().to_ascii_uppercase().as_str(),
                "APPLICATION" | "SERVICE_ACCOUNT"
            );
            (!ok).then(|| {
                format!("{neutral} must be APPLICATION or SERVICE_ACCOUNT for google-ads-dotnet (got {text:?})")
            })
        }
        _ => None,
    }
}

pub fn register(env: &mut Environment<'static>) {
    env.add_filter(
        "xml_attr",
        |v: minijinja::Value| -> Result<String, minijinja::Error> {
            xml_attr(&template_text(&v)).map_err(render::filter_error)
        },
    );
    env.add_filter("dotnet_oauth2_mode", |auth: String| -> String {
        implied_oauth2_mode(&auth).unwrap_or("").to_string()
    });
}

/// A one-character span at `at` (empty at the end of the text), on char boundaries.
pub fn char_span(text: &str, at: usize) -> std::ops::Range<usize> {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let len = text[at..].chars().next().map(char::len_utf8).unwrap_or(0);
    at..at + len
}

/// Byte offset of a roxmltree text position (1-based row, column in chars).
fn offset_of(src: &Source, row: u32, col: u32) -> usize {
    let line = src.line_range(row as usize);
    let text = &src.text[line.clone()];
    let col = col.saturating_sub(1) as usize;
    line.start
        + text
            .char_indices()
            .nth(col)
            .map(|(i, _)| i)
            .unwrap_or(text.len())
}

/// The extent of the whole line(s) holding `range`, with the line terminator, when nothing
/// but blanks shares those lines; else `range` itself.
pub fn whole_lines(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let before = &text[..range.start];
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let after = &text[range.end..];
    let nl = after.find('\n');
    let line_end = nl.map(|i| range.end + i).unwrap_or(text.len());
    let blank = |s: &str| s.chars().all(|c| c == ' ' || c == '\t' || c == '\r');
    if blank(&text[line_start..range.start]) && blank(&text[range.end..line_end]) {
        line_start..nl.map(|i| range.end + i + 1).unwrap_or(text.len())
    } else {
        range
    }
}

/// `end` moved past a `// comment` that follows it on the same line (JSON and C#), so that
/// removing an entry removes its trailing comment too.
pub fn past_line_comment(text: &str, end: usize) -> usize {
    let rest = &text[end..];
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    if line.trim_start().starts_with("//") {
        end + line.trim_end_matches('\r').len()
    } else {
        end
    }
}

/// Where `<GoogleAdsApi>` is, for insertions.
struct Section {
    /// End of the last child element.
    last_child_end: Option<usize>,
    /// End of the start tag.
    start_tag_end: usize,
    self_closing: bool,
    /// The whole element.
    range: std::ops::Range<usize>,
}

fn parse_doc(src: &Source) -> (Parsed, Option<Section>) {
    let mut parsed = Parsed::new(Lang::Dotnet);
    let text = &src.text;
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = match roxmltree::Document::parse_with_options(text, opts) {
        Ok(d) => d,
        Err(e) => {
            let pos = e.pos();
            let at = offset_of(src, pos.row, pos.col);
            parsed.problems.push(Problem {
                kind: ProblemKind::Syntax,
                span: char_span(text, at),
                message: format!("not well-formed XML: {e}; XmlDocument refuses the file, so google-ads-dotnet reads no settings from it"),
            });
            return (parsed, None);
        }
    };
    let root = doc.root_element();
    if root.tag_name().name() != "configuration" || root.tag_name().namespace().is_some() {
        return (parsed, None);
    }
    let Some(section) = root.children().find(|n| {
        n.is_element()
            && n.tag_name().name() == "GoogleAdsApi"
            && n.tag_name().namespace().is_none()
    }) else {
        return (parsed, None);
    };
    let mut after_last = None;
    for child in section.children().filter(|n| n.is_element()) {
        let range = child.range();
        after_last = Some(range.end);
        let key = child.attribute_node("key");
        let value = child.attribute_node("value");
        let (Some(key), Some(value)) = (key, value) else {
            parsed.problems.push(Problem {
                kind: ProblemKind::Syntax,
                span: range,
                message: format!(
                    "<{}> in <GoogleAdsApi> has no {} attribute; google-ads-dotnet's App.config reader throws on it (every child element must be <add key=\"…\" value=\"…\"/>)",
                    child.tag_name().name(),
                    if key.is_none() { "key" } else { "value" }
                ),
            });
            continue;
        };
        let vspan = value.range_value();
        parsed.entries.push(Entry {
            section: None,
            key: key.value().to_string(),
            value: Value::Str(value.value().to_string()),
            raw: text[vspan.clone()].to_string(),
            key_span: key.range_value(),
            value_span: vspan,
            entry_span: whole_lines(text, range),
        });
    }
    let range = section.range();
    let inner = &text[range.clone()];
    let start_tag_end = range.start + inner.find('>').map(|i| i + 1).unwrap_or(inner.len());
    let self_closing = start_tag_end == range.end;
    (
        parsed,
        Some(Section {
            last_child_end: after_last,
            start_tag_end,
            self_closing,
            range,
        }),
    )
}

/// Indentation (spaces/tabs) of the line holding `at`.
pub fn indent_at(text: &str, at: usize) -> &str {
    let start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = &text[start..];
    let n = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..n]
}

pub fn eol_of(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

impl Format for DotnetXml {
    fn lang(&self) -> Lang {
        Lang::Dotnet
    }

    fn parse(&self, src: &Source) -> Parsed {
        parse_doc(src).0
    }

    fn render(&self, settings: &Settings) -> Result<String> {
        render::render(Lang::Dotnet, settings)
    }

    fn cannot_carry(&self, neutral: &str, value: &Value) -> Option<String> {
        dotnet_typed_problem(neutral, value).or_else(|| xml_attr(&value.to_text()).err())
    }

    fn set_edits(
        &self,
        src: &Source,
        parsed: &Parsed,
        key: &LibKey,
        value: &Value,
    ) -> Result<Vec<Edit>> {
        let text = &src.text;
        let plain = match value {
            Value::Bool(b) => b.to_string(),
            v => v.to_text(),
        };
        let cannot = |e: String| Error::usage(format!("cannot set {}: {e}", key.key));
        if let Some(e) = parsed.find(key) {
            // Keep the attribute's quote character.
            let quote = text[..e.value_span.start].chars().last();
            let escaped = if quote == Some('\'') {
                xml_attr_single(&plain)
            } else {
                xml_attr(&plain)
            }
            .map_err(cannot)?;
            return Ok(vec![Edit::replace(e.value_span.clone(), escaped)]);
        }
        let escaped = xml_attr(&plain).map_err(cannot)?;
        let (_, section) = parse_doc(src);
        let eol = eol_of(text);
        let Some(section) = section else {
            return Err(Error::usage(format!(
                "cannot set {}: {} has no <configuration><GoogleAdsApi> section to add it to (generate one with `adsconf generate dotnet`)",
                key.key,
                src.name()
            )));
        };
        let line = format!("<add key=\"{}\" value=\"{escaped}\" />", key.key);
        let section_indent = indent_at(text, section.range.start).to_string();
        if section.self_closing {
            // `<GoogleAdsApi/>`: open it up.
            return Ok(vec![Edit::replace(
                section.range.clone(),
                format!("<GoogleAdsApi>{eol}{section_indent}  {line}{eol}{section_indent}</GoogleAdsApi>"),
            )]);
        }
        // After the last child with its indentation, else first in the section.
        let (at, indent) = match section.last_child_end {
            Some(end) => (end, indent_at(text, end).to_string()),
            None => (section.start_tag_end, format!("{section_indent}  ")),
        };
        Ok(vec![Edit::insert(at, format!("{eol}{indent}{line}"))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(p: &Parsed) -> Vec<(String, String)> {
        p.entries
            .iter()
            .map(|e| (e.key.clone(), e.value.to_text()))
            .collect()
    }

    #[test]
    fn escapes_attributes_so_normalisation_keeps_them() {
        assert_eq!(
            xml_attr("a&b<c>d\"e'f").unwrap(),
            "a&amp;b&lt;c&gt;d&quot;e'f"
        );
        assert_eq!(xml_attr("\tx\r").unwrap(), "&#9;x&#13;");
        assert!(xml_attr("bell\u{7}").is_err());
        assert!(xml_attr("\u{FFFE}").is_err());
        assert_eq!(xml_attr("é😀").unwrap(), "é😀");
        assert_eq!(xml_attr_single("it's \"q\"").unwrap(), "it&apos;s \"q\"");
    }

    #[test]
    fn reads_like_the_library() {
        let t = "<?xml version=\"1.0\"?>\n<configuration>\n  <GoogleAdsApi>\n    <!-- <add key=\"X\" value=\"c\"/> -->\n    <add key=\"DeveloperToken\" value=\"a&amp;b&#9;c\td\"/>\n    <add key = 'LoginCustomerId' value = '123' />\n    <add key=\"DeveloperToken\" value=\"later\"/>\n  </GoogleAdsApi>\n</configuration>\n";
        let p = DotnetXml.parse(&Source::of(t));
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(
            kv(&p),
            vec![
                ("DeveloperToken".into(), "a&b\tc d".into()),
                ("LoginCustomerId".into(), "123".into()),
                ("DeveloperToken".into(), "later".into()),
            ]
        );
        let e = &p.entries[1];
        assert_eq!(&t[e.value_span.clone()], "123");
        assert_eq!(&t[e.key_span.clone()], "LoginCustomerId");
        assert_eq!(
            &t[e.entry_span.clone()],
            "    <add key = 'LoginCustomerId' value = '123' />\n"
        );
        assert_eq!(&t[p.entries[0].value_span.clone()], "a&amp;b&#9;c\td");
    }

    #[test]
    fn problems_have_lines() {
        let src = Source::of(
            "<configuration>\n<GoogleAdsApi>\n<add key=\"a\" value=\"b\">\n</GoogleAdsApi>\n",
        );
        let p = DotnetXml.parse(&src);
        assert!(p.is_fatal());
        assert_eq!(src.line_col(p.problems[0].span.start).0, 4);
        let src = Source::of("<configuration><GoogleAdsApi><clear/><add key=\"a\" value=\"b\"/></GoogleAdsApi></configuration>");
        let p = DotnetXml.parse(&src);
        assert!(p.is_fatal());
        assert_eq!(p.entries.len(), 1);
    }

    #[test]
    fn set_replaces_keeping_quotes_and_inserts() {
        let t = "<configuration>\n  <GoogleAdsApi>\n    <add key='OAuth2ClientId' value='old'/>\n  </GoogleAdsApi>\n</configuration>\n";
        let src = Source::of(t);
        let p = DotnetXml.parse(&src);
        let cat = Lang::Dotnet.catalog();
        let k = cat.for_neutral("client_id").unwrap();
        let edits = DotnetXml
            .set_edits(&src, &p, k, &Value::Str("it's".into()))
            .unwrap();
        let out = crate::edit::apply(t, &edits).unwrap();
        assert!(out.contains("value='it&apos;s'"), "{out}");
        let k = cat.for_neutral("login_customer_id").unwrap();
        let edits = DotnetXml
            .set_edits(&src, &p, k, &Value::Str("0123456789".into()))
            .unwrap();
        let out = crate::edit::apply(t, &edits).unwrap();
        assert_eq!(out, "<configuration>\n  <GoogleAdsApi>\n    <add key='OAuth2ClientId' value='old'/>\n    <add key=\"LoginCustomerId\" value=\"0123456789\" />\n  </GoogleAdsApi>\n</configuration>\n");
        let t = "<configuration>\n  <GoogleAdsApi/>\n</configuration>\n";
        let src = Source::of(t);
        let p = DotnetXml.parse(&src);
        let out = crate::edit::apply(
            t,
            &DotnetXml
                .set_edits(&src, &p, k, &Value::Str("1".into()))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(out, "<configuration>\n  <GoogleAdsApi>\n    <add key=\"LoginCustomerId\" value=\"1\" />\n  </GoogleAdsApi>\n</configuration>\n");
        let t = "<configuration>\n  <GoogleAdsApi>\n  </GoogleAdsApi>\n</configuration>\n";
        let src = Source::of(t);
        let p = DotnetXml.parse(&src);
        let out = crate::edit::apply(
            t,
            &DotnetXml
                .set_edits(&src, &p, k, &Value::Str("1".into()))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(out, "<configuration>\n  <GoogleAdsApi>\n    <add key=\"LoginCustomerId\" value=\"1\" />\n  </GoogleAdsApi>\n</configuration>\n");
    }
}
