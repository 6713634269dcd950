//! What the KPIs are computed from (`/admin`'s `crate::services::kpi` and
//! the console's KPI page): orders net of refunds, signups, ledger points
//! and vouchers, read once per page.

use std::collections::HashMap;

use sqlx::Row;

use super::db::Conn;
use super::Result;

/// An order's subtotal minus its refunds (`refunded_total` is cumulative:
/// the largest is what was refunded in all), for `orders o`.
macro_rules! net_of_refunds {
    () => {
        "o.subtotal - COALESCE((SELECT MAX(r.refunded_total) FROM refunds r WHERE r.order_id = o.order_id), 0)"
    };
}

/// An identified customer's order before `to`: (shopper id, at, subtotal minus refunds).
pub async fn customer_orders(conn: &mut Conn, to: i64) -> Result<Vec<(String, i64, i64)>> {
    let rows = sqlx::query(concat!(
        "SELECT o.shopper_id, o.at, ",
        net_of_refunds!(),
        " FROM orders o WHERE o.shopper_id IS NOT NULL AND o.at < $1"
    ))
    .bind(to)
    .fetch_all(conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
    }
    Ok(out)
}

/// Shoppers who signed up before `to`: id → signed up at.
pub async fn signed_up_before(conn: &mut Conn, to: i64) -> Result<HashMap<String, i64>> {
    let rows = sqlx::query("SELECT id, signed_up_at FROM shoppers WHERE signed_up_at IS NOT NULL AND signed_up_at < $1")
        .bind(to)
        .fetch_all(conn)
        .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        out.insert(r.try_get(0)?, r.try_get(1)?);
    }
    Ok(out)
}

/// Signup times in `[from, to)`.
pub async fn signups_between(conn: &mut Conn, from: i64, to: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT signed_up_at FROM shoppers WHERE signed_up_at >= $1 AND signed_up_at < $2")
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?;
    Ok(rows.iter().map(|r| r.try_get(0)).collect::<std::result::Result<_, _>>()?)
}

/// The sum of ledger deltas in `[from, to)` with one of `causes`.
pub async fn points_sum(conn: &mut Conn, causes: &[&str], from: i64, to: i64) -> Result<i64> {
    let list = causes.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ");
    let sql = format!("SELECT COALESCE(CAST(SUM(delta) AS BIGINT), 0) FROM ledger WHERE cause IN ({list}) AND at >= $1 AND at < $2");
    Ok(sqlx::query(&sql).bind(from).bind(to).fetch_one(conn).await?.try_get(0)?)
}

/// Ledger points in `[from, to)`: (at, delta, cause) for `order`, `action`, `redemption`.
pub async fn points_between(conn: &mut Conn, from: i64, to: i64) -> Result<Vec<(i64, i64, String)>> {
    let rows = sqlx::query("SELECT at, delta, cause FROM ledger WHERE at >= $1 AND at < $2 AND cause IN ('order', 'action', 'redemption')")
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
    }
    Ok(out)
}

/// One order as the console's KPI page counts it.
#[derive(Debug, Clone)]
pub struct Order {
    pub shopper: Option<String>,
    pub at: i64,
    /// Subtotal minus refunds, minor units.
    pub net: i64,
    /// Store credit earned minus reversed, minor units.
    pub cashback: i64,
    /// In the store's currency.
    pub store_currency: bool,
}

/// A voucher issued, in the store's currency.
#[derive(Debug, Clone)]
pub struct Voucher {
    pub at: i64,
    pub redemption: bool,
    pub discount: i64,
    pub voided: bool,
}

/// Everything the console's KPI page reads, once for all periods.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub orders: Vec<Order>,
    /// Shopper id → signed up at.
    pub signed_up: HashMap<String, i64>,
    /// Ledger points: (at, delta, cause) for `order`, `action`, `redemption`.
    pub points: Vec<(i64, i64, String)>,
    pub vouchers: Vec<Voucher>,
}

/// Orders before `to`, every signup before `to`, ledger points and vouchers
/// in `[from, to)`; money in `currency` (the store's) is marked so.
pub async fn facts(conn: &mut Conn, currency: &str, from: i64, to: i64) -> Result<Facts> {
    let mut facts = Facts::default();
    for r in sqlx::query(concat!(
        "SELECT o.shopper_id, o.at, ",
        net_of_refunds!(),
        ",
                o.cashback - COALESCE((SELECT CAST(SUM(r.cashback_reversed) AS BIGINT) FROM refunds r WHERE r.order_id = o.order_id), 0),
                o.currency
         FROM orders o WHERE o.at < $1"
    ))
    .bind(to)
    .fetch_all(&mut *conn)
    .await?
    {
        let code: String = r.try_get(4)?;
        facts.orders.push(Order {
            shopper: r.try_get(0)?,
            at: r.try_get(1)?,
            net: r.try_get(2)?,
            cashback: r.try_get(3)?,
            store_currency: code == currency,
        });
    }
    facts.signed_up = signed_up_before(&mut *conn, to).await?;
    facts.points = points_between(&mut *conn, from, to).await?;
    for r in sqlx::query(
        "SELECT v.at, v.source, v.discount, (SELECT COUNT(*) FROM voucher_events e WHERE e.code = v.code AND e.event = 'voided')
         FROM vouchers v WHERE v.at >= $1 AND v.at < $2 AND v.currency = $3",
    )
    .bind(from)
    .bind(to)
    .bind(currency)
    .fetch_all(&mut *conn)
    .await?
    {
        let (source, voided): (String, i64) = (r.try_get(1)?, r.try_get(3)?);
        facts.vouchers.push(Voucher { at: r.try_get(0)?, redemption: source == "redemption", discount: r.try_get(2)?, voided: voided > 0 });
    }
    Ok(facts)
}
