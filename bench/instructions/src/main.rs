//! Runs `N` previews of the preview bench's 20-line VND cart for its member
//! shopper (bench/sections/preview.mjs) through `Engine::run_bytes`, the
//! path the wasm takes, on the published program. Under callgrind,
//! scripts/preview-instructions.sh counts only the calls.
use rewards_core::input::held::Held;
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
    if std::env::args().nth(2).as_deref() == Some("held") {
        // The cart-page module's path: the shopper and cart held, one line's quantity patched per call.
        let mut held = Held::default();
        held.run(&engine, Op::Preview, Some(&shopper), &cart, false, now).expect("a preview");
        let patches: Vec<Vec<u8>> = (0..5)
            .map(|q| {
                let line = format!(r#"{{"id":"l5","product_id":"p5","sku":"SKU-5","quantity":{},"unit_price":50000,"product_type":"Cà phê","tags":["menu"]}}"#, 1 + q);
                let mut patch = vec![5];
                let line = rewards_core::input::encode::from_text("line", &line).expect("line bytes");
                patch.push(line.len() as u8);
                patch.extend(line);
                patch
            })
            .collect();
        for i in 0..n {
            bytes += counted(|| held.run(&engine, Op::Preview, None, &patches[i % 5], true, now));
        }
    } else {
        for _ in 0..n {
            bytes += counted(|| engine.run_bytes(Op::Preview, &shopper, &cart, now));
        }
    }
    println!("{n} previews, {bytes} answer bytes");
}

/// One engine call, the answer's length: what callgrind counts (`--toggle-collect=*counted*`).
#[inline(never)]
fn counted(call: impl FnOnce() -> rewards_core::Result<String>) -> usize {
    respond(call()).len()
}
