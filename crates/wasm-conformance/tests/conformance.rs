//! The core's fixtures on the wasm build, in headless Chromium: every case
//! called through the wasm *exports* (`rewards_wasm::Engine` on the
//! published program bytes, as the widget calls it) returns exactly the
//! native engine's bytes; with the `cart-page` feature, the cart-page
//! module gives them for its operations and refuses the others. (A malformed config never reaches the browser:
//! the publisher refuses it natively, `tests/invalid.rs`; a case whose
//! program is invalid is checked natively only.)
#![cfg(target_arch = "wasm32")]

include!(concat!(env!("OUT_DIR"), "/native.rs"));

mod common;

use rewards_core::Json;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Input text the way the fixture runner passes it: a JSON string verbatim
/// (malformed-input cases), anything else as its JSON text, absent as "".
fn input(case: &Json, key: &str) -> String {
    match case.get(key) {
        None | Some(Json::Null) => String::new(),
        Some(Json::String(raw)) => raw.to_string(),
        Some(other) => other.to_text(),
    }
}

fn now_ms(case: &Json) -> f64 {
    match case.get("now") {
        Some(Json::String(t)) => rewards_core::time::parse_instant(t).expect("fixture now") as f64,
        Some(Json::Number(n)) => n.parse::<i64>().expect("fixture now") as f64,
        _ => 0.0,
    }
}

fn through_exports(case: &Json, program: &[u8]) -> String {
    let engine = match rewards_wasm::Engine::new(program) {
        Ok(e) => e,
        Err(e) => return common::refusal(e),
    };
    let (shopper, now) = (input(case, "shopper"), now_ms(case));
    let name = case.get("op").and_then(Json::as_str).expect("op");
    let op = rewards_core::Op::from_name(name).expect("a known op");
    let arg = op.input_name().map(|k| input(case, k)).unwrap_or_default();
    common::run_json(&engine, name, &shopper, &arg, now)
}

#[wasm_bindgen_test]
fn exports_on_the_published_program_return_the_native_bytes() {
    let mut diffs = Vec::new();
    let mut compared = 0;
    for (name, native) in NATIVE {
        let Some((_, text, program)) = WIRE.iter().find(|(n, _, _)| n == name) else { continue };
        let case = Json::parse(text).expect("case JSON");
        let wasm = through_exports(&case, program);
        let op = case.get("op").and_then(Json::as_str).and_then(rewards_core::Op::from_name).expect("op");
        if cfg!(feature = "cart-page") && !op.on_cart_page() {
            // Not in the cart-page module: refused by name, never computed.
            if !(wasm.starts_with("{\"error\"") && wasm.contains("is not in the cart-page engine")) {
                diffs.push(format!("{name}: the cart-page module answered {}: {wasm}", op.name()));
            }
            continue;
        }
        compared += 1;
        if wasm != *native {
            diffs.push(format!("{name}:\n  native: {native}\n  wasm:   {wasm}"));
        }
    }
    assert!(diffs.is_empty(), "{} of {compared} differ:\n{}", diffs.len(), diffs.join("\n"));
    let least = if cfg!(feature = "cart-page") { NATIVE.len() / 2 } else { NATIVE.len() * 9 / 10 };
    assert!(compared >= least, "only {compared} of {} cases compared", NATIVE.len());
}
