//! `tests/protocol_tests.rs` of the protocol crate: one test per protocol compliance case.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::{Map, Value};

use super::{Paths, crate_docs, doc_attrs, union_variant};
use crate::ir::{
    Member, Operation, ProtocolTest, ProtocolTestKind, RequestCase, ResponseCase, Scalar, Service,
    Shape, ShapeKind, Structure,
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
        let model = ident(&super::model_crate(service).replace('-', "_"));
        let protocol = ident(&super::protocol_crate(service).replace('-', "_"));
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
        let input = self.top_structure(&op.input, &case.params);
        // The tokens the case leaves unset come from a pinned source, as the client's would.
        let fill_tokens = (!super::idempotency_tokens(self.service, &op.input).is_empty()).then(|| {
            quote! {
                #operation::fill_idempotency_tokens(&mut input, &mut || ::std::string::String::from(#TEST_IDEMPOTENCY_TOKEN));
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
            quote!(assert_eq!(request.header(#name), ::std::option::Option::Some(#value), #message);)
        });
        let forbidden = case.forbid_headers.iter().map(|name| {
            let message = format!("header `{name}` must not be sent");
            quote!(assert_eq!(request.header(#name), ::std::option::Option::None, #message);)
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
        let expected = self.top_structure(&op.output, &case.params);
        let nans = self.nans(&op.output, &case.params);
        let mutability = (!nans.is_empty()).then(|| quote!(mut));
        let clear = nans.iter().map(clear_nan);
        quote! {
            let response = #response;
            let #mutability actual = #operation::deserialize(&response).expect("the response deserializes");
            let #mutability expected = #expected;
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
        let expected = self.top_structure(error, &case.params);
        let nans = self.nans(error, &case.params);
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
                ::std::result::Result::Ok(output) => panic!(#got_output),
                ::std::result::Result::Err(#model::error::#error_enum::#variant(error)) => error,
                ::std::result::Result::Err(other) => panic!(#got_other),
            };
            let mut expected = #expected;
            expected.meta = actual.meta.clone();
            #(#clear)*
            assert_eq!(actual, expected);
        }
    }

    /// The input, output or error structure `id` built from `params`.
    fn top_structure(&self, id: &str, params: &Value) -> TokenStream {
        let shape = self.service.shape(id);
        match (&shape.kind, params.as_object()) {
            (ShapeKind::Structure(s), Some(object)) => self.structure(shape, s, object),
            _ => {
                let ty = self.paths.named(shape);
                quote!(#ty::default())
            }
        }
    }

    fn structure(&self, shape: &Shape, s: &Structure, object: &Map<String, Value>) -> TokenStream {
        let ty = self.paths.named(shape);
        let sets: Vec<TokenStream> = s
            .members
            .iter()
            .filter_map(|m| {
                let mut value = self.member_value(m, object, false)?;
                if m.boxed {
                    value = quote!(::std::boxed::Box::new(#value));
                }
                if m.optional {
                    value = quote!(::std::option::Option::Some(#value));
                }
                let f = ident(&m.field);
                Some(quote!(v.#f = #value;))
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

    /// The value `object` (a structure in `params`) gives member `m`, without the member's `Box` or
    /// `Option`; with `fill_tokens`, an unset idempotency token is [`TEST_IDEMPOTENCY_TOKEN`].
    /// `None` when the member stays unset.
    pub(super) fn member_value(
        &self,
        m: &Member,
        object: &Map<String, Value>,
        fill_tokens: bool,
    ) -> Option<TokenStream> {
        match object.get(&m.name) {
            Some(value) if !value.is_null() => Some(self.value(&m.target, value)),
            _ if fill_tokens && super::is_filled_token(self.service, m) => {
                Some(quote!(::std::string::String::from(#TEST_IDEMPOTENCY_TOKEN)))
            }
            _ => None,
        }
    }

    /// The Rust value of shape `id` that `value` (checked by lowering) describes.
    fn value(&self, id: &str, value: &Value) -> TokenStream {
        let shape = self.service.shape(id);
        match &shape.kind {
            ShapeKind::Structure(s) => match value.as_object() {
                Some(object) => self.structure(shape, s, object),
                None => {
                    let ty = self.paths.named(shape);
                    quote!(#ty::default())
                }
            },
            ShapeKind::Union(u) => {
                let ty = self.paths.named(shape);
                let set = value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .find(|(_, v)| !v.is_null())
                    .and_then(|(name, v)| Some((u.members.iter().find(|m| &m.name == name)?, v)));
                match set {
                    Some((m, v)) => {
                        let variant = ident(&union_variant(m));
                        let mut inner = self.value(&m.target, v);
                        if m.boxed {
                            inner = quote!(::std::boxed::Box::new(#inner));
                        }
                        quote!(#ty::#variant(#inner))
                    }
                    None => {
                        let unknown = ident(&super::union_unknown(&u.members));
                        quote!(#ty::#unknown)
                    }
                }
            }
            ShapeKind::List(list) => {
                let items: Vec<TokenStream> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|item| self.value(&list.target, item))
                    .collect();
                if items.is_empty() {
                    quote!(::std::vec::Vec::new())
                } else {
                    quote!(::std::vec::Vec::from([#(#items),*]))
                }
            }
            ShapeKind::Map(map) => {
                let mut entries: Vec<(&String, &Value)> =
                    value.as_object().into_iter().flatten().collect();
                entries.sort_by_key(|(key, _)| *key);
                let entries: Vec<TokenStream> = entries
                    .into_iter()
                    .map(|(key, item)| {
                        let key = self.value(&map.key, &Value::String(key.clone()));
                        let item = self.value(&map.value, item);
                        quote!((#key, #item))
                    })
                    .collect();
                if entries.is_empty() {
                    quote!(::std::collections::BTreeMap::new())
                } else {
                    quote!(::std::collections::BTreeMap::from([#(#entries),*]))
                }
            }
            ShapeKind::Enum(_) => {
                let ty = self.paths.named(shape);
                let text = value.as_str().unwrap_or_default();
                quote!(#ty::from(#text))
            }
            ShapeKind::IntEnum(_) => {
                let ty = self.paths.named(shape);
                let number = signed(value.as_i64().unwrap_or_default());
                quote!(#ty::from(#number))
            }
            ShapeKind::Scalar(scalar) => scalar_value(*scalar, value),
        }
    }

    /// Every float in `params` (for shape `id`) that the case expects to be NaN.
    fn nans(&self, id: &str, params: &Value) -> Vec<Nan> {
        let mut out = Vec::new();
        self.find_nans(id, params, &mut Vec::new(), "", &mut out);
        out
    }

    fn find_nans(
        &self,
        id: &str,
        value: &Value,
        steps: &mut Vec<Step>,
        path: &str,
        out: &mut Vec<Nan>,
    ) {
        let shape = self.service.shape(id);
        match &shape.kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => {
                let union = matches!(shape.kind, ShapeKind::Union(_));
                for m in &s.members {
                    let Some(v) = value.get(&m.name).filter(|v| !v.is_null()) else {
                        continue;
                    };
                    steps.push(if union {
                        Step::Variant {
                            ty: self.paths.named(shape),
                            variant: union_variant(m),
                            boxed: m.boxed,
                        }
                    } else {
                        Step::Field {
                            name: m.name.clone(),
                            field: m.field.clone(),
                            optional: m.optional,
                            boxed: m.boxed,
                        }
                    });
                    let at = if path.is_empty() {
                        m.name.clone()
                    } else {
                        format!("{path}.{}", m.name)
                    };
                    self.find_nans(&m.target, v, steps, &at, out);
                    steps.pop();
                }
            }
            ShapeKind::List(list) => {
                for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                    steps.push(Step::Index(i));
                    self.find_nans(&list.target, item, steps, &format!("{path}[{i}]"), out);
                    steps.pop();
                }
            }
            ShapeKind::Map(map) => {
                for (key, item) in value.as_object().into_iter().flatten() {
                    let key_expr = match &self.service.shape(&map.key).kind {
                        ShapeKind::Enum(_) => {
                            let ty = self.paths.named(self.service.shape(&map.key));
                            quote!(&#ty::from(#key))
                        }
                        _ => quote!(#key),
                    };
                    steps.push(Step::Key(key_expr));
                    self.find_nans(&map.value, item, steps, &format!("{path}.{key}"), out);
                    steps.pop();
                }
            }
            ShapeKind::Scalar(scalar @ (Scalar::Float | Scalar::Double))
                if value.as_str() == Some("NaN") =>
            {
                let float = if *scalar == Scalar::Float {
                    quote!(f32)
                } else {
                    quote!(f64)
                };
                out.push(Nan {
                    steps: steps.clone(),
                    path: path.to_owned(),
                    float,
                });
            }
            _ => {}
        }
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
                *found = ::std::option::Option::None;
                #expected = ::std::option::Option::None;
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

fn scalar_value(scalar: Scalar, value: &Value) -> TokenStream {
    match scalar {
        Scalar::String => {
            let text = value.as_str().unwrap_or_default();
            quote!(::std::string::String::from(#text))
        }
        Scalar::BigInteger | Scalar::BigDecimal => {
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            quote!(::std::string::String::from(#text))
        }
        Scalar::Boolean => {
            let b = value.as_bool().unwrap_or_default();
            quote!(#b)
        }
        Scalar::Byte | Scalar::Short | Scalar::Integer | Scalar::Long => {
            signed(value.as_i64().unwrap_or_default())
        }
        Scalar::Float | Scalar::Double => {
            let ty = if scalar == Scalar::Float {
                quote!(f32)
            } else {
                quote!(f64)
            };
            match value {
                Value::String(s) if s == "NaN" => quote!(#ty::NAN),
                Value::String(s) if s == "Infinity" => quote!(#ty::INFINITY),
                Value::String(s) if s == "-Infinity" => quote!(#ty::NEG_INFINITY),
                _ => {
                    let f = value.as_f64().unwrap_or_default();
                    let literal = if scalar == Scalar::Float {
                        Literal::f32_unsuffixed((f as f32).abs())
                    } else {
                        Literal::f64_unsuffixed(f.abs())
                    };
                    if f.is_sign_negative() {
                        quote!(-#literal)
                    } else {
                        quote!(#literal)
                    }
                }
            }
        }
        Scalar::Blob => {
            let bytes = syn::LitByteStr::new(
                value.as_str().unwrap_or_default().as_bytes(),
                proc_macro2::Span::call_site(),
            );
            quote!(#bytes.to_vec())
        }
        Scalar::Timestamp(_) => match value {
            Value::String(text) => quote! {
                ::awsquery_types::DateTime::parse(#text, ::awsquery_types::time::TimestampFormat::DateTime).expect("a date-time in the test case")
            },
            Value::Number(n) => {
                let (secs, nanos) = crate::lower::epoch_seconds(n).unwrap_or_default();
                let secs = signed(secs);
                let nanos = Literal::u32_unsuffixed(nanos);
                quote!(::awsquery_types::DateTime::from_secs_and_nanos(#secs, #nanos))
            }
            _ => quote!(::awsquery_types::DateTime::from_secs(0)),
        },
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
