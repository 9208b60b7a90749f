//! Filled in by the change that adds this source.
