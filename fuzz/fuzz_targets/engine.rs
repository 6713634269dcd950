//! Structured: 0xFF-separated sections (header with program choice and now, program, shopper, cart, line, signals) through every op.
//! The logic and the checks live in `fuzz/common/harness.rs`.
#![no_main]

#[path = "../common/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run("engine", data));
