//! Extractors and checks every endpoint shares: the body limit
//! ([`RawBody`]), the client address, the browser origin, the shopper token.

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};

use crate::error::{ApiError, ApiResult};
use crate::{token, App};

/// The raw request body, refused with a JSON 413 above `max_body_bytes`.
pub struct RawBody(pub Bytes);

impl FromRequest<App> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, app: &App) -> Result<Self, Self::Rejection> {
        let limit = app.settings.max_body_bytes;
        axum::body::to_bytes(req.into_body(), limit)
            .await
            .map(RawBody)
            .map_err(|_| ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", format!("request body is larger than {limit} bytes")))
    }
}

/// The client address for rate limiting.
pub fn client_ip(app: &App, headers: &HeaderMap, peer: Option<SocketAddr>) -> IpAddr {
    if app.settings.trust_forwarded_for {
        let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()).and_then(|v| v.split(',').next());
        if let Some(ip) = forwarded.and_then(|v| v.trim().parse().ok()) {
            return ip;
        }
    }
    peer.map_or(IpAddr::from([0, 0, 0, 0]), |p| p.ip())
}

/// Browser writes must come from an allowed origin or the server's own.
pub fn check_origin(app: &App, headers: &HeaderMap) -> ApiResult<()> {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return Ok(()) };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let same = origin.split_once("://").is_some_and(|(_, h)| h == host);
    if same || app.settings.allowed_origins.iter().any(|o| o == origin) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!("origin {origin} is not allowed")))
    }
}

/// The verified token subject, if an `Authorization: Bearer` header is sent.
pub fn token_subject(app: &App, headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(v) = headers.get(header::AUTHORIZATION) else { return Ok(None) };
    let v = v.to_str().map_err(|_| ApiError::unauthorized("Authorization header is not text"))?;
    let t = v.strip_prefix("Bearer ").ok_or_else(|| ApiError::unauthorized("expected Authorization: Bearer <shopper token>"))?;
    let now_s = app.clock.now().div_euclid(1000);
    token::verify(&app.settings.merchant_secret, t.trim(), now_s).map(Some).map_err(|e| ApiError::unauthorized(e.message()))
}

pub fn require_subject(app: &App, headers: &HeaderMap) -> ApiResult<String> {
    token_subject(app, headers)?.ok_or_else(|| ApiError::unauthorized("a shopper token is required (Authorization: Bearer …)"))
}

/// The peer address (the server is always started with connect info).
pub type Peer = ConnectInfo<SocketAddr>;
