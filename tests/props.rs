//! Property tests over every format: parsing never panics on arbitrary input, spans are
//! valid, and render → parse → render is stable.

mod common;

use adsconf::formats;
use adsconf::lang::{Lang, LANGS};
use adsconf::model::{Settings, Value};
use adsconf::source::Source;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn parsing_arbitrary_bytes_never_panics(which in 0u8..10, bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        adsconf::fuzzing::parse_roundtrip(which, &bytes);
    }

    #[test]
    fn parsing_config_like_text_never_panics(which in 0u8..10, lines in prop::collection::vec(
        prop_oneof![
            common::awkward_string(),
            common::awkward_string().prop_map(|s| format!("key={s}")),
            common::awkward_string().prop_map(|s| format!("login_customer_id: {s}")),
            common::awkward_string().prop_map(|s| format!("  c.client_id = '{s}'")),
            common::awkward_string().prop_map(|s| format!("<add key=\"{s}\" value=\"{s}\"/>")),
            Just("[GOOGLE_ADS]".to_string()),
            Just("Google::Ads::GoogleAds::Config.new do |c|".to_string()),
            Just("end".to_string()),
            Just("{\"GoogleAdsApi\": {".to_string()),
        ], 0..12)) {
        let text = lines.join("\n");
        adsconf::fuzzing::parse_roundtrip(which, text.as_bytes());
    }

    /// `check` end to end (every rule, every report) on arbitrary bytes under any file name.
    #[test]
    fn check_on_arbitrary_input_never_panics(
        name in prop::sample::select(vec!["google-ads.yaml", "ads.properties", "googleads.properties", "google_ads_php.ini", "google_ads_config.rb", "App.config", "appsettings.json", "x.snippet.cs", "googleads.env", "googleads.curl.sh", "odd.properties", "x.yaml"]),
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..300).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
            prop::collection::vec(common::awkward_string(), 0..10).prop_map(|v| v.join("\n")),
            prop::collection::vec(common::awkward_string(), 0..10).prop_map(|v| v.iter().map(|x| format!("loginCustomerId={x}\nlogin_customer_id: {x}\n")).collect()),
        ],
    ) {
        let data = format!("{name}\n{body}");
        adsconf::fuzzing::check_bytes(data.as_bytes());
    }

    /// render → parse → render gives the same text, for every target.
    #[test]
    fn render_parse_render_is_stable(values in prop::collection::vec(common::awkward_string(), 6)) {
        let mut s = Settings::default();
        for (k, v) in ["developer_token", "client_id", "client_secret", "refresh_token", "endpoint", "http_proxy"].iter().zip(&values) {
            s.set(k, Value::Str(v.clone()));
        }
        s.set("login_customer_id", Value::Str("0123456789".into()));
        s.set("use_proto_plus", Value::Bool(true));
        for info in LANGS {
            // Meltano keeps the secrets in .env, beside meltano.yml: covered by tests/tools.rs.
            if info.lang == Lang::Meltano {
                continue;
            }
            let fmt = formats::format(info.lang);
            let Ok((first, _)) = adsconf::convert::generate(info.lang, &s) else { continue };
            let parsed = fmt.parse(&Source::of(&first));
            prop_assert!(!parsed.is_fatal(), "{}: our own output does not parse: {:?}", info.name, parsed.problems);
            let again = formats::to_settings(&parsed);
            let (second, _) = adsconf::convert::generate(info.lang, &again).unwrap();
            prop_assert_eq!(&first, &second, "{} is not stable", info.name);
        }
    }
}

#[test]
fn every_lang_is_covered() {
    assert_eq!(LANGS.len(), 15);
    assert!(Lang::all().all(|l| LANGS.iter().any(|i| i.lang == l)));
}
