//! A POSIX shell word reader shared by the `env` and `curl` targets.
//!
//! It reads what `sh` (dash) and `bash` agree on: words made of unquoted text (backslash
//! escapes one character, `\`+newline joins lines), single quotes (literal up to the next
//! `'`), double quotes (`\"`, `\\`, `\$`, `` \` `` and `\`+newline are escapes, any other
//! backslash stays), `#` comments at the start of a word, and the operators that end a word.
//! Expansions are never evaluated: `$NAME`/`${NAME}` become [`Part::Var`], everything else
//! (`$(…)`, backticks, `${X:-y}`, `$1`, `~`, bash-only `$'…'`) becomes [`Part::Dynamic`], so a
//! caller can say "not static" instead of guessing.

use std::ops::Range;

/// A piece of a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Lit(String),
    /// `$NAME` or `${NAME}`.
    Var(String),
    /// Any other expansion, as written.
    Dynamic(String),
}

/// One shell word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub span: Range<usize>,
    /// For `NAME=value` words: the name and its span; `parts` then hold the value only.
    pub assign: Option<(String, Range<usize>)>,
    /// Byte offset where the value starts (after `=`), or the word start.
    pub value_start: usize,
    pub parts: Vec<Part>,
}

impl Word {
    /// The word's text when it holds no expansion.
    pub fn static_text(&self) -> Option<String> {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(l) => s.push_str(l),
                _ => return None,
            }
        }
        Some(s)
    }

    /// The first expansion, as written.
    pub fn first_expansion(&self) -> Option<String> {
        self.parts.iter().find_map(|p| match p {
            Part::Lit(_) => None,
            Part::Var(v) => Some(format!("${v}")),
            Part::Dynamic(d) => Some(d.clone()),
        })
    }

    /// Expand with known variables; `None` when an expansion is unknown or dynamic.
    pub fn expand(&self, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(l) => s.push_str(l),
                Part::Var(v) => s.push_str(&lookup(v)?),
                Part::Dynamic(_) => return None,
            }
        }
        Some(s)
    }
}

/// A simple command (or list element) and what surrounds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stmt {
    pub words: Vec<Word>,
    /// From the first word to the end of the terminator (`;` or newline included).
    pub span: Range<usize>,
    /// Joined to a neighbour by `|`, `&&`, `||`, `&`, or has redirections / parentheses.
    pub compound: bool,
    /// The operators seen (for messages).
    pub ops: Vec<String>,
}

/// The unterminated construct that makes the shell reject the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub at: usize,
    pub message: String,
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

/// Is `s` a valid shell variable name?
pub fn is_name(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(is_name_start) && cs.all(is_name_char)
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Skip a balanced `(`…`)` (the opening one already consumed), honouring quotes.
    fn skip_parens(&mut self, open: char, close: char) -> Result<(), SyntaxError> {
        let start = self.pos;
        let mut depth = 1;
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    self.bump();
                }
                '\'' => self.skip_single()?,
                '"' => self.skip_double()?,
                '`' => self.skip_backtick()?,
                c if c == open => depth += 1,
                c if c == close => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err(SyntaxError {
            at: start.saturating_sub(1),
            message: format!("`{open}` is never closed (the shell stops with a syntax error)"),
        })
    }

    fn skip_single(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos - 1;
        match self.text[self.pos..].find('\'') {
            Some(i) => {
                self.pos += i + 1;
                Ok(())
            }
            None => Err(unterminated(start, '\'')),
        }
    }

    fn skip_double(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos - 1;
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    self.bump();
                }
                '"' => return Ok(()),
                '`' => self.skip_backtick()?,
                '$' if self.peek() == Some('(') => {
                    self.bump();
                    self.skip_parens('(', ')')?;
                }
                _ => {}
            }
        }
        Err(unterminated(start, '"'))
    }

    fn skip_backtick(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos - 1;
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    self.bump();
                }
                '`' => return Ok(()),
                _ => {}
            }
        }
        Err(unterminated(start, '`'))
    }

    /// After a `$`: the expansion as a part, or `None` when the `$` is literal.
    fn expansion(&mut self, dollar: usize) -> Result<Option<Part>, SyntaxError> {
        match self.peek() {
            Some('(') => {
                self.bump();
                self.skip_parens('(', ')')?;
                Ok(Some(Part::Dynamic(self.text[dollar..self.pos].to_string())))
            }
            Some('{') => {
                self.bump();
                let inner_start = self.pos;
                self.skip_parens('{', '}')?;
                let inner = &self.text[inner_start..self.pos - 1];
                if is_name(inner) {
                    Ok(Some(Part::Var(inner.to_string())))
                } else {
                    Ok(Some(Part::Dynamic(self.text[dollar..self.pos].to_string())))
                }
            }
            Some(c) if is_name_start(c) => {
                let start = self.pos;
                while self.peek().is_some_and(is_name_char) {
                    self.bump();
                }
                Ok(Some(Part::Var(self.text[start..self.pos].to_string())))
            }
            Some(c) if c.is_ascii_digit() || "@*#?-$!".contains(c) => {
                self.bump();
                Ok(Some(Part::Dynamic(self.text[dollar..self.pos].to_string())))
            }
            _ => Ok(None),
        }
    }
}

fn unterminated(at: usize, q: char) -> SyntaxError {
    SyntaxError {
        at,
        message: format!(
            "this {} is never closed (sh: \"Syntax error: Unterminated quoted string\")",
            match q {
                '\'' => "single quote",
                '"' => "double quote",
                _ => "backtick",
            }
        ),
    }
}

fn push_lit(parts: &mut Vec<Part>, s: &str) {
    if let Some(Part::Lit(l)) = parts.last_mut() {
        l.push_str(s);
    } else {
        parts.push(Part::Lit(s.to_string()));
    }
}

/// Read one word starting at the reader's position (a word character is next).
fn word(r: &mut Reader) -> Result<Word, SyntaxError> {
    let start = r.pos;
    let mut parts: Vec<Part> = Vec::new();
    let mut assign = None;
    let mut value_start = start;
    // Still a candidate `NAME=`: only unquoted name characters so far.
    let mut plain = true;
    // The previous character was an unquoted `=` (of an assignment) or `:`: `~` expands.
    let mut tilde_ok = true;
    while let Some(c) = r.peek() {
        if matches!(
            c,
            ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')'
        ) {
            break;
        }
        let at = r.pos;
        r.bump();
        let was_tilde_ok = tilde_ok;
        tilde_ok = false;
        match c {
            '\\' => match r.bump() {
                Some('\n') => {}
                Some(n) => {
                    plain = false;
                    let mut b = [0u8; 4];
                    push_lit(&mut parts, n.encode_utf8(&mut b));
                }
                None => push_lit(&mut parts, "\\"),
            },
            '\'' => {
                plain = false;
                let s = r.pos;
                r.skip_single()?;
                let lit = r.text[s..r.pos - 1].to_string();
                push_lit(&mut parts, &lit);
                // An empty '' still makes a (possibly empty) literal part.
                if parts.is_empty() {
                    parts.push(Part::Lit(String::new()));
                }
            }
            '"' => {
                plain = false;
                double(r, &mut parts, at)?;
            }
            '$' => {
                plain = false;
                match r.peek() {
                    // bash: ANSI-C quoting / locale strings; dash: a literal `$`.
                    Some('\'') | Some('"') => {
                        if r.bump() == Some('\'') {
                            r.skip_single()?;
                        } else {
                            r.skip_double()?;
                        }
                        parts.push(Part::Dynamic(r.text[at..r.pos].to_string()));
                    }
                    _ => match r.expansion(at)? {
                        Some(p) => parts.push(p),
                        None => push_lit(&mut parts, "$"),
                    },
                }
            }
            '`' => {
                plain = false;
                r.skip_backtick()?;
                parts.push(Part::Dynamic(r.text[at..r.pos].to_string()));
            }
            '~' if was_tilde_ok && (at == start || assign.is_some()) => {
                plain = false;
                // Tilde expansion: `~` or `~user` up to `/` or `:`.
                while r
                    .peek()
                    .is_some_and(|c| is_name_char(c) || c == '-' || c == '.')
                {
                    r.bump();
                }
                parts.push(Part::Dynamic(r.text[at..r.pos].to_string()));
            }
            '=' if plain && assign.is_none() => {
                let name = r.text[start..at].to_string();
                if is_name(&name) {
                    assign = Some((name, start..at));
                    parts.clear();
                    value_start = r.pos;
                    tilde_ok = true;
                } else {
                    plain = false;
                    push_lit(&mut parts, "=");
                }
            }
            ':' if assign.is_some() => {
                tilde_ok = true;
                push_lit(&mut parts, ":");
            }
            c => {
                if !is_name_char(c) {
                    plain = false;
                }
                let mut b = [0u8; 4];
                push_lit(&mut parts, c.encode_utf8(&mut b));
            }
        }
    }
    if assign.is_some() && parts.is_empty() {
        parts.push(Part::Lit(String::new()));
    }
    Ok(Word {
        span: start..r.pos,
        assign,
        value_start,
        parts,
    })
}

fn double(r: &mut Reader, parts: &mut Vec<Part>, open: usize) -> Result<(), SyntaxError> {
    if parts.is_empty() {
        parts.push(Part::Lit(String::new()));
    }
    loop {
        let at = r.pos;
        match r.bump() {
            None => return Err(unterminated(open, '"')),
            Some('"') => return Ok(()),
            Some('\\') => match r.peek() {
                Some('\n') => {
                    r.bump();
                }
                Some(c @ ('"' | '\\' | '$' | '`')) => {
                    r.bump();
                    let mut b = [0u8; 4];
                    push_lit(parts, c.encode_utf8(&mut b));
                }
                _ => push_lit(parts, "\\"),
            },
            Some('$') => match r.expansion(at)? {
                Some(p) => parts.push(p),
                None => push_lit(parts, "$"),
            },
            Some('`') => {
                r.skip_backtick()?;
                parts.push(Part::Dynamic(r.text[at..r.pos].to_string()));
            }
            Some(c) => {
                let mut b = [0u8; 4];
                push_lit(parts, c.encode_utf8(&mut b));
            }
        }
    }
}

/// Split a script into simple commands. Stops at the first syntax error (the shell would
/// refuse the whole file), returning what was read before it.
pub fn statements(text: &str) -> (Vec<Stmt>, Option<SyntaxError>) {
    let mut r = Reader { text, pos: 0 };
    let mut out = Vec::new();
    let mut cur = Stmt {
        words: Vec::new(),
        span: 0..0,
        compound: false,
        ops: Vec::new(),
    };
    // The previous statement ended with `|`, `&&`, `||` or `&`: the next one is part of it.
    let mut joined = false;
    fn finish(cur: &mut Stmt, end: usize, out: &mut Vec<Stmt>) -> bool {
        let had = !cur.words.is_empty() || !cur.ops.is_empty();
        if had {
            cur.span.end = end;
            out.push(cur.clone());
        }
        *cur = Stmt {
            words: Vec::new(),
            span: end..end,
            compound: false,
            ops: Vec::new(),
        };
        had
    }
    while let Some(c) = r.peek() {
        match c {
            ' ' | '\t' => {
                r.bump();
            }
            '\n' | ';' => {
                r.bump();
                if c == ';' && r.peek() == Some(';') {
                    r.bump();
                    cur.ops.push(";;".into());
                    cur.compound = true;
                }
                if finish(&mut cur, r.pos, &mut out) {
                    joined = false;
                }
            }
            '&' | '|' => {
                r.bump();
                let mut op = c.to_string();
                if r.peek() == Some(c) {
                    r.bump();
                    op.push(c);
                }
                cur.ops.push(op);
                cur.compound = true;
                finish(&mut cur, r.pos, &mut out);
                joined = true;
            }
            '<' | '>' | '(' | ')' => {
                r.bump();
                if cur.words.is_empty() && cur.ops.is_empty() {
                    cur.span.start = r.pos - 1;
                }
                cur.ops.push(c.to_string());
                cur.compound = true;
            }
            '#' => {
                // A comment runs to the end of the line (the newline stays).
                while r.peek().is_some_and(|c| c != '\n') {
                    r.bump();
                }
            }
            _ => match word(&mut r) {
                Ok(w) => {
                    if cur.words.is_empty() && cur.ops.is_empty() {
                        cur.span.start = w.span.start;
                        cur.compound = joined;
                    }
                    cur.words.push(w);
                }
                Err(e) => return (out, Some(e)),
            },
        }
    }
    finish(&mut cur, r.pos, &mut out);
    (out, None)
}

/// Quote `s` for the shell: single quotes, `'` written as `'\''`. Both `sh` and `bash`
/// read the result back as exactly `s` (no character is special inside single quotes).
pub fn single_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(t: &str) -> Vec<Vec<Part>> {
        let (st, err) = statements(t);
        assert!(err.is_none(), "{err:?}");
        st.into_iter()
            .flat_map(|s| s.words.into_iter().map(|w| w.parts))
            .collect()
    }

    fn lit(s: &str) -> Vec<Part> {
        vec![Part::Lit(s.into())]
    }

    #[test]
    fn quoting_rules() {
        assert_eq!(words(r#"'a b'"c\"d\x"e\ f"#), vec![lit(r#"a bc"d\xe f"#)]);
        assert_eq!(words("a\\\nb"), vec![lit("ab")]);
        assert_eq!(words("\"a\\\nb\""), vec![lit("ab")]);
        assert_eq!(words("''"), vec![lit("")]);
        assert_eq!(words("a$ b$"), vec![lit("a$"), lit("b$")]);
        assert_eq!(
            words("$HOME${X}${Y:-z}$(id)`id`$1"),
            vec![vec![
                Part::Var("HOME".into()),
                Part::Var("X".into()),
                Part::Dynamic("${Y:-z}".into()),
                Part::Dynamic("$(id)".into()),
                Part::Dynamic("`id`".into()),
                Part::Dynamic("$1".into()),
            ]]
        );
        assert_eq!(words("a # c\n#x"), vec![lit("a")]);
        assert_eq!(words("a#b"), vec![lit("a#b")]);
    }

    #[test]
    fn assignments() {
        let (st, _) = statements("export A='x'=y B= C=~/k D=a:~/b E=x~\n");
        let w = &st[0].words;
        assert_eq!(w[1].assign.as_ref().unwrap().0, "A");
        assert_eq!(w[1].static_text().unwrap(), "x=y");
        assert_eq!(w[2].static_text().unwrap(), "");
        assert!(w[3].static_text().is_none());
        assert!(w[4].static_text().is_none());
        assert_eq!(w[5].static_text().unwrap(), "x~");
        let (st, _) = statements("'A'=1 a-b=2\n");
        assert!(st[0].words[0].assign.is_none());
        assert!(st[0].words[1].assign.is_none());
    }

    #[test]
    fn statements_and_errors() {
        let (st, e) = statements("A=1; B=2 && echo x | y\nC=3\n");
        assert!(e.is_none());
        assert_eq!(st.len(), 5);
        assert!(!st[0].compound && st[1].compound && st[2].compound && st[3].compound);
        assert!(!st[4].compound);
        let (_, e) = statements("A='x\n");
        assert_eq!(e.unwrap().at, 2);
        let (_, e) = statements("A=\"x\n");
        assert!(e.is_some());
    }

    #[test]
    fn quotes() {
        assert_eq!(single_quote("it's"), r"'it'\''s'");
        assert_eq!(single_quote(""), "''");
    }
}
