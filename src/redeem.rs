//! Redemption options: which rewards this balance buys on this cart.
//!
//! Rounding step *percent discount*: a percent-off discount is
//! `subtotal × percent / 100` rounded down to a whole minor unit. Amount-off
//! options use whole increments of points only, so no rounding occurs.
//! Every discount is capped by `max_discount` and by the cart subtotal
//! (free shipping by the cart's shipping).

use crate::cart::Cart;
use crate::config::{Program, Redemption, RedemptionKind};
use crate::decimal::{Ratio, Rounding};
use crate::error::Result;
use crate::json::Out;
use crate::money;
use crate::prelude::*;
use crate::shopper::Shopper;
use crate::time::Millis;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocked {
    MembersOnly,
    /// Cart subtotal must reach this (minor units).
    MinCart(i64),
    /// Points still needed.
    Shortfall(i64),
    /// The cart is too small for the smallest redemption.
    CartTooSmall,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionState {
    pub id: String,
    pub kind: &'static str,
    pub min_points: i64,
    pub increment: i64,
    /// The most points usable on this cart with this balance (0 when blocked).
    pub max_usable_points: i64,
    /// The discount `max_usable_points` buys (minor units).
    pub discount: i64,
    pub blocked: Option<Blocked>,
}

pub struct Options {
    pub balance: i64,
    pub subtotal: i64,
    pub options: Vec<OptionState>,
    /// The usable option with the largest discount (first on ties).
    pub best: Option<usize>,
}

/// The discount `points` buy with option `r` on a cart (minor units).
pub fn discount_for(r: &Redemption, points: i64, subtotal: i64, shipping: i64) -> Result<i64> {
    let raw = match &r.kind {
        RedemptionKind::AmountOff { value } => {
            money::mul(money::div(points, r.points, "amount-off discount")?, *value, "amount-off discount")?
        }
        RedemptionKind::PercentOff { percent } => Ratio::int(subtotal as i128)
            .mul(percent.ratio(), "percent discount")?
            .mul(Ratio::new(1, 100, "percent discount")?, "percent discount")?
            .round_i64(Rounding::Floor, "percent discount")?,
        RedemptionKind::FreeShipping => shipping,
        RedemptionKind::FreeProduct { value, .. } => *value,
    };
    let cap = match r.kind {
        RedemptionKind::FreeShipping => shipping,
        RedemptionKind::FreeProduct { .. } => raw,
        _ => subtotal,
    };
    Ok(raw.min(cap).min(r.max_discount.unwrap_or(i64::MAX)))
}

fn state(r: &Redemption, shopper: &Shopper, cart: &Cart, subtotal: i64, member: bool) -> Result<OptionState> {
    let kind = r.kind.name();
    let mut st = OptionState {
        id: r.id.clone(),
        kind,
        min_points: r.min_points,
        increment: r.increment,
        max_usable_points: 0,
        discount: 0,
        blocked: None,
    };
    let balance = shopper.balance.max(0);
    st.blocked = if r.members_only && !member {
        Some(Blocked::MembersOnly)
    } else if subtotal < r.min_cart {
        Some(Blocked::MinCart(r.min_cart))
    } else if balance < r.min_points {
        Some(Blocked::Shortfall(r.min_points - balance))
    } else {
        None
    };
    if st.blocked.is_some() {
        return Ok(st);
    }
    let mut usable = balance.min(r.max_points);
    if let RedemptionKind::AmountOff { value } = r.kind {
        // Never buy more value than the cart (or max_discount) can take.
        let cap = subtotal.min(r.max_discount.unwrap_or(i64::MAX));
        let units = money::div(cap, value, "amount-off cap")?;
        usable = usable.min(money::mul(units, r.points, "amount-off cap")?);
    }
    usable -= money::rem(usable, r.increment, "redemption increment")?;
    if usable < r.min_points {
        st.blocked = Some(Blocked::CartTooSmall);
        return Ok(st);
    }
    st.max_usable_points = usable;
    st.discount = discount_for(r, usable, subtotal, cart.shipping)?;
    if st.discount == 0 {
        st.blocked = Some(Blocked::CartTooSmall);
        st.max_usable_points = 0;
    }
    Ok(st)
}

pub fn options(program: &Program, shopper: &Shopper, cart: &Cart, _now: Millis) -> Result<Options> {
    let subtotal = cart.subtotal()?;
    let member = program.membership.as_ref().is_some_and(|m| shopper.membership_active() == Some(m.id.as_str()));
    let mut out = Vec::with_capacity(program.redemptions.len());
    for r in &program.redemptions {
        out.push(state(r, shopper, cart, subtotal, member)?);
    }
    let best = out
        .iter()
        .enumerate()
        .filter(|(_, o)| o.blocked.is_none())
        .max_by(|(ia, a), (ib, b)| a.discount.cmp(&b.discount).then(ib.cmp(ia)))
        .map(|(i, _)| i);
    Ok(Options { balance: shopper.balance.max(0), subtotal, options: out, best })
}

/// The answer's JSON text (`redemptions`, and inside `quote`).
pub fn write(r: &Options, o: &mut Out) {
    o.open().key("balance").int(r.balance).key("subtotal").int(r.subtotal).key("options").open_list();
    for x in &r.options {
        let reason = match &x.blocked {
            None => None,
            Some(Blocked::MembersOnly) => Some("members_only"),
            Some(Blocked::MinCart(_)) => Some("min_cart"),
            Some(Blocked::Shortfall(_)) => Some("insufficient_points"),
            Some(Blocked::CartTooSmall) => Some("cart_too_small"),
        };
        let (shortfall, min_cart) = match x.blocked {
            Some(Blocked::Shortfall(v)) => (Some(v.into()), None),
            Some(Blocked::MinCart(v)) => (None, Some(v.into())),
            _ => (None, None),
        };
        o.open().key("id").str(&x.id).key("kind").str(x.kind).key("usable").bool(x.blocked.is_none());
        o.key("reason").opt_str(reason).key("shortfall").opt_int(shortfall).key("min_cart").opt_int(min_cart);
        o.key("min_points").int(x.min_points).key("increment").int(x.increment);
        o.key("max_usable_points").int(x.max_usable_points).key("discount").int(x.discount).close();
    }
    o.close_list().key("best").opt_str(r.best.and_then(|i| r.options.get(i)).map(|x| &*x.id)).close();
}
