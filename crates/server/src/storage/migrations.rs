//! Migrations for both databases. Each migration is a list of single
//! statements (trigger bodies contain `;`, so no naive splitting). Applied
//! in order inside one transaction each; `schema_migrations` records them.
//!
//! Append-only tables (`ledger`, `stamps`, `consents`, `orders`, `refunds`,
//! `actions_rewarded`, `vouchers`, `voucher_events`, `shopify_deliveries`, `woocommerce_deliveries`) get triggers that
//! refuse UPDATE and DELETE, so "entries are never changed" holds even
//! against a buggy handler or a hand-typed SQL statement.
//!
//! Why not sqlx's migrator (its `migrate` feature is off): every database
//! deployed so far records its migrations here, in `schema_migrations`,
//! and some migrations are generated per backend (identity columns,
//! triggers from one list of append-only tables). sqlx's migrator would
//! keep a second record (`_sqlx_migrations`, checksums of SQL files per
//! backend) that each existing database would have to be seeded with
//! exactly, or it would re-run migration 1 on a full database; this
//! runner already upgrades those databases in place, one transaction per
//! migration, serialised across PostgreSQL instances by an advisory lock.

use super::db::{Backend, Db};

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

/// Migration 3: the Shopify delivery ids seen, with the answer each got
/// (append-only, like the ledger).
fn migration_3_shopify(backend: Backend) -> Vec<String> {
    let mut out = vec!["CREATE TABLE shopify_deliveries (
            webhook_id TEXT PRIMARY KEY,
            topic TEXT NOT NULL,
            ref TEXT NOT NULL,
            at BIGINT NOT NULL,
            response TEXT NOT NULL)"
        .into()];
    out.extend(append_only(backend, "shopify_deliveries"));
    out
}

/// Migration 4: the WooCommerce deliveries seen, with the order state each
/// carried and the answer it got (append-only, like the ledger).
fn migration_4_woocommerce(backend: Backend) -> Vec<String> {
    let mut out = vec![
        "CREATE TABLE woocommerce_deliveries (
            delivery_id TEXT NOT NULL,
            body_sha256 TEXT NOT NULL,
            topic TEXT NOT NULL,
            order_id TEXT NOT NULL,
            modified TEXT NOT NULL,
            status TEXT NOT NULL,
            at BIGINT NOT NULL,
            response TEXT NOT NULL,
            PRIMARY KEY (delivery_id, body_sha256))"
            .into(),
        "CREATE INDEX woocommerce_deliveries_order ON woocommerce_deliveries (order_id, modified)".into(),
    ];
    out.extend(append_only(backend, "woocommerce_deliveries"));
    out
}

/// Migration 5: console users, their sessions, the audit log, member
/// erasures, program versions and drafts. (Numbers 4 and 6 belong to other branches; `schema::apply`
/// runs whichever are missing in list order, so a gap is harmless.)
fn migration_5_console(backend: Backend) -> Vec<String> {
    let id = match backend {
        Backend::Sqlite => "INTEGER PRIMARY KEY",
        Backend::Postgres => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    };
    let mut out = vec![
        format!(
            "CREATE TABLE admin_users (
            id {id},
            email TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('owner','staff')),
            locale TEXT NOT NULL CHECK (locale IN ('vi','en')),
            created_at BIGINT NOT NULL)"
        ),
        // The cookie's token is never stored, only its SHA-256.
        "CREATE TABLE admin_sessions (
            token_sha256 TEXT PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES admin_users(id),
            csrf TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL)"
            .into(),
        format!(
            "CREATE TABLE admin_audit (
            id {id},
            at BIGINT NOT NULL,
            user_id BIGINT,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            detail TEXT NOT NULL)"
        ),
        "CREATE INDEX admin_audit_at ON admin_audit (at)".into(),
        "CREATE TABLE erasures (
            shopper_id TEXT PRIMARY KEY REFERENCES shoppers(id),
            at BIGINT NOT NULL,
            actor TEXT NOT NULL)"
            .into(),
    ];
    out.extend(program_tables(id));
    out.extend(append_only(backend, "admin_audit"));
    out.extend(append_only(backend, "program_versions"));
    out.extend(append_only(backend, "erasures"));
    out
}

/// Migration 6 (4 and 5 are other branches' WooCommerce and admin
/// console tables: the numbers need not be contiguous, `schema::apply`
/// runs every one not yet recorded, in order).
fn migration_6_referral(backend: Backend) -> Vec<String> {
    let id = match backend {
        Backend::Sqlite => "INTEGER PRIMARY KEY",
        Backend::Postgres => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    };
    let mut out = vec![
        "CREATE TABLE referral_codes (
            code TEXT PRIMARY KEY,
            shopper_id TEXT NOT NULL UNIQUE REFERENCES shoppers(id),
            at BIGINT NOT NULL)"
            .to_string(),
        "CREATE TABLE referrals (
            friend_id TEXT PRIMARY KEY REFERENCES shoppers(id),
            referrer_id TEXT NOT NULL REFERENCES shoppers(id),
            code TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('signup','order')),
            at BIGINT NOT NULL)"
            .to_string(),
        "CREATE INDEX referrals_referrer ON referrals (referrer_id)".to_string(),
        format!(
            "CREATE TABLE referral_refusals (
            id {id},
            at BIGINT NOT NULL,
            code TEXT NOT NULL,
            reason TEXT NOT NULL,
            friend_id TEXT REFERENCES shoppers(id),
            source TEXT NOT NULL)"
        ),
        "CREATE TABLE referral_rewards (
            friend_id TEXT PRIMARY KEY REFERENCES shoppers(id),
            order_id TEXT NOT NULL UNIQUE REFERENCES orders(order_id),
            referrer_id TEXT NOT NULL REFERENCES shoppers(id),
            at BIGINT NOT NULL,
            available_at BIGINT NOT NULL,
            referrer_points BIGINT NOT NULL,
            friend_points BIGINT NOT NULL)"
            .to_string(),
        "CREATE INDEX referral_rewards_referrer ON referral_rewards (referrer_id, at)".to_string(),
        "CREATE TABLE referral_reversals (
            refund_id TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('referrer','friend')),
            order_id TEXT NOT NULL,
            reversed BIGINT NOT NULL,
            debited BIGINT NOT NULL,
            at BIGINT NOT NULL,
            PRIMARY KEY (refund_id, side))"
            .to_string(),
    ];
    for t in ["referral_codes", "referrals", "referral_refusals", "referral_rewards", "referral_reversals"] {
        out.extend(append_only(backend, t));
    }
    out
}

/// Migration 7: the refusals of webhook deliveries.
fn migration_7_deliveries(backend: Backend) -> Vec<String> {
    let id = match backend {
        Backend::Sqlite => "INTEGER PRIMARY KEY",
        Backend::Postgres => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    };
    vec![
        format!(
            "CREATE TABLE webhook_refusals (
            id {id},
            at BIGINT NOT NULL,
            route TEXT NOT NULL,
            topic TEXT NOT NULL,
            delivery_id TEXT NOT NULL,
            status BIGINT NOT NULL,
            error TEXT NOT NULL,
            message TEXT NOT NULL,
            path TEXT NOT NULL)"
        ),
        "CREATE INDEX webhook_refusals_route ON webhook_refusals (route, id)".into(),
    ]
}

/// Migration 9: a removed console user keeps their row.
fn migration_9_users(_backend: Backend) -> Vec<String> {
    vec!["ALTER TABLE admin_users ADD COLUMN removed_at BIGINT".into()]
}

/// Migration 5's statements for versions and drafts.
fn program_tables(id: &str) -> Vec<String> {
    vec![
        format!(
            "CREATE TABLE program_versions (
            seq {id},
            version TEXT NOT NULL,
            text TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('file','console','rollback')),
            actor TEXT NOT NULL,
            at BIGINT NOT NULL)"
        ),
        // The editor's unpublished drafts, which the preview frame reads.
        "CREATE TABLE program_drafts (
            id TEXT PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES admin_users(id),
            text TEXT NOT NULL,
            at BIGINT NOT NULL)"
            .into(),
    ]
}

type Migration = fn(Backend) -> Vec<String>;
const MIGRATIONS: &[(i64, Migration)] = &[
    (1, migration_1),
    (2, migration_2),
    (3, migration_3_shopify),
    (4, migration_4_woocommerce),
    (5, migration_5_console),
    (6, migration_6_referral),
    (7, migration_7_deliveries),
    (9, migration_9_users),
];

pub async fn migrate(db: &Db) -> super::Result<()> {
    let mut conn = db.pool.acquire().await?;
    if db.backend == Backend::Postgres {
        // Several instances may start at once: one migrates, the others wait.
        sqlx::query("SELECT pg_advisory_lock(7262001)").execute(&mut *conn).await?;
    }
    let result = apply(db.backend, &mut conn).await;
    if db.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_unlock(7262001)").execute(&mut *conn).await?;
    }
    Ok(result?)
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
