//! The proof of issue #12: `check`'s error/no-error verdict equals the verdict of the
//! library's own loader, file by file, library version by library version.
//!
//! For each library whose loader code can run here (PHP 33.5.0, Ruby 42.0.0 and Perl 30.0.0
//! from `shared/oracles`; Python from PyPI, one venv per version under /opt/gads-<version>),
//! a corpus is generated: the official template, every rule fixture of that format, a valid
//! base file, one mutation per (key, awkward value), and seeded random combinations of
//! mutations. The harnesses in `tests/oracles/*_loader/` run the real loader on every file
//! (only the network, gRPC/protobuf and machine state are stubbed; each harness says what)
//! and print `ok` or the library's exception. `check` (in process, with `--library-version`
//! set to the harness's version) says "error" when it has an error-level finding of a rule
//! that mirrors the loader (`judge = "loader"` in schemas/mirrors.toml); findings judged by
//! the server (a placeholder sent to the token endpoint) are out of the loader's sight and
//! listed in docs/check.md.
//!
//! `ADSCONF_LOADER_DIFF_REPORT=1` prints the agreement figures and every disagreement
//! without failing (how the figures in the report were measured).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use adsconf::diag::Severity;
use adsconf::lang::Lang;
use adsconf::lint::{self, Options};
use adsconf::rules::{self, Version};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `shared/` beside the project (CI) or at the workplace root, with its oracles.
fn shared() -> Option<PathBuf> {
    common::judge("oracles").and_then(|o| o.parent().map(Path::to_path_buf))
}

/// One generated config file.
#[derive(Clone, Debug)]
struct Case {
    name: String,
    text: String,
}

// ---------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------

/// A config file as an ordered list of lines the mutations edit.
#[derive(Clone)]
struct Doc {
    lang: Lang,
    /// (section, key, raw value as written, or None for a structural line kept as is).
    lines: Vec<(Option<&'static str>, String, Option<String>)>,
    /// Ruby: what follows the block (`nil` makes the last expression something else).
    tail: String,
    /// Ruby: the constant written before `.new`.
    constant: String,
    /// Ruby: leave the block unclosed (a syntax error).
    unclosed: bool,
}

impl Doc {
    fn base(lang: Lang) -> Doc {
        let kv =
            |s: Option<&'static str>, k: &str, v: &str| (s, k.to_string(), Some(v.to_string()));
        let lines = match lang {
            Lang::Php => vec![
                kv(
                    Some("GOOGLE_ADS"),
                    "developerToken",
                    "\"abcdefghijklmnopqrstuv\"",
                ),
                kv(Some("GOOGLE_ADS"), "loginCustomerId", "\"1234567890\""),
                kv(
                    Some("OAUTH2"),
                    "clientId",
                    "\"1234-abc.apps.googleusercontent.com\"",
                ),
                kv(Some("OAUTH2"), "clientSecret", "\"GOCSPX-abcdefgh\""),
                kv(Some("OAUTH2"), "refreshToken", "\"1//0abcdefgh\""),
                kv(Some("LOGGING"), "logLevel", "\"INFO\""),
                kv(Some("CONNECTION"), "transport", "\"grpc\""),
            ],
            Lang::Python => vec![
                kv(None, "developer_token", "abcdefghijklmnopqrstuv"),
                kv(None, "use_proto_plus", "True"),
                kv(None, "client_id", "1234-abc.apps.googleusercontent.com"),
                kv(None, "client_secret", "GOCSPX-abcdefgh"),
                kv(None, "refresh_token", "1//0abcdefgh"),
                kv(None, "login_customer_id", "'1234567890'"),
            ],
            Lang::Ruby => vec![
                kv(None, "developer_token", "'abcdefghijklmnopqrstuv'"),
                kv(None, "client_id", "'1234-abc.apps.googleusercontent.com'"),
                kv(None, "client_secret", "'GOCSPX-abcdefgh'"),
                kv(None, "refresh_token", "'1//0abcdefgh'"),
                kv(None, "login_customer_id", "'1234567890'"),
                kv(None, "log_level", "'WARN'"),
                kv(None, "log_target", "STDOUT"),
            ],
            Lang::Perl => vec![
                kv(None, "developerToken", "abcdefghijklmnopqrstuv"),
                kv(None, "clientId", "1234-abc.apps.googleusercontent.com"),
                kv(None, "clientSecret", "GOCSPX-abcdefgh"),
                kv(None, "refreshToken", "1//0abcdefgh"),
                kv(None, "loginCustomerId", "1234567890"),
            ],
            _ => unreachable!("no loader harness for {lang:?}"),
        };
        Doc {
            lang,
            lines,
            tail: String::new(),
            constant: "Google::Ads::GoogleAds::Config".into(),
            unclosed: false,
        }
    }

    fn set(&mut self, section: Option<&'static str>, key: &str, raw: &str) {
        match self
            .lines
            .iter_mut()
            .find(|(s, k, v)| *s == section && k == key && v.is_some())
        {
            Some(l) => l.2 = Some(raw.to_string()),
            None => self
                .lines
                .push((section, key.to_string(), Some(raw.to_string()))),
        }
    }

    fn remove(&mut self, key: &str) {
        self.lines.retain(|(_, k, _)| k != key);
    }

    fn render(&self) -> String {
        let mut out = String::new();
        match self.lang {
            Lang::Php => {
                // Lines without a section come first (above every section header).
                for (s, k, v) in &self.lines {
                    if s.is_none() {
                        push_line(&mut out, k, v.as_deref(), " = ");
                    }
                }
                let mut sections: Vec<&str> = Vec::new();
                for (s, _, _) in &self.lines {
                    if let Some(s) = s {
                        if !sections.contains(s) {
                            sections.push(s);
                        }
                    }
                }
                for sec in sections {
                    out.push_str(&format!("[{sec}]\n"));
                    for (s, k, v) in &self.lines {
                        if *s == Some(sec) {
                            push_line(&mut out, k, v.as_deref(), " = ");
                        }
                    }
                }
            }
            Lang::Python => {
                for (_, k, v) in &self.lines {
                    push_line(&mut out, k, v.as_deref(), ": ");
                }
            }
            Lang::Perl => {
                for (_, k, v) in &self.lines {
                    push_line(&mut out, k, v.as_deref(), "=");
                }
            }
            Lang::Ruby => {
                out.push_str(&format!("{}.new do |c|\n", self.constant));
                for (_, k, v) in &self.lines {
                    match v {
                        Some(v) => out.push_str(&format!("  c.{k} = {v}\n")),
                        None => out.push_str(&format!("{k}\n")),
                    }
                }
                if !self.unclosed {
                    out.push_str("end\n");
                }
                out.push_str(&self.tail);
            }
            _ => unreachable!(),
        }
        out
    }
}

fn push_line(out: &mut String, key: &str, value: Option<&str>, sep: &str) {
    match value {
        Some(v) => out.push_str(&format!("{key}{sep}{v}\n")),
        None => out.push_str(&format!("{key}\n")),
    }
}

/// One edit of the base file.
#[derive(Clone, Debug)]
enum Op {
    Set(Option<&'static str>, &'static str, String),
    Remove(&'static str),
    /// A raw line appended as is (comments, indented lines, syntax breakers).
    Raw(String),
    /// Ruby: a different constant, something after the block, an unclosed block.
    RubyConstant(&'static str),
    RubyTail(&'static str),
    RubyUnclosed,
    /// Several edits at once (settings that are only wrong together).
    Both(Box<Op>, Box<Op>),
    All(Vec<Op>),
}

impl Op {
    fn apply(&self, d: &mut Doc) {
        match self {
            Op::Set(s, k, v) => d.set(*s, k, v),
            Op::Remove(k) => d.remove(k),
            Op::Raw(l) => d.lines.push((None, l.clone(), None)),
            Op::RubyConstant(c) => d.constant = c.to_string(),
            Op::RubyTail(t) => d.tail = t.to_string(),
            Op::RubyUnclosed => d.unclosed = true,
            Op::Both(a, b) => {
                a.apply(d);
                b.apply(d);
            }
            Op::All(ops) => ops.iter().for_each(|o| o.apply(d)),
        }
    }
}

/// A valid service-account key written by the test into the loaders' working directory
/// (`@KEYDIR@` is replaced by that directory when the corpus is written), by absolute and
/// by relative path.
const KEY_ABS: &str = "@KEYDIR@/adsconf-sa.json";
const KEY_REL: &str = "adsconf-sa.json";

/// Customer-id values, as text before quoting.
const IDS: &[&str] = &[
    "1234567890",
    "123-456-7890",
    "0123456789",
    "0123456701",
    "123_456_7890",
    "12345678901",
    "-1",
    "0",
    "",
    "abc",
    "INSERT_LOGIN_CUSTOMER_ID_HERE",
    "1234567890 ",
    "1.5",
];

/// Every single edit worth trying on `lang`'s base file.
fn single_ops(lang: Lang) -> Vec<Op> {
    let mut ops = Vec::new();
    let s = |sec: Option<&'static str>, k: &'static str, v: &str| Op::Set(sec, k, v.to_string());
    match lang {
        Lang::Php => {
            let g = Some("GOOGLE_ADS");
            for id in IDS {
                ops.push(s(g, "loginCustomerId", &format!("\"{id}\"")));
                if !id.is_empty() && !id.contains(' ') {
                    ops.push(s(g, "loginCustomerId", id));
                    ops.push(s(g, "linkedCustomerId", id));
                }
            }
            for v in [
                "",
                " ",
                "abcdefghijklmnopqrstuv",
                "INSERT_DEVELOPER_TOKEN_HERE",
            ] {
                ops.push(s(g, "developerToken", &format!("\"{v}\"")));
            }
            ops.push(Op::Remove("developerToken"));
            for v in ["true", "false", "\"true\"", "yes", "maybe", "\"\""] {
                ops.push(s(g, "useCloudOrgForApiAccess", v));
            }
            for v in ["\"x\"", "\" \"", "\"\""] {
                ops.push(s(g, "ads_assistant", v));
            }
            for v in [
                "\"googleads.googleapis.com\"",
                "\"https://googleads.googleapis.com/\"",
                "\"http:///x\"",
                "\"//:80\"",
                "\"\"",
            ] {
                ops.push(s(g, "endpoint", v));
            }
            let l = Some("LOGGING");
            for v in [
                "INFO",
                "info",
                "WARN",
                "warning",
                "DEBUG",
                "notice",
                "verbose",
                "emergency",
                "",
                "100",
            ] {
                ops.push(s(l, "logLevel", &format!("\"{v}\"")));
            }
            ops.push(s(l, "logLevel", "300"));
            ops.push(s(l, "logFilePath", "\"/tmp/adsconf-loader-diff.log\""));
            let c = Some("CONNECTION");
            for v in ["grpc", "rest", "GRPC", "http", ""] {
                ops.push(s(c, "transport", &format!("\"{v}\"")));
            }
            for v in [
                "http://u:p@localhost:8080",
                "localhost:8080",
                "protocol://user:pass@host:port",
                "https://proxy.example.com",
                "socks5://h:1080",
                "http://h:port",
                "",
            ] {
                ops.push(s(c, "proxy", &format!("\"{v}\"")));
            }
            for v in ["true", "false", "\"false\"", "no", "maybe"] {
                ops.push(s(c, "grpcChannelIsSecure", v));
            }
            let o = Some("OAUTH2");
            for k in ["clientId", "clientSecret", "refreshToken"] {
                ops.push(Op::Remove(k));
                ops.push(s(o, k, "\"\""));
            }
            ops.push(s(o, "jsonKeyFilePath", "\"/nonexistent/adsconf-sa.json\""));
            for path in [KEY_ABS, KEY_REL, "adsconf-missing-sa.json"] {
                ops.push(Op::All(vec![
                    Op::Remove("clientId"),
                    Op::Remove("clientSecret"),
                    Op::Remove("refreshToken"),
                    s(o, "jsonKeyFilePath", &format!("\"{path}\"")),
                ]));
            }
            ops.push(s(
                o,
                "scopes",
                "\"https://www.googleapis.com/auth/adwords\"",
            ));
            ops.push(s(o, "impersonatedEmail", "\"a@example.com\""));
            // Keys above the first section, in another section, unknown, other spellings.
            ops.push(s(None, "developerToken", "\"abcdefghijklmnopqrstuv\""));
            ops.push(s(
                None,
                "clientId",
                "\"1234-abc.apps.googleusercontent.com\"",
            ));
            ops.push(s(o, "developerToken", "\"abcdefghijklmnopqrstuv\""));
            ops.push(s(g, "developer_token", "\"abcdefghijklmnopqrstuv\""));
            ops.push(s(g, "loginCustomerID", "\"1234567890\""));
            for (t, secure) in [
                ("\"rest\"", "false"),
                ("\"rest\"", "\"off\""),
                ("\"grpc\"", "false"),
                ("\"rest\"", "maybe"),
                ("\"\"", "false"),
            ] {
                ops.push(Op::Both(
                    Box::new(s(c, "transport", t)),
                    Box::new(s(c, "grpcChannelIsSecure", secure)),
                ));
            }
            ops.push(s(l, "logFilePath", "42"));
            ops.push(s(l, "logFilePath", "true"));
            ops.push(s(l, "logLevel", "false"));
            ops.push(s(g, "loginCustomerId", "\" -1 \""));
            ops.push(s(g, "loginCustomerId", "\"-abc\""));
            ops.push(s(g, "loginCustomerId", "\" abc\""));
            ops.push(s(o, "refreshToken", "\"0\""));
            ops.push(Op::Raw("clientSecret = abc=def".into()));
            ops.push(Op::Raw("; a comment".into()));
            ops.push(Op::Raw("# hash line".into()));
        }
        Lang::Python => {
            for id in IDS {
                ops.push(s(None, "login_customer_id", &format!("'{id}'")));
                ops.push(s(None, "linked_customer_id", &format!("'{id}'")));
                if !id.is_empty() {
                    ops.push(s(None, "login_customer_id", id));
                }
            }
            ops.push(s(None, "login_customer_id", ""));
            ops.push(s(None, "login_customer_id", "''"));
            ops.push(s(None, "login_customer_id", "null"));
            for v in ["True", "False", "yes", "maybe", "1", "'True'", "''", ""] {
                ops.push(s(None, "use_proto_plus", v));
            }
            ops.push(Op::Remove("use_proto_plus"));
            for v in ["", "abcdefghijklmnopqrstuv", "INSERT_DEVELOPER_TOKEN_HERE"] {
                ops.push(s(None, "developer_token", v));
            }
            ops.push(Op::Remove("developer_token"));
            for v in [
                "'{\"version\": 1}'",
                "'not json'",
                "'{\"version\": 2}'",
                "{version: 1}",
                "''",
            ] {
                ops.push(s(None, "logging", v));
            }
            for v in ["True", "False", "yes", "maybe", "''"] {
                ops.push(s(None, "use_application_default_credentials", v));
            }
            for v in ["True", "False", "'False'"] {
                ops.push(s(None, "use_cloud_org_for_api_access", v));
            }
            for v in ["http://u:p@localhost:8080", "localhost:8080", "''"] {
                ops.push(s(None, "http_proxy", v));
            }
            for k in ["client_id", "client_secret", "refresh_token"] {
                ops.push(Op::Remove(k));
                ops.push(s(None, k, "''"));
            }
            ops.push(s(
                None,
                "json_key_file_path",
                "/nonexistent/adsconf-sa.json",
            ));
            // A real service-account key (made by the test), by absolute and relative path,
            // where the library uses it (one user key missing: the service-account flow).
            for path in [KEY_ABS, KEY_REL, "adsconf-missing-sa.json"] {
                ops.push(Op::Both(
                    Box::new(Op::Remove("refresh_token")),
                    Box::new(s(None, "json_key_file_path", path)),
                ));
            }
            ops.push(s(None, "ads_assistant", "x"));
            ops.push(s(None, "gaada", "x"));
            ops.push(s(None, "loginCustomerId", "'1234567890'"));
            ops.push(s(None, "refreshToken", "1//0abcdefgh"));
            for v in ["", "'{}'", "'[1]'", "{}", "'{\"version\": 1.0}'", "[1]"] {
                ops.push(s(None, "logging", v));
            }
            ops.push(s(None, "use_proto_plus", "' true'"));
            ops.push(s(None, "use_proto_plus", "'TRUE'"));
            for k in ["client_id", "client_secret", "refresh_token"] {
                ops.push(s(None, k, ""));
            }
            ops.push(s(None, "login_customer_id", "0"));
            ops.push(s(None, "login_customer_id", "false"));
            ops.push(s(None, "login_customer_id", "0x1F"));
            ops.push(s(None, "json_key_file_path", "adsconf-relative-sa.json"));
            ops.push(Op::Raw("client_id: \"unclosed".into()));
            ops.push(Op::Raw("  # indented comment".into()));
        }
        Lang::Ruby => {
            for id in IDS {
                ops.push(s(None, "login_customer_id", &format!("'{id}'")));
                ops.push(s(None, "linked_customer_id", &format!("'{id}'")));
                if !id.is_empty()
                    && !id.contains([' ', '-'])
                    && !id.starts_with("INSERT")
                    && id != &"abc"
                {
                    ops.push(s(None, "login_customer_id", id));
                }
            }
            ops.push(s(None, "login_customer_id", "nil"));
            for v in [
                "'WARN'",
                "'INFO'",
                "'Warn'",
                "'warning'",
                "'DEBUG'",
                "'UNKNOWN'",
                "'X'",
                "nil",
            ] {
                ops.push(s(None, "log_level", v));
            }
            for v in [
                "'http://u:p@localhost:8080'",
                "'localhost:8080'",
                "'https://proxy.example.com'",
                "'socks5://h:1080'",
                "nil",
            ] {
                ops.push(s(None, "http_proxy", v));
            }
            for v in ["''", "nil", "'INSERT_DEVELOPER_TOKEN_HERE'", "12345"] {
                ops.push(s(None, "developer_token", v));
            }
            ops.push(Op::Remove("developer_token"));
            for v in ["true", "false", "'false'"] {
                ops.push(s(None, "use_application_default_credentials", v));
                ops.push(s(None, "use_cloud_org_for_api_access", v));
            }
            for k in ["client_id", "client_secret", "refresh_token"] {
                ops.push(Op::Remove(k));
            }
            ops.push(s(None, "keyfile", "'/nonexistent/adsconf-sa.json'"));
            for path in [KEY_ABS, KEY_REL, "adsconf-missing-sa.json"] {
                ops.push(s(None, "keyfile", &format!("'{path}'")));
            }
            ops.push(s(None, "ads_assistant", "'x'"));
            ops.push(s(None, "api_endpoint", "'googleads.googleapis.com:443'"));
            ops.push(s(None, "login_customer_idd", "'1234567890'"));
            ops.push(s(None, "refreshToken", "'1//0abcdefgh'"));
            ops.push(Op::RubyConstant("Google::Ads::GoogleAds::Confg"));
            ops.push(Op::RubyConstant("Google::Ads::GoogleAds::Config"));
            ops.push(Op::RubyTail("nil\n"));
            ops.push(Op::RubyTail("# trailing comment\n"));
            ops.push(Op::RubyUnclosed);
            ops.push(Op::RubyConstant("Googel::Ads::GoogleAds::Config"));
            ops.push(Op::RubyConstant("Google::Ads::GoogleAd::Config"));
            ops.push(Op::RubyConstant("Config"));
            ops.push(Op::RubyConstant("GoogleAds::Config"));
            ops.push(Op::RubyConstant("::Google::Ads::GoogleAds::Config"));
            ops.push(Op::RubyTail("42\n"));
            ops.push(Op::RubyTail("'done'\n"));
            ops.push(Op::RubyTail("end\n"));
            ops.push(Op::RubyTail("x = 1\nx\n"));
            ops.push(s(None, "log_target", "STDOUTT"));
            ops.push(s(None, "log_target", "STDERR"));
            ops.push(s(None, "log_target", "Stdout"));
            for v in [
                "'0x1F'",
                "' 1234567890 '",
                "1.5",
                "true",
                "0x499602D2",
                "'1_234_567_890'",
                "1234567890",
            ] {
                ops.push(s(None, "login_customer_id", v));
            }
            ops.push(s(None, "developer_token", "true"));
            ops.push(s(None, "developer_token", "1.5"));
            ops.push(Op::Raw("  if true".into()));
            ops.push(Op::Raw("  c.client_id = ('x'".into()));
            ops.push(Op::Raw("  c.client_id = 'unclosed".into()));
        }
        Lang::Perl => {
            for id in IDS {
                ops.push(s(None, "loginCustomerId", id));
                ops.push(s(None, "linkedCustomerId", id));
            }
            for v in ["", "INSERT_DEVELOPER_TOKEN_HERE"] {
                ops.push(s(None, "developerToken", v));
            }
            ops.push(Op::Remove("developerToken"));
            for k in ["clientId", "clientSecret", "refreshToken"] {
                ops.push(Op::Remove(k));
                ops.push(s(None, k, ""));
            }
            ops.push(s(None, "jsonKeyFilePath", "/nonexistent/adsconf-sa.json"));
            for path in [KEY_ABS, KEY_REL, "adsconf-missing-sa.json"] {
                ops.push(Op::Both(
                    Box::new(Op::Remove("refreshToken")),
                    Box::new(s(None, "jsonKeyFilePath", path)),
                ));
            }
            for v in [
                "http://u:p@localhost:8080",
                "localhost:8080",
                "https://proxy.example.com",
                "",
            ] {
                ops.push(s(None, "proxy", v));
            }
            for v in [
                "https://googleads.googleapis.com",
                "googleads.googleapis.com",
                "",
            ] {
                ops.push(s(None, "serviceAddress", v));
            }
            ops.push(Op::Raw(
                "clientId = 1234-abc.apps.googleusercontent.com".into(),
            ));
            ops.push(Op::Raw("  # loginCustomerId=123-456-7890".into()));
            ops.push(Op::Raw("#loginCustomerId=123-456-7890".into()));
            ops.push(Op::Raw("loginCustomerId".into()));
            ops.push(Op::Raw("\t#clientSecret=x".into()));
            ops.push(s(None, "clientSecret", "0"));
            ops.push(s(None, "login_customer_id", "1234567890"));
            ops.push(s(None, "api.googleads.clientId", "x"));
        }
        _ => unreachable!(),
    }
    ops
}

/// A tiny deterministic PRNG (xorshift64*), so the corpus is the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Official template(s) for `lang` from shared/conformance/official.
fn templates(shared: &Path, lang: Lang) -> Vec<Case> {
    let dir = shared.join("conformance/official").join(match lang {
        Lang::Php => "php",
        Lang::Python => "python",
        Lang::Ruby => "ruby",
        Lang::Perl => "perl",
        _ => unreachable!(),
    });
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if let Ok(text) = std::fs::read_to_string(e.path()) {
            out.push(Case {
                name: format!("template-{}", e.file_name().to_string_lossy()),
                text,
            });
        }
    }
    out
}

/// Every rule fixture written in `lang`'s format (folders without ENV/ARGS: those are about
/// the environment or the account hierarchy, which the loaders do not see).
fn fixtures(lang: Lang) -> Vec<Case> {
    let root = manifest().join("tests/fixtures/check");
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for d in dirs {
        if d.join("ENV").exists() || d.join("ARGS").exists() {
            continue;
        }
        let mut files: Vec<_> = std::fs::read_dir(&d)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            if adsconf::formats::detect(&f, Some(&text)) == Some(lang) {
                out.push(Case {
                    name: format!(
                        "fixture-{}-{}",
                        d.file_name().unwrap().to_string_lossy(),
                        f.file_name().unwrap().to_string_lossy()
                    ),
                    text,
                });
            }
        }
    }
    out
}

fn corpus(shared: &Path, lang: Lang) -> Vec<Case> {
    let mut cases = templates(shared, lang);
    cases.extend(fixtures(lang));
    let base = Doc::base(lang);
    cases.push(Case {
        name: "base".into(),
        text: base.render(),
    });
    let ops = single_ops(lang);
    for (i, op) in ops.iter().enumerate() {
        let mut d = base.clone();
        op.apply(&mut d);
        cases.push(Case {
            name: format!("single-{i:03}"),
            text: d.render(),
        });
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ lang as u64);
    for i in 0..200 {
        let mut d = base.clone();
        for _ in 0..2 + rng.below(3) {
            ops[rng.below(ops.len())].apply(&mut d);
        }
        cases.push(Case {
            name: format!("random-{i:03}"),
            text: d.render(),
        });
    }
    cases
}

// ---------------------------------------------------------------------------------------
// The judges
// ---------------------------------------------------------------------------------------

#[derive(Debug, serde::Deserialize)]
struct Verdict {
    file: String,
    ok: bool,
    error: Option<String>,
    /// The library version the harness found installed (Python reports it).
    #[serde(default)]
    version: Option<String>,
}

/// Run a harness on every file; one JSON verdict line per file, in order.
fn run_harness(program: &Path, args: &[String], files: &[PathBuf], cwd: &Path) -> Vec<Verdict> {
    let out = Command::new(program)
        .args(args)
        .args(files)
        .current_dir(cwd)
        .env("HOME", std::env::temp_dir())
        .env_remove("GOOGLE_ADS_CONFIGURATION_FILE_PATH")
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let verdicts: Vec<Verdict> = stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad verdict {l}: {e}")))
        .collect();
    assert_eq!(
        verdicts.len(),
        files.len(),
        "{} gave {} verdicts for {} files; stderr:\n{}",
        program.display(),
        verdicts.len(),
        files.len(),
        String::from_utf8_lossy(&out.stderr)
    );
    verdicts
}

/// One loader: which library version it is and how to run it.
struct Judge {
    lang: Lang,
    version: &'static str,
    program: PathBuf,
    args: Vec<String>,
}

fn judges(shared: &Path) -> Vec<Judge> {
    let oracles = shared.join("oracles").display().to_string();
    let script = |p: &str| {
        manifest()
            .join("tests/oracles")
            .join(p)
            .display()
            .to_string()
    };
    let mut out = Vec::new();
    if let Some(php) = common::judge("php-loader") {
        out.push(Judge {
            lang: Lang::Php,
            version: "33.5.0",
            program: php,
            args: vec![script("php_loader/loader.php"), oracles.clone()],
        });
    }
    if let Some(ruby) = common::require("ruby") {
        out.push(Judge {
            lang: Lang::Ruby,
            version: "42.0.0",
            program: ruby,
            args: vec![script("ruby_loader/loader.rb"), oracles.clone()],
        });
    }
    if let Some(perl) = common::judge("perl-loader") {
        out.push(Judge {
            lang: Lang::Perl,
            version: "30.0.0",
            program: perl,
            args: vec![script("perl_loader/loader.pl"), oracles.clone()],
        });
    }
    for v in PYTHON_VERSIONS {
        if let Some(python) = common::judge(&format!("google-ads-{v}")) {
            out.push(Judge {
                lang: Lang::Python,
                version: v,
                program: python,
                args: vec![script("python_loader/loader.py")],
            });
        }
    }
    out
}

/// google-ads-python versions judged side by side: before and at the developer-token change,
/// and the newest.
const PYTHON_VERSIONS: &[&str] = &["31.4.0", "32.0.0", "34.0.0"];

/// `check`'s verdict on one file for one library version: the error-level findings of rules
/// that mirror the loader.
fn check_errors(path: &Path, lang: Lang, version: &str, cwd: &Path) -> Vec<String> {
    let mut opts =
        Options::new(Some(lang), &[], Some(version), (None, None, None)).expect("check options");
    opts.env.clear();
    // The loaders run in `cwd` (where the relative key path is found): so does check.
    opts.cwd = Some(cwd.to_path_buf());
    let report = lint::check_path(path, Some(lang), &opts).expect("check runs");
    // The severity policy holds on every generated file too.
    for d in &report.diagnostics {
        if d.severity == Severity::Error {
            assert_ne!(
                rules::judge_of(d, lang),
                rules::Judge::None,
                "{}: {} is an error nothing refuses: {}",
                path.display(),
                d.rule,
                d.message
            );
        }
    }
    report
        .diagnostics
        .iter()
        .filter(|d| {
            d.severity == Severity::Error && rules::judge_of(d, lang) == rules::Judge::Loader
        })
        .map(|d| format!("{}: {}", d.rule, d.message))
        .collect()
}

/// Known, argued differences (docs/check.md, "Known differences"): files holding `marker` are
/// left out of the comparison for `lang`'s loader. Each entry must still leave out at least
/// one file on which check and the loader really disagree, or the test fails (a stale entry).
struct Known {
    lang: Lang,
    marker: &'static str,
    why: &'static str,
}

const KNOWN_DIFFERENCES: &[Known] = &[
    Known {
        lang: Lang::Ruby,
        marker: "ENV.fetch(",
        why: "the value comes from the process environment when the library evaluates the file; check does not run Ruby and reports ruby-not-static (a warning): whether ENV.fetch raises depends on the machine",
    },
    Known {
        lang: Lang::Ruby,
        marker: "\nx = 1\nx\n",
        why: "the file's value is a variable: check does not run assignments, so the last expression is merely unknown (ruby-not-static, a warning), not a certain refusal",
    },
];

fn known_difference(lang: Lang, text: &str) -> Option<&'static Known> {
    KNOWN_DIFFERENCES
        .iter()
        .find(|k| k.lang == lang && text.contains(k.marker))
}

/// `adsconf-sa.json` in `dir`: a service-account key with a real RSA key (openssl), so that
/// the libraries' own key reading and signing run.
fn write_service_account_key(dir: &Path) {
    let Some((pem, _)) = common::openssl_key(dir, "adsconf-sa") else {
        // openssl_key skips (or fails under CI) when openssl is missing.
        return;
    };
    let key = serde_json::json!({
        "type": "service_account",
        "project_id": "adsconf-test",
        "private_key_id": "0123456789abcdef",
        "private_key": pem,
        "client_email": "adsconf@adsconf-test.iam.gserviceaccount.com",
        "client_id": "1234567890",
        "token_uri": "https://oauth2.googleapis.com/token",
    });
    std::fs::write(dir.join("adsconf-sa.json"), key.to_string()).unwrap();
}

#[test]
fn check_agrees_with_the_libraries_own_loaders() {
    let Some(shared) = shared() else { return };
    let report_only = std::env::var_os("ADSCONF_LOADER_DIFF_REPORT").is_some();
    let tmp = tempfile::tempdir().unwrap();
    let keydir = tmp.path().join("keys");
    std::fs::create_dir_all(&keydir).unwrap();
    write_service_account_key(&keydir);
    let mut failures = Vec::new();
    let mut judged = BTreeSet::new();
    let mut used_known = BTreeSet::new();
    for judge in judges(&shared) {
        let cases = corpus(&shared, judge.lang);
        let dir = tmp
            .path()
            .join(format!("{:?}-{}", judge.lang, judge.version));
        std::fs::create_dir_all(&dir).unwrap();
        let name = judge.lang.info().default_file;
        let files: Vec<PathBuf> = cases
            .iter()
            .map(|c| {
                let d = dir.join(&c.name);
                std::fs::create_dir_all(&d).unwrap();
                let p = d.join(name);
                std::fs::write(
                    &p,
                    c.text.replace("@KEYDIR@", &keydir.display().to_string()),
                )
                .unwrap();
                p
            })
            .collect();
        let verdicts = run_harness(&judge.program, &judge.args, &files, &keydir);
        let _ = Version::parse(judge.version).expect("judge version");
        let mut agree = 0;
        let mut known = 0;
        let mut disagreements = Vec::new();
        for ((case, file), verdict) in cases.iter().zip(&files).zip(&verdicts) {
            assert_eq!(Path::new(&verdict.file), file.as_path());
            if let Some(v) = &verdict.version {
                assert_eq!(
                    v,
                    judge.version,
                    "{} runs another version",
                    judge.program.display()
                );
            }
            let errors = check_errors(file, judge.lang, judge.version, &keydir);
            if errors.is_empty() == verdict.ok {
                agree += 1;
            } else if let Some(k) = known_difference(judge.lang, &case.text) {
                known += 1;
                used_known.insert(k.marker);
                if report_only {
                    eprintln!("  {} (known difference: {})", case.name, k.why);
                }
            } else {
                disagreements.push(format!(
                    "  {} ({}): loader {} / check {}\n{}",
                    case.name,
                    file.display(),
                    verdict.error.as_deref().unwrap_or("loads"),
                    if errors.is_empty() {
                        "no error".to_string()
                    } else {
                        errors.join(" | ")
                    },
                    case.text
                        .lines()
                        .map(|l| format!("      | {l}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                ));
            }
        }
        let line = format!(
            "{:?} {}: {agree}/{} files agree ({:.1}%), {known} left out as known differences",
            judge.lang,
            judge.version,
            cases.len() - known,
            100.0 * agree as f64 / (cases.len() - known).max(1) as f64
        );
        eprintln!("{line}");
        if report_only {
            for d in &disagreements {
                eprintln!("{d}");
            }
        }
        judged.insert(judge.lang);
        if !disagreements.is_empty() {
            failures.push(format!("{line}\n{}", disagreements.join("\n")));
        }
    }
    if common::in_ci() {
        for lang in [Lang::Php, Lang::Python, Lang::Ruby, Lang::Perl] {
            assert!(judged.contains(&lang), "no loader judged {lang:?} in CI");
        }
    }
    for k in KNOWN_DIFFERENCES {
        if judged.contains(&k.lang) {
            assert!(
                used_known.contains(k.marker),
                "known difference {:?} ({}) no longer matches a disagreement: remove it here and in docs/check.md",
                k.marker,
                k.why
            );
        }
    }
    if !report_only {
        assert!(
            failures.is_empty(),
            "check and the loaders disagree:\n{}",
            failures.join("\n")
        );
    }
}
