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

/// Read one secret value from stdin for `set KEY=-`: on a terminal, prompt on stderr and
/// read one line with echo off (restored afterwards, also on error); otherwise read all of
/// stdin (at most 1 MiB) without its final line break.
pub fn read_secret(prompt: &str) -> std::io::Result<String> {
    use std::io::{Read, Write};
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut buf = Vec::new();
        stdin.lock().take(1024 * 1024 + 1).read_to_end(&mut buf)?;
        if buf.len() > 1024 * 1024 {
            return Err(std::io::Error::other("more than 1 MiB on stdin"));
        }
        let mut s =
            String::from_utf8(buf).map_err(|_| std::io::Error::other("stdin is not UTF-8 text"))?;
        if s.ends_with('\n') {
            s.pop();
            if s.ends_with('\r') {
                s.pop();
            }
        }
        return Ok(s);
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{prompt}");
    let _ = err.flush();
    drop(err);
    let _echo = NoEcho::new();
    let mut line = String::new();
    let r = stdin.read_line(&mut line);
    drop(_echo);
    eprintln!();
    r?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// Terminal echo off on stdin while alive (Unix); restored on drop.
struct NoEcho {
    #[cfg(unix)]
    saved: Option<libc::termios>,
}

impl NoEcho {
    fn new() -> NoEcho {
        #[cfg(unix)]
        {
            // SAFETY: tcgetattr/tcsetattr on fd 0 with a zeroed termios they fill in.
            unsafe {
                let mut t: libc::termios = std::mem::zeroed();
                if libc::tcgetattr(0, &mut t) != 0 {
                    return NoEcho { saved: None };
                }
                let saved = t;
                t.c_lflag &= !(libc::ECHO | libc::ECHONL);
                t.c_lflag |= libc::ICANON;
                if libc::tcsetattr(0, libc::TCSANOW, &t) != 0 {
                    return NoEcho { saved: None };
                }
                NoEcho { saved: Some(saved) }
            }
        }
        #[cfg(not(unix))]
        NoEcho {}
    }
}

impl Drop for NoEcho {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(t) = &self.saved {
            // SAFETY: restoring the attributes read in `new`.
            unsafe {
                libc::tcsetattr(0, libc::TCSANOW, t);
            }
        }
    }
}
