//! PostgreSQL restarted in the middle of a load (only with DATABASE_URL_PG):
//! requests fail with a JSON 503 within the request timeout (`unavailable`
//! while the database cannot be reached), the server
//! serves again after the restart, and nothing is half-written. The test
//! runs its own throwaway cluster (scripts/pg-test-cluster.sh) so that
//! stopping it disturbs no other test.

use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::faults::{assert_clean_failure, assert_consistent, Write};
use crate::harness::*;

/// A load request: what was sent, the status and body answered, and when.
type Outcome = (Write, u16, String, Instant);

/// A private PostgreSQL cluster (scripts/pg-test-cluster.sh) that this
/// test may stop and start without disturbing the shared one.
struct PrivateCluster {
    dir: String,
    url: String,
}

impl PrivateCluster {
    fn script() -> String {
        format!("{}/../../scripts/pg-test-cluster.sh", env!("CARGO_MANIFEST_DIR"))
    }

    fn start() -> PrivateCluster {
        let out = Command::new("bash").arg(Self::script()).arg("start").output().expect("run pg-test-cluster.sh");
        assert!(out.status.success(), "pg-test-cluster.sh start: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        let var = |name: &str| {
            text.lines().find_map(|l| l.strip_prefix(&format!("export {name}="))).unwrap_or_else(|| panic!("{name} in {text}")).to_string()
        };
        PrivateCluster { dir: var("PG_TEST_DIR"), url: var("DATABASE_URL_PG") }
    }

    /// `pg_ctl` as the cluster's owner. `restart` on a stopped cluster starts
    /// it with the options it last ran with (`postmaster.opts`).
    fn pg_ctl(&self, args: &[&str]) {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path().join("bin/pg_ctl")))
            .filter(|p| p.exists())
            .max()
            .expect("pg_ctl");
        let data = format!("{}/data", self.dir);
        let log = format!("{}/server.log", self.dir);
        let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        let mut cmd = if root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&bin);
            c
        } else {
            Command::new(&bin)
        };
        let out = cmd.args(["-D", &data, "-l", &log, "-w", "-t", "60"]).args(args).output().unwrap();
        assert!(out.status.success(), "pg_ctl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let _ = Command::new("bash").arg(Self::script()).args(["stop", &self.dir]).status();
    }
}

#[tokio::test]
async fn postgresql_restarted_mid_load_fails_cleanly_recovers_and_writes_nothing_half() {
    if !kinds().iter().any(|k| matches!(k, Kind::Postgres(_))) {
        return; // the notice about DATABASE_URL_PG is printed once by `kinds`
    }
    let pg = PrivateCluster::start();
    let srv = Arc::new(
        Srv::start_on(pg.url.clone(), tempfile::tempdir().unwrap(), |s| {
            s.signup_rate_max = 1_000_000;
            s.request_timeout_ms = 3_000;
        })
        .await,
    );
    // The load: 8 clients writing (signups, orders) and reading, recording every answer.
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicUsize::new(0));
    let outcomes: Arc<Mutex<Vec<Outcome>>> = Arc::default();
    let slowest = Arc::new(Mutex::new(Duration::ZERO));
    // No hang: every answer arrives within the request timeout plus a grace.
    let answered = |srv: Arc<Srv>, w: Write, slowest: Arc<Mutex<Duration>>| async move {
        let t = Instant::now();
        let r = tokio::time::timeout(Duration::from_secs(8), w.send(&srv)).await.expect("no answer within the request timeout + 5 s");
        let mut m = slowest.lock().unwrap();
        *m = (*m).max(t.elapsed());
        r
    };
    let mut clients = Vec::new();
    for _ in 0..8 {
        let (srv, stop, next, outcomes, slowest) = (srv.clone(), stop.clone(), next.clone(), outcomes.clone(), slowest.clone());
        clients.push(tokio::spawn(async move {
            let mut reads = 0usize;
            while !stop.load(Ordering::SeqCst) {
                let w = Write::nth("pg", next.fetch_add(1, Ordering::SeqCst));
                let r = answered(srv.clone(), w.clone(), slowest.clone()).await;
                if !(200..300).contains(&r.status) {
                    assert_clean_failure(&r);
                }
                if let Write::Order(_, c) = &w {
                    let read = tokio::time::timeout(Duration::from_secs(8), srv.get("/api/shopper", &srv.bearer(c)))
                        .await
                        .expect("no answer within the request timeout + 5 s");
                    if read.status != 200 {
                        assert_clean_failure(&read);
                    }
                    reads += 1;
                }
                outcomes.lock().unwrap().push((w, r.status, r.body, Instant::now()));
            }
            reads
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let down = Instant::now();
    pg.pg_ctl(&["-m", "fast", "stop"]);
    // While it is down, a read and a write answer `unavailable`: waiting for
    // a connection ends (at half the request timeout) before the request
    // timeout would answer `timeout`.
    let (auth, probe) = (srv.bearer("pg-c-1"), Write::nth("down", 1));
    let (read, write) = tokio::join!(srv.get("/api/shopper", &auth), probe.send(&srv));
    for r in [&read, &write] {
        assert_eq!((r.status, r.json()["error"].as_str()), (503, Some("unavailable")), "{}", r.body);
    }
    tokio::time::sleep_until((down + Duration::from_secs(3)).into()).await;
    pg.pg_ctl(&["restart"]);
    let up = Instant::now();
    // Served again: a fresh write succeeds within a few retries after the restart.
    let mut recovered_after = None;
    for attempt in 0..100 {
        let r = Write::nth("probe", 2 * attempt + 1).send(&srv).await;
        if r.status == 200 {
            recovered_after = Some(up.elapsed());
            break;
        }
        assert_clean_failure(&r);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let recovered_after = recovered_after.expect("no write succeeded within 100 tries after PostgreSQL restarted");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::SeqCst);
    let mut reads = 0;
    for c in clients {
        reads += c.await.unwrap();
    }
    let outcomes = outcomes.lock().unwrap().clone();
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| o.1 != 200 && o.1 != 201).collect();
    let timeouts = failed.iter().filter(|o| o.2.contains("\"error\":\"timeout\"")).count();
    let ok_after_up = outcomes.iter().filter(|o| (o.1 == 200 || o.1 == 201) && o.3 > up + recovered_after).count();
    assert!(!failed.is_empty(), "no request failed while PostgreSQL was down: the outage was not exercised");
    assert!(failed.iter().all(|o| o.3 >= down), "requests failed before PostgreSQL stopped");
    assert!(ok_after_up > 0, "no load request succeeded after recovery");
    // Nothing half-written: every acknowledged write is there; the failed
    // ones are absent or whole, and retried they are applied once.
    let mut lost = 0;
    for (w, ..) in outcomes.iter().filter(|o| o.1 == 200 || o.1 == 201) {
        lost += usize::from(!w.present(&srv).await);
    }
    let mut failed_present = 0;
    for (w, ..) in &failed {
        failed_present += usize::from(w.present(&srv).await);
        let r = w.send(&srv).await;
        assert!(r.status == 200 || r.status == 201, "retry of {w:?}: {} {}", r.status, r.body);
    }
    assert_eq!(lost, 0, "acknowledged writes missing after the PostgreSQL restart");
    let shoppers = assert_consistent(&srv).await;
    eprintln!(
        "PostgreSQL restart mid-load (down 3 s): {} writes and {reads} reads; {} writes failed with a JSON 503 ({} unavailable, {timeouts} timeout; \
         {} of them applied whole anyway), slowest answer {} ms (request timeout 3,000 ms), served again {} ms after the restart; {} writes succeeded after recovery; 0 acknowledged writes lost; {} shoppers consistent after retrying the failed writes",
        outcomes.len(),
        failed.len(),
        failed.len() - timeouts,
        failed_present,
        slowest.lock().unwrap().as_millis(),
        recovered_after.as_millis(),
        ok_after_up,
        shoppers
    );
}
