//! Candidate 3b: the same bytes as 3a (postcard's wire format, so the JS
//! side is identical), read and written by hand (boundary_common::io::
//! read_call / write_answer) instead of through serde.
#![no_std]
extern crate alloc;
use alloc::vec::Vec;
use boundary_common::io::{self, Answer, INVALID};
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
        let answer = match io::read_call(call) {
            Some(call) => io::answer(&self.0, call),
            None => Answer { error: INVALID, preview: None },
        };
        io::write_answer(&answer)
    }
}
