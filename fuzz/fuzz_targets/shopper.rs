//! Arbitrary bytes as a shopper, on every example program, through every op.
//! The logic and the checks live in `fuzz/common/harness.rs`.
#![no_main]

#[path = "../common/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run("shopper", data));
