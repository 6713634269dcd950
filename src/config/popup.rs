//! Popup and visitor-segment settings: the data the widget's decisions need.

use super::Text;
use crate::prelude::*;

/// Visitor segments from the source articles, in the order they are
/// decided (the first that applies wins; see `crate::segment`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    Member,
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triggers {
    /// Desktop: the pointer leaves through the top edge of the viewport.
    pub exit_intent: bool,
    /// How close to the top edge (CSS px) the pointer must leave.
    pub exit_sensitivity_px: i64,
    pub delay_seconds: Option<i64>,
    pub scroll_percent: Option<i64>,
    /// Mobile: a fast upward scroll after reading.
    pub mobile_scroll_up: bool,
    /// Mobile: the back button (history) intent.
    pub mobile_back: bool,
    /// Coming back to the tab after leaving it.
    pub tab_return: bool,
    pub idle_seconds: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldMode {
    Hidden,
    Optional,
    Required,
}

/// One consent purpose: its own unticked box with the merchant's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub id: String,
    pub version: i64,
    pub text: Text,
    pub required: bool,
}

/// Popup copy. `{points}` is replaced by the points at stake (the cart's
/// preview for abandoners, the signup bonus otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub title: Text,
    pub body: Text,
    pub cta: Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Popup {
    pub enabled: bool,
    pub triggers: Triggers,
    pub cooldown_days: i64,
    /// Path patterns where the popup never shows; `*` matches any run of characters.
    pub exclude_paths: Vec<String>,
    pub name_field: FieldMode,
    pub birthday_field: FieldMode,
    pub consents: Vec<Consent>,
    pub default_offer: Offer,
    pub offers: Vec<(Segment, Offer)>,
    /// A first order at or above this value (minor units) is "high".
    pub high_value_order: i64,
    /// Product views without a cart that make a passive browser.
    pub passive_browser_views: i64,
}
