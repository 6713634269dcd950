//! Candidate 3a: a compact binary format through serde: the call is
//! postcard bytes in a Uint8Array, decoded into serde-derived mirror types
//! (boundary_common::io); the answer is postcard bytes back.
#![no_std]
extern crate alloc;
use alloc::vec::Vec;
use boundary_common::io::{self, Answer, Call, INVALID};
use boundary_common::pos;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Engine(rewards_core::Program);

#[wasm_bindgen]
impl Engine {
    pub fn load(program: &[u8]) -> Option<Engine> {
        Some(Engine(pos::read(program)?.to_core()?))
    }

    pub fn preview(&self, call: &[u8]) -> Vec<u8> {
        let answer = match postcard::from_bytes::<Call>(call) {
            Ok(call) => io::answer(&self.0, call),
            Err(_) => Answer { error: INVALID, preview: None },
        };
        postcard::to_allocvec(&answer).unwrap_or_default()
    }
}
