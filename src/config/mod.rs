//! The program config: one versioned JSON document per store.
//!
//! `docs/config.md` explains every field; `docs/program.schema.json` is
//! generated from these types. Decoding checks types, ranges and the rules
//! that tie fields together, collecting every issue with its path.

use crate::prelude::*;
mod decode;
mod popup;

pub use popup::{Consent, FieldMode, Offer, Popup, Segment, Triggers};

use crate::decimal::{Decimal, Rounding};
use crate::error::Result;
use crate::json::Json;
use crate::money::Currency;

/// Merchant text overrides for one locale: (key, text) pairs.
pub type Overrides = Vec<(String, String)>;

/// The only config version this engine reads.
pub const VERSION: i64 = 1;

/// Text shown to shoppers: one string for every locale, or one per locale
/// (`{"vi": "…", "en": "…"}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(pub Vec<(String, String)>);

#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub version: i64,
    pub store: Store,
    pub earning: Earning,
    pub multipliers: MultiplierRule,
    pub actions: Vec<Action>,
    pub cashback: Option<Cashback>,
    pub tiers: Option<Tiers>,
    pub membership: Option<Membership>,
    pub punch_card: Option<PunchCard>,
    pub redemptions: Vec<Redemption>,
    pub lifecycle: Lifecycle,
    pub popup: Option<Popup>,
    /// Merchant overrides of widget strings, per locale: `{"vi": {"key": "…"}}`.
    pub texts: Vec<(String, Overrides)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Store {
    pub name: String,
    pub currency: Currency,
    pub default_locale: String,
    pub locales: Vec<String>,
}

/// Which cart lines count: used for earning exclusions and punch-card
/// eligibility. A line matches when any listed value matches.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selector {
    pub product_ids: Vec<String>,
    pub variant_ids: Vec<String>,
    pub skus: Vec<String>,
    pub tags: Vec<String>,
    pub product_types: Vec<String>,
    pub collections: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Earning {
    /// `points_per_step` points for every `step` minor units of qualifying spend.
    pub points_per_step: i64,
    pub step: i64,
    /// Applied once, to the order's exact points after multipliers.
    pub rounding: Rounding,
    /// Qualifying spend below this earns no purchase points (minor units).
    pub minimum_order: i64,
    pub max_points_per_order: Option<i64>,
    pub exclude: Selector,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Combine {
    /// 1 + (tier − 1) + (membership − 1): bonuses add up (the default).
    #[default]
    Add,
    /// tier × membership.
    Multiply,
    /// The larger of the two.
    Highest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MultiplierRule {
    pub combine: Combine,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    Signup,
    Birthday,
    Newsletter,
    SocialFollow,
    SocialShare,
    ReferralReferrer,
    ReferralFriend,
    ProductReview,
    FirstOrder,
}

impl ActionKind {
    pub const ALL: &'static [(&'static str, ActionKind)] = &[
        ("signup", ActionKind::Signup),
        ("birthday", ActionKind::Birthday),
        ("newsletter", ActionKind::Newsletter),
        ("social_follow", ActionKind::SocialFollow),
        ("social_share", ActionKind::SocialShare),
        ("referral_referrer", ActionKind::ReferralReferrer),
        ("referral_friend", ActionKind::ReferralFriend),
        ("product_review", ActionKind::ProductReview),
        ("first_order", ActionKind::FirstOrder),
    ];

    pub fn name(self) -> &'static str {
        ActionKind::ALL.iter().find(|(_, k)| *k == self).map_or("signup", |(n, _)| n)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Once,
    /// Once per calendar year (UTC).
    Yearly,
    EveryDays(i64),
    Unlimited,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub id: String,
    pub kind: ActionKind,
    pub points: i64,
    pub limit: Limit,
    pub name: Option<Text>,
    /// Link for social actions (the page to follow or share).
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cashback {
    /// Store credit as a percentage of qualifying spend, e.g. `2.5`.
    pub percent: Decimal,
    pub rounding: Rounding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Spend,
    Points,
    Orders,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Lifetime,
    CalendarYear,
    Rolling12Months,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    /// A tier reached is kept until the end of the following period; the
    /// shopper must qualify again within it or drop.
    Requalify,
    /// The tier always follows the current period's metric.
    Drop,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tiers {
    pub metric: Metric,
    pub period: Period,
    pub retention: Retention,
    pub levels: Vec<Tier>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    pub id: String,
    pub name: Text,
    /// In the metric's unit: minor units, points or orders.
    pub threshold: i64,
    pub multiplier: Decimal,
    pub perks: Vec<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billing {
    Monthly,
    Yearly,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub id: String,
    pub name: Text,
    pub fee: i64,
    pub billing: Billing,
    pub trial_days: i64,
    pub multiplier: Decimal,
    pub perks: Vec<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StampPer {
    Order,
    Item,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PunchCard {
    pub name: Text,
    pub stamps_required: i64,
    pub eligible: Selector,
    pub per: StampPer,
    pub max_stamps_per_order: Option<i64>,
    /// Smallest qualifying line amount (minor units) that earns a stamp.
    pub minimum_line_amount: i64,
    pub reward: PunchReward,
    pub carry_over: bool,
    /// Stamps on an unfinished card lapse this many days after its first stamp.
    pub expiry_days: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PunchReward {
    pub description: Text,
    /// The reward's value in minor units (a free coffee worth 45,000 ₫).
    pub value: i64,
    pub product_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RedemptionKind {
    /// `value` minor units off for every `points`; see [`Redemption`].
    AmountOff {
        value: i64,
    },
    PercentOff {
        percent: Decimal,
    },
    FreeShipping,
    FreeProduct {
        product_id: String,
        value: i64,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Redemption {
    pub id: String,
    pub name: Text,
    pub kind: RedemptionKind,
    /// Points per unit of reward (per `value` for amount-off).
    pub points: i64,
    /// Amount-off ranges: spend between `min_points` and `max_points` in
    /// steps of `increment`. For other kinds all three equal `points`.
    pub min_points: i64,
    pub max_points: i64,
    pub increment: i64,
    /// Cart subtotal (minor units) required before this can be used.
    pub min_cart: i64,
    /// Largest discount one order may take from this option (minor units).
    pub max_discount: Option<i64>,
    pub members_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lifecycle {
    pub pending_days: i64,
    pub expiry_months_inactive: Option<i64>,
}

impl Program {
    /// Parses and validates a program config from JSON text.
    pub fn parse(text: &str) -> Result<Program> {
        let json = Json::parse(text).map_err(|m| crate::error::Error::at("", m))?;
        Program::from_json(&json)
    }

    pub fn from_json(json: &Json) -> Result<Program> {
        decode::program(json)
    }

    pub fn currency(&self) -> Currency {
        self.store.currency
    }

    pub fn tier(&self, id: &str) -> Option<(usize, &Tier)> {
        self.tiers.as_ref()?.levels.iter().enumerate().find(|(_, t)| t.id == id)
    }
}

impl Selector {
    pub fn is_empty(&self) -> bool {
        self.product_ids.is_empty()
            && self.variant_ids.is_empty()
            && self.skus.is_empty()
            && self.tags.is_empty()
            && self.product_types.is_empty()
            && self.collections.is_empty()
    }

    /// The first rule that matches the line, as (rule name, matched value).
    pub fn matches(&self, line: &crate::cart::Line) -> Option<(&'static str, String)> {
        let hit =
            |rule: &'static str, list: &[String], v: &Option<String>| v.as_ref().filter(|v| list.contains(v)).map(|v| (rule, v.clone()));
        let any = |rule: &'static str, list: &[String], vs: &[String]| vs.iter().find(|v| list.contains(v)).map(|v| (rule, v.clone()));
        hit("product_id", &self.product_ids, &line.product_id)
            .or_else(|| hit("variant_id", &self.variant_ids, &line.variant_id))
            .or_else(|| hit("sku", &self.skus, &line.sku))
            .or_else(|| any("tag", &self.tags, &line.tags))
            .or_else(|| hit("product_type", &self.product_types, &line.product_type))
            .or_else(|| any("collection", &self.collections, &line.collections))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_language_texts_must_include_the_default_locale() {
        let config = r#"{"version":1,"store":{"name":"S","currency":"VND","default_locale":"vi","locales":["vi","en"]},
            "earning":{"points_per_step":1,"step":10000},
            "actions":[{"kind":"signup","points":5,"name":{"en":"Join"}},{"kind":"birthday","points":5,"name":{"vi":"Sinh nhật"}}]}"#;
        let err = Program::parse(config).unwrap_err();
        assert_eq!(err.to_string(), "actions[0].name: must include the default locale \"vi\"");
    }
}
