//! The examples of the Neptune client (`dr_drill.rs`, `global_clusters.rs` beside this folder), and
//! [`StandIn`], a local stand-in for the part of the Neptune API they call, to try them without an
//! AWS account:
//!
//! ```text
//! cargo run -p neptune-examples --example stand_in          # prints its URL, serves until stopped
//! export AWS_ENDPOINT_URL=http://127.0.0.1:PORT AWS_REGION=us-east-1 \
//!        AWS_ACCESS_KEY_ID=AKIDSTANDIN AWS_SECRET_ACCESS_KEY=stand-in-secret
//! cargo run -p neptune-examples --example global_clusters
//! cargo run -p neptune-examples --example dr_drill -- drill-global
//! ```

pub mod stand_in;

pub use stand_in::StandIn;
