//! Visitor segment and the popup decision.
//!
//! Segments are decided in this order, the first that applies wins:
//! member → referred (arrived through a referral link that still counts,
//! `crate::referral::remembered`) → repeat buyer (2+ orders) → first-time buyer, high or low (1
//! order; high when its value ≥ `popup.high_value_order`) → cart abandoner
//! (lines in the cart) → passive browser (`passive_browser_views`+ product
//! views, no cart) → bouncer (at most one page seen) → browser.
//!
//! The popup shows only when: a popup is configured and enabled; the
//! shopper is not a member and has not signed up; the page is not
//! excluded; the cooldown since it was last shown has passed; and the
//! trigger that fired is enabled.

use crate::cart::Cart;
use crate::config::{ActionKind, Offer, Program, Segment};
use crate::error::Result;
use crate::explain::text;
use crate::json::{int, obj, opt, s, Json};
use crate::money::Currency;
use crate::prelude::*;
use crate::preview;
use crate::shopper::Shopper;
use crate::time::{Millis, DAY_MS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    ExitIntent,
    Delay,
    Scroll,
    MobileScrollUp,
    MobileBack,
    TabReturn,
    Idle,
    /// Opened by the page or the shopper (JS API, a button): no trigger rules.
    Manual,
}

pub(crate) const TRIGGERS: &[(&str, Trigger)] = &[
    ("exit_intent", Trigger::ExitIntent),
    ("delay", Trigger::Delay),
    ("scroll", Trigger::Scroll),
    ("mobile_scroll_up", Trigger::MobileScrollUp),
    ("mobile_back", Trigger::MobileBack),
    ("tab_return", Trigger::TabReturn),
    ("idle", Trigger::Idle),
    ("manual", Trigger::Manual),
];

/// What the widget observed in this visit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signals {
    pub path: String,
    pub pages_viewed: i64,
    pub product_views: i64,
    pub cart: Option<Cart<'static>>,
    pub last_shown: Option<Millis>,
    pub signed_up: bool,
    pub trigger: Option<Trigger>,
    /// The referral code the browser arrived with and when (`?ref=`), as kept.
    pub referral: Option<(String, Millis)>,
}

impl Signals {
    pub fn parse(text: &str, currency: Currency) -> Result<Signals> {
        let bytes = crate::input::encode::from_text("signals", text)?;
        Signals::from_bytes(&bytes, currency)
    }

    /// Signals from their bytes (`crate::input`: what the wasm reads).
    pub fn from_bytes(bytes: &[u8], currency: Currency) -> Result<Signals> {
        let mut r = crate::input::read::Reader::new(bytes);
        let s = crate::input::signals(&mut r, currency);
        r.finish(s)
    }
}

/// `*` matches any run of characters; everything else literally.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == path;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !path.starts_with(first) || path.len() < first.len() + last.len() || !path.ends_with(last) {
        return false;
    }
    let mut rest = &path[first.len()..path.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

/// The signals' referral code when it still counts at `now`.
pub fn referral_code(program: &Program, sig: &Signals, now: Millis) -> Option<String> {
    sig.referral.as_ref().and_then(|(code, at)| crate::referral::remembered(program, code, *at, now))
}

pub fn segment(program: &Program, shopper: &Shopper, sig: &Signals, now: Millis) -> Segment {
    let high = program.popup.as_ref().map_or(0, |p| p.high_value_order);
    let passive = program.popup.as_ref().map_or(3, |p| p.passive_browser_views);
    let has_cart = sig.cart.as_ref().is_some_and(|c| c.lines.iter().any(|l| l.quantity > 0));
    if shopper.member {
        Segment::Member
    } else if referral_code(program, sig, now).is_some() {
        Segment::Referred
    } else if shopper.lifetime_orders >= 2 {
        Segment::RepeatBuyer
    } else if shopper.lifetime_orders == 1 {
        if high > 0 && shopper.last_order_value.unwrap_or(0) >= high {
            Segment::FirstTimeBuyerHigh
        } else {
            Segment::FirstTimeBuyerLow
        }
    } else if has_cart {
        Segment::CartAbandoner
    } else if sig.product_views >= passive {
        Segment::PassiveBrowser
    } else if sig.pages_viewed <= 1 {
        Segment::Bouncer
    } else {
        Segment::Browser
    }
}

pub struct Decision<'p> {
    pub segment: Segment,
    /// None when the popup should show; otherwise why not.
    pub blocked: Option<&'static str>,
    pub offer: Option<(&'static str, &'p Offer)>,
    /// Points at stake: the cart's points for abandoners, the signup bonus
    /// otherwise; for a membership offer with a cart that earns more with
    /// it, the cart's points with the membership.
    pub points: i64,
    pub signup_bonus: i64,
    /// For a referred visitor: the code and what the friend gets for joining.
    pub referral: Option<(String, crate::referral::Rewards)>,
    /// For an offer that is the membership (`Offer::membership`): what the
    /// visitor's cart would earn with it (`crate::membership`), when it
    /// earns more.
    pub membership: Option<crate::membership::WhatIf>,
}

pub fn decide<'p>(program: &'p Program, shopper: &Shopper, sig: &Signals, now: Millis) -> Result<Decision<'p>> {
    let seg = segment(program, shopper, sig, now);
    let signup_bonus = program.actions.iter().filter(|a| a.kind == ActionKind::Signup).map(|a| a.points).max().unwrap_or(0);
    let mut points = signup_bonus;
    let referral =
        if seg == Segment::Referred { referral_code(program, sig, now).map(|c| (c, crate::referral::rewards(program))) } else { None };
    if let Some((_, r)) = &referral {
        // The friend's offer: what joining through the link gives.
        points = signup_bonus.saturating_add(r.friend_points);
    }
    if seg == Segment::CartAbandoner {
        if let Some(c) = &sig.cart {
            points = preview::preview(program, shopper, c, now)?.total_points;
        }
    }
    let Some(popup) = &program.popup else {
        return Ok(Decision { segment: seg, blocked: Some("no_popup"), offer: None, points, signup_bonus, referral, membership: None });
    };
    let t = &popup.triggers;
    let trigger_on = match sig.trigger {
        None => false,
        Some(Trigger::Manual) => true,
        Some(Trigger::ExitIntent) => t.exit_intent,
        Some(Trigger::Delay) => t.delay_seconds.is_some(),
        Some(Trigger::Scroll) => t.scroll_percent.is_some(),
        Some(Trigger::MobileScrollUp) => t.mobile_scroll_up,
        Some(Trigger::MobileBack) => t.mobile_back,
        Some(Trigger::TabReturn) => t.tab_return,
        Some(Trigger::Idle) => t.idle_seconds.is_some(),
    };
    let manual = sig.trigger == Some(Trigger::Manual);
    let cooldown_end = sig.last_shown.map(|l| l.saturating_add(popup.cooldown_days.saturating_mul(DAY_MS)));
    let blocked = if !popup.enabled {
        Some("disabled")
    } else if shopper.member || sig.signed_up {
        Some("signed_up")
    } else if !manual && popup.exclude_paths.iter().any(|p| path_matches(p, &sig.path)) {
        Some("excluded_page")
    } else if !manual && cooldown_end.is_some_and(|end| now < end) {
        Some("cooldown")
    } else if !trigger_on {
        Some("trigger_off")
    } else {
        None
    };
    let mut found =
        popup.offers.segments.iter().find(|(s, _)| *s == seg).map(|(s, o)| (s.name(), o)).unwrap_or(("default", &popup.offers.default));
    // The membership's offer is for those without it; one who holds it
    // (active or in trial) sees the default offer.
    let holds = program.membership.as_ref().is_some_and(|m| shopper.membership_active() == Some(m.id.as_str()));
    if found.1.membership && holds {
        found = ("default", &popup.offers.default);
    }
    let mut membership = None;
    if found.1.membership {
        if let Some(c) = &sig.cart {
            let without = preview::preview(program, shopper, c, now)?;
            membership = crate::membership::what_if(program, shopper, c, &without, now)?;
            if let Some(m) = &membership {
                points = m.points;
            }
        }
    }
    Ok(Decision { segment: seg, blocked, offer: Some(found), points, signup_bonus, referral, membership })
}

impl Decision<'_> {
    pub fn to_json(&self) -> Json<'static> {
        obj(vec![
            ("segment", s(self.segment.name())),
            ("show", Json::Bool(self.blocked.is_none())),
            ("reason", opt(self.blocked, s)),
            (
                "offer",
                opt(self.offer, |(k, o)| {
                    obj(vec![
                        ("key", s(k)),
                        ("title", text(&o.title)),
                        ("body", text(&o.body)),
                        ("cta", text(&o.cta)),
                        ("membership", Json::Bool(o.membership)),
                    ])
                }),
            ),
            ("points", int(self.points)),
            ("signup_bonus", int(self.signup_bonus)),
            (
                "referral",
                opt(self.referral.as_ref(), |(code, r)| obj(vec![("code", s(&**code)), ("friend", crate::referral::friend_json(r))])),
            ),
            ("membership_offer", opt(self.membership.as_ref(), |m| m.to_json())),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::path_matches;

    #[test]
    fn globs() {
        assert!(path_matches("/checkout*", "/checkout/step-2"));
        assert!(path_matches("/checkout*", "/checkout"));
        assert!(!path_matches("/checkout*", "/cart"));
        assert!(path_matches("*/thank-you", "/orders/12/thank-you"));
        assert!(path_matches("/a*b*c", "/a-x-b-y-c"));
        assert!(!path_matches("/a*b*c", "/a-c-b"));
        assert!(path_matches("/cart", "/cart"));
        assert!(!path_matches("/cart", "/cart/x"));
    }
}
