//! adsconf: one model of Google Ads API client-library settings, rendered for and read back
//! from every library's configuration format.
//!
//! Architecture, imported one way only (`tests/layers.rs`): [`lang`] (the target table) →
//! [`schema`] (key catalogues, data in `schemas/`) → [`model`] (neutral settings) → [`formats`]
//! (one module per format: parse with spans, render, edit) → [`rules`] (the lint rule table and
//! rule logic) → [`report`] (human / json / sarif / github renderers) → services ([`lint`],
//! [`change`], [`convert`], [`view`], [`oauth`], [`access`]) → [`commands`] (thin).

pub mod access;
pub mod api;
pub mod change;
pub mod cli;
pub mod commands;
pub mod convert;
pub mod diag;
pub mod discovery;
pub mod doctor;
pub mod edit;
pub mod error;
pub mod formats;
pub mod fuzzing;
pub mod init;
pub mod judge;
pub mod lang;
pub mod lint;
pub mod lsp;
pub mod model;
pub mod net;
pub mod oauth;
pub mod output;
pub mod report;
pub mod rules;
pub mod schema;
pub mod source;
pub mod view;
pub mod write;

use clap::Parser;

/// Run the command line; returns the process exit code.
pub fn run() -> i32 {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match commands::dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            output::eprint_line(&format!("error: {}", e.message));
            e.code()
        }
    }
}
