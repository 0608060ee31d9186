//! Writing files without surprises (CONTRACT §3 `generate -o`, `set`, `fix`; §5):
//!
//! - a unified diff (old → new) on stderr first, secret values masked on both sides by the
//!   parsed entries' value spans, coloured on a terminal;
//! - a confirmation on a terminal (default no); without a terminal nothing is written unless
//!   `--yes`; `--dry-run` writes nothing (exit 1 when the file would change);
//! - atomic writes: a temporary file in the same directory, fsync, rename; the existing
//!   file's mode (and owner, where permitted) kept, new files 0600; no writing through a
//!   symbolic link unless `--follow-symlinks`; a file changed by someone else during the run
//!   is not overwritten; on any error the original is untouched and the temporary file gone.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::formats::Parsed;
use crate::lang::Lang;
use crate::output;
use crate::source::{Encoding, Source};

/// Options shared by every command that writes a file.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct WriteOpts {
    /// Show the diff and write nothing (exit 1 when the file would change)
    #[arg(long)]
    pub dry_run: bool,
    /// Write without asking (needed when not on a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Keep the previous file as FILE.bak
    #[arg(long)]
    pub backup: bool,
    /// Write through a symbolic link to its target
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Write even a value `adsconf check` calls an error (it is still shown)
    #[arg(long)]
    pub force: bool,
    /// Whole-file findings about missing settings are expected (set by `generate
    /// --allow-empty`, not a flag of its own).
    #[arg(skip)]
    pub accept_missing: bool,
}

impl WriteOpts {
    /// How strict the write judge ([`crate::judge`]) is.
    pub fn leniency(&self) -> crate::judge::Leniency {
        crate::judge::Leniency {
            force: self.force,
            accept_missing: self.accept_missing,
        }
    }
}

/// The state of a file when adsconf read it: compared again just before the rename, so a
/// file replaced or edited during the run is never overwritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub bytes: Vec<u8>,
    pub len: u64,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub dev: u64,
    pub ino: u64,
    pub mtime_ns: i128,
}

impl Snapshot {
    /// The metadata of `path` (not following a final symlink) and the given content.
    pub fn of(path: &Path, bytes: Vec<u8>) -> Result<Snapshot> {
        let m = fs::symlink_metadata(path).map_err(|e| Error::io(path, "read", &e))?;
        Ok(Snapshot::from_meta(&m, bytes))
    }

    #[cfg(unix)]
    fn from_meta(m: &fs::Metadata, bytes: Vec<u8>) -> Snapshot {
        use std::os::unix::fs::MetadataExt;
        Snapshot {
            bytes,
            len: m.len(),
            mode: m.mode() & 0o7777,
            uid: m.uid(),
            gid: m.gid(),
            dev: m.dev(),
            ino: m.ino(),
            mtime_ns: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
        }
    }

    #[cfg(not(unix))]
    fn from_meta(m: &fs::Metadata, bytes: Vec<u8>) -> Snapshot {
        let mtime_ns = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos() as i128)
            .unwrap_or(0);
        Snapshot {
            bytes,
            len: m.len(),
            mode: 0o600,
            uid: 0,
            gid: 0,
            dev: 0,
            ino: 0,
            mtime_ns,
        }
    }

    /// Is the file at `path` still the one this snapshot describes (same inode, size,
    /// modification time and content)?
    pub fn still_matches(&self, path: &Path) -> bool {
        let Ok(m) = fs::symlink_metadata(path) else {
            return false;
        };
        let now = Snapshot::from_meta(&m, Vec::new());
        now.dev == self.dev
            && now.ino == self.ino
            && now.len == self.len
            && now.mtime_ns == self.mtime_ns
            && fs::read(path).is_ok_and(|b| b == self.bytes)
    }
}

/// What the file at the destination must be just before the rename.
#[derive(Debug, Clone)]
pub enum Expect<'a> {
    /// Anything (or nothing): plain atomic replacement.
    Any,
    /// Nothing: a new file; never replaces a file that appeared meanwhile.
    Absent,
    /// Exactly the file read at the start of the run.
    Same(&'a Snapshot),
}

/// The steps of the final write, a seam for fault-injection tests: a test implements
/// [`WriteSteps::before_rename`] to fail (or to change the destination) after the temporary
/// file is written and synced.
pub trait WriteSteps {
    /// Called after the temporary file is complete and synced, just before the destination
    /// is checked and replaced.
    fn before_rename(&self, _tmp: &Path, _dest: &Path) -> std::io::Result<()> {
        Ok(())
    }
}

/// The production write path: no injected steps.
pub struct RealSteps;
impl WriteSteps for RealSteps {}

/// Write `bytes` to `path` atomically. A new file gets mode 0600; an existing file keeps
/// its mode. On any error the original is untouched and the temporary file removed.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    write_file(path, bytes, &Expect::Any, None, &RealSteps)
}

/// The temporary file name used for `path` (hidden, in the same directory).
fn temp_path(dir: &Path, file_name: &std::ffi::OsStr, n: u32) -> PathBuf {
    dir.join(format!(
        ".{}.adsconf-{}-{n}.tmp",
        file_name.to_string_lossy(),
        std::process::id()
    ))
}

/// Write `bytes` to `dest` atomically, checking `expect` just before the rename; with
/// `backup`, the previous content is first kept at that path (with the original's mode).
pub fn write_file(
    dest: &Path,
    bytes: &[u8],
    expect: &Expect,
    backup: Option<&Path>,
    steps: &dyn WriteSteps,
) -> Result<()> {
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = dest
        .file_name()
        .ok_or_else(|| Error::usage(format!("{} is not a file path", dest.display())))?;
    // Mode and owner to give the new file: the original's, else 0600.
    let original = match expect {
        Expect::Same(s) => Some((s.mode, s.uid, s.gid)),
        Expect::Absent => None,
        Expect::Any => fs::metadata(dest)
            .ok()
            .map(|m| Snapshot::from_meta(&m, Vec::new()))
            .map(|s| (s.mode, s.uid, s.gid)),
    };
    let mut n = 0u32;
    let (tmp, mut file) = loop {
        let tmp = temp_path(&dir, file_name, n);
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        match opts.open(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::usage(format!(
                    "cannot write {}: the directory {} does not exist; create it first",
                    dest.display(),
                    dir.display()
                )));
            }
            Err(e) => {
                let why = Error::io(&dir, "write in", &e).message;
                return Err(Error::usage(format!(
                    "{why}; nothing written. adsconf writes {} through a temporary file in the same directory (then renames it), so that directory must be writable",
                    dest.display()
                )));
            }
        }
    };
    let result = (|| -> Result<()> {
        let io = |e: std::io::Error| Error::io(dest, "write", &e);
        file.write_all(bytes).map_err(io)?;
        #[cfg(unix)]
        if let Some((mode, uid, gid)) = original {
            use std::os::unix::fs::PermissionsExt;
            // Keep the owner when we may (root editing a user's file); ignore refusals.
            let _ = std::os::unix::fs::fchown(&file, Some(uid), Some(gid));
            file.set_permissions(fs::Permissions::from_mode(mode))
                .map_err(io)?;
        }
        file.sync_all().map_err(io)?;
        drop(file);
        steps.before_rename(&tmp, dest).map_err(io)?;
        match expect {
            Expect::Same(s) if !s.still_matches(dest) => {
                return Err(Error::refused(format!(
                    "{} changed on disk while adsconf was working (another program or editor wrote it); nothing written — run the command again",
                    dest.display()
                )))
            }
            Expect::Absent if fs::symlink_metadata(dest).is_ok() => {
                return Err(Error::refused(format!(
                    "{} appeared while adsconf was working; nothing written — run the command again",
                    dest.display()
                )))
            }
            _ => {}
        }
        if let (Some(b), Expect::Same(s)) = (backup, expect) {
            write_file(b, &s.bytes, &Expect::Any, None, &RealSteps).map_err(|e| {
                Error::usage(format!("{}; the original was left unchanged", e.message))
            })?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(b, fs::Permissions::from_mode(s.mode))
                    .map_err(|e| Error::io(b, "set the mode of", &e))?;
            }
        }
        if matches!(expect, Expect::Absent) {
            // Create without ever replacing: a hard link fails when the name exists.
            match fs::hard_link(&tmp, dest) {
                Ok(()) => {
                    let _ = fs::remove_file(&tmp);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return Err(Error::refused(format!(
                        "{} appeared while adsconf was working; nothing written — run the command again",
                        dest.display()
                    )))
                }
                // File systems without hard links: fall back to a rename.
                Err(_) => fs::rename(&tmp, dest).map_err(io)?,
            }
        } else {
            fs::rename(&tmp, dest).map_err(io)?;
        }
        if let Ok(d) = fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Where a write to `path` lands: `path` itself, or with `follow` the target of a symbolic
/// link. Without `follow` a symbolic link is refused (exit 1) with a sentence saying why.
pub fn destination(path: &Path, follow: bool) -> Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            let target = fs::read_link(path)
                .map(|t| t.display().to_string())
                .unwrap_or_else(|_| "?".into());
            if !follow {
                return Err(Error::refused(format!(
                    "{} is a symbolic link (to {target}); nothing written. Pass --follow-symlinks to write its target (the link stays), or name the target file",
                    path.display()
                )));
            }
            fs::canonicalize(path).map_err(|e| Error::io(path, "follow the symbolic link", &e))
        }
        _ => Ok(path.to_path_buf()),
    }
}

/// `FILE.bak` next to `path`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

// ---------------------------------------------------------------------------------------
// Masking secrets in diffs.

/// Is this entry's value a secret? Catalogue facts first (the key as the library sees it,
/// then trimmed, then case-insensitively), then the name itself (…secret, …token, …password).
pub fn secret_kind(lang: Lang, e: &crate::formats::Entry) -> SecretKind {
    let cat = lang.catalog();
    let key = cat
        .find(e.section.as_deref(), &e.key)
        .or_else(|| cat.find(e.section.as_deref(), e.key.trim()))
        .or_else(|| {
            cat.keys
                .iter()
                .find(|k| k.key.eq_ignore_ascii_case(e.key.trim()))
        });
    if let Some(k) = key {
        let neutral = k.neutral.as_deref().and_then(crate::schema::neutral);
        if k.secret || neutral.is_some_and(|n| n.secret) {
            return SecretKind::Whole;
        }
        if neutral.is_some_and(|n| n.secret_userinfo) {
            return SecretKind::UrlPassword;
        }
        return SecretKind::None;
    }
    let l = e.key.to_ascii_lowercase().replace(['_', '-', '.', ' '], "");
    if ["secret", "token", "password", "passwd"]
        .iter()
        .any(|w| l.contains(w))
    {
        SecretKind::Whole
    } else {
        SecretKind::None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    None,
    Whole,
    /// A URL whose user-info password is secret (proxy).
    UrlPassword,
}

/// Masked form for a diff: `model::mask` (first 4 characters then `…`) for secrets of 8
/// characters or more; shorter ones show nothing but `…` (4 characters of a short secret
/// would be most of it).
pub fn mask_secret(s: &str) -> String {
    if s.chars().count() >= 8 {
        crate::model::mask(s)
    } else {
        "…".into()
    }
}

/// Mask the raw text of a value (quotes kept, the inside masked).
fn mask_raw(raw: &str, kind: SecretKind) -> String {
    let (open, inner, close) = split_quotes(raw);
    let inner = match kind {
        SecretKind::UrlPassword => mask_url(inner),
        _ => mask_secret(inner),
    };
    format!("{open}{inner}{close}")
}

fn mask_url(url: &str) -> String {
    // Short passwords are hidden entirely (model::mask shows 4 characters).
    crate::model::mask_url_password_with(url, mask_secret)
}

fn split_quotes(raw: &str) -> (&str, &str, &str) {
    for q in ["\"\"\"", "'''", "\"", "'"] {
        if raw.len() >= 2 * q.len() && raw.starts_with(q) && raw.ends_with(q) {
            return (q, &raw[q.len()..raw.len() - q.len()], q);
        }
    }
    ("", raw, "")
}

/// One secret value in a text.
#[derive(Debug, Clone)]
struct SecretSpan {
    label: String,
    span: Range<usize>,
    masked: String,
}

fn secret_spans(text: &str, parsed: &Parsed) -> Vec<SecretSpan> {
    let mut out: Vec<SecretSpan> = parsed
        .entries
        .iter()
        .filter(|e| !e.value_span.is_empty() && e.value_span.end <= text.len())
        .filter_map(|e| {
            let kind = secret_kind(parsed.lang, e);
            (kind != SecretKind::None).then(|| SecretSpan {
                label: crate::formats::entry_label(e),
                span: e.value_span.clone(),
                masked: mask_raw(&text[e.value_span.clone()], kind),
            })
        })
        .collect();
    out.sort_by_key(|s| (s.span.start, std::cmp::Reverse(s.span.end)));
    // Drop spans nested in (or overlapping) an earlier one.
    let mut kept: Vec<SecretSpan> = Vec::new();
    for s in out {
        if kept.last().is_none_or(|k| s.span.start >= k.span.end) {
            kept.push(s);
        }
    }
    kept
}

/// Long secret values (raw and as read) of a parsed text: masked wherever else they occur
/// verbatim (a commented-out old line, a copy in another key).
fn long_secrets(text: &str, parsed: &Parsed) -> Vec<String> {
    let mut v = Vec::new();
    for e in &parsed.entries {
        if secret_kind(parsed.lang, e) == SecretKind::Whole && e.value_span.end <= text.len() {
            let (_, inner, _) = split_quotes(&text[e.value_span.clone()]);
            v.push(inner.to_string());
            v.push(e.value.to_text());
        }
    }
    v
}

/// `text` with every secret value replaced by its masked form: by span for the parsed
/// entries, and (for values of 8+ characters) wherever else they occur verbatim.
fn masked_text(text: &str, spans: &[SecretSpan], long: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for s in spans {
        out.push_str(&replace_secrets(&text[pos..s.span.start], long, 8));
        out.push_str(&s.masked);
        pos = s.span.end;
    }
    out.push_str(&replace_secrets(&text[pos..], long, 8));
    out
}

/// Replace every occurrence of each secret (4 characters or more) by its masked form.
/// For free text with no parse (HTTP bodies, messages); file diffs mask by span.
pub fn mask_text(text: &str, secrets: &[String]) -> String {
    replace_secrets(text, secrets, 4)
}

fn replace_secrets(text: &str, secrets: &[String], min_chars: usize) -> String {
    let mut secrets: Vec<&String> = secrets
        .iter()
        .filter(|s| s.chars().count() >= min_chars)
        .collect();
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets.dedup();
    let mut t = text.to_string();
    for s in secrets {
        if t.contains(s.as_str()) {
            t = t.replace(s.as_str(), &mask_secret(s));
        }
    }
    t
}

/// Secret strings of a parsed file (raw and typed values of secret keys), for [`mask_text`].
pub fn secrets_of(text: &str, parsed: &Parsed) -> Vec<String> {
    long_secrets(text, parsed)
}

/// Both sides of a change with secret values masked. When a secret changed but both masked
/// forms would look the same, the new side says so (`… (changed)`), so the diff never hides
/// a change.
pub fn masked_pair(
    old: Option<(&str, &Parsed)>,
    new: (&str, &Parsed),
    known: &[String],
) -> (String, String) {
    let (new_text, new_parsed) = new;
    let mut long = long_secrets(new_text, new_parsed);
    long.extend(known.iter().cloned());
    let old_spans = old.map(|(t, p)| {
        long.extend(long_secrets(t, p));
        secret_spans(t, p)
    });
    let mut new_spans = secret_spans(new_text, new_parsed);
    if let (Some(os), Some((ot, _))) = (&old_spans, old) {
        for s in &mut new_spans {
            if let Some(o) = os.iter().rev().find(|o| o.label == s.label) {
                if o.masked == s.masked && ot[o.span.clone()] != new_text[s.span.clone()] {
                    s.masked.push_str(" (changed)");
                }
            }
        }
    }
    let old_m = match (old, &old_spans) {
        (Some((t, _)), Some(os)) => masked_text(t, os, &long),
        _ => String::new(),
    };
    (old_m, masked_text(new_text, &new_spans, &long))
}

/// A unified diff of the masked texts with headers `--- FILE` / `+++ FILE (after)` (or
/// `--- /dev/null` for a file that does not exist yet); coloured when `color`.
pub fn render_diff(name: &str, old: &str, new: &str, is_new_file: bool, color: bool) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let old_header = if is_new_file {
        "/dev/null".to_string()
    } else {
        name.to_string()
    };
    let new_header = if is_new_file {
        format!("{name} (new file)")
    } else {
        format!("{name} (after)")
    };
    let mut text = diff
        .unified_diff()
        .context_radius(3)
        .missing_newline_hint(true)
        .header(&old_header, &new_header)
        .to_string();
    if !color {
        return text;
    }
    use anstyle::{AnsiColor, Style};
    let paint = |style: Style, line: &str| format!("{style}{line}{style:#}");
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let style = if body.starts_with("---") || body.starts_with("+++") {
            Style::new().bold()
        } else if body.starts_with('-') {
            AnsiColor::Red.on_default()
        } else if body.starts_with('+') {
            AnsiColor::Green.on_default()
        } else if body.starts_with("@@") {
            AnsiColor::Cyan.on_default()
        } else {
            Style::new()
        };
        out.push_str(&paint(style, body));
        out.push_str(nl);
    }
    std::mem::swap(&mut text, &mut out);
    text
}

// ---------------------------------------------------------------------------------------
// The change flow shared by `generate -o`, `set`, `fix` and `auth --write`.

/// One file change to show, confirm and write.
pub struct Change<'a> {
    /// The path as the user named it.
    pub path: &'a Path,
    pub lang: Lang,
    /// The file as read (None: the file does not exist yet).
    pub old: Option<(&'a Source, &'a Parsed, &'a Snapshot)>,
    pub new_text: &'a str,
    pub encoding: Encoding,
    /// Secret values known to the caller (the model's, the user's): masked wherever they
    /// occur, besides the secret entries found by parsing.
    pub secrets: &'a [String],
}

/// How to ask the user; a seam so the flow is testable without a terminal.
pub trait Confirm {
    /// Is there a user to ask?
    fn interactive(&self) -> bool;
    /// Ask `question`; true only for an explicit yes.
    fn ask(&self, question: &str) -> bool;
}

/// Ask on the terminal (stdin), prompt on stderr.
pub struct TerminalConfirm;

impl Confirm for TerminalConfirm {
    fn interactive(&self) -> bool {
        output::stdin_is_terminal()
    }

    fn ask(&self, question: &str) -> bool {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{question} [y/N] ");
        let _ = err.flush();
        drop(err);
        let mut answer = String::new();
        if std::io::stdin().read_line(&mut answer).is_err() {
            return false;
        }
        matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
    }
}

/// Show, confirm and write one change (CONTRACT §3). Returns the exit code: 0 written or
/// unchanged, 1 refused or (dry run) would change.
pub fn apply_change(change: &Change, opts: &WriteOpts) -> Result<i32> {
    apply_change_with(change, opts, &TerminalConfirm, &RealSteps)
}

/// [`apply_change`] with the confirmation and the write steps given (tests).
pub fn apply_change_with(
    change: &Change,
    opts: &WriteOpts,
    confirm: &dyn Confirm,
    steps: &dyn WriteSteps,
) -> Result<i32> {
    let name = change.path.display().to_string();
    if let Some((src, _, _)) = change.old {
        if src.text == change.new_text {
            output::eprint_line(&format!("{name}: already up to date; nothing written"));
            return Ok(0);
        }
    }
    // Never write what `check` calls an error (normalising what has one meaning).
    let judged = crate::judge::judged_text(
        &crate::judge::Proposal {
            path: Some(change.path),
            lang: change.lang,
            old: change.old.map(|(s, p, _)| (s, p)),
            new_text: change.new_text,
            encoding: change.encoding,
        },
        opts.leniency(),
    )?;
    let judged_change = Change {
        new_text: &judged,
        ..*change
    };
    let change = &judged_change;
    if let Some((src, _, _)) = change.old {
        if src.text == change.new_text {
            output::eprint_line(&format!("{name}: already up to date; nothing written"));
            return Ok(0);
        }
    }
    let bytes = crate::source::encode(change.new_text, change.encoding)?;
    let new_parsed = crate::formats::format(change.lang).parse(&Source::new(
        None,
        change.new_text.to_string(),
        change.encoding,
    ));
    let (old_m, new_m) = masked_pair(
        change.old.map(|(s, p, _)| (s.text.as_str(), p)),
        (change.new_text, &new_parsed),
        change.secrets,
    );
    if change.old.is_none() && !opts.dry_run {
        // A new file: nothing is overwritten, so no diff and no question; mode 0600.
        write_file(change.path, &bytes, &Expect::Absent, None, steps)?;
        output::eprint_line(&format!("wrote {name} (new file, mode 0600)"));
        return Ok(0);
    }
    let diff = render_diff(
        &name,
        &old_m,
        &new_m,
        change.old.is_none(),
        output::stderr_color(),
    );
    {
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(diff.as_bytes());
    }
    if opts.dry_run {
        output::eprint_line(&format!(
            "{name}: would {} (dry run; nothing written)",
            if change.old.is_some() {
                "change"
            } else {
                "be created"
            }
        ));
        return Ok(1);
    }
    let Some((_, _, snapshot)) = change.old else {
        return Ok(1);
    };
    let dest = destination(change.path, opts.follow_symlinks)?;
    // With --follow-symlinks the snapshot was taken of the link; compare the target's.
    let snap_owned;
    let snapshot = if dest.as_path() != change.path {
        snap_owned = Snapshot::of(&dest, snapshot.bytes.clone())?;
        &snap_owned
    } else {
        snapshot
    };
    if !opts.yes {
        if !confirm.interactive() {
            output::eprint_line(&format!(
                "{name}: not written: not on a terminal, so nothing is written without --yes (or use --dry-run to only see the diff)"
            ));
            return Ok(1);
        }
        if !confirm.ask(&format!("Write these changes to {name}?")) {
            output::eprint_line(&format!("{name}: not written"));
            return Ok(1);
        }
    }
    let backup = opts.backup.then(|| backup_path(change.path));
    write_file(
        &dest,
        &bytes,
        &Expect::Same(snapshot),
        backup.as_deref(),
        steps,
    )?;
    match backup {
        Some(b) => output::eprint_line(&format!(
            "wrote {name} (previous version kept as {})",
            b.display()
        )),
        None => output::eprint_line(&format!("wrote {name}")),
    }
    Ok(0)
}

/// Read a config for changing it: the snapshot (metadata first, so a change between the
/// two reads is caught later), the decoded text and its parse.
pub fn load_for_change(path: &Path, lang: Option<Lang>) -> Result<(Snapshot, Source, Parsed)> {
    let before = fs::symlink_metadata(path).map_err(|e| Error::io(path, "read", &e))?;
    let (src, parsed) = crate::formats::load(path, lang)?;
    let bytes = src.encode(&src.text)?;
    // Through a link the metadata is the link's; the destination check re-reads the target.
    let meta = if before.file_type().is_symlink() {
        fs::metadata(path).map_err(|e| Error::io(path, "read", &e))?
    } else {
        before
    };
    let snap = Snapshot::from_meta(&meta, bytes);
    Ok((snap, src, parsed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::format;
    use crate::lang::Lang;

    fn perl(text: &str) -> Parsed {
        format(Lang::Perl).parse(&Source::of(text))
    }

    #[test]
    fn new_file_is_0600_and_mode_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.yaml");
        atomic_write(&p, b"x").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o600
            );
            fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
            atomic_write(&p, b"y").unwrap();
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
        assert_eq!(fs::read(&p).unwrap(), b"y");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn masks_by_span_short_secrets_and_unchanged_lookalikes() {
        let old = "clientSecret=abc\nuserAgent=abc\nrefreshToken=1//0aaaaaaaaaa\n";
        let new = "clientSecret=xyz\nuserAgent=abc\nrefreshToken=1//0bbbbbbbbbb\n";
        let (o, n) = masked_pair(Some((old, &perl(old))), (new, &perl(new)), &[]);
        // The short secret is hidden entirely; the same text in a non-secret key is not.
        assert_eq!(o, "clientSecret=…\nuserAgent=abc\nrefreshToken=1//0…\n");
        assert_eq!(
            n,
            "clientSecret=… (changed)\nuserAgent=abc\nrefreshToken=1//0… (changed)\n"
        );
        let d = render_diff("f", &o, &n, false, false);
        assert!(d.starts_with("--- f\n+++ f (after)\n"), "{d}");
        assert!(!d.contains("xyz") && !d.contains("bbbbbb"), "{d}");
    }

    #[test]
    fn masks_copies_of_long_secrets_and_proxy_passwords() {
        let t = "# old: refreshToken=1//0secretsecret\nrefreshToken=1//0secretsecret\nproxy=http://u:pw@h:1\n";
        let (_, n) = masked_pair(None, (t, &perl(t)), &[]);
        assert!(!n.contains("secretsecret"), "{n}");
        assert!(n.contains("proxy=http://u:…@h:1"), "{n}");
        // Key with the spaces the Perl reader keeps is still recognised as a secret.
        let t = "developerToken =abcdefghijkl\n";
        let (_, n) = masked_pair(None, (t, &perl(t)), &[]);
        assert_eq!(n, "developerToken =abcd…\n");
    }

    #[test]
    fn quotes_kept_around_masks() {
        assert_eq!(mask_raw("\"GOCSPX-12345\"", SecretKind::Whole), "\"GOCS…\"");
        assert_eq!(mask_raw("'ab'", SecretKind::Whole), "'…'");
        assert_eq!(mask_secret("1234567"), "…");
    }

    #[test]
    fn colour_only_when_asked() {
        let d = render_diff("f", "a\n", "b\n", false, true);
        assert!(d.contains("\u{1b}["), "{d:?}");
        assert!(!render_diff("f", "a\n", "b\n", false, false).contains('\u{1b}'));
    }
}
