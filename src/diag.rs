//! Diagnostics: what a rule found, where, and how to fix it. Renderers live in `report`.

use std::ops::Range;

use serde::Serialize;

use crate::edit::Edit;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Applied by `adsconf fix`.
    Safe,
    /// Applied only with `adsconf fix --unsafe-fixes`.
    Unsafe,
}

/// A suggested change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does, for humans ("remove the dashes").
    #[serde(skip)]
    pub description: String,
    pub edits: Vec<Edit>,
}

/// One finding in one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Kebab-case rule name (`customer-id-format`).
    pub rule: &'static str,
    /// Rule code (`ADS003`).
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// File shown to the user (`<environment>` for environment findings).
    pub path: String,
    /// Byte range in the file's text (empty range: a point; `0..0` for file-level findings).
    pub span: Range<usize>,
    /// A line telling how to fix it.
    pub help: Option<String>,
    pub fix: Option<Fix>,
}
