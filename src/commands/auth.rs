//! `adsconf auth` (in progress).

use crate::cli::AuthArgs;
use crate::error::{Error, Result};

pub fn run(_args: AuthArgs) -> Result<i32> {
    Err(Error::usage("`adsconf auth` is not available yet"))
}
