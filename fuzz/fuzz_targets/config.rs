//! Arbitrary bytes (as UTF-8, lossy) as a program config; a valid one runs every op.
//! The logic and the checks live in `fuzz/common/harness.rs`.
#![no_main]

#[path = "../common/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run("config", data));
