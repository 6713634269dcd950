//! Reader B: miniserde (its own derive, no serde), JSON text.
//! The boundary is the typed-calls one of a-numbers, so this module differs
//! from a-numbers only by its program reader.
#![no_std]
extern crate alloc;

fn read_program(bytes: &[u8]) -> Option<boundary_common::compiled::CProgram> {
    core::str::from_utf8(bytes).ok().and_then(|t| miniserde::json::from_str(t).ok())
}

include!("../../a-numbers/src/boundary.rs");
