//! Writing files safely: atomic (temporary file in the same directory, fsync, rename),
//! new files with mode 0600, an existing file's mode kept, the original untouched on error.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Write `bytes` to `path` atomically. A new file gets mode 0600; an existing file keeps
/// its mode. On any error the original is untouched and the temporary file removed.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| Error::usage(format!("{} is not a file path", path.display())))?;
    let existing_mode = existing_mode(path);
    let mut n = 0u32;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(
            ".{}.adsconf-{}-{n}.tmp",
            file_name.to_string_lossy(),
            std::process::id()
        ));
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
            Err(e) => return Err(Error::io(&dir, "create a temporary file in", &e)),
        }
    };
    let result = (|| -> std::io::Result<()> {
        file.write_all(bytes)?;
        #[cfg(unix)]
        if let Some(mode) = existing_mode {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(fs::Permissions::from_mode(mode))?;
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)?;
        if let Ok(d) = fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io(path, "write", &e));
    }
    Ok(())
}

#[cfg(unix)]
fn existing_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn existing_mode(_path: &Path) -> Option<u32> {
    None
}

/// Secret strings to mask in a diff of this file: raw and typed values of secret keys.
pub fn secrets_of(parsed: &crate::formats::Parsed) -> Vec<String> {
    let cat = parsed.lang.catalog();
    let mut out = Vec::new();
    for e in &parsed.entries {
        let secret = cat.find(e.section.as_deref(), &e.key).is_some_and(|k| {
            k.secret || k.neutral.as_deref().is_some_and(crate::schema::is_secret)
        });
        if secret {
            out.push(e.value.to_text());
            out.push(e.raw.clone());
        }
    }
    out.retain(|s| s.chars().count() >= 4);
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out.dedup();
    out
}

/// Replace every occurrence of each secret by its masked form.
pub fn mask_text(text: &str, secrets: &[String]) -> String {
    let mut t = text.to_string();
    for s in secrets {
        if t.contains(s.as_str()) {
            t = t.replace(s.as_str(), &crate::model::mask(s));
        }
    }
    t
}

/// A unified diff of `old` → `new` with secrets masked on both sides.
pub fn masked_diff(name: &str, old: &str, new: &str, secrets: &[String]) -> String {
    let old_m = mask_text(old, secrets);
    let new_m = mask_text(new, secrets);
    similar::TextDiff::from_lines(&old_m, &new_m)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// Replace the file behind `src` with `new_text` per CONTRACT §3: unchanged → exit 0;
/// diff (masked) on stderr; `--dry-run` → exit 1 when it would change; on a terminal ask
/// (default no); without one refuse unless `--yes`.
pub fn update_file(
    src: &crate::source::Source,
    parsed: &crate::formats::Parsed,
    new_text: &str,
    opts: &crate::cli::WriteOpts,
) -> Result<i32> {
    use crate::output;
    let path = src
        .path
        .clone()
        .ok_or_else(|| Error::usage("internal error: no path to write"))?;
    if new_text == src.text {
        output::eprint_line(&format!(
            "{}: already up to date; nothing written",
            path.display()
        ));
        return Ok(0);
    }
    let new_parsed = crate::formats::format(parsed.lang).parse(&crate::source::Source::new(
        None,
        new_text.to_string(),
        src.encoding,
    ));
    let mut secrets = secrets_of(parsed);
    secrets.extend(secrets_of(&new_parsed));
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets.dedup();
    let diff = masked_diff(&path.display().to_string(), &src.text, new_text, &secrets);
    eprint!("{diff}");
    if opts.dry_run {
        output::eprint_line(&format!(
            "{}: would change (dry run; nothing written)",
            path.display()
        ));
        return Ok(1);
    }
    if !opts.yes {
        if !output::stdin_is_terminal() {
            output::eprint_line(&format!(
                "{}: not written: stdin is not a terminal, so pass --yes to confirm",
                path.display()
            ));
            return Ok(1);
        }
        eprint!("Write these changes to {}? [y/N] ", path.display());
        let mut answer = String::new();
        let _ = std::io::stdin().read_line(&mut answer);
        if !matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
            output::eprint_line("not written");
            return Ok(1);
        }
    }
    let bytes = src.encode(new_text)?;
    atomic_write(&path, &bytes)?;
    output::eprint_line(&format!("wrote {}", path.display()));
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
