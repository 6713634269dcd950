//! The shopper's state over time: what a read sees at `now` (due
//! lifecycle entries written first), inactivity expiry, punch-card lapse,
//! the birthday gift, and `tick`, which applies them to every shopper.

use rewards_core::json::{int, obj, s};
use rewards_core::lifecycle;
use rewards_core::shopper::RewardedAction;
use rewards_core::time::format_instant;
use rewards_core::{punch, Program};

use crate::error::{ApiError, ApiResult};
use crate::services::birthday;
use crate::storage::db::{Conn, Db, WriteTx};
use crate::storage::ledger::{self, append, append_stamps, credit_action, find, load, lock, Entry, State};
use crate::storage::{entries, shoppers};
use crate::App;

/// The shopper's state at `now`, writing due lifecycle entries first.
pub async fn current_state(app: &App, subject: &str, now: i64) -> ApiResult<Option<State>> {
    let program = app.program();
    let state = {
        let mut conn = app.db.read().await?;
        let Some(row) = ledger::resolve(&mut conn, subject).await? else { return Ok(None) };
        ledger::load(&mut conn, program, row, now).await?
    };
    if !lifecycle_due(program, &state, now) {
        return Ok(Some(state));
    }
    let mut w = app.db.write().await?;
    let result: ApiResult<State> = async {
        // Read again inside the write: the row above came from a reader.
        let row = ledger::find(w.conn(), "id", &state.row.id).await?.ok_or(crate::storage::Error::missing())?;
        let row = ledger::lock(&app.db, w.conn(), row).await?;
        let mut state = ledger::load(w.conn(), program, row, now).await?;
        apply_lifecycle(w.conn(), program, &app.program.version, &mut state, now).await?;
        Ok(state)
    }
    .await;
    Ok(Some(w.finish(result).await?))
}

/// Inactivity expiry, punch-card lapse and the birthday gift due at `now`,
/// as entries (`crate::services::birthday`). Returns the points expired. Callers hold the shopper's write lock.
pub async fn apply_lifecycle(conn: &mut Conn, program: &Program, version: &str, state: &mut State, now: i64) -> ApiResult<i64> {
    let mut expired = 0;
    let shopper = &mut state.shopper;
    let last = shopper.last_activity.unwrap_or(state.row.created_at);
    if let (Some(months), Some(due)) = (program.lifecycle.expiry_months_inactive, lifecycle::expires_at(program, last)) {
        if now >= due && shopper.balance > 0 {
            expired = shopper.balance;
            let detail = obj(vec![
                ("reason", s("inactivity")),
                ("last_activity", s(format_instant(last))),
                ("expiry_months_inactive", int(months)),
                ("due", s(format_instant(due))),
            ]);
            let reference = format!("{}:{now}", state.row.id);
            append(
                conn,
                version,
                Entry {
                    shopper_id: &state.row.id,
                    delta: -expired,
                    cause: "expiry",
                    reference: &reference,
                    at: now,
                    available_at: now,
                    detail: detail.to_text(),
                },
            )
            .await?;
            shopper.balance = 0;
        }
    }
    let lapsed =
        shopper.stamps > 0 && punch::progress(program, shopper, None, now).map_err(|e| ApiError::core(e, ""))?.is_some_and(|p| p.expired);
    if lapsed {
        let reference = format!("{}:{now}", state.row.id);
        append_stamps(conn, version, &state.row.id, -shopper.stamps, "expiry", &reference, now, None, 0).await?;
        shopper.stamps = 0;
        shopper.card_started = None;
    }
    if let Some((year, a)) = birthday::due(program, &state.row, &state.shopper, now) {
        // Once per local year by this reference (and by the rewarded action `due` reads).
        let reference = format!("birthday:{}:{year}", state.row.id);
        let detail = obj(vec![("action", s(&*a.id)), ("kind", s("birthday")), ("year", int(year)), ("points", int(a.points))]);
        credit_action(conn, version, &state.row.id, &a.id, a.points, &reference, (now, now), detail.to_text(), "birthday").await?;
        state.shopper.balance += a.points;
        state.shopper.rewarded_actions.push(RewardedAction { id: a.id.clone(), at: now });
    }
    Ok(expired)
}

/// Whether lifecycle work is due (checked without the write lock first).
pub fn lifecycle_due(program: &Program, state: &State, now: i64) -> bool {
    let shopper = &state.shopper;
    let last = shopper.last_activity.unwrap_or(state.row.created_at);
    let points = lifecycle::is_expired(program, last, now) && shopper.balance > 0;
    let stamps = shopper.stamps > 0 && punch::progress(program, shopper, None, now).ok().flatten().is_some_and(|p| p.expired);
    points || stamps || birthday::due(program, &state.row, shopper, now).is_some()
}

async fn expire(db: &Db, w: &mut WriteTx, program: &Program, version: &str, id: &str, now: i64) -> ApiResult<i64> {
    let row = find(w.conn(), "id", id).await?.ok_or(crate::storage::Error::missing())?;
    let row = lock(db, w.conn(), row).await?;
    let mut state = load(w.conn(), program, row, now).await?;
    apply_lifecycle(w.conn(), program, version, &mut state, now).await
}

/// What `tick` did.
#[derive(Debug, Default)]
pub struct TickReport {
    pub shoppers: i64,
    pub expired_shoppers: i64,
    pub expired_points: i64,
    /// Points that became spendable since the previous tick (pending → available).
    pub released_points: i64,
    pub pending_points: i64,
    /// Birthday gifts credited.
    pub birthdays: i64,
}

/// Lifecycle for every shopper: writes due expiry entries and reports the
/// pending points that matured since `since` (they need no entry: the
/// balance counts an entry once `available_at` has passed).
pub async fn tick(db: &Db, program: &Program, version: &str, since: i64, now: i64) -> ApiResult<TickReport> {
    let mut report = TickReport::default();
    let ids: Vec<String> = {
        let mut conn = db.read().await?;
        let ids = shoppers::ids(&mut conn).await?;
        (report.released_points, report.pending_points) = entries::released_and_pending(&mut conn, since, now).await?;
        ids
    };
    for id in ids {
        report.shoppers += 1;
        let state = {
            let mut conn = db.read().await?;
            let Some(row) = find(&mut conn, "id", &id).await? else { continue };
            load(&mut conn, program, row, now).await?
        };
        if !lifecycle_due(program, &state, now) {
            continue;
        }
        report.birthdays += i64::from(birthday::due(program, &state.row, &state.shopper, now).is_some());
        let mut w = db.write().await?;
        let result = expire(db, &mut w, program, version, &id, now).await;
        let expired = w.finish(result).await?;
        if expired > 0 {
            report.expired_shoppers += 1;
            report.expired_points += expired;
        }
    }
    Ok(report)
}
