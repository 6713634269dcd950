//! `POST /api/redeem`: spends points for a voucher, atomically.
//!
//! The option, its bounds and the discount all come from
//! `rewards_core::redeem` for the shopper's current ledger state; the
//! debit, the voucher and the stored response are one transaction. An
//! idempotency key per shopper makes a retried request answer the same
//! voucher; the same key with a different request is a 409.

use axum::http::StatusCode;
use rewards_core::json::{int, obj, s, Json};
use rewards_core::Cart;
use sha2::{Digest, Sha256};

use crate::body::{Id, Points, Raw};
use crate::error::{ApiError, ApiResult};
use crate::storage::db::WriteTx;
use crate::storage::ledger::{self, Entry};
use crate::storage::vouchers;
use crate::App;

/// `POST /api/redeem`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedeemBody {
    redemption_id: Id<64>,
    points: Points,
    /// Decoded by the core.
    cart: Raw,
    idempotency_key: Id<128>,
}

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// `RW-XXXX-XXXX-XXXX`: 60 random bits in Crockford base32 (no I, L, O, U).
pub fn new_code() -> String {
    let bits: u64 = rand::random();
    let chars: Vec<char> = (0..12).map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char).collect();
    let g = |r: std::ops::Range<usize>| chars[r].iter().collect::<String>();
    format!("RW-{}-{}-{}", g(0..4), g(4..8), g(8..12))
}

/// A redemption for the token's shopper `subject`: the cart read by the
/// core, then the points spent once per idempotency key. Returns the
/// response text (stored with the voucher, answered again to a retry).
pub async fn redeem(app: &App, subject: String, body: RedeemBody) -> ApiResult<String> {
    let (redemption_id, key, points) = (body.redemption_id.0, body.idempotency_key.0, body.points.0);
    let program = app.program();
    // The cart is read once, by the core; its canonical text (the core's
    // compact writer) is what the request hash has always covered, so a
    // retry hashes the same however the client spaced the cart.
    let cart_json = Json::parse(body.cart.get()).map_err(|m| ApiError::invalid("cart", m))?;
    let cart = Cart::from_json(&cart_json, program.currency()).map_err(|e| ApiError::core(e, "cart"))?;
    let request_hash = hex::encode(Sha256::digest(format!("{redemption_id}\n{points}\n{}", cart_json.to_text()).as_bytes()));
    let request = Redeem { subject, redemption_id, key, points, cart, request_hash, now: app.clock.now() };
    let mut w = app.db.write().await?;
    let result = spend(app, &mut w, &request).await;
    let text = w.finish(result).await?;
    Ok(text)
}

/// A redemption request, checked before it waits for the writer.
struct Redeem {
    subject: String,
    redemption_id: String,
    key: String,
    points: i64,
    cart: Cart<'static>,
    request_hash: String,
    now: i64,
}

/// The redemption's writes; returns the response text (stored with the voucher).
async fn spend(app: &App, w: &mut WriteTx, req: &Redeem) -> ApiResult<String> {
    let Redeem { subject, redemption_id, key, points, cart, request_hash, now } = req;
    let (program, version, points, now) = (app.program(), &app.program.version, *points, *now);
    let row = ledger::resolve(w.conn(), subject).await?.ok_or_else(|| ApiError::not_found("this shopper has no points yet"))?;
    let row = ledger::lock(&app.db, w.conn(), row).await?;
    if let Some((hash, resp)) = vouchers::by_idempotency_key(w.conn(), &row.id, key).await? {
        if hash.as_deref() != Some(request_hash.as_str()) {
            return Err(ApiError::conflict("idempotency_key was already used for a different redemption"));
        }
        return Ok(resp);
    }
    let mut state = ledger::load(w.conn(), program, row, now).await?;
    crate::services::lifecycle::apply_lifecycle(w.conn(), program, version, &mut state, now).await?;
    let opts = rewards_core::redeem::options(program, &state.shopper, cart, now).map_err(|e| ApiError::core(e, "cart"))?;
    let Some(i) = program.redemptions.iter().position(|r| r.id == *redemption_id) else {
        return Err(ApiError::invalid("redemption_id", "is not a redemption option of this program"));
    };
    let (r, st) = (&program.redemptions[i], &opts.options[i]);
    if let Some(b) = &st.blocked {
        let why = match b {
            rewards_core::redeem::Blocked::MembersOnly => "is for members of the paid membership only".to_string(),
            rewards_core::redeem::Blocked::MinCart(m) => format!("needs a cart subtotal of at least {m}"),
            rewards_core::redeem::Blocked::Shortfall(n) => format!("needs {n} more points"),
            rewards_core::redeem::Blocked::CartTooSmall => "cannot be used on this cart".to_string(),
        };
        return Err(ApiError::invalid("redemption_id", why));
    }
    if points < r.min_points || points > st.max_usable_points || points % r.increment != 0 {
        return Err(ApiError::invalid(
            "points",
            format!("must be between {} and {} in steps of {}", r.min_points, st.max_usable_points, r.increment),
        ));
    }
    let discount = rewards_core::redeem::discount_for(r, points, opts.subtotal, cart.shipping).map_err(|e| ApiError::core(e, "cart"))?;
    if points > state.shopper.balance {
        return Err(ApiError::invalid("points", format!("the balance is {}", state.shopper.balance)));
    }
    let code = new_code();
    let resp = obj(vec![
        ("voucher_code", s(&*code)),
        ("redemption_id", s(&**redemption_id)),
        ("points", int(points)),
        ("discount", int(discount)),
        ("currency", s(program.currency().code())),
        ("balance", int(state.shopper.balance - points)),
    ]);
    let detail = obj(vec![("redemption_id", s(&**redemption_id)), ("discount", int(discount)), ("subtotal", int(opts.subtotal))]);
    let e = Entry {
        shopper_id: &state.row.id,
        delta: -points,
        cause: "redemption",
        reference: &code,
        at: now,
        available_at: now,
        detail: detail.to_text(),
    };
    ledger::append(w.conn(), version, e).await?;
    let v = vouchers::NewVoucher { code: &code, shopper_id: &state.row.id, source: "redemption", redemption_id, points, discount };
    vouchers::insert(w.conn(), &v, program.currency().code(), now, Some((key, request_hash)), &resp).await?;
    // Checked: the ledger's own sum must agree and never go below zero.
    let after = ledger::balance_at(w.conn(), &state.row.id, now).await?;
    if after != state.shopper.balance - points || after < 0 {
        eprintln!("ledger check failed for {}: expected {}, found {after}", state.row.id, state.shopper.balance - points);
        return Err(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "ledger check failed; nothing was written"));
    }
    Ok(resp.to_text())
}
