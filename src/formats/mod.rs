//! One module per target format: parse (with spans, typed as the real parser types),
//! render (a template plus tested escaping functions), and edit (span-based).
//!
//! Adding a format is one new file here plus one row in [`LANGS`] and one arm in [`format`].

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Serialize;

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::mask;
use crate::model::{self, Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

use crate::lang::{Lang, LANGS};

pub mod airbyte;
pub mod csharp;
pub mod curl;
pub mod dlt;
pub mod dotenv;
pub mod dotnet_json;
pub mod dotnet_xml;
pub mod env;
pub mod java;
pub mod jsontree;
pub mod mcp;
pub mod meltano;
pub mod perl;
pub mod php;
pub mod python;
pub mod render;
pub mod ruby;
pub mod shell;
pub mod singer;

/// One setting as the library's parser reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// PHP section (`None` elsewhere).
    pub section: Option<String>,
    /// The key exactly as the library sees it (Perl keeps spaces: `"loginCustomerId "`).
    pub key: String,
    /// The value typed as the real parser types it.
    pub value: Value,
    /// The value's source text (quotes included).
    pub raw: String,
    pub key_span: Range<usize>,
    /// Span of `raw`; replacing this span changes the value. Empty (at the insertion point)
    /// when the entry has no value text.
    pub value_span: Range<usize>,
    /// The whole entry including its line terminator(s): removing it removes the setting.
    pub entry_span: Range<usize>,
}

/// Kinds of parse findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// The library's own parser rejects the file here.
    Syntax,
    /// Code that cannot be read statically (Ruby, C#): the value is not known.
    NotStatic,
}

/// A place where the library's parser fails or where adsconf cannot read statically.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub span: Range<usize>,
    pub message: String,
}

/// What a parser read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub lang: Lang,
    /// Every entry in file order, duplicates included.
    pub entries: Vec<Entry>,
    pub problems: Vec<Problem>,
    /// Settings a companion file gives, which win over the entries (Meltano's `.env` beside
    /// `meltano.yml`, filled by [`load`]): neutral name and value.
    pub companion: Vec<(String, Value)>,
}

impl Parsed {
    pub fn new(lang: Lang) -> Self {
        Parsed {
            lang,
            entries: Vec::new(),
            problems: Vec::new(),
            companion: Vec::new(),
        }
    }

    /// Does the library refuse the whole file?
    pub fn is_fatal(&self) -> bool {
        self.problems.iter().any(|p| p.kind == ProblemKind::Syntax)
    }

    /// The entries that win (last of each section+key), in file order.
    pub fn effective(&self) -> Vec<&Entry> {
        let mut last: BTreeMap<(Option<&str>, &str), usize> = BTreeMap::new();
        for (i, e) in self.entries.iter().enumerate() {
            last.insert((e.section.as_deref(), e.key.as_str()), i);
        }
        let mut idx: Vec<usize> = last.into_values().collect();
        idx.sort_unstable();
        idx.into_iter().map(|i| &self.entries[i]).collect()
    }

    /// The winning entry for a catalogue key.
    pub fn find(&self, key: &LibKey) -> Option<&Entry> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.key == key.key && (key.section.is_none() || e.section == key.section))
    }
}

/// What a file means under neutral names (CONTRACT §3 `show`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loaded {
    /// Neutral name → value exactly as the format's parser types it.
    pub known: BTreeMap<String, Value>,
    /// Keys the library ignores, as written (PHP as `SECTION.key`).
    pub unknown: BTreeMap<String, Value>,
    /// Keys the library knows that have no neutral name (e.g. Ruby `logger`), as written.
    pub unmapped: BTreeMap<String, Value>,
}

/// Name of an entry as written, PHP entries as `SECTION.key`.
pub fn entry_label(e: &Entry) -> String {
    match &e.section {
        Some(s) => format!("{s}.{}", e.key),
        None => e.key.clone(),
    }
}

/// How secret an entry's value is (see [`mask`](crate::mask)): the catalogue's word for a
/// key the library knows (found as written, trimmed, or case-insensitively), the key's name
/// for any other (`client_secert` is a secret too); and whatever the key, the value's shape
/// (a refresh token pasted as the client id, a password in a URL).
pub fn secret_kind(lang: Lang, e: &Entry) -> mask::Kind {
    let cat = lang.catalog();
    let known = cat
        .find(e.section.as_deref(), &e.key)
        .or_else(|| cat.find(e.section.as_deref(), e.key.trim()))
        .or_else(|| {
            cat.keys
                .iter()
                .find(|k| k.key.eq_ignore_ascii_case(e.key.trim()))
        });
    let text = e.value.to_text();
    let by_name = match known {
        Some(k) => {
            let neutral = k.neutral.as_deref().and_then(crate::schema::neutral);
            if k.secret || neutral.is_some_and(|n| n.secret) {
                mask::Kind::Whole
            } else if neutral.is_some_and(|n| n.secret_userinfo) {
                mask::Kind::UrlPassword
            } else {
                mask::Kind::None
            }
        }
        None => mask::key_kind(&e.key),
    };
    match by_name {
        mask::Kind::Whole => mask::Kind::Whole,
        mask::Kind::UrlPassword if mask::url_password(&text).is_some() => mask::Kind::UrlPassword,
        _ => mask::value_kind(&text),
    }
}

/// The byte range of an entry's secret text in the file: its value span, or for a URL only
/// the password of its user-info. `None` for values that are not secret, empty, or template
/// placeholders.
pub fn secret_span(lang: Lang, e: &Entry) -> Option<Range<usize>> {
    if e.value_span.is_empty() || mask::is_placeholder(&e.value.to_text()) {
        return None;
    }
    match secret_kind(lang, e) {
        mask::Kind::None => None,
        mask::Kind::Whole => Some(e.value_span.clone()),
        mask::Kind::UrlPassword => {
            let p = mask::url_password(&e.raw)?;
            (e.raw.len() == e.value_span.len())
                .then(|| e.value_span.start + p.start..e.value_span.start + p.end)
                .or_else(|| Some(e.value_span.clone()))
        }
    }
}

/// The environment variables an entry's value reads while the library loads the file (PHP
/// expands `"${VAR}"` in double-quoted and bare values); empty elsewhere.
pub fn env_reads(lang: Lang, e: &Entry) -> Vec<String> {
    match lang {
        Lang::Php => php::interpolations(&e.raw),
        _ => Vec::new(),
    }
}

/// The settings whose effective value the library takes from the environment while reading
/// the file: neutral name (or the entry's label when it has none) → the variables it reads.
/// Such a value is what adsconf's own environment holds, shown only with `--reveal`.
pub fn env_fed(parsed: &Parsed) -> BTreeMap<String, Vec<String>> {
    let cat = parsed.lang.catalog();
    parsed
        .effective()
        .into_iter()
        .filter_map(|e| {
            let vars = env_reads(parsed.lang, e);
            if vars.is_empty() {
                return None;
            }
            let name = cat
                .find(e.section.as_deref(), &e.key)
                .and_then(|k| k.neutral.clone())
                .unwrap_or_else(|| entry_label(e));
            Some((name, vars))
        })
        .collect()
}

/// Map a parsed file onto neutral names, resolving duplicates (last wins) and deprecated
/// aliases (the current key wins).
pub fn to_loaded(parsed: &Parsed) -> Loaded {
    let cat = parsed.lang.catalog();
    let mut out = Loaded::default();
    let mut from_deprecated: BTreeMap<String, bool> = BTreeMap::new();
    for e in parsed.effective() {
        // A sectioned key only counts in its own section (PHP: `developerToken` above the
        // first `[GOOGLE_ADS]` is a top-level key the library never reads).
        match cat
            .find(e.section.as_deref(), &e.key)
            .filter(|k| k.section == e.section)
        {
            Some(k) => match &k.neutral {
                Some(n) => {
                    let was_deprecated = from_deprecated.get(n).copied();
                    // A current key beats a deprecated alias, whatever the order.
                    if k.deprecated && was_deprecated == Some(false) {
                        continue;
                    }
                    out.known.insert(n.clone(), e.value.clone());
                    from_deprecated.insert(n.clone(), k.deprecated);
                }
                None => {
                    out.unmapped.insert(entry_label(e), e.value.clone());
                }
            },
            None => {
                out.unknown.insert(entry_label(e), e.value.clone());
            }
        }
    }
    // What a companion file gives wins (Meltano: the environment, `.env` included, over
    // meltano.yml's `config:`).
    // A null there is a setting the companion takes from the environment: not this file's.
    for (n, v) in &parsed.companion {
        match v {
            Value::Null => out.known.remove(n),
            v => out.known.insert(n.clone(), v.clone()),
        };
    }
    out
}

/// What the library's own loader ends with, under neutral names (`show --format json`'s
/// "loaded"): the parsed values ([`to_loaded`]'s `known`) after the conversions the loader
/// applies and with the defaults it fills in. Data, per key of the catalogue: `loaded` lists
/// the steps, `default` the value; the steps are
///
/// - `str_if_truthy`: Python `str()` of a truthy value (a YAML int id becomes a string);
/// - `strtobool`: Python's flag strings (`"True"`, `"yes"`, `"off"`, …) become booleans;
/// - `json_if_string`: a string is decoded as JSON (Python `logging`);
/// - `perl_truthy`: Perl's `||=`: an empty value or `0` counts as absent;
/// - `php_bool`: PHP `filter_var(…, FILTER_VALIDATE_BOOLEAN, FILTER_NULL_ON_FAILURE)`, where
///   absent, empty or not a boolean counts as absent;
/// - `default`: the key's `default` when absent (also applied last when not listed);
/// - `append_slash`: a `/` is appended when missing (Perl's service address).
///
/// A value the loader would refuse is left as parsed (`check` reports it).
pub fn loader_view(parsed: &Parsed) -> BTreeMap<String, Value> {
    let cat = parsed.lang.catalog();
    let known = to_loaded(parsed).known;
    let mut out = BTreeMap::new();
    for k in &cat.keys {
        let Some(n) = k.neutral.as_deref() else {
            continue;
        };
        // One row per setting: the primary key carries the data (aliases are in `known`).
        if !std::ptr::eq(cat.for_neutral(n).unwrap_or(k), k) {
            continue;
        }
        let mut v = known.get(n).cloned();
        let mut defaulted = false;
        for step in &k.loaded {
            v = match step.as_str() {
                "default" => {
                    defaulted = true;
                    v.or_else(|| default_of(k))
                }
                other => loader_step(other, v),
            };
        }
        if !defaulted && v.is_none() {
            v = default_of(k);
        }
        if let Some(v) = v {
            out.insert(n.to_string(), v);
        }
    }
    out
}

fn default_of(k: &LibKey) -> Option<Value> {
    Some(match k.default.as_ref()? {
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Integer(i) => Value::Int(*i),
        toml::Value::Float(f) => Value::Float(*f),
        toml::Value::String(s) => Value::Str(s.clone()),
        other => Value::Json(serde_json::to_value(other).ok()?),
    })
}

/// Python's `str()` of a YAML scalar.
fn python_str(v: &Value) -> String {
    match v {
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e16 => format!("{f:.1}"),
        other => other.to_text(),
    }
}

fn python_truthy(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => false,
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) | Value::Symbol(s) => !s.is_empty(),
        Value::Json(j) => {
            !(j.is_null()
                || j.as_object().is_some_and(|o| o.is_empty())
                || j.as_array().is_some_and(|a| a.is_empty()))
        }
        Value::Bool(true) => true,
    }
}

/// One step of [`loader_view`]; an unknown step name leaves the value (a catalogue test
/// keeps the names valid).
fn loader_step(step: &str, v: Option<Value>) -> Option<Value> {
    match (step, v) {
        ("str_if_truthy", Some(v)) if python_truthy(&v) => Some(Value::Str(python_str(&v))),
        ("strtobool", Some(Value::Str(s))) => {
            let l = s.to_ascii_lowercase();
            Some(match l.as_str() {
                "y" | "yes" | "t" | "true" | "on" | "1" => Value::Bool(true),
                "n" | "no" | "f" | "false" | "off" | "0" => Value::Bool(false),
                _ => Value::Str(s),
            })
        }
        ("json_if_string", Some(Value::Str(s))) => Some(
            serde_json::from_str(&s)
                .map(Value::Json)
                .unwrap_or(Value::Str(s)),
        ),
        ("perl_truthy", Some(v)) => {
            let t = v.to_text();
            (!(matches!(v, Value::Null) || t.is_empty() || t == "0")).then_some(v)
        }
        ("php_bool", Some(v)) => match &v {
            Value::Bool(b) => Some(Value::Bool(*b)),
            Value::Null => None,
            other => match other.to_text().trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "on" | "yes" => Some(Value::Bool(true)),
                "0" | "false" | "off" | "no" => Some(Value::Bool(false)),
                _ => None,
            },
        },
        ("append_slash", Some(Value::Str(s))) if !s.ends_with('/') => Some(Value::Str(s + "/")),
        (_, v) => v,
    }
}

/// The step names [`loader_view`] knows.
pub const LOADER_STEPS: &[&str] = &[
    "str_if_truthy",
    "strtobool",
    "json_if_string",
    "perl_truthy",
    "php_bool",
    "default",
    "append_slash",
];

/// The neutral settings a file holds, normalised to the neutral types the way the library
/// interprets each value (used to convert between libraries).
pub fn to_settings(parsed: &Parsed) -> Settings {
    let cat = parsed.lang.catalog();
    let loaded = to_loaded(parsed);
    let mut s = Settings::default();
    for (n, v) in &loaded.known {
        // dlt's source requires impersonated_email even with OAuth credentials: "" is "none".
        if parsed.lang == Lang::Dlt && n == "impersonated_email" && v.to_text().is_empty() {
            continue;
        }
        let reads = cat
            .for_neutral(n)
            .map(|k| k.reads.as_str())
            .unwrap_or("string");
        if let Some(v) = model::normalize(n, v, reads) {
            s.set(n, v);
        }
    }
    s
}

/// The operations every format provides.
pub trait Format: Sync {
    fn lang(&self) -> Lang;

    /// Read `src` exactly as the library's own parser does.
    fn parse(&self, src: &Source) -> Parsed;

    /// Render a complete file for `settings` (keys this target cannot express are ignored;
    /// [`Format::expressible`] tells which).
    fn render(&self, settings: &Settings) -> Result<String>;

    /// Can this target carry the neutral key at all?
    fn expressible(&self, neutral: &str) -> bool {
        self.lang().catalog().for_neutral(neutral).is_some()
    }

    /// A reason why this format cannot carry `value` faithfully (newlines are refused for
    /// every format before this is asked).
    fn cannot_carry(&self, _neutral: &str, _value: &Value) -> Option<String> {
        None
    }

    /// Edits that make the file read `value` for `key`: replace the winning entry's value in
    /// place (keeping its quoting style where it can carry the value), or insert the key at
    /// the right place when it is missing.
    fn set_edits(
        &self,
        src: &Source,
        parsed: &Parsed,
        key: &LibKey,
        value: &Value,
    ) -> Result<Vec<Edit>>;

    /// The section a new line at `offset` would belong to, for formats with sections (PHP);
    /// `None` elsewhere, or above the first section.
    fn section_at(&self, _src: &Source, _offset: usize) -> Option<String> {
        None
    }

    /// Are a file's edits computed one key at a time on the text the previous ones produced?
    /// Nested formats say yes: the first key set in a missing table or object creates it.
    fn sequential_edits(&self) -> bool {
        false
    }

    /// Edits that remove every entry of `key`.
    fn remove_edits(&self, _src: &Source, parsed: &Parsed, key: &LibKey) -> Vec<Edit> {
        parsed
            .entries
            .iter()
            .filter(|e| e.key == key.key && (key.section.is_none() || e.section == key.section))
            .map(|e| Edit::delete(e.entry_span.clone()))
            .collect()
    }
}

/// The implementation of a target.
pub fn format(lang: Lang) -> &'static dyn Format {
    match lang {
        Lang::Java => &java::Java,
        Lang::Dotnet => &dotnet_xml::DotnetXml,
        Lang::DotnetJson => &dotnet_json::DotnetJson,
        Lang::Csharp => &csharp::Csharp,
        Lang::Php => &php::Php,
        Lang::Python => &python::Python,
        Lang::Ruby => &ruby::Ruby,
        Lang::Perl => &perl::Perl,
        Lang::Curl => &curl::Curl,
        Lang::Env => &env::Env,
        Lang::Airbyte => &airbyte::Airbyte,
        Lang::Meltano => &meltano::Meltano,
        Lang::Singer => &singer::Singer,
        Lang::Mcp => &mcp::Mcp,
        Lang::Dlt => &dlt::Dlt,
    }
}

/// Detect a file's format from its name, then its content.
pub fn detect(path: &Path, text: Option<&str>) -> Option<Lang> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let stem = name
        .strip_suffix(".sample")
        .or_else(|| name.strip_suffix(".example"))
        .or_else(|| name.strip_suffix(".dist"))
        .unwrap_or(&name);
    let parent = path
        .parent()
        .and_then(|d| d.file_name())
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let by_name = match stem {
        "meltano.yml" | "meltano.yaml" => Some(Lang::Meltano),
        "secrets.toml" if parent == ".dlt" => Some(Lang::Dlt),
        "claude_desktop_config.json" | "mcp.json" => Some(Lang::Mcp),
        "settings.json" if parent == ".gemini" => Some(Lang::Mcp),
        "source-google-ads.json" => Some(Lang::Airbyte),
        "tap-google-ads.config.json" => Some(Lang::Singer),
        "ads.properties" => Some(Lang::Java),
        "googleads.properties" => Some(Lang::Perl),
        "app.config" | "web.config" => Some(Lang::Dotnet),
        "google_ads_php.ini" => Some(Lang::Php),
        "google-ads.yaml" | "google-ads.yml" | "google_ads.yaml" => Some(Lang::Python),
        "google_ads_config.rb" => Some(Lang::Ruby),
        "googleads.env" | ".env" => Some(Lang::Env),
        "googleads.curl.sh" => Some(Lang::Curl),
        _ if stem.ends_with(".snippet.cs") || stem.ends_with(".cs") => Some(Lang::Csharp),
        _ if stem.starts_with("appsettings") && stem.ends_with(".json") => Some(Lang::DotnetJson),
        _ if stem.ends_with(".dll.config") || stem.ends_with(".exe.config") => Some(Lang::Dotnet),
        _ if stem.ends_with(".rb") => Some(Lang::Ruby),
        _ if stem.ends_with(".ini") => Some(Lang::Php),
        _ if stem.ends_with(".yaml") || stem.ends_with(".yml") => Some(Lang::Python),
        _ if stem.ends_with(".env") => Some(Lang::Env),
        _ => None,
    };
    if by_name.is_some() {
        return by_name;
    }
    let text = text?;
    detect_content(stem, text)
}

/// Guess the format from content (for files with unusual names). A marker is not enough: the
/// format's own parser must find at least one setting the library reads (real evidence of a
/// config, not a shell script that mentions `GoogleAdsConfig` or `GoogleAds::Config`).
pub fn detect_content(name: &str, text: &str) -> Option<Lang> {
    let lang = content_marker(name, text)?;
    let parsed = format(lang).parse(&Source::of(text));
    let cat = lang.catalog();
    parsed
        .entries
        .iter()
        .any(|e| cat.find(e.section.as_deref(), &e.key).is_some())
        .then_some(lang)
}

/// The format a marker in the text points at (see [`detect_content`]).
fn content_marker(name: &str, text: &str) -> Option<Lang> {
    if text.trim_start().starts_with('{') {
        if text.contains("\"mcpServers\"")
            || (text.contains("\"servers\"") && text.contains("google-ads-mcp"))
        {
            return Some(Lang::Mcp);
        }
        if text.contains("\"login_customer_ids\"") || text.contains("\"oauth_client_id\"") {
            return Some(Lang::Singer);
        }
        if text.contains("\"credentials\"")
            && text.contains("\"developer_token\"")
            && !text.contains("\"GoogleAdsApi\"")
        {
            return Some(Lang::Airbyte);
        }
    }
    if text.contains("[sources.google_ads") {
        return Some(Lang::Dlt);
    }
    if text.contains("tap-googleads") && text.lines().any(|l| l.starts_with("plugins:")) {
        return Some(Lang::Meltano);
    }
    if text.contains("api.googleads.") {
        return Some(Lang::Java);
    }
    if text.contains("<GoogleAdsApi") {
        return Some(Lang::Dotnet);
    }
    if text.contains("\"GoogleAdsApi\"") {
        return Some(Lang::DotnetJson);
    }
    if text.contains("GoogleAdsConfig") && text.contains('{') {
        return Some(Lang::Csharp);
    }
    if text.contains("GoogleAds::Config") {
        return Some(Lang::Ruby);
    }
    if text.contains("[GOOGLE_ADS]") || text.contains("[OAUTH2]") {
        return Some(Lang::Php);
    }
    if text.contains("curl ") && text.contains("googleads") {
        return Some(Lang::Curl);
    }
    if text
        .lines()
        .any(|l| l.trim_start().starts_with("export GOOGLE_ADS_"))
    {
        return Some(Lang::Env);
    }
    if text.lines().any(|l| {
        l.starts_with("developer_token:")
            || l.starts_with("use_proto_plus:")
            || l.starts_with("client_id:")
    }) {
        return Some(Lang::Python);
    }
    if name.ends_with(".properties")
        && text.lines().any(|l| {
            l.starts_with("developerToken")
                || l.starts_with("clientId")
                || l.starts_with("refreshToken")
        })
    {
        return Some(Lang::Perl);
    }
    None
}

/// The format of a file read as `bytes`: `lang` when given, else by its name, else by its
/// first 64 KiB (decoded only when the name does not tell: `check -r` reads thousands).
pub fn detect_read(path: &Path, bytes: &[u8], lang: Option<Lang>) -> Result<Lang> {
    if let Some(l) = lang.or_else(|| detect(path, None)) {
        return Ok(l);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    detect(path, Some(&head)).ok_or_else(|| {
        Error::usage(format!(
            "cannot tell which library {} is for; pass --lang ({})",
            path.display(),
            LANGS.iter().map(|l| l.name).collect::<Vec<_>>().join(", ")
        ))
    })
}

/// Read and parse a config file: detect (or take) its format, decode with the format's
/// encoding, parse.
pub fn load(path: &Path, lang: Option<Lang>) -> Result<(Source, Parsed)> {
    let bytes = crate::source::read_bytes(path)?;
    let lang = detect_read(path, &bytes, lang)?;
    let src = crate::source::decode(Some(path), bytes, lang.info().encoding)?;
    let mut parsed = format(lang).parse(&src);
    if lang == Lang::Meltano {
        parsed.companion = meltano::dotenv_settings(path.parent());
    }
    Ok((src, parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lang_has_its_format() {
        for info in LANGS {
            assert_eq!(format(info.lang).lang(), info.lang);
        }
    }

    #[test]
    fn detects_default_names() {
        for info in LANGS {
            assert_eq!(
                detect(Path::new(info.default_file), None),
                Some(info.lang),
                "{}",
                info.default_file
            );
        }
        assert_eq!(
            detect(Path::new("ads.properties.sample"), None),
            Some(Lang::Java)
        );
        assert_eq!(
            detect(Path::new("x.properties"), Some("developerToken=x\n")),
            Some(Lang::Perl)
        );
        assert_eq!(
            detect(
                Path::new("x.properties"),
                Some("api.googleads.clientId=x\n")
            ),
            Some(Lang::Java)
        );
    }
}
