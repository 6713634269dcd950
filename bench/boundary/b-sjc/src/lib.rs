//! Reader B: serde + serde-json-core, a small no_std JSON deserializer (the compiled program as JSON text).
//! The boundary is the typed-calls one of a-numbers, so this module differs
//! from a-numbers only by its program reader.
#![no_std]
extern crate alloc;

fn read_program(bytes: &[u8]) -> Option<boundary_common::compiled::CProgram> {
    serde_json_core::from_slice(bytes).ok().map(|(p, _)| p)
}

include!("../../a-numbers/src/boundary.rs");
