//! Entry points for the fuzz targets in `fuzz/` (and the no-panic property tests).
#![doc(hidden)]

use crate::formats;
use crate::lang::LANGS;
use crate::source::{self, Source};

/// Parse `bytes` as format number `which % LANGS.len()`; map to neutral names; render the
/// result again and parse that. Must never panic.
pub fn parse_roundtrip(which: u8, bytes: &[u8]) {
    let info = &LANGS[usize::from(which) % LANGS.len()];
    let Ok(src) = source::decode(None, bytes.to_vec(), info.encoding) else {
        return;
    };
    let fmt = formats::format(info.lang);
    let parsed = fmt.parse(&src);
    for e in &parsed.entries {
        // Spans must be valid char-boundary ranges of the text.
        let _ = &src.text[e.key_span.clone()];
        let _ = &src.text[e.value_span.clone()];
        let _ = &src.text[e.entry_span.clone()];
        let _ = src.line_col(e.value_span.end);
    }
    for p in &parsed.problems {
        let _ = &src.text[p.span.clone()];
    }
    let settings = formats::to_settings(&parsed);
    if settings.check_no_newlines().is_err() || settings.check_single_auth_mode().is_err() {
        return;
    }
    if let Ok((text, _)) = crate::convert::generate(info.lang, &settings) {
        let again = fmt.parse(&Source::of(&text));
        let _ = formats::to_settings(&again);
    }
}

/// `check` on arbitrary bytes: first line = file name, rest = content. Detects the format
/// from the name and content, parses, runs every rule and every report renderer.
pub fn check_bytes(data: &[u8]) {
    use crate::report::CheckFormat;
    use crate::report::{self, CheckReport, FileReport};
    let (name, content) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let name = String::from_utf8_lossy(name);
    let name = name.rsplit(['/', '\\']).next().unwrap_or("x");
    let path = std::path::Path::new(if name.is_empty() { "x" } else { name });
    let Some(lang) = formats::detect(path, Some(&String::from_utf8_lossy(content))) else {
        return;
    };
    let Ok(src) = source::decode(Some(path), content.to_vec(), lang.info().encoding) else {
        return;
    };
    let parsed = formats::format(lang).parse(&src);
    let env = std::collections::BTreeMap::new();
    let ctx = crate::rules::FileCtx::text(name, &src, &parsed, &env);
    let diagnostics = crate::rules::check_file(&ctx);
    let secret_spans = crate::rules::secret_spans(&parsed);
    let file = FileReport {
        assumed: None,
        path: name.to_string(),
        is_file: true,
        src: src.clone(),
        secret_spans,
        diagnostics,
    };
    let n = file.diagnostics.len();
    // Twice, so that the stream joins two files.
    let report = CheckReport {
        files: vec![file.clone(), file],
    };
    for f in [
        CheckFormat::Human,
        CheckFormat::Json,
        CheckFormat::Sarif,
        CheckFormat::Github,
    ] {
        let out = report::reporter(f, false).render(&report);
        let items = match f {
            CheckFormat::Json => Some("/diagnostics"),
            CheckFormat::Sarif => Some("/runs/0/results"),
            _ => None,
        };
        if let Some(pointer) = items {
            let v: serde_json::Value = match serde_json::from_str(&out) {
                Ok(v) => v,
                Err(e) => panic!("{f:?} report is not JSON ({e}): {out}"),
            };
            let got = v.pointer(pointer).and_then(|a| a.as_array()).map(Vec::len);
            assert_eq!(got, Some(2 * n), "{f:?}: {out}");
        }
    }
    parse_roundtrip(lang as u8, content);
}
