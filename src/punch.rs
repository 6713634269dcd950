//! Punch card: stamps now, stamps a cart adds, cards it completes.
//!
//! Eligible lines match `eligible` (every line when it is empty; gift cards
//! never) and have a net amount (after line discounts and their share of
//! the order discount) of at least `minimum_line_amount`. `per: order`
//! gives one stamp for an order with an eligible line; `per: item` one per
//! eligible unit; `max_stamps_per_order` caps either. With `carry_over`,
//! stamps beyond a full card start the next one; without it a full card
//! completes once and the extra stamps are dropped.

use crate::cart::Cart;
use crate::config::{Program, StampPer};
use crate::error::{Error, Result};
use crate::json::{Json, Out};
use crate::money;
use crate::shopper::Shopper;
use crate::time::{format_instant, Millis, DAY_MS};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PunchProgress {
    pub stamps: i64,
    pub required: i64,
    pub added: i64,
    pub completes: i64,
    pub stamps_after: i64,
    /// Stamps on the card lapsed (card older than `expiry_days`).
    pub expired: bool,
    pub expires_at: Option<Millis>,
    pub reward_value: i64,
}

/// Stamps `cart` earns (before carry-over rules).
pub fn stamps_for(program: &Program, cart: &Cart) -> Result<i64> {
    let Some(card) = &program.punch_card else { return Ok(0) };
    let shares = cart.allocate_order_discount()?;
    let mut stamps = 0i64;
    let mut any = false;
    for (line, share) in cart.lines.iter().zip(shares) {
        let eligible = !line.gift_card
            && line.quantity > 0
            && (card.eligible.is_empty() || card.eligible.matches(line).is_some())
            && line.net() - share >= card.minimum_line_amount;
        if eligible {
            any = true;
            stamps = money::add(stamps, line.quantity, "stamps per item")?;
        }
    }
    let stamps = match card.per {
        StampPer::Order => i64::from(any),
        StampPer::Item => stamps,
    };
    Ok(card.max_stamps_per_order.map_or(stamps, |m| stamps.min(m)))
}

pub fn progress(program: &Program, shopper: &Shopper, cart: Option<&Cart>, now: Millis) -> Result<Option<PunchProgress>> {
    let Some(card) = &program.punch_card else { return Ok(None) };
    let expires_at = match (card.expiry_days, shopper.card_started) {
        (Some(days), Some(start)) if shopper.stamps > 0 => {
            Some(start.checked_add(days.checked_mul(DAY_MS).ok_or(Error::Overflow("card expiry"))?).ok_or(Error::Overflow("card expiry"))?)
        }
        _ => None,
    };
    let expired = expires_at.is_some_and(|t| now >= t);
    let stamps = if expired { 0 } else { shopper.stamps };
    let added = match cart {
        Some(c) => stamps_for(program, c)?,
        None => 0,
    };
    let total = money::add(stamps, added, "stamps after")?;
    let n = card.stamps_required;
    let (completes, after) = if card.carry_over {
        (money::div(total, n, "stamps after")?, money::rem(total, n, "stamps after")?)
    } else if total >= n {
        (1, 0)
    } else {
        (0, total)
    };
    Ok(Some(PunchProgress {
        stamps,
        required: n,
        added,
        completes,
        stamps_after: after,
        expired,
        expires_at: if expired { None } else { expires_at },
        reward_value: money::mul(completes, card.reward.value, "punch reward value")?,
    }))
}

impl PunchProgress {
    /// The answer's JSON text (`punch_card`, and inside `quote`).
    pub fn write(&self, o: &mut Out) {
        o.open().key("stamps").int(self.stamps).key("required").int(self.required).key("added").int(self.added);
        o.key("completes").int(self.completes).key("stamps_after").int(self.stamps_after);
        o.key("remaining").int(self.required - self.stamps_after).key("expired").bool(self.expired);
        o.key("expires_at").opt_str(self.expires_at.map(format_instant).as_deref());
        o.key("reward_value").int(self.reward_value).close();
    }

    /// [`PunchProgress::write`] as a tree, for the explainer that embeds it.
    pub fn to_json(&self, _program: &Program) -> Json<'static> {
        let mut o = Out::new();
        self.write(&mut o);
        crate::json::written(o.into_text())
    }
}
