//! The per-call inputs (cart, product line, shopper, popup signals): their
//! one description, and the bytes they cross the wasm boundary as.
//!
//! Each input is described once, by the functions below ([`cart`],
//! [`line`], [`shopper`], [`signals`]), written against [`Visit`]:
//! - [`read::Reader`] runs them over the bytes (postcard's conventions,
//!   `crate::wire`): what the wasm does on every call; it re-checks every
//!   range, never panics, and names the path of the first bad byte;
//! - [`table::Describe`] runs them to list the fields ([`table::of`]): the
//!   table the encoders interpret, exported to the widget's JS by the full
//!   wasm module (`inputs()`), so the JS encoder (`www/src/ui/wire-encode.js`)
//!   never lists a field itself;
//! - [`encode`] is the native encoder (JSON → bytes over that table, every
//!   issue with its JSON path and "did you mean"): the server and the
//!   native `Engine::run` take JSON and go through it, so native and wasm
//!   read the very same bytes.
//!
//! Field order is wire order. A field with a default (or required) is its
//! value; an optional one is an `Option` (tag byte, then the value). Text
//! whose rules the core alone knows (currency codes, decimals, UTC dates)
//! crosses as text and is read here.

pub mod encode;
pub mod held;
pub mod read;
pub mod table;

use crate::cart::{Cart, Line};
use crate::decimal::Rounding;
use crate::money::{Conversion, Currency};
use crate::prelude::*;
use crate::segment::{Signals, TRIGGERS};
use crate::shopper::{HeldMembership, HeldTier, MembershipStatus, RewardedAction, Shopper};
use crate::time::Millis;
use alloc::borrow::Cow;

pub const MAX_LINES: usize = 500;
/// A list without a limit of its own (the bytes left bound it), the same on every target.
const UNLIMITED: usize = u32::MAX as usize;
pub const MAX_MONEY: i64 = 1_000_000_000_000_000;
const MAX_COUNT: i64 = 1_000_000_000_000_000;
/// The instants an integer may give (years 1 to 9999), as epoch milliseconds.
pub const MIN_INSTANT: i64 = -62_135_596_800_000;
pub const MAX_INSTANT: i64 = 253_402_300_799_999;

/// What a string field holds (and what the encoders check of it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    /// Any string.
    Any,
    /// Not blank, at most this many characters.
    Max(usize),
    /// A platform id: a string like [`Text::Max`], or a number kept as its JSON text.
    Id(usize),
    /// An ISO 4217 code (read by the core).
    Currency,
    /// An exact decimal, a JSON number or a string (read by the core).
    Decimal,
}

/// A field accepted so platform objects pass as they are, checked by the
/// encoder and not sent (it changes no number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skip {
    Int(i64, i64),
    Text(Text),
    Texts(Text),
    /// Anything (profile fields around the shopper's state).
    Any,
}

/// The reading of one input, field by field in wire order (see the module
/// docs). Texts are borrowed from what is read (`'a`: the bytes), so a cart
/// read in the wasm copies none of its texts.
pub trait Visit<'a>: Sized {
    /// An integer in `min..=max`; absent or `null` is `default`, or an
    /// "is required" issue when there is none.
    fn int(&mut self, name: &'static str, min: i64, max: i64, default: Option<i64>) -> i64;
    fn opt_int(&mut self, name: &'static str, min: i64, max: i64) -> Option<i64>;
    /// Absent is `false`.
    fn bool(&mut self, name: &'static str) -> bool;
    /// Required when `default` is `None`.
    fn text(&mut self, name: &'static str, kind: Text, default: Option<&'static str>) -> &'a str;
    fn opt_text(&mut self, name: &'static str, kind: Text) -> Option<&'a str>;
    /// A list of strings; absent is empty.
    fn texts(&mut self, name: &'static str, kind: Text) -> Vec<Cow<'a, str>>;
    /// ISO 8601 UTC text or epoch milliseconds.
    fn opt_instant(&mut self, name: &'static str) -> Option<Millis>;
    fn instant(&mut self, name: &'static str) -> Millis;
    /// The index of one of `names`; absent is `default` (`None` when there is none).
    fn choice(&mut self, name: &'static str, names: &'static [&'static str], default: Option<usize>) -> Option<usize>;
    /// A list of objects of at most `max` items; absent is empty unless `required`.
    fn list<T>(&mut self, name: &'static str, max: usize, required: bool, item: impl FnMut(&mut Self, usize) -> T) -> Vec<T>;
    /// An optional object.
    fn obj<T>(&mut self, name: &'static str, fields: impl FnOnce(&mut Self) -> T) -> Option<T>;
    fn skip(&mut self, name: &'static str, what: Skip);
    /// An object's rule: `a` or `b` must be given (checked by the encoders
    /// after the object's fields, as "`a` is required (or `b`)").
    fn either(&mut self, a: &'static str, b: &'static str);
    /// A problem the core finds in values that are each well-formed
    /// (a foreign currency without a rate, a product too large), at this
    /// object's field `name` (`""`: the object itself).
    fn fail(&mut self, name: &'static str, message: &[&str]);
}

/// The cart. Amounts are converted into `program`'s currency when the cart
/// carries a `conversion` rate; a different currency without one is an issue.
pub fn cart<'a, V: Visit<'a>>(v: &mut V, program: Currency) -> Cart<'a> {
    cart_with(v, program).0
}

/// [`cart`] and the conversion its lines were read with (what a line read
/// on its own later, [`cart_line`], needs: `held`).
pub fn cart_with<'a, V: Visit<'a>>(v: &mut V, program: Currency) -> (Cart<'a>, Option<Conversion>) {
    let code = v.text("currency", Text::Currency, None);
    let rate = v.obj("conversion", |v| v.text("rate", Text::Decimal, None));
    let currency = Currency::from_code(code).unwrap_or_else(|| {
        v.fail("currency", &["unknown ISO 4217 currency code \"", code, "\""]);
        program
    });
    let given = rate.is_some();
    let rate = rate.and_then(|r| match crate::decimal::Decimal::parse(r) {
        Ok(d) if d.mantissa > 0 => Some(d),
        Ok(_) => {
            v.fail("conversion.rate", &["must be greater than 0"]);
            None
        }
        Err(m) => {
            v.fail("conversion.rate", &[&m]);
            None
        }
    });
    let conversion = match rate {
        _ if currency == program => None,
        Some(rate) => Some(Conversion { from: currency, rate }),
        // A rate was given but refused (the issue says why).
        None if given => None,
        None => {
            v.fail(
                "currency",
                &[
                    "cart is in ",
                    currency.code(),
                    " but the program is in ",
                    program.code(),
                    "; pass \"conversion\": {\"rate\": …} (program units per cart unit)",
                ],
            );
            None
        }
    };
    let lines = v.list("lines", MAX_LINES, true, |v, i| line_of(v, Some(i), conversion.as_ref(), program));
    let discount = v.int("discount", 0, MAX_MONEY, Some(0));
    let shipping = v.int("shipping", 0, MAX_MONEY, Some(0));
    let order_discount = convert(v, "discount", discount, conversion.as_ref(), program, Rounding::Ceil);
    let shipping = convert(v, "shipping", shipping, conversion.as_ref(), program, Rounding::Floor);
    v.skip("tax", Skip::Int(0, MAX_MONEY));
    v.skip("token", Skip::Text(Text::Any));
    // The codes on the order (vouchers among them): the widget shows which
    // are applied; they change no number (a voucher's value is `discount`).
    v.skip("discount_codes", Skip::Texts(Text::Max(64)));
    (Cart { lines, order_discount, shipping }, conversion)
}

/// A cart's line `index` on its own, read as [`cart`] reads its lines.
pub fn cart_line<'a, V: Visit<'a>>(v: &mut V, index: usize, c: Option<&Conversion>, program: Currency) -> Line<'a> {
    line_of(v, Some(index), c, program)
}

/// One line on its own (a product page's "earn N points"), in the store's
/// currency; named `"0"` (like a cart's first line) when it has no id.
pub fn line<'a, V: Visit<'a>>(v: &mut V, program: Currency) -> Line<'a> {
    line_of(v, None, None, program)
}

fn convert<'a, V: Visit<'a>>(v: &mut V, name: &'static str, minor: i64, c: Option<&Conversion>, to: Currency, r: Rounding) -> i64 {
    match c.map(|c| c.convert(minor, to, r)) {
        None => minor,
        Some(Ok(m)) => m,
        Some(Err(crate::Error::Overflow(step))) => {
            v.fail(name, &["arithmetic overflow in ", step]);
            0
        }
        Some(Err(_)) => 0,
    }
}

fn line_of<'a, V: Visit<'a>>(v: &mut V, index: Option<usize>, c: Option<&Conversion>, program: Currency) -> Line<'a> {
    let id = v.opt_text("id", Text::Id(255));
    let product_id = v.opt_text("product_id", Text::Id(255));
    let variant_id = v.opt_text("variant_id", Text::Id(255));
    let sku = v.opt_text("sku", Text::Id(255));
    let title = v.opt_text("title", Text::Any);
    let tags = v.texts("tags", Text::Any);
    let product_type = v.opt_text("product_type", Text::Id(255));
    let collections = v.texts("collections", Text::Any);
    let quantity = v.int("quantity", 0, 1_000_000, None);
    let unit_price = v.opt_int("unit_price", 0, MAX_MONEY);
    let line_price = v.opt_int("line_price", 0, MAX_MONEY);
    let discount = v.int("discount", 0, MAX_MONEY, Some(0));
    let gift_card = v.bool("gift_card");
    v.either("line_price", "unit_price");
    let price = match (unit_price, line_price) {
        (_, Some(lp)) => lp,
        (Some(up), None) => up.checked_mul(quantity).filter(|&x| x <= MAX_MONEY).unwrap_or_else(|| {
            v.fail("unit_price", &["unit_price × quantity is too large"]);
            0
        }),
        (None, None) => {
            v.fail("line_price", &["is required (or unit_price)"]);
            0
        }
    };
    let line_price = convert(v, "line_price", price, c, program, Rounding::Floor);
    let discount = convert(v, "discount", discount, c, program, Rounding::Ceil);
    // Without an id a line is named by its position.
    let id = match (id, index) {
        (Some(id), _) => Cow::Borrowed(id),
        (None, Some(i)) => Cow::Owned(crate::json::int_text(i as i64)),
        (None, None) => Cow::Borrowed("0"),
    };
    let (product_id, variant_id, sku, title, product_type) = (
        product_id.map(Cow::Borrowed),
        variant_id.map(Cow::Borrowed),
        sku.map(Cow::Borrowed),
        title.map(Cow::Borrowed),
        product_type.map(Cow::Borrowed),
    );
    Line { id, product_id, variant_id, sku, title, tags, product_type, collections, quantity, line_price, discount, gift_card }
}

const STATUSES: &[&str] = &["trial", "active", "lapsed"];

/// The shopper's state (the server's `GET /api/shopper` answer passes as it came).
pub fn shopper<'a, V: Visit<'a>>(v: &mut V) -> Shopper {
    let count = |v: &mut V, name| v.int(name, 0, MAX_COUNT, Some(0));
    let member = v.bool("member");
    let balance = v.int("balance", -MAX_COUNT, MAX_COUNT, Some(0));
    let pending = count(v, "pending");
    let lifetime_orders = count(v, "lifetime_orders");
    let period_spend = count(v, "period_spend");
    let period_points = count(v, "period_points");
    let period_orders = count(v, "period_orders");
    let tier = v.obj("tier", |v| HeldTier { id: v.text("id", Text::Max(64), None).into(), since: v.instant("since") });
    let membership = v.obj("membership", |v| {
        let id = v.text("id", Text::Max(64), None).into();
        let status = match v.choice("status", STATUSES, Some(1)) {
            Some(0) => MembershipStatus::Trial,
            Some(2) => MembershipStatus::Lapsed,
            _ => MembershipStatus::Active,
        };
        HeldMembership { id, status }
    });
    let stamps = count(v, "stamps");
    let card_started = v.opt_instant("card_started");
    let last_activity = v.opt_instant("last_activity");
    let rewarded_actions = v.list("rewarded_actions", UNLIMITED, false, |v, _| RewardedAction {
        id: v.text("id", Text::Max(64), None).into(),
        at: v.instant("at"),
    });
    let last_order_value = v.opt_int("last_order_value", 0, MAX_COUNT);
    // Profile fields the server's `GET /api/shopper` adds around the state:
    // known (so the state can be passed back as it came), not used here.
    for profile in ["shopper_id", "email", "name", "signed_up", "vouchers"] {
        v.skip(profile, Skip::Any);
    }
    Shopper {
        member,
        balance,
        pending,
        lifetime_orders,
        period_spend,
        period_points,
        period_orders,
        tier,
        membership,
        stamps,
        card_started,
        last_activity,
        rewarded_actions,
        last_order_value,
    }
}

/// What the widget observed in this visit (the popup decision's input).
pub fn signals<'a, V: Visit<'a>>(v: &mut V, currency: Currency) -> Signals {
    let path = v.text("path", Text::Max(2000), Some("/")).into();
    let pages_viewed = v.int("pages_viewed", 0, 1_000_000, Some(1));
    let product_views = v.int("product_views", 0, 1_000_000, Some(0));
    let cart = v.obj("cart", |v| cart(v, currency).into_owned());
    let last_shown = v.opt_instant("last_shown");
    let signed_up = v.bool("signed_up");
    let trigger = v.choice("trigger", &TRIGGER_NAMES, None).map(|i| TRIGGERS[i].1);
    let referral = v.obj("referral", |v| (v.text("code", Text::Max(64), None).into(), v.instant("at")));
    Signals { path, pages_viewed, product_views, cart, last_shown, signed_up, trigger, referral }
}

/// The `birthday` operation's input: the shopper's birthday, the day they
/// gave it and today, in the store's local calendar (`YYYY-MM-DD`), and the
/// last year the gift was credited.
pub fn dates<'a, V: Visit<'a>>(v: &mut V) -> crate::birthday::Dates {
    let day = |v: &mut V, name: &'static str| {
        let text = v.text(name, Text::Max(10), None);
        crate::birthday::date(text).unwrap_or_else(|| {
            v.fail(name, &["must be a date written YYYY-MM-DD"]);
            (2000, 1, 1)
        })
    };
    let (birthday, given_on, today) = (day(v, "birthday"), day(v, "given_on"), day(v, "today"));
    let last_rewarded_year = v.opt_int("last_rewarded_year", 1900, 9999);
    crate::birthday::Dates { birthday, given_on, today, last_rewarded_year }
}

const TRIGGER_NAMES: [&str; TRIGGERS.len()] = {
    let mut names = [""; TRIGGERS.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = TRIGGERS[i].0;
        i += 1;
    }
    names
};
