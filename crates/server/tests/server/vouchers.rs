//! Issue 14, part 1: a redeemed voucher is never lost. Its state is the
//! server's: listed with `GET /api/shopper` until used, used by exactly one
//! order, voided only by the merchant (points back), and checkable by code.

use crate::harness::*;
use serde_json::{json, Value};

/// A spendable balance of 250 points for `customer`.
async fn funded(srv: &Srv, customer: &str) {
    assert_eq!(srv.order(&format!("fund-{customer}"), customer, &cart(&[("Hạt", 2_200_000, 1)])).await.json()["points"], 250);
    srv.app.clock.advance(8 * DAY);
}

async fn redeem(srv: &Srv, customer: &str, points: i64, key: &str) -> Value {
    let body = json!({"redemption_id": "giam-tien", "points": points, "cart": cart(&[("Bánh", 500_000, 1)]), "idempotency_key": key});
    let r = srv.post("/api/redeem", &body.to_string(), &srv.bearer(customer)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

async fn order_with_codes(srv: &Srv, order_id: &str, customer: Option<&str>, codes: Value) -> crate::harness::Resp {
    let mut body = json!({"order_id": order_id, "cart": cart(&[("Bánh", 500_000, 1)]), "discount_codes": codes});
    if let Some(c) = customer {
        body["customer"] = json!({"id": c});
    }
    srv.hook("/api/webhooks/orders", &body.to_string()).await
}

fn admin() -> [(&'static str, String); 1] {
    [("authorization", format!("Bearer {ADMIN}"))]
}

#[tokio::test]
async fn issue_14_an_unused_voucher_is_listed_until_an_order_uses_it_once() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        funded(&srv, "alice").await;
        let v = redeem(&srv, "alice", 200, "k1").await;
        let code = v["voucher_code"].as_str().unwrap().to_string();
        assert_eq!(v["discount"], 20_000);

        // A reload, another device: the code comes back from the server.
        let listed = srv.shopper("alice").await["vouchers"].clone();
        assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
        let l = &listed[0];
        assert_eq!(
            (l["code"].as_str(), l["status"].as_str(), l["kind"].as_str()),
            (Some(code.as_str()), Some("unused"), Some("amount_off"))
        );
        assert_eq!((l["discount"].as_i64(), l["points"].as_i64(), l["currency"].as_str()), (Some(20_000), Some(200), Some("VND")));
        assert_eq!(l["order_id"], Value::Null);

        // The order carries the code as the shopper typed it (lower case, spaces).
        let typed = format!("  {}  ", code.to_lowercase());
        let r = order_with_codes(&srv, "o-7", Some("alice"), json!([typed, "SUMMER10"])).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["vouchers_used"], json!([code]));
        assert_eq!(r.json()["vouchers_refused"], json!([]), "the merchant's own code is not ours to refuse");
        let l = srv.shopper("alice").await["vouchers"][0].clone();
        assert_eq!((l["status"].as_str(), l["order_id"].as_str()), (Some("used"), Some("o-7")));
        assert_eq!(l["status_at"].as_str(), Some(rewards_core::time::format_instant(srv.now()).as_str()));

        // A redelivery answers the same; a second order cannot use it again.
        let dup = order_with_codes(&srv, "o-7", Some("alice"), json!([code])).await;
        assert_eq!(dup.body, r.body);
        let again = order_with_codes(&srv, "o-8", Some("bob"), json!([code])).await;
        assert_eq!(again.status, 200, "the order is still recorded: {}", again.body);
        assert_eq!(again.json()["vouchers_refused"], json!([{"code": code, "reason": "already_used"}]));
        assert_eq!(again.json()["vouchers_used"], json!([]));
        assert_eq!(srv.shopper("alice").await["vouchers"][0]["order_id"], "o-7");
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM voucher_events").await, 1);
    })
    .await;
}

#[tokio::test]
async fn issue_14_a_guest_order_uses_a_code_and_the_merchant_can_check_one() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        funded(&srv, "alice").await;
        let code = redeem(&srv, "alice", 100, "k1").await["voucher_code"].as_str().unwrap().to_string();

        let path = format!("/api/vouchers/{code}");
        assert_eq!(srv.get(&path, &[]).await.status, 401, "the merchant's token only");
        assert_eq!(srv.get(&path, &srv.bearer("alice")).await.status, 401, "a shopper token is not the admin token");
        let r = srv.get(&path.to_lowercase(), &admin()).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!((r.json()["status"].as_str(), r.json()["discount"].as_i64()), (Some("unused"), Some(10_000)));
        assert_eq!(srv.get("/api/vouchers/RW-NOPE-NOPE-NOPE", &admin()).await.status, 404);

        // Codes are bearer vouchers: a friend's guest checkout uses it.
        let g = order_with_codes(&srv, "g-1", None, json!([code])).await;
        assert_eq!((g.status, g.json()["vouchers_used"].clone()), (200, json!([code])), "{}", g.body);
        assert_eq!(srv.get(&path, &admin()).await.json()["order_id"], "g-1");
    })
    .await;
}

#[tokio::test]
async fn issue_14_voiding_an_unused_voucher_returns_its_points_once() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        funded(&srv, "alice").await;
        let code = redeem(&srv, "alice", 200, "k1").await["voucher_code"].as_str().unwrap().to_string();
        assert_eq!(srv.shopper("alice").await["balance"], 50);
        let void = format!("/api/vouchers/{code}/void");

        assert_eq!(srv.post(&void, r#"{"reason":"x"}"#, &[]).await.status, 401);
        let bad = srv.post(&void, r#"{"reason":"  "}"#, &admin()).await;
        assert_eq!((bad.status, bad.json()["issues"][0]["path"].as_str()), (422, Some("reason")), "{}", bad.body);
        assert_eq!(srv.post(&void, r#"{"reason":"ok","why":1}"#, &admin()).await.status, 422, "unknown field");
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM voucher_events").await, 0, "refused requests write nothing");

        let r = srv.post(&void, r#"{"reason":"shopper asked by phone"}"#, &admin()).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!((r.json()["status"].as_str(), r.json()["voided_reason"].as_str()), (Some("voided"), Some("shopper asked by phone")));
        assert_eq!(srv.shopper("alice").await["balance"], 250, "the 200 points are back");
        // Again: the same answer, no second refund.
        assert_eq!(srv.post(&void, r#"{"reason":"again"}"#, &admin()).await.json()["voided_reason"], "shopper asked by phone");
        assert_eq!(srv.shopper("alice").await["balance"], 250);
        // A voided code is refused by an order, which is still recorded.
        let o = order_with_codes(&srv, "o-9", Some("alice"), json!([code])).await;
        assert_eq!(o.json()["vouchers_refused"], json!([{"code": code, "reason": "voided"}]));
        assert_eq!(srv.shopper("alice").await["vouchers"][0]["status"], "voided");

        // A used voucher cannot be voided.
        let used = redeem(&srv, "alice", 100, "k2").await["voucher_code"].as_str().unwrap().to_string();
        order_with_codes(&srv, "o-10", Some("alice"), json!([used])).await;
        let late = srv.post(&format!("/api/vouchers/{used}/void"), r#"{"reason":"late"}"#, &admin()).await;
        assert_eq!(late.status, 409, "{}", late.body);
        assert!(late.json()["message"].as_str().unwrap().contains("o-10"), "{}", late.body);
    })
    .await;
}

#[tokio::test]
async fn issue_14_malformed_discount_codes_are_refused_with_a_path_and_write_nothing() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        for (codes, path) in [
            (json!("RW-1"), "discount_codes"),
            (json!([1]), "discount_codes[0]"),
            (json!(["ok", ""]), "discount_codes[1]"),
            (json!(["x".repeat(65)]), "discount_codes[0]"),
            (Value::Array((0..51).map(|i| json!(format!("C{i}"))).collect()), "discount_codes"),
        ] {
            let r = order_with_codes(&srv, "o-1", Some("alice"), codes.clone()).await;
            assert_eq!(r.status, 422, "{codes}: {}", r.body);
            assert_eq!(r.json()["issues"][0]["path"], path, "{}", r.body);
        }
        for t in ["orders", "ledger", "voucher_events"] {
            assert_eq!(srv.scalar(&format!("SELECT COUNT(*) FROM {t}")).await, 0, "{t}");
        }
    })
    .await;
}

#[tokio::test]
async fn issue_14_voucher_events_are_append_only() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        funded(&srv, "alice").await;
        let code = redeem(&srv, "alice", 100, "k1").await["voucher_code"].as_str().unwrap().to_string();
        order_with_codes(&srv, "o-1", Some("alice"), json!([code])).await;
        let mut conn = srv.app.db.read().await.unwrap();
        for sql in ["UPDATE voucher_events SET ref = 'other'", "DELETE FROM voucher_events"] {
            assert!(sqlx::query(sql).execute(&mut *conn).await.is_err(), "{sql} must be refused");
        }
    })
    .await;
}
