//! A seeded simulation: random orders, duplicate and reordered webhooks,
//! partial refunds, redemptions and time passing (pending days, expiry).
//! Invariants: award = the core's preview for every order; balance + pending
//! = Σ entries; the balance is never negative at any instant; the points
//! clawed back from an order never exceed its award.

use crate::harness::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use sqlx::Row;

struct Order {
    id: String,
    subtotal: i64,
    sent: bool,
}

fn random_cart(rng: &mut StdRng) -> (Value, i64) {
    let kinds = [("Cà phê", 45_000), ("Bánh", 35_000), ("Hạt", 220_000), ("Gift card", 500_000)];
    let lines: Vec<(&str, i64, i64)> = (0..rng.gen_range(1..=3))
        .map(|_| {
            let (k, p) = kinds[rng.gen_range(0..kinds.len())];
            (k, p, rng.gen_range(1..=4))
        })
        .collect();
    let mut c = cart(&lines);
    let subtotal: i64 = lines.iter().map(|(_, p, q)| p * q).sum();
    if rng.gen_bool(0.2) {
        c["discount"] = (subtotal / 10).into();
        return (c, subtotal - subtotal / 10);
    }
    (c, subtotal)
}

async fn check_invariants(srv: &Srv, customers: &[String]) {
    let mut conn = srv.app.db.read().await.unwrap();
    for c in customers {
        let s = srv.shopper(c).await;
        let Some(id) = s["shopper_id"].as_str() else { continue };
        let total: i64 = sqlx::query("SELECT COALESCE(CAST(SUM(delta) AS BIGINT), 0) FROM ledger WHERE shopper_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await
            .unwrap()
            .get(0);
        assert_eq!(s["balance"].as_i64().unwrap() + s["pending"].as_i64().unwrap(), total, "{c}: balance + pending = Σ entries");
        // Never negative at any instant an entry becomes available (past or future).
        let rows = sqlx::query("SELECT available_at, delta FROM ledger WHERE shopper_id = $1 ORDER BY available_at")
            .bind(id)
            .fetch_all(&mut *conn)
            .await
            .unwrap();
        let mut running = 0i64;
        for (i, r) in rows.iter().enumerate() {
            running += r.get::<i64, _>(1);
            let next_same = rows.get(i + 1).is_some_and(|n| n.get::<i64, _>(0) == r.get::<i64, _>(0));
            assert!(next_same || running >= 0, "{c}: balance {running} at {}", r.get::<i64, _>(0));
        }
    }
    let clawback = sqlx::query(
        "SELECT o.order_id, o.points, COALESCE(CAST(SUM(f.points_reversed) AS BIGINT), 0), COALESCE(CAST(SUM(f.points_debited) AS BIGINT), 0)
         FROM orders o LEFT JOIN refunds f ON f.order_id = o.order_id GROUP BY o.order_id, o.points",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    for r in clawback {
        let (id, award, reversed, debited): (String, i64, i64, i64) = (r.get(0), r.get(1), r.get(2), r.get(3));
        assert!(reversed <= award && debited <= reversed && debited >= 0, "{id}: award {award}, reversed {reversed}, debited {debited}");
    }
}

#[tokio::test]
async fn seeded_simulation_keeps_the_ledger_invariants() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        let engine = rewards_core::Engine::new(&std::fs::read_to_string(program_path()).unwrap()).unwrap();
        let mut rng = StdRng::seed_from_u64(20261122);
        let customers: Vec<String> = (0..8).map(|i| format!("sim-{i}")).collect();
        let mut orders: Vec<Order> = Vec::new();
        let mut expected_detail: Vec<(String, String)> = Vec::new();
        let (mut refunds, mut redeemed, mut conflicts) = (0, 0, 0);
        for step in 0..220 {
            match rng.gen_range(0..100) {
                0..=44 => {
                    let customer = customers[rng.gen_range(0..customers.len())].clone();
                    let (c, subtotal) = random_cart(&mut rng);
                    let id = format!("o-{step}");
                    // Reordered delivery: the refund arrives first and is refused with 409.
                    if rng.gen_bool(0.15) {
                        let r = srv.refund(&format!("early-{step}"), &id, Some(1_000)).await;
                        assert_eq!(r.status, 409, "{}", r.body);
                        conflicts += 1;
                    }
                    let before = srv.core_shopper(&customer).await;
                    let expected = rewards_core::json::tree(&engine.preview(&before, &c.to_string(), srv.now()).unwrap());
                    let r = srv.order(&id, &customer, &c).await;
                    assert_eq!(r.status, 200, "{}", r.body);
                    assert_eq!(r.json()["points"].to_string(), expected.get("total_points").unwrap().to_text(), "award = preview for {id}");
                    if rng.gen_bool(0.2) {
                        let dup = srv.order(&id, &customer, &c).await;
                        assert_eq!(dup.body, r.body, "duplicate {id}");
                    }
                    if r.json()["points"].as_i64().unwrap() != 0 {
                        expected_detail.push((id.clone(), expected.to_text()));
                    }
                    orders.push(Order { id, subtotal, sent: true });
                }
                45..=62 if !orders.is_empty() => {
                    let o = &orders[rng.gen_range(0..orders.len())];
                    let amount = if rng.gen_bool(0.3) { None } else { Some(rng.gen_range(1..=o.subtotal.max(1))) };
                    let rid = format!("r-{step}");
                    let r = srv.refund(&rid, &o.id, amount).await;
                    assert_eq!(r.status, 200, "{}", r.body);
                    if rng.gen_bool(0.3) {
                        assert_eq!(srv.refund(&rid, &o.id, amount).await.body, r.body);
                    }
                    assert!(o.sent);
                    refunds += 1;
                }
                63..=84 => {
                    let customer = &customers[rng.gen_range(0..customers.len())];
                    let pts = 100 * rng.gen_range(1..=2);
                    let body = serde_json::json!({"redemption_id": "giam-tien", "points": pts, "cart": cart(&[("Bánh", 600_000, 1)]), "idempotency_key": format!("k-{step}")});
                    let r = srv.post("/api/redeem", &body.to_string(), &srv.bearer(customer)).await;
                    assert!(matches!(r.status, 200 | 404 | 422), "{}", r.body);
                    redeemed += usize::from(r.status == 200);
                }
                85..=98 => srv.app.clock.advance(rng.gen_range(0..6 * DAY)),
                _ => srv.app.clock.advance(400 * DAY),
            }
            if step % 40 == 39 {
                check_invariants(&srv, &customers).await;
            }
        }
        check_invariants(&srv, &customers).await;
        // The stored award of every order is the preview computed before it.
        let mut conn = srv.app.db.read().await.unwrap();
        for (id, detail) in &expected_detail {
            let stored: String = sqlx::query("SELECT detail FROM ledger WHERE cause = 'order' AND ref = $1").bind(id).fetch_one(&mut *conn).await.unwrap().get(0);
            assert_eq!(&stored, detail, "{id}");
        }
        let expiries: i64 = sqlx::query("SELECT COUNT(*) FROM ledger WHERE cause = 'expiry'").fetch_one(&mut *conn).await.unwrap().get(0);
        eprintln!("simulation: {} orders, {refunds} refunds, {redeemed} redemptions, {conflicts} early refunds, {expiries} expiries", orders.len());
        assert!(redeemed > 0 && refunds > 0 && conflicts > 0 && expiries > 0, "the seed must exercise every path");
    })
    .await;
}
