//! Popup and visitor-segment settings: the data the widget's decisions need.

use super::Text;
use crate::prelude::*;
#[cfg(feature = "serde")]
use serde::Deserialize;

/// Visitor segments from the source articles, in the order they are
/// decided (the first that applies wins; see `crate::segment`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    Member,
    /// Arrived through a member's referral link (a valid `?ref=` code,
    /// remembered for `referral.remember_days`); not a member yet.
    Referred,
    RepeatBuyer,
    FirstTimeBuyerHigh,
    FirstTimeBuyerLow,
    CartAbandoner,
    PassiveBrowser,
    Bouncer,
    /// None of the above yet (a visitor early in a normal visit).
    Browser,
}

impl Segment {
    pub const ALL: &'static [(&'static str, Segment)] = &[
        ("member", Segment::Member),
        ("referred", Segment::Referred),
        ("repeat_buyer", Segment::RepeatBuyer),
        ("first_time_buyer_high", Segment::FirstTimeBuyerHigh),
        ("first_time_buyer_low", Segment::FirstTimeBuyerLow),
        ("cart_abandoner", Segment::CartAbandoner),
        ("passive_browser", Segment::PassiveBrowser),
        ("bouncer", Segment::Bouncer),
        ("browser", Segment::Browser),
    ];

    pub fn name(self) -> &'static str {
        Segment::ALL.iter().find(|(_, s)| *s == self).map_or("browser", |(n, _)| n)
    }
}

/// What may open the popup. Each trigger is off unless enabled here.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Triggers {
    /// Desktop: the pointer leaves through the top edge of the window.
    #[cfg_attr(feature = "serde", serde(default = "super::serde_impls::yes"))]
    pub exit_intent: bool,
    /// How close to the top edge (CSS pixels) the pointer must leave.
    #[cfg_attr(feature = "serde", serde(default = "super::serde_impls::twenty"))]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 200)))]
    pub exit_sensitivity_px: i64,
    /// Open after this many seconds on a page. Absent: off.
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 3600)))]
    pub delay_seconds: Option<i64>,
    /// Open when the shopper has scrolled this percentage of the page. Absent: off.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 100)))]
    pub scroll_percent: Option<i64>,
    /// Mobile: a fast upward scroll after reading.
    #[cfg_attr(feature = "serde", serde(default = "super::serde_impls::yes"))]
    pub mobile_scroll_up: bool,
    /// Mobile: the back button.
    #[cfg_attr(feature = "serde", serde(default))]
    pub mobile_back: bool,
    /// Coming back to the tab after leaving it.
    #[cfg_attr(feature = "serde", serde(default))]
    pub tab_return: bool,
    /// Open after this many seconds without interaction. Absent: off.
    #[cfg_attr(feature = "schema", schemars(range(min = 5, max = 3600)))]
    pub idle_seconds: Option<i64>,
}

/// Whether a signup form field is shown and needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Deserialize, serde::Serialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FieldMode {
    Hidden,
    Optional,
    Required,
}

/// One consent purpose with the merchant's wording: its own unticked box.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Consent {
    /// Unique among the consents; recorded with the signup.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    /// Raise it when the wording changes, so records show which text was agreed to.
    #[cfg_attr(feature = "serde", serde(default = "super::serde_impls::one_int"))]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 1_000_000)))]
    pub version: i64,
    /// The checkbox label.
    pub text: Text,
    /// true: signup needs this box ticked.
    #[cfg_attr(feature = "serde", serde(default))]
    pub required: bool,
}

/// Popup copy. `{points}` in any of the texts is replaced by the points at
/// stake: the cart's points for a cart abandoner, the signup bonus
/// otherwise (a membership offer: see `membership`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Offer {
    /// Heading.
    pub title: Text,
    /// Message.
    pub body: Text,
    /// The button label.
    pub cta: Text,
    /// true: the offer is the paid membership, not the free signup: no
    /// form, the button goes to `membership.join_url` (needed), and when
    /// the visitor's cart would earn more with the membership, `{points}`
    /// is what it would earn with it. A visitor who holds the membership
    /// sees the default offer instead.
    #[cfg_attr(feature = "serde", serde(default))]
    pub membership: bool,
}

/// The popup's offer per visitor segment: "default" plus any of the
/// segments (in the JSON, one object keyed by segment name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offers {
    /// The offer for every segment without its own (required).
    pub default: Offer,
    /// Segment-specific offers, in document order.
    pub segments: Vec<(Segment, Offer)>,
}

/// The signup popup: when it may open and what it offers each visitor
/// segment. It never shows to members or after signup.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Popup {
    /// false keeps the settings but never shows the popup.
    #[cfg_attr(feature = "serde", serde(default = "super::serde_impls::yes"))]
    pub enabled: bool,
    /// What may open it. `{}` gives the defaults: exit intent and the mobile scroll-up.
    pub triggers: Triggers,
    /// Days after the popup was shown before it may show again (0: no cooldown).
    #[cfg_attr(feature = "serde", serde(default = "super::serde_impls::seven"))]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 3650)))]
    pub cooldown_days: i64,
    /// Page paths where the popup never opens by itself; `*` matches any run
    /// of characters (`/checkout*`). Matched against the URL path.
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::schema::Label>"))]
    pub exclude_paths: Vec<String>,
    /// The name field in the signup form.
    #[cfg_attr(feature = "serde", serde(default = "super::serde_impls::optional"))]
    pub name_field: FieldMode,
    /// The birthday field in the signup form (needed for birthday bonuses).
    #[cfg_attr(feature = "serde", serde(default = "super::serde_impls::hidden"))]
    pub birthday_field: FieldMode,
    /// Consent checkboxes, each its own unticked box. Ids must be unique.
    #[cfg_attr(feature = "serde", serde(default))]
    pub consents: Vec<Consent>,
    pub offers: Offers,
    /// A first order at or above this value (minor units) makes a
    /// "first_time_buyer_high"; below it "first_time_buyer_low". 0: every
    /// first-time buyer is "low".
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = "crate::config::MAX_AMOUNT")))]
    pub high_value_order: i64,
    /// Product views without a cart that make a "passive_browser".
    #[cfg_attr(feature = "serde", serde(default = "super::serde_impls::three"))]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 1000)))]
    pub passive_browser_views: i64,
}
