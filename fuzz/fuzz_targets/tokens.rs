#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| neptune_fuzz::tokens(data));
