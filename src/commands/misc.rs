//! `adsconf rules`, `explain`, `completions` and the man page.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ExplainArgs, RulesArgs};
use crate::error::{Error, Result};

pub fn rules(_args: RulesArgs) -> Result<i32> {
    Err(Error::usage("`adsconf rules` is not available yet"))
}

pub fn explain(_args: ExplainArgs) -> Result<i32> {
    Err(Error::usage("`adsconf explain` is not available yet"))
}

pub fn completions(args: CompletionsArgs) -> Result<i32> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "adsconf", &mut out);
    crate::output::print_bytes(&out);
    Ok(0)
}

pub fn man() -> Result<i32> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Error::usage(format!("cannot render the man page: {e}")))?;
    crate::output::print_bytes(&out);
    Ok(0)
}
