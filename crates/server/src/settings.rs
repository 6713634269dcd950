//! Server settings: a TOML file (`--settings FILE` or `REWARDS_SETTINGS`)
//! overridden by environment variables. Secrets live here, never in the
//! program JSON (which is served to browsers).

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub program_path: PathBuf,
    pub database_url: String,
    /// Signs shopper identity tokens (shared with the merchant's backend).
    pub merchant_secret: String,
    /// Signs order and refund webhooks.
    pub webhook_secret: String,
    /// Shopify's webhook signing secret (`POST /api/webhooks/shopify`);
    /// empty: that endpoint answers 503 `not_configured`.
    pub shopify_webhook_secret: String,
    /// The Shopify topic that awards an order: `orders/paid` or `orders/create`.
    pub shopify_award_on: ShopifyAwardOn,
    /// WooCommerce's webhook secret (`POST /api/webhooks/woocommerce`);
    /// empty: that endpoint answers 503 `not_configured`.
    pub woocommerce_webhook_secret: String,
    /// The WooCommerce order statuses that award an order
    /// ([`DEFAULT_WOOCOMMERCE_AWARD_STATUSES`] unless set).
    pub woocommerce_award_statuses: Vec<String>,
    pub admin_token: String,
    /// Origins (`https://shop.example`) allowed to call the browser API.
    pub allowed_origins: Vec<String>,
    /// The widget build (`www/dist`): `/rewards.js` and `/assets/…`.
    pub www_dist: PathBuf,
    /// Optional site served at `/` (the demo store in `demo`).
    pub site_dir: Option<PathBuf>,
    /// Take the client address from `X-Forwarded-For` (behind a proxy only).
    pub trust_forwarded_for: bool,
    pub signup_min_fill_ms: i64,
    pub signup_rate_max: u32,
    pub signup_rate_window_ms: i64,
    /// Largest request body accepted anywhere (bytes).
    pub max_body_bytes: usize,
    /// A request must arrive and be answered within this: its headers (else
    /// the connection is closed), and its body and handling (else `503`).
    /// A slow client holds only its own connection, never the writer.
    pub request_timeout_ms: u64,
    /// How often this instance looks for a program version published by
    /// another instance or process on the same database (`program_poll_ms`).
    pub program_poll_ms: u64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    bind: Option<String>,
    program: Option<PathBuf>,
    database_url: Option<String>,
    merchant_secret: Option<String>,
    webhook_secret: Option<String>,
    shopify_webhook_secret: Option<String>,
    shopify_award_on: Option<String>,
    woocommerce_webhook_secret: Option<String>,
    woocommerce_award_statuses: Option<Vec<String>>,
    admin_token: Option<String>,
    allowed_origins: Option<Vec<String>>,
    www_dist: Option<PathBuf>,
    site_dir: Option<PathBuf>,
    trust_forwarded_for: Option<bool>,
    signup_min_fill_ms: Option<i64>,
    signup_rate_max: Option<u32>,
    signup_rate_window_seconds: Option<i64>,
    max_body_bytes: Option<usize>,
    request_timeout_seconds: Option<u64>,
    program_poll_ms: Option<u64>,
}

/// Which Shopify order topic awards points (`shopify_award_on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShopifyAwardOn {
    /// `orders/paid` (the default): points for money received.
    OrdersPaid,
    /// `orders/create`: points as soon as the order is placed.
    OrdersCreate,
}

impl ShopifyAwardOn {
    pub fn topic(self) -> &'static str {
        match self {
            ShopifyAwardOn::OrdersPaid => "orders/paid",
            ShopifyAwardOn::OrdersCreate => "orders/create",
        }
    }

    fn parse(name: &str, v: &str) -> Result<ShopifyAwardOn, String> {
        match v {
            "orders/paid" => Ok(ShopifyAwardOn::OrdersPaid),
            "orders/create" => Ok(ShopifyAwardOn::OrdersCreate),
            _ => Err(format!("{name}: \"{v}\" must be \"orders/paid\" or \"orders/create\"")),
        }
    }
}

/// Paid (`processing`) and fulfilled (`completed`): WooCommerce's statuses
/// of an order whose money was received.
pub const DEFAULT_WOOCOMMERCE_AWARD_STATUSES: &[&str] = &["processing", "completed"];

/// The WooCommerce statuses that reverse an order's award (never awarding ones).
pub const WOOCOMMERCE_REVERSE_STATUSES: &[&str] = &["cancelled", "refunded", "failed"];

pub const DEFAULT_DATABASE_URL: &str = "sqlite://rewards.sqlite?mode=rwc";

impl Settings {
    /// Defaults for everything but the secrets (tests and `demo` fill them).
    pub fn defaults() -> Settings {
        Settings {
            bind: SocketAddr::from(([127, 0, 0, 1], 8787)),
            program_path: PathBuf::from("program.json"),
            database_url: DEFAULT_DATABASE_URL.into(),
            merchant_secret: String::new(),
            webhook_secret: String::new(),
            shopify_webhook_secret: String::new(),
            shopify_award_on: ShopifyAwardOn::OrdersPaid,
            woocommerce_webhook_secret: String::new(),
            woocommerce_award_statuses: DEFAULT_WOOCOMMERCE_AWARD_STATUSES.iter().map(|s| s.to_string()).collect(),
            admin_token: String::new(),
            allowed_origins: Vec::new(),
            www_dist: PathBuf::from("www/dist"),
            site_dir: None,
            trust_forwarded_for: false,
            signup_min_fill_ms: 2_000,
            signup_rate_max: 10,
            signup_rate_window_ms: 600_000,
            max_body_bytes: 256 * 1024,
            request_timeout_ms: 10_000,
            program_poll_ms: 2_000,
        }
    }

    /// Reads the optional TOML file, then the environment; checks secrets.
    pub fn load(file: Option<&std::path::Path>, env: &dyn Fn(&str) -> Option<String>) -> Result<Settings, String> {
        let mut s = Settings::defaults();
        let path = file.map(PathBuf::from).or_else(|| env("REWARDS_SETTINGS").map(PathBuf::from));
        if let Some(p) = path {
            let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            let f: File = toml::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))?;
            s.apply_file(f)?;
        }
        s.apply_env(env)?;
        s.check()?;
        Ok(s)
    }

    fn apply_file(&mut self, f: File) -> Result<(), String> {
        if let Some(b) = f.bind {
            self.bind = b.parse().map_err(|_| format!("bind: \"{b}\" is not an address like 127.0.0.1:8787"))?;
        }
        set(&mut self.program_path, f.program);
        set(&mut self.database_url, f.database_url);
        set(&mut self.merchant_secret, f.merchant_secret);
        set(&mut self.webhook_secret, f.webhook_secret);
        set(&mut self.shopify_webhook_secret, f.shopify_webhook_secret);
        if let Some(v) = f.shopify_award_on {
            self.shopify_award_on = ShopifyAwardOn::parse("shopify_award_on", &v)?;
        }
        set(&mut self.woocommerce_webhook_secret, f.woocommerce_webhook_secret);
        set(&mut self.woocommerce_award_statuses, f.woocommerce_award_statuses);
        set(&mut self.admin_token, f.admin_token);
        set(&mut self.allowed_origins, f.allowed_origins);
        set(&mut self.www_dist, f.www_dist);
        self.site_dir = f.site_dir.or(self.site_dir.take());
        set(&mut self.trust_forwarded_for, f.trust_forwarded_for);
        set(&mut self.signup_min_fill_ms, f.signup_min_fill_ms);
        set(&mut self.signup_rate_max, f.signup_rate_max);
        set(&mut self.signup_rate_window_ms, f.signup_rate_window_seconds.map(|s| s.saturating_mul(1000)));
        set(&mut self.max_body_bytes, f.max_body_bytes);
        set(&mut self.request_timeout_ms, f.request_timeout_seconds.map(|s| s.saturating_mul(1000)));
        set(&mut self.program_poll_ms, f.program_poll_ms);
        Ok(())
    }

    fn apply_env(&mut self, env: &dyn Fn(&str) -> Option<String>) -> Result<(), String> {
        if let Some(b) = env("REWARDS_BIND") {
            self.bind = b.parse().map_err(|_| format!("REWARDS_BIND: \"{b}\" is not an address like 127.0.0.1:8787"))?;
        }
        set(&mut self.program_path, env("REWARDS_PROGRAM").map(PathBuf::from));
        set(&mut self.database_url, env("DATABASE_URL"));
        set(&mut self.merchant_secret, env("REWARDS_MERCHANT_SECRET"));
        set(&mut self.webhook_secret, env("REWARDS_WEBHOOK_SECRET"));
        set(&mut self.shopify_webhook_secret, env("REWARDS_SHOPIFY_WEBHOOK_SECRET"));
        if let Some(v) = env("REWARDS_SHOPIFY_AWARD_ON") {
            self.shopify_award_on = ShopifyAwardOn::parse("REWARDS_SHOPIFY_AWARD_ON", &v)?;
        }
        set(&mut self.woocommerce_webhook_secret, env("REWARDS_WOOCOMMERCE_WEBHOOK_SECRET"));
        if let Some(v) = env("REWARDS_WOOCOMMERCE_AWARD_STATUSES") {
            self.woocommerce_award_statuses = v.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect();
        }
        set(&mut self.admin_token, env("REWARDS_ADMIN_TOKEN"));
        if let Some(o) = env("REWARDS_ALLOWED_ORIGINS") {
            self.allowed_origins = o.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect();
        }
        set(&mut self.www_dist, env("REWARDS_WWW_DIST").map(PathBuf::from));
        if let Some(d) = env("REWARDS_SITE_DIR") {
            self.site_dir = Some(PathBuf::from(d));
        }
        Ok(())
    }

    /// Secrets must be present and long enough to resist guessing.
    pub fn check(&self) -> Result<(), String> {
        let mut errors = Vec::new();
        for (name, env, v) in [
            ("merchant_secret", "REWARDS_MERCHANT_SECRET", &self.merchant_secret),
            ("webhook_secret", "REWARDS_WEBHOOK_SECRET", &self.webhook_secret),
            ("admin_token", "REWARDS_ADMIN_TOKEN", &self.admin_token),
        ] {
            if v.len() < 16 {
                errors.push(format!("{name} (or {env}): must be set, at least 16 characters"));
            }
        }
        // Optional (only Shopify stores need it), but never a short one.
        let shopify = &self.shopify_webhook_secret;
        if !shopify.is_empty() && shopify.len() < 16 {
            errors.push(
                "shopify_webhook_secret (or REWARDS_SHOPIFY_WEBHOOK_SECRET): at least 16 characters when set (Shopify's signing secret)"
                    .into(),
            );
        }
        let woo = &self.woocommerce_webhook_secret;
        if !woo.is_empty() && woo.len() < 16 {
            errors.push(
                "woocommerce_webhook_secret (or REWARDS_WOOCOMMERCE_WEBHOOK_SECRET): at least 16 characters when set (the webhook's secret in WooCommerce)"
                    .into(),
            );
        }
        let statuses = &self.woocommerce_award_statuses;
        if statuses.is_empty() {
            errors.push("woocommerce_award_statuses (or REWARDS_WOOCOMMERCE_AWARD_STATUSES): at least one order status".into());
        }
        for st in statuses {
            // WooCommerce's status slugs (plugins add their own, e.g. `shipped`), without the `wc-` prefix.
            let slug = !st.is_empty()
                && st.len() <= 20
                && st.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
            if !slug || st.starts_with("wc-") {
                errors.push(format!(
                    "woocommerce_award_statuses: \"{}\" is not an order status slug like \"processing\" (lower case, no wc- prefix)",
                    st.escape_debug()
                ));
            } else if WOOCOMMERCE_REVERSE_STATUSES.contains(&st.as_str()) || st == "pending" {
                errors.push(format!("woocommerce_award_statuses: \"{st}\" never awards (pending is unpaid; cancelled, refunded and failed reverse an award)"));
            }
        }
        for o in &self.allowed_origins {
            if !(o.starts_with("http://") || o.starts_with("https://")) || o.ends_with('/') {
                errors.push(format!("allowed_origins: \"{o}\" must look like https://shop.example (scheme and host, no path)"));
            }
        }
        if self.request_timeout_ms == 0 {
            errors.push("request_timeout_seconds must be positive".into());
        }
        if self.program_poll_ms == 0 {
            errors.push("program_poll_ms must be positive".into());
        }
        if self.signup_rate_max == 0 || self.signup_rate_window_ms <= 0 {
            errors.push("signup_rate_max and signup_rate_window_seconds must be positive".into());
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("\n"))
        }
    }
}

fn set<T>(slot: &mut T, v: Option<T>) {
    if let Some(v) = v {
        *slot = v;
    }
}

#[cfg(test)]
mod tests {
    use super::Settings;

    fn load(toml: &str) -> Result<Settings, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, toml).unwrap();
        let secrets = ["REWARDS_MERCHANT_SECRET", "REWARDS_WEBHOOK_SECRET", "REWARDS_ADMIN_TOKEN"];
        Settings::load(Some(&path), &|k| secrets.contains(&k).then(|| "0123456789abcdef0123".to_string()))
    }

    #[test]
    fn the_file_is_decoded_strictly() {
        let s = load("signup_rate_window_seconds = 60\nmax_body_bytes = 1024\n").unwrap();
        assert_eq!(s.woocommerce_award_statuses, ["processing", "completed"]);
        assert_eq!(
            load("woocommerce_award_statuses = [\"completed\", \"shipped\"]\n").unwrap().woocommerce_award_statuses,
            ["completed", "shipped"]
        );
        assert_eq!((s.signup_rate_window_ms, s.max_body_bytes), (60_000, 1024));
        for (toml, names) in [
            ("admin_tokn = \"x\"\n", "admin_tokn"),
            ("max_body_bytes = 1.5\n", "max_body_bytes"),
            ("max_body_bytes = -1\n", "max_body_bytes"),
            ("signup_min_fill_ms = \"2000\"\n", "signup_min_fill_ms"),
            ("shopify_award_on = \"orders/updated\"\n", "shopify_award_on"),
            ("shopify_webhook_secret = \"short\"\n", "shopify_webhook_secret"),
            ("woocommerce_webhook_secret = \"short\"\n", "woocommerce_webhook_secret"),
            ("woocommerce_award_statuses = []\n", "woocommerce_award_statuses"),
            ("woocommerce_award_statuses = [\"wc-completed\"]\n", "wc- prefix"),
            ("woocommerce_award_statuses = [\"completed\", \"refunded\"]\n", "never awards"),
            ("woocommerce_award_statuses = \"completed\"\n", "woocommerce_award_statuses"),
            ("program_poll_ms = 0\n", "program_poll_ms"),
        ] {
            let e = load(toml).unwrap_err();
            assert!(e.contains(names), "{toml}: {e}");
        }
        // Out-of-range durations are refused by the checks, not by an overflow.
        assert!(load("signup_rate_window_seconds = 9223372036854775807\n").is_ok());
    }
}
