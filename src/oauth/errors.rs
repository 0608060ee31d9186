//! One table: every OAuth and Google Ads API error code we can meet in `auth` and `verify`,
//! with what happened and what to do (oauth.md §3.5, §5).

/// One known error.
pub struct Known {
    /// The code as Google sends it (`error` of a token answer or redirect, a Google Ads
    /// error code, an `ErrorInfo` reason, or an RPC status).
    pub code: &'static str,
    /// What happened.
    pub what: &'static str,
    /// What to do.
    pub fix: &'static str,
}

/// The table. Order matters where several codes come in one answer: the first match in this
/// table is the explanation shown (most specific first).
pub const KNOWN: &[Known] = &[
    // --- token endpoint and redirect errors (RFC 6749 §4.1.2.1, §5.2; Google extensions) ---
    Known {
        code: "invalid_grant",
        what: "Google rejected the grant: the refresh token has expired or been revoked, or the authorization code was already used, expired or did not match its PKCE verifier",
        fix: "run `adsconf auth` again for a fresh refresh token. If tokens die after 7 days, the OAuth consent screen is in Testing mode: in the Cloud console open Google Auth Platform > Audience, click Publish app (In production), then generate a new token (an old one keeps its 7-day life). Tokens also die after 6 months unused, when the user revokes access, or beyond 100 live tokens per account and client",
    },
    Known {
        code: "invalid_client",
        what: "Google does not know this OAuth client: the client id is wrong or the client was deleted, or the client secret does not match (rotated or mistyped)",
        fix: "download the client secrets JSON again from the Cloud console (APIs & Services > Credentials) and use client_id and client_secret from that same file together with a refresh token generated for it",
    },
    Known {
        code: "unauthorized_client",
        what: "the refresh token was issued to a different OAuth client than the client id and secret presented with it",
        fix: "keep client_id, client_secret and refresh_token from one `adsconf auth` run together: run `adsconf auth --client-secrets FILE --write CONFIG` with the client whose id is in the config",
    },
    Known {
        code: "redirect_uri_mismatch",
        what: "the redirect URI is not registered for this OAuth client (Web application clients need it registered exactly), or it differs between the authorization and the token request",
        fix: "use a Desktop app client (any loopback port works), or add the loopback redirect URI printed above, e.g. http://127.0.0.1, under Authorized redirect URIs of the Web client in the Cloud console, download the JSON again and retry",
    },
    Known {
        code: "access_denied",
        what: "the authorization was refused: Cancel was pressed on the consent screen, or the Google account is not allowed to use this app (a Testing-mode app only lets its listed test users in; a Workspace admin may block it)",
        fix: "run `adsconf auth` again and click Continue/Allow; if Google says access is blocked, add the account under Google Auth Platform > Audience > Test users in the Cloud console (or publish the app), or ask your Workspace admin to allow it",
    },
    Known {
        code: "invalid_request",
        what: "the request lacks a parameter or has a malformed one (for example an empty refresh token or client secret in the config)",
        fix: "check that client_id, client_secret and refresh_token are all set and non-empty; regenerate them with `adsconf auth --write CONFIG` if unsure",
    },
    Known {
        code: "invalid_scope",
        what: "the requested scope is not valid for this client",
        fix: "check the --scope values; the Google Ads scope is https://www.googleapis.com/auth/adwords",
    },
    Known {
        code: "deleted_client",
        what: "the OAuth client was deleted in the Cloud console",
        fix: "create a new OAuth client (Desktop app), download its JSON and run `adsconf auth` with it",
    },
    Known {
        code: "admin_policy_enforced",
        what: "a Google Workspace administrator blocks this app or scope for the account",
        fix: "ask the Workspace admin to trust the app (Security > API controls), or use another account",
    },
    Known {
        code: "org_internal",
        what: "the app's consent screen is Internal, so only accounts of its own Workspace organisation may use it",
        fix: "sign in with an account of that organisation, or set the audience to External in the Cloud console",
    },
    Known {
        code: "unsupported_grant_type",
        what: "the token endpoint does not accept this grant type (is the token URI really Google's OAuth token endpoint?)",
        fix: "use https://oauth2.googleapis.com/token as token_uri",
    },
    // --- failures of the flow itself (adsconf's own codes) ---
    Known {
        code: "no_refresh_token",
        what: "Google answered without a refresh token: it issues one only on a fresh consent (`prompt=consent`, `access_type=offline`), and a refresh token may be missing when the account already granted access to this client through another flow or the client is not a Desktop/Web OAuth client",
        fix: "revoke the app's access at https://myaccount.google.com/permissions, then run `adsconf auth` again; make sure the client secrets file is for a Desktop app (or Web application) client",
    },
    Known {
        code: "scope_not_granted",
        what: "the Google Ads scope was not granted (its checkbox was left unticked on the consent screen), so the token cannot call the API",
        fix: "run `adsconf auth` again and tick \"See, edit, create and delete your Google Ads accounts and data\"",
    },
    Known {
        code: "state_mismatch",
        what: "the redirect carried a missing or different `state` than the one adsconf sent, so it may not come from this authorization (a stale browser tab, another run, or a forged request); no token was requested",
        fix: "run `adsconf auth` again and finish in the browser tab it opens (or paste the newest redirect URL)",
    },
    Known {
        code: "port_in_use",
        what: "the loopback port is already in use by another program (perhaps another `adsconf auth` or an SSH tunnel)",
        fix: "stop that program, pick another --port, or leave --port out for a free ephemeral port (Desktop app clients accept any port)",
    },
    Known {
        code: "timeout",
        what: "no redirect arrived in time. Errors such as redirect_uri_mismatch, invalid_client, org_internal or \"Access blocked\" are shown on Google's page in the browser and never reach adsconf; a browser on another machine (SSH, Docker, WSL, a VM) cannot reach 127.0.0.1 here",
        fix: "read the browser page for Google's error; on a remote machine use --no-browser, open the URL on your own machine and paste the address of the page the browser ends on (\"can't connect to 127.0.0.1\") here, or forward the port (`ssh -L PORT:127.0.0.1:PORT` with --port PORT); allow more time with --timeout",
    },
    Known {
        code: "timeout_no_browser",
        what: "no redirect URL was pasted in time",
        fix: "open the URL printed above in any browser, sign in, and paste here the full address of the page it ends on (it may fail to load: copy it anyway), then press Enter; allow more time with --timeout",
    },
    // --- Google Ads API (listAccessibleCustomers) ---
    Known {
        code: "SERVICE_DISABLED",
        what: "the Google Ads API is not enabled in the Google Cloud project of this OAuth client",
        fix: "enable it at https://console.cloud.google.com/apis/library/googleads.googleapis.com for that project (the message names it), wait a few minutes, then retry",
    },
    Known {
        code: "CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION",
        what: "your Cloud project's Google Ads API access level is Test: the project of this OAuth client (or service account) may call test accounts only, and listAccessibleCustomers does not show it",
        fix: "apply for Explorer or Basic access in the Cloud console's Google Ads API page (APIs & Services > Google Ads API > access level) for that project, or call test accounts until it is approved",
    },
    Known {
        code: "ACTION_NOT_PERMITTED",
        what: "the caller may not do this on this customer: its role there is too weak for the call",
        fix: "use a login-customer-id that gives a stronger role (`adsconf access` lists them), or ask an admin of the account for standard access",
    },
    Known {
        code: "DEVELOPER_TOKEN_NOT_APPROVED",
        what: "the developer token is approved for test accounts only",
        fix: "apply for Basic access in the API Center of your manager account, or call test accounts",
    },
    Known {
        code: "DEVELOPER_TOKEN_INVALID",
        what: "the developer token is not valid",
        fix: "copy developer_token again from Admin > API Center of your manager account",
    },
    Known {
        code: "DEVELOPER_TOKEN_PARAMETER_MISSING",
        what: "the API wants a developer token and the config has none",
        fix: "set developer_token (Admin > API Center of your manager account), e.g. `adsconf set CONFIG developer_token=…`",
    },
    Known {
        code: "DEVELOPER_TOKEN_PROHIBITED",
        what: "the developer token is not allowed with this Google Cloud project",
        fix: "use the developer token that belongs to the project of this OAuth client (one project per token)",
    },
    Known {
        code: "NOT_ADS_USER",
        what: "the Google account behind these credentials is not associated with any Google Ads account",
        fix: "run `adsconf auth` again and sign in with a Google account that has access to Google Ads (for a manager hierarchy: the manager account's login)",
    },
    Known {
        code: "USER_PERMISSION_DENIED",
        what: "the Google account behind these credentials has no access to the customer called",
        fix: "sign in with an account that has access (`adsconf auth` again), or set login_customer_id to the manager account through which the access is granted",
    },
    Known {
        code: "OAUTH_TOKEN_INVALID",
        what: "the API did not accept the access token",
        fix: "check that the token endpoint is Google's and run `adsconf auth` again",
    },
    Known {
        code: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
        what: "the credentials were granted without the Google Ads scope (the adwords box was unticked on the consent screen, or another scope was requested)",
        fix: "run `adsconf auth` again and allow access to Google Ads",
    },
    Known {
        code: "PERMISSION_DENIED",
        what: "the API refused the call (permission denied)",
        fix: "read the message above; the usual causes are the Google Ads API not enabled in the Cloud project, or an account without access",
    },
    Known {
        code: "UNAUTHENTICATED",
        what: "the API did not accept the credentials",
        fix: "run `adsconf auth` again and check that the token endpoint is Google's",
    },
];

/// The entry for `code`, if known.
pub fn lookup(code: &str) -> Option<&'static Known> {
    KNOWN.iter().find(|k| k.code == code)
}

/// The best explanation among several codes: the first in table order.
pub fn best<'a>(codes: impl IntoIterator<Item = &'a str>) -> Option<&'static Known> {
    let codes: Vec<&str> = codes.into_iter().collect();
    KNOWN.iter().find(|k| codes.contains(&k.code))
}

/// One paragraph: `CODE: what. To fix: fix.` (and the server's own description, masked by
/// the caller, when there is one).
pub fn explain(code: &str, description: Option<&str>) -> String {
    let desc = description
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| format!(" (Google says: \"{d}\")"))
        .unwrap_or_default();
    match lookup(code) {
        Some(k) => format!("{code}{desc}: {}. To fix: {}", k.what, k.fix),
        None => format!("{code}{desc}: an error adsconf does not know; search the code in the Google Ads API and OAuth documentation"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_complete() {
        let mut seen = std::collections::BTreeSet::new();
        for k in KNOWN {
            assert!(seen.insert(k.code), "duplicate {}", k.code);
            assert!(!k.what.is_empty() && !k.fix.is_empty());
        }
        for code in [
            "invalid_grant",
            "redirect_uri_mismatch",
            "invalid_client",
            "unauthorized_client",
            "access_denied",
            "SERVICE_DISABLED",
            "CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION",
            "USER_PERMISSION_DENIED",
            "NOT_ADS_USER",
        ] {
            assert!(lookup(code).is_some(), "{code}");
        }
    }

    #[test]
    fn specific_beats_generic() {
        assert_eq!(
            best(["PERMISSION_DENIED", "SERVICE_DISABLED"])
                .unwrap()
                .code,
            "SERVICE_DISABLED"
        );
        let e = explain("invalid_grant", Some("Token has been expired or revoked."));
        assert!(e.contains("Testing mode") && e.contains("Token has been expired"));
        assert!(explain("weird_thing", None).contains("does not know"));
    }
}
