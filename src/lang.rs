//! The language table: which targets exist, their names, default file names, catalogue,
//! template, encoding and reader. The bottom layer: everything else may import it, it
//! imports nothing of adsconf but the source encoding.
//!
//! Adding a target is one row in [`LANGS`] (plus its format module and catalogue).

use serde::Serialize;

use crate::source::Encoding;

/// A target: one client library's configuration format (CONTRACT §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
#[value(rename_all = "kebab-case")]
pub enum Lang {
    Java,
    Dotnet,
    DotnetJson,
    Csharp,
    Php,
    Python,
    Ruby,
    Perl,
    Curl,
    Env,
    Airbyte,
    Meltano,
    Singer,
    Mcp,
    Dlt,
}

/// Static facts about a target.
#[derive(Debug)]
pub struct LangInfo {
    pub lang: Lang,
    /// The LANG word of the command line.
    pub name: &'static str,
    /// Default file name (CONTRACT §1).
    pub default_file: &'static str,
    /// Catalogue in `schemas/` holding the keys.
    pub catalog: &'static str,
    /// Template in `templates/`.
    pub template: &'static str,
    pub encoding: Encoding,
    /// Who reads the file.
    pub reader: &'static str,
}

/// Every target, in CONTRACT order.
pub const LANGS: &[LangInfo] = &[
    LangInfo {
        lang: Lang::Java,
        name: "java",
        default_file: "ads.properties",
        catalog: "java",
        template: "java.properties.j2",
        encoding: Encoding::Latin1,
        reader: "google-ads-java",
    },
    LangInfo {
        lang: Lang::Dotnet,
        name: "dotnet",
        default_file: "App.config",
        catalog: "dotnet",
        template: "dotnet.config.j2",
        encoding: Encoding::Utf8,
        reader: "google-ads-dotnet",
    },
    LangInfo {
        lang: Lang::DotnetJson,
        name: "dotnet-json",
        default_file: "appsettings.json",
        catalog: "dotnet",
        template: "dotnet.json.j2",
        encoding: Encoding::Utf8,
        reader: "google-ads-dotnet",
    },
    LangInfo {
        lang: Lang::Csharp,
        name: "csharp",
        default_file: "GoogleAdsConfig.snippet.cs",
        catalog: "dotnet",
        template: "csharp.cs.j2",
        encoding: Encoding::Utf8,
        reader: "a C# compiler (google-ads-dotnet)",
    },
    LangInfo {
        lang: Lang::Php,
        name: "php",
        default_file: "google_ads_php.ini",
        catalog: "php",
        template: "php.ini.j2",
        encoding: Encoding::Utf8,
        reader: "google-ads-php",
    },
    LangInfo {
        lang: Lang::Python,
        name: "python",
        default_file: "google-ads.yaml",
        catalog: "python",
        template: "python.yaml.j2",
        encoding: Encoding::Utf8,
        reader: "google-ads-python",
    },
    LangInfo {
        lang: Lang::Ruby,
        name: "ruby",
        default_file: "google_ads_config.rb",
        catalog: "ruby",
        template: "ruby.rb.j2",
        encoding: Encoding::Utf8,
        reader: "google-ads-ruby",
    },
    LangInfo {
        lang: Lang::Perl,
        name: "perl",
        default_file: "googleads.properties",
        catalog: "perl",
        template: "perl.properties.j2",
        encoding: Encoding::Utf8,
        reader: "google-ads-perl",
    },
    LangInfo {
        lang: Lang::Curl,
        name: "curl",
        default_file: "googleads.curl.sh",
        catalog: "curl",
        template: "curl.sh.j2",
        encoding: Encoding::Utf8,
        reader: "a POSIX shell and curl",
    },
    LangInfo {
        lang: Lang::Env,
        name: "env",
        default_file: "googleads.env",
        catalog: "env",
        template: "env.sh.j2",
        encoding: Encoding::Utf8,
        reader: "a POSIX shell",
    },
    LangInfo {
        lang: Lang::Airbyte,
        name: "airbyte",
        default_file: "source-google-ads.json",
        catalog: "airbyte",
        template: "airbyte.json.j2",
        encoding: Encoding::Utf8,
        reader: "Airbyte source-google-ads",
    },
    LangInfo {
        lang: Lang::Meltano,
        name: "meltano",
        default_file: "meltano.yml",
        catalog: "meltano",
        template: "meltano.yml.j2",
        encoding: Encoding::Utf8,
        reader: "Meltano (tap-googleads)",
    },
    LangInfo {
        lang: Lang::Singer,
        name: "singer",
        default_file: "tap-google-ads.config.json",
        catalog: "singer",
        template: "singer.json.j2",
        encoding: Encoding::Utf8,
        reader: "singer-io tap-google-ads",
    },
    LangInfo {
        lang: Lang::Mcp,
        name: "mcp",
        default_file: "claude_desktop_config.json",
        catalog: "mcp",
        template: "mcp.json.j2",
        encoding: Encoding::Utf8,
        reader: "google-ads-mcp (through an MCP client)",
    },
    LangInfo {
        lang: Lang::Dlt,
        name: "dlt",
        default_file: ".dlt/secrets.toml",
        catalog: "dlt",
        template: "dlt.toml.j2",
        encoding: Encoding::Utf8,
        reader: "dlt (verified source google_ads)",
    },
];

impl Lang {
    pub fn info(self) -> &'static LangInfo {
        // LANGS holds one row per variant, in declaration order.
        &LANGS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn all() -> impl Iterator<Item = Lang> {
        LANGS.iter().map(|i| i.lang)
    }

    pub fn from_name(name: &str) -> Option<Lang> {
        LANGS.iter().find(|i| i.name == name).map(|i| i.lang)
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_table_matches_enum() {
        for (i, info) in LANGS.iter().enumerate() {
            assert_eq!(info.lang as usize, i);
            assert_eq!(Lang::from_name(info.name), Some(info.lang));
        }
    }
}
