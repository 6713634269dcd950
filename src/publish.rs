//! The published program: what the server (`GET /api/program`) and the
//! static build step (`rewards-server publish`) give the browser, so the
//! browser never reads or validates the merchant's JSON.
//!
//! One JSON document, made from a program the native validator accepted:
//!
//! ```text
//! {"published": 1, "version": "v1:…", "program": {…}, "engine": "<base64>"}
//! ```
//!
//! - `published`: this document's format (the widget refuses others, and
//!   says to publish the config when it is handed the config itself);
//! - `version`: the program's version, the one every ledger entry records
//!   and the server's ETag;
//! - `program`: [`widget_program`], what the widget's JS reads;
//! - `engine`: [`Program::to_wire`], base64 (RFC 4648, padded), what the
//!   wasm engine reads with `Program::from_wire`.

use crate::config::{FieldMode, Program, RedemptionKind};
use crate::explain::{selector, store, strs, text};
use crate::json::{int, obj, opt, s, Json};
use crate::prelude::*;

/// The format of the published document (its `published` member).
pub const FORMAT: i64 = 1;

/// The published document's JSON text.
pub fn document(p: &Program, version: &str) -> String {
    obj(vec![("published", int(FORMAT)), ("version", s(version)), ("program", widget_program(p)), ("engine", s(base64(&p.to_wire())))])
        .to_text()
}

/// RFC 4648 base64 with padding (what `atob` reads).
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            out.push(if i <= chunk.len() { ABC[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
        }
    }
    out
}

fn field(m: FieldMode) -> Json<'static> {
    s(match m {
        FieldMode::Hidden => "hidden",
        FieldMode::Optional => "optional",
        FieldMode::Required => "required",
    })
}

/// The program as the widget's JS reads it: the config's own shape and
/// names, defaults filled in, only the parts the JS uses (labels, the
/// popup's settings, text overrides, the selectors the platform adapters
/// must gather fields for). The numbers come from the engine bytes.
pub fn widget_program(p: &Program) -> Json<'static> {
    let popup = opt(p.popup.as_ref(), |pp| {
        let t = &pp.triggers;
        obj(vec![
            ("enabled", Json::Bool(pp.enabled)),
            (
                "triggers",
                obj(vec![
                    ("exit_intent", Json::Bool(t.exit_intent)),
                    ("exit_sensitivity_px", int(t.exit_sensitivity_px)),
                    ("delay_seconds", opt(t.delay_seconds, int)),
                    ("scroll_percent", opt(t.scroll_percent, int)),
                    ("mobile_scroll_up", Json::Bool(t.mobile_scroll_up)),
                    ("mobile_back", Json::Bool(t.mobile_back)),
                    ("tab_return", Json::Bool(t.tab_return)),
                    ("idle_seconds", opt(t.idle_seconds, int)),
                ]),
            ),
            ("cooldown_days", int(pp.cooldown_days)),
            ("exclude_paths", strs(&pp.exclude_paths)),
            ("name_field", field(pp.name_field)),
            ("birthday_field", field(pp.birthday_field)),
            (
                "consents",
                Json::Array(
                    pp.consents
                        .iter()
                        .map(|c| {
                            obj(vec![
                                ("id", s(&*c.id)),
                                ("version", int(c.version)),
                                ("text", text(&c.text)),
                                ("required", Json::Bool(c.required)),
                            ])
                        })
                        .collect(),
                ),
            ),
        ])
    });
    let overrides = Json::Object(
        p.texts
            .iter()
            .map(|(l, kv)| (l.clone().into(), Json::Object(kv.iter().map(|(k, v)| (k.clone().into(), s(&**v))).collect())))
            .collect(),
    );
    let tiers = opt(p.tiers.as_ref(), |t| {
        let levels = t.levels.iter().map(|l| obj(vec![("id", s(&*l.id)), ("name", text(&l.name)), ("threshold", int(l.threshold))]));
        obj(vec![("metric", s(t.metric.name())), ("levels", Json::Array(levels.collect()))])
    });
    // join_url: where the checkout prompt's and the popup's membership offers link.
    let membership =
        opt(p.membership.as_ref(), |m| obj(vec![("id", s(&*m.id)), ("name", text(&m.name)), ("join_url", opt(m.join_url.as_deref(), s))]));
    let punch_card = opt(p.punch_card.as_ref(), |c| {
        obj(vec![
            ("name", text(&c.name)),
            ("stamps_required", int(c.stamps_required)),
            ("eligible", selector(&c.eligible)),
            ("reward", obj(vec![("description", text(&c.reward.description)), ("value", int(c.reward.value))])),
        ])
    });
    let redemptions = p.redemptions.iter().map(|r| {
        let value = match r.kind {
            RedemptionKind::AmountOff { value } | RedemptionKind::FreeProduct { value, .. } => int(value),
            RedemptionKind::PercentOff { .. } | RedemptionKind::FreeShipping => Json::Null,
        };
        obj(vec![("id", s(&*r.id)), ("name", text(&r.name)), ("kind", s(r.kind.name())), ("points", int(r.points)), ("value", value)])
    });
    // The explainer's store, and where the store signs shoppers in.
    let mut store = store(p);
    if let Json::Object(fields) = &mut store {
        fields.push(("sign_in_url".into(), opt(p.store.sign_in_url.as_deref(), s)));
    }
    obj(vec![
        ("version", int(p.version)),
        ("store", store),
        ("earning", obj(vec![("minimum_order", int(p.earning.minimum_order)), ("exclude", selector(&p.earning.exclude))])),
        // Kinds only: the loader reserves room for the first-order bonus line.
        ("actions", Json::Array(p.actions.iter().map(|a| obj(vec![("id", s(&*a.id)), ("kind", s(a.kind.name()))])).collect())),
        ("cashback", opt(p.cashback.as_ref(), |c| obj(vec![("percent", s(c.percent.to_text()))]))),
        ("tiers", tiers),
        ("membership", membership),
        ("punch_card", punch_card),
        ("redemptions", Json::Array(redemptions.collect())),
        ("popup", popup),
        ("texts", overrides),
    ])
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_is_rfc_4648_with_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }
}
