//! The conversions the libraries' loaders apply to a value (`adsconf::rules::loaders`), judged
//! by the real interpreters on awkward and generated inputs: Ruby's `Integer()` (what
//! google-ads-ruby's `validate_customer_id` calls) and PHP 8's `!empty($id) && $id < 0`
//! (google-ads-php's `GoogleAdsClientBuilder::validate`).

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use adsconf::model::Value;
use adsconf::rules::loaders;

/// Awkward customer-id texts: separators, prefixes, signs, whitespace, octal digits.
fn inputs() -> Vec<String> {
    let mut v: Vec<String> = [
        "1234567890",
        " 1234567890 ",
        "\t1234567890\n",
        "0123456789",
        "0123456701",
        "123_456_7890",
        "1__2",
        "_12",
        "12_",
        "0x1F",
        "0X1f",
        "0x_1F",
        "0b101",
        "0o17",
        "0O17",
        "0d99",
        "0_7",
        "0_8",
        "00",
        "0",
        "-0",
        "-1",
        "+5",
        "- 1",
        "--1",
        "1.5",
        "1e3",
        "-1e3",
        "",
        " ",
        "12 34",
        "123-456-7890",
        "abc",
        "-abc",
        " abc",
        ".5",
        "+",
        "INSERT_LOGIN_CUSTOMER_ID_HERE",
        "9999999999",
        "99999999999999999999999",
        "0x",
        "0b2",
        "1_000_000_000",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Seeded combinations of the characters that matter.
    let alphabet = [
        '0', '1', '7', '8', '9', '_', '-', '+', ' ', 'x', 'b', 'o', 'd', '.', 'e',
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..400 {
        let mut s = String::new();
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = 1 + (state % 8) as usize;
        for i in 0..len {
            let r = state.rotate_left(i as u32 * 5);
            s.push(alphabet[(r % alphabet.len() as u64) as usize]);
        }
        v.push(s);
    }
    v
}

/// Run `program` with `script`, feeding one input per line (JSON-encoded) on stdin.
fn run_lines(program: &std::path::Path, args: &[&str], inputs: &[String]) -> Vec<String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start interpreter");
    {
        let mut stdin = child.stdin.take().unwrap();
        for i in inputs {
            writeln!(stdin, "{}", serde_json::to_string(i).unwrap()).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn ruby_integer_matches_kernel_integer() {
    let Some(ruby) = common::require("ruby") else {
        return;
    };
    let inputs = inputs();
    let script = r#"require 'json'
STDIN.each_line do |l|
  s = JSON.parse(l)
  begin
    puts Integer(s).to_s
  rescue ArgumentError
    puts 'ArgumentError'
  end
end"#;
    let got = run_lines(&ruby, &["-e", script], &inputs);
    assert_eq!(got.len(), inputs.len());
    for (s, ruby_says) in inputs.iter().zip(&got) {
        let ours = match loaders::ruby_integer(s) {
            Some(n) => n.to_string(),
            None => "ArgumentError".to_string(),
        };
        assert_eq!(&ours, ruby_says, "Integer({s:?})");
    }
}

#[test]
fn php_negative_matches_php8_comparison() {
    let Some(php) = common::require("php") else {
        return;
    };
    let inputs = inputs();
    let script = r#"while (($l = fgets(STDIN)) !== false) {
  $id = json_decode($l);
  echo (!empty($id) && $id < 0) ? "negative\n" : "ok\n";
}"#;
    let got = run_lines(&php, &["-r", script], &inputs);
    assert_eq!(got.len(), inputs.len());
    for (s, php_says) in inputs.iter().zip(&got) {
        let ours = if loaders::php_negative(&Value::Str(s.clone())) {
            "negative"
        } else {
            "ok"
        };
        assert_eq!(ours, php_says, "{s:?} < 0");
    }
}
