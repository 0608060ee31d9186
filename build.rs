// Records the git revision for `adsconf --version`, and derives the masker's table of key
// names from `schemas/` (see `key_names`).
use std::fmt::Write as _;
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
    key_names();
}

/// The fields of each `[[key]]` block of a schema file, in order (only `field = "text"` and
/// `field = true|false` lines: the schemas are our own regular TOML).
fn blocks(text: &str) -> Vec<Vec<(String, String)>> {
    let mut out: Vec<Vec<(String, String)>> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if t == "[[key]]" {
            out.push(Vec::new());
            continue;
        }
        let (Some(block), Some((k, v))) = (out.last_mut(), t.split_once('=')) else {
            continue;
        };
        let v = v.trim();
        let v = if let Some(q) = v.strip_prefix('"') {
            match q.split_once('"') {
                Some((inner, _)) => inner.to_string(),
                None => continue,
            }
        } else {
            v.split_whitespace().next().unwrap_or("").to_string()
        };
        block.push((k.trim().to_string(), v));
    }
    out
}

/// `$OUT_DIR/key_names.rs`: the neutral keys' secret flags and every catalogue's key,
/// environment-variable and property names with their neutral name and secret flag, for
/// `mask::names`. Read here so that a one-file `check` does not parse all 13 catalogues at
/// start-up to mask one snippet; `mask::tests` holds this table equal to the catalogues'
/// real (serde) parse.
fn key_names() {
    println!("cargo:rerun-if-changed=schemas");
    let field =
        |b: &[(String, String)], f: &str| b.iter().find(|(k, _)| k == f).map(|(_, v)| v.clone());
    let mut files: Vec<_> = std::fs::read_dir("schemas")
        .expect("schemas/ beside build.rs")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter(|p| !p.ends_with("mirrors.toml"))
        .collect();
    files.sort();
    let mut neutral = String::new();
    let mut keys = String::new();
    for f in files {
        println!("cargo:rerun-if-changed={}", f.display());
        let text = std::fs::read_to_string(&f).expect("a schema file");
        for b in blocks(&text) {
            let yes = |name: &str| field(&b, name).as_deref() == Some("true");
            if f.ends_with("neutral.toml") {
                if let Some(n) = field(&b, "name") {
                    let _ = writeln!(
                        neutral,
                        "    ({n:?}, {}, {}),",
                        yes("secret"),
                        yes("secret_userinfo")
                    );
                }
                continue;
            }
            let to = match field(&b, "neutral") {
                Some(n) => format!("Some({n:?})"),
                None => "None".to_string(),
            };
            for name in ["key", "env", "property"]
                .iter()
                .filter_map(|x| field(&b, x))
            {
                let _ = writeln!(keys, "    ({name:?}, {to}, {}),", yes("secret"));
            }
        }
    }
    let code = format!(
        "/// (neutral name, secret, secret user-info) of every neutral key.\n\
         pub const NEUTRAL: &[(&str, bool, bool)] = &[\n{neutral}];\n\
         /// (name as written or read from the environment, neutral name, secret) of every\n\
         /// catalogue key.\n\
         pub const KEYS: &[(&str, Option<&str>, bool)] = &[\n{keys}];\n"
    );
    let out =
        std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("key_names.rs");
    std::fs::write(out, code).expect("write key_names.rs");
}
