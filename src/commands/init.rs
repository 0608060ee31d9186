//! `adsconf init`: flags → [`crate::init::run`] with prompts on a terminal (issue #15).

use crate::cli::InitArgs;
use crate::error::Result;
use crate::init::{self, InitOptions, Terminal};

pub fn run(args: InitArgs) -> Result<i32> {
    let o = InitOptions {
        lang: args.lang,
        client_secrets: args.client_secrets,
        key_file: args.key_file,
        adc: args.adc,
        customer: args.customer,
        login_customer_id: args.login_customer_id,
        output: args.output,
        yes: args.yes,
        no_browser: args.no_browser,
        timeout: args.timeout,
        api_base: args.api_base,
        api_version: args.api_version,
    };
    init::run(&o, &Terminal)
}
