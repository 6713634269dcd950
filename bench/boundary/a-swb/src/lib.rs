//! Candidate 2: serde + serde-wasm-bindgen. The call `{now, shopper, cart}`
//! is a JS object walked by serde-wasm-bindgen into serde-derived mirror
//! types (boundary_common::io), the answer built as a JS object the same
//! way.
#![no_std]
extern crate alloc;
use boundary_common::io::{self, Answer, Call, INVALID};
use boundary_common::pos;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Engine(rewards_core::Program);

#[wasm_bindgen]
impl Engine {
    pub fn load(program: &[u8]) -> Option<Engine> {
        Some(Engine(pos::read(program)?.to_core()?))
    }

    pub fn preview(&self, call: JsValue) -> JsValue {
        let answer = match serde_wasm_bindgen::from_value::<Call>(call) {
            Ok(call) => io::answer(&self.0, call),
            Err(_) => Answer { error: INVALID, preview: None },
        };
        serde_wasm_bindgen::to_value(&answer).unwrap_or(JsValue::NULL)
    }
}
