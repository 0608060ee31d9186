//! `adsconf check` (in progress).

use crate::cli::CheckArgs;
use crate::error::{Error, Result};

pub fn run(_args: CheckArgs) -> Result<i32> {
    Err(Error::usage("`adsconf check` is not available yet"))
}
