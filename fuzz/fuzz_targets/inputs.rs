//! Arbitrary bytes as the shopper, a cart, a product line or popup signals
//! as the wasm reads them (`rewards_core::input`), on every example program,
//! through every op that takes them. The logic and the checks live in
//! `fuzz/common/harness.rs`.
#![no_main]

#[path = "../common/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run("inputs", data));
