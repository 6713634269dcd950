//! Starts an in-process server on a fresh database and talks HTTP to it.

use std::future::Future;
use std::sync::Once;

use rewards_server::{token, App, AppState, Clock, Db, LoadedProgram, Settings};
use serde_json::Value;

pub const MERCHANT: &str = "test-merchant-secret-0123456789";
pub const WEBHOOK: &str = "test-webhook-secret-0123456789";
pub const ADMIN: &str = "test-admin-token-0123456789";
pub const ORIGIN: &str = "https://shop.example";
/// 2026-11-22T10:00:00Z
pub const T0: i64 = 1_795_341_600_000;
pub const DAY: i64 = 86_400_000;

pub fn program_path() -> String {
    format!("{}/../../tests/fixtures/programs/vn-coffee.json", env!("CARGO_MANIFEST_DIR"))
}

#[derive(Clone, Debug)]
pub enum Kind {
    Sqlite,
    Postgres(String),
}

/// SQLite always; PostgreSQL when `DATABASE_URL_PG` is set (skipped with a notice otherwise).
pub fn kinds() -> Vec<Kind> {
    static NOTICE: Once = Once::new();
    let mut k = vec![Kind::Sqlite];
    match std::env::var("DATABASE_URL_PG") {
        Ok(url) if !url.is_empty() => k.push(Kind::Postgres(url)),
        _ => NOTICE.call_once(|| {
            // Written to the real stderr (not the test harness's capture) so it is always seen.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "NOTICE: PostgreSQL runs of the server tests skipped: set DATABASE_URL_PG (scripts/pg-test-cluster.sh run -- cargo test -p rewards-server)"
            );
        }),
    }
    k
}

pub async fn each<F, Fut>(f: F)
where
    F: Fn(Kind) -> Fut,
    Fut: Future<Output = ()>,
{
    for k in kinds() {
        eprintln!(
            "-- on {}",
            match &k {
                Kind::Sqlite => "SQLite",
                Kind::Postgres(_) => "PostgreSQL",
            }
        );
        f(k).await;
    }
}

/// A fresh, empty database URL for `kind` (a new database on the PG cluster).
pub async fn fresh_url(kind: &Kind, dir: &std::path::Path) -> String {
    match kind {
        Kind::Sqlite => format!("sqlite://{}", dir.join("test.sqlite").display()),
        Kind::Postgres(base) => {
            let name = format!("rw_{}", hex::encode(rand::random::<[u8; 6]>()));
            let mut conn = rewards_server::storage::db::connect_raw(base).await.expect("connect to DATABASE_URL_PG");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create test database");
            let (head, _) = base.rsplit_once('/').expect("postgres URL with a database name");
            format!("{head}/{name}")
        }
    }
}

pub fn test_settings(url: String, dir: &std::path::Path) -> Settings {
    let mut s = Settings::defaults();
    s.database_url = url;
    s.program_path = program_path().into();
    s.merchant_secret = MERCHANT.into();
    s.webhook_secret = WEBHOOK.into();
    s.admin_token = ADMIN.into();
    s.allowed_origins = vec![ORIGIN.into()];
    s.www_dist = dir.join("dist");
    s.max_body_bytes = 64 * 1024;
    s.signup_rate_max = 1000;
    s
}

pub struct Srv {
    pub app: App,
    pub base: String,
    pub http: reqwest::Client,
    pub dir: tempfile::TempDir,
}

pub struct Resp {
    pub status: u16,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Srv {
    pub async fn start(kind: &Kind) -> Srv {
        Srv::start_with(kind, |_| {}).await
    }

    pub async fn start_with(kind: &Kind, tweak: impl FnOnce(&mut Settings)) -> Srv {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_url(kind, dir.path()).await;
        Srv::start_on(url, dir, tweak).await
    }

    /// A server on a database URL of the test's choosing (a full disk, a private cluster).
    pub async fn start_on(url: String, dir: tempfile::TempDir, tweak: impl FnOnce(&mut Settings)) -> Srv {
        let mut settings = test_settings(url, dir.path());
        tweak(&mut settings);
        let program = LoadedProgram::load(&settings.program_path).unwrap();
        let db = Db::open(&settings).await.unwrap();
        let app = AppState::new(settings, program, db, Clock::frozen(T0));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(rewards_server::serve_on(app.clone(), listener));
        Srv { app, base, http: reqwest::Client::new(), dir }
    }

    pub async fn req(&self, method: &str, path: &str, body: Option<String>, headers: &[(&str, String)]) -> Resp {
        let mut r = self.http.request(method.parse().unwrap(), format!("{}{path}", self.base));
        for (k, v) in headers {
            r = r.header(*k, v);
        }
        if let Some(b) = body {
            r = r.header("content-type", "application/json").body(b);
        }
        let resp = r.send().await.unwrap();
        let (status, headers) = (resp.status().as_u16(), resp.headers().clone());
        Resp { status, headers, body: resp.text().await.unwrap() }
    }

    pub async fn get(&self, path: &str, headers: &[(&str, String)]) -> Resp {
        self.req("GET", path, None, headers).await
    }

    pub async fn post(&self, path: &str, body: &str, headers: &[(&str, String)]) -> Resp {
        self.req("POST", path, Some(body.to_string()), headers).await
    }

    /// A signed webhook delivery.
    pub async fn hook(&self, path: &str, body: &str) -> Resp {
        let sig = token::webhook_signature(WEBHOOK, body.as_bytes());
        self.post(path, body, &[("x-rewards-signature", sig)]).await
    }

    pub async fn order(&self, order_id: &str, customer: &str, cart: &Value) -> Resp {
        let body = serde_json::json!({"order_id": order_id, "customer": {"id": customer}, "cart": cart});
        self.hook("/api/webhooks/orders", &body.to_string()).await
    }

    pub async fn refund(&self, refund_id: &str, order_id: &str, amount: Option<i64>) -> Resp {
        let body = match amount {
            Some(a) => serde_json::json!({"refund_id": refund_id, "order_id": order_id, "amount": a}),
            None => serde_json::json!({"refund_id": refund_id, "order_id": order_id, "cancel": true}),
        };
        self.hook("/api/webhooks/refunds", &body.to_string()).await
    }

    pub fn now(&self) -> i64 {
        self.app.clock.now()
    }

    pub fn token(&self, customer: &str) -> String {
        token::sign(MERCHANT, customer, self.now() / 1000 + 3600)
    }

    pub fn bearer(&self, customer: &str) -> [(&'static str, String); 1] {
        [("authorization", format!("Bearer {}", self.token(customer)))]
    }

    pub async fn shopper(&self, customer: &str) -> Value {
        let r = self.get("/api/shopper", &self.bearer(customer)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    }

    /// The shopper state minus the server's extra keys: the core's Shopper JSON.
    pub async fn core_shopper(&self, customer: &str) -> String {
        let mut v = self.shopper(customer).await;
        for k in ["shopper_id", "email", "signed_up", "vouchers", "store_credit", "store_credit_pending", "referral_code", "birthday_gift"]
        {
            v.as_object_mut().unwrap().remove(k);
        }
        v.to_string()
    }

    pub async fn signup_body(&self, email: &str) -> Value {
        serde_json::json!({
            "email": email, "name": "Lan", "locale": "vi", "page_url": "https://shop.example/products/ca-phe",
            "consents": [{"id": "email-marketing", "version": 1, "granted": true,
                "text": "Tôi đồng ý nhận email về ưu đãi và sản phẩm mới từ Cà Phê Phố Cổ."}],
            "hp": "", "started_at": self.now() - 5_000
        })
    }

    pub async fn signup(&self, email: &str) -> Resp {
        let body = self.signup_body(email).await.to_string();
        self.post("/api/signup", &body, &[("origin", ORIGIN.to_string())]).await
    }

    /// One integer from the database (test inspection only).
    pub async fn scalar(&self, sql: &str) -> i64 {
        let mut conn = self.app.db.read().await.unwrap();
        sqlx::Row::try_get(&sqlx::query(sql).fetch_one(&mut *conn).await.unwrap(), 0).unwrap()
    }

    /// One string from the database (test inspection only).
    pub async fn text(&self, sql: &str) -> String {
        let mut conn = self.app.db.read().await.unwrap();
        sqlx::Row::try_get(&sqlx::query(sql).fetch_one(&mut *conn).await.unwrap(), 0).unwrap()
    }
}

/// A VND cart of `lines` (product_type, unit price, quantity).
pub fn cart(lines: &[(&str, i64, i64)]) -> Value {
    let lines: Vec<Value> = lines
        .iter()
        .enumerate()
        .map(|(i, (kind, price, qty))| serde_json::json!({"id": format!("l{i}"), "product_id": format!("p-{kind}"), "product_type": kind, "unit_price": price, "quantity": qty}))
        .collect();
    serde_json::json!({"currency": "VND", "lines": lines})
}
