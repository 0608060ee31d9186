//! google-ads-perl `googleads.properties`: the library's own line reader
//! (`Client.pm` `__parse_properties_file`): lines split on `\n`; a line is skipped when it
//! starts with `#` (column 0 only) or is blank; otherwise `split(/=/, $line, 2)` with no
//! trimming at all; a trailing `\r` stays in the value; last duplicate wins.

use minijinja::Environment;

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::render;
use crate::formats::{Entry, Format, Parsed};
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

pub struct Perl;

/// Perl writes values verbatim: the reader has no quoting and no escapes. A value cannot
/// hold a line break (`\n` ends the line; `\r` would be kept but cannot survive editors).
pub fn perl_value(value: &str) -> Result<String, String> {
    if value.contains('\n') || value.contains('\r') {
        return Err("a googleads.properties value cannot hold a line break (the Perl reader has no escapes)".into());
    }
    Ok(value.to_string())
}

pub fn register(env: &mut Environment<'static>) {
    env.add_filter(
        "perl_value",
        |v: minijinja::Value| -> Result<String, minijinja::Error> {
            perl_value(&value_text(&v)).map_err(render::filter_error)
        },
    );
}

/// The text of a template value (strings as they are, other values as Perl would print them).
fn value_text(v: &minijinja::Value) -> String {
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

impl Format for Perl {
    fn lang(&self) -> Lang {
        Lang::Perl
    }

    fn parse(&self, src: &Source) -> Parsed {
        let mut parsed = Parsed::new(Lang::Perl);
        let text = &src.text;
        let mut start = 0;
        while start < text.len() {
            let nl = text[start..].find('\n').map(|i| start + i);
            let line_end = nl.unwrap_or(text.len());
            let next = nl.map(|i| i + 1).unwrap_or(text.len());
            let line = &text[start..line_end];
            // Perl's `\s` on byte strings: space, \t, \n, \x0B, \x0C, \r.
            let blank = line.chars().all(|c| c == ' ' || ('\t'..='\r').contains(&c));
            if !line.starts_with('#') && !blank {
                let (key, value, value_start) = match line.find('=') {
                    Some(eq) => (
                        &line[..eq],
                        Value::Str(line[eq + 1..].to_string()),
                        start + eq + 1,
                    ),
                    None => (line, Value::Null, line_end),
                };
                parsed.entries.push(Entry {
                    section: None,
                    key: key.to_string(),
                    value,
                    raw: text[value_start..line_end].to_string(),
                    key_span: start..start + key.len(),
                    value_span: value_start..line_end,
                    entry_span: start..next,
                });
            }
            start = next;
        }
        parsed
    }

    fn render(&self, settings: &Settings) -> Result<String> {
        render::render(Lang::Perl, settings)
    }

    fn cannot_carry(&self, _neutral: &str, value: &Value) -> Option<String> {
        value.as_str().and_then(|s| perl_value(s).err())
    }

    fn set_edits(
        &self,
        src: &Source,
        parsed: &Parsed,
        key: &LibKey,
        value: &Value,
    ) -> Result<Vec<Edit>> {
        let text = perl_value(&value.to_text())
            .map_err(|e| Error::usage(format!("cannot set {}: {e}", key.key)))?;
        if let Some(e) = parsed.find(key) {
            return Ok(vec![Edit::replace(e.value_span.clone(), text)]);
        }
        // Missing: append after the last entry (or at the end), on a line of its own.
        let at = src.text.len();
        let sep = if src.text.is_empty() || src.text.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        let eol = if src.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        Ok(vec![Edit::insert(
            at,
            format!("{sep}{}={text}{eol}", key.key),
        )])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Parsed {
        Perl.parse(&Source::of(t))
    }

    #[test]
    fn reads_like_the_library() {
        let p = parse(
            "# c\n  # not a comment\ndeveloperToken = x\nclientId=a=b\r\n\n   \nnovalue\nlast=1",
        );
        let kv: Vec<_> = p
            .entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.clone()))
            .collect();
        assert_eq!(
            kv,
            vec![
                ("  # not a comment", Value::Null),
                ("developerToken ", Value::Str(" x".into())),
                ("clientId", Value::Str("a=b\r".into())),
                ("novalue", Value::Null),
                ("last", Value::Str("1".into())),
            ]
        );
        let e = &p.entries[2];
        assert_eq!(
            &"# c\n  # not a comment\ndeveloperToken = x\nclientId=a=b\r\n"[e.value_span.clone()],
            "a=b\r"
        );
    }

    #[test]
    fn set_replaces_or_appends() {
        let src = Source::of("# x\nclientId=old\n");
        let p = Perl.parse(&src);
        let cat = Lang::Perl.catalog();
        let k = cat.for_neutral("client_id").unwrap();
        let out = crate::edit::apply(
            &src.text,
            &Perl
                .set_edits(&src, &p, k, &Value::Str("new".into()))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(out, "# x\nclientId=new\n");
        let k = cat.for_neutral("login_customer_id").unwrap();
        let out = crate::edit::apply(
            &src.text,
            &Perl
                .set_edits(&src, &p, k, &Value::Str("0123456789".into()))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(out, "# x\nclientId=old\nloginCustomerId=0123456789\n");
    }

    #[test]
    fn refuses_line_breaks() {
        assert!(perl_value("a\rb").is_err());
        assert_eq!(perl_value(" a=b # c ").unwrap(), " a=b # c ");
    }
}
