use super::*;

fn parse(t: &str) -> Parsed {
    Python.parse(&Source::of(t))
}

#[test]
fn resolver_follows_pyyaml_1_1() {
    let v = |s: &str| match resolve_plain(s) {
        Resolved::Value(v) => v,
        Resolved::Error(e) => panic!("{s}: {e}"),
    };
    assert_eq!(v("0123456701"), Value::Int(21913025));
    assert_eq!(v("0123456789"), Value::Str("0123456789".into()));
    assert_eq!(v("1_234_567_890"), Value::Int(1234567890));
    assert_eq!(v("0x1F"), Value::Int(31));
    assert_eq!(v("0b101"), Value::Int(5));
    assert_eq!(v("1:30"), Value::Int(90));
    assert_eq!(v("1e3"), Value::Str("1e3".into()));
    assert_eq!(v("1.0e+3"), Value::Float(1000.0));
    assert_eq!(v("On"), Value::Bool(true));
    assert_eq!(v("y"), Value::Str("y".into()));
    assert_eq!(v("~"), Value::Null);
    assert_eq!(v("123-456-7890"), Value::Str("123-456-7890".into()));
    assert!(matches!(resolve_plain("="), Resolved::Error(_)));
}

#[test]
fn quoting_escapes_what_pyyaml_needs() {
    assert_eq!(yaml_quote("a\"b\\c"), r#""a\"b\\c""#);
    assert_eq!(
        yaml_quote("\t\u{7f}\u{85}\u{2028}é😀"),
        "\"\\t\\x7f\\x85\\u2028é😀\""
    );
    assert_eq!(yaml_float(1e3), "1.0e+3");
    assert_eq!(yaml_float(-2.5e-7), "-2.5e-7");
    assert_eq!(yaml_value(&Value::Bool(true)), "true");
    assert_eq!(
        yaml_value(&Value::Str("0123456789".into())),
        "\"0123456789\""
    );
    assert_eq!(
        yaml_flow(&serde_json::json!({"a": [1, "x"]}), 0),
        r#"{"a": [1, "x"]}"#
    );
}

#[test]
fn spans_of_keys_and_values_after_multi_line_values() {
    let t = "a: \"é\"  # c\nb: |\n  x\n  y\n\nlogging:\n  v: 1\n  w: [1,\n    2]\nc: 'q'  \nd:\n";
    let src = Source::of(t);
    let p = Python.parse(&src);
    let get = |k: &str| p.entries.iter().find(|e| e.key == k).unwrap();
    assert_eq!(&t[get("a").value_span.clone()], "\"é\"");
    assert_eq!(get("a").value, Value::Str("é".into()));
    assert_eq!(&t[get("b").value_span.clone()], "|\n  x\n  y");
    assert_eq!(&t[get("b").entry_span.clone()], "b: |\n  x\n  y\n");
    assert_eq!(
        &t[get("logging").value_span.clone()],
        "v: 1\n  w: [1,\n    2]"
    );
    let c = get("c");
    assert_eq!(src.line_col(c.key_span.start), (10, 1));
    assert_eq!(src.line_col(c.value_span.start), (10, 4));
    assert_eq!(&t[c.value_span.clone()], "'q'");
    let d = get("d");
    assert_eq!(d.value, Value::Null);
    assert_eq!(d.value_span, t.len() - 1..t.len() - 1);
}

#[test]
fn problems_at_the_right_line() {
    let src = Source::of("a: 1\nb: \"open\nc: 2\n");
    let p = Python.parse(&src);
    assert!(p.is_fatal());
    let p2 = parse("a: 1\n- b\n");
    assert!(p2.is_fatal());
    let p3 = parse("a: 1\nb:\tx\n");
    assert_eq!(
        Source::of("a: 1\nb:\tx\n")
            .line_col(p3.problems[0].span.start)
            .0,
        2
    );
}

#[test]
fn alias_bomb_is_refused_not_expanded() {
    let mut t = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for c in 'b'..='k' {
        t.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        prev = c;
    }
    let p = parse(&t);
    assert!(
        p.problems.iter().any(|p| p.kind == ProblemKind::NotStatic),
        "{:?}",
        p.problems
    );
}

#[test]
fn edits_keep_style_and_insert_at_top_level() {
    let t = "a: 'x'\nclient_id: 'old'  # keep\nlogging:\n  v: 1\n# tail\n";
    let src = Source::of(t);
    let p = Python.parse(&src);
    let cat = Lang::Python.catalog();
    let set = |n: &str, v: Value| {
        crate::edit::apply(
            t,
            &Python
                .set_edits(&src, &p, cat.for_neutral(n).unwrap(), &v)
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(
        set("client_id", Value::Str("it's".into())),
        t.replace("'old'", "'it''s'")
    );
    assert_eq!(
        set("client_id", Value::Str("tab\t".into())),
        t.replace("'old'", "\"tab\\t\"")
    );
    assert_eq!(
        set("logging", Value::Json(serde_json::json!({}))),
        "a: 'x'\nclient_id: 'old'  # keep\nlogging: {}\n# tail\n"
    );
    assert_eq!(
        set("login_customer_id", Value::Str("0123456789".into())),
        "a: 'x'\nclient_id: 'old'  # keep\nlogging:\n  v: 1\nlogin_customer_id: \"0123456789\"\n# tail\n"
    );
    let plain = Source::of("client_id: old\n");
    let pp = Python.parse(&plain);
    let k = cat.for_neutral("client_id").unwrap();
    let out = |v: &str| {
        crate::edit::apply(
            &plain.text,
            &Python
                .set_edits(&plain, &pp, k, &Value::Str(v.into()))
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(out("new.apps"), "client_id: new.apps\n");
    assert_eq!(out("yes"), "client_id: \"yes\"\n");
    assert_eq!(out("a: b"), "client_id: \"a: b\"\n");
}

#[test]
fn edits_keep_anchors_and_crlf() {
    let cat = Lang::Python.catalog();
    let k = cat.for_neutral("client_id").unwrap();
    let t = "client_id: &id old\r\nclient_secret: *id\r\n";
    let src = Source::of(t);
    let p = Python.parse(&src);
    assert_eq!(p.entries[1].value, Value::Str("old".into()));
    let out = crate::edit::apply(
        t,
        &Python
            .set_edits(&src, &p, k, &Value::Str("new".into()))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(out, "client_id: &id new\r\nclient_secret: *id\r\n");
    let k2 = cat.for_neutral("refresh_token").unwrap();
    let out = crate::edit::apply(
        t,
        &Python
            .set_edits(&src, &p, k2, &Value::Str("r".into()))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(out, format!("{t}refresh_token: \"r\"\r\n"));
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 400, ..Default::default() })]
    /// Any text: no panic, spans on char boundaries, edits apply.
    #[test]
    fn never_panics(t in "[a-z_:#&*!|>'\"\\- \t\n\r{}\\[\\],.0-9é漢~%@?=<]{0,60}") {
        let src = Source::of(&t);
        let p = Python.parse(&src);
        for e in &p.entries {
            proptest::prop_assert!(t.is_char_boundary(e.value_span.start) && t.is_char_boundary(e.value_span.end));
            proptest::prop_assert!(t.is_char_boundary(e.entry_span.start) && t.is_char_boundary(e.entry_span.end));
        }
        let k = Lang::Python.catalog().for_neutral("client_id").unwrap();
        if let Ok(edits) = Python.set_edits(&src, &p, k, &Value::Str("v".into())) {
            proptest::prop_assert!(crate::edit::apply(&t, &edits).is_ok());
        }
        proptest::prop_assert!(crate::edit::apply(&t, &Python.remove_edits(&src, &p, k)).is_ok());
    }
}
