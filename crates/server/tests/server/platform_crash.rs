//! Issue 11, must hold: `kill -9` the server in the middle of a concurrent
//! burst of Shopify and WooCommerce deliveries (Shopify `orders/paid`;
//! WooCommerce `order.created` and a later `order.updated` of each order with
//! a refund, sent concurrently so the later state often lands first), restart
//! it on the same database, then redeliver every delivery as the platforms
//! (or an operator) would: no acknowledged delivery is lost, none awards or
//! refunds twice, and an acknowledged one answers the same bytes again.

use crate::crash::wait_healthy;
use crate::harness::*;
use rewards_server::services::platforms::signature;
use serde_json::{json, Value};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ORDERS: usize = 400;
const WORKERS: usize = 16;
const SHOPIFY: &str = "crash-shopify-signing-secret-0123456789";
const WOO: &str = "crash-woocommerce-webhook-secret-0123456789";

fn fixture(dir: &str, name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{}/tests/fixtures/{dir}/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// One delivery: which order (and refund) it carries, its path, headers and body.
#[derive(Clone)]
struct Delivery {
    order: String,
    refund: Option<String>,
    path: &'static str,
    headers: Vec<(&'static str, String)>,
    body: String,
}

fn burst() -> Vec<Delivery> {
    let (shop, woo) = (fixture("shopify", "orders-paid-usd.json"), fixture("woocommerce", "order-1041-processing-usd-coupon.json"));
    let mut out = Vec::new();
    for i in 0..ORDERS {
        let mut o = shop.clone();
        o["id"] = json!(7_000_000_000u64 + i as u64);
        o["customer"]["id"] = json!(8_000_000 + (i % 50) as u64);
        o["customer"]["email"] = json!(format!("shop-{}@example.com", i % 50));
        let body = o.to_string();
        let headers = vec![
            ("x-shopify-hmac-sha256", signature(SHOPIFY, body.as_bytes())),
            ("x-shopify-topic", "orders/paid".into()),
            ("x-shopify-webhook-id", format!("crash-shop-{i}")),
        ];
        out.push(Delivery { order: o["id"].to_string(), refund: None, path: "/api/webhooks/shopify", headers, body });

        let mut w = woo.clone();
        w["id"] = json!(60_000 + i);
        w["customer_id"] = json!(900 + i % 50);
        w["billing"]["email"] = json!(format!("woo-{}@example.com", i % 50));
        let mut later = w.clone();
        later["status"] = json!("completed");
        later["date_modified_gmt"] = json!("2026-11-22T15:30:00");
        later["refunds"] = json!([{"id": 160_000 + i, "reason": "", "total": "-26.05"}]);
        for (topic, o, refund) in [("order.created", w, None), ("order.updated", later, Some((160_000 + i).to_string()))] {
            let body = o.to_string();
            let headers = vec![
                ("x-wc-webhook-signature", signature(WOO, body.as_bytes())),
                ("x-wc-webhook-topic", topic.into()),
                ("x-wc-webhook-delivery-id", format!("crash-woo-{topic}-{i}")),
            ];
            out.push(Delivery { order: (60_000 + i).to_string(), refund, path: "/api/webhooks/woocommerce", headers, body });
        }
    }
    out
}

/// `(index into the burst, status, body)` of every answer.
type Answers = Arc<Mutex<Vec<(usize, u16, String)>>>;

async fn send(http: &reqwest::Client, base: &str, d: &Delivery) -> Result<(u16, String), reqwest::Error> {
    let mut req = http.post(format!("{base}{}", d.path)).header("content-type", "application/json").body(d.body.clone());
    for (k, v) in &d.headers {
        req = req.header(*k, v);
    }
    let r = req.send().await?;
    let status = r.status().as_u16();
    Ok((status, r.text().await?))
}

/// Sends `all` with `WORKERS` concurrent senders; `(index, status, body)` of
/// every answer, and how many were sent but never answered.
async fn run(http: &reqwest::Client, base: &str, all: &Arc<Vec<Delivery>>, answers: &Answers) -> usize {
    let next = Arc::new(AtomicUsize::new(0));
    let unanswered = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..WORKERS {
        let (http, base, all, next, answers, unanswered) =
            (http.clone(), base.to_string(), all.clone(), next.clone(), answers.clone(), unanswered.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(d) = all.get(i) else { return };
                match send(&http, &base, d).await {
                    Ok((s, body)) => answers.lock().unwrap().push((i, s, body)),
                    Err(_) => {
                        unanswered.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    unanswered.load(Ordering::SeqCst)
}

async fn count(conn: &mut sqlx::AnyConnection, sql: &str) -> i64 {
    sqlx::Row::get(&sqlx::query(sql).fetch_one(conn).await.unwrap(), 0)
}

#[tokio::test]
async fn issue_11_kill_9_mid_platform_deliveries_then_redelivery_awards_and_refunds_exactly_once() {
    each(|k| async move {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_url(&k, dir.path()).await;
        let settings = dir.path().join("settings.toml");
        let program = format!("{}/../../tests/fixtures/programs/us-apparel.json", env!("CARGO_MANIFEST_DIR"));
        std::fs::write(
            &settings,
            format!(
                "program = \"{program}\"\nmerchant_secret = \"{MERCHANT}\"\nwebhook_secret = \"{WEBHOOK}\"\nadmin_token = \"{ADMIN}\"\nshopify_webhook_secret = \"{SHOPIFY}\"\nwoocommerce_webhook_secret = \"{WOO}\"\n"
            ),
        )
        .unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
        let spawn = || {
            Command::new(env!("CARGO_BIN_EXE_rewards-server"))
                .args(["serve", "--settings"])
                .arg(&settings)
                .env("DATABASE_URL", &url)
                .env("REWARDS_BIND", format!("127.0.0.1:{port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start rewards-server")
        };
        let mut child = spawn();
        wait_healthy(&http, &base).await;

        let all = Arc::new(burst());
        let answers: Answers = Arc::default();
        let sender = {
            let (http, base, all, answers) = (http.clone(), base.clone(), all.clone(), answers.clone());
            tokio::spawn(async move { run(&http, &base, &all, &answers).await })
        };
        let start = Instant::now();
        while answers.lock().unwrap().len() < all.len() / 2 && start.elapsed() < Duration::from_secs(120) {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        let unanswered = sender.await.unwrap();
        let first = answers.lock().unwrap().clone();
        // Before the kill every delivery is accepted, or (a WooCommerce
        // update racing its own order on PostgreSQL) answered 409 to redeliver.
        for (i, s, body) in &first {
            assert!(*s == 200 || (*s == 409 && body.contains("redeliver")), "{}: {s} {body}", all[*i].order);
        }
        let acked: Vec<&(usize, u16, String)> = first.iter().filter(|(_, s, _)| *s == 200).collect();
        assert!(acked.len() < all.len(), "the burst finished before the kill: not a crash test");

        let mut child = spawn();
        wait_healthy(&http, &base).await;
        let mut conn = rewards_server::storage::db::connect_raw(&url).await.unwrap();
        let mut lost = Vec::new();
        for (i, _, _) in &acked {
            let d = &all[*i];
            let (sql, key) = match &d.refund {
                None => ("SELECT COUNT(*) FROM orders o JOIN ledger l ON l.ref = o.order_id AND l.cause = 'order' WHERE o.order_id = $1", d.order.clone()),
                Some(r) => ("SELECT COUNT(*) FROM refunds WHERE refund_id = $1", rewards_server::http::webhooks::woocommerce::refund_id(&d.order, r)),
            };
            if count_bound(&mut conn, sql, &key).await != 1 {
                lost.push(key);
            }
        }
        let applied_at_kill = count(&mut conn, "SELECT COUNT(*) FROM orders").await;

        // Everything again, until each delivery has been answered 200.
        let again: Answers = Arc::default();
        assert_eq!(run(&http, &base, &all, &again).await, 0);
        let mut again = again.lock().unwrap().clone();
        let retry: Vec<Delivery> = again.iter().filter(|(_, s, _)| *s != 200).map(|(i, _, _)| all[*i].clone()).collect();
        let retried: Answers = Arc::default();
        run(&http, &base, &Arc::new(retry), &retried).await;
        for (_, s, b) in retried.lock().unwrap().iter() {
            assert_eq!(*s, 200, "{b}");
        }
        again.sort_by_key(|(i, _, _)| *i);
        let changed = acked.iter().filter(|(i, _, body)| again.iter().any(|(j, s, b)| j == i && *s == 200 && b != body)).count();

        let orders = count(&mut conn, "SELECT COUNT(*) FROM orders").await;
        let awards = count(&mut conn, "SELECT COUNT(*) FROM ledger WHERE cause = 'order'").await;
        let refunds = count(&mut conn, "SELECT COUNT(*) FROM refunds").await;
        let doubled = count(&mut conn, "SELECT COUNT(*) FROM (SELECT cause, ref FROM ledger GROUP BY cause, ref HAVING COUNT(*) > 1) d").await;
        let orphan = count(
            &mut conn,
            "SELECT COUNT(*) FROM ledger l WHERE l.cause = 'order' AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.order_id = l.ref AND o.points = l.delta)",
        )
        .await;
        eprintln!(
            "platform crash test: {} of {} deliveries answered before kill -9 ({} acknowledged, {} in flight unanswered), {} orders applied at the kill; \
             after restart {} acknowledged lost; redelivered all: {orders} orders, {awards} awards, {refunds} refunds, {doubled} doubled ledger entries, {changed} changed answers",
            first.len(),
            all.len(),
            acked.len(),
            unanswered,
            applied_at_kill,
            lost.len(),
        );
        assert!(lost.is_empty(), "acknowledged deliveries lost after kill -9: {lost:?}");
        assert_eq!((orders, awards, orphan), (2 * ORDERS as i64, 2 * ORDERS as i64, 0));
        assert_eq!((refunds, doubled, changed), (ORDERS as i64, 0, 0));
        child.kill().unwrap();
        child.wait().unwrap();
    })
    .await;
}

async fn count_bound(conn: &mut sqlx::AnyConnection, sql: &str, key: &str) -> i64 {
    sqlx::Row::get(&sqlx::query(sql).bind(key).fetch_one(conn).await.unwrap(), 0)
}
