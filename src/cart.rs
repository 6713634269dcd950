//! The cart: lines with prices in minor units, decoded from untrusted JSON.

use crate::decimal::{Decimal, Rounding};
use crate::decode::{Decoder, Obj, Path};
use crate::error::{Error, Result};
use crate::json::Json;
use crate::money::{self, Conversion, Currency};
use crate::prelude::*;

const MAX_LINES: usize = 500;
const MAX_MONEY: i64 = 1_000_000_000_000_000;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    pub id: String,
    pub product_id: Option<String>,
    pub variant_id: Option<String>,
    pub sku: Option<String>,
    pub title: Option<String>,
    pub tags: Vec<String>,
    pub product_type: Option<String>,
    pub collections: Vec<String>,
    pub quantity: i64,
    /// Unit price × quantity before discounts, in the program's minor units.
    pub line_price: i64,
    /// Discounts on this line, in the program's minor units.
    pub discount: i64,
    pub gift_card: bool,
}

impl Line {
    /// What the shopper pays for the line (never below zero).
    pub fn net(&self) -> i64 {
        (self.line_price - self.discount).max(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cart {
    pub lines: Vec<Line>,
    /// An order-level discount, spread over lines by [`Cart::allocate_order_discount`].
    pub order_discount: i64,
    /// Shipping and tax are carried for the shopper's total but never earn.
    pub shipping: i64,
}

impl Cart {
    /// Parses a cart. Amounts are converted into `program` currency when the
    /// cart carries an explicit `conversion` rate; a different currency
    /// without one is an error.
    pub fn parse(text: &str, program: Currency) -> Result<Cart> {
        let json = Json::parse(text).map_err(|m| Error::at("", m))?;
        Cart::from_json(&json, program)
    }

    pub fn from_json(v: &Json, program: Currency) -> Result<Cart> {
        let mut d = Decoder::default();
        let c = decode(&mut d, v, program);
        d.finish(c)
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

fn decode(d: &mut Decoder, v: &Json, program: Currency) -> Option<Cart> {
    let mut o = d.object(v, Path::Root)?;
    let currency = o.req(d, "currency", Decoder::currency);
    let conversion = o.opt(d, "conversion", |d, v, p| {
        let mut o = d.object(v, *p)?;
        let rate = o.req(d, "rate", Decoder::decimal);
        o.done(d);
        let rate = rate?;
        if rate.mantissa <= 0 {
            return d.fail(&p.key("rate"), "must be greater than 0");
        }
        Some(rate)
    });
    let currency = currency?;
    let conversion = match conversion? {
        _ if currency == program => None,
        Some(rate) => Some(Conversion { from: currency, rate }),
        None => {
            return d.fail(
                &Path::Root.key("currency"),
                format!(
                    "cart is in {} but the program is in {}; pass \"conversion\": {{\"rate\": …}} (program units per cart unit)",
                    currency.code(),
                    program.code()
                ),
            )
        }
    };
    let conv = |d: &mut Decoder, p: &Path, minor: i64, rounding: Rounding| -> Option<i64> {
        match &conversion {
            None => Some(minor),
            Some(c) => c.convert(minor, program, rounding).map_err(|e| d.fail::<()>(p, e.to_string())).ok(),
        }
    };
    let lines = o.req(d, "lines", |d, v, p| {
        if let Json::Array(a) = v {
            if a.len() > MAX_LINES {
                return d.fail(p, format!("at most {MAX_LINES} lines"));
            }
        }
        d.array(v, p, |d, v, p| line(d, v, p, &conv))
    });
    let order_discount = o.or(d, "discount", 0, |d, v, p| d.int(v, p, 0, MAX_MONEY).and_then(|m| conv(d, p, m, Rounding::Ceil)));
    let shipping = o.or(d, "shipping", 0, |d, v, p| d.int(v, p, 0, MAX_MONEY).and_then(|m| conv(d, p, m, Rounding::Floor)));
    // Accepted so platform carts can be passed through as they are.
    let _ = o.opt(d, "tax", |d, v, p| d.int(v, p, 0, MAX_MONEY));
    let _ = o.opt(d, "token", |d, v, p| d.string(v, p));
    // The codes on the order (vouchers among them): the widget shows which
    // are applied; they change no number (a voucher's value is `discount`).
    let _ = o.opt(d, "discount_codes", |d, v, p| d.array(v, p, |d, v, p| d.text(v, p, 64)));
    o.done(d);
    Some(Cart { lines: lines?, order_discount: order_discount?, shipping: shipping? })
}

/// One line on its own (a product page's "earn N points"), in the
/// program's currency; issue paths start at the line (`quantity`).
pub fn line_from_json(v: &Json, program: Currency) -> Result<Line> {
    let _ = program; // lines of a product page are priced in the store's currency
    let mut d = Decoder::default();
    let l = line(&mut d, v, &Path::Root, &|_, _, minor, _| Some(minor));
    // Named like the first line of a cart when it has no id of its own.
    d.finish(l).map(|l| if l.id.is_empty() { Line { id: "0".into(), ..l } } else { l })
}

fn opt_str(o: &mut Obj, d: &mut Decoder, key: &'static str) -> Option<Option<String>> {
    o.opt(d, key, |d, v, p| match v {
        // Platform ids are often numbers; keep their exact text.
        Json::Number(n) => Some(n.to_string()),
        _ => d.text(v, p, 255),
    })
}

fn line(d: &mut Decoder, v: &Json, p: &Path, conv: &dyn Fn(&mut Decoder, &Path, i64, Rounding) -> Option<i64>) -> Option<Line> {
    let mut o = d.object(v, *p)?;
    let id = opt_str(&mut o, d, "id");
    let product_id = opt_str(&mut o, d, "product_id");
    let variant_id = opt_str(&mut o, d, "variant_id");
    let sku = opt_str(&mut o, d, "sku");
    let title = o.opt(d, "title", Decoder::string);
    let tags = o.or(d, "tags", Vec::new(), |d, v, p| d.array(v, p, Decoder::string));
    let product_type = opt_str(&mut o, d, "product_type");
    let collections = o.or(d, "collections", Vec::new(), |d, v, p| d.array(v, p, Decoder::string));
    let quantity = o.req(d, "quantity", |d, v, p| d.int(v, p, 0, 1_000_000));
    let unit_price = o.opt(d, "unit_price", |d, v, p| d.int(v, p, 0, MAX_MONEY));
    let line_price = o.opt(d, "line_price", |d, v, p| d.int(v, p, 0, MAX_MONEY));
    let discount = o.or(d, "discount", 0, |d, v, p| d.int(v, p, 0, MAX_MONEY));
    let gift_card = o.or(d, "gift_card", false, Decoder::bool);
    o.done(d);
    let quantity = quantity?;
    let price = match (unit_price?, line_price?) {
        (_, Some(lp)) => lp,
        (Some(up), None) => match up.checked_mul(quantity).filter(|&x| x <= MAX_MONEY) {
            Some(x) => x,
            None => return d.fail(&p.key("unit_price"), "unit_price × quantity is too large"),
        },
        (None, None) => return d.fail(&p.key("line_price"), "is required (or unit_price)"),
    };
    let line_price = conv(d, &p.key("line_price"), price, Rounding::Floor)?;
    let discount = conv(d, &p.key("discount"), discount?, Rounding::Ceil)?;
    Some(Line {
        // Without an id a line is named by its position.
        id: id?.unwrap_or_else(|| match p {
            Path::Index(_, i) => i.to_string(),
            _ => String::new(),
        }),
        product_id: product_id?,
        variant_id: variant_id?,
        sku: sku?,
        title: title?,
        tags: tags?,
        product_type: product_type?,
        collections: collections?,
        quantity,
        line_price,
        discount,
        gift_card: gift_card?,
    })
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
