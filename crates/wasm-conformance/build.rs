//! Evaluates every core fixture natively and writes the outputs, and each
//! case's program as published (`Program::to_wire`), to `$OUT_DIR/native.rs`
//! for the browser test to compare against.

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
    out.push_str("];\n/// (case name, case text, its program published: `Program::to_wire`) for every case whose program is valid.\npub const WIRE: &[(&str, &str, &[u8])] = &[\n");
    for (name, text) in fixture::CASES {
        let case = rewards_core::Json::parse(text).expect("case JSON");
        let program = match case.get("program") {
            Some(rewards_core::Json::String(named)) => fixture::program_text(named).expect("known program").to_string(),
            Some(other) => other.to_text(),
            None => continue,
        };
        if let Ok(engine) = rewards_core::Engine::new(&program) {
            writeln!(out, "    ({name:?}, {text:?}, &{:?}),", engine.program.to_wire()).unwrap();
        }
    }
    out.push_str("];\n");
    let vn =
        rewards_core::Engine::new(fixture::program_text("vn-coffee.json").expect("the vn-coffee program")).expect("vn-coffee is valid");
    writeln!(out, "/// tests/fixtures/programs/vn-coffee.json, published.\npub const VN_COFFEE: &[u8] = &{:?};", vn.program.to_wire())
        .unwrap();
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out_dir.join("native.rs"), out).unwrap();
    differential_native::write(&out_dir);
}
