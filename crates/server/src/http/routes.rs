//! The route table: every endpoint, the CORS policy of the browser's API,
//! the delivery log on the webhooks, and the request deadline.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::ApiError;
use crate::http::error::json_body;
use crate::http::webhooks::{generic, shopify, woocommerce};
use crate::http::{activity, admin, assets, deliveries, referral_report, shopper};
use crate::http::{redeem, signup, vouchers};
use crate::App;

pub fn router(app: App) -> Router {
    router_with(app, Router::new())
}

/// [`router`] with `extra` routes beside the API's (the demo's stand-in
/// for a merchant backend), under the same deadline.
pub fn router_with(app: App, extra: Router<App>) -> Router {
    let browser_api = Router::new()
        .route("/api/program", get(shopper::program))
        .route("/api/signup", post(signup::handle))
        .route("/api/shopper", get(shopper::shopper_state))
        .route("/api/shopper/activity", get(activity::handle))
        .route("/api/redeem", post(redeem::handle))
        .route("/api/engine/{op}", post(shopper::engine_op))
        .layer(cors(&app.settings.allowed_origins));
    // Every webhook refusal is recorded for the console's delivery log.
    let webhooks = Router::new()
        .route("/api/webhooks/orders", post(generic::order_webhook))
        .route("/api/webhooks/refunds", post(generic::refund_webhook))
        .route("/api/webhooks/shopify", post(shopify::webhook))
        .route("/api/webhooks/woocommerce", post(woocommerce::webhook))
        .route("/api/webhooks/actions", post(generic::action_webhook))
        .route("/api/webhooks/membership", post(generic::membership_webhook))
        .layer(axum::middleware::from_fn_with_state(app.clone(), deliveries::record_refusals));
    let r = Router::new()
        .merge(browser_api)
        .merge(webhooks)
        .route("/api/vouchers/{code}", get(vouchers::lookup))
        .route("/api/vouchers/{code}/void", post(vouchers::void))
        .route("/api/health", get(|| async { json_body("{\"ok\":true}".into()) }))
        .merge(admin::router())
        .merge(crate::http::console::router())
        .merge(referral_report::router())
        .merge(assets::router(&app.settings))
        .merge(extra);
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
