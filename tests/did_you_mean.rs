//! Did-you-mean has ONE answer: for a key a library ignores, `check` (unknown-key,
//! wrong-section) and `show` (text and JSON) name the same key, for every format and every
//! other library's spelling of every setting, plus case variants and typos.

mod common;

use std::collections::BTreeMap;

use adsconf::formats;
use adsconf::lang::Lang;
use adsconf::rules::{self, FileCtx};
use adsconf::source::Source;
use adsconf::view::did_you_mean;

/// A file of `lang` holding `key` (with a value no rule minds).
fn file_with(lang: Lang, key: &str) -> Option<String> {
    let v = "abc";
    Some(match lang {
        Lang::Java | Lang::Perl => format!("{key}={v}\n"),
        // Under [OAUTH2]: the GOOGLE_ADS keys are misplaced there (wrong-section).
        Lang::Php => format!("[OAUTH2]\n{key} = \"{v}\"\n"),
        Lang::Python => format!("{key}: \"{v}\"\n"),
        Lang::Ruby => format!("Google::Ads::GoogleAds::Config.new do |c|\n  c.{key} = '{v}'\nend\n"),
        Lang::Dotnet => format!(
            "<configuration><GoogleAdsApi><add key=\"{key}\" value=\"{v}\"/></GoogleAdsApi></configuration>\n"
        ),
        Lang::DotnetJson => format!("{{\"GoogleAdsApi\": {{\"{key}\": \"{v}\"}}}}\n"),
        Lang::Env => format!("export {key}='{v}'\n"),
        _ => return None,
    })
}

/// The answer in a sentence: the key after "did you mean", or the section after "only under".
fn answer_in(m: &str) -> Option<String> {
    let between = |start: &str, end: char| -> Option<String> {
        let i = m.find(start)? + start.len();
        Some(m[i..i + m[i..].find(end)?].to_string())
    };
    between("did you mean `", '`')
        .or_else(|| between("only under [", ']').map(|s| format!("[{s}]")))
}

/// The key `check` suggests in its message ("did you mean `X`" / "only under [S]").
fn check_answer(lang: Lang, text: &str) -> (Option<String>, Option<String>, String) {
    let src = Source::of(text);
    let parsed = formats::format(lang).parse(&src);
    let env = BTreeMap::new();
    let ctx = FileCtx::text("f", &src, &parsed, &env);
    let diags = rules::check_file(&ctx);
    let d = diags
        .iter()
        .find(|d| d.rule == "unknown-key" || d.rule == "wrong-section");
    let answer = d.and_then(|d| answer_in(&d.message));
    let Some(e) = parsed.entries.last() else {
        return (None, None, String::new());
    };
    if lang.catalog().find(e.section.as_deref(), &e.key).is_some() {
        // A key the library reads: nothing to suggest, and show lists it as known.
        return (None, None, String::new());
    }
    let label = formats::entry_label(e);
    let (hint, _) = did_you_mean(lang, Some(&parsed), &label);
    let shown = hint.as_deref().and_then(answer_in);
    (
        answer,
        shown,
        d.map(|d| d.message.clone()).unwrap_or_default(),
    )
}

#[test]
fn check_and_show_name_the_same_key_everywhere() {
    let langs = [
        Lang::Java,
        Lang::Dotnet,
        Lang::DotnetJson,
        Lang::Php,
        Lang::Python,
        Lang::Ruby,
        Lang::Perl,
        Lang::Env,
    ];
    let mut candidates: Vec<String> = Vec::new();
    for l in Lang::all() {
        for k in &l.catalog().keys {
            candidates.push(k.key.clone());
            candidates.push(k.key.to_ascii_lowercase());
            candidates.push(k.key.to_ascii_uppercase());
            if k.key.len() > 6 {
                // A typo: two letters swapped.
                let mut b: Vec<char> = k.key.chars().collect();
                b.swap(3, 4);
                candidates.push(b.into_iter().collect());
            }
        }
    }
    candidates.sort();
    candidates.dedup();
    let mut compared = 0;
    let mut sections = 0;
    for lang in langs {
        for key in &candidates {
            // Keys the file syntax cannot hold as a plain key are not this test's business.
            if key.contains(['.', ' ']) && !matches!(lang, Lang::Java) {
                continue;
            }
            if lang == Lang::Env && !key.starts_with("GOOGLE_ADS_") {
                continue;
            }
            if lang == Lang::Ruby && !key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                continue;
            }
            let Some(text) = file_with(lang, key) else {
                continue;
            };
            let (check, show, msg) = check_answer(lang, &text);
            assert_eq!(
                check, show,
                "{lang}: `{key}`: check says {check:?} ({msg}), show says {show:?}"
            );
            compared += usize::from(check.is_some());
            sections += usize::from(check.as_deref().is_some_and(|c| c.starts_with('[')));
        }
    }
    assert!(compared > 500, "only {compared} suggestions compared");
    assert!(sections > 5, "only {sections} misplaced PHP keys compared");
}

/// The issue's two examples, through the command line.
#[test]
fn the_issue_examples_get_one_answer() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("google-ads.yaml"),
        "loginCustomerId: \"1234567890\"\nuse_proto_plus: true\n",
    )
    .unwrap();
    let show = common::adsconf(dir.path(), &["show", "google-ads.yaml"]);
    let show = String::from_utf8_lossy(&show.stdout).into_owned();
    let check = common::adsconf(dir.path(), &["check", "google-ads.yaml"]);
    let check = String::from_utf8_lossy(&check.stdout).into_owned();
    for out in [&show, &check] {
        assert!(out.contains("did you mean `login_customer_id`"), "{out}");
        assert!(
            out.contains("`loginCustomerId` is the name google-ads-php and google-ads-perl use"),
            "{out}"
        );
        assert!(!out.contains("dotnet"), "{out}");
    }
    std::fs::write(
        dir.path().join("google_ads_php.ini"),
        "developerToken = \"x\"\n[GOOGLE_ADS]\n",
    )
    .unwrap();
    let show = common::adsconf(dir.path(), &["show", "google_ads_php.ini"]);
    let show = String::from_utf8_lossy(&show.stdout).into_owned();
    assert!(
        show.contains("google-ads-php reads `developerToken` only under [GOOGLE_ADS]; above the first section it is ignored"),
        "{show}"
    );
    assert!(!show.contains("DeveloperToken"), "{show}");
}
