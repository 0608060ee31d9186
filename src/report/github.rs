//! `--format github`: GitHub Actions workflow commands
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`).

use super::{region, FileReport, Report, Summary};
use crate::diag::Severity;

pub struct Github;

/// Escape the message part of a workflow command.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value.
fn prop(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Report for Github {
    fn file(&self, f: &FileReport) -> String {
        let mut out = String::new();
        for d in &f.diagnostics {
            let cmd = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let title = prop(&format!("{} {}", d.code, d.rule));
            let mut message = super::message(d);
            if let Some(h) = &super::help(d) {
                message.push_str("\nhelp: ");
                message.push_str(h);
            }
            if f.is_file {
                let (l1, c1, l2, c2) = region(&f.src, &d.span);
                out.push_str(&format!(
                    "::{cmd} file={},line={l1},col={c1},endLine={l2},endColumn={c2},title={title}::{}\n",
                    prop(&f.path),
                    data(&message)
                ));
            } else {
                out.push_str(&format!(
                    "::{cmd} title={title}::{}: {}\n",
                    data(&f.path),
                    data(&message)
                ));
            }
        }
        out
    }

    fn finish(&self, _: &Summary) -> String {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(prop("a:b,c"), "a%3Ab%2Cc");
    }
}
