//! Refer a friend, the server's side: each member's code (40 random bits
//! drawn here, written by the core's `referral::code_from_bits`), the
//! referral records, and the credits. Every rule (who may refer whom,
//! what each side gets, the cap, a qualifying order) is the core's
//! `rewards_core::referral`; this module reads and writes the rows.
//!
//! Tables (migration 6, all append-only): `referral_codes` (one per
//! member), `referrals` (one per friend: the first valid code wins, by
//! primary key), `referral_refusals` (every refused attempt with its
//! reason, for the admin), `referral_rewards` (one per friend: the first
//! qualifying order and what it credited) and `referral_reversals` (what
//! each refund of that order took back, per side).
//!
//! The referrer's points are written when the friend's first qualifying
//! order is recorded, with that order's `available_at`: they become
//! spendable exactly when the order's own points do (`lifecycle.pending_days`),
//! and a refund before then cancels them while pending, as for the order.

use rewards_core::config::{ActionKind, FriendRewardOn};
use rewards_core::json::{int, obj, s, Json};
use rewards_core::referral::{self as core, Party, Refusal};

use crate::error::ApiResult;
use crate::services::redeem;
use crate::storage::db::Conn;
use crate::storage::ledger::{self, Entry, ShopperRow};
use crate::storage::referrals::{self as rows, Reversal, Reward};
use crate::storage::{Error, Result};
use crate::App;

/// The member's code, drawn on first use (a collision draws again).
pub async fn code_of(conn: &mut Conn, shopper_id: &str, now: i64) -> Result<String> {
    for _ in 0..8 {
        if let Some(code) = rows::code_of(&mut *conn, shopper_id).await? {
            return Ok(code);
        }
        rows::insert_code(&mut *conn, &core::code_from_bits(rand::random()), shopper_id, now).await?;
    }
    Err(Error::missing())
}

/// A member's code for `GET /api/shopper`: read, or drawn in its own
/// write the first time (members who joined before the referral program).
pub async fn code_for_member(app: &App, shopper_id: &str, now: i64) -> ApiResult<String> {
    if let Some(code) = existing_code(&mut *app.db.read().await?, shopper_id).await? {
        return Ok(code);
    }
    let mut w = app.db.write().await?;
    let result = code_of(w.conn(), shopper_id, now).await.map_err(Into::into);
    w.finish(result).await
}

/// The member's code if they have one (reads never draw one).
pub async fn existing_code(conn: &mut Conn, shopper_id: &str) -> Result<Option<String>> {
    rows::code_of(conn, shopper_id).await
}

async fn refuse(conn: &mut Conn, code: &str, reason: Refusal, friend: Option<&str>, source: &str, now: i64) -> Result<()> {
    rows::refuse(conn, now, code, reason.name(), friend, source).await
}

fn party(r: &ShopperRow) -> Party<'_> {
    Party { shopper_id: &r.id, customer_id: r.customer_id.as_deref(), email: r.email.as_deref() }
}

/// Records `friend` as referred by the owner of `code` (as typed), or the
/// refusal and its reason. `known_before`: the friend was a member or a
/// customer before this code came. Returns the referrer's id.
pub async fn attribute(
    conn: &mut Conn,
    friend: &ShopperRow,
    code: &str,
    known_before: bool,
    source: &str,
    now: i64,
) -> Result<std::result::Result<String, Refusal>> {
    let referrer = match core::normalise_code(code) {
        None => None,
        Some(c) => match rows::owner_of(&mut *conn, &c).await? {
            Some(owner) => ledger::find(conn, "id", &owner).await?.map(|row| (c, row)),
            None => None,
        },
    };
    let Some((canonical, referrer)) = referrer else {
        refuse(conn, code, Refusal::UnknownCode, Some(&friend.id), source, now).await?;
        return Ok(Err(Refusal::UnknownCode));
    };
    let already = rows::referral_of(&mut *conn, &friend.id).await?.is_some();
    if let Err(reason) = core::check(&party(&referrer), &party(friend), already, known_before) {
        refuse(conn, &canonical, reason, Some(&friend.id), source, now).await?;
        return Ok(Err(reason));
    }
    rows::insert_referral(conn, &friend.id, &referrer.id, &canonical, source, now).await?;
    Ok(Ok(referrer.id))
}

/// Credits the friend's side (points under the `referral_friend` action,
/// and the voucher when configured); returns (points, voucher code).
async fn credit_friend(
    app: &App,
    conn: &mut Conn,
    friend_id: &str,
    available_at: i64,
    order: Option<&str>,
    now: i64,
) -> ApiResult<(i64, Option<String>)> {
    let program = app.program();
    let rewards = core::rewards(program);
    let mut points = 0;
    if let (Some(action), true) = (core::action_id(program, ActionKind::ReferralFriend), rewards.friend_points > 0) {
        points = rewards.friend_points;
        let reference = format!("referral-friend:{friend_id}");
        let mut detail = vec![("action", s(action)), ("kind", s("referral_friend")), ("points", int(points))];
        if let Some(o) = order {
            detail.push(("order_id", s(o)));
        }
        let (version, detail) = (&app.program.version, obj(detail).to_text());
        ledger::credit_action(conn, version, friend_id, action, points, &reference, (now, available_at), detail, "referral").await?;
    }
    let mut voucher = None;
    if let Some(value) = rewards.friend_voucher {
        let code = redeem::new_code();
        let v = crate::storage::vouchers::NewVoucher {
            code: &code,
            shopper_id: friend_id,
            source: "referral",
            redemption_id: "referral",
            points: 0,
            discount: value,
        };
        crate::storage::vouchers::insert(conn, &v, program.currency().code(), now, None, &Json::Null).await?;
        voucher = Some(code);
    }
    Ok((points, voucher))
}

/// At signup (the shopper's first): the code it came with. Answers the
/// signup's `referral` member: `{status: "recorded", friend_points,
/// friend_voucher}` or `{status: "refused", reason}`.
pub async fn on_signup(
    app: &App,
    conn: &mut Conn,
    friend: &ShopperRow,
    known_before: bool,
    code: &str,
    now: i64,
) -> ApiResult<Json<'static>> {
    let Some(cfg) = &app.program().referral else {
        return Ok(obj(vec![("status", s("refused")), ("reason", s("no_referral_program"))]));
    };
    match attribute(conn, friend, code, known_before, "signup", now).await? {
        Err(reason) => Ok(obj(vec![("status", s("refused")), ("reason", s(reason.name()))])),
        Ok(_) => {
            let (points, voucher) = match cfg.friend_reward_on {
                FriendRewardOn::Signup => credit_friend(app, conn, &friend.id, now, None, now).await?,
                FriendRewardOn::FirstOrder => (0, None),
            };
            Ok(obj(vec![("status", s("recorded")), ("friend_points", int(points)), ("friend_voucher", voucher.map_or(Json::Null, s))]))
        }
    }
}

/// After an order of `friend` is recorded: attribution by the code the
/// order carries (a guest's checkout), then the first qualifying order's
/// rewards. Called inside the order's write, with the friend locked.
#[allow(clippy::too_many_arguments)]
pub async fn on_order(
    app: &App,
    conn: &mut Conn,
    db: &crate::Db,
    friend: &ShopperRow,
    codes: &[&str],
    had_orders: bool,
    order_id: &str,
    qualifying: i64,
    available_at: i64,
    now: i64,
) -> ApiResult<()> {
    let program = app.program();
    let Some(cfg) = &program.referral else { return Ok(()) };
    // Only a code a member owns is a referral code here: any other code on
    // an order (`SUMMER24`, `FREESHIP`, many of them well-formed) is the
    // store's own discount, neither an attempt nor a refusal.
    let mut owned: Vec<String> = Vec::new();
    for code in codes.iter().filter_map(|c| core::normalise_code(c)) {
        if !owned.contains(&code) && rows::owner_of(&mut *conn, &code).await?.is_some() {
            owned.push(code);
        }
    }
    let known = rows::referral_of(&mut *conn, &friend.id).await?;
    let mut referrer: Option<String> = known.as_ref().map(|(r, _)| r.clone());
    if let Some((_, recorded)) = &known {
        // Another member's code on a referred friend's order: the first valid code won.
        if let Some(other) = owned.iter().find(|c| *c != recorded) {
            refuse(conn, other, Refusal::AlreadyReferred, Some(&friend.id), "order", now).await?;
        }
    } else if let Some(code) = owned.first() {
        let before = had_orders || friend.signed_up_at.is_some_and(|t| t < now);
        referrer = attribute(conn, friend, code, before, "order", now).await?.ok();
    }
    let Some(referrer_id) = referrer else { return Ok(()) };
    let paid = rows::rewarded(&mut *conn, &friend.id).await?;
    if paid || !core::qualifies(program, qualifying) {
        return Ok(());
    }
    let rewards = core::rewards(program);
    let friend_points = match cfg.friend_reward_on {
        FriendRewardOn::FirstOrder => credit_friend(app, conn, &friend.id, available_at, Some(order_id), now).await?.0,
        FriendRewardOn::Signup => 0,
    };
    let row = ledger::find(conn, "id", &referrer_id).await?.ok_or(Error::missing())?;
    let row = ledger::lock(db, conn, row).await?;
    let times = rows::referrer_credit_times(&mut *conn, &row.id).await?;
    let mut referrer_points = 0;
    match core::action_id(program, ActionKind::ReferralReferrer) {
        Some(action) if core::under_cap(program, &times, now) && rewards.referrer_points > 0 => {
            referrer_points = rewards.referrer_points;
            let reference = format!("referral:{}", friend.id);
            let detail = obj(vec![
                ("action", s(action)),
                ("kind", s("referral_referrer")),
                ("order_id", s(order_id)),
                ("points", int(referrer_points)),
            ]);
            let version = &app.program.version;
            ledger::credit_action(
                conn,
                version,
                &row.id,
                action,
                referrer_points,
                &reference,
                (now, available_at),
                detail.to_text(),
                "referral",
            )
            .await?;
        }
        Some(_) => {
            let code = existing_code(conn, &row.id).await?.unwrap_or_default();
            refuse(conn, &code, Refusal::ReferrerCap, Some(&friend.id), "order", now).await?;
        }
        None => {}
    }
    let reward = Reward { friend_id: &friend.id, order_id, referrer_id: &row.id, at: now, available_at, referrer_points, friend_points };
    rows::insert_reward(conn, &reward).await?;
    Ok(())
}

/// A refund of an order that paid referral rewards: each side loses
/// ⌊reward × num / den⌋ in total over the order's refunds (the order's own
/// rounding step), while pending dated at the order's `available_at`,
/// once spendable at most the balance (never negative).
pub async fn on_refund(
    app: &App,
    conn: &mut Conn,
    db: &crate::Db,
    order_id: &str,
    refund_id: &str,
    (num, den): (i64, i64),
    now: i64,
) -> ApiResult<()> {
    let Some((friend, referrer, available_at, referrer_points, friend_points)) = rows::reward_of_order(&mut *conn, order_id).await? else {
        return Ok(());
    };
    let program = app.program();
    for (side, shopper, points) in [("referrer", referrer, referrer_points), ("friend", friend, friend_points)] {
        if points <= 0 {
            continue;
        }
        let before = rows::reversed(&mut *conn, order_id, side).await?;
        let reversed = ((points as i128 * num as i128) / den as i128) as i64 - before;
        if reversed <= 0 {
            continue;
        }
        let row = ledger::find(conn, "id", &shopper).await?.ok_or(Error::missing())?;
        let row = ledger::lock(db, conn, row).await?;
        let state = ledger::load(conn, program, row, now).await?;
        let (debited, at) = if available_at > now { (reversed, available_at) } else { (reversed.min(state.shopper.balance.max(0)), now) };
        if debited > 0 {
            let reference = format!("{refund_id}:referral-{side}");
            let kind = if side == "referrer" { "referral_referrer" } else { "referral_friend" };
            let detail = obj(vec![
                ("order_id", s(order_id)),
                ("kind", s(kind)),
                ("award", int(points)),
                ("reversed", int(reversed)),
                ("debited", int(debited)),
            ]);
            let e = Entry {
                shopper_id: &shopper,
                delta: -debited,
                cause: "refund",
                reference: &reference,
                at: now,
                available_at: at,
                detail: detail.to_text(),
            };
            ledger::append(conn, &app.program.version, e).await?;
        }
        rows::insert_reversal(&mut *conn, &Reversal { refund_id, side, order_id, reversed, debited, at: now }).await?;
    }
    Ok(())
}
