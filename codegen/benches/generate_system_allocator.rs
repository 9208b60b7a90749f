//! The `generate` bench with the system's allocator instead of the one `cargo xtask` uses.
//!
//! Run with `cargo bench -p codegen`; without `../shared/models` it measures nothing.

mod support;

fn main() {
    support::run("the system allocator");
}
