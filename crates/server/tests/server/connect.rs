//! Issue 11, part 4: the console's "Connect your store" page and the
//! delivery log behind it. Refused deliveries write nothing of the
//! delivery and appear with the status and error their sender got;
//! accepted ones are counted by topic; the page gives the URLs to paste
//! and the theme snippet with this server's URL.

use rewards_server::http::console::html::escape;
use rewards_server::http::deliveries::RECORDED_PER_MINUTE;
use rewards_server::http::webhooks::shopify;

use crate::console::{users, Browser, OWNER, PASSWORD, STAFF};
use crate::harness::*;

const SECRET: &str = "test-shopify-signing-secret-0123456789abcdef";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/shopify/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

async fn shopify_post(srv: &Srv, topic: &str, id: &str, body: &str, signature: String) -> Resp {
    let h = [("x-shopify-hmac-sha256", signature), ("x-shopify-topic", topic.to_string()), ("x-shopify-webhook-id", id.to_string())];
    srv.post("/api/webhooks/shopify", body, &h).await
}

async fn deliver(srv: &Srv, topic: &str, id: &str, body: &str) -> Resp {
    shopify_post(srv, topic, id, body, shopify::signature(SECRET, body.as_bytes())).await
}

/// Refusals are recorded off the answer's path: wait until `n` are.
async fn recorded(srv: &Srv, n: i64) {
    for _ in 0..100 {
        if srv.scalar("SELECT COUNT(*) FROM webhook_refusals").await >= n {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("{} refusals recorded, expected {n}", srv.scalar("SELECT COUNT(*) FROM webhook_refusals").await);
}

#[tokio::test]
async fn issue_11_refused_deliveries_are_logged_with_the_error_sent_and_shown_on_connect_your_store() {
    each(|k| async move {
        let program = format!("{}/../../tests/fixtures/programs/vn-coffee.json", env!("CARGO_MANIFEST_DIR"));
        let srv = Srv::start_with(&k, move |s| {
            s.shopify_webhook_secret = SECRET.into();
            s.program_path = program.into();
        })
        .await;
        users(&srv).await;

        let order = fixture("orders-paid-vnd.json");
        assert_eq!(deliver(&srv, "orders/paid", "wh-ok", &order).await.status, 200);
        let before = [srv.scalar("SELECT COUNT(*) FROM orders").await, srv.scalar("SELECT COUNT(*) FROM ledger").await];

        // Four refusals of different kinds, each answered with its error.
        let forged = shopify_post(&srv, "orders/paid", "wh-forged", &order, "bm90IHRoZSBzaWduYXR1cmU=".into()).await;
        assert_eq!(forged.status, 401, "{}", forged.body);
        let unknown = deliver(&srv, "<script>products/update</script>", "wh-topic", "{}").await;
        assert_eq!(unknown.status, 400, "{}", unknown.body);
        let broken = deliver(&srv, "orders/paid", "wh-json", r#"{"id": 1, "line_items": ["#).await;
        assert!((400..500).contains(&broken.status), "{}", broken.body);
        let woo = srv.post("/api/webhooks/woocommerce", "{}", &[("x-wc-webhook-topic", "order.created".into())]).await;
        assert_eq!(woo.status, 503, "no WooCommerce secret on this server: {}", woo.body);
        let own = srv.post("/api/webhooks/orders", "{}", &[]).await;
        assert_eq!(own.status, 401, "{}", own.body);
        recorded(&srv, 5).await;

        // Nothing of a refused delivery was written.
        let after = [srv.scalar("SELECT COUNT(*) FROM orders").await, srv.scalar("SELECT COUNT(*) FROM ledger").await];
        assert_eq!(after, before);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM webhook_refusals WHERE route = 'shopify'").await, 3);
        let statuses = srv.scalar("SELECT COUNT(*) FROM webhook_refusals WHERE route = 'shopify' AND status IN (400, 401)").await;
        assert_eq!(statuses, if broken.status == 400 { 3 } else { 2 });

        // The owner's page: URLs with this server's address, the topics, what arrived, what was refused and why.
        let mut b = Browser::new(&srv);
        assert_eq!(b.sign_in(OWNER, PASSWORD).await.status, 303);
        let page = b.get("/console/connect").await;
        assert_eq!(page.status, 200, "{}", page.body);
        let base = format!("{}/", srv.base);
        assert!(page.body.contains(&format!("<code>{base}api/webhooks/shopify</code>")), "{}", page.body);
        assert!(page.body.contains(&format!("<code>{base}api/webhooks/woocommerce</code>")));
        assert!(page.body.contains("orders/paid, refunds/create, orders/cancelled, customers/create"));
        assert!(page.body.contains(&escape(&format!("{{% render 'rewards-widget', base_url: '{base}' %}}"))));
        assert!(page.body.contains(&escape(include_str!("../../../../integrations/shopify/snippets/rewards-widget.liquid"))));
        assert!(page.body.contains("Khóa ký đã được cài trên máy chủ này."), "Shopify's secret is set");
        assert!(page.body.contains("woocommerce_webhook_secret"), "WooCommerce's is not, and the page names the setting");
        assert!(
            page.body.contains("<td data-label=\"Chủ đề\">orders/paid</td><td data-label=\"Số lần gửi\">1</td>"),
            "the accepted delivery, counted by topic"
        );
        for refused in [&forged, &unknown, &broken, &woo, &own] {
            let message = refused.json()["message"].as_str().unwrap().to_string();
            assert!(page.body.contains(&escape(&message)), "the error sent is shown: {message}");
        }
        assert!(page.body.contains("wh-forged") && page.body.contains("wh-json"));
        assert!(!page.body.contains("<script>") && page.body.contains("&lt;script&gt;products/update"), "the sender's topic is escaped");
        assert!(page.headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));

        // Staff see members, not the store's connection.
        let mut staff = Browser::new(&srv);
        assert_eq!(staff.sign_in(STAFF, PASSWORD).await.status, 303);
        assert_eq!(staff.get("/console/connect").await.status, 403);
    })
    .await;
}

#[tokio::test]
async fn issue_11_a_flood_of_refused_deliveries_is_recorded_at_a_bounded_rate_and_counted() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        users(&srv).await;
        let extra = 15;
        for i in 0..i64::from(RECORDED_PER_MINUTE) + extra {
            assert_eq!(srv.post("/api/webhooks/orders", "{}", &[("x-shopify-webhook-id", format!("flood-{i}"))]).await.status, 401);
        }
        recorded(&srv, i64::from(RECORDED_PER_MINUTE)).await;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM webhook_refusals").await, i64::from(RECORDED_PER_MINUTE));
        assert_eq!(srv.app.delivery_log.unrecorded(), extra as u64);
        let mut b = Browser::new(&srv);
        b.sign_in(OWNER, PASSWORD).await;
        let page = b.get("/console/connect").await;
        assert!(page.body.contains(&format!("Còn {extra} lần gửi bị từ chối")), "{}", page.body);
    })
    .await;
}
