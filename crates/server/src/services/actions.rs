//! `POST /api/webhooks/actions`: the merchant reports a bonus action
//! (newsletter, birthday, social follow/share, referral, review). Points
//! are credited when the core's `actions::eligible` allows it (limits:
//! once, yearly, every N days). Idempotent by `event_id`.

use rewards_core::config::{Action, ActionKind};
use rewards_core::json::{int, obj, s, Json};
use rewards_core::time::format_instant;

use crate::body::{Id, MembershipStatus, Obj};
use crate::error::{ApiError, ApiResult};
use crate::services::orders::order_shopper;
use crate::services::platforms::generic::{customer, Customer};
use crate::storage::db::WriteTx;
use crate::storage::ledger::{self, Entry, ShopperRow};
use crate::storage::{entries, shoppers};
use crate::App;

/// `POST /api/webhooks/actions`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    event_id: Id<128>,
    customer: Option<Obj<Customer>>,
    action_id: Id<64>,
}

/// `POST /api/webhooks/membership`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipBody {
    customer: Option<Obj<Customer>>,
    membership_id: Id<64>,
    status: MembershipStatus,
}

/// A bonus action whose sender is already trusted, credited once per event id.
pub async fn action(app: &App, body: ActionBody) -> ApiResult<Json<'static>> {
    let (event_id, action_id) = (body.event_id.0, body.action_id.0);
    let (cid, email) = customer(body.customer);
    if cid.is_none() && email.is_none() {
        return Err(ApiError::invalid("customer", "needs an id or an email"));
    }
    let program = app.program();
    let Some(action) = program.actions.iter().find(|a| a.id == action_id) else {
        return Err(ApiError::invalid("action_id", "is not an action of this program"));
    };
    if action.kind == ActionKind::FirstOrder {
        return Err(ApiError::invalid("action_id", "first_order is credited by the order webhook"));
    }
    let now = app.clock.now();
    let mut w = app.db.write().await?;
    let result = credit(app, &mut w, action, &event_id, (cid.as_deref(), email.as_deref()), now).await;
    // A redelivered event answers what was credited and writes nothing.
    let keep = result.as_ref().is_ok_and(|(_, fresh)| *fresh);
    let (out, _) = w.finish_keeping(result, keep).await?;
    Ok(out)
}

/// The action's writes: the response, and whether this delivery is new.
async fn credit(
    app: &App,
    w: &mut WriteTx,
    action: &Action,
    event_id: &str,
    (cid, email): (Option<&str>, Option<&str>),
    now: i64,
) -> ApiResult<(Json<'static>, bool)> {
    let (program, version) = (app.program(), &app.program.version);
    let reference = format!("event:{event_id}");
    let row = order_shopper(w.conn(), cid, email, now).await?;
    let row = ledger::lock(&app.db, w.conn(), row).await?;
    let reply = |points: i64, next: Option<Json<'static>>| {
        let mut f = vec![
            ("ok", Json::Bool(true)),
            ("event_id", s(event_id)),
            ("shopper_id", s(&*row.id)),
            ("action_id", s(&*action.id)),
            ("points", int(points)),
        ];
        if let Some(n) = next {
            f.push(("next_eligible", n));
        }
        obj(f)
    };
    if let Some(points) = entries::action_points(w.conn(), &reference).await? {
        return Ok((reply(points, None), false));
    }
    let mut state = ledger::load(w.conn(), program, row.clone(), now).await?;
    crate::services::lifecycle::apply_lifecycle(w.conn(), program, version, &mut state, now).await?;
    if let Err(next) = rewards_core::actions::eligible(action, &state.shopper, now) {
        return Ok((reply(0, Some(next.map_or(Json::Null, |t| s(format_instant(t))))), true));
    }
    let detail = obj(vec![("action", s(&*action.id)), ("kind", s(action.kind.name())), ("event_id", s(event_id))]);
    let e = Entry {
        shopper_id: &row.id,
        delta: action.points,
        cause: "action",
        reference: &reference,
        at: now,
        available_at: now,
        detail: detail.to_text(),
    };
    ledger::append(w.conn(), version, e).await?;
    entries::record_rewarded_action(w.conn(), &row.id, &action.id, now, "webhook").await?;
    Ok((reply(action.points, None), true))
}

/// `POST /api/webhooks/membership`'s service: the merchant's billing reports the
/// paid membership's state (`trial`, `active`, `lapsed`); the engine
/// applies its multiplier and members-only rewards from then on.
pub async fn membership(app: &App, body: MembershipBody) -> ApiResult<Json<'static>> {
    let (cid, email) = customer(body.customer);
    if cid.is_none() && email.is_none() {
        return Err(ApiError::invalid("customer", "needs an id or an email"));
    }
    let membership_id = body.membership_id.0;
    if app.program().membership.as_ref().is_none_or(|m| m.id != membership_id) {
        return Err(ApiError::invalid("membership_id", "is not the membership of this program"));
    }
    let status = body.status.name();
    let now = app.clock.now();
    let mut w = app.db.write().await?;
    let result: ApiResult<ShopperRow> = async {
        let row = order_shopper(w.conn(), cid.as_deref(), email.as_deref(), now).await?;
        let row = ledger::lock(&app.db, w.conn(), row).await?;
        shoppers::set_membership(w.conn(), &row.id, &membership_id, status).await?;
        Ok(row)
    }
    .await;
    let row = w.finish(result).await?;
    let out =
        obj(vec![("ok", Json::Bool(true)), ("shopper_id", s(&*row.id)), ("membership_id", s(&*membership_id)), ("status", s(status))]);
    Ok(out)
}
