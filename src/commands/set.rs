//! `adsconf set` and `adsconf fix`: thin wrappers over [`crate::change`] (CONTRACT §3, §5).

use crate::change::{assignments, change_file, fix_file};
use crate::cli::{FixArgs, SetArgs};
use crate::error::{Error, Result};

pub fn run_set(args: SetArgs) -> Result<i32> {
    let mut values = Vec::new();
    for a in &args.assignments {
        let (k, v) = a.split_once('=').ok_or_else(|| {
            Error::usage(format!(
                "`{a}` is not KEY=VALUE (example: login_customer_id=1234567890; to remove a key: --unset KEY)"
            ))
        })?;
        values.push((k.trim().to_string(), v.to_string()));
    }
    crate::change::values_from_stdin(&mut values)?;
    change_file(
        &args.file,
        args.lang,
        |l| assignments(l, &values, &args.unset),
        &args.write,
    )
}

pub fn run_fix(args: FixArgs) -> Result<i32> {
    let mut code = 0;
    for path in &args.files {
        match fix_file(path, args.lang, args.unsafe_fixes, &args.write) {
            Ok(c) => code = code.max(c),
            Err(e) => {
                crate::output::eprint_line(&format!(
                    "error: {}",
                    crate::mask::mask_message(&e.message, &[])
                ));
                code = code.max(e.code());
            }
        }
    }
    Ok(code)
}
