//! Crash test: `kill -9` the server process during a burst of signups and
//! order webhooks, restart it on the same database, and find every write
//! that was acknowledged (2xx) before the kill.

use crate::harness::*;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

async fn wait_healthy(http: &reqwest::Client, base: &str) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if http.get(format!("{base}/api/health")).send().await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not come up at {base}");
}

#[tokio::test]
async fn kill_9_during_a_burst_loses_no_acknowledged_write() {
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
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
        let mut child = spawn(&settings, &url, port);
        wait_healthy(&http, &base).await;

        let acked: Arc<Mutex<Vec<(bool, String)>>> = Arc::default();
        let mut workers = Vec::new();
        for t in 0..6 {
            let (http, base, acked) = (http.clone(), base.clone(), acked.clone());
            workers.push(tokio::spawn(async move {
                for i in 0.. {
                    let signup = i % 2 == 0;
                    let key = format!("crash-{t}-{i}");
                    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
                    let (path, body, sig) = if signup {
                        let b = serde_json::json!({"email": format!("{key}@example.com"), "locale": "vi", "page_url": "https://shop.example/", "consents": [], "hp": "", "started_at": now - 5000});
                        ("/api/signup", b.to_string(), None)
                    } else {
                        let b = serde_json::json!({"order_id": key, "customer": {"id": format!("cust-{t}")}, "cart": cart(&[("Cà phê", 45_000, 2)])}).to_string();
                        let s = rewards_server::token::webhook_signature(WEBHOOK, b.as_bytes());
                        ("/api/webhooks/orders", b, Some(s))
                    };
                    let mut req = http.post(format!("{base}{path}")).header("content-type", "application/json").body(body);
                    if let Some(s) = sig {
                        req = req.header("x-rewards-signature", s);
                    }
                    match req.send().await {
                        Ok(r) if r.status().is_success() => acked.lock().unwrap().push((signup, key)),
                        Ok(r) => panic!("unexpected {} for {key}", r.status()),
                        Err(_) => return, // the server is gone
                    }
                }
            }));
        }
        let start = Instant::now();
        while acked.lock().unwrap().len() < 150 && start.elapsed() < Duration::from_secs(60) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        child.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix: no shutdown code runs
        child.wait().unwrap();
        for w in workers {
            w.await.unwrap();
        }
        let acked = acked.lock().unwrap().clone();
        assert!(acked.len() >= 150, "burst too small: {}", acked.len());

        let mut child = spawn(&settings, &url, port);
        wait_healthy(&http, &base).await;
        let mut conn = rewards_server::db::connect_raw(&url).await.unwrap();
        for (signup, key) in &acked {
            let sql = if *signup {
                "SELECT COUNT(*) FROM shoppers WHERE email = $1 || '@example.com' AND signed_up_at IS NOT NULL"
            } else {
                "SELECT COUNT(*) FROM orders o JOIN ledger l ON l.ref = o.order_id AND l.cause = 'order' WHERE o.order_id = $1"
            };
            let n: i64 = sqlx::Row::get(&sqlx::query(sql).bind(key).fetch_one(&mut conn).await.unwrap(), 0);
            assert_eq!(n, 1, "acknowledged {key} lost after kill -9");
        }
        if matches!(k, Kind::Sqlite) {
            let ok: String = sqlx::Row::get(&sqlx::query("PRAGMA integrity_check").fetch_one(&mut conn).await.unwrap(), 0);
            assert_eq!(ok, "ok");
        }
        eprintln!("crash test: {} acknowledged writes, all present after kill -9 and restart", acked.len());
        child.kill().unwrap();
        child.wait().unwrap();
    })
    .await;
}
