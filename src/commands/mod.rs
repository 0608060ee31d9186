//! One module per command. Each `run` returns the process exit code, or an [`Error`].

pub mod access;
pub mod auth;
pub mod check;
pub mod generate;
pub mod init;
pub mod lsp;
pub mod misc;
pub mod set;
pub mod show;
pub mod verify;

use crate::cli::{Cli, Command};
use crate::error::Result;

pub fn dispatch(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Generate(a) => generate::run(a),
        Command::Show(a) => show::run(a),
        Command::Check(a) => check::run(a),
        Command::Set(a) => set::run_set(a),
        Command::Fix(a) => set::run_fix(a),
        Command::Auth(a) => auth::run(a),
        Command::Init(a) => init::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Access(a) => access::run(a),
        Command::Rules(a) => misc::rules(a),
        Command::Explain(a) => misc::explain(a),
        Command::Lsp(a) => lsp::run(a),
        Command::Completions(a) => misc::completions(a),
        Command::Man => misc::man(),
    }
}
