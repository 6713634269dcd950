//! What the engine knows about one shopper, supplied by the caller (the
//! server's ledger, or a guest default in the widget).

use crate::error::{Error, Result};
use crate::json::{int, obj, opt, s, Json};
use crate::prelude::*;
use crate::time::{format_instant, Millis};

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
        let bytes = crate::input::encode::json_value("shopper", v)?;
        Shopper::from_bytes(&bytes)
    }

    /// A shopper from their bytes (`crate::input`: what the wasm reads).
    pub fn from_bytes(bytes: &[u8]) -> Result<Shopper> {
        let mut r = crate::input::read::Reader::new(bytes);
        let s = crate::input::shopper(&mut r);
        r.finish(s)
    }

    /// Whether the shopper's membership currently gives its benefits.
    pub fn membership_active(&self) -> Option<&str> {
        self.membership.as_ref().filter(|m| m.status != MembershipStatus::Lapsed).map(|m| m.id.as_str())
    }
}
