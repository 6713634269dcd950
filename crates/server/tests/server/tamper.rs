//! Tampering: 10,000 one-byte mutations each of a valid shopper token, a
//! valid webhook signature and a signed webhook body are all refused; a
//! replayed webhook (the same delivery, or the same id with another body)
//! writes nothing a second time.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use crate::harness::*;
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use rewards_server::token;

const MUTANTS: usize = 10_000;

/// xorshift64: the mutants are the same on every run, so a failure names a
/// reproducible input.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x as usize
    }
}

/// `n` distinct one-byte substitutions of `valid` with bytes of `alphabet`:
/// first every ASCII letter with its case flipped (hex digits `a`–`f` ↔
/// `A`–`F` must not verify), then random positions and bytes.
pub(crate) fn mutants(valid: &[u8], alphabet: &[u8], n: usize, seed: u64) -> Vec<Vec<u8>> {
    assert!(valid.len() * (alphabet.len() - 1) >= n, "not enough distinct mutants");
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(n);
    let flips = valid.iter().enumerate().filter(|(_, c)| c.is_ascii_alphabetic()).map(|(p, c)| (p, c ^ 0x20));
    let mut rng = Rng(seed);
    let random = std::iter::repeat_with(|| (rng.next() % valid.len(), alphabet[rng.next() % alphabet.len()]));
    for (pos, byte) in flips.chain(random) {
        if out.len() == n {
            break;
        }
        if byte != valid[pos] && alphabet.contains(&byte) && seen.insert((pos, byte)) {
            let mut m = valid.to_vec();
            m[pos] = byte;
            out.push(m);
        }
    }
    out
}

/// Bytes a client can put in a header value (visible ASCII, space, obs-text).
fn header_bytes() -> Vec<u8> {
    (0x20..=0x7e).chain(0x80..=0xff).collect()
}

/// Sends every request (8 at a time); the count of answers per status.
async fn statuses(srv: &Arc<Srv>, reqs: Vec<reqwest::Request>) -> BTreeMap<u16, usize> {
    let queue = Arc::new(std::sync::Mutex::new(reqs));
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (srv, queue) = (srv.clone(), queue.clone());
        tasks.push(tokio::spawn(async move {
            let mut seen = BTreeMap::new();
            loop {
                let Some(req) = queue.lock().unwrap().pop() else { return seen };
                let status = srv.http.execute(req).await.unwrap().status().as_u16();
                *seen.entry(status).or_insert(0) += 1;
            }
        }));
    }
    let mut all = BTreeMap::new();
    for t in tasks {
        for (s, n) in t.await.unwrap() {
            *all.entry(s).or_insert(0) += n;
        }
    }
    all
}

#[tokio::test]
async fn ten_thousand_one_byte_mutations_of_tokens_signatures_and_signed_bodies_are_all_refused() {
    // Refusals happen before storage is touched, so one backend suffices.
    let srv = Arc::new(Srv::start(&Kind::Sqlite).await);
    assert_eq!(srv.order("o-1", "alice", &cart(&[("Cà phê", 45_000, 2)])).await.status, 200);
    let ledger_before = srv.scalar("SELECT COUNT(*) FROM ledger").await;

    // Shopper tokens.
    let valid = srv.token("alice");
    let ok = srv.get("/api/shopper", &[("authorization", format!("Bearer {valid}"))]).await;
    assert_eq!(ok.status, 200, "the unmutated token is accepted");
    let reqs = mutants(valid.as_bytes(), &header_bytes(), MUTANTS, 0x5eed_0001)
        .into_iter()
        .map(|m| {
            let v = HeaderValue::from_bytes(&[b"Bearer ".as_slice(), &m].concat()).unwrap();
            srv.http.get(format!("{}/api/shopper", srv.base)).header(AUTHORIZATION, v).build().unwrap()
        })
        .collect();
    let tokens = statuses(&srv, reqs).await;

    // Webhook signatures over a valid body.
    let body = serde_json::json!({"order_id": "o-2", "customer": {"id": "alice"}, "cart": cart(&[("Cà phê", 45_000, 2)])}).to_string();
    let sig = token::webhook_signature(WEBHOOK, body.as_bytes());
    let order = |body: Vec<u8>, sig: HeaderValue| {
        srv.http
            .post(format!("{}/api/webhooks/orders", srv.base))
            .header(CONTENT_TYPE, "application/json")
            .header("x-rewards-signature", sig)
            .body(body)
            .build()
            .unwrap()
    };
    let reqs = mutants(sig.as_bytes(), &header_bytes(), MUTANTS, 0x5eed_0002)
        .into_iter()
        .map(|m| order(body.clone().into_bytes(), HeaderValue::from_bytes(&m).unwrap()))
        .collect();
    let sigs = statuses(&srv, reqs).await;

    // Signed bodies: any byte of the body changed, the signature kept.
    let all_bytes: Vec<u8> = (0..=255).collect();
    let reqs = mutants(body.as_bytes(), &all_bytes, MUTANTS, 0x5eed_0003)
        .into_iter()
        .map(|m| order(m, HeaderValue::from_str(&sig).unwrap()))
        .collect();
    let bodies = statuses(&srv, reqs).await;

    eprintln!(
        "one-byte mutations answered (status: count): shopper tokens {tokens:?}, webhook signatures {sigs:?}, signed bodies {bodies:?}"
    );
    for (what, seen) in [("shopper tokens", &tokens), ("webhook signatures", &sigs), ("signed bodies", &bodies)] {
        assert_eq!(seen.get(&401).copied().unwrap_or(0), MUTANTS, "{what}: every mutant must be refused with 401, got {seen:?}");
    }
    assert_eq!(srv.scalar("SELECT COUNT(*) FROM orders").await, 1);
    assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger").await, ledger_before);
    // And the unmutated delivery is accepted.
    assert_eq!(srv.hook("/api/webhooks/orders", &body).await.status, 200);
}

#[tokio::test]
async fn replayed_webhooks_and_signups_write_nothing_twice() {
    each(|k| async move {
        let srv = Arc::new(Srv::start(&k).await);
        let order = serde_json::json!({"order_id": "o-1", "customer": {"id": "alice", "email": "alice@example.com"}, "cart": cart(&[("Hạt", 500_000, 1)])}).to_string();
        let refund = serde_json::json!({"refund_id": "r-1", "order_id": "o-1", "amount": 100_000}).to_string();
        let action = serde_json::json!({"event_id": "nl-1", "customer": {"id": "alice"}, "action_id": "newsletter"}).to_string();
        let deliveries = [("/api/webhooks/orders", order), ("/api/webhooks/refunds", refund), ("/api/webhooks/actions", action)];
        let mut first = Vec::new();
        for (path, body) in &deliveries {
            let r = srv.hook(path, body).await;
            assert_eq!(r.status, 200, "{path}: {}", r.body);
            first.push(r.body);
        }
        let signup = srv.signup("bob@example.com").await;
        assert_eq!(signup.status, 201, "{}", signup.body);
        let snapshot = |srv: Arc<Srv>| async move {
            (
                srv.scalar("SELECT COUNT(*) FROM ledger").await,
                srv.scalar("SELECT COALESCE(CAST(SUM(delta) AS BIGINT), 0) FROM ledger").await,
                srv.scalar("SELECT COUNT(*) FROM orders").await + srv.scalar("SELECT COUNT(*) FROM refunds").await,
                srv.scalar("SELECT COUNT(*) FROM actions_rewarded").await,
            )
        };
        let before = snapshot(srv.clone()).await;

        // Each delivery replayed 10 times, 5 of them at once.
        let mut replays = 0;
        for ((path, body), first) in deliveries.iter().zip(&first) {
            let mut tasks = Vec::new();
            for _ in 0..5 {
                let (srv, path, body) = (srv.clone(), *path, body.clone());
                tasks.push(tokio::spawn(async move { srv.hook(path, &body).await }));
            }
            for _ in 0..5 {
                let r = srv.hook(path, body).await;
                assert_eq!((r.status, &r.body), (200, first), "{path} replayed");
            }
            for t in tasks {
                let r = t.await.unwrap();
                assert_eq!((r.status, &r.body), (200, first), "{path} replayed concurrently");
            }
            replays += 10;
        }
        // The same order id with another cart, properly signed: the stored answer, nothing new.
        let changed = serde_json::json!({"order_id": "o-1", "customer": {"id": "alice"}, "cart": cart(&[("Hạt", 9_000_000, 9)])}).to_string();
        assert_eq!(srv.hook("/api/webhooks/orders", &changed).await.body, first[0]);
        let changed_refund = serde_json::json!({"refund_id": "r-1", "order_id": "o-1", "cancel": true}).to_string();
        assert_eq!(srv.hook("/api/webhooks/refunds", &changed_refund).await.body, first[1]);
        // The signup again: known, the same answer, nothing written (the snapshot below).
        for _ in 0..5 {
            let again = srv.signup("bob@example.com").await;
            assert_eq!((again.status, again.body.as_str()), (201, r#"{"ok":true}"#));
        }
        assert_eq!(snapshot(srv.clone()).await, before, "a replay wrote something");
        eprintln!("replays: {replays} webhook replays + 2 same-id/other-body deliveries + 5 repeated signups, 0 new entries");
    })
    .await;
}
