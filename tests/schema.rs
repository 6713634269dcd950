//! The JSON Schema (`docs/program.schema.json`), generated from the config
//! types by `src/schema.rs`: the committed file is current, the example
//! programs are valid against it, and the malformed configs are not.
#![cfg(feature = "schema")]

use rewards_core::config::Limit;
use rewards_core::decimal::Decimal;
use rewards_core::schema::{known_currencies, program_schema_json};
use rewards_core::{validate, Error, Program};
use serde_json::Value;

const REGENERATE: &str = "UPDATE_SCHEMA=1 cargo test --features schema --test schema";

fn root() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

fn schema() -> Value {
    serde_json::from_str(&program_schema_json()).expect("the generated schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).expect("the generated schema compiles")
}

fn programs() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["tests/fixtures/programs", "www/demo/programs"] {
        let mut names: Vec<_> = std::fs::read_dir(format!("{}/{dir}", root())).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        for p in names.into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
            out.push((p.display().to_string(), std::fs::read_to_string(&p).unwrap()));
        }
    }
    out
}

#[test]
fn committed_schema_is_current() {
    let generated = program_schema_json();
    let file = format!("{}/docs/program.schema.json", root());
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&file, &generated).expect("write docs/program.schema.json");
        return;
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    if committed != generated {
        let line = committed.lines().zip(generated.lines()).position(|(a, b)| a != b).map_or_else(
            || format!("lengths differ ({} vs {} lines)", committed.lines().count(), generated.lines().count()),
            |n| format!("first difference at line {}", n + 1),
        );
        panic!("docs/program.schema.json differs from the schema the config types generate ({line}).\nRegenerate it with: {REGENERATE}");
    }
}

#[test]
fn example_programs_are_valid() {
    let v = validator();
    let programs = programs();
    assert!(programs.len() >= 4, "only {} example programs", programs.len());
    for (name, text) in programs {
        let doc: Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| format!("{}: {e}", e.instance_path)).collect();
        assert!(errors.is_empty(), "{name} is invalid against the schema:\n{}", errors.join("\n"));
    }
}

#[test]
fn currency_codes_are_the_engines() {
    let s = schema();
    let documented: Vec<String> =
        s["definitions"]["CurrencyCode"]["enum"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    let engine: Vec<String> = known_currencies().into_iter().map(|(c, _)| c).collect();
    assert_eq!(documented, engine);
    for (code, exp) in [("VND", 0), ("JPY", 0), ("KRW", 0), ("USD", 2), ("EUR", 2), ("KWD", 3), ("BHD", 3)] {
        assert!(known_currencies().contains(&(code.to_string(), exp)), "{code}");
    }
}

/// What the browser reads is what the server validated: every example
/// program, published (`to_wire`) and read back (`from_wire`, the wasm's
/// path), is the same `Program`.
#[test]
fn every_example_program_reads_back_identically_from_its_published_bytes() {
    for (name, text) in programs() {
        let native = validate::program(&text).unwrap_or_else(|e| panic!("{name}: validator: {e}"));
        assert_eq!(Program::from_wire(&native.to_wire()).unwrap(), native, "{name}: the published bytes read back differently");
    }
}

/// The same for documents that lean on every context-dependent default and
/// on `null` as "absent", and spell decimals as numbers.
#[test]
fn defaults_nulls_and_number_decimals_are_filled_in_and_published_as_read() {
    let text = r#"{"$schema": "../docs/program.schema.json", "version": 1,
        "store": {"name": "S", "currency": "USD", "default_locale": "en", "locales": null},
        "earning": {"points_per_step": 1, "step": 100, "rounding": null, "exclude": {"tags": ["x"]}},
        "actions": [{"kind": "birthday", "points": 5}, {"kind": "social_share", "points": 1, "limit": {"every_days": 3}, "name": {"en": "Share"}}],
        "cashback": {"percent": 2.5},
        "tiers": {"metric": "orders", "levels": [{"id": "a", "name": "A", "threshold": 0, "multiplier": 1.25}, {"id": "b", "name": "B", "threshold": 3, "multiplier": null}]},
        "redemptions": [{"id": "r", "kind": "amount_off", "name": "R", "points": 100, "value": 100, "max_points": 500},
                        {"id": "s", "kind": "free_shipping", "name": "S", "points": 50, "max_discount": null}],
        "popup": {"triggers": {}, "offers": {"default": {"title": "T", "body": "B", "cta": "C"}, "bouncer": {"title": "T", "body": "B", "cta": "C"}}},
        "texts": {"en": {"launcher": "Rewards", "close": "Close"}}}"#;
    let native = validate::program(text).unwrap_or_else(|e| panic!("validator: {e}"));
    assert_eq!(Program::from_wire(&native.to_wire()).unwrap(), native);
    assert_eq!(native.actions[0].id, "birthday");
    assert_eq!(native.actions[0].limit, Limit::Yearly);
    assert_eq!((native.redemptions[0].min_points, native.redemptions[0].max_points, native.redemptions[0].increment), (100, 500, 100));
    assert_eq!(native.tiers.as_ref().unwrap().levels[0].multiplier, Decimal { mantissa: 125, scale: 2 });
    assert_eq!(native.store.time_zone, "UTC");
}

fn issues(text: &str) -> Vec<(String, String)> {
    match validate::program(text) {
        Ok(_) => Vec::new(),
        Err(Error::Invalid(list)) => list.into_iter().map(|i| (i.path, i.message)).collect(),
        Err(e) => panic!("{e}"),
    }
}

fn with_store(store: &str) -> String {
    format!(r#"{{"version": 1, "store": {store}, "earning": {{"points_per_step": 1, "step": 100}}}}"#)
}

#[test]
fn the_time_zone_is_an_iana_name() {
    let ok = with_store(r#"{"name": "S", "currency": "VND", "default_locale": "vi", "time_zone": "Asia/Ho_Chi_Minh"}"#);
    assert_eq!(validate::program(&ok).unwrap().store.time_zone, "Asia/Ho_Chi_Minh");
    let near = with_store(r#"{"name": "S", "currency": "VND", "default_locale": "vi", "time_zone": "Asia/Ho_Chi_Mihn"}"#);
    let got = issues(&near);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "store.time_zone");
    assert!(got[0].1.starts_with("unknown time zone \"Asia/Ho_Chi_Mihn\" (did you mean \"Asia/Ho_Chi_Minh\"?)"), "{}", got[0].1);
    // tz names are case-insensitive (as in the tz database's own lookups).
    let case = with_store(r#"{"name": "S", "currency": "USD", "default_locale": "en", "time_zone": "america/new_york"}"#);
    assert_eq!(issues(&case), []);
    let typo = with_store(r#"{"name": "S", "currency": "USD", "default_locale": "en", "time_zone": "america/new_yrok"}"#);
    assert!(issues(&typo)[0].1.contains("did you mean \"America/New_York\""), "{:?}", issues(&typo));
    let far = with_store(r#"{"name": "S", "currency": "USD", "default_locale": "en", "time_zone": "Mars/Olympus"}"#);
    let message = "unknown time zone \"Mars/Olympus\"; use an IANA name such as \"Asia/Ho_Chi_Minh\"";
    assert_eq!(issues(&far), [("store.time_zone".to_string(), message.to_string())]);
    let number = with_store(r#"{"name": "S", "currency": "USD", "default_locale": "en", "time_zone": 7}"#);
    assert_eq!(issues(&number), [("store.time_zone".to_string(), "expected a string, found a number".to_string())]);
    // Reported with the other problems of the document, in document order.
    let both = with_store(r#"{"name": "", "currency": "USD", "default_locale": "en", "locales": ["vi"], "time_zone": "Nowhere"}"#);
    let paths: Vec<String> = issues(&both).into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, ["store.name"], "structural errors in the store skip its rules");
    let rules = with_store(r#"{"name": "S", "currency": "USD", "default_locale": "en", "locales": ["vi"], "time_zone": "Nowhere"}"#);
    let paths: Vec<String> = issues(&rules).into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, ["store.locales", "store.time_zone"]);
}

/// Numbers with a fraction never become floats: where a string is expected
/// they are refused (serde over the exact tree), not read as text.
#[test]
fn fractional_numbers_are_refused_outside_decimals() {
    let name = with_store(r#"{"name": 1.5, "currency": "USD", "default_locale": "en"}"#);
    assert_eq!(issues(&name), [("store.name".to_string(), "expected a string, found a number".to_string())]);
    let rounding = r#"{"version": 1, "store": {"name": "S", "currency": "USD", "default_locale": "en"}, "earning": {"points_per_step": 1, "step": 100, "rounding": 0.5}}"#;
    assert_eq!(issues(rounding), [("earning.rounding".to_string(), "expected a string, found a number".to_string())]);
    let exact = r#"{"version": 1, "store": {"name": "S", "currency": "USD", "default_locale": "en"}, "earning": {"points_per_step": 1, "step": 100}, "cashback": {"percent": 0.1000000001}}"#;
    assert_eq!(issues(exact), [("cashback.percent".to_string(), "\"0.1000000001\" has more than 9 decimal places".to_string())]);
}

/// Integers in other spellings are integers: `1e2` and `10.0` are 100 and
/// 10; beyond 10^15 in exponent form is out of range.
#[test]
fn integers_in_other_spellings_are_read_exactly() {
    let text = r#"{"version": 1.0, "store": {"name": "S", "currency": "USD", "default_locale": "en"}, "earning": {"points_per_step": 1e0, "step": 1e2, "minimum_order": 10.0}}"#;
    let native = validate::program(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((native.earning.step, native.earning.minimum_order), (100, 10));
    let big = r#"{"version": 1, "store": {"name": "S", "currency": "USD", "default_locale": "en"}, "earning": {"points_per_step": 1, "step": 1e16}}"#;
    assert_eq!(issues(big), [("earning.step".to_string(), "1e16 is out of range".to_string())]);
    let negative = r#"{"version": 1, "store": {"name": "S", "currency": "USD", "default_locale": "en"}, "earning": {"points_per_step": 1, "step": 100, "minimum_order": -1e2}}"#;
    assert_eq!(issues(negative), [("earning.minimum_order".to_string(), "must be at least 0, found -100".to_string())]);
}

/// A number beyond 64 bits is text to the schema and a number to serde:
/// where a text is expected it is refused, not read as a map.
#[test]
fn huge_numbers_are_not_texts() {
    let text = r#"{"version": 1, "store": {"name": "S", "currency": "USD", "default_locale": "en"}, "earning": {"points_per_step": 1, "step": 100},
        "membership": {"id": "m", "name": 9223372036854775808, "fee": 1, "billing": "yearly"}}"#;
    assert_eq!(issues(text), [("membership.name".to_string(), "expected a string or an object, found a number".to_string())]);
}

/// A null where a map needs an offer is not "absent".
#[test]
fn null_offers_are_refused() {
    let text = r#"{"version": 1, "store": {"name": "S", "currency": "USD", "default_locale": "en"}, "earning": {"points_per_step": 1, "step": 100},
        "popup": {"triggers": {}, "offers": {"default": {"title": "T", "body": "B", "cta": "C"}, "bouncer": null}}}"#;
    assert_eq!(issues(text), [("popup.offers.bouncer".to_string(), "expected an object, found null".to_string())]);
}

/// A field is added in one place (its type, with its doc comment) plus its
/// row in docs/config.md: every field the schema has is named there.
#[test]
fn every_field_is_in_the_config_reference() {
    fn names(v: &Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(o) => {
                if let Some(Value::Object(p)) = o.get("properties") {
                    out.extend(p.keys().cloned());
                }
                o.values().for_each(|x| names(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| names(x, out)),
            _ => {}
        }
    }
    let mut fields = std::collections::BTreeSet::new();
    names(&schema(), &mut fields);
    fields.remove("$schema");
    assert!(fields.len() > 80, "only {} fields found", fields.len());
    let docs = std::fs::read_to_string(format!("{}/docs/config.md", root())).unwrap();
    // `field`, or within a dotted name (`reward.description`) or a JSON example (`{"every_days": n}`).
    let named =
        |f: &str| [format!("`{f}`"), format!(".{f}`"), format!("`{f}."), format!("\"{f}\"")].iter().any(|n| docs.contains(n.as_str()));
    let missing: Vec<&String> = fields.iter().filter(|f| !named(f)).collect();
    assert!(missing.is_empty(), "fields without a row in docs/config.md: {missing:?}");
}

#[test]
fn the_sign_in_url_is_an_http_url_published_for_the_widget() {
    let ok = with_store(r#"{"name": "S", "currency": "VND", "default_locale": "vi", "sign_in_url": "https://shop.example/account/login"}"#);
    let program = validate::program(&ok).unwrap();
    assert_eq!(program.store.sign_in_url.as_deref(), Some("https://shop.example/account/login"));
    assert_eq!(Program::from_wire(&program.to_wire()).unwrap(), program);
    let doc = rewards_core::publish::document(&program, "v1:test");
    assert!(doc.contains(r#""sign_in_url":"https://shop.example/account/login""#), "{doc}");
    // Absent: none, published as null.
    let none = validate::program(&with_store(r#"{"name": "S", "currency": "VND", "default_locale": "vi"}"#)).unwrap();
    assert_eq!(none.store.sign_in_url, None);
    assert!(rewards_core::publish::document(&none, "v1:test").contains(r#""sign_in_url":null"#));
    for bad in [r#""javascript:alert(1)""#, r#""/account/login""#, r#""""#] {
        let text = with_store(&format!(r#"{{"name": "S", "currency": "VND", "default_locale": "vi", "sign_in_url": {bad}}}"#));
        let got = issues(&text);
        assert_eq!(got.len(), 1, "{bad}: {got:?}");
        assert_eq!(got[0].0, "store.sign_in_url", "{bad}");
    }
    assert_eq!(
        issues(&with_store(r#"{"name": "S", "currency": "VND", "default_locale": "vi", "sign_in_url": "ftp://x"}"#)),
        [("store.sign_in_url".to_string(), "must be an http(s) URL".to_string())]
    );
}
