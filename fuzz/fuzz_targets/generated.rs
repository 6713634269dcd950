//! The bytes are a generator's choices: random valid programs and inputs that refer to them, through every op.
//! The logic and the checks live in `fuzz/common/harness.rs`.
#![no_main]

#[path = "../common/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run("generated", data));
