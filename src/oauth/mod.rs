//! Google OAuth 2.0 for the Google Ads API (CONTRACT §3 `auth`, `verify`;
//! `reference/oauth.md` §3, §5, §9).
//!
//! - [`secrets`]: the client secrets JSON downloaded from the Cloud console.
//! - [`pkce`]: random `state`, PKCE verifier and S256 challenge.
//! - [`query`]: percent-encoding, query strings, the authorization URL.
//! - [`flow`]: the authorization-code flow to a refresh token (redirect plan, browser, PKCE).
//! - [`listener`]: the loopback listener and the pasted-URL path, raced until a redirect.
//! - [`token`]: token endpoint calls (code exchange, refresh) and their answers.
//! - [`errors`]: one table mapping every OAuth / API error code to what happened and what to do.
//! - [`creds`]: credentials from a config's settings → an access token; API failure explanations.
//! - [`jwt`]: the service-account JWT assertion (RS256).

pub mod adc;
pub mod client_files;
pub mod creds;
pub mod errors;
pub mod flow;
pub mod jwt;
pub mod listener;
pub mod minted;
pub mod pkce;
pub mod query;
pub mod secrets;
pub mod token;
