//! Library benchmarks (criterion): parsing each official template, linting it, rendering a
//! full model for every target, and rendering one file's findings in each report format.
//! Run: `cargo bench --bench library`.

use std::collections::BTreeMap;
use std::hint::black_box;

use adsconf::formats;
use adsconf::lang::{Lang, LANGS};
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
                let ctx = adsconf::rules::FileCtx::text("bench", &src, &parsed, &env);
                adsconf::rules::check_file(black_box(&ctx))
            })
        });
    }
    // One file's findings as `check` renders them on its workers (the official PHP template:
    // placeholders, so several findings with snippets and fixes).
    let (lang, text) = OFFICIAL[3];
    let src = Source::of(text);
    let parsed = formats::format(lang).parse(&src);
    let env = BTreeMap::new();
    let ctx = adsconf::rules::FileCtx::text("google_ads_php.ini", &src, &parsed, &env);
    let file = adsconf::report::FileReport {
        path: "google_ads_php.ini".into(),
        is_file: true,
        src: src.clone(),
        secret_spans: adsconf::rules::secret_spans(&parsed),
        diagnostics: adsconf::rules::check_file(&ctx),
        assumed: None,
    };
    for format in [
        adsconf::report::CheckFormat::Human,
        adsconf::report::CheckFormat::Json,
        adsconf::report::CheckFormat::Sarif,
        adsconf::report::CheckFormat::Github,
    ] {
        let r = adsconf::report::reporter(format, false);
        c.bench_function(&format!("report/{format:?}").to_lowercase(), |b| {
            b.iter(|| adsconf::report::Rendered::of(&*r, black_box(&file)))
        });
    }
    // The masker's scan of text that may not parse (snippets, diffs, env listings): every
    // official template at once (~40 KB, placeholders only), and the same text with a secret
    // of each shape on every 20th line: what the hardening of issue 13 costs per report.
    let all: String = OFFICIAL.iter().map(|(_, t)| *t).collect();
    c.bench_function("mask/scan/templates", |b| {
        b.iter(|| adsconf::mask::scan(black_box(&all)))
    });
    let seeded: String = all
        .lines()
        .enumerate()
        .map(|(i, l)| match i % 60 {
            0 => "client_secret: GOCSPX-abcdefghijklmnopqrstuvwxyz12\n".to_string(),
            20 => "refresh_token = \"1//0abcdefghijklmnopqrstuvwxyz-_ABCDEFG\"\n".to_string(),
            40 => "http_proxy = http://ops:s3cret-pw@proxy.example.com:8080\n".to_string(),
            _ => format!("{l}\n"),
        })
        .collect();
    c.bench_function("mask/scan/seeded", |b| {
        b.iter(|| adsconf::mask::scan(black_box(&seeded)))
    });
    let s = model();
    for info in LANGS {
        c.bench_function(&format!("render/{}", info.name), |b| {
            b.iter(|| adsconf::convert::generate(info.lang, black_box(&s)))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
