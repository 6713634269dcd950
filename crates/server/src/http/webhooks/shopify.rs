//! `POST /api/webhooks/shopify`: Shopify's own webhook deliveries, in front
//! of the same order and refund services as `/api/webhooks/orders` and
//! `/api/webhooks/refunds` ([`crate::services::orders`]), so the award is still the
//! core's preview of the (mapped) cart.
//!
//! A delivery is checked in this order, and a refused one writes nothing:
//! 1. the server has a Shopify signing secret (`shopify_webhook_secret`),
//!    else `503 not_configured` (Shopify retries, so nothing is lost while
//!    the operator sets it);
//! 2. `X-Shopify-Hmac-Sha256` = base64(HMAC-SHA256(raw body, secret)),
//!    compared in constant time, else `401`;
//! 3. `X-Shopify-Topic` is one this endpoint takes, else `400 unknown_topic`;
//! 4. `X-Shopify-Test: true` (a test notification): `200`, nothing written;
//! 5. `X-Shopify-Webhook-Id` is present; a delivery id seen before answers
//!    the first answer byte for byte (Shopify's retries and redeliveries);
//! 6. the body maps ([`map`]): `400 malformed` or `422 invalid`, with the path;
//! 7. the service: the order, refund or customer, idempotent by its own id
//!    as well (the same order under a new delivery id awards once).
//!
//! The delivery id is recorded (`shopify_deliveries`, with the answer) in
//! the same transaction as what the delivery wrote, so a crash leaves
//! either both or neither.

use crate::services::platforms::shopify as map;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rewards_core::json::{obj, s, Json};

use crate::body::Id;
use crate::error::{ApiError, ApiResult};
use crate::http::error::json_body;
use crate::http::extract::RawBody;
use crate::services::platforms::{bad_request, header, verify_signature};
use crate::services::{orders, refunds};
use crate::settings::ShopifyAwardOn;
use crate::storage::batch::Batch;
use crate::storage::{delivery_ids as deliveries, orders as stored_orders};
use crate::App;

/// The header value Shopify sends with `body` (the scheme WooCommerce uses too).
pub use crate::services::platforms::signature;

/// The topics this endpoint takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Topic {
    /// The order topic of `shopify_award_on`.
    Award(&'static str),
    /// The other order topic: accepted, nothing to do.
    Ignored(&'static str),
    Refund,
    Cancelled,
    CustomerCreated,
}

/// What a topic is for, by its name: the one list of the topics this
/// endpoint takes, read by `Topic::parse`, its refusal and `subscribed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Order,
    Refund,
    Cancelled,
    CustomerCreated,
}

const TOPICS: [(&str, Kind); 5] = [
    ("orders/paid", Kind::Order),
    ("orders/create", Kind::Order),
    ("refunds/create", Kind::Refund),
    ("orders/cancelled", Kind::Cancelled),
    ("customers/create", Kind::CustomerCreated),
];

impl Topic {
    fn parse(name: &str, award_on: ShopifyAwardOn) -> ApiResult<Topic> {
        let Some(&(name, kind)) = TOPICS.iter().find(|(n, _)| *n == name) else {
            let names: Vec<&str> = TOPICS.iter().map(|(n, _)| *n).collect();
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "unknown_topic",
                format!(
                    "X-Shopify-Topic \"{}\" is not a topic this endpoint takes ({}); remove that webhook in Shopify admin → Settings → Notifications → Webhooks",
                    name.escape_debug(),
                    names.join(", ")
                ),
            ));
        };
        Ok(match kind {
            Kind::Order if name == award_on.topic() => Topic::Award(name),
            Kind::Order => Topic::Ignored(name),
            Kind::Refund => Topic::Refund,
            Kind::Cancelled => Topic::Cancelled,
            Kind::CustomerCreated => Topic::CustomerCreated,
        })
    }

    fn name(self) -> &'static str {
        let kind = match self {
            Topic::Award(t) | Topic::Ignored(t) => return t,
            Topic::Refund => Kind::Refund,
            Topic::Cancelled => Kind::Cancelled,
            Topic::CustomerCreated => Kind::CustomerCreated,
        };
        TOPICS.iter().find(|(_, k)| *k == kind).map_or("", |(n, _)| n)
    }
}

/// The topics a merchant subscribes this endpoint to: the order topic
/// `award_on` names and every topic that is not an order topic (what the
/// console's "Connect your store" page lists).
pub fn subscribed(award_on: ShopifyAwardOn) -> Vec<&'static str> {
    let others = TOPICS.iter().filter(|(_, k)| *k != Kind::Order).map(|(n, _)| *n);
    std::iter::once(award_on.topic()).chain(others).collect()
}

pub async fn webhook(State(app): State<App>, headers: HeaderMap, RawBody(body): RawBody) -> ApiResult<Response> {
    let secret = &app.settings.shopify_webhook_secret;
    if secret.is_empty() {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_configured",
            "Shopify webhooks are not set up on this server: set shopify_webhook_secret (or REWARDS_SHOPIFY_WEBHOOK_SECRET) to the signing secret shown in Shopify admin → Settings → Notifications → Webhooks and restart; Shopify retries this delivery",
        ));
    }
    if !verify_signature(secret, &body, header(&headers, "x-shopify-hmac-sha256")) {
        return Err(ApiError::unauthorized(
            "X-Shopify-Hmac-Sha256 is missing or does not match the body (base64 of HMAC-SHA256 of the raw body with the webhook signing secret)",
        ));
    }
    let topic = header(&headers, "x-shopify-topic").ok_or_else(|| bad_request("unknown_topic", "X-Shopify-Topic is required"))?;
    let topic = Topic::parse(topic.trim(), app.settings.shopify_award_on)?;
    if header(&headers, "x-shopify-test").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
        let answer = obj(vec![("ok", Json::Bool(true)), ("test", Json::Bool(true)), ("topic", s(topic.name()))]);
        return Ok(json_body(answer.to_text()));
    }
    let webhook_id = header(&headers, "x-shopify-webhook-id")
        .and_then(|v| Id::<255>::parse(v).ok())
        .ok_or_else(|| bad_request("missing_webhook_id", "X-Shopify-Webhook-Id is required (1 to 255 printable characters)"))?
        .0;
    if let Some(answer) = delivered(&app, &webhook_id).await? {
        return Ok(json_body(answer));
    }
    let delivery = Delivery { id: &webhook_id, topic: topic.name() };
    match topic {
        Topic::Award(_) => award(&app, delivery, &body).await,
        Topic::Ignored(name) => {
            let answer = obj(vec![
                ("ok", Json::Bool(true)),
                ("topic", s(name)),
                ("ignored", s(format!("points are awarded on {} (shopify_award_on)", app.settings.shopify_award_on.topic()))),
            ]);
            Ok(json_body(answer.to_text()))
        }
        Topic::Refund => refund(&app, delivery, &body).await,
        Topic::Cancelled => cancel(&app, delivery, &body).await,
        Topic::CustomerCreated => customer(&app, delivery, &body).await,
    }
}

#[derive(Clone, Copy)]
struct Delivery<'a> {
    id: &'a str,
    topic: &'static str,
}

/// The answer stored for a delivery id, if it was processed before.
async fn delivered(app: &App, id: &str) -> ApiResult<Option<String>> {
    let mut conn = app.db.read().await?;
    Ok(deliveries::shopify_answer(&mut conn, id).await?)
}

impl Delivery<'_> {
    /// The delivery recorded with `answer`, in the write's batch `b`.
    fn record(self, b: &mut Batch, reference: &str, at: i64, answer: &str) {
        deliveries::record_shopify(b, self.id, self.topic, reference, at, answer);
    }
}

/// A stored answer of the order or refund service (after a concurrent
/// delivery of the same order or refund won, on PostgreSQL).
fn stored(answer: Option<String>, what: &str, id: &str) -> ApiResult<Response> {
    answer.map(json_body).ok_or_else(|| {
        ApiError::conflict(format!("{what} \"{id}\" was being recorded by a concurrent delivery, which failed; redeliver this webhook"))
    })
}

async fn award(app: &App, d: Delivery<'_>, body: &[u8]) -> ApiResult<Response> {
    let m = map::order(body, app.program().currency())?;
    let order = orders::Order::new(app, m.order_id, (m.customer_id, m.email), m.cart, m.codes)?.with_referral_code(m.referral_code);
    let now = app.clock.now();
    // Read before the writer: a new order (the usual case) skips the
    // writer's own look-up, and its shopper is found; a known one under a
    // new delivery id only records the delivery with the order's stored answer.
    let (order, known) = order.look_up(app).await?;
    let (writer_app, webhook_id, topic) = (app.clone(), d.id.to_string(), d.topic);
    let (order, answer) = app
        .db
        .on_writer(async move {
            let (app, d) = (&writer_app, Delivery { id: &webhook_id, topic });
            let mut w = app.db.write().await?;
            let result = async {
                match known {
                    Some(text) => {
                        let mut b = Batch::new();
                        d.record(&mut b, order.id(), now, &text);
                        b.run(w.conn()).await?;
                        Ok(Some(text))
                    }
                    None => orders::record_order_with(app, &mut w, &order, |text, b| d.record(b, order.id(), now, text)).await,
                }
            }
            .await;
            let keep = matches!(result, Ok(Some(_)));
            let answer = w.finish_keeping(result, keep).await?;
            Ok((order, answer))
        })
        .await?;
    match answer {
        Some(text) => Ok(json_body(text)),
        None => stored(orders::recorded(app, order.id()).await?, "order", order.id()),
    }
}

/// A refund through the refund service; `amount: None` reverses the rest.
async fn reverse(app: &App, d: Delivery<'_>, refund_id: &str, order_id: &str, amount: Option<i64>) -> ApiResult<Response> {
    let now = app.clock.now();
    let mut w = app.db.write().await?;
    let result = async {
        let answer = refunds::record_refund(app, &mut w, refund_id, order_id, amount, now).await?;
        if let Some(text) = &answer {
            let mut b = Batch::new();
            d.record(&mut b, refund_id, now, text);
            b.run(w.conn()).await?;
        }
        Ok(answer)
    }
    .await;
    let keep = matches!(result, Ok(Some(_)));
    match w.finish_keeping(result, keep).await? {
        Some(text) => Ok(json_body(text)),
        None => {
            let mut conn = app.db.read().await?;
            stored(stored_orders::refund_recorded(&mut conn, refund_id).await?, "refund", refund_id)
        }
    }
}

/// `refunds/create`: the recorded award reversed pro rata. A refund for an
/// order not received yet is `409` (Shopify retries it later).
async fn refund(app: &App, d: Delivery<'_>, body: &[u8]) -> ApiResult<Response> {
    let m = map::refund(body, app.program().currency())?;
    reverse(app, d, &m.refund_id, &m.order_id, Some(m.amount)).await
}

/// The refund id a cancellation is recorded under.
pub fn cancel_refund_id(order_id: &str) -> String {
    format!("shopify-cancel:{order_id}")
}

/// Financial states of an order that never took money: cancelling one
/// that was never awarded (points come on `orders/paid`) reverses nothing.
const NEVER_PAID: &[&str] = &["pending", "authorized", "voided", "expired"];

/// `orders/cancelled`: whatever is left of the award is reversed (a
/// refund of the rest, so with the cancellation's own `refunds/create`
/// the reversals still never exceed the award).
async fn cancel(app: &App, d: Delivery<'_>, body: &[u8]) -> ApiResult<Response> {
    let c: map::CancelPayload = map::decode(body)?;
    let order_id = c.id.0;
    match reverse(app, d, &cancel_refund_id(&order_id), &order_id, None).await {
        Err(e) if e.status == StatusCode::CONFLICT => {
            let status = c.financial_status.and_then(|s| s.0);
            let never_paid = status.as_deref().is_some_and(|s| NEVER_PAID.contains(&s));
            if never_paid && app.settings.shopify_award_on == ShopifyAwardOn::OrdersPaid {
                let answer = obj(vec![
                    ("ok", Json::Bool(true)),
                    ("topic", s(d.topic)),
                    ("order_id", s(&*order_id)),
                    ("ignored", s(format!("the order was never paid ({}): no award to reverse", status.unwrap_or_default()))),
                ]);
                Ok(json_body(answer.to_text()))
            } else {
                Err(e)
            }
        }
        other => other,
    }
}

/// `customers/create`: the customer's shopper, found or created, and
/// linked by email to a shopper who signed up in the widget before having
/// an account (the same rule as an order's customer).
async fn customer(app: &App, d: Delivery<'_>, body: &[u8]) -> ApiResult<Response> {
    let c: map::CustomerPayload = map::decode(body)?;
    let customer_id = c.id.0;
    let email = c.email.and_then(|e| e.0).and_then(|e| crate::body::Email::parse(&e).ok()).map(|e| e.0);
    let now = app.clock.now();
    let mut w = app.db.write().await?;
    let result: ApiResult<String> = async {
        let row = orders::order_shopper(w.conn(), Some(&customer_id), email.as_deref(), now).await?;
        let answer =
            obj(vec![("ok", Json::Bool(true)), ("topic", s(d.topic)), ("customer_id", s(&*customer_id)), ("shopper_id", s(&*row.id))])
                .to_text();
        let mut b = Batch::new();
        d.record(&mut b, &customer_id, now, &answer);
        b.run(w.conn()).await?;
        Ok(answer)
    }
    .await;
    let answer = w.finish(result).await?;
    eprintln!("shopify: customers/create {customer_id} (delivery {}): {answer}", d.id);
    Ok(json_body(answer))
}
