//! `docs/config.md` against the engine: its two example programs are the
//! fixture files, its currency table is the engine's, and the worked
//! examples it states (marked `worked example … checked by
//! tests/docs_examples.rs`) give the numbers it says.

use rewards_core::money::Currency;
use rewards_core::time::parse_instant;
use rewards_core::{respond, Engine, Program};
use serde_json::Value;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn docs() -> String {
    read("docs/config.md")
}

/// The rest of `doc` after each occurrence of `marker`.
fn after<'a>(doc: &'a str, marker: &str) -> Vec<&'a str> {
    doc.match_indices(marker).map(|(i, _)| &doc[i + marker.len()..]).collect()
}

fn without_whitespace(s: &str) -> String {
    s.split_whitespace().collect()
}

#[test]
fn example_programs_in_the_docs_are_the_fixtures() {
    let doc = docs();
    let blocks = after(&doc, "<!-- example: ");
    let mut shown = Vec::new();
    for rest in blocks {
        let (path, rest) = rest.split_once(" -->").expect("marker closes");
        let body = rest.trim_start().strip_prefix("```json").unwrap_or_else(|| panic!("{path}: a ```json block follows its marker"));
        let (code, _) = body.split_once("\n```").unwrap_or_else(|| panic!("{path}: the block ends"));
        let fixture = read(path);
        assert_eq!(without_whitespace(code), without_whitespace(&fixture), "docs/config.md's copy of {path} differs from the file");
        if let Err(e) = Program::parse(code) {
            panic!("the {path} example in docs/config.md does not parse: {e}");
        }
        shown.push(path.to_string());
    }
    assert_eq!(shown, ["tests/fixtures/programs/vn-coffee.json", "tests/fixtures/programs/us-apparel.json"]);
}

#[test]
fn currency_table_in_the_docs_is_the_engines() {
    let doc = docs();
    let table = after(&doc, "<!-- currency-table").into_iter().next().expect("the currency table is marked");
    let mut listed = 0;
    for row in table.lines().skip(1).take_while(|l| !l.trim().is_empty()).filter(|l| l.starts_with("| ") && !l.starts_with("| Exp")) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        let exponent: u8 = cells[0].parse().unwrap_or_else(|_| panic!("bad row {row}"));
        for code in cells[1].split(", ") {
            let c = Currency::from_code(code).unwrap_or_else(|| panic!("docs list {code}, the engine does not know it"));
            assert_eq!(c.exponent, exponent, "{code}");
            listed += 1;
        }
    }
    let mut known = 0;
    for a in b'A'..=b'Z' {
        for b in b'A'..=b'Z' {
            for c in b'A'..=b'Z' {
                known += usize::from(Currency::from_code(std::str::from_utf8(&[a, b, c]).unwrap()).is_some());
            }
        }
    }
    assert_eq!(listed, known, "the docs' currency table lists {listed} codes, the engine knows {known}");
}

fn engine(name: &str) -> Engine {
    Engine::new(&read(&format!("tests/fixtures/programs/{name}"))).unwrap()
}

fn engine_with(name: &str, from: &str, to: &str) -> Engine {
    let text = read(&format!("tests/fixtures/programs/{name}"));
    assert!(text.contains(from), "{name} has {from}");
    Engine::new(&text.replace(from, to)).unwrap()
}

fn json(r: rewards_core::Result<String>) -> Value {
    serde_json::from_str(&respond(r)).unwrap()
}

const MARCH_1: &str = "2026-03-01T10:00:00Z";

fn at(t: &str) -> i64 {
    parse_instant(t).unwrap()
}

/// "How points are computed" and "Tier and membership multipliers".
#[test]
fn worked_points_examples_hold() {
    let shopper = r#"{"member":true,"lifetime_orders":5,"period_spend":2500000,"membership":{"id":"hoi-vien","status":"active"}}"#;
    let cart = r#"{"currency":"VND","discount":10000,"shipping":15000,"lines":[
      {"id":"coffee","product_type":"Cà phê","quantity":2,"unit_price":45000},
      {"id":"gift-box","tags":["the-qua-tang"],"quantity":1,"unit_price":200000},
      {"id":"banh-mi","quantity":1,"unit_price":35000,"discount":5000}]}"#;
    let p = json(engine("vn-coffee.json").preview(shopper, cart, at(MARCH_1)));
    let nets: Vec<i64> = p["lines"].as_array().unwrap().iter().map(|l| l["net"].as_i64().unwrap()).collect();
    assert_eq!(nets, [87_187, 193_750, 29_063], "each line after its share of the order discount");
    assert_eq!(p["lines"][1]["excluded"]["rule"], "tag");
    assert_eq!(p["qualifying_total"], 116_250);
    assert_eq!(p["base_points"], "11.625");
    assert_eq!(p["multiplier"], "2.25");
    assert_eq!(p["points_before_rounding"], "26.15625");
    assert_eq!(p["total_points"], 26);
    assert_eq!(p["cashback"], 1162);

    let two = r#"{"currency":"VND","lines":[{"quantity":1,"unit_price":15000},{"quantity":1,"unit_price":15000}]}"#;
    let two =
        json(engine_with("vn-coffee.json", "\"minimum_order\": 50000", "\"minimum_order\": 0").preview(r#"{"lifetime_orders":1}"#, two, 0));
    assert_eq!(two["earned_points"], 3, "rounding once per order");

    let shirt = r#"{"currency":"USD","lines":[{"quantity":1,"unit_price":1999}]}"#;
    let us = engine("us-apparel.json");
    assert_eq!(json(us.preview(r#"{"lifetime_orders":2}"#, shirt, 0))["earned_points"], 100);
    let both = r#"{"lifetime_orders":2,"period_points":1200,"membership":{"id":"northwind-plus","status":"trial"}}"#;
    let p = json(us.preview(both, shirt, at(MARCH_1)));
    assert_eq!(
        (p["multiplier"].as_str(), p["points_before_rounding"].as_str(), p["earned_points"].as_i64()),
        (Some("1.5"), Some("149.925"), Some(150))
    );

    // The combine table: (tier, membership) = (1.25, 2) and (1.5, 1.2).
    for (combine, first, second) in [("add", "2.25", "1.7"), ("multiply", "2.5", "1.8"), ("highest", "2", "1.5")] {
        let e = engine_with("vn-coffee.json", "\"combine\": \"add\"", &format!("\"combine\": \"{combine}\""));
        assert_eq!(json(e.preview(shopper, cart, at(MARCH_1)))["multiplier"], first, "{combine}");
        let text = read("tests/fixtures/programs/vn-coffee.json")
            .replace("\"combine\": \"add\"", &format!("\"combine\": \"{combine}\""))
            .replace("\"multiplier\": \"2\"", "\"multiplier\": \"1.2\"");
        let e = Engine::new(&text).unwrap();
        let gold = r#"{"period_spend":5000000,"membership":{"id":"hoi-vien"}}"#;
        assert_eq!(json(e.preview(gold, cart, at(MARCH_1)))["multiplier"], second, "{combine}");
    }
}

/// "Tier status and retention".
#[test]
fn worked_tier_examples_hold() {
    let vn = engine("vn-coffee.json");
    let held = r#"{"period_spend":2500000,"tier":{"id":"vang","since":"2025-06-10"}}"#;
    let t = json(vn.tier_progress(held, None, at(MARCH_1)));
    assert_eq!(
        (t["current"].as_str(), t["at_risk"].as_bool(), t["deadline"].as_str()),
        (Some("vang"), Some(true), Some("2027-01-01T00:00:00Z"))
    );
    let t = json(vn.tier_progress(r#"{"period_spend":0,"tier":{"id":"vang","since":"2025-06-10"}}"#, None, at("2027-01-01")));
    assert_eq!(t["current"], "dong", "the hold ends on 1 January 2027");

    let cart = r#"{"currency":"VND","lines":[{"quantity":1,"line_price":250000}]}"#;
    let t = json(vn.tier_progress(r#"{"period_spend":1800000}"#, Some(cart), at(MARCH_1)));
    assert_eq!(t["needed"], 200_000);
    assert_eq!(t["progress"], "0.9");
    assert_eq!((t["tier_after"].as_str(), t["tier_changes"].as_bool()), (Some("bac"), Some(true)));
}

/// "Punch card stamps".
#[test]
fn worked_punch_card_examples_hold() {
    let vn = engine("vn-coffee.json");
    let shopper = r#"{"stamps":8,"card_started":"2026-01-10"}"#;
    let coffees = r#"{"currency":"VND","lines":[{"product_type":"Cà phê","quantity":4,"unit_price":45000}]}"#;
    let p = json(vn.punch_card(shopper, Some(coffees), at(MARCH_1)));
    assert_eq!((p["added"].as_i64(), p["completes"].as_i64(), p["stamps_after"].as_i64()), (Some(3), Some(1), Some(1)));
    assert_eq!((p["reward_value"].as_i64(), p["expires_at"].as_str()), (Some(45_000), Some("2026-07-09T00:00:00Z")));
    let p = json(vn.punch_card(shopper, Some(coffees), at("2026-07-09")));
    assert_eq!((p["expired"].as_bool(), p["stamps_after"].as_i64()), (Some(true), Some(3)));

    let socks = r#"{"currency":"USD","lines":[{"product_type":"Socks","quantity":3,"unit_price":1800}]}"#;
    let p = json(engine("us-apparel.json").punch_card(r#"{"stamps":5}"#, Some(socks), at(MARCH_1)));
    assert_eq!((p["added"].as_i64(), p["completes"].as_i64(), p["stamps_after"].as_i64()), (Some(1), Some(1), Some(0)));
}

/// "Spending points".
#[test]
fn worked_redemption_example_holds() {
    let cart = r#"{"currency":"VND","shipping":20000,"lines":[{"quantity":1,"line_price":85000}]}"#;
    let r = json(engine("vn-coffee.json").redemptions(r#"{"balance":1250}"#, cart, at(MARCH_1)));
    let o = |id: &str| r["options"].as_array().unwrap().iter().find(|o| o["id"] == id).unwrap().clone();
    assert_eq!((o("giam-tien")["max_usable_points"].as_i64(), o("giam-tien")["discount"].as_i64()), (Some(800), Some(80_000)));
    assert_eq!(o("giam-10")["reason"], "min_cart");
    assert_eq!(
        (o("mien-phi-giao-hang")["max_usable_points"].as_i64(), o("mien-phi-giao-hang")["discount"].as_i64()),
        (Some(150), Some(20_000))
    );
    assert_eq!((o("ly-mien-phi")["max_usable_points"].as_i64(), o("ly-mien-phi")["discount"].as_i64()), (Some(400), Some(45_000)));
    assert_eq!(o("hoi-vien-giam-20")["reason"], "members_only");
    assert_eq!(r["best"], "giam-tien");
}

/// "The popup" and "Carts in another currency".
#[test]
fn worked_popup_and_currency_examples_hold() {
    let vn = engine("vn-coffee.json");
    let signals = r#"{"path":"/products/ca-phe","pages_viewed":3,"product_views":1,"trigger":"exit_intent",
        "cart":{"currency":"VND","lines":[{"quantity":2,"unit_price":45000,"product_type":"Cà phê"}]}}"#;
    let d = json(vn.popup_decision("", signals, at(MARCH_1)));
    assert_eq!((d["segment"].as_str(), d["show"].as_bool(), d["points"].as_i64()), (Some("cart_abandoner"), Some(true), Some(39)));
    assert_eq!(d["offer"]["title"]["vi"], "Đừng bỏ lỡ {points} điểm!");
    let d = json(vn.popup_decision("", r#"{"path":"/checkout/1","trigger":"exit_intent"}"#, at(MARCH_1)));
    assert_eq!((d["show"].as_bool(), d["reason"].as_str()), (Some(false), Some("excluded_page")));

    let usd = |rate: &str| format!(r#"{{"currency":"USD","conversion":{{"rate":"{rate}"}},"lines":[{{"quantity":1,"unit_price":1234}}]}}"#);
    let p = json(vn.preview(r#"{"lifetime_orders":1}"#, &usd("25000"), 0));
    assert_eq!((p["qualifying_total"].as_i64(), p["earned_points"].as_i64()), (Some(308_500), Some(30)));
    assert_eq!(json(vn.preview(r#"{"lifetime_orders":1}"#, &usd("25000.5"), 0))["qualifying_total"], 308_506);
    let no_rate = json(vn.preview("", r#"{"currency":"USD","lines":[]}"#, 0));
    assert!(no_rate["message"].as_str().unwrap().starts_with("currency: cart is in USD but the program is in VND"));
}
