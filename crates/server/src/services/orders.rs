//! Orders, from every sender (the generic webhook, a platform's mapping,
//! the demo's checkout): the generic webhook's body (`OrderBody`), the
//! order's shopper, the award.
//!
//! The award is the core's preview for the shopper's state at receipt, and
//! the preview JSON is stored with the ledger entry, so every award can be
//! replayed. Idempotent by order id: a duplicate delivery writes nothing
//! and answers the stored response. Refunds are `services::refunds`.

use rewards_core::json::{int, obj, s, Json};
use rewards_core::time::format_instant;
use rewards_core::{punch, tiers, Cart, Shopper};
use sqlx::{AnyConnection, Row};

use crate::error::{ApiError, ApiResult};
use crate::services::{redeem, vouchers};
use crate::storage::db::WriteTx;
use crate::storage::ledger::{self, Entry, ShopperRow};
use crate::App;

/// Finds or creates the order's shopper, linking a customer id to a
/// shopper known so far only by email.
pub async fn order_shopper(conn: &mut AnyConnection, id: Option<&str>, email: Option<&str>, now: i64) -> Result<ShopperRow, sqlx::Error> {
    let (by_id, by_email) = match (id, email) {
        (Some(id), Some(e)) => ledger::find_by_customer_or_email(conn, id, e).await?,
        (Some(id), None) => (ledger::find(conn, "customer_id", id).await?, None),
        (None, Some(e)) => (None, ledger::find(conn, "email", e).await?),
        (None, None) => (None, None),
    };
    if let Some(r) = by_id {
        return Ok(r);
    }
    if let Some(r) = by_email {
        match (&r.customer_id, id) {
            (None, Some(cid)) => {
                sqlx::query("UPDATE shoppers SET customer_id = $1 WHERE id = $2 AND customer_id IS NULL")
                    .bind(cid)
                    .bind(&r.id)
                    .execute(&mut *conn)
                    .await?;
                return ledger::find(conn, "id", &r.id).await?.ok_or(sqlx::Error::RowNotFound);
            }
            (_, None) => return Ok(r),
            // The email belongs to another customer: key this one by id only.
            (Some(_), Some(cid)) => return Ok(ledger::create(conn, Some(cid), None, now).await?.0),
        }
    }
    Ok(ledger::create(conn, id, email, now).await?.0)
}

/// An order webhook, checked and parsed before it waits for the writer.
pub(crate) struct Order {
    id: String,
    customer_id: Option<String>,
    email: Option<String>,
    cart: Cart<'static>,
    cart_text: String,
    subtotal: i64,
    /// Normalised `discount_codes`; ours are marked used by this order.
    codes: Vec<String>,
    /// A referral code the checkout carried (see [`Order::with_referral_code`]).
    referral_code: Option<String>,
    now: i64,
    /// [`recorded`] found no such order before the write began (see
    /// [`Order::unseen`]): the write skips its own look-up.
    unseen: bool,
}

impl Order {
    /// An order whose cart text the core has checked; the award's preview
    /// reads this exact text. Every sender of orders (this webhook, the
    /// demo's checkout, a platform's mapping) comes through here.
    pub(crate) fn new(
        app: &App,
        id: String,
        (customer_id, email): (Option<String>, Option<String>),
        cart_text: String,
        codes: Vec<String>,
    ) -> ApiResult<Order> {
        let cart = Cart::parse(&cart_text, app.program().currency()).map_err(|e| ApiError::core(e, "cart"))?;
        let subtotal = cart.subtotal().map_err(|e| ApiError::core(e, "cart"))?;
        Ok(Order { id, customer_id, email, cart, cart_text, subtotal, codes, referral_code: None, now: app.clock.now(), unseen: false })
    }

    /// The referral code the platform passed with the order (a cart
    /// attribute, order meta); discount codes are tried as codes too.
    pub(crate) fn with_referral_code(mut self, code: Option<String>) -> Order {
        self.referral_code = code;
        self
    }

    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// Marks an order that [`recorded`] did not find just before its write.
    /// [`record_order`] then skips its own look-up of the order id (one
    /// statement less on the single SQLite writer), and a delivery of the
    /// same order that won in between is caught by the order's insert
    /// instead: `None`, the write is undone and the winner's answer given,
    /// as for a concurrent delivery on PostgreSQL.
    pub(crate) fn unseen(mut self) -> Order {
        self.unseen = true;
        self
    }
}

/// The answer stored for an order id, read outside any write (a reader
/// connection sees only committed, hence durable, writes).
pub(crate) async fn recorded(app: &App, order_id: &str) -> ApiResult<Option<String>> {
    let mut conn = app.db.read().await?;
    let row = sqlx::query("SELECT response FROM orders WHERE order_id = $1").bind(order_id).fetch_optional(&mut *conn).await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

/// The order's writes; returns the response text (stored with the order),
/// or `None` when a concurrent delivery recorded the order first.
pub(crate) async fn record_order(app: &App, w: &mut WriteTx, order: &Order) -> ApiResult<Option<String>> {
    let (program, version, now) = (app.program(), &app.program.version, order.now);
    let order_id = order.id.as_str();
    if !order.unseen {
        if let Some(r) = sqlx::query("SELECT response FROM orders WHERE order_id = $1").bind(order_id).fetch_optional(w.conn()).await? {
            return Ok(Some(r.try_get(0)?));
        }
    }
    // Codes are bearer vouchers: a guest's order uses them as well.
    let codes = vouchers::use_codes(w.conn(), &order.codes, order_id, now).await?;
    let code_fields = if order.codes.is_empty() { Vec::new() } else { codes.fields() };
    let identity = order.customer_id.is_some() || order.email.is_some();
    let Some(row) =
        (if identity { Some(order_shopper(w.conn(), order.customer_id.as_deref(), order.email.as_deref(), now).await?) } else { None })
    else {
        // A guest order without any identity: recorded for revenue KPIs, no award.
        let mut fields = vec![("ok", Json::Bool(true)), ("order_id", s(order_id)), ("shopper_id", Json::Null), ("points", int(0))];
        fields.extend(code_fields);
        let resp = obj(fields).to_text();
        let inserted =
            insert_order(w.conn(), order_id, None, now, program.currency().code(), order.subtotal, [0, 0, 0, 0], now, version, &resp)
                .await?;
        return Ok(inserted.then_some(resp));
    };
    let row = ledger::lock(&app.db, w.conn(), row).await?;
    let mut state = ledger::load(w.conn(), program, row, now).await?;
    crate::services::lifecycle::apply_lifecycle(w.conn(), program, version, &mut state, now).await?;

    // The award: exactly the engine call the widget makes.
    let preview_text = app.engine().preview(&state.core_json().to_text(), &order.cart_text, now).map_err(|e| ApiError::core(e, "cart"))?;
    let preview = rewards_core::json::tree(&preview_text);
    let num = |k: &str| preview.get(k).and_then(|v| if let Json::Number(n) = v { n.parse::<i64>().ok() } else { None }).unwrap_or(0);
    let (points, qualifying, cashback) = (num("total_points"), num("qualifying_total"), num("cashback"));
    let card = punch::progress(program, &state.shopper, Some(&order.cart), now).map_err(|e| ApiError::core(e, "cart"))?;
    let available_at = rewards_core::lifecycle::available_at(program, now);

    let added = card.as_ref().map_or(0, |c| c.added);
    let completes = card.as_ref().map_or(0, |c| c.completes);
    // One voucher per completed card; the codes are part of the stored
    // response, so a duplicate delivery answers the same codes.
    let codes: Vec<String> = (0..completes).map(|_| redeem::new_code()).collect();
    let mut fields = vec![
        ("ok", Json::Bool(true)),
        ("order_id", s(order_id)),
        ("shopper_id", s(&*state.row.id)),
        ("points", int(points)),
        ("pending_until", s(format_instant(available_at))),
        ("cashback", int(cashback)),
        ("stamps_added", int(added)),
        ("cards_completed", int(completes)),
        ("vouchers", Json::Array(codes.iter().map(|c| s(&**c)).collect())),
        ("program_version", s(&**version)),
    ];
    fields.extend(code_fields);
    let resp = obj(fields).to_text();
    let inserted = insert_order(
        w.conn(),
        order_id,
        Some(&state.row.id),
        now,
        program.currency().code(),
        order.subtotal,
        [qualifying, points, added, cashback],
        available_at,
        version,
        &resp,
    )
    .await?;
    if !inserted {
        return Ok(None);
    }
    if points != 0 {
        let e = Entry {
            shopper_id: &state.row.id,
            delta: points,
            cause: "order",
            reference: order_id,
            at: now,
            available_at,
            detail: preview_text,
        };
        ledger::append(w.conn(), version, e).await?;
    }
    if let Some(Json::Array(bonuses)) = preview.get("bonuses") {
        for b in bonuses {
            if let Some(Json::String(action)) = b.get("action") {
                sqlx::query("INSERT INTO actions_rewarded (shopper_id, action_id, at, source) VALUES ($1, $2, $3, 'order')")
                    .bind(&state.row.id)
                    .bind(action.as_ref())
                    .bind(now)
                    .execute(w.conn())
                    .await?;
            }
        }
    }
    if let (Some(c), Some(cfg)) = (&card, &program.punch_card) {
        let delta = c.stamps_after - c.stamps;
        let started = match (c.stamps_after, c.completes > 0 || c.stamps == 0) {
            (0, _) => None,
            (_, true) => Some(now),
            _ => state.shopper.card_started,
        };
        if delta != 0 || c.completes > 0 {
            ledger::append_stamps(w.conn(), version, &state.row.id, delta, "order", order_id, now, started, c.completes).await?;
        }
        for code in &codes {
            let v = redeem::Voucher {
                code,
                shopper_id: &state.row.id,
                source: "punch_card",
                redemption_id: "punch_card",
                points: 0,
                discount: cfg.reward.value,
            };
            redeem::insert_voucher(w.conn(), &v, program.currency().code(), now, None, &Json::Null).await?;
        }
    }
    let referral_codes: Vec<&str> = order.referral_code.iter().chain(&order.codes).map(String::as_str).collect();
    let had_orders = state.shopper.lifetime_orders > 0;
    crate::services::referral::on_order(
        app,
        w.conn(),
        &app.db,
        &state.row,
        &referral_codes,
        had_orders,
        order_id,
        qualifying,
        available_at,
        now,
    )
    .await?;
    update_tier(w.conn(), app, &state.with_order(now, qualifying, points), now).await?;
    Ok(Some(resp))
}

#[allow(clippy::too_many_arguments)]
async fn insert_order(
    conn: &mut AnyConnection,
    order_id: &str,
    shopper: Option<&str>,
    now: i64,
    currency: &str,
    subtotal: i64,
    [qualifying, points, stamps, cashback]: [i64; 4],
    available_at: i64,
    version: &str,
    resp: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "INSERT INTO orders (order_id, shopper_id, at, currency, subtotal, qualifying, points, stamps, cashback, available_at, program_version, response)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING",
    )
    .bind(order_id)
    .bind(shopper)
    .bind(now)
    .bind(currency)
    .bind(subtotal)
    .bind(qualifying)
    .bind(points)
    .bind(stamps)
    .bind(cashback)
    .bind(available_at)
    .bind(version)
    .bind(resp)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Records the tier the shopper's period metric now reaches (the core
/// decides which; the server only remembers since when, for retention).
/// `state` is the shopper as read in this transaction with this order's
/// period metric added ([`ledger::State::with_order`]).
async fn update_tier(conn: &mut AnyConnection, app: &App, state: &ledger::State, now: i64) -> ApiResult<()> {
    let program = app.program();
    let Some(t) = &program.tiers else { return Ok(()) };
    let by_metric = Shopper { tier: None, ..state.shopper.clone() };
    let Some(reached) = tiers::current(program, &by_metric, now) else { return Ok(()) };
    let Some((ri, _)) = program.tier(&reached.id) else { return Ok(()) };
    let held = match (&state.row.tier_id, state.row.tier_since) {
        (Some(id), Some(since)) if tiers::held_until(t, since).is_none_or(|u| now < u) => program.tier(id).map(|(i, _)| (i, since)),
        _ => None,
    };
    let period_start = tiers::period_window(t, now).0;
    let record = match held {
        None => true,
        Some((hi, since)) => ri > hi || (ri == hi && period_start.is_some_and(|p| since < p)),
    };
    if record {
        sqlx::query("UPDATE shoppers SET tier_id = $1, tier_since = $2 WHERE id = $3")
            .bind(&reached.id)
            .bind(now)
            .bind(&state.row.id)
            .execute(conn)
            .await?;
    }
    Ok(())
}
