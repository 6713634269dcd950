//! The core's fixtures on the wasm build, in headless Chromium:
//! 1. every case passes its expectations (the same runner as native);
//! 2. every case called through the wasm *exports* (`rewards_wasm::Engine`,
//!    the JS API's methods) returns exactly the native engine's bytes;
//! 3. every malformed config fails in the browser with the native error.
#![cfg(target_arch = "wasm32")]

#[path = "../../../tests/common/fixture.rs"]
mod fixture;

include!(concat!(env!("OUT_DIR"), "/native.rs"));

use rewards_core::Json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_fixture_passes_in_the_browser() {
    let failures: Vec<String> = fixture::CASES.iter().filter_map(|(name, text)| fixture::run_case(name, text).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), fixture::CASES.len(), failures.join("\n"));
}

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

fn through_exports(case: &Json) -> String {
    let program = match case.get("program") {
        Some(Json::String(name)) => fixture::program_text(name).expect("known program").to_string(),
        Some(other) => other.to_text(),
        None => panic!("case without program"),
    };
    let engine = match rewards_wasm::Engine::new(&program) {
        Ok(e) => e,
        Err(e) => {
            let err: wasm_bindgen::JsValue = e.into();
            return err.unchecked_into::<js_sys::Error>().message().into();
        }
    };
    let (shopper, now) = (input(case, "shopper"), now_ms(case));
    let name = case.get("op").and_then(Json::as_str).expect("op");
    let op = rewards_core::Op::from_name(name).expect("a known op");
    let arg = op.input_name().map(|k| input(case, k)).unwrap_or_default();
    engine.run(name, &shopper, &arg, now)
}

#[wasm_bindgen_test]
fn exports_return_the_native_bytes() {
    assert_eq!(NATIVE.len(), fixture::CASES.len());
    let mut diffs = Vec::new();
    for ((name, text), (native_name, native)) in fixture::CASES.iter().zip(NATIVE) {
        assert_eq!(name, native_name);
        let case = Json::parse(text).expect("case JSON");
        let wasm = through_exports(&case);
        if wasm != *native {
            diffs.push(format!("{name}:\n  native: {native}\n  wasm:   {wasm}"));
        }
    }
    assert!(diffs.is_empty(), "{} of {} differ:\n{}", diffs.len(), NATIVE.len(), diffs.join("\n"));
}

#[wasm_bindgen_test]
fn malformed_configs_fail_with_the_native_errors() {
    let mut diffs = Vec::new();
    for ((name, text), (_, native)) in fixture::INVALID.iter().zip(NATIVE_INVALID) {
        let case = Json::parse(text).expect("fixture JSON");
        let config = match case.get("config") {
            Some(Json::String(raw)) => raw.to_string(),
            Some(other) => other.to_text(),
            None => panic!("{name}: no config"),
        };
        let message = match rewards_wasm::Engine::new(&config) {
            Ok(_) => "wasm engine accepted the config".to_string(),
            Err(e) => {
                let err: wasm_bindgen::JsValue = e.into();
                err.unchecked_into::<js_sys::Error>().message().into()
            }
        };
        if message != *native {
            diffs.push(format!("{name}:\n  native: {native}\n  wasm:   {message}"));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
