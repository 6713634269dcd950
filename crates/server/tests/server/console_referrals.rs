//! Issue 12: the console's Referrals page (`/console/referrals`): the
//! report's figures, top referrers linked to their member pages, refusals
//! by reason in the merchant's words, in Vietnamese and English; the CSV of
//! every referral for the owner only (it holds shopper ids).

use serde_json::json;

use crate::console::{users, Browser, OWNER, PASSWORD, STAFF};
use crate::harness::*;

#[tokio::test]
async fn issue_12_the_referrals_page_shows_the_report_to_staff_and_the_csv_to_the_owner_only() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        users(&srv).await;
        // An's code brings Bình (signup) and a guest order by email; one unknown code is refused.
        assert_eq!(srv.signup("an@example.vn").await.status, 201);
        let an = srv.text("SELECT id FROM shoppers WHERE email = 'an@example.vn'").await;
        let code = srv.get("/api/shopper", &srv.bearer(&an)).await.json()["referral_code"].as_str().unwrap().to_string();
        let mut body = srv.signup_body("binh@example.vn").await;
        body["referral_code"] = json!(code);
        assert_eq!(srv.post("/api/signup", &body.to_string(), &[("origin", ORIGIN.to_string())]).await.status, 201);
        let order = json!({"order_id": "r-1", "customer": {"email": "binh@example.vn"}, "cart": cart(&[("Hạt", 355_000, 1)])});
        assert_eq!(srv.hook("/api/webhooks/orders", &order.to_string()).await.status, 200);
        let mut body = srv.signup_body("chi@example.vn").await;
        body["referral_code"] = json!("ZZZZZZZZ");
        assert_eq!(srv.post("/api/signup", &body.to_string(), &[("origin", ORIGIN.to_string())]).await.status, 201);

        let mut owner = Browser::new(&srv);
        assert_eq!(owner.get("/console/referrals").await.location(), "/console/login", "signed-out: the sign-in page");
        owner.sign_in(OWNER, PASSWORD).await;
        let page = owner.get("/console/referrals").await;
        assert_eq!(page.status, 200, "{}", page.body);
        for expected in [
            "<h1>Giới thiệu bạn bè</h1>",
            "<dt>Đăng ký qua giới thiệu</dt><dd>1</dd>",
            "<dt>Đơn hàng của bạn được giới thiệu</dt><dd>1</dd>",
            "<dd>355.000 ₫</dd>",
            "<dt>Điểm đã trả cho người giới thiệu (đã trừ phần thu hồi)</dt><dd>100</dd>",
            "<dt>Điểm đã trả cho bạn được giới thiệu (đã trừ phần thu hồi)</dt><dd>50</dd>",
            &format!("<a href=\"/console/members/{an}\">{an}</a>"),
            &format!("<code>{code}</code>"),
            "Mã không tồn tại (chưa từng cấp, hoặc thành viên đã bị xoá)",
            "<a href=\"/console/referrals.csv\" download>",
            "<a href=\"/console/referrals\">Giới thiệu</a>",
        ] {
            assert!(page.body.contains(expected), "{expected} not in {}", page.body);
        }
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        let csv = owner.get("/console/referrals.csv").await;
        assert_eq!(csv.status, 200);
        assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
        assert_eq!(csv.body.lines().count(), 2, "the header and Bình's referral: {}", csv.body);
        assert!(
            csv.body.contains(&format!("\"{an}\",\"{code}\",\"signup\",\"r-1\",\"100\",\"0\"")),
            "friend points at signup are not the first order's: {}",
            csv.body
        );

        // Staff read the page, in English, without the CSV.
        let mut staff = Browser::new(&srv);
        staff.sign_in(STAFF, PASSWORD).await;
        let csrf = staff.get("/console/referrals").await.field("csrf");
        staff.post("/console/language", &[("csrf", &csrf), ("lang", "en")]).await;
        let page = staff.get("/console/referrals").await;
        assert_eq!(page.status, 200, "{}", page.body);
        for expected in [
            "<h1>Referrals</h1>",
            "<dt>Referred signups</dt><dd>1</dd>",
            "<dd>355,000 VND</dd>",
            "Unknown code (never issued, or its member was deleted)",
            "only the owner can download it",
        ] {
            assert!(page.body.contains(expected), "{expected} not in {}", page.body);
        }
        assert!(!page.body.contains("/console/referrals.csv"));
        assert_eq!(staff.get("/console/referrals.csv").await.status, 403);
    })
    .await;
}
