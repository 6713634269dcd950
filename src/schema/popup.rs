//! Schema mirror of the `popup` section (see `config/popup.rs`).

use super::values::{all_of, described, object, Id, Label, Text};
use super::MAX_AMOUNT;
use schemars::gen::SchemaGenerator;
use schemars::schema::Schema;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;
use std::prelude::rust_2021::*;
use std::vec;

/// The signup popup: when it may open and what it offers each visitor
/// segment. It never shows to members or after signup.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Popup {
    /// false keeps the settings but never shows the popup.
    #[serde(default = "super::default::yes")]
    pub enabled: Option<bool>,
    pub triggers: Triggers,
    /// Days after the popup was shown before it may show again (0: no cooldown).
    #[serde(default = "super::default::seven")]
    #[schemars(range(min = 0, max = 3650))]
    pub cooldown_days: Option<i64>,
    /// Page paths where the popup never opens by itself; `*` matches any run
    /// of characters (`/checkout*`). Matched against the URL path.
    #[serde(default = "super::default::no_strings")]
    pub exclude_paths: Option<Vec<Label>>,
    /// The name field in the signup form.
    #[serde(default = "super::default::optional_field")]
    pub name_field: Option<FieldMode>,
    /// The birthday field in the signup form.
    #[serde(default = "super::default::hidden_field")]
    pub birthday_field: Option<FieldMode>,
    /// Consent checkboxes, each its own unticked box. Ids must be unique.
    #[serde(default = "super::default::no_consents")]
    pub consents: Option<Vec<Consent>>,
    pub offers: Offers,
    /// A first order at or above this value (minor units) makes a
    /// "first_time_buyer_high"; below it "first_time_buyer_low". 0: every
    /// first-time buyer is "low".
    #[serde(default = "super::default::zero")]
    #[schemars(range(min = 0, max = "MAX_AMOUNT"))]
    pub high_value_order: Option<i64>,
    /// Product views without a cart that make a "passive_browser".
    #[serde(default = "super::default::three")]
    #[schemars(range(min = 1, max = 1000))]
    pub passive_browser_views: Option<i64>,
}

/// What may open the popup. Each trigger is off unless enabled here.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Triggers {
    /// Desktop: the pointer leaves through the top edge of the window.
    #[serde(default = "super::default::yes")]
    pub exit_intent: Option<bool>,
    /// How close to the top edge (CSS pixels) the pointer must leave.
    #[serde(default = "super::default::twenty")]
    #[schemars(range(min = 0, max = 200))]
    pub exit_sensitivity_px: Option<i64>,
    /// Open after this many seconds on a page. Absent: off.
    #[schemars(range(min = 0, max = 3600))]
    pub delay_seconds: Option<i64>,
    /// Open when the shopper has scrolled this percentage of the page. Absent: off.
    #[schemars(range(min = 1, max = 100))]
    pub scroll_percent: Option<i64>,
    /// Mobile: a fast upward scroll after reading.
    #[serde(default = "super::default::yes")]
    pub mobile_scroll_up: Option<bool>,
    /// Mobile: the back button.
    #[serde(default = "super::default::no")]
    pub mobile_back: Option<bool>,
    /// Coming back to the tab after leaving it.
    #[serde(default = "super::default::no")]
    pub tab_return: Option<bool>,
    /// Open after this many seconds without interaction. Absent: off.
    #[schemars(range(min = 5, max = 3600))]
    pub idle_seconds: Option<i64>,
}

/// Whether a signup form field is shown and needed.
#[derive(Serialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum FieldMode {
    Hidden,
    Optional,
    Required,
}

/// One consent purpose with the merchant's wording.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Consent {
    /// Unique among the consents; recorded with the signup.
    pub id: Id,
    /// Bump it when the wording changes, so records show which text was agreed to.
    #[serde(default = "super::default::one_int")]
    #[schemars(range(min = 1, max = 1_000_000))]
    pub version: Option<i64>,
    /// The checkbox label.
    pub text: Text,
    /// true: signup needs this box ticked.
    #[serde(default = "super::default::no")]
    pub required: Option<bool>,
}

/// Popup copy. `{points}` in any of the texts is replaced by the points at
/// stake: the cart's points for a cart abandoner, the signup bonus otherwise.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Offer {
    pub title: Text,
    pub body: Text,
    /// The button label.
    pub cta: Text,
}

/// Offers per visitor segment.
#[derive(Serialize)]
pub struct Offers(pub BTreeMap<String, Offer>);

/// Visitor segments in the order they are decided, with what each means.
pub const SEGMENTS: &[(&str, &str)] = &[
    ("member", "A signed-in member of the program (the popup never shows to them)."),
    ("repeat_buyer", "A shopper with two or more orders."),
    ("first_time_buyer_high", "One order, worth at least `high_value_order`."),
    ("first_time_buyer_low", "One order, worth less than `high_value_order`."),
    ("cart_abandoner", "No orders yet and items in the cart."),
    ("passive_browser", "No cart, and at least `passive_browser_views` product views."),
    ("bouncer", "At most one page seen."),
    ("browser", "Anyone else: a visitor early in a normal visit."),
];

impl JsonSchema for Offers {
    fn schema_name() -> String {
        "Offers".into()
    }
    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        let offer = gen.subschema_for::<Offer>();
        let s = object(|o| {
            let default = "The offer for every segment without its own (required).";
            o.properties.insert("default".into(), described(all_of(offer.clone()), default));
            o.required.insert("default".into());
            for (name, what) in SEGMENTS {
                o.properties.insert((*name).into(), described(all_of(offer.clone()), what));
            }
            o.additional_properties = Some(Box::new(false.into()));
        });
        described(
            s,
            "The popup's offer per visitor segment: \"default\" plus any of the segments. A visitor's segment is \
             the first that applies, in the order listed.",
        )
    }
}
