//! The webhook delivery log behind the console's "Connect your store" page
//! (issue 11, part 4): which topics arrived recently, and every refused
//! delivery with the status and the error its sender got.
//!
//! Accepted deliveries are already recorded where they are applied
//! (`shopify_deliveries`, `woocommerce_deliveries`), so the log adds no
//! write to them. A refusal (wrong signature, unknown topic, malformed
//! JSON, a refund before its order, an unknown currency, …) writes nothing
//! of the delivery; the layer on the webhook routes records it afterwards
//! in `webhook_refusals`, its own write, off the answer's path. Anyone can
//! post a refused delivery, so the log is bounded twice: at most
//! `RECORDED_PER_MINUTE` are recorded per sending address (the rest are
//! counted, not stored: junk from one address cannot crowd out a
//! platform's), and only the newest `KEPT` rows of each route are kept.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::ratelimit::RateLimiter;
use crate::App;

/// Refusals recorded per minute and sending address, at most (the rest are only counted).
pub const RECORDED_PER_MINUTE: u32 = 120;
/// Refusals kept per route: older ones are deleted as new ones arrive.
pub const KEPT: i64 = 1000;
/// The longest error body read back from a refusal (error bodies are small).
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The log's bound, one per server (`AppState::delivery_log`): the rate
/// of recorded refusals, and the count of those it left out since start
/// (shown on the page).
pub struct Bound {
    rate: RateLimiter,
    unrecorded: AtomicU64,
}

impl Default for Bound {
    fn default() -> Bound {
        Bound { rate: RateLimiter::new(RECORDED_PER_MINUTE, 60_000), unrecorded: AtomicU64::new(0) }
    }
}

impl Bound {
    pub fn unrecorded(&self) -> u64 {
        self.unrecorded.load(Ordering::Relaxed)
    }
}

/// What the sender named: the topic and delivery id headers of each platform.
fn named(headers: &HeaderMap) -> (String, String) {
    let first = |names: &[&str]| {
        names.iter().find_map(|n| headers.get(*n).and_then(|v| v.to_str().ok())).map(|v| v.chars().take(120).collect()).unwrap_or_default()
    };
    (first(&["x-shopify-topic", "x-wc-webhook-topic"]), first(&["x-shopify-webhook-id", "x-wc-webhook-delivery-id"]))
}

/// The layer on the webhook routes: a 4xx or 5xx answer is recorded with
/// the error kind, message and first issue path its body gives.
pub async fn record_refusals(State(app): State<App>, req: Request, next: Next) -> Response {
    let route = req.uri().path().trim_start_matches("/api/webhooks/").chars().take(40).collect::<String>();
    let (topic, delivery_id) = named(req.headers());
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let sender = crate::http::extract::client_ip(&app, req.headers(), peer);
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, ERROR_BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            // Not an error body of ours (they are small): the status alone, without a length it no longer has.
            let mut headers = parts.headers;
            headers.remove(axum::http::header::CONTENT_LENGTH);
            return (parts.status, headers).into_response();
        }
    };
    let now = app.clock.now();
    if app.delivery_log.rate.check(sender, now).is_ok() {
        let error: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        let text = |v: &serde_json::Value| v.as_str().unwrap_or("").chars().take(500).collect::<String>();
        let refusal = Refusal {
            at: now,
            route,
            topic,
            delivery_id,
            status: i64::from(status.as_u16()),
            error: text(&error["error"]),
            message: text(&error["message"]),
            path: text(&error["issues"][0]["path"]),
        };
        tokio::spawn(async move {
            if let Err(e) = store(&app, &refusal).await {
                eprintln!("delivery log: could not record a refused delivery: {e}");
            }
        });
    } else {
        app.delivery_log.unrecorded.fetch_add(1, Ordering::Relaxed);
    }
    Response::from_parts(parts, Body::from(bytes))
}

pub use crate::storage::deliveries::{accepted, refusals, Platform, Refusal};

async fn store(app: &App, r: &Refusal) -> crate::storage::Result<()> {
    crate::storage::deliveries::record(&app.db, r, KEPT).await
}
