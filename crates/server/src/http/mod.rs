//! The HTTP layer: the route table (`routes`), extractors and checks
//! (`extract`: body limits, origin, shopper tokens, client address), error
//! answers (`error`: an [`crate::error::ApiError`] or a storage error as
//! JSON), and the endpoints that turn requests into service calls. Imports
//! services and storage, never the other way round.

pub mod activity;
pub mod admin;
pub mod assets;
pub mod console;
pub mod deliveries;
pub mod describe;
pub mod error;
pub mod extract;
pub mod redeem;
pub mod referral_report;
pub mod routes;
pub mod shopper;
pub mod signup;
pub mod svg;
pub mod vouchers;
pub mod webhooks;
