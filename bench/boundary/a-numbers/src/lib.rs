//! Candidate 4: typed calls by numbers. Strings are interned once into a
//! table (JS keeps the string → id map), integers cross as two 32-bit
//! halves, the cart is sent line by line, the answer is an Int32Array.
//! The program is read by the hand positional reader, as in every A
//! variant. The B variants include the same boundary (`boundary.rs`) with
//! another program reader.
#![no_std]
extern crate alloc;

fn read_program(bytes: &[u8]) -> Option<boundary_common::compiled::CProgram> {
    boundary_common::pos::read(bytes)
}

include!("boundary.rs");
