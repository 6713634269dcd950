//! Writes share commits on SQLite (one writer, one COMMIT per group) but
//! keep their own fate: a failed or abandoned write undoes only itself,
//! and duplicate deliveries inside one group still award once.

use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::harness::*;
use rewards_server::error::{ApiError, ApiResult};
use rewards_server::storage::db::{GroupLimits, WriteTx};
use rewards_server::Db;

async fn insert_shopper(w: &mut WriteTx, id: &str) -> ApiResult<()> {
    sqlx::query("INSERT INTO shoppers (id, customer_id, created_at) VALUES ($1, $1, 0)")
        .bind(id)
        .execute(w.conn())
        .await
        .map_err(rewards_server::storage::Error::from)?;
    Ok(())
}

async fn shopper_ids(db: &Db) -> Vec<String> {
    let mut conn = db.read().await.unwrap();
    let rows = sqlx::query("SELECT id FROM shoppers ORDER BY id").fetch_all(&mut *conn).await.unwrap();
    rows.iter().map(|r| sqlx::Row::get(r, 0)).collect()
}

#[tokio::test]
async fn a_failed_or_abandoned_write_undoes_only_itself_within_a_group() {
    each(|k| async move {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_url(&k, dir.path()).await;
        // A generous time bound, so every write queued below joins one group.
        let limits = GroupLimits { max_writes: 64, max_time: Duration::from_secs(30) };
        let db = std::sync::Arc::new(Db::connect_with(&url, limits).await.unwrap());

        // The first write holds the writer while the others queue behind it.
        let mut first = db.write().await.unwrap();
        insert_shopper(&mut first, "w-00").await.unwrap();
        let mut tasks = Vec::new();
        for i in 1..=12 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let mut w = db.write().await?;
                let id = format!("w-{i:02}");
                let result = insert_shopper(&mut w, &id).await;
                match i % 4 {
                    // Fails after writing: its insert must vanish, the others stay.
                    0 => w.finish(result.and(Err(ApiError::invalid("x", "refused")))).await,
                    // Abandoned without an answer (a cancelled request): undone.
                    1 => {
                        drop(w);
                        Err(ApiError::invalid("x", "abandoned"))
                    }
                    // Reads the row of the failed write queued before it (w-04, w-08): it must not see it.
                    2 => {
                        let undone = format!("w-{:02}", i - 2);
                        let n: i64 = sqlx::Row::get(
                            &sqlx::query("SELECT COUNT(*) FROM shoppers WHERE id = $1")
                                .bind(&undone)
                                .fetch_one(w.conn())
                                .await
                                .map_err(rewards_server::storage::Error::from)?,
                            0,
                        );
                        let seen = i > 2 && n != 0;
                        w.finish(result.and(if seen { Err(ApiError::invalid("x", "saw an undone write")) } else { Ok(()) })).await
                    }
                    _ => w.finish(result).await,
                }
            }));
        }
        // SQLite: a request that gives up while queued; the writer must carry on.
        let impatient = matches!(k, Kind::Sqlite).then(|| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut w = db.write().await.unwrap();
                insert_shopper(&mut w, "w-99").await.unwrap();
                w.commit().await.unwrap();
            })
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        if let Some(t) = impatient {
            t.abort();
        }
        let commits_before = db.group_stats().commits.load(Ordering::Relaxed);
        first.commit().await.unwrap();

        let mut outcomes = Vec::new();
        for t in tasks {
            outcomes.push(t.await.unwrap().map_err(|e| e.message));
        }
        for (i, o) in (1..=12).zip(&outcomes) {
            match i % 4 {
                0 => assert_eq!(o.as_ref().unwrap_err(), "x: refused", "write {i}"),
                1 => assert_eq!(o.as_ref().unwrap_err(), "x: abandoned", "write {i}"),
                _ => assert!(o.is_ok(), "write {i}: {o:?}"),
            }
        }
        let expected: Vec<String> = [0, 2, 3, 6, 7, 10, 11].iter().map(|i| format!("w-{i:02}")).collect();
        assert_eq!(shopper_ids(&db).await, expected);
        if matches!(k, Kind::Sqlite) {
            // Thirteen writes, one COMMIT: the group was really shared.
            let stats = db.group_stats();
            assert_eq!(stats.commits.load(Ordering::Relaxed) - commits_before, 1);
            assert_eq!(stats.writes.load(Ordering::Relaxed), 13);
        }
        // The writer is still in service.
        let mut w = db.write().await.unwrap();
        insert_shopper(&mut w, "w-50").await.unwrap();
        w.commit().await.unwrap();
        assert!(shopper_ids(&db).await.contains(&"w-50".to_string()));
    })
    .await;
}

#[tokio::test]
async fn concurrent_duplicate_deliveries_award_once_and_answer_the_same_bytes() {
    each(|k| async move {
        let srv = std::sync::Arc::new(Srv::start(&k).await);
        let c = cart(&[("Cà phê", 45_000, 2)]);
        let mut tasks = Vec::new();
        for i in 0..24 {
            let (srv, c) = (srv.clone(), c.clone());
            // Orders o-0..o-5, each delivered four times at once.
            tasks.push(tokio::spawn(async move { (i % 6, srv.order(&format!("o-{}", i % 6), "alice", &c).await) }));
        }
        let mut bodies: Vec<Vec<String>> = vec![Vec::new(); 6];
        for t in tasks {
            let (o, r) = t.await.unwrap();
            assert_eq!(r.status, 200, "{}", r.body);
            bodies[o].push(r.body);
        }
        for b in &bodies {
            assert!(b.iter().all(|x| *x == b[0]), "one order, different answers: {b:?}");
        }
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM orders").await, 6);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger WHERE cause = 'order'").await, 6);
        let stamps = srv.scalar("SELECT COALESCE(CAST(SUM(delta) AS BIGINT), 0) FROM stamps").await;
        assert_eq!(stamps, srv.shopper("alice").await["stamps"].as_i64().unwrap());
        let points: i64 =
            bodies.iter().map(|b| serde_json::from_str::<serde_json::Value>(&b[0]).unwrap()["points"].as_i64().unwrap()).sum();
        assert_eq!(srv.shopper("alice").await["pending"].as_i64(), Some(points));
    })
    .await;
}

#[tokio::test]
async fn a_slow_client_times_out_alone() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    each(|k| async move {
        let srv = Srv::start_with(&k, |s| s.request_timeout_ms = 2_000).await;
        let addr = srv.base.trim_start_matches("http://").to_string();
        // A body promised but never sent: the request times out with a JSON 503.
        let mut slow_body = tokio::net::TcpStream::connect(&addr).await.unwrap();
        slow_body
            .write_all(
                b"POST /api/webhooks/orders HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"order",
            )
            .await
            .unwrap();
        // Headers that never end: the connection is closed.
        let mut slow_head = tokio::net::TcpStream::connect(&addr).await.unwrap();
        slow_head.write_all(b"GET /api/health HTTP/1.1\r\nhost: x\r\n").await.unwrap();
        // Meanwhile everyone else is served: this order is answered while
        // the slow request is still waiting for its body.
        let r = srv.order("o-1", "alice", &cart(&[("Cà phê", 45_000, 2)])).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let mut probe = [0u8; 1];
        assert!(
            matches!(slow_body.try_read(&mut probe), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "the slow request was answered before the order"
        );

        let mut answer = String::new();
        let read = tokio::time::timeout(Duration::from_secs(10), slow_body.read_to_string(&mut answer)).await;
        assert!(read.is_ok(), "no answer to the slow body");
        assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
        assert!(answer.contains("\"error\":\"timeout\""), "{answer}");
        let mut rest = Vec::new();
        let closed = tokio::time::timeout(Duration::from_secs(10), slow_head.read_to_end(&mut rest)).await;
        assert!(closed.is_ok(), "slow headers kept the connection open");
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM orders").await, 1);
    })
    .await;
}
