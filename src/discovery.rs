//! Which configuration file a library loads by default, and what the environment does to
//! it (library-config-spec.md §1.1, §2.1, §3.1, §4.1, §5.1, §6.1). Used by `show` without
//! FILE, and reusable by `check` (no PATH) and `verify`.

use std::path::{Path, PathBuf};

use crate::lang::Lang;

/// One path the library tries, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    /// Why the library looks there.
    pub reason: String,
    pub exists: bool,
}

/// What a present environment variable does for this library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvEffect {
    /// Overrides the file's value when the code applies the environment after the file.
    Overrides,
    /// Not used together with the file at all (Python).
    NotMerged,
    /// This library never reads the variable.
    Ignored,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    pub neutral: Option<String>,
    pub value: String,
    pub effect: EnvEffect,
    /// One sentence for the user.
    pub note: String,
}

/// The result of looking for `lang`'s default configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery {
    pub lang: Lang,
    pub library: &'static str,
    /// Paths tried, in order (empty when the library has no default file).
    pub candidates: Vec<Candidate>,
    /// The file the library would load.
    pub chosen: Option<PathBuf>,
    /// What the library does when no file is found (or why there is no default).
    pub when_missing: String,
    /// Does the library fail when the file is missing?
    pub missing_is_error: bool,
    /// How the library combines the file and the environment.
    pub precedence: String,
    /// `GOOGLE_ADS_*` variables of the environment that this library's loaders know of.
    pub env: Vec<EnvVar>,
}

pub const PATH_VAR: &str = "GOOGLE_ADS_CONFIGURATION_FILE_PATH";

fn non_empty(env: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    env(name).filter(|v| !v.is_empty())
}

fn home(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    non_empty(env, "HOME").map(|h| PathBuf::from(h.trim_end_matches(['/', '\\'])))
}

fn resolve(cwd: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    }
}

fn candidate(path: PathBuf, reason: impl Into<String>) -> Candidate {
    let exists = path.is_file();
    Candidate {
        path,
        reason: reason.into(),
        exists,
    }
}

/// The name of the call that applies the environment, per library.
pub fn env_loader(lang: Lang) -> &'static str {
    match lang {
        Lang::Java => "GoogleAdsClient.newBuilder().fromEnvironment()",
        Lang::Dotnet | Lang::DotnetJson | Lang::Csharp => "config.LoadFromEnvironmentVariables()",
        Lang::Php => "fromEnvironmentVariables()",
        Lang::Python => "GoogleAdsClient.load_from_env()",
        Lang::Ruby => "client.load_environment_config",
        Lang::Perl => "$api_client->configure_from_environment_variables()",
        Lang::Curl | Lang::Env => "the shell",
    }
}

/// Find what `lang`'s library would load by default. `env` looks up environment variables;
/// `cwd` resolves relative paths (PHP's current-directory rule).
pub fn default_config(lang: Lang, env: &dyn Fn(&str) -> Option<String>, cwd: &Path) -> Discovery {
    let library = match lang {
        Lang::Curl => "a curl script",
        Lang::Env => "the environment",
        _ => leak_library(lang),
    };
    let path_var = env(PATH_VAR);
    let mut candidates = Vec::new();
    let mut when_missing: String;
    let mut missing_is_error = true;
    let home = home(env);
    let from_var = |reason: &str| -> Option<Candidate> {
        path_var.as_deref().filter(|v| !v.is_empty()).map(|v| {
            let why = if reason.is_empty() {
                format!("{PATH_VAR} is set")
            } else {
                format!("{PATH_VAR} is set; {reason}")
            };
            candidate(resolve(cwd, Path::new(v)), why)
        })
    };
    match lang {
        Lang::Java => {
            if let Some(c) = from_var("") {
                candidates.push(c);
            } else if let Some(h) = &home {
                candidates.push(candidate(
                    h.join("ads.properties"),
                    "the home-directory default (user.home)",
                ));
            }
            when_missing =
                "fromPropertiesFile() throws FileNotFoundException naming the path".into();
        }
        Lang::Dotnet | Lang::DotnetJson | Lang::Csharp => {
            missing_is_error = false;
            when_missing = "google-ads-dotnet has no default file: since 16.0.0 nothing is loaded automatically; \
                            the code must call LoadFromDefaultAppConfigSection(), LoadFromSettingsJson(path, section) \
                            or TryLoadFromEnvironmentFilePath(\"GOOGLE_ADS_CONFIGURATION_FILE_PATH\", \"GoogleAdsApi\")"
                .into();
            if let Some(c) =
                from_var("only TryLoadFromEnvironmentFilePath reads it, as a JSON settings file")
            {
                candidates.push(c);
            }
        }
        Lang::Php => {
            let given = non_empty(env, PATH_VAR);
            let (p, why) = match &given {
                Some(v) => (PathBuf::from(v), format!("{PATH_VAR} is set")),
                None => (
                    PathBuf::from("google_ads_php.ini"),
                    "the default name, relative to the current directory".into(),
                ),
            };
            candidates.push(candidate(resolve(cwd, &p), why));
            if let (Some(h), Some(base)) = (&home, p.file_name()) {
                candidates.push(candidate(
                    h.join(base),
                    "the home directory (fromFile() falls back to HOME/<file name> when the path does not exist)",
                ));
            }
            when_missing = "fromFile() throws InvalidArgumentException: \"Config file not found as specified: …\"".into();
        }
        Lang::Python => {
            if let Some(v) = non_empty(env, PATH_VAR) {
                let p = match (v.strip_prefix('~'), &home) {
                    (Some(rest), Some(h)) => h.join(rest.trim_start_matches('/')),
                    _ => resolve(cwd, Path::new(&v)),
                };
                candidates.push(candidate(p, format!("{PATH_VAR} is set")));
            } else if let Some(h) = &home {
                candidates.push(candidate(
                    h.join("google-ads.yaml"),
                    "the home-directory default (~/google-ads.yaml)",
                ));
            }
            when_missing = "load_from_storage() raises FileNotFoundError".into();
        }
        Lang::Ruby => {
            // ENV.fetch: a variable set to "" is used as the path.
            match &path_var {
                Some(v) => candidates.push(candidate(
                    resolve(cwd, Path::new(v)),
                    format!("{PATH_VAR} is set"),
                )),
                None => {
                    if let Some(h) = &home {
                        candidates.push(candidate(
                            h.join("google_ads_config.rb"),
                            "the home-directory default ($HOME)",
                        ));
                    }
                }
            }
            when_missing = "GoogleAdsClient.new raises ArgumentError 'No configuration file found at location …'".into();
        }
        Lang::Perl => {
            missing_is_error = false;
            if let Some(c) = from_var("") {
                candidates.push(c);
            } else if let Some(h) = &home {
                candidates.push(candidate(
                    h.join("googleads.properties"),
                    "the home-directory default (File::HomeDir->my_home)",
                ));
            }
            when_missing = "a missing file is silently ignored: the client starts from defaults and constructor arguments".into();
        }
        Lang::Curl => {
            missing_is_error = false;
            when_missing = "a curl script has no default location: run `adsconf show FILE`".into();
        }
        Lang::Env => {
            missing_is_error = false;
            when_missing = "the env target is the environment itself".into();
        }
    }
    if candidates.is_empty()
        && home.is_none()
        && !matches!(
            lang,
            Lang::Curl | Lang::Env | Lang::Dotnet | Lang::DotnetJson | Lang::Csharp
        )
    {
        when_missing = format!(
            "HOME is not set, so the home-directory default cannot be found; {when_missing}"
        );
    }
    let chosen = candidates.iter().find(|c| c.exists).map(|c| c.path.clone());
    let precedence = match lang {
        Lang::Python => "google-ads-python never merges the file and the environment: load_from_storage() reads only the file, \
                         and load_from_env() reads only the variables (or, when GOOGLE_ADS_CONFIGURATION_FILE_PATH is set, only that file)"
            .to_string(),
        Lang::Curl | Lang::Env => String::new(),
        _ => format!(
            "{library} applies sources in the order your code calls them: the variables below override the file's values \
             only if your code calls {} after loading the file",
            env_loader(lang)
        ),
    };
    let env_vars = env_effects(lang, env);
    Discovery {
        lang,
        library,
        candidates,
        chosen,
        when_missing,
        missing_is_error,
        precedence,
        env: env_vars,
    }
}

fn leak_library(lang: Lang) -> &'static str {
    match lang.info().catalog {
        "java" => "google-ads-java",
        "dotnet" => "google-ads-dotnet",
        "php" => "google-ads-php",
        "python" => "google-ads-python",
        "ruby" => "google-ads-ruby",
        "perl" => "google-ads-perl",
        _ => "the library",
    }
}

/// The catalogued variables present in `env` and what `lang`'s library does with each.
pub fn env_effects(lang: Lang, env: &dyn Fn(&str) -> Option<String>) -> Vec<EnvVar> {
    let cat = Lang::Env.catalog();
    let lib = lang.info().catalog;
    let mut out = Vec::new();
    for k in &cat.keys {
        if k.key == PATH_VAR {
            continue;
        }
        let Some(value) = env(&k.key) else { continue };
        let reads = k.libs.iter().any(|l| l == lib) || matches!(lang, Lang::Env);
        let (effect, note) = if matches!(lang, Lang::Curl) {
            (
                EnvEffect::Ignored,
                "a curl script reads only ACCESS_TOKEN and CUSTOMER_ID from the environment"
                    .to_string(),
            )
        } else if !reads {
            let who = if k.libs.is_empty() {
                "no library".to_string()
            } else {
                k.libs.join(", ")
            };
            (
                EnvEffect::Ignored,
                format!("not read by {} (read by {who})", leak_library(lang)),
            )
        } else if lang == Lang::Python {
            (
                EnvEffect::NotMerged,
                "read by load_from_env() only, never merged with the file".into(),
            )
        } else if lang == Lang::Perl && (value.is_empty() || value == "0") {
            (EnvEffect::Ignored, "Perl-false (empty or \"0\"): configure_from_environment_variables() keeps the file's value".into())
        } else if lang == Lang::Env {
            (EnvEffect::Overrides, String::new())
        } else {
            let mut n = format!(
                "overrides the file if your code calls {} after loading it",
                env_loader(lang)
            );
            if value.is_empty() {
                n.push_str(" (set to the empty string, which also overrides)");
            }
            (EnvEffect::Overrides, n)
        };
        out.push(EnvVar {
            name: k.key.clone(),
            neutral: k.neutral.clone(),
            value,
            effect,
            note,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn fake(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn home_defaults_and_path_variable() {
        let d = tempfile::tempdir().unwrap();
        let home = d.path().join("home");
        let cwd = d.path().join("cwd");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&cwd).unwrap();
        std::fs::write(home.join("google-ads.yaml"), "x: 1\n").unwrap();
        let env = fake(&[("HOME", home.to_str().unwrap())]);
        let r = default_config(Lang::Python, &env, &cwd);
        assert_eq!(r.chosen, Some(home.join("google-ads.yaml")));
        let r = default_config(Lang::Java, &env, &cwd);
        assert_eq!(r.chosen, None);
        assert!(r.missing_is_error);
        assert_eq!(r.candidates[0].path, home.join("ads.properties"));
        // The path variable wins, relative to the current directory.
        std::fs::write(cwd.join("other.yaml"), "x: 1\n").unwrap();
        let env = fake(&[("HOME", home.to_str().unwrap()), (PATH_VAR, "other.yaml")]);
        assert_eq!(
            default_config(Lang::Python, &env, &cwd).chosen,
            Some(cwd.join("other.yaml"))
        );
        // Python: an empty variable counts as unset; Ruby uses it as the path.
        let env = fake(&[("HOME", home.to_str().unwrap()), (PATH_VAR, "")]);
        assert_eq!(
            default_config(Lang::Python, &env, &cwd).chosen,
            Some(home.join("google-ads.yaml"))
        );
        assert_ne!(
            default_config(Lang::Ruby, &env, &cwd).candidates[0].path,
            home.join("google_ads_config.rb")
        );
    }

    #[test]
    fn php_tries_the_current_directory_then_home() {
        let d = tempfile::tempdir().unwrap();
        let env = fake(&[("HOME", d.path().to_str().unwrap())]);
        let cwd = d.path().join("proj");
        std::fs::create_dir_all(&cwd).unwrap();
        std::fs::write(d.path().join("google_ads_php.ini"), "").unwrap();
        let r = default_config(Lang::Php, &env, &cwd);
        assert_eq!(r.chosen, Some(d.path().join("google_ads_php.ini")));
        std::fs::write(cwd.join("google_ads_php.ini"), "").unwrap();
        let r = default_config(Lang::Php, &env, &cwd);
        assert_eq!(r.chosen, Some(cwd.join("google_ads_php.ini")));
        // A missing explicit path falls back to HOME/<its file name>.
        let env = fake(&[
            ("HOME", d.path().to_str().unwrap()),
            (PATH_VAR, "/nope/google_ads_php.ini"),
        ]);
        let r = default_config(Lang::Php, &env, &cwd);
        assert_eq!(r.chosen, Some(d.path().join("google_ads_php.ini")));
    }

    #[test]
    fn dotnet_has_no_default_and_env_effects_follow_each_library() {
        let env = fake(&[
            ("HOME", "/nonexistent"),
            ("GOOGLE_ADS_CLIENT_ID", "x"),
            ("GOOGLE_ADS_ENDPOINT", "e"),
            ("GOOGLE_ADS_LOGIN_CUSTOMER_ID", "0"),
        ]);
        let r = default_config(Lang::Dotnet, &env, Path::new("/"));
        assert!(r.candidates.is_empty() && !r.missing_is_error);
        assert!(r.when_missing.contains("no default file"));
        let endpoint = r
            .env
            .iter()
            .find(|v| v.name == "GOOGLE_ADS_ENDPOINT")
            .unwrap();
        assert_eq!(endpoint.effect, EnvEffect::Ignored);
        let py = default_config(Lang::Python, &env, Path::new("/"));
        assert!(py.env.iter().all(|v| v.effect == EnvEffect::NotMerged));
        assert!(py.precedence.contains("never merges"));
        let perl = default_config(Lang::Perl, &env, Path::new("/"));
        let login = perl
            .env
            .iter()
            .find(|v| v.name == "GOOGLE_ADS_LOGIN_CUSTOMER_ID")
            .unwrap();
        assert_eq!(login.effect, EnvEffect::Ignored, "\"0\" is Perl-false");
        let java = default_config(Lang::Java, &env, Path::new("/"));
        assert!(java.env.iter().all(|v| v.effect == EnvEffect::Overrides));
        assert!(java.precedence.contains("fromEnvironment()"));
    }
}
