//! Refer a friend's rows (migration 6, all append-only): `referral_codes`
//! (one per member), `referrals` (one per friend), `referral_refusals`,
//! `referral_rewards` (one per friend: the first qualifying order) and
//! `referral_reversals` (what each refund took back, per side); and the
//! admin's report over them. The rules are the core's
//! (`rewards_core::referral`), applied by `crate::services::referral`.

use sqlx::Row;

use super::db::Conn;
use super::Result;

/// The member's code, if they have one.
pub async fn code_of(conn: &mut Conn, shopper_id: &str) -> Result<Option<String>> {
    let r = sqlx::query("SELECT code FROM referral_codes WHERE shopper_id = $1").bind(shopper_id).fetch_optional(conn).await?;
    Ok(r.map(|r| r.try_get(0)).transpose()?)
}

/// Gives the member `code` unless the code is taken (then nothing is written).
pub async fn insert_code(conn: &mut Conn, code: &str, shopper_id: &str, at: i64) -> Result<()> {
    sqlx::query("INSERT INTO referral_codes (code, shopper_id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(code)
        .bind(shopper_id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whose (canonical) code this is.
pub async fn owner_of(conn: &mut Conn, code: &str) -> Result<Option<String>> {
    let r = sqlx::query("SELECT shopper_id FROM referral_codes WHERE code = $1").bind(code).fetch_optional(conn).await?;
    Ok(r.map(|r| r.try_get(0)).transpose()?)
}

/// A refused attempt and its reason (`code` as typed, cut to 64 characters).
pub async fn refuse(conn: &mut Conn, at: i64, code: &str, reason: &str, friend: Option<&str>, source: &str) -> Result<()> {
    sqlx::query("INSERT INTO referral_refusals (at, code, reason, friend_id, source) VALUES ($1, $2, $3, $4, $5)")
        .bind(at)
        .bind(code.chars().take(64).collect::<String>())
        .bind(reason)
        .bind(friend)
        .bind(source)
        .execute(conn)
        .await?;
    Ok(())
}

/// Who referred the friend, with which code, if anyone did.
pub async fn referral_of(conn: &mut Conn, friend_id: &str) -> Result<Option<(String, String)>> {
    let r = sqlx::query("SELECT referrer_id, code FROM referrals WHERE friend_id = $1").bind(friend_id).fetch_optional(conn).await?;
    Ok(match r {
        Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
        None => None,
    })
}

pub async fn insert_referral(conn: &mut Conn, friend_id: &str, referrer_id: &str, code: &str, source: &str, at: i64) -> Result<()> {
    sqlx::query("INSERT INTO referrals (friend_id, referrer_id, code, source, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(friend_id)
        .bind(referrer_id)
        .bind(code)
        .bind(source)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether the friend's first qualifying order was rewarded already.
pub async fn rewarded(conn: &mut Conn, friend_id: &str) -> Result<bool> {
    Ok(sqlx::query("SELECT 1 FROM referral_rewards WHERE friend_id = $1").bind(friend_id).fetch_optional(conn).await?.is_some())
}

/// When the referrer was credited for a friend (the cap's window).
pub async fn referrer_credit_times(conn: &mut Conn, referrer_id: &str) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT at FROM referral_rewards WHERE referrer_id = $1 AND referrer_points > 0")
        .bind(referrer_id)
        .fetch_all(conn)
        .await?;
    Ok(rows.iter().map(|r| r.try_get(0)).collect::<std::result::Result<_, _>>()?)
}

/// What a friend's first qualifying order paid.
pub struct Reward<'a> {
    pub friend_id: &'a str,
    pub order_id: &'a str,
    pub referrer_id: &'a str,
    pub at: i64,
    pub available_at: i64,
    pub referrer_points: i64,
    pub friend_points: i64,
}

pub async fn insert_reward(conn: &mut Conn, r: &Reward<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO referral_rewards (friend_id, order_id, referrer_id, at, available_at, referrer_points, friend_points)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(r.friend_id)
    .bind(r.order_id)
    .bind(r.referrer_id)
    .bind(r.at)
    .bind(r.available_at)
    .bind(r.referrer_points)
    .bind(r.friend_points)
    .execute(conn)
    .await?;
    Ok(())
}

/// The rewards an order paid: (friend, referrer, available at, referrer points, friend points).
pub async fn reward_of_order(conn: &mut Conn, order_id: &str) -> Result<Option<(String, String, i64, i64, i64)>> {
    let r = sqlx::query(
        "SELECT friend_id, referrer_id, available_at, referrer_points, friend_points FROM referral_rewards WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_optional(conn)
    .await?;
    Ok(match r {
        Some(r) => Some((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?)),
        None => None,
    })
}

/// What the order's refunds took back from `side` so far.
pub async fn reversed(conn: &mut Conn, order_id: &str, side: &str) -> Result<i64> {
    let r = sqlx::query("SELECT COALESCE(CAST(SUM(reversed) AS BIGINT), 0) FROM referral_reversals WHERE order_id = $1 AND side = $2")
        .bind(order_id)
        .bind(side)
        .fetch_one(conn)
        .await?;
    Ok(r.try_get(0)?)
}

/// What one refund took back from one side.
pub struct Reversal<'a> {
    pub refund_id: &'a str,
    pub side: &'a str,
    pub order_id: &'a str,
    pub reversed: i64,
    pub debited: i64,
    pub at: i64,
}

pub async fn insert_reversal(conn: &mut Conn, r: &Reversal<'_>) -> Result<()> {
    sqlx::query("INSERT INTO referral_reversals (refund_id, side, order_id, reversed, debited, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(r.refund_id)
        .bind(r.side)
        .bind(r.order_id)
        .bind(r.reversed)
        .bind(r.debited)
        .bind(r.at)
        .execute(conn)
        .await?;
    Ok(())
}

/// The admin report's figures.
pub struct Report {
    pub signups: i64,
    pub orders: i64,
    /// Minor units, net of refunds.
    pub revenue: i64,
    pub referrer_points: i64,
    pub friend_points: i64,
    pub friend_vouchers: i64,
    /// The ten referrers with the most friends: (shopper id, code, friends, points credited).
    pub top: Vec<(String, String, i64, i64)>,
    /// (reason, count), by reason.
    pub refusals: Vec<(String, i64)>,
}

async fn one(conn: &mut Conn, sql: &str) -> Result<i64> {
    Ok(sqlx::query(sql).fetch_one(conn).await?.try_get(0)?)
}

/// Orders of referred friends at or after their referral, net of refunds.
const REFERRED_ORDERS: &str = "FROM orders o JOIN referrals r ON r.friend_id = o.shopper_id AND o.at >= r.at";
const NET: &str = "o.subtotal - COALESCE((SELECT MAX(f.refunded_total) FROM refunds f WHERE f.order_id = o.order_id), 0)";

pub async fn report(conn: &mut Conn) -> Result<Report> {
    let signups = one(conn, "SELECT COUNT(*) FROM referrals").await?;
    let orders = one(conn, &format!("SELECT COUNT(*) {REFERRED_ORDERS}")).await?;
    let revenue = one(conn, &format!("SELECT COALESCE(CAST(SUM({NET}) AS BIGINT), 0) {REFERRED_ORDERS}")).await?;
    let paid = |kind: &str| {
        format!("SELECT COALESCE(CAST(SUM(delta) AS BIGINT), 0) FROM ledger WHERE detail LIKE '%\"kind\":\"{kind}\"%' AND cause IN ('action', 'refund')")
    };
    let referrer_points = one(conn, &paid("referral_referrer")).await?;
    let friend_points = one(conn, &paid("referral_friend")).await?;
    let friend_vouchers = one(conn, "SELECT COUNT(*) FROM vouchers WHERE source = 'referral'").await?;
    let mut top = Vec::new();
    for r in sqlx::query(
        "SELECT r.referrer_id, c.code, COUNT(*) AS n, COALESCE(CAST(SUM(w.referrer_points) AS BIGINT), 0)
         FROM referrals r JOIN referral_codes c ON c.shopper_id = r.referrer_id
         LEFT JOIN referral_rewards w ON w.friend_id = r.friend_id
         GROUP BY r.referrer_id, c.code ORDER BY n DESC, r.referrer_id LIMIT 10",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        top.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?));
    }
    let mut refusals = Vec::new();
    for r in sqlx::query("SELECT reason, COUNT(*) FROM referral_refusals GROUP BY reason ORDER BY reason").fetch_all(&mut *conn).await? {
        refusals.push((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?));
    }
    Ok(Report { signups, orders, revenue, referrer_points, friend_points, friend_vouchers, top, refusals })
}

/// One referral and its first qualifying order's rewards (the export's row).
pub struct ExportRow {
    pub at: i64,
    pub friend_id: String,
    pub referrer_id: String,
    pub code: String,
    pub source: String,
    pub order_id: Option<String>,
    pub referrer_points: Option<i64>,
    pub friend_points: Option<i64>,
    pub available_at: Option<i64>,
}

/// Every referral, oldest first.
pub async fn export(conn: &mut Conn) -> Result<Vec<ExportRow>> {
    let rows = sqlx::query(
        "SELECT r.at, r.friend_id, r.referrer_id, r.code, r.source, w.order_id, w.referrer_points, w.friend_points, w.available_at
         FROM referrals r LEFT JOIN referral_rewards w ON w.friend_id = r.friend_id ORDER BY r.at, r.friend_id",
    )
    .fetch_all(conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(ExportRow {
            at: r.try_get(0)?,
            friend_id: r.try_get(1)?,
            referrer_id: r.try_get(2)?,
            code: r.try_get(3)?,
            source: r.try_get(4)?,
            order_id: r.try_get(5)?,
            referrer_points: r.try_get(6)?,
            friend_points: r.try_get(7)?,
            available_at: r.try_get(8)?,
        });
    }
    Ok(out)
}
