//! Wire and client tests of the generated Neptune crates (`neptune-model`, `neptune-protocol` and
//! `neptune-client`).
//!
//! The library is empty; the tests live in `tests/`: request bodies as the protocol crate writes
//! them, responses captured from AWS and from a mock server as it reads them, and the client driven
//! through an in-memory transport.
