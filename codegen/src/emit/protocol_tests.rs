//! `tests/protocol_tests.rs` of the protocol crate: one test per protocol compliance case.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Paths, crate_docs, doc_attrs};
use crate::ir::{
    self, FloatLiteral, FloatValue, Member, Operation, ProtocolTest, ProtocolTestKind, RequestCase,
    ResponseCase, Service, StructureLiteral, TimestampLiteral,
};
use crate::naming::ident;

/// What a request case puts in an idempotency token member it leaves unset: the fixed value that
/// compliance cases expect from a client whose token source is pinned for the test.
pub const TEST_IDEMPOTENCY_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// The test file, or `None` when the model has no awsQuery client cases.
pub fn file(service: &Service) -> Option<TokenStream> {
    if service.protocol_tests.is_empty() {
        return None;
    }
    let emitter = Emitter::new(service);
    let docs = crate_docs(&format!(
        "Protocol compliance tests: the awsQuery client cases of the model's \
         `smithy.test#httpRequestTests` and `smithy.test#httpResponseTests`.\n\n\
         A request case builds the input from its parameters, serializes it and compares the request \
         (form bodies as sets of pairs, XML bodies as trees); the operation fills the idempotency \
         tokens the case leaves unset, as the client does, from a source pinned to \
         `{TEST_IDEMPOTENCY_TOKEN}`. A response case deserializes its response and compares the output, or \
         the error and its members (the unmodeled `meta` is taken from the actual error). A float \
         the case expects to be NaN is checked on its own, as NaN never equals itself."
    ));
    let tests = service.protocol_tests.iter().map(|t| emitter.test(t));
    Some(quote! {
        #docs
        #![allow(deprecated, clippy::approx_constant)]
        #(#tests)*
    })
}

/// Prints the cases of one service; the client-side tests share it.
pub(super) struct Emitter<'s> {
    service: &'s Service,
    paths: Paths,
    protocol: TokenStream,
}

/// One step from a value to a part of it, for reaching an expected NaN.
#[derive(Clone)]
enum Step {
    /// A structure member.
    Field {
        /// The member name in the model.
        name: String,
        /// The Rust field.
        field: String,
        optional: bool,
        boxed: bool,
    },
    /// The value of a union variant.
    Variant {
        ty: TokenStream,
        variant: String,
        boxed: bool,
    },
    /// A list item.
    Index(usize),
    /// A map value, by an expression borrowing its key.
    Key(TokenStream),
}

/// A float the case expects to be NaN: how to reach it, where it is in `params`, and its type.
struct Nan {
    steps: Vec<Step>,
    path: String,
    float: TokenStream,
}

impl<'s> Emitter<'s> {
    /// An emitter reaching the model and protocol crates by their crate names, as a test file
    /// outside them does.
    pub(super) fn new(service: &'s Service) -> Self {
        let model = ident(&service.crates.model.ident);
        let protocol = ident(&service.crates.protocol.ident);
        Emitter {
            service,
            paths: Paths {
                model: quote!(::#model),
            },
            protocol: quote!(::#protocol),
        }
    }

    /// The operation a test runs against.
    pub(super) fn operation_of(&self, test: &ProtocolTest) -> &'s Operation {
        self.service
            .operations
            .iter()
            .find(|op| op.id == test.operation)
            .expect("lowering only makes tests of selected operations")
    }

    fn test(&self, test: &ProtocolTest) -> TokenStream {
        let op = self.operation_of(test);
        let body = match &test.kind {
            ProtocolTestKind::Request(case) => self.request(op, case),
            ProtocolTestKind::Response(case) => self.response(op, case),
            ProtocolTestKind::Error { error, case } => self.error(op, error, case),
        };
        self.test_fn(test, body)
    }

    /// The `#[test]` function of `test`, documented with the case's own text, running `body`.
    pub(super) fn test_fn(&self, test: &ProtocolTest, body: TokenStream) -> TokenStream {
        let op = self.operation_of(test);
        let name = ident(&test.fn_name);
        let what = match &test.kind {
            ProtocolTestKind::Request(_) => format!("Request case `{}` of `{}`.", test.id, op.name),
            ProtocolTestKind::Response(_) => {
                format!("Response case `{}` of `{}`.", test.id, op.name)
            }
            ProtocolTestKind::Error { error, .. } => format!(
                "Error case `{}` of `{}`, run against `{}`.",
                test.id,
                self.service.shape(error).name,
                op.name
            ),
        };
        let text = match &test.docs {
            Some(docs) if !docs.trim().is_empty() => format!("{}\n\n{what}", docs.trim()),
            _ => what,
        };
        let docs = doc_attrs(Some(&text));
        let ignore = test
            .ignored
            .as_deref()
            .map(|reason| quote!(#[ignore = #reason]));
        quote! {
            #docs
            #[test]
            #ignore
            fn #name() {
                #body
            }
        }
    }

    fn operation(&self, op: &Operation) -> TokenStream {
        let protocol = &self.protocol;
        let name = ident(&op.type_name);
        quote!(<#protocol::#name as ::awsquery_protocol::operation::Operation>)
    }

    fn request(&self, op: &Operation, case: &RequestCase) -> TokenStream {
        let operation = self.operation(op);
        let input = self.structure(&case.params);
        // The tokens the case leaves unset come from a pinned source, as the client's would.
        let fill_tokens = (!super::idempotency_tokens(self.service, &op.input).is_empty()).then(|| {
            quote! {
                #operation::fill_idempotency_tokens(&mut input, &mut || String::from(#TEST_IDEMPOTENCY_TOKEN));
            }
        });
        let input_mutability = fill_tokens.is_some().then(|| quote!(mut));
        let method = &case.method;
        let uri = &case.uri;
        let checks = Self::request_checks(case, &quote!(request.body));
        quote! {
            let #input_mutability input = #input;
            #fill_tokens
            let request = #operation::serialize(&input).expect("the input serializes");
            assert_eq!(request.method, #method, "method");
            assert_eq!(request.uri, #uri, "URI");
            #checks
        }
    }

    /// The checks of a request case on a `request` (an `awsquery_types::http::Request`) other than its
    /// method and URI: headers, query parameters and, when the case has one, the body, read from
    /// the expression `sent` (the request's body, or the body decoded).
    pub(super) fn request_checks(case: &RequestCase, sent: &TokenStream) -> TokenStream {
        let headers = case.headers.iter().map(|(name, value)| {
            let message = format!("header `{name}`");
            quote!(assert_eq!(request.header(#name), Some(#value), #message);)
        });
        let forbidden = case.forbid_headers.iter().map(|name| {
            let message = format!("header `{name}` must not be sent");
            quote!(assert_eq!(request.header(#name), None, #message);)
        });
        let required = case.require_headers.iter().map(|name| {
            let message = format!("header `{name}` must be sent");
            quote!(assert!(request.header(#name).is_some(), #message);)
        });
        let query = (!case.query_params.is_empty()
            || !case.forbid_query_params.is_empty()
            || !case.require_query_params.is_empty())
        .then(|| {
            let expected = &case.query_params;
            let forbidden = &case.forbid_query_params;
            let required = &case.require_query_params;
            quote! {
                ::awsquery_testing::assert_query(&request.uri, &[#(#expected),*], &[#(#forbidden),*], &[#(#required),*]);
            }
        });
        let body = case.body.as_ref().map(|body| {
            match body_kind(case.body_media_type.as_deref()) {
                BodyKind::Form => quote!(::awsquery_testing::assert_form_eq(#body, &#sent);),
                BodyKind::Xml => quote! {
                    ::awsquery_testing::assert_xml_eq(#body, ::std::str::from_utf8(&#sent).expect("the body is UTF-8"));
                },
                BodyKind::Bytes => quote!(assert_eq!(#sent.as_slice(), #body.as_bytes(), "body");),
            }
        });
        quote! {
            #(#headers)*
            #(#forbidden)*
            #(#required)*
            #query
            #body
        }
    }

    fn http_response(case: &ResponseCase) -> TokenStream {
        let code = Literal::u16_unsuffixed(case.code);
        let body = case.body.as_deref().unwrap_or("");
        let headers = case
            .headers
            .iter()
            .map(|(name, value)| quote!(.with_header(#name, #value)));
        quote!(::awsquery_types::http::Response::new(#code, #body) #(#headers)*)
    }

    fn response(&self, op: &Operation, case: &ResponseCase) -> TokenStream {
        let operation = self.operation(op);
        let response = Self::http_response(case);
        let expected = self.structure(&case.params);
        let nans = nans(&self.paths, self.service, &case.params);
        let mutability = (!nans.is_empty()).then(|| quote!(mut));
        let clear = nans.iter().map(clear_nan);
        // The case's params say nothing of the request id: the expected output takes the one read.
        quote! {
            let response = #response;
            let #mutability actual = #operation::deserialize(&response).expect("the response deserializes");
            let mut expected = #expected;
            expected.set_request_id(actual.request_id().map(ToOwned::to_owned));
            #(#clear)*
            assert_eq!(actual, expected);
        }
    }

    fn error(&self, op: &Operation, error: &str, case: &ResponseCase) -> TokenStream {
        let operation = self.operation(op);
        let response = Self::http_response(case);
        let shape = self.service.shape(error);
        let model = &self.paths.model;
        let error_enum = ident(&op.error_enum);
        let variant = ident(&shape.rust_name);
        let expected = self.structure(&case.params);
        let nans = nans(&self.paths, self.service, &case.params);
        let mutability = (!nans.is_empty()).then(|| quote!(mut));
        let clear = nans.iter().map(clear_nan);
        let got_output = format!(
            "expected the error `{}`, got the output {{output:?}}",
            shape.name
        );
        let got_other = format!("expected the error `{}`, got {{other:?}}", shape.name);
        quote! {
            let response = #response;
            let #mutability actual = match #operation::deserialize(&response) {
                Ok(output) => panic!(#got_output),
                Err(#model::error::#error_enum::#variant(error)) => error,
                Err(other) => panic!(#got_other),
            };
            let mut expected = #expected;
            expected.meta = actual.meta.clone();
            #(#clear)*
            assert_eq!(actual, expected);
        }
    }

    /// The structure `value` describes.
    fn structure(&self, value: &StructureLiteral) -> TokenStream {
        let ty = self.paths.named(self.service.shape(&value.shape));
        let sets: Vec<TokenStream> = value
            .members
            .iter()
            .map(|m| {
                let mut value = self.value(&m.value);
                if m.boxed {
                    value = quote!(Box::new(#value));
                }
                if m.optional {
                    value = quote!(Some(#value));
                }
                let f = ident(&m.field);
                quote!(v.#f = #value;)
            })
            .collect();
        if sets.is_empty() {
            quote!(#ty::default())
        } else {
            quote!({
                let mut v = #ty::default();
                #(#sets)*
                v
            })
        }
    }

    /// The value `params` (a structure) gives member `m`, without the member's `Box` or `Option`;
    /// with `fill_tokens`, an unset idempotency token is [`TEST_IDEMPOTENCY_TOKEN`]. `None` when
    /// the member stays unset.
    pub(super) fn member_value(
        &self,
        m: &Member,
        params: &StructureLiteral,
        fill_tokens: bool,
    ) -> Option<TokenStream> {
        match params.member(&m.name) {
            Some(set) => Some(self.value(&set.value)),
            None if fill_tokens && super::is_filled_token(self.service, m) => {
                Some(quote!(String::from(#TEST_IDEMPOTENCY_TOKEN)))
            }
            None => None,
        }
    }

    /// The Rust value of `value`.
    fn value(&self, value: &ir::Literal) -> TokenStream {
        match value {
            ir::Literal::Structure(s) => self.structure(s),
            ir::Literal::Union(u) => {
                let ty = self.paths.named(self.service.shape(&u.shape));
                let variant = ident(&u.variant);
                let mut inner = self.value(&u.value);
                if u.boxed {
                    inner = quote!(Box::new(#inner));
                }
                quote!(#ty::#variant(#inner))
            }
            ir::Literal::List(items) => {
                if items.is_empty() {
                    quote!(Vec::new())
                } else {
                    let items = items.iter().map(|item| self.value(item));
                    quote!(Vec::from([#(#items),*]))
                }
            }
            ir::Literal::Map(entries) => {
                if entries.is_empty() {
                    quote!(::std::collections::BTreeMap::new())
                } else {
                    let entries = entries.iter().map(|(key, item)| {
                        let key = self.value(key);
                        let item = self.value(item);
                        quote!((#key, #item))
                    });
                    quote!(::std::collections::BTreeMap::from([#(#entries),*]))
                }
            }
            ir::Literal::Enum(e) => {
                let ty = self.paths.named(self.service.shape(&e.shape));
                let text = &e.value;
                quote!(#ty::from(#text))
            }
            ir::Literal::IntEnum { shape, value } => {
                let ty = self.paths.named(self.service.shape(shape));
                let number = signed(i64::from(*value));
                quote!(#ty::from(#number))
            }
            ir::Literal::String(text) | ir::Literal::BigNumber(text) => {
                quote!(String::from(#text))
            }
            ir::Literal::Boolean(b) => quote!(#b),
            ir::Literal::Integer(i) => signed(*i),
            ir::Literal::Float(f) => float(*f),
            ir::Literal::Blob(bytes) => {
                let bytes = syn::LitByteStr::new(bytes, proc_macro2::Span::call_site());
                quote!(#bytes.to_vec())
            }
            ir::Literal::Timestamp(TimestampLiteral::DateTime(text)) => quote! {
                ::awsquery_types::DateTime::parse(#text, ::awsquery_types::time::TimestampFormat::DateTime).expect("a date-time in the test case")
            },
            ir::Literal::Timestamp(TimestampLiteral::Epoch { secs, nanos }) => {
                let secs = signed(*secs);
                let nanos = Literal::u32_unsuffixed(*nanos);
                quote!(::awsquery_types::DateTime::from_secs_and_nanos(#secs, #nanos))
            }
        }
    }
}

/// Every float in `params` that the case expects to be NaN.
fn nans(paths: &Paths, service: &Service, params: &StructureLiteral) -> Vec<Nan> {
    let mut out = Vec::new();
    structure_nans(paths, service, params, &mut Vec::new(), "", &mut out);
    out
}

/// The NaNs in the members of structure `s`, at `path`.
fn structure_nans(
    paths: &Paths,
    service: &Service,
    s: &StructureLiteral,
    steps: &mut Vec<Step>,
    path: &str,
    out: &mut Vec<Nan>,
) {
    for m in &s.members {
        steps.push(Step::Field {
            name: m.name.clone(),
            field: m.field.clone(),
            optional: m.optional,
            boxed: m.boxed,
        });
        find_nans(
            paths,
            service,
            &m.value,
            steps,
            &member_path(path, &m.name),
            out,
        );
        steps.pop();
    }
}

/// `path.name`, or `name` at the top.
fn member_path(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn find_nans(
    paths: &Paths,
    service: &Service,
    value: &ir::Literal,
    steps: &mut Vec<Step>,
    path: &str,
    out: &mut Vec<Nan>,
) {
    match value {
        ir::Literal::Structure(s) => structure_nans(paths, service, s, steps, path, out),
        ir::Literal::Union(u) => {
            steps.push(Step::Variant {
                ty: paths.named(service.shape(&u.shape)),
                variant: u.variant.clone(),
                boxed: u.boxed,
            });
            find_nans(
                paths,
                service,
                &u.value,
                steps,
                &member_path(path, &u.member),
                out,
            );
            steps.pop();
        }
        ir::Literal::List(items) => {
            for (i, item) in items.iter().enumerate() {
                steps.push(Step::Index(i));
                find_nans(paths, service, item, steps, &format!("{path}[{i}]"), out);
                steps.pop();
            }
        }
        ir::Literal::Map(entries) => {
            for (key, item) in entries {
                let (key_expr, key) = match key {
                    ir::Literal::Enum(e) => {
                        let ty = paths.named(service.shape(&e.shape));
                        let text = &e.value;
                        (quote!(&#ty::from(#text)), text)
                    }
                    ir::Literal::String(text) => (quote!(#text), text),
                    _ => unreachable!("lowering gives map keys as strings or enum values"),
                };
                steps.push(Step::Key(key_expr));
                find_nans(paths, service, item, steps, &format!("{path}.{key}"), out);
                steps.pop();
            }
        }
        ir::Literal::Float(FloatLiteral {
            double,
            value: FloatValue::NaN,
        }) => {
            let float = if *double { quote!(f64) } else { quote!(f32) };
            out.push(Nan {
                steps: steps.clone(),
                path: path.to_owned(),
                float,
            });
        }
        _ => {}
    }
}

/// How far a path expression has got: a place holding the value, or a `&mut` to it; either may be a
/// `Box` around the value.
#[derive(Clone, Copy, PartialEq)]
enum Reached {
    Place { boxed: bool },
    Ref { boxed: bool },
}

/// The place `steps` lead to from `root`. Every step but the last reaches through `Option`s; the
/// last stops at the member, `Option` or not. Field access, indexing and method calls dereference
/// `&mut` and `Box` on their own; only a union match needs it spelled out.
fn place(root: &TokenStream, steps: &[Step]) -> TokenStream {
    let mut expr = root.clone();
    let mut reached = Reached::Place { boxed: false };
    for (i, step) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        (expr, reached) = match step {
            Step::Field {
                name,
                field,
                optional,
                boxed,
            } => {
                let f = ident(field);
                if *optional && !last {
                    let message = format!("`{name}` is set");
                    (
                        quote!(#expr.#f.as_mut().expect(#message)),
                        Reached::Ref { boxed: *boxed },
                    )
                } else {
                    (quote!(#expr.#f), Reached::Place { boxed: *boxed })
                }
            }
            Step::Variant { ty, variant, boxed } => {
                let v = ident(variant);
                let message = format!("expected the variant `{variant}`, got {{other:?}}");
                let union = match reached {
                    Reached::Place { boxed: false } => quote!(&mut #expr),
                    Reached::Place { boxed: true } => quote!(&mut *#expr),
                    Reached::Ref { boxed: false } => expr,
                    Reached::Ref { boxed: true } => quote!(&mut **#expr),
                };
                (
                    quote! {
                        match #union {
                            #ty::#v(value) => value,
                            other => panic!(#message),
                        }
                    },
                    Reached::Ref { boxed: *boxed },
                )
            }
            Step::Index(index) => {
                let index = Literal::usize_unsuffixed(*index);
                (quote!(#expr[#index]), Reached::Place { boxed: false })
            }
            Step::Key(key) => (
                quote!(#expr.get_mut(#key).expect("the entry is present")),
                Reached::Ref { boxed: false },
            ),
        };
    }
    match reached {
        Reached::Ref { .. } => quote!(*#expr),
        Reached::Place { .. } => expr,
    }
}

/// Checks that the actual value at a NaN's place is NaN, then sets both sides to a value that
/// compares equal.
fn clear_nan(nan: &Nan) -> TokenStream {
    let actual = place(&quote!(actual), &nan.steps);
    let expected = place(&quote!(expected), &nan.steps);
    let float = &nan.float;
    let message = format!("`{}` should be NaN, got {{found:?}}", nan.path);
    let optional = matches!(nan.steps.last(), Some(Step::Field { optional: true, .. }));
    if optional {
        quote! {
            {
                let found = &mut #actual;
                assert!(found.is_some_and(#float::is_nan), #message);
                *found = None;
                #expected = None;
            }
        }
    } else {
        quote! {
            {
                let found = &mut #actual;
                assert!(found.is_nan(), #message);
                *found = 0.0;
                #expected = 0.0;
            }
        }
    }
}

/// A float: its special values by name, numbers as unsuffixed literals of the float's type.
fn float(f: FloatLiteral) -> TokenStream {
    let ty = if f.double { quote!(f64) } else { quote!(f32) };
    match f.value {
        FloatValue::NaN => quote!(#ty::NAN),
        FloatValue::Infinity => quote!(#ty::INFINITY),
        FloatValue::NegInfinity => quote!(#ty::NEG_INFINITY),
        FloatValue::Number(n) => {
            let literal = if f.double {
                Literal::f64_unsuffixed(n.abs())
            } else {
                Literal::f32_unsuffixed((n as f32).abs())
            };
            if n.is_sign_negative() {
                quote!(-#literal)
            } else {
                quote!(#literal)
            }
        }
    }
}

/// An integer literal, negative ones written as a negation (so `i64::MIN` prints as it should).
fn signed(i: i64) -> TokenStream {
    let literal = Literal::u64_unsuffixed(i.unsigned_abs());
    if i < 0 {
        quote!(-#literal)
    } else {
        quote!(#literal)
    }
}

enum BodyKind {
    Form,
    Xml,
    Bytes,
}

fn body_kind(media_type: Option<&str>) -> BodyKind {
    let essence = media_type
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/x-www-form-urlencoded" => BodyKind::Form,
        "application/xml" | "text/xml" => BodyKind::Xml,
        other if other.ends_with("+xml") => BodyKind::Xml,
        _ => BodyKind::Bytes,
    }
}
