//! Voucher rows (`vouchers`) and their terminal events (`voucher_events`:
//! `used` by an order, `voided` by the merchant), both append-only. What a
//! state means is `crate::services::vouchers`'s business.

use rewards_core::json::Json;
use sqlx::Row;

use super::db::Conn;
use super::Result;

/// A voucher as stored, its event (if any) read with it.
#[derive(Debug, Clone)]
pub struct VoucherRow {
    pub code: String,
    pub shopper_id: String,
    pub source: String,
    pub redemption_id: String,
    pub points: i64,
    pub discount: i64,
    pub currency: String,
    pub issued_at: i64,
    /// `used` or `voided`, with its `ref` (the order id or the reason) and time.
    pub event: Option<(String, Option<String>)>,
    pub event_at: Option<i64>,
}

const SELECT: &str = "SELECT v.code, v.shopper_id, v.source, v.redemption_id, v.points, v.discount, v.currency, v.at, e.event, e.ref, e.at
     FROM vouchers v LEFT JOIN voucher_events e ON e.code = v.code";

fn row(r: &sqlx::any::AnyRow) -> Result<VoucherRow> {
    let event: Option<String> = r.try_get(8)?;
    let reference: Option<String> = r.try_get(9)?;
    Ok(VoucherRow {
        code: r.try_get(0)?,
        shopper_id: r.try_get(1)?,
        source: r.try_get(2)?,
        redemption_id: r.try_get(3)?,
        points: r.try_get(4)?,
        discount: r.try_get(5)?,
        currency: r.try_get(6)?,
        issued_at: r.try_get(7)?,
        event: event.map(|e| (e, reference)),
        event_at: r.try_get(10)?,
    })
}

/// Every voucher of a shopper, oldest first.
pub async fn of_shopper(conn: &mut Conn, shopper_id: &str) -> Result<Vec<VoucherRow>> {
    let rows = sqlx::query(&format!("{SELECT} WHERE v.shopper_id = $1 ORDER BY v.at, v.code")).bind(shopper_id).fetch_all(conn).await?;
    rows.iter().map(row).collect()
}

pub async fn find(conn: &mut Conn, code: &str) -> Result<Option<VoucherRow>> {
    sqlx::query(&format!("{SELECT} WHERE v.code = $1")).bind(code).fetch_optional(conn).await?.as_ref().map(row).transpose()
}

/// The vouchers among `codes`, in one statement (a round trip less per
/// code on the writer); codes that are not ours are absent.
pub async fn find_many(conn: &mut Conn, codes: &[String]) -> Result<Vec<VoucherRow>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=codes.len()).map(|i| format!("${i}")).collect();
    let sql = format!("{SELECT} WHERE v.code IN ({})", marks.join(", "));
    let mut q = sqlx::query(&sql);
    for code in codes {
        q = q.bind(code);
    }
    q.fetch_all(conn).await?.iter().map(row).collect()
}

/// A voucher to write.
pub struct NewVoucher<'a> {
    pub code: &'a str,
    pub shopper_id: &'a str,
    /// `redemption`, `punch_card` or `referral`.
    pub source: &'a str,
    pub redemption_id: &'a str,
    pub points: i64,
    pub discount: i64,
}

/// Writes a voucher; `key` is (idempotency key, request hash) of a
/// redemption, `resp` the answer stored for its retries.
pub async fn insert(
    conn: &mut Conn,
    v: &NewVoucher<'_>,
    currency: &str,
    at: i64,
    key: Option<(&str, &str)>,
    resp: &Json<'_>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO vouchers (code, shopper_id, source, redemption_id, points, discount, currency, at, idempotency_key, request_sha256, response)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(v.code)
    .bind(v.shopper_id)
    .bind(v.source)
    .bind(v.redemption_id)
    .bind(v.points)
    .bind(v.discount)
    .bind(currency)
    .bind(at)
    .bind(key.map(|k| k.0))
    .bind(key.map(|k| k.1))
    .bind(resp.to_text())
    .execute(conn)
    .await?;
    Ok(())
}

/// The redemption a shopper made with an idempotency key: (its request hash, its stored answer).
pub async fn by_idempotency_key(conn: &mut Conn, shopper_id: &str, key: &str) -> Result<Option<(Option<String>, String)>> {
    let r = sqlx::query("SELECT request_sha256, response FROM vouchers WHERE shopper_id = $1 AND idempotency_key = $2")
        .bind(shopper_id)
        .bind(key)
        .fetch_optional(conn)
        .await?;
    Ok(match r {
        Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
        None => None,
    })
}

/// Records `code` used by `order_id`.
pub async fn mark_used(conn: &mut Conn, code: &str, order_id: &str, at: i64) -> Result<()> {
    sqlx::query("INSERT INTO voucher_events (code, event, ref, at, detail) VALUES ($1, 'used', $2, $3, '{}')")
        .bind(code)
        .bind(order_id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records `code` voided for `reason`.
pub async fn mark_voided(conn: &mut Conn, code: &str, reason: &str, at: i64, detail: &str) -> Result<()> {
    sqlx::query("INSERT INTO voucher_events (code, event, ref, at, detail) VALUES ($1, 'voided', $2, $3, $4)")
        .bind(code)
        .bind(reason)
        .bind(at)
        .bind(detail)
        .execute(conn)
        .await?;
    Ok(())
}
