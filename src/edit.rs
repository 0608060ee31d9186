//! Span-based edits: a byte range and its replacement, applied together.

use std::ops::Range;

use crate::error::{Error, Result};

/// Replace `range` of the text by `replacement` (insertion: an empty range).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

impl Edit {
    pub fn replace(range: Range<usize>, replacement: impl Into<String>) -> Self {
        Edit {
            range,
            replacement: replacement.into(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit {
            range: at..at,
            replacement: text.into(),
        }
    }

    pub fn delete(range: Range<usize>) -> Self {
        Edit {
            range,
            replacement: String::new(),
        }
    }
}

/// Apply non-overlapping edits to `text`. Insertions at the same offset keep their order.
pub fn apply(text: &str, edits: &[Edit]) -> Result<String> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in sorted {
        if e.range.start < pos || e.range.end > text.len() || e.range.start > e.range.end {
            return Err(Error::usage(format!(
                "internal error: overlapping or out-of-range edit at byte {}",
                e.range.start
            )));
        }
        if !text.is_char_boundary(e.range.start) || !text.is_char_boundary(e.range.end) {
            return Err(Error::usage(format!(
                "internal error: edit at byte {} splits a character",
                e.range.start
            )));
        }
        out.push_str(&text[pos..e.range.start]);
        out.push_str(&e.replacement);
        pos = e.range.end;
    }
    out.push_str(&text[pos..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_in_order() {
        let t = "a=1\nb=2\n";
        let out = apply(
            t,
            &[
                Edit::replace(6..7, "3"),
                Edit::replace(2..3, "9"),
                Edit::insert(8, "c=4\n"),
            ],
        )
        .unwrap();
        assert_eq!(out, "a=9\nb=3\nc=4\n");
        assert!(apply(t, &[Edit::replace(0..3, "x"), Edit::replace(2..4, "y")]).is_err());
    }
}
