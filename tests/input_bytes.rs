//! The bytes the native encoder (`rewards_core::input::encode`) writes for
//! every fixture case's shopper and input, kept in
//! `tests/fixtures/input-bytes.json` so the widget's JS encoder can be
//! checked against them (`www/tests/wire-encode.test.mjs`): the two
//! encoders interpret the same field tables and must write the same bytes,
//! or name the same paths for a malformed input.
//!
//! `UPDATE_INPUT_BYTES=1 cargo test --test input_bytes` rewrites the file.

#[path = "common/fixture.rs"]
mod fixture;

use rewards_core::input::encode;
use rewards_core::json::{obj, s};
use rewards_core::{Json, Op};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/input-bytes.json");

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// `{"<case>/<input>": "hex bytes" | {"issues": ["path", …]}}` for every
/// input given as a JSON value (not `null`, not unparseable raw text).
fn expected() -> String {
    let mut rows = Vec::new();
    for (name, text) in fixture::CASES {
        let case = Json::parse(text).expect("case JSON");
        let op = case.get("op").and_then(Json::as_str).and_then(Op::from_name).expect("op");
        for input in ["shopper"].into_iter().chain(op.input_name()) {
            let value = match case.get(input) {
                None | Some(Json::Null) => continue,
                // Raw text: the widget only ever has values.
                Some(Json::String(raw)) => match Json::parse(raw) {
                    Ok(Json::Null) | Err(_) => continue,
                    Ok(v) => v.into_owned(),
                },
                Some(v) => v.clone().into_owned(),
            };
            let out = match encode::json_value(input, &value) {
                Ok(bytes) => s(hex(&bytes)),
                Err(rewards_core::Error::Invalid(issues)) => {
                    obj(vec![("issues", Json::Array(issues.iter().map(|i| s(&*i.path)).collect()))])
                }
                Err(e) => panic!("{name}: {e}"),
            };
            rows.push((format!("{name}/{input}"), out));
        }
    }
    let mut text = String::from("{\n");
    for (i, (k, v)) in rows.iter().enumerate() {
        text.push_str(&format!("  {}: {}{}\n", s(k.as_str()).to_text(), v.to_text(), if i + 1 < rows.len() { "," } else { "" }));
    }
    text.push_str("}\n");
    text
}

#[test]
fn the_js_encoders_expected_bytes_are_current() {
    let want = expected();
    if std::env::var_os("UPDATE_INPUT_BYTES").is_some() {
        std::fs::write(FILE, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(FILE).unwrap_or_default();
    assert!(have == want, "{FILE} is stale: run UPDATE_INPUT_BYTES=1 cargo test --test input_bytes");
}
