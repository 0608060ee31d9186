//! `meltano.yml`: the `tap-googleads` extractor (MeltanoLabs tap-googleads 0.9, the Meltano
//! Hub default variant; installed from git) and its `.env`.
//!
//! Meltano (4.4) reads the extractor's `config:` (dotted setting names such as
//! `oauth_credentials.client_id` become nested objects for the tap) and, for every setting,
//! the variable `TAP_GOOGLEADS_<NAME>` from the environment or the project's `.env`, where
//! `meltano config set` itself keeps `sensitive` settings. It expands `$NAME` (upper case)
//! and `${name}` in meltano.yml values, where `\$` escapes them ([`escape_dollars`]); the
//! `.env` reader expands `${name}` with no escape, so such a secret is refused. The block
//! declares its settings (`namespace`, `pip_url`, `executable`, `settings:`) so Meltano needs
//! no Hub lookup. The tap's schema: `oauth_credentials` {client_id, client_secret,
//! refresh_token} and `developer_token` required; customer ids match
//! `^[0-9]{3}-?[0-9]{3}-?[0-9]{4}$` (the tap strips dashes); dates are YYYY-MM-DD.

use minijinja::Environment;
use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::python::yaml_quote;
use crate::formats::render;
use crate::formats::{Entry, Format, Parsed, Problem, ProblemKind};
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

pub struct Meltano;

/// The extractor's name.
pub const PLUGIN: &str = "tap-googleads";

/// The environment variable Meltano reads for a setting (`TAP_GOOGLEADS_DEVELOPER_TOKEN`).
pub fn env_name(setting: &str) -> String {
    format!(
        "TAP_GOOGLEADS_{}",
        setting.replace(['.', '-'], "_").to_ascii_uppercase()
    )
}

/// A `.env` value python-dotenv (Meltano's reader) reads back as `s`: single-quoted, with
/// `\\` and `\'` the only escapes.
pub fn dotenv_quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Where Meltano's `ENV_VAR_PATTERN` (`\\?\$(?:{\w+}|[A-Z][A-Z0-9_]*)`) matches at byte
/// `i` of `s` (a `$`): the end of the reference.
fn env_ref_at(s: &str, i: usize) -> Option<usize> {
    let rest = &s[i + 1..];
    if let Some(inner) = rest.strip_prefix('{') {
        let name_len: usize = inner
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .map(char::len_utf8)
            .sum();
        return (name_len > 0 && inner[name_len..].starts_with('}')).then(|| i + 2 + name_len + 1);
    }
    let mut chars = rest.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let len = 1 + chars
        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
        .count();
    Some(i + 1 + len)
}

/// A value written so that Meltano's expansion gives it back: `\` before every `$` that
/// would start a variable reference (Meltano drops that backslash).
pub fn escape_dollars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        if c == '$' && env_ref_at(s, i).is_some() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// What Meltano reads from a written value: escaped references lose their backslash;
/// unescaped ones are references to the environment and stay as written here.
pub fn unescape_dollars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            if let Some(&(j, '$')) = chars.peek() {
                if env_ref_at(s, j).is_some() {
                    continue;
                }
            }
        }
        let _ = i;
        out.push(c);
    }
    out
}

pub fn register(env: &mut Environment<'static>) {
    env.add_filter("yaml_str", |v: minijinja::Value| -> String {
        match v.as_str() {
            Some(s) => yaml_quote(&escape_dollars(s)),
            None => yaml_quote(&escape_dollars(&v.to_string())),
        }
    });
    env.add_filter("meltano_env", |s: &str| -> String { env_name(s) });
}

/// The settings Meltano stores in `.env` (declared `sensitive`).
pub fn is_sensitive(setting: &str) -> bool {
    matches!(
        setting,
        "oauth_credentials.client_secret" | "oauth_credentials.refresh_token" | "developer_token"
    )
}

/// The neutral keys of the sensitive settings (kept in `.env` unless `--secrets-in file`).
pub fn is_sensitive_neutral(neutral: &str) -> bool {
    matches!(
        neutral,
        "client_secret" | "refresh_token" | "developer_token"
    )
}

/// Where the secrets go: inline in meltano.yml (`--secrets-in file`), else `.env`.
pub fn secrets_inline(settings: &Settings) -> bool {
    settings.get_str("secrets_in") == Some("file")
}

/// The `.env` lines for the sensitive settings `settings` holds.
pub fn dotenv_vars(settings: &Settings) -> Vec<(String, String)> {
    Lang::Meltano
        .catalog()
        .keys
        .iter()
        .filter(|k| is_sensitive(&k.key))
        .filter_map(|k| {
            let v = settings.get(k.neutral.as_deref()?)?;
            Some((env_name(&k.key), v.to_text()))
        })
        .collect()
}

/// What the project's `.env` (in `dir`) gives, as python-dotenv reads it for Meltano
/// ([`super::dotenv`]); empty when there is none.
fn dotenv_read(dir: Option<&std::path::Path>) -> Vec<(String, super::dotenv::Read)> {
    let dir = match dir {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    // Guarded: a `.env` that is a FIFO or a device must not hang `check` (it is read as
    // absent, like an unreadable one).
    let Ok(text) = crate::source::read_text(&dir.join(".env"), "a .env file") else {
        return Vec::new();
    };
    super::dotenv::values(&text)
}

/// The variables a project's `.env` (in `dir`) sets, by name (a bare `NAME` line sets none).
pub fn dotenv_names(dir: Option<&std::path::Path>) -> Vec<String> {
    dotenv_read(dir)
        .into_iter()
        .filter(|(_, r)| *r != super::dotenv::Read::Unset)
        .map(|(n, _)| n)
        .collect()
}

/// The extractor's settings the `.env` beside `meltano.yml` gives (Meltano lets them win over
/// the file's `config:`), by neutral name: the value, or `Null` when its `${…}` is filled by
/// the environment Meltano runs in (then meltano.yml's value is not the one used either).
pub fn dotenv_settings(dir: Option<&std::path::Path>) -> Vec<(String, Value)> {
    let read = dotenv_read(dir);
    Lang::Meltano
        .catalog()
        .keys
        .iter()
        .filter_map(|k| {
            let var = env_name(&k.key);
            let value = match &read.iter().find(|(n, _)| *n == var)?.1 {
                super::dotenv::Read::Value(v) => Value::Str(v.clone()),
                super::dotenv::Read::FromEnvironment(_) => Value::Null,
                super::dotenv::Read::Unset => return None,
            };
            Some((k.neutral.clone()?, value))
        })
        .collect()
}

/// `existing` `.env` text with `vars` set: a variable's line replaced in place, new ones
/// appended; every other line kept.
pub fn dotenv_merge(existing: &str, vars: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut done = vec![false; vars.len()];
    for line in existing.split_inclusive('\n') {
        let t = line.trim_start();
        let t = t.strip_prefix("export ").unwrap_or(t);
        let name = t.split('=').next().unwrap_or("").trim();
        match vars.iter().position(|(n, _)| n == name) {
            Some(i) if t.contains('=') => {
                if !done[i] {
                    out.push_str(&format!("{}={}\n", vars[i].0, dotenv_quote(&vars[i].1)));
                    done[i] = true;
                }
            }
            _ => out.push_str(line),
        }
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    for (i, (n, v)) in vars.iter().enumerate() {
        if !done[i] {
            out.push_str(&format!("{n}={}\n", dotenv_quote(v)));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Reading: a YAML node tree with byte spans (saphyr-parser events)
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Kind {
    Scalar(String, ScalarStyle),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone)]
struct Node {
    kind: Kind,
    span: std::ops::Range<usize>,
}

struct Builder {
    chars: Vec<usize>,
    stack: Vec<(Kind, usize)>,
    root: Option<Node>,
}

impl Builder {
    fn byte(&self, ci: usize) -> usize {
        self.chars
            .get(ci)
            .copied()
            .unwrap_or(*self.chars.last().unwrap_or(&0))
    }

    fn push(&mut self, n: Node) {
        match self.stack.last_mut() {
            Some((Kind::Seq(items), _)) => items.push(n),
            Some((Kind::Map(pairs), _)) => {
                // A pair's key is pushed with a placeholder value, then completed.
                match pairs.last_mut() {
                    Some((_, v)) if matches!(&v.kind, Kind::Scalar(s, _) if s == "\u{0}pending") => {
                        *v = n
                    }
                    _ => pairs.push((
                        n,
                        Node {
                            kind: Kind::Scalar("\u{0}pending".into(), ScalarStyle::Plain),
                            span: 0..0,
                        },
                    )),
                }
            }
            _ => self.root = Some(n),
        }
    }

    fn on(&mut self, ev: Event<'_>, span: Span) {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        match ev {
            Event::Scalar(text, style, _, _) => self.push(Node {
                kind: Kind::Scalar(text.to_string(), style),
                span: start..end,
            }),
            Event::SequenceStart(..) => self.stack.push((Kind::Seq(Vec::new()), start)),
            Event::MappingStart(..) => self.stack.push((Kind::Map(Vec::new()), start)),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((kind, s)) = self.stack.pop() {
                    let e = match &kind {
                        Kind::Seq(items) => items.last().map_or(s, |n| n.span.end),
                        Kind::Map(pairs) => {
                            pairs.last().map_or(s, |(k, v)| v.span.end.max(k.span.end))
                        }
                        Kind::Scalar(..) => s,
                    };
                    self.push(Node {
                        kind,
                        span: s..e.max(s),
                    });
                }
            }
            _ => {}
        }
    }
}

fn parse_tree(text: &str) -> std::result::Result<Option<Node>, Problem> {
    let mut chars: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    chars.push(text.len());
    let mut b = Builder {
        chars,
        stack: Vec::new(),
        root: None,
    };
    for ev in Parser::new_from_str(text) {
        match ev {
            Ok((ev, span)) => b.on(ev, span),
            Err(e) => {
                let at = b.byte(e.marker().index()).min(text.len());
                return Err(Problem {
                    kind: ProblemKind::Syntax,
                    span: at..at,
                    message: format!("not valid YAML: {}", e.info()),
                });
            }
        }
    }
    Ok(b.root)
}

fn get<'a>(n: &'a Node, key: &str) -> Option<&'a (Node, Node)> {
    match &n.kind {
        Kind::Map(pairs) => pairs
            .iter()
            .rev()
            .find(|(k, _)| matches!(&k.kind, Kind::Scalar(s, _) if s == key)),
        _ => None,
    }
}

fn scalar(n: &Node) -> Option<&str> {
    match &n.kind {
        Kind::Scalar(s, _) => Some(s),
        _ => None,
    }
}

/// The tap-googleads extractor mapping in `plugins.extractors`.
fn extractor(root: &Node) -> Option<&Node> {
    let (_, plugins) = get(root, "plugins")?;
    let (_, ex) = get(plugins, "extractors")?;
    let Kind::Seq(items) = &ex.kind else {
        return None;
    };
    items.iter().rev().find(|it| {
        get(it, "name")
            .and_then(|(_, v)| scalar(v))
            .is_some_and(|n| n == PLUGIN)
    })
}

/// The model value of a YAML scalar as Meltano (ruamel, YAML 1.2 core schema) types it.
fn scalar_value(s: &str, style: ScalarStyle) -> Value {
    if style != ScalarStyle::Plain {
        return Value::Str(s.to_string());
    }
    match s {
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        _ => match s.parse::<i64>() {
            Ok(i) if !s.starts_with('+') => Value::Int(i),
            _ => Value::Str(s.to_string()),
        },
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |p| p + 1)
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |p| at + p + 1)
}

fn config_entries(cfg: &Node, prefix: &str, text: &str, out: &mut Vec<Entry>) {
    let Kind::Map(pairs) = &cfg.kind else { return };
    for (k, v) in pairs {
        let Some(name) = scalar(k) else { continue };
        let key = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        };
        match &v.kind {
            Kind::Map(_) => config_entries(v, &key, text, out),
            Kind::Scalar(s, style) => out.push(Entry {
                section: None,
                key,
                value: match scalar_value(s, *style) {
                    Value::Str(t) => Value::Str(unescape_dollars(&t)),
                    other => other,
                },
                raw: text[v.span.clone()].to_string(),
                key_span: k.span.clone(),
                value_span: v.span.clone(),
                entry_span: line_start(text, k.span.start)
                    ..line_end(text, v.span.end.max(k.span.end)),
            }),
            Kind::Seq(_) => out.push(Entry {
                section: None,
                key,
                value: Value::Json(serde_json::Value::String(text[v.span.clone()].to_string())),
                raw: text[v.span.clone()].to_string(),
                key_span: k.span.clone(),
                value_span: v.span.clone(),
                entry_span: line_start(text, k.span.start)..line_end(text, v.span.end),
            }),
        }
    }
}

impl Format for Meltano {
    fn lang(&self) -> Lang {
        Lang::Meltano
    }

    fn parse(&self, src: &Source) -> Parsed {
        let mut parsed = Parsed::new(Lang::Meltano);
        match parse_tree(&src.text) {
            Err(p) => parsed.problems.push(p),
            Ok(Some(root)) => {
                if let Some((_, cfg)) = extractor(&root).and_then(|e| get(e, "config")) {
                    config_entries(cfg, "", &src.text, &mut parsed.entries);
                }
            }
            Ok(None) => {}
        }
        parsed
    }

    fn render(&self, settings: &Settings) -> Result<String> {
        let inline = secrets_inline(settings);
        let env: Vec<String> = dotenv_vars(settings).into_iter().map(|(n, _)| n).collect();
        render::render_with(
            Lang::Meltano,
            settings,
            &serde_json::Value::Null,
            &serde_json::json!({ "inline": inline, "env_vars": env }),
        )
    }

    fn cannot_carry(&self, neutral: &str, value: &Value) -> Option<String> {
        let t = value.to_text();
        if is_sensitive_neutral(neutral) && t.contains("${") {
            return Some(
                "Meltano's .env reader expands ${NAME} and has no escape for it (write it with --secrets-in file)"
                    .into(),
            );
        }
        match neutral {
            "login_customer_id" | "customer_id" => {
                let ok = {
                    let d: Vec<&str> = t.split('-').collect();
                    let digits = t.bytes().filter(u8::is_ascii_digit).count();
                    digits == 10
                        && t.bytes().all(|b| b.is_ascii_digit() || b == b'-')
                        && (d.len() == 1 || (d.len() == 3 && d[0].len() == 3 && d[1].len() == 3))
                };
                (!ok).then(|| {
                    format!(
                        "tap-googleads requires ^[0-9]{{3}}-?[0-9]{{3}}-?[0-9]{{4}}$; got {t:?}"
                    )
                })
            }
            "start_date" | "end_date" if !crate::formats::airbyte::is_date(&t) => Some(format!(
                "tap-googleads takes a date as YYYY-MM-DD; got {t:?}"
            )),
            _ => None,
        }
    }

    fn sequential_edits(&self) -> bool {
        true
    }

    fn set_edits(
        &self,
        src: &Source,
        parsed: &Parsed,
        key: &LibKey,
        value: &Value,
    ) -> Result<Vec<Edit>> {
        let text = &src.text;
        let new = yaml_quote(&escape_dollars(&value.to_text()));
        if let Some(e) = parsed.entries.iter().rev().find(|e| e.key == key.key) {
            return Ok(vec![Edit::replace(e.value_span.clone(), new)]);
        }
        let root = parse_tree(text)
            .map_err(|p| Error::refused(p.message))?
            .ok_or_else(|| Error::refused("meltano.yml is empty; generate it with --replace"))?;
        let ex = extractor(&root).ok_or_else(|| {
            Error::refused(format!(
                "meltano.yml has no `{PLUGIN}` extractor; add it with `meltano add extractor {PLUGIN}`, \
                 or paste the block `adsconf generate meltano` prints"
            ))
        })?;
        match get(ex, "config") {
            Some((
                _,
                cfg @ Node {
                    kind: Kind::Map(pairs),
                    ..
                },
            )) if !pairs.is_empty() => {
                let (k0, _) = &pairs[0];
                let indent = &text[line_start(text, k0.span.start)..k0.span.start];
                let at = line_end(text, cfg.span.end);
                let nl = if text[..at].ends_with('\n') { "" } else { "\n" };
                Ok(vec![Edit::insert(
                    at,
                    format!("{nl}{indent}{}: {new}\n", key.key),
                )])
            }
            _ => {
                let (k0, _) = match &ex.kind {
                    Kind::Map(p) if !p.is_empty() => &p[0],
                    _ => {
                        return Err(Error::refused(
                            "the tap-googleads extractor entry is not a mapping",
                        ))
                    }
                };
                let indent = &text[line_start(text, k0.span.start)..k0.span.start];
                let indent = indent.replace('-', " ");
                let at = line_end(text, ex.span.end);
                let nl = if text[..at].ends_with('\n') { "" } else { "\n" };
                Ok(vec![Edit::insert(
                    at,
                    format!("{nl}{indent}config:\n{indent}  {}: {new}\n", key.key),
                )])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "project_id: p\nplugins:\n  extractors:\n  - name: tap-other\n  - name: tap-googleads\n    namespace: tap_googleads\n    config:\n      oauth_credentials.client_id: 'c'\n      login_customer_id: '1234567890'\n  loaders:\n  - name: target-jsonl\n";

    #[test]
    fn reads_the_extractor_config() {
        let p = Meltano.parse(&Source::of(FILE));
        assert_eq!(p.problems, vec![]);
        let kv: Vec<(&str, String)> = p
            .entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.to_text()))
            .collect();
        assert_eq!(
            kv,
            [
                ("oauth_credentials.client_id", "c".to_string()),
                ("login_customer_id", "1234567890".to_string())
            ]
        );
    }

    #[test]
    fn sets_in_place_and_adds() {
        let src = Source::of(FILE);
        let p = Meltano.parse(&src);
        let cat = Lang::Meltano.catalog();
        let k = cat.for_neutral("customer_id").unwrap();
        let out = crate::edit::apply(
            FILE,
            &Meltano
                .set_edits(&src, &p, k, &Value::Str("1111111111".into()))
                .unwrap(),
        )
        .unwrap();
        assert!(out.contains("      login_customer_id: '1234567890'\n      customer_id: \"1111111111\"\n  loaders:"), "{out}");
        let q = Meltano.parse(&Source::of(&out));
        assert!(q
            .entries
            .iter()
            .any(|e| e.key == "customer_id" && e.value.to_text() == "1111111111"));
        let k = cat.for_neutral("client_id").unwrap();
        let out = crate::edit::apply(
            FILE,
            &Meltano
                .set_edits(&src, &p, k, &Value::Str("n".into()))
                .unwrap(),
        )
        .unwrap();
        assert!(
            out.contains("oauth_credentials.client_id: \"n\"\n"),
            "{out}"
        );
    }

    #[test]
    fn dotenv_quoting_and_merge() {
        assert_eq!(dotenv_quote("it's a\\b"), "'it\\'s a\\\\b'");
        let out = dotenv_merge(
            "A=1\nTAP_GOOGLEADS_DEVELOPER_TOKEN=old\n# c\n",
            &[
                ("TAP_GOOGLEADS_DEVELOPER_TOKEN".into(), "n".into()),
                (
                    "TAP_GOOGLEADS_OAUTH_CREDENTIALS_REFRESH_TOKEN".into(),
                    "r".into(),
                ),
            ],
        );
        assert_eq!(out, "A=1\nTAP_GOOGLEADS_DEVELOPER_TOKEN='n'\n# c\nTAP_GOOGLEADS_OAUTH_CREDENTIALS_REFRESH_TOKEN='r'\n");
        assert_eq!(
            env_name("oauth_credentials.client_secret"),
            "TAP_GOOGLEADS_OAUTH_CREDENTIALS_CLIENT_SECRET"
        );
    }

    #[test]
    fn escapes_dollars_and_refuses_bad_ids() {
        assert!(Meltano
            .cannot_carry("client_secret", &Value::Str("a${b}".into()))
            .is_some());
        assert!(Meltano
            .cannot_carry("client_secret", &Value::Str("a$B".into()))
            .is_none());
        for (v, e) in [
            ("${HOME} $HOME $x $1 $", "\\${HOME} \\$HOME $x $1 $"),
            ("\\$HOME", "\\\\$HOME"),
            ("${a b}", "${a b}"),
            ("$É", "$É"),
        ] {
            assert_eq!(escape_dollars(v), e, "{v}");
            assert_eq!(unescape_dollars(&escape_dollars(v)), v, "{v}");
        }
        assert!(Meltano
            .cannot_carry("login_customer_id", &Value::Str("123-456-7890".into()))
            .is_none());
        assert!(Meltano
            .cannot_carry("login_customer_id", &Value::Str("12-34".into()))
            .is_some());
    }
}
