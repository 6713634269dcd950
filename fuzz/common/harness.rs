//! What each fuzz target does with one input, and the checks it makes.
//!
//! Shared with `#[path]` by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`,
//! nightly) and by `tests/fuzz_corpus.rs` (stable), which replays every
//! corpus file and crash reproducer, so a finding stays a regression test.
//!
//! A finding is a panic: either inside the engine (which must never panic)
//! or in [`check`] / [`check_quote`], which assert what holds for any input:
//! every output is JSON; an error is `{"error":"invalid","message","issues":[…]}`
//! with at least one issue (each with a path string and a message) or
//! `{"error":"overflow","message","step"}`; a preview's `total_points`,
//! `earned_points` and `cashback` are ≥ 0; tier progress is 0..=1000 ‰;
//! and `quote` is exactly its four parts (or the first part's error).
//! The `wire` target reads arbitrary bytes as a published program: the
//! reader does not validate again, so its programs only have to run
//! without a panic and write back what was read.

#![allow(dead_code)]

#[path = "gen.rs"]
pub mod gen;

use rewards_core::{respond, Engine, Input, Json, Op, Program};
use std::sync::OnceLock;

/// Every target, by name (the file names in `fuzz/fuzz_targets/`).
pub const TARGETS: &[&str] = &["config", "cart", "shopper", "signals", "engine", "generated", "wire", "inputs"];

/// Runs one input through a target; panics on a finding.
pub fn run(target: &str, data: &[u8]) {
    match target {
        "config" => config(data),
        "cart" => cart(data),
        "shopper" => shopper(data),
        "signals" => signals(data),
        "engine" => engine(data),
        "generated" => generated(data),
        "wire" => wire(data),
        "inputs" => inputs(data),
        other => panic!("unknown fuzz target {other}"),
    }
}

/// The example programs, parsed once (fuzzing runs millions of inputs).
fn examples() -> &'static [Engine] {
    static ENGINES: OnceLock<Vec<Engine>> = OnceLock::new();
    ENGINES.get_or_init(|| gen::EXAMPLES.iter().map(|t| Engine::new(t).expect("example program is valid")).collect())
}

/// 2026-11-22T10:00:00Z, the fixtures' usual `now`.
const NOW: i64 = 1_795_341_600_000;
const SHOPPER: &str = r#"{"member":true,"balance":2500,"lifetime_orders":1,"period_spend":3000000,"period_points":1200,"period_orders":6,
  "tier":{"id":"silver","since":"2026-03-01"},"membership":{"id":"oud-club","status":"trial"},"stamps":4,"card_started":"2026-11-01",
  "rewarded_actions":[{"id":"signup","at":"2026-01-01T00:00:00Z"}],"last_order_value":12000}"#;
const SIGNALS: &str = r#"{"path":"/products/p1","pages_viewed":3,"product_views":2,"trigger":"exit_intent"}"#;

/// A small cart in the program's currency (for programs and shoppers under test).
fn cart_for(e: &Engine) -> String {
    let currency = e.program.currency();
    let code = currency.code();
    format!(
        r#"{{"currency":"{code}","discount":300,"lines":[{{"id":"a","product_id":"p1","quantity":2,"unit_price":150000,"tags":["coffee"]}},
        {{"id":"b","sku":"SKU-2","product_type":"Socks","collections":["oud-oils"],"quantity":1,"line_price":99000}}]}}"#
    )
}

const LINE: &str = r#"{"product_id":"p2","quantity":1,"unit_price":45000}"#;

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Arbitrary text as a program config; a valid one then runs every op.
fn config(data: &[u8]) {
    let text = text(data);
    match Engine::new(&text) {
        Err(e) => check("Engine::new", &e.to_json().to_text()),
        Ok(e) => {
            let cart = cart_for(&e);
            for shopper in ["", SHOPPER] {
                every_op(&e, shopper, Some(&cart), LINE, SIGNALS, NOW);
            }
        }
    }
}

/// Arbitrary text as a cart (and as a product line) on every example
/// program, through the ops that take one.
fn cart(data: &[u8]) {
    let text = text(data);
    for e in examples() {
        check("product_points", &respond(e.product_points(SHOPPER, &text, NOW)));
        cart_ops(e, SHOPPER, &text, NOW);
    }
}

/// Arbitrary text as a shopper on every example program.
fn shopper(data: &[u8]) {
    let text = text(data);
    for e in examples() {
        every_op(e, &text, Some(&cart_for(e)), LINE, SIGNALS, NOW);
    }
}

/// Arbitrary text as popup signals on every example program, for a guest
/// and a shopper.
fn signals(data: &[u8]) {
    let text = text(data);
    for e in examples() {
        for shopper in ["", SHOPPER] {
            check("popup_decision", &respond(e.popup_decision(shopper, &text, NOW)));
        }
    }
}

/// Arbitrary bytes as an input's bytes, what the wasm reads
/// (`rewards_core::input`): byte 0 picks the input (`input::table::INPUTS`:
/// shopper, cart, line, signals), the rest are its bytes. On every example
/// program through every op that takes it (a shopper's with a valid cart,
/// line or signals).
fn inputs(data: &[u8]) {
    use rewards_core::input::{encode, table::INPUTS};
    let Some((&pick, bytes)) = data.split_first() else { return };
    let name = INPUTS[pick as usize % INPUTS.len()];
    for e in examples() {
        let valid = |input: Option<&str>| match input {
            Some("cart") => encode::from_text("cart", &cart_for(e)).expect("a valid cart"),
            Some("line") => encode::from_text("line", LINE).expect("a valid line"),
            Some("signals") => encode::from_text("signals", SIGNALS).expect("valid signals"),
            _ => Vec::new(),
        };
        for (op, _, _) in Op::ALL {
            let out = match (name, op.input_name()) {
                ("shopper", input) => e.run_bytes(*op, bytes, &valid(input), NOW),
                (n, Some(input)) if n == input => e.run_bytes(*op, &[], bytes, NOW),
                _ => continue,
            };
            check(op.name(), &respond(out));
        }
        held(e, name, bytes);
    }
}

/// The cart-page module's held inputs (`rewards_core::input::held`): the
/// bytes as a patch of the held cart (any bytes: never a panic), and a
/// cart's line patched with them answers what the whole cart with that line
/// answers (when either succeeds; errors name bytes of different documents).
fn held(e: &Engine, name: &str, bytes: &[u8]) {
    use rewards_core::input::{encode, held::Held};
    let cart = encode::from_text("cart", &cart_for(e)).expect("a valid cart");
    let first = encode::from_text("line", r#"{"id":"a","product_id":"p1","quantity":2,"unit_price":150000,"tags":["coffee"]}"#)
        .expect("a valid line");
    let at = cart.windows(first.len()).position(|w| w == first).expect("the cart's first line");
    // The quote computes what every cart op does; tier progress takes an optional cart, product points none.
    for op in [Op::Quote, Op::TierProgress, Op::ProductPoints] {
        let op = &op;
        let mut h = Held::default();
        let _ = h.run(e, *op, Some(&[]), &cart, false, NOW);
        check(op.name(), &respond(h.run(e, *op, None, bytes, true, NOW)));
        if name == "line" && op.takes_cart(&cart) {
            let mut patch = vec![0];
            let n = bytes.len() as u64;
            let mut v = n;
            while v >= 0x80 {
                patch.push((v as u8) | 0x80);
                v >>= 7;
            }
            patch.push(v as u8);
            patch.extend_from_slice(bytes);
            let whole = [&cart[..at], bytes, &cart[at + first.len()..]].concat();
            let want = e.run_bytes(*op, &[], &whole, NOW);
            let _ = h.run(e, *op, Some(&[]), &cart, false, NOW);
            let got = h.run(e, *op, None, &patch, true, NOW);
            if want.is_ok() || got.is_ok() {
                assert_eq!(
                    got.map_err(|e| e.to_string()),
                    want.map_err(|e| e.to_string()),
                    "{}: a patched line answers as the whole cart",
                    op.name()
                );
            }
        }
    }
}

/// Sections separated by 0xFF (never in UTF-8 text): a header (byte 0 picks
/// an example program, or 3 = the program section; bytes 1..9 are `now`,
/// i64 little-endian), then program, shopper, cart, line and signals texts.
/// An empty cart section means "no cart" for the ops where it is optional.
fn engine(data: &[u8]) {
    let mut sections = data.split(|&b| b == 0xFF);
    let header = sections.next().unwrap_or_default();
    let mut next = || text(sections.next().unwrap_or_default());
    let (program, shopper, cart, line, signals) = (next(), next(), next(), next(), next());
    let mut now = [0u8; 8];
    for (i, b) in header.iter().skip(1).take(8).enumerate() {
        now[i] = *b;
    }
    let now = i64::from_le_bytes(now);
    let cart = (!cart.is_empty()).then_some(&*cart);
    let choice = header.first().copied().unwrap_or(0) % 4;
    if let Some(e) = examples().get(choice as usize) {
        every_op(e, &shopper, cart, &line, &signals, now);
        return;
    }
    match Engine::new(&program) {
        Ok(e) => every_op(&e, &shopper, cart, &line, &signals, now),
        Err(e) => check("Engine::new", &e.to_json().to_text()),
    }
}

/// Arbitrary bytes as a published program (`Program::from_wire`). One it
/// reads must write back to bytes that read back the same program, and
/// every op must run on it without a panic. Its outputs are not checked:
/// the reader trusts the server's validation, so a corrupt document can
/// hold what validation refuses (negative points, say).
pub fn wire(data: &[u8]) {
    let program = match Program::from_wire(data) {
        Ok(p) => p,
        Err(e) => return check("Program::from_wire", &e.to_json().to_text()),
    };
    let again = Program::from_wire(&program.to_wire());
    assert!(again.as_ref() == Ok(&program), "the program read does not write back the same: {again:?}\nread: {program:?}");
    let e = Engine { program };
    let cart = cart_for(&e);
    let _ = e.public_config().to_text();
    for shopper in ["", SHOPPER] {
        for (op, _, input) in Op::ALL {
            let input = match input {
                Input::Nothing => "",
                Input::Required("line") => LINE,
                Input::Required("signals") => SIGNALS,
                Input::Required(_) | Input::Optional(_) => &cart,
            };
            let _ = respond(e.run(*op, shopper, input, NOW));
        }
    }
}

/// The bytes are the generator's choices: a valid (or near-valid) random
/// program and inputs that refer to it, through every op.
fn generated(data: &[u8]) {
    check_case(&gen::case(&mut gen::Gen::from_bytes(data)));
}

/// Every op on a generated case, each output checked, the quote against its parts.
pub fn check_case(case: &gen::Case) {
    let outputs = gen::native_outputs(case);
    if outputs.len() == 1 {
        return check("Engine::new", &outputs[0]);
    }
    let names = gen::op_names();
    for (op, out) in names.iter().zip(&outputs) {
        check(op, out);
    }
    let part = |op: &str| outputs[names.iter().position(|o| o == op).expect("op")].as_str();
    check_quote(part("quote"), [part("preview"), part("tier_progress+cart"), part("punch_card+cart"), part("redemptions")]);
}

/// Every op of `e` (the core's op table) on these inputs; the quote is
/// checked against its parts when there is a cart.
pub fn every_op(e: &Engine, shopper: &str, cart: Option<&str>, line: &str, signals: &str, now: i64) {
    check("public_config", &e.public_config().to_text());
    for (op, name, input) in Op::ALL {
        let text = match input {
            Input::Nothing | Input::Optional(_) => "",
            Input::Required("line") => line,
            Input::Required("signals") => signals,
            // The cart ops run together below; without a cart, blank cart
            // text is an error for the ones that need it.
            Input::Required(_) if cart.is_some() => continue,
            Input::Required(_) => "",
        };
        check(name, &respond(e.run(*op, shopper, text, now)));
    }
    if let Some(cart) = cart {
        cart_ops(e, shopper, cart, now);
    }
}

/// The ops that take a cart; the quote must equal its parts.
fn cart_ops(e: &Engine, shopper: &str, cart: &str, now: i64) {
    let outputs: Vec<(&str, String)> = Op::ALL
        .iter()
        .filter(|(op, _, _)| op.input_name() == Some("cart"))
        .map(|(op, name, _)| (*name, respond(e.run(*op, shopper, cart, now))))
        .collect();
    for (op, out) in &outputs {
        check(op, out);
    }
    let part = |op: &str| outputs.iter().find(|(o, _)| *o == op).map_or("", |(_, t)| t.as_str());
    check_quote(part("quote"), [part("preview"), part("tier_progress"), part("punch_card"), part("redemptions")]);
}

fn fail(op: &str, out: &str, why: &str) -> ! {
    panic!("{op}: {why}\noutput: {out}")
}

fn int_field(v: &Json, key: &str) -> Option<i128> {
    match v.get(key) {
        Some(Json::Number(t)) => t.parse().ok(),
        _ => None,
    }
}

/// Panics unless `out` is a well-formed output of `op` (see the module docs).
pub fn check(op: &str, out: &str) {
    let v = Json::parse(out).unwrap_or_else(|m| fail(op, out, &format!("output is not JSON: {m}")));
    if let Some(kind) = v.get("error") {
        let nonempty = |key: &str| matches!(v.get(key), Some(Json::String(s)) if !s.is_empty());
        if !nonempty("message") {
            fail(op, out, "an error without a message");
        }
        match kind.as_str() {
            Some("invalid") => match v.get("issues") {
                Some(Json::Array(issues)) if !issues.is_empty() => {
                    for i in issues {
                        let ok = matches!(i.get("path"), Some(Json::String(_)))
                            && matches!(i.get("message"), Some(Json::String(m)) if !m.is_empty());
                        if !ok {
                            fail(op, out, "an issue without a path or a message");
                        }
                    }
                }
                _ => fail(op, out, "an \"invalid\" error without issues"),
            },
            Some("overflow") if nonempty("step") => {}
            Some("overflow") => fail(op, out, "an overflow without its step"),
            _ => fail(op, out, "an unknown error kind"),
        }
        return;
    }
    match op {
        "preview" | "product_points" => check_preview(op, out, &v),
        "quote" => {
            if let Some(p) = v.get("preview") {
                check_preview(op, out, p);
            }
            if let Some(t) = v.get("tier").filter(|t| **t != Json::Null) {
                check_tier(op, out, t);
            }
            if let Some(k) = v.get("punch_card").filter(|k| **k != Json::Null) {
                check_punch(op, out, k);
            }
            if let Some(r) = v.get("redemptions") {
                check_redemptions(op, out, r);
            }
        }
        "tier_progress" | "tier_progress+cart" if v != Json::Null => check_tier(op, out, &v),
        "punch_card" | "punch_card+cart" if v != Json::Null => check_punch(op, out, &v),
        "redemptions" => check_redemptions(op, out, &v),
        _ => {}
    }
}

fn check_preview(op: &str, out: &str, p: &Json) {
    for key in ["total_points", "earned_points", "cashback"] {
        match int_field(p, key) {
            Some(x) if x >= 0 => {}
            Some(_) => fail(op, out, &format!("negative {key}")),
            None => fail(op, out, &format!("no integer {key}")),
        }
    }
}

fn check_tier(op: &str, out: &str, t: &Json) {
    match int_field(t, "progress_permille") {
        Some(x) if (0..=1000).contains(&x) => {}
        _ => fail(op, out, "progress_permille is not within 0..=1000"),
    }
}

/// Stamps on the card stay below a full card; nothing is negative.
fn check_punch(op: &str, out: &str, k: &Json) {
    let get = |key: &str| int_field(k, key).unwrap_or_else(|| fail(op, out, &format!("punch card without an integer {key}")));
    let (required, after) = (get("required"), get("stamps_after"));
    if !(0..required).contains(&after) || get("remaining") != required - after {
        fail(op, out, "stamps_after is not within 0..required, or remaining is not required - stamps_after");
    }
    if get("stamps") < 0 || get("added") < 0 || get("completes") < 0 || get("reward_value") < 0 {
        fail(op, out, "a negative punch card count");
    }
}

/// src/redeem.rs: usable points are whole increments within the balance;
/// every discount is positive when usable and capped by the subtotal
/// (amount and percent off); `best` names a usable option.
fn check_redemptions(op: &str, out: &str, r: &Json) {
    let (Some(balance), Some(subtotal), Some(Json::Array(options))) = (int_field(r, "balance"), int_field(r, "subtotal"), r.get("options"))
    else {
        fail(op, out, "redemptions without balance, subtotal and options");
    };
    let mut usable_ids = Vec::new();
    for o in options {
        let get = |key: &str| int_field(o, key).unwrap_or_else(|| fail(op, out, &format!("an option without an integer {key}")));
        let (points, discount) = (get("max_usable_points"), get("discount"));
        if !(0..=balance).contains(&points) || discount < 0 {
            fail(op, out, "max_usable_points outside 0..=balance, or a negative discount");
        }
        if o.get("usable") == Some(&Json::Bool(true)) {
            if discount == 0 || points < get("min_points") || points % get("increment").max(1) != 0 {
                fail(op, out, "a usable option without a discount or with a partial increment");
            }
            usable_ids.push(o.get("id").cloned());
        }
        let capped_by_subtotal = matches!(o.get("kind").and_then(Json::as_str), Some("amount_off" | "percent_off"));
        if capped_by_subtotal && discount > subtotal {
            fail(op, out, "a discount above the cart subtotal");
        }
    }
    match r.get("best") {
        Some(Json::Null) if usable_ids.is_empty() => {}
        Some(best @ Json::String(_)) if usable_ids.contains(&Some(best.clone())) => {}
        _ => fail(op, out, "\"best\" is not one of the usable options (or null when none is)"),
    }
}

/// `quote` = {preview, tier, punch_card, redemptions} of the same inputs,
/// or, when it fails, the first of those ops' errors.
pub fn check_quote(quote: &str, [preview, tier, punch, redemptions]: [&str; 4]) {
    let q = Json::parse(quote).unwrap_or_else(|m| fail("quote", quote, &format!("output is not JSON: {m}")));
    let parts: Vec<Json> = [preview, tier, punch, redemptions].iter().map(|t| Json::parse(t).expect("checked before")).collect();
    if q.get("error").is_some() {
        match parts.iter().find(|p| p.get("error").is_some()) {
            Some(first) if *first == q => {}
            _ => fail("quote", quote, "fails, but not with the first error of its parts"),
        }
        return;
    }
    for (key, part) in ["preview", "tier", "punch_card", "redemptions"].iter().zip(&parts) {
        if q.get(key) != Some(part) {
            fail("quote", quote, &format!("\"{key}\" differs from the op's own output {}", part.to_text()));
        }
    }
}
