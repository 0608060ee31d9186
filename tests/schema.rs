//! `schemas/adsconf.schema.json` is generated from the key catalogue and must not drift.
//! Regenerate with: `ADSCONF_BLESS=1 cargo test --test schema`.

use std::path::Path;

#[test]
fn json_schema_matches_the_catalogue() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/adsconf.schema.json");
    let want = format!(
        "{}\n",
        serde_json::to_string_pretty(&adsconf::schema::json_schema()).unwrap()
    );
    if std::env::var_os("ADSCONF_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "schemas/adsconf.schema.json is out of date with schemas/neutral.toml; regenerate it with `ADSCONF_BLESS=1 cargo test --test schema`"
    );
}

#[test]
fn schema_describes_every_neutral_key_with_its_type() {
    let s = adsconf::schema::json_schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(s["additionalProperties"], false);
    let props = s["properties"].as_object().unwrap();
    // Every neutral key, and the `[check]` table of check's project settings.
    assert_eq!(props.len(), adsconf::schema::neutral_keys().len() + 1);
    assert_eq!(props["check"]["type"], "object");
    assert_eq!(props["use_proto_plus"]["type"], "boolean");
    assert_eq!(props["login_customer_id"]["type"], "string");
    assert_eq!(props["timeout"]["type"], "integer");
    // The CONTRACT's example adsconf.toml uses only described keys with matching types.
    let example: toml::Table = toml::from_str(
        "developer_token = \"abcdefghijklmnopqrstuv\"\nclient_id = \"1234-abc.apps.googleusercontent.com\"\nclient_secret = \"GOCSPX-example\"\nrefresh_token = \"1//0example\"\nlogin_customer_id = \"1234567890\"\nuse_proto_plus = true\n",
    )
    .unwrap();
    for (k, v) in example {
        let ty = props[&k]["type"].as_str().unwrap();
        assert_eq!(ty, if v.is_bool() { "boolean" } else { "string" }, "{k}");
    }
    let re = props["login_customer_id"]["pattern"].as_str().unwrap();
    assert!(re.contains("[0-9]{4}"));
}
