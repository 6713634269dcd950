//! Evaluates every core fixture natively and writes the outputs to
//! `$OUT_DIR/native.rs` for the browser test to compare against.

#[path = "differential_native.rs"]
mod differential_native;
#[path = "../../tests/common/fixture.rs"]
mod fixture;

use std::fmt::Write;

fn main() {
    println!("cargo:rerun-if-changed=../../tests/fixtures");
    println!("cargo:rerun-if-changed=../../tests/common/fixture.rs");
    println!("cargo:rerun-if-changed=../../src");
    let mut out = String::from("/// (case name, native output text) for every fixture case.\npub const NATIVE: &[(&str, &str)] = &[\n");
    for (name, text) in fixture::CASES {
        let output = rewards_core::Json::parse(text)
            .map_err(|e| format!("case is not JSON: {e}"))
            .and_then(|case| fixture::evaluate(&case))
            .unwrap_or_else(|e| format!("native evaluation failed: {e}"));
        writeln!(out, "    ({name:?}, {output:?}),").unwrap();
    }
    out.push_str(
        "];\n/// (invalid config name, native error text) for every malformed config.\npub const NATIVE_INVALID: &[(&str, &str)] = &[\n",
    );
    for (name, text) in fixture::INVALID {
        let config = rewards_core::Json::parse(text).ok().and_then(|c| {
            c.get("config").cloned().map(|c| match c {
                rewards_core::Json::String(raw) => raw.into_owned(),
                other => other.to_text(),
            })
        });
        let error = match config.map(|c| rewards_core::Engine::new(&c)) {
            Some(Err(e)) => e.to_json().to_text(),
            Some(Ok(_)) => "native engine accepted the config".to_string(),
            None => "invalid fixture file".to_string(),
        };
        writeln!(out, "    ({name:?}, {error:?}),").unwrap();
    }
    out.push_str("];\n");
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out_dir.join("native.rs"), out).unwrap();
    differential_native::write(&out_dir);
}
