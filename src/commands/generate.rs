//! `adsconf generate LANG`: render the merged settings for one target (CONTRACT §3).

use crate::cli::GenerateArgs;
use crate::convert::{generate, load_sources_with};
use crate::error::Result;
use crate::output;

pub fn run(args: GenerateArgs) -> Result<i32> {
    let (settings, mut notes) = load_sources_with(&args.from, args.from_lang, args.reveal)?;
    let (text, more) = generate(args.lang, &settings)?;
    notes.extend(more);
    for n in &notes {
        output::eprint_line(&format!("note: {n}"));
    }
    let Some(path) = args.output else {
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
