//! WooCommerce's order JSON (the REST API v3 order object every
//! `order.*` webhook carries), mapped to what the order and refund
//! services take. Only the fields read here are decoded; the rest of the
//! payload is ignored.
//!
//! The cart, line by line (`line_items[i]`), the way the widget reads the
//! same cart from the Store API (`www/src/ui/platforms.js`, `fromWoo`), so
//! the award is the preview the shopper saw:
//! - `line_price` = the line's `subtotal` (before coupons) and `discount` =
//!   `subtotal` − `total`: the line earns on its `total`, after the
//!   coupons WooCommerce spread over the lines. Both are before tax, like
//!   the Store API's `line_subtotal` and `line_total`.
//! - `product_id` is the variation's id for a variation (`variation_id`),
//!   else `product_id`: the Store API cart item's `id`. `sku` as sent.
//! - `tags` and `collections`: an order carries neither, so the plugin
//!   (`integrations/woocommerce/`) adds each line's product tag and
//!   category slugs as `rewards_widget: {tags, categories}` to the webhook
//!   payload (the `woocommerce_webhook_payload` filter runs before the body
//!   is signed); the widget reads the same slugs from the Store API
//!   products. Without them, rules on tags or collections cannot match.
//! - `shipping` = `shipping_total` (before tax); shipping never earns.
//! - Fees (`fee_lines`) and taxes are left out; `coupon_lines[].code` are
//!   the order's codes (our vouchers among them are marked used).
//! - `meta_data[]` (`{id, key, value}`): the entry keyed `rewards_ref`
//!   is a referral code the checkout carried (the plugin copies the
//!   widget's `rewards_ref` cookie to it); other entries, whatever their
//!   values' types, are ignored.
//!
//! Money: decimal strings in major units in the order's `currency`, which
//! must be the program's (amounts are never converted), converted by
//! their digits ([`rewards_core::money::minor_from_major`]).
//!
//! Refunds (`refunds[]`: `{id, total}`, `total` negative) name no
//! merchandise amount, only money: rounding step *refund share* — after
//! refunds totalling R of the order's `total` T (tax and shipping
//! included), the merchandise refunded is ⌊R × S / T⌋ of the subtotal S
//! after discounts, cumulative over the refunds in id order (so refunding
//! the whole `total` refunds exactly S, and a refund's share never
//! changes with later ones).

use rewards_core::json::{int, obj, s, Json};
use rewards_core::money::minor_from_major as to_minor;
use rewards_core::money::Currency;
use serde::Deserialize;

use crate::body::{Any, Id};
use crate::error::{ApiError, ApiResult};
use crate::services::platforms::{add, codes, decode, first_email, label, quantity, Amount, Label, MAX_LINES};

#[derive(Debug, Deserialize)]
pub struct LineItem {
    pub id: Option<Label>,
    pub product_id: Option<Label>,
    pub variation_id: Option<Label>,
    pub sku: Option<Label>,
    pub quantity: Option<Any>,
    pub subtotal: Option<Amount>,
    pub total: Option<Amount>,
    pub rewards_widget: Option<LineExtras>,
}

/// What the plugin adds to a line: its product's tag and category slugs.
#[derive(Debug, Deserialize)]
pub struct LineExtras {
    pub tags: Option<Vec<Label>>,
    pub categories: Option<Vec<Label>>,
}

#[derive(Debug, Deserialize)]
pub struct Billing {
    pub email: Option<Label>,
}

#[derive(Debug, Deserialize)]
pub struct CouponLine {
    pub code: Option<Label>,
}

/// One of the order's `meta_data` entries. Values of other plugins'
/// entries may be any JSON (arrays, objects, long texts): read as `Any`,
/// only a text under [`REFERRAL_META`] is used.
#[derive(Debug, Deserialize)]
pub struct MetaData {
    pub key: Option<Any>,
    pub value: Option<Any>,
}

/// The order meta key the plugin writes the widget's kept `?ref=` code to.
pub const REFERRAL_META: &str = "rewards_ref";

#[derive(Debug, Deserialize)]
pub struct RefundLine {
    pub id: Id<64>,
    pub total: Option<Amount>,
}

/// The order object of `order.created` and `order.updated`.
#[derive(Debug, Deserialize)]
pub struct OrderPayload {
    pub id: Id<64>,
    pub status: Option<Label>,
    pub currency: Option<Label>,
    pub date_modified_gmt: Option<Label>,
    pub customer_id: Option<Label>,
    pub billing: Option<Billing>,
    pub line_items: Option<Vec<LineItem>>,
    pub shipping_total: Option<Amount>,
    pub total: Option<Amount>,
    pub coupon_lines: Option<Vec<CouponLine>>,
    pub refunds: Option<Vec<RefundLine>>,
    pub meta_data: Option<Vec<MetaData>>,
}

/// A refund of the order, ready for the refund service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedRefund {
    /// WooCommerce's refund id.
    pub id: String,
    /// Minor units of the subtotal this refund takes back (step *refund share*).
    pub amount: i64,
}

/// An order, ready for the order service and the status rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedOrder {
    pub order_id: String,
    /// `status`, as WooCommerce writes it (`processing`, `completed`, …).
    pub status: String,
    /// `date_modified_gmt` (`YYYY-MM-DDTHH:MM:SS`): orders the updates.
    pub modified: String,
    /// `customer_id` (the WordPress user id tokens name); none for a guest (`0`).
    pub customer_id: Option<String>,
    /// `billing.email`, normalised (an address the server would not accept is left out).
    pub email: Option<String>,
    /// The core cart, as JSON text.
    pub cart: String,
    pub codes: Vec<String>,
    /// `refunds[]`, in id order.
    pub refunds: Vec<MappedRefund>,
    /// The `rewards_ref` order meta: a referral code the checkout carried.
    pub referral_code: Option<String>,
}

/// Maps an order body (`order.created`, `order.updated`).
pub fn order(body: &[u8], program: Currency) -> ApiResult<MappedOrder> {
    map_order(&decode::<OrderPayload>(body)?, program)
}

fn minor(a: &Amount, path: &str, program: Currency) -> ApiResult<i64> {
    to_minor(&a.0, program).map_err(|m| ApiError::invalid(path, m))
}

fn required(a: &Option<Amount>, path: &str, program: Currency) -> ApiResult<i64> {
    let v = minor(a.as_ref().ok_or_else(|| ApiError::invalid(path, "is required"))?, path, program)?;
    if v < 0 {
        return Err(ApiError::invalid(path, "must not be negative"));
    }
    Ok(v)
}

/// `date_modified_gmt`: exactly `YYYY-MM-DDTHH:MM:SS`, so that text order is time order.
fn modified(p: &OrderPayload) -> ApiResult<String> {
    let m = label(&p.date_modified_gmt).ok_or_else(|| ApiError::invalid("date_modified_gmt", "is required (it orders the updates)"))?;
    let shape = m.len() == 19
        && m.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T',
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        });
    if !shape {
        return Err(ApiError::invalid("date_modified_gmt", format!("\"{m}\" is not a time like \"2017-03-22T19:28:08\"")));
    }
    Ok(m.to_string())
}

pub fn map_order(p: &OrderPayload, program: Currency) -> ApiResult<MappedOrder> {
    let code = program.code();
    match label(&p.currency) {
        Some(c) if c == code => {}
        other => {
            return Err(ApiError::invalid(
                "currency",
                format!(
                    "the order is in {}; the program's currency is {code}, and amounts are never converted",
                    other.unwrap_or("no currency")
                ),
            ))
        }
    }
    let status = label(&p.status).ok_or_else(|| ApiError::invalid("status", "is required"))?.to_string();
    let modified = modified(p)?;
    let Some(items) = &p.line_items else { return Err(ApiError::invalid("line_items", "is required")) };
    if items.len() > MAX_LINES {
        return Err(ApiError::invalid("line_items", format!("at most {MAX_LINES} lines (the core's limit)")));
    }
    let mut lines = Vec::with_capacity(items.len());
    let mut subtotal = 0i64;
    for (i, li) in items.iter().enumerate() {
        let path = format!("line_items[{i}]");
        let quantity = quantity(&li.quantity, &format!("{path}.quantity"))?;
        let before = required(&li.subtotal, &format!("{path}.subtotal"), program)?;
        let after = required(&li.total, &format!("{path}.total"), program)?;
        if after > before {
            return Err(ApiError::invalid(&format!("{path}.total"), "is more than the line's subtotal (a coupon never adds money)"));
        }
        subtotal = add(subtotal, after, &path)?;
        let mut fields = vec![("id", s(label(&li.id).map_or_else(|| i.to_string(), str::to_string)))];
        let variation = label(&li.variation_id).filter(|v| *v != "0");
        if let Some(v) = variation.or(label(&li.product_id)) {
            fields.push(("product_id", s(v)));
        }
        if let Some(v) = label(&li.sku) {
            fields.push(("sku", s(v)));
        }
        let extras = li.rewards_widget.as_ref();
        for (key, list) in [("tags", extras.and_then(|e| e.tags.as_ref())), ("collections", extras.and_then(|e| e.categories.as_ref()))] {
            let slugs: Vec<Json> = list.into_iter().flatten().filter_map(|l| l.0.as_deref()).map(s).collect();
            if !slugs.is_empty() {
                fields.push((key, Json::Array(slugs)));
            }
        }
        fields.push(("quantity", int(quantity)));
        fields.push(("line_price", int(before)));
        if before > after {
            fields.push(("discount", int(before - after)));
        }
        lines.push(obj(fields));
    }
    let mut cart = vec![("currency", s(code)), ("lines", Json::Array(lines))];
    let shipping = p.shipping_total.as_ref().map(|a| minor(a, "shipping_total", program)).transpose()?.unwrap_or(0);
    if shipping < 0 {
        return Err(ApiError::invalid("shipping_total", "must not be negative"));
    }
    if shipping > 0 {
        cart.push(("shipping", int(shipping)));
    }
    let refunds = refunds(p, subtotal, program)?;
    let customer_id = label(&p.customer_id).filter(|c| *c != "0").map(str::to_string);
    Ok(MappedOrder {
        order_id: p.id.0.clone(),
        status,
        modified,
        customer_id,
        email: first_email([p.billing.as_ref().and_then(|b| label(&b.email))]),
        cart: obj(cart).to_text(),
        codes: codes(p.coupon_lines.iter().flatten().filter_map(|c| label(&c.code))),
        refunds,
        referral_code: referral_code(p),
    })
}

/// The first `rewards_ref` meta entry's text (at most 64 characters; the
/// referral service reads it as a code or refuses it).
fn referral_code(p: &OrderPayload) -> Option<String> {
    p.meta_data.iter().flatten().find(|m| matches!(&m.key, Some(Any::Str(k)) if k == REFERRAL_META)).and_then(|m| match &m.value {
        Some(Any::Str(v)) if !v.trim().is_empty() => Some(v.trim().chars().take(64).collect()),
        _ => None,
    })
}

/// `refunds[]` in id order, each its share of the subtotal (step *refund share*).
fn refunds(p: &OrderPayload, subtotal: i64, program: Currency) -> ApiResult<Vec<MappedRefund>> {
    let list = p.refunds.as_deref().unwrap_or_default();
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let total = required(&p.total, "total", program)?;
    let mut sent = Vec::with_capacity(list.len());
    for (i, r) in list.iter().enumerate() {
        let path = format!("refunds[{i}].total");
        let v = minor(r.total.as_ref().ok_or_else(|| ApiError::invalid(&path, "is required"))?, &path, program)?;
        // WooCommerce writes refunds as negative totals ("-10.00").
        sent.push((r.id.0.clone(), v.abs(), path));
    }
    // Ids are numbers WooCommerce gives in creation order; by value, then text.
    sent.sort_by(|a, b| (a.0.len(), &a.0).cmp(&(b.0.len(), &b.0)));
    let share = |refunded: i64| -> i64 {
        if total == 0 {
            subtotal
        } else {
            ((refunded.min(total) as i128 * subtotal as i128) / total as i128) as i64
        }
    };
    let (mut refunded, mut counted) = (0i64, 0i64);
    let mut out = Vec::with_capacity(sent.len());
    for (id, amount, path) in sent {
        refunded = add(refunded, amount, &path)?;
        let now = share(refunded);
        out.push(MappedRefund { id, amount: now - counted });
        counted = now;
    }
    Ok(out)
}
