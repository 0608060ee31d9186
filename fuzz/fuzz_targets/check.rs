//! `check` end to end on arbitrary bytes under an arbitrary file name: the first line of
//! the input is the file name, the rest its content.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    adsconf::fuzzing::check_bytes(data);
});
