//! What the platform webhook endpoints (`shopify`, `woocommerce`) share:
//! the signature scheme both platforms use (base64 HMAC-SHA256 of the raw
//! body), the decoding of their bodies (syntax `400`, shape `422`, with the
//! path) and the field rules their mappings read (decimal amounts, ids and
//! labels as exact text, quantities, codes, emails).

pub mod generic;
pub mod shopify;
pub mod woocommerce;

use axum::http::{HeaderMap, StatusCode};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::Sha256;

use crate::body::{Any, Code, Email, MAX_CODES_PER_ORDER, MAX_CODE_CHARS};
use crate::error::{ApiError, ApiResult};
use rewards_core::config::MAX_AMOUNT;

/// The core's limits on a cart (`src/cart.rs`), checked by the mappings so
/// the error names the platform's field.
pub const MAX_LINES: usize = 500;
pub const MAX_QUANTITY: i128 = 1_000_000;
pub const MAX_TEXT: usize = 255;

/// base64 (standard alphabet, padded) of HMAC-SHA256 of `body` with
/// `secret`: Shopify's `X-Shopify-Hmac-Sha256` and WooCommerce's
/// `X-WC-Webhook-Signature` are both this.
pub fn signature(secret: &str, body: &[u8]) -> String {
    STANDARD.encode(mac(secret, body).finalize().into_bytes())
}

fn mac(secret: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    m.update(body);
    m
}

/// Checks a [`signature`] header in constant time (`verify_slice`). Only
/// the exact encoding the platforms write decodes: padding is required and
/// non-canonical trailing bits are refused.
pub fn verify_signature(secret: &str, body: &[u8], header: Option<&str>) -> bool {
    let Some(given) = header.map(str::trim).and_then(|h| STANDARD.decode(h).ok()) else { return false };
    given.len() == 32 && mac(secret, body).verify_slice(&given).is_ok()
}

pub fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

pub fn bad_request(kind: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, kind, message)
}

/// Decodes a platform body: text that is not a JSON object is `400
/// malformed` (with the path where reading stopped), a field of the wrong
/// kind `422 invalid`, both naming the JSON path.
pub fn decode<'de, T: Deserialize<'de>>(body: &'de [u8]) -> ApiResult<T> {
    crate::body::decode(body).map_err(|mut e| {
        let syntax = e
            .issues
            .first()
            .is_some_and(|(_, m)| m.starts_with("invalid JSON: ") || m.starts_with("expected a JSON object") || m == "body is not UTF-8");
        if syntax {
            e.status = StatusCode::BAD_REQUEST;
            e.kind = "malformed";
        }
        e
    })
}

/// A money amount as sent: a JSON string, or a JSON number kept as the
/// exact text it was written with (major units; converted by
/// [`rewards_core::money::minor_from_major`]).
#[derive(Debug, Clone)]
pub struct Amount(pub String);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        let text = raw.get();
        match text.as_bytes().first() {
            Some(b'"') => serde_json::from_str::<String>(text).map(Amount).map_err(de::Error::custom),
            Some(b'-' | b'0'..=b'9') => Ok(Amount(text.to_string())),
            _ => Err(de::Error::custom("expected a decimal amount (a string like \"12.50\")")),
        }
    }
}

/// An optional value shown as text: a string (trimmed; empty is none) or
/// a whole number (its exact digits: Shopify's ids exceed 2⁵³).
#[derive(Debug, Clone, Default)]
pub struct Label(pub Option<String>);

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Label, D::Error> {
        match Any::deserialize(d)? {
            Any::Null => Ok(Label(None)),
            Any::Int(n) => Ok(Label(Some(n.to_string()))),
            Any::Str(s) if s.chars().count() > MAX_TEXT => Err(de::Error::custom(format!("is longer than {MAX_TEXT} characters"))),
            Any::Str(s) if s.chars().any(char::is_control) => Err(de::Error::custom("contains a control character")),
            Any::Str(s) => Ok(Label(Some(s.trim().to_string()).filter(|s| !s.is_empty()))),
            other => Err(de::Error::custom(format!("expected a string or a whole number, found {}", other.kind()))),
        }
    }
}

pub fn label(l: &Option<Label>) -> Option<&str> {
    l.as_ref().and_then(|l| l.0.as_deref())
}

/// `a + b` for sums of amounts, at most the largest amount.
pub fn add(a: i64, b: i64, path: &str) -> ApiResult<i64> {
    a.checked_add(b)
        .filter(|&x| x <= MAX_AMOUNT)
        .ok_or_else(|| ApiError::invalid(path, "the amounts add up to more than the largest amount"))
}

/// A line's `quantity`: a whole number from 0 to the core's limit.
pub fn quantity(q: &Option<Any>, path: &str) -> ApiResult<i64> {
    match q {
        Some(Any::Int(q)) if (0..=MAX_QUANTITY).contains(q) => Ok(*q as i64),
        None | Some(Any::Null) => Err(ApiError::invalid(path, "is required")),
        Some(_) => Err(ApiError::invalid(path, format!("must be a whole number from 0 to {MAX_QUANTITY}"))),
    }
}

/// An order's codes, normalised; repeats and codes that cannot be ours
/// (longer than any we issue: the merchant's own) are left out.
pub fn codes<'a>(sent: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for c in sent {
        let c = Code::normalise(c);
        if c.chars().count() <= MAX_CODE_CHARS && !codes.contains(&c) && codes.len() < MAX_CODES_PER_ORDER {
            codes.push(c);
        }
    }
    codes
}

/// The first address the server would accept, normalised.
pub fn first_email<'a>(candidates: impl IntoIterator<Item = Option<&'a str>>) -> Option<String> {
    candidates.into_iter().flatten().find_map(|e| Email::parse(e).ok()).map(|e| e.0)
}
