//! Library benchmarks (criterion): parsing each official template, linting it, and
//! rendering a full model for every target. Run: `cargo bench --bench library`.

use std::collections::BTreeMap;
use std::hint::black_box;

use adsconf::formats::{self, Lang, LANGS};
use adsconf::model::{Settings, Value};
use adsconf::source::Source;
use criterion::{criterion_group, criterion_main, Criterion};

const OFFICIAL: &[(Lang, &str)] = &[
    (
        Lang::Java,
        include_str!("../tests/fixtures/official/java/ads.properties.sample"),
    ),
    (
        Lang::Dotnet,
        include_str!("../tests/fixtures/dotnet/official_App.config"),
    ),
    (
        Lang::DotnetJson,
        include_str!("../tests/fixtures/dotnet/official_appsettings.json"),
    ),
    (
        Lang::Php,
        include_str!("../tests/fixtures/official/php/google_ads_php.ini"),
    ),
    (
        Lang::Python,
        include_str!("../tests/fixtures/official/python/google-ads.yaml"),
    ),
    (
        Lang::Ruby,
        include_str!("../tests/fixtures/official/ruby/google_ads_config.rb"),
    ),
    (
        Lang::Perl,
        include_str!("../tests/fixtures/official/perl/googleads.properties"),
    ),
];

fn model() -> Settings {
    let mut s = Settings::default();
    for (k, v) in [
        ("developer_token", "abcdefghijklmnopqrstuv"),
        ("client_id", "1234-abc.apps.googleusercontent.com"),
        ("client_secret", "GOCSPX-benchmark"),
        ("refresh_token", "1//0benchmark"),
        ("login_customer_id", "1234567890"),
    ] {
        s.set(k, Value::Str(v.into()));
    }
    s.set("use_proto_plus", Value::Bool(true));
    s
}

fn bench(c: &mut Criterion) {
    for (lang, text) in OFFICIAL {
        let src = Source::of(text);
        c.bench_function(&format!("parse/{lang}"), |b| {
            b.iter(|| formats::format(*lang).parse(black_box(&src)))
        });
        let parsed = formats::format(*lang).parse(&src);
        let env = BTreeMap::new();
        c.bench_function(&format!("check/{lang}"), |b| {
            b.iter(|| {
                let ctx = adsconf::rules::FileCtx {
                    path: "bench",
                    fs_path: None,
                    src: &src,
                    parsed: &parsed,
                    version: None,
                    env: &env,
                    cwd: None,
                };
                adsconf::rules::check_file(black_box(&ctx))
            })
        });
    }
    let s = model();
    for info in LANGS {
        c.bench_function(&format!("render/{}", info.name), |b| {
            b.iter(|| adsconf::commands::generate::generate(info.lang, black_box(&s)))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
