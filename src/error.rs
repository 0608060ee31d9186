//! One error type for every command: a sentence for the user and an exit code.
//!
//! Exit codes (CONTRACT §5): 2 for errors of use (bad arguments, unreadable input),
//! 1 for findings and refusals, 0 for success.

use std::fmt;
use std::path::Path;

/// Process exit code of a failed command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Findings or a refusal (exit 1).
    Refused = 1,
    /// The command could not run: bad arguments or input (exit 2).
    Usage = 2,
}

/// An error with one clear sentence for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub exit: Exit,
    pub message: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error of use: exit 2.
    pub fn usage(message: impl Into<String>) -> Self {
        Error {
            exit: Exit::Usage,
            message: message.into(),
        }
    }

    /// A refusal or a failed check: exit 1.
    pub fn refused(message: impl Into<String>) -> Self {
        Error {
            exit: Exit::Refused,
            message: message.into(),
        }
    }

    /// An I/O error on `path`, phrased for the user (exit 2).
    pub fn io(path: &Path, action: &str, err: &std::io::Error) -> Self {
        let what = match err.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => err.to_string(),
        };
        Error::usage(format!("cannot {action} {}: {what}", path.display()))
    }

    pub fn code(&self) -> i32 {
        self.exit as i32
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
