//! The platforms' delivery ids (`shopify_deliveries`,
//! `woocommerce_deliveries`; the log of refused deliveries is `deliveries`): each with the answer its first processing
//! got, so a redelivery answers the same, recorded in the same write as
//! what the delivery wrote.

use sqlx::{AnyConnection, Row};

use super::batch::Batch;
use super::db::{Backend, Db};
use super::Result;

/// The answer stored for a Shopify delivery id.
pub async fn shopify_answer(conn: &mut AnyConnection, webhook_id: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT response FROM shopify_deliveries WHERE webhook_id = $1").bind(webhook_id).fetch_optional(conn).await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

/// A Shopify delivery: its id, topic, the order/refund/customer id it was
/// about, and the answer (a statement of the write's batch).
pub fn record_shopify(b: &mut Batch, webhook_id: &str, topic: &str, reference: &str, at: i64, answer: &str) {
    b.push(
        "INSERT INTO shopify_deliveries (webhook_id, topic, ref, at, response) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        vec![webhook_id.into(), topic.into(), reference.into(), at.into(), answer.into()],
    );
}

/// The answer stored for a WooCommerce delivery of this exact body.
pub async fn woocommerce_answer(conn: &mut AnyConnection, delivery_id: &str, body_sha256: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT response FROM woocommerce_deliveries WHERE delivery_id = $1 AND body_sha256 = $2")
        .bind(delivery_id)
        .bind(body_sha256)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

/// Deliveries of one WooCommerce order take turns for the rest of the write
/// (PostgreSQL: an advisory lock on the order id; SQLite writes are serial).
pub async fn lock_woocommerce_order(db: &Db, conn: &mut AnyConnection, order_id: &str) -> Result<()> {
    if db.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(7262004, hashtext($1))").bind(order_id).execute(conn).await?;
    }
    Ok(())
}

/// The latest processed state of a WooCommerce order modified at or after
/// `modified`: (modified, status).
pub async fn woocommerce_latest(conn: &mut AnyConnection, order_id: &str, modified: &str) -> Result<Option<(String, String)>> {
    let r = sqlx::query(
        "SELECT modified, status FROM woocommerce_deliveries WHERE order_id = $1 AND modified >= $2 ORDER BY modified DESC LIMIT 1",
    )
    .bind(order_id)
    .bind(modified)
    .fetch_optional(conn)
    .await?;
    Ok(match r {
        Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
        None => None,
    })
}

/// A processed WooCommerce delivery.
pub struct WooDelivery<'a> {
    pub delivery_id: &'a str,
    pub body_sha256: &'a str,
    pub topic: &'a str,
    pub order_id: &'a str,
    pub modified: &'a str,
    pub status: &'a str,
    pub at: i64,
    pub answer: &'a str,
}

pub async fn record_woocommerce(conn: &mut AnyConnection, d: &WooDelivery<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO woocommerce_deliveries (delivery_id, body_sha256, topic, order_id, modified, status, at, response)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(d.delivery_id)
    .bind(d.body_sha256)
    .bind(d.topic)
    .bind(d.order_id)
    .bind(d.modified)
    .bind(d.status)
    .bind(d.at)
    .bind(d.answer)
    .execute(conn)
    .await?;
    Ok(())
}
