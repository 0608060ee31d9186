//! When a refresh token was minted: `auth --write` and `init` record it next to the token (a comment in the
//! config where the format has comments, else a sidecar file), so that `verify` and `check`
//! can tell a token that died of old age in Testing mode (7 days) from one revoked.
//!
//! The record carries a short SHA-256 fingerprint of the token: a token pasted by hand later
//! does not inherit the old date.
//!
//! Below `rules` (the `refresh-token-age` rule reads records offline) and above `formats`;
//! `change::{write_generated_stamped, set_values_stamped}` write them (`init`, `auth --write`).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::formats::{self, Parsed};
use crate::lang::Lang;

/// The marker every record starts with (after the comment opener).
pub const MARKER: &str = "adsconf: refresh token minted ";

/// A token older than this that fails with `invalid_grant` most likely died in Testing mode.
pub const TESTING_MODE_SECS: u64 = 6 * 86_400;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Seconds since the Unix epoch (UTC).
    pub minted: u64,
    /// First 8 hex digits of SHA-256 of the refresh token.
    pub fingerprint: String,
    /// `refresh_token_expires_in` of Google's answer (Testing mode), when it came.
    pub expires_in: Option<u64>,
}

impl Stamp {
    pub fn new(refresh_token: &str, minted: u64, expires_in: Option<u64>) -> Stamp {
        Stamp {
            minted,
            fingerprint: fingerprint(refresh_token),
            expires_in,
        }
    }

    /// Is this the record of `refresh_token`?
    pub fn is_for(&self, refresh_token: &str) -> bool {
        self.fingerprint == fingerprint(refresh_token)
    }

    pub fn age(&self, now: u64) -> u64 {
        now.saturating_sub(self.minted)
    }

    /// The text after the comment opener.
    pub fn text(&self) -> String {
        let mut s = format!(
            "{MARKER}{} (sha256 {}",
            iso8601(self.minted),
            self.fingerprint
        );
        if let Some(e) = self.expires_in {
            s.push_str(&format!(
                "; Google said it expires in {:.1} days: Testing mode",
                e as f64 / 86_400.0
            ));
        }
        s.push(')');
        s
    }

    /// Read a record from any text that contains one (a comment line, a sidecar).
    pub fn parse(text: &str) -> Option<Stamp> {
        let rest = &text[text.find(MARKER)? + MARKER.len()..];
        let (date, rest) = rest.split_once(" (sha256 ")?;
        let minted = parse_iso8601(date.trim())?;
        let fp: String = rest.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
        if fp.len() != 8 {
            return None;
        }
        let expires_in = rest
            .split_once("expires in ")
            .and_then(|(_, r)| r.split_once(" days"))
            .and_then(|(d, _)| d.parse::<f64>().ok())
            .map(|d| (d * 86_400.0).round() as u64);
        Some(Stamp {
            minted,
            fingerprint: fp,
            expires_in,
        })
    }
}

pub fn fingerprint(token: &str) -> String {
    Sha256::digest(token.trim().as_bytes())
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The comment opener and closer of a format, `None` where it has no comments.
pub fn comment_syntax(lang: Lang) -> Option<(&'static str, &'static str)> {
    match lang {
        Lang::Php => Some(("; ", "")),
        Lang::Dotnet => Some(("<!-- ", " -->")),
        Lang::Csharp => Some(("// ", "")),
        Lang::DotnetJson => None,
        _ => Some(("# ", "")),
    }
}

/// The sidecar file for a config without comments: `.NAME.adsconf-minted` beside it.
pub fn sidecar(config: &Path) -> PathBuf {
    let name = config
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    config.with_file_name(format!(".{name}.adsconf-minted"))
}

/// `text` with the record put on the line before the refresh token (and any older record
/// removed). `None` when the format has no comments or the token's line holds other settings
/// before it (then the caller writes a sidecar).
pub fn stamp_text(text: &str, parsed: &Parsed, stamp: &Stamp) -> Option<String> {
    let (open, close) = comment_syntax(parsed.lang)?;
    let key = parsed.lang.catalog().for_neutral("refresh_token")?;
    let entry = parsed.find(key)?;
    let start = entry.entry_span.start;
    let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let indent = &text[line_start..start];
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let line = format!("{indent}{open}{}{close}{eol}", stamp.text());
    let mut out = String::with_capacity(text.len() + line.len());
    out.push_str(&text[..line_start]);
    out.push_str(&line);
    out.push_str(&text[line_start..]);
    Some(remove_old(&out, &line))
}

/// Drop every record line except `keep`.
fn remove_old(text: &str, keep: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut kept = false;
    for l in text.split_inclusive('\n') {
        if l.contains(MARKER) {
            if l == keep && !kept {
                kept = true;
                out.push_str(l);
            }
            continue;
        }
        out.push_str(l);
    }
    out
}

/// The record for `config` (its comment, else its sidecar).
pub fn read(config: &Path, text: &str) -> Option<Stamp> {
    Stamp::parse(text).or_else(|| {
        let side = crate::source::read_text(&sidecar(config), "an adsconf mint record").ok()?;
        Stamp::parse(&side)
    })
}

/// The record of the refresh token `settings` hold, if `config` has one for that token.
pub fn for_token(config: &Path, text: &str, refresh_token: &str) -> Option<Stamp> {
    read(config, text).filter(|s| s.is_for(refresh_token))
}

/// Does `lang` keep the record inside the config?
pub fn inline(lang: Lang) -> bool {
    comment_syntax(lang).is_some()
}

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's civil-from-days).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-12-02T10:00:00Z`.
pub fn iso8601(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

pub fn parse_iso8601(s: &str) -> Option<u64> {
    let s = s.strip_suffix('Z')?;
    let (date, time) = s.split_once('T')?;
    let mut dp = date.split('-');
    let y: i64 = dp.next()?.parse().ok()?;
    let m: u32 = dp.next()?.parse().ok()?;
    let d: u32 = dp.next()?.parse().ok()?;
    let mut tp = time.split(':');
    let hh: u64 = tp.next()?.parse().ok()?;
    let mm: u64 = tp.next()?.parse().ok()?;
    let ss: u64 = tp.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    u64::try_from(days)
        .ok()
        .map(|d| d * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// The parse of `text` as `lang` (for callers that only have the text).
pub fn parse_as(lang: Lang, text: &str) -> Parsed {
    formats::format(lang).parse(&crate::source::Source::of(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_764_669_600), "2025-12-02T10:00:00Z");
        for t in [0, 951_782_400, 1_764_669_600, 4_102_444_799] {
            assert_eq!(parse_iso8601(&iso8601(t)), Some(t));
        }
        assert_eq!(parse_iso8601("2026-13-01T00:00:00Z"), None);
    }

    #[test]
    fn stamps_round_trip_and_belong_to_their_token() {
        let s = Stamp::new("1//tok", 1_764_669_600, Some(604_799));
        let t = s.text();
        assert!(
            t.contains("2025-12-02T10:00:00Z") && t.contains("Testing mode"),
            "{t}"
        );
        assert!(!t.contains("1//tok"));
        let back = Stamp::parse(&format!("# {t}")).unwrap();
        assert_eq!(back.minted, s.minted);
        assert!(back.is_for("1//tok") && !back.is_for("1//other"));
        assert_eq!(back.expires_in, Some(604_800));
    }
}
