//! Writing to stdout/stderr: a closed pipe ends the program quietly instead of panicking;
//! colour only on a terminal and never with `NO_COLOR`.

use std::io::{IsTerminal, Write};

/// Print to stdout; exit quietly when the reader has gone (`adsconf … | head`).
pub fn print(text: &str) {
    print_bytes(text.as_bytes());
}

pub fn print_bytes(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(bytes).and_then(|_| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// Standard output as a writer for long output written as it is made (`check`): a closed
/// pipe ends the program quietly, as [`print`] does.
pub struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        quiet_on_broken_pipe(std::io::stdout().lock().write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        quiet_on_broken_pipe(std::io::stdout().lock().flush())
    }
}

fn quiet_on_broken_pipe<T>(r: std::io::Result<T>) -> std::io::Result<T> {
    if let Err(e) = &r {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
    r
}

/// Print a line to stderr (ignoring errors: there is nowhere else to report them).
pub fn eprint_line(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}");
}

/// Should output to this stream be coloured? (`NO_COLOR` set → never; not a terminal → never;
/// `CLICOLOR_FORCE` → always.)
pub fn color_for(stream_is_terminal: bool) -> bool {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return false;
    }
    if std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
        return true;
    }
    stream_is_terminal
}

pub fn stdout_color() -> bool {
    color_for(std::io::stdout().is_terminal())
}

pub fn stderr_color() -> bool {
    color_for(std::io::stderr().is_terminal())
}

/// Is stdin a terminal (may we ask a question)?
pub fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

/// "1 line", "22 lines": a count with its noun written out (never "line(s)").
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
