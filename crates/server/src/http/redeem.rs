//! `POST /api/redeem`: the browser's origin and the shopper token, then the
//! redemption service (`services::redeem`).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use crate::body::decode;
use crate::error::ApiResult;
use crate::http::error::json_body;
use crate::http::extract::{check_origin, require_subject, RawBody};
use crate::services::redeem;
use crate::App;

pub async fn handle(State(app): State<App>, headers: HeaderMap, RawBody(body): RawBody) -> ApiResult<Response> {
    check_origin(&app, &headers)?;
    let subject = require_subject(&app, &headers)?;
    Ok(json_body(redeem::redeem(&app, subject, decode(&body)?).await?))
}
