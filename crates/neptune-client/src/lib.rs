#![doc = include_str!("../README.md")]
#![doc = include_str!("guide.md")]

// `generated/` is rewritten by `cargo xtask codegen` from the service model; this file and
// any module added beside it are hand-written, and the generator never touches them.
mod generated;

pub mod failover;

pub use generated::*;
