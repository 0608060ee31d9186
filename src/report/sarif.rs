//! `--format sarif`: SARIF 2.1.0, one run, the rule table as `tool.driver.rules`.
//! Columns count Unicode code points (`columnKind: unicodeCodePoints`).

use serde_json::{json, Value};

use super::{region, shown_content, FileReport, JsonArray, Report, Summary};
use crate::diag::{Diagnostic, Severity};
use crate::rules::RULES;

pub struct Sarif;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Relative paths as SARIF relative URIs (forward slashes, percent-encoded spaces).
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    p.replace('%', "%25").replace(' ', "%20")
}

/// One result.
fn result(f: &FileReport, d: &Diagnostic) -> Value {
    let index = RULES.iter().position(|r| r.code == d.code).unwrap_or(0);
    let mut text = super::message(d);
    if let Some(h) = &super::help(d) {
        text.push_str(" Help: ");
        text.push_str(h);
    }
    let mut res = json!({
        "ruleId": d.code,
        "ruleIndex": index,
        "level": level(d.severity),
        "message": {"text": text},
    });
    if f.is_file {
        let (l1, c1, l2, c2) = region(&f.src, &d.span);
        res["locations"] = json!([{
            "physicalLocation": {
                "artifactLocation": {"uri": uri(&f.path)},
                "region": {"startLine": l1, "startColumn": c1, "endLine": l2, "endColumn": c2},
            }
        }]);
        if let Some(fix) = &d.fix {
            res["fixes"] = json!([{
                "description": {"text": fix.description},
                "artifactChanges": [{
                    "artifactLocation": {"uri": uri(&f.path)},
                    "replacements": fix.edits.iter().map(|e| {
                        let (l1, c1, l2, c2) = region(&f.src, &e.range);
                        json!({
                            "deletedRegion": {"startLine": l1, "startColumn": c1, "endLine": l2, "endColumn": c2},
                            "insertedContent": {"text": shown_content(f, e)},
                        })
                    }).collect::<Vec<_>>(),
                }],
            }]);
        }
    } else {
        res["message"]["text"] = json!(format!("{}: {}", f.path, text));
    }
    res
}

/// The document with no results.
fn skeleton() -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.explanation},
                "help": {"text": format!("{}\n\nBad:\n{}\nGood:\n{}\nFix: {}", r.explanation, r.bad, r.good, r.fix)},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"tags": ["google-ads", "configuration"]},
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "adsconf",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": [],
        }],
    })
}

impl Report for Sarif {
    fn begin(&self) -> String {
        JsonArray::head(&skeleton(), "results").0
    }

    fn file(&self, f: &FileReport) -> String {
        static ARRAY: std::sync::OnceLock<JsonArray> = std::sync::OnceLock::new();
        let array = ARRAY.get_or_init(|| JsonArray::head(&skeleton(), "results").1);
        array.items(f, result)
    }

    fn separator(&self) -> &'static str {
        ","
    }

    fn finish(&self, s: &Summary) -> String {
        JsonArray::tail(&skeleton(), "results", s.diagnostics())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{sample_reports, CheckReport};

    /// The document built whole, as before streaming.
    fn whole(report: &CheckReport) -> String {
        let mut v = skeleton();
        v["runs"][0]["results"] = report.iter().map(|(f, d)| result(f, d)).collect();
        serde_json::to_string_pretty(&v).unwrap() + "\n"
    }

    #[test]
    fn streamed_text_is_serde_json_pretty_of_the_whole_document() {
        for report in sample_reports() {
            let streamed = Sarif.render(&report);
            assert_eq!(streamed, whole(&report));
            let v: Value = serde_json::from_str(&streamed).unwrap();
            assert_eq!(
                v["runs"][0]["results"].as_array().unwrap().len(),
                report.iter().count()
            );
            assert!(!streamed.contains("averysecret"));
        }
    }
}
