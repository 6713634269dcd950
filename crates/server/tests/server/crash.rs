//! Crash test: `kill -9` the server process in the middle of a concurrent
//! burst of 1,000 signups and 1,000 order webhooks, restart it on the same
//! database, and find every write that was acknowledged (2xx) before the
//! kill. Then every webhook and signup of the burst is delivered again:
//! the acknowledged ones answer the same bytes and write nothing, the
//! others are applied once — no order is awarded twice, no signup bonus
//! is credited twice.

use crate::harness::*;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SIGNUPS: usize = 1_000;
const ORDERS: usize = 1_000;
const WORKERS: usize = 16;

fn spawn(settings: &std::path::Path, url: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_rewards-server"))
        .args(["serve", "--settings"])
        .arg(settings)
        .env("DATABASE_URL", url)
        .env("REWARDS_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start rewards-server")
}

pub async fn wait_healthy(http: &reqwest::Client, base: &str) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if http.get(format!("{base}/api/health")).send().await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not come up at {base}");
}

/// One write of the burst: its key (email or order id), path and body.
#[derive(Clone)]
struct Write {
    signup: bool,
    key: String,
    path: &'static str,
    body: String,
}

fn burst() -> Vec<Write> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let mut out = Vec::with_capacity(SIGNUPS + ORDERS);
    for i in 0..SIGNUPS.max(ORDERS) {
        if i < SIGNUPS {
            let key = format!("crash-{i}@example.com");
            let b = serde_json::json!({"email": key, "locale": "vi", "page_url": "https://shop.example/", "consents": [], "hp": "", "started_at": now - 5000});
            out.push(Write { signup: true, key, path: "/api/signup", body: b.to_string() });
        }
        if i < ORDERS {
            let key = format!("crash-o-{i}");
            // 50 customers, so orders of one shopper race each other too.
            let b = serde_json::json!({"order_id": key, "customer": {"id": format!("cust-{}", i % 50)}, "cart": cart(&[("Cà phê", 45_000, 2)])});
            out.push(Write { signup: false, key, path: "/api/webhooks/orders", body: b.to_string() });
        }
    }
    out
}

async fn send(http: &reqwest::Client, base: &str, w: &Write) -> Result<(u16, String), reqwest::Error> {
    let mut req = http.post(format!("{base}{}", w.path)).header("content-type", "application/json").body(w.body.clone());
    if !w.signup {
        req = req.header("x-rewards-signature", rewards_server::token::webhook_signature(WEBHOOK, w.body.as_bytes()));
    }
    let r = req.send().await?;
    let status = r.status().as_u16();
    Ok((status, r.text().await?))
}

/// Every write once more, concurrently; the answers in `writes` order.
async fn redeliver(http: &reqwest::Client, base: &str, writes: &Arc<Vec<Write>>) -> Vec<(u16, String)> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..WORKERS {
        let (http, base, writes, next) = (http.clone(), base.to_string(), writes.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(w) = writes.get(i) else { return out };
                out.push((i, send(&http, &base, w).await.unwrap()));
            }
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

async fn count(conn: &mut sqlx::AnyConnection, sql: &str) -> i64 {
    sqlx::Row::get(&sqlx::query(sql).fetch_one(conn).await.unwrap(), 0)
}

#[tokio::test]
async fn kill_9_during_a_burst_of_signups_and_orders_loses_no_acknowledged_write_and_awards_once() {
    each(|k| async move {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_url(&k, dir.path()).await;
        let settings = dir.path().join("settings.toml");
        std::fs::write(
            &settings,
            format!(
                "program = \"{}\"\nmerchant_secret = \"{MERCHANT}\"\nwebhook_secret = \"{WEBHOOK}\"\nadmin_token = \"{ADMIN}\"\nsignup_rate_max = 1000000\nsignup_min_fill_ms = 0\n",
                program_path()
            ),
        )
        .unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
        let mut child = spawn(&settings, &url, port);
        wait_healthy(&http, &base).await;

        let writes = Arc::new(burst());
        let next = Arc::new(AtomicUsize::new(0));
        // (index into `writes`, response body) of every 2xx answer.
        let acked: Arc<Mutex<Vec<(usize, String)>>> = Arc::default();
        let unanswered = Arc::new(AtomicUsize::new(0));
        let mut workers = Vec::new();
        for _ in 0..WORKERS {
            let (http, base, writes, next, acked, unanswered) =
                (http.clone(), base.clone(), writes.clone(), next.clone(), acked.clone(), unanswered.clone());
            workers.push(tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(w) = writes.get(i) else { return };
                    match send(&http, &base, w).await {
                        Ok((s, body)) if (200..300).contains(&s) => acked.lock().unwrap().push((i, body)),
                        Ok((s, body)) => panic!("unexpected {s} for {}: {body}", w.key),
                        Err(_) => {
                            // The server is gone: sent, maybe applied, never answered.
                            unanswered.fetch_add(1, Ordering::SeqCst);
                            return;
                        }
                    }
                }
            }));
        }
        // Kill in the middle of the burst: half of it acknowledged.
        let start = Instant::now();
        let half = (SIGNUPS + ORDERS) / 2;
        while acked.lock().unwrap().len() < half && start.elapsed() < Duration::from_secs(120) {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        child.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix: no shutdown code runs
        child.wait().unwrap();
        for w in workers {
            w.await.unwrap();
        }
        let acked = acked.lock().unwrap().clone();
        let unanswered = unanswered.load(Ordering::SeqCst);
        assert!(acked.len() >= half, "burst too small: {}", acked.len());
        assert!(acked.len() < writes.len(), "the burst finished before the kill: not a crash test");

        let mut child = spawn(&settings, &url, port);
        wait_healthy(&http, &base).await;
        let mut conn = rewards_server::storage::db::connect_raw(&url).await.unwrap();
        let mut lost = Vec::new();
        for (i, _) in &acked {
            let w = &writes[*i];
            let sql = if w.signup {
                "SELECT COUNT(*) FROM shoppers s JOIN ledger l ON l.shopper_id = s.id AND l.cause = 'action'
                 WHERE s.email = $1 AND s.signed_up_at IS NOT NULL"
            } else {
                "SELECT COUNT(*) FROM orders o JOIN ledger l ON l.ref = o.order_id AND l.cause = 'order' WHERE o.order_id = $1"
            };
            let n: i64 = sqlx::Row::get(&sqlx::query(sql).bind(&w.key).fetch_one(&mut conn).await.unwrap(), 0);
            if n != 1 {
                lost.push(w.key.clone());
            }
        }
        let applied_before = count(&mut conn, "SELECT COUNT(*) FROM orders").await
            + count(&mut conn, "SELECT COUNT(*) FROM shoppers WHERE signed_up_at IS NOT NULL").await;
        if matches!(k, Kind::Sqlite) {
            let ok: String = sqlx::Row::get(&sqlx::query("PRAGMA integrity_check").fetch_one(&mut conn).await.unwrap(), 0);
            assert_eq!(ok, "ok");
        }

        // Every write of the burst again, as senders retry after a crash.
        let burst_secs = start.elapsed().as_secs_f64();
        let redelivered = redeliver(&http, &base, &writes).await;
        let mut changed_answers = 0;
        let acked_body: std::collections::HashMap<usize, &String> = acked.iter().map(|(i, b)| (*i, b)).collect();
        for ((i, w), (s, body)) in writes.iter().enumerate().zip(redelivered) {
            assert!((200..300).contains(&s), "redelivery of {}: {s} {body}", w.key);
            match (w.signup, acked_body.get(&i)) {
                // An acknowledged order answers its stored response byte for byte.
                (false, Some(first)) => changed_answers += usize::from(**first != body),
                // A signup answers the same bytes whatever it wrote (the bonus count below checks "once").
                (true, Some(first)) => assert_eq!((s, body.as_str()), (201, first.as_str()), "{}", w.key),
                _ => {}
            }
        }
        let orders = count(&mut conn, "SELECT COUNT(*) FROM orders").await;
        let order_entries = count(&mut conn, "SELECT COUNT(*) FROM ledger WHERE cause = 'order'").await;
        let members = count(&mut conn, "SELECT COUNT(*) FROM shoppers WHERE signed_up_at IS NOT NULL").await;
        let bonuses = count(&mut conn, "SELECT COUNT(*) FROM ledger WHERE cause = 'action'").await;
        let doubled_orders =
            count(&mut conn, "SELECT COUNT(*) FROM (SELECT ref FROM ledger WHERE cause = 'order' GROUP BY ref HAVING COUNT(*) > 1) d").await;
        let doubled_bonuses = count(
            &mut conn,
            "SELECT COUNT(*) FROM (SELECT shopper_id FROM ledger WHERE cause = 'action' GROUP BY shopper_id HAVING COUNT(*) > 1) d",
        )
        .await;
        // The ledger and the orders agree: every award has its order and sums to the recorded points.
        let orphan_awards = count(
            &mut conn,
            "SELECT COUNT(*) FROM ledger l WHERE l.cause = 'order' AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.order_id = l.ref AND o.points = l.delta)",
        )
        .await;
        eprintln!("crash test: burst and checks {burst_secs:.1} s, redelivery {:.1} s", start.elapsed().as_secs_f64() - burst_secs);
        eprintln!(
            "crash test: {} writes sent before kill -9 ({} acknowledged: {} signups, {} orders; {} unanswered in flight); \
             after restart {} of {} acknowledged present, {} lost; {} writes applied at the kill; \
             redelivered all {}: {} orders, {} order awards, {} members, {} signup bonuses, duplicates {} orders / {} bonuses, {} changed answers",
            acked.len() + unanswered,
            acked.len(),
            acked.iter().filter(|(i, _)| writes[*i].signup).count(),
            acked.iter().filter(|(i, _)| !writes[*i].signup).count(),
            unanswered,
            acked.len() - lost.len(),
            acked.len(),
            lost.len(),
            applied_before,
            writes.len(),
            orders,
            order_entries,
            members,
            bonuses,
            doubled_orders,
            doubled_bonuses,
            changed_answers,
        );
        assert!(lost.is_empty(), "acknowledged writes lost after kill -9: {lost:?}");
        assert_eq!((orders, order_entries, orphan_awards), (ORDERS as i64, ORDERS as i64, 0));
        assert_eq!((members, bonuses), (SIGNUPS as i64, SIGNUPS as i64));
        assert_eq!((doubled_orders, doubled_bonuses, changed_answers), (0, 0, 0));
        child.kill().unwrap();
        child.wait().unwrap();
    })
    .await;
}
