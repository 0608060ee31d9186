//! `.env` as python-dotenv reads it (`dotenv_values`, python-dotenv 1.2.4: `dotenv/parser.py`
//! and `dotenv/main.py::resolve_variables`), which is how Meltano reads the `.env` beside
//! `meltano.yml` (`meltano/core/project.py::dotenv_env`). Not the shell: `googleads.env` is
//! [`super::env`].
//!
//! A binding is `[export ]KEY[ = VALUE][ # comment]`; KEY is `'quoted'` or a run of anything but
//! `=`, `#` and blanks; VALUE is `'single'` (escapes `\\` `\'`), `"double"` (escapes `\\ \' \"
//! \a \b \f \n \r \t \v`), both may span lines, or bare up to the line's end with a ` #…` comment
//! cut and trailing blanks trimmed. A line that does not parse is skipped from where it failed
//! to its end. Then every value (quoted or not) has its `${NAME}` / `${NAME:-default}`
//! replaced from the values above it, else the process environment, else the default.

/// What a `.env` gives a variable once read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// The value, taken from the file alone.
    Value(String),
    /// `NAME` with no `=` (python-dotenv's `None`; Meltano drops it).
    Unset,
    /// The value takes part of itself from the environment of the process that reads the
    /// file (`${NAME}` with NAME not set above): which variables.
    FromEnvironment(Vec<String>),
}

/// Python's `str.isspace` for one character (Unicode whitespace; `\s` in `re`).
fn space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}')
}

/// `[^\S\r\n]`: whitespace but not a line break.
fn blank(c: char) -> bool {
    space(c) && c != '\r' && c != '\n'
}

struct Reader<'a> {
    s: &'a [char],
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }
    fn skip_while(&mut self, f: impl Fn(char) -> bool) -> usize {
        let start = self.i;
        while self.peek().is_some_and(&f) {
            self.i += 1;
        }
        self.i - start
    }
    fn text(&self, from: usize, to: usize) -> String {
        self.s[from..to].iter().collect()
    }
    /// `'…'` or `"…"` with `\x` pairs kept for decoding; `None` when it does not close.
    fn quoted(&mut self, q: char) -> Option<String> {
        let start = self.i + 1;
        let mut j = start;
        loop {
            match self.s.get(j)? {
                '\\' => {
                    self.s.get(j + 1)?;
                    j += 2;
                }
                c if *c == q => break,
                _ => j += 1,
            }
        }
        self.i = j + 1;
        Some(self.text(start, j))
    }
    /// `_end_of_line`: blanks, then a line break or the end.
    fn end_of_line(&mut self) -> bool {
        self.skip_while(blank);
        match self.peek() {
            None => true,
            Some('\n') => {
                self.i += 1;
                true
            }
            Some('\r') => {
                self.i += 1;
                if self.peek() == Some('\n') {
                    self.i += 1;
                }
                true
            }
            _ => false,
        }
    }
    /// `_rest_of_line`: up to and through one line break.
    fn rest_of_line(&mut self) {
        self.skip_while(|c| c != '\r' && c != '\n');
        if self.peek().is_some() {
            self.i += 1;
        }
    }
}

/// `decode_escapes`: each `\x` whose x is in `set` becomes what Python's `unicode-escape`
/// makes of it; any other backslash stays.
fn decode(raw: &str, set: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut it = raw.chars().peekable();
    while let Some(c) = it.next() {
        match (c, it.peek().copied()) {
            ('\\', Some(n)) if set.contains(n) => {
                it.next();
                out.push(match n {
                    'a' => '\u{7}',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'v' => '\u{b}',
                    other => other,
                });
            }
            _ => out.push(c),
        }
    }
    out
}

/// One binding: `Ok(Some((key, value)))`, `Ok(None)` for a comment, `Err` where it failed.
fn binding(r: &mut Reader) -> Result<Option<(String, Option<String>)>, ()> {
    // `_export`: `export` and at least one blank.
    let export: Vec<char> = "export".chars().collect();
    if r.s[r.i..].starts_with(&export) && r.s.get(r.i + 6).is_some_and(|c| blank(*c)) {
        r.i += 6;
        r.skip_while(blank);
    }
    let key = match r.peek() {
        Some('#') => None,
        Some('\'') => {
            let start = r.i + 1;
            let len = r.s[start..].iter().take_while(|c| **c != '\'').count();
            if len == 0 || r.s.get(start + len) != Some(&'\'') {
                return Err(());
            }
            r.i = start + len + 1;
            Some(r.text(start, start + len))
        }
        _ => {
            let start = r.i;
            if r.skip_while(|c| c != '=' && c != '#' && !space(c)) == 0 {
                return Err(());
            }
            Some(r.text(start, r.i))
        }
    };
    r.skip_while(blank);
    let value = if r.peek() == Some('=') {
        r.i += 1;
        let spaced = r.skip_while(blank) > 0;
        match r.peek() {
            Some('#') if spaced => Some(String::new()),
            Some('\'') => Some(decode(&r.quoted('\'').ok_or(())?, "\\'")),
            Some('"') => Some(decode(&r.quoted('"').ok_or(())?, "\\'\"abfnrtv")),
            None | Some('\n' | '\r') => Some(String::new()),
            Some(_) => {
                let start = r.i;
                r.skip_while(|c| c != '\r' && c != '\n');
                let part = r.text(start, r.i);
                // re.sub(r"\s+#.*", "", part).rstrip()
                let chars: Vec<char> = part.chars().collect();
                let cut = (1..chars.len())
                    .find(|&k| chars[k] == '#' && space(chars[k - 1]))
                    .map(|k| {
                        let mut s = k;
                        while s > 0 && space(chars[s - 1]) {
                            s -= 1;
                        }
                        s
                    })
                    .unwrap_or(chars.len());
                let kept: String = chars[..cut].iter().collect();
                Some(kept.trim_end_matches(space).to_string())
            }
        }
    } else {
        None
    };
    // `_comment` (optional), then `_end_of_line`.
    let save = r.i;
    r.skip_while(blank);
    if r.peek() == Some('#') {
        r.skip_while(|c| c != '\r' && c != '\n');
    } else {
        r.i = save;
    }
    if !r.end_of_line() {
        return Err(());
    }
    Ok(key.map(|k| (k, value)))
}

/// The bindings of a `.env`, in order (a later one of the same name wins when read).
pub fn bindings(text: &str) -> Vec<(String, Option<String>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut r = Reader { s: &chars, i: 0 };
    let mut out = Vec::new();
    while r.i < chars.len() {
        r.skip_while(space);
        if r.i >= chars.len() {
            break;
        }
        match binding(&mut r) {
            Ok(Some(b)) => out.push(b),
            Ok(None) => {}
            Err(()) => r.rest_of_line(),
        }
    }
    out
}

/// `${NAME}` / `${NAME:-default}` references of a value: (byte range, name). A default only
/// applies when NAME is set nowhere, so it does not change which names a value depends on.
fn references(value: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = value[from..].find("${") {
        let start = from + p;
        let inner = &value[start + 2..];
        let Some(close) = inner.find('}') else {
            break;
        };
        let body = &inner[..close];
        let name = match body.find(':') {
            None => body,
            Some(c) if body[c..].starts_with(":-") => &body[..c],
            // `${A:x}`: not a reference; the search goes on after `${`.
            Some(_) => {
                from = start + 2;
                continue;
            }
        };
        out.push((start..start + 2 + close + 1, name.to_string()));
        from = start + 2 + close + 1;
    }
    out
}

/// What `dotenv_values` gives each name, as Meltano sees it: last binding wins, references
/// resolved from the values above; a reference to a name not set above depends on the
/// environment of whoever reads the file ([`Read::FromEnvironment`]).
pub fn values(text: &str) -> Vec<(String, Read)> {
    let mut out: Vec<(String, Read)> = Vec::new();
    for (name, value) in bindings(text) {
        let read = match value {
            None => Read::Unset,
            Some(v) => {
                let mut result = String::new();
                let mut outside = Vec::new();
                let mut pos = 0;
                for (range, var) in references(&v) {
                    result.push_str(&v[pos..range.start]);
                    match out.iter().find(|(n, _)| *n == var).map(|(_, r)| r) {
                        Some(Read::Value(s)) => result.push_str(s),
                        Some(Read::Unset) => {}
                        Some(Read::FromEnvironment(from)) => outside.extend(from.clone()),
                        None => outside.push(var.clone()),
                    }
                    pos = range.end;
                }
                result.push_str(&v[pos..]);
                if outside.is_empty() {
                    Read::Value(result)
                } else {
                    Read::FromEnvironment(outside)
                }
            }
        };
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = read,
            None => out.push((name, read)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(text: &str, name: &str) -> Option<Read> {
        values(text)
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r)
    }

    fn v(s: &str) -> Option<Read> {
        Some(Read::Value(s.to_string()))
    }

    /// The cases checked by hand against python-dotenv 1.2.4 (tests/diff_tools.rs runs the
    /// real one on many more).
    #[test]
    fn reads_as_python_dotenv() {
        let t = "A=plain # c\nB=\"dq \\\" \\n x ${A}\"\nC='sq \\' \\\\ ${A} \\n'\nexport D = spaced  \nE\nF=\nG=\"multi\nline\"\n#H=x\n  I=ind\nJ=a#b\nK=a #b\nL='x' junk\nM=ok\n";
        assert_eq!(get(t, "A"), v("plain"));
        assert_eq!(get(t, "B"), v("dq \" \n x plain"));
        assert_eq!(get(t, "C"), v("sq ' \\ plain \\n"));
        assert_eq!(get(t, "D"), v("spaced"));
        assert_eq!(get(t, "E"), Some(Read::Unset));
        assert_eq!(get(t, "F"), v(""));
        assert_eq!(get(t, "G"), v("multi\nline"));
        assert_eq!(get(t, "H"), None);
        assert_eq!(get(t, "I"), v("ind"));
        assert_eq!(get(t, "J"), v("a#b"));
        assert_eq!(get(t, "K"), v("a"));
        assert_eq!(get(t, "L"), None);
        assert_eq!(get(t, "M"), v("ok"));
        assert_eq!(
            get("X=${HOME_NOT_IN_FILE}/x\n", "X"),
            Some(Read::FromEnvironment(vec!["HOME_NOT_IN_FILE".into()]))
        );
        assert_eq!(get("A=1\nA=2\n", "A"), v("2"));
        assert_eq!(get("K= #c\n", "K"), v(""));
        assert_eq!(get("K=#c\n", "K"), v("#c"));
        assert_eq!(get("A='it\\'s'\nB='b'\n", "A"), v("it's"));
        assert_eq!(get("A='a\\\\'\nB='b'\n", "A"), v("a\\"));
    }
}
