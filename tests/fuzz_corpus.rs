//! The fuzz corpora and crash reproducers as regression tests (stable).
//!
//! Every file of `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/`
//! runs through the same code as the cargo-fuzz target
//! (`fuzz/common/harness.rs`): no panic, every output well formed, the
//! quote equal to its parts. Also checks that the input generator behind
//! the `generated` target and the wasm differential test makes valid
//! programs, so neither silently tests only error paths.

#[path = "../fuzz/common/harness.rs"]
mod harness;

use harness::gen::{self, Gen, Origin};
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect();
    out.sort();
    out
}

#[test]
fn every_corpus_file_and_reproducer_replays_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut failures = Vec::new();
    for target in harness::TARGETS {
        let corpus = files(&root.join("corpus").join(target));
        // An empty corpus would make this test pass without testing anything.
        assert!(corpus.len() >= 10, "fuzz/corpus/{target} has {} files; seed it (fuzz/README.md)", corpus.len());
        for path in corpus.iter().chain(&files(&root.join("regressions").join(target))) {
            let data = std::fs::read(path).unwrap();
            if let Err(panic) = std::panic::catch_unwind(|| harness::run(target, &data)) {
                let message = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
                failures.push(format!("{target} {}: {}", path.display(), message.unwrap_or_default()));
            }
        }
    }
    assert!(failures.is_empty(), "{} corpus files fail:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn generated_fresh_programs_are_all_valid() {
    let mut fresh = 0;
    for i in 0..2000 {
        let case = gen::differential_case(7, i);
        if case.origin == Origin::Fresh {
            fresh += 1;
            if let Err(e) = rewards_core::Engine::new(&case.program) {
                panic!("generated program {i} is invalid: {e}\n{}", case.program);
            }
        }
    }
    assert!(fresh > 1500, "only {fresh} of 2000 cases have a fresh program");
}

#[test]
fn seeded_generated_cases_pass_the_fuzz_checks() {
    // The fuzz target's checks on the differential test's kind of input.
    for i in 0..300 {
        harness::check_case(&gen::differential_case(3, i));
    }
}

#[test]
fn generated_cases_reach_the_computations() {
    // Share of cases whose quote is a value, not an error: the generator
    // must mostly produce inputs the engine accepts, or the differential
    // test would compare error texts only.
    let mut computed = 0;
    for i in 0..500 {
        let outputs = gen::native_outputs(&gen::differential_case(11, i));
        let quote = outputs.get(gen::op_names().iter().position(|o| o == "quote").unwrap());
        if quote.is_some_and(|q| !q.starts_with("{\"error\"")) {
            computed += 1;
        }
    }
    assert!(computed > 250, "only {computed} of 500 generated quotes computed");
}

#[test]
fn the_generator_is_deterministic_and_reads_bytes() {
    let a = gen::differential_case(42, 3);
    let b = gen::differential_case(42, 3);
    assert_eq!((a.program, a.shopper, a.cart, a.now), (b.program, b.shopper, b.cart, b.now));
    // Empty fuzzer input: the simplest choices, still a valid program.
    let minimal = gen::case(&mut Gen::from_bytes(&[]));
    assert_eq!(minimal.origin, Origin::TweakedExample);
    let other = gen::case(&mut Gen::from_bytes(&[5; 64]));
    assert_ne!(minimal.program, other.program);
}

#[test]
fn the_checks_reject_malformed_outputs() {
    let rejects = |op: &str, out: &str| std::panic::catch_unwind(|| harness::check(op, out)).is_err();
    assert!(rejects("preview", "{\"total_points\":"), "not JSON");
    assert!(rejects("preview", r#"{"error":"invalid","message":"m","issues":[]}"#), "no issues");
    assert!(rejects("preview", r#"{"error":"invalid","message":"m","issues":[{"message":"m"}]}"#), "issue without a path");
    assert!(rejects("quote", r#"{"error":"overflow","message":"m"}"#), "overflow without a step");
    assert!(rejects("actions", r#"{"error":"boom","message":"m"}"#), "unknown error kind");
    assert!(rejects("preview", r#"{"total_points":-1,"earned_points":0,"cashback":0}"#), "negative points");
    assert!(rejects("tier_progress", r#"{"progress_permille":1001}"#), "progress above 100 %");
    assert!(!rejects("preview", r#"{"total_points":0,"earned_points":0,"cashback":0}"#));
    assert!(!rejects("preview", r#"{"error":"overflow","message":"m","step":"s"}"#));
    let quote_rejects = |q: &str, parts: [&str; 4]| std::panic::catch_unwind(|| harness::check_quote(q, parts)).is_err();
    let e1 = r#"{"error":"invalid","message":"a","issues":[{"path":"","message":"a"}]}"#;
    let e2 = r#"{"error":"overflow","message":"b","step":"b"}"#;
    assert!(!quote_rejects(e1, ["{}", e1, e2, "{}"]));
    assert!(quote_rejects(e2, ["{}", e1, e2, "{}"]), "not the first error");
    assert!(!quote_rejects(r#"{"preview":1,"tier":null,"punch_card":[],"redemptions":{}}"#, ["1", "null", "[]", "{}"]));
    assert!(quote_rejects(r#"{"preview":1,"tier":null,"punch_card":[],"redemptions":{}}"#, ["2", "null", "[]", "{}"]), "a part differs");
}

#[test]
fn the_checks_reject_impossible_punch_cards_and_redemptions() {
    let rejects = |op: &str, out: &str| std::panic::catch_unwind(|| harness::check(op, out)).is_err();
    let card = |after: i64, remaining: i64| {
        format!(r#"{{"stamps":1,"required":5,"added":0,"completes":0,"stamps_after":{after},"remaining":{remaining},"reward_value":0}}"#)
    };
    assert!(!rejects("punch_card", &card(4, 1)));
    assert!(rejects("punch_card", &card(5, 0)), "a full card left on the card");
    assert!(rejects("punch_card", &card(3, 1)), "remaining does not add up");
    let option = |usable: bool, points: i64, discount: i64| {
        format!(
            r#"{{"id":"r","kind":"amount_off","usable":{usable},"min_points":100,"increment":100,"max_usable_points":{points},"discount":{discount}}}"#
        )
    };
    let redemptions = |o: String, best: &str| format!(r#"{{"balance":500,"subtotal":1000,"options":[{o}],"best":{best}}}"#);
    assert!(!rejects("redemptions", &redemptions(option(true, 300, 300), "\"r\"")));
    assert!(rejects("redemptions", &redemptions(option(true, 600, 300), "\"r\"")), "more points than the balance");
    assert!(rejects("redemptions", &redemptions(option(true, 250, 300), "\"r\"")), "a partial increment");
    assert!(rejects("redemptions", &redemptions(option(true, 300, 1001), "\"r\"")), "a discount above the subtotal");
    assert!(rejects("redemptions", &redemptions(option(true, 300, 300), "null")), "best is not the usable option");
    assert!(rejects("redemptions", &redemptions(option(false, 0, 0), "\"r\"")), "best names a blocked option");
}

/// The server's validator on every config the fuzzers keep and 3,000
/// generated programs (fresh, tweaked examples and mutated ones): it never
/// panics, and every program it accepts reads back from its published bytes
/// (the widget's path) as the same `Program`. `SHOW_ALL=1` lists every failure.
#[cfg(feature = "schema")]
#[test]
fn the_validator_never_panics_and_what_it_accepts_publishes_and_reads_back_equal() {
    use rewards_core::{validate, Program};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut texts: Vec<(String, String)> = Vec::new();
    for path in files(&root.join("corpus").join("config")).iter().chain(&files(&root.join("regressions").join("config"))) {
        texts.push((path.display().to_string(), String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned()));
    }
    for i in 0..3000 {
        texts.push((format!("generated case {i}"), gen::differential_case(11, i).program));
    }
    let (mut accepted, mut refused, mut failures) = (0, 0, Vec::new());
    for (name, text) in &texts {
        let native = match std::panic::catch_unwind(|| validate::program(text)) {
            Ok(r) => r,
            Err(_) => {
                failures.push(format!("{name}: the validator panicked"));
                continue;
            }
        };
        match native {
            Ok(p) if Program::from_wire(&p.to_wire()).as_ref() == Ok(&p) => accepted += 1,
            Ok(_) => failures.push(format!("{name}: its published bytes read back as a different program\n{text}")),
            Err(_) => refused += 1,
        }
    }
    if std::env::var_os("SHOW_ALL").is_some() {
        for f in &failures {
            eprintln!("DISAGREE {}", f.lines().next().unwrap_or(""));
        }
    }
    let shown: Vec<&String> = failures.iter().take(8).collect();
    assert!(
        failures.is_empty(),
        "{} of {} fail:\n{}",
        failures.len(),
        texts.len(),
        shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n\n")
    );
    assert!(accepted > 1500 && refused > 300, "only {accepted} accepted and {refused} refused: the inputs test too little");
}
