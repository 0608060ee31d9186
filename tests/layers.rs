//! The house has no loops: the crate's top-level modules import each other one way only
//! (lang/schema/model → formats → rules → report → … → commands). A `use crate::x` that
//! closes a loop fails this test, naming the chain and where each import is.
//!
//! Test code (`#[cfg(test)]` parts and `tests.rs` files) may use any layer and is not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src/")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file belongs to (`src/rules/keys.rs` → `rules`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    let m = first.strip_suffix(".rs").unwrap_or(&first).to_string();
    (m != "lib" && m != "main").then_some(m)
}

/// The modules a line names through `crate::NAME` or `crate::{NAME, …}`.
fn named_modules(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let code = line.split("//").next().unwrap_or("");
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + 7..];
        if let Some(group) = after.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for part in inner.split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
        rest = after;
    }
    out
}

type Graph = BTreeMap<String, BTreeMap<String, String>>;

/// module → (imported module → first place it is imported, `file:line`).
fn import_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(&src, f)).collect();
    let mut graph = Graph::new();
    for f in &files {
        let Some(from) = module_of(&src, f) else {
            continue;
        };
        if f.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(f).expect("read a source file");
        let edges = graph.entry(from.clone()).or_default();
        for (i, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            for to in named_modules(line) {
                if to != from && modules.contains(&to) {
                    edges.entry(to).or_insert_with(|| {
                        format!("{}:{}", f.strip_prefix(&src).unwrap().display(), i + 1)
                    });
                }
            }
        }
    }
    graph
}

/// A loop in the graph, as the list of modules along it (first = last), if there is one.
fn find_loop(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        m: &str,
        graph: &Graph,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == m) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        stack.push(m.to_string());
        for next in graph.get(m).into_iter().flat_map(|e| e.keys()) {
            if let Some(c) = visit(next, graph, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        if let Some(c) = visit(m, graph, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

#[test]
fn top_level_modules_import_one_way() {
    let graph = import_graph();
    assert!(graph.len() > 10, "found only {} modules", graph.len());
    if let Some(cycle) = find_loop(&graph) {
        let steps: Vec<String> = cycle
            .windows(2)
            .map(|w| format!("  {} -> {}  ({})", w[0], w[1], graph[&w[0]][&w[1]]))
            .collect();
        panic!(
            "import loop between top-level modules:\n{}",
            steps.join("\n")
        );
    }
}

#[test]
fn the_bottom_layers_stay_at_the_bottom() {
    // The language table and the key catalogues are below every format and rule.
    let graph = import_graph();
    for (m, allowed) in [
        ("lang", &["source", "error"][..]),
        ("schema", &["lang", "source", "error"][..]),
    ] {
        for to in graph.get(m).into_iter().flat_map(|e| e.keys()) {
            assert!(
                allowed.contains(&to.as_str()),
                "`{m}` imports `{to}` ({}); it may import only {allowed:?}",
                graph[m][to]
            );
        }
    }
}

#[test]
fn the_loop_finder_finds_loops() {
    let mut g = Graph::new();
    g.entry("a".into())
        .or_default()
        .insert("b".into(), "x".into());
    g.entry("b".into())
        .or_default()
        .insert("c".into(), "y".into());
    assert_eq!(find_loop(&g), None);
    g.entry("c".into())
        .or_default()
        .insert("a".into(), "z".into());
    assert_eq!(
        find_loop(&g),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    assert_eq!(
        named_modules("use crate::{formats, model::Value}; // crate::rules"),
        vec!["formats".to_string(), "model".to_string()]
    );
}

#[test]
fn commands_stay_thin() {
    // A command parses its arguments and calls library modules; logic lives below it
    // (`change`, `convert`, `lint`, `view`, `oauth::flow`, …) where other commands reuse it.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    assert!(files.len() > 5);
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read a command");
        let code_lines = text
            .lines()
            .take_while(|l| !l.trim_start().starts_with("#[cfg(test)]"))
            .count();
        assert!(
            code_lines <= 250,
            "{} has {code_lines} lines outside its tests; move the logic into a library module",
            f.display()
        );
    }
}
