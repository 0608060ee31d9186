//! The lint rules of `adsconf check`: ONE table ([`RULES`]) with every rule's code, name,
//! default severity, summary and explanation, and the rule logic grouped by concern in the
//! submodules. Rules work on a parsed file ([`crate::formats::Parsed`]) and the library's key
//! catalogue, so most of them apply to every format.
//!
//! Users put rule names in ignore lists: names and codes never change once published.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diag::{Applicability, Diagnostic, Fix, Severity};
use crate::edit::Edit;
use crate::formats::{Entry, Parsed};
use crate::lang::Lang;
use crate::model::{self, Value};
use crate::schema::LibKey;
use crate::source::Source;

mod credentials;
mod env;
mod files;
mod ids;
pub mod keys;
pub mod loaders;
pub mod mirrors;
mod syntax;
mod values;
pub mod versions;

pub use mirrors::{judge, judge_of, Judge};

pub use versions::Version;

/// One lint rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable code (`ADS003`).
    pub code: &'static str,
    /// Stable kebab-case name (`customer-id-format`).
    pub name: &'static str,
    /// Default severity (a rule may report a finding at another level where the library's
    /// behaviour makes it worse or harmless; the message says why).
    pub severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// What the rule looks for and why it matters.
    pub explanation: &'static str,
    /// A file that triggers the rule.
    pub bad: &'static str,
    /// The same file, fixed.
    pub good: &'static str,
    /// How to fix it (and whether `adsconf fix` can).
    pub fix: &'static str,
}

use Severity::{Error as E, Info as I, Warning as W};

/// Every rule, in code order.
pub const RULES: &[Rule] = &[
    Rule {
        code: "ADS001",
        name: "syntax-error",
        severity: E,
        summary: "The library's own parser rejects the file",
        explanation: "The library cannot load this file at all: its parser (PyYAML, PHP parse_ini_file, \
the Ruby interpreter, an XML or JSON parser, a C# compiler) stops at the marked place, so no setting \
in the file takes effect and the client fails before the first API call. For google_ads_config.rb this \
includes what makes evaluating the file fail, decided without running Ruby: an unclosed block or an \
`end` too many, a misspelt constant (NameError), and a last expression that is not the Config \
(\"did not produce expected type\").",
        bad: "# google-ads.yaml\nclient_id: \"1234-abc.apps.googleusercontent.com\n",
        good: "# google-ads.yaml\nclient_id: \"1234-abc.apps.googleusercontent.com\"\n",
        fix: "Correct the syntax at the marked place (a missing quote, bracket or `=` is the usual cause).",
    },
    Rule {
        code: "ADS002",
        name: "placeholder-value",
        severity: E,
        summary: "A template placeholder (INSERT_…_HERE) is still in the file",
        explanation: "The official templates ship values like `INSERT_DEVELOPER_TOKEN_HERE`. Left in \
place they are sent to Google as real values: invalid_client, INVALID_LOGIN_CUSTOMER_ID or the Python \
\"use_proto_plus\" ValueError follow. Some templates leave optional keys (login_customer_id in Python) \
uncommented, so copying the template breaks even users who do not need the key.",
        bad: "developerToken=INSERT_DEVELOPER_TOKEN_HERE\nloginCustomerId=INSERT_LOGIN_CUSTOMER_ID_HERE\n",
        good: "developerToken=abcdefghijklmnopqrstuv\n",
        fix: "Put the real value in, or delete the line when the setting is optional \
(`adsconf fix --unsafe-fixes` removes optional placeholder keys).",
    },
    Rule {
        code: "ADS003",
        name: "customer-id-format",
        severity: E,
        summary: "A customer id is not 10 digits without separators",
        explanation: "login-customer-id and linked-customer-id must be the 10-digit id without dashes. \
The Ads UI shows ids as 123-456-7890; copied as is, Python rejects it (\"The specified login customer \
ID is invalid. It must be a ten digit number represented as a string\"), Java rejects it (\"Invalid \
loginCustomerId, must be a number\"), and PHP and .NET send it and get INVALID_LOGIN_CUSTOMER_ID from \
the server. Only google-ads-perl strips dashes itself.",
        bad: "login_customer_id: \"123-456-7890\"\n",
        good: "login_customer_id: \"1234567890\"\n",
        fix: "Write the 10 digits only. When removing the separators leaves 10 digits, `adsconf fix` \
does it (safe fix).",
    },
    Rule {
        code: "ADS004",
        name: "customer-id-type",
        severity: W,
        summary: "A customer id is read as a number by the file format",
        explanation: "Unquoted ids are numbers to YAML, PHP INI_SCANNER_TYPED, Ruby and JSON. That is \
usually harmless, but a leading zero makes YAML 1.1 and Ruby read an octal number, `_` is a digit \
separator, and PHP on 32-bit builds overflows. Quoting keeps the id exactly as written.",
        bad: "login_customer_id: 1234567890\n",
        good: "login_customer_id: \"1234567890\"\n",
        fix: "Quote the id. `adsconf fix` adds the quotes when the number reads back as the same digits.",
    },
    Rule {
        code: "ADS005",
        name: "missing-credentials",
        severity: E,
        summary: "No complete set of credentials (OAuth user, service account or ADC)",
        explanation: "Every library needs one complete credential set: client id, client secret and \
refresh token (OAuth user flow), a service-account JSON key file, or Application Default Credentials. \
A partial set fails at the first call (Python: \"Your YAML file is incorrectly configured for OAuth2\"; \
PHP silently falls back to Application Default Credentials).",
        bad: "clientId=1234-abc.apps.googleusercontent.com\nclientSecret=GOCSPX-example\n",
        good: "clientId=1234-abc.apps.googleusercontent.com\nclientSecret=GOCSPX-example\nrefreshToken=1//0example\n",
        fix: "Add the missing keys; `adsconf auth --client-secrets FILE --write CONFIG` obtains a refresh \
token and writes all three.",
    },
    Rule {
        code: "ADS006",
        name: "conflicting-credentials",
        severity: E,
        summary: "Both OAuth user keys and service-account keys are set",
        explanation: "Libraries disagree on what happens: Java and PHP refuse the file, Python silently \
uses the refresh token, Ruby silently uses the service account, .NET follows OAuth2Mode. A file that \
works in one language fails or changes identity in another.",
        bad: "api.googleads.refreshToken=1//0example\napi.googleads.serviceAccountSecretsPath=/keys/sa.json\n",
        good: "api.googleads.serviceAccountSecretsPath=/keys/sa.json\n",
        fix: "Keep one credential set and delete the other.",
    },
    Rule {
        code: "ADS007",
        name: "unknown-key",
        severity: W,
        summary: "A key the library never reads (misspelt, wrong case, another library's name)",
        explanation: "Python, PHP, Java, .NET and Perl silently ignore keys they do not know, so a \
misspelt key looks filled in but the setting is missing (\"A developer token must be set.\", \
UNAUTHENTICATED). Each library spells the same setting differently (refresh_token, refreshToken, \
api.googleads.refreshToken, OAuth2RefreshToken); using another library's spelling is a common cause. \
In Ruby an unknown attribute raises NoMethodError.",
        bad: "# google-ads.yaml\nrefreshToken: 1//0example\n",
        good: "# google-ads.yaml\nrefresh_token: 1//0example\n",
        fix: "Rename the key as suggested. `adsconf fix` renames when the right key is certain (another \
library's name for the same setting, a documented misspelling, a case difference).",
    },
    Rule {
        code: "ADS008",
        name: "wrong-section",
        severity: W,
        summary: "PHP: a key is in a section the library does not read it from",
        explanation: "google-ads-php reads developerToken and loginCustomerId only from [GOOGLE_ADS], \
the OAuth keys only from [OAUTH2], and so on. A key above the first section or under another section \
is ignored, and the library then reports \"A developer token must be set.\" although the value is in \
the file.",
        bad: "[OAUTH2]\ndeveloperToken = \"abcdefghijklmnopqrstuv\"\n",
        good: "[GOOGLE_ADS]\ndeveloperToken = \"abcdefghijklmnopqrstuv\"\n",
        fix: "Move the line under the named section.",
    },
    Rule {
        code: "ADS009",
        name: "duplicate-key",
        severity: W,
        summary: "A key is set more than once; only one value is used",
        explanation: "Every parser keeps the last value of a repeated key (PHP per section). Editing \
the first occurrence then changes nothing, which is a common \"I changed the file but the old id is \
still used\" report.",
        bad: "loginCustomerId=1111111111\nloginCustomerId=2222222222\n",
        good: "loginCustomerId=2222222222\n",
        fix: "Delete the occurrences that do not win (`adsconf fix` deletes them: the file keeps its meaning).",
    },
    Rule {
        code: "ADS010",
        name: "missing-use-proto-plus",
        severity: E,
        summary: "Python: the required use_proto_plus key is missing",
        explanation: "google-ads-python (14.0.0 and later) refuses a configuration without use_proto_plus: \
'The client library configuration is missing the required \"use_proto_plus\" key. Please set this \
option to either \"True\" or \"False\".'",
        bad: "# google-ads.yaml\nclient_id: 1234-abc.apps.googleusercontent.com\n",
        good: "# google-ads.yaml\nuse_proto_plus: True\nclient_id: 1234-abc.apps.googleusercontent.com\n",
        fix: "Add `use_proto_plus: True` (proto-plus messages) or `False` (raw protobuf, faster). \
`adsconf fix --unsafe-fixes` adds `use_proto_plus: True`.",
    },
    Rule {
        code: "ADS011",
        name: "invalid-boolean",
        severity: E,
        summary: "A boolean setting holds a value the library reads differently than intended",
        explanation: "Each library reads flags its own way: Python accepts y/yes/t/true/on/1 and \
n/no/f/false/off/0 and raises on anything else; Java's Boolean.parseBoolean and .NET read anything but \
\"true\" as false; Ruby treats every string, \"false\" included, as true.",
        bad: "# google-ads.yaml\nuse_proto_plus: maybe\n",
        good: "# google-ads.yaml\nuse_proto_plus: true\n",
        fix: "Write true or false (unquoted in YAML, INI, Ruby and JSON).",
    },
    Rule {
        code: "ADS012",
        name: "unquoted-ini-value",
        severity: W,
        summary: "PHP: an unquoted INI value that parse_ini_file may change",
        explanation: "With INI_SCANNER_TYPED, unquoted yes/no/on/off/true/false/null/none become booleans \
or empty, numbers become ints, and the characters ?{}|&~![()^\" have special meanings: an unquoted \
proxy URL or secret can silently become something else. Google's template quotes every value.",
        bad: "[CONNECTION]\nproxy = http://user:p&ss@proxy:8080\n",
        good: "[CONNECTION]\nproxy = \"http://user:p&ss@proxy:8080\"\n",
        fix: "Quote the value with straight double quotes (`adsconf fix` does it when the quoted value \
reads back the same).",
    },
    Rule {
        code: "ADS013",
        name: "properties-escape",
        severity: W,
        summary: "Java/Perl .properties: a value that is not read as written (backslashes, spaces, quotes)",
        explanation: "java.util.Properties treats `\\` as an escape (C:\\keys\\sa.json becomes \
C:keyssa.json) and keeps trailing spaces (\"Invalid loginCustomerId, must be a number, provided: \
1234567890 \"). The Perl reader keeps everything after `=` verbatim: quotes and trailing spaces \
become part of the value.",
        bad: "api.googleads.serviceAccountSecretsPath=C:\\keys\\sa.json\n",
        good: "api.googleads.serviceAccountSecretsPath=C:/keys/sa.json\n",
        fix: "Use forward slashes (or double the backslashes), and delete trailing spaces and quotes. \
`adsconf fix` removes trailing whitespace.",
    },
    Rule {
        code: "ADS014",
        name: "perl-key-spacing",
        severity: W,
        summary: "Perl: spaces around `=` or before `#` make google-ads-perl ignore the line",
        explanation: "google-ads-perl splits each line at the first `=` and trims nothing: \
`loginCustomerId = 1234567890` sets the key \"loginCustomerId \" (which it ignores) to \" 1234567890\"; \
the setting is then missing, which its own rules report. A `#` comment is only a comment in column 0; \
an indented `# …` line is read as a key nobody spells like that, so it is ignored just like a comment \
(an info).",
        bad: "loginCustomerId = 1234567890\n",
        good: "loginCustomerId=1234567890\n",
        fix: "Remove the spaces around `=` (`adsconf fix` does it).",
    },
    Rule {
        code: "ADS015",
        name: "crlf-line-endings",
        severity: E,
        summary: "Windows line endings where the reader keeps the carriage return in values",
        explanation: "google-ads-perl removes only the \\n at the end of each line, and a POSIX shell \
keeps \\r in variables: with CRLF line endings every value ends with an invisible \\r, so tokens and \
ids are rejected.",
        bad: "developerToken=abcdefghijklmnopqrstuv\\r\\n\n",
        good: "developerToken=abcdefghijklmnopqrstuv\\n\n",
        fix: "Save the file with LF line endings (`adsconf fix` converts them).",
    },
    Rule {
        code: "ADS016",
        name: "file-permissions",
        severity: W,
        summary: "A file holding secrets is readable by other users",
        explanation: "Client secrets and refresh tokens give access to the Google Ads accounts. A file \
that group or other users can read leaks them to every account on the machine.",
        bad: "-rw-r--r--  google-ads.yaml   (holds refresh_token)\n",
        good: "-rw-------  google-ads.yaml\n",
        fix: "chmod 600 FILE (files written by adsconf are created with mode 0600).",
    },
    Rule {
        code: "ADS017",
        name: "refresh-token-format",
        severity: E,
        summary: "The refresh token is an authorization code or an access token",
        explanation: "An authorization code (4/0A…) or an access token (ya29.…) pasted as the refresh \
token fails with invalid_grant, or works for an hour and then fails. Refresh tokens usually start \
with 1//. Whitespace or quotes inside the value fail the same way.",
        bad: "refresh_token: 4/0AX4XfWh-example\n",
        good: "refresh_token: 1//0example\n",
        fix: "Obtain a refresh token with `adsconf auth --client-secrets FILE` (or the library's \
generate_user_credentials example) and paste it.",
    },
    Rule {
        code: "ADS018",
        name: "client-id-format",
        severity: E,
        summary: "The OAuth client id does not look like NUMBER-xxx.apps.googleusercontent.com",
        explanation: "A truncated client id, or the client secret pasted in its place, gives \
invalid_client \"The OAuth client was not found.\" at the first token refresh.",
        bad: "clientId=GOCSPX-example\nclientSecret=1234-abc.apps.googleusercontent.com\n",
        good: "clientId=1234-abc.apps.googleusercontent.com\nclientSecret=GOCSPX-example\n",
        fix: "Copy the client id from the Cloud console (APIs & Services → Credentials). When id and \
secret are swapped, `adsconf fix --unsafe-fixes` swaps them back.",
    },
    Rule {
        code: "ADS019",
        name: "key-file-missing",
        severity: E,
        summary: "The service-account key file does not exist or is not a service-account key",
        explanation: "The JSON key path is opened when the client is built (Java: \"Failed to create \
credentials from properties\"). A relative path is resolved against the working directory of the \
program, not the config file; PHP requires an absolute path. An OAuth client file (\"installed\" or \
\"web\") is not a service-account key.",
        bad: "jsonKeyFilePath=/home/me/missing.json\n",
        good: "jsonKeyFilePath=/home/me/keys/service-account.json\n",
        fix: "Point the key at the service-account JSON key downloaded from the Cloud console, with an \
absolute path.",
    },
    Rule {
        code: "ADS020",
        name: "empty-value",
        severity: W,
        summary: "A key is present but has no value",
        explanation: "An empty value is not the same as no key: an empty login-customer-id is sent as an \
empty header by some library/transport versions (INVALID_LOGIN_CUSTOMER_ID after an upgrade), and an \
empty credential fails at the first call.",
        bad: "LoginCustomerId=\n",
        good: "(delete the line)\n",
        fix: "Give the key a value, or delete the line (`adsconf fix` deletes empty optional ids).",
    },
    Rule {
        code: "ADS021",
        name: "env-override",
        severity: W,
        summary: "A GOOGLE_ADS_* environment variable disagrees with the file",
        explanation: "Libraries combine environment variables and files differently: PHP, Ruby and .NET \
let the variable win once the environment is loaded, Python's load_from_storage ignores it, and \
GOOGLE_ADS_CONFIGURATION_FILE_PATH replaces the default file for every library. Two different values \
for one setting make the effective value depend on the loader.",
        bad: "export GOOGLE_ADS_LOGIN_CUSTOMER_ID=2222222222   # file says 1111111111\n",
        good: "unset GOOGLE_ADS_LOGIN_CUSTOMER_ID   # or make both agree\n",
        fix: "Make the variable and the file agree, or unset the variable.",
    },
    Rule {
        code: "ADS022",
        name: "developer-token-ignored",
        severity: I,
        summary: "Developer tokens are ignored by the API since 2026-09-09",
        explanation: "Developer tokens were sunset on 2026-09-09: the developer-token header is optional \
and ignored by the servers; the API access level is that of the Google Cloud project owning the OAuth \
client or service account. Some library versions still require the key to be present \
(google-ads-python before 32.0.0).",
        bad: "developer_token: abcdefghijklmnopqrstuv\n",
        good: "# developer_token no longer needed (google-ads-python >= 32.0.0)\n",
        fix: "Nothing is broken. Remove the key once every library version you use no longer requires it.",
    },
    Rule {
        code: "ADS023",
        name: "ruby-not-static",
        severity: W,
        summary: "Ruby/C#: code adsconf cannot read without running it",
        explanation: "google_ads_config.rb is evaluated as Ruby (and the C# snippet is compiled). adsconf \
reads literal assignments; a value computed by code (ENV.fetch, string interpolation, method calls) \
is not known, so the rules cannot check it.",
        bad: "c.refresh_token = ENV.fetch('TOKEN')\n",
        good: "c.refresh_token = '1//0example'\n",
        fix: "Nothing to fix if intended; `adsconf check` simply cannot vouch for the value.",
    },
    Rule {
        code: "ADS024",
        name: "missing-required-key",
        severity: E,
        summary: "A key this library version requires is missing",
        explanation: "Some keys are required by some library versions only: google-ads-python before \
32.0.0 refuses a file without developer_token (\"A required field in the configuration data was not \
found. The required fields are: ('developer_token', 'use_proto_plus')\"). The version comes from \
--library-version or the project's lock/manifest files next to the config (newest when unknown).",
        bad: "# google-ads.yaml, google-ads==31.4.0\nuse_proto_plus: True\n",
        good: "# google-ads.yaml, google-ads==31.4.0\ndeveloper_token: abcdefghijklmnopqrstuv\nuse_proto_plus: True\n",
        fix: "Add the key, or upgrade the library.",
    },
    Rule {
        code: "ADS025",
        name: "login-customer-id-unreachable",
        severity: E,
        summary: "The login-customer-id cannot reach the customer for this user (needs --hierarchy)",
        explanation: "With login-customer-id L a user can call L and the accounts below L, and only when \
the user has direct access to L. Otherwise every call fails with USER_PERMISSION_DENIED even though the \
header is present.",
        bad: "login_customer_id: \"1000000009\"   # not a manager of the customer\n",
        good: "login_customer_id: \"1000000001\"   # the manager the user was invited to\n",
        fix: "Use the login-customer-id suggested in the message (`adsconf access` lists every option).",
    },
    Rule {
        code: "ADS026",
        name: "login-customer-id-missing",
        severity: E,
        summary: "The customer is reached through a manager but no login-customer-id is set (needs --hierarchy)",
        explanation: "When the user's access to the customer comes through a manager account, the \
manager's id must be sent as login-customer-id: \"If you're accessing a client customer, the manager's \
customer id must be set in the 'login-customer-id' header.\"",
        bad: "# no login_customer_id; access comes through manager 1000000001\n",
        good: "login_customer_id: \"1000000001\"\n",
        fix: "Set the login-customer-id suggested in the message.",
    },
    Rule {
        code: "ADS027",
        name: "login-customer-id-unneeded",
        severity: I,
        summary: "A login-customer-id is set although the user has direct access (needs --hierarchy)",
        explanation: "The header may be omitted when the user calls an account it was invited to \
directly. Keeping it is harmless, but a single config then ties every call to one manager hierarchy.",
        bad: "login_customer_id: \"1000000005\"   # the customer itself, direct access\n",
        good: "# login_customer_id not needed\n",
        fix: "Nothing is broken; remove the key if you like.",
    },
    Rule {
        code: "ADS028",
        name: "refresh-token-age",
        severity: I,
        summary: "The refresh token was minted over 6 days ago and may have died in Testing mode",
        explanation: "Refresh tokens of an OAuth consent screen in Testing mode (External user type) die \
7 days after they are minted; the library then fails at its first call with invalid_grant (\"Token has \
been expired or revoked\"). `adsconf auth --write` and `adsconf init` record when they minted the token, \
in a comment beside it (or a sidecar file `.NAME.adsconf-minted` for formats without comments), with a \
fingerprint of the token so that a token pasted later is not misdated. When Google's answer said the \
token would expire (`refresh_token_expires_in`), the record says so: past that date the token is dead \
and this is a warning. Otherwise the publishing status cannot be known offline, so a token older than \
6 days is an info that names the date it dies if the app is in Testing mode; `adsconf verify` tries it.",
        bad: "# adsconf: refresh token minted 2025-11-02T10:00:00Z (sha256 1a2b3c4d; Google said it expires in 7.0 days: Testing mode)\nrefresh_token: \"1//0example\"\n",
        good: "# adsconf: refresh token minted 2025-11-20T10:00:00Z (sha256 5e6f7a8b)\nrefresh_token: \"1//0example\"   # minted after publishing the app\n",
        fix: "In the Cloud console open Google Auth Platform > Audience and click Publish app (In \
production), then mint a new token with `adsconf auth --client-secrets FILE --write CONFIG` (a token \
minted in Testing mode keeps its 7-day life). If the app is already in production, nothing is wrong: \
ignore the rule (`--ignore refresh-token-age`).",
    },
    Rule {
        code: "ADS029",
        name: "env-interpolation",
        severity: W,
        summary: "PHP: a value is taken from an environment variable (${VAR}) when the file is read",
        explanation: "parse_ini_file expands `${VAR}` inside double-quoted and bare values from the \
environment of the PHP process that loads the file. What google-ads-php reads then depends on where \
it runs (a web server, cron and a shell rarely share an environment), an unset variable silently \
becomes an empty value, and adsconf can only judge the value its own environment gives. Such values \
are masked by `show` and left out by `generate --from` unless `--reveal`.",
        bad: "[OAUTH2]\nclientSecret = \"${ADS_CLIENT_SECRET}\"\n",
        good: "[OAUTH2]\nclientSecret = \"GOCSPX-example\"\n",
        fix: "Nothing to fix if intended: make sure the variable is set wherever the PHP program runs. \
Otherwise write the value itself (single quotes stop the expansion: '${NOT_A_VAR}').",
    },
    Rule {
        code: "ADS030",
        name: "invalid-value",
        severity: E,
        summary: "A value outside what the library's own validation accepts",
        explanation: "Some settings take a fixed set of values or a format, and the library checks them \
itself before the first request: google-ads-php's logLevel must be a PSR-3 level and transport \
\"grpc\" or \"rest\" (\"Transport can only be set as...\"), google-ads-python parses a string `logging` \
value as JSON. The library stops with an exception; where it only prints a complaint and carries on \
(google-ads-ruby's log_level: \"Could not create default logger\"), the finding is a warning.",
        bad: "[LOGGING]\nlogLevel = \"WARN\"\n",
        good: "[LOGGING]\nlogLevel = \"WARNING\"\n",
        fix: "Use one of the values the message lists.",
    },
    Rule {
        code: "ADS031",
        name: "invalid-url",
        severity: E,
        summary: "A proxy or endpoint URL the library refuses",
        explanation: "google-ads-php checks the proxy with filter_var(FILTER_VALIDATE_URL) and the endpoint \
with parse_url; google-ads-ruby raises unless the http_proxy scheme is http or https; google-ads-perl \
hands the proxy to LWP, which has no handler for other schemes. `localhost:8080` has no scheme (Ruby \
reads `localhost` as one), and the template's `protocol://user:pass@host:port` has a port that is not \
a number: each stops the library before its first request.",
        bad: "[CONNECTION]\nproxy = \"localhost:8080\"\n",
        good: "[CONNECTION]\nproxy = \"http://localhost:8080\"\n",
        fix: "Write the whole URL: scheme, optional user:password@, host and numeric port.",
    },
];

/// A level a rule reports instead of its listed one, and when: the severity policy
/// (docs/check.md) made visible. A finding's level is its rule's listed level unless a row
/// here says otherwise; `adsconf rules` and `explain` show the rows, and the rule logic cannot
/// report any other level (checked in debug builds, so every test run enforces it).
#[derive(Debug)]
pub struct OtherLevel {
    /// Rule name.
    pub rule: &'static str,
    pub severity: Severity,
    /// When (the library behaviour that makes it worse or harmless).
    pub when: &'static str,
}

/// Every documented exception to a rule's listed level.
pub const OTHER_LEVELS: &[OtherLevel] = &[
    OtherLevel { rule: "unknown-key", severity: E, when: "Ruby (NoMethodError when the file is evaluated, also for an attribute the pinned release does not have yet or any more) and C# (the compiler rejects an unknown property)" },
    OtherLevel { rule: "duplicate-key", severity: E, when: "C# (a property set twice in an object initializer does not compile, CS1912)" },
    OtherLevel { rule: "placeholder-value", severity: I, when: "the developer token (the API ignores it since 2026-09-09)" },
    OtherLevel { rule: "empty-value", severity: I, when: "an optional key that is not a customer id (only untidy)" },
    OtherLevel { rule: "env-override", severity: E, when: "GOOGLE_ADS_CONFIGURATION_FILE_PATH is a URL or names a file that does not exist (the libraries fail to load)" },
    OtherLevel { rule: "env-override", severity: I, when: "GOOGLE_ADS_CONFIGURATION_FILE_PATH names another library's file (only the libraries that parse it are affected)" },
    OtherLevel { rule: "customer-id-type", severity: E, when: "the format reads another number than the one written (an octal leading 0): google-ads-python refuses the other digits, the others send them and Google refuses them" },
    OtherLevel { rule: "conflicting-credentials", severity: W, when: "Python, Ruby, .NET and Perl (the library loads and silently uses one of the two sets)" },
    OtherLevel { rule: "invalid-boolean", severity: W, when: "every library but google-ads-python: Java, .NET and PHP read an unknown word as false or their default, Ruby any string as true; the library loads and silently uses another value (the severity policy in docs/check.md)" },
    OtherLevel { rule: "customer-id-format", severity: W, when: "google-ads-perl and dashes only, which it strips itself; google-ads-ruby and spaces around the id, which Integer() accepts and the header keeps" },
    OtherLevel { rule: "missing-credentials", severity: W, when: "google-ads-php without a refresh token or key file: it silently falls back to Application Default Credentials" },
    OtherLevel { rule: "key-file-missing", severity: W, when: "the library never opens the file (another credential wins: the refresh token, ADC), or a relative path that loads only from the working directory check ran in" },
    OtherLevel { rule: "invalid-value", severity: W, when: "google-ads-ruby's log_level: the library only prints \"Could not create default logger\" and runs without one" },
    OtherLevel { rule: "perl-key-spacing", severity: I, when: "an indented `#` line: google-ads-perl reads it as a key nobody spells like that, so it is ignored just like a comment" },
    OtherLevel { rule: "refresh-token-age", severity: W, when: "the record says Google announced the token's lifetime when it was minted and that lifetime has passed (the library loads, then its first call fails with invalid_grant)" },
];

impl Rule {
    /// The documented levels other than the listed one.
    pub fn other_levels(&self) -> impl Iterator<Item = &'static OtherLevel> + '_ {
        OTHER_LEVELS.iter().filter(move |o| o.rule == self.name)
    }

    /// May a finding of this rule be reported at `severity`?
    pub fn allows(&self, severity: Severity) -> bool {
        self.severity == severity || self.other_levels().any(|o| o.severity == severity)
    }
}

/// The rule named `name_or_code` (kebab name or code, case-insensitive).
pub fn rule(name_or_code: &str) -> Option<&'static Rule> {
    let w = name_or_code.trim();
    RULES
        .iter()
        .find(|r| r.name.eq_ignore_ascii_case(w) || r.code.eq_ignore_ascii_case(w))
}

/// The closest rule name, for did-you-mean.
pub fn suggest(word: &str) -> Option<&'static str> {
    model::nearest(word, RULES.iter().map(|r| r.name))
}

/// The rule's table entry; rule names used in code must be in the table (tested).
fn entry(name: &str) -> &'static Rule {
    match rule(name) {
        Some(r) => r,
        // Every name used by the rule logic is in RULES (checked by `every_used_name_is_in_the_table`).
        None => &RULES[0],
    }
}

/// A new finding of rule `name` at `span`.
pub fn diag(name: &'static str, path: &str, span: Range<usize>, message: String) -> Diagnostic {
    let r = entry(name);
    Diagnostic {
        rule: r.name,
        code: r.code,
        severity: r.severity,
        message,
        path: path.to_string(),
        span,
        help: None,
        fix: None,
        judge: None,
    }
}

/// Builder helpers on diagnostics.
pub trait DiagExt {
    fn help(self, help: impl Into<String>) -> Self;
    fn severity(self, s: Severity) -> Self;
    /// Who refuses this finding, where it is not what mirrors.toml says for the rule.
    fn judged(self, j: Judge) -> Self;
    fn fix(
        self,
        applicability: Applicability,
        description: impl Into<String>,
        edits: Vec<Edit>,
    ) -> Self;
}

impl DiagExt for Diagnostic {
    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    fn severity(mut self, s: Severity) -> Self {
        debug_assert!(
            entry(self.rule).allows(s),
            "rule `{}` reports {} but lists {}: add a row to OTHER_LEVELS in src/rules/mod.rs (when, and why the policy in docs/check.md allows it)",
            self.rule,
            s.as_str(),
            entry(self.rule).severity.as_str()
        );
        self.severity = s;
        self
    }
    fn judged(mut self, j: Judge) -> Self {
        self.judge = Some(j);
        self
    }
    fn fix(
        mut self,
        applicability: Applicability,
        description: impl Into<String>,
        edits: Vec<Edit>,
    ) -> Self {
        if !edits.is_empty() {
            self.fix = Some(Fix {
                applicability,
                description: description.into(),
                edits,
            });
        }
        self
    }
}

/// Everything a rule may look at for one file.
pub struct FileCtx<'a> {
    /// Path as shown to the user.
    pub path: &'a str,
    /// Path on disk (for permissions, relative key files, version detection).
    pub fs_path: Option<&'a Path>,
    pub src: &'a Source,
    pub parsed: &'a Parsed,
    /// Library version the file is for (`None`: unknown, assume the newest).
    pub version: Option<Version>,
    /// The `GOOGLE_ADS_*` (and .NET `USE_APPLICATION_DEFAULT_CREDENTIALS`) variables in effect.
    pub env: &'a BTreeMap<String, String>,
    /// Working directory (relative key-file paths are resolved against it, as the libraries do).
    pub cwd: Option<PathBuf>,
}

impl<'a> FileCtx<'a> {
    /// A file known only by its text (not on disk): no library version, no environment
    /// beyond `env`, no working directory.
    pub fn text(
        path: &'a str,
        src: &'a Source,
        parsed: &'a Parsed,
        env: &'a BTreeMap<String, String>,
    ) -> Self {
        FileCtx {
            path,
            fs_path: None,
            src,
            parsed,
            version: None,
            env,
            cwd: None,
        }
    }

    pub fn lang(&self) -> Lang {
        self.parsed.lang
    }

    pub fn library(&self) -> &'static str {
        self.lang().info().reader
    }

    pub fn catalog_key(&self, e: &Entry) -> Option<&'static LibKey> {
        self.lang().catalog().find(e.section.as_deref(), &e.key)
    }

    /// The neutral name of an entry's key.
    pub fn neutral_of(&self, e: &Entry) -> Option<&'static str> {
        self.catalog_key(e).and_then(|k| k.neutral.as_deref())
    }

    /// The winning entry for a neutral key (current keys beat deprecated aliases).
    pub fn find_neutral(&self, neutral: &str) -> Option<&'a Entry> {
        let cat = self.lang().catalog();
        let mut best: Option<(&'a Entry, bool)> = None;
        for e in &self.parsed.entries {
            if let Some(k) = cat.find(e.section.as_deref(), &e.key) {
                if k.neutral.as_deref() == Some(neutral) {
                    match best {
                        Some((_, false)) if k.deprecated => {}
                        _ => best = Some((e, k.deprecated)),
                    }
                }
            }
        }
        best.map(|(e, _)| e)
    }

    /// Does the key have a usable value (present, not empty, not a placeholder)?
    pub fn has_value(&self, neutral: &str) -> bool {
        self.find_neutral(neutral).is_some_and(|e| {
            let t = e.value.to_text();
            !matches!(e.value, Value::Null | Value::Bool(false))
                && !t.trim().is_empty()
                && !is_placeholder(&t)
        })
    }

    /// Are there parts of the file adsconf could not read (Ruby/C# code)?
    pub fn has_unreadable(&self) -> bool {
        !self.parsed.problems.is_empty()
    }

    /// The value as shown in messages (secrets masked).
    pub fn shown(&self, e: &Entry) -> String {
        let t = e.value.to_text();
        match crate::formats::secret_kind(self.lang(), e) {
            crate::mask::Kind::None => t,
            crate::mask::Kind::Whole => crate::mask::mask(&t),
            crate::mask::Kind::UrlPassword => crate::mask::mask_url_password(&t),
        }
    }

    /// Line number (1-based) of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.src.line_col(offset).0
    }

    pub fn diag(&self, name: &'static str, span: Range<usize>, message: String) -> Diagnostic {
        diag(name, self.path, span, message)
    }

    /// The key span when the entry has one, else the entry.
    pub fn key_span(e: &Entry) -> Range<usize> {
        if e.key_span.is_empty() {
            e.entry_span.clone()
        } else {
            e.key_span.clone()
        }
    }

    /// The value span when it is not empty, else the key.
    pub fn value_span(e: &Entry) -> Range<usize> {
        if e.value_span.is_empty() {
            Self::key_span(e)
        } else {
            e.value_span.clone()
        }
    }
}

/// Is this entry's value a secret (masked in every output)? By the key, or by the value's
/// shape ([`formats::secret_kind`](crate::formats::secret_kind)).
pub fn is_secret_entry(lang: Lang, e: &Entry) -> bool {
    crate::formats::secret_kind(lang, e) != crate::mask::Kind::None
}

/// Does a value look like a Google secret whatever key holds it (a client secret pasted as
/// the client id, a refresh or access token under a misspelt key)?
pub fn looks_secret(text: &str) -> bool {
    crate::mask::looks_secret(text)
}

/// Byte ranges of secret values in a parsed file (masked in snippets and fixes).
pub fn secret_spans(parsed: &Parsed) -> Vec<Range<usize>> {
    parsed
        .entries
        .iter()
        .filter_map(|e| crate::formats::secret_span(parsed.lang, e))
        .collect()
}

/// Template placeholders: `INSERT_…`, `<YOUR_…>`, `YOUR_…_HERE`.
pub fn is_placeholder(text: &str) -> bool {
    let t = text.trim().trim_matches(|c| c == '"' || c == '\'');
    let u = t.to_ascii_uppercase();
    (u.starts_with("INSERT_")
        && u.len() > 7
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        || (u.starts_with("<YOUR") && u.ends_with('>'))
        || (u.starts_with("YOUR_") && u.ends_with("_HERE"))
}

/// Run every rule on one parsed file.
pub fn check_file(ctx: &FileCtx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    syntax::check(ctx, &mut out);
    keys::check(ctx, &mut out);
    ids::check(ctx, &mut out);
    credentials::check(ctx, &mut out);
    files::check(ctx, &mut out);
    env::check_file(ctx, &mut out);
    values::check(ctx, &mut out);
    versions::check(ctx, &mut out);
    out.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            b.code,
            &b.message,
        ))
    });
    out
}

/// The environment as a pseudo-file, so the value rules apply to variables too.
pub use env::env_source;

/// Which of a config file and a `GOOGLE_ADS_*` variable each library uses, in words.
pub use env::precedence as env_precedence;

/// Findings about the environment itself (`GOOGLE_ADS_CONFIGURATION_FILE_PATH`), for the
/// pseudo-file built by [`env_source`].
pub fn check_env(
    env: &BTreeMap<String, String>,
    src: &Source,
    parsed: &Parsed,
    path: &str,
) -> Vec<Diagnostic> {
    env::check_env(env, src, parsed, path)
}

/// The `GOOGLE_ADS_*` variables (and .NET's `USE_APPLICATION_DEFAULT_CREDENTIALS`) of the process.
pub fn process_env() -> BTreeMap<String, String> {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .filter(|(k, _)| env::relevant(k))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_unique_and_well_formed() {
        let mut codes: Vec<_> = RULES.iter().map(|r| r.code).collect();
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        codes.sort_unstable();
        names.sort_unstable();
        let (nc, nn) = (codes.len(), names.len());
        codes.dedup();
        names.dedup();
        assert_eq!(codes.len(), nc, "duplicate rule code");
        assert_eq!(names.len(), nn, "duplicate rule name");
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(
                r.code,
                format!("ADS{:03}", i + 1),
                "codes follow table order"
            );
            assert!(
                r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{} is not kebab-case",
                r.name
            );
            assert!(
                !r.summary.ends_with('.'),
                "{}: summary is one line without a period",
                r.name
            );
            assert!(
                !r.explanation.is_empty()
                    && !r.bad.is_empty()
                    && !r.good.is_empty()
                    && !r.fix.is_empty()
            );
            assert_ne!(r.bad, r.good, "{}", r.name);
        }
    }

    #[test]
    fn lookup_by_name_or_code() {
        assert_eq!(rule("ADS003").map(|r| r.name), Some("customer-id-format"));
        assert_eq!(rule("ads003").map(|r| r.name), Some("customer-id-format"));
        assert_eq!(rule("unknown-key").map(|r| r.code), Some("ADS007"));
        assert!(rule("nope").is_none());
        assert_eq!(suggest("unknown-keys"), Some("unknown-key"));
    }

    #[test]
    fn every_used_name_is_in_the_table() {
        // Rule names used by the logic: scan the sources for `"name"` literals passed to diag().
        let sources = [
            include_str!("credentials.rs"),
            include_str!("env.rs"),
            include_str!("files.rs"),
            include_str!("ids.rs"),
            include_str!("keys.rs"),
            include_str!("syntax.rs"),
            include_str!("versions.rs"),
            include_str!("values.rs"),
        ];
        let mut used = 0;
        for s in sources {
            for part in s.split("diag(\n").skip(1).chain(s.split("diag(").skip(1)) {
                let part = part.trim_start();
                if let Some(rest) = part.strip_prefix('"') {
                    let name = &rest[..rest.find('"').unwrap()];
                    assert!(
                        rule(name).is_some(),
                        "rule `{name}` is used but not in RULES"
                    );
                    used += 1;
                }
            }
        }
        assert!(used >= 20, "only {used} rule uses found");
    }

    #[test]
    fn placeholders() {
        assert!(is_placeholder("INSERT_DEVELOPER_TOKEN_HERE"));
        assert!(is_placeholder("\"INSERT_OAUTH2_CLIENT_ID_HERE\""));
        assert!(is_placeholder("INSERT_DOMAIN_WIDE_DELEGATION_ACCOUNT"));
        assert!(is_placeholder("<YOUR_DEVELOPER_TOKEN>"));
        assert!(!is_placeholder("INSERT"));
        assert!(!is_placeholder("1//0abc"));
    }

    /// A parsed file built by hand (for formats whose parser is developed elsewhere): one
    /// `key: raw` line per entry, with the value typed as given.
    fn hand(lang: Lang, entries: &[(&str, &str, Value)]) -> (Source, Parsed) {
        let mut text = String::new();
        let mut parsed = Parsed::new(lang);
        for (k, raw, v) in entries {
            let start = text.len();
            text.push_str(k);
            text.push_str(": ");
            let vs = text.len();
            text.push_str(raw);
            let ve = text.len();
            text.push('\n');
            parsed.entries.push(Entry {
                section: None,
                key: k.to_string(),
                value: v.clone(),
                raw: raw.to_string(),
                key_span: start..start + k.len(),
                value_span: vs..ve,
                entry_span: start..text.len(),
            });
        }
        (Source::of(&text), parsed)
    }

    fn run(
        lang: Lang,
        entries: &[(&str, &str, Value)],
        version: Option<Version>,
    ) -> Vec<Diagnostic> {
        let (src, parsed) = hand(lang, entries);
        let env = BTreeMap::new();
        let ctx = FileCtx {
            version,
            ..FileCtx::text("f", &src, &parsed, &env)
        };
        check_file(&ctx)
    }

    fn s(v: &str) -> Value {
        Value::Str(v.into())
    }

    fn creds() -> Vec<(&'static str, &'static str, Value)> {
        vec![
            (
                "client_id",
                "1234-abc.apps.googleusercontent.com",
                s("1234-abc.apps.googleusercontent.com"),
            ),
            ("client_secret", "GOCSPX-x", s("GOCSPX-x")),
            ("refresh_token", "1//0x", s("1//0x")),
        ]
    }

    fn find<'a>(d: &'a [Diagnostic], rule: &str) -> Vec<&'a Diagnostic> {
        d.iter().filter(|x| x.rule == rule).collect()
    }

    #[test]
    fn python_use_proto_plus_and_booleans() {
        let d = run(Lang::Python, &creds(), None);
        let m = find(&d, "missing-use-proto-plus");
        assert_eq!(m.len(), 1);
        assert!(m[0]
            .message
            .contains("missing the required \"use_proto_plus\" key"));
        assert_eq!(
            m[0].fix.as_ref().map(|f| f.applicability),
            Some(Applicability::Unsafe)
        );
        let mut e = creds();
        e.push(("use_proto_plus", "maybe", s("maybe")));
        let d = run(Lang::Python, &e, None);
        assert!(find(&d, "missing-use-proto-plus").is_empty());
        let b = find(&d, "invalid-boolean");
        assert_eq!(b.len(), 1);
        assert!(
            b[0].message.contains("but 'maybe' was given"),
            "{}",
            b[0].message
        );
        let mut e = creds();
        e.push(("use_proto_plus", "1", Value::Int(1)));
        let d = run(Lang::Python, &e, None);
        assert!(find(&d, "invalid-boolean")[0]
            .message
            .contains("<class 'int'>"));
        for ok in [Value::Bool(true), s("yes"), s("F")] {
            let mut e = creds();
            e.push(("use_proto_plus", "x", ok));
            assert!(find(&run(Lang::Python, &e, None), "invalid-boolean").is_empty());
        }
    }

    #[test]
    fn yaml_numbers_for_customer_ids() {
        let mut e = creds();
        e.push(("use_proto_plus", "true", Value::Bool(true)));
        e.push(("login_customer_id", "1234567890", Value::Int(1234567890)));
        e.push(("linked_customer_id", "0123456701", Value::Int(0o123456701)));
        let d = run(Lang::Python, &e, None);
        let t = find(&d, "customer-id-type");
        assert_eq!(t.len(), 2, "{d:#?}");
        assert_eq!(t[0].severity, Severity::Warning);
        let fix = t[0].fix.as_ref().unwrap();
        assert_eq!(fix.applicability, Applicability::Safe);
        assert_eq!(fix.edits[0].replacement, "'1234567890'");
        // The octal reading changes the number: an error, and the quoting fix is unsafe.
        assert_eq!(t[1].severity, Severity::Error);
        assert!(t[1].message.contains("21913025"), "{}", t[1].message);
        assert_eq!(
            t[1].fix.as_ref().unwrap().applicability,
            Applicability::Unsafe
        );
        // The digits written are a valid id: only the typing is wrong.
        assert!(find(&d, "customer-id-format").is_empty());
    }

    /// `check_file` on `text` parsed by the format's own parser, at `version`.
    fn run_text(lang: Lang, text: &str, version: Option<Version>) -> Vec<Diagnostic> {
        let src = Source::of(text);
        let parsed = crate::formats::format(lang).parse(&src);
        let env = BTreeMap::new();
        let ctx = FileCtx {
            version,
            ..FileCtx::text("f", &src, &parsed, &env)
        };
        check_file(&ctx)
    }

    #[test]
    fn a_key_in_the_wrong_php_section_is_ignored_and_the_missing_token_is_its_own_error() {
        let text = "[GOOGLE_ADS]\n[OAUTH2]\ndeveloperToken = \"abcdefghijklmnopqrstuv\"\nclientId = \"1-a.apps.googleusercontent.com\"\nclientSecret = \"GOCSPX-x\"\nrefreshToken = \"1//0x\"\n";
        let d = run_text(Lang::Php, text, Some(Version(33, 5, 0)));
        let w = find(&d, "wrong-section");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].severity, Severity::Warning);
        let m = find(&d, "missing-required-key");
        assert_eq!(m.len(), 1, "{d:#?}");
        assert_eq!(m[0].severity, Severity::Error);
        assert!(m[0].message.contains("A developer token must be set."));
        // The first release after 33.6.0 no longer requires it: only the ignored line remains.
        let d = run_text(Lang::Php, text, Some(Version(34, 0, 0)));
        assert!(find(&d, "missing-required-key").is_empty());
        assert_eq!(find(&d, "wrong-section").len(), 1);
    }

    #[test]
    fn keys_removed_and_added_by_version() {
        let rb = "Google::Ads::GoogleAds::Config.new do |c|\n  c.refresh_token = '1//0x'\n  c.client_id = '1-a.apps.googleusercontent.com'\n  c.client_secret = 'GOCSPX-x'\n  c.use_cloud_org_for_api_access = true\nend\n";
        let at = |v| {
            find(&run_text(Lang::Ruby, rb, v), "unknown-key")
                .iter()
                .map(|d| (d.severity, d.message.clone()))
                .collect::<Vec<_>>()
        };
        let new = at(Some(Version(45, 0, 0)));
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].0, Severity::Error);
        assert!(new[0].1.contains("removed in 45.0.0") && new[0].1.contains("NoMethodError"));
        assert!(at(Some(Version(42, 0, 0))).is_empty());
        let unknown = at(None);
        assert_eq!(
            unknown[0].0,
            Severity::Warning,
            "no version pinned: a warning"
        );
        let adc = "Google::Ads::GoogleAds::Config.new do |c|\n  c.use_application_default_credentials = true\nend\n";
        let old = find(
            &run_text(Lang::Ruby, adc, Some(Version(36, 0, 0))),
            "unknown-key",
        )
        .len();
        assert_eq!(old, 1, "ADC came in 36.1.0");
        assert!(find(
            &run_text(Lang::Ruby, adc, Some(Version(36, 1, 0))),
            "unknown-key"
        )
        .is_empty());
        // gaada -> ads_assistant (google-ads-python 30.0.0), with a rename fix either way.
        let py =
            "use_proto_plus: True\nuse_application_default_credentials: True\ngaada: \"1.0\"\n";
        let d = run_text(Lang::Python, py, Some(Version(34, 0, 0)));
        let u = find(&d, "unknown-key");
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].severity, Severity::Warning);
        assert!(u[0].help.as_deref().unwrap().contains("`ads_assistant`"));
        assert_eq!(
            u[0].fix.as_ref().unwrap().edits[0].replacement,
            "ads_assistant"
        );
        assert!(find(
            &run_text(Lang::Python, py, Some(Version(29, 1, 0))),
            "unknown-key"
        )
        .is_empty());
        let py = "use_proto_plus: True\nuse_application_default_credentials: True\nads_assistant: \"1.0\"\n";
        let d = run_text(Lang::Python, py, Some(Version(29, 1, 0)));
        assert!(find(&d, "unknown-key")[0]
            .message
            .contains("added in 30.0.0"));
    }

    #[test]
    fn developer_token_required_before_python_32() {
        let mut e = creds();
        e.push(("use_proto_plus", "true", Value::Bool(true)));
        let old = run(Lang::Python, &e, Some(Version(31, 4, 0)));
        let m = find(&old, "missing-required-key");
        assert_eq!(m.len(), 1);
        assert!(m[0].message.contains("31.4.0") && m[0].message.contains("developer_token"));
        assert!(find(
            &run(Lang::Python, &e, Some(Version(32, 0, 0))),
            "missing-required-key"
        )
        .is_empty());
        assert!(find(&run(Lang::Python, &e, None), "missing-required-key").is_empty());
        e.push(("developer_token", "abc", s("abcdefghijklmnopqrstuv")));
        let d = run(Lang::Python, &e, Some(Version(31, 4, 0)));
        assert!(find(&d, "missing-required-key").is_empty());
        let info = find(&d, "developer-token-ignored");
        assert_eq!(info[0].severity, Severity::Info);
        assert!(info[0].message.contains("31.4.0 still requires"));
    }

    #[test]
    fn ruby_truthiness_and_unknown_attributes() {
        let mut e = creds();
        e.push(("use_application_default_credentials", "'false'", s("false")));
        e.push(("login_customer_idd", "'1234567890'", s("1234567890")));
        let d = run(Lang::Ruby, &e, None);
        let b = find(&d, "invalid-boolean");
        // Ruby loads the file and silently uses ADC: a warning by the severity policy.
        assert_eq!(b[0].severity, Severity::Warning);
        assert!(b[0].message.contains("means true"));
        let u = find(&d, "unknown-key");
        assert_eq!(u[0].severity, Severity::Error);
        assert!(
            u[0].message.contains("NoMethodError") && u[0].message.contains("login_customer_id")
        );
    }

    #[test]
    fn conflicting_credentials_depend_on_the_library() {
        let mut e = creds();
        e.push(("json_key_file_path", "/k.json", s("/k.json")));
        e.push(("use_proto_plus", "true", Value::Bool(true)));
        let py = run(Lang::Python, &e, None);
        let c = find(&py, "conflicting-credentials");
        assert_eq!(c[0].severity, Severity::Warning);
        assert!(c[0].message.contains("silently uses the refresh token"));
        let rb = run(
            Lang::Ruby,
            &[
                ("refresh_token", "'1//0x'", s("1//0x")),
                ("keyfile", "'/k.json'", s("/k.json")),
            ],
            None,
        );
        assert!(find(&rb, "conflicting-credentials")[0]
            .message
            .contains("service account (keyfile)"));
    }

    #[test]
    fn other_libraries_spellings_are_recognised() {
        let mut e = creds();
        e.push(("use_proto_plus", "true", Value::Bool(true)));
        e.push(("loginCustomerId", "1234567890", s("1234567890")));
        e.push((
            "api.googleads.developerToken",
            "x",
            s("abcdefghijklmnopqrstuv"),
        ));
        let d = run(Lang::Python, &e, None);
        let u = find(&d, "unknown-key");
        assert_eq!(u.len(), 2, "{d:#?}");
        assert!(
            u[0].message.contains("did you mean `login_customer_id`"),
            "{}",
            u[0].message
        );
        assert!(
            u[0].help
                .as_deref()
                .unwrap()
                .contains("is the name google-ads-php and google-ads-perl use"),
            "{:?}",
            u[0].help
        );
        assert!(u[1].message.contains("did you mean `developer_token`"));
        // The library loads and ignores the line: a warning (the policy), with a safe rename.
        assert!(u.iter().all(|x| x.severity == Severity::Warning
            && x.fix.as_ref().unwrap().applicability == Applicability::Safe));
    }

    #[test]
    fn other_levels_name_rules_and_differ_from_the_listed_level() {
        for o in OTHER_LEVELS {
            let r =
                rule(o.rule).unwrap_or_else(|| panic!("OTHER_LEVELS names no rule `{}`", o.rule));
            assert_ne!(
                r.severity, o.severity,
                "{}: the listed level needs no row",
                o.rule
            );
            assert!(!o.when.is_empty());
        }
    }
}
