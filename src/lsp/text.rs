//! Document text and LSP positions.
//!
//! adsconf spans are byte ranges into the text. LSP positions are (line, character) where lines
//! end at `\n`, `\r\n` or a lone `\r`, and `character` counts UTF-16 code units unless the
//! client and server agreed on UTF-8 (bytes) or UTF-32 (chars) at `initialize`. Positions past
//! the end of a line mean the end of that line; a UTF-16 position between the two halves of a
//! surrogate pair means the start of that character.

use std::ops::Range;

use lsp_types::{Position, PositionEncodingKind};

/// How `Position::character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The encoding to use given what the client offers (`general.positionEncodings`): UTF-8
    /// when offered (adsconf spans are bytes), else UTF-32, else the LSP default UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or(&[]);
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    /// Width of one char in this encoding's units.
    fn width(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// Byte offsets of the starts of the lines of a text, by the LSP's rule for line ends.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if b.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts }
    }

    /// The byte range of line `line` without its terminator (`None` past the last line).
    fn line(&self, text: &str, line: usize) -> Option<Range<usize>> {
        let start = *self.starts.get(line)?;
        let mut end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let b = text.as_bytes();
        if end > start && b[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && b[end - 1] == b'\r' {
            end -= 1;
        }
        Some(start..end)
    }

    /// The position of a byte offset (clamped to the text, moved back to a char boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        // An offset inside a `\r\n` terminator (between the two bytes) counts as the line end.
        let range = self.line(text, line).unwrap_or(start..start);
        let upto = offset.min(range.end);
        let character = text[start..upto].chars().map(|c| enc.width(c)).sum();
        Position {
            line: line as u32,
            character,
        }
    }

    /// The byte offset of a position. A line past the end gives the end of the text; a
    /// character past the end of its line gives the end of the line; a position inside a
    /// character (UTF-8 or UTF-16) gives that character's start.
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> usize {
        let Some(range) = self.line(text, pos.line as usize) else {
            return text.len();
        };
        let mut units = 0u32;
        for (i, c) in text[range.clone()].char_indices() {
            let w = enc.width(c);
            if units + w > pos.character {
                return range.start + i;
            }
            units += w;
        }
        range.end
    }

    /// The LSP range of a byte span. An end between the `\r` and the `\n` of a CRLF (which no
    /// LSP position can name) moves past the `\n`; a start there moves back before the `\r`.
    pub fn range(&self, text: &str, span: &Range<usize>, enc: Encoding) -> lsp_types::Range {
        let span = widen(text, span);
        lsp_types::Range {
            start: self.position(text, span.start, enc),
            end: self.position(text, span.end.max(span.start), enc),
        }
    }

    pub fn span(&self, text: &str, range: lsp_types::Range, enc: Encoding) -> Range<usize> {
        let a = self.offset(text, range.start, enc);
        let b = self.offset(text, range.end, enc);
        a.min(b)..a.max(b)
    }
}

/// Is `offset` between the `\r` and the `\n` of a CRLF?
fn inside_crlf(text: &str, offset: usize) -> bool {
    let b = text.as_bytes();
    offset > 0 && b.get(offset) == Some(&b'\n') && b[offset - 1] == b'\r'
}

/// `span` widened so that neither end splits a CRLF.
pub fn widen(text: &str, span: &Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    let mut end = span.end.max(start).min(text.len());
    if inside_crlf(text, start) {
        start -= 1;
    }
    if inside_crlf(text, end) {
        end += 1;
    }
    start..end
}

/// An edit widened like [`widen`], its replacement keeping the CRLF bytes it now covers, so
/// that applying it changes exactly what the original edit changes.
pub fn widen_edit(text: &str, span: &Range<usize>, replacement: &str) -> (Range<usize>, String) {
    let w = widen(text, span);
    let mut out = String::with_capacity(replacement.len() + 2);
    out.push_str(&text[w.start..span.start.max(w.start).min(text.len())]);
    out.push_str(replacement);
    out.push_str(&text[span.end.clamp(w.start, w.end)..w.end]);
    (w, out)
}

/// An open document: its text, version and line index.
#[derive(Debug, Clone)]
pub struct Text {
    pub text: String,
    pub index: LineIndex,
}

impl Text {
    pub fn new(text: String) -> Text {
        let index = LineIndex::new(&text);
        Text { text, index }
    }

    /// Apply one `didChange` content change: a range replaced, or (no range) the whole text.
    pub fn apply(&mut self, range: Option<lsp_types::Range>, new: &str, enc: Encoding) {
        match range {
            None => self.text = new.to_string(),
            Some(r) => {
                let span = self.index.span(&self.text, r, enc);
                self.text.replace_range(span, new);
            }
        }
        self.index = LineIndex::new(&self.text);
    }

    pub fn range(&self, span: &Range<usize>, enc: Encoding) -> lsp_types::Range {
        self.index.range(&self.text, span, enc)
    }

    pub fn offset(&self, pos: Position, enc: Encoding) -> usize {
        self.index.offset(&self.text, pos, enc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn positions_in_each_encoding() {
        // é: 2 bytes, 1 UTF-16 unit; 😀: 4 bytes, 2 UTF-16 units, 1 char.
        let t = "aé😀b\nx";
        let ix = LineIndex::new(t);
        let b = t.find('b').unwrap();
        assert_eq!(ix.position(t, b, Encoding::Utf8), p(0, 7));
        assert_eq!(ix.position(t, b, Encoding::Utf16), p(0, 4));
        assert_eq!(ix.position(t, b, Encoding::Utf32), p(0, 3));
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for off in (0..=t.len()).filter(|&o| t.is_char_boundary(o)) {
                let pos = ix.position(t, off, enc);
                // `\n` itself is the end of line 0.
                assert_eq!(ix.offset(t, pos, enc), off, "{enc:?} {off}");
            }
        }
        // Inside the surrogate pair: the start of 😀.
        let smile = t.find('😀').unwrap();
        assert_eq!(ix.offset(t, p(0, 3), Encoding::Utf16), smile);
        // Inside a UTF-8 sequence: the start of é.
        assert_eq!(ix.offset(t, p(0, 2), Encoding::Utf8), 1);
        // Past the end of the line: the line end; past the last line: the text end.
        assert_eq!(
            ix.offset(t, p(0, 99), Encoding::Utf16),
            t.find('\n').unwrap()
        );
        assert_eq!(ix.offset(t, p(9, 0), Encoding::Utf16), t.len());
    }

    #[test]
    fn line_ends_lf_crlf_and_lone_cr() {
        let t = "a\r\nb\rc\nd";
        let ix = LineIndex::new(t);
        assert_eq!(
            ix.position(t, t.find('b').unwrap(), Encoding::Utf16),
            p(1, 0)
        );
        assert_eq!(
            ix.position(t, t.find('c').unwrap(), Encoding::Utf16),
            p(2, 0)
        );
        assert_eq!(
            ix.position(t, t.find('d').unwrap(), Encoding::Utf16),
            p(3, 0)
        );
        // The `\r` of `\r\n` is the end of line 0, and so is the `\n` after it.
        assert_eq!(ix.position(t, 1, Encoding::Utf16), p(0, 1));
        assert_eq!(ix.position(t, 2, Encoding::Utf16), p(0, 1));
        assert_eq!(ix.offset(t, p(0, 5), Encoding::Utf16), 1);
    }

    #[test]
    fn crlf_is_never_split() {
        let t = "a=1\r\nb=2\r\n";
        // Deleting the first `\r` (the CRLF fix) becomes "replace \r\n by \n".
        let (w, r) = widen_edit(t, &(3..4), "");
        assert_eq!((w.clone(), r.as_str()), (3..5, "\n"));
        let ix = LineIndex::new(t);
        let range = ix.range(t, &(3..4), Encoding::Utf16);
        assert_eq!((range.start, range.end), (p(0, 3), p(1, 0)));
        let mut fixed = t.to_string();
        fixed.replace_range(w, &r);
        assert_eq!(fixed, "a=1\nb=2\r\n");
        // An insertion between the `\r` and the `\n` covers the whole CRLF and keeps it.
        let (w, r) = widen_edit(t, &(4..4), "x");
        assert_eq!((w, r.as_str()), (3..5, "\rx\n"));
    }

    #[test]
    fn incremental_changes() {
        let mut d = Text::new("k=é😀\nz=1\n".into());
        // Replace 😀 (UTF-16 columns 3..5) by "x".
        d.apply(
            Some(lsp_types::Range {
                start: p(0, 3),
                end: p(0, 5),
            }),
            "x",
            Encoding::Utf16,
        );
        assert_eq!(d.text, "k=éx\nz=1\n");
        // Insert a line at the top, then delete across lines.
        d.apply(
            Some(lsp_types::Range {
                start: p(0, 0),
                end: p(0, 0),
            }),
            "# 😀\n",
            Encoding::Utf8,
        );
        assert_eq!(d.text, "# 😀\nk=éx\nz=1\n");
        d.apply(
            Some(lsp_types::Range {
                start: p(1, 3),
                end: p(2, 1),
            }),
            "",
            Encoding::Utf32,
        );
        assert_eq!(d.text, "# 😀\nk=é=1\n");
        d.apply(None, "all new", Encoding::Utf16);
        assert_eq!(d.text, "all new");
        assert_eq!(d.index.starts, vec![0]);
    }
}
