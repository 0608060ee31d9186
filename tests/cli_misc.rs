//! Shell niceties: completions, man page, --version with the git revision, --help with
//! examples for every command.

mod common;

use clap::CommandFactory;

#[test]
fn completions_for_every_shell() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef adsconf"),
        ("fish", "complete -c adsconf"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = common::adsconf(dir.path(), &["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(marker), "{shell} completions lack {marker:?}");
        assert!(
            text.contains("generate") && text.contains("access"),
            "{shell} completions lack commands"
        );
        if shell != "powershell" {
            assert!(
                text.contains("dotnet-json"),
                "{shell} completions lack LANG values"
            );
        }
    }
}

#[test]
fn bash_completion_loads_in_bash() {
    let Some(bash) = common::require("bash") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = common::adsconf(dir.path(), &["completions", "bash"]);
    let f = dir.path().join("c.bash");
    std::fs::write(&f, out.stdout).unwrap();
    let script = format!(". {}; complete -p adsconf", f.display());
    let status = std::process::Command::new(bash)
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn man_page_renders() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::adsconf(dir.path(), &["man"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(".ie") || text.contains(".TH adsconf"),
        "{}",
        &text[..text.len().min(200)]
    );
}

#[test]
fn version_names_the_revision() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::adsconf(dir.path(), &["--version"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(concat!("adsconf ", env!("CARGO_PKG_VERSION"), " (")),
        "{text}"
    );
    assert!(text.trim_end().ends_with(')'), "{text}");
}

#[test]
fn every_command_help_has_examples() {
    let cmd = adsconf::cli::Cli::command();
    for sub in cmd.get_subcommands() {
        let help = sub
            .get_after_help()
            .map(|h| h.to_string())
            .unwrap_or_default();
        assert!(
            help.contains("Examples:") && help.contains("adsconf "),
            "`adsconf {} --help` has no examples",
            sub.get_name()
        );
    }
}

#[test]
fn bad_flags_exit_2_with_one_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::adsconf(dir.path(), &["generate", "cobol"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("invalid value 'cobol'"), "{err}");
    let out = common::adsconf(dir.path(), &["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}
