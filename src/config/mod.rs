//! The program config: one versioned JSON document per store.
//!
//! `docs/config.md` explains every field; `docs/program.schema.json` is
//! generated from these types, and they are what `crate::validate` reads a
//! document into (natively: schema, serde, rules between fields, every
//! issue with its path). The browser gets the validated program published
//! (`crate::publish`) and reads it with [`Program::from_wire`].

use crate::prelude::*;
use alloc::borrow::Cow;
mod popup;
mod referral;
#[cfg(feature = "serde")]
mod serde_impls;
mod wire;

pub use popup::{Consent, FieldMode, Offer, Offers, Popup, Segment, Triggers};
pub use referral::{Birthday, FriendRewardOn, Referral, ReferrerCap};

use crate::decimal::{Decimal, Rounding};
use crate::error::Result;
#[cfg(feature = "serde")]
use crate::json::Json;
use crate::money::Currency;

#[cfg(feature = "serde")]
use serde::Deserialize;

/// Merchant text overrides for one locale: (key, text) pairs.
pub type Overrides = Vec<(String, String)>;

/// The only config version this engine reads.
pub const VERSION: i64 = 1;

/// Upper bound for money amounts and points in a config: 10^15 keeps every
/// product with a rate and a multiplier far inside `i128`.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// Text shown to shoppers: one string for every locale, or one per locale
/// (`{"vi": "…", "en": "…"}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(pub Vec<(String, String)>);

/// # Rewards program config
///
/// One JSON document per store: how shoppers earn and spend points, tiers,
/// paid membership, punch card, bonus actions and the signup popup. Money is
/// always an integer in the store currency's minor units (VND: đồng, USD:
/// cents, KWD: fils). Unknown fields are errors. Reference: docs/config.md.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Program {
    /// Config format version. This engine reads version 1 only.
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::version"))]
    pub version: i64,
    pub store: Store,
    pub earning: Earning,
    /// How a tier multiplier and a membership multiplier combine when a
    /// shopper has both.
    #[cfg_attr(feature = "serde", serde(default))]
    pub multipliers: MultiplierRule,
    /// Bonus points for actions (signup, birthday, reviews, …). Ids must be
    /// unique; an action's id defaults to its kind, so a second action of
    /// the same kind needs its own `id`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub actions: Vec<Action>,
    /// Store credit as a percentage of qualifying spend. Absent: no cashback.
    pub cashback: Option<Cashback>,
    /// VIP tiers. Absent: no tiers.
    pub tiers: Option<Tiers>,
    /// A paid membership (one plan). Absent: no membership; then no
    /// redemption may be `members_only`.
    pub membership: Option<Membership>,
    /// A stamp card. Absent: no punch card.
    pub punch_card: Option<PunchCard>,
    /// What points can be spent on. Ids must be unique.
    #[cfg_attr(feature = "serde", serde(default))]
    pub redemptions: Vec<Redemption>,
    /// When earned points become spendable and when they expire. Default:
    /// spendable at once, never expire.
    #[cfg_attr(feature = "serde", serde(default))]
    pub lifecycle: Lifecycle,
    /// The signup popup and its per-segment offers. Absent: no popup.
    pub popup: Option<Popup>,
    /// Refer a friend. Absent: no referral program (the referral actions
    /// are then only credited by the merchant's action webhook).
    pub referral: Option<Referral>,
    /// When the `birthday` action is credited. Default: 30 days' notice.
    #[cfg_attr(feature = "serde", serde(default))]
    pub birthday: Birthday,
    /// Replacements for the widget's built-in strings, per locale:
    /// `{"vi": {"launcher": "Ưu đãi"}}`. Every locale here must be listed in
    /// `store.locales`. Keys are the widget's string names.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "serde_impls::texts"))]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::text_overrides"))]
    pub texts: Vec<(String, Overrides)>,
}

/// The store: its name, currency, languages and time zone.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Store {
    /// The store's name as shoppers know it.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 200), regex(pattern = r"\S")))]
    pub name: String,
    pub currency: Currency,
    /// The language the widget falls back to when a shopper's language is
    /// not in `locales`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Locale"))]
    pub default_locale: String,
    /// Languages the widget may show; must include `default_locale`.
    /// Default: `[default_locale]`.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::schema::Locale>"))]
    pub locales: Vec<String>,
    /// The store's time zone, an IANA name such as "Asia/Ho_Chi_Minh" or
    /// "America/New_York": the calendar birthday rewards follow. Default: "UTC".
    #[cfg_attr(feature = "serde", serde(default = "serde_impls::utc"))]
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 64)))]
    pub time_zone: String,
    /// The store's own sign-in page (http or https). The popup offers it
    /// to someone who signs up with an address the program already knows,
    /// and the explainer to a browser that signed up without a token: the
    /// points show once the store signs them in. Absent: the widget only
    /// says to sign in to the store.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 2000), regex(pattern = r"^https?://")))]
    pub sign_in_url: Option<String>,
}

/// Which cart lines a rule applies to. A line matches when any listed value
/// equals its product id, variant id, SKU, one of its tags, its product
/// type or one of its collections (exact, case-sensitive). Empty lists
/// match nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Selector {
    /// Product ids, as the platform sends them in cart lines.
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::schema::Label>"))]
    pub product_ids: Vec<String>,
    /// Variant ids.
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::schema::Label>"))]
    pub variant_ids: Vec<String>,
    /// SKUs.
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::schema::Label>"))]
    pub skus: Vec<String>,
    /// Product tags.
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::schema::Label>"))]
    pub tags: Vec<String>,
    /// Product types.
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::schema::Label>"))]
    pub product_types: Vec<String>,
    /// Collection handles or ids.
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::schema::Label>"))]
    pub collections: Vec<String>,
}

/// How purchases earn points: `points_per_step` points for every `step`
/// minor units of qualifying spend, computed exactly and rounded once per
/// order. Qualifying spend is the line amounts after line and order
/// discounts, without shipping, tax, gift cards and excluded lines.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Earning {
    /// Points for every `step` of qualifying spend. 0 turns purchase points off.
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 1_000_000)))]
    pub points_per_step: i64,
    /// The spend (minor units) that earns `points_per_step`: 10000 for "1 point
    /// per 10,000 ₫", 100 for "per $1". Partial steps earn exact fractions
    /// until the one rounding step.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = "MAX_AMOUNT")))]
    pub step: i64,
    /// How the order's exact points (after multipliers) become an integer.
    #[cfg_attr(feature = "serde", serde(default))]
    pub rounding: Rounding,
    /// Qualifying spend (minor units) an order needs before it earns
    /// purchase points. Bonuses and cashback are not affected.
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = "MAX_AMOUNT")))]
    pub minimum_order: i64,
    /// Most purchase points one order earns (after multipliers and
    /// rounding, before bonuses). Absent: no cap.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = "MAX_AMOUNT")))]
    pub max_points_per_order: Option<i64>,
    /// Lines that never earn (gift cards never earn in any case). Default: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub exclude: Selector,
}

/// How a tier multiplier `t` and a membership multiplier `m` combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Deserialize, serde::Serialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Combine {
    /// The bonuses add up: 1 + (t − 1) + (m − 1). 1.25 and 2 give 2.25.
    #[default]
    Add,
    /// t × m. 1.25 and 2 give 2.5.
    Multiply,
    /// The larger of t and m. 1.25 and 2 give 2.
    Highest,
}

/// How multipliers combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MultiplierRule {
    /// The rule for a shopper with both a tier and an active membership.
    #[cfg_attr(feature = "serde", serde(default))]
    pub combine: Combine,
}

/// What the shopper does to earn the bonus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ActionKind {
    /// Creating an account (joining the program).
    Signup,
    /// The shopper's birthday.
    Birthday,
    /// Subscribing to the newsletter.
    Newsletter,
    /// Following the store on a social network (`url`).
    SocialFollow,
    /// Sharing a product or the store.
    SocialShare,
    /// A friend the shopper referred placed an order (for the referrer).
    ReferralReferrer,
    /// Joining through a friend's referral (for the friend).
    ReferralFriend,
    /// Writing a product review.
    ProductReview,
    /// The shopper's first order: added to that order's preview, on top of
    /// purchase points, never multiplied or capped.
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

    /// The limit an action of this kind has when the config names none.
    pub fn default_limit(self) -> Limit {
        match self {
            ActionKind::Birthday => Limit::Yearly,
            ActionKind::ReferralReferrer | ActionKind::ProductReview | ActionKind::SocialShare => Limit::Unlimited,
            _ => Limit::Once,
        }
    }

    /// Signup, first-order and friend-referral bonuses can only be "once".
    pub fn once_only(self) -> bool {
        matches!(self, ActionKind::Signup | ActionKind::FirstOrder | ActionKind::ReferralFriend)
    }
}

/// How often one shopper can be rewarded for an action: "once" (ever),
/// "yearly" (once per calendar year, UTC), "unlimited", or
/// `{"every_days": n}` (again n days after the last reward).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Once,
    /// Once per calendar year (UTC).
    Yearly,
    EveryDays(i64),
    Unlimited,
}

/// A bonus-points action.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Action {
    pub kind: ActionKind,
    /// Unique id of this action (used to record that a shopper was
    /// rewarded). Default: the kind's name.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "String::is_empty"))]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    /// Points awarded each time the action is rewarded.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = "MAX_AMOUNT")))]
    pub points: i64,
    /// How often one shopper can be rewarded. Default: "yearly" for
    /// birthday; "unlimited" for referral_referrer, product_review and
    /// social_share; "once" otherwise. signup, first_order and
    /// referral_friend can only be "once".
    #[cfg_attr(feature = "serde", serde(default = "serde_impls::no_limit"))]
    #[cfg_attr(feature = "schema", schemars(with = "Limit"))]
    pub limit: Limit,
    /// Label in the widget. Default: the widget's text for the kind.
    pub name: Option<Text>,
    /// For social actions: the page to follow or share (http or https).
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 2000), regex(pattern = r"^https?://")))]
    pub url: Option<String>,
}

/// Store credit as a percentage of qualifying spend, in minor units. Not
/// multiplied by tiers or membership; not subject to `minimum_order`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Cashback {
    /// Store credit as a percentage of qualifying spend: "2.5" is 2.5 %.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Percent"))]
    pub percent: Decimal,
    /// How the credit becomes whole minor units.
    #[cfg_attr(feature = "serde", serde(default))]
    pub rounding: Rounding,
}

/// What tier thresholds count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Metric {
    /// Qualifying spend, minor units.
    Spend,
    /// Points earned (purchase points and bonuses).
    Points,
    /// Orders placed.
    Orders,
}

impl Metric {
    /// The metric's name in the document (`"spend"`, `"points"`, `"orders"`).
    pub fn name(self) -> &'static str {
        match self {
            Metric::Spend => "spend",
            Metric::Points => "points",
            Metric::Orders => "orders",
        }
    }
}

/// The window the metric is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Deserialize, serde::Serialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Period {
    /// Since the shopper joined.
    #[default]
    Lifetime,
    /// 1 January to 31 December (UTC).
    CalendarYear,
    /// The last 12 months up to now.
    #[cfg_attr(feature = "serde", serde(rename = "rolling_12_months"))]
    Rolling12Months,
}

/// What happens to a tier when the period's metric falls below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Deserialize, serde::Serialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Retention {
    /// A tier reached is kept until the end of the following period (calendar
    /// year: through the next year; rolling 12 months: 12 months after
    /// reaching it); the shopper must qualify again within it or drop.
    #[default]
    Requalify,
    /// The tier always follows the current period's metric.
    Drop,
}

/// VIP tiers: a shopper's tier is the highest level whose threshold the
/// metric reaches within the period (or a tier still held under `retention`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Tiers {
    pub metric: Metric,
    #[cfg_attr(feature = "serde", serde(default))]
    pub period: Period,
    #[cfg_attr(feature = "serde", serde(default))]
    pub retention: Retention,
    /// The tiers from lowest to highest; each threshold must be greater than
    /// the one before. Shoppers below the first threshold have no tier.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub levels: Vec<Tier>,
}

/// One tier.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Tier {
    /// Unique among the levels; the shopper state refers to it.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    pub name: Text,
    /// The metric value that reaches this tier: minor units for spend,
    /// points, or a number of orders.
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = "MAX_AMOUNT")))]
    pub threshold: i64,
    /// Earn multiplier for shoppers in this tier. Default: "1".
    #[cfg_attr(feature = "serde", serde(default = "serde_impls::one"))]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Multiplier"))]
    pub multiplier: Decimal,
    /// Benefits listed in the widget (text only; the engine applies only
    /// the multiplier).
    #[cfg_attr(feature = "serde", serde(default))]
    pub perks: Vec<Text>,
}

/// How often the membership fee is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Billing {
    Monthly,
    Yearly,
}

/// A paid membership plan. Shoppers whose membership is active or in trial
/// get its multiplier and its members-only redemptions.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Membership {
    /// The plan's id, as the shopper state refers to it.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    pub name: Text,
    /// Price per billing period, minor units (shown; billing is the store's).
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = "MAX_AMOUNT")))]
    pub fee: i64,
    pub billing: Billing,
    /// Free-trial days before the first charge.
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 366)))]
    pub trial_days: i64,
    /// Earn multiplier while the membership is active or in trial. Default: "1".
    #[cfg_attr(feature = "serde", serde(default = "serde_impls::one"))]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Multiplier"))]
    pub multiplier: Decimal,
    /// Benefits listed in the widget.
    #[cfg_attr(feature = "serde", serde(default))]
    pub perks: Vec<Text>,
    /// The store's page where a shopper joins the membership (http or
    /// https). The checkout prompt links to it under "With … this order
    /// earns N points instead of M", and a popup offer with `membership`
    /// sends its button there. Absent: the widget shows the what-if
    /// without a link, and no popup offer may be the membership.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 2000), regex(pattern = r"^https?://")))]
    pub join_url: Option<String>,
}

/// Whether stamps count orders or items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Deserialize, serde::Serialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum StampPer {
    /// One stamp for an order with at least one eligible line.
    #[default]
    Order,
    /// One stamp per eligible unit (quantity).
    Item,
}

/// A stamp card: eligible purchases earn stamps; a full card earns the reward.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PunchCard {
    pub name: Text,
    /// Stamps that fill the card.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 1000)))]
    pub stamps_required: i64,
    /// Lines that earn stamps. Default (absent or empty): every line except gift cards.
    #[cfg_attr(feature = "serde", serde(default))]
    pub eligible: Selector,
    #[cfg_attr(feature = "serde", serde(default))]
    pub per: StampPer,
    /// Most stamps one order earns. Absent: no cap.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 1000)))]
    pub max_stamps_per_order: Option<i64>,
    /// Smallest line amount (minor units, after line discount and its share
    /// of the order discount) that earns stamps.
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = "MAX_AMOUNT")))]
    pub minimum_line_amount: i64,
    pub reward: PunchReward,
    /// true: stamps beyond a full card start the next card (an order can
    /// complete several). false: a full card completes once and extra
    /// stamps are dropped.
    #[cfg_attr(feature = "serde", serde(default = "serde_impls::yes"))]
    pub carry_over: bool,
    /// Stamps on an unfinished card lapse this many days after the card's
    /// first stamp. Absent: stamps never lapse.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 36_500)))]
    pub expiry_days: Option<i64>,
}

/// What a full card earns.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PunchReward {
    pub description: Text,
    /// The reward's value in minor units (a free coffee worth 45000 ₫).
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = "MAX_AMOUNT")))]
    pub value: i64,
    /// The free product, if the reward is one.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Label>"))]
    pub product_id: Option<String>,
}

/// What the points buy; each kind has its own fields.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(tag = "kind", rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum RedemptionKind {
    /// `value` minor units off for every `points` points, spendable in
    /// steps of `increment` between `min_points` and `max_points`.
    AmountOff {
        /// Minor units off for every `points` points.
        #[cfg_attr(feature = "schema", schemars(range(min = 1, max = "MAX_AMOUNT")))]
        value: i64,
    },
    /// `percent` off the cart subtotal (rounded down to a minor unit) for
    /// `points` points.
    PercentOff {
        /// Percent off the cart subtotal.
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Percent"))]
        percent: Decimal,
    },
    /// The cart's shipping for `points` points.
    FreeShipping,
    /// A product worth `value` for `points` points.
    FreeProduct {
        /// The product given.
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Label"))]
        product_id: String,
        /// The product's value in minor units (the discount it gives).
        #[cfg_attr(feature = "schema", schemars(range(min = 0, max = "MAX_AMOUNT")))]
        value: i64,
    },
}

impl RedemptionKind {
    /// The kind's name in the document (`"amount_off"`, …), as the engine's answers and the server's vouchers say it.
    pub fn name(&self) -> &'static str {
        match self {
            RedemptionKind::AmountOff { .. } => "amount_off",
            RedemptionKind::PercentOff { .. } => "percent_off",
            RedemptionKind::FreeShipping => "free_shipping",
            RedemptionKind::FreeProduct { .. } => "free_product",
        }
    }
}

/// A way to spend points, chosen by `kind`. Every discount is capped by the
/// cart subtotal (free shipping: by the shipping) and by `max_discount`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Redemption {
    /// Unique among the redemptions.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    pub name: Text,
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub kind: RedemptionKind,
    /// Points the reward costs (for amount_off: per `value`).
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = "MAX_AMOUNT")))]
    pub points: i64,
    /// amount_off only: fewest points one redemption spends. Default:
    /// `points`. At least `points`, and a multiple of `increment`.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "serde_impls::is_zero"))]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = "MAX_AMOUNT")))]
    pub min_points: i64,
    /// amount_off only: most points one redemption spends. Default:
    /// `min_points`. At least `min_points`, and a multiple of `increment`.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "serde_impls::is_zero"))]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = "MAX_AMOUNT")))]
    pub max_points: i64,
    /// amount_off only: step between allowed point amounts. Default:
    /// `points`. A multiple of `points`, so every step buys whole value.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "serde_impls::is_zero"))]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = "MAX_AMOUNT")))]
    pub increment: i64,
    /// Cart subtotal (minor units, after discounts) needed before this
    /// option can be used.
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = "MAX_AMOUNT")))]
    pub min_cart: i64,
    /// Largest discount one order may take from this option (minor units).
    /// Absent: no cap beyond the cart.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = "MAX_AMOUNT")))]
    pub max_discount: Option<i64>,
    /// Only for shoppers with an active (or trial) membership; needs the
    /// `membership` section.
    #[cfg_attr(feature = "serde", serde(default))]
    pub members_only: bool,
}

/// Points lifecycle. Applied by the server's ledger; the widget shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Lifecycle {
    /// Days after an order before its points become spendable (returns
    /// window). 0: at once.
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 365)))]
    pub pending_days: i64,
    /// Points expire after this many calendar months without activity
    /// (earning or spending). Absent: points never expire.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 120)))]
    pub expiry_months_inactive: Option<i64>,
}

impl Program {
    /// Parses and validates a program config from JSON text
    /// ([`crate::validate::program`]: every issue, with its path).
    #[cfg(feature = "schema")]
    pub fn parse(text: &str) -> Result<Program> {
        crate::validate::program(text)
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
    pub fn matches<'l>(&self, line: &'l crate::cart::Line) -> Option<(&'static str, &'l str)> {
        let has = |list: &[String], v: &str| list.iter().any(|x| x == v);
        let hit =
            |rule: &'static str, list: &[String], v: &'l Option<Cow<'_, str>>| v.as_deref().filter(|v| has(list, v)).map(|v| (rule, v));
        let any =
            |rule: &'static str, list: &[String], vs: &'l [Cow<'_, str>]| vs.iter().map(|v| &**v).find(|v| has(list, v)).map(|v| (rule, v));
        hit("product_id", &self.product_ids, &line.product_id)
            .or_else(|| hit("variant_id", &self.variant_ids, &line.variant_id))
            .or_else(|| hit("sku", &self.skus, &line.sku))
            .or_else(|| any("tag", &self.tags, &line.tags))
            .or_else(|| hit("product_type", &self.product_types, &line.product_type))
            .or_else(|| any("collection", &self.collections, &line.collections))
    }
}

#[cfg(all(test, feature = "schema"))]
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
