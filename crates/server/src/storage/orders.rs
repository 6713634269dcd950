//! Orders and refunds as stored: the `orders` and `refunds` rows (each
//! with the answer its first delivery got, so a redelivery answers the
//! same), the order's shopper found or created, the tier it reached, and
//! the delivery ids of the platforms' webhooks.

use sqlx::{AnyConnection, Row};

use super::batch::Batch;
use super::ledger::{self, ShopperRow};
use super::Result;

/// The answer stored for an order id.
pub async fn recorded(conn: &mut AnyConnection, order_id: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT response FROM orders WHERE order_id = $1").bind(order_id).fetch_optional(conn).await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

/// The answer stored for a refund id.
pub async fn refund_recorded(conn: &mut AnyConnection, refund_id: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT response FROM refunds WHERE refund_id = $1").bind(refund_id).fetch_optional(conn).await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

/// Whether an order id is recorded.
pub async fn exists(conn: &mut AnyConnection, order_id: &str) -> Result<bool> {
    Ok(sqlx::query("SELECT 1 FROM orders WHERE order_id = $1").bind(order_id).fetch_optional(conn).await?.is_some())
}

/// An order row to insert.
pub struct NewOrder<'a> {
    pub order_id: &'a str,
    pub shopper_id: Option<&'a str>,
    pub at: i64,
    pub currency: &'a str,
    pub subtotal: i64,
    pub qualifying: i64,
    pub points: i64,
    pub stamps: i64,
    pub cashback: i64,
    pub available_at: i64,
    pub program_version: &'a str,
    pub response: &'a str,
}

/// The order's row, as the first statement of the write's batch. Its id is
/// the primary key: if a concurrent delivery recorded the order first, the
/// batch fails with an error that [`is_recorded_already`] recognises (and
/// the write is undone), so nothing after it in the batch runs.
pub fn insert(b: &mut Batch, o: &NewOrder<'_>) {
    b.push(
        "INSERT INTO orders (order_id, shopper_id, at, currency, subtotal, qualifying, points, stamps, cashback, available_at, program_version, response)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        vec![
            o.order_id.into(),
            o.shopper_id.into(),
            o.at.into(),
            o.currency.into(),
            o.subtotal.into(),
            o.qualifying.into(),
            o.points.into(),
            o.stamps.into(),
            o.cashback.into(),
            o.available_at.into(),
            o.program_version.into(),
            o.response.into(),
        ],
    );
}

/// The failure of [`insert`] when the order id is recorded already.
pub fn is_recorded_already(e: &super::Error) -> bool {
    match &e.0 {
        sqlx::Error::Database(d) => {
            d.is_unique_violation() && (d.constraint() == Some("orders_pkey") || d.message().contains("orders.order_id"))
        }
        _ => false,
    }
}

/// The tier the shopper reached, since `since`, as a statement of a batch.
pub fn set_tier(b: &mut Batch, shopper_id: &str, tier_id: &str, since: i64) {
    b.push("UPDATE shoppers SET tier_id = $1, tier_since = $2 WHERE id = $3", vec![tier_id.into(), since.into(), shopper_id.into()]);
}

/// Finds or creates the order's shopper, linking a customer id to a
/// shopper known so far only by email.
pub async fn order_shopper(conn: &mut AnyConnection, id: Option<&str>, email: Option<&str>, now: i64) -> Result<ShopperRow> {
    let (by_id, by_email) = match (id, email) {
        (Some(id), Some(e)) => ledger::find_by_customer_or_email(conn, id, e).await?,
        (Some(id), None) => (ledger::find(conn, "customer_id", id).await?, None),
        (None, Some(e)) => (None, ledger::find(conn, "email", e).await?),
        (None, None) => (None, None),
    };
    if let Some(r) = by_id {
        return Ok(r);
    }
    if let Some(r) = by_email {
        match (&r.customer_id, id) {
            (None, Some(cid)) => {
                sqlx::query("UPDATE shoppers SET customer_id = $1 WHERE id = $2 AND customer_id IS NULL")
                    .bind(cid)
                    .bind(&r.id)
                    .execute(&mut *conn)
                    .await?;
                return Ok(ledger::find(conn, "id", &r.id).await?.ok_or(sqlx::Error::RowNotFound)?);
            }
            (_, None) => return Ok(r),
            // The email belongs to another customer: key this one by id only.
            (Some(_), Some(cid)) => return Ok(ledger::create(conn, Some(cid), None, now).await?.0),
        }
    }
    Ok(ledger::create(conn, id, email, now).await?.0)
}

/// A shopper by the server's id (one an order row names).
pub async fn shopper(conn: &mut AnyConnection, id: &str) -> Result<ShopperRow> {
    Ok(ledger::find(conn, "id", id).await?.ok_or(sqlx::Error::RowNotFound)?)
}

/// What a refund reverses of a recorded order.
pub struct Awarded {
    pub shopper_id: Option<String>,
    pub subtotal: i64,
    pub qualifying: i64,
    pub points: i64,
    pub stamps: i64,
    pub cashback: i64,
    pub available_at: i64,
}

pub async fn awarded(conn: &mut AnyConnection, order_id: &str) -> Result<Option<Awarded>> {
    let Some(o) =
        sqlx::query("SELECT shopper_id, subtotal, qualifying, points, stamps, cashback, available_at FROM orders WHERE order_id = $1")
            .bind(order_id)
            .fetch_optional(conn)
            .await?
    else {
        return Ok(None);
    };
    Ok(Some(Awarded {
        shopper_id: o.try_get(0)?,
        subtotal: o.try_get(1)?,
        qualifying: o.try_get(2)?,
        points: o.try_get(3)?,
        stamps: o.try_get(4)?,
        cashback: o.try_get(5)?,
        available_at: o.try_get(6)?,
    }))
}

/// An order's refunds so far: the highest refunded total and the sums reversed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Refunded {
    pub total: i64,
    pub points: i64,
    pub stamps: i64,
    pub qualifying: i64,
    pub cashback: i64,
}

pub async fn refunded(conn: &mut AnyConnection, order_id: &str) -> Result<Refunded> {
    let r = sqlx::query(
        "SELECT COALESCE(MAX(refunded_total), 0), COALESCE(CAST(SUM(points_reversed) AS BIGINT), 0), COALESCE(CAST(SUM(stamps_reversed) AS BIGINT), 0),
                COALESCE(CAST(SUM(qualifying_reversed) AS BIGINT), 0), COALESCE(CAST(SUM(cashback_reversed) AS BIGINT), 0)
         FROM refunds WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_one(conn)
    .await?;
    Ok(Refunded { total: r.try_get(0)?, points: r.try_get(1)?, stamps: r.try_get(2)?, qualifying: r.try_get(3)?, cashback: r.try_get(4)? })
}

/// A refund row to insert.
pub struct NewRefund<'a> {
    pub refund_id: &'a str,
    pub order_id: &'a str,
    pub at: i64,
    pub amount: i64,
    pub refunded_total: i64,
    pub points_reversed: i64,
    pub points_debited: i64,
    pub stamps_reversed: i64,
    pub qualifying_reversed: i64,
    pub cashback_reversed: i64,
    pub response: &'a str,
}

/// Inserts the refund unless its id is recorded (a concurrent delivery):
/// whether this call inserted it.
pub async fn insert_refund(conn: &mut AnyConnection, f: &NewRefund<'_>) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO refunds (refund_id, order_id, at, amount, refunded_total, points_reversed, points_debited, stamps_reversed, qualifying_reversed, cashback_reversed, response)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
    )
    .bind(f.refund_id)
    .bind(f.order_id)
    .bind(f.at)
    .bind(f.amount)
    .bind(f.refunded_total)
    .bind(f.points_reversed)
    .bind(f.points_debited)
    .bind(f.stamps_reversed)
    .bind(f.qualifying_reversed)
    .bind(f.cashback_reversed)
    .bind(f.response)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}
