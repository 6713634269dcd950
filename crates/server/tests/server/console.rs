//! Issue 13, parts 2, 4 and 5: the merchant console. Sign-in with a
//! password (argon2), sessions that expire, CSRF on every form, roles,
//! the audit log; members searched and helped (adjust, void, erase), in
//! Vietnamese and English. Cookies are handled by hand so every header is seen.

use std::collections::HashMap;

use rewards_server::http::console::auth::Role;
use rewards_server::http::console::i18n::Lang;
use rewards_server::http::console::users::add_user;
use serde_json::json;

use crate::harness::*;

pub const OWNER: &str = "chu@cafe.vn";
pub const STAFF: &str = "staff@cafe.vn";
pub const PASSWORD: &str = "một mật khẩu dài 2026";

/// One browser on one server (its base URL): its cookies, no redirects followed.
pub struct Browser {
    pub base: String,
    pub http: reqwest::Client,
    pub cookies: HashMap<String, String>,
}

pub struct Page {
    pub status: u16,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The value of the first hidden field `name` on the page.
    pub fn field(&self, name: &str) -> String {
        let at = self.body.find(&format!("name=\"{name}\" value=\"")).unwrap_or_else(|| panic!("no field {name} in {}", self.body));
        let rest = &self.body[at + name.len() + 15..];
        rest[..rest.find('"').unwrap()].to_string()
    }
}

impl Browser {
    pub fn new(srv: &Srv) -> Browser {
        Browser::at(&srv.base)
    }

    /// A browser on the server at `base` (another process's, say).
    pub fn at(base: &str) -> Browser {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { base: base.to_string(), http, cookies: HashMap::new() }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    pub async fn send(&mut self, r: reqwest::RequestBuilder) -> Page {
        let r = if self.cookies.is_empty() { r } else { r.header("cookie", self.cookie_header()) };
        let resp = r.send().await.unwrap();
        let (status, headers) = (resp.status().as_u16(), resp.headers().clone());
        for v in headers.get_all("set-cookie") {
            let text = v.to_str().unwrap();
            let (kv, _) = text.split_once(';').unwrap_or((text, ""));
            let (k, v) = kv.split_once('=').unwrap();
            if v.is_empty() || text.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.into(), v.into());
            }
        }
        Page { status, headers, body: resp.text().await.unwrap() }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let r = self.http.get(format!("{}{path}", self.base)).header("accept-language", "vi-VN,vi;q=0.9");
        self.send(r).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(form).unwrap();
        let r = self.http.post(format!("{}{path}", self.base)).header("content-type", "application/x-www-form-urlencoded").body(body);
        self.send(r).await
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        let login = self.get("/console/login").await;
        assert_eq!(login.status, 200, "{}", login.body);
        let nonce = login.field("csrf");
        self.post("/console/login", &[("csrf", &nonce), ("lang", "vi"), ("email", email), ("password", password)]).await
    }
}

pub async fn users(srv: &Srv) {
    add_user(&srv.app.db, &srv.app.clock, OWNER, Role::Owner, Lang::Vi, PASSWORD).await.unwrap();
    add_user(&srv.app.db, &srv.app.clock, STAFF, Role::Staff, Lang::En, PASSWORD).await.unwrap();
}

#[tokio::test]
async fn issue_13_console_sign_in_sessions_csrf_and_roles() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        users(&srv).await;
        assert!(add_user(&srv.app.db, &srv.app.clock, OWNER, Role::Staff, Lang::Vi, PASSWORD).await.unwrap_err().contains("exists"));
        assert!(add_user(&srv.app.db, &srv.app.clock, "x@y.z", Role::Staff, Lang::Vi, "short").await.unwrap_err().contains("12"));
        // The password is stored as an argon2id PHC string, never as typed.
        let stored = srv.scalar("SELECT COUNT(*) FROM admin_users WHERE password_hash LIKE '$argon2id$%'").await;
        assert_eq!(stored, 2);

        let mut b = Browser::new(&srv);
        let first = b.get("/console").await;
        assert_eq!((first.status, first.location()), (303, "/console/login"));
        let login = b.get("/console/login").await;
        let csp = login.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && csp.contains("style-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
        assert!(login.body.contains("lang=\"vi\"") && login.body.contains("Mật khẩu"));

        // A wrong password, a wrong nonce, an unknown email: refused, audited.
        let wrong = b.sign_in(OWNER, "not the password at all").await;
        assert_eq!(wrong.status, 401);
        assert!(wrong.body.contains("Sai email hoặc mật khẩu."), "{}", wrong.body);
        assert_eq!(b.sign_in("nobody@cafe.vn", PASSWORD).await.status, 401);
        let forged = b.post("/console/login", &[("csrf", "0000"), ("email", OWNER), ("password", PASSWORD)]).await;
        assert_eq!(forged.status, 403);
        assert!(!b.cookies.contains_key("rw_console"));
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM admin_audit WHERE action = 'sign_in_failed'").await, 2);

        // The right one: a session cookie, HttpOnly and SameSite=Strict.
        let ok = b.sign_in(OWNER, PASSWORD).await;
        assert_eq!((ok.status, ok.location()), (303, "/console"), "{}", ok.body);
        let set = ok
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with("rw_console="))
            .unwrap();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Max-Age=28800") && !set.contains("Secure"),
            "{set}"
        );
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM admin_sessions").await, 1);
        let token = b.cookies["rw_console"].clone();
        let stored = srv.scalar(&format!("SELECT COUNT(*) FROM admin_sessions WHERE token_sha256 = '{token}'")).await;
        assert_eq!(stored, 0, "the cookie's token itself is not stored");
        let members = b.get("/console").await;
        assert_eq!(members.status, 200);
        assert!(members.body.contains("Đang đăng nhập: chu@cafe.vn (chủ cửa hàng)"), "{}", members.body);

        // A form without this session's CSRF token, or from another origin, changes nothing.
        let lang = b.post("/console/language", &[("csrf", "forged"), ("lang", "en")]).await;
        assert_eq!(lang.status, 403);
        let csrf = members.field("csrf");
        let cross = b
            .send(
                b.http
                    .post(format!("{}/console/language", srv.base))
                    .header("origin", "https://evil.example")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(format!("csrf={csrf}&lang=en")),
            )
            .await;
        assert_eq!(cross.status, 403);
        // The language is the user's: English after the switch, in every page.
        let switched = b.post("/console/language", &[("csrf", &csrf), ("lang", "en")]).await;
        assert_eq!(switched.status, 303);
        let en = b.get("/console").await;
        assert!(en.body.contains("<html lang=\"en\"") && en.body.contains("Signed in as chu@cafe.vn (owner)"), "{}", en.body);

        // The owner reads the audit log; staff may not, nor erase.
        let audit = b.get("/console/audit").await;
        assert_eq!(audit.status, 200);
        assert!(audit.body.contains("sign_in_failed") && audit.body.contains("language"), "{}", audit.body);
        let mut staff = Browser::new(&srv);
        assert_eq!(staff.sign_in(STAFF, PASSWORD).await.status, 303);
        let page = staff.get("/console").await;
        assert!(page.body.contains("Signed in as staff@cafe.vn (staff)") && !page.body.contains("/console/audit"), "{}", page.body);
        assert_eq!(staff.get("/console/audit").await.status, 403);

        // The admin token still opens the API and exports, and never the console.
        assert_eq!(srv.get("/admin/kpis.json", &[("authorization", format!("Bearer {ADMIN}"))]).await.status, 200);
        let mut stranger = Browser::new(&srv);
        let with_token =
            stranger.send(stranger.http.get(format!("{}/console", srv.base)).header("authorization", format!("Bearer {ADMIN}"))).await;
        assert_eq!((with_token.status, with_token.location()), (303, "/console/login"));
        // ... and the console's cookie never opens the token's endpoints.
        let export = b.send(b.http.get(format!("{}/admin/export/signups.csv", srv.base))).await;
        assert_eq!(export.status, 401);

        // Sessions end: at sign-out, and 8 hours after sign-in.
        let out = b.post("/console/logout", &[("csrf", &csrf)]).await;
        assert_eq!(out.status, 303);
        assert_eq!(b.get("/console").await.status, 303);
        srv.app.clock.advance(8 * 3_600_000 + 1);
        let ended = staff.get("/console").await;
        assert_eq!((ended.status, ended.location()), (303, "/console/login?ended=1"));
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM admin_audit WHERE action = 'sign_out'").await, 1);
    })
    .await;
}

#[tokio::test]
async fn issue_13_console_over_https_sets_a_secure_cookie() {
    let srv = Srv::start(&Kind::Sqlite).await;
    users(&srv).await;
    let mut b = Browser::new(&srv);
    let login = b.get("/console/login").await;
    let nonce = login.field("csrf");
    let host = srv.base.trim_start_matches("http://").to_string();
    let body = serde_urlencoded::to_string([("csrf", nonce.as_str()), ("email", OWNER), ("password", PASSWORD)]).unwrap();
    let r = b
        .send(
            b.http
                .post(format!("{}/console/login", srv.base))
                .header("origin", format!("https://{host}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let set =
        r.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).find(|c| c.starts_with("rw_console=")).unwrap();
    assert!(set.contains("; Secure"), "{set}");
}

#[tokio::test]
async fn issue_13_members_are_found_shown_adjusted_and_erased() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        users(&srv).await;
        // Lan signs up (consent text kept); customer c-1 orders twice and redeems a voucher.
        assert_eq!(srv.signup("lan@example.vn").await.status, 201);
        assert_eq!(srv.order("o-1", "c-1", &cart(&[("Hạt", 2_200_000, 1)])).await.json()["points"], 250);
        srv.app.clock.advance(8 * DAY);
        assert_eq!(srv.order("o-2", "c-1", &cart(&[("Hạt", 300_000, 1)])).await.status, 200);
        let body = json!({"redemption_id": "giam-tien", "points": 100, "cart": cart(&[("Bánh", 500_000, 1)]), "idempotency_key": "k-1"});
        assert_eq!(srv.post("/api/redeem", &body.to_string(), &srv.bearer("c-1")).await.status, 200);
        let code = srv.shopper("c-1").await["vouchers"][0]["code"].as_str().unwrap().to_string();
        let before = srv.shopper("c-1").await;
        let id = before["shopper_id"].as_str().unwrap().to_string();
        assert_eq!(before["balance"], 150);

        let mut b = Browser::new(&srv);
        b.sign_in(OWNER, PASSWORD).await;
        // Search: by customer id, by email prefix (case-insensitive), by shopper id; LIKE's wildcards are literal.
        let by_customer = b.get("/console?q=c-1").await;
        assert!(by_customer.body.contains(&format!("/console/members/{id}")), "{}", by_customer.body);
        let by_email = b.get("/console?q=LAN%40exa").await;
        assert!(by_email.body.contains("lan@example.vn") && !by_email.body.contains(&id), "{}", by_email.body);
        assert!(b.get(&format!("/console?q={id}")).await.body.contains(&format!("/console/members/{id}")));
        assert!(b.get("/console?q=%25").await.body.contains("Không có thành viên nào khớp."));

        // The member page: the ledger's numbers and the history in words, in Vietnamese.
        let page = b.get(&format!("/console/members/{id}")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        for expected in ["Điểm có thể dùng", "<dd>150</dd>", "Đơn o-1 (2.200.000 ₫ được tính điểm): +250 điểm", &code, "Chưa dùng", "Đồng"]
        {
            assert!(page.body.contains(expected), "{expected} not in {}", page.body);
        }
        let pending = before["pending"].as_i64().unwrap();
        assert!(page.body.contains(&format!("<dt>Điểm đang chờ</dt><dd>{pending}</dd>")), "{}", page.body);
        // The signup's consent with its exact wording.
        let lan = srv.scalar("SELECT COUNT(*) FROM shoppers WHERE email = 'lan@example.vn'").await;
        assert_eq!(lan, 1);
        let lan_page = b.get("/console?q=lan").await;
        let at = lan_page.body.find("/console/members/shp_").unwrap();
        let lan_id = lan_page.body[at + 17..at + 17 + 24].to_string();
        let lan_member = b.get(&format!("/console/members/{lan_id}")).await;
        assert!(
            lan_member.body.contains("Tôi đồng ý nhận email về ưu đãi và sản phẩm mới từ Cà Phê Phố Cổ.")
                && lan_member.body.contains("Đồng ý"),
            "{}",
            lan_member.body
        );

        // Refused adjustments write nothing and say why at the field.
        let entries = srv.scalar("SELECT COUNT(*) FROM ledger").await;
        let csrf = page.field("csrf");
        let key = page.field("key");
        let negative = b
            .post(&format!("/console/members/{id}/adjust"), &[("csrf", &csrf), ("key", &key), ("points", "-151"), ("reason", "thử")])
            .await;
        assert_eq!(negative.status, 422);
        assert!(negative.body.contains("Bị từ chối: thành viên có 150 điểm, trừ 151 điểm sẽ làm số dư âm."), "{}", negative.body);
        assert!(negative.body.contains("value=\"-151\"") && negative.body.contains("aria-invalid=\"true\""));
        let no_reason =
            b.post(&format!("/console/members/{id}/adjust"), &[("csrf", &csrf), ("key", &key), ("points", "10"), ("reason", "  ")]).await;
        assert_eq!(no_reason.status, 422);
        assert!(no_reason.body.contains("Hãy nhập lý do"));
        let bad_points =
            b.post(&format!("/console/members/{id}/adjust"), &[("csrf", &csrf), ("key", &key), ("points", "1.5"), ("reason", "x")]).await;
        assert_eq!(bad_points.status, 422);
        let forged =
            b.post(&format!("/console/members/{id}/adjust"), &[("csrf", "x"), ("key", &key), ("points", "10"), ("reason", "x")]).await;
        assert_eq!(forged.status, 403);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger").await, entries);

        // An adjustment: an entry naming who made it, once even if the form is sent twice.
        let form = [("csrf", csrf.as_str()), ("key", key.as_str()), ("points", "-50"), ("reason", "Đơn trùng <b>")];
        let done = b.post(&format!("/console/members/{id}/adjust"), &form).await;
        assert_eq!((done.status, done.location()), (303, format!("/console/members/{id}?done=adjusted").as_str()));
        assert_eq!(b.post(&format!("/console/members/{id}/adjust"), &form).await.status, 303);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM ledger").await, entries + 1);
        assert_eq!(srv.shopper("c-1").await["balance"], 100);
        let after = b.get(done.location()).await;
        assert!(after.body.contains("Đã ghi điều chỉnh −50 điểm."), "{}", after.body);
        assert!(after.body.contains("Điều chỉnh bởi chu@cafe.vn (Đơn trùng &lt;b&gt;): −50 điểm"), "{}", after.body);
        let csv = srv.get("/admin/export/ledger.csv", &[("authorization", format!("Bearer {ADMIN}"))]).await;
        assert!(csv.body.contains("Adjustment by chu@cafe.vn (Đơn trùng <b>): −50 points"), "{}", csv.body);

        // Staff help members too: void the voucher (its 100 points back), in English.
        let mut staff = Browser::new(&srv);
        staff.sign_in(STAFF, PASSWORD).await;
        let spage = staff.get(&format!("/console/members/{id}")).await;
        assert!(spage.body.contains("Points available") && !spage.body.contains("/erase"), "{}", spage.body);
        let scsrf = spage.field("csrf");
        let other = staff.post(&format!("/console/members/{lan_id}/void"), &[("csrf", &scsrf), ("code", &code), ("reason", "asked")]).await;
        assert_eq!(other.status, 404, "only this member's voucher");
        let voided =
            staff.post(&format!("/console/members/{id}/void"), &[("csrf", &scsrf), ("code", &code), ("reason", "Customer asked")]).await;
        assert_eq!(voided.status, 303, "{}", voided.body);
        assert_eq!(srv.shopper("c-1").await["balance"], 200);
        let shown = staff.get(voided.location()).await;
        assert!(
            shown.body.contains("Voided: Customer asked")
                && shown.body.contains(&format!("Voucher {code} voided (Customer asked): +100 points")),
            "{}",
            shown.body
        );
        assert_eq!(staff.post(&format!("/console/members/{id}/erase"), &[("csrf", &scsrf), ("confirm", "yes")]).await.status, 403);

        // Erasure: unconfirmed is refused; confirmed removes the person, keeps the totals.
        let points_total = srv.scalar("SELECT CAST(SUM(delta) AS BIGINT) FROM ledger").await;
        let unconfirmed = b.post(&format!("/console/members/{lan_id}/erase"), &[("csrf", &csrf)]).await;
        assert_eq!(unconfirmed.status, 422);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM shoppers WHERE email IS NOT NULL").await, 1);
        let erased = b.post(&format!("/console/members/{lan_id}/erase"), &[("csrf", &csrf), ("confirm", "yes")]).await;
        assert_eq!(erased.status, 303, "{}", erased.body);
        let gone = srv
            .scalar(&format!(
                "SELECT COUNT(*) FROM shoppers WHERE id = '{lan_id}' AND email IS NULL AND name IS NULL AND signed_up_at IS NOT NULL"
            ))
            .await;
        assert_eq!(gone, 1);
        assert_eq!(srv.scalar("SELECT CAST(SUM(delta) AS BIGINT) FROM ledger").await, points_total);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM erasures").await, 1);
        let erased_page = b.get(&format!("/console/members/{lan_id}")).await;
        assert!(
            erased_page.body.contains("Dữ liệu cá nhân đã bị xóa lúc") && !erased_page.body.contains("lan@example.vn"),
            "{}",
            erased_page.body
        );
        assert!(b.get("/console?q=lan").await.body.contains("Không có thành viên nào khớp."));
        assert!(!srv
            .get("/admin/export/signups.csv", &[("authorization", format!("Bearer {ADMIN}"))])
            .await
            .body
            .contains("lan@example.vn"));
        // Erasures and the audit log are append-only.
        let mut conn = srv.app.db.read().await.unwrap();
        assert!(sqlx::query("DELETE FROM erasures").execute(&mut *conn).await.is_err());
        assert!(sqlx::query("UPDATE admin_audit SET actor = 'x'").execute(&mut *conn).await.is_err());
        drop(conn);
        let actions = ["adjust", "void_voucher", "erase_member"];
        for a in actions {
            assert_eq!(srv.scalar(&format!("SELECT COUNT(*) FROM admin_audit WHERE action = '{a}'")).await, 1, "{a}");
        }
    })
    .await;
}

#[tokio::test]
async fn issue_13_sign_in_attempts_are_limited_per_address_and_overlong_emails_never_reach_argon2() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        users(&srv).await;
        let mut b = Browser::new(&srv);
        let long = format!("{}@cafe.vn", "a".repeat(300));
        assert_eq!(b.sign_in(&long, PASSWORD).await.status, 401);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM admin_audit WHERE action = 'sign_in_failed'").await, 0, "not audited");
        for _ in 1..rewards_server::http::console::auth::SIGN_IN_ATTEMPTS {
            assert_eq!(b.sign_in(OWNER, "not the password at all").await.status, 401);
        }
        // The next attempt, even with the right password, waits.
        let limited = b.sign_in(OWNER, PASSWORD).await;
        assert_eq!(limited.status, 429, "{}", limited.body);
        assert!(limited.body.contains("Vui lòng thử lại sau 15 phút."), "{}", limited.body);
        assert!(!b.cookies.contains_key("rw_console"));
        let failed = srv.scalar("SELECT COUNT(*) FROM admin_audit WHERE action = 'sign_in_failed'").await;
        assert_eq!(failed, i64::from(rewards_server::http::console::auth::SIGN_IN_ATTEMPTS) - 1);
        // After the window, the right password opens the console.
        srv.app.clock.advance(rewards_server::http::console::auth::SIGN_IN_WINDOW_MS + 1);
        assert_eq!(b.sign_in(OWNER, PASSWORD).await.status, 303);
    })
    .await;
}
