//! Arbitrary bytes as a published program (`Program::from_wire`): what it reads writes back the same and runs every op.
//! The logic and the checks live in `fuzz/common/harness.rs`.
#![no_main]

#[path = "../common/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run("wire", data));
