//! The awsQuery protocol without I/O, for generated protocol crates.
//!
//! Generated code stays flat over what is here: each serializer is a sequence of
//! [`query::QueryWriter`] calls, each parser a loop over [`xml::Decoder::next_child`], and each
//! operation implements [`operation::Operation`] (and [`paginate::Paginate`] when it pages).
//! Error responses are read by [`envelope::error_metadata`]. Nothing here signs, sends or reads
//! files: that is the client runtime's job (the `awsquery` crate).

pub mod compression;
pub mod envelope;
pub mod host_prefix;
pub mod operation;
pub mod paginate;
pub mod query;
pub mod xml;
