use crate::harness::*;
use sha2::{Digest, Sha256};

#[tokio::test]
async fn signup_is_validated_idempotent_and_credits_the_bonus_once() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        let r = srv.signup("  Lan.Nguyen@Example.com ").await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body, r#"{"ok":true}"#);

        // The store's signed-in customer with that email reads the bonus (linked by an order).
        let order = serde_json::json!({"order_id": "o-1", "customer": {"id": "c-1", "email": "lan.nguyen@example.com"}, "cart": cart(&[("Cà phê", 45_000, 1)])});
        assert_eq!(srv.hook("/api/webhooks/orders", &order.to_string()).await.status, 200);
        let me = srv.shopper("c-1").await;
        assert_eq!(me["email"], "lan.nguyen@example.com");
        assert_eq!((me["member"].clone(), me["signed_up"].clone()), (true.into(), true.into()));
        assert_eq!(me["rewarded_actions"][0]["id"], "signup");
        let id = me["shopper_id"].as_str().unwrap().to_string();

        // Same address, other spelling: same shopper, no second bonus, the same answer.
        let again = srv.signup("LAN.NGUYEN@example.com").await;
        assert_eq!(again.status, 201, "{}", again.body);
        assert_eq!(again.body, r.body);
        assert!(!again.body.contains(&id));
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM shoppers").await, 1);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger WHERE cause = 'action'").await, 1, "one signup bonus");

        // Consent: exact wording, its SHA-256, version, time, locale, page, per submission (append-only).
        let csv = srv.get("/admin/export/signups.csv", &[("authorization", format!("Bearer {ADMIN}"))]).await;
        assert_eq!(csv.status, 200);
        let text = "Tôi đồng ý nhận email về ưu đãi và sản phẩm mới từ Cà Phê Phố Cổ.";
        let hash = hex::encode(Sha256::digest(text.as_bytes()));
        assert_eq!(csv.body.matches(&hash).count(), 2, "{}", csv.body);
        assert!(csv.body.contains(",email-marketing,1,true,2026-11-22T10:00:00Z,"), "{}", csv.body);
        assert!(csv.body.contains("https://shop.example/products/ca-phe"));
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM consents").await, 2);
    })
    .await;
}

#[tokio::test]
async fn issue_14_a_known_address_gets_the_byte_identical_answer_of_a_new_signup() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        let new = srv.signup("new@example.com").await;
        assert_eq!((new.status, new.body.as_str()), (201, r#"{"ok":true}"#));

        // A member's address typed on another device: the same bytes, nothing about them.
        let member = srv.signup("lan@example.com").await;
        let again = srv.signup("lan@example.com").await;
        assert_eq!((again.status, &again.body), (new.status, &new.body));
        assert_eq!(member.body, new.body);

        // A customer the store knew from an order joins: the bonus is theirs (once), the answer the same.
        let order = serde_json::json!({"order_id": "o-1", "customer": {"id": "c-9", "email": "hoa@example.com"}, "cart": cart(&[("Cà phê", 45_000, 2)])});
        assert_eq!(srv.hook("/api/webhooks/orders", &order.to_string()).await.status, 200);
        for _ in 0..2 {
            let r = srv.signup("Hoa@Example.com").await;
            assert_eq!((r.status, &r.body), (new.status, &new.body));
        }
        let hoa = srv.shopper("c-9").await;
        assert_eq!(hoa["signed_up"], true);
        let signups = hoa["rewarded_actions"].as_array().unwrap().iter().filter(|a| a["id"] == "signup").count();
        assert_eq!(signups, 1, "{hoa}");
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM actions_rewarded WHERE action_id = 'signup'").await, 3, "one signup bonus each for new, lan and hoa");
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM shoppers").await, 3, "no duplicate shopper");
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM shoppers WHERE signed_up_at IS NOT NULL").await, 3);
    })
    .await;
}

#[tokio::test]
async fn spam_and_malformed_signups_are_refused_and_write_nothing() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        let base = srv.signup_body("a@example.com").await;
        let cases: Vec<(serde_json::Value, &str)> = vec![
            (serde_json::json!({"hp": "http://spam"}), "hp"),
            (serde_json::json!({"started_at": srv.now() - 200}), "started_at"),
            (serde_json::json!({"email": "not-an-email"}), "email"),
            (serde_json::json!({"birthday": "2030-01-01"}), "birthday"),
            (serde_json::json!({"page_url": "javascript:alert(1)"}), "page_url"),
            (
                serde_json::json!({"consents": [{"id": "email-marketing", "version": 1, "granted": true, "text": "I agree to anything"}]}),
                "consents[0].text",
            ),
            (serde_json::json!({"consents": [{"id": "sell-my-data", "version": 1, "granted": true, "text": "x"}]}), "consents[0].id"),
            (
                serde_json::json!({"consents": [{"id": "email-marketing", "version": 2, "granted": true, "text": "x"}]}),
                "consents[0].version",
            ),
            (serde_json::json!({"colour": "red"}), "colour"),
        ];
        for (patch, path) in cases {
            let mut body = base.clone();
            for (k, v) in patch.as_object().unwrap() {
                body[k] = v.clone();
            }
            let r = srv.post("/api/signup", &body.to_string(), &[]).await;
            assert_eq!(r.status, 422, "{path}: {}", r.body);
            let v = r.json();
            assert_eq!(v["error"], "invalid");
            assert!(v["issues"].as_array().unwrap().iter().any(|i| i["path"] == path), "{path}: {}", r.body);
        }
        for bad in ["", "[1,2]", "{\"email\":", "\u{0}"] {
            let r = srv.post("/api/signup", bad, &[]).await;
            assert_eq!(r.status, 422, "{bad:?}: {}", r.body);
        }
        let huge = format!("{{\"email\":\"{}@example.com\"}}", "a".repeat(70 * 1024));
        let r = srv.post("/api/signup", &huge, &[]).await;
        assert_eq!(r.status, 413, "{}", r.body);
        assert_eq!(r.json()["error"], "too_large");
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM shoppers").await, 0);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM consents").await, 0);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger").await, 0);
    })
    .await;
}

#[tokio::test]
async fn signups_are_rate_limited_per_client_and_cors_is_limited_to_allowed_origins() {
    each(|k| async move {
        let srv = Srv::start_with(&k, |s| s.signup_rate_max = 3).await;
        for i in 0..3 {
            assert_eq!(srv.signup(&format!("r{i}@example.com")).await.status, 201);
        }
        let r = srv.signup("r9@example.com").await;
        assert_eq!(r.status, 429, "{}", r.body);
        assert_eq!(r.json()["error"], "rate_limited");

        let srv = &srv;
        let pre = |origin: &str| {
            let o = origin.to_string();
            async move {
                srv.req(
                    "OPTIONS",
                    "/api/signup",
                    None,
                    &[
                        ("origin", o),
                        ("access-control-request-method", "POST".into()),
                        ("access-control-request-headers", "content-type".into()),
                    ],
                )
                .await
            }
        };
        let ok = pre(ORIGIN).await;
        assert_eq!(ok.headers.get("access-control-allow-origin").map(|v| v.to_str().unwrap()), Some(ORIGIN));
        let evil = pre("https://evil.example").await;
        assert!(evil.headers.get("access-control-allow-origin").is_none());
        // A write from a foreign origin is refused outright, before anything is read.
        let body = srv.signup_body("evil@example.com").await.to_string();
        let r = srv.post("/api/signup", &body, &[("origin", "https://evil.example".into())]).await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM shoppers WHERE email = 'evil@example.com'").await, 0);
    })
    .await;
}
