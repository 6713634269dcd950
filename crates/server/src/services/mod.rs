//! The services: what the server does, independent of how it was asked.
//! Orders (`orders`), refunds (`refunds`), signup, redemption (`redeem`), bonus
//! actions and memberships (`actions`), vouchers, referrals, birthdays,
//! the shopper's state and lifecycle (`lifecycle`), KPI figures (`kpi`),
//! and one mapping per order source (`platforms`). They use storage and
//! never the HTTP layer: a service answers a value or an
//! [`crate::error::ApiError`], which the HTTP layer renders.

pub mod actions;
pub mod audited;
pub mod birthday;
pub mod kpi;
pub mod lifecycle;
pub mod orders;
pub mod platforms;
pub mod redeem;
pub mod referral;
pub mod refunds;
pub mod signup;
pub mod vouchers;
