//! The lowered model: everything the emitters print, already decided.
//!
//! Rust names, wire names, optionality, boxing and which (de)serializers are needed are settled by
//! [`crate::lower`]; emitters only turn this into tokens.

pub mod literal;
pub mod rules;
pub mod waitable;

use std::collections::{BTreeMap, BTreeSet};

pub use literal::*;

/// A service and the shapes its selected operations reach.
#[derive(Debug)]
pub struct Service {
    /// The service shape's name (`AmazonRDSv19`).
    pub shape_name: String,
    /// `aws.api#service` sdkId (`Neptune`).
    pub sdk_id: String,
    /// The crate name prefix (`neptune`).
    pub crate_prefix: String,
    /// The names of the generated crates.
    pub crates: Crates,
    /// The API version sent as `Version=`.
    pub version: String,
    /// The XML namespace of responses, if modeled.
    pub xml_namespace: Option<String>,
    /// The SigV4 signing name (`rds`).
    pub signing_name: String,
    /// The endpoint prefix (`rds`).
    pub endpoint_prefix: String,
    /// `smithy.api#title`.
    pub title: Option<String>,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// Operations, sorted by name.
    pub operations: Vec<Operation>,
    /// Every shape the operations reach, by shape id.
    pub shapes: BTreeMap<String, Shape>,
    /// Shapes that need a query serializer (reached from inputs).
    pub serialized: BTreeSet<String>,
    /// Shapes that need an XML deserializer (reached from outputs and errors).
    pub deserialized: BTreeSet<String>,
    /// The lists, maps and other shapes that some deserialized value reads as a whole (not
    /// flattened into its parent), and which so need a parser function of their own.
    pub read_whole: BTreeSet<String>,
    /// The awsQuery client cases of `smithy.test#httpRequestTests` and `smithy.test#httpResponseTests`,
    /// one per test function, in operation order.
    pub protocol_tests: Vec<ProtocolTest>,
    /// The request cases whose outcome depends on the client rather than on serialization alone
    /// (a host prefix, compression, an endpoint with a path, an expected resolved host), run
    /// through the client instead of the protocol crate.
    pub client_tests: Vec<ProtocolTest>,
    /// The endpoint rules (the model's, or the usual regional ones) and their test cases.
    pub endpoint_rules: rules::EndpointRules,
    /// The waiters of the operations' `smithy.waiters#waitable` traits, sorted by name.
    pub waiters: Vec<waitable::Waiter>,
}

/// The three generated crates of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crates {
    /// The shapes and errors (`neptune-model`).
    pub model: CrateName,
    /// The awsQuery protocol without I/O (`neptune-protocol`).
    pub protocol: CrateName,
    /// The client (`neptune-client`).
    pub client: CrateName,
}

/// A crate's names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateName {
    /// The package name, also its folder (`neptune-model`).
    pub package: String,
    /// The name code refers to it by (`neptune_model`).
    pub ident: String,
}

impl Service {
    /// The shape with this id; lowering guarantees every referenced id is present.
    pub fn shape(&self, id: &str) -> &Shape {
        &self.shapes[id]
    }

    /// The operation whose own module defines shape `id` (see [`Operation::owned`]), if any.
    pub fn owner(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.owns(id))
    }

    /// Whether some operation compresses its requests with gzip.
    pub fn uses_gzip(&self) -> bool {
        self.operations.iter().any(Operation::uses_gzip)
    }

    /// Error structures, sorted by shape id.
    pub fn errors(&self) -> impl Iterator<Item = (&Shape, &Structure, &ErrorInfo)> {
        self.shapes.values().filter_map(|shape| match &shape.kind {
            ShapeKind::Structure(s) => s.error.as_ref().map(|e| (shape, s, e)),
            _ => None,
        })
    }
}

/// One operation.
#[derive(Debug)]
pub struct Operation {
    /// The shape id.
    pub id: String,
    /// The wire name, sent as `Action=`.
    pub name: String,
    /// The Rust type name stem (`CreateDBCluster`).
    pub type_name: String,
    /// The method and function name (`create_db_cluster`), also the name of the operation's module
    /// in each generated crate.
    pub fn_name: String,
    /// The AWS CLI's command name (`create-db-cluster`).
    pub cli_name: String,
    /// The input and output structures no other operation uses (shape ids): they are defined in the
    /// operation's own module, with its error enum, its serializer and its parser.
    pub owned: Vec<String>,
    /// The query key segments of the input's `@sensitive` values, at any depth, sorted: their
    /// values are left out wherever a request is printed.
    pub sensitive_params: Vec<String>,
    /// The input structure's shape id.
    pub input: String,
    /// The output structure's shape id.
    pub output: String,
    /// The operation's error enum (`CreateDBClusterError`).
    pub error_enum: String,
    /// Error structure shape ids, in model order.
    pub errors: Vec<String>,
    /// The response's root element (`CreateDBClusterResponse`).
    pub response_tag: String,
    /// The element wrapping the output members (`CreateDBClusterResult`).
    pub result_tag: String,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// `smithy.api#deprecated`.
    pub deprecated: Option<Deprecated>,
    /// `smithy.api#paginated`, with the service's defaults applied.
    pub paginated: Option<Paginated>,
    /// `smithy.api#endpoint`: the host prefix template, already checked against the input.
    pub host_prefix: Option<Vec<HostPrefixPart>>,
    /// `smithy.api#requestCompression`.
    pub request_compression: Option<RequestCompression>,
    /// Sent without a signature, and without asking for credentials: the operation's
    /// `smithy.api#auth` (else the service's) is empty, or it carries `smithy.api#optionalAuth`.
    pub unsigned: bool,
    /// The paginated trait resolved to Rust fields, when it names both tokens: the operation gets a
    /// paginator.
    pub pagination: Option<Pagination>,
}

impl Operation {
    /// The file name of the operation's module (`create_db_cluster.rs`; a raw identifier's name
    /// without its `r#`).
    pub fn module_file(&self) -> String {
        format!("{}.rs", self.fn_name.trim_start_matches("r#"))
    }

    /// Whether shape `id` is defined in the operation's own module.
    pub fn owns(&self, id: &str) -> bool {
        self.owned.iter().any(|owned| owned == id)
    }

    /// Whether the operation's requests may be gzip-compressed.
    pub fn uses_gzip(&self) -> bool {
        self.request_compression
            .as_ref()
            .is_some_and(|c| c.encoding == Some(Compression::Gzip))
    }
}

/// Where a paginated operation's tokens and items are, as Rust fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The input's token member (always a top-level member).
    pub input_token: Step,
    /// The path to the output's next token.
    pub output_token: Vec<Step>,
    /// The path to the output's items, when the trait names them.
    pub items: Option<ItemsPath>,
}

/// One member on a path through structures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The Rust field name.
    pub field: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

/// The path to a page's items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemsPath {
    /// The members leading to the items, the last one holding them.
    pub path: Vec<Step>,
    /// The list or map shape id of the items.
    pub target: String,
}

/// `smithy.api#requestCompression`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestCompression {
    /// The first of the trait's encodings the client supports; `None` when it lists only
    /// encodings the client does not know, and the body is never compressed.
    pub encoding: Option<Compression>,
}

/// A piece of a host prefix template (`foo.{Bucket}.` is text, a label, text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPrefixPart {
    /// Text copied as it is.
    Text(String),
    /// A label: the name of the input member (marked `smithy.api#hostLabel`) whose value goes here.
    Label(String),
}

/// A request compression algorithm the generated client supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// gzip.
    Gzip,
}

/// Pagination members, as member names of the input and output.
#[derive(Debug, Clone, Default)]
pub struct Paginated {
    /// The input member carrying the token.
    pub input_token: Option<String>,
    /// The output member (path) carrying the next token.
    pub output_token: Option<String>,
    /// The output member (path) holding the page's items.
    pub items: Option<String>,
    /// The input member limiting the page size.
    pub page_size: Option<String>,
}

/// `smithy.api#deprecated`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecated {
    /// Why, and what to use instead.
    pub message: Option<String>,
    /// Since when.
    pub since: Option<String>,
}

impl Deprecated {
    /// The note for `#[deprecated(note = ...)]`.
    pub fn note(&self) -> String {
        match (&self.message, &self.since) {
            (Some(m), Some(s)) => format!("{m} (since {s})"),
            (Some(m), None) => m.clone(),
            (None, Some(s)) => format!("deprecated since {s}"),
            (None, None) => String::from("deprecated in the service model"),
        }
    }
}

/// A named shape.
#[derive(Debug)]
pub struct Shape {
    /// The absolute shape id.
    pub id: String,
    /// The Smithy shape name (after `#`).
    pub name: String,
    /// The Rust type name (structures, enums, unions).
    pub rust_name: String,
    /// The module the type lives in.
    pub module: Module,
    /// The snake-case stem of its (de)serializer functions (`global_cluster`).
    pub fn_stem: String,
    /// The names of its functions in the protocol crate.
    pub functions: Functions,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// Made up by the generator (an operation without input or output), not in the model.
    pub synthetic: bool,
    /// The structure's builder, for every plain structure an input reaches, unless a member's setter
    /// would be called `build`.
    pub builder: Option<Builder>,
    /// `smithy.api#deprecated`.
    pub deprecated: Option<Deprecated>,
    /// `smithy.api#sensitive`: values never printed by `Debug`.
    pub sensitive: bool,
    /// What the shape is.
    pub kind: ShapeKind,
}

/// The (de)serializer functions of a structure, union, list or map in the protocol crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Functions {
    /// The query serializer (`ser_global_cluster`).
    pub ser: String,
    /// The XML deserializer (`de_global_cluster`).
    pub de: String,
    /// The deserializer of one map entry (`de_tag_map_entry`).
    pub de_entry: String,
}

/// Where a generated type lives in the model crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Module {
    /// `types`: structures, enums, inputs and outputs.
    Types,
    /// `error`: error structures and operation error enums.
    Error,
    /// Not a named Rust type (scalars and lists).
    None,
}

/// The kinds of shape the generator handles.
#[derive(Debug)]
pub enum ShapeKind {
    /// A structure (input, output, error or plain).
    Structure(Structure),
    /// A tagged union.
    Union(Structure),
    /// A list (sets are lists with unique items).
    List(List),
    /// A map.
    Map(Map),
    /// A string enum.
    Enum(Enum<EnumVariant>),
    /// An integer enum.
    IntEnum(Enum<IntEnumVariant>),
    /// A simple type.
    Scalar(Scalar),
}

/// A structure's members and role.
#[derive(Debug)]
pub struct Structure {
    /// Members in model order.
    pub members: Vec<Member>,
    /// Present on error structures.
    pub error: Option<ErrorInfo>,
    /// Whether this is some operation's input (setters and required checks).
    pub is_input: bool,
    /// Whether this is some operation's output, which keeps the request id of the response.
    pub is_output: bool,
    /// A union's catch-all variant (`Unknown`, unless a member takes that name); `None` for
    /// structures.
    pub unknown_variant: Option<String>,
}

/// A structure's builder (`X::builder()…build()`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Builder {
    /// Its name (`FilterBuilder`).
    pub name: String,
    /// The members `build()` checks are set, in model order (their model names): the required
    /// members that may be unset. With none, `build()` returns the structure itself.
    pub checked: Vec<String>,
}

/// What the error traits say.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// The code on the wire: `aws.protocols#awsQueryError` code, else the shape name.
    pub code: String,
    /// The HTTP status: `awsQueryError` httpResponseCode, else `httpError`, else 400/500.
    pub status: u16,
    /// `true` for `smithy.api#error: "server"`.
    pub server_fault: bool,
    /// The method of the error enums telling whether an error is this one
    /// (`is_global_cluster_not_found_fault`).
    pub is_fn: String,
}

/// A list.
#[derive(Debug)]
pub struct List {
    /// The item target shape id.
    pub target: String,
    /// The item element (and query segment) name: the member's `xmlName`, else `member`.
    pub member_name: String,
    /// Whether the item values are sensitive.
    pub sensitive: bool,
}

/// A map.
#[derive(Debug)]
pub struct Map {
    /// The key target shape id (a string or enum).
    pub key: String,
    /// The value target shape id.
    pub value: String,
    /// The key element name (`key` unless renamed).
    pub key_name: String,
    /// The value element name (`value` unless renamed).
    pub value_name: String,
}

/// An enum's variants and the name of its catch-all variant.
#[derive(Debug)]
pub struct Enum<V> {
    /// The modeled variants.
    pub variants: Vec<V>,
    /// The variant that keeps values this version does not know (`Unknown`, or `UnknownValue` when a
    /// modeled variant is already called `Unknown`).
    pub unknown: String,
}

/// A string enum variant.
#[derive(Debug)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The wire value.
    pub value: String,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// `smithy.api#deprecated`.
    pub deprecated: Option<Deprecated>,
}

/// An integer enum variant.
#[derive(Debug)]
pub struct IntEnumVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The wire value.
    pub value: i32,
    /// Markdown documentation.
    pub docs: Option<String>,
}

/// Simple shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// `string` → `String`.
    String,
    /// `boolean` → `bool`.
    Boolean,
    /// `byte` → `i8`.
    Byte,
    /// `short` → `i16`.
    Short,
    /// `integer` → `i32`.
    Integer,
    /// `long` → `i64`.
    Long,
    /// `float` → `f32`.
    Float,
    /// `double` → `f64`.
    Double,
    /// `bigInteger`, kept as its decimal text.
    BigInteger,
    /// `bigDecimal`, kept as its decimal text.
    BigDecimal,
    /// `blob` → `Vec<u8>`.
    Blob,
    /// `timestamp` → `DateTime`, in the given wire format.
    Timestamp(TimestampFormat),
}

/// `smithy.api#timestampFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// RFC 3339 (the awsQuery default).
    DateTime,
    /// Seconds since the epoch.
    EpochSeconds,
    /// RFC 7231 IMF-fixdate.
    HttpDate,
}

/// A structure or union member.
#[derive(Debug)]
pub struct Member {
    /// The member name in the model.
    pub name: String,
    /// The Rust field name.
    pub field: String,
    /// The fluent builder's method that sets or clears the field (`set_db_cluster_arn`).
    pub set_fn: String,
    /// The AWS CLI's option name, without its dashes (`db-cluster-arn`).
    pub cli_name: String,
    /// The Rust variant name, for a union's members.
    pub variant: Option<String>,
    /// The target shape id.
    pub target: String,
    /// The query key segment: `xmlName`, else the member name.
    pub query_name: String,
    /// The XML element (or attribute) name: `xmlName`, else the member name.
    pub xml_name: String,
    /// `smithy.api#xmlFlattened`.
    pub flattened: bool,
    /// `smithy.api#xmlAttribute`.
    pub xml_attribute: bool,
    /// `smithy.api#required`.
    pub required: bool,
    /// Whether the Rust field is an `Option`.
    pub optional: bool,
    /// The default value, for non-optional members.
    pub default: Option<DefaultValue>,
    /// Whether the target is held in a `Box` (recursive structures).
    pub boxed: bool,
    /// A `timestampFormat` on the member overrides the target's.
    pub timestamp_format: Option<TimestampFormat>,
    /// `smithy.api#idempotencyToken`.
    pub idempotency_token: bool,
    /// The value (or its target) is `smithy.api#sensitive`.
    pub sensitive: bool,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// `length`, `pattern` and `range` of the member or its target, in words (documented, not enforced).
    pub constraints: Option<String>,
    /// `smithy.api#deprecated`.
    pub deprecated: Option<Deprecated>,
}

/// A default value that a non-optional field starts with.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    /// `false`, `0`, `""`, `[]`, `{}` and the like: what `Default::default()` gives.
    Zero,
    /// A boolean other than the zero value.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string, or an enum's wire value.
    String(String),
}

/// One generated test: a protocol compliance case run against one operation.
#[derive(Debug, Clone)]
pub struct ProtocolTest {
    /// The case id in the model.
    pub id: String,
    /// The test function name, unique in the file (`query_list_args`).
    pub fn_name: String,
    /// The operation's shape id.
    pub operation: String,
    /// The case's `documentation`, as written.
    pub docs: Option<String>,
    /// Why the test is generated `#[ignore]`d, when it is.
    pub ignored: Option<String>,
    /// What the case checks.
    pub kind: ProtocolTestKind,
}

/// The three kinds of case.
#[derive(Debug, Clone)]
pub enum ProtocolTestKind {
    /// `httpRequestTests` on an operation: the input in `params` serializes to this request.
    Request(RequestCase),
    /// `httpResponseTests` on an operation: this response deserializes to the output in `params`.
    Response(ResponseCase),
    /// `httpResponseTests` on an error structure: this response is that error, with the members in
    /// `params`.
    Error {
        /// The error structure's shape id.
        error: String,
        /// The response.
        case: ResponseCase,
    },
}

/// An `httpRequestTests` case.
#[derive(Debug, Clone)]
pub struct RequestCase {
    /// The expected method.
    pub method: String,
    /// The expected path (and query), as written.
    pub uri: String,
    /// Query parameters that must be sent, as on the wire (`name=value` or `name`).
    pub query_params: Vec<String>,
    /// Query parameter names that must not be sent.
    pub forbid_query_params: Vec<String>,
    /// Query parameter names that must be sent with any value.
    pub require_query_params: Vec<String>,
    /// Headers that must be sent with exactly these values, sorted by name.
    pub headers: Vec<(String, String)>,
    /// Header names that must not be sent.
    pub forbid_headers: Vec<String>,
    /// Header names that must be sent with any value.
    pub require_headers: Vec<String>,
    /// The host (with an optional base path: `example.com/custom`) the client is configured with.
    pub host: Option<String>,
    /// The host the request must be sent to (its `Host` header); no assertion when absent.
    pub resolved_host: Option<String>,
    /// The expected body; no assertion when absent.
    pub body: Option<String>,
    /// How to compare the body (`application/x-www-form-urlencoded`, `application/xml`, …).
    pub body_media_type: Option<String>,
    /// The input built from the case's `params`.
    pub params: StructureLiteral,
}

/// An `httpResponseTests` case.
#[derive(Debug, Clone)]
pub struct ResponseCase {
    /// The HTTP status of the response.
    pub code: u16,
    /// Response headers, sorted by name.
    pub headers: Vec<(String, String)>,
    /// Header names the response must not have (for servers; kept as written).
    pub forbid_headers: Vec<String>,
    /// Header names the response must have (for servers; kept as written).
    pub require_headers: Vec<String>,
    /// The response body; empty when absent.
    pub body: Option<String>,
    /// The body's media type.
    pub body_media_type: Option<String>,
    /// The output or error built from the case's `params`.
    pub params: StructureLiteral,
}
