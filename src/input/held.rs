//! The inputs the cart-page engine keeps between calls (issue 10's
//! preview budget): the shopper and the cart of the last call, read once
//! and then held, so a cart update sends only the lines that changed and a
//! call with the same shopper sends no shopper at all.
//!
//! A call ([`Held::run`]) gives the shopper's bytes or `None` (the held
//! one), and the op's input either as its bytes, as [`Engine::run_bytes`]
//! takes them, or as a *patch* of the held cart: for each changed line its
//! index (a varint) and its bytes (length-prefixed, the bytes the line has
//! inside a cart: `crate::input::cart_line`). A line is read as the whole
//! cart reads it (its index, the cart's conversion, its issues at
//! `lines[i].…`), so the answer is the one [`Engine::run_bytes`] gives on
//! the whole cart with those lines: byte for byte (tested below, and over
//! arbitrary patches by the `inputs` fuzz target).
//!
//! Any error forgets everything held: the next call sends it all again
//! (the JS side, `crates/wasm/cart-glue.js`, does the same).

use super::read::Reader;
use crate::error::{Error, Result};
use crate::json::{cat, int_text};
use crate::money::Conversion;
use crate::prelude::*;
use crate::wire::R;
use crate::{Cart, Engine, Millis, Op, Shopper};

#[derive(Default)]
pub struct Held {
    shopper: Option<Shopper>,
    cart: Option<(Cart<'static>, Option<Conversion>)>,
}

impl Held {
    /// One cart-page operation (`patch`: `input` patches the held cart).
    pub fn run(&mut self, engine: &Engine, op: Op, shopper: Option<&[u8]>, input: &[u8], patch: bool, now: Millis) -> Result<String> {
        let r = self.step(engine, op, shopper, input, patch, now);
        if r.is_err() {
            *self = Held::default();
        }
        r
    }

    fn step(&mut self, engine: &Engine, op: Op, shopper: Option<&[u8]>, input: &[u8], patch: bool, now: Millis) -> Result<String> {
        engine.on_cart_page(op)?;
        if let Some(bytes) = shopper {
            self.shopper = Some(engine.shopper_bytes(bytes)?);
        }
        let currency = engine.program.currency();
        if patch {
            let (cart, conversion) =
                self.cart.as_mut().filter(|_| op.takes_cart(&[1])).ok_or_else(|| Error::at("cart", "no cart is held to patch"))?;
            let mut r = R::new(input);
            while !r.done() {
                let at = r.pos();
                let k = usize::try_from(r.uvar()).unwrap_or(usize::MAX);
                let bytes = r.bytes();
                let Some(line) = cart.lines.get_mut(k).filter(|_| r.error().is_none()) else {
                    return Err(Error::at("lines", cat(&["corrupt patch at byte ", &int_text(at as i64)])));
                };
                let mut lr = Reader::line(bytes, k);
                let l = super::cart_line(&mut lr, k, conversion.as_ref(), currency);
                *line = lr.finish(l)?.into_owned();
            }
        } else if op.takes_cart(input) {
            let mut r = Reader::new(input);
            let (cart, conversion) = super::cart_with(&mut r, currency);
            self.cart = Some((r.finish(cart)?.into_owned(), conversion));
        }
        let shopper = self.shopper.as_ref().ok_or_else(|| Error::at("shopper", "no shopper is held"))?;
        let cart = self.cart.as_ref().filter(|_| patch || op.takes_cart(input)).map(|(c, _)| c);
        engine.cart_page_of(op, shopper, cart, input, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::encode;
    use crate::wire::W;

    fn engine() -> Engine {
        let config = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/programs/vn-coffee.json")).unwrap();
        Engine::new(&config).unwrap()
    }

    fn line(i: usize, quantity: usize) -> String {
        let kind = if i % 2 == 1 { "Cà phê" } else { "Bánh" };
        let id = if i == 3 { String::new() } else { format!(r#""id":"l{i}","#) };
        format!(
            r#"{{{id}"sku":"SKU-{i}","quantity":{quantity},"unit_price":{},"product_type":"{kind}","tags":["menu"]}}"#,
            25_000 + i * 5_000
        )
    }

    fn cart(quantities: &[usize], currency: &str) -> String {
        let lines: Vec<String> = quantities.iter().enumerate().map(|(i, &q)| line(i, q)).collect();
        let conversion = if currency == "VND" { "" } else { r#","conversion":{"rate":"25000.5"}"# };
        format!(r#"{{"currency":"{currency}"{conversion},"lines":[{}],"discount":7000}}"#, lines.join(","))
    }

    /// Patched lines answer what the whole cart with them answers, for every
    /// cart-page op, in the store's currency and converted; an error (a
    /// line's `unit_price × quantity` too large) is the whole cart's error,
    /// and forgets what was held.
    #[test]
    fn issue_10_patched_lines_answer_as_the_whole_cart() {
        let e = engine();
        let shopper =
            encode::from_text("shopper", r#"{"member":true,"balance":1200,"period_spend":1500000,"stamps":4,"card_started":"2026-11-01"}"#)
                .unwrap();
        let now = 1_763_805_600_000;
        for currency in ["VND", "USD"] {
            let mut held = Held::default();
            let mut q: Vec<usize> = (0..8).map(|i| 1 + i % 3).collect();
            let first = encode::from_text("cart", &cart(&q, currency)).unwrap();
            assert_eq!(held.run(&e, Op::Quote, Some(&shopper), &first, false, now), e.run_bytes(Op::Quote, &shopper, &first, now));
            for (step, op) in [Op::Preview, Op::Quote, Op::Redemptions, Op::TierProgress, Op::PunchCard].iter().cycle().take(12).enumerate()
            {
                let changed = [step % 8, (step * 5) % 8];
                let mut patch = W::default();
                for &k in &changed {
                    q[k] = (q[k] + step) % 7;
                    patch.uvar(k as u64);
                    patch.bytes(&encode::from_text("line", &line(k, q[k])).unwrap());
                }
                let whole = encode::from_text("cart", &cart(&q, currency)).unwrap();
                let keep = (step % 2 == 0).then_some(&shopper[..]);
                assert_eq!(held.run(&e, *op, keep, &patch.b, true, now), e.run_bytes(*op, &shopper, &whole, now), "{currency} step {step}");
            }
            // Too large: the line's own issue, at its path, then nothing is held.
            let mut patch = W::default();
            patch.uvar(2);
            patch.bytes(&encode::from_text("line", r#"{"quantity":1000000,"unit_price":1000000000000000}"#).unwrap());
            let err = held.run(&e, Op::Preview, None, &patch.b, true, now).unwrap_err().to_string();
            assert_eq!(err, "lines[2].unit_price: unit_price × quantity is too large");
            assert!(held.run(&e, Op::Preview, None, &[], true, now).is_err());
        }
    }

    /// Patches that no encoder writes are refused, never read past.
    #[test]
    fn corrupt_patches_are_errors() {
        let e = engine();
        let mut held = Held::default();
        assert!(held.run(&e, Op::Preview, Some(&[]), &[0, 1], true, now()).is_err());
        let first = encode::from_text("cart", &cart(&[1, 2], "VND")).unwrap();
        held.run(&e, Op::Preview, Some(&[]), &first, false, now()).unwrap();
        for bad in [&[5u8, 0][..], &[0, 9, 1], &[0xff; 12], &[0]] {
            held.run(&e, Op::Preview, Some(&[]), &first, false, now()).unwrap();
            assert!(held.run(&e, Op::Preview, None, bad, true, now()).is_err(), "{bad:?}");
        }
        // product_points takes a line, not a cart: there is nothing to patch.
        held.run(&e, Op::Preview, Some(&[]), &first, false, now()).unwrap();
        assert!(held.run(&e, Op::ProductPoints, None, &[], true, now()).is_err());
    }

    fn now() -> Millis {
        1_763_805_600_000
    }
}
