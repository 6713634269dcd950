//! `rewards-demo bench`: drives N signed order webhooks with C
//! concurrent clients over loopback against an in-process server on a
//! fresh database, then prints throughput and latency percentiles. A
//! measurement to run by hand; tests never assert timings.
//!
//! `--endpoint orders` (default): `POST /api/webhooks/orders` with random
//! carts. `--endpoint shopify`: `POST /api/webhooks/shopify` `orders/paid`,
//! every request Shopify's whole order body (`--template`, default the VND
//! fixture, ~15 KB) under a new order id, customer and webhook id, signed
//! like Shopify (the bodies are signed before the clock starts).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::SeedableRng;
use rewards_core::json::{obj, s};

use rewards_server::{token, AppState, Clock, Db, LoadedProgram};

use crate::demo;

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn pct(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() * p).div_ceil(100)).clamp(1, sorted.len()) - 1]
}

pub async fn run(args: &[String]) -> Result<(), String> {
    let n: usize = flag(args, "--requests").map_or(Ok(2000), |v| v.parse()).map_err(|_| "--requests: expected a number")?;
    let c: usize = flag(args, "--concurrency").map_or(Ok(16), |v| v.parse()).map_err(|_| "--concurrency: expected a number")?;
    let program_path = flag(args, "--program").unwrap_or_else(|| "tests/fixtures/programs/vn-coffee.json".into());
    let shopify = match flag(args, "--endpoint").as_deref() {
        None | Some("orders") => None,
        Some("shopify") => {
            let t = flag(args, "--template").unwrap_or_else(|| "crates/server/tests/fixtures/shopify/orders-paid-vnd.json".into());
            Some(std::fs::read_to_string(&t).map_err(|e| format!("--template {t}: {e}"))?)
        }
        Some(other) => return Err(format!("--endpoint: \"{other}\" is not orders or shopify")),
    };
    let dir = std::env::temp_dir().join(format!("rewards-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let url = flag(args, "--database-url").unwrap_or_else(|| format!("sqlite://{}", dir.join("bench.sqlite").display()));
    let mut settings = demo::demo_settings(url.clone(), std::net::SocketAddr::from(([127, 0, 0, 1], 0)), None);
    settings.shopify_webhook_secret = "bench-shopify-signing-secret-0123456789".into();
    let program = LoadedProgram::load(std::path::Path::new(&program_path))?;
    let db = Db::connect(&url).await?;
    let app = AppState::new(settings.clone(), program, db, Clock::system());
    let (code, exp) = (app.program().currency().code().to_string(), app.program().currency().exponent);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(rewards_server::serve_on(app, listener));

    let mut rng = StdRng::seed_from_u64(7);
    let run_id = std::process::id();
    let bodies: Arc<Vec<(String, String)>> = Arc::new(
        (0..n)
            .map(|i| {
                if let Some(t) = &shopify {
                    return shopify_order(t, &settings.shopify_webhook_secret, run_id, i);
                }
                let body = obj(vec![
                    ("order_id", s(format!("bench-{run_id}-{i}"))),
                    ("customer", obj(vec![("id", s(format!("bench-{}", i % 500)))])),
                    ("cart", demo::random_cart(&mut rng, &code, exp)),
                ])
                .to_text();
                let sig = token::webhook_signature(&settings.webhook_secret, body.as_bytes());
                (body, sig)
            })
            .collect(),
    );
    let client = reqwest::Client::builder().pool_max_idle_per_host(c).build().map_err(|e| e.to_string())?;
    let next = Arc::new(AtomicUsize::new(0));
    let endpoint = format!("http://{addr}/api/webhooks/{}", if shopify.is_some() { "shopify" } else { "orders" });
    let run_tag = format!("{run_id}");
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..c {
        let (client, next, bodies, endpoint, run_tag) = (client.clone(), next.clone(), bodies.clone(), endpoint.clone(), run_tag.clone());
        let shopify = shopify.is_some();
        workers.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((body, sig)) = bodies.get(i) else { break };
                let t = Instant::now();
                let req = client.post(&endpoint).header("content-type", "application/json");
                let req = if shopify {
                    req.header("x-shopify-hmac-sha256", sig)
                        .header("x-shopify-topic", "orders/paid")
                        .header("x-shopify-webhook-id", format!("bench-{run_tag}-{i}"))
                } else {
                    req.header("x-rewards-signature", sig)
                };
                let r = req.body(body.clone()).send().await;
                let ok = match r {
                    Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                lat.push(t.elapsed());
                errors += usize::from(!ok);
            }
            (lat, errors)
        }));
    }
    let mut lat = Vec::with_capacity(n);
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.await.map_err(|e| e.to_string())?;
        lat.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed();
    lat.sort_unstable();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let what = if shopify.is_some() { "Shopify orders/paid webhooks" } else { "order webhooks" };
    println!("{what}: {n} requests, {c} concurrent clients, {}", rewards_server::storage::db::redact(&url));
    println!("  total      {:.2} s", elapsed.as_secs_f64());
    println!("  throughput {:.0} requests/s", n as f64 / elapsed.as_secs_f64());
    println!(
        "  latency    p50 {}  p90 {}  p99 {}  max {}",
        ms(pct(&lat, 50)),
        ms(pct(&lat, 90)),
        ms(pct(&lat, 99)),
        ms(lat.last().copied().unwrap_or_default())
    );
    println!("  errors     {errors}");
    // The line scripts/bench-server.sh reads (the shape of crates/server/bench/wrk.lua's).
    let f = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "BENCH_RESULT {{\"requests\":{n},\"duration_s\":{:.3},\"throughput_per_s\":{:.1},\"p50_ms\":{:.2},\"p90_ms\":{:.2},\"p99_ms\":{:.2},\"max_ms\":{:.2},\"errors\":{{\"connect\":0,\"read\":0,\"write\":0,\"status\":{errors},\"timeout\":0}}}}",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64(),
        f(pct(&lat, 50)),
        f(pct(&lat, 90)),
        f(pct(&lat, 99)),
        f(lat.last().copied().unwrap_or_default())
    );
    let _ = std::fs::remove_dir_all(&dir);
    if errors > 0 {
        return Err(format!("{errors} requests failed"));
    }
    Ok(())
}

/// Shopify's order `template` as order `i` of this run: a new order id
/// (and `admin_graphql_api_id`), one of 500 customers; signed.
fn shopify_order(template: &str, secret: &str, run_id: u32, i: usize) -> (String, String) {
    let Ok(serde_json::Value::Object(mut o)) = serde_json::from_str::<serde_json::Value>(template) else {
        return (String::new(), String::new());
    };
    let id = 9_000_000_000_000u64 + u64::from(run_id % 1000) * 10_000_000 + i as u64;
    o.insert("id".into(), id.into());
    o.insert("admin_graphql_api_id".into(), format!("gid://shopify/Order/{id}").into());
    if let Some(serde_json::Value::Object(c)) = o.get_mut("customer") {
        c.insert("id".into(), (7_000_000_000_000u64 + (i % 500) as u64).into());
        c.insert("email".into(), format!("bench-{}@example.com", i % 500).into());
    }
    let body = serde_json::Value::Object(o).to_string();
    let sig = rewards_server::services::platforms::signature(secret, body.as_bytes());
    (body, sig)
}
