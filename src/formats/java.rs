//! google-ads-java `ads.properties`, read with `java.util.Properties.load(InputStream)`.
//!
//! The reader follows the JDK's `Properties.LineReader` and `load0`/`loadConvert` step by
//! step on the ISO-8859-1 text (the [`Source`] is decoded Latin-1, one char per byte):
//! comment lines start with `#` or `!` after optional blanks (space, tab, form feed); a line
//! ending in an odd number of backslashes continues on the next line, whose leading blanks
//! are dropped; the key ends at the first unescaped `=`, `:` or blank; blanks and one `=`/`:`
//! after it are skipped; trailing blanks of the value are kept; escapes are `\t \n \r \f`,
//! `\uXXXX` (exactly four hex digits, else Java throws "Malformed \uxxxx encoding": a
//! syntax error for the whole file) and `\x` → `x`. The last duplicate wins. Every value is
//! a string. A lone surrogate (`\ud83d` alone), which Java keeps, reads as U+FFFD here (a
//! Rust string cannot hold it).

use minijinja::Environment;

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::render;
use crate::formats::{Entry, Format, Parsed, Problem, ProblemKind};
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

pub struct Java;

// ---------------------------------------------------------------------------------------
// Rendering.

/// Escape `value` for the value position of a properties line (after `key=`): backslashes
/// doubled, a leading blank escaped, `\t \n \r \f` as escapes, every other char outside
/// printable ASCII as a zero-padded `\uXXXX` (astral chars as a surrogate pair). Trailing
/// spaces are kept as they are: Java keeps them.
pub fn java_value(value: &str) -> String {
    escape(value, false)
}

/// Escape a key: like a value, plus every blank, `=`, `:`, and a leading `#`/`!`.
pub fn java_key(key: &str) -> String {
    escape(key, true)
}

fn escape(s: &str, is_key: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{c}' => out.push_str("\\f"),
            ' ' if i == 0 || is_key => out.push_str("\\ "),
            '=' | ':' if is_key => {
                out.push('\\');
                out.push(c);
            }
            '#' | '!' if is_key && i == 0 => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{:04X}", u));
                }
            }
        }
    }
    out
}

pub fn register(env: &mut Environment<'static>) {
    env.add_filter("java_value", |v: minijinja::Value| -> String {
        let text = match v.as_str() {
            Some(s) => s.to_string(),
            None if v.kind() == minijinja::value::ValueKind::Bool => v.is_true().to_string(),
            None => v.to_string(),
        };
        java_value(&text)
    });
    env.add_filter("java_key", |v: String| -> String { java_key(&v) });
}

// ---------------------------------------------------------------------------------------
// Reading.

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\u{c}'
}

/// One logical line: its chars with their byte offsets in the source.
struct Logical {
    chars: Vec<(usize, char)>,
    /// Byte offset where the line (first physical line) starts.
    line_start: usize,
    /// Byte offset after the last physical line's terminator.
    end: usize,
}

/// `Properties.LineReader.readLine` of JDK 9 and later, keeping offsets. Differences from
/// JDK 8 that matter: a `#`/`!` is a comment whenever the logical line is still empty (also
/// after a continuation), and a lone backslash ending the last line yields an empty entry.
fn logical_lines(text: &str) -> Vec<Logical> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let off = |k: usize| chars.get(k).map_or(text.len(), |c| c.0);
    let mut out = Vec::new();
    let mut i = 0;
    'lines: loop {
        let mut buf: Vec<(usize, char)> = Vec::new();
        let mut skip_ws = true;
        let mut appended_begin = false;
        let mut preceding_backslash = false;
        let mut line_start = off(i);
        loop {
            if i >= n {
                // End of input.
                if buf.is_empty() {
                    break 'lines;
                }
                if preceding_backslash {
                    buf.pop();
                }
                break;
            }
            let (o, c) = chars[i];
            i += 1;
            if skip_ws {
                if is_blank(c) {
                    continue;
                }
                if !appended_begin && (c == '\r' || c == '\n') {
                    line_start = off(i);
                    continue;
                }
                skip_ws = false;
                appended_begin = false;
            }
            if buf.is_empty() && (c == '#' || c == '!') {
                // A comment: consume the rest of the line.
                while i < n && chars[i].1 != '\n' && chars[i].1 != '\r' {
                    i += 1;
                }
                if i >= n {
                    break 'lines;
                }
                i += 1;
                skip_ws = true;
                line_start = off(i);
                continue;
            }
            if c != '\n' && c != '\r' {
                buf.push((o, c));
                preceding_backslash = c == '\\' && !preceding_backslash;
                continue;
            }
            // End of a natural line.
            if buf.is_empty() {
                skip_ws = true;
                line_start = off(i);
                continue;
            }
            if i >= n {
                // The line end was the last char: the line ends here, even when it is
                // only a backslash (then the logical line is empty).
                if preceding_backslash {
                    buf.pop();
                }
                break;
            }
            if preceding_backslash {
                buf.pop();
                skip_ws = true;
                appended_begin = true;
                preceding_backslash = false;
                if c == '\r' && chars[i].1 == '\n' {
                    i += 1;
                }
            } else {
                if c == '\r' && chars.get(i).map(|x| x.1) == Some('\n') {
                    i += 1;
                }
                break;
            }
        }
        out.push(Logical {
            chars: buf,
            line_start,
            end: off(i),
        });
    }
    out
}

/// `Properties.loadConvert`: Err(offset of the malformed escape).
fn convert(chars: &[(usize, char)]) -> std::result::Result<String, usize> {
    let mut units: Vec<u16> = Vec::with_capacity(chars.len());
    let mut k = 0;
    while k < chars.len() {
        let (o, c) = chars[k];
        k += 1;
        if c != '\\' {
            let mut b = [0u16; 2];
            units.extend_from_slice(c.encode_utf16(&mut b));
            continue;
        }
        let Some(&(_, e)) = chars.get(k) else {
            units.push(u16::from(b'\\'));
            break;
        };
        k += 1;
        match e {
            'u' => {
                if k + 4 > chars.len() {
                    return Err(o);
                }
                let mut v: u16 = 0;
                for &(_, h) in &chars[k..k + 4] {
                    let d = h.to_digit(16).ok_or(o)?;
                    v = (v << 4) | d as u16;
                }
                k += 4;
                units.push(v);
            }
            't' => units.push(9),
            'r' => units.push(13),
            'n' => units.push(10),
            'f' => units.push(12),
            other => {
                let mut b = [0u16; 2];
                units.extend_from_slice(other.encode_utf16(&mut b));
            }
        }
    }
    Ok(String::from_utf16_lossy(&units))
}

impl Format for Java {
    fn lang(&self) -> Lang {
        Lang::Java
    }

    fn parse(&self, src: &Source) -> Parsed {
        let mut parsed = Parsed::new(Lang::Java);
        let text = &src.text;
        let end_of = |chars: &[(usize, char)], j: usize| {
            let (o, c) = chars[j];
            o + c.len_utf8()
        };
        for line in logical_lines(text) {
            let lb = &line.chars;
            let limit = lb.len();
            let mut key_len = 0;
            let mut value_start = limit;
            let mut has_sep = false;
            let mut preceding_backslash = false;
            while key_len < limit {
                let c = lb[key_len].1;
                if (c == '=' || c == ':') && !preceding_backslash {
                    value_start = key_len + 1;
                    has_sep = true;
                    break;
                } else if is_blank(c) && !preceding_backslash {
                    value_start = key_len + 1;
                    break;
                }
                if c == '\\' {
                    preceding_backslash = !preceding_backslash;
                } else {
                    preceding_backslash = false;
                }
                key_len += 1;
            }
            while value_start < limit {
                let c = lb[value_start].1;
                if !is_blank(c) {
                    if !has_sep && (c == '=' || c == ':') {
                        has_sep = true;
                    } else {
                        break;
                    }
                }
                value_start += 1;
            }
            let key = convert(&lb[..key_len]);
            let value = convert(&lb[value_start..]);
            let (key, value) = match (key, value) {
                (Ok(k), Ok(v)) => (k, v),
                (Err(at), _) | (_, Err(at)) => {
                    parsed.problems.push(Problem {
                        kind: ProblemKind::Syntax,
                        span: at..(at + 2).min(text.len()),
                        message: "Java rejects the whole file: malformed \\uxxxx encoding (Properties.load throws IllegalArgumentException); a \\u escape needs exactly four hex digits".into(),
                    });
                    return parsed;
                }
            };
            let key_span = if key_len > 0 {
                lb[0].0..end_of(lb, key_len - 1)
            } else {
                let at = lb.first().map_or(line.line_start, |c| c.0);
                at..at
            };
            let value_span = if value_start < limit {
                lb[value_start].0..end_of(lb, limit - 1)
            } else {
                let at = if limit > 0 {
                    end_of(lb, limit - 1)
                } else {
                    line.line_start
                };
                at..at
            };
            parsed.entries.push(Entry {
                section: None,
                key,
                value: Value::Str(value),
                raw: text[value_span.clone()].to_string(),
                key_span,
                value_span,
                entry_span: line.line_start..line.end,
            });
        }
        parsed
    }

    fn render(&self, settings: &Settings) -> Result<String> {
        render::render(Lang::Java, settings)
    }

    fn set_edits(
        &self,
        src: &Source,
        parsed: &Parsed,
        key: &LibKey,
        value: &Value,
    ) -> Result<Vec<Edit>> {
        if parsed.is_fatal() {
            return Err(Error::usage(format!(
                "cannot set {} in {}: Java cannot read the file (malformed \\u escape); fix it first",
                key.key,
                src.name()
            )));
        }
        let text = java_value(&value.to_text());
        if let Some(e) = parsed.find(key) {
            if e.value_span.start == e.key_span.end {
                // `key` alone on its line: add a separator.
                return Ok(vec![Edit::insert(e.key_span.end, format!("={text}"))]);
            }
            // After a separator of blanks only (`key   value`), a value starting with `=` or
            // `:` would be read as part of the separator: escape it (`\=` reads as `=`).
            let text = if text.starts_with(['=', ':']) {
                format!("\\{text}")
            } else {
                text
            };
            return Ok(vec![Edit::replace(e.value_span.clone(), text)]);
        }
        // Missing: append at the end of the file, on a line of its own.
        let eol = if src.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let t = &src.text;
        // The last line, without its terminator: when it ends in an odd number of
        // backslashes it continues onto the next line, so an empty line must end it first.
        let ended = t.ends_with('\n') || t.ends_with('\r');
        let last = t
            .trim_end_matches(['\n', '\r'])
            .rsplit(['\n', '\r'])
            .next()
            .unwrap_or("");
        let continues = last.chars().rev().take_while(|&c| c == '\\').count() % 2 == 1;
        let sep = match (t.is_empty(), ended, continues) {
            (true, _, _) => "",
            (false, true, false) => "",
            (false, true, true) => eol,
            (false, false, true) => "\n\n",
            (false, false, false) => "\n",
        };
        Ok(vec![Edit::insert(
            t.len(),
            format!("{sep}{}={text}{eol}", java_key(&key.key)),
        )])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Parsed {
        Java.parse(&Source::of(t))
    }

    fn kv(t: &str) -> Vec<(String, String)> {
        parse(t)
            .entries
            .iter()
            .map(|e| (e.key.clone(), e.value.to_text()))
            .collect()
    }

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn reads_like_properties_load() {
        assert_eq!(
            kv("# c\n  ! c\n a = b  \nk:v\nk2 v2\nk3\n\\ key\\=x = y\\\n    z\nw=C:\\path\\file\n"),
            vec![
                p("a", "b  "),
                p("k", "v"),
                p("k2", "v2"),
                p("k3", ""),
                p(" key=x", "yz"),
                p("w", "C:path\u{c}ile")
            ]
        );
        assert_eq!(kv("a=\\u00e9\\ud83d\\ude00\\t"), vec![p("a", "é😀\t")]);
        assert_eq!(kv("a = = b\n"), vec![p("a", "= b")]);
        assert_eq!(kv("#x\\\na=1"), vec![p("a", "1")]);
        assert_eq!(kv("a=1\\"), vec![p("a", "1")]);
        assert_eq!(kv("a=1\\\\\r\nb=2\r"), vec![p("a", "1\\"), p("b", "2")]);
        assert!(parse("a=\\u12g4\n").is_fatal());
        assert!(parse("a=\\u12").is_fatal());
    }

    #[test]
    fn spans_across_continuations_and_latin1() {
        let t = "é=x\nkey = a\\\n   bé\\\n  c  \nz=1\n";
        let src = Source::of(t);
        let p = Java.parse(&src);
        let e = &p.entries[1];
        assert_eq!(e.value.to_text(), "abéc  ");
        assert_eq!(&t[e.value_span.clone()], "a\\\n   bé\\\n  c  ");
        assert_eq!(src.line_col(e.value_span.start), (2, 7));
        assert_eq!(src.line_col(e.value_span.end), (4, 6));
        assert_eq!(&t[e.entry_span.clone()], "key = a\\\n   bé\\\n  c  \n");
        assert_eq!(src.line_col(p.entries[2].key_span.start), (5, 1));
        assert_eq!(src.line_col(p.entries[0].value_span.start), (1, 3));
    }

    #[test]
    fn escapes_round_trip() {
        for v in [
            " lead",
            "trail  ",
            "a\\b",
            "C:\\x\\",
            "é€😀\u{1}\u{7f}",
            "#!=:",
            "\t",
            "",
        ] {
            let line = format!("k={}", java_value(v));
            assert_eq!(kv(&line), vec![p("k", v)], "{line}");
        }
        assert_eq!(java_value("é😀"), "\\u00E9\\uD83D\\uDE00");
        assert_eq!(java_key("a b=c"), "a\\ b\\=c");
    }

    #[test]
    fn set_replaces_across_continuation_and_appends() {
        let cat = Lang::Java.catalog();
        let src = Source::of("api.googleads.clientId = a\\\n  b\n# end\n");
        let parsed = Java.parse(&src);
        let k = cat.for_neutral("client_id").unwrap();
        let out = crate::edit::apply(
            &src.text,
            &Java
                .set_edits(&src, &parsed, k, &Value::Str(" new".into()))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(out, "api.googleads.clientId = \\ new\n# end\n");
        let k = cat.for_neutral("login_customer_id").unwrap();
        let out = crate::edit::apply(
            &src.text,
            &Java
                .set_edits(&src, &parsed, k, &Value::Str("0123456789".into()))
                .unwrap(),
        )
        .unwrap();
        assert!(out.ends_with("# end\napi.googleads.loginCustomerId=0123456789\n"));
    }
}

#[cfg(test)]
mod render_tests {
    use super::*;

    #[test]
    fn renders_and_reads_back() {
        let mut s = Settings::default();
        s.set("client_id", Value::Str(" é\\x ".into()));
        s.set("login_customer_id", Value::Str("0123456789".into()));
        s.set("use_application_default_credentials", Value::Bool(false));
        let out = Java.render(&s).unwrap();
        let p = Java.parse(&Source::of(&out));
        let got: Vec<_> = p
            .entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.to_text()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("api.googleads.clientId", " é\\x ".to_string()),
                (
                    "api.googleads.useApplicationDefaultCredentials",
                    "false".into()
                ),
                ("api.googleads.loginCustomerId", "0123456789".into()),
            ]
        );
    }
}
