//! What the libraries' own loaders do to a value before they use it, reproduced exactly (each
//! function names the library code it mirrors; `tests/loader_conversions.rs` runs the real
//! interpreter on awkward inputs and compares).

use crate::model::Value;

/// Ruby's `Kernel#Integer(string)` (rb_str_to_inum with badcheck): leading and trailing
/// whitespace, one sign, the prefixes `0x`/`0b`/`0o`/`0d` and a bare leading `0` (octal),
/// single `_` between digits. `None` where Ruby raises ArgumentError ("invalid value for
/// Integer()").
pub fn ruby_integer(text: &str) -> Option<i128> {
    let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r');
    let t = text.trim_matches(ws);
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = t.to_ascii_lowercase();
    let (radix, digits) = if let Some(r) = lower.strip_prefix("0x") {
        (16, r)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (2, r)
    } else if let Some(r) = lower.strip_prefix("0o") {
        (8, r)
    } else if let Some(r) = lower.strip_prefix("0d") {
        (10, r)
    } else if lower.starts_with('0') && lower.len() > 1 {
        // The leading 0 is itself an octal digit: "0_7" is 7.
        (8, lower.as_str())
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') {
        return None;
    }
    if digits.contains("__") {
        return None;
    }
    let mut n: i128 = 0;
    for c in digits.chars() {
        if c == '_' {
            continue;
        }
        let d = c.to_digit(radix)?;
        n = n
            .checked_mul(i128::from(radix))?
            .checked_add(i128::from(d))?;
    }
    Some(if neg { -n } else { n })
}

/// What google-ads-ruby does with a login/linked customer id when the first service is
/// fetched (`ServiceLookup#headers` and `#validate_customer_id`, service_lookup.rb l.80-121
/// at 42.0.0).
#[derive(Debug, Clone, PartialEq)]
pub enum RubyId {
    /// `nil`/`false`: `if config.login_customer_id` skips it, no header.
    Unset,
    /// Refused before the network, with the library's message.
    Refused(String),
    /// Accepted: the header sent is this text (`value.to_s`).
    Sent(String),
}

/// `field` is `login_customer_id` or `linked_customer_id`.
pub fn ruby_customer_id(field: &str, v: &Value) -> RubyId {
    let invalid = || RubyId::Refused(format!("Invalid value for {field}, must be integer"));
    let range = |n: i128, header: String| {
        if n <= 0 || n > 9_999_999_999 {
            RubyId::Refused(format!(
                "Invalid {field}. Must be an integer 0 < x <= 9,999,999,999. Got {n}"
            ))
        } else {
            RubyId::Sent(header)
        }
    };
    match v {
        Value::Null | Value::Bool(false) => RubyId::Unset,
        // Integer(true) / Integer(STDOUT) raise TypeError, which the library does not rescue.
        Value::Bool(true) => RubyId::Refused("can't convert true into Integer".into()),
        Value::Symbol(s) => RubyId::Refused(format!("can't convert {s} into Integer")),
        Value::Json(_) => invalid(),
        Value::Int(i) => range(i128::from(*i), i.to_string()),
        Value::Float(f) => {
            if !f.is_finite() {
                return RubyId::Refused(format!("{f} (FloatDomainError)"));
            }
            // Integer(1.5) truncates to 1; the header is the float's to_s.
            range(f.trunc() as i128, ruby_float_to_s(*f))
        }
        Value::Str(s) => match ruby_integer(s) {
            Some(n) => range(n, s.clone()),
            None => invalid(),
        },
    }
}

/// Ruby's `Float#to_s` for the floats a config file holds (`1.5`, `1.0e+20`).
fn ruby_float_to_s(f: f64) -> String {
    if f != 0.0 && (f.abs() >= 1e16 || f.abs() < 1e-4) {
        let s = format!("{f:e}"); // 1e20, 1.5e-7
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let m = if m.contains('.') {
            m.to_string()
        } else {
            format!("{m}.0")
        };
        let e: i32 = e.parse().unwrap_or(0);
        format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
    } else {
        let s = format!("{f:?}");
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    }
}

/// PHP 8's `$id < 0` in `GoogleAdsClientBuilder::validate` (after `!empty($id)`), for the
/// value INI_SCANNER_TYPED gave: an int or float compares numerically; a numeric string
/// ("-1", " -1 ", "-1e3") numerically; any other string is compared with "0" as strings, so
/// a string starting with a byte below '0' (`-`, space, `.`, `+`…) counts as negative.
pub fn php_negative(v: &Value) -> bool {
    match v {
        Value::Int(i) => *i < 0,
        Value::Float(f) => *f < 0.0,
        Value::Str(s) => {
            if php_empty_str(s) {
                return false;
            }
            match php_numeric(s) {
                Some(n) => n < 0.0,
                None => s.as_bytes() < b"0".as_slice(),
            }
        }
        _ => false,
    }
}

/// PHP `empty($x)` for a value INI_SCANNER_TYPED gave: null, false, 0, 0.0, "" and "0".
pub fn php_empty(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::Int(0) => true,
        Value::Float(f) => *f == 0.0,
        Value::Str(s) => php_empty_str(s),
        _ => false,
    }
}

/// PHP `empty()` of a string: "" and "0".
fn php_empty_str(s: &str) -> bool {
    s.is_empty() || s == "0"
}

/// PHP 8 numeric strings: optional leading whitespace, a sign, digits with an optional
/// fraction and exponent, optional trailing whitespace (is_numeric()).
pub fn php_numeric(s: &str) -> Option<f64> {
    let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c');
    let t = s.trim_start_matches(ws).trim_end_matches(ws);
    let b = t.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - f;
    }
    if digits == 0 {
        return None;
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let e = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > e {
            i = j;
        }
    }
    if i != b.len() {
        return None;
    }
    t.parse::<f64>().ok()
}

/// google-ads-python's view of a login/linked customer id (config.py: the parser step
/// `convert_login_customer_id_to_str` makes a truthy value `str()`, then `validate_dict`
/// checks any value that is not None against `^\d{10}` (re.ASCII, fullmatch)). `None`: no
/// check (the key is null); `Some(Ok(text))`: accepted; `Some(Err(text))`: refused.
pub fn python_customer_id(v: &Value) -> Option<Result<String, String>> {
    let text = match v {
        Value::Null => return None,
        Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => {
            let s = format!("{f:?}");
            if s.contains(['.', 'e', 'i', 'N']) {
                s
            } else {
                format!("{s}.0")
            }
        }
        other => other.to_text(),
    };
    let ok = text.len() == 10 && text.bytes().all(|b| b.is_ascii_digit());
    Some(if ok { Ok(text) } else { Err(text) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ruby_integer_as_ruby_reads_it() {
        for (s, want) in [
            ("1234567890", Some(1234567890)),
            (" 1234567890 ", Some(1234567890)),
            ("0123456789", None),
            ("0123456701", Some(21913025)),
            ("123_456_7890", Some(1234567890)),
            ("1__2", None),
            ("_12", None),
            ("12_", None),
            ("0x1F", Some(31)),
            ("0_7", Some(7)),
            ("0x_1F", None),
            ("-1", Some(-1)),
            ("", None),
            ("00", Some(0)),
            ("08", None),
            ("1.5", None),
            ("- 1", None),
        ] {
            assert_eq!(ruby_integer(s), want, "{s:?}");
        }
    }

    #[test]
    fn ruby_ids() {
        let f = "login_customer_id";
        assert_eq!(
            ruby_customer_id(f, &Value::Str("0123456789".into())),
            RubyId::Refused("Invalid value for login_customer_id, must be integer".into())
        );
        assert_eq!(
            ruby_customer_id(f, &Value::Str("123_456_7890".into())),
            RubyId::Sent("123_456_7890".into())
        );
        assert_eq!(
            ruby_customer_id(f, &Value::Int(1234567890)),
            RubyId::Sent("1234567890".into())
        );
        assert_eq!(
            ruby_customer_id(f, &Value::Float(1.5)),
            RubyId::Sent("1.5".into())
        );
        assert!(matches!(
            ruby_customer_id(f, &Value::Str("0".into())),
            RubyId::Refused(m) if m.contains("Got 0")
        ));
        assert_eq!(ruby_customer_id(f, &Value::Null), RubyId::Unset);
    }

    #[test]
    fn php_negative_as_php8_compares() {
        for (s, want) in [
            ("-1", true),
            (" -1 ", true),
            ("-1e3", true),
            ("123-456-7890", false),
            ("1234567890", false),
            ("-abc", true),
            (" abc", true),
            ("INSERT_LOGIN_CUSTOMER_ID_HERE", false),
            ("0", false),
            ("-0", false),
            ("", false),
        ] {
            assert_eq!(php_negative(&Value::Str(s.into())), want, "{s:?}");
        }
        assert!(php_negative(&Value::Int(-5)));
        assert!(!php_negative(&Value::Bool(true)));
    }
}
