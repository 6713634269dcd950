//! The points ledger and everything derived from it.
//!
//! Entries are append-only (the schema's triggers refuse UPDATE/DELETE).
//! A shopper's balance at `t` is Σ delta of entries with `available_at <=
//! t`; pending points are the entries not yet available. "Pending →
//! available" is therefore a function of time and cannot drift; inactivity
//! expiry is an `expiry` entry written by `tick` or on the next read.
//!
//! Reversals of a still-pending order are dated at that order's
//! `available_at`, so they cancel pending points rather than spendable
//! ones; every debit of spendable points is capped at the balance, so the
//! balance is never negative at any instant.

use rewards_core::json::Json;
use rewards_core::shopper::{HeldMembership, HeldTier, MembershipStatus, RewardedAction};
use rewards_core::{Program, Shopper};
use sqlx::{AnyConnection, Row};

use super::batch::Batch;

#[derive(Debug, Clone)]
pub struct ShopperRow {
    pub id: String,
    pub customer_id: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    pub birthday: Option<String>,
    pub locale: Option<String>,
    pub created_at: i64,
    pub signed_up_at: Option<i64>,
    pub tier_id: Option<String>,
    pub tier_since: Option<i64>,
    pub membership_id: Option<String>,
    pub membership_status: Option<String>,
}

/// A shopper row's columns in [`shopper_row`]'s order, each after `$p`
/// (`""`, or a table alias such as `"s."`): the one list of them.
#[rustfmt::skip]
macro_rules! shopper_cols {
    ($p:literal) => {
        concat!(
            $p, "id, ", $p, "customer_id, ", $p, "email, ", $p, "name, ", $p, "birthday, ", $p, "locale, ",
            $p, "created_at, ", $p, "signed_up_at, ", $p, "tier_id, ", $p, "tier_since, ",
            $p, "membership_id, ", $p, "membership_status"
        )
    };
}

const SHOPPER_COLS: &str = shopper_cols!("");

fn shopper_row(r: &sqlx::any::AnyRow) -> super::Result<ShopperRow> {
    Ok(ShopperRow {
        id: r.try_get(0)?,
        customer_id: r.try_get(1)?,
        email: r.try_get(2)?,
        name: r.try_get(3)?,
        birthday: r.try_get(4)?,
        locale: r.try_get(5)?,
        created_at: r.try_get(6)?,
        signed_up_at: r.try_get(7)?,
        tier_id: r.try_get(8)?,
        tier_since: r.try_get(9)?,
        membership_id: r.try_get(10)?,
        membership_status: r.try_get(11)?,
    })
}

/// Finds a shopper by `id`, `customer_id` or `email` (`column` is one of those names).
pub async fn find(conn: &mut AnyConnection, column: &str, value: &str) -> super::Result<Option<ShopperRow>> {
    debug_assert!(["id", "customer_id", "email"].contains(&column));
    let sql = format!("SELECT {SHOPPER_COLS} FROM shoppers WHERE {column} = $1");
    match sqlx::query(&sql).bind(value).fetch_optional(conn).await? {
        Some(r) => Ok(Some(shopper_row(&r)?)),
        None => Ok(None),
    }
}

/// The shoppers with `customer_id` and with `email`, in one statement:
/// (the one by customer id, the one by email; the same row may be both).
pub async fn find_by_customer_or_email(
    conn: &mut AnyConnection,
    customer_id: &str,
    email: &str,
) -> super::Result<(Option<ShopperRow>, Option<ShopperRow>)> {
    let sql = format!("SELECT {SHOPPER_COLS} FROM shoppers WHERE customer_id = $1 OR email = $2");
    let (mut by_id, mut by_email) = (None, None);
    for r in sqlx::query(&sql).bind(customer_id).bind(email).fetch_all(conn).await? {
        let row = shopper_row(&r)?;
        if row.email.as_deref() == Some(email) {
            by_email = Some(row.clone());
        }
        if row.customer_id.as_deref() == Some(customer_id) {
            by_id = Some(row);
        }
    }
    Ok((by_id, by_email))
}

/// A new random shopper id: `shp_` + 80 random bits in hex.
pub fn new_shopper_id() -> String {
    format!("shp_{}", hex::encode(rand::random::<[u8; 10]>()))
}

/// Creates a shopper unless one with the same customer id or email exists
/// (a concurrent writer may have just created it); returns the row and
/// whether this call inserted it.
pub async fn create(
    conn: &mut AnyConnection,
    customer_id: Option<&str>,
    email: Option<&str>,
    now: i64,
) -> super::Result<(ShopperRow, bool)> {
    let id = new_shopper_id();
    let sql = format!(
        "INSERT INTO shoppers (id, customer_id, email, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING {SHOPPER_COLS}"
    );
    let inserted = sqlx::query(&sql).bind(&id).bind(customer_id).bind(email).bind(now).fetch_optional(&mut *conn).await?;
    if let Some(r) = inserted {
        return Ok((shopper_row(&r)?, true));
    }
    for (col, v) in [("customer_id", customer_id), ("email", email)] {
        if let Some(v) = v {
            if let Some(row) = find(conn, col, v).await? {
                return Ok((row, false));
            }
        }
    }
    Err(super::Error::missing())
}

/// A shopper's row and its state at one instant: the core's own
/// [`Shopper`], summed from the ledger, so handlers pass the engine
/// exactly what they read.
#[derive(Debug, Clone)]
pub struct State {
    pub row: ShopperRow,
    pub shopper: Shopper,
    /// The tier period's sums before netting refunds (see [`State::with_order`]).
    pub period: Period,
}

/// Orders in the tier period `[from, to)` and the refunds of those orders.
#[derive(Debug, Clone, Copy, Default)]
pub struct Period {
    pub from: i64,
    pub to: i64,
    pub spend: i64,
    pub points: i64,
    pub orders: i64,
    pub spend_back: i64,
    pub points_back: i64,
    pub refunded_orders: i64,
}

impl Period {
    /// (spend, points, orders) net of refunds, as the core's Shopper has them.
    fn net(&self) -> (i64, i64, i64) {
        ((self.spend - self.spend_back).max(0), (self.points - self.points_back).max(0), (self.orders - self.refunded_orders).max(0))
    }
}

async fn one_i64(conn: &mut AnyConnection, sql: &str, id: &str, args: &[i64]) -> super::Result<i64> {
    let mut q = sqlx::query(sql).bind(id);
    for a in args {
        q = q.bind(*a);
    }
    Ok(q.fetch_one(conn).await?.try_get(0)?)
}

/// Spendable points at instant `t`.
pub async fn balance_at(conn: &mut AnyConnection, shopper: &str, t: i64) -> super::Result<i64> {
    one_i64(conn, "SELECT COALESCE(CAST(SUM(delta) AS BIGINT), 0) FROM ledger WHERE shopper_id = $1 AND available_at <= $2", shopper, &[t])
        .await
}

/// The shopper's store credit in the program currency's minor units:
/// (available, pending). It is the cashback of their orders net of what
/// refunds reversed, split by the orders' `available_at` like points. The
/// server records no spending of it: the merchant's platform applies it.
pub async fn store_credit(conn: &mut AnyConnection, shopper: &str, now: i64) -> super::Result<(i64, i64)> {
    let r = sqlx::query(
        "SELECT COALESCE(CAST(SUM(CASE WHEN available_at <= $2 THEN net ELSE 0 END) AS BIGINT), 0),
                COALESCE(CAST(SUM(CASE WHEN available_at > $2 THEN net ELSE 0 END) AS BIGINT), 0)
         FROM (SELECT o.available_at, o.cashback - COALESCE((SELECT SUM(f.cashback_reversed) FROM refunds f WHERE f.order_id = o.order_id), 0) AS net
               FROM orders o WHERE o.shopper_id = $1) c",
    )
    .bind(shopper)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok((r.try_get(0)?, r.try_get(1)?))
}

/// Σ of every entry, available or not.
pub async fn total(conn: &mut AnyConnection, shopper: &str) -> super::Result<i64> {
    one_i64(conn, "SELECT COALESCE(CAST(SUM(delta) AS BIGINT), 0) FROM ledger WHERE shopper_id = $1", shopper, &[]).await
}

/// The `[from, to)` window of the tier period at `now` (unbounded without tiers).
fn window(program: &Program, now: i64) -> (i64, i64) {
    let (from, to) = program.tiers.as_ref().map_or((None, None), |t| rewards_core::tiers::period_window(t, now));
    // A rolling window ends at `now` inclusive.
    (from.unwrap_or(i64::MIN), to.map_or(i64::MAX, |t| if t <= now { now + 1 } else { t }))
}

/// Locks the shopper for the rest of a write transaction and returns its
/// row as read under the lock. PostgreSQL: `SELECT … FOR UPDATE`, so
/// concurrent writers of one shopper (on any instance) take turns; SQLite
/// writes are already serialised by the single write connection.
pub async fn lock(db: &crate::Db, conn: &mut AnyConnection, row: ShopperRow) -> super::Result<ShopperRow> {
    if db.backend != super::db::Backend::Postgres {
        return Ok(row);
    }
    let sql = format!("SELECT {SHOPPER_COLS} FROM shoppers WHERE id = $1 FOR UPDATE");
    let r = sqlx::query(&sql).bind(&row.id).fetch_one(conn).await?;
    shopper_row(&r)
}

/// Every sum the shopper state needs, in one statement (each sub-select
/// reads one shopper's rows through its index): `$1` shopper, `$2` now,
/// `[$3, $4)` the tier period. The last column is the rewarded actions as
/// a JSON array of `[action_id, at]`, in the dialect's JSON aggregate.
macro_rules! state_sql {
    ($rewarded:literal) => {
        state_sql!("SELECT ", $rewarded, "")
    };
    ($select:expr, $rewarded:literal, $from:expr) => {
        concat!(
            $select,
            "l.balance, l.pending, l.last_at, o.lifetime, o.spend, o.points, o.orders,
                f.spend_back, f.points_back, f.refunded_orders, st.stamps,
                (SELECT card_started FROM stamps WHERE shopper_id = $1 ORDER BY id DESC LIMIT 1),
                (SELECT at FROM orders WHERE shopper_id = $1 ORDER BY at DESC, order_id DESC LIMIT 1),
                (SELECT subtotal FROM orders WHERE shopper_id = $1 ORDER BY at DESC, order_id DESC LIMIT 1), ",
            $rewarded,
            "
            FROM (SELECT COALESCE(CAST(SUM(CASE WHEN available_at <= $2 THEN delta ELSE 0 END) AS BIGINT), 0) AS balance,
                         COALESCE(CAST(SUM(CASE WHEN available_at > $2 THEN delta ELSE 0 END) AS BIGINT), 0) AS pending,
                         MAX(CASE WHEN cause IN ('order', 'redemption', 'action') THEN at END) AS last_at
                  FROM ledger WHERE shopper_id = $1) l,
                 (SELECT COUNT(*) AS lifetime,
                         COALESCE(CAST(SUM(CASE WHEN at >= $3 AND at < $4 THEN qualifying ELSE 0 END) AS BIGINT), 0) AS spend,
                         COALESCE(CAST(SUM(CASE WHEN at >= $3 AND at < $4 THEN points ELSE 0 END) AS BIGINT), 0) AS points,
                         COUNT(CASE WHEN at >= $3 AND at < $4 THEN 1 END) AS orders
                  FROM orders WHERE shopper_id = $1) o,
                 (SELECT COALESCE(CAST(SUM(f.qualifying_reversed) AS BIGINT), 0) AS spend_back,
                         COALESCE(CAST(SUM(f.points_reversed) AS BIGINT), 0) AS points_back,
                         COUNT(DISTINCT CASE WHEN f.refunded_total >= o.subtotal THEN o.order_id END) AS refunded_orders
                  FROM refunds f JOIN orders o ON o.order_id = f.order_id
                  WHERE o.shopper_id = $1 AND o.at >= $3 AND o.at < $4) f,
                 (SELECT COALESCE(CAST(SUM(delta) AS BIGINT), 0) AS stamps FROM stamps WHERE shopper_id = $1) st",
            $from
        )
    };
}
const STATE_SQL_SQLITE: &str =
    state_sql!("(SELECT json_group_array(json_array(action_id, at) ORDER BY id) FROM actions_rewarded WHERE shopper_id = $1)");
const STATE_SQL_POSTGRES: &str = state_sql!(
    "(SELECT CAST(COALESCE(json_agg(json_build_array(action_id, at) ORDER BY id), '[]') AS TEXT) FROM actions_rewarded WHERE shopper_id = $1)"
);

/// [`STATE_SQL_SQLITE`] with the shopper's row in front (columns as
/// [`SHOPPER_COLS`]), read only if it still has the key `$5` that found it
/// (see [`known_shopper`]).
macro_rules! known_state_sql {
    ($rewarded:literal, $key:literal) => {
        state_sql!(concat!("SELECT ", shopper_cols!("s."), ", "), $rewarded, concat!(", shoppers s WHERE s.id = $1 AND s.", $key, " = $5"))
    };
}
const KNOWN_BY_CUSTOMER_SQLITE: &str = known_state_sql!(
    "(SELECT json_group_array(json_array(action_id, at) ORDER BY id) FROM actions_rewarded WHERE shopper_id = $1)",
    "customer_id"
);
const KNOWN_BY_EMAIL_SQLITE: &str = known_state_sql!(
    "(SELECT json_group_array(json_array(action_id, at) ORDER BY id) FROM actions_rewarded WHERE shopper_id = $1)",
    "email"
);

/// `[[action_id, at], …]` as the state query aggregates it.
fn rewarded_actions(text: &str) -> super::Result<Vec<RewardedAction>> {
    let items: Vec<(String, i64)> = serde_json::from_str(text)
        .map_err(|e| super::Error(sqlx::Error::Decode(format!("rewarded actions: unexpected aggregate {text:?}: {e}").into())))?;
    Ok(items.into_iter().map(|(id, at)| RewardedAction { id, at }).collect())
}

/// The shopper's state at `now`, summed from the ledger in one statement.
pub async fn load(conn: &mut AnyConnection, program: &Program, row: ShopperRow, now: i64) -> super::Result<State> {
    let (from, to) = window(program, now);
    let sql = if conn.backend_name() == "PostgreSQL" { STATE_SQL_POSTGRES } else { STATE_SQL_SQLITE };
    let r = sqlx::query(sql).bind(&row.id).bind(now).bind(from).bind(to).fetch_one(&mut *conn).await?;
    state_from(&r, 0, row, (from, to))
}

/// How an order's shopper was found outside the write ([`known_shopper`]).
#[derive(Debug, Clone)]
pub enum Known {
    Customer { shopper_id: String, customer_id: String },
    Email { shopper_id: String, email: String },
}

/// The shopper an order's customer id or email names, if there is one and
/// the order would take it as is (the rule of `orders::order_shopper`: by
/// customer id; by email only for an order without a customer id). Read
/// before the write, on a reader; [`load_known`] re-reads it inside.
pub async fn known_shopper(conn: &mut AnyConnection, customer_id: Option<&str>, email: Option<&str>) -> super::Result<Option<Known>> {
    Ok(match (customer_id, email) {
        (Some(cid), _) => find(conn, "customer_id", cid).await?.map(|r| Known::Customer { shopper_id: r.id, customer_id: cid.to_string() }),
        (None, Some(e)) => find(conn, "email", e).await?.map(|r| Known::Email { shopper_id: r.id, email: e.to_string() }),
        (None, None) => None,
    })
}

/// The row and state of a [`Known`] shopper in one statement, inside the
/// write: `None` if the shopper no longer has the key that found it (the
/// caller then finds it the long way). SQLite only (its writes are
/// serialised already; PostgreSQL locks the row first, [`lock`]).
pub async fn load_known(conn: &mut AnyConnection, program: &Program, known: &Known, now: i64) -> super::Result<Option<State>> {
    let (from, to) = window(program, now);
    let (sql, id, key) = match known {
        Known::Customer { shopper_id, customer_id } => (KNOWN_BY_CUSTOMER_SQLITE, shopper_id, customer_id),
        Known::Email { shopper_id, email } => (KNOWN_BY_EMAIL_SQLITE, shopper_id, email),
    };
    let Some(r) = sqlx::query(sql).bind(id).bind(now).bind(from).bind(to).bind(key).fetch_optional(&mut *conn).await? else {
        return Ok(None);
    };
    let row = shopper_row(&r)?;
    Ok(Some(state_from(&r, 12, row, (from, to))?))
}

/// The state query's columns from `at` on.
fn state_from(r: &sqlx::any::AnyRow, at: usize, row: ShopperRow, (from, to): (i64, i64)) -> super::Result<State> {
    let [balance, pending, lifetime_orders, spend, points, orders, spend_back, points_back, refunded_orders, stamps]: [i64; 10] = [
        r.try_get(at)?,
        r.try_get(at + 1)?,
        r.try_get(at + 3)?,
        r.try_get(at + 4)?,
        r.try_get(at + 5)?,
        r.try_get(at + 6)?,
        r.try_get(at + 7)?,
        r.try_get(at + 8)?,
        r.try_get(at + 9)?,
        r.try_get(at + 10)?,
    ];
    let last_ledger: Option<i64> = r.try_get(at + 2)?;
    let card_started: Option<i64> = r.try_get(at + 11)?;
    let last_order: Option<(i64, i64)> = match (r.try_get::<Option<i64>, _>(at + 12)?, r.try_get::<Option<i64>, _>(at + 13)?) {
        (Some(at), Some(subtotal)) => Some((at, subtotal)),
        _ => None,
    };
    let rewarded_actions = rewarded_actions(&r.try_get::<String, _>(at + 14)?)?;
    let last_activity = [last_ledger, last_order.map(|o| o.0), row.signed_up_at].into_iter().flatten().max();
    let period = Period { from, to, spend, points, orders, spend_back, points_back, refunded_orders };
    let (period_spend, period_points, period_orders) = period.net();
    let shopper = Shopper {
        member: row.signed_up_at.is_some(),
        balance,
        pending: pending.max(0),
        lifetime_orders,
        period_spend,
        period_points,
        period_orders,
        tier: held_tier(&row),
        membership: held_membership(&row)?,
        stamps: stamps.max(0),
        card_started,
        last_activity,
        rewarded_actions,
        last_order_value: last_order.map(|o| o.1),
    };
    Ok(State { row, shopper, period })
}

fn held_tier(row: &ShopperRow) -> Option<HeldTier> {
    match (&row.tier_id, row.tier_since) {
        (Some(id), Some(since)) => Some(HeldTier { id: id.clone(), since }),
        _ => None,
    }
}

/// The membership as the webhook stored it (no status: `active`).
fn held_membership(row: &ShopperRow) -> super::Result<Option<HeldMembership>> {
    let Some(id) = &row.membership_id else { return Ok(None) };
    let status = match row.membership_status.as_deref() {
        None | Some("active") => MembershipStatus::Active,
        Some("trial") => MembershipStatus::Trial,
        Some("lapsed") => MembershipStatus::Lapsed,
        Some(other) => {
            return Err(super::Error(sqlx::Error::Decode(format!("shopper {}: unknown membership status {other:?}", row.id).into())))
        }
    };
    Ok(Some(HeldMembership { id: id.clone(), status }))
}

impl State {
    /// The tier period's metric as [`load`] would sum it once an order
    /// recorded at `at` (not refunded) is added; the other fields are
    /// unchanged. Saves re-reading the state inside the order's write.
    pub fn with_order(&self, at: i64, qualifying: i64, points: i64) -> State {
        let mut next = self.clone();
        if self.period.from <= at && at < self.period.to {
            next.period.spend += qualifying;
            next.period.points += points;
            next.period.orders += 1;
        }
        let s = &mut next.shopper;
        (s.period_spend, s.period_points, s.period_orders) = next.period.net();
        next
    }

    /// The shopper as the core's Shopper JSON (what the engine's text API takes).
    pub fn core_json(&self) -> Json<'static> {
        self.shopper.to_json()
    }
}

/// One ledger entry to append.
pub struct Entry<'a> {
    pub shopper_id: &'a str,
    pub delta: i64,
    pub cause: &'static str,
    pub reference: &'a str,
    pub at: i64,
    pub available_at: i64,
    pub detail: String,
}

const APPEND_SQL: &str = "INSERT INTO ledger (shopper_id, delta, cause, ref, at, available_at, program_version, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// [`append`] as a statement of a [`Batch`].
pub fn append_to(b: &mut Batch, program_version: &str, e: Entry<'_>) {
    let args = vec![
        e.shopper_id.into(),
        e.delta.into(),
        e.cause.into(),
        e.reference.into(),
        e.at.into(),
        e.available_at.into(),
        program_version.into(),
        e.detail.into(),
    ];
    b.push(APPEND_SQL, args);
}

pub(super) const ACTION_SQL: &str = "INSERT INTO actions_rewarded (shopper_id, action_id, at, source) VALUES ($1, $2, $3, $4)";

/// A rewarded action (what the core's eligibility reads), as a statement of a [`Batch`].
pub fn action_rewarded_to(b: &mut Batch, shopper_id: &str, action_id: &str, at: i64, source: &str) {
    b.push(ACTION_SQL, vec![shopper_id.into(), action_id.into(), at.into(), source.into()]);
}

pub async fn append(conn: &mut AnyConnection, program_version: &str, e: Entry<'_>) -> super::Result<()> {
    sqlx::query(APPEND_SQL)
        .bind(e.shopper_id)
        .bind(e.delta)
        .bind(e.cause)
        .bind(e.reference)
        .bind(e.at)
        .bind(e.available_at)
        .bind(program_version)
        .bind(e.detail)
        .execute(conn)
        .await?;
    Ok(())
}

/// A bonus action credited: its ledger entry (cause `action`) and the
/// rewarded action the core's eligibility reads (`source`: who credited it).
#[allow(clippy::too_many_arguments)]
pub async fn credit_action(
    conn: &mut AnyConnection,
    program_version: &str,
    shopper_id: &str,
    action_id: &str,
    points: i64,
    reference: &str,
    (at, available_at): (i64, i64),
    detail: String,
    source: &str,
) -> super::Result<()> {
    append(conn, program_version, Entry { shopper_id, delta: points, cause: "action", reference, at, available_at, detail }).await?;
    sqlx::query(ACTION_SQL).bind(shopper_id).bind(action_id).bind(at).bind(source).execute(conn).await?;
    Ok(())
}

const STAMPS_SQL: &str = "INSERT INTO stamps (shopper_id, delta, cause, ref, at, card_started, completes, program_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// Stamps of a punch card (what [`append_stamps`] writes).
pub struct Stamps<'a> {
    pub shopper_id: &'a str,
    pub delta: i64,
    pub cause: &'a str,
    pub reference: &'a str,
    pub at: i64,
    pub card_started: Option<i64>,
    pub completes: i64,
}

/// [`append_stamps`] as a statement of a [`Batch`].
pub fn stamps_to(b: &mut Batch, program_version: &str, s: Stamps<'_>) {
    let args = vec![
        s.shopper_id.into(),
        s.delta.into(),
        s.cause.into(),
        s.reference.into(),
        s.at.into(),
        s.card_started.into(),
        s.completes.into(),
        program_version.into(),
    ];
    b.push(STAMPS_SQL, args);
}

#[allow(clippy::too_many_arguments)]
pub async fn append_stamps(
    conn: &mut AnyConnection,
    program_version: &str,
    shopper_id: &str,
    delta: i64,
    cause: &str,
    reference: &str,
    at: i64,
    card_started: Option<i64>,
    completes: i64,
) -> super::Result<()> {
    sqlx::query(STAMPS_SQL)
        .bind(shopper_id)
        .bind(delta)
        .bind(cause)
        .bind(reference)
        .bind(at)
        .bind(card_started)
        .bind(completes)
        .bind(program_version)
        .execute(conn)
        .await?;
    Ok(())
}

/// The shopper a merchant-signed token names: a customer id, or the
/// server's own `shp_…` id of a shopper without one (a popup signup the
/// merchant's backend has not linked yet) — the latter only until a
/// customer id is linked, then only the customer's token reads it. The
/// server signs no tokens itself (a signup lends none, `signup::answer`).
pub async fn resolve(conn: &mut sqlx::AnyConnection, subject: &str) -> super::Result<Option<ShopperRow>> {
    if subject.starts_with("shp_") {
        if let Some(row) = find(conn, "id", subject).await? {
            if row.customer_id.is_none() {
                return Ok(Some(row));
            }
        }
    }
    find(conn, "customer_id", subject).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shopper_json_reads_back_as_the_same_shopper() {
        let at = 1_795_341_600_123; // milliseconds must survive the text form
        let full = Shopper {
            member: true,
            balance: 102,
            pending: 36,
            lifetime_orders: 8,
            period_spend: 1_649_000,
            period_points: 188,
            period_orders: 8,
            tier: Some(HeldTier { id: "dong".into(), since: at - 86_400_000 }),
            membership: Some(HeldMembership { id: "hoi-vien".into(), status: MembershipStatus::Trial }),
            stamps: 9,
            card_started: Some(at - 3_600_000),
            last_activity: Some(at),
            rewarded_actions: vec![RewardedAction { id: "signup".into(), at: at - 1 }, RewardedAction { id: "birthday".into(), at }],
            last_order_value: Some(367_000),
        };
        let mut cases = vec![Shopper::guest(), full.clone()];
        for status in [MembershipStatus::Active, MembershipStatus::Lapsed] {
            cases.push(Shopper { membership: Some(HeldMembership { id: "hoi-vien".into(), status }), ..full.clone() });
        }
        for shopper in cases {
            let text = shopper.to_json().to_text();
            assert_eq!(Shopper::parse(&text).unwrap(), shopper, "{text}");
        }
    }

    #[test]
    fn a_stored_membership_without_status_is_active_and_an_unknown_one_is_an_error() {
        let row = |status: Option<&str>| ShopperRow {
            id: "shp_1".into(),
            customer_id: None,
            email: None,
            name: None,
            birthday: None,
            locale: None,
            created_at: 0,
            signed_up_at: None,
            tier_id: None,
            tier_since: None,
            membership_id: Some("hoi-vien".into()),
            membership_status: status.map(str::to_string),
        };
        assert_eq!(held_membership(&row(None)).unwrap().unwrap().status, MembershipStatus::Active);
        assert_eq!(held_membership(&row(Some("lapsed"))).unwrap().unwrap().status, MembershipStatus::Lapsed);
        assert!(held_membership(&row(Some("paused"))).is_err());
    }
}
