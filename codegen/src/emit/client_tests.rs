//! `tests/protocol_tests.rs` of the client crate: the request cases whose outcome depends on the
//! client (a host prefix, compression, an operation sent unsigned, an endpoint with a base path, an
//! expected resolved host),
//! sent through the generated `Client`. They share their input building and checks with the
//! protocol crate's tests.

use proc_macro2::TokenStream;
use quote::quote;

use super::crate_docs;
use super::protocol_tests::Emitter;
use crate::ir::{Operation, ProtocolTestKind, RequestCase, Service, ShapeKind};
use crate::naming::ident;

/// The host a case that names none is sent to (`awsquery_testing::client::DEFAULT_HOST`).
const DEFAULT_HOST: &str = "example.com";

/// The test file, or `None` when no case needs the client.
pub fn file(service: &Service) -> Option<TokenStream> {
    if service.client_tests.is_empty() {
        return None;
    }
    let emitter = Emitter::new(service);
    let client = ident(&service.crates.client.ident);
    let docs = crate_docs(&format!(
        "Protocol compliance cases that depend on the client: operations with a host prefix or \
         request compression or sent unsigned, and cases with an endpoint path or an expected \
         resolved host.\n\n\
         Each case builds the input from its parameters with the fluent builder and sends it \
         through `Client` to `https://{{host}}` (`{DEFAULT_HOST}` when the case names no host) over \
         a transport that keeps the request. It checks the method, the path (the endpoint's base \
         path, then the operation's), the `Host` header against `resolvedHost`, the headers, the \
         query parameters and the body, decoded first when the client compressed it."
    ));
    let tests = service.client_tests.iter().map(|test| {
        let op = emitter.operation_of(test);
        let ProtocolTestKind::Request(case) = &test.kind else {
            unreachable!("lowering only sends request cases to the client")
        };
        emitter.test_fn(test, request(&emitter, service, op, case, &client))
    });
    Some(quote! {
        #docs
        #![allow(deprecated)]
        #(#tests)*
    })
}

fn request(
    emitter: &Emitter<'_>,
    service: &Service,
    op: &Operation,
    case: &RequestCase,
    client: &proc_macro2::Ident,
) -> TokenStream {
    let endpoint = format!("https://{}", case.host.as_deref().unwrap_or(DEFAULT_HOST));
    let members = match &service.shape(&op.input).kind {
        ShapeKind::Structure(s) => s.members.as_slice(),
        _ => &[],
    };
    let setters = members.iter().filter_map(|m| {
        let value = emitter.member_value(m, &case.params, true)?;
        let setter = ident(&m.field);
        Some(quote!(.#setter(#value)))
    });
    let call = ident(&op.fn_name);
    let response = format!("<{}/>", op.response_tag);
    let method = &case.method;
    let uri = &case.uri;
    let resolved_host = case
        .resolved_host
        .as_ref()
        .map(|host| quote!(assert_eq!(request.header("host"), Some(#host), "resolved host");));
    // A compressed body is compared once decoded.
    let compressed = op
        .request_compression
        .as_ref()
        .is_some_and(|c| c.encoding.is_some());
    let decode = (case.body.is_some() && compressed)
        .then(|| quote!(let body = ::awsquery_testing::client::decoded_body(&request);));
    let sent = if decode.is_some() {
        quote!(body)
    } else {
        quote!(request.body)
    };
    let checks = Emitter::request_checks(case, &sent);
    quote! {
        let transport = ::awsquery_testing::client::CapturingTransport::new(
            ::awsquery_types::http::Response::new(200, #response),
        );
        let client = ::#client::Client::new(::awsquery_testing::client::config(#endpoint), &transport);
        ::awsquery_testing::client::block_on(client.#call() #(#setters)* .send()).expect("the call succeeds");
        let request = transport.only_request();
        let path = ::awsquery_testing::client::uri_path(&request.uri);
        assert_eq!(request.method, #method, "method");
        assert_eq!(path, #uri, "URI path");
        #resolved_host
        #decode
        #checks
    }
}
