//! Facts about files on disk: who can read the config, and whether the service-account key
//! file it names exists and is a service-account key.

use std::path::{Path, PathBuf};

use super::{is_placeholder, is_secret_entry, DiagExt, FileCtx};
use crate::diag::Diagnostic;
use crate::formats::entry_label;
use crate::lang::Lang;

pub fn check(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    permissions(ctx, out);
    key_file(ctx, out);
}

fn permissions(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let Some(path) = ctx.fs_path else { return };
    let holds_secret = ctx.parsed.entries.iter().any(|e| {
        let t = e.value.to_text();
        is_secret_entry(ctx.lang(), e) && !t.trim().is_empty() && !is_placeholder(&t)
    });
    if !holds_secret {
        return;
    }
    let Some(mode) = mode_of(path) else { return };
    if mode & 0o077 == 0 {
        return;
    }
    let who = match (mode & 0o070 != 0, mode & 0o007 != 0) {
        (true, true) => "group members and every other user",
        (true, false) => "group members",
        _ => "every other user",
    };
    out.push(
        ctx.diag(
            "file-permissions",
            0..0,
            format!("this file holds secrets and its mode is {:04o}: {who} on this machine can read them", mode & 0o7777),
        )
        .help(format!("chmod 600 {}", ctx.path)),
    );
}

#[cfg(unix)]
fn mode_of(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).ok().map(|m| m.permissions().mode())
}

#[cfg(not(unix))]
fn mode_of(_path: &Path) -> Option<u32> {
    None
}

/// Why the library does not read the key file although the file names one (another
/// credential wins), or `None` when it reads it.
fn unused_because(ctx: &FileCtx) -> Option<&'static str> {
    let user_keys_in_file = ["client_id", "client_secret", "refresh_token"]
        .iter()
        .all(|n| ctx.find_neutral(n).is_some());
    let user_keys_truthy = ["client_id", "client_secret", "refresh_token"]
        .iter()
        .all(|n| {
            ctx.find_neutral(n).is_some_and(|e| {
                let t = e.value.to_text();
                !matches!(e.value, crate::model::Value::Null) && !t.is_empty() && t != "0"
            })
        });
    match ctx.lang() {
        // oauth2.get_credentials: ADC, then the user keys (by presence), then the key file.
        Lang::Python if super::credentials::adc(ctx) => {
            Some("google-ads-python uses Application Default Credentials (use_application_default_credentials)")
        }
        Lang::Python if user_keys_in_file => {
            Some("google-ads-python uses the refresh token (client_id, client_secret and refresh_token are set)")
        }
        // GoogleAdsClient#get_credentials: ADC first, then the key file.
        Lang::Ruby if super::credentials::adc(ctx) => {
            Some("google-ads-ruby uses Application Default Credentials (use_application_default_credentials)")
        }
        // _get_auth_handler: the applications handler first, when its three keys are set.
        Lang::Perl if user_keys_truthy => {
            Some("google-ads-perl uses the refresh token (clientId, clientSecret and refreshToken are set)")
        }
        _ => None,
    }
}

fn key_file(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let mut found = Vec::new();
    key_file_findings(ctx, &mut found);
    let why = unused_because(ctx);
    out.extend(found.into_iter().map(|d| match why {
        // The library never opens the file: not an error, but the line is dead.
        Some(why) => {
            let mut d = d
                .severity(crate::diag::Severity::Warning)
                .judged(super::Judge::None);
            d.message
                .push_str(&format!("; {why}, so the file is not read"));
            d
        }
        None => d,
    }));
}

fn key_file_findings(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let Some(e) = ctx.find_neutral("json_key_file_path") else {
        return;
    };
    let text = e.value.to_text();
    let t = text.trim();
    if t.is_empty() || is_placeholder(t) {
        return;
    }
    let label = entry_label(e);
    let p = Path::new(t);
    let relative = !p.is_absolute();
    let resolved: PathBuf = if relative {
        match &ctx.cwd {
            Some(cwd) => cwd.join(p),
            None => p.to_path_buf(),
        }
    } else {
        p.to_path_buf()
    };
    let rel_note = if relative {
        " (a relative path is resolved against the program's working directory, not the config file)"
    } else {
        ""
    };
    // The guarded reader: a FIFO or device named as the key never hangs or fills memory.
    let bytes = match crate::source::read_guarded(&resolved, "a service-account key file (JSON)") {
        Ok(b) => b,
        Err(err) => {
            let why = if resolved.symlink_metadata().is_err() {
                "does not exist".to_string()
            } else {
                format!("cannot be read: {}", err.message)
            };
            // Every library opens the path as given, so a relative one is found from the
            // program's working directory only; say where it was looked for.
            let from = if relative {
                " in the working directory"
            } else {
                ""
            };
            let beside_config = relative
                && ctx
                    .fs_path
                    .and_then(Path::parent)
                    .is_some_and(|d| d.join(p).is_file());
            let hint = if beside_config {
                "; it is next to the config file, but the libraries do not look there"
            } else {
                ""
            };
            out.push(
                ctx.diag(
                    "key-file-missing",
                    e.value_span.clone(),
                    format!("the service-account key file `{t}` {why}{from}{rel_note}{hint}"),
                )
                .help("download a JSON key for the service account (Cloud console → IAM → Service accounts → Keys) and give its absolute path"),
            );
            return;
        }
    };
    if relative {
        // It loads, but only when the program runs where check ran.
        out.push(
            ctx.diag(
                "key-file-missing",
                e.value_span.clone(),
                format!(
                    "`{label}` is the relative path `{t}`: {} finds the key only when the program runs in the directory check ran in",
                    ctx.library()
                ),
            )
            .severity(crate::diag::Severity::Warning)
            .help("write the absolute path of the key file"),
        );
    }
    let json: Option<serde_json::Value> = serde_json::from_slice(&bytes).ok();
    let kind = json.as_ref().and_then(|j| {
        if j.get("installed").is_some() {
            Some("an OAuth client file of type \"installed\"")
        } else if j.get("web").is_some() {
            Some("an OAuth client file of type \"web\"")
        } else if j.get("type").and_then(|t| t.as_str()) == Some("service_account") {
            None
        } else if j.get("type").and_then(|t| t.as_str()) == Some("authorized_user") {
            Some("user credentials (type \"authorized_user\")")
        } else {
            Some("a JSON file without \"type\": \"service_account\"")
        }
    });
    let problem = match (json.is_some(), kind) {
        (false, _) => Some("is not JSON".to_string()),
        (true, Some(k)) => Some(format!("is {k}, not a service-account key")),
        (true, None) => None,
    };
    if let Some(problem) = problem {
        out.push(
            ctx.diag(
                "key-file-missing",
                e.value_span.clone(),
                format!("the key file `{t}` {problem}; authentication fails with invalid_client or \"Failed to create credentials\""),
            )
            .help("give the path of the service account's JSON key (its \"type\" is \"service_account\"); OAuth client files belong to `adsconf auth --client-secrets`"),
        );
    }
}
