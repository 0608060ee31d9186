//! Library versions: `--library-version`, detection from lock/manifest files next to the
//! config, and the version-dependent requirement (`required_before` in the catalogue).

use std::path::{Path, PathBuf};

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

/// Where a library's version is pinned: file name test and how to find the version (or the
/// version constraint, as written) in it.
struct Manifest {
    langs: &'static [Lang],
    matches: fn(&str) -> bool,
    find: fn(&str) -> Option<String>,
}

/// The first version-looking string after `needle` (within `window` chars), with the
/// operator written before it (`^33.5`, `~> 42.0`, `==31.4.0`, `31.4.0`).
fn version_after(text: &str, needle: &str, window: usize) -> Option<String> {
    let i = text.find(needle)? + needle.len();
    let rest = &text[i..];
    let head: String = rest.chars().take(window).collect();
    let start = head.find(|c: char| c.is_ascii_digit())?;
    let before = &head[..start];
    let op_len = before
        .chars()
        .rev()
        .take_while(|c| matches!(c, '^' | '~' | '=' | '>' | '<' | '!' | ' '))
        .map(char::len_utf8)
        .sum::<usize>();
    // `<version>38.0.0`: a `>` that closes a tag is no operator.
    let op = match before[..before.len() - op_len].chars().last() {
        Some(c) if c.is_ascii_alphanumeric() => "",
        _ => &before[before.len() - op_len..],
    };
    let v: String = rest[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    Some(format!("{}{v}", op.trim()))
}

/// A Python requirement `google-ads<op><version>` in `text` (requirements files, PEP 621
/// dependency strings, Poetry tables), not `google-ads-something`.
fn python_requirement(text: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = text[from..].find("google-ads") {
        let at = from + i + "google-ads".len();
        from = at;
        let before_ok = text[..at - "google-ads".len()]
            .chars()
            .last()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        let after = text[at..].chars().next();
        if !before_ok || after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            continue;
        }
        // `google-ads = "^31.4"`, `google-ads = { version = "31.4.0" }`, `google-ads==31.4.0`.
        let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
        if let Some(v) = version_after(&text[at..line_end], "", 40) {
            return Some(v.replace(' ', ""));
        }
    }
    None
}

const PY: &[Lang] = &[Lang::Python];
const JAVA: &[Lang] = &[Lang::Java];
const PHP: &[Lang] = &[Lang::Php];
const RUBY: &[Lang] = &[Lang::Ruby];
const NET: &[Lang] = &[Lang::Dotnet, Lang::DotnetJson, Lang::Csharp];
const PERL: &[Lang] = &[Lang::Perl];

/// In order of preference: lock files (what is installed) before manifests (constraints).
const MANIFESTS: &[Manifest] = &[
    Manifest {
        langs: PY,
        matches: |n| n == "poetry.lock" || n == "uv.lock",
        find: |t| version_after(t, "name = \"google-ads\"", 40).map(|v| v.replace('=', "")),
    },
    Manifest {
        langs: PY,
        matches: |n| n == "Pipfile.lock",
        find: |t| {
            let i = t.find("\"google-ads\":")?;
            let rest = &t[i..];
            version_after(
                &rest[..rest.find('}').unwrap_or(rest.len())],
                "\"version\":",
                20,
            )
        },
    },
    Manifest {
        langs: PY,
        matches: |n| n.starts_with("requirements") && n.ends_with(".txt"),
        find: |t| {
            t.lines()
                .map(|l| l.split('#').next().unwrap_or("").trim())
                .find_map(|l| {
                    l.starts_with("google-ads")
                        .then(|| python_requirement(l))
                        .flatten()
                })
        },
    },
    Manifest {
        langs: PY,
        matches: |n| n == "pyproject.toml",
        find: python_requirement,
    },
    Manifest {
        langs: PHP,
        matches: |n| n == "composer.lock",
        find: |t| {
            version_after(t, "\"name\": \"googleads/google-ads-php\"", 40)
                .map(|v| v.replace('=', ""))
        },
    },
    Manifest {
        langs: PHP,
        matches: |n| n == "composer.json",
        find: |t| version_after(t, "\"googleads/google-ads-php\":", 12),
    },
    Manifest {
        langs: RUBY,
        matches: |n| n == "Gemfile.lock",
        find: |t| version_after(t, "    google-ads-googleads (", 2),
    },
    Manifest {
        langs: RUBY,
        matches: |n| n == "Gemfile" || n == "gems.rb",
        find: |t| {
            let i = t
                .find("'google-ads-googleads'")
                .or_else(|| t.find("\"google-ads-googleads\""))?;
            let line = &t[i..t[i..].find('\n').map_or(t.len(), |n| i + n)];
            version_after(line, "googleads", 20)
        },
    },
    Manifest {
        langs: NET,
        matches: |n| n == "packages.lock.json",
        find: |t| {
            let i = t.find("\"Google.Ads.GoogleAds\":")?;
            let rest = &t[i..];
            version_after(
                &rest[..rest.find('}').unwrap_or(rest.len())],
                "\"resolved\":",
                20,
            )
            .map(|v| v.replace('=', ""))
        },
    },
    Manifest {
        langs: NET,
        matches: |n| n.ends_with(".csproj"),
        find: |t| {
            version_after(t, "Include=\"Google.Ads.GoogleAds\"", 20).map(|v| v.replace('=', ""))
        },
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
        langs: PERL,
        matches: |n| n == "cpanfile",
        find: |t| version_after(t, "Google::Ads::GoogleAds", 30),
    },
];

/// What a manifest's version text says: an exact version, or the lower bound of a constraint
/// that stays within one major release (`^33.5`, `~> 42.0`, `~=31.4`); `None` for an open
/// range (`>=31.4`, which installs the newest).
fn interpret(raw: &str) -> Option<(Version, bool)> {
    let t = raw.trim();
    let exact = t.trim_start_matches(['=', 'v']);
    if exact.starts_with(|c: char| c.is_ascii_digit()) {
        return Version::parse(exact).map(|v| (v, true));
    }
    if let Some(rest) = t.strip_prefix(['^', '~']) {
        return Version::parse(rest.trim_start_matches(['=', '>', ' '])).map(|v| (v, false));
    }
    None
}

/// The package each library is published as, as manifests name it (for [`libraries_in`]).
const PACKAGES: &[(Lang, &str)] = &[
    (Lang::Python, "google-ads"),
    (Lang::Java, "com.google.api-ads"),
    (Lang::Php, "googleads/google-ads-php"),
    (Lang::Ruby, "google-ads-googleads"),
    (Lang::Dotnet, "Google.Ads.GoogleAds"),
    (Lang::Perl, "Google::Ads::GoogleAds"),
];

/// Manifests that name a dependency without pinning its version (presence only).
fn unpinned_manifest(lang: Lang, name: &str) -> bool {
    match lang {
        Lang::Python => name == "pyproject.toml" || name == "Pipfile" || name == "setup.py",
        Lang::Php => name == "composer.json",
        Lang::Ruby => name == "Gemfile" || name.ends_with(".gemspec"),
        _ => false,
    }
}

/// The Google Ads libraries the project in `dir` depends on (its manifests name the
/// package), each with the version a lock file or manifest pins, and the manifest that named
/// it. For `init`: which library to write a config for.
pub fn libraries_in(dir: &Path) -> Vec<(Lang, Option<Version>, String)> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = rd
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut out = Vec::new();
    for (lang, package) in PACKAGES {
        let named = names.iter().find(|n| {
            let is_manifest = MANIFESTS
                .iter()
                .any(|m| m.langs.contains(lang) && (m.matches)(n))
                || unpinned_manifest(*lang, n);
            is_manifest
                && crate::source::read_bytes(&dir.join(n.as_str()))
                    .map(|b| {
                        let t = String::from_utf8_lossy(&b);
                        t.lines().any(|l| {
                            let l = l.trim_start();
                            !l.starts_with('#')
                                && l.contains(package)
                                && !l.contains(&format!("{package}-"))
                                || l.contains(&format!("{package}:"))
                        })
                    })
                    .unwrap_or(false)
        });
        if let Some(n) = named {
            // Only an exact pin (a lock file, `==`): a constraint names no one version.
            let version = scan_dir(dir, *lang)
                .filter(|(_, exact, _)| *exact)
                .map(|(v, _, _)| v);
            out.push((*lang, version, n.clone()));
        }
    }
    out
}

/// Does any rule depend on `lang`'s library version? (Only then is it worth detecting.)
pub fn matters(lang: Lang) -> bool {
    lang.catalog()
        .keys
        .iter()
        .any(|k| k.required_before.is_some() || k.added_in.is_some() || k.removed_in.is_some())
}

/// Where the version a file is checked against came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// `--library-version`.
    Flag,
    /// A lock or manifest file (its path as shown, relative to the config's directory); the
    /// version is exact (a lock file, a pin) or the lower bound of a constraint.
    Manifest { path: String, exact: bool },
    /// Nothing pins it: the newest release (every version rule as of the newest known).
    Newest,
}

/// The library version a file is checked against, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Assumed {
    pub library: &'static str,
    pub version: Option<Version>,
    pub source: Source,
}

impl std::fmt::Display for Assumed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.version, &self.source) {
            (Some(v), Source::Flag) => write!(f, "{} {v} (--library-version)", self.library),
            (Some(v), Source::Manifest { path, exact: true }) => {
                write!(f, "{} {v} (from {path})", self.library)
            }
            (Some(v), Source::Manifest { path, exact: false }) => {
                write!(f, "{} {v} (the lowest version {path} allows)", self.library)
            }
            _ => write!(
                f,
                "the newest {} (no version pinned; --library-version V or a lock file next to the config pins one)",
                self.library
            ),
        }
    }
}

/// The version `config` is checked against: `flag` when given, else what a lock/manifest
/// file next to it (or up to three parents) pins, else the newest.
pub fn assume(config: Option<&Path>, lang: Lang, flag: Option<Version>) -> Assumed {
    let library = lang.info().reader;
    if let Some(v) = flag {
        return Assumed {
            library,
            version: Some(v),
            source: Source::Flag,
        };
    }
    match config
        .filter(|_| matters(lang))
        .and_then(|c| detect_at(c, lang))
    {
        Some((v, exact, path)) => Assumed {
            library,
            version: Some(v),
            source: Source::Manifest { path, exact },
        },
        None => Assumed {
            library,
            version: None,
            source: Source::Newest,
        },
    }
}

/// Detect the library version from lock/manifest files in the config's directory and up to
/// three parents (the project root). `None` when nothing pins it. Each directory is read once
/// per run (`check -r` over a large tree asks about the same parents many times).
pub fn detect(config: &Path, lang: Lang) -> Option<(Version, String)> {
    detect_at(config, lang).map(|(v, _, p)| (v, p))
}

/// (version, exact?, manifest path relative to the config's directory).
fn detect_at(config: &Path, lang: Lang) -> Option<(Version, bool, String)> {
    let abs = std::fs::canonicalize(config).ok()?;
    let mut dir = abs.parent();
    let mut up = String::new();
    for _ in 0..4 {
        let d = dir?;
        if let Some((v, exact, name)) = pinned_in(d, lang) {
            return Some((v, exact, format!("{up}{name}")));
        }
        if is_repo_root(d) {
            break;
        }
        dir = d.parent();
        up.push_str("../");
    }
    None
}

type Pin = Option<(Version, bool, String)>;
type DirCache = std::sync::Mutex<std::collections::HashMap<(std::path::PathBuf, Lang), Pin>>;

static CACHE: std::sync::OnceLock<DirCache> = std::sync::OnceLock::new();

/// Directories known to hold (or not) a `.git`: the walk up stops at a repository's root,
/// and `check -r` asks about the same parents for every file.
static REPO_ROOTS: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<PathBuf, bool>>> =
    std::sync::OnceLock::new();

fn is_repo_root(d: &Path) -> bool {
    let roots = REPO_ROOTS.get_or_init(Default::default);
    if let Some(hit) = roots.lock().ok().and_then(|c| c.get(d).copied()) {
        return hit;
    }
    let yes = d.join(".git").exists();
    if let Ok(mut c) = roots.lock() {
        c.insert(d.to_path_buf(), yes);
    }
    yes
}

/// Forget the versions found so far: a long-running process (the language server) calls
/// this when a manifest may have changed.
pub fn forget() {
    if let Some(Ok(mut c)) = CACHE.get().map(|c| c.lock()) {
        c.clear();
    }
    if let Some(Ok(mut c)) = REPO_ROOTS.get().map(|c| c.lock()) {
        c.clear();
    }
}

/// The version a manifest in directory `d` itself pins (cached per directory and library).
fn pinned_in(d: &Path, lang: Lang) -> Pin {
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

fn scan_dir(d: &Path, lang: Lang) -> Pin {
    let rd = std::fs::read_dir(d).ok()?;
    let manifests: Vec<_> = MANIFESTS
        .iter()
        .filter(|m| m.langs.contains(&lang))
        .collect();
    // Only the names some manifest of this library matches are kept (a directory of a large
    // tree usually has none); sorted so that the first pin found is the same on every run.
    let mut names: Vec<String> = rd
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| manifests.iter().any(|m| (m.matches)(n)))
        .collect();
    names.sort();
    for m in manifests {
        for name in names.iter().filter(|n| (m.matches)(n)) {
            let p = d.join(name);
            let Ok(text) = crate::source::read_bytes(&p) else {
                continue;
            };
            let text = String::from_utf8_lossy(&text);
            if let Some((v, exact)) = (m.find)(&text).and_then(|raw| interpret(&raw)) {
                return Some((v, exact, name.clone()));
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

/// `unknown-key` by version: a key the file's library version does not read yet (`added_in`
/// in the catalogue) or no longer reads (`removed_in`). google-ads-ruby raises NoMethodError
/// for an attribute Config does not have (an error); the other libraries ignore the line (a
/// warning). With no version pinned the newest is assumed, and a Ruby finding stays a
/// warning (the file may be meant for an older release).
fn version_keys(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let lib = ctx.library();
    let cat = ctx.lang().catalog();
    for e in ctx.parsed.effective() {
        let Some(k) = ctx.catalog_key(e) else {
            continue;
        };
        let added = k.added_in.as_deref().and_then(Version::parse);
        let removed = k.removed_in.as_deref().and_then(Version::parse);
        let why = match (ctx.version, added, removed) {
            (Some(v), Some(a), _) if v < a => {
                format!("{lib} {v} does not read `{}` yet (added in {a})", k.key)
            }
            (Some(v), _, Some(r)) if v >= r => {
                format!("{lib} {v} no longer reads `{}` (removed in {r})", k.key)
            }
            (None, _, Some(r)) => format!(
                "{lib} no longer reads `{}` since {r} (no version pinned: the newest is assumed)",
                k.key
            ),
            _ => continue,
        };
        // The spelling this version reads for the same setting, if any.
        let instead = k.neutral.as_deref().and_then(|n| {
            cat.keys.iter().find(|o| {
                o.key != k.key
                    && o.neutral.as_deref() == Some(n)
                    && o.section == k.section
                    && readable_in(o, ctx.version)
            })
        });
        let ruby = ctx.lang() == Lang::Ruby;
        let mut msg = why;
        msg.push_str(if ruby && ctx.version.is_some() {
            ": Ruby raises NoMethodError when the library evaluates the file"
        } else if ruby {
            ": in those releases Ruby raises NoMethodError when the library evaluates the file"
        } else {
            "; the line is ignored"
        });
        let mut d = ctx
            .diag("unknown-key", FileCtx::key_span(e), msg)
            .help(match instead {
                Some(o) => format!("write `{}` instead", o.key),
                None => "delete the line, or pin the library version you use (--library-version)"
                    .to_string(),
            });
        if ruby && ctx.version.is_some() {
            d = d.severity(crate::diag::Severity::Error);
        }
        if let Some(o) = instead {
            if !e.key_span.is_empty() {
                d = d.fix(
                    crate::diag::Applicability::Safe,
                    format!("rename to `{}`", o.key),
                    vec![crate::edit::Edit::replace(
                        e.key_span.clone(),
                        o.key.clone(),
                    )],
                );
            }
        }
        out.push(d);
    }
}

/// Does library version `v` (the newest when unknown) read key `k`?
fn readable_in(k: &crate::schema::LibKey, v: Option<Version>) -> bool {
    let added = k.added_in.as_deref().and_then(Version::parse);
    let removed = k.removed_in.as_deref().and_then(Version::parse);
    match v {
        Some(v) => added.is_none_or(|a| v >= a) && removed.is_none_or(|r| v < r),
        None => removed.is_none(),
    }
}

/// `missing-required-key`: keys the catalogue marks `required_before` a version newer than the
/// file's library version (`required` keys have their own rules, e.g. `missing-use-proto-plus`);
/// and keys this version does not read (`added_in`, `removed_in`).
pub fn check(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    if ctx.parsed.is_fatal() {
        return;
    }
    version_keys(ctx, out);
    if ctx.has_unreadable() {
        return;
    }
    tool_required(ctx, out);
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

/// The data tools refuse a config without their `required` keys before any request (the
/// OAuth credentials are `missing-credentials`' findings).
fn tool_required(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let lang = ctx.lang();
    let consequence = match lang {
        Lang::Airbyte => "the connector's spec check fails (\"'{k}' is a required property\")",
        Lang::Singer => "singer-python stops at start-up (\"Config is missing required keys\")",
        Lang::Dlt => "dlt stops with ConfigFieldMissingException before loading",
        Lang::Meltano => "the tap's SDK validation fails (\"'{k}' is a required property\")",
        _ => return,
    };
    // Nothing of the consumer's block here: it is configured elsewhere (or not at all).
    if ctx.parsed.entries.is_empty() {
        return;
    }
    let dir = ctx.fs_path.and_then(|p| p.parent());
    let in_dotenv = crate::formats::meltano::dotenv_names(dir);
    for k in lang.catalog().keys.iter().filter(|k| k.required) {
        if matches!(
            k.neutral.as_deref(),
            Some("client_id" | "client_secret" | "refresh_token")
        ) {
            continue;
        }
        // Meltano's sensitive settings live in .env or the environment (not always beside
        // the text being checked, e.g. before adsconf writes the .env).
        if lang == Lang::Meltano && crate::formats::meltano::is_sensitive(&k.key) {
            continue;
        }
        let present = ctx.parsed.entries.iter().any(|e| e.key == k.key)
            || (lang == Lang::Meltano && {
                let var = crate::formats::meltano::env_name(&k.key);
                in_dotenv.contains(&var) || std::env::var_os(&var).is_some()
            });
        if present {
            continue;
        }
        let reader = lang.info().reader;
        out.push(
            ctx.diag(
                "missing-required-key",
                0..0,
                format!(
                    "{reader} requires `{}`: {}",
                    k.key,
                    consequence.replace("{k}", &k.key)
                ),
            )
            .help(match k.neutral.as_deref() {
                Some(n) => format!("add it (`adsconf set FILE {n}=VALUE`)"),
                None => format!("add `{}`", k.key),
            }),
        );
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
    fn finds_the_libraries_a_project_uses() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("requirements.txt"),
            "flask==3.0\ngoogle-ads==31.4.0\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("composer.json"),
            "{\"require\": {\"googleads/google-ads-php\": \"^29\"}}",
        )
        .unwrap();
        std::fs::write(dir.path().join("Gemfile"), "gem 'rails'\n").unwrap();
        let got = libraries_in(dir.path());
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, Lang::Python);
        assert_eq!(got[0].1, Some(Version(31, 4, 0)));
        assert_eq!(got[1].0, Lang::Php);
        assert_eq!(got[1].1, None, "composer.json pins no exact version");
        // google-ads-foo is another package.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("requirements.txt"), "google-ads-stubs\n").unwrap();
        assert!(libraries_in(dir.path()).is_empty());
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
            ("requirements.txt", "google-ads-stubs==1.0\ngoogle-ads~=31.4\n", Lang::Python, "31.4.0"),
            ("pyproject.toml", "[project]\ndependencies = [\n  \"google-ads==31.4.0\",\n]\n", Lang::Python, "31.4.0"),
            ("pyproject.toml", "[tool.poetry.dependencies]\ngoogle-ads = \"^32.0\"\n", Lang::Python, "32.0.0"),
            ("uv.lock", "[[package]]\nname = \"google-ads\"\nversion = \"34.0.0\"\n", Lang::Python, "34.0.0"),
            ("composer.json", "{\"require\": {\"googleads/google-ads-php\": \"^33.5\"}}", Lang::Php, "33.5.0"),
            ("Gemfile", "source 'https://rubygems.org'\ngem 'google-ads-googleads', '~> 42.0'\n", Lang::Ruby, "42.0.0"),
            ("packages.lock.json", "{\"dependencies\": {\"net8.0\": {\"Google.Ads.GoogleAds\": {\"type\": \"Direct\", \"requested\": \"[26.1.0, )\", \"resolved\": \"26.1.0\"}}}}", Lang::Dotnet, "26.1.0"),
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

    #[test]
    fn open_ranges_pin_nothing_and_locks_win() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let cfg = dir.path().join("google-ads.yaml");
        std::fs::write(&cfg, "").unwrap();
        std::fs::write(dir.path().join("requirements.txt"), "google-ads>=31.0\n").unwrap();
        assert_eq!(detect(&cfg, Lang::Python), None, ">= installs the newest");
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let cfg = dir.path().join("google_ads_php.ini");
        std::fs::write(&cfg, "").unwrap();
        std::fs::write(
            dir.path().join("composer.json"),
            "{\"require\": {\"googleads/google-ads-php\": \"^33.0\"}}",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("composer.lock"),
            "{\"packages\": [{\"name\": \"googleads/google-ads-php\", \"version\": \"v33.5.0\"}]}",
        )
        .unwrap();
        let a = assume(Some(&cfg), Lang::Php, None);
        assert_eq!(a.version, Some(Version(33, 5, 0)));
        assert_eq!(
            a.source,
            Source::Manifest {
                path: "composer.lock".into(),
                exact: true
            }
        );
        assert!(a
            .to_string()
            .contains("google-ads-php 33.5.0 (from composer.lock)"));
        let flag = assume(Some(&cfg), Lang::Php, Some(Version(34, 0, 0)));
        assert_eq!(flag.source, Source::Flag);
        let none = assume(None, Lang::Ruby, None);
        assert!(none.to_string().starts_with("the newest google-ads-ruby"));
    }
}
