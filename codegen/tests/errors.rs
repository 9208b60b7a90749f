//! Models the generator cannot use fail with an error that names the shape and the problem, and
//! never with a panic.

use std::panic::{AssertUnwindSafe, catch_unwind};

use codegen::{Error, Options, Selection};
use serde_json::{Value, json};

const SERVICE: &str = "example.fixtures#ProbeService";

/// The files of a model with one operation and no test cases: the manifest, the README and the
/// hand-written `lib.rs` it starts with for each of the three crates; the model crate's
/// `generated/{mod,types,error,json}.rs` and `generated/operation/{mod,go}.rs`; the protocol
/// crate's `generated/{mod,ser,de}.rs` and `generated/operation/{mod,go}.rs`; and the client's
/// `generated/{mod,endpoint}.rs` and `generated/fluent/{mod,go}.rs`.
const BASE_FILES: usize = 24;

fn options(operations: Option<&[&str]>) -> Options {
    let mut options = Options::new("..");
    options.selection = Selection {
        operations: operations.map(|ops| ops.iter().map(|op| (*op).to_owned()).collect()),
    };
    options
}

/// A valid model: one operation `Go` whose input has one string member `A`.
fn model() -> Value {
    json!({
        "smithy": "2.0",
        "shapes": {
            "example.fixtures#ProbeService": {
                "type": "service",
                "version": "2021-02-03",
                "operations": [{ "target": "example.fixtures#Go" }],
                "traits": {
                    "aws.api#service": { "sdkId": "Probe" },
                    "aws.auth#sigv4": { "name": "probe" },
                    "aws.protocols#awsQuery": {},
                    "smithy.api#xmlNamespace": { "uri": "https://probe.example.com/doc/2021-02-03/" }
                }
            },
            "example.fixtures#Go": {
                "type": "operation",
                "input": { "target": "example.fixtures#GoRequest" },
                "output": { "target": "example.fixtures#GoResponse" }
            },
            "example.fixtures#GoRequest": {
                "type": "structure",
                "members": { "A": { "target": "smithy.api#String" } }
            },
            "example.fixtures#GoResponse": {
                "type": "structure",
                "members": {}
            }
        }
    })
}

fn shapes(model: &mut Value) -> &mut serde_json::Map<String, Value> {
    model["shapes"]
        .as_object_mut()
        .expect("shapes is an object")
}

/// Adds `shape` under `example.fixtures#{name}`.
fn add(model: &mut Value, name: &str, shape: Value) {
    shapes(model).insert(format!("example.fixtures#{name}"), shape);
}

/// Adds a member to the input structure `GoRequest`.
fn add_input_member(model: &mut Value, name: &str, member: Value) {
    model["shapes"]["example.fixtures#GoRequest"]["members"]
        .as_object_mut()
        .expect("members is an object")
        .insert(name.to_owned(), member);
}

fn generate(json: &str, options: &Options) -> Result<usize, Error> {
    match catch_unwind(AssertUnwindSafe(|| codegen::generate(json, options))) {
        Ok(result) => result.map(|files| files.len()),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("a non-string panic");
            panic!("the generator panicked instead of returning an error: {message}");
        }
    }
}

/// Generates `json`, which must fail; returns the error.
fn error_of_text(json: &str, options: &Options) -> Error {
    match generate(json, options) {
        Ok(_) => panic!("the model generated, but it should have been rejected"),
        Err(e) => e,
    }
}

fn error_of(model: &Value) -> Error {
    error_of_text(&model.to_string(), &options(None))
}

/// Asserts the error names `shape` and says `phrase`, and that its `Display` shows both.
#[track_caller]
fn assert_error(err: &Error, shape: Option<&str>, phrase: &str) {
    assert_eq!(err.shape.as_deref(), shape, "wrong shape in `{err}`");
    assert!(
        err.message.contains(phrase),
        "`{}` does not say `{phrase}`",
        err.message
    );
    let shown = err.to_string();
    if let Some(shape) = shape {
        assert!(shown.contains(shape), "`{shown}` does not name `{shape}`");
    }
    assert!(shown.contains(phrase), "`{shown}` does not say `{phrase}`");
}

#[test]
fn the_base_model_generates() {
    assert_eq!(
        generate(&model().to_string(), &options(None)),
        Ok(BASE_FILES)
    );
}

#[test]
fn text_that_is_not_json() {
    let err = error_of_text("{ this is not json", &options(None));
    assert_error(&err, None, "not a valid Smithy JSON AST");
}

#[test]
fn json_that_is_not_a_model() {
    let err = error_of_text("[1, 2, 3]", &options(None));
    assert_error(&err, None, "not a valid Smithy JSON AST");
    let err = error_of_text(r#"{"shapes": {}}"#, &options(None));
    assert_error(&err, None, "not a valid Smithy JSON AST");
}

#[test]
fn an_idl_version_other_than_2() {
    let mut m = model();
    m["smithy"] = json!("1.0");
    assert_error(&error_of(&m), None, "unsupported Smithy IDL version `1.0`");
}

#[test]
fn no_service() {
    let mut m = model();
    shapes(&mut m).remove(SERVICE);
    assert_error(&error_of(&m), None, "defines no service shape");
}

#[test]
fn two_services() {
    let mut m = model();
    let second = m["shapes"][SERVICE].clone();
    add(&mut m, "OtherService", second);
    let err = error_of(&m);
    assert_error(&err, None, "more than one service");
    assert!(err.message.contains("example.fixtures#OtherService"));
    assert!(err.message.contains(SERVICE));
}

#[test]
fn a_service_without_version() {
    let mut m = model();
    m["shapes"][SERVICE]
        .as_object_mut()
        .expect("the service is an object")
        .remove("version");
    assert_error(&error_of(&m), Some(SERVICE), "has no `version`");
}

#[test]
fn a_service_that_is_not_aws_query() {
    let mut m = model();
    let traits = m["shapes"][SERVICE]["traits"]
        .as_object_mut()
        .expect("traits is an object");
    traits.remove("aws.protocols#awsQuery");
    traits.insert(String::from("aws.protocols#awsJson1_1"), json!({}));
    assert_error(
        &error_of(&m),
        Some(SERVICE),
        "does not carry `aws.protocols#awsQuery`",
    );
}

#[test]
fn an_sdk_id_that_is_not_a_string() {
    let mut m = model();
    m["shapes"][SERVICE]["traits"]["aws.api#service"]["sdkId"] = json!(7);
    assert_error(
        &error_of(&m),
        Some(SERVICE),
        "`aws.api#service` trait that cannot be read: `sdkId` is `7`, not a string",
    );
}

#[test]
fn a_service_binding_an_undefined_operation() {
    let mut m = model();
    m["shapes"][SERVICE]["operations"] = json!([{ "target": "example.fixtures#Gone" }]);
    assert_error(
        &error_of(&m),
        Some(SERVICE),
        "refers to `example.fixtures#Gone`, which the model does not define",
    );
}

#[test]
fn a_service_binding_a_structure_as_operation() {
    let mut m = model();
    m["shapes"][SERVICE]["operations"] = json!([{ "target": "example.fixtures#GoRequest" }]);
    assert_error(
        &error_of(&m),
        Some(SERVICE),
        "which is a structure, not an operation",
    );
}

#[test]
fn an_operation_whose_input_is_not_a_structure() {
    let mut m = model();
    m["shapes"]["example.fixtures#Go"]["input"] = json!({ "target": "example.fixtures#Text" });
    add(&mut m, "Text", json!({ "type": "string" }));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Go"),
        "is a string, not a structure",
    );
}

#[test]
fn a_member_targeting_an_undefined_shape() {
    let mut m = model();
    add_input_member(&mut m, "B", json!({ "target": "example.fixtures#Missing" }));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#GoRequest$B"),
        "targets `example.fixtures#Missing`, which the model does not define",
    );
}

#[test]
fn a_list_without_member() {
    let mut m = model();
    add(&mut m, "Names", json!({ "type": "list" }));
    add_input_member(&mut m, "B", json!({ "target": "example.fixtures#Names" }));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Names"),
        "is a list without a `member`",
    );
}

#[test]
fn a_map_without_value() {
    let mut m = model();
    add(
        &mut m,
        "Pairs",
        json!({ "type": "map", "key": { "target": "smithy.api#String" } }),
    );
    add_input_member(&mut m, "B", json!({ "target": "example.fixtures#Pairs" }));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Pairs"),
        "is a map without a `value`",
    );
}

#[test]
fn a_map_with_integer_keys() {
    let mut m = model();
    add(&mut m, "Number", json!({ "type": "integer" }));
    add(
        &mut m,
        "Counts",
        json!({
            "type": "map",
            "key": { "target": "example.fixtures#Number" },
            "value": { "target": "smithy.api#String" }
        }),
    );
    add_input_member(&mut m, "B", json!({ "target": "example.fixtures#Counts" }));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Counts"),
        "keys must be strings",
    );
}

fn with_error(error: Value) -> Value {
    let mut m = model();
    add(&mut m, "BadFault", error);
    m["shapes"]["example.fixtures#Go"]["errors"] =
        json!([{ "target": "example.fixtures#BadFault" }]);
    m
}

#[test]
fn an_error_with_a_non_numeric_http_error() {
    let m = with_error(json!({
        "type": "structure",
        "members": { "message": { "target": "smithy.api#String" } },
        "traits": { "smithy.api#error": "client", "smithy.api#httpError": "abc" }
    }));
    let err = error_of(&m);
    assert_error(
        &err,
        Some("example.fixtures#BadFault"),
        "`smithy.api#httpError` trait that cannot be read: it is `\"abc\"`, not an HTTP status",
    );
}

#[test]
fn an_error_with_an_out_of_range_status() {
    let m = with_error(json!({
        "type": "structure",
        "members": {},
        "traits": {
            "smithy.api#error": "server",
            "aws.protocols#awsQueryError": { "code": "Busy", "httpResponseCode": 99 }
        }
    }));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#BadFault"),
        "`httpResponseCode` is `99`, not an HTTP status",
    );
}

#[test]
fn an_error_listed_twice_is_listed_once() {
    let mut m = with_error(json!({
        "type": "structure",
        "members": {},
        "traits": { "smithy.api#error": "client" }
    }));
    m["shapes"]["example.fixtures#Go"]["errors"] = json!([
        { "target": "example.fixtures#BadFault" },
        { "target": "example.fixtures#BadFault" }
    ]);
    let files = codegen::generate(&m.to_string(), &options(None)).expect("generates");
    let protocol = files
        .iter()
        .find(|f| f.path.ends_with("-protocol/src/generated/operation/go.rs"))
        .expect("a protocol crate");
    assert_eq!(protocol.contents.matches("Some(\"BadFault\")").count(), 1);
}

#[test]
fn two_errors_of_an_operation_with_one_code() {
    let mut m = with_error(json!({
        "type": "structure",
        "members": {},
        "traits": {
            "smithy.api#error": "client",
            "aws.protocols#awsQueryError": { "code": "Busy", "httpResponseCode": 400 }
        }
    }));
    add(
        &mut m,
        "OtherFault",
        json!({
            "type": "structure",
            "members": {},
            "traits": {
                "smithy.api#error": "server",
                "aws.protocols#awsQueryError": { "code": "Busy", "httpResponseCode": 503 }
            }
        }),
    );
    m["shapes"]["example.fixtures#Go"]["errors"] = json!([
        { "target": "example.fixtures#BadFault" },
        { "target": "example.fixtures#OtherFault" }
    ]);
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Go"),
        "share the code `Busy`; a response could not tell them apart",
    );
}

#[test]
fn an_error_that_is_neither_client_nor_server() {
    let m = with_error(json!({
        "type": "structure",
        "members": {},
        "traits": { "smithy.api#error": "fatal" }
    }));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#BadFault"),
        "`fatal` is not one of `client`, `server`",
    );
}

#[test]
fn an_error_code_that_is_not_a_string() {
    let m = with_error(json!({
        "type": "structure",
        "members": {},
        "traits": {
            "smithy.api#error": "client",
            "aws.protocols#awsQueryError": { "code": 17, "httpResponseCode": 400 }
        }
    }));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#BadFault"),
        "`aws.protocols#awsQueryError` trait that cannot be read: `code` is `17`, not a string",
    );
}

#[test]
fn an_operation_listing_a_plain_structure_as_error() {
    let m = with_error(json!({
        "type": "structure",
        "members": { "message": { "target": "smithy.api#String" } }
    }));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Go"),
        "lists `example.fixtures#BadFault` as an error, but it is not an error structure",
    );
}

#[test]
fn selecting_an_unknown_operation() {
    let err = error_of_text(&model().to_string(), &options(Some(&["Go", "Nope"])));
    assert_error(&err, None, "has no operation named `Nope`");
}

#[test]
fn selecting_a_known_operation() {
    assert_eq!(
        generate(&model().to_string(), &options(Some(&["Go"]))),
        Ok(BASE_FILES)
    );
}

#[test]
fn a_member_targeting_a_document_shape() {
    let mut m = model();
    add(&mut m, "Blobby", json!({ "type": "document" }));
    add_input_member(&mut m, "B", json!({ "target": "example.fixtures#Blobby" }));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Blobby"),
        "is a `document`, which awsQuery clients cannot send or read",
    );
}

#[test]
fn a_member_targeting_the_prelude_document() {
    let mut m = model();
    add_input_member(&mut m, "B", json!({ "target": "smithy.api#Document" }));
    let err = error_of(&m);
    assert_eq!(
        err.shape.as_deref(),
        Some("example.fixtures#GoRequest$B"),
        "{err}"
    );
    assert!(err.to_string().contains("smithy.api#Document"), "{err}");
    assert!(
        err.message
            .contains("which awsQuery clients cannot send or read"),
        "{err}"
    );
}

#[test]
fn a_member_targeting_an_operation() {
    let mut m = model();
    add_input_member(&mut m, "B", json!({ "target": "example.fixtures#Go" }));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#GoRequest$B"),
        "targets `example.fixtures#Go`",
    );
}

#[test]
fn a_structure_with_mixins() {
    let mut m = model();
    add(
        &mut m,
        "Base",
        json!({
            "type": "structure",
            "members": { "Id": { "target": "smithy.api#String" } },
            "traits": { "smithy.api#mixin": {} }
        }),
    );
    add(
        &mut m,
        "Derived",
        json!({
            "type": "structure",
            "mixins": [{ "target": "example.fixtures#Base" }],
            "members": { "Name": { "target": "smithy.api#String" } }
        }),
    );
    add_input_member(&mut m, "B", json!({ "target": "example.fixtures#Derived" }));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Derived"),
        "uses mixins",
    );
}

#[test]
fn two_members_with_one_rust_name() {
    let mut m = model();
    add_input_member(&mut m, "FooBar", json!({ "target": "smithy.api#String" }));
    add_input_member(&mut m, "foo_bar", json!({ "target": "smithy.api#String" }));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#GoRequest"),
        "has two members that both become `foo_bar` in Rust",
    );
}

#[test]
fn two_enum_members_with_one_rust_name() {
    let mut m = model();
    add(
        &mut m,
        "Mode",
        json!({
            "type": "enum",
            "members": {
                "FAST_MODE": { "target": "smithy.api#Unit" },
                "FastMode": { "target": "smithy.api#Unit" }
            }
        }),
    );
    add_input_member(&mut m, "B", json!({ "target": "example.fixtures#Mode" }));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Mode"),
        "both become `FastMode`",
    );
}

#[test]
fn two_structures_with_one_rust_name() {
    let mut m = model();
    let member = json!({ "type": "structure", "members": {} });
    add(&mut m, "DBCluster", member.clone());
    add(&mut m, "DbCluster", member);
    add_input_member(
        &mut m,
        "B",
        json!({ "target": "example.fixtures#DBCluster" }),
    );
    add_input_member(
        &mut m,
        "C",
        json!({ "target": "example.fixtures#DbCluster" }),
    );
    let err = error_of(&m);
    assert!(
        err.shape.as_deref() == Some("example.fixtures#DBCluster")
            || err.shape.as_deref() == Some("example.fixtures#DbCluster"),
        "{err}"
    );
    assert!(
        err.message
            .contains("has the Rust name `DbCluster`, which `example.fixtures#"),
        "{err}"
    );
}

/// `GoRequest` is renamed `GoInput` after its operation; a shape already called `GoInput` clashes.
#[test]
fn an_input_renamed_onto_an_existing_name() {
    let mut m = model();
    add(
        &mut m,
        "GoInput",
        json!({ "type": "structure", "members": {} }),
    );
    add_input_member(&mut m, "B", json!({ "target": "example.fixtures#GoInput" }));
    let err = error_of(&m);
    assert!(
        err.message.contains("has the Rust name `GoInput`, which"),
        "{err}"
    );
    assert!(err.shape.is_some(), "{err}");
}

#[test]
fn an_int_enum_member_without_value() {
    let mut m = model();
    add(
        &mut m,
        "Level",
        json!({ "type": "intEnum", "members": { "LOW": { "target": "smithy.api#Unit" } } }),
    );
    add_input_member(&mut m, "B", json!({ "target": "example.fixtures#Level" }));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Level"),
        "intEnum member `LOW` needs an integer `smithy.api#enumValue`",
    );
}

#[test]
fn an_unknown_timestamp_format() {
    let mut m = model();
    add_input_member(
        &mut m,
        "B",
        json!({
            "target": "smithy.api#Timestamp",
            "traits": { "smithy.api#timestampFormat": "julian" }
        }),
    );
    assert_error(
        &error_of(&m),
        Some("example.fixtures#GoRequest$B"),
        "`julian` is not one of `date-time`, `epoch-seconds`, `http-date`",
    );
}

#[test]
fn a_default_that_cannot_be_represented() {
    let mut m = model();
    add_input_member(
        &mut m,
        "B",
        json!({
            "target": "smithy.api#String",
            "traits": { "smithy.api#default": { "nested": 1 } }
        }),
    );
    assert_error(
        &error_of(&m),
        Some("example.fixtures#GoRequest$B"),
        "this generator cannot represent",
    );
}

#[test]
fn an_xml_name_that_is_not_a_string() {
    let mut m = model();
    add_input_member(
        &mut m,
        "B",
        json!({ "target": "smithy.api#String", "traits": { "smithy.api#xmlName": 5 } }),
    );
    assert_error(
        &error_of(&m),
        Some("example.fixtures#GoRequest$B"),
        "`smithy.api#xmlName` trait that cannot be read: it is `5`, not a string",
    );
}

/// Smithy identifiers need a letter or digit; `_` alone is not a member name. Rejecting it or
/// printing some valid field are both fine; panicking is not.
#[test]
fn a_member_named_only_underscore() {
    let mut m = model();
    add_input_member(&mut m, "_", json!({ "target": "smithy.api#String" }));
    if let Err(err) = generate(&m.to_string(), &options(None)) {
        assert!(err.shape.is_some(), "{err}");
    }
}

/// A request case for `Go` with the given fields on top of a valid one.
fn request_case(fields: Value) -> Value {
    let mut case = json!({
        "id": "GoCase",
        "protocol": "aws.protocols#awsQuery",
        "method": "POST",
        "uri": "/",
        "params": { "A": "x" }
    });
    for (key, value) in fields.as_object().expect("fields is an object") {
        case[key.as_str()] = value.clone();
    }
    case
}

fn with_request_tests(tests: Value) -> Value {
    let mut m = model();
    m["shapes"]["example.fixtures#Go"]["traits"] = json!({ "smithy.test#httpRequestTests": tests });
    m
}

#[test]
fn valid_protocol_tests_add_a_test_file() {
    let m = with_request_tests(json!([request_case(json!({}))]));
    assert_eq!(generate(&m.to_string(), &options(None)), Ok(BASE_FILES + 1));
    let other = request_case(json!({ "protocol": "aws.protocols#restXml" }));
    let server = request_case(json!({ "appliesTo": "server" }));
    let m = with_request_tests(json!([other, server]));
    assert_eq!(generate(&m.to_string(), &options(None)), Ok(BASE_FILES));
}

#[test]
fn ignored_cases_must_exist_and_give_a_reason() {
    let m = with_request_tests(json!([request_case(json!({}))]));
    let mut opts = options(None);
    opts.ignored_cases
        .insert(String::from("GoCase"), String::from("not yet"));
    assert_eq!(generate(&m.to_string(), &opts), Ok(BASE_FILES + 1));

    opts.ignored_cases
        .insert(String::from("GoCaze"), String::from("a typo"));
    let err = error_of_text(&m.to_string(), &opts);
    assert_error(
        &err,
        None,
        "`GoCaze` is listed as an ignored protocol test case",
    );

    let mut opts = options(None);
    opts.ignored_cases
        .insert(String::from("GoCase"), String::from("  "));
    let err = error_of_text(&m.to_string(), &opts);
    assert_error(&err, None, "`GoCase` needs a reason");
}

#[test]
fn models_in_several_files() {
    let shapes = |pairs: &[(&str, Value)]| {
        let shapes: serde_json::Map<String, Value> = pairs
            .iter()
            .map(|(id, shape)| ((*id).to_owned(), shape.clone()))
            .collect();
        json!({ "smithy": "2.0", "shapes": shapes }).to_string()
    };
    let whole = model();
    let all: Vec<(&str, Value)> = whole["shapes"]
        .as_object()
        .expect("shapes")
        .iter()
        .map(|(id, shape)| (id.as_str(), shape.clone()))
        .collect();
    let (service, rest) = all.split_at(1);
    let first = shapes(service);
    let second = shapes(rest);
    let merged = codegen::parse_files(&[("service.json", &first), ("rest.json", &second)])
        .expect("the files merge");
    assert_eq!(merged.shapes.len(), all.len());
    let files =
        codegen::generate_model(&merged, &options(None)).expect("the merged model generates");
    assert_eq!(files.len(), BASE_FILES);

    let err = codegen::parse_files(&[("a.json", &second), ("b.json", &second)]).unwrap_err();
    assert_error(&err, Some(all[1].0), "is defined in both a.json and b.json");

    let old = first.replace("\"2.0\"", "\"2\"");
    let err = codegen::parse_files(&[("a.json", &second), ("old.json", &old)]).unwrap_err();
    assert_error(
        &err,
        None,
        "old.json is Smithy IDL `2`, but a.json is `2.0`",
    );

    let err = codegen::parse_files(&[("bad.json", "{")]).unwrap_err();
    assert_error(
        &err,
        None,
        "bad.json: the model is not a valid Smithy JSON AST",
    );
    let err = codegen::parse_files(&[]).unwrap_err();
    assert_error(&err, None, "no model files");
}

#[test]
fn malformed_request_cases() {
    let cases = [
        (
            json!({ "params": { "Nope": 1 } }),
            "`params` has `Nope`, which is not a member of GoRequest",
        ),
        (
            json!({ "params": { "A": 1 } }),
            "`params.A` is `1`, but String needs a string",
        ),
        (json!({ "params": [] }), "`params` is `[]`, not an object"),
        (json!({ "method": 5 }), "`method` is `5`, not a string"),
        (json!({ "uri": null }), "`uri` is `null`, not a string"),
        (
            json!({ "headers": { "X": 1 } }),
            "`headers.X` is `1`, not a string",
        ),
        (
            json!({ "forbidHeaders": "X" }),
            "`forbidHeaders` is `\"X\"`, not a list",
        ),
        (
            json!({ "requireHeaders": [1] }),
            "`requireHeaders[0]` is `1`, not a string",
        ),
        (json!({ "body": true }), "`body` is `true`, not a string"),
        (
            json!({ "appliesTo": "everyone" }),
            "`appliesTo`: `everyone` is not one of `client`, `server`",
        ),
        (json!({ "protocol": 3 }), "`protocol` is `3`, not a string"),
        (json!({ "id": "__" }), "no letters or digits"),
        (json!({ "id": "①" }), "which is not a Rust function name"),
    ];
    for (fields, phrase) in cases {
        let id = fields["id"].as_str().unwrap_or("GoCase").to_owned();
        let m = with_request_tests(json!([request_case(fields)]));
        let err = error_of(&m);
        assert_error(&err, Some("example.fixtures#Go"), phrase);
        assert!(
            err.message
                .contains(&format!("`smithy.test#httpRequestTests` case `{id}`")),
            "{err}"
        );
    }
    let mut missing = request_case(json!({}));
    missing.as_object_mut().expect("an object").remove("method");
    let err = error_of(&with_request_tests(json!([missing])));
    assert_error(
        &err,
        Some("example.fixtures#Go"),
        "case `GoCase`: it has no `method`",
    );
}

#[test]
fn request_tests_that_are_not_a_list_of_cases() {
    let err = error_of(&with_request_tests(json!({ "id": "GoCase" })));
    assert_error(
        &err,
        Some("example.fixtures#Go"),
        "`smithy.test#httpRequestTests` trait that cannot be read: it is `{\"id\":\"GoCase\"}`, not a list",
    );
    let err = error_of(&with_request_tests(json!(["GoCase"])));
    assert_error(
        &err,
        Some("example.fixtures#Go"),
        "entry that cannot be read: it is `\"GoCase\"`, not an object",
    );
    let err = error_of(&with_request_tests(
        json!([{ "protocol": "aws.protocols#awsQuery" }]),
    ));
    assert_error(
        &err,
        Some("example.fixtures#Go"),
        "entry that cannot be read: it has no `id`",
    );
}

#[test]
fn malformed_response_cases() {
    let response = |fields: Value| {
        let mut case = json!({
            "id": "GoResponseCase",
            "protocol": "aws.protocols#awsQuery",
            "code": 200,
            "body": "<GoResponse/>"
        });
        for (key, value) in fields.as_object().expect("fields is an object") {
            case[key.as_str()] = value.clone();
        }
        case
    };
    let cases = [
        (
            json!({ "code": "200" }),
            "`code` is `\"200\"`, not an HTTP status",
        ),
        (json!({ "code": 99 }), "`code` is `99`, not an HTTP status"),
        (
            json!({ "params": { "A": "x" } }),
            "`params` has `A`, which is not a member of GoResponse",
        ),
    ];
    for (fields, phrase) in cases {
        let mut m = model();
        m["shapes"]["example.fixtures#Go"]["traits"] =
            json!({ "smithy.test#httpResponseTests": [response(fields)] });
        assert_error(&error_of(&m), Some("example.fixtures#Go"), phrase);
    }
    let mut no_code = response(json!({}));
    no_code.as_object_mut().expect("an object").remove("code");
    let mut m = model();
    m["shapes"]["example.fixtures#Go"]["traits"] =
        json!({ "smithy.test#httpResponseTests": [no_code] });
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Go"),
        "case `GoResponseCase`: it has no `code`",
    );
}

#[test]
fn malformed_error_case_names_the_error() {
    let m = with_error(json!({
        "type": "structure",
        "members": { "message": { "target": "smithy.api#String" } },
        "traits": {
            "smithy.api#error": "client",
            "smithy.test#httpResponseTests": [{
                "id": "BadFaultCase",
                "protocol": "aws.protocols#awsQuery",
                "code": 400,
                "params": { "message": ["not", "a", "string"] }
            }]
        }
    }));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#BadFault"),
        "case `BadFaultCase`: `params.message` is `[\"not\",\"a\",\"string\"]`, but String needs a string",
    );
}

/// Every kind of value in `params` is checked against its shape.
#[test]
fn params_are_checked_against_their_shapes() {
    let extra = json!({
        "example.fixtures#Tiny": { "type": "byte" },
        "example.fixtures#Small": { "type": "float" },
        "example.fixtures#Names": { "type": "list", "member": { "target": "smithy.api#String" } },
        "example.fixtures#Scores": {
            "type": "map",
            "key": { "target": "smithy.api#String" },
            "value": { "target": "smithy.api#Integer" }
        },
        "example.fixtures#Choice": {
            "type": "union",
            "members": { "X": { "target": "smithy.api#String" }, "Y": { "target": "smithy.api#Integer" } }
        },
        "example.fixtures#Level": {
            "type": "intEnum",
            "members": { "LOW": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": 1 } } }
        }
    });
    let members = [
        ("T", "example.fixtures#Tiny"),
        ("F", "example.fixtures#Small"),
        ("N", "example.fixtures#Names"),
        ("S", "example.fixtures#Scores"),
        ("C", "example.fixtures#Choice"),
        ("L", "example.fixtures#Level"),
        ("D", "smithy.api#Double"),
        ("W", "smithy.api#Timestamp"),
        ("B", "smithy.api#Boolean"),
        ("G", "smithy.api#Long"),
    ];
    let bad = [
        (
            json!({ "T": 200 }),
            "`params.T` is `200`, but Tiny needs an 8-bit integer",
        ),
        (json!({ "T": 1.5 }), "needs an 8-bit integer"),
        (json!({ "F": 1e300 }), "but Small needs a number in range"),
        (
            json!({ "D": "nan" }),
            "needs a number, \"NaN\", \"Infinity\" or \"-Infinity\"",
        ),
        (
            json!({ "N": ["a", null] }),
            "`params.N[1]` is null; sparse lists are not supported",
        ),
        (json!({ "N": [1] }), "`params.N[0]` is `1`"),
        (
            json!({ "S": { "k": "v" } }),
            "`params.S.k` is `\"v\"`, but Integer needs a 32-bit integer",
        ),
        (
            json!({ "S": { "k": null } }),
            "sparse maps are not supported",
        ),
        (
            json!({ "C": { "X": "a", "Y": 1 } }),
            "sets 2 members of the union Choice",
        ),
        (json!({ "C": {} }), "sets 0 members of the union Choice"),
        (json!({ "L": 1.5 }), "Level needs a 32-bit integer"),
        (
            json!({ "W": true }),
            "needs epoch seconds or a date-time string",
        ),
        (
            json!({ "W": 1e300 }),
            "needs epoch seconds or a date-time string",
        ),
        (json!({ "B": "true" }), "Boolean needs a boolean"),
        (
            json!({ "G": 9223372036854775808u64 }),
            "Long needs a 64-bit integer",
        ),
    ];
    let good = json!({
        "T": -128, "F": "-Infinity", "D": 1, "N": [], "S": { "k": 1 }, "C": { "Y": 2, "X": null },
        "L": 7, "W": 1.5, "B": false, "G": -9223372036854775807i64, "A": null
    });
    let build = |params: &Value| {
        let mut m = with_request_tests(json!([request_case(json!({ "params": params }))]));
        for (name, shape) in extra.as_object().expect("an object") {
            shapes(&mut m).insert(name.clone(), shape.clone());
        }
        for (name, target) in members {
            add_input_member(&mut m, name, json!({ "target": target }));
        }
        m
    };
    assert_eq!(
        generate(&build(&good).to_string(), &options(None)),
        Ok(BASE_FILES + 1)
    );
    for (params, phrase) in bad {
        let err = error_of(&build(&params));
        assert_error(&err, Some("example.fixtures#Go"), phrase);
    }
}

/// Damaging any one shape of any fixture gives an error or a model, never a panic.
#[test]
fn damaged_fixtures_never_panic() {
    let kinds = [
        "structure",
        "union",
        "list",
        "map",
        "enum",
        "intEnum",
        "string",
        "timestamp",
        "document",
        "operation",
        "service",
        "resource",
        "nonsense",
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("the fixtures folder exists")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty());
    let mut runs = 0;
    for path in entries {
        let text = std::fs::read_to_string(&path).expect("a readable fixture");
        let original: Value = serde_json::from_str(&text).expect("fixtures are JSON");
        let ids: Vec<String> = original["shapes"]
            .as_object()
            .expect("shapes is an object")
            .keys()
            .cloned()
            .collect();
        for id in &ids {
            let mut variants = Vec::new();
            let mut removed = original.clone();
            shapes(&mut removed).remove(id);
            variants.push(removed);
            let mut bare = original.clone();
            if let Some(shape) = bare["shapes"][id.as_str()].as_object_mut() {
                shape.remove("traits");
            }
            variants.push(bare);
            for kind in kinds {
                let mut changed = original.clone();
                changed["shapes"][id.as_str()]["type"] = json!(kind);
                variants.push(changed);
            }
            for variant in variants {
                let _ = generate(&variant.to_string(), &options(None));
                runs += 1;
            }
        }
    }
    assert!(runs > 100, "only {runs} damaged models were tried");
}

/// The base model with `Go` carrying `smithy.api#endpoint` with `host_prefix`, and `GoRequest`
/// holding a required string `Label` marked `smithy.api#hostLabel` besides `A`.
fn with_host_prefix(host_prefix: &str) -> Value {
    let mut m = model();
    m["shapes"]["example.fixtures#Go"]["traits"] =
        json!({ "smithy.api#endpoint": { "hostPrefix": host_prefix } });
    add_input_member(
        &mut m,
        "Label",
        json!({
            "target": "smithy.api#String",
            "traits": { "smithy.api#required": {}, "smithy.api#hostLabel": {} }
        }),
    );
    m
}

#[test]
fn a_valid_host_prefix_generates() {
    let m = with_host_prefix("foo.{Label}.");
    assert_eq!(generate(&m.to_string(), &options(None)), Ok(BASE_FILES));
    // `hostLabel` means nothing on an operation without `smithy.api#endpoint`.
    let mut m = with_host_prefix("foo.");
    m["shapes"]["example.fixtures#Go"]["traits"] = json!({});
    assert_eq!(generate(&m.to_string(), &options(None)), Ok(BASE_FILES));
}

#[test]
fn host_prefix_templates_are_checked() {
    let cases = [
        ("foo.{Label.", "has a `{` without a closing `}`"),
        ("foo}.{Label}.", "has a `}` without an opening `{`"),
        (
            "{}.{Label}.",
            "has the label `{}`, which is not a member name",
        ),
        ("{Label}{Label}.", "right after another label"),
        ("{Label}.{Label}.", "has the label `{Label}` twice"),
        (
            "foo_{Label}.",
            "is not a valid host name: `_` is not a letter",
        ),
        (
            "https://{Label}.",
            "is not a valid host name: `:` is not a letter",
        ),
        (
            "{Label}..",
            "is not a valid host name: it has an empty label",
        ),
        ("-{Label}.", "starts or ends with a hyphen"),
        ("", "is empty"),
    ];
    for (template, phrase) in cases {
        let err = error_of(&with_host_prefix(template));
        assert_error(&err, Some("example.fixtures#Go"), phrase);
        assert!(
            err.message
                .contains(&format!("has the host prefix `{template}`")),
            "{err}"
        );
    }
}

#[test]
fn host_prefix_labels_match_host_label_members() {
    let err = error_of(&with_host_prefix("{Missing}.{Label}."));
    assert_error(
        &err,
        Some("example.fixtures#Go"),
        "has the label `{Missing}`, but the input `GoInput` has no member `Missing`",
    );

    let err = error_of(&with_host_prefix("{A}.{Label}."));
    assert_error(
        &err,
        Some("example.fixtures#Go"),
        "the input member `GoInput.A` is not marked `smithy.api#hostLabel`",
    );

    let err = error_of(&with_host_prefix("foo."));
    assert_error(
        &err,
        Some("example.fixtures#Go"),
        "has no label `{Label}` for the input member `GoInput.Label` marked `smithy.api#hostLabel`",
    );

    let mut m = with_host_prefix("{Label}.");
    m["shapes"]["example.fixtures#GoRequest"]["members"]["Label"]["traits"] =
        json!({ "smithy.api#hostLabel": {} });
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Go"),
        "the input member `GoInput.Label` is not `smithy.api#required`",
    );

    let mut m = with_host_prefix("{Label}.");
    m["shapes"]["example.fixtures#GoRequest"]["members"]["Label"]["target"] =
        json!("smithy.api#Integer");
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Go"),
        "the input member `GoInput.Label` does not target a string",
    );

    let mut m = with_host_prefix("{Label}.");
    m["shapes"]["example.fixtures#Go"]["input"] = json!({ "target": "smithy.api#Unit" });
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Go"),
        "has the label `{Label}`, but the input `GoInput` has no member `Label`",
    );

    let mut m = with_host_prefix("{Label}.");
    m["shapes"]["example.fixtures#Go"]["traits"]["smithy.api#endpoint"] = json!({});
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Go"),
        "has a `smithy.api#endpoint` trait that cannot be read: it has no `hostPrefix`",
    );
}

#[test]
fn request_compression_is_checked() {
    let with_compression = |value: Value| {
        let mut m = model();
        m["shapes"]["example.fixtures#Go"]["traits"] =
            json!({ "smithy.api#requestCompression": value });
        m
    };
    for encodings in [json!(["gzip"]), json!(["br", "GZIP"]), json!(["br"])] {
        let m = with_compression(json!({ "encodings": encodings }));
        assert_eq!(generate(&m.to_string(), &options(None)), Ok(BASE_FILES));
    }
    let cases = [
        (
            json!({}),
            "trait that cannot be read: it has no `encodings`",
        ),
        (json!({ "encodings": [] }), "whose `encodings` is empty"),
        (
            json!({ "encodings": ["gzip", 2] }),
            "trait that cannot be read: `encodings[1]` is `2`, not a string",
        ),
    ];
    for (value, phrase) in cases {
        assert_error(
            &error_of(&with_compression(value)),
            Some("example.fixtures#Go"),
            phrase,
        );
    }
}

#[test]
fn request_case_hosts_are_checked() {
    let cases = [
        (
            json!({ "host": "https://example.com" }),
            "`host` is `https://example.com`, not a host with an optional path",
        ),
        (
            json!({ "host": "/custom" }),
            "`host` is `/custom`, not a host with an optional path",
        ),
        (json!({ "host": 7 }), "`host` is `7`, not a string"),
        (
            json!({ "resolvedHost": "example.com/custom" }),
            "`resolvedHost` is `example.com/custom`, not a host",
        ),
        (
            json!({ "resolvedHost": "" }),
            "`resolvedHost` is ``, not a host",
        ),
    ];
    for (fields, phrase) in cases {
        let err = error_of(&with_request_tests(json!([request_case(fields)])));
        assert_error(&err, Some("example.fixtures#Go"), phrase);
        assert!(
            err.message
                .contains("`smithy.test#httpRequestTests` case `GoCase`"),
            "{err}"
        );
    }
    // A case with a base path or an expected host is run through the client instead.
    let m = with_request_tests(json!([request_case(
        json!({ "host": "example.com/custom", "uri": "/custom/" })
    )]));
    assert_eq!(generate(&m.to_string(), &options(None)), Ok(BASE_FILES + 1));
}

#[test]
fn an_operation_named_like_a_client_method() {
    let mut m = model();
    let go = shapes(&mut m)
        .remove("example.fixtures#Go")
        .expect("the base model has `Go`");
    add(&mut m, "Endpoint", go);
    m["shapes"][SERVICE]["operations"] = json!([{ "target": "example.fixtures#Endpoint" }]);
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Endpoint"),
        "would be the client method `endpoint`, which the client already has",
    );
}

// ---------------------------------------------------------------------------------------------
// Endpoint rules
// ---------------------------------------------------------------------------------------------

/// The base model with an endpoint rule set: `Region` (optional) and `UseFIPS` (defaults to
/// `false`), and `rules` after a first rule that resolves a set region through its partition.
fn with_rules(rules: Value) -> Value {
    let mut all = vec![json!({
        "type": "tree",
        "conditions": [
            { "fn": "isSet", "argv": [{ "ref": "Region" }] },
            { "fn": "aws.partition", "argv": [{ "ref": "Region" }], "assign": "PartitionResult" }
        ],
        "rules": [{
            "type": "endpoint",
            "conditions": [],
            "endpoint": { "url": "https://probe.{Region}.{PartitionResult#dnsSuffix}" }
        }]
    })];
    all.extend(rules.as_array().expect("a list of rules").iter().cloned());
    with_rule_set(json!({
        "version": "1.0",
        "parameters": {
            "Region": { "type": "String", "builtIn": "AWS::Region", "documentation": "region" },
            "UseFIPS": {
                "type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false,
                "documentation": "fips"
            }
        },
        "rules": all
    }))
}

fn with_rule_set(rule_set: Value) -> Value {
    let mut m = model();
    m["shapes"][SERVICE]["traits"]["smithy.rules#endpointRuleSet"] = rule_set;
    m
}

/// A rule set ending in `rule`, after the first one.
fn with_last_rule(rule: Value) -> Value {
    with_rules(json!([rule]))
}

fn error_rule(conditions: Value) -> Value {
    json!({ "type": "error", "conditions": conditions, "error": "no" })
}

fn endpoint_rule(url: Value) -> Value {
    json!({ "type": "endpoint", "conditions": [], "endpoint": { "url": url } })
}

#[test]
fn a_valid_rule_set_generates() {
    let m = with_rules(json!([error_rule(json!([]))]));
    assert_eq!(generate(&m.to_string(), &options(None)), Ok(BASE_FILES));
}

#[test]
fn an_unknown_function() {
    let m = with_last_rule(error_rule(json!([
        { "fn": "aws.frobnicate", "argv": [{ "ref": "Region" }] }
    ])));
    let err = error_of(&m);
    assert_error(&err, Some(SERVICE), "at `rules[1].conditions[0]`");
    assert_error(&err, Some(SERVICE), "unknown function `aws.frobnicate`");
}

#[test]
fn a_reference_to_an_unknown_parameter() {
    let m = with_last_rule(error_rule(json!([
        { "fn": "isSet", "argv": [{ "ref": "Regoin" }] }
    ])));
    let err = error_of(&m);
    assert_error(
        &err,
        Some(SERVICE),
        "`Regoin` is neither a parameter nor a variable assigned in scope",
    );
    // A variable assigned in another rule is out of scope.
    let m = with_last_rule(endpoint_rule(json!(
        "https://{PartitionResult#name}.example.com"
    )));
    let err = error_of(&m);
    assert_error(&err, Some(SERVICE), "at `rules[1].endpoint.url`");
    assert_error(&err, Some(SERVICE), "`PartitionResult` is neither");
}

#[test]
fn arguments_of_the_wrong_type() {
    let m = with_last_rule(error_rule(json!([
        { "fn": "stringEquals", "argv": [{ "ref": "UseFIPS" }, "yes"] }
    ])));
    assert_error(
        &error_of(&m),
        Some(SERVICE),
        "argument 1 of `stringEquals` must be a string, but it is a boolean",
    );
    let m = with_last_rule(error_rule(json!([
        { "fn": "substring", "argv": ["abc", "0", 2, false] }
    ])));
    assert_error(
        &error_of(&m),
        Some(SERVICE),
        "argument 2 of `substring` must be an integer, but it is a string",
    );
}

#[test]
fn an_optional_value_used_before_it_is_known_to_be_set() {
    let m = with_last_rule(error_rule(json!([
        { "fn": "stringEquals", "argv": [{ "ref": "Region" }, "us-east-1"] }
    ])));
    let err = error_of(&m);
    assert_error(&err, Some(SERVICE), "but it is an optional string");
    assert_error(&err, Some(SERVICE), "prove it is set first");
    let m = with_last_rule(endpoint_rule(json!("https://{Region}.example.com")));
    assert_error(&error_of(&m), Some(SERVICE), "but it is an optional string");
}

#[test]
fn malformed_templates() {
    for (url, phrase) in [
        ("https://{Region.example.com", "has a `{` without its `}`"),
        (
            "https://{Region{x}}.example.com",
            "has a `{` without its `}`",
        ),
        ("https://Region}.example.com", "has a `}` without its `{`"),
        ("https://{}.example.com", "has an empty placeholder"),
        (
            "https://{UseFIPS}.example.com",
            "must be a string, but it is a boolean",
        ),
    ] {
        let m = with_last_rule(endpoint_rule(json!(url)));
        assert_error(&error_of(&m), Some(SERVICE), phrase);
    }
    let m = with_last_rule(endpoint_rule(json!("https://{{literal}}.example.com")));
    assert_eq!(generate(&m.to_string(), &options(None)), Ok(BASE_FILES));
}

#[test]
fn attributes_that_do_not_exist() {
    for (path, phrase) in [
        ("dnsSufix", "a partition has no attribute `dnsSufix`"),
        ("name.first", "a string has no attribute `first`"),
        ("name[0]", "indexes a string, not a list"),
        ("", "the `getAttr` path is empty"),
    ] {
        let m = with_rules(json!([{
            "type": "tree",
            "conditions": [
                { "fn": "aws.partition", "argv": ["us-east-1"], "assign": "Part" },
                { "fn": "getAttr", "argv": [{ "ref": "Part" }, path], "assign": "Value" }
            ],
            "rules": [error_rule(json!([]))]
        }]));
        assert_error(&error_of(&m), Some(SERVICE), phrase);
    }
}

#[test]
fn calls_with_the_wrong_number_of_arguments() {
    let m = with_last_rule(error_rule(json!([
        { "fn": "booleanEquals", "argv": [{ "ref": "UseFIPS" }] }
    ])));
    assert_error(
        &error_of(&m),
        Some(SERVICE),
        "`booleanEquals` takes 2 argument(s), not 1",
    );
}

#[test]
fn malformed_rules() {
    for (rule, phrase) in [
        (
            json!({ "type": "redirect", "conditions": [] }),
            "the rule type `redirect`",
        ),
        (
            json!({ "type": "tree", "conditions": [], "rules": [] }),
            "`rules` is empty",
        ),
        (
            json!({ "type": "endpoint", "conditions": [] }),
            "has no `endpoint`",
        ),
        (
            json!({ "type": "error", "conditions": [] }),
            "has no `error`",
        ),
        (
            json!({ "type": "error", "conditions": [true], "error": "x" }),
            "`rules[1].conditions[0]` is `true`, not a function call",
        ),
        (
            json!({ "type": "error", "conditions": [], "error": true }),
            "the value must be a string, but it is a boolean",
        ),
        (
            json!({ "type": "endpoint", "conditions": [],
                    "endpoint": { "url": "https://x", "properties": { "n": 1 } } }),
            "a property holds strings, booleans, lists and maps",
        ),
    ] {
        assert_error(&error_of(&with_last_rule(rule)), Some(SERVICE), phrase);
    }
}

#[test]
fn an_assign_that_reuses_a_name() {
    let m = with_last_rule(error_rule(json!([
        { "fn": "aws.partition", "argv": ["us-east-1"], "assign": "Region" }
    ])));
    assert_error(
        &error_of(&m),
        Some(SERVICE),
        "`assign` reuses the name `Region`, which is already in scope",
    );
    let m = with_last_rule(error_rule(json!([
        { "fn": "aws.partition", "argv": ["us-east-1"], "assign": "region" }
    ])));
    assert_error(
        &error_of(&m),
        Some(SERVICE),
        "`assign` `region` and `Region`, in scope, both become the Rust name `region`",
    );
}

#[test]
fn malformed_parameters() {
    let rule_set = |parameters: Value| {
        with_rule_set(json!({
            "version": "1.0",
            "parameters": parameters,
            "rules": [error_rule(json!([]))]
        }))
    };
    for (parameters, phrase) in [
        (
            json!({ "Region": { "type": "Integer" } }),
            "the type `integer` is not",
        ),
        (json!({ "Region": {} }), "the parameter has no `type`"),
        (
            json!({ "Use-FIPS": { "type": "Boolean" } }),
            "`Use-FIPS` is not a valid name",
        ),
        (
            json!({ "UseFIPS": { "type": "Boolean", "required": true, "default": "no" } }),
            "the default `\"no\"` is not a boolean",
        ),
        (
            json!({ "Region": { "type": "Boolean", "builtIn": "AWS::Region" } }),
            "the built-in `AWS::Region` is a string, but the parameter is a boolean",
        ),
        (
            json!({ "Global": { "type": "String", "builtIn": "AWS::STS::UseGlobalEndpoint" } }),
            "the built-in `AWS::STS::UseGlobalEndpoint` is a boolean, but the parameter is a string",
        ),
        (
            json!({ "Bucket": { "type": "String" }, "bucket": { "type": "String" } }),
            "both become the Rust field `bucket`",
        ),
    ] {
        let err = error_of(&rule_set(parameters));
        assert_error(&err, Some(SERVICE), phrase);
        assert_error(&err, Some(SERVICE), "parameters.");
    }
}

fn with_endpoint_tests(cases: Value) -> Value {
    let mut m = with_rules(json!([error_rule(json!([]))]));
    m["shapes"][SERVICE]["traits"]["smithy.rules#endpointTests"] =
        json!({ "version": "1.0", "testCases": cases });
    m
}

#[test]
fn endpoint_test_cases_add_a_test_file() {
    let m = with_endpoint_tests(json!([
        { "params": { "Region": "us-east-1" },
          "expect": { "endpoint": { "url": "https://probe.us-east-1.amazonaws.com" } } },
        { "documentation": "no region", "params": {}, "expect": { "error": "no" } }
    ]));
    assert_eq!(generate(&m.to_string(), &options(None)), Ok(BASE_FILES + 1));
}

#[test]
fn malformed_endpoint_test_cases() {
    for (case, phrase) in [
        (
            json!({ "documentation": "typo", "params": { "Regoin": "x" }, "expect": { "error": "no" } }),
            "case 0 (`typo`): `Regoin` is not a parameter of the rule set",
        ),
        (
            json!({ "params": { "UseFIPS": "yes" }, "expect": { "error": "no" } }),
            "case 0: the value of `UseFIPS`: `\"yes\"` is not a boolean",
        ),
        (
            json!({ "params": {}, "expect": {} }),
            "`expect` must hold either an `endpoint` or an `error` message",
        ),
        (json!({ "params": {} }), "`testCases[0]` has no `expect`"),
        (
            json!({ "params": {}, "expect": { "endpoint": { "headers": {} } } }),
            "`testCases[0].expect.endpoint` has no `url`",
        ),
    ] {
        let err = error_of(&with_endpoint_tests(json!([case])));
        assert_error(&err, Some(SERVICE), phrase);
        assert_error(&err, Some(SERVICE), "smithy.rules#endpointTests");
    }
}

/// Damaging any one part of the fixture's rule set gives an error or a model, never a panic.
#[test]
fn damaged_rule_sets_never_panic() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/endpoint_rules.json");
    let text = std::fs::read_to_string(&path).expect("a readable fixture");
    let original: Value = serde_json::from_str(&text).expect("fixtures are JSON");
    let service = "example.fixtures#RoutingService";
    let pointer =
        |trait_id: &str| format!("/shapes/{service}/traits/{}", trait_id.replace('/', "~1"));
    let mut runs = 0;
    for trait_id in ["smithy.rules#endpointRuleSet", "smithy.rules#endpointTests"] {
        let root = original
            .pointer(&pointer(trait_id))
            .expect("the fixture has the trait")
            .clone();
        let mut paths = Vec::new();
        collect_paths(&root, String::new(), &mut paths);
        for path in &paths {
            for replacement in [json!(null), json!(7), json!("{x"), json!({})] {
                let mut damaged = original.clone();
                *damaged
                    .pointer_mut(&format!("{}{path}", pointer(trait_id)))
                    .expect("a collected path") = replacement;
                let _ = generate(&damaged.to_string(), &options(None));
                runs += 1;
            }
        }
    }
    assert!(runs > 1000, "only {runs} damaged rule sets were tried");
}

/// Every JSON pointer below `value`.
fn collect_paths(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let path = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(path.clone());
                collect_paths(v, path, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let path = format!("{at}/{i}");
                out.push(path.clone());
                collect_paths(v, path, out);
            }
        }
        _ => {}
    }
}

/// The base model with `Go` paginated by `paginated`, its input holding `A` (string) and `Size`
/// (integer) and its output `Next` (string) and `Count` (integer).
fn with_paginated(paginated: Value) -> Value {
    let mut m = model();
    add_input_member(&mut m, "Size", json!({ "target": "smithy.api#Integer" }));
    m["shapes"]["example.fixtures#GoResponse"]["members"] = json!({
        "Next": { "target": "smithy.api#String" },
        "Count": { "target": "smithy.api#Integer" }
    });
    m["shapes"]["example.fixtures#Go"]["traits"] = json!({ "smithy.api#paginated": paginated });
    m
}

#[test]
fn a_well_formed_paginated_trait_generates() {
    let m = with_paginated(json!({ "inputToken": "A", "outputToken": "Next", "pageSize": "Size" }));
    assert_eq!(generate(&m.to_string(), &options(None)), Ok(BASE_FILES));
    // Without both tokens there is nothing to page with: documented, but no paginator and no error.
    let m = with_paginated(json!({ "items": "Nope" }));
    assert_eq!(generate(&m.to_string(), &options(None)), Ok(BASE_FILES));
}

#[test]
fn malformed_paginated_traits() {
    let cases = [
        (
            json!({ "inputToken": "Nope", "outputToken": "Next" }),
            "inputToken `Nope` that names `Nope`, which is not a member of `GoRequest`",
        ),
        (
            json!({ "inputToken": "A.B", "outputToken": "Next" }),
            "inputToken `A.B` that is a path; it must be a member of the input",
        ),
        (
            json!({ "inputToken": "Size", "outputToken": "Next" }),
            "inputToken `Size` that is not a string",
        ),
        (
            json!({ "inputToken": "A", "outputToken": "Count" }),
            "outputToken `Count` that is not a string",
        ),
        (
            json!({ "inputToken": "A", "outputToken": "Next.More" }),
            "outputToken `Next.More` that goes through `String`, which is not a structure",
        ),
        (
            json!({ "inputToken": "A", "outputToken": "Next", "items": "Count" }),
            "items `Count` that is neither a list nor a map",
        ),
        (
            json!({ "inputToken": "A", "outputToken": "Next", "items": "Things" }),
            "items `Things` that names `Things`, which is not a member of `GoResponse`",
        ),
        (
            json!({ "inputToken": "A", "outputToken": "Next", "pageSize": "A" }),
            "pageSize `A` that is not an integer member of the input",
        ),
        (
            json!({ "inputToken": 7, "outputToken": "Next" }),
            "`smithy.api#paginated` trait that cannot be read: `inputToken` is `7`, not a string",
        ),
    ];
    for (paginated, phrase) in cases {
        let err = error_of(&with_paginated(paginated));
        assert_error(&err, Some("example.fixtures#Go"), phrase);
    }
}

/// The base model with an output `Items` (a list of structures with a string `State` and an integer
/// `Size`), a boolean `Done`, an error `Missing` and the waiter `Ready` on `Go` with these
/// acceptors (and delays, when given).
fn waiter_model(acceptors: Value, delays: Option<(u64, u64)>) -> Value {
    let mut model = model();
    add(
        &mut model,
        "GoResponse",
        json!({ "type": "structure", "members": {
            "Items": { "target": "example.fixtures#ItemList" },
            "Done": { "target": "smithy.api#Boolean" }
        }}),
    );
    add(
        &mut model,
        "ItemList",
        json!({ "type": "list", "member": { "target": "example.fixtures#Item" } }),
    );
    add(
        &mut model,
        "Item",
        json!({ "type": "structure", "members": {
            "State": { "target": "smithy.api#String" },
            "Size": { "target": "smithy.api#Integer" },
            "Stamp": { "target": "smithy.api#Timestamp" }
        }}),
    );
    add(
        &mut model,
        "Missing",
        json!({ "type": "structure", "members": {}, "traits": { "smithy.api#error": "client" } }),
    );
    let go = &mut model["shapes"]["example.fixtures#Go"];
    go["errors"] = json!([{ "target": "example.fixtures#Missing" }]);
    let mut waiter = json!({ "acceptors": acceptors });
    if let Some((min, max)) = delays {
        waiter["minDelay"] = json!(min);
        waiter["maxDelay"] = json!(max);
    }
    go["traits"] = json!({ "smithy.waiters#waitable": { "Ready": waiter } });
    model
}

/// A waiter's `minDelay` and `maxDelay`.
type Delays = (u64, u64);

fn output_acceptor(path: &str, expected: &str, comparator: &str) -> Value {
    json!([{ "state": "success", "matcher": { "output": {
        "path": path, "expected": expected, "comparator": comparator
    }}}])
}

#[test]
fn waiters_generate_when_well_formed() {
    for path in [
        "Items[].State",
        "Items[*].State",
        "Items[?Size > `2` && !(State == 'x')].State",
    ] {
        let model = waiter_model(output_acceptor(path, "ok", "allStringEquals"), None);
        assert!(
            generate(&model.to_string(), &options(None)).is_ok(),
            "{path}"
        );
    }
    let model = waiter_model(
        output_acceptor("length(Items) >= `1` || Done", "true", "booleanEquals"),
        Some((3, 3)),
    );
    assert!(generate(&model.to_string(), &options(None)).is_ok());
}

#[test]
fn malformed_waiters_name_the_operation_and_the_waiter() {
    let go = Some("example.fixtures#Go");
    let success = |matcher: Value| json!([{ "state": "success", "matcher": matcher }]);
    let cases: Vec<(Value, Option<Delays>, &str)> = vec![
        (
            success(json!({ "outputs": {} })),
            None,
            "unknown variant `outputs`",
        ),
        (
            output_acceptor("Items[].State", "ok", "stringLike"),
            None,
            "unknown variant `stringLike`",
        ),
        (
            json!([{ "state": "done", "matcher": { "success": true } }]),
            None,
            "unknown variant `done`",
        ),
        (
            json!([{ "state": "failure", "matcher": { "success": false } }]),
            None,
            "no acceptor with the `success` state",
        ),
        (json!([]), None, "has no acceptors"),
        (
            success(json!({ "success": true })),
            Some((10, 5)),
            "minDelay (10) greater than its maxDelay (5)",
        ),
        (
            success(json!({ "success": true })),
            Some((0, 5)),
            "a delay below 1 second",
        ),
        (
            success(json!({ "errorType": "Gone" })),
            None,
            "errorType `Gone` is none of the errors of `Go`",
        ),
        (
            output_acceptor("Items[].Color", "ok", "anyStringEquals"),
            None,
            "names `Color`, which is not a member of `Item`",
        ),
        (
            output_acceptor("Done.State", "ok", "stringEquals"),
            None,
            "reads `State` from a boolean, which is not a structure",
        ),
        (
            output_acceptor("Items[].State", "ok", "stringEquals"),
            None,
            "is a list of string, but its comparator needs a string",
        ),
        (
            output_acceptor("Done", "yes", "booleanEquals"),
            None,
            "neither `true` nor `false`",
        ),
        (
            output_acceptor("Items[0].State", "ok", "stringEquals"),
            None,
            "an index or slice, which the generator does not support",
        ),
        (
            output_acceptor("Items | [0]", "ok", "stringEquals"),
            None,
            "a pipe `|`, which the generator does not support",
        ),
        (
            output_acceptor("sort(Items[].State)", "ok", "allStringEquals"),
            None,
            "the function `sort`, which the generator does not support",
        ),
        (
            output_acceptor("Items[].Stamp", "ok", "anyStringEquals"),
            None,
            "a shape of a kind waiter paths cannot read",
        ),
        (
            output_acceptor("Items[].State == `1`", "true", "booleanEquals"),
            None,
            "compares a list of string with a number",
        ),
        (
            output_acceptor(
                "length(Items) == `1` && Items[?State < 'a'].State",
                "ok",
                "anyStringEquals",
            ),
            None,
            "orders a string; only numbers can be",
        ),
        (
            json!([{ "state": "success", "matcher": { "inputOutput": {
                "path": "Items[].State", "expected": "ok", "comparator": "anyStringEquals"
            }}}]),
            None,
            "only `input` and `output`",
        ),
        (
            json!([{ "state": "failure", "message": "Items", "matcher": { "success": false } },
                   { "state": "success", "matcher": { "success": true } }]),
            None,
            "with a `message`, which the generator does not support",
        ),
    ];
    for (acceptors, delays, phrase) in cases {
        let err = error_of(&waiter_model(acceptors, delays));
        assert_error(&err, go, phrase);
        assert_error(&err, go, "whose waiter `Ready`");
    }

    // Names: UpperCamelCase, and unique regardless of case across the service.
    let mut model = waiter_model(json!([]), None);
    model["shapes"]["example.fixtures#Go"]["traits"]["smithy.waiters#waitable"] = json!({ "ready": { "acceptors": [{ "state": "success", "matcher": { "success": true } }] } });
    assert_error(&error_of(&model), go, "is not named in UpperCamelCase");
}

/// Traits whose fields the specification fixes refuse fields it does not define, and the error
/// says where the field is.
#[test]
fn unknown_fields_of_fixed_traits() {
    let err = error_of(&with_paginated(
        json!({ "inputTokn": "A", "outputToken": "Next" }),
    ));
    assert_error(
        &err,
        Some("example.fixtures#Go"),
        "`smithy.api#paginated` trait that cannot be read: it has `inputTokn`, which is not a known field",
    );
    let m = with_request_tests(json!([request_case(json!({ "methd": "POST" }))]));
    assert_error(
        &error_of(&m),
        Some("example.fixtures#Go"),
        "case `GoCase`: it has `methd`, which is not a known field",
    );
    let m = with_last_rule(json!({ "type": "error", "conditons": [], "error": "no" }));
    assert_error(
        &error_of(&m),
        Some(SERVICE),
        "`rules[1]` has `conditons`, which is not a known field",
    );
    let m = with_last_rule(error_rule(json!([
        { "fn": "isSet", "argv": [{ "ref": "Region", "assign": "R" }] }
    ])));
    assert_error(
        &error_of(&m),
        Some(SERVICE),
        "`rules[1].conditions[0].argv[0]`: only a condition can `assign`",
    );
}

/// `smithy.api#auth` on the operation `Go`, or on the service when `on_service`.
fn with_auth(auth: Value, on_service: bool) -> Value {
    let mut m = model();
    let shape = if on_service {
        SERVICE
    } else {
        "example.fixtures#Go"
    };
    m["shapes"][shape]["traits"]["smithy.api#auth"] = auth;
    m
}

#[test]
fn auth_lists_the_client_cannot_sign_with() {
    for on_service in [false, true] {
        let err = error_of(&with_auth(json!(["aws.auth#sigv4a"]), on_service));
        assert_error(
            &err,
            Some("example.fixtures#Go"),
            "is authenticated with `aws.auth#sigv4a`",
        );
        assert_error(
            &err,
            Some("example.fixtures#Go"),
            "signs with `aws.auth#sigv4` only",
        );
        assert_eq!(err.message.contains("(the service's)"), on_service, "{err}");
    }
    let err = error_of(&with_auth(json!("aws.auth#sigv4"), false));
    assert_error(
        &err,
        Some("example.fixtures#Go"),
        "has a `smithy.api#auth` trait that cannot be read",
    );
}

#[test]
fn auth_lists_with_sigv4_or_empty_generate() {
    for (auth, on_service) in [
        (json!(["aws.auth#sigv4a", "aws.auth#sigv4"]), false),
        (json!(["aws.auth#sigv4", "aws.auth#sigv4a"]), true),
        (json!([]), false),
        (json!([]), true),
    ] {
        let m = with_auth(auth, on_service);
        assert_eq!(
            generate(&m.to_string(), &options(None)),
            Ok(BASE_FILES),
            "{m}"
        );
    }
}
