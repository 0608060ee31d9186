//! `adsconf lsp`: the language server (all of it in [`crate::lsp`]).

use crate::cli::LspArgs;
use crate::error::Result;

pub fn run(_args: LspArgs) -> Result<i32> {
    crate::lsp::run_stdio()
}
