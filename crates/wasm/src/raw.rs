//! The cart-page module's exports, written by hand: no wasm-bindgen (its
//! JS glue and shims cost the page ~2 KB gzip; docs/wasm-size.md). The
//! JS side is `crates/wasm/cart-glue.js`, which gives the widget the same
//! `Engine` the full module's wasm-bindgen glue does.
//!
//! The calling convention: JS asks for the input buffer (`buffer(len)`),
//! writes the bytes there, and calls; the answer is JSON text that JS reads
//! from `answer()` (its length is the call's result) before the next call.
//! An engine is a handle (`engine_new`), released by `engine_free`; it
//! holds the last call's shopper and cart (`rewards_core::input::held`), so
//! a call may send no shopper (the held one) and only the cart's changed
//! lines (a patch).
//!
//! `Engine` below is the same calls from Rust (what the wasm-bindgen test
//! crate runs), so the tests go through these exports too.

use crate::ms;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::UnsafeCell;
use rewards_core::input::held::Held;
use rewards_core::{respond, Op, Program};

/// What a handle points to: the program's engine and the inputs it holds.
type Handle = (rewards_core::Engine, Held);

/// A static the single wasm thread owns.
struct Slot<T>(UnsafeCell<T>);
// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread,
// and no export holds a reference across calls.
unsafe impl<T> Sync for Slot<T> {}

static INPUT: Slot<Vec<u8>> = Slot(UnsafeCell::new(Vec::new()));
static ANSWER: Slot<String> = Slot(UnsafeCell::new(String::new()));

fn input() -> &'static mut Vec<u8> {
    // SAFETY: one thread; each export takes this reference once and drops it before returning.
    unsafe { &mut *INPUT.0.get() }
}

fn last_answer() -> &'static mut String {
    // SAFETY: as `input`.
    unsafe { &mut *ANSWER.0.get() }
}

/// Keeps `text` as the answer JS reads next; its length in bytes.
fn answer_with(text: String) -> u32 {
    let answer = last_answer();
    *answer = text;
    answer.len() as u32
}

/// The input buffer, `len` bytes, for JS to write the next call's bytes into.
#[no_mangle]
pub extern "C" fn buffer(len: u32) -> *mut u8 {
    let b = input();
    b.clear();
    b.resize(len as usize, 0);
    b.as_mut_ptr()
}

/// Where the last answer's bytes are.
#[no_mangle]
pub extern "C" fn answer() -> *const u8 {
    last_answer().as_ptr()
}

/// The last answer's length in bytes.
#[no_mangle]
pub extern "C" fn answer_len() -> u32 {
    last_answer().len() as u32
}

/// An engine on the published program's `engine` bytes (in the buffer); 0
/// when they cannot be read, with the error JSON as the answer.
#[no_mangle]
pub extern "C" fn engine_new() -> u32 {
    match Program::from_wire_cart_page(input()) {
        Ok(program) => Box::into_raw(Box::new((rewards_core::Engine { program }, Held::default()))) as u32,
        Err(e) => {
            answer_with(e.to_json().to_text());
            0
        }
    }
}

/// Releases an engine `engine_new` gave.
///
/// # Safety
/// `engine` is a handle `engine_new` returned and not yet freed (the glue
/// frees each once).
#[no_mangle]
pub unsafe extern "C" fn engine_free(engine: u32) {
    if engine != 0 {
        drop(Box::from_raw(engine as *mut Handle));
    }
}

/// An operation of `Op::on_cart_page`: the buffer holds its name (`op`
/// bytes), then the shopper's bytes (`shopper`; `u32::MAX`: none, the held
/// shopper), then the input's (the rest; with `patch` = 1, a patch of the
/// held cart: `rewards_core::input::held`). The answer's length × 2, plus 1
/// when it is an error (which forgets what was held); an unknown or absent
/// operation is an error answer at path `op`.
///
/// # Safety
/// `engine` is a live handle from `engine_new`.
#[no_mangle]
pub unsafe extern "C" fn engine_run(engine: u32, op: u32, shopper: u32, now: f64, patch: u32) -> u32 {
    let (engine, held) = &mut *(engine as *mut Handle);
    let bytes = input();
    let keep = shopper == u32::MAX;
    let (op, shopper) = (op as usize, if keep { 0 } else { shopper as usize });
    // Lengths past the buffer (a glue bug) read as absent, never as a trap:
    // the unknown or empty name is then an error answer.
    let split = op.checked_add(shopper).filter(|&end| end <= bytes.len());
    let name = split.and_then(|_| bytes.get(..op)).and_then(|b| core::str::from_utf8(b).ok()).unwrap_or("");
    let shopper_bytes = split.and_then(|end| bytes.get(op..end)).unwrap_or_default();
    let input_bytes = split.and_then(|end| bytes.get(end..)).unwrap_or_default();
    let r = Op::named(name).and_then(|o| held.run(engine, o, (!keep).then_some(shopper_bytes), input_bytes, patch == 1, ms(now)));
    let failed = r.is_err() as u32;
    answer_with(respond(r)) * 2 + failed
}

/// This module's operations (`Op::on_cart_page`), comma-separated, as the
/// answer. The widget build reads it once, so the JS never lists them.
#[no_mangle]
pub extern "C" fn ops() -> u32 {
    let mut out = String::new();
    for (op, name, _) in Op::ALL {
        if op.on_cart_page() {
            if !out.is_empty() {
                out.push(',');
            }
            out.push_str(name);
        }
    }
    answer_with(out)
}

/// The answer as JS reads it: `len` bytes from `answer()`.
fn answer_text(len: u32) -> String {
    String::from(last_answer().get(..len as usize).unwrap_or_default())
}

fn write(parts: &[&[u8]]) {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let at = buffer(len as u32);
    let mut k = 0;
    for p in parts {
        // SAFETY: `buffer` made room for every part.
        unsafe { core::ptr::copy_nonoverlapping(p.as_ptr(), at.add(k), p.len()) };
        k += p.len();
    }
}

/// The exports above called from Rust, with the full module's `Engine`
/// API: the wasm-bindgen test crate runs the cart-page cases through it.
/// Not exported (the shipped module's exports are the functions above).
pub struct Engine(u32);

impl Engine {
    /// The error is the error JSON, as the glue's `Engine` throws it.
    pub fn new(program: &[u8]) -> Result<Engine, String> {
        write(&[program]);
        match engine_new() {
            0 => Err(last_answer().clone()),
            handle => Ok(Engine(handle)),
        }
    }

    pub fn run(&self, op: &str, shopper: &[u8], input: &[u8], now: f64) -> String {
        write(&[op.as_bytes(), shopper, input]);
        // SAFETY: `self.0` is live until drop.
        let len = unsafe { engine_run(self.0, op.len() as u32, shopper.len() as u32, now, 0) };
        answer_text(len / 2)
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // SAFETY: freed once, here.
        unsafe { engine_free(self.0) }
    }
}
