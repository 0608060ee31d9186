//! `--format json`: `{"diagnostics": [...], "summary": {...}}` (CONTRACT §3).
//!
//! A fix is `{"applicability": "safe"|"unsafe", "edits": [E...]}` with each edit
//! `{"line", "column", "end_line", "end_column", "content"}`: replace the text from
//! (line, column) up to, not including, (end_line, end_column) by `content`. Lines and
//! columns are 1-based and count Unicode characters.

use serde_json::{json, Value};

use super::{region, shown_content, FileReport, JsonArray, Report, Summary};
use crate::diag::{Applicability, Diagnostic};

pub struct Json;

pub fn diagnostic(f: &FileReport, d: &Diagnostic) -> Value {
    let (line, column, end_line, end_column) = region(&f.src, &d.span);
    let fix = match &d.fix {
        None => Value::Null,
        Some(fix) => json!({
            "applicability": match fix.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
            },
            "edits": fix.edits.iter().map(|e| {
                let (l1, c1, l2, c2) = region(&f.src, &e.range);
                json!({"line": l1, "column": c1, "end_line": l2, "end_column": c2, "content": shown_content(f, e)})
            }).collect::<Vec<_>>(),
        }),
    };
    json!({
        "rule": d.rule,
        "code": d.code,
        "severity": d.severity.as_str(),
        "message": super::message(d),
        "path": f.path,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "fix": fix,
    })
}

/// The document with no diagnostics and these totals.
fn skeleton(s: &Summary) -> Value {
    use crate::rules::versions::Source;
    let versions: Vec<Value> = s
        .assumed
        .iter()
        .map(|(a, n)| {
            let (from, exact) = match &a.source {
                Source::Flag => (Value::from("--library-version"), true),
                Source::Manifest { path, exact } => (Value::from(path.as_str()), *exact),
                Source::Newest => (Value::Null, false),
            };
            json!({
                "library": a.library,
                "version": a.version.map(|v| v.to_string()),
                "from": from,
                "exact": exact,
                "files": n,
            })
        })
        .collect();
    json!({
        "diagnostics": [],
        "summary": {"files": s.files, "errors": s.errors, "warnings": s.warnings, "infos": s.infos, "library_versions": versions},
    })
}

impl Report for Json {
    fn begin(&self) -> String {
        JsonArray::head(&skeleton(&Summary::default()), "diagnostics").0
    }

    fn file(&self, f: &FileReport) -> String {
        static ARRAY: std::sync::OnceLock<JsonArray> = std::sync::OnceLock::new();
        let array =
            ARRAY.get_or_init(|| JsonArray::head(&skeleton(&Summary::default()), "diagnostics").1);
        array.items(f, diagnostic)
    }

    fn separator(&self) -> &'static str {
        ","
    }

    fn finish(&self, s: &Summary) -> String {
        JsonArray::tail(&skeleton(s), "diagnostics", s.diagnostics())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{sample_reports, CheckReport};

    /// The document built whole, as before streaming.
    fn whole(report: &CheckReport) -> String {
        let mut v = skeleton(&report.summary());
        v["diagnostics"] = report.iter().map(|(f, d)| diagnostic(f, d)).collect();
        serde_json::to_string_pretty(&v).unwrap() + "\n"
    }

    #[test]
    fn streamed_text_is_serde_json_pretty_of_the_whole_document() {
        for report in sample_reports() {
            let streamed = Json.render(&report);
            assert_eq!(streamed, whole(&report));
            let v: Value = serde_json::from_str(&streamed).unwrap();
            assert_eq!(
                v["diagnostics"].as_array().unwrap().len(),
                report.iter().count()
            );
        }
    }
}
