//! The demo only (`rewards-demo demo` merges these routes): the server also plays the merchant's backend for the
//! demo stores, the parts a real store's platform or backend does:
//! signing shopper tokens (`GET /demo/token`), checking a discount code at
//! checkout (`GET /demo/voucher?code=`, what `GET /api/vouchers/{code}` does
//! with the admin token) and placing the order (`POST /demo/order`, which
//! delivers it as the order webhook would, discount codes included).

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use rewards_core::json::{int, obj, s};

use rewards_server::body::{decode, Codes, Id, Obj, Raw, Str};
use rewards_server::error::{ApiError, ApiResult};
use rewards_server::http::error::{json_body, json_status};
use rewards_server::http::extract::{token_subject, RawBody};
use rewards_server::services::platforms::generic;
use rewards_server::services::vouchers;
use rewards_server::{token, App};

pub fn router() -> Router<App> {
    Router::new().route("/demo/token", get(demo_token)).route("/demo/voucher", get(voucher)).route("/demo/order", post(order))
}

#[derive(serde::Deserialize)]
struct DemoTokenQuery {
    customer_id: String,
}

/// Signs a shopper token, as a merchant backend renders it into the page.
async fn demo_token(State(app): State<App>, Query(q): Query<DemoTokenQuery>) -> ApiResult<Response> {
    if q.customer_id.is_empty() || q.customer_id.len() > 64 {
        return Err(ApiError::invalid("customer_id", "must be 1 to 64 characters"));
    }
    let expiry = app.clock.now().div_euclid(1000) + 86_400;
    let t = token::sign(&app.settings.merchant_secret, &q.customer_id, expiry);
    Ok(json_status(axum::http::StatusCode::OK, &obj(vec![("customer_id", s(q.customer_id)), ("token", s(t)), ("expires", int(expiry))])))
}

#[derive(serde::Deserialize)]
struct CodeQuery {
    code: String,
}

/// A code's value and state, for the demo checkout's discount field.
async fn voucher(State(app): State<App>, Query(q): Query<CodeQuery>) -> ApiResult<Response> {
    let mut conn = app.db.read().await?;
    let v =
        vouchers::find(&mut conn, &vouchers::normalise(&q.code)).await?.ok_or_else(|| ApiError::not_found("no voucher has this code"))?;
    Ok(json_body(v.to_json(app.program()).to_text()))
}

/// The demo checkout's "Place order": `{cart, discount_codes}`, with the
/// shopper's token when signed in. Recorded exactly as the order webhook
/// records a delivery from a merchant's backend.
async fn order(State(app): State<App>, headers: HeaderMap, RawBody(body): RawBody) -> ApiResult<Response> {
    let body: DemoOrderBody = decode(&body)?;
    let mut customer = None;
    if let Some(subject) = token_subject(&app, &headers)? {
        // Checked as the order webhook checks a sender's customer.
        let id = Id::parse(&subject).map_err(|m| ApiError::invalid("customer.id", m))?;
        customer = Some(Obj(generic::Customer { id: Some(id), email: None }));
    }
    let order_id = Id(format!("web-{}", hex::encode(rand::random::<[u8; 6]>())));
    let body =
        generic::OrderBody { order_id, customer, cart: body.cart, discount_codes: body.discount_codes, referral_code: body.referral_code };
    Ok(json_body(generic::receive_order(&app, body).await?))
}

/// `POST /demo/order`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoOrderBody {
    cart: Raw,
    discount_codes: Option<Codes>,
    /// The referral code the widget kept (`Rewards.referralCode()`), as a platform's cart attribute would carry it.
    referral_code: Option<Str>,
}
