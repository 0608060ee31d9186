//! `adsconf set` and `adsconf fix` (in progress).

use crate::cli::{FixArgs, SetArgs};
use crate::error::{Error, Result};

pub fn run_set(_args: SetArgs) -> Result<i32> {
    Err(Error::usage("`adsconf set` is not available yet"))
}

pub fn run_fix(_args: FixArgs) -> Result<i32> {
    Err(Error::usage("`adsconf fix` is not available yet"))
}
