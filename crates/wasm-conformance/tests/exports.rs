//! The wasm exports in headless Chromium: the `Engine` on published bytes
//! gives the native engine's bytes, and bad input — a corrupt program, a
//! malformed cart, an unknown operation — comes back as an error value,
//! never a trap.
#![cfg(target_arch = "wasm32")]

include!(concat!(env!("OUT_DIR"), "/native.rs"));

mod common;

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const VN: &str = include_str!("../../../tests/fixtures/programs/vn-coffee.json");
const NOW: f64 = 1_795_000_000_000.0; // 2026-11-18T…Z

use common::refusal as message;

#[wasm_bindgen_test]
fn preview_through_the_exports_equals_the_core() {
    let cart = r#"{"currency":"VND","lines":[{"id":"a","quantity":2,"unit_price":45000,"product_type":"Cà phê"}]}"#;
    let wasm = rewards_wasm::Engine::new(VN_COFFEE).unwrap_or_else(|e| panic!("published program reads: {}", message(e)));
    let core = rewards_core::Engine::from_wire(VN_COFFEE).unwrap();
    let expected = rewards_core::respond(core.preview("", cart, NOW as i64));
    assert_eq!(common::run_json(&wasm, "preview", "", cart, NOW), expected);
    assert!(expected.contains("\"total_points\":39"), "{expected}");
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_value_not_a_trap() {
    let wasm = rewards_wasm::Engine::new(VN_COFFEE).unwrap_or_else(|e| panic!("published program reads: {}", message(e)));
    let out = common::run_json(&wasm, "preview", "", r#"{"currency":"VND","lines":[{"quantity":"2"}]}"#, NOW);
    assert!(out.starts_with(r#"{"error":"invalid""#), "{out}");
    assert!(out.contains(r#""path":"lines[0].quantity""#), "{out}");
    let unknown = wasm.run("preveiw", &[], &[], NOW);
    assert!(unknown.contains(r#""path":"op""#) && unknown.contains("unknown operation"), "{unknown}");
}

#[wasm_bindgen_test]
fn a_merchant_config_or_corrupt_bytes_are_refused_with_a_message() {
    // The config itself, not its published form: what a theme developer might hand over by mistake.
    let config = message(rewards_wasm::Engine::new(VN.as_bytes()).err().expect("a config is not a published program"));
    assert!(config.contains("rewards-server publish"), "{config}");
    let truncated = message(rewards_wasm::Engine::new(&VN_COFFEE[..VN_COFFEE.len() / 2]).err().expect("truncated"));
    assert!(truncated.contains("corrupt"), "{truncated}");
}

/// The bytes are read as untrusted: a cut or corrupt input is an error
/// naming the field the bad byte is in, never a trap or a wrong number.
#[wasm_bindgen_test]
fn corrupt_input_bytes_are_an_error_naming_the_field() {
    let wasm = rewards_wasm::Engine::new(VN_COFFEE).unwrap_or_else(|e| panic!("published program reads: {}", message(e)));
    let cart = rewards_core::input::encode::from_text("cart", r#"{"currency":"VND","lines":[{"quantity":2,"unit_price":45000}]}"#).unwrap();
    // The last three bytes: the line's gift_card, the cart's discount and shipping.
    let cut = wasm.run("preview", &[], &cart[..cart.len() - 3], NOW);
    assert!(
        cut.starts_with(r#"{"error":"invalid""#) && cut.contains(r#""path":"lines[0].gift_card","message":"corrupt input at byte "#),
        "{cut}"
    );
    let mut longer = cart.clone();
    longer.push(0);
    let extra = wasm.run("preview", &[], &longer, NOW);
    assert!(extra.contains(&format!("corrupt input at byte {}", cart.len())), "{extra}");
    // Not a bool: the gift_card byte is 7.
    let mut bad = cart.clone();
    let at = cart.len() - 3;
    bad[at] = 7;
    let out = wasm.run("preview", &[], &bad, NOW);
    assert!(out.contains(&format!(r#""path":"lines[0].gift_card","message":"corrupt input at byte {at}""#)), "{out}");
}

/// The cart-page module's hand-written exports: lengths past the input
/// buffer (a glue bug) are an error answer at path `op`, never a trap.
#[cfg(feature = "cart-page")]
#[wasm_bindgen_test]
fn hand_written_exports_refuse_lengths_past_the_buffer() {
    let program = rewards_wasm::buffer(VN_COFFEE.len() as u32);
    // SAFETY: `buffer` made room for the program's bytes.
    unsafe { core::ptr::copy_nonoverlapping(VN_COFFEE.as_ptr(), program, VN_COFFEE.len()) };
    let engine = rewards_wasm::engine_new();
    assert_ne!(engine, 0, "published program reads");
    let name = rewards_wasm::buffer(7);
    // SAFETY: seven bytes of room.
    unsafe { core::ptr::copy_nonoverlapping(b"preview".as_ptr(), name, 7) };
    for (op, shopper) in [(7, 1), (8, 0), (u32::MAX, 2)] {
        // SAFETY: `engine` is live until freed below.
        let r = unsafe { rewards_wasm::engine_run(engine, op, shopper, NOW, 0) };
        assert_eq!(r & 1, 1, "an error answer");
        // SAFETY: `answer()` holds `r / 2` bytes of the answer.
        let out = unsafe { core::slice::from_raw_parts(rewards_wasm::answer(), (r / 2) as usize) };
        let out = core::str::from_utf8(out).unwrap();
        assert!(out.contains(r#""path":"op""#), "{op}+{shopper}: {out}");
    }
    // A patch, or no shopper (the held one), with nothing held: an error answer, never a trap.
    for (shopper, patch) in [(0, 1), (u32::MAX, 1), (u32::MAX, 0)] {
        let name = rewards_wasm::buffer(9);
        // SAFETY: nine bytes of room: the name, then a patch of line 0 with one byte.
        unsafe { core::ptr::copy_nonoverlapping(b"preview\0\x01".as_ptr(), name, 9) };
        // SAFETY: `engine` is live until freed below.
        let r = unsafe { rewards_wasm::engine_run(engine, 7, shopper, NOW, patch) };
        assert_eq!(r & 1, 1, "{shopper}, {patch}: an error answer");
    }
    // SAFETY: freed once.
    unsafe { rewards_wasm::engine_free(engine) };
}
