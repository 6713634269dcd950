//! Arbitrary bytes as popup signals, on every example program.
//! The logic and the checks live in `fuzz/common/harness.rs`.
#![no_main]

#[path = "../common/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run("signals", data));
