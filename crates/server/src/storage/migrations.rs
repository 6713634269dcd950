//! Migrations for both databases. Each migration is a list of single
//! statements (trigger bodies contain `;`, so no naive splitting). Applied
//! in order inside one transaction each; `schema_migrations` records them.
//!
//! Append-only tables (`ledger`, `stamps`, `consents`, `orders`, `refunds`,
//! `actions_rewarded`, `vouchers`, `voucher_events`, `shopify_deliveries`, `woocommerce_deliveries`) get triggers that
//! refuse UPDATE and DELETE, so "entries are never changed" holds even
//! against a buggy handler or a hand-typed SQL statement.

use crate::db::{Backend, Db};

const APPEND_ONLY: &[&str] = &["ledger", "stamps", "consents", "orders", "refunds", "actions_rewarded", "vouchers"];

fn tables(id: &str) -> Vec<String> {
    let t = |s: &str| s.replace("{ID}", id);
    vec![
        t("CREATE TABLE shoppers (
            id TEXT PRIMARY KEY,
            customer_id TEXT UNIQUE,
            email TEXT UNIQUE,
            name TEXT,
            birthday TEXT,
            locale TEXT,
            created_at BIGINT NOT NULL,
            signed_up_at BIGINT,
            tier_id TEXT,
            tier_since BIGINT,
            membership_id TEXT,
            membership_status TEXT)"),
        t("CREATE TABLE ledger (
            id {ID},
            shopper_id TEXT NOT NULL REFERENCES shoppers(id),
            delta BIGINT NOT NULL,
            cause TEXT NOT NULL CHECK (cause IN ('order','refund','redemption','action','expiry','adjustment')),
            ref TEXT NOT NULL,
            at BIGINT NOT NULL,
            available_at BIGINT NOT NULL,
            program_version TEXT NOT NULL,
            detail TEXT NOT NULL,
            UNIQUE (cause, ref))"),
        "CREATE INDEX ledger_shopper ON ledger (shopper_id, available_at)".into(),
        "CREATE INDEX ledger_at ON ledger (at)".into(),
        t("CREATE TABLE stamps (
            id {ID},
            shopper_id TEXT NOT NULL REFERENCES shoppers(id),
            delta BIGINT NOT NULL,
            cause TEXT NOT NULL CHECK (cause IN ('order','refund','expiry','adjustment')),
            ref TEXT NOT NULL,
            at BIGINT NOT NULL,
            card_started BIGINT,
            completes BIGINT NOT NULL,
            program_version TEXT NOT NULL)"),
        "CREATE INDEX stamps_shopper ON stamps (shopper_id, id)".into(),
        t("CREATE TABLE consents (
            id {ID},
            shopper_id TEXT NOT NULL REFERENCES shoppers(id),
            purpose TEXT NOT NULL,
            version BIGINT NOT NULL,
            text TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            granted BIGINT NOT NULL,
            at BIGINT NOT NULL,
            locale TEXT NOT NULL,
            page_url TEXT NOT NULL)"),
        "CREATE INDEX consents_shopper ON consents (shopper_id)".into(),
        "CREATE TABLE orders (
            order_id TEXT PRIMARY KEY,
            shopper_id TEXT REFERENCES shoppers(id),
            at BIGINT NOT NULL,
            currency TEXT NOT NULL,
            subtotal BIGINT NOT NULL,
            qualifying BIGINT NOT NULL,
            points BIGINT NOT NULL,
            stamps BIGINT NOT NULL,
            cashback BIGINT NOT NULL,
            available_at BIGINT NOT NULL,
            program_version TEXT NOT NULL,
            response TEXT NOT NULL)"
            .into(),
        "CREATE INDEX orders_shopper ON orders (shopper_id, at)".into(),
        "CREATE INDEX orders_at ON orders (at)".into(),
        "CREATE TABLE refunds (
            refund_id TEXT PRIMARY KEY,
            order_id TEXT NOT NULL REFERENCES orders(order_id),
            at BIGINT NOT NULL,
            amount BIGINT NOT NULL,
            refunded_total BIGINT NOT NULL,
            points_reversed BIGINT NOT NULL,
            points_debited BIGINT NOT NULL,
            stamps_reversed BIGINT NOT NULL,
            qualifying_reversed BIGINT NOT NULL,
            cashback_reversed BIGINT NOT NULL,
            response TEXT NOT NULL)"
            .into(),
        "CREATE INDEX refunds_order ON refunds (order_id)".into(),
        t("CREATE TABLE actions_rewarded (
            id {ID},
            shopper_id TEXT NOT NULL REFERENCES shoppers(id),
            action_id TEXT NOT NULL,
            at BIGINT NOT NULL,
            source TEXT NOT NULL)"),
        "CREATE INDEX actions_shopper ON actions_rewarded (shopper_id)".into(),
        "CREATE TABLE vouchers (
            code TEXT PRIMARY KEY,
            shopper_id TEXT NOT NULL REFERENCES shoppers(id),
            source TEXT NOT NULL,
            redemption_id TEXT NOT NULL,
            points BIGINT NOT NULL,
            discount BIGINT NOT NULL,
            currency TEXT NOT NULL,
            at BIGINT NOT NULL,
            idempotency_key TEXT,
            request_sha256 TEXT,
            response TEXT NOT NULL,
            UNIQUE (shopper_id, idempotency_key))"
            .into(),
    ]
}

fn migration_1(backend: Backend) -> Vec<String> {
    let mut out = match backend {
        Backend::Sqlite => tables("INTEGER PRIMARY KEY"),
        Backend::Postgres => tables("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"),
    };
    if backend == Backend::Postgres {
        out.push(
            "CREATE FUNCTION rewards_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$"
                .into(),
        );
    }
    out.extend(APPEND_ONLY.iter().flat_map(|t| append_only(backend, t)));
    out
}

/// A voucher's state is its issue row plus at most one terminal event:
/// `used` (by an order) or `voided` (by the merchant). The primary key on
/// `code` makes "used once" a constraint, not a check in a handler.
fn migration_2(backend: Backend) -> Vec<String> {
    let mut out = vec![
        "CREATE TABLE voucher_events (
            code TEXT PRIMARY KEY REFERENCES vouchers(code),
            event TEXT NOT NULL CHECK (event IN ('used','voided')),
            ref TEXT NOT NULL,
            at BIGINT NOT NULL,
            detail TEXT NOT NULL)"
            .into(),
        "CREATE INDEX vouchers_shopper ON vouchers (shopper_id, at)".into(),
    ];
    out.extend(append_only(backend, "voucher_events"));
    out
}

/// Triggers that refuse UPDATE and DELETE on table `t`.
pub(crate) fn append_only(backend: Backend, t: &str) -> Vec<String> {
    match backend {
        Backend::Sqlite => vec![
            format!("CREATE TRIGGER {t}_append_only_u BEFORE UPDATE ON {t} BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END"),
            format!("CREATE TRIGGER {t}_append_only_d BEFORE DELETE ON {t} BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END"),
        ],
        Backend::Postgres => vec![format!(
            "CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} FOR EACH ROW EXECUTE FUNCTION rewards_append_only()"
        )],
    }
}

type Migration = fn(Backend) -> Vec<String>;
const MIGRATIONS: &[(i64, Migration)] = &[
    (1, migration_1),
    (2, migration_2),
    (3, crate::shopify::migration),
    (4, crate::woocommerce::migration),
    (5, crate::console::migration),
    (6, crate::referral::migration),
    (7, crate::deliveries::migration),
    (9, crate::console::users::migration),
];

pub async fn migrate(db: &Db) -> Result<(), sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    if db.backend == Backend::Postgres {
        // Several instances may start at once: one migrates, the others wait.
        sqlx::query("SELECT pg_advisory_lock(7262001)").execute(&mut *conn).await?;
    }
    let result = apply(db.backend, &mut conn).await;
    if db.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_unlock(7262001)").execute(&mut *conn).await?;
    }
    result
}

async fn apply(backend: Backend, conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    use sqlx::{Connection, Row};
    sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)")
        .execute(&mut *conn)
        .await?;
    let done: Vec<i64> =
        sqlx::query("SELECT version FROM schema_migrations").fetch_all(&mut *conn).await?.iter().map(|r| r.get(0)).collect();
    for (version, statements) in MIGRATIONS {
        if done.contains(version) {
            continue;
        }
        let mut tx = conn.begin().await?;
        for s in statements(backend) {
            sqlx::query(&s).execute(&mut *tx).await?;
        }
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
            .bind(*version)
            .bind(crate::clock::Clock::system().now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}
