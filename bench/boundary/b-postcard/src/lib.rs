//! Reader B: serde + postcard (the same bytes the hand positional reader reads).
//! The boundary is the typed-calls one of a-numbers, so this module differs
//! from a-numbers only by its program reader.
#![no_std]
extern crate alloc;

fn read_program(bytes: &[u8]) -> Option<boundary_common::compiled::CProgram> {
    postcard::from_bytes(bytes).ok()
}

include!("../../a-numbers/src/boundary.rs");
