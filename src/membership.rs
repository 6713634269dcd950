//! The membership what-if: what this cart would earn the shopper with the
//! program's paid membership, computed by the same preview with the
//! membership applied (`preview::preview_holding`: as a shopper who joins
//! today holds it, in trial, which gives its benefits). The checkout prompt shows it to a
//! shopper without the membership ("With Phố Cổ+ this order earns 52 points
//! instead of 26"), and a popup offer that is the membership says it.
//!
//! Nothing is offered when the program has no membership, the shopper
//! already holds it (active or in trial), or it would earn nothing more
//! (a multiplier of 1, an order under the minimum, the per-order cap
//! already reached): then the answer is `null`.

use crate::cart::Cart;
use crate::error::Result;
use crate::json::{Json, Out};
use crate::prelude::*;
use crate::preview::{self, Preview};
use crate::shopper::Shopper;
use crate::time::Millis;
use crate::Program;

/// What joining would change for this cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhatIf {
    /// The membership's id.
    pub id: String,
    /// The cart's total points with the membership.
    pub points: i64,
    /// The cart's total points as the shopper is (the preview's `total_points`).
    pub points_without: i64,
    /// The membership's free-trial days (`membership.trial_days`).
    pub trial_days: i64,
}

/// The what-if for `cart`, given the shopper's own preview of it
/// (`without`, so the prompt's preview is computed once).
pub fn what_if(program: &Program, shopper: &Shopper, cart: &Cart, without: &Preview, now: Millis) -> Result<Option<WhatIf>> {
    let Some(m) = &program.membership else { return Ok(None) };
    if shopper.membership_active() == Some(m.id.as_str()) {
        return Ok(None);
    }
    // The cart itself previewed, so only the plan's larger multiplier can
    // fail here (an overflow): then there is no offer to show, and the
    // quote and popup still give the shopper's own numbers.
    let Ok(with) = preview::preview_holding(program, shopper, Some(&m.id), cart, now) else {
        return Ok(None);
    };
    Ok((with.total_points > without.total_points).then(|| WhatIf {
        id: m.id.clone(),
        points: with.total_points,
        points_without: without.total_points,
        trial_days: m.trial_days,
    }))
}

impl WhatIf {
    /// `{membership, points, points_without, trial_days}` (inside `quote`).
    pub fn write(&self, o: &mut Out) {
        o.open().key("membership").str(&self.id).key("points").int(self.points);
        o.key("points_without").int(self.points_without).key("trial_days").int(self.trial_days).close();
    }

    /// [`WhatIf::write`] as a tree, for the popup decision that embeds it.
    pub fn to_json(&self) -> Json<'static> {
        let mut o = Out::new();
        self.write(&mut o);
        crate::json::written(o.into_text())
    }
}
