//! `GET /api/vouchers/{code}` and `POST /api/vouchers/{code}/void` (admin
//! token), over the voucher service (`services::vouchers`).

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use crate::body::{decode, Reason};
use crate::error::{ApiError, ApiResult};
use crate::http::admin;
use crate::http::error::json_body;
use crate::http::extract::RawBody;
use crate::services::vouchers;
use crate::App;

/// `POST /api/vouchers/{code}/void`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct VoidBody {
    reason: Option<Reason>,
}

/// `GET /api/vouchers/{code}` (admin token): a code's value and state, for
/// a merchant's checkout that checks a code before accepting it.
pub async fn lookup(State(app): State<App>, headers: HeaderMap, Path(code): Path<String>) -> ApiResult<Response> {
    if let Some(denied) = admin::deny(&app, &headers) {
        return Ok(denied);
    }
    let mut conn = app.db.read().await?;
    let v = vouchers::find(&mut conn, &vouchers::normalise(&code)).await?.ok_or_else(|| ApiError::not_found("no voucher has this code"))?;
    Ok(json_body(v.to_json(app.program()).to_text()))
}

/// `POST /api/vouchers/{code}/void` (admin token), body `{"reason": "…"}`:
/// an unused voucher can no longer be used; its points go back to the
/// shopper. Voiding again answers the same voucher; a used one is a 409.
pub async fn void(State(app): State<App>, headers: HeaderMap, Path(code): Path<String>, RawBody(body): RawBody) -> ApiResult<Response> {
    if let Some(denied) = admin::deny(&app, &headers) {
        return Ok(denied);
    }
    let body: VoidBody = decode(&body)?;
    let Some(Reason(reason)) = body.reason else { return Err(ApiError::invalid("reason", Reason::RULE)) };
    let code = vouchers::normalise(&code);
    let now = app.clock.now();
    let mut w = app.db.write().await?;
    let result = vouchers::void_in(&app, &mut w, &code, &reason, now).await.map(|v| v.to_json(app.program()).to_text());
    Ok(json_body(w.finish(result).await?).into_response())
}
