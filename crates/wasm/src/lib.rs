//! WebAssembly bindings: conversions and exports only. The program arrives
//! as the published bytes (`Program::from_wire`: the browser never reads
//! the merchant's JSON). `run` is one call into
//! `rewards_core::Engine::run_bytes`, so the operations are listed once, in
//! `rewards_core::Op`. The shopper and the op's input cross as bytes
//! (`rewards_core::input`: the widget's JS encoder writes them from the
//! field table `inputs()` gives); answers as JSON text (see
//! ARCHITECTURE.md "The wasm boundary").
//!
//! Built twice (scripts/build-wasm.sh): with `cart-page`, the module a
//! product or cart page downloads (the operations `Op::on_cart_page`, the
//! program without its display-only section); without, the full one.
//!
//! Nothing here can panic: the core returns errors as values, and they come
//! back as `{"error": …, "message": …, "issues": [{"path", "message"}]}`.

#![cfg_attr(feature = "no-std", no_std)]
extern crate alloc;

use alloc::string::String;
use rewards_core::{respond, Millis, Op};
use wasm_bindgen::prelude::*;

/// The engine never panics on any input (fuzzed; see fuzz/), so a panic is
/// a bug: trap without formatting a message nobody would read.
#[cfg(feature = "no-std")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

/// The published program (`rewards_core::publish`: validated by the
/// server or `rewards-server publish`), read once; each cart update only
/// decodes the shopper and the cart.
#[wasm_bindgen]
pub struct Engine(rewards_core::Engine);

/// `now` arrives as JS milliseconds (`Date.now()`); non-finite values
/// become 0 rather than trapping. This is the only float in the crate and
/// it is a conversion, not a computation.
fn ms(now: f64) -> Millis {
    if now.is_finite() {
        now as Millis
    } else {
        0
    }
}

#[wasm_bindgen]
impl Engine {
    /// `program`: the published document's `engine` bytes. Throws an
    /// `Error` whose message is the error JSON when they are corrupt.
    #[wasm_bindgen(constructor)]
    pub fn new(program: &[u8]) -> Result<Engine, JsError> {
        #[cfg(feature = "cart-page")]
        let program = rewards_core::Program::from_wire_cart_page(program);
        #[cfg(not(feature = "cart-page"))]
        let program = rewards_core::Program::from_wire(program);
        program.map(|program| Engine(rewards_core::Engine { program })).map_err(|e| JsError::new(&e.to_json().to_text()))
    }

    /// An operation of `rewards_core::Op` by name (`"quote"`, `"preview"`, …):
    /// `shopper` and `input` are their bytes (`rewards_core::input`; empty:
    /// a guest, no input). The cart-page module has only the operations
    /// `Op::on_cart_page`.
    pub fn run(&self, op: &str, shopper: &[u8], input: &[u8], now: f64) -> String {
        #[cfg(feature = "cart-page")]
        let run = rewards_core::Engine::run_cart_page_bytes;
        #[cfg(not(feature = "cart-page"))]
        let run = rewards_core::Engine::run_bytes;
        respond(Op::named(op).and_then(|op| run(&self.0, op, shopper, input, ms(now))))
    }
}

/// This module's operations, comma-separated (`Op::on_cart_page` in the
/// cart-page module; every operation in the full one). The widget build
/// reads it once, so the JS never lists operations itself.
#[wasm_bindgen]
pub fn ops() -> String {
    let mut out = String::new();
    for (op, name, _) in Op::ALL {
        if !cfg!(feature = "cart-page") || op.on_cart_page() {
            if !out.is_empty() {
                out.push(',');
            }
            out.push_str(name);
        }
    }
    out
}

/// The inputs' field tables as JSON (`rewards_core::input::table::to_json`):
/// the widget build reads them from the full module, so the JS encoder
/// (`www/src/ui/wire-encode.js`) never lists a field itself. Not in the
/// cart-page module.
#[cfg(not(feature = "cart-page"))]
#[wasm_bindgen]
pub fn inputs() -> String {
    rewards_core::input::table::to_json().to_text()
}
