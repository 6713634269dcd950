//! WebAssembly bindings: conversions and exports only. The program arrives
//! as the published bytes (`Program::from_wire`: the browser never reads
//! the merchant's JSON). `engine_run` is one call into
//! `rewards_core::Engine::run_bytes`, so the operations are listed once, in
//! `rewards_core::Op`. The shopper and the op's input cross as bytes
//! (`rewards_core::input`: the widget's JS encoder writes them from the
//! field table `inputs()` gives); answers as JSON text (see
//! ARCHITECTURE.md "The wasm boundary").
//!
//! Built twice (scripts/build-wasm.sh): with `cart-page`, the module a
//! product or cart page downloads (the operations `Op::on_cart_page`, the
//! program without its display-only section); without, the full one. Both
//! have the same hand-written exports (`raw`) and the same JS glue
//! (`crates/wasm/glue.js`): wasm-bindgen's glue and shims cost the
//! cart page ~2 KB gzip and the full module ~6 KB (docs/wasm-size.md).
//!
//! Nothing here can panic: the core returns errors as values, and they come
//! back as `{"error": …, "message": …, "issues": [{"path", "message"}]}`.

#![cfg_attr(feature = "no-std", no_std)]
extern crate alloc;

use rewards_core::Millis;

mod raw;
pub use raw::*;

/// The engine never panics on any input (fuzzed; see fuzz/), so a panic is
/// a bug: trap without formatting a message nobody would read.
#[cfg(feature = "no-std")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

/// `now` arrives as JS milliseconds (`Date.now()`); non-finite values
/// become 0 rather than trapping. This is the only float in the crate and
/// it is a conversion, not a computation.
fn ms(now: f64) -> Millis {
    if now.is_finite() {
        now as Millis
    } else {
        0
    }
}
