//! Issue 12 part 4: the shopper's own activity, paged, in plain words in
//! their language, for the token's shopper only.

use crate::harness::*;
use serde_json::Value;

async fn page(srv: &Srv, customer: &str, query: &str) -> Value {
    let r = srv.get(&format!("/api/shopper/activity{query}"), &srv.bearer(customer)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn issue_12_the_activity_pages_newest_first_in_the_shoppers_words_with_pending_and_expiry() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        let c = cart(&[("Cà phê", 45_000, 3), ("Hạt", 220_000, 1)]); // 65 points, pending 7 days
        srv.order("o-1", "alice", &c).await;
        srv.refund("r-1", "o-1", Some(100_000)).await; // −18, pending
                                                       // Issue 14: the pending order's points become spendable later; its refund took 18 back at once ("Spendable from" under a debit is untrue).
        let pending = page(&srv, "alice", "?lang=en").await;
        assert!(pending["entries"][1]["spendable_at"].is_string(), "o-1 is pending: {pending}");
        assert_eq!(pending["entries"][0]["spendable_at"], Value::Null, "the refund: {pending}");
        srv.app.clock.advance(8 * DAY);
        let o2 = srv.order("o-2", "alice", &cart(&[("Cà phê", 45_000, 2)])).await.json()["points"].as_i64().unwrap();
        assert!(o2 > 0);
        srv.order("o-x", "bob", &c).await; // someone else's: never listed
        let p1 = page(&srv, "alice", "?limit=2&lang=en").await;
        let texts: Vec<&str> = p1["entries"].as_array().unwrap().iter().map(|e| e["text"].as_str().unwrap()).collect();
        assert_eq!(texts, [format!("+{o2} points — order o-2").as_str(), "−18 points — refund of order o-1"]);
        assert!(p1["entries"][0]["spendable_at"].is_string(), "o-2 is pending: {p1}");
        assert_eq!(p1["entries"][1]["spendable_at"], Value::Null);
        let next = p1["next_before"].as_i64().expect("a second page");
        let p2 = page(&srv, "alice", &format!("?limit=2&lang=vi&before={next}")).await;
        let texts: Vec<&str> = p2["entries"].as_array().unwrap().iter().map(|e| e["text"].as_str().unwrap()).collect();
        assert_eq!(texts, ["+65 điểm — đơn hàng o-1"]);
        assert_eq!(p2["next_before"], Value::Null);
        // Spendable points expire after 12 months without activity (vn-coffee).
        assert_eq!(p1["expiring"]["points"], 47);
        assert!(p1["expiring"]["at"].as_str().unwrap().starts_with("2027-11-30"), "{}", p1["expiring"]);
        assert_eq!(srv.get("/api/shopper/activity", &[]).await.status, 401);
        assert_eq!(srv.get("/api/shopper/activity?limit=0", &srv.bearer("alice")).await.status, 422);
    })
    .await;
}
