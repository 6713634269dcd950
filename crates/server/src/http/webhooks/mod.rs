//! The webhook endpoints: the project's own (`generic`: orders, refunds,
//! actions, membership, HMAC-signed by the merchant's backend) and each
//! platform's own deliveries (`shopify`, `woocommerce`: verification,
//! dedupe, routing by topic), all in front of the same order and refund
//! services.

pub mod generic;
pub mod shopify;
pub mod woocommerce;
