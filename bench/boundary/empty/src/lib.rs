//! Baseline: an empty wasm-bindgen module with the same allocator and
//! panic handler as every variant (what any module costs before it does
//! anything).
#![no_std]
extern crate boundary_common;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub fn answer(x: u32) -> u32 {
    x.wrapping_add(42)
}
