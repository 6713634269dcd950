//! Hostile strings: SQL injection in every string field is stored as data,
//! byte for byte; script payloads in merchant and shopper strings render
//! as text on the admin page; cross-origin browser requests outside the
//! allowed list get no CORS grant and cannot write.

use crate::harness::*;

/// Quote-breaking and statement-stacking attempts, ASCII and Unicode quotes.
const SQL: &[&str] = &[
    "'; DROP TABLE ledger; --",
    "\" OR 1=1 --",
    "' OR '1'='1",
    "1; DELETE FROM shoppers WHERE 1=1",
    "Robert'); DROP TABLE shoppers;--",
    "’; DROP TABLE orders; --",
    "‘ OR ‘1’=‘1",
    "“ OR 1=1 --”",
    "＇ OR １=１ --",
    "ʼ; SELECT pg_sleep(5); --",
    "\\'; DROP TABLE refunds; --",
    "$1 $2 ? %s %d :name @p1",
    "x' UNION SELECT id, email FROM shoppers --",
    "🙂'\"`;-- \u{2028} end",
];

/// Emails with SQL-ish local parts that are still valid addresses.
fn email(i: usize) -> String {
    format!("o'neil{i}+or'1'='1--/*@example.com")
}

async fn tables(srv: &Srv) -> Vec<String> {
    let sql = match srv.app.db.backend {
        rewards_server::storage::db::Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') ORDER BY name",
        rewards_server::storage::db::Backend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'
             UNION ALL SELECT trigger_name::text || '/' || event_manipulation::text FROM information_schema.triggers ORDER BY 1"
        }
    };
    let mut conn = srv.app.db.read().await.unwrap();
    sqlx::query(sql).fetch_all(&mut *conn).await.unwrap().iter().map(|r| sqlx::Row::get(r, 0)).collect()
}

/// The one text value `sql` selects with `bind` as its parameter.
async fn text(srv: &Srv, sql: &str, bind: &str) -> Option<String> {
    let mut conn = srv.app.db.read().await.unwrap();
    sqlx::query(sql).bind(bind).fetch_optional(&mut *conn).await.unwrap().map(|r| sqlx::Row::get(&r, 0))
}

#[tokio::test]
async fn sql_injection_strings_in_every_field_are_stored_as_data() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        let schema = tables(&srv).await;
        let mut stored = 0;
        for (i, p) in SQL.iter().enumerate() {
            // Signup: name, email, page URL (the fields with a fixed format refuse it, below).
            let mut body = srv.signup_body(&email(i)).await;
            body["name"] = (*p).into();
            body["page_url"] = format!("https://shop.example/search?q={p}").into();
            let r = srv.post("/api/signup", &body.to_string(), &[]).await;
            assert_eq!(r.status, 201, "{p}: {}", r.body);
            let id = text(&srv, "SELECT id FROM shoppers WHERE email = $1", &email(i)).await.unwrap();
            assert_eq!(text(&srv, "SELECT name FROM shoppers WHERE email = $1", &email(i)).await.as_deref(), Some(*p));
            assert_eq!(text(&srv, "SELECT id FROM shoppers WHERE name = $1", p).await.as_deref(), Some(id.as_str()));
            let url = text(&srv, "SELECT page_url FROM consents WHERE shopper_id = $1", &id).await.unwrap();
            assert_eq!(url, format!("https://shop.example/search?q={p}"));
            // Fields with a fixed format or a configured set of values refuse the payload (422, nothing written).
            for field in ["locale", "birthday", "hp", "consents.id", "consents.text"] {
                let mut bad = srv.signup_body(&format!("x{i}{}@example.com", field.len())).await;
                match field.split_once('.') {
                    Some((list, key)) => bad[list][0][key] = (*p).into(),
                    None => bad[field] = (*p).into(),
                }
                let r = srv.post("/api/signup", &bad.to_string(), &[]).await;
                assert_eq!(r.status, 422, "{field} = {p}: {}", r.body);
            }

            // Order webhook: order id, customer id and email, every string of a cart line.
            let (order_id, customer) = (format!("{p}#o"), format!("{p}#c"));
            let line = serde_json::json!({"id": p, "product_id": p, "variant_id": p, "sku": p, "title": p,
                "product_type": p, "tags": [p], "collections": [p], "quantity": 2, "unit_price": 45_000});
            let order = serde_json::json!({"order_id": order_id, "customer": {"id": customer, "email": format!("c{}", email(i))},
                "cart": {"currency": "VND", "lines": [line]}});
            let r = srv.hook("/api/webhooks/orders", &order.to_string()).await;
            assert_eq!(r.status, 200, "{p}: {}", r.body);
            assert_eq!(r.json()["order_id"].as_str(), Some(order_id.as_str()));
            assert_eq!(text(&srv, "SELECT order_id FROM orders WHERE order_id = $1", &order_id).await.as_deref(), Some(order_id.as_str()));
            assert_eq!(text(&srv, "SELECT ref FROM ledger WHERE cause = 'order' AND ref = $1", &order_id).await.as_deref(), Some(order_id.as_str()));
            assert_eq!(text(&srv, "SELECT customer_id FROM shoppers WHERE email = $1", &format!("c{}", email(i))).await, Some(customer.clone()));
            // The token for that exact customer id reads that shopper.
            let me = srv.shopper(&customer).await;
            assert_eq!(me["email"].as_str(), Some(format!("c{}", email(i)).as_str()));
            // The award's stored preview names the line by its id (the other line strings are not stored).
            let detail = text(&srv, "SELECT detail FROM ledger WHERE cause = 'order' AND ref = $1", &order_id).await.unwrap();
            let detail: serde_json::Value = serde_json::from_str(&detail).unwrap();
            assert_eq!(detail["lines"][0]["id"].as_str(), Some(*p));

            // Refund and action ids.
            let refund_id = format!("{p}#r");
            let refund = serde_json::json!({"refund_id": refund_id, "order_id": order_id, "amount": 10_000});
            let r = srv.hook("/api/webhooks/refunds", &refund.to_string()).await;
            assert_eq!(r.status, 200, "{p}: {}", r.body);
            assert_eq!(text(&srv, "SELECT order_id FROM refunds WHERE refund_id = $1", &refund_id).await, Some(order_id.clone()));
            let event = format!("{p}#e");
            let action = serde_json::json!({"event_id": event, "customer": {"id": customer}, "action_id": "newsletter"});
            let r = srv.hook("/api/webhooks/actions", &action.to_string()).await;
            assert_eq!(r.status, 200, "{p}: {}", r.body);
            if r.json()["points"].as_i64() != Some(0) {
                let reference = format!("event:{event}");
                assert_eq!(text(&srv, "SELECT ref FROM ledger WHERE cause = 'action' AND ref = $1", &reference).await, Some(reference));
            }
            for (membership, status) in [(*p, "active"), ("hoi-vien", *p)] {
                let m = serde_json::json!({"customer": {"id": customer}, "membership_id": membership, "status": status});
                assert_eq!(srv.hook("/api/webhooks/membership", &m.to_string()).await.status, 422, "{m}");
            }
            let a = serde_json::json!({"event_id": "e", "customer": {"id": customer}, "action_id": p});
            assert_eq!(srv.hook("/api/webhooks/actions", &a.to_string()).await.status, 422, "{a}");
            let m = serde_json::json!({"customer": {"id": customer}, "membership_id": "hoi-vien", "status": "trial"});
            assert_eq!(srv.hook("/api/webhooks/membership", &m.to_string()).await.status, 200);
            assert_eq!(srv.shopper(&customer).await["membership"]["status"], "trial");
            stored += 1;
        }

        // Redeem: the idempotency key is stored as data; an injected option id is just unknown.
        srv.app.clock.advance(8 * DAY);
        let customer = format!("{}#c", SQL[0]);
        let ask = |redemption: &str, key: &str| {
            serde_json::json!({"redemption_id": redemption, "points": 100, "cart": cart(&[("Bánh", 500_000, 1)]), "idempotency_key": key})
                .to_string()
        };
        let big = serde_json::json!({"order_id": "big", "customer": {"id": customer}, "cart": cart(&[("Hạt", 2_000_000, 1)])});
        assert_eq!(srv.hook("/api/webhooks/orders", &big.to_string()).await.status, 200);
        srv.app.clock.advance(8 * DAY);
        for p in SQL {
            let r = srv.post("/api/redeem", &ask(p, "k"), &srv.bearer(&customer)).await;
            assert_eq!(r.status, 422, "{p}: {}", r.body);
        }
        let key = SQL[1];
        let r = srv.post("/api/redeem", &ask("giam-tien", key), &srv.bearer(&customer)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let code = r.json()["voucher_code"].as_str().unwrap().to_string();
        assert_eq!(text(&srv, "SELECT code FROM vouchers WHERE idempotency_key = $1", key).await, Some(code));
        assert_eq!(srv.post("/api/redeem", &ask("giam-tien", key), &srv.bearer(&customer)).await.body, r.body);

        // The schema is whole and the data all there.
        assert_eq!(tables(&srv).await, schema);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM orders").await, SQL.len() as i64 + 1);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM refunds").await, SQL.len() as i64);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM shoppers").await, 2 * SQL.len() as i64);
        eprintln!("SQL injection: {} payloads × (signup name/email/page_url, order id, customer id/email, cart line id, refund id, event id, redeem idempotency key) stored byte for byte; locale, birthday, hp, consent id/text, membership id/status, action id, redemption id refused (422, nothing written); schema unchanged ({} tables and triggers)", stored, schema.len());
    })
    .await;
}

const XSS: &[&str] = &[
    "<script>alert('store')</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(2)>",
    "</title><script>alert(3)</script>",
    "<a href=\"javascript:alert(4)\">x</a>",
];

#[tokio::test]
async fn script_payloads_in_merchant_and_shopper_strings_render_as_text_on_the_admin_page() {
    each(|k| async move {
        // The merchant's program: store name, tier and redemption names carry payloads.
        let mut program: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(program_path()).unwrap()).unwrap();
        program["store"]["name"] = XSS.concat().into();
        program["redemptions"][0]["name"]["vi"] = XSS[1].into();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("program.json");
        std::fs::write(&path, program.to_string()).unwrap();
        let srv = Srv::start_with(&k, |s| s.program_path = path.clone()).await;
        // Shopper strings: names, customer ids, order ids, cart titles.
        for (i, p) in XSS.iter().enumerate() {
            let mut body = srv.signup_body(&format!("x{i}@example.com")).await;
            body["name"] = (*p).into();
            assert_eq!(srv.post("/api/signup", &body.to_string(), &[]).await.status, 201);
            let line = serde_json::json!({"id": p, "product_id": p, "title": p, "product_type": p, "quantity": 1, "unit_price": 100_000});
            let order = serde_json::json!({"order_id": p, "customer": {"id": p, "email": format!("x{i}@example.com")}, "cart": {"currency": "VND", "lines": [line]}});
            assert_eq!(srv.hook("/api/webhooks/orders", &order.to_string()).await.status, 200);
        }
        let admin = [("authorization", format!("Bearer {ADMIN}"))];
        let page = srv.get("/admin", &admin).await;
        assert_eq!(page.status, 200, "{}", page.body);
        for p in XSS {
            assert!(!page.body.contains(p), "raw payload {p} on the admin page");
        }
        let lower = page.body.to_lowercase();
        for tag in ["<script", "<img", "<svg onload", "onerror=alert(1)>", "href=\"javascript:"] {
            assert!(!lower.contains(tag), "{tag} on the admin page");
        }
        // The store name is shown, as text.
        assert!(page.body.contains("&lt;script&gt;alert(&#39;store&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"), "{}", page.body);
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.starts_with("default-src 'none'") && !csp.contains("script-src"), "{csp}");
        assert_eq!(page.headers["x-content-type-options"], "nosniff");
        // The exports are downloads, not pages; the JSON is never sniffed as HTML.
        for path in ["/admin/export/signups.csv", "/admin/export/ledger.csv"] {
            let r = srv.get(path, &admin).await;
            assert_eq!(r.headers["content-type"], "text/csv; charset=utf-8");
            assert!(r.headers["content-disposition"].to_str().unwrap().starts_with("attachment"));
        }
        let echo = srv.post("/api/engine/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "{}", &[]).await;
        assert_eq!(echo.status, 404);
        assert_eq!((echo.headers["content-type"].to_str().unwrap(), echo.headers["x-content-type-options"].to_str().unwrap()), ("application/json; charset=utf-8", "nosniff"));
        eprintln!("XSS: {} payloads in store/redemption names and shopper name, customer id, order id, cart line strings: none rendered as markup on /admin", XSS.len());
    })
    .await;
}

#[tokio::test]
async fn cross_origin_requests_outside_the_allowed_list_are_refused() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        assert_eq!(srv.order("o-1", "alice", &cart(&[("Hạt", 2_000_000, 1)])).await.status, 200);
        srv.app.clock.advance(8 * DAY);
        let redeem =
            serde_json::json!({"redemption_id": "giam-tien", "points": 100, "cart": cart(&[("Bánh", 500_000, 1)]), "idempotency_key": "k"})
                .to_string();
        let signup = |email: &str| {
            let mut b = serde_json::json!({"email": email, "locale": "vi", "page_url": "https://shop.example/", "consents": [], "hp": ""});
            b["started_at"] = (srv.now() - 5_000).into();
            b.to_string()
        };
        let token = srv.bearer("alice")[0].1.clone();
        let foreign = [
            "https://evil.example",
            "null",
            "https://shop.example.evil.example",
            "http://shop.example",
            "https://shop.example:8443",
            "https://evil.example/https://shop.example",
        ];
        let routes: [(&str, &str); 5] = [
            ("GET", "/api/program"),
            ("POST", "/api/signup"),
            ("GET", "/api/shopper"),
            ("POST", "/api/redeem"),
            ("POST", "/api/engine/preview"),
        ];
        let mut refused = 0;
        for origin in foreign.iter().chain([&ORIGIN]) {
            let allowed = *origin == ORIGIN;
            for (method, path) in routes {
                let pre = srv
                    .req(
                        "OPTIONS",
                        path,
                        None,
                        &[
                            ("origin", origin.to_string()),
                            ("access-control-request-method", method.into()),
                            ("access-control-request-headers", "content-type,authorization".into()),
                        ],
                    )
                    .await;
                let grant = pre.headers.get("access-control-allow-origin").map(|v| v.to_str().unwrap().to_string());
                assert_eq!(grant, allowed.then(|| ORIGIN.to_string()), "preflight {path} from {origin}");
                let body = match path {
                    "/api/signup" => Some(signup(&format!("{}@example.com", refused + 100))),
                    "/api/redeem" => Some(redeem.clone()),
                    "/api/engine/preview" => Some("{}".to_string()),
                    _ => None,
                };
                let r = srv.req(method, path, body, &[("origin", origin.to_string()), ("authorization", token.clone())]).await;
                let grant = r.headers.get("access-control-allow-origin").map(|v| v.to_str().unwrap().to_string());
                assert_eq!(grant, allowed.then(|| ORIGIN.to_string()), "{method} {path} from {origin}");
                if !allowed && matches!(path, "/api/signup" | "/api/redeem") {
                    assert_eq!(r.status, 403, "a write from {origin}: {}", r.body);
                    assert_eq!(r.json()["error"], "forbidden");
                }
                refused += usize::from(!allowed);
            }
        }
        // Server-to-server endpoints grant no browser anything.
        for path in ["/api/webhooks/orders", "/admin", "/admin/export/ledger.csv"] {
            let pre = srv.req("OPTIONS", path, None, &[("origin", ORIGIN.into()), ("access-control-request-method", "POST".into())]).await;
            assert!(pre.headers.get("access-control-allow-origin").is_none(), "{path}");
        }
        // Nothing the foreign origins sent was written: one signup and one redemption, from the allowed origin.
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM shoppers WHERE signed_up_at IS NOT NULL").await, 1);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM vouchers").await, 1);
        eprintln!(
            "CORS: {} foreign-origin requests (and their preflights) on {} browser routes refused a grant; writes 403",
            refused,
            routes.len()
        );
    })
    .await;
}
