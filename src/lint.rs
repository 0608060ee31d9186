//! The check pipeline behind `adsconf check` (CONTRACT §3) and the language server.
//!
//! Files come from the command line, from a `-r` walk (honouring .gitignore, in parallel), or
//! — without PATH — from the places each library loads by default, plus the environment.
//! Each file is parsed by its format, every rule runs on it, and one [`Report`] renders the
//! results in a stable order (files sorted by path, findings by position), written as they
//! come so that memory stays flat however many files there are.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

use crate::diag::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::formats;
use crate::lang::Lang;
use crate::report::{FileReport, Rendered, Report, Stream, Summary};
use crate::rules::{self, FileCtx, Version};
use crate::source::Source;

/// Name shown for findings about the environment.
pub const ENV_PATH: &str = "<environment>";

/// Options of one check run (what the command line says, resolved).
pub struct Options {
    pub lang: Option<Lang>,
    /// Rule names to skip.
    pub ignore: Vec<&'static str>,
    /// `--library-version V`: the version of every library checked.
    pub version: Option<Version>,
    /// `--library-version LIB=V,…`: one library's version (catalogue or format name).
    pub versions: Vec<(String, Version)>,
    pub env: BTreeMap<String, String>,
    pub cwd: Option<PathBuf>,
    /// `--hierarchy H --user U --customer C`: the account-access rules.
    pub hierarchy: Option<HierarchyCheck>,
}

/// The account-access question asked with `--hierarchy`.
pub struct HierarchyCheck {
    pub hierarchy: crate::access::Hierarchy,
    pub user: String,
    pub customer: String,
}

/// `check`'s flags before they are resolved, wherever they come from: the command line, a
/// project's `adsconf.toml` (its `[check]` table, same names), an editor's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Flags {
    /// Rule names or codes (comma-separated lists allowed).
    #[serde(default)]
    pub ignore: Vec<String>,
    pub library_version: Option<String>,
    pub hierarchy: Option<PathBuf>,
    pub user: Option<String>,
    pub customer: Option<String>,
}

/// The project file holding the `[check]` table.
pub const PROJECT_FILE: &str = "adsconf.toml";

impl Flags {
    /// `over` on top of these: each value `over` sets wins, ignore lists add up.
    pub fn then(self, over: Flags) -> Flags {
        let mut ignore = self.ignore;
        ignore.extend(over.ignore);
        Flags {
            ignore,
            library_version: over.library_version.or(self.library_version),
            hierarchy: over.hierarchy.or(self.hierarchy),
            user: over.user.or(self.user),
            customer: over.customer.or(self.customer),
        }
    }

    /// Resolve them (see [`Options::new`]).
    pub fn options(&self, lang: Option<Lang>) -> Result<Options> {
        Options::new(
            lang,
            &self.ignore,
            self.library_version.as_deref(),
            (
                self.hierarchy.as_deref(),
                self.user.as_deref(),
                self.customer.as_deref(),
            ),
        )
    }

    /// The `[check]` table of `dir/adsconf.toml` (a relative `hierarchy` is taken from
    /// `dir`); none when there is no such file or table.
    pub fn from_project(dir: &Path) -> Result<Flags> {
        let path = dir.join(PROJECT_FILE);
        if !path.is_file() {
            return Ok(Flags::default());
        }
        let bytes = crate::source::read_bytes(&path)?;
        let src = crate::source::decode(Some(&path), bytes, crate::source::Encoding::Utf8)?;
        let mut flags = Flags::parse_project(&src)?;
        if let Some(h) = &flags.hierarchy {
            if h.is_relative() {
                flags.hierarchy = Some(dir.join(h));
            }
        }
        Ok(flags)
    }

    /// The `[check]` table of an `adsconf.toml`'s text.
    pub fn parse_project(src: &Source) -> Result<Flags> {
        #[derive(serde::Deserialize)]
        struct Project {
            #[serde(default)]
            check: Option<toml::Value>,
        }
        let name = src.name();
        let at = |e: &toml::de::Error| e.span().map(|s| src.line_col(s.start).0).unwrap_or(1);
        let project: Project = toml::from_str(&src.text).map_err(|e| {
            Error::usage(format!(
                "{name}:{}: not valid TOML: {}",
                at(&e),
                e.message()
            ))
        })?;
        let Some(table) = project.check else {
            return Ok(Flags::default());
        };
        let line = src
            .text
            .lines()
            .position(|l| l.trim() == "[check]")
            .map_or(1, |i| i + 1);
        table.try_into().map_err(|e: toml::de::Error| {
            Error::usage(format!(
                "{name}:{line}: [check]: {} (it takes ignore, library-version, hierarchy, user, customer, as check's flags)",
                e.message()
            ))
        })
    }
}

impl Options {
    /// Resolve what the command line (or an editor's settings) says: rule names or codes to
    /// ignore (comma-separated lists allowed), a library version, and the `--hierarchy H
    /// --user U --customer C` question. Errors of use name the flag.
    pub fn new(
        lang: Option<Lang>,
        ignore_names: &[String],
        library_version: Option<&str>,
        hierarchy: (Option<&Path>, Option<&str>, Option<&str>),
    ) -> Result<Options> {
        let mut ignore = Vec::new();
        for name in ignore_names {
            for part in name.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                match rules::rule(part) {
                    Some(r) => ignore.push(r.name),
                    None => {
                        let hint = rules::suggest(part)
                            .map(|s| format!("; did you mean `{s}`?"))
                            .unwrap_or_else(|| "; `adsconf rules` lists them".into());
                        return Err(Error::usage(format!(
                            "--ignore: there is no rule `{part}`{hint}"
                        )));
                    }
                }
            }
        }
        let mut version = None;
        let mut versions = Vec::new();
        for part in library_version
            .into_iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let (lib, v) = match part.split_once('=') {
                Some((lib, v)) if !lib.trim().is_empty() => (Some(lib.trim()), v.trim()),
                _ => (None, part),
            };
            let parsed = Version::parse(v).ok_or_else(|| {
                Error::usage(format!(
                    "--library-version {part:?}: {v:?} is not a version; write it like 32.0.0, or python=31.4.0,php=33.5.0"
                ))
            })?;
            match lib {
                None => version = Some(parsed),
                Some(lib) => {
                    let known = crate::lang::LANGS.iter().any(|i| {
                        i.name.eq_ignore_ascii_case(lib) || i.catalog.eq_ignore_ascii_case(lib)
                    });
                    if !known {
                        let names: Vec<&str> = crate::lang::LANGS.iter().map(|i| i.name).collect();
                        return Err(Error::usage(format!(
                            "--library-version {part:?}: no library `{lib}`; use one of {}",
                            names.join(", ")
                        )));
                    }
                    versions.push((lib.to_ascii_lowercase(), parsed));
                }
            }
        }
        let hierarchy = match hierarchy {
        (Some(h), Some(u), Some(c)) => {
            let h = crate::access::load_hierarchy(h)?;
            // Unknown user or customer: an error of use, before any file is read.
            crate::access::login_findings(&h, u, c, None)?;
            Some(HierarchyCheck {
                hierarchy: h,
                user: u.to_string(),
                customer: c.to_string(),
            })
        }
        (Some(_), _, _) => {
            return Err(Error::usage(
                "--hierarchy needs --user U (whose credentials the config holds) and --customer C (the account the program calls)",
            ))
        }
        _ => None,
    };
        Ok(Options {
            lang,
            ignore,
            version,
            versions,
            env: rules::process_env(),
            cwd: std::env::current_dir().ok(),
            hierarchy,
        })
    }
}

impl Options {
    /// The version `--library-version` gives `lang`'s library (`LIB=V` before a bare `V`).
    pub fn version_for(&self, lang: Lang) -> Option<Version> {
        let (name, catalog) = (lang.info().name, lang.info().catalog);
        self.versions
            .iter()
            .find(|(l, _)| l == name || l == catalog)
            .map(|(_, v)| *v)
            .or(self.version)
    }
}

/// The `login-customer-id-*` findings for one file, from the account hierarchy.
fn hierarchy_findings(ctx: &FileCtx, opts: &Options) -> Result<Vec<Diagnostic>> {
    let Some(hc) = &opts.hierarchy else {
        return Ok(Vec::new());
    };
    let entry = ctx.find_neutral("login_customer_id");
    let configured = entry
        .map(|e| e.value.to_text())
        .filter(|t| !t.trim().is_empty() && !rules::is_placeholder(t));
    let findings = crate::access::login_findings(
        &hc.hierarchy,
        &hc.user,
        &hc.customer,
        configured.as_deref(),
    )?;
    Ok(findings
        .into_iter()
        .map(|f| {
            let span = entry
                .map(|e| e.value_span.clone())
                .filter(|r| !r.is_empty())
                .unwrap_or(0..0);
            let mut d = rules::diag(f.rule, ctx.path, span, f.message);
            d.severity = f.severity;
            d.help = f.help.or_else(|| {
                f.suggested_login
                    .map(|l| format!("set the login-customer-id to {l}"))
            });
            // Name the key as this file spells it.
            if let (Some(h), Some(k)) = (
                &mut d.help,
                ctx.lang().catalog().for_neutral("login_customer_id"),
            ) {
                *h = h.replace("login_customer_id", &k.key);
            }
            d
        })
        .collect())
}

/// Check `paths` (or, when empty, the files each library loads by default and the
/// environment), render every file with `reporter` into `out` in a stable order, and return
/// the totals. Unreadable files are reported after the others (exit 2 for the caller).
pub fn check_all(
    paths: &[PathBuf],
    recursive: bool,
    opts: &Options,
    reporter: &dyn Report,
    out: impl std::io::Write + Send,
) -> Result<Summary> {
    let mut stream = Stream::new(reporter, out);
    // Files that could not be read: the others are still reported, then each is named on
    // stderr and the run exits 2.
    let mut unreadable: Vec<Error> = Vec::new();
    let mut emit = |r: Result<Rendered>| -> Result<()> {
        match r {
            Ok(r) => stream
                .push(r)
                .map_err(|e| Error::usage(format!("cannot write the report: {e}"))),
            Err(e) => {
                unreadable.push(e);
                Ok(())
            }
        }
    };
    if paths.is_empty() {
        let files = default_files(opts);
        let env_has_vars = !opts.env.is_empty();
        if files.is_empty() && !env_has_vars {
            return Err(Error::usage(format!(
                "no configuration to check: none of the default files exist ({}) and no GOOGLE_ADS_* variable is set; give a file or a directory with -r",
                default_candidates(None).iter().map(|(p, _)| p.display().to_string()).collect::<Vec<_>>().join(", ")
            )));
        }
        for (path, lang) in files {
            emit(check_path(&path, Some(lang), opts).map(|f| Rendered::of(reporter, &f)))?;
        }
        if env_has_vars {
            emit(check_environment(opts).map(|f| Rendered::of(reporter, &f)))?;
        }
    } else {
        let mut targets: Vec<(PathBuf, Option<Lang>)> = Vec::new();
        for p in paths {
            let meta = std::fs::metadata(p).map_err(|e| Error::io(p, "read", &e))?;
            if meta.is_dir() {
                if !recursive {
                    return Err(Error::usage(format!(
                        "{} is a directory; use `adsconf check -r {}` to check every config file below it",
                        p.display(),
                        p.display()
                    )));
                }
                targets.extend(walk(p, opts.lang).into_iter().map(|p| (p, opts.lang)));
            } else {
                targets.push((p.clone(), opts.lang));
            }
        }
        targets.sort();
        targets.dedup();
        check_in_order(&targets, opts, reporter, &mut emit)?;
    }
    let (_, s) = stream
        .finish()
        .map_err(|e| Error::usage(format!("cannot write the report: {e}")))?;
    match unreadable.len() {
        0 => {}
        1 => return Err(unreadable.remove(0)),
        n => {
            for e in &unreadable {
                crate::output::eprint_line(&format!("error: {}", e.message));
            }
            return Err(Error::usage(format!(
                "{n} files could not be checked (each named above); the report covers the others"
            )));
        }
    }
    Ok(s)
}

/// How many files may be checked ahead of the one being written: what bounds memory, whatever
/// the number of files.
const WINDOW: usize = 256;

/// Check and render files on all cores and hand them to `emit` in the order of `targets`.
/// The worker that finishes the next file in order writes it, and any later ones already
/// done (no writer thread, no wake-up per file). At most [`WINDOW`] files are in flight
/// (checked but not yet written), so memory does not grow with the number of files.
fn check_in_order(
    targets: &[(PathBuf, Option<Lang>)],
    opts: &Options,
    reporter: &dyn Report,
    emit: &mut (dyn FnMut(Result<Rendered>) -> Result<()> + Send),
) -> Result<()> {
    let one = |(p, l): &(PathBuf, Option<Lang>)| {
        check_path(p, *l, opts).map(|f| Rendered::of(reporter, &f))
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    if targets.len() < 4 || threads == 1 {
        for t in targets {
            emit(one(t))?;
        }
        return Ok(());
    }
    struct Order<'e> {
        /// Files before this index are written.
        written: usize,
        /// Done, waiting for an earlier file.
        pending: BTreeMap<usize, Result<Rendered>>,
        /// Workers waiting for the window to move.
        waiting: usize,
        /// The first error from `emit`: the run stops.
        failed: Option<Error>,
        emit: &'e mut (dyn FnMut(Result<Rendered>) -> Result<()> + Send),
    }
    let next = AtomicUsize::new(0);
    let order = Mutex::new(Order {
        written: 0,
        pending: BTreeMap::new(),
        waiting: 0,
        failed: None,
        emit,
    });
    let moved = Condvar::new();
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(t) = targets.get(i) else { break };
        {
            let Ok(mut o) = order.lock() else { break };
            while i >= o.written + WINDOW && o.failed.is_none() {
                o.waiting += 1;
                o = match moved.wait(o) {
                    Ok(g) => g,
                    Err(_) => return,
                };
                o.waiting -= 1;
            }
            if o.failed.is_some() {
                break;
            }
        }
        let r = one(t);
        let Ok(mut o) = order.lock() else { break };
        o.pending.insert(i, r);
        let before = o.written;
        while o.failed.is_none() {
            let at = o.written;
            let Some(r) = o.pending.remove(&at) else {
                break;
            };
            if let Err(e) = (o.emit)(r) {
                o.failed = Some(e);
            }
            o.written += 1;
        }
        if (o.written != before && o.waiting > 0) || o.failed.is_some() {
            moved.notify_all();
        }
    };
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(work);
        }
    });
    let o = order
        .into_inner()
        .map_err(|_| Error::usage("internal error: a check thread failed"))?;
    if let Some(e) = o.failed {
        return Err(e);
    }
    if o.written != targets.len() {
        return Err(Error::usage("internal error: a check thread failed"));
    }
    Ok(())
}

/// Read, parse and lint one file.
pub fn check_path(path: &Path, lang: Option<Lang>, opts: &Options) -> Result<FileReport> {
    let shown = path.display().to_string();
    let bytes = crate::source::read_bytes(path)?;
    let lang = formats::detect_read(path, &bytes, lang)?;
    let decoded = crate::source::decode(Some(path), bytes, lang.info().encoding);
    check_decoded(&shown, Some(path), decoded, lang, opts)
}

/// Check a text held elsewhere than on disk (an editor's buffer) exactly as [`check_path`]
/// checks a file with that text: `fs_path` is where the file lives (its permissions, relative
/// key files and library version are read from there), `shown` names it in findings.
pub fn check_text(
    shown: &str,
    fs_path: Option<&Path>,
    text: String,
    lang: Lang,
    opts: &Options,
) -> Result<FileReport> {
    let encoding = lang.info().encoding;
    let decoded = if crate::source::looks_binary(text.as_bytes()) {
        // The same finding as for such a file on disk.
        crate::source::decode(fs_path, text.into_bytes(), encoding)
    } else {
        Ok(Source::new(fs_path.map(Path::to_path_buf), text, encoding))
    };
    check_decoded(shown, fs_path, decoded, lang, opts)
}

/// Parse and lint a decoded file; a text the library cannot decode is a `syntax-error`
/// finding, not a failure of the command.
fn check_decoded(
    shown: &str,
    fs_path: Option<&Path>,
    decoded: Result<Source>,
    lang: Lang,
    opts: &Options,
) -> Result<FileReport> {
    let src = match decoded {
        Ok(s) => s,
        Err(e) => {
            let src = Source::new(
                fs_path.map(Path::to_path_buf),
                String::new(),
                lang.info().encoding,
            );
            let d = rules::diag("syntax-error", shown, 0..0, e.message);
            return Ok(FileReport {
                path: shown.to_string(),
                is_file: true,
                src,
                secret_spans: Vec::new(),
                diagnostics: filter(vec![d], opts),
                assumed: None,
            });
        }
    };
    let parsed = formats::format(lang).parse(&src);
    let (diagnostics, assumed) = check_parsed_assuming(shown, fs_path, &src, &parsed, opts)?;
    let secret_spans = rules::secret_spans(&parsed);
    Ok(FileReport {
        path: shown.to_string(),
        is_file: true,
        src,
        secret_spans,
        diagnostics,
        assumed: rules::versions::matters(lang).then_some(assumed),
    })
}

/// Every rule (and the `--hierarchy` findings) on a parsed file, minus the ignored rules:
/// the findings `check` reports for it.
pub fn check_parsed(
    shown: &str,
    fs_path: Option<&Path>,
    src: &Source,
    parsed: &formats::Parsed,
    opts: &Options,
) -> Result<Vec<Diagnostic>> {
    check_parsed_assuming(shown, fs_path, src, parsed, opts).map(|(d, _)| d)
}

/// [`check_parsed`], and the library version the file was checked against (from
/// `--library-version`, a lock/manifest file next to it, or the newest).
pub fn check_parsed_assuming(
    shown: &str,
    fs_path: Option<&Path>,
    src: &Source,
    parsed: &formats::Parsed,
    opts: &Options,
) -> Result<(Vec<Diagnostic>, rules::versions::Assumed)> {
    let lang = parsed.lang;
    let assumed = rules::versions::assume(fs_path, lang, opts.version_for(lang));
    let version = assumed.version;
    let ctx = FileCtx {
        path: shown,
        fs_path,
        src,
        parsed,
        version,
        env: &opts.env,
        cwd: opts.cwd.clone(),
    };
    let mut diagnostics = rules::check_file(&ctx);
    diagnostics.extend(hierarchy_findings(&ctx, opts)?);
    Ok((filter(diagnostics, opts), assumed))
}

/// Lint the `GOOGLE_ADS_*` variables as a pseudo-file.
pub fn check_environment(opts: &Options) -> Result<FileReport> {
    let (src, parsed) = rules::env_source(&opts.env);
    let empty = BTreeMap::new();
    let ctx = FileCtx {
        path: ENV_PATH,
        fs_path: None,
        src: &src,
        parsed: &parsed,
        version: opts.version,
        env: &empty,
        cwd: opts.cwd.clone(),
    };
    let mut diags = rules::check_file(&ctx);
    diags.extend(rules::check_env(&opts.env, &src, &parsed, ENV_PATH));
    diags.extend(hierarchy_findings(&ctx, opts)?);
    // There is no file to edit.
    for d in &mut diags {
        d.fix = None;
    }
    let secret_spans = rules::secret_spans(&parsed);
    Ok(FileReport {
        path: ENV_PATH.into(),
        is_file: false,
        src,
        secret_spans,
        diagnostics: filter(diags, opts),
        assumed: None,
    })
}

fn filter(diags: Vec<Diagnostic>, opts: &Options) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .filter(|d| !opts.ignore.contains(&d.rule))
        .collect()
}

/// The files each library loads by default, in library order (CONTRACT §3 `check` without
/// PATH): `$GOOGLE_ADS_CONFIGURATION_FILE_PATH` (read by every library), then the home
/// directory defaults (PHP also `./google_ads_php.ini` first).
/// (The places named in the "nothing to check" message; the files themselves come from
/// `crate::discovery`.)
pub fn default_candidates(lang: Option<Lang>) -> Vec<(PathBuf, Lang)> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let mut out = Vec::new();
    let wanted = |l: Lang| lang.is_none_or(|x| x == l);
    if let Some(p) = std::env::var_os("GOOGLE_ADS_CONFIGURATION_FILE_PATH") {
        let p = PathBuf::from(p);
        if let Some(l) = lang.or_else(|| formats::detect(&p, None)) {
            out.push((p, l));
        }
    }
    let homes: &[(Lang, &str)] = &[
        (Lang::Java, "ads.properties"),
        (Lang::Php, "google_ads_php.ini"),
        (Lang::Python, "google-ads.yaml"),
        (Lang::Ruby, "google_ads_config.rb"),
        (Lang::Perl, "googleads.properties"),
    ];
    for (l, name) in homes {
        if !wanted(*l) {
            continue;
        }
        if *l == Lang::Php {
            out.push((PathBuf::from(name), *l));
        }
        if let Some(h) = &home {
            out.push((h.join(name), *l));
        }
    }
    out
}

fn default_files(opts: &Options) -> Vec<(PathBuf, Lang)> {
    let env = |name: &str| std::env::var(name).ok();
    let cwd = opts.cwd.clone().unwrap_or_else(|| PathBuf::from("."));
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for info in crate::lang::LANGS {
        let lang = info.lang;
        if opts.lang.is_some_and(|l| l != lang) {
            continue;
        }
        let found = crate::discovery::default_config(lang, &env, &cwd);
        let Some(p) = found.chosen.filter(|p| p.is_file()) else {
            continue;
        };
        // GOOGLE_ADS_CONFIGURATION_FILE_PATH is shared by every library; a file in another
        // library's format is reported on the environment (env-override), not parsed as this one.
        if opts.lang.is_none()
            && formats::detect(&p, None).is_some_and(|d| d.info().catalog != info.catalog)
        {
            continue;
        }
        let key = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        out.push((p, lang));
    }
    out
}

/// File names recognised without reading the file.
fn known_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let stem = n
        .strip_suffix(".sample")
        .or_else(|| n.strip_suffix(".example"))
        .or_else(|| n.strip_suffix(".dist"))
        .unwrap_or(&n);
    crate::lang::LANGS
        .iter()
        .any(|l| l.default_file.eq_ignore_ascii_case(stem) && l.lang != Lang::Dotnet)
        || matches!(stem, "google-ads.yml" | "google_ads.yaml")
        || stem.ends_with(".snippet.cs")
}

/// Names worth opening to look at the content.
fn maybe_config(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        ".yaml",
        ".yml",
        ".ini",
        ".properties",
        ".config",
        ".json",
        ".toml",
        ".env",
        ".rb",
        ".sh",
        ".sample",
        ".example",
        ".dist",
    ]
    .iter()
    .any(|ext| n.ends_with(ext))
        || n == ".env"
}

/// Is this file one of ours (by name, or by content for generic names)?
fn recognise(path: &Path, lang: Option<Lang>) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return false;
    };
    if known_name(&name) {
        return lang.is_none_or(|l| formats::detect(path, None) == Some(l));
    }
    if !maybe_config(&name) {
        return false;
    }
    let Ok(bytes) = crate::source::read_bytes(path) else {
        return false;
    };
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(HEAD)]);
    recognise_text(&name, &head, lang).is_some()
}

/// How much of a file content detection looks at.
const HEAD: usize = 64 * 1024;

/// The library a file named `name` holding `text` is for, if `check -r` would recognise it
/// (by its name, or by its content for generic names); with `lang`, only that library's
/// files. What the language server uses to decide which documents to check.
pub fn recognise_text(name: &str, text: &str, lang: Option<Lang>) -> Option<Lang> {
    let mut end = text.len().min(HEAD);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let path = Path::new(name);
    if known_name(name) {
        let l = formats::detect(path, None)?;
        return lang.is_none_or(|x| x == l).then_some(l);
    }
    if !maybe_config(name) {
        return None;
    }
    let detected = formats::detect_content(&name.to_ascii_lowercase(), head)?;
    match lang {
        Some(l) => (l == detected).then_some(l),
        // As `check` reads a file it was given: by name first, then by content.
        None => formats::detect(path, Some(head)),
    }
}

/// Every recognised config file below `dir`, honouring .gitignore and .adsconfignore, sorted.
pub fn walk(dir: &Path, lang: Option<Lang>) -> Vec<PathBuf> {
    let found = Mutex::new(Vec::new());
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .hidden(false)
        .require_git(false)
        // Like .gitignore, for check only: deliberately broken examples, test fixtures.
        .add_custom_ignore_filename(".adsconfignore")
        .filter_entry(|e| e.file_name() != ".git");
    builder.build_parallel().run(|| {
        let found = &found;
        Box::new(move |entry| {
            if let Ok(e) = entry {
                if e.file_type().is_some_and(|t| t.is_file()) && recognise(e.path(), lang) {
                    if let Ok(mut f) = found.lock() {
                        f.push(e.into_path());
                    }
                }
            }
            ignore::WalkState::Continue
        })
    });
    let mut v = found.into_inner().unwrap_or_default();
    v.sort();
    v
}

/// Do these findings make the run fail?
pub fn fails(diags: &[Diagnostic], deny_warnings: bool) -> bool {
    diags.iter().any(|d| {
        d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_flags_then_command_line() {
        let project = Flags::parse_project(&Source::of(
            "client_id = \"x\"\n[check]\nignore = [\"unknown-key\"]\nlibrary-version = \"31.0.0\"\nhierarchy = \"h.toml\"\n",
        ))
        .unwrap();
        assert_eq!(project.ignore, vec!["unknown-key"]);
        let cli = Flags {
            ignore: vec!["ADS016".into()],
            library_version: Some("33.0.0".into()),
            ..Flags::default()
        };
        let both = project.then(cli);
        assert_eq!(both.ignore, vec!["unknown-key", "ADS016"]);
        assert_eq!(both.library_version.as_deref(), Some("33.0.0"));
        assert_eq!(both.hierarchy, Some(PathBuf::from("h.toml")));
        // No table: nothing; a misspelt flag: named, with the line.
        assert_eq!(
            Flags::parse_project(&Source::of("client_id = \"x\"\n")).unwrap(),
            Flags::default()
        );
        let e = Flags::parse_project(&Source::of("x = 1\n\n[check]\nignores = []\n")).unwrap_err();
        assert!(
            e.message.contains(":3: [check]") && e.message.contains("ignores"),
            "{e}"
        );
        assert!(Flags::parse_project(&Source::of("[check\n")).is_err());
    }
}
