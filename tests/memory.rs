//! `check -r` memory is flat in the number of files: findings are written as they come, not
//! kept until the end. Its own test binary, so that the peak resident size of this process's
//! children (`getrusage(RUSAGE_CHILDREN)`) is that of the runs below and nothing else.

mod common;

use std::path::Path;

/// A tree of `n` files of every kind, each with findings and a few KiB of text.
fn tree(root: &Path, n: usize) {
    let padding: String = (0..80)
        .map(|i| format!("# comment line {i} that the report must not keep in memory\n"))
        .collect();
    for i in 0..n {
        let dir = root.join(format!("p{}/app{i}", i / 100));
        std::fs::create_dir_all(&dir).unwrap();
        let (name, body) = match i % 3 {
            0 => (
                "googleads.properties",
                format!("{padding}loginCustomerId=123-456-{:04}\n", i % 10_000),
            ),
            1 => (
                "ads.properties",
                format!(
                    "{padding}api.googleads.loginCustomerId=123-456-{:04}\n",
                    i % 10_000
                ),
            ),
            _ => (
                "google-ads.yaml",
                format!(
                    "{padding}use_proto_plus: true\nlogin_customer_id: \"123-456-{:04}\"\n",
                    i % 10_000
                ),
            ),
        };
        std::fs::write(dir.join(name), body).unwrap();
    }
}

#[cfg(unix)]
fn peak_rss_of_children_kib() -> i64 {
    // SAFETY: getrusage only writes into the struct we hand it.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    assert_eq!(rc, 0);
    u.ru_maxrss
}

#[cfg(unix)]
#[test]
fn check_r_memory_does_not_grow_with_the_number_of_files() {
    let d = tempfile::tempdir().unwrap();
    let (small, large) = (d.path().join("small"), d.path().join("large"));
    tree(&small, 300);
    tree(&large, 3000);
    let run = |dir: &Path| {
        let o = common::adsconf(dir, &["check", "-r", ".", "--format", "json"]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["summary"]["files"].as_u64().unwrap()
    };
    // The maximum over children so far: the small run first, then the large one.
    assert_eq!(run(&small), 300);
    let after_small = peak_rss_of_children_kib();
    assert_eq!(run(&large), 3000);
    let after_large = peak_rss_of_children_kib();
    let text_kib = (std::fs::read_dir(large.join("p0/app0"))
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum::<u64>()
        * 3000
        / 1024) as i64;
    println!("peak RSS: 300 files {after_small} KiB, 3000 files {after_large} KiB ({text_kib} KiB of text)");
    // Keeping every file (as before streaming) would add the 2,700 extra files' text and
    // their parses; allow a quarter of the text for the file list and allocator noise.
    assert!(
        after_large - after_small < text_kib / 4,
        "peak RSS grew from {after_small} KiB (300 files) to {after_large} KiB (3000 files)"
    );
}
