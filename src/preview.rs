//! Points preview: what this cart earns this shopper.
//!
//! The rounding steps, in order (docs/config.md "How points are computed"):
//! 1. *order discount allocation*: an order-level discount is spread over
//!    lines exactly ([`Cart::allocate_order_discount`]).
//! 2. Each line's qualifying amount = its price − its discounts (0 when
//!    excluded). Its points are exact: `qualifying × points_per_step / step`.
//! 3. The order's exact points = Σ line points × the combined multiplier.
//! 4. *earning rounding*: that one number is rounded with
//!    `earning.rounding` (floor by default). No other step rounds points.
//! 5. `max_points_per_order` caps the result; bonuses are added after.
//! 6. *cashback rounding*: credit = Σ qualifying × percent / 100, rounded
//!    with `cashback.rounding`.

use crate::cart::Cart;
use crate::config::{ActionKind, Combine, Program};
use crate::decimal::{Decimal, Ratio};
use crate::error::{Error, Result};
use crate::json::{Json, Out};
use crate::prelude::*;
use crate::shopper::Shopper;
use crate::tiers;
use crate::time::Millis;
use crate::{actions, money};

#[derive(Debug, Clone, PartialEq)]
pub struct LinePoints<'a> {
    /// The cart line's id (borrowed from the cart).
    pub id: &'a str,
    /// Price − line discount − its share of the order discount (minor units).
    pub net: i64,
    /// The part that earns: `net`, or 0 when excluded.
    pub qualifying: i64,
    /// Exact points before multipliers and rounding.
    pub points: Ratio,
    /// Why the line earns nothing: (rule, value), e.g. ("tag", "gift-card").
    pub excluded: Option<(&'static str, &'a str)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppliedMultiplier {
    pub source: &'static str,
    pub id: String,
    pub value: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Preview<'a> {
    pub lines: Vec<LinePoints<'a>>,
    pub qualifying_total: i64,
    /// Units in the cart (Σ quantity): an order with none is no order.
    pub units: i64,
    pub base_points: Ratio,
    pub multipliers: Vec<AppliedMultiplier>,
    pub multiplier: Ratio,
    pub points_before_rounding: Ratio,
    /// Points for the purchase itself, after rounding, minimum and cap.
    pub earned_points: i64,
    pub minimum_order_met: bool,
    pub capped: bool,
    /// (action id, points) of bonuses this order triggers.
    pub bonuses: Vec<(String, i64)>,
    pub total_points: i64,
    /// Store credit in minor units (0 without a cashback rule).
    pub cashback: i64,
}

/// The combined earn multiplier of a shopper and the parts it came from.
pub fn multiplier(program: &Program, shopper: &Shopper, now: Millis) -> Result<(Ratio, Vec<AppliedMultiplier>)> {
    multiplier_holding(program, shopper, shopper.membership_active(), now)
}

/// [`multiplier`] as if the shopper's active membership were `held`.
fn multiplier_holding(program: &Program, shopper: &Shopper, held: Option<&str>, now: Millis) -> Result<(Ratio, Vec<AppliedMultiplier>)> {
    const STEP: &str = "multiplier";
    let mut parts = Vec::new();
    if let Some(t) = tiers::current(program, shopper, now) {
        parts.push(AppliedMultiplier { source: "tier", id: t.id.clone(), value: t.multiplier });
    }
    if let (Some(m), Some(held)) = (&program.membership, held) {
        if m.id == held {
            parts.push(AppliedMultiplier { source: "membership", id: m.id.clone(), value: m.multiplier });
        }
    }
    let mut combined = Ratio::int(1);
    for (i, p) in parts.iter().enumerate() {
        let v = p.value.ratio();
        combined = match (i, program.multipliers.combine) {
            (0, _) => v,
            (_, Combine::Add) => combined.add(v, STEP)?.sub(Ratio::int(1), STEP)?,
            (_, Combine::Multiply) => combined.mul(v, STEP)?,
            (_, Combine::Highest) if v.cmp_value(combined).is_gt() => v,
            (_, Combine::Highest) => combined,
        };
    }
    // Adding two bonuses below 1 could go negative; never earn below zero.
    if combined.num < 0 {
        combined = Ratio::ZERO;
    }
    Ok((combined, parts))
}

pub fn preview<'a>(program: &Program, shopper: &Shopper, cart: &'a Cart, now: Millis) -> Result<Preview<'a>> {
    preview_holding(program, shopper, shopper.membership_active(), cart, now)
}

/// [`preview`] as if the shopper's active membership were `held` (the
/// membership what-if, `crate::membership`: one preview, not a copy of it).
pub fn preview_holding<'a>(program: &Program, shopper: &Shopper, held: Option<&str>, cart: &'a Cart, now: Millis) -> Result<Preview<'a>> {
    let e = &program.earning;
    let shares = cart.allocate_order_discount()?;
    let rate = Ratio::new(e.points_per_step as i128, e.step as i128, "earning rate")?;
    let mut lines = Vec::with_capacity(cart.lines.len());
    let mut qualifying_total = 0i64;
    let mut units = 0i64;
    for (line, share) in cart.lines.iter().zip(shares) {
        let net = money::sub(line.net(), share, "line net amount")?.max(0);
        // A line with no units buys nothing, whatever price it carries
        // (the punch card agrees: it stamps only units bought).
        let excluded = if line.quantity == 0 {
            Some(("quantity_zero", ""))
        } else if line.gift_card {
            Some(("gift_card", ""))
        } else {
            e.exclude.matches(line)
        };
        let qualifying = if excluded.is_some() { 0 } else { net };
        let points = Ratio::int(qualifying as i128).mul(rate, "line points")?;
        qualifying_total = money::add(qualifying_total, qualifying, "qualifying total")?;
        units = money::add(units, line.quantity, "units")?;
        lines.push(LinePoints { id: &line.id, net, qualifying, points, excluded });
    }
    // Σ qualifying × rate: the sum of the lines' points, in one product
    // (every line earns at the one rate; exact either way).
    let base = Ratio::int(qualifying_total as i128).mul(rate, "base points")?;
    let (mult, multipliers) = multiplier_holding(program, shopper, held, now)?;
    let exact = base.mul(mult, "points before rounding")?;
    let minimum_order_met = qualifying_total >= e.minimum_order;
    let mut earned = if minimum_order_met { exact.round_i64(e.rounding, "earning rounding")? } else { 0 };
    let capped = e.max_points_per_order.is_some_and(|max| earned > max);
    if let Some(max) = e.max_points_per_order {
        earned = earned.min(max);
    }
    let mut bonuses = Vec::new();
    if shopper.lifetime_orders == 0 && units > 0 {
        for a in program.actions.iter().filter(|a| a.kind == ActionKind::FirstOrder) {
            if actions::eligible(a, shopper, now).is_ok() {
                bonuses.push((a.id.clone(), a.points));
            }
        }
    }
    let mut total = earned;
    for (_, p) in &bonuses {
        total = money::add(total, *p, "total points")?;
    }
    let cashback = match &program.cashback {
        None => 0,
        Some(c) => Ratio::int(qualifying_total as i128)
            .mul(c.percent.ratio(), "cashback")?
            .mul(Ratio::new(1, 100, "cashback")?, "cashback")?
            .round_i64(c.rounding, "cashback rounding")?,
    };
    Ok(Preview {
        lines,
        qualifying_total,
        units,
        base_points: base,
        multipliers,
        multiplier: mult,
        points_before_rounding: exact,
        earned_points: earned,
        minimum_order_met,
        capped,
        bonuses,
        total_points: total,
        cashback,
    })
}

/// Points one product would earn this shopper, as a one-line cart.
/// `cart` holds that one line (the preview borrows it).
pub fn product_points<'a>(program: &Program, shopper: &Shopper, cart: &'a Cart, now: Millis) -> Result<Preview<'a>> {
    let mut p = preview(program, shopper, cart, now)?;
    // A product page shows purchase points only: no order-level bonus, and the
    // minimum order does not hide what the product contributes.
    p.bonuses.clear();
    if !p.minimum_order_met {
        let exact = p.points_before_rounding.round_i64(program.earning.rounding, "earning rounding")?;
        let max = program.earning.max_points_per_order;
        p.capped = max.is_some_and(|max| exact > max);
        p.earned_points = max.map_or(exact, |max| exact.min(max));
    }
    p.total_points = p.earned_points;
    Ok(p)
}

impl Preview<'_> {
    /// The answer's JSON text (`preview` and `product_points`).
    pub fn write(&self, program: &Program, o: &mut Out) {
        o.open().key("currency").str(program.currency().code()).key("lines").open_list();
        for l in &self.lines {
            o.open().key("id").str(l.id).key("net").int(l.net).key("qualifying").int(l.qualifying);
            o.key("points").str(&l.points.to_text()).key("excluded");
            match &l.excluded {
                Some((rule, value)) => o.open().key("rule").str(rule).key("value").str(value).close(),
                None => o.null(),
            };
            o.close();
        }
        o.close_list().key("qualifying_total").int(self.qualifying_total).key("units").int(self.units);
        o.key("base_points").str(&self.base_points.to_text()).key("multipliers").open_list();
        for m in &self.multipliers {
            o.open().key("source").str(m.source).key("id").str(&m.id).key("value").str(&m.value.to_text()).close();
        }
        o.close_list().key("multiplier").str(&self.multiplier.to_text());
        o.key("points_before_rounding").str(&self.points_before_rounding.to_text());
        o.key("rounding").str(program.earning.rounding.name()).key("minimum_order").int(program.earning.minimum_order);
        o.key("minimum_order_met").bool(self.minimum_order_met).key("capped").bool(self.capped);
        o.key("earned_points").int(self.earned_points).key("bonuses").open_list();
        for (id, p) in &self.bonuses {
            o.open().key("action").str(id).key("points").int(*p).close();
        }
        o.close_list().key("total_points").int(self.total_points).key("cashback").int(self.cashback).close();
    }
}

impl From<Error> for Json<'static> {
    fn from(e: Error) -> Json<'static> {
        e.to_json()
    }
}
