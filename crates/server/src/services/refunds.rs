//! Refunds and cancellations of recorded orders, from every sender.
//! Idempotent by refund id: a duplicate delivery writes nothing and
//! answers the stored response. A refund for an order not seen yet answers
//! 409 (the sender retries; nothing is written).
//!
//! Rounding step *refund clawback*: after refunds totalling R of an
//! order's subtotal T, the points reversed so far are ⌊award × R / T⌋
//! (cumulative, so a full refund reverses exactly the award and the sum
//! of reversals never exceeds it). Stamps, qualifying spend and cashback
//! are reversed the same way.

use rewards_core::json::{int, obj, s, Json};
use sqlx::Row;

use crate::error::{ApiError, ApiResult};
use crate::storage::db::WriteTx;
use crate::storage::ledger::{self, Entry};
use crate::App;

/// ⌊x × num / den⌋ for the cumulative refund fraction (den > 0, 0 ≤ num ≤ den).
fn pro_rata(x: i64, num: i64, den: i64) -> i64 {
    ((x as i128 * num as i128) / den as i128) as i64
}

/// The refund's writes; returns the response text (stored with the
/// refund), or `None` when a concurrent delivery recorded it first.
/// `amount`: minor units refunded by this refund; `None` reverses the rest.
pub(crate) async fn record_refund(
    app: &App,
    w: &mut WriteTx,
    refund_id: &str,
    order_id: &str,
    amount: Option<i64>,
    now: i64,
) -> ApiResult<Option<String>> {
    let (program, version) = (app.program(), &app.program.version);
    if let Some(r) = sqlx::query("SELECT response FROM refunds WHERE refund_id = $1").bind(refund_id).fetch_optional(w.conn()).await? {
        return Ok(Some(r.try_get(0)?));
    }
    let Some(o) =
        sqlx::query("SELECT shopper_id, subtotal, qualifying, points, stamps, cashback, available_at FROM orders WHERE order_id = $1")
            .bind(order_id)
            .fetch_optional(w.conn())
            .await?
    else {
        return Err(ApiError::conflict(format!(
            "order \"{order_id}\" has not been received yet; retry the refund after the order webhook"
        )));
    };
    let shopper_id: Option<String> = o.try_get(0)?;
    let [subtotal, qualifying, points, stamps, cashback, order_available]: [i64; 6] =
        [o.try_get(1)?, o.try_get(2)?, o.try_get(3)?, o.try_get(4)?, o.try_get(5)?, o.try_get(6)?];
    // Locked before the order's earlier refunds are summed (PostgreSQL).
    let row = match &shopper_id {
        Some(id) => {
            let row = ledger::find(w.conn(), "id", id).await?.ok_or(sqlx::Error::RowNotFound)?;
            Some(ledger::lock(&app.db, w.conn(), row).await?)
        }
        None => None,
    };
    let prev = sqlx::query(
        "SELECT COALESCE(MAX(refunded_total), 0), COALESCE(CAST(SUM(points_reversed) AS BIGINT), 0), COALESCE(CAST(SUM(stamps_reversed) AS BIGINT), 0),
                COALESCE(CAST(SUM(qualifying_reversed) AS BIGINT), 0), COALESCE(CAST(SUM(cashback_reversed) AS BIGINT), 0)
         FROM refunds WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_one(w.conn())
    .await?;
    let [prev_total, prev_points, prev_stamps, prev_qual, prev_cash]: [i64; 5] =
        [prev.try_get(0)?, prev.try_get(1)?, prev.try_get(2)?, prev.try_get(3)?, prev.try_get(4)?];
    let refunded_total = match amount {
        None => subtotal,
        Some(a) => prev_total.saturating_add(a).min(subtotal),
    };
    // A free order counts as wholly refunded by any refund.
    let (num, den) = if subtotal == 0 { (1, 1) } else { (refunded_total, subtotal) };
    let points_rev = pro_rata(points, num, den) - prev_points;
    let stamps_rev = pro_rata(stamps, num, den) - prev_stamps;
    let qual_rev = pro_rata(qualifying, num, den) - prev_qual;
    let cash_rev = pro_rata(cashback, num, den) - prev_cash;
    let mut debited = 0;
    let mut stamps_debited = 0;
    if let Some(row) = row {
        let mut state = ledger::load(w.conn(), program, row, now).await?;
        let id = state.row.id.clone();
        let id = id.as_str();
        crate::services::lifecycle::apply_lifecycle(w.conn(), program, version, &mut state, now).await?;
        // Still pending: cancel pending points (dated like the award).
        // Spendable: never take more than the balance holds.
        let (amount, available_at) =
            if order_available > now { (points_rev, order_available) } else { (points_rev.min(state.shopper.balance.max(0)), now) };
        debited = amount;
        if debited > 0 {
            let detail = obj(vec![
                ("order_id", s(order_id)),
                ("refunded_total", int(refunded_total)),
                ("subtotal", int(subtotal)),
                ("award", int(points)),
                ("reversed", int(points_rev)),
                ("debited", int(debited)),
                ("shortfall", int(points_rev - debited)),
            ]);
            let e = Entry {
                shopper_id: id,
                delta: -debited,
                cause: "refund",
                reference: refund_id,
                at: now,
                available_at,
                detail: detail.to_text(),
            };
            ledger::append(w.conn(), version, e).await?;
        }
        stamps_debited = stamps_rev.min(state.shopper.stamps);
        if stamps_debited > 0 {
            let started = if state.shopper.stamps - stamps_debited == 0 { None } else { state.shopper.card_started };
            ledger::append_stamps(w.conn(), version, id, -stamps_debited, "refund", refund_id, now, started, 0).await?;
        }
    }
    crate::services::referral::on_refund(app, w.conn(), &app.db, order_id, refund_id, (num, den), now).await?;
    let resp = obj(vec![
        ("ok", Json::Bool(true)),
        ("refund_id", s(refund_id)),
        ("order_id", s(order_id)),
        ("refunded_total", int(refunded_total)),
        ("points_reversed", int(points_rev)),
        ("points_debited", int(debited)),
        ("stamps_reversed", int(stamps_debited)),
    ])
    .to_text();
    let r = sqlx::query(
        "INSERT INTO refunds (refund_id, order_id, at, amount, refunded_total, points_reversed, points_debited, stamps_reversed, qualifying_reversed, cashback_reversed, response)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
    )
    .bind(refund_id)
    .bind(order_id)
    .bind(now)
    .bind(refunded_total - prev_total)
    .bind(refunded_total)
    .bind(points_rev)
    .bind(debited)
    .bind(stamps_rev)
    .bind(qual_rev)
    .bind(cash_rev)
    .bind(&resp)
    .execute(w.conn())
    .await?;
    Ok((r.rows_affected() == 1).then_some(resp))
}
