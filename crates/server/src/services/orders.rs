//! Orders, from every sender (the generic webhook, a platform's mapping,
//! the demo's checkout): the generic webhook's body (`OrderBody`), the
//! order's shopper, the award.
//!
//! The award is the core's preview for the shopper's state at receipt, and
//! the preview JSON is stored with the ledger entry, so every award can be
//! replayed. Idempotent by order id: a duplicate delivery writes nothing
//! and answers the stored response. Refunds are `services::refunds`.

use crate::error::{ApiError, ApiResult};
use crate::services::{redeem, vouchers};
use crate::storage::batch::Batch;
use crate::storage::db::{Backend, WriteTx};
use crate::storage::ledger::{self, Entry, Known, Stamps};
use crate::storage::orders::{self as stored, NewOrder};
use crate::App;
use rewards_core::json::{int, obj, s, Json};
use rewards_core::time::format_instant;
use rewards_core::{punch, tiers, Cart, Shopper};

/// Finds or creates the order's shopper, linking a customer id to a
/// shopper known so far only by email.
pub use crate::storage::orders::order_shopper;

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
    /// [`Order::look_up`] found no such order before the write began: the
    /// write skips its own look-up of the order id (one statement less on
    /// the single SQLite writer), and a delivery of the same order that won
    /// in between is caught by the order's insert instead (`None`: the
    /// write is undone and the winner's answer given, as for a concurrent
    /// delivery on PostgreSQL).
    unseen: bool,
    /// The order's shopper as found before the write ([`Order::look_up`]).
    known: Option<Known>,
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
        Ok(Order {
            id,
            customer_id,
            email,
            cart,
            cart_text,
            subtotal,
            codes,
            referral_code: None,
            now: app.clock.now(),
            unseen: false,
            known: None,
        })
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
}

/// The answer stored for an order id, read outside any write (a reader
/// connection sees only committed, hence durable, writes).
pub(crate) async fn recorded(app: &App, order_id: &str) -> ApiResult<Option<String>> {
    let mut conn = app.db.read().await?;
    Ok(stored::recorded(&mut conn, order_id).await?)
}

impl Order {
    /// Before the write, on a reader: whether the order is recorded (its
    /// stored answer), and if not, marks it [`Order::unseen`] and finds its
    /// shopper, so that on SQLite the write reads the shopper's row and
    /// state in one statement ([`ledger::load_known`]) instead of three.
    pub(crate) async fn look_up(mut self, app: &App) -> ApiResult<(Order, Option<String>)> {
        let mut conn = app.db.read().await?;
        if let Some(answer) = stored::recorded(&mut conn, &self.id).await? {
            return Ok((self, Some(answer)));
        }
        self.unseen = true;
        if app.db.backend == Backend::Sqlite {
            self.known = ledger::known_shopper(&mut conn, self.customer_id.as_deref(), self.email.as_deref()).await?;
        }
        Ok((self, None))
    }
}

/// The order's writes; returns the response text (stored with the order),
/// or `None` when a concurrent delivery recorded the order first.
pub(crate) async fn record_order(app: &App, w: &mut WriteTx, order: &Order) -> ApiResult<Option<String>> {
    record_order_with(app, w, order, |_, _| {}).await
}

/// [`record_order`], with statements of the caller's (`also`, given the
/// response text) run with the order's own, in the same round trip: e.g.
/// the platform's delivery id, recorded only if the order is.
pub(crate) async fn record_order_with(
    app: &App,
    w: &mut WriteTx,
    order: &Order,
    also: impl FnOnce(&str, &mut Batch),
) -> ApiResult<Option<String>> {
    let (program, version, now) = (app.program(), &app.program.version, order.now);
    let currency = program.currency();
    let order_id = order.id.as_str();
    if !order.unseen {
        if let Some(r) = stored::recorded(w.conn(), order_id).await? {
            return Ok(Some(r));
        }
    }
    // Codes are bearer vouchers: a guest's order uses them as well.
    let codes = vouchers::use_codes(w.conn(), &order.codes, order_id, now).await?;
    let code_fields = if order.codes.is_empty() { Vec::new() } else { codes.fields() };
    let identity = order.customer_id.is_some() || order.email.is_some();
    // The shopper's row and state: in one statement if the shopper was
    // found before the write and still has that key (SQLite), else found
    // or created, locked (PostgreSQL) and summed.
    let known = match &order.known {
        Some(k) => ledger::load_known(w.conn(), program, k, now).await?,
        None => None,
    };
    let mut state = match known {
        Some(state) => state,
        None if identity => {
            let row = order_shopper(w.conn(), order.customer_id.as_deref(), order.email.as_deref(), now).await?;
            let row = ledger::lock(&app.db, w.conn(), row).await?;
            ledger::load(w.conn(), program, row, now).await?
        }
        None => {
            // A guest order without any identity: recorded for revenue KPIs, no award.
            let mut fields = vec![("ok", Json::Bool(true)), ("order_id", s(order_id)), ("shopper_id", Json::Null), ("points", int(0))];
            fields.extend(code_fields);
            let resp = obj(fields).to_text();
            let mut b = Batch::new();
            let row = NewOrder {
                order_id,
                shopper_id: None,
                at: now,
                currency: currency.code(),
                subtotal: order.subtotal,
                qualifying: 0,
                points: 0,
                stamps: 0,
                cashback: 0,
                available_at: now,
                program_version: version,
                response: &resp,
            };
            stored::insert(&mut b, &row);
            also(&resp, &mut b);
            return run_order_batch(w, b).await.map(|inserted| inserted.then_some(resp));
        }
    };
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
    // The order's own writes, in one batch (one round trip on SQLite), the
    // order's row first.
    let mut b = Batch::new();
    let row = NewOrder {
        order_id,
        shopper_id: Some(&state.row.id),
        at: now,
        currency: currency.code(),
        subtotal: order.subtotal,
        qualifying,
        points,
        stamps: added,
        cashback,
        available_at,
        program_version: version,
        response: &resp,
    };
    stored::insert(&mut b, &row);
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
        ledger::append_to(&mut b, version, e);
    }
    if let Some(Json::Array(bonuses)) = preview.get("bonuses") {
        for bonus in bonuses {
            if let Some(Json::String(action)) = bonus.get("action") {
                ledger::action_rewarded_to(&mut b, &state.row.id, action, now, "order");
            }
        }
    }
    if let (Some(c), Some(_)) = (&card, &program.punch_card) {
        let delta = c.stamps_after - c.stamps;
        let card_started = match (c.stamps_after, c.completes > 0 || c.stamps == 0) {
            (0, _) => None,
            (_, true) => Some(now),
            _ => state.shopper.card_started,
        };
        if delta != 0 || c.completes > 0 {
            let st = Stamps {
                shopper_id: &state.row.id,
                delta,
                cause: "order",
                reference: order_id,
                at: now,
                card_started,
                completes: c.completes,
            };
            ledger::stamps_to(&mut b, version, st);
        }
    }
    update_tier(&mut b, app, &state.with_order(now, qualifying, points), now);
    also(&resp, &mut b);
    if !run_order_batch(w, b).await? {
        return Ok(None);
    }
    if let (Some(cfg), false) = (&program.punch_card, codes.is_empty()) {
        for code in &codes {
            let v = crate::storage::vouchers::NewVoucher {
                code,
                shopper_id: &state.row.id,
                source: "punch_card",
                redemption_id: "punch_card",
                points: 0,
                discount: cfg.reward.value,
            };
            crate::storage::vouchers::insert(w.conn(), &v, program.currency().code(), now, None, &Json::Null).await?;
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
    Ok(Some(resp))
}

/// Runs an order's batch: `false` if a concurrent delivery recorded the
/// order first (nothing of the batch is kept; the caller undoes the write).
async fn run_order_batch(w: &mut WriteTx, b: Batch) -> ApiResult<bool> {
    match b.run(w.conn()).await {
        Ok(()) => Ok(true),
        Err(e) if stored::is_recorded_already(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Records the tier the shopper's period metric now reaches (the core
/// decides which; the server only remembers since when, for retention).
/// `state` is the shopper as read in this transaction with this order's
/// period metric added ([`ledger::State::with_order`]).
fn update_tier(b: &mut Batch, app: &App, state: &ledger::State, now: i64) {
    let program = app.program();
    let Some(t) = &program.tiers else { return };
    let by_metric = Shopper { tier: None, ..state.shopper.clone() };
    let Some(reached) = tiers::current(program, &by_metric, now) else { return };
    let Some((ri, _)) = program.tier(&reached.id) else { return };
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
        stored::set_tier(b, &state.row.id, &reached.id, now);
    }
}
