//! The demo and the load client, outside the server library: `demo` (the
//! demo stores on the reference server, seeded SQLite files, one instance
//! per store), `demo_backend` (what a merchant's backend does for the demo
//! stores: tokens, voucher checks, the checkout's order) and `bench` (the
//! loopback webhook load client of `scripts/bench-server.sh`). They use
//! only the server's public API.

pub mod bench;
pub mod demo;
pub mod demo_backend;
