//! The wasm exports called with JSON texts, as the native engine takes
//! them: the texts are encoded here by the core's native encoder
//! (`rewards_core::input::encode`, in the test build only, never in the
//! shipped modules) and the bytes go through `rewards_wasm::Engine::run`,
//! as the widget's JS encoder's do. An encoding problem answers the core's
//! error JSON, as the native engine would.
#![allow(dead_code)]

use rewards_core::{input::encode, respond, Op};

/// Why a module refused a program: the modules' `Engine` (their
/// hand-written exports called from Rust) gives the error JSON as text,
/// which is the message their JS glue throws.
pub fn refusal(e: String) -> String {
    e
}

/// `""` or `"null"`: no value (a guest shopper, no optional cart).
fn absent(text: &str) -> bool {
    let t = text.trim();
    t.is_empty() || t == "null"
}

/// What `rewards_core::Engine::run_named` answers for these texts, computed by the wasm.
pub fn run_json(engine: &rewards_wasm::Engine, op: &str, shopper: &str, input: &str, now: f64) -> String {
    let Some(o) = Op::from_name(op) else {
        // An unknown name: the module's own answer.
        return engine.run(op, &[], &[], now);
    };
    if cfg!(feature = "cart-page") && !o.on_cart_page() {
        // Refused by name before any input is read.
        return engine.run(op, &[], &[], now);
    }
    let shopper = if absent(shopper) || !o.reads_shopper() { Ok(Vec::new()) } else { encode::from_text("shopper", shopper) };
    let input = match o.input() {
        rewards_core::Input::Nothing => Ok(Vec::new()),
        rewards_core::Input::Optional(_) if absent(input) => Ok(Vec::new()),
        rewards_core::Input::Optional(name) | rewards_core::Input::Required(name) => encode::from_text(name, input),
    };
    match shopper.and_then(|s| input.map(|i| (s, i))) {
        Ok((s, i)) => engine.run(op, &s, &i, now),
        Err(e) => respond(Err(e)),
    }
}
