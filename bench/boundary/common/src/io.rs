//! What crosses the boundary for one preview, in every variant but JSON
//! text and typed calls: a `Call` (now, shopper, cart) in, an `Answer`
//! out. The serde variants derive these; `read_call`/`write_answer` are
//! the same bytes by hand. Both convert into the core's own types and run
//! the real `rewards_core::preview::preview`.

use crate::compiled::CDec;
use crate::wire::{R, W};
use crate::{MAX_LINES, MAX_MONEY, MAX_QUANTITY};
use alloc::string::String;
use alloc::vec::Vec;
use rewards_core::cart::{Cart, Line};
use rewards_core::config::Program;
use rewards_core::decimal::Ratio;
use rewards_core::preview::Preview;
use rewards_core::shopper::{HeldMembership, HeldTier, MembershipStatus, RewardedAction, Shopper};
use rewards_core::Error;

macro_rules! io {
    ($($item:item)*) => {$(
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        $item
    )*};
}

io! {
    pub struct LineIn {
        pub id: String, pub product_id: Option<String>, pub variant_id: Option<String>, pub sku: Option<String>,
        pub product_type: Option<String>, pub tags: Vec<String>, pub collections: Vec<String>,
        pub quantity: i64, pub line_price: i64, pub discount: i64, pub gift_card: bool,
    }
    pub struct CartIn { pub lines: Vec<LineIn>, pub discount: i64, pub shipping: i64 }
    pub struct HeldIn { pub id: String, pub at: i64 }
    pub struct MembershipIn { pub id: String, pub status: u8 }
    pub struct ShopperIn {
        pub member: bool, pub balance: i64, pub pending: i64, pub lifetime_orders: i64,
        pub period_spend: i64, pub period_points: i64, pub period_orders: i64,
        pub tier: Option<HeldIn>, pub membership: Option<MembershipIn>, pub stamps: i64,
        pub card_started: Option<i64>, pub last_activity: Option<i64>,
        pub rewarded_actions: Vec<HeldIn>, pub last_order_value: Option<i64>,
    }
    pub struct Call { pub now: i64, pub shopper: ShopperIn, pub cart: CartIn }

    pub struct RatioOut { pub num: i64, pub den: i64 }
    pub struct LineOut { pub id: String, pub net: i64, pub qualifying: i64, pub points: RatioOut, pub excluded: u8, pub excluded_value: String }
    pub struct MultOut { pub source: u8, pub id: String, pub value: CDec }
    pub struct BonusOut { pub action: String, pub points: i64 }
    pub struct PreviewOut {
        pub lines: Vec<LineOut>, pub qualifying_total: i64, pub units: i64, pub base_points: RatioOut,
        pub multipliers: Vec<MultOut>, pub multiplier: RatioOut, pub points_before_rounding: RatioOut,
        pub earned_points: i64, pub minimum_order_met: bool, pub capped: bool,
        pub bonuses: Vec<BonusOut>, pub total_points: i64, pub cashback: i64,
    }
    /// `error`: 0 ok, 1 invalid input, 2 arithmetic overflow.
    pub struct Answer { pub error: u8, pub preview: Option<PreviewOut> }
}

pub const INVALID: u8 = 1;
pub const OVERFLOW: u8 = 2;

/// Exclusion rules as codes (0: not excluded).
pub const RULES: &[&str] = &["", "quantity_zero", "gift_card", "product_id", "variant_id", "sku", "tag", "product_type", "collection"];

pub fn rule_code(rule: &str) -> u8 {
    RULES.iter().position(|r| *r == rule).unwrap_or(0) as u8
}

fn money(v: i64) -> Option<i64> {
    (0..=MAX_MONEY).contains(&v).then_some(v)
}
fn count(v: i64) -> Option<i64> {
    money(v)
}
fn text(s: String) -> Option<String> {
    (s.len() <= 255).then_some(s)
}
fn opt_text(s: Option<String>) -> Option<Option<String>> {
    match s {
        None => Some(None),
        Some(s) => text(s).map(Some),
    }
}

/// One cart line with the bounds the core's decoder checks.
pub fn line(l: LineIn) -> Option<Line> {
    Some(Line {
        id: text(l.id)?,
        product_id: opt_text(l.product_id)?,
        variant_id: opt_text(l.variant_id)?,
        sku: opt_text(l.sku)?,
        title: None,
        tags: l.tags,
        product_type: opt_text(l.product_type)?,
        collections: l.collections,
        quantity: (0..=MAX_QUANTITY).contains(&l.quantity).then_some(l.quantity)?,
        line_price: money(l.line_price)?,
        discount: money(l.discount)?,
        gift_card: l.gift_card,
    })
}

pub fn cart(c: CartIn) -> Option<Cart> {
    if c.lines.len() > MAX_LINES {
        return None;
    }
    let lines = c.lines.into_iter().map(line).collect::<Option<Vec<_>>>()?;
    Some(Cart { lines, order_discount: money(c.discount)?, shipping: money(c.shipping)? })
}

pub fn status(code: u8) -> Option<MembershipStatus> {
    [MembershipStatus::Trial, MembershipStatus::Active, MembershipStatus::Lapsed].get(code as usize).copied()
}

pub fn shopper(s: ShopperIn) -> Option<Shopper> {
    if !(-MAX_MONEY..=MAX_MONEY).contains(&s.balance) {
        return None;
    }
    Some(Shopper {
        member: s.member,
        // As `Engine` does: a negative balance spends nothing.
        balance: s.balance.max(0),
        pending: count(s.pending)?,
        lifetime_orders: count(s.lifetime_orders)?,
        period_spend: count(s.period_spend)?,
        period_points: count(s.period_points)?,
        period_orders: count(s.period_orders)?,
        tier: match s.tier {
            None => None,
            Some(t) => Some(HeldTier { id: text(t.id)?, since: t.at }),
        },
        membership: match s.membership {
            None => None,
            Some(m) => Some(HeldMembership { id: text(m.id)?, status: status(m.status)? }),
        },
        stamps: count(s.stamps)?,
        card_started: s.card_started,
        last_activity: s.last_activity,
        rewarded_actions: s.rewarded_actions.into_iter().map(|a| Some(RewardedAction { id: text(a.id)?, at: a.at })).collect::<Option<_>>()?,
        last_order_value: match s.last_order_value {
            None => None,
            Some(v) => Some(count(v)?),
        },
    })
}

pub fn ratio(r: Ratio) -> Option<RatioOut> {
    Some(RatioOut { num: i64::try_from(r.num).ok()?, den: i64::try_from(r.den).ok()? })
}

pub fn preview_out(p: Preview) -> Option<PreviewOut> {
    let mut lines = Vec::with_capacity(p.lines.len());
    for l in p.lines {
        let (excluded, excluded_value) = match l.excluded {
            None => (0, String::new()),
            Some((rule, value)) => (rule_code(rule), value),
        };
        lines.push(LineOut { id: l.id, net: l.net, qualifying: l.qualifying, points: ratio(l.points)?, excluded, excluded_value });
    }
    Some(PreviewOut {
        lines,
        qualifying_total: p.qualifying_total,
        units: p.units,
        base_points: ratio(p.base_points)?,
        multipliers: p
            .multipliers
            .into_iter()
            .map(|m| MultOut { source: (m.source != "tier") as u8, id: m.id, value: CDec { m: m.value.mantissa, s: m.value.scale } })
            .collect(),
        multiplier: ratio(p.multiplier)?,
        points_before_rounding: ratio(p.points_before_rounding)?,
        earned_points: p.earned_points,
        minimum_order_met: p.minimum_order_met,
        capped: p.capped,
        bonuses: p.bonuses.into_iter().map(|(action, points)| BonusOut { action, points }).collect(),
        total_points: p.total_points,
        cashback: p.cashback,
    })
}

/// One preview through the core: the answer for any call.
pub fn answer(program: &Program, call: Call) -> Answer {
    let (Some(s), Some(c)) = (shopper(call.shopper), cart(call.cart)) else {
        return Answer { error: INVALID, preview: None };
    };
    match rewards_core::preview::preview(program, &s, &c, call.now) {
        Ok(p) => match preview_out(p) {
            Some(p) => Answer { error: 0, preview: Some(p) },
            None => Answer { error: OVERFLOW, preview: None },
        },
        Err(Error::Overflow(_)) => Answer { error: OVERFLOW, preview: None },
        Err(Error::Invalid(_)) => Answer { error: INVALID, preview: None },
    }
}

// The same bytes by hand.

fn r_strs(r: &mut R) -> Option<Vec<String>> {
    r.vec(R::str)
}
fn r_held(r: &mut R) -> Option<HeldIn> {
    Some(HeldIn { id: r.str()?, at: r.i64()? })
}

pub fn read_call(bytes: &[u8]) -> Option<Call> {
    let r = &mut R::new(bytes);
    let now = r.i64()?;
    let shopper = ShopperIn {
        member: r.bool()?,
        balance: r.i64()?,
        pending: r.i64()?,
        lifetime_orders: r.i64()?,
        period_spend: r.i64()?,
        period_points: r.i64()?,
        period_orders: r.i64()?,
        tier: r.opt(r_held)?,
        membership: r.opt(|r| Some(MembershipIn { id: r.str()?, status: r.u8()? }))?,
        stamps: r.i64()?,
        card_started: r.opt(R::i64)?,
        last_activity: r.opt(R::i64)?,
        rewarded_actions: r.vec(r_held)?,
        last_order_value: r.opt(R::i64)?,
    };
    let cart = CartIn {
        lines: r.vec(|r| {
            Some(LineIn {
                id: r.str()?,
                product_id: r.opt(R::str)?,
                variant_id: r.opt(R::str)?,
                sku: r.opt(R::str)?,
                product_type: r.opt(R::str)?,
                tags: r_strs(r)?,
                collections: r_strs(r)?,
                quantity: r.i64()?,
                line_price: r.i64()?,
                discount: r.i64()?,
                gift_card: r.bool()?,
            })
        })?,
        discount: r.i64()?,
        shipping: r.i64()?,
    };
    r.done().then_some(Call { now, shopper, cart })
}

fn w_ratio(w: &mut W, r: &RatioOut) {
    w.i64(r.num);
    w.i64(r.den);
}

pub fn write_answer(a: &Answer) -> Vec<u8> {
    let w = &mut W::default();
    w.u8(a.error);
    w.opt(a.preview.as_ref(), |w, p| {
        w.uvar(p.lines.len() as u64);
        for l in &p.lines {
            w.str(&l.id);
            w.i64(l.net);
            w.i64(l.qualifying);
            w_ratio(w, &l.points);
            w.u8(l.excluded);
            w.str(&l.excluded_value);
        }
        w.i64(p.qualifying_total);
        w.i64(p.units);
        w_ratio(w, &p.base_points);
        w.uvar(p.multipliers.len() as u64);
        for m in &p.multipliers {
            w.u8(m.source);
            w.str(&m.id);
            w.i64(m.value.m);
            w.uvar(m.value.s as u64);
        }
        w_ratio(w, &p.multiplier);
        w_ratio(w, &p.points_before_rounding);
        w.i64(p.earned_points);
        w.bool(p.minimum_order_met);
        w.bool(p.capped);
        w.uvar(p.bonuses.len() as u64);
        for b in &p.bonuses {
            w.str(&b.action);
            w.i64(b.points);
        }
        w.i64(p.total_points);
        w.i64(p.cashback);
    });
    core::mem::take(&mut w.b)
}
