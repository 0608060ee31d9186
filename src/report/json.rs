//! `--format json`: `{"diagnostics": [...], "summary": {...}}` (CONTRACT §3).
//!
//! A fix is `{"applicability": "safe"|"unsafe", "edits": [E...]}` with each edit
//! `{"line", "column", "end_line", "end_column", "content"}`: replace the text from
//! (line, column) up to, not including, (end_line, end_column) by `content`. Lines and
//! columns are 1-based and count Unicode characters.

use serde_json::{json, Value};

use super::{region, shown_content, CheckReport, FileReport, Report};
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
        "message": d.message,
        "path": f.path,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "fix": fix,
    })
}

impl Report for Json {
    fn render(&self, report: &CheckReport) -> String {
        let s = report.summary();
        let v = json!({
            "diagnostics": report.iter().map(|(f, d)| diagnostic(f, d)).collect::<Vec<_>>(),
            "summary": {"files": s.files, "errors": s.errors, "warnings": s.warnings, "infos": s.infos},
        });
        let mut out = serde_json::to_string_pretty(&v).unwrap_or_default();
        out.push('\n');
        out
    }
}
