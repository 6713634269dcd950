use crate::harness::*;
use rewards_server::token;

#[tokio::test]
async fn tampered_expired_and_foreign_tokens_are_refused() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        assert_eq!(srv.order("o-1", "alice", &cart(&[("Cà phê", 45_000, 2)])).await.status, 200);
        assert_eq!(srv.order("o-2", "bob", &cart(&[("Cà phê", 45_000, 10)])).await.status, 200);
        let alice = srv.shopper("alice").await;
        let bob = srv.shopper("bob").await;
        assert_ne!(alice["shopper_id"], bob["shopper_id"]);
        assert_eq!(alice["pending"], 39); // 90,000 ₫ → 9 points + 30 first-order bonus

        let now_s = srv.now() / 1000;
        let good = token::sign(MERCHANT, "alice", now_s + 60);
        let (head, sig) = good.rsplit_once('.').unwrap();
        let bob_head = token::sign(MERCHANT, "bob", now_s + 60).rsplit_once('.').unwrap().0.to_string();
        let cases = [
            (format!("{bob_head}.{sig}"), "signature"), // alice's signature on bob's id
            (format!("{}.{sig}", head.replace(&format!(".{}", now_s + 60), &format!(".{}", now_s + 99_999))), "signature"),
            (token::sign("another-secret-0123456789", "alice", now_s + 60), "signature"),
            (token::sign(MERCHANT, "alice", now_s - 1), "expired"),
            (format!("{head}.{}", &sig[..10]), "malformed"), // a MAC is 64 lower-case hex digits
            (format!("{head}.{}", sig.to_uppercase()), "malformed"),
            ("garbage".to_string(), "malformed"),
        ];
        for (t, why) in cases {
            let r = srv.get("/api/shopper", &[("authorization", format!("Bearer {t}"))]).await;
            assert_eq!(r.status, 401, "{why}: {}", r.body);
            assert!(r.json()["message"].as_str().unwrap().contains(why), "{why}: {}", r.body);
        }
        let r = srv.get("/api/shopper", &[]).await;
        assert_eq!(r.status, 401);
        let r = srv.get("/api/shopper", &[("authorization", format!("Basic {good}"))]).await;
        assert_eq!(r.status, 401);
        // Each valid token reads only its own shopper.
        assert_eq!(srv.shopper("alice").await["shopper_id"], alice["shopper_id"]);
        let stranger = srv.shopper("carol").await;
        assert!(stranger["shopper_id"].is_null());
        assert_eq!(stranger["balance"], 0);
    })
    .await;
}

#[tokio::test]
async fn issue_14_a_signup_lends_no_token_and_a_server_id_reads_only_until_a_customer_is_linked() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        assert_eq!(srv.signup("linh@example.com").await.body, r#"{"ok":true}"#);
        let id: String = srv.text("SELECT id FROM shoppers WHERE email = 'linh@example.com'").await;
        // The merchant's backend may sign a token for the server's id of a shopper it has not linked.
        let auth = srv.bearer(&id);
        assert_eq!(srv.get("/api/shopper", &auth).await.json()["balance"], 50);
        // Once the merchant's order links a customer id to that email, only the customer's token reads it.
        let body = serde_json::json!({"order_id": "o-9", "customer": {"id": "c-9", "email": "Linh@example.com"}, "cart": cart(&[("Cà phê", 100_000, 1)])});
        assert_eq!(srv.hook("/api/webhooks/orders", &body.to_string()).await.status, 200);
        let linked = srv.shopper("c-9").await;
        assert_eq!(linked["shopper_id"], id.as_str());
        assert_eq!(linked["balance"], 50);
        let after = srv.get("/api/shopper", &auth).await.json();
        assert!(after["shopper_id"].is_null(), "{after}");
    })
    .await;
}

#[tokio::test]
async fn the_preview_fallback_returns_the_engines_exact_bytes() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        assert_eq!(srv.order("o-1", "alice", &cart(&[("Cà phê", 45_000, 3)])).await.status, 200);
        let engine = rewards_core::Engine::new(&std::fs::read_to_string(program_path()).unwrap()).unwrap();
        let now = srv.now();
        let c = cart(&[("Cà phê", 45_000, 2), ("Bánh", 35_000, 1)]).to_string();
        let guest = r#"{"member":true,"balance":1200,"period_spend":2500000}"#;
        let cases: Vec<(&str, String, String)> = vec![
            ("preview", format!(r#"{{"shopper":{guest},"input":{c}}}"#), rewards_core::respond(engine.preview(guest, &c, now))),
            ("quote", format!(r#"{{"shopper":{guest},"input":{c}}}"#), rewards_core::respond(engine.quote(guest, &c, now))),
            ("tier_progress", format!(r#"{{"shopper":{guest}}}"#), rewards_core::respond(engine.tier_progress(guest, None, now))),
            ("punch_card", format!(r#"{{"input":{c}}}"#), rewards_core::respond(engine.punch_card("", Some(&c), now))),
            ("redemptions", format!(r#"{{"shopper":{guest},"input":{c}}}"#), rewards_core::respond(engine.redemptions(guest, &c, now))),
            ("explainer", "{}".into(), rewards_core::respond(engine.explainer("", now))),
            ("actions", format!(r#"{{"shopper":{guest}}}"#), rewards_core::respond(engine.actions(guest, now))),
            (
                "product_points",
                r#"{"input":{"quantity":1,"unit_price":45000}}"#.into(),
                rewards_core::respond(engine.product_points("", r#"{"quantity":1,"unit_price":45000}"#, now)),
            ),
            (
                "popup_decision",
                r#"{"input":{"path":"/","pages_viewed":1,"product_views":0,"trigger":"exit_intent"}}"#.into(),
                rewards_core::respond(engine.popup_decision(
                    "",
                    r#"{"path":"/","pages_viewed":1,"product_views":0,"trigger":"exit_intent"}"#,
                    now,
                )),
            ),
            (
                "preview",
                r#"{"input":{"currency":"USD","lines":[]}}"#.into(),
                rewards_core::respond(engine.preview("", r#"{"currency":"USD","lines":[]}"#, now)),
            ),
        ];
        for (op, body, expected) in cases {
            let r = srv.post(&format!("/api/engine/{op}"), &body, &[]).await;
            assert_eq!(r.body, expected, "{op}");
            assert_eq!(r.status, if expected.starts_with("{\"error\"") { 422 } else { 200 }, "{op}");
        }
        // With a token the server fills the shopper from the ledger.
        let me = srv.core_shopper("alice").await;
        let r = srv.post("/api/engine/preview", &format!(r#"{{"input":{c}}}"#), &srv.bearer("alice")).await;
        assert_eq!(r.body, rewards_core::respond(engine.preview(&me, &c, now)));
        assert_eq!(srv.post("/api/engine/steal", "{}", &[]).await.status, 404);
        assert_eq!(srv.post("/api/engine/preview", r#"{"input":{},"admin":true}"#, &[]).await.status, 422);
    })
    .await;
}
