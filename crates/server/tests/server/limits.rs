//! Size limits and slow clients under load: bodies above `max_body_bytes`
//! are a JSON 413 on every endpoint (with or without a Content-Length);
//! 40 slow clients (headers or body dripping a byte at a time) are cut off
//! by the request timeout; meanwhile every other client is served.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::harness::*;

const POSTS: &[&str] = &[
    "/api/signup",
    "/api/redeem",
    "/api/engine/preview",
    "/api/webhooks/orders",
    "/api/webhooks/refunds",
    "/api/webhooks/actions",
    "/api/webhooks/membership",
];

/// Writes `head` then drips `drip` one byte every 100 ms until the server
/// answers or closes; returns what it answered ("" if it just closed) and when.
async fn slow_client(addr: String, head: Vec<u8>, drip: Vec<u8>) -> (String, Duration) {
    let start = Instant::now();
    let (mut rd, mut wr) = TcpStream::connect(&addr).await.unwrap().into_split();
    let writer = tokio::spawn(async move {
        if wr.write_all(&head).await.is_err() {
            return;
        }
        for b in drip {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if wr.write_all(&[b]).await.is_err() {
                return;
            }
        }
        // Everything dripped without an answer: hold the connection open.
        tokio::time::sleep(Duration::from_secs(60)).await;
    });
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(30), rd.read_to_end(&mut answer)).await;
    writer.abort();
    (String::from_utf8_lossy(&answer).into_owned(), start.elapsed())
}

/// A raw request whose body is sent with chunked encoding (no Content-Length).
async fn chunked(addr: &str, path: &str, body: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
    );
    let mut req = head.into_bytes();
    for part in body.chunks(8 * 1024) {
        req.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        req.extend_from_slice(part);
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"0\r\n\r\n");
    let _ = s.write_all(&req).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn oversized_bodies_are_413_and_slow_clients_time_out_while_others_are_served() {
    each(|k| async move {
        let srv = Arc::new(Srv::start_with(&k, |s| s.request_timeout_ms = 4_000).await);
        let addr = srv.base.trim_start_matches("http://").to_string();
        let limit = srv.app.settings.max_body_bytes;

        // 40 slow clients: 20 drip their headers, 20 drip a promised body.
        let mut slow = Vec::new();
        for i in 0..40usize {
            let (head, drip) = if i.is_multiple_of(2) {
                (b"GET /api/health HTTP/1.1\r\nhost: x\r\n".to_vec(), b"x-padding: ".repeat(20))
            } else {
                let h = format!("POST {} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n", POSTS[i % POSTS.len()]);
                (h.into_bytes(), b"{\"a\":".repeat(60))
            };
            slow.push(tokio::spawn(slow_client(addr.clone(), head, drip)));
        }

        // Meanwhile everyone else is served.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let served_from = Instant::now();
        for i in 0..20 {
            let r = srv.order(&format!("o-{i}"), "alice", &cart(&[("Cà phê", 45_000, 2)])).await;
            assert_eq!(r.status, 200, "{}", r.body);
            assert_eq!(srv.get("/api/shopper", &srv.bearer("alice")).await.status, 200);
        }
        let served_in = served_from.elapsed();
        // Those were served while the slow clients still held their connections.
        let still_waiting = slow.iter().filter(|t| !t.is_finished()).count();
        assert!(still_waiting > 0, "the slow clients were gone before the normal traffic ran");

        // Oversized bodies on every endpoint.
        let huge = format!("{{\"order_id\":\"{}\"}}", "x".repeat(limit));
        let mut too_large = 0;
        for path in POSTS {
            let r = srv.hook(path, &huge).await;
            assert_eq!(r.status, 413, "{path} with Content-Length: {}", r.body);
            assert_eq!(r.json()["error"], "too_large");
            let answer = chunked(&addr, path, huge.as_bytes()).await;
            assert!(answer.starts_with("HTTP/1.1 413"), "{path} chunked: {answer}");
            assert!(answer.contains("\"error\":\"too_large\""), "{path} chunked: {answer}");
            too_large += 2;
        }
        // Request heads beyond 64 KB are refused too (431 or a closed connection, never served).
        for size in [70 * 1024, 512 * 1024] {
            let big_header = srv.http.get(format!("{}/api/health", srv.base)).header("x-big", "a".repeat(size)).send().await;
            assert!(big_header.as_ref().map_or(true, |r| r.status() == 431), "an oversized header was served: {big_header:?}");
        }
        let fits = srv.http.get(format!("{}/api/health", srv.base)).header("x-big", "a".repeat(32 * 1024)).send().await.unwrap();
        assert_eq!(fits.status(), 200);

        let mut cut = (0, 0);
        let mut slowest = Duration::ZERO;
        for (i, t) in slow.into_iter().enumerate() {
            let (answer, took) = t.await.unwrap();
            slowest = slowest.max(took);
            if i.is_multiple_of(2) {
                // Headers never finished: the connection is closed, nothing served.
                assert!(!answer.contains("{\"ok\":true}"), "slow headers were served: {answer}");
                cut.0 += 1;
            } else {
                assert!(answer.starts_with("HTTP/1.1 503"), "slow body: {answer}");
                assert!(answer.contains("\"error\":\"timeout\""), "slow body: {answer}");
                cut.1 += 1;
            }
            assert!(took < Duration::from_secs(25), "a slow client held its connection past every timeout");
        }
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM orders").await, 20);
        eprintln!(
            "limits: {too_large} oversized bodies (> {limit} bytes, Content-Length and chunked) refused 413 on {} endpoints, request heads of 70 KB and 512 KB refused 431; \
             40 slow clients cut off ({} dripping headers closed, {} dripping bodies 503 timeout; last one after {} ms, timeout 4,000 ms); \
             meanwhile 20 orders + 20 reads served in {} ms with {still_waiting} slow clients still connected",
            POSTS.len(),
            cut.0,
            cut.1,
            slowest.as_millis(),
            served_in.as_millis()
        );
    })
    .await;
}
