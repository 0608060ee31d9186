//! `adsconf check`: lint configuration files (CONTRACT §3); the pipeline is [`crate::lint`].

use crate::cli::CheckArgs;
use crate::error::Result;
use crate::lint::{check_all, Options};
use crate::report;

pub fn run(args: CheckArgs) -> Result<i32> {
    let opts = Options::new(
        args.lang,
        &args.ignore,
        args.library_version.as_deref(),
        (
            args.hierarchy.as_deref(),
            args.user.as_deref(),
            args.customer.as_deref(),
        ),
    )?;
    let reporter = report::reporter(args.format, crate::output::stdout_color());
    let s = check_all(
        &args.paths,
        args.recursive,
        &opts,
        &*reporter,
        std::io::BufWriter::new(crate::output::Stdout),
    )?;
    let deny_warnings = args.deny.as_deref() == Some("warnings");
    Ok(if s.errors > 0 || (deny_warnings && s.warnings > 0) {
        1
    } else {
        0
    })
}
