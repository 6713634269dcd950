//! The generic order source: the project's own webhook bodies
//! (`POST /api/webhooks/orders`, `/refunds`; also the demo's checkout),
//! mapped to an [`Order`] and a refund as the platforms' mappings are,
//! then recorded by the same order and refund services.

use serde::Deserialize;

use crate::body::{Amount, Codes, Described, Email, Flag, Id, Obj, Raw, Str};
use crate::error::{ApiError, ApiResult};
use crate::services::orders::{record_order, Order};
use crate::services::refunds::record_refund;
use crate::storage::orders as stored;
use crate::App;

/// A webhook's `customer: {id?, email?}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    pub id: Option<Id<255>>,
    pub email: Option<Email>,
}

impl Described for Customer {
    const WHAT: &'static str = "an object {id, email}";
}

/// (customer id, normalised email) of an optional `customer`.
pub fn customer(c: Option<Obj<Customer>>) -> (Option<String>, Option<String>) {
    c.map_or((None, None), |Obj(c)| (c.id.map(|i| i.0), c.email.map(|e| e.0)))
}

/// `POST /api/webhooks/orders`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderBody {
    pub order_id: Id<128>,
    pub customer: Option<Obj<Customer>>,
    /// Decoded by the core; the award's preview reads this exact text.
    pub cart: Raw,
    pub discount_codes: Option<Codes>,
    /// The referral code the checkout carried (the widget's cart attribute
    /// or order meta), for a friend who checks out without signing up.
    pub referral_code: Option<Str>,
}

/// `POST /api/webhooks/refunds`: `amount` (minor units) or `cancel: true`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefundBody {
    pub refund_id: Id<128>,
    pub order_id: Id<128>,
    pub amount: Option<Amount>,
    pub cancel: Option<Flag>,
}

/// An order body whose sender is already trusted (a verified signature, or
/// the demo's own checkout): its cart checked by the core, then recorded once.
pub async fn receive_order(app: &App, body: OrderBody) -> ApiResult<String> {
    let codes = body.discount_codes.unwrap_or_default().0;
    let order = Order::new(app, body.order_id.0, customer(body.customer), body.cart.get().to_string(), codes)?
        .with_referral_code(body.referral_code.map(|c| c.0));
    // A redelivery is answered without waiting for the writer.
    let (order, known) = order.look_up(app).await?;
    if let Some(text) = known {
        return Ok(text);
    }

    let writer_app = app.clone();
    let (order, answer) = app
        .db
        .on_writer(async move {
            let app = &writer_app;
            let mut w = app.db.write().await?;
            let result = record_order(app, &mut w, &order).await;
            // `None`: a concurrent delivery of the same order won (PostgreSQL);
            // undo this one and answer the winner's response.
            let keep = matches!(result, Ok(Some(_)));
            let answer = w.finish_keeping(result, keep).await?;
            Ok((order, answer))
        })
        .await?;
    match answer {
        Some(text) => Ok(text),
        None => {
            let mut conn = app.db.read().await?;
            winner(stored::recorded(&mut conn, order.id()).await?, order.id())
        }
    }
}

/// A refund body whose sender is already trusted, recorded once; returns
/// the response text (a redelivery's is the stored one).
pub async fn receive_refund(app: &App, body: RefundBody) -> ApiResult<String> {
    let (refund_id, order_id) = (body.refund_id.0, body.order_id.0);
    let amount = match (body.amount, body.cancel.is_some_and(|c| c.0)) {
        (None, true) => None,
        (Some(Amount(a)), false) => Some(a),
        (Some(_), true) => return Err(ApiError::invalid("amount", "give either amount or cancel: true, not both")),
        (None, false) => return Err(ApiError::invalid("amount", "is required (minor units refunded), or send cancel: true")),
    };
    let now = app.clock.now();
    let mut w = app.db.write().await?;
    let result = record_refund(app, &mut w, &refund_id, &order_id, amount, now).await;
    // `None`: a concurrent delivery of the same refund won (PostgreSQL).
    let keep = matches!(result, Ok(Some(_)));
    match w.finish_keeping(result, keep).await? {
        Some(text) => Ok(text),
        None => {
            let mut conn = app.db.read().await?;
            winner(stored::refund_recorded(&mut conn, &refund_id).await?, &refund_id)
        }
    }
}

/// The answer a concurrent delivery of the same order or refund stored.
fn winner(answer: Option<String>, id: &str) -> ApiResult<String> {
    answer.ok_or_else(|| ApiError::conflict(format!("\"{id}\" was being recorded by a concurrent delivery, which failed; send it again")))
}
