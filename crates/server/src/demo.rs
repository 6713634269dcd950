//! `rewards-server demo`: the demo store (`www/demo`), the widget build
//! (`www/dist`) and this server on an embedded SQLite file, with seeded,
//! deterministic history (90 days of orders, signups, refunds and
//! redemptions) so the widget and the KPI page have something to show.
//!
//! Demo secrets are fixed and printed: this mode listens on 127.0.0.1 only
//! and exists to be looked at. `GET /demo/token?customer_id=demo-1` plays
//! the merchant backend that signs shopper tokens.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rewards_core::json::{int, obj, s, Json};
use rewards_core::time::DAY_MS;
use tower::ServiceExt;

use crate::{routes, token, App, AppState, Clock, Db, LoadedProgram, Settings};

pub const MERCHANT_SECRET: &str = "demo-merchant-secret-not-for-production";
pub const WEBHOOK_SECRET: &str = "demo-webhook-secret-not-for-production";
pub const ADMIN_TOKEN: &str = "demo-admin-token-not-for-production";

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

pub fn demo_settings(data: &Path, port: u16) -> Settings {
    let mut s = Settings::defaults();
    s.bind = SocketAddr::from(([127, 0, 0, 1], port));
    s.database_url = format!("sqlite://{}", data.join("rewards-demo.sqlite").display());
    s.merchant_secret = MERCHANT_SECRET.into();
    s.webhook_secret = WEBHOOK_SECRET.into();
    s.admin_token = ADMIN_TOKEN.into();
    s.site_dir = Some(PathBuf::from("www/demo")).filter(|d| d.is_dir());
    s.signup_rate_max = 1000;
    s.signup_min_fill_ms = 1000;
    s.demo = true;
    s
}

pub async fn run(args: &[String]) -> Result<(), String> {
    let port: u16 = flag(args, "--port").map_or(Ok(8787), |p| p.parse()).map_err(|_| "--port: expected a number".to_string())?;
    let program_path = flag(args, "--program").map(PathBuf::from).unwrap_or_else(|| {
        let own = PathBuf::from("www/demo/program.json");
        if own.is_file() {
            own
        } else {
            PathBuf::from("tests/fixtures/programs/vn-coffee.json")
        }
    });
    let data = PathBuf::from(flag(args, "--data").unwrap_or_else(|| "target/demo".into()));
    std::fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;
    if !args.iter().any(|a| a == "--keep") {
        for f in ["rewards-demo.sqlite", "rewards-demo.sqlite-wal", "rewards-demo.sqlite-shm"] {
            let _ = std::fs::remove_file(data.join(f));
        }
    }
    let mut settings = demo_settings(&data, port);
    settings.program_path = program_path.clone();
    let program = LoadedProgram::load(&program_path)?;
    let db = Db::connect(&settings.database_url).await?;
    let app = AppState::new(settings.clone(), program, db, Clock::system());
    let seeded = seed(&app).await?;
    let listener = tokio::net::TcpListener::bind(settings.bind).await.map_err(|e| format!("cannot listen on {}: {e}", settings.bind))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("Rewards demo: http://{addr}/");
    println!("  program      {} ({})", program_path.display(), app.program.version);
    println!("  database     {}", settings.database_url);
    println!("  seeded       {seeded}");
    println!(
        "  widget       http://{addr}/rewards.js{}",
        if settings.www_dist.join("rewards.js").is_file() { "" } else { " (not built yet: run scripts/build-wasm.sh)" }
    );
    println!("  admin        http://{addr}/admin  (user: any, password: {ADMIN_TOKEN})");
    println!("  shopper      http://{addr}/demo/token?customer_id=demo-1");
    crate::serve_on(app, listener).await.map_err(|e| e.to_string())
}

async fn call(app: &App, method: &str, uri: &str, body: String, headers: &[(&str, String)]) -> Result<Json<'static>, String> {
    let mut req = Request::builder().method(method).uri(uri).header("content-type", "application/json");
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let mut req = req.body(Body::from(body)).map_err(|e| e.to_string())?;
    req.extensions_mut().insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 1))));
    let resp = routes::router(app.clone()).oneshot(req).await.map_err(|e| e.to_string())?;
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20).await.map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if !status.is_success() {
        return Err(format!("seeding {uri}: {status} {text}"));
    }
    Json::parse(&text).map(Json::into_owned).map_err(|e| format!("seeding {uri}: {e}"))
}

async fn webhook(app: &App, path: &str, body: Json<'_>) -> Result<Json<'static>, String> {
    let text = body.to_text();
    let sig = token::webhook_signature(&app.settings.webhook_secret, text.as_bytes());
    call(app, "POST", path, text, &[("x-rewards-signature", sig)]).await
}

/// A plausible cart in the program's currency (prices scaled by exponent).
pub fn random_cart(rng: &mut StdRng, currency: &str, exponent: u8) -> Json<'static> {
    let items: [(&str, &str, &str, i64); 4] = [
        ("ca-phe-sua-da", "Cà phê sữa đá", "Cà phê", 45_000),
        ("bac-xiu", "Bạc xỉu", "Cà phê", 49_000),
        ("banh-mi", "Bánh mì", "Bánh", 35_000),
        ("ca-phe-hat", "Cà phê hạt 500g", "Hạt", 220_000),
    ];
    // VND prices; other currencies get ~1/25,000 in their minor units.
    let scale = |p: i64| if currency == "VND" { p } else { (p * 10i64.pow(exponent as u32) / 25_000).max(1) };
    let n = rng.gen_range(1..=3);
    let lines = (0..n)
        .map(|i| {
            let (id, title, kind, price) = items[rng.gen_range(0..items.len())];
            obj(vec![
                ("id", s(format!("l{i}"))),
                ("product_id", s(id)),
                ("title", s(title)),
                ("product_type", s(kind)),
                ("quantity", int(rng.gen_range(1..=3))),
                ("unit_price", int(scale(price))),
            ])
        })
        .collect();
    obj(vec![("currency", s(currency)), ("lines", Json::Array(lines))])
}

/// Seeds 90 days of deterministic history on an empty database.
pub async fn seed(app: &App) -> Result<String, String> {
    let mut conn = app.db.read().await.map_err(|e| e.to_string())?;
    let existing: i64 =
        sqlx::Row::try_get(&sqlx::query("SELECT COUNT(*) FROM shoppers").fetch_one(&mut *conn).await.map_err(|e| e.to_string())?, 0)
            .map_err(|e| e.to_string())?;
    drop(conn);
    if existing > 0 {
        return Ok(format!("kept {existing} existing shoppers"));
    }
    let real_now = app.clock.now();
    let start = real_now.div_euclid(DAY_MS) * DAY_MS - 90 * DAY_MS;
    app.clock.set(start);
    let mut rng = StdRng::seed_from_u64(42);
    let program = app.program();
    let (code, exp) = (program.currency().code().to_string(), program.currency().exponent);
    let consents: Vec<Json> = program
        .popup
        .iter()
        .flat_map(|p| p.consents.iter())
        .map(|c| {
            obj(vec![("id", s(&*c.id)), ("version", int(c.version)), ("text", s(c.text.0[0].1.clone())), ("granted", Json::Bool(true))])
        })
        .collect();
    let (mut orders, mut signups, mut refunds, mut redemptions) = (0, 0, 0, 0);
    for day in 0..90 {
        app.clock.set(start + day * DAY_MS + 9 * 3_600_000);
        for _ in 0..rng.gen_range(0..=3) {
            // Customers 10–12 stop buying after three weeks: churn for the KPI page.
            let c = match rng.gen_range(1..=12) {
                c if c >= 10 && day > 20 => rng.gen_range(1..=9),
                c => c,
            };
            if c <= 8 && rng.gen_bool(0.15) {
                let body = obj(vec![
                    ("email", s(format!("demo{c}@example.com"))),
                    ("locale", s(&*program.store.default_locale)),
                    ("page_url", s("http://127.0.0.1/demo")),
                    ("consents", Json::Array(consents.clone())),
                    ("hp", s("")),
                    ("started_at", int(app.clock.now() - 5_000)),
                ]);
                let r = call(app, "POST", "/api/signup", body.to_text(), &[]).await?;
                signups += i64::from(r.get("already_member") == Some(&Json::Bool(false)));
            }
            orders += 1;
            let order_id = format!("demo-{day}-{orders}");
            let body = obj(vec![
                ("order_id", s(&*order_id)),
                ("customer", obj(vec![("id", s(format!("demo-{c}"))), ("email", s(format!("demo{c}@example.com")))])),
                ("cart", random_cart(&mut rng, &code, exp)),
            ]);
            webhook(app, "/api/webhooks/orders", body).await?;
            if rng.gen_bool(0.08) {
                refunds += 1;
                let body = obj(vec![("refund_id", s(format!("{order_id}-r"))), ("order_id", s(&*order_id)), ("cancel", Json::Bool(true))]);
                webhook(app, "/api/webhooks/refunds", body).await?;
            }
            app.clock.advance(3_600_000);
        }
        if day % 20 == 19 {
            redemptions += redeem_some(app, &mut rng, &code, exp, day).await?;
        }
    }
    app.clock.unfreeze();
    Ok(format!("{orders} orders, {signups} signups, {refunds} refunds, {redemptions} redemptions over 90 days"))
}

async fn redeem_some(app: &App, rng: &mut StdRng, code: &str, exp: u8, day: i64) -> Result<i64, String> {
    let Some(option) = app.program().redemptions.first() else { return Ok(0) };
    let mut done = 0;
    for c in 1..=12 {
        let tok = token::sign(&app.settings.merchant_secret, &format!("demo-{c}"), app.clock.now() / 1000 + 3600);
        let auth = [("authorization", format!("Bearer {tok}"))];
        let cart = random_cart(rng, code, exp);
        let q = call(app, "POST", "/api/engine/redemptions", obj(vec![("cart", cart.clone())]).to_text(), &auth).await?;
        let usable = match q.get("options") {
            Some(Json::Array(o)) => o.first().and_then(|o| o.get("usable").cloned()) == Some(Json::Bool(true)),
            _ => false,
        };
        if usable {
            let body = obj(vec![
                ("redemption_id", s(&*option.id)),
                ("points", int(option.min_points)),
                ("cart", cart),
                ("idempotency_key", s(format!("demo-{day}-{c}"))),
            ]);
            call(app, "POST", "/api/redeem", body.to_text(), &auth).await?;
            done += 1;
        }
    }
    Ok(done)
}
