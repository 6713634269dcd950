//! Issue 13, part 2: a voucher's code sent again. The server sends no
//! mail: the member page shows the message in the member's language, as a
//! `mailto:` link and as text to copy; the request is audited; a used or
//! voided code is refused. And what a redirect names is a code: a crafted
//! link cannot make a console page say anything (no text from the URL).

use serde_json::json;

use crate::console::{users, Browser, OWNER, PASSWORD};
use crate::harness::*;

#[tokio::test]
async fn issue_13_resend_a_voucher_and_status_text_from_links_cannot_be_spoofed() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        users(&srv).await;
        assert_eq!(srv.signup("lan@example.vn").await.status, 201);
        let body =
            json!({"order_id": "o-1", "customer": {"id": "c-lan", "email": "lan@example.vn"}, "cart": cart(&[("Hạt", 2_200_000, 1)])});
        assert_eq!(srv.hook("/api/webhooks/orders", &body.to_string()).await.status, 200);
        srv.app.clock.advance(8 * DAY);
        let redeem = json!({"redemption_id": "giam-tien", "points": 100, "cart": cart(&[("Bánh", 500_000, 1)]), "idempotency_key": "k-1"});
        let r = srv.post("/api/redeem", &redeem.to_string(), &srv.bearer("c-lan")).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let code = r.json()["voucher_code"].as_str().unwrap().to_string();
        let id = srv.shopper("c-lan").await["shopper_id"].as_str().unwrap().to_string();

        let mut b = Browser::new(&srv);
        b.sign_in(OWNER, PASSWORD).await;
        let page = b.get(&format!("/console/members/{id}")).await;
        assert!(page.body.contains(&format!("/console/members/{id}/resend")) && page.body.contains("Gửi lại"), "{}", page.body);
        let csrf = page.field("csrf");
        assert_eq!(b.post(&format!("/console/members/{id}/resend"), &[("csrf", "forged"), ("code", &code)]).await.status, 403);
        let sent = b.post(&format!("/console/members/{id}/resend"), &[("csrf", &csrf), ("code", &code.to_lowercase())]).await;
        assert_eq!(sent.status, 303, "{}", sent.body);
        assert_eq!(sent.location(), format!("/console/members/{id}?done=resent&code={code}"));
        let shown = b.get(sent.location()).await;
        // The member signed up in Vietnamese: the message is in Vietnamese, with the code and its value.
        assert!(shown.body.contains(&format!("Đây là mã giảm giá của bạn tại Cà Phê Phố Cổ: {code} (10.000 ₫).")), "{}", shown.body);
        assert!(shown.body.contains("Chào Lan,"), "the member's name greets them");
        let mailto = "href=\"mailto:lan@example.vn?subject=M%C3%A3%20gi%E1%BA%A3m%20gi%C3%A1";
        assert!(shown.body.contains(mailto), "{}", shown.body);
        assert!(shown.body.contains(&format!("%3A%20{code}%20%2810.000%20%E2%82%AB%29")), "the body carries the code");
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM admin_audit WHERE action = 'resend_voucher'").await, 1);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger WHERE cause = 'redemption'").await, 1, "no second voucher, no points moved");

        // Another member's code, an unknown one: not found, nothing recorded.
        assert_eq!(b.post("/console/members/shp_nobody/resend", &[("csrf", &csrf), ("code", &code)]).await.status, 404);
        // A voided code has nothing to send.
        let voided = b.post(&format!("/console/members/{id}/void"), &[("csrf", &csrf), ("code", &code), ("reason", "test")]).await;
        assert_eq!(voided.status, 303);
        let refused = b.post(&format!("/console/members/{id}/resend"), &[("csrf", &csrf), ("code", &code)]).await;
        assert_eq!(refused.status, 409);
        assert!(refused.body.contains(&format!("Mã {code} không còn dùng được")), "{}", refused.body);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM admin_audit WHERE action = 'resend_voucher'").await, 1);

        // Links name codes, never text: a crafted one says nothing.
        for link in [
            format!("/console/members/{id}?done=voided&code=FAKE-CODE"),
            format!("/console/members/{id}?done=resent&code={code}"),
            format!("/console/members/{id}?done=hacked&code=%3Cb%3E"),
        ] {
            let p = b.get(&link).await;
            assert_eq!(p.status, 200);
            assert!(
                !p.body.contains("FAKE-CODE") && !p.body.contains("role=\"status\"") && !p.body.contains("&lt;b&gt;"),
                "{link}: {}",
                p.body
            );
        }
        // The real one names the voucher voided, read from the database.
        assert!(b.get(voided.location()).await.body.contains(&format!("Đã hủy phiếu {code}; điểm đã được hoàn lại.")));
        let program = b.get("/console/program?done=published&published=v-evil").await;
        assert!(!program.body.contains("v-evil"));
        let current = srv.app.program.get().version.clone();
        assert!(program.body.contains(&format!("Đã xuất bản: phiên bản {current} đang được áp dụng.")), "{}", program.body);
    })
    .await;
}
