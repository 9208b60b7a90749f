//! The traits the generator reads, as typed structs decoded with serde. Structures whose fields
//! the Smithy specification fixes refuse unknown fields; the others (`aws.api#service`) keep only
//! what the generator uses.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::decode::decode;
use crate::Error;

/// The trait `trait_id` of `shape`, decoded, or `None` when the shape does not carry it; a value
/// that does not decode is an error naming the shape and the trait.
pub(super) fn get<'v, T: Deserialize<'v>>(
    traits: &'v BTreeMap<String, Value>,
    trait_id: &str,
    shape: &str,
) -> Result<Option<T>, Error> {
    traits
        .get(trait_id)
        .map(|value| {
            decode(value).map_err(|problem| {
                Error::shape(
                    shape,
                    format!("has a `{trait_id}` trait that cannot be read: {problem}"),
                )
            })
        })
        .transpose()
}

/// `smithy.api#error`: whose fault the error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum ErrorFault {
    /// The caller's.
    Client,
    /// The service's.
    Server,
}

/// `smithy.api#timestampFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum TimestampFormat {
    /// RFC 3339.
    DateTime,
    /// Seconds since the epoch.
    EpochSeconds,
    /// RFC 7231 IMF-fixdate.
    HttpDate,
}

/// `smithy.api#length` and `smithy.api#range`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Bounds {
    /// The least value or length.
    pub min: Option<serde_json::Number>,
    /// The greatest value or length.
    pub max: Option<serde_json::Number>,
}

/// `aws.api#service`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AwsService {
    /// The SDK name (`Neptune`).
    pub sdk_id: Option<String>,
    /// The endpoint prefix (`rds`).
    pub endpoint_prefix: Option<String>,
}

/// `aws.auth#sigv4`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Sigv4 {
    /// The signing name.
    pub name: String,
}

/// `smithy.api#xmlNamespace`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct XmlNamespace {
    /// The namespace URI.
    pub uri: String,
    /// The namespace prefix (not used: awsQuery responses are read by local name).
    #[allow(dead_code)]
    pub prefix: Option<String>,
}

/// `smithy.api#paginated`, on an operation or (as defaults) on the service.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Paginated {
    /// The input member carrying the token.
    pub input_token: Option<String>,
    /// The output member (path) carrying the next token.
    pub output_token: Option<String>,
    /// The output member (path) holding the page's items.
    pub items: Option<String>,
    /// The input member limiting the page size.
    pub page_size: Option<String>,
}

/// `smithy.api#requestCompression`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RequestCompression {
    /// The encodings, in the order of preference.
    pub encodings: Vec<String>,
}

/// `smithy.api#endpoint`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Endpoint {
    /// The host prefix template (`{Bucket}.data.`).
    pub host_prefix: String,
}

/// `smithy.api#deprecated`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Deprecated {
    /// Why, and what to use instead.
    pub message: Option<String>,
    /// Since when.
    pub since: Option<String>,
}

/// `aws.protocols#awsQueryError`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct AwsQueryError {
    /// The error code on the wire.
    pub code: Option<String>,
    /// The HTTP status.
    pub http_response_code: Option<HttpStatus>,
}

/// One entry of the legacy `smithy.api#enum` trait.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EnumDefinition {
    /// The wire value.
    pub value: String,
    /// The constant name, when there is one.
    pub name: Option<String>,
    /// Documentation, in HTML.
    pub documentation: Option<String>,
    /// Tags (not used).
    #[allow(dead_code)]
    #[serde(default)]
    pub tags: Vec<String>,
    /// Whether the value is deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

/// Whether a `smithy.test` case is for clients, servers or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum AppliesTo {
    /// Client implementations only.
    Client,
    /// Server implementations only.
    Server,
}

/// One case of `smithy.test#httpRequestTests`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct HttpRequestTestCase {
    /// The case id (read first, on its own, so that errors in the rest can name the case).
    #[allow(dead_code)]
    pub id: String,
    /// The protocol's shape id.
    pub protocol: String,
    /// The expected method.
    pub method: String,
    /// The expected path and query.
    pub uri: String,
    /// The host the client is configured with.
    pub host: Option<String>,
    /// The host the request is sent to.
    pub resolved_host: Option<String>,
    /// The auth scheme (not used).
    #[allow(dead_code)]
    pub auth_scheme: Option<String>,
    /// Query parameters that must be sent.
    #[serde(default)]
    pub query_params: Vec<String>,
    /// Query parameter names that must not be sent.
    #[serde(default)]
    pub forbid_query_params: Vec<String>,
    /// Query parameter names that must be sent.
    #[serde(default)]
    pub require_query_params: Vec<String>,
    /// Headers that must be sent.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Header names that must not be sent.
    #[serde(default)]
    pub forbid_headers: Vec<String>,
    /// Header names that must be sent.
    #[serde(default)]
    pub require_headers: Vec<String>,
    /// The expected body.
    pub body: Option<String>,
    /// The body's media type.
    pub body_media_type: Option<String>,
    /// The input, checked against its shape by lowering.
    pub params: Option<Value>,
    /// Vendor parameters (not used).
    #[allow(dead_code)]
    pub vendor_params: Option<Value>,
    /// The shape of the vendor parameters (not used).
    #[allow(dead_code)]
    pub vendor_params_shape: Option<String>,
    /// The case's documentation.
    pub documentation: Option<String>,
    /// Tags (not used).
    #[allow(dead_code)]
    #[serde(default)]
    pub tags: Vec<String>,
    /// Clients, servers, or both when absent.
    pub applies_to: Option<AppliesTo>,
}

/// One case of `smithy.test#httpResponseTests`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct HttpResponseTestCase {
    /// The case id (read first, on its own, so that errors in the rest can name the case).
    #[allow(dead_code)]
    pub id: String,
    /// The protocol's shape id.
    pub protocol: String,
    /// The HTTP status.
    pub code: HttpStatus,
    /// The auth scheme (not used).
    #[allow(dead_code)]
    pub auth_scheme: Option<String>,
    /// Response headers.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Header names the response must not have.
    #[serde(default)]
    pub forbid_headers: Vec<String>,
    /// Header names the response must have.
    #[serde(default)]
    pub require_headers: Vec<String>,
    /// The body.
    pub body: Option<String>,
    /// The body's media type.
    pub body_media_type: Option<String>,
    /// The output or error, checked against its shape by lowering.
    pub params: Option<Value>,
    /// Vendor parameters (not used).
    #[allow(dead_code)]
    pub vendor_params: Option<Value>,
    /// The shape of the vendor parameters (not used).
    #[allow(dead_code)]
    pub vendor_params_shape: Option<String>,
    /// The case's documentation.
    pub documentation: Option<String>,
    /// Tags (not used).
    #[allow(dead_code)]
    #[serde(default)]
    pub tags: Vec<String>,
    /// Clients, servers, or both when absent.
    pub applies_to: Option<AppliesTo>,
}

/// An HTTP status code, 100 to 599.
#[derive(Debug, Clone, Copy)]
pub(super) struct HttpStatus(pub u16);

impl<'de> Deserialize<'de> for HttpStatus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Status;

        impl serde::de::Visitor<'_> for Status {
            type Value = HttpStatus;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an HTTP status")
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<HttpStatus, E> {
                u16::try_from(v)
                    .ok()
                    .filter(|c| (100..600).contains(c))
                    .map(HttpStatus)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
            }
        }

        deserializer.deserialize_u64(Status)
    }
}

/// `smithy.rules#endpointTests`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct EndpointTests {
    /// The format version (not used).
    #[allow(dead_code)]
    pub version: Option<String>,
    /// The cases.
    #[serde(default)]
    pub test_cases: Vec<EndpointTestCase>,
}

/// One `smithy.rules#endpointTests` case.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct EndpointTestCase {
    /// What the case shows.
    pub documentation: Option<String>,
    /// Parameter values by name, checked against the rule set's parameters by lowering.
    #[serde(default)]
    pub params: BTreeMap<String, Value>,
    /// The operations the case applies to (not used).
    #[allow(dead_code)]
    pub operation_inputs: Option<Value>,
    /// What the rules must give.
    pub expect: EndpointExpectation,
}

/// What an endpoint test case expects: an endpoint or an error.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EndpointExpectation {
    /// The endpoint.
    pub endpoint: Option<ExpectedEndpoint>,
    /// The error message.
    pub error: Option<String>,
}

/// An expected endpoint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExpectedEndpoint {
    /// The URL.
    pub url: String,
    /// Headers, each with its values.
    #[serde(default)]
    pub headers: BTreeMap<String, Vec<String>>,
    /// Properties (strings, booleans, lists and maps), read by lowering.
    #[serde(default)]
    pub properties: BTreeMap<String, Value>,
}
