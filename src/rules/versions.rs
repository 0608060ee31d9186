//! Library versions: `--library-version`, detection from lock/manifest files next to the
//! config, and the version-dependent requirement (`required_before` in the catalogue).

use std::path::Path;

use super::{DiagExt, FileCtx};
use crate::diag::Diagnostic;
use crate::lang::Lang;

/// A library version `MAJOR.MINOR.PATCH` (missing parts are 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u64, pub u64, pub u64);

impl Version {
    /// Parse `32`, `32.0`, `v32.0.1`, `==31.4.0`, `31.4.0-beta` (pre-release tags ignored).
    pub fn parse(text: &str) -> Option<Version> {
        let t = text
            .trim()
            .trim_start_matches(['=', '~', '^', '>', 'v', 'V', ' '])
            .trim_matches(|c| c == '"' || c == '\'');
        let core: String = t
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let mut parts = core.split('.').filter(|p| !p.is_empty());
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        let patch = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        Some(Version(major, minor, patch))
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// Where a library's version is pinned: file name test and how to find the version in it.
struct Manifest {
    langs: &'static [Lang],
    matches: fn(&str) -> bool,
    find: fn(&str) -> Option<String>,
}

/// The text after `needle` up to the first char in `stop`.
fn after<'a>(text: &'a str, needle: &str, stop: &[char]) -> Option<&'a str> {
    let i = text.find(needle)? + needle.len();
    let rest = &text[i..];
    Some(&rest[..rest.find(stop).unwrap_or(rest.len())])
}

/// The first version-looking string after `needle` (within `window` chars).
fn version_after(text: &str, needle: &str, window: usize) -> Option<String> {
    let i = text.find(needle)? + needle.len();
    let rest = &text[i..];
    let head: String = rest.chars().take(window).collect();
    let start = head.find(|c: char| c.is_ascii_digit())?;
    let v: String = rest[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    Some(v)
}

const PY: &[Lang] = &[Lang::Python];
const JAVA: &[Lang] = &[Lang::Java];
const PHP: &[Lang] = &[Lang::Php];
const RUBY: &[Lang] = &[Lang::Ruby];
const NET: &[Lang] = &[Lang::Dotnet, Lang::DotnetJson, Lang::Csharp];
const PERL: &[Lang] = &[Lang::Perl];

const MANIFESTS: &[Manifest] = &[
    Manifest {
        langs: PY,
        matches: |n| n.starts_with("requirements") && n.ends_with(".txt"),
        find: |t| {
            t.lines().find_map(|l| {
                let l = l.trim();
                let rest = l.strip_prefix("google-ads")?;
                let rest = rest.trim_start();
                rest.strip_prefix("==").map(|v| v.trim().to_string())
            })
        },
    },
    Manifest {
        langs: PY,
        matches: |n| n == "poetry.lock" || n == "uv.lock",
        find: |t| version_after(t, "name = \"google-ads\"", 40),
    },
    Manifest {
        langs: PY,
        matches: |n| n == "Pipfile.lock",
        find: |t| version_after(after(t, "\"google-ads\":", &['}'])?, "\"version\":", 20),
    },
    Manifest {
        langs: JAVA,
        matches: |n| n == "pom.xml",
        find: |t| version_after(t, "<artifactId>google-ads</artifactId>", 80),
    },
    Manifest {
        langs: JAVA,
        matches: |n| n.starts_with("build.gradle"),
        find: |t| version_after(t, "com.google.api-ads:google-ads:", 3),
    },
    Manifest {
        langs: PHP,
        matches: |n| n == "composer.lock",
        find: |t| version_after(t, "\"name\": \"googleads/google-ads-php\"", 40),
    },
    Manifest {
        langs: RUBY,
        matches: |n| n == "Gemfile.lock",
        find: |t| version_after(t, "    google-ads-googleads (", 2),
    },
    Manifest {
        langs: NET,
        matches: |n| n.ends_with(".csproj"),
        find: |t| version_after(t, "Include=\"Google.Ads.GoogleAds\"", 20),
    },
    Manifest {
        langs: PERL,
        matches: |n| n == "cpanfile",
        find: |t| version_after(t, "Google::Ads::GoogleAds", 30),
    },
];

/// Does any rule depend on `lang`'s library version? (Only then is it worth detecting.)
pub fn matters(lang: Lang) -> bool {
    lang.catalog()
        .keys
        .iter()
        .any(|k| k.required_before.is_some())
}

/// Detect the library version from lock/manifest files in the config's directory and up to
/// three parents (the project root). `None` when nothing pins it. Each directory is read once
/// per run (`check -r` over a large tree asks about the same parents many times).
pub fn detect(config: &Path, lang: Lang) -> Option<(Version, String)> {
    let abs = std::fs::canonicalize(config).ok()?;
    let mut dir = abs.parent();
    for _ in 0..4 {
        let d = dir?;
        if let Some(found) = pinned_in(d, lang) {
            return Some(found);
        }
        if d.join(".git").exists() {
            break;
        }
        dir = d.parent();
    }
    None
}

type DirCache = std::sync::Mutex<
    std::collections::HashMap<(std::path::PathBuf, Lang), Option<(Version, String)>>,
>;

/// The version a manifest in directory `d` itself pins (cached per directory and library).
fn pinned_in(d: &Path, lang: Lang) -> Option<(Version, String)> {
    static CACHE: std::sync::OnceLock<DirCache> = std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (d.to_path_buf(), lang);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let found = scan_dir(d, lang);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, found.clone());
    }
    found
}

fn scan_dir(d: &Path, lang: Lang) -> Option<(Version, String)> {
    let rd = std::fs::read_dir(d).ok()?;
    let mut names: Vec<_> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        for m in MANIFESTS.iter().filter(|m| m.langs.contains(&lang)) {
            if !(m.matches)(&name) {
                continue;
            }
            let p = d.join(&name);
            let Ok(text) = crate::source::read_bytes(&p) else {
                continue;
            };
            let text = String::from_utf8_lossy(&text);
            if let Some(v) = (m.find)(&text).and_then(|v| Version::parse(&v)) {
                return Some((v, p.display().to_string()));
            }
        }
    }
    None
}

/// Does the library count the key as set? Python checks presence only (`developer_token:`
/// with no value passes); PHP trims and refuses a blank token, and skips the check when
/// `useCloudOrgForApiAccess` is on (filter_var boolean).
fn present_for_the_library(ctx: &FileCtx, neutral: &str) -> bool {
    let Some(e) = ctx.find_neutral(neutral) else {
        return false;
    };
    match ctx.lang() {
        Lang::Php => {
            let cloud_org = ctx
                .find_neutral("use_cloud_org_for_api_access")
                .is_some_and(|c| {
                    crate::model::normalize(
                        "use_cloud_org_for_api_access",
                        &c.value,
                        "bool_filter_var",
                    ) == Some(crate::model::Value::Bool(true))
                });
            cloud_org
                || !matches!(e.value, crate::model::Value::Null)
                    && !e.value.to_text().trim().is_empty()
        }
        _ => true,
    }
}

/// `missing-required-key`: keys the catalogue marks `required_before` a version newer than the
/// file's library version (`required` keys have their own rules, e.g. `missing-use-proto-plus`).
pub fn check(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    if ctx.parsed.is_fatal() || ctx.has_unreadable() {
        return;
    }
    let Some(version) = ctx.version else {
        // Unknown version: assume the newest, which requires none of these.
        return;
    };
    for k in &ctx.lang().catalog().keys {
        let (Some(before), Some(neutral)) = (&k.required_before, &k.neutral) else {
            continue;
        };
        let Some(before_v) = Version::parse(before) else {
            continue;
        };
        if version >= before_v || present_for_the_library(ctx, neutral) {
            continue;
        }
        let lib = ctx.lang().catalog().library.as_str();
        let said = match ctx.lang() {
            Lang::Python => " \"A required field in the configuration data was not found. The required fields are: ('developer_token', 'use_proto_plus')\"",
            Lang::Php => " \"A developer token must be set.\"",
            Lang::Java => " \"Developer token is null but not using cloud org for API access.\"",
            _ => "",
        };
        let msg = format!(
            "{lib} {version} requires `{}`{}{said}",
            k.key,
            if said.is_empty() { "" } else { ":" }
        );
        out.push(ctx.diag("missing-required-key", 0..0, msg).help(format!(
            "add `{}` (any value: the API ignores developer tokens since 2026-09-09), or upgrade {lib} to {before_v} or later",
            k.key
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_versions() {
        assert_eq!(Version::parse("32"), Some(Version(32, 0, 0)));
        assert_eq!(Version::parse("==31.4.0"), Some(Version(31, 4, 0)));
        assert_eq!(Version::parse("v22.1.0"), Some(Version(22, 1, 0)));
        assert_eq!(Version::parse("31.4.0rc1"), Some(Version(31, 4, 0)));
        assert_eq!(Version::parse("abc"), None);
        assert!(Version(31, 4, 0) < Version(32, 0, 0));
    }

    #[test]
    fn finds_versions_in_manifests() {
        let cases: &[(&str, &str, Lang, &str)] = &[
            ("requirements.txt", "flask==3.0\ngoogle-ads==31.4.0\n", Lang::Python, "31.4.0"),
            ("poetry.lock", "[[package]]\nname = \"google-ads\"\nversion = \"33.0.0\"\n", Lang::Python, "33.0.0"),
            ("Pipfile.lock", "{\"default\": {\"google-ads\": {\"hashes\": [], \"version\": \"==30.0.0\"}}}", Lang::Python, "30.0.0"),
            ("pom.xml", "<dependency><groupId>com.google.api-ads</groupId><artifactId>google-ads</artifactId>\n <version>38.0.0</version></dependency>", Lang::Java, "38.0.0"),
            ("build.gradle.kts", "implementation(\"com.google.api-ads:google-ads:37.1.0\")", Lang::Java, "37.1.0"),
            ("composer.lock", "{\"packages\": [{\"name\": \"googleads/google-ads-php\",\n \"version\": \"v29.0.0\"}]}", Lang::Php, "29.0.0"),
            ("Gemfile.lock", "GEM\n  specs:\n    google-ads-googleads (35.1.0)\n", Lang::Ruby, "35.1.0"),
            ("app.csproj", "<PackageReference Include=\"Google.Ads.GoogleAds\" Version=\"22.1.0\" />", Lang::Dotnet, "22.1.0"),
            ("cpanfile", "requires 'Google::Ads::GoogleAds::Client', '28.0.0';", Lang::Perl, "28.0.0"),
        ];
        for (name, text, lang, want) in cases {
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir(dir.path().join(".git")).unwrap();
            std::fs::write(dir.path().join(name), text).unwrap();
            let cfg = dir.path().join(lang.info().default_file);
            std::fs::write(&cfg, "").unwrap();
            let got = detect(&cfg, *lang).map(|(v, _)| v.to_string());
            assert_eq!(got.as_deref(), Some(*want), "{name}");
        }
    }
}
