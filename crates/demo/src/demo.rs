//! `rewards-demo demo`: the demo stores (`www/demo`), the widget build
//! (`www/dist`) and this server on embedded SQLite files, with seeded,
//! deterministic history (90 days of orders, signups, refunds and
//! redemptions) so the widget and the KPI page have something to show.
//!
//! Each store runs its own program on its own server instance, as two
//! merchants would (one program per server, as in production): the
//! Vietnamese store (VND) on `--port` (8787), the English one (USD) on the
//! next port. Each instance serves the whole site, so a page's
//! `data-api="/"` names the instance that served it; a store's pages asked
//! of another instance are redirected to their own, so signups, shopper
//! state and previews always reach the store's program.
//!
//! Demo secrets are fixed and printed: this mode listens on 127.0.0.1 only
//! and exists to be looked at. `GET /demo/token?customer_id=demo-1` plays
//! the merchant backend that signs shopper tokens.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rewards_core::config::FieldMode;
use rewards_core::json::{int, obj, s, Json};
use rewards_core::time::DAY_MS;
use tower::ServiceExt;

use rewards_server::http::console;
use rewards_server::http::routes;
use rewards_server::services::birthday;
use rewards_server::storage::shoppers;
use rewards_server::{token, App, AppState, Clock, Db, LoadedProgram, Settings};

use crate::demo_backend;

pub const MERCHANT_SECRET: &str = "demo-merchant-secret-not-for-production";
pub const WEBHOOK_SECRET: &str = "demo-webhook-secret-not-for-production";
pub const ADMIN_TOKEN: &str = "demo-admin-token-not-for-production";
/// The demo's console owner (`/console`), created at start.
pub const CONSOLE_OWNER: &str = "owner@demo.test";
pub const CONSOLE_PASSWORD: &str = "demo-console-password-not-for-production";

/// One demo store: its pages (`<site>/<path>/`, served at `/<path>/`) and
/// its program (relative to the site: the file its pages' `data-config` names).
#[derive(Debug)]
pub struct Store {
    pub path: &'static str,
    pub program: &'static str,
}

/// The stores, in port order.
pub const STORES: [Store; 2] =
    [Store { path: "vi", program: "programs/vn-coffee.json" }, Store { path: "en", program: "programs/us-apparel.json" }];

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

/// Settings of a demo instance: fixed demo secrets, generous signup limits.
pub fn demo_settings(database_url: String, bind: SocketAddr, site_dir: Option<PathBuf>) -> Settings {
    let mut s = Settings::defaults();
    s.bind = bind;
    s.database_url = database_url;
    s.merchant_secret = MERCHANT_SECRET.into();
    s.webhook_secret = WEBHOOK_SECRET.into();
    s.admin_token = ADMIN_TOKEN.into();
    s.site_dir = site_dir;
    s.signup_rate_max = 1000;
    s.signup_min_fill_ms = 1000;
    s
}

/// Where and how to run the demo.
#[derive(Debug, Clone)]
pub struct Options {
    /// The first store's port; the next stores take the next ports (0: any free ports).
    pub port: u16,
    /// The demo site (`www/demo`): the stores' pages and programs.
    pub site: PathBuf,
    /// The widget build (`www/dist`).
    pub www_dist: PathBuf,
    /// Where the SQLite files live (`rewards-demo-<store>.sqlite`).
    pub data: PathBuf,
    /// Keep the databases of an earlier run instead of starting afresh.
    pub keep: bool,
    /// Seed 90 days of history into an empty database.
    pub seed: bool,
}

/// A running store: its server state and address.
pub struct Instance {
    pub store: &'static Store,
    pub app: App,
    pub addr: SocketAddr,
    /// What seeding did.
    pub seeded: String,
}

/// Starts one server instance per store (each on its own SQLite file and
/// port) and serves them in the background.
pub async fn start(opts: &Options) -> Result<Vec<Instance>, String> {
    std::fs::create_dir_all(&opts.data).map_err(|e| format!("{}: {e}", opts.data.display()))?;
    // Every port first: each instance redirects to the others.
    let mut listeners = Vec::new();
    for i in 0..STORES.len() {
        let port = if opts.port == 0 { Some(0) } else { u16::try_from(i).ok().and_then(|i| opts.port.checked_add(i)) };
        let bind = SocketAddr::from(([127, 0, 0, 1], port.ok_or("--port: no room for a port per store")?));
        listeners.push(tokio::net::TcpListener::bind(bind).await.map_err(|e| format!("cannot listen on {bind}: {e}"))?);
    }
    let addrs = listeners.iter().map(|l| l.local_addr()).collect::<Result<Vec<_>, _>>().map_err(|e| e.to_string())?;
    // The site's program files answer published (`rewards-server publish`),
    // as a store without this server would host them: the browser never
    // reads a merchant config.
    let mut published = Vec::new();
    for store in &STORES {
        published.push((format!("/{}", store.program), LoadedProgram::load(&opts.site.join(store.program))?.published));
    }
    let published: Arc<[(String, String)]> = published.into();
    let mut instances = Vec::new();
    for ((store, listener), &addr) in STORES.iter().zip(listeners).zip(&addrs) {
        let file = opts.data.join(format!("rewards-demo-{}.sqlite", store.path));
        if !opts.keep {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
        let site = Some(opts.site.clone()).filter(|d| d.is_dir());
        let mut settings = demo_settings(format!("sqlite://{}", file.display()), addr, site);
        settings.www_dist = opts.www_dist.clone();
        settings.program_path = opts.site.join(store.program);
        let program = LoadedProgram::load(&settings.program_path)?;
        let db = Db::open(&settings).await?;
        let app = AppState::new(settings, program, db, Clock::system());
        let seeded = if opts.seed { seed(&app).await? } else { "nothing (not asked to)".into() };
        let lang = if store.path == "vi" { console::i18n::Lang::Vi } else { console::i18n::Lang::En };
        if let Err(e) =
            console::users::add_user(&app.db, &app.clock, CONSOLE_OWNER, console::auth::Role::Owner, lang, CONSOLE_PASSWORD).await
        {
            if !e.contains("exists") {
                return Err(e);
            }
        }
        let others: Arc<[(&'static str, SocketAddr)]> =
            STORES.iter().zip(&addrs).filter(|(s, _)| s.path != store.path).map(|(s, a)| (s.path, *a)).collect();
        let router = routes::router_with(app.clone(), demo_backend::router())
            .layer(axum::middleware::from_fn_with_state(others, to_own_instance))
            .layer(axum::middleware::from_fn_with_state(published.clone(), published_program))
            .layer(axum::middleware::from_fn_with_state((app.clone(), format!("/{}", store.program)), own_program));
        let header_timeout = std::time::Duration::from_millis(app.settings.request_timeout_ms);
        tokio::spawn(rewards_server::serve_router(router, header_timeout, listener));
        instances.push(Instance { store, app, addr, seeded });
    }
    Ok(instances)
}

/// Another store's pages go to that store's instance, whose `/api/` runs
/// its program (a page's `data-api="/"` names the instance that served it).
async fn to_own_instance(State(others): State<Arc<[(&'static str, SocketAddr)]>>, req: axum::extract::Request, next: Next) -> Response {
    let path = req.uri().path();
    for (store, addr) in others.iter() {
        let rest = path.strip_prefix('/').and_then(|p| p.strip_prefix(store));
        if matches!(rest, Some(r) if r.is_empty() || r.starts_with('/')) {
            let target = format!("http://{addr}{}", req.uri().path_and_query().map_or(path, |p| p.as_str()));
            return (StatusCode::FOUND, [(header::LOCATION, target)]).into_response();
        }
    }
    next.run(req).await
}

/// `GET /programs/<this store>.json`: the program in force on this
/// instance, so the storefront shows what the console last published.
async fn own_program(State((app, path)): State<(App, String)>, req: axum::extract::Request, next: Next) -> Response {
    if req.method() == axum::http::Method::GET && req.uri().path() == path {
        let doc = app.program.get().published.clone();
        return ([(header::CONTENT_TYPE, "application/json; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], doc).into_response();
    }
    next.run(req).await
}

/// `GET /programs/<store>.json`: that store's published program.
async fn published_program(State(files): State<Arc<[(String, String)]>>, req: axum::extract::Request, next: Next) -> Response {
    match files.iter().find(|(path, _)| *path == req.uri().path()) {
        Some((_, doc)) if req.method() == axum::http::Method::GET => {
            ([(header::CONTENT_TYPE, "application/json; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], doc.clone()).into_response()
        }
        _ => next.run(req).await,
    }
}

pub async fn run(args: &[String]) -> Result<(), String> {
    if flag(args, "--program").is_some() {
        return Err("demo: --program is gone: each store runs its own program (www/demo/programs/); serve your own with `serve`".into());
    }
    let port: u16 = flag(args, "--port").map_or(Ok(8787), |p| p.parse()).map_err(|_| "--port: expected a number".to_string())?;
    let opts = Options {
        port,
        site: PathBuf::from("www/demo"),
        www_dist: Settings::defaults().www_dist,
        data: PathBuf::from(flag(args, "--data").unwrap_or_else(|| "target/demo".into())),
        keep: args.iter().any(|a| a == "--keep"),
        seed: true,
    };
    let instances = start(&opts).await?;
    let first = instances.first().ok_or("no demo stores")?.addr;
    println!("Rewards demo: http://{first}/");
    for i in &instances {
        let (program, addr) = (i.app.program(), i.addr);
        println!(
            "  {} store     http://{addr}/{}/  {} ({}), API http://{addr}/api/",
            i.store.path,
            i.store.path,
            program.store.name,
            program.currency().code()
        );
        println!("               program {} ({})", i.app.settings.program_path.display(), i.app.program.version);
        println!("               database {}; seeded {}", i.app.settings.database_url, i.seeded);
    }
    let built = opts.www_dist.join("rewards.js").is_file();
    println!("  widget       http://{first}/rewards.js{}", if built { "" } else { " (not built yet: run scripts/build-wasm.sh)" });
    let admins: Vec<String> = instances.iter().map(|i| format!("http://{}/admin", i.addr)).collect();
    println!("  admin        {}  (one per store; user: any, password: {ADMIN_TOKEN})", admins.join(", "));
    let consoles: Vec<String> = instances.iter().map(|i| format!("http://{}/console", i.addr)).collect();
    println!("  console      {}  (one per store; {CONSOLE_OWNER}, password {CONSOLE_PASSWORD})", consoles.join(", "));
    println!("  shopper      http://{first}/demo/token?customer_id=demo-1");
    std::future::pending::<()>().await;
    Ok(())
}

async fn call(app: &App, method: &str, uri: &str, body: String, headers: &[(&str, String)]) -> Result<Json<'static>, String> {
    let mut req = Request::builder().method(method).uri(uri).header("content-type", "application/json");
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let mut req = req.body(Body::from(body)).map_err(|e| e.to_string())?;
    req.extensions_mut().insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 1))));
    let resp = routes::router_with(app.clone(), demo_backend::router()).oneshot(req).await.map_err(|e| e.to_string())?;
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

/// A plausible cart in the program's currency: the coffee shop's items in
/// VND, the outfitter's in other currencies (US cents scaled by exponent).
pub fn random_cart(rng: &mut StdRng, currency: &str, exponent: u8) -> Json<'static> {
    const COFFEE: [(&str, &str, &str, i64); 4] = [
        ("ca-phe-sua-da", "Cà phê sữa đá", "Cà phê", 45_000),
        ("bac-xiu", "Bạc xỉu", "Cà phê", 49_000),
        ("banh-mi", "Bánh mì", "Bánh", 35_000),
        ("ca-phe-hat", "Cà phê hạt 500g", "Hạt", 220_000),
    ];
    const APPAREL: [(&str, &str, &str, i64); 4] = [
        ("merino-hiker-sock", "Merino Hiker Sock", "Socks", 1_800),
        ("trail-crew-3-pack", "Trail Crew Sock, 3-pack", "Socks", 3_200),
        ("summit-beanie", "Summit Beanie", "Accessories", 2_800),
        ("ridgeline-rain-shell", "Ridgeline Rain Shell", "Jackets", 18_900),
    ];
    let (items, scale): (_, &dyn Fn(i64) -> i64) =
        if currency == "VND" { (COFFEE, &|p| p) } else { (APPAREL, &|cents| (cents * 10i64.pow(u32::from(exponent)) / 100).max(1)) };
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
    let (existing, _) = shoppers::counts(&mut conn).await.map_err(|e| e.to_string())?;
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
    let (mut orders, mut refunds, mut redemptions) = (0, 0, 0);
    let mut first_joined = false;
    for day in 0..90 {
        app.clock.set(start + day * DAY_MS + 9 * 3_600_000);
        for _ in 0..rng.gen_range(0..=3) {
            // Customers 10–12 stop buying after three weeks: churn for the KPI page.
            let c = match rng.gen_range(1..=12) {
                c if c >= 10 && day > 20 => rng.gen_range(1..=9),
                c => c,
            };
            // The signed-in demo shopper (1) joins with its first order, so
            // its birthday (below) has the notice the gift needs.
            if c <= 8 && (rng.gen_bool(0.15) || (c == 1 && !first_joined)) {
                first_joined |= c == 1;
                let mut fields = vec![
                    ("email", s(format!("demo{c}@example.com"))),
                    ("locale", s(&*program.store.default_locale)),
                    ("page_url", s("http://127.0.0.1/demo")),
                    ("consents", Json::Array(consents.clone())),
                    ("hp", s("")),
                    ("started_at", int(app.clock.now() - 5_000)),
                ];
                if program.popup.as_ref().is_some_and(|p| p.name_field != FieldMode::Hidden) {
                    fields.push(("name", s(format!("Demo {c}"))));
                }
                // The signed-in demo shopper's birthday is the demo's today
                // (store time): the gift shows on the first visit.
                if c == 1 && program.popup.as_ref().is_some_and(|p| p.birthday_field != FieldMode::Hidden) {
                    let today = birthday::local_day(&program.store.time_zone, real_now);
                    let (_, m, d) = rewards_core::time::civil_from_days(today);
                    let d = if (m, d) == (2, 29) { 28 } else { d };
                    fields.push(("birthday", s(format!("1990-{m:02}-{d:02}"))));
                }
                let body = obj(fields);
                call(app, "POST", "/api/signup", body.to_text(), &[]).await?;
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
    // The signup's answer does not say whether an address was new: count the members.
    let mut conn = app.db.read().await.map_err(|e| e.to_string())?;
    let (_, signups) = shoppers::counts(&mut conn).await.map_err(|e| e.to_string())?;
    Ok(format!("{orders} orders, {signups} signups, {refunds} refunds, {redemptions} redemptions over 90 days"))
}

async fn redeem_some(app: &App, rng: &mut StdRng, code: &str, exp: u8, day: i64) -> Result<i64, String> {
    let Some(option) = app.program().redemptions.first() else { return Ok(0) };
    let mut done = 0;
    for c in 1..=12 {
        let tok = token::sign(&app.settings.merchant_secret, &format!("demo-{c}"), app.clock.now() / 1000 + 3600);
        let auth = [("authorization", format!("Bearer {tok}"))];
        let cart = random_cart(rng, code, exp);
        let q = call(app, "POST", "/api/engine/redemptions", obj(vec![("input", cart.clone())]).to_text(), &auth).await?;
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
