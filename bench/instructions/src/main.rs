//! Runs `N` previews of the preview bench's 20-line VND cart for its member
//! shopper (bench/sections/preview.mjs) through `Engine::run_bytes`, the
//! path the wasm takes, on the published program. Under callgrind,
//! scripts/preview-instructions.sh counts only the calls.
use rewards_core::{respond, Engine, Op};

fn main() {
    let repo = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let config = std::fs::read_to_string(format!("{repo}/tests/fixtures/programs/vn-coffee.json")).expect("vn-coffee.json");
    let native = Engine::new(&config).expect("a valid program");
    let engine = Engine::from_wire(&native.program.to_wire()).expect("the published program");
    let lines: Vec<String> = (0..20)
        .map(|i| {
            let kind = if i % 2 == 1 { "Cà phê" } else { "Bánh" };
            let (quantity, price) = (1 + i % 3, 25_000 + i * 5_000);
            format!(r#"{{"id":"l{i}","product_id":"p{i}","sku":"SKU-{i}","quantity":{quantity},"unit_price":{price},"product_type":"{kind}","tags":["menu"]}}"#)
        })
        .collect();
    let cart = format!(r#"{{"currency":"VND","lines":[{}]}}"#, lines.join(","));
    let shopper = r#"{"member":true,"balance":1200,"period_spend":1500000,"stamps":4,"card_started":"2026-11-01"}"#;
    let cart = rewards_core::input::encode::from_text("cart", &cart).expect("cart bytes");
    let shopper = rewards_core::input::encode::from_text("shopper", shopper).expect("shopper bytes");
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100);
    let now = 1_763_805_600_000; // 2025-11-22T10:00:00Z
    let mut bytes = 0;
    for _ in 0..n {
        bytes += respond(engine.run_bytes(Op::Preview, &shopper, &cart, now)).len();
    }
    println!("{n} previews, {bytes} answer bytes");
}
