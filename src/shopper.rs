//! What the engine knows about one shopper, supplied by the caller (the
//! server's ledger, or a guest default in the widget).

use crate::decode::{Decoder, Path};
use crate::error::{Error, Result};
use crate::json::{int, obj, opt, s, Json};
use crate::prelude::*;
use crate::time::{format_instant, Millis};

const MAX: i64 = 1_000_000_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipStatus {
    Trial,
    Active,
    Lapsed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldMembership {
    pub id: String,
    pub status: MembershipStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldTier {
    pub id: String,
    /// When the shopper reached it.
    pub since: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewardedAction {
    pub id: String,
    pub at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shopper {
    pub member: bool,
    /// Spendable points.
    pub balance: i64,
    /// Points earned but not yet spendable.
    pub pending: i64,
    /// Orders ever placed (decides "first order").
    pub lifetime_orders: i64,
    /// Tier metric values inside the current tier period.
    pub period_spend: i64,
    pub period_points: i64,
    pub period_orders: i64,
    pub tier: Option<HeldTier>,
    pub membership: Option<HeldMembership>,
    pub stamps: i64,
    pub card_started: Option<Millis>,
    pub last_activity: Option<Millis>,
    pub rewarded_actions: Vec<RewardedAction>,
    /// Value of the shopper's last order (minor units), for segments.
    pub last_order_value: Option<i64>,
}

impl Shopper {
    /// The JSON form [`Shopper::from_json`] reads back to an equal shopper
    /// (the server sends it to the widget and to engine calls).
    pub fn to_json(&self) -> Json<'static> {
        let shopper = self;
        let instant = |t: i64| s(format_instant(t));
        let mut f = vec![
            ("member", Json::Bool(shopper.member)),
            ("balance", int(shopper.balance)),
            ("pending", int(shopper.pending)),
            ("lifetime_orders", int(shopper.lifetime_orders)),
            ("period_spend", int(shopper.period_spend)),
            ("period_points", int(shopper.period_points)),
            ("period_orders", int(shopper.period_orders)),
        ];
        if let Some(t) = &shopper.tier {
            f.push(("tier", obj(vec![("id", s(&*t.id)), ("since", instant(t.since))])));
        }
        if let Some(m) = &shopper.membership {
            let status = match m.status {
                MembershipStatus::Trial => "trial",
                MembershipStatus::Active => "active",
                MembershipStatus::Lapsed => "lapsed",
            };
            f.push(("membership", obj(vec![("id", s(&*m.id)), ("status", s(status))])));
        }
        f.push(("stamps", int(shopper.stamps)));
        f.push(("card_started", opt(shopper.card_started, instant)));
        f.push(("last_activity", opt(shopper.last_activity, instant)));
        f.push((
            "rewarded_actions",
            Json::Array(shopper.rewarded_actions.iter().map(|a| obj(vec![("id", s(&*a.id)), ("at", instant(a.at))])).collect()),
        ));
        f.push(("last_order_value", opt(shopper.last_order_value, int)));
        obj(f)
    }

    pub fn guest() -> Shopper {
        Shopper::default()
    }

    pub fn parse(text: &str) -> Result<Shopper> {
        let json = Json::parse(text).map_err(|m| Error::at("", m))?;
        Shopper::from_json(&json)
    }

    pub fn from_json(v: &Json) -> Result<Shopper> {
        let mut d = Decoder::default();
        let s = decode(&mut d, v);
        d.finish(s)
    }

    /// Whether the shopper's membership currently gives its benefits.
    pub fn membership_active(&self) -> Option<&str> {
        self.membership.as_ref().filter(|m| m.status != MembershipStatus::Lapsed).map(|m| m.id.as_str())
    }
}

fn decode(d: &mut Decoder, v: &Json) -> Option<Shopper> {
    let mut o = d.object(v, Path::Root)?;
    let count = |d: &mut Decoder, v: &Json, p: &Path| d.int(v, p, 0, MAX);
    let member = o.or(d, "member", false, Decoder::bool);
    let balance = o.or(d, "balance", 0, |d, v, p| d.int(v, p, -MAX, MAX));
    let pending = o.or(d, "pending", 0, count);
    let lifetime_orders = o.or(d, "lifetime_orders", 0, count);
    let period_spend = o.or(d, "period_spend", 0, count);
    let period_points = o.or(d, "period_points", 0, count);
    let period_orders = o.or(d, "period_orders", 0, count);
    let tier = o.opt(d, "tier", |d, v, p| {
        let mut o = d.object(v, *p)?;
        let id = o.req(d, "id", |d, v, p| d.text(v, p, 64));
        let since = o.req(d, "since", Decoder::instant);
        o.done(d);
        Some(HeldTier { id: id?, since: since? })
    });
    let membership = o.opt(d, "membership", |d, v, p| {
        let mut o = d.object(v, *p)?;
        let id = o.req(d, "id", |d, v, p| d.text(v, p, 64));
        let status = o.or(d, "status", MembershipStatus::Active, |d, v, p| {
            d.one_of(
                v,
                p,
                &[("trial", MembershipStatus::Trial), ("active", MembershipStatus::Active), ("lapsed", MembershipStatus::Lapsed)],
            )
        });
        o.done(d);
        Some(HeldMembership { id: id?, status: status? })
    });
    let stamps = o.or(d, "stamps", 0, count);
    let card_started = o.opt(d, "card_started", Decoder::instant);
    let last_activity = o.opt(d, "last_activity", Decoder::instant);
    let rewarded_actions = o.or(d, "rewarded_actions", Vec::new(), |d, v, p| {
        d.array(v, p, |d, v, p| {
            let mut o = d.object(v, *p)?;
            let id = o.req(d, "id", |d, v, p| d.text(v, p, 64));
            let at = o.req(d, "at", Decoder::instant);
            o.done(d);
            Some(RewardedAction { id: id?, at: at? })
        })
    });
    let last_order_value = o.opt(d, "last_order_value", count);
    // Profile fields the server's `GET /api/shopper` adds around the state:
    // known (so the state can be passed back as it came), not used here.
    for profile in ["shopper_id", "email", "name", "signed_up", "vouchers"] {
        let _ = o.raw(profile);
    }
    o.done(d);
    Some(Shopper {
        member: member?,
        balance: balance?,
        pending: pending?,
        lifetime_orders: lifetime_orders?,
        period_spend: period_spend?,
        period_points: period_points?,
        period_orders: period_orders?,
        tier: tier?,
        membership: membership?,
        stamps: stamps?,
        card_started: card_started?,
        last_activity: last_activity?,
        rewarded_actions: rewarded_actions?,
        last_order_value: last_order_value?,
    })
}
