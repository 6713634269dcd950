//! Shopify's order and refund JSON, mapped to what the order and refund
//! services take: the core cart (program currency, minor units) and a
//! refunded amount. Only the fields read here are decoded; everything else
//! in Shopify's payloads is ignored (they grow with every API version).
//!
//! The cart, line by line (`line_items[i]`):
//! - `line_price` = `price` × `quantity`, in minor units of the program's
//!   currency; `id`, `product_id`, `variant_id`, `sku` (and `product_type`
//!   and `tags` where a payload carries them: order webhooks usually do
//!   not) as text, numbers by their exact digits; `gift_card: true` lines
//!   are gift cards (they never earn and take no discount).
//! - `discount_allocations` are Shopify's own split of every discount over
//!   the lines. An allocation of an *order-level* discount application
//!   (`target_type: line_item`, `target_selection: all`, `allocation_method:
//!   across`: "10 % off the order", a fixed amount off the order) goes to the
//!   cart's `discount`, which the core spreads over the lines exactly as it
//!   does for the widget's `/cart.js` cart (its `cart_level_discount_applications`);
//!   every other allocation (product discounts, `each`, `explicit`) is the
//!   line's own `discount`, as `/cart.js` shows it on the line.
//! - `total_discounts` is the sum of all discounts (lines and shipping).
//!   What no allocation accounts for (a payload without allocations) is
//!   an order-level discount too, so points are never earned on money
//!   that was not paid.
//! - Shipping and taxes never earn and are left out; prices are as
//!   Shopify shows them (tax included when the shop's prices include tax),
//!   like `/cart.js`. Gift card *payments* are payments, not discounts:
//!   they change nothing here. `line_item.total_discount` is not read (a
//!   presentation field that would count allocated discounts twice).
//!
//! Money: plain fields (`price`, `amount`) are in the shop's currency;
//! `*_set` objects carry `shop_money` and `presentment_money`. When the
//! program's currency is the order's `currency` (the shop's), shop money is
//! read; when it is the `presentment_currency`, presentment money; neither
//! is refused (`currency`). Amounts are decimal strings in major units,
//! converted by their digits ([`rewards_core::money::minor_from_major`]).

use rewards_core::json::{int, obj, s, Json};
use rewards_core::money::Currency;
use serde::de::{self, Deserializer};
use serde::Deserialize;

use crate::body::{Any, Id};
use crate::error::{ApiError, ApiResult};
pub use crate::services::platforms::decode;
use crate::services::platforms::{add, codes, first_email, label, quantity, Amount, Label, MAX_LINES};
use rewards_core::config::MAX_AMOUNT;
use rewards_core::money::minor_from_major as to_minor;

/// Product tags: `"a, b"` (Shopify's form) or `["a", "b"]`.
#[derive(Debug, Clone, Default)]
pub struct Tags(pub Vec<String>);

impl<'de> Deserialize<'de> for Tags {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Tags, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Text(String),
            List(Vec<String>),
        }
        let list =
            match Option::<Form>::deserialize(d).map_err(|_| de::Error::custom("expected a string \"a, b\" or an array of strings"))? {
                None => Vec::new(),
                Some(Form::Text(t)) => t.split(',').map(str::to_string).collect(),
                Some(Form::List(l)) => l,
            };
        Ok(Tags(list.into_iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect()))
    }
}

#[derive(Debug, Deserialize)]
pub struct Money {
    pub amount: Option<Amount>,
    pub currency_code: Option<Label>,
}

/// `{shop_money, presentment_money}`.
#[derive(Debug, Deserialize)]
pub struct MoneySet {
    pub shop_money: Option<Money>,
    pub presentment_money: Option<Money>,
}

#[derive(Debug, Deserialize)]
pub struct Allocation {
    pub amount: Option<Amount>,
    pub amount_set: Option<MoneySet>,
    pub discount_application_index: Option<Label>,
}

#[derive(Debug, Deserialize)]
pub struct DiscountApplication {
    pub target_type: Option<Label>,
    pub target_selection: Option<Label>,
    pub allocation_method: Option<Label>,
}

impl DiscountApplication {
    /// A discount on the order as a whole (the cart-level discount of `/cart.js`).
    fn order_level(&self) -> bool {
        label(&self.target_type) == Some("line_item")
            && label(&self.target_selection) == Some("all")
            && label(&self.allocation_method) == Some("across")
    }
}

#[derive(Debug, Deserialize)]
pub struct LineItem {
    pub id: Option<Label>,
    pub product_id: Option<Label>,
    pub variant_id: Option<Label>,
    pub sku: Option<Label>,
    pub product_type: Option<Label>,
    pub tags: Option<Tags>,
    pub quantity: Option<Any>,
    pub price: Option<Amount>,
    pub price_set: Option<MoneySet>,
    pub gift_card: Option<bool>,
    pub discount_allocations: Option<Vec<Allocation>>,
}

#[derive(Debug, Deserialize)]
pub struct ShippingLine {
    pub discount_allocations: Option<Vec<Allocation>>,
}

#[derive(Debug, Deserialize)]
pub struct Customer {
    pub id: Option<Label>,
    pub email: Option<Label>,
}

#[derive(Debug, Deserialize)]
pub struct DiscountCode {
    pub code: Option<Label>,
}

/// One of the order's `note_attributes` (the cart attributes the checkout carried).
#[derive(Debug, Deserialize)]
pub struct NoteAttribute {
    pub name: Option<Label>,
    pub value: Option<Label>,
}

/// The cart attribute the rewards snippet sets from the widget's kept `?ref=` code.
pub const REFERRAL_ATTRIBUTE: &str = "rewards_ref";

/// The order object of `orders/paid`, `orders/create`, `orders/cancelled`.
#[derive(Debug, Deserialize)]
pub struct OrderPayload {
    pub id: Id<128>,
    pub currency: Option<Label>,
    pub presentment_currency: Option<Label>,
    pub email: Option<Label>,
    pub contact_email: Option<Label>,
    pub customer: Option<Customer>,
    pub financial_status: Option<Label>,
    pub line_items: Option<Vec<LineItem>>,
    pub discount_applications: Option<Vec<DiscountApplication>>,
    pub discount_codes: Option<Vec<DiscountCode>>,
    pub note_attributes: Option<Vec<NoteAttribute>>,
    pub shipping_lines: Option<Vec<ShippingLine>>,
    pub total_discounts: Option<Amount>,
    pub total_discounts_set: Option<MoneySet>,
}

/// What `orders/cancelled` needs: which order, and whether it was ever paid.
#[derive(Debug, Deserialize)]
pub struct CancelPayload {
    pub id: Id<128>,
    pub financial_status: Option<Label>,
}

#[derive(Debug, Deserialize)]
pub struct RefundedItem {
    pub gift_card: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct RefundLine {
    pub subtotal: Option<Amount>,
    pub subtotal_set: Option<MoneySet>,
    pub line_item: Option<RefundedItem>,
}

#[derive(Debug, Deserialize)]
pub struct Transaction {
    pub kind: Option<Label>,
    pub status: Option<Label>,
    pub amount: Option<Amount>,
    pub currency: Option<Label>,
}

#[derive(Debug, Deserialize)]
pub struct Adjustment {
    pub kind: Option<Label>,
    pub amount: Option<Amount>,
    pub amount_set: Option<MoneySet>,
}

#[derive(Debug, Deserialize)]
pub struct RefundShippingLine {
    pub subtotal_amount_set: Option<MoneySet>,
}

/// The refund object of `refunds/create`.
#[derive(Debug, Deserialize)]
pub struct RefundPayload {
    pub id: Id<128>,
    pub order_id: Id<128>,
    pub refund_line_items: Option<Vec<RefundLine>>,
    pub transactions: Option<Vec<Transaction>>,
    pub order_adjustments: Option<Vec<Adjustment>>,
    pub refund_shipping_lines: Option<Vec<RefundShippingLine>>,
}

/// `customers/create`.
#[derive(Debug, Deserialize)]
pub struct CustomerPayload {
    pub id: Id<255>,
    pub email: Option<Label>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Shop,
    Presentment,
    /// Refunds carry no order currency: whichever side of each `*_set` is
    /// in the program's currency (shop money first).
    Either,
}

/// Reads amounts in the program's currency from one side of Shopify's money.
struct Reader {
    program: Currency,
    side: Side,
}

impl Reader {
    fn minor(&self, a: &Amount, path: &str) -> ApiResult<i64> {
        to_minor(&a.0, self.program).map_err(|m| ApiError::invalid(path, m))
    }

    /// An amount from its `*_set` (the side in the program's currency) or,
    /// for shop money, from the plain field; `None` when neither is sent.
    fn amount(&self, plain: Option<&Amount>, plain_path: &str, set: Option<&MoneySet>, set_path: &str) -> ApiResult<Option<i64>> {
        let code = self.program.code();
        fn side<'m>(m: &'m Option<Money>, set_path: &str, name: &str) -> Option<(&'m Money, String)> {
            m.as_ref().map(|m| (m, format!("{set_path}.{name}")))
        }
        fn of(m: &Option<Money>) -> Option<&str> {
            m.as_ref().and_then(|m| label(&m.currency_code))
        }
        // The side read, and that side's money.
        let (read, chosen) = match (self.side, set) {
            (Side::Presentment, None) => (Side::Presentment, None),
            (_, None) => (Side::Shop, None),
            (Side::Shop, Some(s)) => (Side::Shop, side(&s.shop_money, set_path, "shop_money")),
            (Side::Presentment, Some(s)) => (Side::Presentment, side(&s.presentment_money, set_path, "presentment_money")),
            (Side::Either, Some(s)) => {
                let (shop, presentment) = (of(&s.shop_money), of(&s.presentment_money));
                if shop == Some(code) || (shop.is_none() && presentment.is_none()) {
                    (Side::Shop, side(&s.shop_money, set_path, "shop_money"))
                } else if presentment == Some(code) {
                    (Side::Presentment, side(&s.presentment_money, set_path, "presentment_money"))
                } else {
                    return Err(ApiError::invalid(
                        set_path,
                        format!(
                            "is in {} (shop) and {} (presentment); the program's currency is {code}",
                            shop.unwrap_or("?"),
                            presentment.unwrap_or("?")
                        ),
                    ));
                }
            }
        };
        if let Some((m, path)) = chosen {
            if let Some(c) = label(&m.currency_code).filter(|c| *c != code) {
                return Err(ApiError::invalid(&format!("{path}.currency_code"), format!("is {c}; the program's currency is {code}")));
            }
            if let Some(a) = &m.amount {
                return self.minor(a, &format!("{path}.amount")).map(Some);
            }
        }
        match read {
            Side::Presentment if plain.is_some() || set.is_some() => Err(ApiError::invalid(
                &format!("{set_path}.presentment_money.amount"),
                format!("is required: the program's currency ({code}) is the presentment currency, not the shop's"),
            )),
            Side::Presentment => Ok(None),
            // Plain fields are the shop's money.
            _ => plain.map(|a| self.minor(a, plain_path)).transpose(),
        }
    }

    fn required(&self, plain: Option<&Amount>, plain_path: &str, set: Option<&MoneySet>, set_path: &str) -> ApiResult<i64> {
        let v = self.amount(plain, plain_path, set, set_path)?.ok_or_else(|| ApiError::invalid(plain_path, "is required"))?;
        if v < 0 {
            return Err(ApiError::invalid(plain_path, "must not be negative"));
        }
        Ok(v)
    }

    fn allocation(&self, a: &Allocation, path: &str) -> ApiResult<i64> {
        self.required(a.amount.as_ref(), &format!("{path}.amount"), a.amount_set.as_ref(), &format!("{path}.amount_set"))
    }
}

/// An order, ready for the order service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedOrder {
    pub order_id: String,
    /// `customer.id`: the shopper id tokens name.
    pub customer_id: Option<String>,
    /// `customer.email`, else `email`, else `contact_email` (normalised;
    /// an address the server would not accept is left out).
    pub email: Option<String>,
    /// The core cart, as JSON text.
    pub cart: String,
    /// `discount_codes[].code`, normalised (codes that cannot be ours are left out).
    pub codes: Vec<String>,
    /// The `rewards_ref` note attribute: a referral code the checkout carried.
    pub referral_code: Option<String>,
}

/// Maps an order body (`orders/paid`, `orders/create`).
pub fn order(body: &[u8], program: Currency) -> ApiResult<MappedOrder> {
    map_order(&decode::<OrderPayload>(body)?, program)
}

pub fn map_order(p: &OrderPayload, program: Currency) -> ApiResult<MappedOrder> {
    let code = program.code();
    let shop = label(&p.currency);
    let presentment = label(&p.presentment_currency).or(shop);
    let side = if shop == Some(code) {
        Side::Shop
    } else if presentment == Some(code) {
        Side::Presentment
    } else {
        return Err(ApiError::invalid(
            "currency",
            format!(
                "the order is in {} (shop currency) and {} (presentment currency); the program's currency is {code}, and amounts are never converted",
                shop.unwrap_or("?"),
                presentment.unwrap_or("?")
            ),
        ));
    };
    let r = Reader { program, side };
    let apps = p.discount_applications.as_deref();
    let Some(items) = &p.line_items else { return Err(ApiError::invalid("line_items", "is required")) };
    if items.len() > MAX_LINES {
        return Err(ApiError::invalid("line_items", format!("at most {MAX_LINES} lines (the core's limit)")));
    }
    let mut order_discount = 0i64;
    let mut allocated = 0i64;
    let mut lines = Vec::with_capacity(items.len());
    for (i, li) in items.iter().enumerate() {
        let path = format!("line_items[{i}]");
        let quantity = quantity(&li.quantity, &format!("{path}.quantity"))?;
        let unit = r.required(li.price.as_ref(), &format!("{path}.price"), li.price_set.as_ref(), &format!("{path}.price_set"))?;
        let line_price = unit
            .checked_mul(quantity)
            .filter(|&x| x <= MAX_AMOUNT)
            .ok_or_else(|| ApiError::invalid(&format!("{path}.price"), "price × quantity is larger than the largest amount"))?;
        let mut discount = 0i64;
        for (k, a) in li.discount_allocations.iter().flatten().enumerate() {
            let apath = format!("{path}.discount_allocations[{k}]");
            let amount = r.allocation(a, &apath)?;
            allocated = add(allocated, amount, &apath)?;
            let order_level = match (apps, label(&a.discount_application_index)) {
                (Some(apps), Some(index)) => {
                    let found = index.parse::<usize>().ok().and_then(|i| apps.get(i));
                    found
                        .ok_or_else(|| {
                            ApiError::invalid(&format!("{apath}.discount_application_index"), "names no entry of discount_applications")
                        })?
                        .order_level()
                }
                // Without the applications an allocation is the line's own.
                _ => false,
            };
            if order_level {
                order_discount = add(order_discount, amount, &apath)?;
            } else {
                discount = add(discount, amount, &apath)?;
            }
        }
        let mut fields = vec![("id", s(label(&li.id).map_or_else(|| i.to_string(), str::to_string)))];
        for (key, v) in
            [("product_id", &li.product_id), ("variant_id", &li.variant_id), ("sku", &li.sku), ("product_type", &li.product_type)]
        {
            if let Some(v) = label(v) {
                fields.push((key, s(v)));
            }
        }
        if let Some(Tags(tags)) = li.tags.as_ref().filter(|t| !t.0.is_empty()) {
            fields.push(("tags", Json::Array(tags.iter().map(|t| s(&**t)).collect())));
        }
        fields.push(("quantity", int(quantity)));
        fields.push(("line_price", int(line_price)));
        if discount > 0 {
            fields.push(("discount", int(discount)));
        }
        if li.gift_card == Some(true) {
            fields.push(("gift_card", Json::Bool(true)));
        }
        lines.push(obj(fields));
    }
    for (j, sl) in p.shipping_lines.iter().flatten().enumerate() {
        for (k, a) in sl.discount_allocations.iter().flatten().enumerate() {
            let apath = format!("shipping_lines[{j}].discount_allocations[{k}]");
            allocated = add(allocated, r.allocation(a, &apath)?, &apath)?;
        }
    }
    let total = r.amount(p.total_discounts.as_ref(), "total_discounts", p.total_discounts_set.as_ref(), "total_discounts_set")?;
    if let Some(unallocated) = total.map(|t| t - allocated).filter(|&u| u > 0) {
        order_discount = add(order_discount, unallocated, "total_discounts")?;
    }
    let mut cart = vec![("currency", s(code)), ("lines", Json::Array(lines))];
    if order_discount > 0 {
        cart.push(("discount", int(order_discount)));
    }
    let codes = codes(p.discount_codes.iter().flatten().filter_map(|c| label(&c.code)));
    let customer = p.customer.as_ref();
    let email = first_email([customer.and_then(|c| label(&c.email)), label(&p.email), label(&p.contact_email)]);
    Ok(MappedOrder {
        order_id: p.id.0.clone(),
        customer_id: customer.and_then(|c| label(&c.id)).map(str::to_string),
        email,
        cart: obj(cart).to_text(),
        codes,
        referral_code: p
            .note_attributes
            .iter()
            .flatten()
            .find(|a| label(&a.name) == Some(REFERRAL_ATTRIBUTE))
            .and_then(|a| label(&a.value))
            .map(|v| v.chars().take(64).collect()),
    })
}

/// A refund, ready for the refund service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedRefund {
    pub refund_id: String,
    pub order_id: String,
    /// Minor units of merchandise refunded (what the order's subtotal counts).
    pub amount: i64,
}

/// Maps a `refunds/create` body. The amount is the sum of the refund
/// lines' `subtotal` (after discounts, before tax; gift card lines left
/// out, as in the order's subtotal). A refund without lines (an amount
/// refunded by hand) counts its successful `refund` transactions, less
/// the shipping it refunds (`refund_shipping_lines`, or the
/// `shipping_refund` order adjustments of older API versions: the larger,
/// as newer versions send both for the same shipping).
pub fn refund(body: &[u8], program: Currency) -> ApiResult<MappedRefund> {
    map_refund(&decode::<RefundPayload>(body)?, program)
}

pub fn map_refund(p: &RefundPayload, program: Currency) -> ApiResult<MappedRefund> {
    let r = Reader { program, side: Side::Either };
    let mut amount = 0i64;
    let lines = p.refund_line_items.as_deref().unwrap_or_default();
    if !lines.is_empty() {
        for (i, l) in lines.iter().enumerate() {
            if l.line_item.as_ref().and_then(|li| li.gift_card) == Some(true) {
                continue;
            }
            let path = format!("refund_line_items[{i}]");
            let sub =
                r.required(l.subtotal.as_ref(), &format!("{path}.subtotal"), l.subtotal_set.as_ref(), &format!("{path}.subtotal_set"))?;
            amount = add(amount, sub, &path)?;
        }
    } else {
        for (i, t) in p.transactions.iter().flatten().enumerate() {
            if label(&t.kind) != Some("refund") || label(&t.status) != Some("success") {
                continue;
            }
            let path = format!("transactions[{i}]");
            if let Some(c) = label(&t.currency).filter(|c| *c != program.code()) {
                return Err(ApiError::invalid(
                    &format!("{path}.currency"),
                    format!("is {c}; the program's currency is {}", program.code()),
                ));
            }
            let a = r.required(t.amount.as_ref(), &format!("{path}.amount"), None, &format!("{path}.amount"))?;
            amount = add(amount, a, &path)?;
        }
        let mut adjusted = 0i64;
        for (i, a) in p.order_adjustments.iter().flatten().enumerate() {
            if label(&a.kind) == Some("shipping_refund") {
                let path = format!("order_adjustments[{i}]");
                let v = r.amount(a.amount.as_ref(), &format!("{path}.amount"), a.amount_set.as_ref(), &format!("{path}.amount_set"))?;
                adjusted = add(adjusted, v.unwrap_or(0).abs(), &path)?;
            }
        }
        let mut shipping = 0i64;
        for (i, l) in p.refund_shipping_lines.iter().flatten().enumerate() {
            let path = format!("refund_shipping_lines[{i}].subtotal_amount_set");
            let v = r.amount(None, &path, l.subtotal_amount_set.as_ref(), &path)?;
            shipping = add(shipping, v.unwrap_or(0).abs(), &path)?;
        }
        amount = (amount - adjusted.max(shipping)).max(0);
    }
    Ok(MappedRefund { refund_id: p.id.0.clone(), order_id: p.order_id.0.clone(), amount })
}
