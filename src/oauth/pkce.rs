//! Random `state` and PKCE (RFC 7636, S256) from the OS CSPRNG.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// `n` random bytes from the OS, base64url without padding.
pub fn random_token(n: usize) -> Result<String> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf)
        .map_err(|e| Error::usage(format!("cannot get random bytes from the OS: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(&buf))
}

/// `code_challenge` for a verifier: base64url-nopad(SHA-256(verifier)).
pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A PKCE pair.
#[derive(Debug, Clone)]
pub struct Pkce {
    /// 43 characters from `[A-Za-z0-9-_]` (32 random octets).
    pub verifier: String,
    pub challenge: String,
}

impl Pkce {
    pub fn new() -> Result<Pkce> {
        let verifier = random_token(32)?;
        let challenge = challenge(&verifier);
        Ok(Pkce {
            verifier,
            challenge,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b() {
        // The example of RFC 7636 Appendix B.
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifier_is_spec_shaped_and_random() {
        let a = Pkce::new().unwrap();
        let b = Pkce::new().unwrap();
        assert_eq!(a.verifier.len(), 43);
        assert!(a
            .verifier
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c)));
        assert_ne!(a.verifier, b.verifier);
        assert_eq!(a.challenge, challenge(&a.verifier));
        assert_ne!(random_token(32).unwrap(), random_token(32).unwrap());
    }
}
