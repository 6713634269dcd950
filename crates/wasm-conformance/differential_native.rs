//! Build-script half of the differential test (`tests/differential.rs`):
//! generates the same random cases the browser test will, evaluates them
//! with the native engine, and writes one digest per case to `$OUT_DIR`.
//!
//! Only for wasm32 builds (the native `cargo test --workspace` skips the
//! work). `REWARDS_DIFFERENTIAL_CASES` (default [`DEFAULT_CASES`]) and
//! `REWARDS_DIFFERENTIAL_SEED` choose the run.

#[path = "../../fuzz/common/gen.rs"]
mod gen;

use std::fmt::Write;
use std::path::Path;

/// Cases in a default run (the test command); the full run sets 100000.
pub const DEFAULT_CASES: u64 = 2_000;
pub const DEFAULT_SEED: u64 = 20_261_122;

fn env_u64(name: &str, default: u64) -> u64 {
    println!("cargo:rerun-if-env-changed={name}");
    match std::env::var(name) {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| panic!("{name} must be a whole number, found {v:?}")),
        Err(_) => default,
    }
}

pub fn write(out_dir: &Path) {
    println!("cargo:rerun-if-changed=../../fuzz/common/gen.rs");
    println!("cargo:rerun-if-changed=differential_native.rs");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    let cases = if wasm { env_u64("REWARDS_DIFFERENTIAL_CASES", DEFAULT_CASES) } else { 0 };
    let seed = env_u64("REWARDS_DIFFERENTIAL_SEED", DEFAULT_SEED);
    let mut digests = Vec::with_capacity(cases as usize * 8);
    // Each case's published program: a u32 LE length, then the bytes (length 0: invalid, never published).
    let mut programs = Vec::new();
    for i in 0..cases {
        let case = gen::differential_case(seed, i);
        digests.extend_from_slice(&gen::digest(&gen::native_outputs(&case)).to_le_bytes());
        let wire = gen::published(&case).unwrap_or_default();
        programs.extend_from_slice(&u32::try_from(wire.len()).unwrap().to_le_bytes());
        programs.extend_from_slice(&wire);
    }
    let bin = out_dir.join("differential.bin");
    std::fs::write(&bin, &digests).unwrap();
    let programs_bin = out_dir.join("differential-programs.bin");
    std::fs::write(&programs_bin, &programs).unwrap();
    let mut rs = String::new();
    writeln!(rs, "/// Seed and number of the cases `build.rs` evaluated natively.").unwrap();
    writeln!(rs, "pub const DIFF_SEED: u64 = {seed};\npub const DIFF_CASES: u64 = {cases};").unwrap();
    writeln!(rs, "/// The native digest of case i: bytes 8i..8i+8, little-endian.").unwrap();
    writeln!(rs, "pub static DIFF_DIGESTS: &[u8] = include_bytes!({:?});", bin.display().to_string()).unwrap();
    writeln!(rs, "/// Each case's published program, in order: a u32 LE length (0: invalid), then the bytes.").unwrap();
    writeln!(rs, "pub static DIFF_PROGRAMS: &[u8] = include_bytes!({:?});", programs_bin.display().to_string()).unwrap();
    std::fs::write(out_dir.join("differential.rs"), rs).unwrap();
}
