//! singer-io `tap-google-ads` config.json (2.0.0; installed from git, not on PyPI).
//!
//! The tap starts with singer-python's `parse_args(REQUIRED_CONFIG_KEYS)`: the six required
//! keys must be present (`customer_ids` too, although nothing reads it). It syncs each entry
//! of `login_customer_ids` (`[{"customerId", "loginCustomerId"}]`) with a google-ads client
//! built from the OAuth values and that entry's `loginCustomerId`, which google-ads-python
//! validates (10 digits) before any request.

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::formats::jsontree;
use crate::formats::render;
use crate::formats::{Format, Parsed};
use crate::lang::Lang;
use crate::model::{Settings, Value};
use crate::schema::LibKey;
use crate::source::Source;

pub struct Singer;

/// The `login_customer_ids` list the settings describe: the explicit list, else one entry
/// for `customer_id` through `login_customer_id` (or the customer itself, a direct account).
pub fn login_list(settings: &Settings) -> Option<serde_json::Value> {
    if let Some(v) = settings.get("login_customer_ids") {
        return Some(jsontree::json_of(v));
    }
    let c = settings.get_str("customer_id")?;
    let l = settings.get_str("login_customer_id").unwrap_or(c);
    Some(serde_json::json!([{"customerId": c, "loginCustomerId": l}]))
}

/// `YYYY-MM-DD` as the RFC 3339 date-time singer-python parses; anything else as given.
pub fn date_time(s: &str) -> String {
    if crate::formats::airbyte::is_date(s) {
        format!("{s}T00:00:00Z")
    } else {
        s.to_string()
    }
}

fn is_id(s: &str) -> bool {
    s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Why the tap would fail on this list before syncing, if it would.
pub fn list_problem(list: &serde_json::Value) -> Option<String> {
    let Some(items) = list.as_array() else {
        return Some(
            "it must be a JSON list of {\"customerId\", \"loginCustomerId\"} objects".into(),
        );
    };
    for (i, it) in items.iter().enumerate() {
        let (Some(c), Some(l)) = (
            it.get("customerId").and_then(|v| v.as_str()),
            it.get("loginCustomerId").and_then(|v| v.as_str()),
        ) else {
            return Some(format!(
                "entry {} needs \"customerId\" and \"loginCustomerId\" as strings",
                i + 1
            ));
        };
        if !is_id(l) {
            return Some(format!(
                "entry {}: loginCustomerId {l:?} is not 10 digits; google-ads-python stops with \"The specified login customer ID is invalid\"",
                i + 1
            ));
        }
        if !is_id(c) {
            return Some(format!(
                "entry {}: customerId {c:?} is not 10 digits; the API answers INVALID_CUSTOMER_ID",
                i + 1
            ));
        }
    }
    None
}

impl Format for Singer {
    fn lang(&self) -> Lang {
        Lang::Singer
    }

    fn parse(&self, src: &Source) -> Parsed {
        let mut parsed = Parsed::new(Lang::Singer);
        jsontree::parse_flat(src, &mut parsed);
        parsed
    }

    fn expressible(&self, neutral: &str) -> bool {
        // customer_id and login_customer_id become a login_customer_ids entry.
        matches!(neutral, "customer_id" | "login_customer_id")
            || Lang::Singer.catalog().for_neutral(neutral).is_some()
    }

    fn render(&self, settings: &Settings) -> Result<String> {
        if settings.get_str("secrets_in") == Some("env") {
            return Err(Error::usage(
                "singer-io tap-google-ads reads config.json as is and cannot refer to environment variables; drop --secrets-in env",
            ));
        }
        let mut doc = serde_json::Map::new();
        let put = |doc: &mut serde_json::Map<String, serde_json::Value>, k: &str, n: &str| {
            if let Some(v) = settings.get(n) {
                doc.insert(k.into(), jsontree::json_of(v));
            }
        };
        if let Some(d) = settings.get_str("start_date") {
            doc.insert("start_date".into(), date_time(d).into());
        }
        if let Some(d) = settings.get_str("end_date") {
            doc.insert("end_date".into(), date_time(d).into());
        }
        put(&mut doc, "oauth_client_id", "client_id");
        put(&mut doc, "oauth_client_secret", "client_secret");
        put(&mut doc, "refresh_token", "refresh_token");
        put(&mut doc, "developer_token", "developer_token");
        if let Some(list) = login_list(settings) {
            let ids: Vec<&str> = list
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e.get("customerId").and_then(|v| v.as_str()))
                .collect();
            doc.insert("customer_ids".into(), ids.join(",").into());
            doc.insert("login_customer_ids".into(), list);
        }
        render::render_doc(Lang::Singer, settings, &serde_json::Value::Object(doc))
    }

    fn cannot_carry(&self, neutral: &str, value: &Value) -> Option<String> {
        match neutral {
            "login_customer_ids" => list_problem(&jsontree::json_of(value)),
            "customer_id" | "login_customer_id" if !is_id(&value.to_text()) => Some(format!(
                "singer-io tap-google-ads needs 10 digits without dashes (google-ads-python validates loginCustomerId); got {:?}",
                value.to_text()
            )),
            "start_date" | "end_date" => {
                let t = value.to_text();
                (!crate::formats::airbyte::is_date(&t) && !t.contains('T'))
                    .then(|| format!("singer-io tap-google-ads takes an RFC 3339 date-time or YYYY-MM-DD; got {t:?}"))
            }
            _ => None,
        }
    }

    fn set_edits(
        &self,
        src: &Source,
        _parsed: &Parsed,
        key: &LibKey,
        value: &Value,
    ) -> Result<Vec<Edit>> {
        let root = jsontree::parse_strict(src).map_err(|p| Error::refused(p.message))?;
        let v = match key.key.as_str() {
            "start_date" | "end_date" => serde_json::Value::String(date_time(&value.to_text())),
            _ => jsontree::json_of(value),
        };
        jsontree::set_path_edits(&src.text, &root, &[key.key.as_str()], &v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_required_keys_and_the_list() {
        let mut s = Settings::default();
        for (k, v) in [
            ("client_id", "1-x.apps.googleusercontent.com"),
            ("client_secret", "s"),
            ("refresh_token", "1//0"),
            ("developer_token", "d"),
            ("start_date", "2024-01-01"),
            ("customer_id", "1234567890"),
            ("login_customer_id", "9999999999"),
        ] {
            s.set(k, Value::Str(v.into()));
        }
        let j: serde_json::Value = serde_json::from_str(&Singer.render(&s).unwrap()).unwrap();
        assert_eq!(j["start_date"], "2024-01-01T00:00:00Z");
        assert_eq!(j["customer_ids"], "1234567890");
        assert_eq!(
            j["login_customer_ids"],
            serde_json::json!([{"customerId": "1234567890", "loginCustomerId": "9999999999"}])
        );
        for k in [
            "oauth_client_id",
            "oauth_client_secret",
            "refresh_token",
            "developer_token",
        ] {
            assert!(j.get(k).is_some(), "{k}");
        }
    }

    #[test]
    fn refuses_what_the_tap_refuses() {
        let bad =
            serde_json::json!([{"customerId": "1234567890", "loginCustomerId": "123-456-7890"}]);
        assert!(list_problem(&bad).unwrap().contains("not 10 digits"));
        assert!(list_problem(&serde_json::json!({})).is_some());
        assert!(list_problem(&serde_json::json!([{"customerId": "1234567890"}])).is_some());
        assert_eq!(
            list_problem(
                &serde_json::json!([{"customerId": "1234567890", "loginCustomerId": "1234567890"}])
            ),
            None
        );
    }
}
