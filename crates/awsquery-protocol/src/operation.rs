//! The contract between a generated operation and the client that sends it.

use awsquery_types::error::{BuildError, ProvideErrorMetadata, Unhandled};
use awsquery_types::http::{Request, Response};

/// One awsQuery operation: how its input becomes a request and how a response becomes its result.
///
/// Implemented by the generated protocol crate; the client is generic over it.
pub trait Operation {
    /// The operation name, as sent in `Action=`.
    const NAME: &'static str;
    /// The modeled input.
    type Input;
    /// The modeled output.
    type Output;
    /// The operation's error: its modeled errors and an unhandled case.
    type Error: std::error::Error + From<Unhandled> + ProvideErrorMetadata;
    /// Whether requests are signed with SigV4. `false` for an operation the model lets callers
    /// send without authentication (an empty `smithy.api#auth`, or `smithy.api#optionalAuth`): the
    /// client neither asks for credentials nor signs it.
    const SIGNED: bool = true;

    /// The request for `input`: `POST /` with a form body. Fails before any I/O when a required member is missing.
    fn serialize(input: &Self::Input) -> Result<Request, BuildError>;

    /// The output, or the operation's error, from a complete response.
    fn deserialize(response: &Response) -> Result<Self::Output, Self::Error>;

    /// Gives each `@idempotencyToken` member of `input` that is unset a value from `token`. The
    /// client passes fresh random UUIDs; tests pass a fixed source. Operations without
    /// such members leave the input as it is.
    fn fill_idempotency_tokens(input: &mut Self::Input, token: &mut dyn FnMut() -> String) {
        let _ = (input, token);
    }
}
