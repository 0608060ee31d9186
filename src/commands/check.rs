//! `adsconf check`: lint configuration files (CONTRACT §3); the pipeline is [`crate::lint`].

use crate::cli::CheckArgs;
use crate::error::Result;
use crate::lint::{check_all, Flags};
use crate::report;

pub fn run(args: CheckArgs) -> Result<i32> {
    // The project's `[check]` table (./adsconf.toml), then the command line.
    let cwd = std::env::current_dir().unwrap_or_default();
    let flags = Flags::from_project(&cwd)?.then(Flags {
        ignore: args.ignore.clone(),
        library_version: args.library_version.clone(),
        hierarchy: args.hierarchy.clone(),
        user: args.user.clone(),
        customer: args.customer.clone(),
    });
    let opts = flags.options(args.lang)?;
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
