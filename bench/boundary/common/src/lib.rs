//! Shared by every boundary variant (see ../../README.md).
//!
//! - [`compiled`]: the program as the server would publish it for the
//!   browser: validated, defaults filled, enums as small codes, decimals
//!   as (mantissa, scale), texts as one string per store locale.
//! - [`wire`]: postcard's wire format (varints, zigzag, length prefixes)
//!   read and written by hand; [`pos`] reads a compiled program with it.
//! - [`io`]: cart/shopper/preview mirror types for the serde variants and
//!   their conversions into the core's types.
//!
//! No floats anywhere (the core forbids them).
#![no_std]
extern crate alloc;

pub mod compiled;
pub mod io;
pub mod pos;
pub mod wire;

/// The engine never panics on valid input; a panic is a bug: trap.
#[cfg(all(target_arch = "wasm32", feature = "panic-handler"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

/// Largest amount of money or count accepted at the boundary (the core's
/// decoder uses the same bound).
pub const MAX_MONEY: i64 = 1_000_000_000_000_000;
pub const MAX_QUANTITY: i64 = 1_000_000;
pub const MAX_LINES: usize = 500;
