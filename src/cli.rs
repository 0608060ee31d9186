//! The command line (CONTRACT §3). Each subcommand's logic lives in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::lang::Lang;
use crate::oauth::flow::Flow;
use crate::report::CheckFormat;
use crate::view::ShowFormat;
use crate::write::WriteOpts;

/// Version with the git revision the binary was built from.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("ADSCONF_GIT_REVISION"),
    ")"
);

#[derive(Debug, Parser)]
#[command(
    name = "adsconf",
    version = LONG_VERSION,
    about = "Generate, read back, lint and safely edit Google Ads API client-library configuration files",
    long_about = "adsconf holds one model of your Google Ads API settings and writes it for any client \
library (Java, .NET, PHP, Python, Ruby, Perl, curl, env), reads existing files back exactly as the \
library's own parser does, lints them, edits them in place after showing a diff, runs the OAuth flow \
that yields a refresh token, and tells you which login-customer-id to use.",
    after_help = "Examples:\n  adsconf generate python --from adsconf.toml -o google-ads.yaml\n  adsconf generate php --from google-ads.yaml\n  adsconf show google-ads.yaml\n  adsconf check -r .\n  adsconf set google-ads.yaml login_customer_id=1234567890\n  adsconf auth --client-secrets client_secret.json --write google-ads.yaml\n  adsconf access --hierarchy hierarchy.toml --user U2 --customer 1000000005",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render the settings as LANG's configuration file (also converts between libraries)
    #[command(
        after_help = "Examples:\n  adsconf generate python --from adsconf.toml -o google-ads.yaml\n  adsconf generate java --from google-ads.yaml > ads.properties\n  GOOGLE_ADS_CLIENT_ID=... adsconf generate env --from env\n  adsconf generate php --from adsconf.toml --from env   # later sources win\n  adsconf generate ruby --allow-empty -o google_ads_config.rb   # a skeleton without settings\n  adsconf generate airbyte --from google-ads.yaml -o source-google-ads.json\n  adsconf generate mcp --client vscode --secrets-in env --from google-ads.yaml -o .vscode/mcp.json\n  adsconf generate singer --from google-ads.yaml --hierarchy hierarchy.toml --user me@example.com\n  adsconf generate dlt --from adsconf.toml -o .dlt/secrets.toml\n  adsconf generate meltano --from google-ads.yaml -o meltano.yml   # secrets go to .env\n  adsconf generate python --from google_ads_php.ini --reveal   # include ${VAR} values\n  adsconf generate python --from adsconf.toml -o google-ads.yaml --yes --chmod"
    )]
    Generate(GenerateArgs),
    /// Print what LANG's library reads from a config file, under neutral names
    #[command(
        after_help = "Examples:\n  adsconf show google-ads.yaml\n  adsconf show ads.properties --format json --reveal\n  adsconf show --lang php          # the file google-ads-php would load, and env overrides"
    )]
    Show(ShowArgs),
    /// Lint configuration files
    #[command(
        after_help = "Examples:\n  adsconf check google-ads.yaml\n  adsconf check -r . --format sarif > adsconf.sarif\n  adsconf check --deny warnings --ignore developer-token-ignored ads.properties\n  adsconf check google-ads.yaml --hierarchy h.toml --user me@example.com --customer 1234567890\n  adsconf check --library-version 31.4.0 google-ads.yaml\n  adsconf check -r . --library-version python=31.4.0,php=33.5.0"
    )]
    Check(CheckArgs),
    /// Set values in an existing config file, keeping everything else byte for byte
    #[command(
        override_usage = "adsconf set [OPTIONS] <FILE> <KEY=VALUE>...\n       adsconf set [OPTIONS] <FILE> --unset <KEY>... [KEY=VALUE]...",
        after_help = "Examples:\n  adsconf set google-ads.yaml login_customer_id=1234567890\n  adsconf set google-ads.yaml client_secret=-     # the value from stdin (not echoed on a terminal)\n  pass show ads/refresh | adsconf set google_ads_php.ini refresh_token=- --yes\n  adsconf set ads.properties api.googleads.loginCustomerId=1234567890 --dry-run\n  adsconf set google-ads.yaml refresh_token=- --yes --chmod   # and make the file 0600\n  adsconf set shared.yaml login_customer_id=1234567890 --break-hardlinks"
    )]
    Set(SetArgs),
    /// Apply the safe fixes `check` reports
    #[command(
        after_help = "Examples:\n  adsconf fix google-ads.yaml --dry-run\n  adsconf fix google_ads_php.ini ads.properties --yes\n  adsconf fix --unsafe-fixes google-ads.yaml"
    )]
    Fix(FixArgs),
    /// Run the OAuth 2.0 flow and obtain a refresh token
    #[command(
        after_help = "Examples:\n  adsconf auth --client-secrets client_secret.json\n  adsconf auth --client-secrets client_secret.json --write google-ads.yaml --write ads.properties\n  adsconf auth --client-secrets client_secret.json --no-browser   # paste the redirect URL\n  adsconf auth --client-secrets client_secret.json --adc   # for libraries and the MCP server that read ADC\n  adsconf auth --client-secrets client_secret.json --write google-ads.yaml --chmod   # and make it 0600"
    )]
    Auth(AuthArgs),
    /// From nothing to a working, verified config: library, credentials, refresh token, accounts, login-customer-id, config, verify
    #[command(
        after_help = "Examples:\n  adsconf init                                   # asks what it cannot find out\n  adsconf init --lang python --client-secrets client_secret.json --customer 1234567890 --yes\n  adsconf init --key-file sa-key.json --customer 123-456-7890 --login-customer-id 1112223333 --yes\n  adsconf init --adc --lang java --no-browser\n  adsconf init --lang python --also env,curl     # + googleads.env and googleads.curl.sh beside it\n  adsconf init --lang php --also env=.env.googleads --yes"
    )]
    Init(InitArgs),
    /// Check that a config's credentials work against the API, step by step (network, token, scopes, API, production access)
    #[command(
        after_help = "Examples:\n  adsconf verify google-ads.yaml\n  adsconf verify            # the file the library would load by default\n  adsconf verify google-ads.yaml --customer 1234567890   # also the Cloud project's production access\n  adsconf verify google-ads.yaml --report verify-report.md   # a redacted support bundle"
    )]
    Verify(VerifyArgs),
    /// Which login-customer-id to use, with which role, from an account hierarchy
    #[command(
        after_help = "Examples:\n  adsconf access --hierarchy hierarchy.toml\n  adsconf access --hierarchy hierarchy.toml --user U2 --customer A1\n  adsconf access --hierarchy hierarchy.toml --format mermaid\n  adsconf access --live --config google-ads.yaml --save hierarchy.toml\n  adsconf access --live --in-flight 4   # fewer requests at once (RESOURCE_EXHAUSTED)"
    )]
    Access(AccessArgs),
    /// List every lint rule
    #[command(
        after_help = "Examples:\n  adsconf rules\n  adsconf rules --format json | jq '.[].name'"
    )]
    Rules(RulesArgs),
    /// Explain one lint rule: what, why, example, fix
    #[command(
        after_help = "Examples:\n  adsconf explain customer-id-format\n  adsconf explain ADS003"
    )]
    Explain(ExplainArgs),
    /// Run the language server for editors (LSP over stdin/stdout): check's findings, fixes,
    /// hovers and completions where the file is edited
    #[command(
        after_help = "Examples:\n  adsconf lsp          # started by the editor, not by hand; see the README, \"In your editor\"\n  nvim: vim.lsp.start({ name = 'adsconf', cmd = { 'adsconf', 'lsp' } })\n\nSettings (initializationOptions or workspace/didChangeConfiguration, flat or under \"adsconf\"):\n  libraryVersion, ignore, hierarchy, user, customer (as check's flags), debounceMs"
    )]
    Lsp(LspArgs),
    /// Print shell completions
    #[command(
        after_help = "Examples:\n  adsconf completions bash > /etc/bash_completion.d/adsconf\n  adsconf completions zsh > \"${fpath[1]}/_adsconf\""
    )]
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    #[command(after_help = "Examples:\n  adsconf man > adsconf.1 && man ./adsconf.1")]
    Man,
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Talk over stdin/stdout (the only transport; accepted because editors pass it)
    #[arg(long)]
    pub stdio: bool,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Target library format
    #[arg(value_enum, ignore_case = true)]
    pub lang: Lang,
    /// Settings source: adsconf.toml, any supported library config, or `env`; repeat to merge (later wins)
    #[arg(long = "from", value_name = "SRC")]
    pub from: Vec<String>,
    /// Format of the --from files when their name does not tell
    #[arg(
        long = "from-lang",
        value_enum,
        ignore_case = true,
        value_name = "LANG"
    )]
    pub from_lang: Option<Lang>,
    /// Write to FILE (atomically, mode 0600 when new) instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace an existing FILE with the template instead of updating its values in place
    #[arg(long)]
    pub replace: bool,
    /// mcp: the MCP client whose configuration is written (default claude)
    #[arg(long, value_name = "CLIENT", value_parser = ["claude", "cursor", "vscode", "gemini"])]
    pub client: Option<String>,
    /// Tools: write secrets into the file, or refer to environment variables where the tool
    /// can (mcp: cursor, vscode, gemini; dlt; meltano keeps them in .env unless `file`)
    #[arg(long = "secrets-in", value_name = "WHERE", value_parser = ["file", "env"])]
    pub secrets_in: Option<String>,
    /// singer: compute login_customer_ids from this account hierarchy (with --user)
    #[arg(long, value_name = "H", requires = "user")]
    pub hierarchy: Option<PathBuf>,
    /// singer: the user (or service account) of --hierarchy who runs the tap
    #[arg(long, value_name = "U", requires = "hierarchy")]
    pub user: Option<String>,
    /// Also write values a PHP source takes from the environment (`"${VAR}"`), as adsconf's
    /// own environment gives them (left out otherwise)
    #[arg(long)]
    pub reveal: bool,
    /// Write the file even when the sources hold no setting at all (a skeleton to fill in)
    #[arg(long)]
    pub allow_empty: bool,
    #[command(flatten)]
    pub write: WriteOpts,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Config file (default: the file LANG's library would load)
    pub file: Option<PathBuf>,
    /// The file's library format (detected from the name or content when absent)
    #[arg(long, value_enum, ignore_case = true)]
    pub lang: Option<Lang>,
    #[arg(long, value_enum, ignore_case = true, default_value = "human")]
    pub format: ShowFormat,
    /// Show secret values instead of masking them
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or (with -r) directories; default: the files each library would load, and the environment
    pub paths: Vec<PathBuf>,
    /// Walk directories, honouring .gitignore
    #[arg(short = 'r', long)]
    pub recursive: bool,
    /// Treat every file as LANG's format
    #[arg(long, value_enum, ignore_case = true)]
    pub lang: Option<Lang>,
    #[arg(long, value_enum, ignore_case = true, default_value = "human")]
    pub format: CheckFormat,
    /// `warnings`: exit 1 on warnings too
    #[arg(long, value_name = "LEVEL", value_parser = ["warnings"])]
    pub deny: Option<String>,
    /// Skip a rule (name or code); repeatable
    #[arg(long, value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Library version the configs are for: V, or LIB=V,... per library (default: detected from lock/manifest files next to each config, else the newest; the version used is printed)
    #[arg(long, value_name = "V")]
    pub library_version: Option<String>,
    /// Account hierarchy file, for the login-customer-id rules
    #[arg(long, value_name = "H", requires_all = ["user", "customer"])]
    pub hierarchy: Option<PathBuf>,
    /// User (name or email in the hierarchy) whose credentials the config holds
    #[arg(long, value_name = "U", requires = "hierarchy")]
    pub user: Option<String>,
    /// Customer id (or name) the application calls
    #[arg(long, value_name = "C", requires = "hierarchy")]
    pub customer: Option<String>,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// Config file to change
    pub file: PathBuf,
    /// KEY=VALUE pairs (neutral names like login_customer_id, or the library's own key names;
    /// PHP also SECTION.key). `KEY=` sets an empty value; use --unset to remove a key
    #[arg(required_unless_present = "unset", value_name = "KEY=VALUE")]
    pub assignments: Vec<String>,
    /// Remove KEY from the file (every line the library would read for it); repeatable
    #[arg(long, value_name = "KEY")]
    pub unset: Vec<String>,
    /// The file's library format (detected when absent)
    #[arg(long, value_enum, ignore_case = true)]
    pub lang: Option<Lang>,
    #[command(flatten)]
    pub write: WriteOpts,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    /// Config files to fix
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Also apply fixes that may change behaviour
    #[arg(long)]
    pub unsafe_fixes: bool,
    #[arg(long, value_enum, ignore_case = true)]
    pub lang: Option<Lang>,
    #[command(flatten)]
    pub write: WriteOpts,
}

#[derive(Debug, Args)]
pub struct AuthArgs {
    /// Client secrets JSON downloaded from the Cloud console (`installed` or `web`)
    #[arg(long, value_name = "FILE")]
    pub client_secrets: PathBuf,
    /// OAuth flow (default: desktop for `installed`, web for `web` clients)
    #[arg(long, value_enum, ignore_case = true)]
    pub flow: Option<Flow>,
    /// Do not open a browser; print the URL and accept the redirect URL on stdin
    #[arg(long)]
    pub no_browser: bool,
    /// Loopback port for the desktop flow (default: an ephemeral port)
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
    /// Give up after SECS seconds
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub timeout: u64,
    /// Extra OAuth scope (repeatable)
    #[arg(long, value_name = "SCOPE")]
    pub scope: Vec<String>,
    /// Write client_id, client_secret and refresh_token into CONFIG (repeatable)
    #[arg(long, value_name = "CONFIG")]
    pub write: Vec<PathBuf>,
    /// Write without asking
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Show the diffs and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Make a group- or world-readable CONFIG 0600 (readable only by you) when writing
    #[arg(long)]
    pub chmod: bool,
    /// With --write: write even a value `adsconf check` calls an error
    #[arg(long, requires = "write")]
    pub force: bool,
    /// Also write the credentials as Application Default Credentials (an `authorized_user`
    /// file, 0600): GOOGLE_APPLICATION_CREDENTIALS, else gcloud's well-known file
    #[arg(long)]
    pub adc: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The client library the config is for (default: found in the project's manifests, else asked)
    #[arg(long, value_enum, ignore_case = true)]
    pub lang: Option<Lang>,
    /// OAuth client secrets JSON (default: client_secret*.json here or in ~/Downloads)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["key_file", "adc"])]
    pub client_secrets: Option<PathBuf>,
    /// Service-account key JSON instead of an OAuth client
    #[arg(long, value_name = "FILE", conflicts_with = "adc")]
    pub key_file: Option<PathBuf>,
    /// Use Application Default Credentials (create them with `adsconf auth --adc`)
    #[arg(long)]
    pub adc: bool,
    /// The customer id the code works on (default: asked among the accounts found)
    #[arg(long, value_name = "C")]
    pub customer: Option<String>,
    /// The login-customer-id to write (default: the recommended one)
    #[arg(long, value_name = "C")]
    pub login_customer_id: Option<String>,
    /// Config file to write (default: the file the library loads by default)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the same settings as TARGET: `env` (export lines, googleads.env) or `curl`
    /// (a script calling the REST API, googleads.curl.sh), beside the config, or at FILE with
    /// `TARGET=FILE`; repeat or separate with commas. Same diff, consent and mode 0600
    #[arg(long, value_name = "TARGET[=FILE]", value_delimiter = ',')]
    pub also: Vec<String>,
    /// Write without asking (needed to change an existing file when not on a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Do not start a browser; open the printed URL yourself and paste the redirect URL
    #[arg(long)]
    pub no_browser: bool,
    /// Seconds to wait for the authorization
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub timeout: u64,
    /// Google Ads REST API base URL (tests, emulators)
    #[arg(long, value_name = "URL")]
    pub api_base: Option<String>,
    /// Google Ads API version
    #[arg(long, value_name = "VERSION", default_value = crate::api::DEFAULT_API_VERSION)]
    pub api_version: String,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Config file (default: the file the library would load by default)
    pub config: Option<PathBuf>,
    #[arg(long, value_enum, ignore_case = true)]
    pub lang: Option<Lang>,
    /// OAuth token endpoint (tests, emulators)
    #[arg(long, value_name = "URL")]
    pub token_uri: Option<String>,
    /// Google Ads REST API base URL (tests, emulators)
    #[arg(long, value_name = "URL")]
    pub api_base: Option<String>,
    /// Google Ads API version
    #[arg(long, value_name = "VERSION", default_value = crate::api::DEFAULT_API_VERSION)]
    pub api_version: String,
    /// Customer id for one googleAds:search that shows the Cloud project's production access
    /// (default: the config's login-customer-id)
    #[arg(long, value_name = "C")]
    pub customer: Option<String>,
    /// Write a redacted support bundle (versions, the config as `show` sees it, every check)
    #[arg(long, value_name = "FILE")]
    pub report: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccessFormat {
    /// For people (`text` is accepted too)
    #[value(name = "human", alias = "text")]
    Text,
    Json,
    Dot,
    Mermaid,
}

#[derive(Debug, Args)]
pub struct AccessArgs {
    /// Account hierarchy file (TOML)
    #[arg(
        long,
        value_name = "H",
        conflicts_with = "live",
        required_unless_present = "live"
    )]
    pub hierarchy: Option<PathBuf>,
    /// Build the hierarchy from the API with a config's credentials
    #[arg(long)]
    pub live: bool,
    /// Config file for --live (default: the file the library would load)
    #[arg(long, value_name = "CONFIG", requires = "live")]
    pub config: Option<PathBuf>,
    /// Write the hierarchy built by --live to H
    #[arg(long, value_name = "H", requires = "live")]
    pub save: Option<PathBuf>,
    /// With --live: API requests at once while walking the managers (1 = one after the
    /// other; lower it if the API answers RESOURCE_EXHAUSTED)
    #[arg(long, value_name = "N", requires = "live", default_value_t = crate::access::live::IN_FLIGHT as u16,
          value_parser = clap::value_parser!(u16).range(1..=crate::access::live::MAX_IN_FLIGHT as i64))]
    pub in_flight: u16,
    /// Only this user (name or email)
    #[arg(long, value_name = "U")]
    pub user: Option<String>,
    /// With --user: the options for calling this customer (id or name)
    #[arg(long, value_name = "C", requires = "user")]
    pub customer: Option<String>,
    #[arg(long, value_enum, ignore_case = true, default_value = "human")]
    pub format: AccessFormat,
    /// OAuth token endpoint (tests, emulators)
    #[arg(long, value_name = "URL")]
    pub token_uri: Option<String>,
    /// Google Ads REST API base URL (tests, emulators)
    #[arg(long, value_name = "URL")]
    pub api_base: Option<String>,
    /// Google Ads API version
    #[arg(long, value_name = "VERSION", default_value = crate::api::DEFAULT_API_VERSION)]
    pub api_version: String,
    #[command(flatten)]
    pub write: WriteOpts,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, ignore_case = true, default_value = "human")]
    pub format: RulesFormat,
    /// The same as --format json (kept for scripts written before --format)
    #[arg(long, hide = true, conflicts_with = "format")]
    pub json: bool,
}

/// `rules --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table for people (`text` is accepted too)
    #[value(alias = "text")]
    Human,
    /// An array of {code, name, severity, also, summary}
    Json,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule name or code
    pub rule: String,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum, ignore_case = true)]
    pub shell: clap_complete::Shell,
}
