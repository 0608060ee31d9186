//! `adsconf access` (in progress).

use crate::cli::AccessArgs;
use crate::error::{Error, Result};

pub fn run(_args: AccessArgs) -> Result<i32> {
    Err(Error::usage("`adsconf access` is not available yet"))
}
