//! Property: whatever the secret values, the masked diff never shows them (Perl, Java and
//! PHP files, where the value is raw, escaped or quoted).

mod common;

use adsconf::formats;
use adsconf::lang::Lang;
use adsconf::model::{Settings, Value};
use adsconf::source::Source;
use proptest::prelude::*;

fn render(lang: Lang, secret: &str, token: &str) -> Option<String> {
    let mut s = Settings::default();
    s.set(
        "client_id",
        Value::Str("id.apps.googleusercontent.com".into()),
    );
    s.set("client_secret", Value::Str(secret.into()));
    s.set("refresh_token", Value::Str(token.into()));
    formats::format(lang).render(&s).ok()
}

fn parse(lang: Lang, text: &str) -> formats::Parsed {
    formats::format(lang).parse(&Source::new(None, text.to_string(), lang.info().encoding))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn masked_diffs_never_show_secrets(
        a in common::awkward_string(),
        b in common::awkward_string(),
        t in common::awkward_string(),
    ) {
        // Long enough to be recognisable, and not part of the file's own words.
        let a = format!("Sa{a}Q");
        let b = format!("Sb{b}Q");
        let t = format!("Tt{t}Q");
        for lang in [Lang::Perl, Lang::Java, Lang::Php] {
            let (Some(old), Some(new)) = (render(lang, &a, &t), render(lang, &b, &t)) else {
                continue;
            };
            let (o, n) = adsconf::write::masked_pair(
                Some((&old, &parse(lang, &old))),
                (&new, &parse(lang, &new)),
                &[],
            );
            let diff = adsconf::write::render_diff("f", &o, &n, false, false);
            for s in [&a, &b, &t] {
                let shown_elsewhere = old.replace(s.as_str(), "").contains(s.as_str());
                prop_assert!(
                    shown_elsewhere || !diff.contains(s.as_str()),
                    "{lang}: {s:?} shown in\n{diff}"
                );
            }
            // The change is visible.
            prop_assert!(diff.contains("+"), "{lang}: empty diff");
        }
    }
}
