//! One voice: plurals written out ("22 lines", never "line(s)") and no nested parentheses in
//! what people read (check's human report over every fixture, show, rules, explain, --help).

mod common;

use std::path::{Path, PathBuf};

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_parenthesised_plurals_in_messages() {
    let mut files = Vec::new();
    rs_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut bad = Vec::new();
    for f in files {
        for (i, line) in std::fs::read_to_string(&f).unwrap().lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            // Inside a string literal: an odd number of quotes before it.
            if let Some(at) = code.find("(s)") {
                if code[..at].ends_with("http") {
                    continue; // a scheme, not a plural
                }
                let quotes = code[..at].matches('"').count() - code[..at].matches("'\"'").count();
                if quotes % 2 == 1 && code[..at].ends_with(|c: char| c.is_ascii_alphabetic()) {
                    bad.push(format!("{}:{}: {}", f.display(), i + 1, code));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "write the plural out (output::plural):\n{}",
        bad.join("\n")
    );
}

/// Parenthesis depth of prose: code in backticks and double-quoted text are skipped.
fn max_depth(line: &str) -> usize {
    let (mut depth, mut max, mut tick, mut quote) = (0usize, 0usize, false, false);
    for c in line.chars() {
        match c {
            '`' if !quote => tick = !tick,
            '"' if !tick => quote = !quote,
            '(' if !tick && !quote => {
                depth += 1;
                max = max.max(depth);
            }
            ')' if !tick && !quote => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

fn nested(text: &str) -> Vec<String> {
    text.lines()
        // Source snippets of the human report quote the file itself.
        .filter(|l| {
            !l.trim_start()
                .split('|')
                .next()
                .unwrap_or("x")
                .trim()
                .chars()
                .all(|c| c.is_ascii_digit())
                || !l.contains('|')
        })
        .filter(|l| max_depth(l) > 1)
        .map(str::to_string)
        .collect()
}

#[test]
fn no_nested_parentheses_in_what_people_read() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = root.join("tests/fixtures/check");
    let mut bad = Vec::new();
    let mut runs: Vec<Vec<String>> = vec![vec!["rules".into()], vec!["--help".into()]];
    for r in adsconf::rules::RULES {
        runs.push(vec!["explain".into(), r.name.into()]);
    }
    for dir in std::fs::read_dir(&fixtures).unwrap().flatten() {
        for f in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let p = f.path().display().to_string();
            runs.push(vec!["check".into(), p.clone()]);
            runs.push(vec!["show".into(), p]);
        }
    }
    for args in &runs {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = common::adsconf(root, &a);
        let text =
            String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
        for l in nested(&text) {
            bad.push(format!("adsconf {}: {l}", args.join(" ")));
        }
    }
    assert!(runs.len() > 60);
    assert!(bad.is_empty(), "nested parentheses:\n{}", bad.join("\n"));
}
