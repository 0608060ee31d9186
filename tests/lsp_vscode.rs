//! The VS Code extension (`editors/vscode`): it builds with `npm ci && npm run compile`
//! (where npm exists; CI has it), its settings are the server's, and its document selector
//! names every library's default file.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

fn ext() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode")
}

/// The extension's `adsconf.*` settings are exactly the server's (plus `path`, the
/// executable the extension starts).
#[test]
fn settings_are_the_servers() {
    let pkg: Value =
        serde_json::from_str(&std::fs::read_to_string(ext().join("package.json")).unwrap())
            .unwrap();
    let props = pkg["contributes"]["configuration"]["properties"]
        .as_object()
        .unwrap();
    let mut theirs: Vec<String> = props
        .keys()
        .map(|k| k.strip_prefix("adsconf.").unwrap().to_string())
        .filter(|k| k != "path")
        .collect();
    theirs.sort();
    let mut ours: Vec<String> = adsconf::lsp::settings::KNOWN
        .iter()
        .map(|s| s.to_string())
        .collect();
    ours.sort();
    assert_eq!(theirs, ours);
    // And the extension passes each of them to the server.
    let src = std::fs::read_to_string(ext().join("src/extension.ts")).unwrap();
    for k in &ours {
        assert!(
            src.contains(&format!("{k}: c.get")),
            "extension.ts does not pass {k}"
        );
    }
}

/// `*` matches any run of characters (this is all the selector's alternatives use).
fn glob(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, tail)) => {
            name.starts_with(head)
                && (head.len()..=name.len())
                    .any(|i| name.is_char_boundary(i) && glob(tail, &name[i..]))
        }
    }
}

#[test]
fn the_selector_names_every_default_file() {
    let src = std::fs::read_to_string(ext().join("src/extension.ts")).unwrap();
    let start = src.find("\"**/{").unwrap() + 5;
    let end = start + src[start..].find('}').unwrap();
    let alternatives: Vec<&str> = src[start..end].split(',').collect();
    for l in adsconf::lang::LANGS {
        assert!(
            alternatives.iter().any(|a| glob(a, l.default_file)),
            "editors/vscode/src/extension.ts: FILES does not match {}",
            l.default_file
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name == "node_modules" || name == "out" {
            continue;
        }
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(&name));
        } else {
            std::fs::copy(&p, to.join(&name)).unwrap();
        }
    }
}

/// `npm ci && npm run compile` in a copy of the extension (the lock file pins every package).
#[test]
fn the_extension_builds() {
    let Some(npm) = common::require("npm") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("vscode");
    copy_dir(&ext(), &work);
    for args in [
        &["ci", "--no-audit", "--no-fund", "--loglevel=error"][..],
        &["run", "compile"][..],
    ] {
        let out = Command::new(&npm)
            .args(args)
            .current_dir(&work)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "npm {}: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let js = std::fs::read_to_string(work.join("out/extension.js")).unwrap();
    assert!(
        js.contains("new node_1.LanguageClient") || js.contains("LanguageClient("),
        "{js}"
    );
    assert!(js.contains("\"lsp\""));
}
