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

/// Who refuses the configuration when a finding is an error (`schemas/mirrors.toml` says it
/// per rule and library; a finding may say it for itself where one rule covers both cases).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Judge {
    /// The library itself: its loader raises, or its own validation fails before the first
    /// request leaves the machine.
    Loader,
    /// Google: the library sends the value and the first call is refused.
    Server,
    /// Nobody: the library ignores a line or silently uses another value, or it is hygiene.
    None,
}

impl Judge {
    pub fn as_str(self) -> &'static str {
        match self {
            Judge::Loader => "loader",
            Judge::Server => "server",
            Judge::None => "none",
        }
    }
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
    /// Who refuses it, when this finding differs from what `schemas/mirrors.toml` says for
    /// its rule and library (a Ruby id `Integer()` accepts but Google refuses: `Server`).
    pub judge: Option<Judge>,
}
