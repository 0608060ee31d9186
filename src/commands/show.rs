//! `adsconf show [FILE] [--lang LANG] [--format text|json|toml] [--reveal]` (CONTRACT §3);
//! the views are [`crate::view`].

use crate::cli::ShowArgs;
use crate::error::{Error, Result};
use crate::output;
use crate::view::{show_default, show_file};

pub fn run(args: ShowArgs) -> Result<i32> {
    match &args.file {
        Some(f) => {
            let out = show_file(f, args.lang, args.format, args.reveal)?;
            output::print(&out);
            Ok(0)
        }
        None => {
            let lang = args.lang.ok_or_else(|| {
                Error::usage(
                    "`adsconf show` needs a FILE, or --lang LANG to show the file LANG's library loads by default",
                )
            })?;
            show_default(lang, args.format, args.reveal)
        }
    }
}
