//! Voucher state: what a code is worth and whether it can still be used.
//!
//! A voucher is issued by a redemption or a completed punch card (a row
//! of `vouchers`); afterwards at most one terminal event is recorded in
//! `voucher_events` (its primary key is the code): `used` by an order that
//! carried the code in `discount_codes`, or `voided` by the merchant. Both
//! tables are append-only, so the state shown to a shopper is derived, never
//! edited: unused, used (with the order) or voided.
//!
//! A voucher's value is fixed when it is issued (`discount`, minor units of
//! the program's currency): a percent-off voucher keeps the amount it was
//! worth on the cart it was redeemed on. Voiding an unused redemption
//! voucher gives its points back (an `adjustment` entry naming the code).

use rewards_core::json::{int, obj, s, Json};
use rewards_core::time::format_instant;
use rewards_core::Program;

use crate::body::Code;
use crate::error::{ApiError, ApiResult};
use crate::storage::db::{Conn, WriteTx};
use crate::storage::ledger::{self, Entry};
use crate::storage::vouchers::{self as rows, VoucherRow};
use crate::App;

pub use crate::body::{MAX_CODES_PER_ORDER, MAX_CODE_CHARS};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Unused,
    /// By this order id.
    Used(String),
    /// With the merchant's reason.
    Voided(String),
}

#[derive(Debug, Clone)]
pub struct Voucher {
    pub code: String,
    pub shopper_id: String,
    /// `redemption` or `punch_card`.
    pub source: String,
    pub redemption_id: String,
    pub points: i64,
    pub discount: i64,
    pub currency: String,
    pub issued_at: i64,
    pub status: Status,
    /// When it was used or voided.
    pub status_at: Option<i64>,
}

impl From<VoucherRow> for Voucher {
    fn from(r: VoucherRow) -> Voucher {
        let status = match r.event {
            Some((event, Some(reference))) if event == "used" => Status::Used(reference),
            Some((event, Some(reason))) if event == "voided" => Status::Voided(reason),
            _ => Status::Unused,
        };
        Voucher {
            code: r.code,
            shopper_id: r.shopper_id,
            source: r.source,
            redemption_id: r.redemption_id,
            points: r.points,
            discount: r.discount,
            currency: r.currency,
            issued_at: r.issued_at,
            status,
            status_at: r.event_at,
        }
    }
}

/// Every voucher of a shopper, oldest first.
pub async fn of_shopper(conn: &mut Conn, shopper_id: &str) -> crate::storage::Result<Vec<Voucher>> {
    Ok(rows::of_shopper(conn, shopper_id).await?.into_iter().map(Voucher::from).collect())
}

pub async fn find(conn: &mut Conn, code: &str) -> crate::storage::Result<Option<Voucher>> {
    Ok(rows::find(conn, code).await?.map(Voucher::from))
}

/// Codes are compared as shoppers type them ([`Code::normalise`]).
pub fn normalise(code: &str) -> String {
    Code::normalise(code)
}

impl Voucher {
    /// What the reward is: the redemption's kind, or `punch_card`.
    pub fn kind(&self, program: &Program) -> &'static str {
        if self.source == "punch_card" {
            return "punch_card";
        }
        // A redemption removed from the program since: its fixed amount still holds.
        program.redemptions.iter().find(|r| r.id == self.redemption_id).map_or("amount_off", |r| r.kind.name())
    }

    /// The voucher as `GET /api/shopper` and the merchant API show it.
    pub fn to_json(&self, program: &Program) -> Json<'static> {
        let (status, used_by, voided_reason) = match &self.status {
            Status::Unused => ("unused", Json::Null, Json::Null),
            Status::Used(order) => ("used", s(order.clone()), Json::Null),
            Status::Voided(reason) => ("voided", Json::Null, s(reason.clone())),
        };
        obj(vec![
            ("code", s(self.code.clone())),
            ("status", s(status)),
            ("kind", s(self.kind(program))),
            ("source", s(self.source.clone())),
            ("redemption_id", s(self.redemption_id.clone())),
            ("points", int(self.points)),
            ("discount", int(self.discount)),
            ("currency", s(self.currency.clone())),
            ("issued_at", s(format_instant(self.issued_at))),
            ("status_at", self.status_at.map_or(Json::Null, |t| s(format_instant(t)))),
            ("order_id", used_by),
            ("voided_reason", voided_reason),
        ])
    }
}

/// What an order's codes did: ours that it used, ours that it could not.
#[derive(Debug, Default)]
pub struct Used {
    pub used: Vec<String>,
    /// (code, `already_used` | `voided`).
    pub refused: Vec<(String, &'static str)>,
}

impl Used {
    pub fn fields(&self) -> Vec<(&'static str, Json<'static>)> {
        let refused = self.refused.iter().map(|(c, why)| obj(vec![("code", s(c.clone())), ("reason", s(*why))])).collect();
        vec![("vouchers_used", Json::Array(self.used.iter().map(|c| s(c.clone())).collect())), ("vouchers_refused", Json::Array(refused))]
    }
}

/// Marks the order's codes used, inside the order's write. Codes that are
/// not ours (the merchant's own promotions) are left alone. A code already
/// used or voided is reported, not an error: the platform has taken the
/// order, and the award must still be recorded.
pub async fn use_codes(conn: &mut Conn, codes: &[String], order_id: &str, at: i64) -> crate::storage::Result<Used> {
    let mut out = Used::default();
    let mut found = std::collections::HashMap::new();
    for v in rows::find_many(&mut *conn, codes).await?.into_iter().map(Voucher::from) {
        found.insert(v.code, v.status);
    }
    for code in codes {
        let Some(status) = found.get(code) else { continue };
        // The same code twice in one order: the second is used already (by this order).
        let again = out.used.contains(code);
        match status {
            Status::Unused if !again => {
                rows::mark_used(&mut *conn, code, order_id, at).await?;
                out.used.push(code.clone());
            }
            Status::Unused | Status::Used(_) => out.refused.push((code.clone(), "already_used")),
            Status::Voided(_) => out.refused.push((code.clone(), "voided")),
        }
    }
    Ok(out)
}

/// Voids `code` inside the write `w`: the voided voucher, the same one if
/// it was voided already, a 409 if an order used it. Its points go back
/// (an `adjustment` entry naming the code). The console's void calls it too.
pub async fn void_in(app: &App, w: &mut WriteTx, code: &str, reason: &str, now: i64) -> ApiResult<Voucher> {
    let v = find(w.conn(), code).await?.ok_or_else(|| ApiError::not_found("no voucher has this code"))?;
    match &v.status {
        Status::Used(order) => return Err(ApiError::conflict(format!("the voucher was already used by order {order}"))),
        Status::Voided(_) => return Ok(v),
        Status::Unused => {}
    }
    let row = ledger::find(w.conn(), "id", &v.shopper_id).await?.ok_or(crate::storage::Error::missing())?;
    ledger::lock(&app.db, w.conn(), row).await?;
    let detail = obj(vec![("voucher", s(code)), ("reason", s(reason))]).to_text();
    rows::mark_voided(w.conn(), code, reason, now, &detail).await?;
    if v.points > 0 {
        let reference = format!("voucher-void:{code}");
        let e = Entry {
            shopper_id: &v.shopper_id,
            delta: v.points,
            cause: "adjustment",
            reference: &reference,
            at: now,
            available_at: now,
            detail,
        };
        ledger::append(w.conn(), &app.program.version, e).await?;
    }
    Ok(find(w.conn(), code).await?.ok_or(crate::storage::Error::missing())?)
}
