//! The key catalogue: `schemas/*.toml`, one source of truth for rendering, parsing and linting.
//!
//! `schemas/neutral.toml` lists the neutral settings (CONTRACT §2); each library file maps
//! the library's own keys onto them, with how the library reads each value.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::lang::Lang;

/// Type of a neutral setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyType {
    String,
    CustomerId,
    Bool,
    Int,
    Json,
}

/// Which authentication mode a credential key belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMode {
    User,
    ServiceAccount,
    Adc,
}

/// One neutral setting.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeutralKey {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: KeyType,
    #[serde(default)]
    pub secret: bool,
    /// The value is a URL whose user-info part (a password) is secret.
    #[serde(default)]
    pub secret_userinfo: bool,
    #[serde(default)]
    pub core: bool,
    /// A rendering option rather than a setting (`mcp_client`, `secrets_in`): never named
    /// as a key a target cannot express.
    #[serde(default)]
    pub option: bool,
    pub auth: Option<AuthMode>,
    pub summary: String,
}

/// One key a library reads.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibKey {
    /// The key as written in the file (attribute name in Ruby, property in C#: see `property`).
    pub key: String,
    /// PHP section.
    pub section: Option<String>,
    /// Neutral name; absent when the setting has no neutral equivalent.
    pub neutral: Option<String>,
    /// How the library interprets the value (`string`, `long`, `bool_java`, ...).
    pub reads: String,
    /// Environment variable that the library's environment loader maps to this key.
    pub env: Option<String>,
    /// What the library's own loader does to the parsed value, step by step (`show`'s
    /// "loaded"; [`crate::formats::loader_view`] names the steps). Absent: nothing.
    #[serde(default)]
    pub loaded: Vec<String>,
    /// The value the library uses when the key is absent (the `default` step, else last).
    pub default: Option<toml::Value>,
    /// C# `GoogleAdsConfig` property name (.NET catalogue only).
    pub property: Option<String>,
    /// HTTP header (curl catalogue only).
    pub header: Option<String>,
    /// Libraries reading this variable (env catalogue only).
    #[serde(default)]
    pub libs: Vec<String>,
    /// Secret even though the neutral key is not (or there is none).
    #[serde(default)]
    pub secret: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub required: bool,
    /// Required in library versions before this one.
    pub required_before: Option<String>,
    /// The first library version that reads this key (older ones ignore it, or raise for
    /// Ruby's unknown attributes).
    pub added_in: Option<String>,
    /// The first library version that no longer reads this key.
    pub removed_in: Option<String>,
    /// Known wrong spellings of this key (documented but never read).
    #[serde(default)]
    pub mistakes: Vec<String>,
    /// The only values the library accepts (its own validation), when it has a value set.
    #[serde(default)]
    pub values: Vec<String>,
    /// `values` are compared ignoring case.
    #[serde(default)]
    pub values_ignore_case: bool,
    /// A shape the library checks (`php_filter_url`, `php_parse_url`, `not_blank`,
    /// `ruby_http_proxy`, `lwp_proxy`, `json_string`): see rules::values.
    pub shape: Option<String>,
    /// What the library does with a value outside `values`/`shape`: `error` (refuses, the
    /// default) or `warning` (carries on with something else).
    pub invalid: Option<String>,
    pub notes: Option<String>,
}

/// The catalogue of one library (or of the env / curl targets).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibCatalog {
    pub lang: String,
    pub library: String,
    pub duplicates: String,
    pub case_sensitive: bool,
    #[serde(default)]
    pub sections: Vec<String>,
    #[serde(rename = "key")]
    pub keys: Vec<LibKey>,
}

impl LibCatalog {
    /// The key entry for `key` (and `section` where the format has sections).
    pub fn find(&self, section: Option<&str>, key: &str) -> Option<&LibKey> {
        self.keys
            .iter()
            .find(|k| k.key == key && (section.is_none() || k.section.as_deref() == section))
    }

    /// The primary (non-deprecated) key for a neutral name.
    pub fn for_neutral(&self, neutral: &str) -> Option<&LibKey> {
        self.keys
            .iter()
            .filter(|k| k.neutral.as_deref() == Some(neutral))
            .min_by_key(|k| k.deprecated)
    }

    /// Every key for a neutral name, deprecated aliases included.
    pub fn all_for_neutral<'a>(
        &'a self,
        neutral: &'a str,
    ) -> impl Iterator<Item = &'a LibKey> + 'a {
        self.keys
            .iter()
            .filter(move |k| k.neutral.as_deref() == Some(neutral))
    }
}

#[derive(Deserialize)]
struct NeutralFile {
    key: Vec<NeutralKey>,
}

const NEUTRAL_TOML: &str = include_str!("../schemas/neutral.toml");

/// The catalogue files, by catalogue name.
const CATALOGS: &[(&str, &str)] = &[
    ("java", include_str!("../schemas/java.toml")),
    ("dotnet", include_str!("../schemas/dotnet.toml")),
    ("php", include_str!("../schemas/php.toml")),
    ("python", include_str!("../schemas/python.toml")),
    ("ruby", include_str!("../schemas/ruby.toml")),
    ("perl", include_str!("../schemas/perl.toml")),
    ("curl", include_str!("../schemas/curl.toml")),
    ("env", include_str!("../schemas/env.toml")),
    ("airbyte", include_str!("../schemas/airbyte.toml")),
    ("meltano", include_str!("../schemas/meltano.toml")),
    ("singer", include_str!("../schemas/singer.toml")),
    ("mcp", include_str!("../schemas/mcp.toml")),
    ("dlt", include_str!("../schemas/dlt.toml")),
];

/// Every neutral key, in catalogue order.
pub fn neutral_keys() -> &'static [NeutralKey] {
    static KEYS: OnceLock<Vec<NeutralKey>> = OnceLock::new();
    KEYS.get_or_init(|| {
        // The catalogue is compiled in and checked by tests: a parse failure is a bug.
        toml::from_str::<NeutralFile>(NEUTRAL_TOML)
            .expect("schemas/neutral.toml is valid")
            .key
    })
}

/// The neutral key named `name`.
pub fn neutral(name: &str) -> Option<&'static NeutralKey> {
    neutral_keys().iter().find(|k| k.name == name)
}

/// Position of a neutral key in catalogue order (unknown names sort last).
pub fn neutral_order(name: &str) -> usize {
    neutral_keys()
        .iter()
        .position(|k| k.name == name)
        .unwrap_or(usize::MAX)
}

impl Lang {
    /// The key catalogue this target reads ([`catalog`]).
    pub fn catalog(self) -> &'static LibCatalog {
        catalog(self)
    }
}

/// The catalogue a target reads its keys from (`dotnet`, `dotnet-json` and `csharp` share one).
/// Each catalogue is parsed the first time it is needed (one-file `check` needs one or two).
pub fn catalog(lang: Lang) -> &'static LibCatalog {
    static CATS: [OnceLock<LibCatalog>; CATALOGS.len()] =
        [const { OnceLock::new() }; CATALOGS.len()];
    let name = lang.info().catalog;
    // LANGS names only catalogues of this table (a unit test checks every row).
    let i = CATALOGS
        .iter()
        .position(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no catalogue `{name}` in schemas/"));
    CATS[i].get_or_init(|| {
        toml::from_str(CATALOGS[i].1)
            .unwrap_or_else(|e| panic!("schemas/{name}.toml is invalid: {e}"))
    })
}

/// Is this neutral key a rendering option (`mcp_client`, `secrets_in`)?
pub fn is_option(neutral_name: &str) -> bool {
    neutral(neutral_name).is_some_and(|k| k.option)
}

/// Is this neutral key a secret (masked unless `--reveal`)?
pub fn is_secret(neutral_name: &str) -> bool {
    neutral(neutral_name).is_some_and(|k| k.secret)
}

/// JSON Schema (draft 2020-12) of `adsconf.toml`, derived from `schemas/neutral.toml`.
/// `schemas/adsconf.schema.json` holds its output; `tests/schema.rs` keeps the two equal.
pub fn json_schema() -> serde_json::Value {
    use serde_json::json;
    let mut props = serde_json::Map::new();
    for k in neutral_keys() {
        let mut p = match k.ty {
            KeyType::String => json!({"type": "string"}),
            KeyType::CustomerId => json!({
                "type": "string",
                "pattern": "^[0-9]{3}-?[0-9]{3}-?[0-9]{4}$",
                "examples": ["1234567890"]
            }),
            KeyType::Bool => json!({"type": "boolean"}),
            KeyType::Int => json!({"type": "integer"}),
            KeyType::Json => json!({"type": ["object", "string"]}),
        };
        let mut description = k.summary.clone();
        if k.secret {
            description.push_str(" Secret: masked in adsconf output unless --reveal.");
        }
        if let Some(obj) = p.as_object_mut() {
            obj.insert("description".into(), json!(description));
        }
        props.insert(k.name.clone(), p);
    }
    props.insert(
        "check".into(),
        json!({
            "type": "object",
            "description": "adsconf check's project settings, read by `adsconf check` run in this directory and by `adsconf lsp` for this workspace; the names of check's flags (command-line flags and editor settings win, ignore lists add up).",
            "additionalProperties": false,
            "properties": {
                "ignore": {"type": "array", "items": {"type": "string"}, "description": "Rules to skip, by name or code (--ignore)."},
                "library-version": {"type": "string", "description": "The client-library version the files are for (--library-version)."},
                "hierarchy": {"type": "string", "description": "An account hierarchy file, relative to this file (--hierarchy)."},
                "user": {"type": "string", "description": "Whose credentials the configs hold (--user)."},
                "customer": {"type": "string", "description": "The account the program calls (--customer)."}
            }
        }),
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "adsconf.toml",
        "description": "The neutral Google Ads API client-library settings read by adsconf (a flat table of neutral names). Generated from schemas/neutral.toml; do not edit by hand.",
        "type": "object",
        "additionalProperties": false,
        "properties": props
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_load_and_refer_to_known_neutral_keys() {
        assert!(neutral_keys().len() >= 12);
        // Every LANGS row names a catalogue of the table (else `catalog` panics) ...
        for info in crate::lang::LANGS {
            assert_eq!(catalog(info.lang).lang, info.catalog);
        }
        // ... and every catalogue of the table is some target's.
        for (name, _) in CATALOGS {
            let lang = crate::lang::LANGS
                .iter()
                .find(|l| l.catalog == *name)
                .unwrap_or_else(|| panic!("schemas/{name}.toml is no target's catalogue"))
                .lang;
            let cat = catalog(lang);
            assert_eq!(&cat.lang, name);
            for k in &cat.keys {
                if let Some(n) = &k.neutral {
                    assert!(
                        neutral(n).is_some(),
                        "{name}: {} maps to unknown neutral key {n}",
                        k.key
                    );
                }
            }
        }
    }

    #[test]
    fn neutral_names_unique() {
        let mut names: Vec<_> = neutral_keys().iter().map(|k| &k.name).collect();
        names.sort();
        let len = names.len();
        names.dedup();
        assert_eq!(len, names.len());
    }
}
