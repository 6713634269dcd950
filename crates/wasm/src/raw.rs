//! Both modules' exports, written by hand: no wasm-bindgen (its JS glue and
//! shims cost the cart page ~2 KB gzip and the full module ~6 KB;
//! docs/wasm-size.md). The JS side is `crates/wasm/glue.js`, the
//! widget's `Engine` for either module.
//!
//! The calling convention: JS asks for the input buffer (`buffer(len)`),
//! writes the bytes there, and calls; the answer is JSON text that JS reads
//! from `answer()` (its length is the call's result) before the next call.
//! An engine is a handle (`engine_new`), released by `engine_free`.
//!
//! `Engine` below is the same calls from Rust (what the wasm-bindgen test
//! crate runs), so the tests go through these exports too.

use crate::ms;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::UnsafeCell;
use rewards_core::{respond, Op, Program};

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
    // The cart-page module reads the program without its display section.
    #[cfg(feature = "cart-page")]
    let program = Program::from_wire_cart_page(input());
    #[cfg(not(feature = "cart-page"))]
    let program = Program::from_wire(input());
    match program {
        Ok(program) => Box::into_raw(Box::new(rewards_core::Engine { program })) as u32,
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
        drop(Box::from_raw(engine as *mut rewards_core::Engine));
    }
}

/// An operation (in the cart-page module, one of `Op::on_cart_page`): the buffer holds its name (`op`
/// bytes), then the shopper's bytes (`shopper`), then the input's (the
/// rest). The answer's length; an unknown or absent operation is an error
/// answer at path `op`.
///
/// # Safety
/// `engine` is a live handle from `engine_new`.
#[no_mangle]
pub unsafe extern "C" fn engine_run(engine: u32, op: u32, shopper: u32, now: f64) -> u32 {
    let engine = &*(engine as *const rewards_core::Engine);
    let bytes = input();
    let (op, shopper) = (op as usize, shopper as usize);
    // Lengths past the buffer (a glue bug) read as absent, never as a trap:
    // the unknown or empty name is then an error answer.
    let split = op.checked_add(shopper).filter(|&end| end <= bytes.len());
    let name = split.and_then(|_| bytes.get(..op)).and_then(|b| core::str::from_utf8(b).ok()).unwrap_or("");
    let shopper_bytes = split.and_then(|end| bytes.get(op..end)).unwrap_or_default();
    let input_bytes = split.and_then(|end| bytes.get(end..)).unwrap_or_default();
    let text = respond(Op::named(name).and_then(|o| run_op(engine, o, shopper_bytes, input_bytes, ms(now))));
    answer_with(text)
}

#[cfg(feature = "cart-page")]
fn run_op(engine: &rewards_core::Engine, op: Op, shopper: &[u8], input: &[u8], now: rewards_core::Millis) -> rewards_core::Result<String> {
    engine.run_cart_page_bytes(op, shopper, input, now)
}

#[cfg(not(feature = "cart-page"))]
fn run_op(engine: &rewards_core::Engine, op: Op, shopper: &[u8], input: &[u8], now: rewards_core::Millis) -> rewards_core::Result<String> {
    engine.run_bytes(op, shopper, input, now)
}

/// This module's operations (every one; the cart-page module's are
/// `Op::on_cart_page`), comma-separated, as the answer. The widget build
/// reads it once, so the JS never lists them.
#[no_mangle]
pub extern "C" fn ops() -> u32 {
    let mut out = String::new();
    for (op, name, _) in Op::ALL {
        if !cfg!(feature = "cart-page") || op.on_cart_page() {
            if !out.is_empty() {
                out.push(',');
            }
            out.push_str(name);
        }
    }
    answer_with(out)
}

/// The inputs' field tables as JSON (`rewards_core::input::table::to_json`),
/// as the answer: the widget build reads them from the full module, so the
/// JS encoder (`www/src/ui/wire-encode.js`) never lists a field itself. Not
/// in the cart-page module.
#[cfg(not(feature = "cart-page"))]
#[no_mangle]
pub extern "C" fn inputs() -> u32 {
    answer_with(rewards_core::input::table::to_json().to_text())
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
        let len = unsafe { engine_run(self.0, op.len() as u32, shopper.len() as u32, now) };
        answer_text(len)
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // SAFETY: freed once, here.
        unsafe { engine_free(self.0) }
    }
}
