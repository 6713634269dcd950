//! `rewards-demo bench`: drives N signed order webhooks with C
//! concurrent clients over loopback against an in-process server on a
//! fresh database, then prints throughput and latency percentiles. A
//! measurement to run by hand; tests never assert timings.
//!
//! `--endpoint orders` (default): `POST /api/webhooks/orders` with random
//! carts. `--endpoint shopify`: `POST /api/webhooks/shopify` `orders/paid`,
//! every request Shopify's whole order body (`--template`, default the VND
//! fixture, ~15 KB) under a new order id, customer and webhook id, signed
//! like Shopify (the bodies are signed before the clock starts). The
//! shoppers are a mix: of every 20 orders 17 are from 500 returning
//! customers, 2 from customers ordering for the first time and 1 a guest
//! checkout (an email, no customer object).
//!
//! Besides the timings, which move with whatever else the machine runs, it
//! prints figures that move much less: the process's CPU time per request
//! (`/proc/self/stat`, server and client together: they share the process),
//! its context switches per request (`/proc/self/task/*/status`) and the
//! SQLite writer's writes per commit.

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
    // `--group-writes N` / `--group-ms N`: the SQLite commit-group bounds (default GroupLimits).
    let mut limits = rewards_server::storage::db::GroupLimits::default();
    if let Some(v) = flag(args, "--group-writes") {
        limits.max_writes = v.parse().map_err(|_| "--group-writes: expected a number")?;
    }
    if let Some(v) = flag(args, "--group-ms") {
        limits.max_time = Duration::from_millis(v.parse().map_err(|_| "--group-ms: expected a number")?);
    }
    let db = Db::connect_with(&url, limits).await?;
    let app = AppState::new(settings.clone(), program, db, Clock::system());
    let watch = app.clone();
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
    let (cpu_before, switches_before, load) = (cpu_ticks(), context_switches(), load_average());
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
    // Clock ticks are 1/100 s on Linux (USER_HZ).
    let cpu_ms = cpu_ticks().saturating_sub(cpu_before) as f64 * 10.0 / n as f64;
    let switches = context_switches().saturating_sub(switches_before) as f64 / n as f64;
    let stats = watch.db.group_stats();
    let commits = stats.commits.load(Ordering::Relaxed);
    let per_commit = |x: &std::sync::atomic::AtomicU64| if commits == 0 { 0.0 } else { x.load(Ordering::Relaxed) as f64 / commits as f64 };
    let (writes_per_commit, group_ms, commit_ms) =
        (per_commit(&stats.writes), per_commit(&stats.group_micros) / 1000.0, per_commit(&stats.commit_micros) / 1000.0);
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
    println!(
        "  per request {cpu_ms:.3} ms CPU, {switches:.1} context switches (the process: server and client); load average {load} before"
    );
    println!("  SQLite     {writes_per_commit:.1} writes per commit; a group {group_ms:.2} ms from BEGIN to the end of COMMIT, of which COMMIT {commit_ms:.2} ms");
    // The line scripts/bench-server.sh reads (the shape of crates/server/bench/wrk.lua's).
    let f = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "BENCH_RESULT {{\"requests\":{n},\"duration_s\":{:.3},\"throughput_per_s\":{:.1},\"p50_ms\":{:.2},\"p90_ms\":{:.2},\"p99_ms\":{:.2},\"max_ms\":{:.2},\"cpu_ms_per_request\":{cpu_ms:.3},\"context_switches_per_request\":{switches:.1},\"writes_per_commit\":{writes_per_commit:.1},\"group_ms\":{group_ms:.3},\"commit_ms\":{commit_ms:.3},\"errors\":{{\"connect\":0,\"read\":0,\"write\":0,\"status\":{errors},\"timeout\":0}}}}",
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
/// (and `admin_graphql_api_id`), its shopper from the mix of the module doc; signed.
fn shopify_order(template: &str, secret: &str, run_id: u32, i: usize) -> (String, String) {
    let Ok(serde_json::Value::Object(mut o)) = serde_json::from_str::<serde_json::Value>(template) else {
        return (String::new(), String::new());
    };
    let id = 9_000_000_000_000u64 + u64::from(run_id % 1000) * 10_000_000 + i as u64;
    o.insert("id".into(), id.into());
    o.insert("admin_graphql_api_id".into(), format!("gid://shopify/Order/{id}").into());
    let (customer, email) = match i % 20 {
        0 => (None, format!("guest-{i}@example.com")),
        1 | 2 => (Some(8_000_000_000_000u64 + i as u64), format!("first-{i}@example.com")),
        _ => (Some(7_000_000_000_000u64 + (i % 500) as u64), format!("bench-{}@example.com", i % 500)),
    };
    match customer {
        Some(cid) => {
            if let Some(serde_json::Value::Object(c)) = o.get_mut("customer") {
                c.insert("id".into(), cid.into());
                c.insert("email".into(), email.clone().into());
            }
        }
        None => drop(o.remove("customer")),
    }
    o.insert("email".into(), email.clone().into());
    o.insert("contact_email".into(), email.into());
    let body = serde_json::Value::Object(o).to_string();
    let sig = rewards_server::services::platforms::signature(secret, body.as_bytes());
    (body, sig)
}

/// The process's user + system CPU time so far, in clock ticks (all its
/// threads, exited ones included): fields 14 and 15 of `/proc/self/stat`.
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, r)| r);
    after_name.split_whitespace().skip(11).take(2).filter_map(|f| f.parse::<u64>().ok()).sum()
}

/// Voluntary and involuntary context switches of the process's live threads.
fn context_switches() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return 0 };
    let statuses = tasks.flatten().filter_map(|t| std::fs::read_to_string(t.path().join("status")).ok());
    statuses
        .flat_map(|s| {
            s.lines()
                .filter(|l| l.starts_with("voluntary_ctxt_switches:") || l.starts_with("nonvoluntary_ctxt_switches:"))
                .filter_map(|l| l.split_whitespace().last()?.parse::<u64>().ok())
                .collect::<Vec<_>>()
        })
        .sum()
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").ok().and_then(|l| l.split_whitespace().next().map(str::to_string)).unwrap_or_default()
}
