//! `adsconf show` (in progress).

use crate::cli::ShowArgs;
use crate::error::{Error, Result};

pub fn run(_args: ShowArgs) -> Result<i32> {
    Err(Error::usage("`adsconf show` is not available yet"))
}
