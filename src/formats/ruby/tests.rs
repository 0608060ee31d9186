use super::*;

fn parse(t: &str) -> Parsed {
    Ruby.parse(&Source::of(t))
}

fn values(p: &Parsed) -> Vec<(String, Value)> {
    p.entries
        .iter()
        .map(|e| (e.key.clone(), e.value.clone()))
        .collect()
}

#[test]
fn literals_are_read_like_ruby() {
    let p = parse(
        "Google::Ads::GoogleAds::Config.new do |cfg|\n  cfg.developer_token = 'a\\'b\\\\c\\d'\n  cfg.client_id = \"\\u{41 42}\\x41\\101\\s\\#{x}\"\n  cfg.login_customer_id = 0123\n  cfg.log_target = STDERR\n  cfg.keyfile = nil\nend\n",
    );
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert_eq!(
        values(&p),
        vec![
            ("developer_token".into(), Value::Str("a'b\\c\\d".into())),
            ("client_id".into(), Value::Str("ABAA #{x}".into())),
            ("login_customer_id".into(), Value::Int(83)),
            ("log_target".into(), Value::Symbol("STDERR".into())),
            ("keyfile".into(), Value::Null),
        ]
    );
}

#[test]
fn code_is_not_static_and_never_guessed() {
    let p = parse("Google::Ads::GoogleAds::Config.new do |c|\n  c.client_id = \"#{ENV['X']}\"\n  c.developer_token = ENV.fetch('T')\nend\n");
    assert!(p.entries.is_empty());
    assert_eq!(p.problems.len(), 2);
    assert!(p.problems.iter().all(|q| q.kind == ProblemKind::NotStatic));
}

#[test]
fn spans_point_at_keys_and_values() {
    let t = "# c\nGoogle::Ads::GoogleAds::Config.new do |c|\n  c.client_id = \"é\n x\"\n  c.developer_token = 'tok' # note\nend\n";
    let src = Source::of(t);
    let p = Ruby.parse(&src);
    let e = &p.entries[1];
    assert_eq!(&t[e.key_span.clone()], "developer_token");
    assert_eq!(src.line_col(e.key_span.start), (5, 5));
    assert_eq!(&t[e.value_span.clone()], "'tok'");
    assert_eq!(src.line_col(e.value_span.start), (5, 23));
    assert_eq!(
        &t[e.entry_span.clone()],
        "  c.developer_token = 'tok' # note\n"
    );
    assert_eq!(&t[p.entries[0].value_span.clone()], "\"é\n x\"");
}

#[test]
fn writing_survives_ruby_quoting() {
    assert_eq!(ruby_string("#{1} it's \\"), "'#{1} it\\'s \\\\'");
    assert_eq!(ruby_string("a\rb#{x}"), "\"a\\u{d}b\\#{x}\"");
    assert_eq!(
        ruby_log_target(&Value::Str("STDOUT".into())).unwrap(),
        "STDOUT"
    );
    assert_eq!(
        ruby_log_target(&Value::Str("x.log".into())).unwrap(),
        "'x.log'"
    );
    assert_eq!(ruby_float(1000.0).unwrap(), "1000.0");
    assert!(ruby_value(&Value::Json(serde_json::json!({}))).is_err());
}

#[test]
fn edits_keep_quotes_and_insert_before_end() {
    let t = "Google::Ads::GoogleAds::Config.new do |config|\n    config.client_id = \"old\"\nend\n";
    let src = Source::of(t);
    let p = Ruby.parse(&src);
    let cat = Lang::Ruby.catalog();
    let set = |n: &str, v: Value| {
        crate::edit::apply(
            t,
            &Ruby
                .set_edits(&src, &p, cat.for_neutral(n).unwrap(), &v)
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(
        set("client_id", Value::Str("n'#".into())),
        t.replace("\"old\"", "\"n'\\#\"")
    );
    assert_eq!(
        set("log_target", Value::Str("STDOUT".into())),
        t.replace("end\n", "    config.log_target = STDOUT\nend\n")
    );
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 400, ..Default::default() })]
    /// Any body inside a Config block: no panic, edits apply.
    #[test]
    fn never_panics(body in "[a-z_.=#'\"\\\\{}|%qQ()0-9xue \t\n$@é-]{0,60}") {
        let t = format!("Google::Ads::GoogleAds::Config.new do |c|\n{body}\nend\n");
        let src = Source::of(&t);
        let p = Ruby.parse(&src);
        let k = Lang::Ruby.catalog().for_neutral("client_id").unwrap();
        if let Ok(edits) = Ruby.set_edits(&src, &p, k, &Value::Str("v".into())) {
            proptest::prop_assert!(crate::edit::apply(&t, &edits).is_ok());
        }
        proptest::prop_assert!(crate::edit::apply(&t, &Ruby.remove_edits(&src, &p, k)).is_ok());
    }
}
