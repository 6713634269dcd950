//! `POST /api/webhooks/woocommerce`: WooCommerce's own webhook deliveries
//! (`order.created`, `order.updated`), in front of the same order and
//! refund services as `/api/webhooks/orders` ([`crate::services::orders`]), so the
//! award is still the core's preview of the (mapped) cart.
//!
//! WooCommerce sends the whole order, as it is when the delivery is built,
//! for every change; there is no refund or cancellation topic. So each
//! delivery is read as a state:
//! - `status` in `woocommerce_award_statuses` (default `processing`,
//!   `completed`): the order is awarded (once: by order id);
//! - `refunds[]` of an awarded order: each refund reverses its share, once
//!   (by refund id; [`map`] says how a refund's share is counted);
//! - `status` `cancelled`, `refunded` or `failed`: what is left of the award
//!   is reversed; an order never awarded has nothing to reverse (`200`);
//! - refunds on an order that was never awarded and is not in an award
//!   status: `409` (a refund before its order), nothing written.
//!
//! A delivery is checked in this order, and a refused one writes nothing:
//! 1. the server has the webhook secret (`woocommerce_webhook_secret`), else
//!    `503 not_configured`;
//! 2. WooCommerce's activation ping (form body `webhook_id=N`, unsigned):
//!    `200`, nothing written;
//! 3. `X-WC-Webhook-Signature` = base64(HMAC-SHA256(raw body, secret)), else `401`;
//! 4. `X-WC-Webhook-Topic` is `order.created` or `order.updated`, else `400 unknown_topic`;
//! 5. `X-WC-Webhook-Delivery-ID` is present. WooCommerce makes it from the
//!    webhook id and the current second (`WC_Webhook::get_new_delivery_id`),
//!    so two orders delivered in one second share it: a delivery is
//!    (delivery id, SHA-256 of the body), and one seen before answers its
//!    first answer byte for byte;
//! 6. the body maps ([`map`]; the order's currency must be the program's):
//!    `400 malformed` or `422 invalid`, with the path;
//! 7. under a per-order lock (PostgreSQL; SQLite has one writer), an update
//!    older than one already processed for the order (`date_modified_gmt`)
//!    is stale and changes nothing: WooCommerce builds payloads in the
//!    background, so a later state can arrive first, and a stale
//!    `processing` after `refunded` must not award.
//!
//! The delivery (`woocommerce_deliveries`, with its answer) is recorded in
//! the same transaction as what it wrote, so a crash leaves both or neither.

use crate::services::platforms::woocommerce as map;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rewards_core::json::{obj, s, Json};
use sha2::{Digest, Sha256};

use crate::body::Id;
use crate::error::{ApiError, ApiResult};
use crate::http::error::json_body;
use crate::http::extract::RawBody;
use crate::services::platforms::{bad_request, header, verify_signature};
use crate::services::{orders, refunds};
use crate::settings::WOOCOMMERCE_REVERSE_STATUSES;
use crate::storage::db::WriteTx;
use crate::storage::delivery_ids as deliveries;
use crate::App;

pub use crate::services::platforms::signature;

/// The refund id a WooCommerce refund is recorded under.
pub fn refund_id(order_id: &str, refund: &str) -> String {
    format!("woocommerce:{order_id}:refund:{refund}")
}

/// The refund id a cancelled, refunded or failed order's reversal is recorded under.
pub fn reversal_id(order_id: &str) -> String {
    format!("woocommerce:{order_id}:reversal")
}

/// WooCommerce's activation ping: `webhook_id=<digits>` (`WC_Webhook::deliver_ping`).
fn ping_id(body: &[u8]) -> Option<&str> {
    let id = std::str::from_utf8(body).ok()?.trim().strip_prefix("webhook_id=")?;
    (!id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit())).then_some(id)
}

pub const TOPICS: &[&str] = &["order.created", "order.updated"];

pub async fn webhook(State(app): State<App>, headers: HeaderMap, RawBody(body): RawBody) -> ApiResult<Response> {
    let secret = &app.settings.woocommerce_webhook_secret;
    if secret.is_empty() {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_configured",
            "WooCommerce webhooks are not set up on this server: set woocommerce_webhook_secret (or REWARDS_WOOCOMMERCE_WEBHOOK_SECRET) to the secret of the webhook in WooCommerce → Settings → Advanced → Webhooks and restart",
        ));
    }
    let sig = header(&headers, "x-wc-webhook-signature");
    if sig.is_none() {
        if let Some(id) = ping_id(&body) {
            return Ok(json_body(obj(vec![("ok", Json::Bool(true)), ("ping", Json::Bool(true)), ("webhook_id", s(id))]).to_text()));
        }
    }
    if !verify_signature(secret, &body, sig) {
        return Err(ApiError::unauthorized(
            "X-WC-Webhook-Signature is missing or does not match the body (base64 of HMAC-SHA256 of the raw body with the webhook's secret)",
        ));
    }
    let topic = header(&headers, "x-wc-webhook-topic").map(str::trim).unwrap_or_default();
    let Some(topic) = TOPICS.iter().copied().find(|t| *t == topic) else {
        return Err(bad_request(
            "unknown_topic",
            format!(
                "X-WC-Webhook-Topic \"{}\" is not a topic this endpoint takes ({}); edit or delete that webhook in WooCommerce → Settings → Advanced → Webhooks",
                topic.escape_debug(),
                TOPICS.join(", ")
            ),
        ));
    };
    let delivery_id = header(&headers, "x-wc-webhook-delivery-id")
        .and_then(|v| Id::<255>::parse(v).ok())
        .ok_or_else(|| bad_request("missing_delivery_id", "X-WC-Webhook-Delivery-ID is required (1 to 255 printable characters)"))?
        .0;
    let d = Delivery { id: &delivery_id, body_sha256: hex::encode(Sha256::digest(&body)), topic };
    if let Some(answer) = delivered(&app, &d).await? {
        return Ok(json_body(answer));
    }
    let m = map::order(&body, app.program().currency())?;
    let order = orders::Order::new(&app, m.order_id.clone(), (m.customer_id.clone(), m.email.clone()), m.cart.clone(), m.codes.clone())?
        .with_referral_code(m.referral_code.clone());
    let now = app.clock.now();
    let mut w = app.db.write().await?;
    let result = async {
        deliveries::lock_woocommerce_order(&app.db, w.conn(), &m.order_id).await?;
        // A concurrent delivery of the same body (PostgreSQL) went first.
        if let Some(answer) = deliveries::woocommerce_answer(w.conn(), d.id, &d.body_sha256).await? {
            return Ok(Some(answer));
        }
        let Some(answer) = apply(&app, &mut w, d.topic, &m, &order, now).await? else { return Ok(None) };
        let record = deliveries::WooDelivery {
            delivery_id: d.id,
            body_sha256: &d.body_sha256,
            topic: d.topic,
            order_id: &m.order_id,
            modified: &m.modified,
            status: &m.status,
            at: now,
            answer: &answer,
        };
        deliveries::record_woocommerce(w.conn(), &record).await?;
        Ok(Some(answer))
    }
    .await;
    let keep = matches!(result, Ok(Some(_)));
    match w.finish_keeping(result, keep).await? {
        Some(answer) => Ok(json_body(answer)),
        None => Err(ApiError::conflict(format!(
            "a concurrent request recorded order \"{}\" or one of its refunds first; nothing was written, redeliver this webhook",
            m.order_id
        ))),
    }
}

struct Delivery<'a> {
    id: &'a str,
    body_sha256: String,
    topic: &'static str,
}

/// The answer stored for a delivery, if it was processed before.
async fn delivered(app: &App, d: &Delivery<'_>) -> ApiResult<Option<String>> {
    let mut conn = app.db.read().await?;
    Ok(deliveries::woocommerce_answer(&mut conn, d.id, &d.body_sha256).await?)
}

/// The order's state applied; the answer, or `None` when a concurrent
/// request of another endpoint recorded the order or a refund first.
async fn apply(
    app: &App,
    w: &mut WriteTx,
    topic: &str,
    m: &map::MappedOrder,
    order: &orders::Order,
    now: i64,
) -> ApiResult<Option<String>> {
    let order_id = m.order_id.as_str();
    let mut fields = vec![
        ("ok", Json::Bool(true)),
        ("topic", s(topic)),
        ("order_id", s(order_id)),
        ("status", s(&*m.status)),
        ("modified", s(&*m.modified)),
    ];
    let ignored = |mut fields: Vec<(&'static str, Json<'static>)>, why: String| {
        fields.push(("ignored", s(why)));
        Ok(Some(obj(fields).to_text()))
    };
    // Stale: a later state of the order was processed (or one as late that reversed it).
    let later = deliveries::woocommerce_latest(w.conn(), order_id, &m.modified).await?;
    if let Some((at, status)) = later {
        if at > m.modified || (WOOCOMMERCE_REVERSE_STATUSES.contains(&status.as_str()) && status != m.status) {
            return ignored(fields, format!("stale: a later update of this order ({status}, modified {at}) was processed"));
        }
    }
    let settings = &app.settings;
    let awards = settings.woocommerce_award_statuses.contains(&m.status);
    let reverses = WOOCOMMERCE_REVERSE_STATUSES.contains(&m.status.as_str());
    let mut awarded = crate::storage::orders::exists(w.conn(), order_id).await?;
    if awards {
        let Some(a) = orders::record_order(app, w, order).await? else { return Ok(None) };
        fields.push(("award", parsed(&a)));
        awarded = true;
    }
    if !awarded {
        if reverses {
            return ignored(fields, format!("the order was never awarded ({}): nothing to reverse", m.status));
        }
        if !m.refunds.is_empty() {
            return Err(ApiError::conflict(format!(
                "order \"{order_id}\" has refunds but was never awarded, and its status \"{}\" is not one that awards ({}): nothing was written; its refunds are counted when the order reaches one of those statuses",
                m.status,
                settings.woocommerce_award_statuses.join(", ")
            )));
        }
        return ignored(
            fields,
            format!(
                "status \"{}\" does not award (woocommerce_award_statuses: {})",
                m.status,
                settings.woocommerce_award_statuses.join(", ")
            ),
        );
    }
    let mut refunds = Vec::with_capacity(m.refunds.len());
    for r in &m.refunds {
        let Some(a) = refunds::record_refund(app, w, &refund_id(order_id, &r.id), order_id, Some(r.amount), now).await? else {
            return Ok(None);
        };
        refunds.push(parsed(&a));
    }
    fields.push(("refunds", Json::Array(refunds)));
    if reverses {
        let Some(a) = refunds::record_refund(app, w, &reversal_id(order_id), order_id, None, now).await? else { return Ok(None) };
        fields.push(("reversal", parsed(&a)));
    }
    Ok(Some(obj(fields).to_text()))
}

/// An answer of the order or refund service (our own JSON), embedded.
fn parsed(text: &str) -> Json<'static> {
    Json::parse(text).map(Json::into_owned).unwrap_or_else(|_| s(text))
}
