//! `googleads.curl.sh`: a POSIX `sh` script calling the REST API with curl (CONTRACT §1).
//!
//! Rendering: values are assigned once at the top as single-quoted shell variables (the
//! names of `schemas/curl.toml`) and used as `"$VAR"`. Reading: the assignments of those
//! variables (shell quoting rules, see [`super::shell`]) and the `-H`/`--header` values of
//! `curl` commands whose header carries a setting (`developer-token`, `login-customer-id`,
//! `linked-customer-id`); a header value that needs an unknown expansion is `NotStatic`.
//! Service-account and ADC settings cannot be used from plain curl: they are not expressible.

use std::collections::HashMap;

use minijinja::Environment;

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::env::{self, read_assignments, shell_set_edits, Mode};
use crate::formats::render;
use crate::formats::shell::{self, Part};
use crate::formats::{Entry, Format, Parsed, Problem, ProblemKind};
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

pub struct Curl;

/// The filters the curl template uses are the env target's (`sh_value`).
pub fn register(_env: &mut Environment<'static>) {}

impl Format for Curl {
    fn lang(&self) -> Lang {
        Lang::Curl
    }

    fn parse(&self, src: &Source) -> Parsed {
        let cat = Lang::Curl.catalog();
        let mut parsed = Parsed::new(Lang::Curl);
        let stmts = read_assignments(src, &mut parsed, Mode::Script, &|n| {
            cat.find(None, n).is_some()
        });
        let text = &src.text;
        // Static variables in script order, to resolve `"$VAR"` in headers.
        let mut vars: HashMap<String, String> = HashMap::new();
        let mut header_entries = Vec::new();
        for st in &stmts {
            let words = &st.words;
            if !st.compound && !words.is_empty() && words.iter().all(|w| w.assign.is_some()) {
                for w in words {
                    if let (Some((n, _)), Some(v)) = (&w.assign, w.static_text()) {
                        vars.insert(n.clone(), v);
                    } else if let Some((n, _)) = &w.assign {
                        vars.remove(n);
                    }
                }
                continue;
            }
            let Some(ci) = words
                .iter()
                .position(|w| w.assign.is_none() && w.static_text().as_deref() == Some("curl"))
            else {
                continue;
            };
            let mut i = ci + 1;
            while i < words.len() {
                let flag = words[i].static_text().unwrap_or_default();
                let attached = matches!(words[i].parts.first(), Some(Part::Lit(l)) if l.starts_with("-H") && l.len() > 2);
                let (hw, strip) = if flag == "-H" || flag == "--header" {
                    i += 1;
                    (words.get(i), 0)
                } else if attached {
                    (Some(&words[i]), 2)
                } else {
                    i += 1;
                    continue;
                };
                i += 1;
                let Some(w) = hw else { break };
                // The header's name must be literal; find which setting it carries.
                let Some(Part::Lit(head)) = w.parts.first() else {
                    continue;
                };
                let head = &head[strip.min(head.len())..];
                let Some(colon) = head.find(':') else {
                    continue;
                };
                let hname = head[..colon].trim().to_ascii_lowercase();
                let Some(key) = cat
                    .keys
                    .iter()
                    .find(|k| k.header.as_deref() == Some(hname.as_str()))
                else {
                    continue;
                };
                let mut parts = w.parts.clone();
                let rest = head[colon + 1..]
                    .trim_start_matches([' ', '\t'])
                    .to_string();
                parts[0] = Part::Lit(rest);
                if parts.first() == Some(&Part::Lit(String::new())) && parts.len() > 1 {
                    parts.remove(0);
                }
                // `"login-customer-id: $LOGIN_CUSTOMER_ID"`: the assignment is the entry.
                if parts == [Part::Var(key.key.clone())] && vars.contains_key(&key.key) {
                    continue;
                }
                let word = shell::Word { parts, ..w.clone() };
                match word.expand(&|n| vars.get(n).cloned()) {
                    Some(value) => header_entries.push(Entry {
                        section: None,
                        key: key.key.clone(),
                        value: Value::Str(value),
                        raw: text[w.span.clone()].to_string(),
                        key_span: w.span.clone(),
                        value_span: w.span.clone(),
                        entry_span: w.span.clone(),
                    }),
                    None => parsed.problems.push(Problem {
                        kind: ProblemKind::NotStatic,
                        span: w.span.clone(),
                        message: format!(
                            "the {hname} header takes its value from `{}`, which this script does not assign a fixed value",
                            word.first_expansion().unwrap_or_default()
                        ),
                    }),
                }
            }
        }
        parsed.entries.extend(header_entries);
        parsed.entries.sort_by_key(|e| e.key_span.start);
        parsed.problems.sort_by_key(|p| p.span.start);
        parsed
    }

    fn render(&self, settings: &Settings) -> Result<String> {
        render::render(Lang::Curl, settings)
    }

    fn cannot_carry(&self, _neutral: &str, value: &Value) -> Option<String> {
        env::sh_value(&env::value_text(value)).err()
    }

    fn set_edits(
        &self,
        src: &Source,
        parsed: &Parsed,
        key: &LibKey,
        value: &Value,
    ) -> Result<Vec<Edit>> {
        match parsed.find(key) {
            Some(e) if e.value_span == e.key_span => {
                // A literal header word: rewrite the whole header.
                let h = key.header.as_deref().unwrap_or(&key.key);
                let text = shell::single_quote(&format!("{h}: {}", env::value_text(value)));
                Ok(vec![Edit::replace(e.value_span.clone(), text)])
            }
            Some(_) => shell_set_edits(src, parsed, key, value, false),
            None => {
                // A missing variable goes after the `set -eu` line (or the #! line).
                let q = env::sh_value(&env::value_text(value))
                    .map_err(|e| Error::usage(format!("cannot set {}: {e}", key.key)))?;
                let at = match src.text.find("\nset -eu\n") {
                    Some(i) => i + "\nset -eu\n".len(),
                    None if src.text.starts_with("#!") => {
                        src.text.find('\n').map(|i| i + 1).unwrap_or(src.text.len())
                    }
                    None => 0,
                };
                Ok(vec![Edit::insert(at, format!("{}={q}\n", key.key))])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(t: &str) -> (Vec<(String, String)>, Vec<Problem>) {
        let p = Curl.parse(&Source::of(t));
        (
            p.entries
                .iter()
                .map(|e| (e.key.clone(), e.value.to_text()))
                .collect(),
            p.problems,
        )
    }

    #[test]
    fn reads_variables_and_headers() {
        let (e, p) = kv("#!/bin/sh\nDEVELOPER_TOKEN='d'\nX=1\nM=\"12\"34\nif [ -z \"$T\" ]; then T=$(curl -d x); fi\ncurl -X POST \"u\" \\\n  -H \"developer-token: $DEVELOPER_TOKEN\" \\\n  --header \"login-customer-id: $M\" -H'linked-customer-id: 9' \\\n  -H \"Authorization: Bearer $T\"\n");
        assert_eq!(p, vec![]);
        assert_eq!(
            e,
            vec![
                ("DEVELOPER_TOKEN".into(), "d".into()),
                ("LOGIN_CUSTOMER_ID".into(), "1234".into()),
                ("LINKED_CUSTOMER_ID".into(), "9".into()),
            ]
        );
    }

    #[test]
    fn unknown_header_values_are_not_static() {
        let (e, p) = kv(
            "curl -H \"login-customer-id: ${MANAGER_CUSTOMER_ID}\" u\nLOGIN_CUSTOMER_ID=$(cat f)\n",
        );
        assert_eq!(e, vec![]);
        assert_eq!(p.len(), 2);
        assert!(p[0].message.contains("MANAGER_CUSTOMER_ID"), "{p:?}");
    }

    #[test]
    fn generated_script_reads_back() {
        let mut s = Settings::default();
        for (n, v) in [
            ("developer_token", "it's"),
            ("login_customer_id", "0123456789"),
            ("linked_customer_id", "$x"),
            ("client_id", "c"),
            ("client_secret", "s\""),
            ("refresh_token", "1//r"),
            ("endpoint", "googleads.googleapis.com:443"),
        ] {
            s.set(n, Value::Str(v.into()));
        }
        let out = Curl.render(&s).unwrap();
        let p = Curl.parse(&Source::of(&out));
        assert_eq!(p.problems, vec![], "{out}");
        assert_eq!(crate::formats::to_settings(&p), s);
    }

    #[test]
    fn set_replaces_variables_and_literal_headers_or_inserts() {
        let src =
            Source::of("#!/bin/sh\nset -eu\nCLIENT_ID=\"old\"\ncurl -H 'login-customer-id: 1' u\n");
        let p = Curl.parse(&src);
        let cat = Lang::Curl.catalog();
        let set = |n: &str, v: &str| {
            let k = cat.for_neutral(n).unwrap();
            crate::edit::apply(
                &src.text,
                &Curl.set_edits(&src, &p, k, &Value::Str(v.into())).unwrap(),
            )
            .unwrap()
        };
        assert_eq!(
            set("client_id", "n'w"),
            "#!/bin/sh\nset -eu\nCLIENT_ID='n'\\''w'\ncurl -H 'login-customer-id: 1' u\n"
        );
        assert_eq!(
            set("login_customer_id", "2"),
            "#!/bin/sh\nset -eu\nCLIENT_ID=\"old\"\ncurl -H 'login-customer-id: 2' u\n"
        );
        let out = set("refresh_token", "r");
        assert!(
            out.starts_with("#!/bin/sh\nset -eu\nREFRESH_TOKEN='r'\nCLIENT_ID"),
            "{out}"
        );
        let again = Curl.parse(&Source::of(&out));
        assert_eq!(
            crate::formats::to_loaded(&again).known["refresh_token"],
            Value::Str("r".into())
        );
    }
}
