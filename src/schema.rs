//! JSON Schema of the program config (`docs/program.schema.json`).
//!
//! The decoder in `config/decode.rs` is hand-written because it reports
//! every problem with its path, which serde cannot. So the schema comes from
//! the *mirror types* below: they have the shape of the JSON document
//! (field names, optional or required, defaults, ranges) and no behaviour.
//! Their doc comments become the schema's descriptions, so editors show
//! them as reference docs. `tests/schema.rs` holds them against the decoder
//! (every documented field accepted, every range, enum and required field
//! the same), so the two cannot drift apart unnoticed.
//!
//! Cross-field rules a schema cannot express (ids unique, thresholds
//! ascending, `locales` including `default_locale`, redemption ranges) are
//! checked by the decoder only and described in `docs/config.md`.

use std::prelude::rust_2021::*;
use std::vec;
mod popup;
mod values;

pub use popup::{Consent, FieldMode, Offer, Offers, Popup, Triggers, SEGMENTS};
pub use values::{known_currencies, CurrencyCode, Id, Label, Locale, Multiplier, Percent, Text, TextOverrides};

use schemars::gen::{SchemaGenerator, SchemaSettings};
use schemars::schema::{InstanceType, RootSchema, Schema};
use schemars::JsonSchema;
use serde::Serialize;
use values::{array_contains, const_schema, enum_schema, if_then, object, typed};

/// Largest money amount or points value a config may hold (10^15); see
/// `MAX_AMOUNT` in `config/decode.rs`.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// The program config's JSON Schema (draft 7).
pub fn program_schema() -> RootSchema {
    let generator = SchemaGenerator::new(SchemaSettings::draft07());
    let mut root = generator.into_root_schema_for::<Program>();
    // `#[serde(flatten)]` loses `deny_unknown_fields`: close each redemption kind by hand.
    if let Some(Schema::Object(redemption)) = root.definitions.get_mut("Redemption") {
        for kind in redemption.subschemas().one_of.iter_mut().flatten() {
            if let Schema::Object(kind) = kind {
                kind.object().additional_properties = Some(Box::new(false.into()));
            }
        }
    }
    // A members-only redemption needs the membership section.
    let members_only = object(|o| {
        o.properties.insert("members_only".into(), const_schema(true.into()));
        o.required.insert("members_only".into());
    });
    let has_members_only = object(|o| {
        o.properties.insert("redemptions".into(), array_contains(members_only));
        o.required.insert("redemptions".into());
    });
    let membership_present = object(|o| {
        o.properties.insert("membership".into(), typed(InstanceType::Object));
        o.required.insert("membership".into());
    });
    if_then(&mut root.schema, has_members_only, membership_present);
    // Signup, first-order and friend-referral bonuses can only be "once".
    if let Some(Schema::Object(action)) = root.definitions.get_mut("Action") {
        let once_only_kind = object(|o| {
            let kinds = ["signup", "first_order", "referral_friend"].map(|k| k.into()).to_vec();
            o.properties.insert("kind".into(), enum_schema(kinds));
            o.required.insert("kind".into());
        });
        let limit_once = object(|o| {
            o.properties.insert("limit".into(), enum_schema(vec!["once".into(), serde_json::Value::Null]));
        });
        if_then(action, once_only_kind, limit_once);
    }
    root
}

/// [`program_schema`] as pretty JSON text, the content of `docs/program.schema.json`.
pub fn program_schema_json() -> String {
    let mut value = serde_json::to_value(program_schema()).unwrap_or_default();
    tidy(&mut value);
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// Tidies schemars' output: bounds are stored as `f64`, so `1e15` and `0.0`
/// print as the integers they are; `"format": "int64"` (noise for a JSON
/// document, validators ignore it) is dropped.
fn tidy(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|f| n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15) {
                *n = (f as i64).into();
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(tidy),
        serde_json::Value::Object(o) => {
            if o.get("format").and_then(|f| f.as_str()) == Some("int64") {
                o.remove("format");
            }
            o.values_mut().for_each(tidy)
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------

/// # Rewards program config
///
/// One JSON document per store: how shoppers earn and spend points, tiers,
/// paid membership, punch card, bonus actions and the signup popup. Money is
/// always an integer in the store currency's minor units (VND: đồng, USD:
/// cents, KWD: fils). Unknown fields are errors. Reference: docs/config.md.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Program {
    /// Optional: the URL or path of this JSON Schema, for editors. The
    /// engine ignores it.
    #[serde(rename = "$schema")]
    pub schema: Option<String>,
    /// Config format version. This engine reads version 1 only.
    #[schemars(schema_with = "values::version_schema")]
    pub version: i64,
    pub store: Store,
    pub earning: Earning,
    /// How a tier multiplier and a membership multiplier combine when a
    /// shopper has both. Default: `{"combine": "add"}`.
    pub multipliers: Option<Multipliers>,
    /// Bonus points for actions (signup, birthday, reviews, …). Ids must be
    /// unique; an action's id defaults to its kind, so a second action of
    /// the same kind needs its own `id`.
    #[serde(default = "default::empty_actions")]
    pub actions: Option<Vec<Action>>,
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
    #[serde(default = "default::empty_redemptions")]
    pub redemptions: Option<Vec<Redemption>>,
    /// When earned points become spendable and when they expire. Default:
    /// spendable at once, never expire.
    pub lifecycle: Option<Lifecycle>,
    /// The signup popup and its per-segment offers. Absent: no popup.
    pub popup: Option<Popup>,
    /// Replacements for the widget's built-in strings, per locale. Every
    /// locale here must be listed in `store.locales`.
    pub texts: Option<TextOverrides>,
}

/// The store: its name, currency and languages.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Store {
    /// The store's name as shoppers know it.
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub name: String,
    pub currency: CurrencyCode,
    /// The language used when a shopper's language is not in `locales`.
    pub default_locale: Locale,
    /// Languages the widget may show; must include `default_locale`.
    /// Default: `[default_locale]`.
    pub locales: Option<Vec<Locale>>,
}

/// How purchases earn points: `points_per_step` points for every `step`
/// minor units of qualifying spend, computed exactly and rounded once per
/// order. Qualifying spend is the line amounts after line and order
/// discounts, without shipping, tax, gift cards and excluded lines.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Earning {
    /// Points for every `step` of qualifying spend. 0 turns purchase points off.
    #[schemars(range(min = 0, max = 1_000_000))]
    pub points_per_step: i64,
    /// The spend (minor units) that earns `points_per_step`: 10000 for "1 point
    /// per 10,000 ₫", 100 for "per $1". Partial steps earn exact fractions
    /// until the one rounding step.
    #[schemars(range(min = 1, max = "MAX_AMOUNT"))]
    pub step: i64,
    /// How the order's exact points (after multipliers) become an integer.
    #[serde(default = "default::floor")]
    pub rounding: Option<Rounding>,
    /// Qualifying spend (minor units) an order needs before it earns
    /// purchase points. Bonuses and cashback are not affected.
    #[serde(default = "default::zero")]
    #[schemars(range(min = 0, max = "MAX_AMOUNT"))]
    pub minimum_order: Option<i64>,
    /// Most purchase points one order earns (after multipliers and
    /// rounding, before bonuses). Absent: no cap.
    #[schemars(range(min = 1, max = "MAX_AMOUNT"))]
    pub max_points_per_order: Option<i64>,
    /// Lines that never earn (gift cards never earn in any case). Default: none.
    pub exclude: Option<Selector>,
}

/// Which cart lines a rule applies to. A line matches when any listed value
/// matches its product id, variant id, SKU, one of its tags, its product
/// type or one of its collections (exact, case-sensitive). Empty lists
/// match nothing.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Selector {
    /// Product ids, as the platform sends them in cart lines.
    #[serde(default = "default::no_strings")]
    pub product_ids: Option<Vec<Label>>,
    /// Variant ids.
    #[serde(default = "default::no_strings")]
    pub variant_ids: Option<Vec<Label>>,
    /// SKUs.
    #[serde(default = "default::no_strings")]
    pub skus: Option<Vec<Label>>,
    /// Product tags.
    #[serde(default = "default::no_strings")]
    pub tags: Option<Vec<Label>>,
    /// Product types.
    #[serde(default = "default::no_strings")]
    pub product_types: Option<Vec<Label>>,
    /// Collection handles or ids.
    #[serde(default = "default::no_strings")]
    pub collections: Option<Vec<Label>>,
}

/// How multipliers combine.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Multipliers {
    /// The rule for a shopper with both a tier and an active membership.
    #[serde(default = "default::add")]
    pub combine: Option<Combine>,
}

/// How a tier multiplier `t` and a membership multiplier `m` combine.
#[derive(Serialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// The bonuses add up: 1 + (t − 1) + (m − 1). 1.25 and 2 give 2.25.
    Add,
    /// t × m. 1.25 and 2 give 2.5.
    Multiply,
    /// The larger of t and m. 1.25 and 2 give 2.
    Highest,
}

/// How an exact fraction becomes an integer.
#[derive(Serialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Down: never award what was not earned.
    Floor,
    /// To the nearest integer; exact halves round up.
    HalfUp,
    /// Up to the next integer.
    Ceil,
}

/// A bonus-points action.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Action {
    pub kind: ActionKind,
    /// Unique id of this action (used to record that a shopper was
    /// rewarded). Default: the kind's name.
    pub id: Option<Id>,
    /// Points awarded each time the action is rewarded.
    #[schemars(range(min = 1, max = "MAX_AMOUNT"))]
    pub points: i64,
    /// How often one shopper can be rewarded. Default: "yearly" for
    /// birthday; "unlimited" for referral_referrer, product_review and
    /// social_share; "once" otherwise. signup, first_order and
    /// referral_friend can only be "once".
    pub limit: Option<Limit>,
    /// Label in the widget. Default: the widget's text for the kind.
    pub name: Option<Text>,
    /// For social actions: the page to follow or share (http or https).
    #[schemars(length(min = 1, max = 2000), regex(pattern = r"^https?://"))]
    pub url: Option<String>,
}

/// What the shopper does to earn the bonus.
#[derive(Serialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
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

/// How often one shopper can be rewarded for an action.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
#[schemars(deny_unknown_fields)]
pub enum Limit {
    Named(LimitName),
    /// At most once every `every_days` days (counted from the last reward).
    EveryDays {
        /// Days between rewards.
        #[schemars(range(min = 1, max = 36_500))]
        every_days: i64,
    },
}

/// A named limit.
#[derive(Serialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum LimitName {
    /// Once per shopper, ever.
    Once,
    /// Once per calendar year (UTC).
    Yearly,
    /// Every time.
    Unlimited,
}

/// Store credit as a percentage of qualifying spend, in minor units. Not
/// multiplied by tiers or membership; not subject to `minimum_order`.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Cashback {
    pub percent: Percent,
    /// How the credit becomes whole minor units.
    #[serde(default = "default::floor")]
    pub rounding: Option<Rounding>,
}

/// VIP tiers: a shopper's tier is the highest level whose threshold the
/// metric reaches within the period (or a tier still held under `retention`).
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Tiers {
    pub metric: Metric,
    #[serde(default = "default::lifetime")]
    pub period: Option<Period>,
    #[serde(default = "default::requalify")]
    pub retention: Option<Retention>,
    /// The tiers from lowest to highest; each threshold must be greater than
    /// the one before. Shoppers below the first threshold have no tier.
    #[schemars(length(min = 1))]
    pub levels: Vec<Tier>,
}

/// What tier thresholds count.
#[derive(Serialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Qualifying spend, minor units.
    Spend,
    /// Points earned (purchase points and bonuses).
    Points,
    /// Orders placed.
    Orders,
}

/// The window the metric is counted in.
#[derive(Serialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Since the shopper joined.
    Lifetime,
    /// 1 January to 31 December (UTC).
    CalendarYear,
    /// The last 12 months up to now.
    #[serde(rename = "rolling_12_months")]
    Rolling12Months,
}

/// What happens to a tier when the period's metric falls below it.
#[derive(Serialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Retention {
    /// A tier reached is kept until the end of the following period (calendar
    /// year: through the next year; rolling 12 months: 12 months after
    /// reaching it); the shopper must qualify again within it or drop.
    Requalify,
    /// The tier always follows the current period's metric.
    Drop,
}

/// One tier.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Tier {
    /// Unique among the levels.
    pub id: Id,
    pub name: Text,
    /// The metric value that reaches this tier: minor units for spend,
    /// points, or a number of orders.
    #[schemars(range(min = 0, max = "MAX_AMOUNT"))]
    pub threshold: i64,
    /// Earn multiplier for shoppers in this tier.
    #[serde(default = "default::one")]
    pub multiplier: Option<Multiplier>,
    /// Benefits listed in the widget (text only; the engine applies only
    /// the multiplier).
    #[serde(default = "default::no_texts")]
    pub perks: Option<Vec<Text>>,
}

/// A paid membership plan. Shoppers whose membership is active or in trial
/// get its multiplier and its members-only redemptions.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Membership {
    /// The plan's id, as the shopper state refers to it.
    pub id: Id,
    pub name: Text,
    /// Price per billing period, minor units (shown; billing is the store's).
    #[schemars(range(min = 0, max = "MAX_AMOUNT"))]
    pub fee: i64,
    pub billing: Billing,
    /// Free-trial days before the first charge.
    #[serde(default = "default::zero")]
    #[schemars(range(min = 0, max = 366))]
    pub trial_days: Option<i64>,
    /// Earn multiplier while the membership is active or in trial.
    #[serde(default = "default::one")]
    pub multiplier: Option<Multiplier>,
    /// Benefits listed in the widget.
    #[serde(default = "default::no_texts")]
    pub perks: Option<Vec<Text>>,
}

/// How often the membership fee is charged.
#[derive(Serialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Billing {
    Monthly,
    Yearly,
}

/// A stamp card: eligible purchases earn stamps; a full card earns the reward.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PunchCard {
    pub name: Text,
    /// Stamps that fill the card.
    #[schemars(range(min = 1, max = 1000))]
    pub stamps_required: i64,
    /// Lines that earn stamps. Default (absent or empty): every line except gift cards.
    pub eligible: Option<Selector>,
    #[serde(default = "default::per_order")]
    pub per: Option<StampPer>,
    /// Most stamps one order earns. Absent: no cap.
    #[schemars(range(min = 1, max = 1000))]
    pub max_stamps_per_order: Option<i64>,
    /// Smallest line amount (minor units, after discounts) that earns stamps.
    #[serde(default = "default::zero")]
    #[schemars(range(min = 0, max = "MAX_AMOUNT"))]
    pub minimum_line_amount: Option<i64>,
    pub reward: PunchReward,
    /// true: stamps beyond a full card start the next card (an order can
    /// complete several). false: a full card completes once and extra
    /// stamps are dropped.
    #[serde(default = "default::yes")]
    pub carry_over: Option<bool>,
    /// Stamps on an unfinished card lapse this many days after the card's
    /// first stamp. Absent: stamps never lapse.
    #[schemars(range(min = 1, max = 36_500))]
    pub expiry_days: Option<i64>,
}

/// Whether stamps count orders or items.
#[derive(Serialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum StampPer {
    /// One stamp for an order with at least one eligible line.
    Order,
    /// One stamp per eligible unit (quantity).
    Item,
}

/// What a full card earns.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PunchReward {
    pub description: Text,
    /// The reward's value in minor units (a free coffee worth 45000 ₫).
    #[schemars(range(min = 0, max = "MAX_AMOUNT"))]
    pub value: i64,
    /// The free product, if the reward is one.
    pub product_id: Option<Label>,
}

/// A way to spend points, chosen by `kind`. Every discount is capped by the
/// cart subtotal (free shipping: by the shipping) and by `max_discount`.
#[derive(Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Redemption {
    /// `value` minor units off for every `points` points, spendable in
    /// steps of `increment` between `min_points` and `max_points`.
    AmountOff(AmountOff),
    /// `percent` off the cart subtotal (rounded down to a minor unit) for
    /// `points` points.
    PercentOff(PercentOff),
    /// The cart's shipping for `points` points.
    FreeShipping(FreeShipping),
    /// A product worth `value` for `points` points.
    FreeProduct(FreeProduct),
}

/// Fields every redemption kind has.
#[derive(Serialize, JsonSchema)]
pub struct RedemptionCommon {
    /// Unique among the redemptions.
    pub id: Id,
    pub name: Text,
    /// Points the reward costs (for amount_off: per `value`).
    #[schemars(range(min = 1, max = "MAX_AMOUNT"))]
    pub points: i64,
    /// Cart subtotal (minor units, after discounts) needed before this
    /// option can be used.
    #[serde(default = "default::zero")]
    #[schemars(range(min = 0, max = "MAX_AMOUNT"))]
    pub min_cart: Option<i64>,
    /// Largest discount one order may take from this option (minor units).
    /// Absent: no cap beyond the cart.
    #[schemars(range(min = 1, max = "MAX_AMOUNT"))]
    pub max_discount: Option<i64>,
    /// Only for shoppers with an active (or trial) membership; needs the
    /// `membership` section.
    #[serde(default = "default::no")]
    pub members_only: Option<bool>,
}

/// Amount off: a fixed value per `points`, optionally as a range.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct AmountOff {
    #[serde(flatten)]
    pub common: RedemptionCommon,
    /// Minor units off for every `points` points.
    #[schemars(range(min = 1, max = "MAX_AMOUNT"))]
    pub value: i64,
    /// Fewest points one redemption spends. Default: `points`. At least
    /// `points`, and a multiple of `increment`.
    #[schemars(range(min = 1, max = "MAX_AMOUNT"))]
    pub min_points: Option<i64>,
    /// Most points one redemption spends. Default: `min_points`. At least
    /// `min_points`, and a multiple of `increment`.
    #[schemars(range(min = 1, max = "MAX_AMOUNT"))]
    pub max_points: Option<i64>,
    /// Step between allowed point amounts. Default: `points`. A multiple of
    /// `points`, so every step buys whole value.
    #[schemars(range(min = 1, max = "MAX_AMOUNT"))]
    pub increment: Option<i64>,
}

/// Percent off the cart subtotal.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PercentOff {
    #[serde(flatten)]
    pub common: RedemptionCommon,
    pub percent: Percent,
}

/// Free shipping.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct FreeShipping {
    #[serde(flatten)]
    pub common: RedemptionCommon,
}

/// A free product.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct FreeProduct {
    #[serde(flatten)]
    pub common: RedemptionCommon,
    /// The product given.
    pub product_id: Label,
    /// The product's value in minor units (the discount it gives).
    #[schemars(range(min = 0, max = "MAX_AMOUNT"))]
    pub value: i64,
}

/// Points lifecycle. Applied by the server's ledger; the widget shows it.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Lifecycle {
    /// Days after an order before its points become spendable (returns
    /// window). 0: at once.
    #[serde(default = "default::zero")]
    #[schemars(range(min = 0, max = 365))]
    pub pending_days: Option<i64>,
    /// Points expire after this many months without activity (earning or
    /// spending). Absent: points never expire.
    #[schemars(range(min = 1, max = 120))]
    pub expiry_months_inactive: Option<i64>,
}

/// Default values written into the schema (`"default": …`). They restate
/// the decoder's defaults; `tests/schema.rs` checks each one against it.
pub(crate) mod default {
    use super::*;

    pub fn empty_actions() -> Option<Vec<Action>> {
        Some(Vec::new())
    }
    pub fn empty_redemptions() -> Option<Vec<Redemption>> {
        Some(Vec::new())
    }
    pub fn no_strings() -> Option<Vec<Label>> {
        Some(Vec::new())
    }
    pub fn no_texts() -> Option<Vec<Text>> {
        Some(Vec::new())
    }
    pub fn no_consents() -> Option<Vec<Consent>> {
        Some(Vec::new())
    }
    pub fn add() -> Option<Combine> {
        Some(Combine::Add)
    }
    pub fn floor() -> Option<Rounding> {
        Some(Rounding::Floor)
    }
    pub fn lifetime() -> Option<Period> {
        Some(Period::Lifetime)
    }
    pub fn requalify() -> Option<Retention> {
        Some(Retention::Requalify)
    }
    pub fn per_order() -> Option<StampPer> {
        Some(StampPer::Order)
    }
    pub fn optional_field() -> Option<FieldMode> {
        Some(FieldMode::Optional)
    }
    pub fn hidden_field() -> Option<FieldMode> {
        Some(FieldMode::Hidden)
    }
    pub fn one() -> Option<Multiplier> {
        Some(Multiplier("1"))
    }
    pub fn zero() -> Option<i64> {
        Some(0)
    }
    pub fn one_int() -> Option<i64> {
        Some(1)
    }
    pub fn three() -> Option<i64> {
        Some(3)
    }
    pub fn seven() -> Option<i64> {
        Some(7)
    }
    pub fn twenty() -> Option<i64> {
        Some(20)
    }
    pub fn yes() -> Option<bool> {
        Some(true)
    }
    pub fn no() -> Option<bool> {
        Some(false)
    }
}
