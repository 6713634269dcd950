//! `rewards-server bench`: drives N signed order webhooks with C
//! concurrent clients over loopback against an in-process server on a
//! fresh database, then prints throughput and latency percentiles. A
//! measurement to run by hand; tests never assert timings.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::SeedableRng;
use rewards_core::json::{obj, s};

use crate::{demo, token, AppState, Clock, Db, LoadedProgram};

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
    let dir = std::env::temp_dir().join(format!("rewards-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let url = flag(args, "--database-url").unwrap_or_else(|| format!("sqlite://{}", dir.join("bench.sqlite").display()));
    let mut settings = demo::demo_settings(url.clone(), std::net::SocketAddr::from(([127, 0, 0, 1], 0)), None);
    settings.demo = false;
    let program = LoadedProgram::load(std::path::Path::new(&program_path))?;
    let db = Db::connect(&url).await?;
    let app = AppState::new(settings.clone(), program, db, Clock::system());
    let (code, exp) = (app.program().currency().code().to_string(), app.program().currency().exponent);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(crate::serve_on(app, listener));

    let mut rng = StdRng::seed_from_u64(7);
    let run_id = std::process::id();
    let bodies: Arc<Vec<(String, String)>> = Arc::new(
        (0..n)
            .map(|i| {
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
    let endpoint = format!("http://{addr}/api/webhooks/orders");
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..c {
        let (client, next, bodies, endpoint) = (client.clone(), next.clone(), bodies.clone(), endpoint.clone());
        workers.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((body, sig)) = bodies.get(i) else { break };
                let t = Instant::now();
                let r = client
                    .post(&endpoint)
                    .header("content-type", "application/json")
                    .header("x-rewards-signature", sig)
                    .body(body.clone())
                    .send()
                    .await;
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
    println!("order webhooks: {n} requests, {c} concurrent clients, {}", crate::db::redact(&url));
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
    let _ = std::fs::remove_dir_all(&dir);
    if errors > 0 {
        return Err(format!("{errors} requests failed"));
    }
    Ok(())
}
