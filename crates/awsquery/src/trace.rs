//! Spans for calls and their attempts, with the `tracing` feature; without it, every item here is
//! an empty inline function and a call costs nothing more.
//!
//! With the feature, each call runs in a `call` span (`service`, `operation`, `invocation_id`) and
//! each of its attempts in an `attempt` span inside it (`attempt`, `max_attempts`), on which the
//! attempt's `status`, `request_id`, `error_code` or `transport_error`, then its `decision`
//! (`success`, `retry` with `retry_after`, or `stop` with `stop_reason`) are recorded. One `DEBUG`
//! event ends each attempt. Spans and events are at `DEBUG` level, under the `awsquery` target.
//!
//! Nothing secret is recorded: no header, no body, no URI, no credentials and no error message
//! (which may quote the input). The request id and error code come from the server and are
//! recorded with control characters escaped and cut to a bound ([`awsquery_types::text`]).

#[cfg(feature = "tracing")]
pub(crate) use on::*;

#[cfg(not(feature = "tracing"))]
pub(crate) use off::*;

#[cfg(feature = "tracing")]
mod on {
    use std::future::Future;

    use awsquery_types::text::{MAX_NAME_CHARS, printable};
    use tracing::field::{Empty, debug, display};
    use tracing::instrument::Instrumented;
    use tracing::{Instrument as _, Level, Span};

    use crate::ErrorMetadata;
    use crate::http::Response;
    use crate::random::Uuid;
    use crate::retry::Decision;
    use crate::transport::TransportError;

    /// The span of one call.
    pub(crate) struct CallSpan(Span);

    impl CallSpan {
        pub(crate) fn new(service: &str, operation: &str, invocation: &Uuid) -> Self {
            CallSpan(tracing::span!(
                target: "awsquery",
                Level::DEBUG,
                "call",
                service,
                operation,
                invocation_id = invocation.as_str(),
            ))
        }

        /// Runs `future` inside the span.
        pub(crate) fn instrument<F: Future>(&self, future: F) -> Instrumented<F> {
            future.instrument(self.0.clone())
        }
    }

    /// The span of one attempt.
    pub(crate) struct AttemptSpan(Span);

    impl AttemptSpan {
        pub(crate) fn new(attempt: u32, max_attempts: u32) -> Self {
            AttemptSpan(tracing::span!(
                target: "awsquery",
                Level::DEBUG,
                "attempt",
                attempt,
                max_attempts,
                status = Empty,
                request_id = Empty,
                error_code = Empty,
                transport_error = Empty,
                decision = Empty,
                retry_after = Empty,
                stop_reason = Empty,
            ))
        }

        /// Runs `future` inside the span.
        pub(crate) fn instrument<F: Future>(&self, future: F) -> Instrumented<F> {
            future.instrument(self.0.clone())
        }

        /// The attempt succeeded.
        pub(crate) fn success(&self) {
            self.0.record("decision", "success");
            tracing::event!(target: "awsquery", parent: &self.0, Level::DEBUG, "attempt succeeded");
        }

        /// The attempt failed; `decision` says what comes next.
        pub(crate) fn failed(&self, decision: &Decision) {
            match decision {
                Decision::RetryAfter(delay) => {
                    self.0.record("decision", "retry");
                    self.0.record("retry_after", debug(delay));
                    tracing::event!(
                        target: "awsquery",
                        parent: &self.0,
                        Level::DEBUG,
                        "attempt failed; retrying after {delay:?}"
                    );
                }
                Decision::Stop(reason) => {
                    self.0.record("decision", "stop");
                    self.0.record("stop_reason", display(reason));
                    tracing::event!(
                        target: "awsquery",
                        parent: &self.0,
                        Level::DEBUG,
                        "attempt failed; not retried: {reason}"
                    );
                }
            }
        }

        /// Records a response's status and request id.
        pub(crate) fn response(&self, response: &Response) {
            self.0.record("status", response.status);
            if let Some(id) = response.request_id_header() {
                self.0
                    .record("request_id", display(printable(id, MAX_NAME_CHARS)));
            }
        }

        /// Records an error response's code and request id.
        pub(crate) fn service_error(&self, meta: &ErrorMetadata) {
            if let Some(code) = meta.code() {
                self.0
                    .record("error_code", display(printable(code, MAX_NAME_CHARS)));
            }
            if let Some(id) = meta.request_id() {
                self.0
                    .record("request_id", display(printable(id, MAX_NAME_CHARS)));
            }
        }

        /// Records the kind of a transport failure.
        pub(crate) fn transport_error(&self, error: &TransportError) {
            self.0.record("transport_error", debug(error.kind()));
        }
    }
}

#[cfg(not(feature = "tracing"))]
mod off {
    use crate::ErrorMetadata;
    use crate::http::Response;
    use crate::random::Uuid;
    use crate::retry::Decision;
    use crate::transport::TransportError;

    pub(crate) struct CallSpan;

    impl CallSpan {
        #[inline(always)]
        pub(crate) fn new(_service: &str, _operation: &str, _invocation: &Uuid) -> Self {
            CallSpan
        }

        #[inline(always)]
        pub(crate) fn instrument<F>(&self, future: F) -> F {
            future
        }
    }

    pub(crate) struct AttemptSpan;

    impl AttemptSpan {
        #[inline(always)]
        pub(crate) fn new(_attempt: u32, _max_attempts: u32) -> Self {
            AttemptSpan
        }

        #[inline(always)]
        pub(crate) fn instrument<F>(&self, future: F) -> F {
            future
        }

        #[inline(always)]
        pub(crate) fn success(&self) {}

        #[inline(always)]
        pub(crate) fn failed(&self, _decision: &Decision) {}

        #[inline(always)]
        pub(crate) fn response(&self, _response: &Response) {}

        #[inline(always)]
        pub(crate) fn service_error(&self, _meta: &ErrorMetadata) {}

        #[inline(always)]
        pub(crate) fn transport_error(&self, _error: &TransportError) {}
    }
}
