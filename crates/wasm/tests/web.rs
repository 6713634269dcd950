//! The wasm build in headless Chromium: the exported `Engine` gives the same
//! bytes as the native engine, and bad input comes back as error values.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const VN: &str = include_str!("../../../tests/fixtures/programs/vn-coffee.json");
const NOW: f64 = 1_795_000_000_000.0; // 2026-11-18T…Z

#[wasm_bindgen_test]
fn preview_through_the_exports_equals_the_core() {
    let cart = r#"{"currency":"VND","lines":[{"id":"a","quantity":2,"unit_price":45000,"product_type":"Cà phê"}]}"#;
    let wasm = rewards_wasm::Engine::new(VN).unwrap_or_else(|_| panic!("config parses"));
    let core = rewards_core::Engine::new(VN).unwrap();
    let expected = rewards_core::respond(core.preview("", cart, NOW as i64));
    assert_eq!(wasm.run("preview", "", cart, NOW), expected);
    assert!(expected.contains("\"total_points\":39"), "{expected}");
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_value_not_a_trap() {
    let wasm = rewards_wasm::Engine::new(VN).unwrap_or_else(|_| panic!("config parses"));
    let out = wasm.run("preview", "", r#"{"currency":"VND","lines":[{"quantity":"2"}]}"#, NOW);
    assert!(out.starts_with(r#"{"error":"invalid""#), "{out}");
    assert!(out.contains(r#""path":"lines[0].quantity""#), "{out}");
    assert!(rewards_wasm::Engine::new("{\"version\": 2}").is_err());
    let unknown = wasm.run("preveiw", "", "", NOW);
    assert!(unknown.contains(r#""path":"op""#) && unknown.contains("unknown operation"), "{unknown}");
}
