//! Referral and birthday settings. The rewards themselves are the
//! `referral_referrer`, `referral_friend` and `birthday` actions' points;
//! these sections say when and how they are given (`crate::referral`,
//! `crate::birthday` compute it).

use crate::prelude::*;
#[cfg(feature = "serde")]
use serde::Deserialize;

/// When the friend's reward is credited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Deserialize, serde::Serialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FriendRewardOn {
    /// When the friend signs up through the link.
    #[default]
    Signup,
    /// With the friend's first qualifying order (pending like that order's points).
    FirstOrder,
}

/// The most referrer rewards one referrer earns in a rolling window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReferrerCap {
    /// Rewards at most.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 10_000)))]
    pub rewards: i64,
    /// In any window of this many days (counted back from the friend's order).
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 3650)))]
    pub days: i64,
}

/// Refer a friend: every member has a code and a link (`?ref=CODE` on any
/// store page). The friend gets the `referral_friend` action's points
/// and/or a voucher; the referrer gets the `referral_referrer` action's
/// points when the friend's first qualifying order becomes spendable
/// (after `lifecycle.pending_days`; a refund reverses it like any award).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Referral {
    /// Days the browser remembers a `?ref=` code it arrived with.
    #[cfg_attr(feature = "serde", serde(default = "super::serde_impls::thirty"))]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 365)))]
    pub remember_days: i64,
    /// When the friend's reward is credited.
    #[cfg_attr(feature = "serde", serde(default))]
    pub friend_reward_on: FriendRewardOn,
    /// An amount-off voucher (minor units) the friend gets as well as, or
    /// instead of, the `referral_friend` action's points. Absent: points only.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = "crate::config::MAX_AMOUNT")))]
    pub friend_voucher: Option<i64>,
    /// A cap on the referrer's rewards. Absent: no cap.
    pub referrer_cap: Option<ReferrerCap>,
    /// The store page the referral link points to (http or https); the
    /// code is added as `?ref=CODE`. Absent: the page the member is on
    /// (without its query).
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 2000), regex(pattern = r"^https?://")))]
    pub link_base: Option<String>,
}

/// Birthday gift rules (the `birthday` action's points, once per year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Birthday {
    /// The birthday must have been given at least this many days before
    /// the day it is celebrated (editing it to today earns nothing).
    #[cfg_attr(feature = "serde", serde(default = "super::serde_impls::thirty"))]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 366)))]
    pub notice_days: i64,
}

impl Default for Birthday {
    fn default() -> Birthday {
        Birthday { notice_days: 30 }
    }
}
