//! Service accounts: the key file and the RS256 JWT assertion of the jwt-bearer grant
//! (oauth.md §6): claims `iss`, `scope`, `aud`, `iat`, `exp`, optional `sub`.

use std::path::Path;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Value as Json};

use crate::error::{Error, Result};

/// What `verify` needs from a service-account key file.
#[derive(Debug, Clone)]
pub struct ServiceAccountKey {
    pub client_email: String,
    pub private_key_pem: String,
    pub private_key_id: Option<String>,
    pub token_uri: Option<String>,
}

pub fn load_key(path: &Path) -> Result<ServiceAccountKey> {
    let text = crate::source::read_text(path, "a service-account key file (JSON)")?;
    parse_key(&text, &path.display().to_string())
}

pub fn parse_key(text: &str, name: &str) -> Result<ServiceAccountKey> {
    let json: Json = serde_json::from_str(text).map_err(|e| {
        Error::usage(format!(
            "{name}:{}:{}: not valid JSON ({e}); download a new key (IAM & Admin > Service accounts > Keys)",
            e.line(),
            e.column()
        ))
    })?;
    if json.get("installed").is_some() || json.get("web").is_some() {
        return Err(Error::usage(format!(
            "{name} is an OAuth client secrets file, not a service-account key; use it with `adsconf auth --client-secrets {name}` to get a refresh token"
        )));
    }
    let field = |k: &str| json.get(k).and_then(Json::as_str).map(str::to_string);
    if let Some(t) = field("type") {
        if t != "service_account" {
            return Err(Error::usage(format!(
                "{name} is a `{t}` credential, not a service-account key (type service_account)"
            )));
        }
    }
    let client_email = field("client_email").ok_or_else(|| {
        Error::usage(format!(
            "{name}: `client_email` is missing; download a new key for the service account"
        ))
    })?;
    let private_key_pem = field("private_key").ok_or_else(|| {
        Error::usage(format!(
            "{name}: `private_key` is missing; download a new key for the service account"
        ))
    })?;
    Ok(ServiceAccountKey {
        client_email,
        private_key_pem,
        private_key_id: field("private_key_id"),
        token_uri: field("token_uri"),
    })
}

/// The DER bytes of the first PEM block, and whether it is PKCS#8 (`PRIVATE KEY`) or
/// PKCS#1 (`RSA PRIVATE KEY`).
fn pem_der(pem: &str) -> Option<(Vec<u8>, bool)> {
    let begin = pem.find("-----BEGIN ")?;
    let rest = &pem[begin + 11..];
    let label_end = rest.find("-----")?;
    let label = &rest[..label_end];
    let body_start = label_end + 5;
    let end = rest.find("-----END ")?;
    let b64: String = rest[body_start..end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = STANDARD.decode(b64).ok()?;
    match label {
        "PRIVATE KEY" => Some((der, true)),
        "RSA PRIVATE KEY" => Some((der, false)),
        _ => None,
    }
}

/// The JWT claims for Google's token endpoint.
pub fn claims(
    key: &ServiceAccountKey,
    aud: &str,
    scope: &str,
    sub: Option<&str>,
    now: u64,
) -> Json {
    let mut c = json!({
        "iss": key.client_email,
        "scope": scope,
        "aud": aud,
        "iat": now,
        "exp": now + 3600,
    });
    if let Some(s) = sub.filter(|s| !s.is_empty()) {
        c["sub"] = json!(s);
    }
    c
}

/// Sign `claims` with the key: `header.claims.signature`, RS256.
pub fn sign(key: &ServiceAccountKey, claims: &Json, name: &str) -> Result<String> {
    use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
    let bad = |why: &str| {
        Error::usage(format!(
            "{name}: the private_key {why}; download a new key for the service account (IAM & Admin > Service accounts > Keys)"
        ))
    };
    let (der, pkcs8) =
        pem_der(&key.private_key_pem).ok_or_else(|| bad("is not a PEM private key"))?;
    let pair = if pkcs8 {
        RsaKeyPair::from_pkcs8(&der)
    } else {
        RsaKeyPair::from_der(&der)
    }
    .map_err(|e| bad(&format!("is not a usable RSA key ({e})")))?;
    let mut header = json!({"alg": "RS256", "typ": "JWT"});
    if let Some(kid) = &key.private_key_id {
        header["kid"] = json!(kid);
    }
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut sig = vec![0u8; pair.public().modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        signing_input.as_bytes(),
        &mut sig,
    )
    .map_err(|_| bad("could not sign"))?;
    Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_shapes() {
        let k = parse_key(
            r#"{"type":"service_account","client_email":"a@p.iam.gserviceaccount.com","private_key":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n","private_key_id":"k1"}"#,
            "k.json",
        )
        .unwrap();
        assert_eq!(k.client_email, "a@p.iam.gserviceaccount.com");
        let e = sign(&k, &json!({}), "k.json").unwrap_err();
        assert!(e.message.contains("not a usable RSA key"), "{}", e.message);
        let e = parse_key(r#"{"installed":{}}"#, "c.json").unwrap_err();
        assert!(e.message.contains("client secrets"));
        let e = parse_key(r#"{"type":"authorized_user"}"#, "c.json").unwrap_err();
        assert!(e.message.contains("authorized_user"));
    }

    #[test]
    fn claims_carry_sub_only_when_set() {
        let k = ServiceAccountKey {
            client_email: "a@b".into(),
            private_key_pem: String::new(),
            private_key_id: None,
            token_uri: None,
        };
        let c = claims(
            &k,
            "https://oauth2.googleapis.com/token",
            "s",
            Some("u@x.com"),
            100,
        );
        assert_eq!(c["sub"], "u@x.com");
        assert_eq!(c["exp"], 3700);
        assert!(claims(&k, "a", "s", None, 1).get("sub").is_none());
    }
}
