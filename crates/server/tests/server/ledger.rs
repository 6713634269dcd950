use crate::harness::*;

#[tokio::test]
async fn order_webhooks_award_the_core_preview_once_and_stay_pending() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        let engine = rewards_core::Engine::new(&std::fs::read_to_string(program_path()).unwrap()).unwrap();
        let c = cart(&[("Cà phê", 45_000, 2), ("Bánh", 35_000, 1)]);
        let before = srv.core_shopper("alice").await;
        let expected_text = engine.preview(&before, &c.to_string(), srv.now()).unwrap();
        let expected = rewards_core::json::tree(&expected_text);
        let r = srv.order("o-1", "alice", &c).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let points = expected.get("total_points").unwrap().to_text().parse::<i64>().unwrap();
        assert_eq!(r.json()["points"], points);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger").await, 1);
        // The stored preview is the engine's exact output.
        let mut conn = srv.app.db.read().await.unwrap();
        let detail: String = sqlx::Row::get(&sqlx::query("SELECT detail FROM ledger").fetch_one(&mut *conn).await.unwrap(), 0);
        assert_eq!(detail, expected_text);
        drop(conn);

        // Duplicate delivery: same bytes, nothing written.
        let dup = srv.order("o-1", "alice", &c).await;
        assert_eq!((dup.status, dup.body.as_str()), (200, r.body.as_str()));
        let changed = srv.order("o-1", "alice", &cart(&[("Cà phê", 999_000, 9)])).await;
        assert_eq!(changed.body, r.body);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger").await, 1);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM orders").await, 1);

        // Pending for 7 days (vn-coffee lifecycle.pending_days), then spendable.
        let s = srv.shopper("alice").await;
        assert_eq!((s["balance"].as_i64(), s["pending"].as_i64()), (Some(0), Some(points)));
        assert_eq!(s["stamps"], 2);
        srv.app.clock.advance(7 * DAY);
        let s = srv.shopper("alice").await;
        assert_eq!((s["balance"].as_i64(), s["pending"].as_i64()), (Some(points), Some(0)));
    })
    .await;
}

#[tokio::test]
async fn bad_signatures_and_malformed_webhooks_write_nothing() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        let body = serde_json::json!({"order_id": "o-1", "customer": {"id": "a"}, "cart": cart(&[("Cà phê", 45_000, 2)])}).to_string();
        let good = rewards_server::token::webhook_signature(WEBHOOK, body.as_bytes());
        let other = rewards_server::token::webhook_signature(WEBHOOK, b"{}");
        for sig in [None, Some(other), Some(good.replace("sha256=", "sha1=")), Some("sha256=zz".into())] {
            let h: Vec<(&str, String)> = sig.into_iter().map(|s| ("x-rewards-signature", s)).collect();
            let r = srv.post("/api/webhooks/orders", &body, &h).await;
            assert_eq!(r.status, 401, "{}", r.body);
        }
        let bad_carts = [
            (
                r#"{"order_id":"o-2","customer":{"id":"a"},"cart":{"currency":"VND","lines":[{"quantity":-1,"unit_price":5}]}}"#,
                "cart.lines[0].quantity",
            ),
            (r#"{"order_id":"o-2","customer":{"id":"a"},"cart":{"currency":"USD","lines":[]}}"#, "cart.currency"),
            (r#"{"order_id":"","customer":{"id":"a"},"cart":{"currency":"VND","lines":[]}}"#, "order_id"),
            (r#"{"order_id":"o-2","customer":{"email":"nope"},"cart":{"currency":"VND","lines":[]}}"#, "customer.email"),
            (r#"{"order_id":"o-2","cart":{"currency":"VND","lines":[]},"extra":1}"#, "extra"),
        ];
        for (b, path) in bad_carts {
            let r = srv.hook("/api/webhooks/orders", b).await;
            assert_eq!(r.status, 422, "{b}: {}", r.body);
            assert!(r.json()["issues"].as_array().unwrap().iter().any(|i| i["path"] == path), "{path}: {}", r.body);
        }
        let huge = format!(r#"{{"order_id":"o-3","cart":{{"currency":"VND","lines":[],"x":"{}"}}}}"#, "a".repeat(65 * 1024));
        assert_eq!(srv.hook("/api/webhooks/orders", &huge).await.status, 413);
        assert_eq!(srv.hook("/api/webhooks/refunds", r#"{"refund_id":"r","order_id":"o","amount":-5}"#).await.status, 422);
        for t in ["shoppers", "orders", "ledger", "stamps", "refunds"] {
            assert_eq!(srv.scalar(&format!("SELECT COUNT(*) FROM {t}")).await, 0, "{t}");
        }
    })
    .await;
}

#[tokio::test]
async fn refunds_reverse_the_recorded_award_pro_rata_and_never_more() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        // Refund arriving before its order: 409, nothing written, retried later.
        let early = srv.refund("r-0", "o-1", Some(100_000)).await;
        assert_eq!(early.status, 409, "{}", early.body);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM refunds").await, 0);

        let c = cart(&[("Cà phê", 45_000, 3), ("Hạt", 220_000, 1)]); // 355,000 ₫: 35 + 30 bonus = 65 points, 3 stamps
        let award = srv.order("o-1", "alice", &c).await.json()["points"].as_i64().unwrap();
        assert_eq!(award, 65);
        let r = srv.refund("r-0", "o-1", Some(100_000)).await.json();
        // ⌊65 × 100,000 / 355,000⌋ = 18; stamps ⌊3 × 100/355⌋ = 0.
        assert_eq!(
            (r["points_reversed"].as_i64(), r["points_debited"].as_i64(), r["stamps_reversed"].as_i64()),
            (Some(18), Some(18), Some(0))
        );
        let dup = srv.refund("r-0", "o-1", Some(100_000)).await;
        assert_eq!(dup.json(), r);
        // Still pending: the reversal cancels pending points, not spendable ones.
        let s = srv.shopper("alice").await;
        assert_eq!((s["balance"].as_i64(), s["pending"].as_i64()), (Some(0), Some(award - 18)));
        // The rest, and then some: capped at the subtotal, reversing exactly the award.
        let r2 = srv.refund("r-1", "o-1", Some(999_999_999)).await.json();
        assert_eq!(r2["refunded_total"], 355_000);
        assert_eq!(r2["points_reversed"].as_i64().unwrap() + 18, award);
        assert_eq!(r2["stamps_reversed"], 3);
        let r3 = srv.refund("r-2", "o-1", None).await.json();
        assert_eq!(r3["points_reversed"], 0);
        let s = srv.shopper("alice").await;
        assert_eq!((s["balance"].as_i64(), s["pending"].as_i64(), s["stamps"].as_i64()), (Some(0), Some(0), Some(0)));
        assert_eq!(srv.scalar("SELECT COALESCE(CAST(SUM(delta) AS BIGINT), 0) FROM ledger").await, 0);
        srv.app.clock.advance(30 * DAY);
        assert_eq!(srv.shopper("alice").await["balance"], 0);
    })
    .await;
}

#[tokio::test]
async fn a_refund_after_spending_takes_no_more_than_the_balance() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        let c = cart(&[("Hạt", 2_000_000, 1)]); // 200 + 30 = 230 points
        assert_eq!(srv.order("o-1", "alice", &c).await.json()["points"], 230);
        srv.app.clock.advance(8 * DAY);
        let redeem = serde_json::json!({"redemption_id": "giam-tien", "points": 200, "cart": cart(&[("Bánh", 500_000, 1)]), "idempotency_key": "k1"});
        let v = srv.post("/api/redeem", &redeem.to_string(), &srv.bearer("alice")).await;
        assert_eq!(v.status, 200, "{}", v.body);
        assert_eq!(v.json()["balance"], 30);
        let r = srv.refund("r-1", "o-1", None).await.json();
        assert_eq!((r["points_reversed"].as_i64(), r["points_debited"].as_i64()), (Some(230), Some(30)));
        assert_eq!(srv.shopper("alice").await["balance"], 0);
    })
    .await;
}

#[tokio::test]
async fn redemptions_are_atomic_idempotent_and_never_overdraw() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        assert_eq!(srv.order("o-1", "alice", &cart(&[("Hạt", 2_200_000, 1)])).await.json()["points"], 250);
        let body = |pts: i64, key: &str| {
            serde_json::json!({"redemption_id": "giam-tien", "points": pts, "cart": cart(&[("Bánh", 500_000, 1)]), "idempotency_key": key})
                .to_string()
        };
        // Pending points cannot be spent.
        let r = srv.post("/api/redeem", &body(100, "a"), &srv.bearer("alice")).await;
        assert_eq!(r.status, 422, "{}", r.body);
        srv.app.clock.advance(7 * DAY);
        assert_eq!(srv.post("/api/redeem", &body(150, "a"), &srv.bearer("alice")).await.status, 422, "not a multiple of 100");
        assert_eq!(srv.post("/api/redeem", &body(100, "a"), &[]).await.status, 401);
        assert_eq!(srv.post("/api/redeem", &body(100, "a"), &srv.bearer("mallory")).await.status, 404);
        let first = srv.post("/api/redeem", &body(100, "a"), &srv.bearer("alice")).await;
        assert_eq!(first.status, 200, "{}", first.body);
        let v = first.json();
        assert_eq!((v["discount"].as_i64(), v["balance"].as_i64()), (Some(10_000), Some(150)));
        assert!(v["voucher_code"].as_str().unwrap().starts_with("RW-"));
        // A retry answers the same voucher; the same key for another request is a conflict.
        assert_eq!(srv.post("/api/redeem", &body(100, "a"), &srv.bearer("alice")).await.body, first.body);
        assert_eq!(srv.post("/api/redeem", &body(200, "a"), &srv.bearer("alice")).await.status, 409);
        // Ten concurrent redemptions of 100 on a balance of 150: exactly one more succeeds.
        let reqs = (0..10).map(|i| {
            let (b, h) = (body(100, &format!("c{i}")), srv.bearer("alice"));
            let srv = &srv;
            async move { srv.post("/api/redeem", &b, &h).await.status }
        });
        let statuses = futures_join(reqs).await;
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
        assert!(statuses.iter().all(|s| *s == 200 || *s == 422), "{statuses:?}");
        let s = srv.shopper("alice").await;
        assert_eq!(s["balance"], 50);
        assert_eq!(s["vouchers"].as_array().unwrap().len(), 2);
        assert_eq!(srv.scalar("SELECT COALESCE(CAST(SUM(delta) AS BIGINT), 0) FROM ledger").await, 50);
    })
    .await;
}

/// Runs futures concurrently (no extra dependency).
async fn futures_join<F: std::future::Future<Output = u16>>(fs: impl Iterator<Item = F>) -> Vec<u16> {
    let set: Vec<_> = fs.collect();
    let mut out = Vec::new();
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = set.into_iter().map(Box::pin).collect();
    let mut done = vec![None; pinned.len()];
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if done[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => done[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.extend(done.into_iter().flatten());
    out
}

#[tokio::test]
async fn inactivity_expires_points_on_read_and_in_tick() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        srv.order("o-1", "alice", &cart(&[("Hạt", 1_000_000, 1)])).await;
        srv.order("o-2", "bob", &cart(&[("Hạt", 1_000_000, 1)])).await;
        srv.app.clock.advance(8 * DAY);
        assert_eq!(srv.shopper("alice").await["balance"], 130);
        // 12 months without activity (vn-coffee: expiry_months_inactive 12).
        srv.app.clock.advance(366 * DAY);
        let s = srv.shopper("alice").await;
        assert_eq!(s["balance"], 0);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger WHERE cause = 'expiry'").await, 1);
        // Reading again writes nothing more.
        srv.shopper("alice").await;
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger WHERE cause = 'expiry'").await, 1);
        let app = &srv.app;
        let t = rewards_server::services::lifecycle::tick(&app.db, app.program(), &app.program.version, 0, app.clock.now()).await.unwrap();
        assert_eq!((t.shoppers, t.expired_shoppers, t.expired_points), (2, 1, 130));
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger WHERE cause = 'expiry'").await, 2);
        assert_eq!(srv.scalar("SELECT COALESCE(CAST(SUM(delta) AS BIGINT), 0) FROM ledger").await, 0);
    })
    .await;
}

#[tokio::test]
async fn the_ledger_refuses_updates_and_deletes() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        srv.order("o-1", "alice", &cart(&[("Hạt", 1_000_000, 1)])).await;
        let mut conn = srv.app.db.read().await.unwrap();
        for sql in ["UPDATE ledger SET delta = 1000000", "DELETE FROM ledger", "UPDATE orders SET points = 1", "DELETE FROM orders"] {
            let e = sqlx::query(sql).execute(&mut *conn).await;
            assert!(e.is_err(), "{sql} must fail");
            assert!(e.unwrap_err().to_string().contains("append-only"), "{sql}");
        }
        drop(conn);
        assert_eq!(srv.scalar("SELECT COALESCE(CAST(SUM(delta) AS BIGINT), 0) FROM ledger").await, 130);
    })
    .await;
}

#[tokio::test]
async fn action_webhooks_credit_through_the_cores_eligibility() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        let send = |event: &str, action: &str| {
            let body = serde_json::json!({"event_id": event, "customer": {"id": "alice"}, "action_id": action}).to_string();
            let srv = &srv;
            async move { srv.hook("/api/webhooks/actions", &body).await }
        };
        let r = send("e1", "newsletter").await;
        assert_eq!((r.status, r.json()["points"].as_i64()), (200, Some(20)), "{}", r.body);
        assert_eq!(send("e1", "newsletter").await.body, r.body, "duplicate event");
        // Once only: a second newsletter event credits nothing.
        assert_eq!(send("e2", "newsletter").await.json()["points"], 0);
        // Every 7 days: the next share is eligible a week later.
        assert_eq!(send("e3", "social_share").await.json()["points"], 5);
        let again = send("e4", "social_share").await.json();
        assert_eq!((again["points"].as_i64(), again["next_eligible"].as_str()), (Some(0), Some("2026-11-29T10:00:00Z")));
        assert_eq!(send("e5", "first_order").await.status, 422);
        assert_eq!(send("e6", "no-such-action").await.status, 422);
        assert_eq!(srv.shopper("alice").await["balance"], 25);
    })
    .await;
}

#[tokio::test]
async fn a_paid_membership_reported_by_webhook_multiplies_later_awards() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        let c = cart(&[("Hạt", 1_000_000, 1)]);
        assert_eq!(srv.order("o-1", "alice", &c).await.json()["points"], 130);
        let body = serde_json::json!({"customer": {"id": "alice"}, "membership_id": "hoi-vien", "status": "active"}).to_string();
        assert_eq!(srv.hook("/api/webhooks/membership", &body).await.status, 200);
        let bad = serde_json::json!({"customer": {"id": "alice"}, "membership_id": "gold", "status": "active"}).to_string();
        assert_eq!(srv.hook("/api/webhooks/membership", &bad).await.status, 422);
        assert_eq!(srv.shopper("alice").await["membership"], serde_json::json!({"id": "hoi-vien", "status": "active"}));
        // Tier 1 + membership 2, combined "add": 1 + (2 − 1) = 2 × 100 points.
        assert_eq!(srv.order("o-2", "alice", &c).await.json()["points"], 200);
    })
    .await;
}

#[tokio::test]
async fn an_order_that_reaches_a_tier_records_it_with_its_date() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        // vn-coffee tiers by calendar-year spend: dong from 0 ₫, bac from 2,000,000 ₫.
        let r = srv.order("o-1", "alice", &cart(&[("Hạt", 500_000, 3)])).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let s = srv.shopper("alice").await;
        assert_eq!(
            (s["period_spend"].as_i64(), &s["tier"]),
            (Some(1_500_000), &serde_json::json!({"id": "dong", "since": "2026-11-22T10:00:00Z"}))
        );

        srv.app.clock.advance(DAY);
        // The order that crosses 2,000,000 ₫ records bac at its own time.
        srv.order("o-2", "alice", &cart(&[("Hạt", 600_000, 1)])).await;
        let s = srv.shopper("alice").await;
        assert_eq!(
            (s["period_spend"].as_i64(), &s["tier"]),
            (Some(2_100_000), &serde_json::json!({"id": "bac", "since": "2026-11-23T10:00:00Z"}))
        );

        // A later order keeps the date the tier was reached.
        srv.app.clock.advance(DAY);
        srv.order("o-3", "alice", &cart(&[("Cà phê", 45_000, 1)])).await;
        assert_eq!(srv.shopper("alice").await["tier"], serde_json::json!({"id": "bac", "since": "2026-11-23T10:00:00Z"}));
    })
    .await;
}

#[tokio::test]
async fn store_credit_is_the_cashback_of_orders_net_of_refunds_and_pending_like_points() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        // vn-coffee: 1 % cashback of qualifying spend, floor; points and credit pending for 7 days.
        let c = cart(&[("Cà phê", 45_000, 2), ("Bánh", 35_000, 1)]);
        let cashback = srv.order("o-1", "alice", &c).await.json()["cashback"].as_i64().unwrap();
        assert_eq!(cashback, 1_250);
        let credit = |v: &serde_json::Value| (v["store_credit"].as_i64(), v["store_credit_pending"].as_i64());
        assert_eq!(credit(&srv.shopper("alice").await), (Some(0), Some(1_250)));
        srv.app.clock.advance(7 * DAY);
        assert_eq!(credit(&srv.shopper("alice").await), (Some(1_250), Some(0)));

        // A refund of a fifth of the order reverses a fifth of its cashback (pro rata, like points).
        assert_eq!(srv.refund("r-1", "o-1", Some(25_000)).await.status, 200);
        assert_eq!(credit(&srv.shopper("alice").await), (Some(1_000), Some(0)));
        // A second order is pending on its own; a redelivered refund reverses nothing more.
        assert_eq!(srv.order("o-2", "alice", &cart(&[("Cà phê", 45_000, 1)])).await.status, 200);
        assert_eq!(srv.refund("r-1", "o-1", Some(25_000)).await.status, 200);
        assert_eq!(credit(&srv.shopper("alice").await), (Some(1_000), Some(450)));
        // Cancelling the first order takes its credit back entirely.
        assert_eq!(srv.refund("r-2", "o-1", None).await.status, 200);
        assert_eq!(credit(&srv.shopper("alice").await), (Some(0), Some(450)));
        // Another shopper has none, and a customer the server has not seen gets zeros too.
        assert_eq!(credit(&srv.shopper("bob").await), (Some(0), Some(0)));
    })
    .await;
}
