//! The generator on the official Neptune 2025 model (70 operations, about 55,000 generated lines),
//! in release mode and with the allocator `cargo xtask` uses: the whole of `codegen::generate`, and
//! its stages, each also given as a ratio to reading the model's JSON into a `serde_json::Value`,
//! measured in the same run. `generate_system_allocator` measures the same with the system's.
//!
//! Run with `cargo bench -p codegen`. The official models sit beside the repository
//! (`../shared/models`); without them the bench says so and measures nothing.

mod support;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    support::run("mimalloc, as `cargo xtask` runs it");
}
