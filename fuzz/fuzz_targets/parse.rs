//! Every parser on arbitrary bytes: the first byte picks the format, the rest is the file.
//! Parsing, mapping to neutral names, re-rendering and re-parsing must never panic or hang.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((&which, rest)) = data.split_first() {
        adsconf::fuzzing::parse_roundtrip(which, rest);
    }
});
