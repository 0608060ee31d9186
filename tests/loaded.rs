//! `show --format json`'s "loaded": the values after the library's own loader, judged by the
//! real loader where one runs here (Python: google.ads.googleads.config.load_from_yaml_file),
//! and from the loaders' source elsewhere (Perl Client.pm START, PHP
//! GoogleAdsClientBuilder::from, Ruby Config#initialize; cited in schemas/*.toml).

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use adsconf::formats;
use adsconf::lang::Lang;
use adsconf::source::Source;

fn loaded(lang: Lang, text: &str) -> serde_json::Value {
    let parsed = formats::format(lang).parse(&Source::of(text));
    let m: serde_json::Map<String, serde_json::Value> = formats::loader_view(&parsed)
        .into_iter()
        .map(|(k, v)| (k, v.to_json()))
        .collect();
    serde_json::Value::Object(m)
}

/// YAML files mixing the values the Python loader converts.
fn python_corpus() -> Vec<String> {
    let ids = [
        "1234567890",
        "\"1234567890\"",
        "123_456_7890",
        "0123456701",
        "'0123456789'",
        "~",
        "",
    ];
    let flags = [
        "True",
        "\"True\"",
        "yes",
        "'off'",
        "\"1\"",
        "false",
        "'Y'",
        "\"FALSE\"",
    ];
    let logging = [
        "",
        "logging: '{\"version\": 1, \"root\": {\"level\": \"INFO\"}}'",
        "logging:\n  version: 1\n  disable_existing_loggers: false",
    ];
    let keys = [
        "",
        "path_to_private_key_file: /k.json",
        "path_to_private_key_file: /old.json\njson_key_file_path: /new.json",
        "delegated_account: a@example.com",
    ];
    let mut out = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        for (j, flag) in flags.iter().enumerate() {
            let mut t = format!(
                "use_proto_plus: {flag}\nclient_id: x\nclient_secret: y\nrefresh_token: z\n"
            );
            if !id.is_empty() {
                t.push_str(&format!(
                    "login_customer_id: {id}\nlinked_customer_id: {id}\n"
                ));
            }
            if (i + j) % 2 == 0 {
                t.push_str(&format!(
                    "use_application_default_credentials: {}\n",
                    flags[(i + j) % flags.len()]
                ));
            }
            t.push_str(logging[(i + j) % logging.len()]);
            t.push('\n');
            t.push_str(keys[(i * 3 + j) % keys.len()]);
            t.push_str("\nendpoint: googleads.googleapis.com\nhttp_proxy: http://p:8080\n");
            out.push(t);
        }
    }
    out
}

#[test]
fn python_loaded_equals_load_from_yaml_file() {
    let Some(python) = common::judge("google-ads") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let corpus = python_corpus();
    let files: Vec<PathBuf> = corpus
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let f = dir.path().join(format!("c{i}.yaml"));
            std::fs::write(&f, t).unwrap();
            f
        })
        .collect();
    let script = r#"
import json, sys, warnings
warnings.simplefilter("ignore")
from google.ads.googleads import config
for path in sys.argv[1:]:
    try:
        print(json.dumps({"ok": config.load_from_yaml_file(path)}))
    except Exception as e:
        print(json.dumps({"error": type(e).__name__ + ": " + str(e)}))
"#;
    let mut args = vec!["-c".to_string(), script.to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let out = std::process::Command::new(&python)
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), corpus.len());
    let neutral: Vec<&str> = Lang::Python
        .catalog()
        .keys
        .iter()
        .filter(|k| !k.deprecated)
        .filter_map(|k| k.neutral.as_deref())
        .collect();
    let mut compared = 0;
    for (text, verdict) in corpus.iter().zip(&lines) {
        let Some(real) = verdict.get("ok") else {
            continue; // the loader refuses the file: check reports it, "loaded" is moot
        };
        let real: BTreeMap<&str, &serde_json::Value> = real
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| neutral.contains(&k.as_str()))
            .map(|(k, v)| (k.as_str(), v))
            .collect();
        let ours = loaded(Lang::Python, text);
        let ours: BTreeMap<&str, &serde_json::Value> = ours
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .collect();
        assert_eq!(ours, real, "file:\n{text}");
        compared += 1;
    }
    assert!(
        compared > 30,
        "only {compared} files accepted by the loader"
    );
}

/// The CLI shape: "loaded" beside "known", secrets masked in both.
#[test]
fn show_json_has_loaded_beside_known() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("google-ads.yaml"),
        "use_proto_plus: \"True\"\nlogin_customer_id: 1234567890\nrefresh_token: 1//0secretsecret\n",
    )
    .unwrap();
    let o = common::adsconf(dir.path(), &["show", "google-ads.yaml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["known"]["use_proto_plus"], "True");
    assert_eq!(v["loaded"]["use_proto_plus"], true);
    assert_eq!(v["known"]["login_customer_id"], 1234567890);
    assert_eq!(v["loaded"]["login_customer_id"], "1234567890");
    assert_eq!(v["loaded"]["refresh_token"], "1//0…");
    assert!(!String::from_utf8_lossy(&o.stdout).contains("secretsecret"));
}

/// google-ads-perl 30.0.0 Client.pm START: `||=` (empty and 0 count as absent), the default
/// service address, and the trailing slash.
#[test]
fn perl_loaded_follows_client_pm() {
    let v = loaded(
        Lang::Perl,
        "serviceAddress=https://example.com/api\nloginCustomerId=0\nclientId=\ndeveloperToken=abc\n",
    );
    assert_eq!(v["endpoint"], "https://example.com/api/");
    assert!(v.get("login_customer_id").is_none(), "{v}");
    assert!(v.get("client_id").is_none(), "{v}");
    assert_eq!(v["developer_token"], "abc");
    let v = loaded(Lang::Perl, "clientId=a\n");
    assert_eq!(v["endpoint"], "https://googleads.googleapis.com/");
    let v = loaded(Lang::Perl, "serviceAddress=https://x/\n");
    assert_eq!(v["endpoint"], "https://x/");
}

/// google-ads-php GoogleAdsClientBuilder::from(): filter_var booleans with their defaults.
#[test]
fn php_loaded_follows_the_builder() {
    let v = loaded(Lang::Php, "[GOOGLE_ADS]\ndeveloperToken = \"x\"\n");
    assert_eq!(v["use_cloud_org_for_api_access"], false);
    assert_eq!(v["grpc_channel_is_secure"], true);
    let v = loaded(
        Lang::Php,
        "[GOOGLE_ADS]\nuseCloudOrgForApiAccess = \"yes\"\n[CONNECTION]\ngrpcChannelIsSecure = \"maybe\"\n",
    );
    assert_eq!(v["use_cloud_org_for_api_access"], true);
    assert_eq!(
        v["grpc_channel_is_secure"], true,
        "not a boolean: the default"
    );
    let v = loaded(Lang::Php, "[CONNECTION]\ngrpcChannelIsSecure = false\n");
    assert_eq!(v["grpc_channel_is_secure"], false);
}

/// google-ads-ruby Config#initialize: the flags default to false.
#[test]
fn ruby_loaded_has_the_config_defaults() {
    let v = loaded(
        Lang::Ruby,
        "Google::Ads::GoogleAds::Config.new do |c|\n  c.client_id = 'x'\n  c.use_insecure_channel = true\nend\n",
    );
    assert_eq!(v["client_id"], "x");
    assert_eq!(v["use_insecure_channel"], true);
    assert_eq!(v["use_cloud_org_for_api_access"], false);
    assert_eq!(v["warn_on_all_deprecations"], false);
}

/// Every step a catalogue names is one `loader_view` knows.
#[test]
fn catalogue_steps_are_known() {
    let mut steps = 0;
    for l in Lang::all() {
        for k in &l.catalog().keys {
            for s in &k.loaded {
                assert!(
                    formats::LOADER_STEPS.contains(&s.as_str()),
                    "{l}: {}: unknown step {s}",
                    k.key
                );
                steps += 1;
            }
            if k.default.is_some() || !k.loaded.is_empty() {
                assert!(
                    k.neutral.is_some(),
                    "{l}: {}: loaded/default need a neutral name",
                    k.key
                );
            }
        }
    }
    assert!(steps > 10);
}
