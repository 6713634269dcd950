//! Reads of the ledger's entries for pages, exports and checks, and the
//! record of rewarded actions; the balance and the writes of entries are
//! `ledger`'s.

use sqlx::Row;

use super::db::Conn;
use super::Result;

/// One ledger entry as stored.
#[derive(Debug, Clone)]
pub struct EntryRow {
    pub id: i64,
    pub shopper_id: String,
    pub at: i64,
    pub available_at: i64,
    pub cause: String,
    pub reference: String,
    pub delta: i64,
    pub program_version: String,
    pub detail: String,
}

const COLS: &str = "id, shopper_id, at, available_at, cause, ref, delta, program_version, detail";

fn entry(r: &sqlx::any::AnyRow) -> Result<EntryRow> {
    Ok(EntryRow {
        id: r.try_get(0)?,
        shopper_id: r.try_get(1)?,
        at: r.try_get(2)?,
        available_at: r.try_get(3)?,
        cause: r.try_get(4)?,
        reference: r.try_get(5)?,
        delta: r.try_get(6)?,
        program_version: r.try_get(7)?,
        detail: r.try_get(8)?,
    })
}

/// A shopper's entries with ids below `before`, newest first, at most `limit`.
pub async fn page(conn: &mut Conn, shopper_id: &str, before: i64, limit: i64) -> Result<Vec<EntryRow>> {
    let sql = format!("SELECT {COLS} FROM ledger WHERE shopper_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3");
    sqlx::query(&sql).bind(shopper_id).bind(before).bind(limit).fetch_all(conn).await?.iter().map(entry).collect()
}

/// A shopper's newest `limit` entries, newest first.
pub async fn newest(conn: &mut Conn, shopper_id: &str, limit: i64) -> Result<Vec<EntryRow>> {
    let sql = format!("SELECT {COLS} FROM ledger WHERE shopper_id = $1 ORDER BY id DESC LIMIT $2");
    sqlx::query(&sql).bind(shopper_id).bind(limit).fetch_all(conn).await?.iter().map(entry).collect()
}

/// Every entry, oldest first (the ledger export).
pub async fn all(conn: &mut Conn) -> Result<Vec<EntryRow>> {
    sqlx::query(&format!("SELECT {COLS} FROM ledger ORDER BY id")).fetch_all(conn).await?.iter().map(entry).collect()
}

/// The points of the `action` entry with `reference`, if it was credited.
pub async fn action_points(conn: &mut Conn, reference: &str) -> Result<Option<i64>> {
    let r = sqlx::query("SELECT delta FROM ledger WHERE cause = 'action' AND ref = $1").bind(reference).fetch_optional(conn).await?;
    Ok(match r {
        Some(r) => Some(r.try_get(0)?),
        None => None,
    })
}

/// Whether an `adjustment` entry with `reference` exists.
pub async fn adjustment_exists(conn: &mut Conn, reference: &str) -> Result<bool> {
    Ok(sqlx::query("SELECT 1 FROM ledger WHERE cause = 'adjustment' AND ref = $1").bind(reference).fetch_optional(conn).await?.is_some())
}

/// Points that became available in `(since, now]`, and points still pending after `now`, over every shopper.
pub async fn released_and_pending(conn: &mut Conn, since: i64, now: i64) -> Result<(i64, i64)> {
    let r = sqlx::query(
        "SELECT COALESCE(CAST(SUM(CASE WHEN available_at > $1 AND available_at <= $2 THEN delta ELSE 0 END) AS BIGINT), 0),
                COALESCE(CAST(SUM(CASE WHEN available_at > $2 THEN delta ELSE 0 END) AS BIGINT), 0)
         FROM ledger",
    )
    .bind(since)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok((r.try_get(0)?, r.try_get(1)?))
}

/// Records that `action_id` was rewarded to the shopper (`source`: `webhook`, `order`, …).
pub async fn record_rewarded_action(conn: &mut Conn, shopper_id: &str, action_id: &str, at: i64, source: &str) -> Result<()> {
    sqlx::query(super::ledger::ACTION_SQL).bind(shopper_id).bind(action_id).bind(at).bind(source).execute(conn).await?;
    Ok(())
}
