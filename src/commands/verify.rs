//! `adsconf verify` (in progress).

use crate::cli::VerifyArgs;
use crate::error::{Error, Result};

pub fn run(_args: VerifyArgs) -> Result<i32> {
    Err(Error::usage("`adsconf verify` is not available yet"))
}
