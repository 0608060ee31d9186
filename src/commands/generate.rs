//! `adsconf generate LANG`: render the merged settings for one target (CONTRACT §3).

use crate::cli::GenerateArgs;
use crate::convert::{apply_target_options, generate, load_sources};
use crate::error::Result;
use crate::output;

pub fn run(args: GenerateArgs) -> Result<i32> {
    let (mut settings, mut notes) = load_sources(&args.from, args.from_lang)?;
    apply_target_options(
        &mut settings,
        args.lang,
        args.client.as_deref(),
        args.secrets_in.as_deref(),
        args.hierarchy.as_deref().zip(args.user.as_deref()),
    )?;
    let (text, more) = generate(args.lang, &settings)?;
    notes.extend(more);
    for n in &notes {
        output::eprint_line(&format!("note: {n}"));
    }
    let Some(path) = args.output else {
        output::print(&text);
        return Ok(0);
    };
    let code = crate::change::write_generated(
        &path,
        args.lang,
        &settings,
        &text,
        args.replace,
        &args.write,
    )?;
    // Meltano keeps the secrets in the project's .env, beside meltano.yml.
    let env = crate::change::write_companion(&path, args.lang, &settings, &args.write)?;
    Ok(code.max(env))
}
