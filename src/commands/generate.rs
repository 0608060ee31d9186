//! `adsconf generate LANG`: render the merged settings for one target (CONTRACT §3).

use crate::cli::GenerateArgs;
use crate::convert::{generate, load_sources_checked};
use crate::error::Result;
use crate::output;

pub fn run(mut args: GenerateArgs) -> Result<i32> {
    args.write.accept_missing = args.allow_empty;
    let (settings, mut notes) = load_sources_checked(&args.from, args.from_lang, args.allow_empty)
        .map_err(with_init_hint)?;
    let (text, more) = generate(args.lang, &settings)?;
    notes.extend(more);
    for n in &notes {
        output::eprint_line(&format!("note: {n}"));
    }
    let Some(path) = args.output else {
        // What goes to stdout ends up in a file too: the same judge as every write.
        let text = crate::judge::judged_text(
            &crate::judge::Proposal {
                path: None,
                lang: args.lang,
                old: None,
                new_text: &text,
                encoding: args.lang.info().encoding,
            },
            args.write.leniency(),
        )?;
        output::print(&text);
        return Ok(0);
    };
    crate::change::write_generated(
        &path,
        args.lang,
        &settings,
        &text,
        args.replace,
        &args.write,
    )
}

/// Point a newcomer without settings at `adsconf init` when this build has it.
fn with_init_hint(mut e: crate::error::Error) -> crate::error::Error {
    use clap::CommandFactory;
    let has_init = crate::cli::Cli::command().find_subcommand("init").is_some();
    if has_init
        && (e.message.starts_with("cannot read") || e.message.starts_with("nothing to generate"))
    {
        e.message
            .push_str("; or run `adsconf init`, which asks for what is missing");
    }
    e
}
