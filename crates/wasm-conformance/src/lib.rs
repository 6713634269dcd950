//! Test-only crate: see `tests/conformance.rs`. The build script evaluates
//! every fixture with the native engine (on the host) and embeds the
//! outputs, so the browser test can compare the wasm exports against them
//! byte for byte.
