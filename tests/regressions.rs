//! Regression tests, each named after the bug it guards against. The
//! fixture cases cover the same ground by data; these pin the exact
//! failure mode in code.

use rewards_core::time::parse_instant;
use rewards_core::{respond, Engine, Json};

const VN: &str = include_str!("fixtures/programs/vn-coffee.json");
const US: &str = include_str!("fixtures/programs/us-apparel.json");
const KW: &str = include_str!("fixtures/programs/kw-oud.json");

fn engine(text: &str) -> Engine {
    Engine::new(text).unwrap_or_else(|e| panic!("program must be valid: {e}"))
}

fn now() -> i64 {
    parse_instant("2026-11-22T10:00:00Z").expect("instant")
}

fn field<'a, 'j>(v: &'a Json<'j>, path: &[&str]) -> &'a Json<'j> {
    path.iter().fold(v, |v, k| v.get(k).unwrap_or_else(|| panic!("no {k} in {}", v.to_text())))
}

fn text(v: &str) -> Json<'_> {
    Json::String(v.into())
}

/// `Decimal::parse` narrowed a 20-digit mantissa with `as i64`, so the rate
/// 18446744073.709576616 (mantissa 2^64 + 25000) silently became 0.000025.
#[test]
fn decimal_mantissa_beyond_i64_is_refused_not_wrapped() {
    let e = engine(VN);
    let cart = r#"{"currency":"USD","conversion":{"rate":"18446744073.709576616"},"lines":[{"quantity":1,"line_price":100}]}"#;
    let out = respond(e.preview("", cart, now()));
    let out = Json::parse(&out).expect("json");
    assert_eq!(out.get("error"), Some(&text("invalid")), "{}", out.to_text());
    let issue = &field(&out, &["issues"]);
    let Json::Array(issues) = issue else { panic!() };
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].get("path"), Some(&text("conversion.rate")));
    assert_eq!(issues[0].get("message"), Some(&text("\"18446744073.709576616\" has too many digits")));
    // A multiplier of the same shape must not wrap into range either.
    let bad = VN.replace(r#""multiplier": "2","#, r#""multiplier": "18446744073.709551617","#);
    assert!(bad != VN, "the program text must contain the membership multiplier");
    let err = Engine::new(&bad).err().expect("must be refused").to_string();
    assert_eq!(err, "membership.multiplier: \"18446744073.709551617\" has too many digits");
}

/// Calendar arithmetic on `now` multiplied days by milliseconds unchecked:
/// a `now` near the ends of `i64` panicked in debug builds (tier deadline =
/// start of year + 24 months) and wrapped in release builds.
#[test]
fn extreme_now_never_panics() {
    let cart = r#"{"currency":"VND","lines":[{"quantity":1,"line_price":60000,"product_type":"Cà phê"}]}"#;
    let shopper = r#"{"period_spend":2500000,"tier":{"id":"vang","since":"2025-01-01"},"stamps":3,"card_started":"2026-11-01",
                      "rewarded_actions":[{"id":"birthday","at":"2026-01-01"}]}"#;
    let signals = r#"{"trigger":"exit_intent","last_shown":"2026-11-20"}"#;
    for program in [VN, US, KW] {
        let e = engine(program);
        let cart = if program == VN { cart.to_string() } else { cart.replace("VND", e.program.currency().code()) };
        for now in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX - 1, i64::MAX] {
            for out in [
                e.preview(shopper, &cart, now),
                e.tier_progress(shopper, Some(&cart), now),
                e.tier_progress(shopper, None, now),
                e.punch_card(shopper, Some(&cart), now),
                e.redemptions(shopper, &cart, now),
                e.quote(shopper, &cart, now),
                e.explainer(shopper, now),
                e.popup_decision(shopper, signals, now),
                e.actions(shopper, now),
            ] {
                Json::parse(&respond(out)).expect("valid JSON out");
            }
        }
    }
}

/// A shopper who reached Gold last year and reaches it again this year
/// keeps it through next year; the deadline used to stay at the old hold's
/// end (the earlier date).
#[test]
fn requalifying_extends_the_tier_deadline() {
    let e = engine(VN);
    let shopper = r#"{"period_spend":5200000,"tier":{"id":"vang","since":"2025-03-10"}}"#;
    let out = e.tier_progress(shopper, None, now()).expect("progress");
    let out = rewards_core::json::tree(&out);
    assert_eq!(out.get("current"), Some(&text("vang")));
    assert_eq!(out.get("at_risk"), Some(&Json::Bool(false)));
    assert_eq!(out.get("deadline"), Some(&text("2028-01-01T00:00:00Z")));
}

/// The entry tier (threshold 0) cannot be lost, so it has no deadline to
/// requalify by; one used to be reported.
#[test]
fn a_tier_with_threshold_zero_has_no_deadline() {
    let e = engine(VN);
    let out = e.tier_progress(r#"{"period_spend":100}"#, None, now()).expect("progress");
    let out = rewards_core::json::tree(&out);
    assert_eq!(out.get("current"), Some(&text("dong")));
    assert_eq!(out.get("deadline"), Some(&Json::Null));
}

/// `product_points` pasted the line text into a cart's JSON text, so a
/// "line" of `{…},{…}` was accepted as two lines (only the first counted).
#[test]
fn product_line_text_cannot_add_cart_lines() {
    let e = engine(US);
    let two = r#"{"quantity":1,"line_price":100},{"quantity":1,"line_price":900}"#;
    let out = respond(e.product_points("", two, now()));
    let out = Json::parse(&out).expect("json");
    assert_eq!(out.get("error"), Some(&text("invalid")), "{}", out.to_text());
    let injected = r#"{"quantity":1,"line_price":1000}],"discount":500,"shipping":0,"tax":0,"token":"x"#;
    let out = respond(e.product_points("", injected, now()));
    let out = Json::parse(&out).expect("json");
    assert_eq!(out.get("error"), Some(&text("invalid")), "{}", out.to_text());
}

/// A signals cart that is not an object reported its issue at path "cart."
/// (an empty inner path joined with a dot).
#[test]
fn signals_cart_errors_keep_a_clean_path() {
    let e = engine(VN);
    let out = e.popup_decision("", r#"{"cart":5,"trigger":"manual"}"#, now()).expect_err("invalid");
    assert_eq!(out.to_string(), "cart: expected an object, found a number");
}

/// A product page ignores the minimum order but still caps the points; the
/// `capped` flag stayed false when the cap applied there.
#[test]
fn product_points_report_the_cap_when_the_minimum_is_not_met() {
    let program = r#"{"version":1,"store":{"name":"T","currency":"VND","default_locale":"vi"},
        "earning":{"points_per_step":1,"step":10000,"minimum_order":500000,"max_points_per_order":10}}"#;
    let out = engine(program).product_points("", r#"{"quantity":1,"line_price":400000}"#, now()).expect("points");
    let out = rewards_core::json::tree(&out);
    assert_eq!(out.get("earned_points"), Some(&Json::Number("10".into())));
    assert_eq!(out.get("capped"), Some(&Json::Bool(true)));
    assert_eq!(out.get("minimum_order_met"), Some(&Json::Bool(false)));
}

/// Arbitrary bytes as every input never panic (the wasm build aborts on a
/// panic, which would take the widget down with it).
#[test]
fn hostile_input_texts_are_errors_not_panics() {
    let e = engine(VN);
    let nasty = [
        "",
        "null",
        "{",
        "[",
        "\"\\ud800\"",
        "1e999999999",
        "-",
        "{\"lines\":[]}",
        "{\"currency\":\"VND\",\"lines\":[{\"quantity\":1e400,\"line_price\":1}]}",
        "{\"currency\":\"VND\",\"lines\":[{\"quantity\":1,\"line_price\":-0}]}",
        "{\"currency\":\"VND\",\"lines\":{}}",
        "{\"tier\":{\"id\":\"vang\",\"since\":\"9999-12-31T23:59:59.999Z\"}}",
        "{\"card_started\":-62135596800000,\"stamps\":1}",
        &"[".repeat(100_000),
    ];
    for a in nasty {
        for b in nasty {
            let _ = respond(e.preview(a, b, 0));
            let _ = respond(e.product_points(a, b, 0));
            let _ = respond(e.popup_decision(a, b, 0));
            let _ = respond(e.quote(a, b, 0));
        }
        let _ = Engine::new(a).map(|e| e.public_config());
    }
}
