//! `googleads.env`: POSIX shell `export GOOGLE_ADS_…='…'` lines, read by every library's
//! environment loader once a shell has sourced the file (`set -a; . ./googleads.env`).
//!
//! Reading follows the shell ([`super::shell`]): `export` optional, single and double
//! quotes, backslash escapes, `#` comments, several assignments per line. A value that needs
//! an expansion (`$VAR`, `$(…)`, backticks, `~`) or a line that runs a command cannot be read
//! statically: it becomes a `NotStatic` problem on its line, never a guess.

use minijinja::Environment;

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::render;
use crate::formats::shell::{self, Stmt, Word};
use crate::formats::{Entry, Format, Parsed, Problem, ProblemKind};
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

pub struct Env;

/// The text a variable holds for a value: strings as they are, booleans `true`/`false`,
/// structured values (Python `logging`) as compact JSON.
pub fn env_text(v: &minijinja::Value) -> String {
    use minijinja::value::ValueKind;
    match v.kind() {
        ValueKind::String => v.as_str().unwrap_or_default().to_string(),
        ValueKind::Bool => if v.is_true() { "true" } else { "false" }.to_string(),
        ValueKind::Map | ValueKind::Seq => serde_json::to_string(v).unwrap_or_default(),
        _ => v.to_string(),
    }
}

/// A shell word that reads back as exactly `value` in `sh` and `bash`.
pub fn sh_value(value: &str) -> Result<String, String> {
    if value.contains('\n') {
        return Err("a shell assignment on one line cannot hold a line break".into());
    }
    if value.contains('\0') {
        return Err("an environment variable cannot hold a NUL character".into());
    }
    Ok(shell::single_quote(value))
}

pub fn register(env: &mut Environment<'static>) {
    env.add_filter(
        "sh_value",
        |v: minijinja::Value| -> Result<String, minijinja::Error> {
            sh_value(&env_text(&v)).map_err(render::filter_error)
        },
    );
}

/// How [`read_assignments`] treats statements that are not assignments.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// An env file: every other command is reported (`NotStatic`).
    EnvFile,
    /// A script: other commands are the script's business; only assignments of catalogue
    /// variables are read (and reported when not static).
    Script,
}

/// End of the line holding `at` (after its newline).
fn line_end(text: &str, at: usize) -> usize {
    text[at..]
        .find('\n')
        .map(|i| at + i + 1)
        .unwrap_or(text.len())
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0)
}

/// The statement's line(s) as a span, for problems.
fn stmt_line(text: &str, st: &Stmt) -> std::ops::Range<usize> {
    let s = line_start(text, st.span.start);
    let e = text[st.span.start..]
        .find('\n')
        .map(|i| st.span.start + i)
        .unwrap_or(text.len());
    s..e.max(s)
}

fn not_static(span: std::ops::Range<usize>, message: String) -> Problem {
    Problem {
        kind: ProblemKind::NotStatic,
        span,
        message,
    }
}

/// Entry for an assignment word with a static value (spans: name, value text, and the
/// whole statement when it holds only this assignment, else the word).
fn entry_of(text: &str, st: &Stmt, w: &Word, value: String, alone: bool) -> Entry {
    let (name, key_span) = w.assign.clone().unwrap_or_default();
    let entry_span = if alone {
        // The whole line when the statement is alone on it, else the statement.
        let ls = line_start(text, st.span.start);
        let only_ws_before = text[ls..st.span.start].trim().is_empty();
        let le = line_end(text, st.span.start);
        if only_ws_before && st.span.end >= le.min(text.len()) && st.span.end <= le {
            ls..le
        } else {
            st.span.clone()
        }
    } else {
        let mut end = w.span.end;
        while text[end..].starts_with([' ', '\t']) {
            end += 1;
        }
        w.span.start..end
    };
    Entry {
        section: None,
        key: name,
        value: Value::Str(value),
        raw: text[w.value_start..w.span.end].to_string(),
        key_span,
        value_span: w.value_start..w.span.end,
        entry_span,
    }
}

/// Read the assignments of a shell file into `parsed`. `is_key` says which names matter in
/// [`Mode::Script`]. Returns the statements for further reading (curl headers).
pub fn read_assignments(
    src: &Source,
    parsed: &mut Parsed,
    mode: Mode,
    is_key: &dyn Fn(&str) -> bool,
) -> Vec<Stmt> {
    let text = &src.text;
    let (stmts, err) = shell::statements(text);
    if let Some(e) = err {
        parsed.problems.push(Problem {
            kind: ProblemKind::Syntax,
            span: e.at..line_end(text, e.at).max(e.at),
            message: e.message,
        });
    }
    for st in &stmts {
        let words = &st.words;
        let first = words.first();
        let is_export = first
            .is_some_and(|w| w.assign.is_none() && w.static_text().as_deref() == Some("export"));
        let assigns: Vec<&Word> = if is_export {
            words[1..].iter().collect()
        } else {
            words.iter().take_while(|w| w.assign.is_some()).collect()
        };
        let all_assign =
            !words.is_empty() && (is_export || assigns.len() == words.len()) && !st.compound;
        if mode == Mode::EnvFile && !all_assign {
            let harmless = first
                .and_then(Word::static_text)
                .is_some_and(|w| w == "set")
                // `set -a`, `set -eu`, `set -o allexport`: shell options, no variables.
                && words[1..].iter().all(|w| {
                    w.static_text().is_some_and(|t| {
                        t.starts_with(['-', '+'])
                            || matches!(t.as_str(), "allexport" | "errexit" | "nounset")
                    })
                })
                && !st.compound;
            if !harmless {
                let line = stmt_line(text, st);
                parsed.problems.push(not_static(
                    line.clone(),
                    format!(
                        "`{}` is not a plain assignment; adsconf reads only `export NAME=value` lines and cannot tell what this does",
                        text[line].trim()
                    ),
                ));
            }
            continue;
        }
        let n_assign = assigns.iter().filter(|w| w.assign.is_some()).count();
        for w in assigns {
            let Some((name, _)) = &w.assign else {
                // `export NAME` (marks an existing variable) or an option: nothing to read.
                if mode == Mode::EnvFile && !w.static_text().as_deref().is_some_and(shell::is_name)
                {
                    parsed.problems.push(not_static(
                        w.span.clone(),
                        format!("`{}` is not an assignment", &text[w.span.clone()]),
                    ));
                }
                continue;
            };
            if mode == Mode::Script && !is_key(name) {
                continue;
            }
            match w.static_text() {
                Some(v) if !st.compound || mode == Mode::EnvFile => {
                    let alone = n_assign == 1 && (is_export || words.len() == 1);
                    parsed.entries.push(entry_of(text, st, w, v, alone));
                }
                Some(_) => parsed.problems.push(not_static(
                    w.span.clone(),
                    format!("`{name}` is assigned inside a command list; its value depends on what runs"),
                )),
                None => parsed.problems.push(not_static(
                    w.span.clone(),
                    format!(
                        "the value of `{name}` needs the shell to expand `{}`; adsconf does not guess it",
                        w.first_expansion().unwrap_or_default()
                    ),
                )),
            }
        }
    }
    stmts
}

/// Edits that make `key` read `value` in a shell file: replace the winning assignment's value
/// with a single-quoted word, or append `export KEY='value'`.
pub fn shell_set_edits(
    src: &Source,
    parsed: &Parsed,
    key: &LibKey,
    value: &Value,
    export: bool,
) -> Result<Vec<Edit>> {
    let text = sh_value(&value_text(value))
        .map_err(|e| Error::usage(format!("cannot set {}: {e}", key.key)))?;
    if let Some(e) = parsed.find(key) {
        return Ok(vec![Edit::replace(e.value_span.clone(), text)]);
    }
    let at = src.text.len();
    let sep = if src.text.is_empty() || src.text.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    let export = if export { "export " } else { "" };
    Ok(vec![Edit::insert(
        at,
        format!("{sep}{export}{}={text}\n", key.key),
    )])
}

/// A model value as variable text (booleans `true`/`false`, JSON compact).
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Json(j) => j.to_string(),
        other => other.to_text(),
    }
}

impl Format for Env {
    fn lang(&self) -> Lang {
        Lang::Env
    }

    fn parse(&self, src: &Source) -> Parsed {
        let mut parsed = Parsed::new(Lang::Env);
        read_assignments(src, &mut parsed, Mode::EnvFile, &|_| true);
        parsed
    }

    fn render(&self, settings: &Settings) -> Result<String> {
        render::render(Lang::Env, settings)
    }

    fn cannot_carry(&self, _neutral: &str, value: &Value) -> Option<String> {
        sh_value(&value_text(value)).err()
    }

    fn set_edits(
        &self,
        src: &Source,
        parsed: &Parsed,
        key: &LibKey,
        value: &Value,
    ) -> Result<Vec<Edit>> {
        shell_set_edits(src, parsed, key, value, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Parsed {
        Env.parse(&Source::of(t))
    }

    fn kv(p: &Parsed) -> Vec<(String, String)> {
        p.entries
            .iter()
            .map(|e| (e.key.clone(), e.value.to_text()))
            .collect()
    }

    #[test]
    fn reads_shell_assignments() {
        let t = "# c\nexport A='x y' B=\"q\\\"\\$\\\\\\`\\n\"\nC=bare\\ word # trailing\nset -a\nexport D\n  E='it'\\''s'; F=1\n";
        let p = parse(t);
        assert_eq!(p.problems, vec![]);
        assert_eq!(
            kv(&p),
            vec![
                ("A".into(), "x y".into()),
                ("B".into(), "q\"$\\`\\n".into()),
                ("C".into(), "bare word".into()),
                ("E".into(), "it's".into()),
                ("F".into(), "1".into()),
            ]
        );
        // A lone assignment's entry is its whole line.
        assert_eq!(
            &t[p.entries[2].entry_span.clone()],
            "C=bare\\ word # trailing\n"
        );
        assert_eq!(&t[p.entries[3].value_span.clone()], "'it'\\''s'");
    }

    #[test]
    fn expansions_and_commands_are_not_static() {
        let p = parse(
            "A=$HOME\nB=\"${X}\"\nC=`id`\nD=~/k\nif true; then E=1; fi\nsource x\nF=1 cmd\nG=ok\n",
        );
        assert_eq!(kv(&p), vec![("G".into(), "ok".into())]);
        assert!(p.problems.iter().all(|p| p.kind == ProblemKind::NotStatic));
        assert!(p.problems.len() >= 7, "{:?}", p.problems);
        assert!(p.problems[0].message.contains("$HOME"));
    }

    #[test]
    fn unterminated_quote_is_a_syntax_error() {
        let p = parse("A=1\nB='x\n");
        assert!(p.is_fatal());
        assert_eq!(p.problems[0].span.start, 6);
    }

    #[test]
    fn set_replaces_or_appends() {
        let src = Source::of("export GOOGLE_ADS_CLIENT_ID=\"old\"\n");
        let p = Env.parse(&src);
        let cat = Lang::Env.catalog();
        let k = cat.for_neutral("client_id").unwrap();
        let out = crate::edit::apply(
            &src.text,
            &Env.set_edits(&src, &p, k, &Value::Str("n'w".into()))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(out, "export GOOGLE_ADS_CLIENT_ID='n'\\''w'\n");
        let k = cat.for_neutral("login_customer_id").unwrap();
        let out = crate::edit::apply(
            &src.text,
            &Env.set_edits(&src, &p, k, &Value::Str("1".into())).unwrap(),
        )
        .unwrap();
        assert!(out.ends_with("export GOOGLE_ADS_LOGIN_CUSTOMER_ID='1'\n"));
    }

    #[test]
    fn renders_every_variable_of_the_catalogue() {
        let mut s = Settings::default();
        for k in &Lang::Env.catalog().keys {
            if let Some(n) = &k.neutral {
                let v = match crate::schema::neutral(n).map(|n| n.ty) {
                    Some(crate::schema::KeyType::Bool) => Value::Bool(true),
                    Some(crate::schema::KeyType::Int) => Value::Int(7),
                    Some(crate::schema::KeyType::Json) => {
                        Value::Json(serde_json::json!({"version": 1}))
                    }
                    _ => Value::Str(format!("v-{n}")),
                };
                s.set(n, v);
            }
        }
        let out = Env.render(&s).unwrap();
        let p = Env.parse(&Source::of(&out));
        assert_eq!(p.problems, vec![]);
        for k in &Lang::Env.catalog().keys {
            if k.neutral.is_some() && !k.deprecated {
                assert!(
                    p.entries.iter().any(|e| e.key == k.key),
                    "{} missing",
                    k.key
                );
            }
        }
        assert!(
            out.contains("export GOOGLE_ADS_LOGGING='{\"version\":1}'"),
            "{out}"
        );
    }
}
