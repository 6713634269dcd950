//! Issue 10, item 6: every JSON body the server reads is decoded by a
//! serde type that refuses unknown fields; the first problem is answered
//! as a 422 with its exact JSON path, and nothing is written.

use crate::harness::*;
use serde_json::json;

const TABLES: [&str; 9] =
    ["shoppers", "orders", "ledger", "stamps", "refunds", "consents", "vouchers", "voucher_events", "actions_rewarded"];

type Headers = Vec<(&'static str, String)>;

async fn counts(srv: &Srv) -> Vec<i64> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push(srv.scalar(&format!("SELECT COUNT(*) FROM {t}")).await);
    }
    out
}

/// Alice with 250 points spendable, 100 of them spent on a voucher (key
/// `k0`): its code. Something to refund, spend and void, so a write would show.
async fn alice_with_a_voucher(srv: &Srv) -> String {
    assert_eq!(srv.order("o-1", "alice", &cart(&[("Hạt", 2_200_000, 1)])).await.status, 200);
    srv.app.clock.advance(8 * DAY);
    let body = json!({"redemption_id": "giam-tien", "points": 100, "cart": cart(&[("Bánh", 500_000, 1)]), "idempotency_key": "k0"});
    let r = srv.post("/api/redeem", &body.to_string(), &srv.bearer("alice")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["voucher_code"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn issue_10_every_malformed_body_is_refused_with_its_exact_path_and_writes_nothing() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        let code = alice_with_a_voucher(&srv).await;
        let good_cart = cart(&[("Bánh", 500_000, 1)]);
        let before = counts(&srv).await;

        let mut signup = srv.signup_body("b@example.com").await;
        signup["consents"][0]["version"] = json!(1.0);
        let cart_text = good_cart.to_string();
        let admin = [("authorization", format!("Bearer {ADMIN}"))];
        let webhooks: Vec<(&str, String, &str, &str)> = vec![
            (
                "/api/webhooks/orders",
                format!(r#"{{"order_id":"o-2","customer":{{"id":"alice"}},"cart":{cart_text},"discount_codes":["OK",7]}}"#),
                "discount_codes[1]",
                "expected a string, found a number",
            ),
            (
                "/api/webhooks/orders",
                r#"{"order_id":"o-2","customer":{"id":"alice"},"cart":{"currency":"VND","lines":[{"id":"l","unit_price":5,"quantity":2.5}]}}"#.into(),
                "cart.lines[0].quantity",
                "",
            ),
            ("/api/webhooks/orders", format!(r#"[{{"order_id":"o-2","cart":{cart_text}}}]"#), "", "expected a JSON object, found an array"),
            (
                "/api/webhooks/orders",
                format!(r#"{{"order_id":"o-2","cart":{}{}}}"#, "[".repeat(20_000), "]".repeat(20_000)),
                "cart",
                "",
            ),
            (
                "/api/webhooks/refunds",
                r#"{"refund_id":"r-1","order_id":"o-1","amount":18446744073709551616}"#.into(),
                "amount",
                "must be a positive whole number of minor units (no fraction or exponent)",
            ),
            (
                "/api/webhooks/actions",
                r#"{"event_id":"e-1","customer":{"id":"alice","phone":"1"},"action_id":"newsletter"}"#.into(),
                "customer.phone",
                "unknown field; expected `id` or `email`",
            ),
            (
                "/api/webhooks/membership",
                r#"{"customer":["alice"],"membership_id":"hoi-vien","status":"active"}"#.into(),
                "customer",
                "expected an object {id, email}, found an array",
            ),
        ];
        for (path, body, at, message) in webhooks {
            let r = srv.hook(path, &body).await;
            check(&r, path, at, message);
        }
        let void = format!("/api/vouchers/{code}/void");
        let browser: Vec<(&str, String, Headers, &str, &str)> = vec![
            ("/api/signup", signup.to_string(), vec![("origin", ORIGIN.to_string())], "consents[0].version", "expected a whole number, found a number that is not a whole number in range"),
            (
                "/api/redeem",
                r#"{"redemption_id":"giam-tien","points":100,"cart":{"currency":"VND","lines":[]},"idempotency_key":"k2","idempotency_key":"k3"}"#.into(),
                srv.bearer("alice").to_vec(),
                "idempotency_key",
                "appears twice",
            ),
            (
                "/api/redeem",
                format!(r#"{{"redemption_id":"giam-tien","points":1e2,"cart":{cart_text},"idempotency_key":"k2"}}"#),
                srv.bearer("alice").to_vec(),
                "points",
                "must be a positive whole number (no fraction or exponent)",
            ),
            (&void, r#"{"reason":7}"#.into(), admin.to_vec(), "reason", "is required: 1 to 200 characters saying why"),
            ("/api/engine/preview", format!(r#"{{"input":{cart_text},"extra":1}}"#), vec![], "extra", "unknown field; expected `shopper` or `input`"),
        ];
        for (path, body, headers, at, message) in browser {
            let r = srv.post(path, &body, &headers).await;
            check(&r, path, at, message);
        }
        assert_eq!(counts(&srv).await, before, "refused bodies write nothing ({TABLES:?})");
    })
    .await;
}

/// A 422 whose one issue is at `at`; its message is `message` unless that is empty.
fn check(r: &Resp, endpoint: &str, at: &str, message: &str) {
    assert_eq!(r.status, 422, "{endpoint}: {}", r.body);
    let v = r.json();
    assert_eq!(v["error"], "invalid", "{endpoint}: {}", r.body);
    let issues = v["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 1, "{endpoint}: {}", r.body);
    assert_eq!(issues[0]["path"], at, "{endpoint}: {}", r.body);
    if !message.is_empty() {
        assert_eq!(issues[0]["message"], message, "{endpoint}: {}", r.body);
    }
}

#[tokio::test]
async fn issue_10_a_retried_redemption_hashes_the_same_canonical_cart_text_as_before() {
    use sha2::{Digest, Sha256};
    each(|k| async move {
        let srv = Srv::start(&k).await;
        alice_with_a_voucher(&srv).await;
        // A title the core's writer escapes (`<`), sent compact, then spaced out.
        let c = json!({"currency": "VND", "lines": [{"id": "l0", "title": "Bánh <mì>", "product_type": "Bánh", "unit_price": 500_000, "quantity": 1}]});
        let compact = json!({"redemption_id": "giam-tien", "points": 100, "cart": c, "idempotency_key": "k1"}).to_string();
        let spaced = serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&compact).unwrap()).unwrap();
        let first = srv.post("/api/redeem", &compact, &srv.bearer("alice")).await;
        assert_eq!(first.status, 200, "{}", first.body);
        let again = srv.post("/api/redeem", &spaced, &srv.bearer("alice")).await;
        assert_eq!((again.status, again.body.as_str()), (200, first.body.as_str()), "the same request, however spaced, is the same voucher");
        // The hash input is what it was before serde: id, points and the core's compact text of the cart.
        let canonical = c.to_string().replace('<', "\\u003c");
        let expected = hex::encode(Sha256::digest(format!("giam-tien\n100\n{canonical}").as_bytes()));
        let mut conn = srv.app.db.read().await.unwrap();
        let stored: String = sqlx::Row::try_get(
            &sqlx::query("SELECT request_sha256 FROM vouchers WHERE idempotency_key = 'k1'").fetch_one(&mut *conn).await.unwrap(),
            0,
        )
        .unwrap();
        assert_eq!(stored, expected);
    })
    .await;
}

/// One-byte mutations of a valid body of every endpoint, each properly
/// signed where a signature is needed, so they all reach the decoder.
const MUTANTS: usize = 600;

#[tokio::test]
async fn issue_10_one_byte_mutations_of_every_body_reach_the_decoder_and_never_fail_the_server() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        let code = alice_with_a_voucher(&srv).await;
        let c = cart(&[("Bánh", 500_000, 1)]);
        let signup = srv.signup_body("b@example.com").await;
        let bodies: Vec<(String, serde_json::Value, bool)> = vec![
            (
                "/api/webhooks/orders".into(),
                json!({"order_id": "o-2", "customer": {"id": "bob", "email": "bob@example.com"}, "cart": c, "discount_codes": ["X1"]}),
                true,
            ),
            ("/api/webhooks/refunds".into(), json!({"refund_id": "r-1", "order_id": "o-1", "amount": 1000}), true),
            ("/api/webhooks/actions".into(), json!({"event_id": "e-1", "customer": {"id": "alice"}, "action_id": "newsletter"}), true),
            ("/api/webhooks/membership".into(), json!({"customer": {"id": "alice"}, "membership_id": "hoi-vien", "status": "trial"}), true),
            ("/api/signup".into(), signup, false),
            ("/api/redeem".into(), json!({"redemption_id": "giam-tien", "points": 100, "cart": c, "idempotency_key": "k1"}), false),
            (format!("/api/vouchers/{code}/void"), json!({"reason": "asked by phone"}), false),
            ("/api/engine/preview".into(), json!({"input": c, "shopper": null}), false),
        ];
        let bytes: Vec<u8> = (0..=255).collect();
        let mut seen = std::collections::BTreeMap::new();
        for (i, (path, body, signed)) in bodies.into_iter().enumerate() {
            let body = body.to_string();
            for m in crate::tamper::mutants(body.as_bytes(), &bytes, MUTANTS, 0x5eed_1000 + i as u64) {
                let mut req =
                    srv.http.post(format!("{}{path}", srv.base)).header("content-type", "application/json").header("origin", ORIGIN);
                if signed {
                    req = req.header("x-rewards-signature", rewards_server::token::webhook_signature(WEBHOOK, &m));
                } else if path.starts_with("/api/vouchers/") {
                    req = req.header("authorization", format!("Bearer {ADMIN}"));
                } else {
                    req = req.header("authorization", format!("Bearer {}", srv.token("alice")));
                }
                let status = req
                    .body(m.clone())
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{path}: {e} on {}", String::from_utf8_lossy(&m)))
                    .status()
                    .as_u16();
                assert!(status < 500, "{path}: {status} on {}", String::from_utf8_lossy(&m));
                *seen.entry((path.clone(), status)).or_insert(0) += 1;
            }
        }
        eprintln!("one-byte mutations, re-signed (endpoint, status): count: {seen:?}");
    })
    .await;
}
