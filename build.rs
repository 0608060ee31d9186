// Records the git revision for `adsconf --version`.
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}

fn main() {
    let rev =
        git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown revision".to_string());
    println!("cargo:rustc-env=ADSCONF_GIT_REVISION={rev}");
    // Rebuild when HEAD moves; paths come from git so worktrees (where .git is a file) work.
    for what in ["HEAD", "refs/heads"] {
        if let Some(p) = git(&["rev-parse", "--git-path", what]) {
            if std::path::Path::new(&p).exists() {
                println!("cargo:rerun-if-changed={p}");
            }
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}
