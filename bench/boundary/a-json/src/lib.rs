//! Candidate 1: JSON text both ways, today's boundary. The cart and the
//! shopper are decoded by the core's own JSON reader and path-tracking
//! decoder, the answer written by its JSON writer: exactly what
//! `crates/wasm` does. Only the program arrives differently (compiled,
//! read by the hand positional reader, as in every A variant), so the
//! config decoder is not in this module.
#![no_std]
extern crate alloc;
use alloc::string::String;
use boundary_common::pos;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Engine(rewards_core::Engine);

#[wasm_bindgen]
impl Engine {
    pub fn load(program: &[u8]) -> Option<Engine> {
        Some(Engine(rewards_core::Engine { program: pos::read(program)?.to_core()? }))
    }

    /// `now` as two 32-bit halves (no floats in the Rust code).
    pub fn preview(&self, shopper: &str, cart: &str, now_hi: i32, now_lo: u32) -> String {
        let now = ((now_hi as i64) << 32) | now_lo as i64;
        rewards_core::respond(self.0.preview(shopper, cart, now))
    }
}
