//! Shopper identity tokens and webhook signatures (HMAC-SHA256).
//!
//! Token: `base64url(customer_id) "." expiry_unix_seconds "." hex(HMAC-SHA256(
//! merchant_secret, base64url(customer_id) "." expiry))`. The merchant's
//! backend signs it, or the theme's Liquid does
//! (`integrations/shopify/snippets/rewards-widget.liquid`); the server
//! verifies it in constant time (`Mac::verify_slice`) and refuses expired or
//! altered tokens. The id part may keep its `=` padding (Liquid's
//! `base64_url_safe_encode` pads): the signature covers it as sent.

use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

/// base64url, with or without `=` padding.
const URL_SAFE_ANY_PAD: GeneralPurpose =
    GeneralPurpose::new(&URL_SAFE, GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent));
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

const MAX_TOKEN_LEN: usize = 1024;

/// Why a token was refused (the message the client sees).
#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    Malformed,
    BadSignature,
    Expired,
}

impl TokenError {
    pub fn message(&self) -> &'static str {
        match self {
            TokenError::Malformed => "shopper token is malformed",
            TokenError::BadSignature => "shopper token signature does not match",
            TokenError::Expired => "shopper token has expired",
        }
    }
}

fn mac(secret: &str, payload: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length.
    let mut m = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    m.update(payload);
    m
}

pub fn hmac_hex(secret: &str, payload: &[u8]) -> String {
    hex::encode(mac(secret, payload).finalize().into_bytes())
}

/// Signs a token for `customer_id` valid until `expiry` (Unix seconds).
pub fn sign(secret: &str, customer_id: &str, expiry: i64) -> String {
    let head = format!("{}.{expiry}", URL_SAFE_NO_PAD.encode(customer_id.as_bytes()));
    let sig = hmac_hex(secret, head.as_bytes());
    format!("{head}.{sig}")
}

/// The customer id a valid, unexpired token names. `now_s` in Unix seconds.
pub fn verify(secret: &str, token: &str, now_s: i64) -> Result<String, TokenError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(TokenError::Malformed);
    }
    let mut parts = token.split('.');
    let (Some(id_b64), Some(exp), Some(sig), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(TokenError::Malformed);
    };
    if exp.is_empty() || exp.len() > 12 || !exp.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TokenError::Malformed);
    }
    let sig = lower_hex_mac(sig).ok_or(TokenError::Malformed)?;
    let head_len = id_b64.len() + 1 + exp.len();
    // The signature is checked before anything else is trusted.
    mac(secret, &token.as_bytes()[..head_len]).verify_slice(&sig).map_err(|_| TokenError::BadSignature)?;
    let expiry: i64 = exp.parse().map_err(|_| TokenError::Malformed)?;
    if expiry <= now_s {
        return Err(TokenError::Expired);
    }
    let id = URL_SAFE_ANY_PAD.decode(id_b64).map_err(|_| TokenError::Malformed)?;
    let id = String::from_utf8(id).map_err(|_| TokenError::Malformed)?;
    if id.is_empty() || id.len() > 255 {
        return Err(TokenError::Malformed);
    }
    Ok(id)
}

/// Checks `X-Rewards-Signature: sha256=<hex>` over the raw body.
pub fn verify_webhook(secret: &str, body: &[u8], header: Option<&str>) -> bool {
    let Some(hex_sig) = header.and_then(|h| h.trim().strip_prefix("sha256=")) else { return false };
    let Some(sig) = lower_hex_mac(hex_sig) else { return false };
    mac(secret, body).verify_slice(&sig).is_ok()
}

/// A MAC written the one way the signers write it: 64 lower-case hex
/// digits. `hex::decode` alone also takes upper case, so an altered
/// signature (`a` → `A`) would still verify; nothing but the exact bytes
/// a signer produced is accepted.
fn lower_hex_mac(text: &str) -> Option<Vec<u8>> {
    let canonical = text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    canonical.then(|| hex::decode(text).ok()).flatten()
}

/// The header value a sender puts on a webhook body.
pub fn webhook_signature(secret: &str, body: &[u8]) -> String {
    format!("sha256={}", hmac_hex(secret, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: &str = "test-merchant-secret";

    #[test]
    fn round_trip_and_refusals() {
        let t = sign(K, "cust-42", 2_000);
        assert_eq!(verify(K, &t, 1_999), Ok("cust-42".into()));
        assert_eq!(verify(K, &t, 2_000), Err(TokenError::Expired));
        assert_eq!(verify("other-secret-xxxxx", &t, 1_000), Err(TokenError::BadSignature));
        // Extending the expiry invalidates the signature.
        let forged = t.replacen(".2000.", ".9999.", 1);
        assert_eq!(verify(K, &forged, 1_000), Err(TokenError::BadSignature));
        // Swapping the customer id too.
        let other = sign(K, "cust-43", 2_000);
        let spliced = format!("{}.{}", other.rsplit_once('.').unwrap().0, t.rsplit_once('.').unwrap().1);
        assert_eq!(verify(K, &spliced, 1_000), Err(TokenError::BadSignature));
        for bad in ["", "a.b", "a.1.zz", "a.1.00.extra", "Y3VzdA.-5.00"] {
            assert_eq!(verify(K, bad, 1_000), Err(TokenError::Malformed), "{bad}");
        }
        // The same MAC in upper case is not the signer's token.
        let (head, sig) = t.rsplit_once('.').unwrap();
        assert_eq!(verify(K, &format!("{head}.{}", sig.to_uppercase()), 1_000), Err(TokenError::Malformed));
    }

    #[test]
    fn known_vector_matches_the_documented_snippets() {
        // docs/api.md's Node, PHP and Python snippets print this exact token.
        let t = sign("change-me-merchant-secret", "customer-123", 1_900_000_000);
        assert_eq!(t, "Y3VzdG9tZXItMTIz.1900000000.bd2c752dd554454efd3164b93df3ef341d350d49840629a73443358dcaa89482");
        assert_eq!(verify("change-me-merchant-secret", &t, 1_899_999_999), Ok("customer-123".into()));
    }

    #[test]
    fn webhook_signatures() {
        let body = br#"{"order_id":"1"}"#;
        let h = webhook_signature(K, body);
        assert!(verify_webhook(K, body, Some(&h)));
        assert!(!verify_webhook(K, b"{\"order_id\":\"2\"}", Some(&h)));
        assert!(!verify_webhook(K, body, None));
        assert!(!verify_webhook(K, body, Some("sha1=00")));
        assert!(!verify_webhook(K, body, Some(&h.to_uppercase().replacen("SHA256", "sha256", 1))));
    }
}
