//! `adsconf rules`, `explain`, `completions` and the man page.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ExplainArgs, RulesArgs};
use crate::error::{Error, Result};
use crate::rules::RULES;

/// `adsconf rules`: the rule table (code, name, severity, summary), or JSON with `--json`.
pub fn rules(args: RulesArgs) -> Result<i32> {
    if args.json || args.format == crate::cli::RulesFormat::Json {
        let v: Vec<serde_json::Value> = RULES
            .iter()
            .map(|r| {
                serde_json::json!({
                    "code": r.code,
                    "name": r.name,
                    "severity": r.severity.as_str(),
                    "also": r.other_levels().map(|o| serde_json::json!({
                        "severity": o.severity.as_str(),
                        "when": o.when,
                    })).collect::<Vec<_>>(),
                    "summary": r.summary,
                })
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
        s.push('\n');
        crate::output::print(&s);
        return Ok(0);
    }
    let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut s = String::new();
    for r in RULES {
        s.push_str(&format!(
            "{}  {:<width$}  {:<7}  {}\n",
            r.code,
            r.name,
            r.severity.as_str(),
            r.summary
        ));
        for o in r.other_levels() {
            s.push_str(&format!(
                "{:<code$}  {:<width$}  {:<7}  when: {}\n",
                "",
                "",
                o.severity.as_str(),
                o.when,
                code = r.code.len()
            ));
        }
    }
    s.push_str("\nA rule reports its listed level, or another one only in the cases listed under it \
(the severity policy: docs/check.md).\n`adsconf explain RULE` tells more; `adsconf check --ignore RULE` skips one.\n");
    crate::output::print(&s);
    Ok(0)
}

/// `adsconf explain RULE`: what, why, a bad and a good example, the fix.
pub fn explain(args: ExplainArgs) -> Result<i32> {
    let Some(r) = crate::rules::rule(&args.rule) else {
        let hint = crate::rules::suggest(&args.rule)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_else(|| "; `adsconf rules` lists every rule".into());
        return Err(Error::usage(format!(
            "there is no rule `{}`{hint}",
            args.rule
        )));
    };
    let indent = |t: &str| t.lines().map(|l| format!("    {l}\n")).collect::<String>();
    let mirrors: String = crate::rules::mirrors::of(r.name)
        .map(|m| format!("  - {}\n", crate::rules::mirrors::describe(m)))
        .collect();
    let levels: String = r
        .other_levels()
        .map(|o| format!("Reported as {} when: {}\n", o.severity.as_str(), o.when))
        .collect();
    let s = format!(
        "{code} {name} ({sev})\n{summary}\n{levels}\nWhat and why:\n{what}\n\nWhat the libraries do (loader = the library refuses, server = Google refuses the first call, none = nothing fails):\n{mirrors}\nExample that triggers it:\n{bad}\nFixed:\n{good}\nFix:\n{fix}\n",
        code = r.code,
        name = r.name,
        sev = r.severity.as_str(),
        summary = r.summary,
        what = wrap(r.explanation, 88),
        bad = indent(r.bad),
        good = indent(r.good),
        fix = wrap(r.fix, 88),
    );
    crate::output::print(&s);
    Ok(0)
}

/// Wrap text at `width` columns (words are never split).
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}

pub fn completions(args: CompletionsArgs) -> Result<i32> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "adsconf", &mut out);
    crate::output::print_bytes(&out);
    Ok(0)
}

pub fn man() -> Result<i32> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Error::usage(format!("cannot render the man page: {e}")))?;
    crate::output::print_bytes(&out);
    Ok(0)
}
