//! The data-driven fixture runner, shared by the native tests
//! (`tests/fixtures.rs`, `tests/invalid_configs.rs`) and the wasm build's
//! browser tests, which include this file with `#[path]`. So: only
//! `rewards_core` and `std`, no filesystem, no external crates. Every
//! fixture is embedded with `include_str!` in the lists below.
//!
//! # Case files: `tests/fixtures/cases/<area>/<name>.json`
//! ```text
//! { "description": "what it checks and the hand arithmetic",
//!   "program": "vn-coffee.json" | { inline program },
//!   "op": a name of `rewards_core::Op` ("preview", "quote", "explainer", …),
//!   "shopper": {…} | null,           // absent or null: a guest
//!   "cart": {…} | "line": {…} | "signals": {…} | "dates": {…},  // the op's input (`Op::input`)
//!   "now": "2026-11-22T10:00:00Z" | <epoch ms>,
//!   "expected": {…} }
//! ```
//! A program given by name is looked up in [`PROGRAMS`] (the files of
//! `tests/fixtures/programs`). An input given as a JSON *string* is passed
//! verbatim as the input text, to test malformed input; objects are passed
//! as their JSON text. `tier_progress` and `punch_card` take an optional
//! cart; an input the op does not take is an error in the case file.
//!
//! The op's output (its value, or its error JSON as `rewards_core::respond`
//! writes it; an invalid program gives the error of `Engine::new`) is
//! compared with `expected` as a subset: every key present in `expected`
//! must be in the output and deep-equal it (objects recurse as subsets,
//! arrays need equal length and match elementwise, scalars and number
//! texts must be identical).
//!
//! # Invalid configs: `tests/fixtures/invalid/<name>.json`
//! `{"description": "…", "config": {…} | "raw JSON text", "errors": [{"path", "message"}]}`:
//! `Engine::new` must fail with exactly these issues, in this order.
//!
//! # API
//! [`run_case`] and [`run_invalid`] take a fixture's name and text and
//! return `Err` with a readable report; [`case_output`] gives a case's raw
//! output text. Adding a fixture file: `tests/fixtures.rs` fails until the
//! file is listed in [`CASES`] / [`INVALID`], and prints the line to add.
#![allow(dead_code)]

use rewards_core::time::parse_instant;
use rewards_core::{respond, Engine, Error, Input, Json, Op};

/// Every program file in `tests/fixtures/programs`, by file name.
pub const PROGRAMS: &[(&str, &str)] = &[
    ("kw-oud.json", include_str!("../fixtures/programs/kw-oud.json")),
    ("us-apparel.json", include_str!("../fixtures/programs/us-apparel.json")),
    ("vn-coffee.json", include_str!("../fixtures/programs/vn-coffee.json")),
];

/// `("<area>/<name>", text of tests/fixtures/cases/<area>/<name>.json)`.
macro_rules! case {
    ($name:literal) => {
        ($name, include_str!(concat!("../fixtures/cases/", $name, ".json")))
    };
}

/// `("<name>", text of tests/fixtures/invalid/<name>.json)`.
macro_rules! invalid {
    ($name:literal) => {
        ($name, include_str!(concat!("../fixtures/invalid/", $name, ".json")))
    };
}

/// Every case file, by `<area>/<name>` (sorted; `tests/fixtures.rs` checks
/// that this list and the files on disk agree).
pub const CASES: &[(&str, &str)] = &[
    // @generated-cases-begin
    case!("actions/kwd-every-3-days-and-unlimited-review"),
    case!("actions/no-actions"),
    case!("actions/vnd-birthday-yearly-last-second-of-last-year"),
    case!("actions/vnd-birthday-yearly-same-year"),
    case!("actions/vnd-every-7-days-exactly"),
    case!("actions/vnd-every-7-days-one-second-short"),
    case!("actions/vnd-every-day-review"),
    case!("actions/vnd-guest-all-eligible"),
    case!("actions/vnd-latest-reward-counts"),
    case!("actions/vnd-once-limits"),
    case!("birthday/invalid-date"),
    case!("birthday/usd-notice-14-days-exactly"),
    case!("birthday/vnd-given-too-late-waits-a-year"),
    case!("birthday/vnd-leap-day-in-a-common-year"),
    case!("birthday/vnd-leap-day-in-a-leap-year"),
    case!("birthday/vnd-new-year-birthday-across-the-year-boundary"),
    case!("birthday/vnd-on-the-day-with-notice"),
    case!("birthday/vnd-once-per-year"),
    case!("explainer/kwd-store-and-rules"),
    case!("explainer/minimal-program"),
    case!("explainer/usd-member-state"),
    case!("explainer/vnd-guest-model"),
    case!("input_errors/cart-decimal-rate-too-precise"),
    case!("input_errors/cart-every-line-error"),
    case!("input_errors/cart-missing-currency"),
    case!("input_errors/cart-negative-order-discount"),
    case!("input_errors/cart-price-out-of-range"),
    case!("input_errors/cart-rate-mantissa-beyond-i64"),
    case!("input_errors/cart-unknown-currency"),
    case!("input_errors/program-invalid-gives-engine-error"),
    case!("input_errors/shopper-invalid-json"),
    case!("input_errors/shopper-several-errors"),
    case!("input_errors/shopper-string-null-is-guest"),
    case!("input_errors/shopper-unknown-field-hint"),
    case!("membership/no-membership-section"),
    case!("membership/usd-multiply-with-half-up-rounding"),
    case!("membership/vnd-26-points-become-52"),
    case!("membership/vnd-guest-first-order-bonus-is-not-doubled"),
    case!("membership/vnd-lapsed-member-is-offered-it-again"),
    case!("membership/vnd-multiplier-one-earns-nothing-more"),
    case!("membership/vnd-per-order-cap-already-reached"),
    case!("membership/vnd-popup-holder-sees-the-default-offer"),
    case!("membership/vnd-popup-repeat-buyer-gets-the-membership-offer"),
    case!("membership/vnd-popup-repeat-buyer-without-a-cart"),
    case!("membership/vnd-silver-tier-adds-to-the-membership"),
    case!("membership/vnd-trial-member-is-offered-nothing"),
    case!("membership/vnd-under-the-minimum-order-earns-nothing-more"),
    case!("overflow/amount-off-cap"),
    case!("overflow/cart-subtotal"),
    case!("overflow/currency-conversion"),
    case!("overflow/earning-rounding"),
    case!("overflow/punch-reward-value"),
    case!("overflow/qualifying-total"),
    case!("overflow/tier-value-after-cart"),
    case!("overflow/total-points"),
    case!("overflow/total-points-exactly-i64-max"),
    case!("overflow/unit-price-times-quantity"),
    case!("popup/invalid-signals-cart-not-object"),
    case!("popup/invalid-signals-cart-path"),
    case!("popup/invalid-trigger"),
    case!("popup/invalid-trigger-near-miss"),
    case!("popup/kwd-bouncer-own-offer"),
    case!("popup/kwd-excluded-suffix-pattern"),
    case!("popup/kwd-first-time-buyer-low"),
    case!("popup/kwd-passive-browser-threshold-two"),
    case!("popup/kwd-repeat-buyer"),
    case!("popup/no-popup-config"),
    case!("popup/no-trigger-no-show"),
    case!("popup/popup-disabled"),
    case!("popup/usd-first-time-buyer-high-at-threshold"),
    case!("popup/usd-first-time-buyer-without-order-value"),
    case!("popup/usd-idle-enabled"),
    case!("popup/usd-tab-return-enabled"),
    case!("popup/vnd-bouncer-exit-intent"),
    case!("popup/vnd-browser"),
    case!("popup/vnd-cart-abandoner-points"),
    case!("popup/vnd-cooldown-active"),
    case!("popup/vnd-cooldown-just-over"),
    case!("popup/vnd-delay-trigger-disabled"),
    case!("popup/vnd-excluded-path"),
    case!("popup/vnd-manual-ignores-page-and-cooldown"),
    case!("popup/vnd-member-never-shown"),
    case!("popup/vnd-mobile-back-disabled"),
    case!("popup/vnd-passive-browser"),
    case!("popup/vnd-path-prefix-pattern"),
    case!("popup/vnd-signed-up-in-session"),
    case!("popup/vnd-zero-quantity-cart-is-not-a-cart"),
    case!("preview/kwd-cashback-half-up-at-half"),
    case!("preview/kwd-cashback-half-up-below-half"),
    case!("preview/kwd-combine-highest-membership-wins"),
    case!("preview/kwd-combine-highest-tier-wins"),
    case!("preview/kwd-exclude-product-id"),
    case!("preview/kwd-exclude-variant"),
    case!("preview/kwd-guest-basic"),
    case!("preview/kwd-max-points-capped"),
    case!("preview/kwd-minimum-order-one-fils-below"),
    case!("preview/kwd-program-usd-cart-converted"),
    case!("preview/usd-cashback-ceil"),
    case!("preview/usd-combine-multiply"),
    case!("preview/usd-combine-multiply-summit-trial"),
    case!("preview/usd-exclude-collection"),
    case!("preview/usd-exclude-tag"),
    case!("preview/usd-guest-half-up"),
    case!("preview/vnd-combine-add-tier-and-membership"),
    case!("preview/vnd-conversion-rate-zero"),
    case!("preview/vnd-empty-cart-no-bonus"),
    case!("preview/vnd-exclude-first-matching-rule"),
    case!("preview/vnd-exclude-gift-card-flag"),
    case!("preview/vnd-exclude-product-type"),
    case!("preview/vnd-exclude-sku"),
    case!("preview/vnd-exclude-tag"),
    case!("preview/vnd-first-order-bonus-already-rewarded"),
    case!("preview/vnd-guest-basic"),
    case!("preview/vnd-line-and-order-discount"),
    case!("preview/vnd-max-points-capped"),
    case!("preview/vnd-max-points-exactly"),
    case!("preview/vnd-membership-lapsed-ignored"),
    case!("preview/vnd-membership-other-id-ignored"),
    case!("preview/vnd-membership-trial-counts"),
    case!("preview/vnd-minimum-order-counts-qualifying-spend-only"),
    case!("preview/vnd-minimum-order-exactly-met"),
    case!("preview/vnd-minimum-order-one-below"),
    case!("preview/vnd-order-discount-remainder-to-earlier-line"),
    case!("preview/vnd-order-discount-skips-gift-cards"),
    case!("preview/vnd-program-usd-cart-converted"),
    case!("preview/vnd-program-usd-cart-without-rate"),
    case!("preview/vnd-quantity-zero-line-earns-nothing"),
    case!("preview/vnd-same-currency-conversion-ignored"),
    case!("preview/vnd-tier-silver-multiplier"),
    case!("preview/vnd-usd-cart-discount-rounds-up"),
    case!("product_points/capped-below-minimum-order"),
    case!("product_points/invalid-empty-line"),
    case!("product_points/invalid-negative-quantity"),
    case!("product_points/invalid-two-lines-in-one"),
    case!("product_points/kwd-excluded-variant"),
    case!("product_points/kwd-quantity-times-unit-price"),
    case!("product_points/usd-half-up"),
    case!("product_points/usd-member-multiplier"),
    case!("product_points/vnd-capped"),
    case!("product_points/vnd-ignores-minimum-order"),
    case!("punch_card/carry-over-completes-two-cards"),
    case!("punch_card/kwd-ineligible-lines"),
    case!("punch_card/kwd-minimum-after-order-discount-met"),
    case!("punch_card/kwd-minimum-after-order-discount-missed"),
    case!("punch_card/kwd-overflow-without-carry-over"),
    case!("punch_card/no-punch-card-is-null"),
    case!("punch_card/usd-per-order-completes"),
    case!("punch_card/usd-per-order-no-eligible-line"),
    case!("punch_card/vnd-carry-over"),
    case!("punch_card/vnd-expired-card"),
    case!("punch_card/vnd-expires-exactly-now"),
    case!("punch_card/vnd-expires-one-second-later"),
    case!("punch_card/vnd-max-stamps-per-order"),
    case!("punch_card/vnd-per-item"),
    case!("punch_card/vnd-without-cart"),
    case!("quote/invalid-cart"),
    case!("quote/kwd-member-full"),
    case!("quote/minimal-program"),
    case!("quote/vnd-takes-you-to-gold"),
    case!("redemptions/kwd-increment-below-the-cap"),
    case!("redemptions/kwd-increments"),
    case!("redemptions/kwd-members-only-in-trial"),
    case!("redemptions/kwd-members-only-lapsed"),
    case!("redemptions/kwd-shortfall"),
    case!("redemptions/no-redemptions"),
    case!("redemptions/usd-best-tie-takes-the-first"),
    case!("redemptions/usd-free-shipping-below-cap"),
    case!("redemptions/usd-free-shipping-capped"),
    case!("redemptions/usd-increments-and-best"),
    case!("redemptions/usd-members-percent-capped"),
    case!("redemptions/usd-min-cart-one-cent-below"),
    case!("redemptions/vnd-all-affordable"),
    case!("redemptions/vnd-amount-off-capped-by-cart"),
    case!("redemptions/vnd-amount-off-capped-by-max-points-and-discount"),
    case!("redemptions/vnd-cart-too-small-for-amount-off"),
    case!("redemptions/vnd-min-cart-exactly-met"),
    case!("redemptions/vnd-negative-balance-is-zero"),
    case!("redemptions/vnd-order-discount-lowers-subtotal"),
    case!("redemptions/vnd-percent-off-rounds-down"),
    case!("redemptions/vnd-shortfall-and-blocks"),
    case!("redemptions/vnd-subtotal-leaves-out-gift-cards"),
    case!("referral/usd-explainer-voucher-at-first-order-and-cap"),
    case!("referral/vnd-code-remembered-30-days-exactly-is-over"),
    case!("referral/vnd-explainer-give-and-get"),
    case!("referral/vnd-malformed-code-is-ignored"),
    case!("referral/vnd-member-is-never-referred"),
    case!("referral/vnd-referred-visitor-sees-the-friend-offer"),
    case!("rounding/kwd-half-up-5499"),
    case!("rounding/kwd-half-up-5500"),
    case!("rounding/kwd-half-up-5501"),
    case!("rounding/usd-ceil-200"),
    case!("rounding/usd-ceil-201"),
    case!("rounding/usd-ceil-249"),
    case!("rounding/usd-ceil-250"),
    case!("rounding/usd-floor-249"),
    case!("rounding/usd-floor-250"),
    case!("rounding/usd-floor-251"),
    case!("rounding/usd-floor-300"),
    case!("rounding/usd-floor-after-the-multiplier"),
    case!("rounding/usd-half-up-249"),
    case!("rounding/usd-half-up-250"),
    case!("rounding/usd-half-up-251"),
    case!("rounding/usd-rounded-after-the-multiplier"),
    case!("rounding/usd-rounded-once-per-order-not-per-line"),
    case!("rounding/vnd-ceil-per-line-fractions"),
    case!("rounding/vnd-floor-124999"),
    case!("rounding/vnd-floor-125000"),
    case!("rounding/vnd-floor-125001"),
    case!("rounding/vnd-floor-130000"),
    case!("tiers/below-the-first-tier"),
    case!("tiers/kwd-exactly-at-threshold"),
    case!("tiers/kwd-lifetime-hold-never-expires"),
    case!("tiers/kwd-orders-metric-cart"),
    case!("tiers/kwd-orders-metric-zero-units-is-no-order"),
    case!("tiers/kwd-top-tier"),
    case!("tiers/lifetime-reached-by-metric-no-deadline"),
    case!("tiers/no-tiers-is-null"),
    case!("tiers/retention-drop-ignores-held-tier"),
    case!("tiers/retention-drop-reached-by-metric"),
    case!("tiers/unknown-held-tier-ignored"),
    case!("tiers/usd-at-risk-rolling-12-months"),
    case!("tiers/usd-exactly-at-threshold"),
    case!("tiers/usd-one-below-threshold"),
    case!("tiers/usd-points-metric-counts-the-cart-and-bonus"),
    case!("tiers/usd-rolling-hold-ends-exactly-now"),
    case!("tiers/usd-rolling-hold-expired"),
    case!("tiers/vnd-at-risk-calendar-year"),
    case!("tiers/vnd-at-risk-needed-to-keep"),
    case!("tiers/vnd-cart-excluded-lines-do-not-count"),
    case!("tiers/vnd-cart-not-enough"),
    case!("tiers/vnd-cart-takes-you-to-gold"),
    case!("tiers/vnd-exactly-at-threshold"),
    case!("tiers/vnd-held-and-requalified"),
    case!("tiers/vnd-hold-ends-at-new-year"),
    case!("tiers/vnd-hold-expired-calendar-year"),
    case!("tiers/vnd-hold-last-second"),
    case!("tiers/vnd-not-at-risk-has-no-needed-to-keep"),
    case!("tiers/vnd-one-below-threshold"),
    case!("tiers/vnd-top-tier"),
    // @generated-cases-end
];

/// Every malformed config, by name (sorted, checked against the disk too).
pub const INVALID: &[(&str, &str)] = &[
    // @generated-invalid-begin
    invalid!("bad-action-id"),
    invalid!("bad-action-limits"),
    invalid!("bad-currency"),
    invalid!("bad-decimals"),
    invalid!("bad-increment"),
    invalid!("bad-locale-tag"),
    invalid!("bad-range-bounds"),
    invalid!("bad-rounding"),
    invalid!("bad-texts"),
    invalid!("decimal-mantissa-too-long"),
    invalid!("decimals-out-of-range"),
    invalid!("default-locale-not-in-locales"),
    invalid!("duplicate-ids"),
    invalid!("empty-tier-list"),
    invalid!("fractional-points"),
    invalid!("invalid-json-line-number"),
    invalid!("invalid-json-truncated"),
    invalid!("lifecycle-bounds"),
    invalid!("locale-not-in-store"),
    invalid!("members-only-without-membership"),
    invalid!("membership-offer-without-join-url"),
    invalid!("missing-required-sections"),
    invalid!("missing-store-fields"),
    invalid!("multiple-errors-in-one-config"),
    invalid!("negative-amounts"),
    invalid!("non-increasing-tier-thresholds"),
    invalid!("not-an-object"),
    invalid!("popup-errors"),
    invalid!("popup-unknown-segment"),
    invalid!("punch-card-errors"),
    invalid!("redemption-kind-fields"),
    invalid!("referral-ranges"),
    invalid!("referral-without-actions"),
    invalid!("text-missing-default-locale"),
    invalid!("too-large-amounts"),
    invalid!("unknown-enum-value-hint"),
    invalid!("unknown-enum-value-no-hint"),
    invalid!("unknown-field-did-you-mean"),
    invalid!("unknown-nested-field-hint"),
    invalid!("unknown-top-level-fields"),
    invalid!("version-as-string"),
    invalid!("wrong-types"),
    invalid!("wrong-version"),
    // @generated-invalid-end
];

pub fn program_text(name: &str) -> Option<&'static str> {
    PROGRAMS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// Runs one case; `Err` holds a readable report of every difference.
pub fn run_case(name: &str, text: &str) -> Result<(), String> {
    let fail = |m: String| format!("case {name}: {m}");
    let case = Json::parse(text).map_err(|m| fail(format!("case file is not JSON: {m}")))?;
    let expected = case.get("expected").ok_or_else(|| fail("no \"expected\"".into()))?;
    if *expected == Json::Object(Vec::new()) {
        return Err(fail("\"expected\" is empty: the case would assert nothing".into()));
    }
    let output = evaluate(&case).map_err(fail)?;
    let actual = Json::parse(&output).map_err(|m| fail(format!("the engine wrote invalid JSON ({m}): {output}")))?;
    let mut diffs = Vec::new();
    subset_diff(expected, &actual, "$", &mut diffs);
    if diffs.is_empty() {
        return Ok(());
    }
    let description = case.get("description").and_then(as_str).unwrap_or("");
    let mut report = format!("case {name} failed ({description})\n");
    for d in &diffs {
        report.push_str("  ");
        report.push_str(d);
        report.push('\n');
    }
    report.push_str("  actual output: ");
    report.push_str(&actual.to_text());
    Err(report)
}

/// The op's output text for a case file's text (for comparing builds
/// byte for byte, e.g. wasm against native).
pub fn case_output(text: &str) -> Result<String, String> {
    evaluate(&Json::parse(text).map_err(|m| format!("case file is not JSON: {m}"))?)
}

/// The op's output text for a parsed case file: its value or its error
/// JSON, exactly as `rewards_core::respond` writes it.
pub fn evaluate(case: &Json<'_>) -> Result<String, String> {
    evaluate_with(case, Engine::new)
}

/// [`evaluate`] with the engine built by `engine` from the program's JSON
/// text (e.g. through the published binary form).
pub fn evaluate_with(case: &Json<'_>, engine: impl Fn(&str) -> Result<Engine, Error>) -> Result<String, String> {
    const KEYS: &[&str] = &["description", "program", "op", "shopper", "now", "expected"];
    // Every op's input name (the op table's), in table order without repeats.
    let mut inputs: Vec<&str> = Vec::new();
    for n in Op::ALL.iter().filter_map(|(op, _, _)| op.input_name()) {
        if !inputs.contains(&n) {
            inputs.push(n);
        }
    }
    let Json::Object(fields) = case else { return Err("a case must be a JSON object".into()) };
    for (k, _) in fields {
        if !KEYS.contains(&&**k) && !inputs.contains(&&**k) {
            return Err(format!("unknown case field \"{k}\""));
        }
    }
    match case.get("description").and_then(as_str) {
        Some(d) if !d.trim().is_empty() => {}
        _ => return Err("\"description\" must be a non-empty string".into()),
    }
    let program = match case.get("program") {
        Some(Json::String(file)) => program_text(file).ok_or_else(|| format!("no program \"{file}\" in PROGRAMS"))?.to_string(),
        Some(p @ Json::Object(_)) => p.to_text(),
        _ => return Err("\"program\" must be a file name or an inline object".into()),
    };
    let now = match case.get("now") {
        Some(Json::String(t)) => parse_instant(t).ok_or_else(|| format!("\"now\" is not an instant: {t}"))?,
        Some(Json::Number(n)) => n.parse::<i64>().map_err(|_| format!("\"now\" is not epoch milliseconds: {n}"))?,
        _ => return Err("\"now\" is required (an instant text or epoch milliseconds)".into()),
    };
    let name = case.get("op").and_then(as_str).ok_or("\"op\" must be a string")?;
    let op = Op::from_name(name).ok_or_else(|| format!("unknown op \"{name}\""))?;
    for input in inputs {
        let present = case.get(input).is_some();
        let required = op.input() == Input::Required(input);
        if required && !present {
            return Err(format!("op {name} needs \"{input}\""));
        }
        if present && op.input_name() != Some(input) {
            return Err(format!("op {name} does not take \"{input}\""));
        }
    }
    let shopper = case.get("shopper").map_or(String::new(), input_text);
    let engine = match engine(&program) {
        Ok(e) => e,
        Err(e) => return Ok(e.to_json().to_text()),
    };
    let input = op.input_name().and_then(|k| case.get(k)).map(input_text).unwrap_or_default();
    let result = engine.run(op, &shopper, &input, now);
    // The text both bindings return, so the output is checked as the
    // widget and the server see it.
    Ok(respond(result))
}

/// A string value is the raw input text; anything else is written as JSON.
fn input_text(v: &Json<'_>) -> String {
    match v {
        Json::String(raw) => raw.to_string(),
        other => other.to_text(),
    }
}

fn as_str<'v>(v: &'v Json<'_>) -> Option<&'v str> {
    match v {
        Json::String(s) => Some(s),
        _ => None,
    }
}

/// Records, in `out`, every place where `actual` does not match `expected`
/// as a subset (see the module docs).
pub fn subset_diff(expected: &Json<'_>, actual: &Json<'_>, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Json::Object(e), Json::Object(_)) => {
            for (k, ev) in e {
                let p = format!("{path}.{k}");
                match actual.get(k) {
                    Some(av) => subset_diff(ev, av, &p, out),
                    None => out.push(format!("{p}: missing; expected {}", ev.to_text())),
                }
            }
        }
        (Json::Array(e), Json::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!("{path}: expected {} items, got {}: {}", e.len(), a.len(), actual.to_text()));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                subset_diff(ev, av, &format!("{path}[{i}]"), out);
            }
        }
        (e, a) if e == a => {}
        (e, a) => out.push(format!("{path}: expected {}, got {}", e.to_text(), a.to_text())),
    }
}

/// Runs one malformed config: `check` (the native validator, or
/// `Engine::new`) must report exactly `errors`.
#[allow(dead_code)]
pub fn run_invalid(name: &str, text: &str, check: impl Fn(&str) -> Result<(), Error>) -> Result<(), String> {
    let fail = |m: String| format!("invalid config {name}: {m}");
    let file = Json::parse(text).map_err(|m| fail(format!("fixture is not JSON: {m}")))?;
    let Json::Object(fields) = &file else { return Err(fail("fixture must be an object".into())) };
    if let Some((k, _)) = fields.iter().find(|(k, _)| k != "config" && k != "errors" && k != "description") {
        return Err(fail(format!("unknown fixture field \"{k}\"")));
    }
    let config = file.get("config").map(input_text).ok_or_else(|| fail("no \"config\"".into()))?;
    let expected = match file.get("errors") {
        Some(e @ Json::Array(list)) if !list.is_empty() => e,
        _ => return Err(fail("\"errors\" must be a non-empty array".into())),
    };
    let actual = match check(&config) {
        Ok(()) => return Err(fail("the config was accepted".into())),
        Err(e) => e.to_json(),
    };
    let expected: &Json<'_> = expected;
    let issues = actual.get("issues").cloned().unwrap_or(Json::Null);
    if actual.get("error") != Some(&Json::String("invalid".into())) || issues != *expected {
        let mut report = fail("issues differ\n".into());
        let (Json::Array(e), Json::Array(a)) = (expected, &issues) else {
            return Err(format!("{report}  actual: {}", actual.to_text()));
        };
        for i in 0..e.len().max(a.len()) {
            match (e.get(i), a.get(i)) {
                (Some(x), Some(y)) if x == y => report.push_str(&format!("    {}\n", x.to_text())),
                (x, y) => {
                    if let Some(x) = x {
                        report.push_str(&format!("  - {}\n", x.to_text()));
                    }
                    if let Some(y) = y {
                        report.push_str(&format!("  + {}\n", y.to_text()));
                    }
                }
            }
        }
        return Err(report);
    }
    Ok(())
}
