//! The webhook delivery log's rows: refused deliveries (`webhook_refusals`,
//! bounded per route) and, read from where they were applied
//! (`shopify_deliveries`, `woocommerce_deliveries`), the accepted ones.

use sqlx::Row;

use super::db::{Conn, Db};
use super::Result;

/// One refused delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub at: i64,
    pub route: String,
    pub topic: String,
    pub delivery_id: String,
    pub status: i64,
    pub error: String,
    pub message: String,
    pub path: String,
}

/// The platforms with a webhook route of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Shopify,
    WooCommerce,
}

impl Platform {
    pub const ALL: [Platform; 2] = [Platform::Shopify, Platform::WooCommerce];

    /// Its route under `/api/webhooks/`, and the route's name in the log.
    pub fn route(self) -> &'static str {
        match self {
            Platform::Shopify => "shopify",
            Platform::WooCommerce => "woocommerce",
        }
    }

    fn table(self) -> &'static str {
        match self {
            Platform::Shopify => "shopify_deliveries",
            Platform::WooCommerce => "woocommerce_deliveries",
        }
    }
}

/// Records a refusal in its own write, keeping only the newest `kept` of its route.
pub async fn record(db: &Db, r: &Refusal, kept: i64) -> Result<()> {
    let mut w = db.write().await?;
    let result = async {
        sqlx::query(
            "INSERT INTO webhook_refusals (at, route, topic, delivery_id, status, error, message, path) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(r.at)
        .bind(&r.route)
        .bind(&r.topic)
        .bind(&r.delivery_id)
        .bind(r.status)
        .bind(&r.error)
        .bind(&r.message)
        .bind(&r.path)
        .execute(w.conn())
        .await?;
        sqlx::query("DELETE FROM webhook_refusals WHERE route = $1 AND id <= (SELECT MAX(id) FROM webhook_refusals WHERE route = $1) - $2")
            .bind(&r.route)
            .bind(kept)
            .execute(w.conn())
            .await?;
        Ok::<(), sqlx::Error>(())
    }
    .await;
    match result {
        Ok(()) => w.commit().await,
        Err(e) => {
            let _ = w.rollback().await;
            Err(e.into())
        }
    }
}

/// The newest refusals of one route (`shopify`, `woocommerce`, `orders`, …).
pub async fn refusals(conn: &mut Conn, route: &str, limit: i64) -> Result<Vec<Refusal>> {
    let rows = sqlx::query(
        "SELECT at, route, topic, delivery_id, status, error, message, path FROM webhook_refusals WHERE route = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(route)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(Refusal {
            at: r.try_get(0)?,
            route: r.try_get(1)?,
            topic: r.try_get(2)?,
            delivery_id: r.try_get(3)?,
            status: r.try_get(4)?,
            error: r.try_get(5)?,
            message: r.try_get(6)?,
            path: r.try_get(7)?,
        });
    }
    Ok(out)
}

/// Accepted deliveries of one platform since `since`, by topic: (topic, count, last at).
pub async fn accepted(conn: &mut Conn, platform: Platform, since: i64) -> Result<Vec<(String, i64, i64)>> {
    let sql = format!("SELECT topic, COUNT(*), MAX(at) FROM {} WHERE at >= $1 GROUP BY topic ORDER BY topic", platform.table());
    let rows = sqlx::query(&sql).bind(since).fetch_all(conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
    }
    Ok(out)
}
