//! Issue 11, part 2 (server side): WooCommerce's own webhook deliveries at
//! `POST /api/webhooks/woocommerce`, with the bodies in
//! `tests/fixtures/woocommerce/` (their sources are listed in its README.md).

use crate::harness::*;
use rewards_core::money::Currency;
use rewards_server::http::webhooks::woocommerce;
use rewards_server::services::platforms::woocommerce as map;
use serde_json::{json, Value};

pub const SECRET: &str = "test-woocommerce-webhook-secret-0123456789";

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/woocommerce/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn program_file(name: &str) -> String {
    format!("{}/../../tests/fixtures/programs/{name}.json", env!("CARGO_MANIFEST_DIR"))
}

fn currency(code: &str) -> Currency {
    Currency::from_code(code).unwrap()
}

/// A server with the WooCommerce webhook secret, on the program `program`.
pub async fn start(kind: &Kind, program: &str) -> Srv {
    let path = program_file(program);
    Srv::start_with(kind, move |s| {
        s.woocommerce_webhook_secret = SECRET.into();
        s.program_path = path.into();
    })
    .await
}

/// The headers `WC_Webhook::deliver` sends.
pub fn headers(topic: &str, delivery_id: &str, signature: String) -> Vec<(&'static str, String)> {
    vec![
        ("x-wc-webhook-source", "https://northwind.example/".into()),
        ("x-wc-webhook-topic", topic.to_string()),
        ("x-wc-webhook-resource", "order".into()),
        ("x-wc-webhook-event", topic.trim_start_matches("order.").to_string()),
        ("x-wc-webhook-signature", signature),
        ("x-wc-webhook-id", "12".into()),
        ("x-wc-webhook-delivery-id", delivery_id.to_string()),
        ("user-agent", "WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)".into()),
    ]
}

/// A delivery as WooCommerce sends it: the raw body signed with the secret.
pub async fn deliver(srv: &Srv, topic: &str, delivery_id: &str, body: &str) -> Resp {
    let h = headers(topic, delivery_id, woocommerce::signature(SECRET, body.as_bytes()));
    srv.post("/api/webhooks/woocommerce", body, &h).await
}

const TABLES: [&str; 7] = ["orders", "refunds", "ledger", "stamps", "shoppers", "voucher_events", "woocommerce_deliveries"];

/// Rows of every table a delivery can write.
async fn written(srv: &Srv) -> Vec<(&'static str, i64)> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push((t, srv.scalar(&format!("SELECT COUNT(*) FROM {t}")).await));
    }
    out
}

fn nothing() -> Vec<(&'static str, i64)> {
    TABLES.map(|t| (t, 0)).to_vec()
}

/// The order as a later update sends it: `status`, modified `minutes` later.
fn update(body: &str, status: &str, minutes: u32) -> Value {
    let mut o: Value = serde_json::from_str(body).unwrap();
    let m = o["date_modified_gmt"].as_str().unwrap().to_string();
    let (head, mm) = (&m[..14], m[14..16].parse::<u32>().unwrap());
    assert!(mm + minutes < 60);
    o["date_modified_gmt"] = json!(format!("{head}{:02}{}", mm + minutes, &m[16..]));
    o["status"] = json!(status);
    o
}

async fn points_of(srv: &Srv, customer: &str) -> i64 {
    let s = srv.shopper(customer).await;
    s["pending"].as_i64().unwrap() + s["balance"].as_i64().unwrap()
}

/// (program, fixture, the core cart it maps to, written by hand from the body).
fn orders() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "us-apparel",
            "order-727-processing-usd.json",
            json!({"currency": "USD", "shipping": 1000, "lines": [
                {"id": "315", "product_id": "93", "quantity": 2, "line_price": 600},
                {"id": "316", "product_id": "23", "sku": "Bar3", "quantity": 1, "line_price": 1200}]}),
        ),
        (
            "us-apparel",
            "order-1041-processing-usd-coupon.json",
            json!({"currency": "USD", "shipping": 800, "lines": [
                {"id": "1201", "product_id": "112", "sku": "NW-SOCK-MERINO", "tags": ["merino"], "collections": ["socks"], "quantity": 2, "line_price": 3600, "discount": 360},
                {"id": "1202", "product_id": "118", "sku": "NW-SHELL-RIDGE", "collections": ["jackets"], "quantity": 1, "line_price": 18900, "discount": 1890},
                {"id": "1203", "product_id": "131", "sku": "NW-GIFT-50", "tags": ["gift-card"], "collections": ["gift-cards"], "quantity": 1, "line_price": 5000}]}),
        ),
        (
            "vn-coffee",
            "order-5120-processing-vnd.json",
            json!({"currency": "VND", "shipping": 25000, "lines": [
                {"id": "801", "product_id": "302", "sku": "CPSD-L", "quantity": 2, "line_price": 90000, "discount": 6000},
                {"id": "802", "product_id": "310", "sku": "HAT-ARA-500", "quantity": 1, "line_price": 250000, "discount": 24000},
                {"id": "803", "product_id": "320", "sku": "SHIP-INSURANCE", "quantity": 1, "line_price": 15000}]}),
        ),
        (
            "kw-oud",
            "order-2210-completed-kwd.json",
            json!({"currency": "KWD", "shipping": 2000, "lines": [
                {"id": "901", "product_id": "501", "sku": "OUD-CAM-3", "quantity": 1, "line_price": 12500},
                {"id": "902", "product_id": "510", "sku": "OUD-SMP-2", "quantity": 2, "line_price": 2010},
                {"id": "903", "product_id": "520", "sku": "MSK-TAH-50", "quantity": 1, "line_price": 7750, "discount": 775}]}),
        ),
    ]
}

#[tokio::test]
async fn issue_11_woocommerce_an_order_in_an_award_status_awards_the_core_preview_of_the_mapped_cart() {
    each(|k| async move {
        for (program, file, expected_cart) in orders() {
            let srv = start(&k, program).await;
            let body = fixture(file);
            let order: Value = serde_json::from_str(&body).unwrap();
            let mapped = map::order(body.as_bytes(), srv.app.program().currency()).unwrap();
            assert_eq!(serde_json::from_str::<Value>(&mapped.cart).unwrap(), expected_cart, "{file}");
            let customer = mapped.customer_id.clone();
            assert_eq!(customer, Some(order["customer_id"].to_string()).filter(|c| c != "0"), "{file}");

            // The widget's preview of that cart for this (new) shopper.
            let who = customer.clone().unwrap_or_else(|| "nobody-yet".into());
            let state = srv.core_shopper(&who).await;
            let preview = srv.post("/api/engine/preview", &format!(r#"{{"input":{}}}"#, mapped.cart), &srv.bearer(&who)).await;
            assert_eq!(preview.status, 200, "{file}: {}", preview.body);
            let engine = rewards_core::Engine::new(&std::fs::read_to_string(program_file(program)).unwrap()).unwrap();
            assert_eq!(engine.preview(&state, &mapped.cart, srv.now()).unwrap(), preview.body, "{file}");
            let expected = preview.json()["total_points"].as_i64().unwrap();
            assert!(expected > 0, "{file}: {}", preview.body);
            eprintln!("{file}: {expected} points");

            let r = deliver(&srv, "order.created", &format!("d-{file}"), &body).await;
            assert_eq!(r.status, 200, "{file}: {}", r.body);
            let a = &r.json()["award"];
            assert_eq!(
                (a["points"].as_i64(), a["order_id"].as_str()),
                (Some(expected), Some(mapped.order_id.as_str())),
                "{file}: {}",
                r.body
            );
            let detail: String = {
                let mut conn = srv.app.db.read().await.unwrap();
                sqlx::Row::try_get(&sqlx::query("SELECT detail FROM ledger WHERE cause = 'order'").fetch_one(&mut *conn).await.unwrap(), 0)
                    .unwrap()
            };
            assert_eq!(detail, preview.body, "{file}: the entry stores exactly that preview");
            match &customer {
                Some(c) => assert_eq!(points_of(&srv, c).await, expected, "{file}"),
                // A guest: the shopper is the billing email's.
                None => assert_eq!(srv.scalar("SELECT COUNT(*) FROM shoppers WHERE email = 'john.doe@example.com'").await, 1),
            }
        }
    })
    .await;
}

#[test]
fn issue_11_woocommerce_refunds_are_their_share_of_the_order_total_cumulatively() {
    // Order 723: lines 29.00 of a 39.00 total; refunds 724 (9.00) then 726 (10.00), listed newest first.
    let m = map::order(fixture("order-723-completed-usd-refunds.json").as_bytes(), currency("USD")).unwrap();
    let first = 900 * 2900 / 3900;
    let both = 1900 * 2900 / 3900;
    assert_eq!(
        m.refunds,
        [map::MappedRefund { id: "724".into(), amount: first }, map::MappedRefund { id: "726".into(), amount: both - first }]
    );
    // Refunding the whole total refunds exactly the subtotal.
    let mut o: Value = serde_json::from_str(&fixture("order-723-completed-usd-refunds.json")).unwrap();
    o["refunds"] = json!([{"id": 730, "total": "-13.00"}, {"id": 731, "total": "-13.00"}, {"id": 729, "total": "-13.00"}]);
    let m = map::order(o.to_string().as_bytes(), currency("USD")).unwrap();
    assert_eq!(m.refunds.iter().map(|r| r.amount).sum::<i64>(), 2900);
    assert_eq!(m.refunds.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["729", "730", "731"]);
}

#[tokio::test]
async fn issue_11_woocommerce_the_order_lifecycle_awards_once_and_reverses_refunds_and_cancellation() {
    each(|k| async move {
        let srv = start(&k, "us-apparel").await;
        let body = fixture("order-723-completed-usd-refunds.json");
        let customer = "26";
        // Placed, unpaid: nothing awarded (the delivery is recorded).
        let mut placed = update(&body, "pending", 0);
        placed["refunds"] = json!([]);
        placed["date_modified_gmt"] = json!("2017-03-21T19:16:00");
        let r = deliver(&srv, "order.created", "d-1", &placed.to_string()).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.json()["ignored"].as_str().unwrap().contains("status \"pending\" does not award"), "{}", r.body);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM orders").await, 0);

        // Paid (processing): awarded.
        let mut paid = update(&body, "processing", 0);
        paid["refunds"] = json!([]);
        paid["date_modified_gmt"] = json!("2017-03-21T19:20:00");
        let r = deliver(&srv, "order.updated", "d-2", &paid.to_string()).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let points = r.json()["award"]["points"].as_i64().unwrap();
        assert!(points > 0, "{}", r.body);
        // Completed: the same award, not a second one.
        let mut done = update(&body, "completed", 0);
        done["refunds"] = json!([]);
        done["date_modified_gmt"] = json!("2017-03-21T19:30:00");
        let r = deliver(&srv, "order.updated", "d-3", &done.to_string()).await;
        assert_eq!(r.json()["award"]["points"].as_i64(), Some(points), "{}", r.body);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger").await, 1);

        // The two refunds of the fixture: each reverses its share, once.
        let r = deliver(&srv, "order.updated", "d-4", &body).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let reversed: Vec<i64> = r.json()["refunds"].as_array().unwrap().iter().map(|x| x["points_reversed"].as_i64().unwrap()).collect();
        let share = 1900 * 2900 / 3900;
        assert_eq!(reversed.iter().sum::<i64>(), points * share / 2900, "{}", r.body);
        assert_eq!(points_of(&srv, customer).await, points - points * share / 2900);
        // The same state under another delivery id: nothing more.
        let again = deliver(&srv, "order.updated", "d-5", &body).await;
        assert_eq!(again.json()["refunds"], r.json()["refunds"]);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM refunds").await, 2);

        // Refunded in full: the rest goes back; the balance is what it was.
        let refunded = update(&body, "refunded", 5);
        let r = deliver(&srv, "order.updated", "d-6", &refunded.to_string()).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["reversal"]["points_reversed"].as_i64(), Some(points - points * share / 2900), "{}", r.body);
        assert_eq!(points_of(&srv, customer).await, 0);
        assert_eq!(srv.scalar("SELECT COALESCE(CAST(SUM(delta) AS BIGINT), 0) FROM ledger").await, 0);

        // A stale `completed` (built before the refund, delivered after it): nothing.
        let before = written(&srv).await;
        let r = deliver(&srv, "order.updated", "d-7", &done.to_string()).await;
        assert!(r.json()["ignored"].as_str().unwrap().starts_with("stale"), "{}", r.body);
        let after = written(&srv).await;
        assert_eq!(
            after.iter().filter(|(t, _)| *t != "woocommerce_deliveries").collect::<Vec<_>>(),
            before.iter().filter(|(t, _)| *t != "woocommerce_deliveries").collect::<Vec<_>>()
        );
    })
    .await;
}

#[tokio::test]
async fn issue_11_woocommerce_a_reordered_update_never_awards_a_refunded_order() {
    each(|k| async move {
        let srv = start(&k, "us-apparel").await;
        let body = fixture("order-727-processing-usd.json");
        // `refunded` (built later) arrives before `processing`.
        let mut refunded = update(&body, "refunded", 10);
        refunded["refunds"] = json!([{"id": 740, "reason": "", "total": "-29.35"}]);
        let r = deliver(&srv, "order.updated", "d-late", &refunded.to_string()).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.json()["ignored"].as_str().unwrap().contains("never awarded (refunded): nothing to reverse"), "{}", r.body);
        let r = deliver(&srv, "order.created", "d-early", &body).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.json()["ignored"].as_str().unwrap().starts_with("stale"), "{}", r.body);
        assert_eq!((srv.scalar("SELECT COUNT(*) FROM orders").await, srv.scalar("SELECT COUNT(*) FROM ledger").await), (0, 0));

        // Failed and cancelled orders that were never awarded: nothing to reverse, 200.
        for (id, status) in [(800, "failed"), (802, "cancelled")] {
            let mut o = update(&body, status, 1);
            o["id"] = json!(id);
            let r = deliver(&srv, "order.updated", &format!("d-{status}"), &o.to_string()).await;
            assert_eq!(r.status, 200, "{}", r.body);
            assert!(r.json()["ignored"].as_str().unwrap().contains("nothing to reverse"), "{}", r.body);
        }
        // A cancelled order that was awarded: the whole award goes back.
        let mut o: Value = serde_json::from_str(&body).unwrap();
        o["id"] = json!(801);
        let paid = deliver(&srv, "order.created", "d-801", &o.to_string()).await;
        let points = paid.json()["award"]["points"].as_i64().unwrap();
        let mut c = update(&o.to_string(), "cancelled", 3);
        c["id"] = json!(801);
        let r = deliver(&srv, "order.updated", "d-801c", &c.to_string()).await;
        assert_eq!(r.json()["reversal"]["points_reversed"].as_i64(), Some(points), "{}", r.body);
        assert_eq!(r.json()["reversal"]["refund_id"].as_str(), Some(woocommerce::reversal_id("801").as_str()));
    })
    .await;
}

#[tokio::test]
async fn issue_11_woocommerce_redeliveries_award_once_by_delivery_id_and_by_order_id() {
    each(|k| async move {
        let srv = start(&k, "us-apparel").await;
        let body = fixture("order-1041-processing-usd-coupon.json");
        let first = deliver(&srv, "order.created", "5b1e0d2a7c", &body).await;
        assert_eq!(first.status, 200, "{}", first.body);
        let after = written(&srv).await;
        // A retry of the same delivery: the first answer byte for byte, nothing written.
        let again = deliver(&srv, "order.created", "5b1e0d2a7c", &body).await;
        assert_eq!((again.status, again.body.as_str()), (200, first.body.as_str()));
        assert_eq!(written(&srv).await, after);
        // WooCommerce's delivery id is the webhook id and the second: another
        // order delivered in the same second shares it and is its own delivery.
        let other = deliver(&srv, "order.created", "5b1e0d2a7c", &fixture("order-727-processing-usd.json")).await;
        assert_eq!(other.json()["order_id"], "727", "{}", other.body);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM orders").await, 2);
        // The same order under a new delivery id (order.updated, a second webhook): one award.
        let update = deliver(&srv, "order.updated", "9f00aa31c4", &body).await;
        assert_eq!(update.json()["award"], first.json()["award"]);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger").await, 2);
        // Deliveries are append-only like the ledger.
        let mut conn = srv.app.db.read().await.unwrap();
        for sql in ["UPDATE woocommerce_deliveries SET response = 'x'", "DELETE FROM woocommerce_deliveries"] {
            assert!(sqlx::query(sql).execute(&mut *conn).await.is_err(), "{sql} must be refused");
        }
    })
    .await;
}

#[tokio::test]
async fn issue_11_woocommerce_the_activation_ping_answers_200_and_a_bad_signature_401_writing_nothing() {
    each(|k| async move {
        let srv = start(&k, "us-apparel").await;
        // `WC_Webhook::deliver_ping`: a form body, no X-WC headers.
        let form = [
            ("content-type", "application/x-www-form-urlencoded".to_string()),
            ("user-agent", "WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)".into()),
        ];
        let r = srv.post("/api/webhooks/woocommerce", "webhook_id=12", &form).await;
        assert_eq!((r.status, r.json()["ping"].as_bool()), (200, Some(true)), "{}", r.body);
        // Anything else unsigned is refused.
        for unsigned in ["webhook_id=", "webhook_id=12&x=1", "{}", ""] {
            assert_eq!(srv.post("/api/webhooks/woocommerce", unsigned, &form).await.status, 401, "{unsigned}");
        }
        let body = fixture("order-727-processing-usd.json");
        let good = woocommerce::signature(SECRET, body.as_bytes());
        let hex = rewards_server::token::hmac_hex(SECRET, body.as_bytes());
        for sig in [
            String::new(),
            good.trim_end_matches('=').to_string(),
            woocommerce::signature("another-secret-0123456789", body.as_bytes()),
            hex,
        ] {
            let r = srv.post("/api/webhooks/woocommerce", &body, &headers("order.created", "d-1", sig.clone())).await;
            assert_eq!((r.status, r.json()["error"].as_str()), (401, Some("unauthorized")), "{sig}: {}", r.body);
        }
        let r =
            srv.post("/api/webhooks/woocommerce", &body.replacen("\"6.00\"", "\"60.00\"", 1), &headers("order.created", "d-1", good)).await;
        assert_eq!(r.status, 401);
        assert_eq!(written(&srv).await, nothing());
        // Without a secret the endpoint is not set up: 503, the ping too.
        let bare = Srv::start(&k).await;
        for (b, h) in [
            (body.as_str(), headers("order.created", "d-1", woocommerce::signature(SECRET, body.as_bytes()))),
            ("webhook_id=12", form.to_vec()),
        ] {
            let r = bare.post("/api/webhooks/woocommerce", b, &h).await;
            assert_eq!((r.status, r.json()["error"].as_str()), (503, Some("not_configured")), "{}", r.body);
            assert!(r.json()["message"].as_str().unwrap().contains("woocommerce_webhook_secret"));
        }
    })
    .await;
}

#[tokio::test]
async fn issue_11_woocommerce_bad_deliveries_are_4xx_with_a_path_and_write_nothing() {
    each(|k| async move {
        let srv = start(&k, "us-apparel").await;
        let good = fixture("order-727-processing-usd.json");
        for topic in ["order.deleted", "order.restored", "product.created", "ORDER.CREATED", "action.woocommerce_add_to_cart", ""] {
            let r = deliver(&srv, topic, "d-1", &good).await;
            assert_eq!((r.status, r.json()["error"].as_str()), (400, Some("unknown_topic")), "{topic}: {}", r.body);
        }
        let r = deliver(&srv, "order.created", "", &good).await;
        assert_eq!((r.status, r.json()["error"].as_str()), (400, Some("missing_delivery_id")), "{}", r.body);

        let cut = &good[..good.find("\"sku\": \"Bar3\"").unwrap() + 7];
        let cases: Vec<(String, u16, &str, &str)> = vec![
            (cut.to_string(), 400, "line_items[1].sku", "invalid JSON: EOF while parsing"),
            ("[]".into(), 400, "", "expected a JSON object, found an array"),
            ("webhook_id=12".into(), 400, "", "expected a JSON object"),
            (
                good.replacen("\"currency\": \"USD\"", "\"currency\": \"EUR\"", 1),
                422,
                "currency",
                "the order is in EUR; the program's currency is USD",
            ),
            (good.replacen("\"currency\": \"USD\"", "\"currency\": \"XYZ\"", 1), 422, "currency", "the order is in XYZ"),
            (
                good.replacen("\"subtotal\": \"6.00\"", "\"subtotal\": \"6.005\"", 1),
                422,
                "line_items[0].subtotal",
                "more decimals than USD has",
            ),
            (good.replacen("\"total\": \"12.00\"", "\"total\": \"12.50\"", 1), 422, "line_items[1].total", "more than the line's subtotal"),
            (good.replacen("\"total\": \"6.00\"", "\"total\": \"-6.00\"", 1), 422, "line_items[0].total", "must not be negative"),
            (good.replacen("\"quantity\": 2", "\"quantity\": 2.5", 1), 422, "line_items[0].quantity", "must be a whole number"),
            (
                good.replacen("\"shipping_total\": \"10.00\"", "\"shipping_total\": \"1e1\"", 1),
                422,
                "shipping_total",
                "not a decimal amount",
            ),
            (
                good.replacen("\"date_modified_gmt\": \"2017-03-22T19:28:08\"", "\"date_modified_gmt\": \"22/03/2017\"", 1),
                422,
                "date_modified_gmt",
                "not a time",
            ),
            (good.replacen("\"id\": 727,", "", 1), 422, "id", "is required"),
            (good.replacen("\"status\": \"processing\"", "\"status\": null", 1), 422, "status", "is required"),
        ];
        for (body, status, path, message) in cases {
            let r = deliver(&srv, "order.created", "d-2", &body).await;
            let kind = if status == 400 { "malformed" } else { "invalid" };
            assert_eq!((r.status, r.json()["error"].as_str()), (status, Some(kind)), "{path}: {}", r.body);
            assert_eq!(r.json()["issues"][0]["path"], path, "{}", r.body);
            assert!(r.json()["issues"][0]["message"].as_str().unwrap().contains(message), "{message}: {}", r.body);
        }
        // A refund before its order: refunds on an order that never reached an award status.
        let mut early = update(&good, "on-hold", 1);
        early["refunds"] = json!([{"id": 731, "reason": "", "total": "-5.00"}]);
        let r = deliver(&srv, "order.updated", "d-3", &early.to_string()).await;
        assert_eq!((r.status, r.json()["error"].as_str()), (409, Some("conflict")), "{}", r.body);
        assert!(r.json()["message"].as_str().unwrap().contains("has refunds but was never awarded"), "{}", r.body);
        assert_eq!(written(&srv).await, nothing());
        // ... and once the order is paid, its refund counts.
        let paid = update(&early.to_string(), "processing", 2);
        let r = deliver(&srv, "order.updated", "d-4", &paid.to_string()).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["refunds"][0]["refunded_total"].as_i64(), Some(500 * 1800 / 2935), "{}", r.body);
    })
    .await;
}

#[tokio::test]
async fn issue_11_woocommerce_the_award_statuses_are_the_merchants() {
    each(|k| async move {
        let path = program_file("us-apparel");
        let srv = Srv::start_with(&k, move |s| {
            s.woocommerce_webhook_secret = SECRET.into();
            s.program_path = path.into();
            s.woocommerce_award_statuses = vec!["completed".into()];
        })
        .await;
        let body = fixture("order-727-processing-usd.json");
        let r = deliver(&srv, "order.created", "d-1", &body).await;
        assert!(r.json()["ignored"].as_str().unwrap().contains("(woocommerce_award_statuses: completed)"), "{}", r.body);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM orders").await, 0);
        let r = deliver(&srv, "order.updated", "d-2", &update(&body, "completed", 1).to_string()).await;
        assert!(r.json()["award"]["points"].as_i64().unwrap() > 0, "{}", r.body);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM orders").await, 1);
    })
    .await;
}

/// The referrer's code (they sign up through the API), and their shopper id.
async fn referrer(srv: &Srv, email: &str) -> (String, String) {
    let mut body = srv.signup_body(email).await;
    body["email"] = json!(email);
    assert_eq!(srv.post("/api/signup", &body.to_string(), &[("origin", ORIGIN.to_string())]).await.status, 201);
    let id = srv.text(&format!("SELECT id FROM shoppers WHERE email = '{email}'")).await;
    (srv.shopper(&id).await["referral_code"].as_str().unwrap().to_string(), id)
}

/// A fixture order as a guest's (`customer_id` 0) with these `meta_data` entries and id.
fn with_meta(file: &str, id: i64, email: &str, meta: Value) -> String {
    let mut o: Value = serde_json::from_str(&fixture(file)).unwrap();
    o["id"] = json!(id);
    o["customer_id"] = json!(0);
    o["billing"]["email"] = json!(email);
    o["meta_data"] = meta;
    o.to_string()
}

#[tokio::test]
async fn issue_12_a_rewards_ref_order_meta_attributes_a_guest_order_and_the_guards_hold() {
    each(|k| async move {
        let srv = start(&k, "vn-coffee").await;
        let (code, an) = referrer(&srv, "an.referrer@example.vn").await;
        let (other, _) = referrer(&srv, "chi.other@example.vn").await;
        // The plugin's entry among another plugin's (an object value, which must not break the order).
        let meta = json!([{"id": 9021, "key": "_other_plugin", "value": {"a": [1, 2]}}, {"id": 9022, "key": "rewards_ref", "value": code.to_lowercase()}]);
        let body = with_meta("order-5120-processing-vnd.json", 5120, "binh.guest@example.vn", meta);
        assert_eq!(map::order(body.as_bytes(), currency("VND")).unwrap().referral_code.as_deref(), Some(code.to_lowercase().as_str()));
        let r = deliver(&srv, "order.created", "d-ref-1", &body).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM referrals WHERE source = 'order'").await, 1);
        assert_eq!(srv.shopper(&an).await["pending"], 100, "the referrer's reward, pending with the order");
        // First code wins: the friend's next order with another member's code is refused, nothing credited.
        let meta = json!([{"id": 9031, "key": "rewards_ref", "value": other}]);
        let r = deliver(&srv, "order.created", "d-ref-2", &with_meta("order-5120-processing-vnd.json", 5121, "binh.guest@example.vn", meta)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(srv.text("SELECT reason FROM referral_refusals ORDER BY id DESC LIMIT 1").await, "already_referred");
        // Self-referral: the referrer's own order carrying their own code.
        let meta = json!([{"id": 9041, "key": "rewards_ref", "value": code}]);
        let r = deliver(&srv, "order.created", "d-ref-3", &with_meta("order-5120-processing-vnd.json", 5122, "an.referrer@example.vn", meta)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(srv.text("SELECT reason FROM referral_refusals ORDER BY id DESC LIMIT 1").await, "self_referral");
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM referrals").await, 1);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger WHERE ref LIKE 'referral:%'").await, 1, "one referrer reward");
        // A meta value that is not text is no code: the order is awarded, no referral is tried.
        let meta = json!([{"id": 9051, "key": "rewards_ref", "value": ["ZZZZZZZZ"]}]);
        let body = with_meta("order-5120-processing-vnd.json", 5123, "dung@example.vn", meta);
        assert_eq!(map::order(body.as_bytes(), currency("VND")).unwrap().referral_code, None);
        assert_eq!(deliver(&srv, "order.created", "d-ref-4", &body).await.status, 200);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM referral_refusals").await, 2);
    })
    .await;
}
