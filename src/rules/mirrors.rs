//! Which library behaviour each rule mirrors, library by library (`schemas/mirrors.toml`):
//! who decides a finding's error (the library's loader, Google's servers, or nobody), and the
//! source file and function where the library does it. `adsconf explain` prints them; the
//! differential test against the real loaders compares only the loader-judged errors.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::lang::Lang;

pub use crate::diag::Judge;

/// One library behaviour a rule mirrors.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mirror {
    pub rule: String,
    /// Catalogue names (`php`, `dotnet`, …); `*` = every library without its own entry.
    pub libs: Vec<String>,
    pub judge: Judge,
    pub behaviour: String,
    /// Path in the library's repository.
    pub source: Option<String>,
    pub function: Option<String>,
    pub line: Option<u32>,
    /// Release or commit the citation was read at.
    pub at: Option<String>,
}

#[derive(Deserialize)]
struct MirrorFile {
    mirror: Vec<Mirror>,
}

/// Every mirror entry, in file order. The file is part of the binary; a malformed one is a
/// build defect caught by the tests, so it reads as empty rather than panicking.
pub fn all() -> &'static [Mirror] {
    static CELL: OnceLock<Vec<Mirror>> = OnceLock::new();
    CELL.get_or_init(|| {
        toml::from_str::<MirrorFile>(include_str!("../../schemas/mirrors.toml"))
            .map(|f| f.mirror)
            .unwrap_or_default()
    })
}

/// The entries of one rule.
pub fn of(rule: &str) -> impl Iterator<Item = &'static Mirror> + '_ {
    all().iter().filter(move |m| m.rule == rule)
}

/// The entry that applies to `rule` for `lang`'s library (its own entry, else `*`).
/// A format's own entry (`csharp`) comes before its library's (`dotnet`).
pub fn for_lang(rule: &str, lang: Lang) -> Option<&'static Mirror> {
    let (name, lib) = (lang.info().name, lang.info().catalog);
    of(rule)
        .find(|m| m.libs.iter().any(|l| l == name))
        .or_else(|| of(rule).find(|m| m.libs.iter().any(|l| l == lib)))
        .or_else(|| of(rule).find(|m| m.libs.iter().any(|l| l == "*")))
}

/// Who decides `rule`'s error for `lang` (a rule without an entry counts as the loader's, so
/// the differential test holds it to the loader's verdict).
pub fn judge(rule: &str, lang: Lang) -> Judge {
    for_lang(rule, lang).map_or(Judge::Loader, |m| m.judge)
}

/// Who refuses the configuration because of this finding: nobody for a warning or an info
/// (the severity policy: the library loads); for an error, the finding's own judge when it
/// has one, else its rule's for the library. An error judged by nobody breaks the policy
/// (tested over every fixture and the loader corpus).
pub fn judge_of(d: &crate::diag::Diagnostic, lang: Lang) -> Judge {
    if d.severity != crate::diag::Severity::Error {
        return Judge::None;
    }
    d.judge.unwrap_or_else(|| judge(d.rule, lang))
}

/// One line per entry, for `adsconf explain`.
pub fn describe(m: &Mirror) -> String {
    let libs = m
        .libs
        .iter()
        .map(|l| {
            if l == "*" {
                "other libraries"
            } else {
                l.as_str()
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut s = format!("{libs} [{}]: {}", m.judge.as_str(), m.behaviour);
    if let Some(src) = &m.source {
        s.push_str(&format!(" — {src}"));
        if let Some(l) = m.line {
            s.push_str(&format!(":{l}"));
        }
        if let Some(f) = &m.function {
            s.push_str(&format!(", {f}"));
        }
        if let Some(at) = &m.at {
            s.push_str(&format!(" (at {at})"));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RULES;

    #[test]
    fn every_rule_says_what_it_mirrors_and_every_entry_names_a_rule() {
        let all = all();
        assert!(all.len() > 40, "schemas/mirrors.toml did not parse");
        for m in all {
            assert!(
                crate::rules::rule(&m.rule).is_some(),
                "mirrors.toml names unknown rule {}",
                m.rule
            );
            assert!(!m.libs.is_empty() && !m.behaviour.is_empty(), "{}", m.rule);
            for l in &m.libs {
                assert!(
                    l == "*"
                        || crate::lang::LANGS
                            .iter()
                            .any(|i| i.catalog == l || i.name == l),
                    "{}: unknown library {l}",
                    m.rule
                );
            }
        }
        for r in RULES {
            assert!(of(r.name).next().is_some(), "{} mirrors nothing", r.name);
        }
    }

    #[test]
    fn judges_follow_the_library() {
        assert_eq!(judge("customer-id-format", Lang::Python), Judge::Loader);
        assert_eq!(judge("customer-id-format", Lang::Php), Judge::Server);
        assert_eq!(judge("customer-id-format", Lang::Perl), Judge::Server);
        assert_eq!(judge("unknown-key", Lang::Ruby), Judge::Loader);
        assert_eq!(judge("unknown-key", Lang::Python), Judge::None);
        assert_eq!(judge("placeholder-value", Lang::Java), Judge::Server);
        let m = for_lang("customer-id-format", Lang::Java).unwrap();
        assert!(describe(m).contains("GoogleAdsClient.java"));
    }
}
