//! Issue 12: referrals end to end on the real server (vn-coffee: the
//! friend gets 50 points at signup, the referrer 100 with the friend's
//! first qualifying order, pending 7 days like that order).

use crate::harness::*;
use serde_json::{json, Value};

/// A signup through the API (its answer is the same for every address),
/// and what it did as the tests read it: `id`, the shopper it made or
/// found (read with a merchant-signed token, `state`); `referral`, the referral it recorded
/// (`{"status":"recorded"}`) or refused (`{"reason": …}`), if any.
async fn signup_with(srv: &Srv, email: &str, code: Option<&str>) -> Value {
    let mut body = srv.signup_body(email).await;
    if let Some(c) = code {
        body["referral_code"] = json!(c);
    }
    let refusals = srv.scalar("SELECT COUNT(*) FROM referral_refusals").await;
    let recorded = srv.scalar("SELECT COUNT(*) FROM referrals").await;
    let r = srv.post("/api/signup", &body.to_string(), &[("origin", ORIGIN.to_string())]).await;
    assert_eq!((r.status, r.body.as_str()), (201, r#"{"ok":true}"#));
    let email = email.trim().to_lowercase();
    let id = srv.text(&format!("SELECT id FROM shoppers WHERE email = '{}'", email.replace('\'', "''"))).await;
    let mut out = json!({"id": id});
    if srv.scalar("SELECT COUNT(*) FROM referral_refusals").await > refusals {
        let reason = srv.text("SELECT reason FROM referral_refusals ORDER BY id DESC LIMIT 1").await;
        out["referral"] = json!({"reason": reason});
    } else if srv.scalar("SELECT COUNT(*) FROM referrals").await > recorded {
        out["referral"] = json!({"status": "recorded"});
    }
    out
}

/// The shopper `id` through GET /api/shopper, with a token signed now.
async fn state(srv: &Srv, id: &Value) -> Value {
    let r = srv.get("/api/shopper", &srv.bearer(id.as_str().unwrap())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

async fn admin(srv: &Srv) -> Value {
    let r = srv.get("/admin/referrals.json", &[("authorization", format!("Bearer {ADMIN}"))]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

async fn order_by_email(srv: &Srv, order_id: &str, email: &str, c: &Value, code: Option<&str>) -> Value {
    let mut body = json!({"order_id": order_id, "customer": {"email": email}, "cart": c});
    if let Some(code) = code {
        body["referral_code"] = json!(code);
    }
    let r = srv.hook("/api/webhooks/orders", &body.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn issue_12_a_referred_friend_signs_up_orders_and_a_half_refund_halves_the_referrers_reward() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        let an = signup_with(&srv, "an.nguyen@gmail.com", None).await;
        let code = state(&srv, &an["id"]).await["referral_code"].as_str().unwrap().to_string();
        assert_eq!(rewards_core::referral::normalise_code(&code).as_deref(), Some(code.as_str()), "{code}");
        // Stable: the same code on every read.
        assert_eq!(state(&srv, &an["id"]).await["referral_code"], code.as_str());

        // The friend types it in lower case with a hyphen: one referral, 50 points now.
        let typed = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
        let binh = signup_with(&srv, "binh@example.vn", Some(&typed)).await;
        assert_eq!(binh["referral"], json!({"status": "recorded"}));
        let b = state(&srv, &binh["id"]).await;
        assert_eq!(b["balance"], 100, "signup 50 + friend 50");

        // First order 355,000 ₫: 35 + 30 first-order bonus = 65 points pending; the referrer's 100 pending with it.
        let c = cart(&[("Cà phê", 45_000, 3), ("Hạt", 220_000, 1)]);
        assert_eq!(order_by_email(&srv, "o-1", "binh@example.vn", &c, None).await["points"], 65);
        let a = state(&srv, &an["id"]).await;
        assert_eq!((a["balance"].as_i64(), a["pending"].as_i64()), (Some(50), Some(100)));
        // A second order pays the referrer nothing more.
        order_by_email(&srv, "o-2", "binh@example.vn", &cart(&[("Cà phê", 45_000, 1)]), None).await;
        assert_eq!(state(&srv, &an["id"]).await["pending"], 100);

        // Half of o-1 refunded while pending: ⌊100 × 177,500 / 355,000⌋ = 50 of the referrer's cancelled.
        let r = srv.refund("r-1", "o-1", Some(177_500)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(state(&srv, &an["id"]).await["pending"], 50);
        srv.app.clock.advance(8 * DAY);
        let a = state(&srv, &an["id"]).await;
        assert_eq!((a["balance"].as_i64(), a["pending"].as_i64()), (Some(100), Some(0)), "signup 50 + half the reward");
        // The ledger entries the journey wrote for the referrer.
        let entries = srv.scalar("SELECT COUNT(*) FROM ledger WHERE ref LIKE 'referral:%' OR ref LIKE '%:referral-referrer'").await;
        assert_eq!(entries, 2);

        // After payout, the rest refunded: the remaining 50 is reversed from the spendable balance.
        srv.refund("r-2", "o-1", None).await;
        assert_eq!(state(&srv, &an["id"]).await["balance"], 50);

        let rep = admin(&srv).await;
        assert_eq!(rep["referred_signups"], 1);
        assert_eq!(rep["referred_orders"], 2);
        assert_eq!(rep["referred_revenue"], 45_000, "o-1 wholly refunded, o-2 kept");
        assert_eq!(rep["rewards_paid"]["referrer_points"], 0, "100 credited, 100 reversed");
        assert_eq!(rep["rewards_paid"]["friend_points"], 50);
        assert_eq!(rep["top_referrers"][0]["code"], code.as_str());
        let csv = srv.get("/admin/export/referrals.csv", &[("authorization", format!("Bearer {ADMIN}"))]).await;
        assert_eq!(csv.status, 200);
        assert_eq!(csv.body.lines().count(), 2, "{}", csv.body);
        assert!(csv.body.contains(&format!("\"{code}\",\"signup\",\"o-1\",\"100\",\"0\"")), "{}", csv.body);
    })
    .await;
}

#[tokio::test]
async fn issue_12_every_guard_refuses_with_its_reason_and_credits_nothing() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        let an = signup_with(&srv, "An.Nguyen@gmail.com", None).await;
        let code = state(&srv, &an["id"]).await["referral_code"].as_str().unwrap().to_string();
        let refused = |v: &Value| v["referral"]["reason"].as_str().map(str::to_string);
        // Self-referral through a Gmail alias (case, dots, +tag): the signup stands, the referral does not.
        let again = signup_with(&srv, " a.n.nguyen+2@googlemail.com", Some(&code)).await;
        assert_eq!(refused(&again).as_deref(), Some("self_referral"));
        assert_eq!(state(&srv, &again["id"]).await["balance"], 50, "the signup bonus only");
        // Unknown and malformed codes.
        assert_eq!(refused(&signup_with(&srv, "c@example.vn", Some("ZZZZZZZZ")).await).as_deref(), Some("unknown_code"));
        assert_eq!(refused(&signup_with(&srv, "d@example.vn", Some("<b>hi</b>")).await).as_deref(), Some("unknown_code"));
        // A customer known from an order before the code came: refused (the
        // answer to an address the program knows says nothing; the admin sees it).
        order_by_email(&srv, "o-e", "e@example.vn", &cart(&[("Cà phê", 45_000, 1)]), None).await;
        assert_eq!(refused(&signup_with(&srv, "e@example.vn", Some(&code)).await).as_deref(), Some("existing_customer"));
        // One referrer per friend: a second code on the friend's order is refused.
        let binh = signup_with(&srv, "binh@example.vn", Some(&code)).await;
        assert_eq!(binh["referral"]["status"], "recorded");
        let binh_code = state(&srv, &binh["id"]).await["referral_code"].as_str().unwrap().to_string();
        let chi = signup_with(&srv, "chi@example.vn", Some(&binh_code)).await;
        assert_eq!(chi["referral"]["status"], "recorded");
        order_by_email(&srv, "o-c", "chi@example.vn", &cart(&[("Cà phê", 45_000, 1)]), Some(&code)).await;
        // Nothing credited for any refusal; the report counts each reason.
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM referrals").await, 2);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger WHERE ref LIKE 'referral%'").await, 2, "binh's and chi's friend points");
        let rep = admin(&srv).await;
        assert_eq!(rep["refusals"], json!({"already_referred": 1, "existing_customer": 1, "self_referral": 1, "unknown_code": 2}));
        // A known address signing up again with a code: nothing recorded or refused anew.
        let known = signup_with(&srv, "binh@example.vn", Some(&code)).await;
        assert_eq!(known.get("referral"), None);
    })
    .await;
}

/// The store's own discount codes on orders (well-formed as codes, owned by
/// no member) are neither referrals nor refusals: before the fix every such
/// order wrote an `unknown_code` refusal (or `already_referred` on a
/// referred friend), filling the referral report with the store's promotions.
#[tokio::test]
async fn issue_12_store_discount_codes_on_orders_are_not_referral_refusals() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        assert!(rewards_core::referral::normalise_code("FREESHIP").is_some(), "a code-shaped discount, or the test proves nothing");
        let an = signup_with(&srv, "an@example.vn", None).await;
        let code = state(&srv, &an["id"]).await["referral_code"].as_str().unwrap().to_string();
        let binh = signup_with(&srv, "binh@example.vn", Some(&code)).await;
        assert_eq!(binh["referral"]["status"], "recorded");
        let hook = |order: &str, email: &str, codes: &[&str]| {
            json!({"order_id": order, "customer": {"email": email}, "cart": cart(&[("Hạt", 220_000, 1)]), "discount_codes": codes})
                .to_string()
        };
        for (order, email) in [("d-1", "guest@example.vn"), ("d-2", "binh@example.vn")] {
            let r = srv.hook("/api/webhooks/orders", &hook(order, email, &["FREESHIP", "WELCOME1", "SUMMER24"])).await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM referral_refusals").await, 0);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM referrals").await, 1, "binh's only");
        // A member's code among the store's: still attributed (a new guest) or refused (binh, already referred).
        let r = srv.hook("/api/webhooks/orders", &hook("d-3", "chi@example.vn", &["FREESHIP", &code.to_lowercase()])).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM referrals WHERE source = 'order'").await, 1);
        let binh_code = state(&srv, &binh["id"]).await["referral_code"].as_str().unwrap().to_string();
        let r = srv.hook("/api/webhooks/orders", &hook("d-4", "binh@example.vn", &["WELCOME1", &binh_code])).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(admin(&srv).await["refusals"], json!({"already_referred": 1}));
    })
    .await;
}

#[tokio::test]
async fn issue_12_a_guest_checkout_carrying_the_code_is_attributed_and_a_cancellation_pays_nothing() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        let an = signup_with(&srv, "an@example.vn", None).await;
        let code = state(&srv, &an["id"]).await["referral_code"].as_str().unwrap().to_string();
        // A guest with only an email, the code as a discount code on the order.
        let body = json!({"order_id": "g-1", "customer": {"email": "guest@example.vn"}, "cart": cart(&[("Hạt", 220_000, 1)]), "discount_codes": [code.to_lowercase()]});
        let r = srv.hook("/api/webhooks/orders", &body.to_string()).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM referrals WHERE source = 'order'").await, 1);
        assert_eq!(state(&srv, &an["id"]).await["pending"], 100);
        // Cancelled before it became spendable: the referrer's pending reward is cancelled with it.
        srv.refund("g-1-cancel", "g-1", None).await;
        srv.app.clock.advance(8 * DAY);
        let a = state(&srv, &an["id"]).await;
        assert_eq!((a["balance"].as_i64(), a["pending"].as_i64()), (Some(50), Some(0)));
    })
    .await;
}

#[tokio::test]
async fn issue_12_the_referrer_cap_pays_at_most_its_rewards_in_any_window_and_says_why_for_the_rest() {
    each(|k| async move {
        // vn-coffee with a cap of 2 referrer rewards in any 30 days.
        let mut program: Value = serde_json::from_str(&std::fs::read_to_string(program_path()).unwrap()).unwrap();
        program["referral"]["referrer_cap"] = json!({"rewards": 2, "days": 30});
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("program.json");
        std::fs::write(&path, program.to_string()).unwrap();
        let srv = Srv::start_with(&k, |s| s.program_path = path.clone()).await;
        let an = signup_with(&srv, "an@example.vn", None).await;
        let code = state(&srv, &an["id"]).await["referral_code"].as_str().unwrap().to_string();
        let referrer_credits = || srv.scalar("SELECT COUNT(*) FROM ledger WHERE ref LIKE 'referral:%'");
        // Three friends order on days 0, 1 and 2: two rewards, the third refused for the cap.
        for (i, friend) in ["b@example.vn", "c@example.vn", "d@example.vn"].iter().enumerate() {
            assert_eq!(signup_with(&srv, friend, Some(&code)).await["referral"]["status"], "recorded");
            order_by_email(&srv, &format!("cap-{i}"), friend, &cart(&[("Cà phê", 100_000, 1)]), None).await;
            srv.app.clock.advance(DAY);
        }
        assert_eq!(referrer_credits().await, 2);
        assert_eq!(srv.text("SELECT reason FROM referral_refusals ORDER BY id DESC LIMIT 1").await, "referrer_cap");
        assert_eq!(
            srv.scalar("SELECT COUNT(*) FROM referral_rewards WHERE referrer_points = 0").await,
            1,
            "the third friend's order pays the referrer nothing"
        );
        assert_eq!(
            srv.scalar("SELECT COUNT(*) FROM ledger WHERE ref LIKE 'referral-friend:%'").await,
            3,
            "every friend still gets their own reward"
        );
        // The window is the 30 days up to the order: an hour past day 30, the
        // day-0 reward has left it (day 1's has not), so the next friend pays again.
        srv.app.clock.advance(27 * DAY + DAY / 24); // now day 30, 01:00
        assert_eq!(signup_with(&srv, "e@example.vn", Some(&code)).await["referral"]["status"], "recorded");
        order_by_email(&srv, "cap-3", "e@example.vn", &cart(&[("Cà phê", 100_000, 1)]), None).await;
        assert_eq!(referrer_credits().await, 3);
        // And the window is full again (day 1 and now): the fifth friend is refused.
        assert_eq!(signup_with(&srv, "f@example.vn", Some(&code)).await["referral"]["status"], "recorded");
        order_by_email(&srv, "cap-4", "f@example.vn", &cart(&[("Cà phê", 100_000, 1)]), None).await;
        assert_eq!(referrer_credits().await, 3);
        assert_eq!(admin(&srv).await["refusals"], json!({"referrer_cap": 2}));
    })
    .await;
}
