//! Widget assets from the build folder (`www/dist`):
//! - `/rewards.js`, the loader: a stable URL merchants paste once, cached
//!   briefly (5 minutes) so a new release reaches every store quickly;
//! - `/assets/…`, everything the loader loads: content-hashed names, cached
//!   for a year as immutable.
//!
//! Both are public and static, and load cross-origin: a store's page
//! (`https://shop.example`) runs `rewards.js` from this server, which
//! `import()`s its chunks and fetches the wasm, and a module script or
//! fetch from another origin needs CORS. So they carry
//! `Access-Control-Allow-Origin: *` (no credentials are involved).
//!
//! Precompressed `.br`/`.gz` siblings are served when present, other files
//! are compressed on the fly; `.wasm` goes out as `application/wasm` so
//! browsers can compile it while it streams. Without a build, these URLs
//! answer 404 (nothing else breaks).

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ApiError;
use crate::{App, Settings};

pub const LOADER_CACHE: &str = "public, max-age=300";
pub const HASHED_CACHE: &str = "public, max-age=31536000, immutable";

async fn cache(value: &'static str, req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    // Only successes are cached; a 404 before the build lands must not stick.
    let v = if r.status().is_success() || r.status() == StatusCode::NOT_MODIFIED { value } else { "no-store" };
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(v));
    r.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    r
}

pub fn router(settings: &Settings) -> Router<App> {
    let dist = &settings.www_dist;
    let loader = ServeFile::new(dist.join("rewards.js")).precompressed_br().precompressed_gzip();
    let hashed = ServeDir::new(dist.join("assets")).precompressed_br().precompressed_gzip();
    let loader = Router::new().route_service("/rewards.js", loader).layer(middleware::from_fn(|r, n| cache(LOADER_CACHE, r, n)));
    let hashed = Router::new().nest_service("/assets", hashed).layer(middleware::from_fn(|r, n| cache(HASHED_CACHE, r, n)));
    loader.merge(hashed).layer(CompressionLayer::new())
}

/// Everything no route matched: the optional site (the demo store), else a JSON 404.
pub fn with_site(router: Router<App>, settings: &Settings) -> Router<App> {
    match &settings.site_dir {
        Some(dir) => router.fallback_service(
            tower::ServiceBuilder::new().layer(CompressionLayer::new()).service(ServeDir::new(dir).append_index_html_on_directories(true)),
        ),
        None => router.fallback(|| async { ApiError::not_found("no such page").into_response() }),
    }
}
