//! The project's own webhooks, HMAC-signed by the merchant's backend
//! (`X-Rewards-Signature`): orders, refunds, bonus actions and membership
//! states, each handed to its service once the signature matches.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use crate::body::decode;
use crate::error::{ApiError, ApiResult};
use crate::http::error::{json_body, json_status};
use crate::http::extract::RawBody;
use crate::services::actions;
use crate::services::platforms::generic;
use crate::{token, App};

pub fn verify(app: &App, headers: &HeaderMap, body: &[u8]) -> ApiResult<()> {
    let sig = headers.get("x-rewards-signature").and_then(|v| v.to_str().ok());
    if token::verify_webhook(&app.settings.webhook_secret, body, sig) {
        Ok(())
    } else {
        Err(ApiError::unauthorized("X-Rewards-Signature is missing or does not match the body (sha256=<lower-case hex HMAC-SHA256 of the raw body with the webhook secret>)"))
    }
}

pub async fn order_webhook(State(app): State<App>, headers: HeaderMap, RawBody(body): RawBody) -> ApiResult<Response> {
    verify(&app, &headers, &body)?;
    Ok(json_body(generic::receive_order(&app, decode(&body)?).await?))
}

pub async fn refund_webhook(State(app): State<App>, headers: HeaderMap, RawBody(body): RawBody) -> ApiResult<Response> {
    verify(&app, &headers, &body)?;
    Ok(json_body(generic::receive_refund(&app, decode(&body)?).await?))
}

pub async fn action_webhook(State(app): State<App>, headers: HeaderMap, RawBody(body): RawBody) -> ApiResult<Response> {
    verify(&app, &headers, &body)?;
    Ok(json_status(StatusCode::OK, &actions::action(&app, decode(&body)?).await?))
}

/// `POST /api/webhooks/membership`: the merchant's billing reports the
/// paid membership's state (`trial`, `active`, `lapsed`).
pub async fn membership_webhook(State(app): State<App>, headers: HeaderMap, RawBody(body): RawBody) -> ApiResult<Response> {
    verify(&app, &headers, &body)?;
    Ok(json_status(StatusCode::OK, &actions::membership(&app, decode(&body)?).await?))
}
