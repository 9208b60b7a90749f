//! What the runtime's integration tests share: a service and an operation error standing in for
//! generated ones.

use std::fmt;

use awsquery::Unhandled;
use awsquery::client::ServiceInfo;
use awsquery::endpoint::{Endpoint, EndpointError};
use awsquery::error::{ErrorMetadata, ProvideErrorMetadata};

/// A service without endpoint rules: requests go where the configuration's endpoint URL says.
pub const SERVICE: ServiceInfo = ServiceInfo {
    sdk_id: "Probe",
    signing_name: "probe",
    endpoint_prefix: "probe",
    crate_version: "9.8.7",
    resolve_endpoint: |builtins| {
        builtins
            .endpoint
            .clone()
            .map(Endpoint::new)
            .ok_or_else(|| EndpointError::rule("the probe service needs an endpoint URL"))
    },
};

/// The error of a hand-written operation: only the unhandled case, as for an operation with no
/// modeled errors.
#[derive(Debug)]
pub struct ProbeError(pub Unhandled);

impl fmt::Display for ProbeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for ProbeError {}

impl From<Unhandled> for ProbeError {
    fn from(e: Unhandled) -> Self {
        ProbeError(e)
    }
}

impl ProvideErrorMetadata for ProbeError {
    fn meta(&self) -> &ErrorMetadata {
        self.0.meta()
    }
}
