//! Issue 12 part 2: the birthday gift arrives on the day in the store's
//! time zone (vn-coffee: Asia/Ho_Chi_Minh, UTC+7; 100 points; 30 days'
//! notice), by a read of the shopper or by `tick`, once per local year.

use crate::harness::*;
use rewards_core::time::parse_instant;
use serde_json::{json, Value};

/// A signup with a birthday; the shopper's id (the answer is the same for every address).
async fn member(srv: &Srv, email: &str, birthday: &str) -> Value {
    let mut body = srv.signup_body(email).await;
    body["birthday"] = json!(birthday);
    let r = srv.post("/api/signup", &body.to_string(), &[("origin", ORIGIN.to_string())]).await;
    assert_eq!((r.status, r.body.as_str()), (201, r#"{"ok":true}"#));
    json!({"shopper_id": srv.text(&format!("SELECT id FROM shoppers WHERE email = '{email}'")).await})
}

fn at(srv: &Srv, instant: &str) {
    let t = parse_instant(instant).unwrap();
    srv.app.clock.advance(t - srv.now());
}

/// The shopper by its id, with a merchant-signed token.
async fn read(srv: &Srv, id: &Value) -> Value {
    let r = srv.get("/api/shopper", &srv.bearer(id.as_str().unwrap())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn issue_12_the_birthday_gift_comes_at_local_midnight_once_a_year_with_notice() {
    each(|k| async move {
        let srv = Srv::start(&k).await; // 2026-11-22T10:00Z
        let lan = member(&srv, "lan@example.vn", "1990-12-25").await["shopper_id"].clone();
        let late = member(&srv, "late@example.vn", "1990-12-01").await["shopper_id"].clone(); // 9 days' notice: not this year
                                                                                              // Too little notice: nothing on 1 December 2026, the gift on 1 December 2027.
        at(&srv, "2026-12-01T05:00:00Z");
        assert_eq!(read(&srv, &late).await["balance"], 50);
        // 23:59 on 24 December in Hanoi: not yet.
        at(&srv, "2026-12-24T16:59:00Z");
        assert_eq!(read(&srv, &lan).await["balance"], 50);
        // 00:30 on 25 December in Hanoi (still the 24th in UTC): the gift, once.
        at(&srv, "2026-12-24T17:30:00Z");
        let s = read(&srv, &lan).await;
        assert_eq!((s["balance"].as_i64(), s["birthday_gift"].clone()), (Some(150), json!({"points": 100, "year": 2026})));
        assert_eq!(read(&srv, &lan).await["balance"], 150, "a second read credits nothing");
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger WHERE ref LIKE 'birthday:%'").await, 1);
        // The late one's comes the next year.
        at(&srv, "2027-12-01T05:00:00Z");
        assert_eq!(read(&srv, &late).await["birthday_gift"]["year"], 2027);
        // Next year Lan's comes again (the year boundary is local).
        at(&srv, "2027-12-24T17:00:00Z");
        assert_eq!(read(&srv, &lan).await["birthday_gift"], json!({"points": 100, "year": 2027}));
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger WHERE ref LIKE 'birthday:%'").await, 3);
    })
    .await;
}

async fn run(srv: &Srv) -> Result<rewards_server::services::lifecycle::TickReport, rewards_server::error::ApiError> {
    rewards_server::services::lifecycle::tick(&srv.app.db, srv.app.program(), &srv.app.program.version, srv.now() - DAY, srv.now()).await
}

#[tokio::test]
async fn issue_12_tick_credits_birthdays_without_a_read_and_29_february_comes_on_the_28th() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        member(&srv, "leap@example.vn", "1992-02-29").await;
        // 2027 is a common year: 28 February, local (27 Feb 17:00Z = 28 Feb 00:00 in Hanoi).
        at(&srv, "2027-02-27T16:59:59Z");
        assert_eq!(run(&srv).await.unwrap().birthdays, 0);
        at(&srv, "2027-02-27T17:00:00Z");
        assert_eq!(run(&srv).await.unwrap().birthdays, 1);
        assert_eq!(run(&srv).await.unwrap().birthdays, 0, "once");
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger WHERE ref LIKE 'birthday:%:2027'").await, 1);
        // 2028 is a leap year: the 29th, not the 28th.
        at(&srv, "2028-02-27T18:00:00Z");
        assert_eq!(run(&srv).await.unwrap().birthdays, 0);
        at(&srv, "2028-02-28T18:00:00Z");
        assert_eq!(run(&srv).await.unwrap().birthdays, 1);
    })
    .await;
}
