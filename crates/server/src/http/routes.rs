//! The HTTP API: router, shared extractors, identity, and the small
//! read-only endpoints (program, shopper state, preview fallback).
//! Signup, webhooks, redemption, admin and assets have their own modules.

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use rewards_core::json::{int, obj, s, Json};
use tower_http::cors::{AllowOrigin, CorsLayer};

use serde_json::value::RawValue;

use crate::body::{decode, Raw};
use crate::error::{ApiError, ApiResult};
use crate::ledger::{self, ShopperRow, State as ShopperState};
use crate::{actions, admin, assets, deliveries, demo_backend, orders, redeem, shopify, signup, token, vouchers, woocommerce, App};

pub fn router(app: App) -> Router {
    let browser_api = Router::new()
        .route("/api/program", get(program))
        .route("/api/signup", post(signup::handle))
        .route("/api/shopper", get(shopper_state))
        .route("/api/shopper/activity", get(crate::activity::handle))
        .route("/api/redeem", post(redeem::handle))
        .route("/api/engine/{op}", post(engine_op))
        .layer(cors(&app.settings.allowed_origins));
    // Every webhook refusal is recorded for the console's delivery log.
    let webhooks = Router::new()
        .route("/api/webhooks/orders", post(orders::order_webhook))
        .route("/api/webhooks/refunds", post(orders::refund_webhook))
        .route("/api/webhooks/shopify", post(shopify::webhook))
        .route("/api/webhooks/woocommerce", post(woocommerce::webhook))
        .route("/api/webhooks/actions", post(actions::action_webhook))
        .route("/api/webhooks/membership", post(actions::membership_webhook))
        .layer(axum::middleware::from_fn_with_state(app.clone(), deliveries::record_refusals));
    let mut r = Router::new()
        .merge(browser_api)
        .merge(webhooks)
        .route("/api/vouchers/{code}", get(vouchers::lookup))
        .route("/api/vouchers/{code}/void", post(vouchers::void))
        .route("/api/health", get(|| async { json_body("{\"ok\":true}".into()) }))
        .merge(admin::router())
        .merge(crate::console::router())
        .merge(crate::referral_report::router())
        .merge(assets::router(&app.settings));
    if app.settings.demo {
        r = r.merge(demo_backend::router());
    }
    let deadline = axum::middleware::from_fn_with_state(app.clone(), deadline);
    assets::with_site(r, &app.settings).layer(deadline).with_state(app)
}

/// The request timeout: a request whose body or handling takes longer is
/// answered `503` (retry later). A write it was waiting on may still be
/// committed; retries are idempotent (webhooks by id, redemptions by key).
async fn deadline(State(app): State<App>, req: Request, next: axum::middleware::Next) -> Response {
    let limit = std::time::Duration::from_millis(app.settings.request_timeout_ms);
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            let message = format!("the request did not complete within {} ms; retry later", app.settings.request_timeout_ms);
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "timeout", message).into_response()
        }
    }
}

fn cors(origins: &[String]) -> CorsLayer {
    let list: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(list))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .max_age(std::time::Duration::from_secs(600))
}

/// A JSON answer. `nosniff`: an error that quotes the request (an unknown
/// engine op, a customer id) is never sniffed into HTML by a browser.
pub fn json_body(text: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        text,
    )
        .into_response()
}

pub fn json_status(status: StatusCode, json: &Json) -> Response {
    (status, json_body(json.to_text())).into_response()
}

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

/// The shopper a merchant-signed token names: a customer id, or the
/// server's own `shp_…` id of a shopper without one (a popup signup the
/// merchant's backend has not linked yet) — the latter only until a
/// customer id is linked, then only the customer's token reads it. The
/// server signs no tokens itself (a signup lends none, `signup::answer`).
pub async fn resolve(conn: &mut sqlx::AnyConnection, subject: &str) -> Result<Option<ShopperRow>, sqlx::Error> {
    if subject.starts_with("shp_") {
        if let Some(row) = ledger::find(conn, "id", subject).await? {
            if row.customer_id.is_none() {
                return Ok(Some(row));
            }
        }
    }
    ledger::find(conn, "customer_id", subject).await
}

/// The shopper's state at `now`, writing due lifecycle entries first.
pub async fn current_state(app: &App, subject: &str, now: i64) -> ApiResult<Option<ShopperState>> {
    let program = app.program();
    let state = {
        let mut conn = app.db.read().await?;
        let Some(row) = resolve(&mut conn, subject).await? else { return Ok(None) };
        ledger::load(&mut conn, program, row, now).await?
    };
    if !ledger::lifecycle_due(program, &state, now) {
        return Ok(Some(state));
    }
    let mut w = app.db.write().await?;
    let result: ApiResult<ShopperState> = async {
        // Read again inside the write: the row above came from a reader.
        let row = ledger::find(w.conn(), "id", &state.row.id).await?.ok_or(sqlx::Error::RowNotFound)?;
        let row = ledger::lock(&app.db, w.conn(), row).await?;
        let mut state = ledger::load(w.conn(), program, row, now).await?;
        ledger::apply_lifecycle(w.conn(), program, &app.program.version, &mut state, now).await?;
        Ok(state)
    }
    .await;
    Ok(Some(w.finish(result).await?))
}

async fn program(State(app): State<App>, headers: HeaderMap) -> Response {
    let etag = format!("\"{}\"", app.program.version);
    let cache = [(header::CACHE_CONTROL, "public, max-age=60"), (header::ETAG, etag.as_str())];
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    (cache, [(header::CONTENT_TYPE, "application/json; charset=utf-8")], app.program.published.clone()).into_response()
}

/// `GET /api/shopper`: the core's Shopper JSON plus `shopper_id`, `email`,
/// `signed_up`, `vouchers`, `store_credit`, `store_credit_pending` and
/// `referral_code` (a member's, when the program refers friends) and
/// `birthday_gift` (strip those eight before handing it to the engine).
async fn shopper_state(State(app): State<App>, headers: HeaderMap) -> ApiResult<Response> {
    let subject = require_subject(&app, &headers)?;
    let now = app.clock.now();
    let Some(state) = current_state(&app, &subject, now).await? else {
        let empty = obj(vec![
            ("member", Json::Bool(false)),
            ("balance", int(0)),
            ("pending", int(0)),
            ("lifetime_orders", int(0)),
            ("shopper_id", Json::Null),
            ("email", Json::Null),
            ("signed_up", Json::Bool(false)),
            ("vouchers", Json::Array(vec![])),
            ("store_credit", int(0)),
            ("store_credit_pending", int(0)),
            ("referral_code", Json::Null),
            ("birthday_gift", Json::Null),
        ]);
        return Ok(json_status(StatusCode::OK, &empty));
    };
    let mut conn = app.db.read().await?;
    let list = vouchers::of_shopper(&mut conn, &state.row.id).await?;
    let (credit, credit_pending) = ledger::store_credit(&mut conn, &state.row.id, now).await?;
    let referral_code = match (&app.program().referral, state.row.signed_up_at) {
        (Some(_), Some(_)) => Some(crate::referral::code_for_member(&app, &state.row.id, now).await?),
        _ => None,
    };
    let v = Json::Array(list.iter().map(|v| v.to_json(app.program())).collect());
    let Json::Object(mut fields) = state.core_json() else { unreachable!("core_json builds an object") };
    fields.push(("shopper_id".into(), s(&*state.row.id)));
    fields.push(("email".into(), state.row.email.as_deref().map_or(Json::Null, s)));
    fields.push(("signed_up".into(), Json::Bool(state.row.signed_up_at.is_some())));
    fields.push(("vouchers".into(), v));
    fields.push(("store_credit".into(), int(credit)));
    fields.push(("store_credit_pending".into(), int(credit_pending)));
    fields.push(("referral_code".into(), referral_code.map_or(Json::Null, s)));
    fields.push(("birthday_gift".into(), birthday_gift(&mut conn, app.program(), &state.row.id, now).await?));
    Ok(json_status(StatusCode::OK, &Json::Object(fields)))
}

/// This local year's birthday gift, `{points, year}`, once credited (the
/// widget says "Happy birthday" once per year); `null` otherwise.
async fn birthday_gift(conn: &mut sqlx::AnyConnection, program: &rewards_core::Program, id: &str, now: i64) -> ApiResult<Json<'static>> {
    use sqlx::Row;
    let day = crate::birthday::local_day(&program.store.time_zone, now);
    let year = rewards_core::time::civil_from_days(day).0;
    let r = sqlx::query("SELECT delta FROM ledger WHERE cause = 'action' AND ref = $1")
        .bind(format!("birthday:{id}:{year}"))
        .fetch_optional(conn)
        .await?;
    Ok(match r {
        Some(r) => obj(vec![("points", int(r.try_get::<i64, _>(0)?)), ("year", int(year))]),
        None => Json::Null,
    })
}

/// `POST /api/engine/{op}`: the preview fallback, any operation of the
/// core's op table (`rewards_core::Op`). Body `{"shopper"?, "input"?}`; the
/// response body is byte for byte what the wasm `Engine::run` returns for
/// the same input at the server's `now`.
async fn engine_op(State(app): State<App>, Path(op): Path<String>, headers: HeaderMap, RawBody(body): RawBody) -> ApiResult<Response> {
    let body: EngineBody = if body.iter().all(u8::is_ascii_whitespace) { EngineBody::default() } else { decode(&body)? };
    let Some(op) = rewards_core::Op::from_name(&op) else {
        return Err(ApiError::not_found(format!("unknown engine operation \"{op}\"")));
    };
    let now = app.clock.now();
    let shopper = match token_subject(&app, &headers)? {
        Some(subject) => current_state(&app, &subject, now).await?.map(|st| st.core_json().to_text()).unwrap_or_default(),
        None => text(&body.shopper)?,
    };
    let result = app.engine().run(op, &shopper, &text(&body.input)?, now);
    let status = if result.is_ok() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, json_body(rewards_core::respond(result))).into_response())
}

/// `POST /api/engine/{op}`'s body: each member is handed to the engine as
/// the exact JSON text received — a string member *is* that text (as the
/// wasm binding takes it, so malformed input can be sent too); absent or
/// `null` is "no value" (the wasm binding's `""`). An empty body is `{}`.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct EngineBody {
    shopper: Option<Raw>,
    input: Option<Raw>,
}

/// A member's text for the engine, `""` when absent.
fn text(v: &Option<Raw>) -> ApiResult<String> {
    let Some(raw) = v.as_deref().map(RawValue::get) else { return Ok(String::new()) };
    if raw.starts_with('"') {
        return serde_json::from_str::<String>(raw).map_err(|e| ApiError::invalid("", e.to_string()));
    }
    Ok(raw.to_string())
}

/// The peer address (the server is always started with connect info).
pub type Peer = ConnectInfo<SocketAddr>;
