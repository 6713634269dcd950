//! What the console does for a member: adjust the balance (an
//! `adjustment` ledger entry with the reason and who made it, never an
//! edit; refused if the balance would go negative), void a voucher (the
//! same code path as `POST /api/vouchers/{code}/void`), and erase the
//! member (owner only: personal data removed from `shoppers`, the ledger
//! and orders kept for the KPIs, the erasure itself recorded). Each writes
//! its audit entry in the same transaction; a refused form writes nothing
//! and comes back with the message at its field.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rewards_core::json::{int, obj, s};

use super::auth::{form, Console};
use super::i18n::fill;
use super::members::{render, Notice};
use crate::error::{ApiError, ApiResult};
use crate::http::extract::RawBody;
use crate::services::audited::{self, Audit};
use crate::services::vouchers::{self, Status};
use crate::storage::ledger::{self, Entry};
use crate::storage::shoppers;
use crate::App;

/// Largest adjustment, either way, in one entry.
pub const MAX_ADJUSTMENT: i64 = 1_000_000_000;
/// Longest reason, in characters.
pub const MAX_REASON_CHARS: usize = 200;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AdjustForm {
    csrf: String,
    /// Random per rendered form: sending the same form twice records it once.
    key: String,
    points: String,
    reason: String,
}

/// A whole number of points, `+`/`-`/`−` allowed, not 0, within [`MAX_ADJUSTMENT`].
pub fn parse_points(text: &str) -> Option<i64> {
    let t = text.trim().replace('−', "-");
    let t = t.strip_prefix('+').unwrap_or(&t);
    let n: i64 = t.parse().ok()?;
    (n != 0 && (-MAX_ADJUSTMENT..=MAX_ADJUSTMENT).contains(&n)).then_some(n)
}

/// A reason: trimmed, 1 to [`MAX_REASON_CHARS`] characters, no control characters.
pub fn parse_reason(text: &str) -> Option<String> {
    let t = text.trim();
    let n = t.chars().count();
    ((1..=MAX_REASON_CHARS).contains(&n) && !t.chars().any(char::is_control)).then(|| t.to_string())
}

/// Why a valid form was still refused.
enum Refusal {
    Negative(i64),
    NotFound,
}

fn malformed(console: &Console) -> Response {
    super::layout::message(Some(console), console.lang(), StatusCode::UNPROCESSABLE_ENTITY, console.lang().words().form_expired)
}

pub async fn adjust(State(app): State<App>, console: Console, Path(id): Path<String>, RawBody(body): RawBody) -> Response {
    let Some(f) = form::<AdjustForm>(&body) else { return malformed(&console) };
    if let Some(r) = console.csrf_refusal(&f.csrf) {
        return r;
    }
    let (lang, w) = (console.lang(), console.lang().words());
    let refuse = |field, message: String| Notice::Adjust(field, message, f.points.clone(), f.reason.clone());
    let Some(delta) = parse_points(&f.points) else {
        return render(&app, &console, &id, refuse("points", w.points_invalid.into()), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let Some(reason) = parse_reason(&f.reason) else {
        return render(&app, &console, &id, refuse("reason", w.reason_required.into()), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    if f.key.len() != 24 || !f.key.bytes().all(|b| b.is_ascii_hexdigit()) {
        return malformed(&console);
    }
    let now = app.clock.now();
    let reference = format!("console:{}", f.key);
    let actor = console.actor();
    let audit = Audit { at: now, actor: &actor, action: "adjust", target: &id };
    // A refusal (no such member, a balance that would go negative) wrote nothing and records nothing.
    let outcome: ApiResult<Result<(), Refusal>> = audited::write(&app.db, audit, async |tx| {
        let Some(row) = ledger::find(tx.conn(), "id", &id).await? else { return Ok((Err(Refusal::NotFound), None)) };
        ledger::lock(&app.db, tx.conn(), row).await?;
        if crate::storage::entries::adjustment_exists(tx.conn(), &reference).await? {
            return Ok((Ok(()), None));
        }
        let balance = ledger::balance_at(tx.conn(), &id, now).await?;
        if balance.checked_add(delta).is_none_or(|b| b < 0) {
            return Ok((Err(Refusal::Negative(balance)), None));
        }
        let detail = obj(vec![("reason", s(&*reason)), ("by", s(&*console.user.email)), ("by_user_id", int(console.user.id))]).to_text();
        let e = Entry {
            shopper_id: &id,
            delta,
            cause: "adjustment",
            reference: &reference,
            at: now,
            available_at: now,
            detail: detail.clone(),
        };
        ledger::append(tx.conn(), &app.program.version, e).await?;
        Ok((Ok(()), Some(detail)))
    })
    .await;
    match outcome {
        Ok(Ok(())) => Redirect::to(&format!("/console/members/{}?done=adjusted", super::resend::percent_encode(&id))).into_response(),
        Ok(Err(Refusal::NotFound)) => super::layout::message(Some(&console), lang, StatusCode::NOT_FOUND, w.not_found),
        Ok(Err(Refusal::Negative(balance))) => {
            let message =
                fill(w.would_go_negative, &[&lang.number(balance), &lang.number(i64::try_from(delta.unsigned_abs()).unwrap_or(i64::MAX))]);
            render(&app, &console, &id, refuse("points", message), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => super::layout::api_error(Some(&console), lang, e),
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct VoidForm {
    csrf: String,
    code: String,
    reason: String,
}

pub async fn void(State(app): State<App>, console: Console, Path(id): Path<String>, RawBody(body): RawBody) -> Response {
    let Some(f) = form::<VoidForm>(&body) else { return malformed(&console) };
    if let Some(r) = console.csrf_refusal(&f.csrf) {
        return r;
    }
    let (lang, w) = (console.lang(), console.lang().words());
    let code = vouchers::normalise(&f.code);
    let Some(reason) = parse_reason(&f.reason) else {
        return render(&app, &console, &id, Notice::Void(code, w.reason_required.into()), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let now = app.clock.now();
    let actor = console.actor();
    let audit = Audit { at: now, actor: &actor, action: "void_voucher", target: &id };
    let outcome: ApiResult<vouchers::Voucher> = audited::write(&app.db, audit, async |tx| {
        // Only this member's voucher, whatever the form says.
        let v = vouchers::find(tx.conn(), &code).await?.filter(|v| v.shopper_id == id);
        if v.is_none() {
            return Err(ApiError::not_found("no voucher of this member has this code"));
        }
        let after = vouchers::void_in(&app, tx, &code, &reason, now).await?;
        let detail = obj(vec![("voucher", s(&*code)), ("reason", s(&*reason))]).to_text();
        Ok((after, Some(detail)))
    })
    .await;
    match outcome {
        Ok(_) => Redirect::to(&format!(
            "/console/members/{}?done=voided&code={}",
            super::resend::percent_encode(&id),
            super::resend::percent_encode(&code)
        ))
        .into_response(),
        Err(e) if e.status == StatusCode::CONFLICT || e.status == StatusCode::NOT_FOUND => {
            let order = match app.db.read().await {
                Ok(mut c) => vouchers::find(&mut c, &code).await.ok().flatten().and_then(|v| match v.status {
                    Status::Used(o) => Some(o),
                    _ => None,
                }),
                Err(_) => None,
            };
            let message = match order {
                Some(o) => fill(w.voucher_already_used, &[&code, &o]),
                None => w.not_found.to_string(),
            };
            render(&app, &console, &id, Notice::Void(code, message), e.status).await
        }
        Err(e) => super::layout::api_error(Some(&console), lang, e),
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct EraseForm {
    csrf: String,
    confirm: Option<String>,
}

pub async fn erase(State(app): State<App>, console: Console, Path(id): Path<String>, RawBody(body): RawBody) -> Response {
    let Some(f) = form::<EraseForm>(&body) else { return malformed(&console) };
    if let Some(r) = console.csrf_refusal(&f.csrf) {
        return r;
    }
    if let Some(r) = console.owner_refusal() {
        return r;
    }
    let (lang, w) = (console.lang(), console.lang().words());
    if f.confirm.as_deref() != Some("yes") {
        return render(&app, &console, &id, Notice::Erase(w.erase_unconfirmed.into()), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let now = app.clock.now();
    let actor = console.actor();
    let audit = Audit { at: now, actor: &actor, action: "erase_member", target: &id };
    let outcome: ApiResult<bool> = audited::write(&app.db, audit, async |tx| {
        let Some(row) = ledger::find(tx.conn(), "id", &id).await? else { return Ok((false, None)) };
        ledger::lock(&app.db, tx.conn(), row).await?;
        if shoppers::erasure(tx.conn(), &id).await?.is_some() {
            return Ok((true, None));
        }
        // The row stays (the ledger, orders and vouchers refer to it);
        // what identifies the person goes.
        shoppers::erase(tx.conn(), &id, now, &console.user.email).await?;
        Ok((true, Some(String::new())))
    })
    .await;
    match outcome {
        Ok(true) => Redirect::to(&format!("/console/members/{id}")).into_response(),
        Ok(false) => super::layout::message(Some(&console), lang, StatusCode::NOT_FOUND, w.not_found),
        Err(e) => super::layout::api_error(Some(&console), lang, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_and_reasons_are_checked() {
        assert_eq!(parse_points(" +50 "), Some(50));
        assert_eq!(parse_points("−15"), Some(-15));
        assert_eq!(parse_points("-1000000000"), Some(-1_000_000_000));
        for bad in ["0", "", "1.5", "1e3", "1000000001", "abc", "--1"] {
            assert_eq!(parse_points(bad), None, "{bad}");
        }
        assert_eq!(parse_reason("  đơn trùng  ").as_deref(), Some("đơn trùng"));
        assert_eq!(parse_reason("   "), None);
        assert_eq!(parse_reason("a\u{0}b"), None);
        assert_eq!(parse_reason(&"x".repeat(201)), None);
    }
}
