//! The cart: lines with prices in minor units, decoded from untrusted
//! input (its fields: `crate::input::cart`).

use crate::decimal::Decimal;
use crate::error::{Error, Result};
use crate::input::{self, read::Reader};
use crate::json::Json;
use crate::money::{self, Conversion, Currency};
use crate::prelude::*;
use alloc::borrow::Cow;

/// Texts are borrowed from the bytes read (`'a`), so reading a cart in the
/// wasm copies none; [`Cart::into_owned`] keeps one past them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line<'a> {
    pub id: Cow<'a, str>,
    pub product_id: Option<Cow<'a, str>>,
    pub variant_id: Option<Cow<'a, str>>,
    pub sku: Option<Cow<'a, str>>,
    pub title: Option<Cow<'a, str>>,
    pub tags: Vec<Cow<'a, str>>,
    pub product_type: Option<Cow<'a, str>>,
    pub collections: Vec<Cow<'a, str>>,
    pub quantity: i64,
    /// Unit price × quantity before discounts, in the program's minor units.
    pub line_price: i64,
    /// Discounts on this line, in the program's minor units.
    pub discount: i64,
    pub gift_card: bool,
}

impl Line<'_> {
    /// What the shopper pays for the line (never below zero).
    pub fn net(&self) -> i64 {
        (self.line_price - self.discount).max(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cart<'a> {
    pub lines: Vec<Line<'a>>,
    /// An order-level discount, spread over lines by [`Cart::allocate_order_discount`].
    pub order_discount: i64,
    /// Shipping and tax are carried for the shopper's total but never earn.
    pub shipping: i64,
}

impl Cart<'_> {
    /// The same cart owning its texts.
    pub fn into_owned(self) -> Cart<'static> {
        Cart { lines: self.lines.into_iter().map(Line::into_owned).collect(), order_discount: self.order_discount, shipping: self.shipping }
    }
}

impl<'a> Cart<'a> {
    /// Parses a cart. Amounts are converted into `program` currency when the
    /// cart carries an explicit `conversion` rate; a different currency
    /// without one is an error.
    pub fn parse(text: &str, program: Currency) -> Result<Cart<'static>> {
        let json = Json::parse(text).map_err(|m| Error::at("", m))?;
        Cart::from_json(&json, program)
    }

    pub fn from_json(v: &Json, program: Currency) -> Result<Cart<'static>> {
        let bytes = input::encode::json_value("cart", v)?;
        Cart::from_bytes(&bytes, program).map(Cart::into_owned)
    }

    /// A cart from its bytes (`crate::input`: what the wasm reads), its texts borrowed from them.
    pub fn from_bytes(bytes: &'a [u8], program: Currency) -> Result<Cart<'a>> {
        let mut r = Reader::new(bytes);
        let c = input::cart(&mut r, program);
        r.finish(c)
    }

    /// The merchandise subtotal after discounts: gift cards are not
    /// merchandise (they are money), so they are left out; redemptions and
    /// their `min_cart` apply to this.
    pub fn subtotal(&self) -> Result<i64> {
        let mut t = 0i64;
        for l in self.lines.iter().filter(|l| !l.gift_card) {
            t = money::add(t, l.net(), "cart subtotal")?;
        }
        money::sub(t, self.order_discount, "cart subtotal").map(|t| t.max(0))
    }

    /// Spreads the order-level discount over lines in proportion to their
    /// net amounts (step "order discount allocation"; gift cards take no
    /// share: a discount never applies to them): each line gets the
    /// floor of its share, then the leftover minor units go one each to the
    /// lines with the largest remainders (ties: earlier line first). The
    /// shares add up to the discount exactly.
    pub fn allocate_order_discount(&self) -> Result<Vec<i64>> {
        const STEP: &str = "order discount allocation";
        let nets: Vec<i64> = self.lines.iter().map(|l| if l.gift_card { 0 } else { l.net() }).collect();
        let total: i128 = nets.iter().map(|&n| n as i128).sum();
        let discount = (self.order_discount as i128).min(total);
        if discount == 0 || total == 0 {
            return Ok(vec![0; nets.len()]);
        }
        let mut shares = Vec::with_capacity(nets.len());
        let mut rems = Vec::with_capacity(nets.len());
        for (i, &n) in nets.iter().enumerate() {
            let x = (n as i128).checked_mul(discount).ok_or(Error::Overflow(STEP))?;
            shares.push(x / total);
            rems.push((x % total, i));
        }
        // Fewer units are left than there are lines. Pick the largest
        // remainder each time (earlier line on ties) rather than sorting:
        // a sort would add ~7 KB of wasm for at most a few hundred lines.
        let left = discount - shares.iter().sum::<i128>();
        for _ in 0..left {
            let mut best: Option<usize> = None;
            for (k, &(r, _)) in rems.iter().enumerate() {
                if r >= 0 && best.is_none_or(|b| r > rems[b].0) {
                    best = Some(k);
                }
            }
            let Some(b) = best else { break };
            shares[rems[b].1] += 1;
            rems[b].0 = -1; // taken
        }
        shares.into_iter().map(|s| i64::try_from(s).map_err(|_| Error::Overflow(STEP))).collect()
    }
}

/// One line on its own (a product page's "earn N points") from JSON, in
/// the program's currency; issue paths start at the line (`quantity`).
pub fn line_from_json(v: &Json, program: Currency) -> Result<Line<'static>> {
    let bytes = input::encode::json_value("line", v)?;
    Line::from_bytes(&bytes, program).map(Line::into_owned)
}

fn owned(t: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(t.into_owned())
}

impl<'a> Line<'a> {
    /// The same line owning its texts.
    pub fn into_owned(self) -> Line<'static> {
        Line {
            id: owned(self.id),
            product_id: self.product_id.map(owned),
            variant_id: self.variant_id.map(owned),
            sku: self.sku.map(owned),
            title: self.title.map(owned),
            tags: self.tags.into_iter().map(owned).collect(),
            product_type: self.product_type.map(owned),
            collections: self.collections.into_iter().map(owned).collect(),
            quantity: self.quantity,
            line_price: self.line_price,
            discount: self.discount,
            gift_card: self.gift_card,
        }
    }

    /// A line from its bytes (`crate::input`: what the wasm reads).
    pub fn from_bytes(bytes: &'a [u8], program: Currency) -> Result<Line<'a>> {
        let mut r = Reader::new(bytes);
        let l = input::line(&mut r, program);
        r.finish(l)
    }
}

/// Exposed so callers can build a conversion from parts (tests, server).
pub fn conversion(from: Currency, rate: Decimal) -> Conversion {
    Conversion { from, rate }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vnd() -> Currency {
        Currency::from_code("VND").unwrap()
    }

    #[test]
    fn allocation_adds_up_exactly() {
        let cart = Cart::parse(
            r#"{"currency":"VND","discount":100,"lines":[
              {"quantity":1,"line_price":333},{"quantity":1,"line_price":333},{"quantity":1,"line_price":334}]}"#,
            vnd(),
        )
        .unwrap();
        let shares = cart.allocate_order_discount().unwrap();
        assert_eq!(shares.iter().sum::<i64>(), 100);
        assert_eq!(shares, vec![33, 33, 34]);
    }

    #[test]
    fn foreign_currency_needs_a_rate() {
        let err = Cart::parse(r#"{"currency":"USD","lines":[]}"#, vnd()).unwrap_err();
        assert!(err.to_string().starts_with("currency: cart is in USD but the program is in VND"), "{err}");
        let cart =
            Cart::parse(r#"{"currency":"USD","conversion":{"rate":"25000"},"lines":[{"quantity":2,"unit_price":150}]}"#, vnd()).unwrap();
        assert_eq!(cart.lines[0].line_price, 75_000);
    }

    #[test]
    fn discount_codes_are_carried_and_change_no_number() {
        let with =
            Cart::parse(r#"{"currency":"VND","discount_codes":["RW-AAAA-BBBB-CCCC"],"lines":[{"quantity":1,"line_price":5}]}"#, vnd())
                .unwrap();
        let without = Cart::parse(r#"{"currency":"VND","lines":[{"quantity":1,"line_price":5}]}"#, vnd()).unwrap();
        assert_eq!(with, without);
        let err = Cart::parse(r#"{"currency":"VND","discount_codes":["ok",7],"lines":[]}"#, vnd()).unwrap_err();
        assert!(err.to_string().starts_with("discount_codes[1]: "), "{err}");
    }

    #[test]
    fn collects_every_line_error() {
        let err = Cart::parse(
            r#"{"currency":"VND","lines":[{"quantity":-1,"line_price":5},{"quantity":1,"line_price":1.5,"colour":"red"}]}"#,
            vnd(),
        )
        .unwrap_err();
        let Error::Invalid(issues) = err else { panic!() };
        let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["lines[0].quantity", "lines[1].line_price", "lines[1].colour"]);
    }
}
