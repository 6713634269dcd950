//! The full module's exports, through wasm-bindgen: the explainer, popup
//! decision, bonus actions and birthday besides the cart-page operations,
//! and the inputs' field tables.

use crate::ms;
use alloc::string::String;
use rewards_core::{respond, Op};
use wasm_bindgen::prelude::*;

/// The published program (`rewards_core::publish`: validated by the
/// server or `rewards-server publish`), read once; each cart update only
/// decodes the shopper and the cart.
#[wasm_bindgen]
pub struct Engine(rewards_core::Engine);

#[wasm_bindgen]
impl Engine {
    /// `program`: the published document's `engine` bytes. Throws an
    /// `Error` whose message is the error JSON when they are corrupt.
    #[wasm_bindgen(constructor)]
    pub fn new(program: &[u8]) -> Result<Engine, JsError> {
        rewards_core::Program::from_wire(program)
            .map(|program| Engine(rewards_core::Engine { program }))
            .map_err(|e| JsError::new(&e.to_json().to_text()))
    }

    /// An operation of `rewards_core::Op` by name (`"quote"`, `"preview"`, …):
    /// `shopper` and `input` are their bytes (`rewards_core::input`; empty:
    /// a guest, no input).
    pub fn run(&self, op: &str, shopper: &[u8], input: &[u8], now: f64) -> String {
        respond(Op::named(op).and_then(|op| self.0.run_bytes(op, shopper, input, ms(now))))
    }
}

/// This module's operations, comma-separated (every one; the cart-page
/// module's are `Op::on_cart_page`). The widget build reads it once, so the
/// JS never lists operations itself.
#[wasm_bindgen]
pub fn ops() -> String {
    let mut out = String::new();
    for (_, name, _) in Op::ALL {
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(name);
    }
    out
}

/// The inputs' field tables as JSON (`rewards_core::input::table::to_json`):
/// the widget build reads them from the full module, so the JS encoder
/// (`www/src/ui/wire-encode.js`) never lists a field itself. Not in the
/// cart-page module.
#[wasm_bindgen]
pub fn inputs() -> String {
    rewards_core::input::table::to_json().to_text()
}
