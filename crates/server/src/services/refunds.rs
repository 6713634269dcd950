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

use crate::error::{ApiError, ApiResult};
use crate::storage::db::WriteTx;
use crate::storage::ledger::{self, Entry};
use crate::storage::orders::{self as stored, Awarded, NewRefund};
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
    if let Some(answer) = stored::refund_recorded(w.conn(), refund_id).await? {
        return Ok(Some(answer));
    }
    let Some(o) = stored::awarded(w.conn(), order_id).await? else {
        return Err(ApiError::conflict(format!(
            "order \"{order_id}\" has not been received yet; retry the refund after the order webhook"
        )));
    };
    let Awarded { shopper_id, subtotal, qualifying, points, stamps, cashback, available_at: order_available } = o;
    // Locked before the order's earlier refunds are summed (PostgreSQL).
    let row = match &shopper_id {
        Some(id) => {
            let row = stored::shopper(w.conn(), id).await?;
            Some(ledger::lock(&app.db, w.conn(), row).await?)
        }
        None => None,
    };
    let prev = stored::refunded(w.conn(), order_id).await?;
    let (prev_total, prev_points, prev_stamps, prev_qual, prev_cash) =
        (prev.total, prev.points, prev.stamps, prev.qualifying, prev.cashback);
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
    let f = NewRefund {
        refund_id,
        order_id,
        at: now,
        amount: refunded_total - prev_total,
        refunded_total,
        points_reversed: points_rev,
        points_debited: debited,
        stamps_reversed: stamps_rev,
        qualifying_reversed: qual_rev,
        cashback_reversed: cash_rev,
        response: &resp,
    };
    Ok(stored::insert_refund(w.conn(), &f).await?.then_some(resp))
}
