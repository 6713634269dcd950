//! `POST /api/signup`: the browser's origin and the address's rate limit,
//! then the signup service (`services::signup`).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use crate::body::decode;
use crate::error::{ApiError, ApiResult};
use crate::http::error::json_status;
use crate::http::extract::{check_origin, client_ip, Peer, RawBody};
use crate::services::signup;
use crate::App;

pub async fn handle(State(app): State<App>, peer: Peer, headers: HeaderMap, RawBody(body): RawBody) -> ApiResult<Response> {
    check_origin(&app, &headers)?;
    let now = app.clock.now();
    let ip = client_ip(&app, &headers, Some(peer.0));
    if let Err(wait) = app.signup_limiter.check(ip, now) {
        let mut e = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "too many signups from this address; try again later");
        e.issues.push(("".into(), format!("retry after {} seconds", (wait + 999) / 1000)));
        return Err(e);
    }
    signup::sign_up(&app, decode(&body)?, now).await?;
    Ok(json_status(StatusCode::CREATED, &signup::answer()))
}
