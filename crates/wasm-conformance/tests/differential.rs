//! Differential test, native engine against the wasm build, in headless
//! Chromium: random (program, shopper, cart, line, signals, now) cases from
//! the seeded generator `fuzz/common/gen.rs`, every op through the wasm
//! *exports*; each case's outputs are hashed and compared with the digest
//! `build.rs` computed for the same case natively (`differential_native.rs`).
//! The wasm gets each program as the browser does: published natively
//! (`Program::to_wire`, also in build.rs); an invalid program is never
//! published, so it is counted, not run.
//!
//! Default: 2,000 cases. The full run (100,000, see fuzz/README.md):
//! `REWARDS_DIFFERENTIAL_CASES=100000 scripts/differential.sh`.
#![cfg(all(target_arch = "wasm32", not(feature = "cart-page")))]

#[path = "../../../fuzz/common/gen.rs"]
mod gen;

include!(concat!(env!("OUT_DIR"), "/differential.rs"));

mod common;

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Every op's output through the wasm exports, in `gen::op_names` order
/// (the order `gen::native_outputs` uses); blank cart text is "no cart".
fn wasm_outputs(c: &gen::Case, program: &[u8]) -> Vec<String> {
    let e = match rewards_wasm::Engine::new(program) {
        Ok(e) => e,
        Err(err) => return vec![common::refusal(err)],
    };
    let (s, now) = (c.shopper.as_str(), c.now as f64);
    gen::op_calls(c).iter().map(|(op, input)| common::run_json(&e, op, s, input, now)).collect()
}

/// The next case's published program from `DIFF_PROGRAMS` (empty: invalid).
fn next_program(at: &mut usize) -> &'static [u8] {
    let len = u32::from_le_bytes(DIFF_PROGRAMS[*at..*at + 4].try_into().expect("4 bytes")) as usize;
    let bytes = &DIFF_PROGRAMS[*at + 4..*at + 4 + len];
    *at += 4 + len;
    bytes
}

fn native_digest(i: u64) -> u64 {
    let at = i as usize * 8;
    u64::from_le_bytes(DIFF_DIGESTS[at..at + 8].try_into().expect("8 bytes"))
}

#[wasm_bindgen_test]
fn random_cases_give_the_native_bytes() {
    assert_eq!(DIFF_DIGESTS.len() as u64, DIFF_CASES * 8, "build.rs wrote a digest per case");
    const { assert!(DIFF_CASES > 0, "build.rs generated no cases for wasm32") };
    let started = js_sys::Date::now();
    let (mut mismatches, mut report) = (0u64, String::new());
    let (mut invalid_programs, mut computed_quotes) = (0u64, 0u64);
    let (mut combined, mut native_combined) = (gen::FNV_OFFSET, gen::FNV_OFFSET);
    let quote = gen::op_names().iter().position(|n| n == "quote").expect("a quote op");
    let mut at = 0;
    for i in 0..DIFF_CASES {
        let case = gen::differential_case(DIFF_SEED, i);
        let program = next_program(&mut at);
        if program.is_empty() {
            // Invalid: the publisher refuses it, so no browser ever gets it.
            invalid_programs += 1;
            continue;
        }
        let outputs = wasm_outputs(&case, program);
        let digest = gen::digest(&outputs);
        combined = gen::fnv1a(combined, &digest.to_le_bytes());
        native_combined = gen::fnv1a(native_combined, &native_digest(i).to_le_bytes());
        if outputs.get(quote).is_some_and(|q| !q.starts_with("{\"error\"")) {
            computed_quotes += 1;
        }
        if digest != native_digest(i) {
            mismatches += 1;
            if mismatches <= 3 {
                report.push_str(&format!(
                    "\ncase {i} (gen::differential_case({DIFF_SEED}, {i})):\n  program: {}\n  shopper: {}\n  cart: {}\n  line: {}\n  signals: {}\n  now: {}\n  wasm outputs:\n",
                    case.program, case.shopper, case.cart, case.line, case.signals, case.now
                ));
                for (op, out) in gen::op_names().iter().zip(&outputs) {
                    report.push_str(&format!("    {op}: {out}\n"));
                }
            }
        }
    }
    console_log!(
        "differential: {DIFF_CASES} cases (seed {DIFF_SEED}), {} ops each, {invalid_programs} invalid programs, {computed_quotes} quotes computed, \
         {mismatches} mismatches, combined digest wasm {combined:016x} native {native_combined:016x}, {:.1} s in the browser",
        gen::op_names().len(),
        (js_sys::Date::now() - started) / 1000.0
    );
    assert_eq!(mismatches, 0, "{mismatches} of {DIFF_CASES} cases differ from the native engine (first 3 shown):{report}");
    assert_eq!(combined, native_combined);
    // The generator must reach the computations, not only error paths.
    assert!(computed_quotes * 2 > DIFF_CASES, "only {computed_quotes} of {DIFF_CASES} quotes computed");
}
