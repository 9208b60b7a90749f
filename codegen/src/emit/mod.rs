//! Emitters: the IR in, formatted Rust files out. They print; they decide nothing.

pub mod cargo;
pub mod cli;
pub mod client;
pub mod client_tests;
pub mod endpoints;
pub mod json;
pub mod model;
pub mod protocol;
pub mod protocol_tests;
pub mod waitable;
pub mod waiters;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir::{
    Compression, DefaultValue, Deprecated, HostPrefixPart, Member, Operation, Scalar, Service,
    Shape, ShapeKind, Structure, TimestampFormat,
};
use crate::naming::ident;

/// The segments of an operation's host prefix (`::awsquery_protocol::host_prefix::Segment`s), with the
/// labels' values read from `input` (`self.input`, `input`); empty without a host prefix.
pub fn host_prefix_segments(
    op: &Operation,
    input_name: &str,
    members: &[Member],
    input: &TokenStream,
) -> Vec<TokenStream> {
    op.host_prefix
        .iter()
        .flatten()
        .map(|part| match part {
            HostPrefixPart::Text(text) => quote!(::awsquery_protocol::host_prefix::Segment::Text(#text)),
            HostPrefixPart::Label(label) => {
                let member = members
                    .iter()
                    .find(|m| &m.name == label)
                    .expect("lowering checked that every label names an input member");
                let f = ident(&member.field);
                let value = if member.optional {
                    quote!(#input.#f.as_deref())
                } else {
                    quote!(Some(#input.#f.as_str()))
                };
                quote! {
                    ::awsquery_protocol::host_prefix::Segment::Label { shape: #input_name, member: #label, value: #value }
                }
            }
        })
        .collect()
}

/// `::awsquery_protocol::compression::Encoding::Gzip`.
pub fn encoding(encoding: Compression) -> TokenStream {
    match encoding {
        Compression::Gzip => quote!(::awsquery_protocol::compression::Encoding::Gzip),
    }
}

/// `#[doc = "..."]`, one attribute per line, so that it prints as `///` comments.
pub fn doc_attrs(docs: Option<&str>) -> TokenStream {
    let Some(docs) = docs else {
        return TokenStream::new();
    };
    let lines = docs.lines().map(doc_line);
    quote!(#(#[doc = #lines])*)
}

/// `#![doc = "..."]` lines: a crate's own documentation.
pub fn crate_docs(docs: &str) -> TokenStream {
    let lines = docs.lines().map(doc_line);
    quote!(#(#![doc = #lines])*)
}

/// A line of documentation as a raw string literal (` line`, with the space `///` puts after
/// itself). A raw string is taken as written, where an escaped one would be escaped here and
/// unescaped again by syn, character by character; the documentation is a quarter of the text.
fn doc_line(line: &str) -> Literal {
    if line.is_empty() {
        return Literal::string("");
    }
    // Enough `#`s that no `"` of the line, with the `#`s after it, can end the literal.
    let hashes = line
        .match_indices('"')
        .map(|(at, _)| line[at + 1..].bytes().take_while(|&b| b == b'#').count() + 1)
        .max()
        .unwrap_or(0);
    let fence = "#".repeat(hashes);
    // A carriage return cannot stand in a raw string; such a line is escaped.
    let raw = (!line.contains('\r'))
        .then(|| format!("r{fence}\" {line}\"{fence}").parse().ok())
        .flatten();
    raw.unwrap_or_else(|| Literal::string(&format!(" {line}")))
}

/// Documentation followed by the Smithy shape id, as a last paragraph.
pub fn shape_docs(shape: &Shape) -> TokenStream {
    if shape.synthetic {
        return doc_attrs(shape.docs.as_deref());
    }
    let id = format!("Smithy shape `{}`.", shape.id);
    let text = match &shape.docs {
        Some(docs) => format!("{docs}\n\n{id}"),
        None => id,
    };
    doc_attrs(Some(&text))
}

/// `#[deprecated(note = "...")]`.
pub fn deprecated_attr(deprecated: Option<&Deprecated>) -> TokenStream {
    match deprecated {
        Some(d) => {
            let note = d.note();
            quote!(#[deprecated(note = #note)])
        }
        None => TokenStream::new(),
    }
}

/// Paths to the model's types. Every generated crate has `types` and `error` at its root (the model
/// crate defines them, the others import them), so one set of paths serves all three.
#[derive(Clone, Debug)]
pub struct Paths {
    /// `crate`.
    pub model: TokenStream,
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            model: quote!(crate),
        }
    }
}

impl Paths {
    /// The paths.
    pub fn new() -> Self {
        Paths::default()
    }

    /// `use ::neptune_model::{error, types};` for the crates that import the model.
    pub fn import(service: &Service) -> TokenStream {
        let name = ident(&service.crates.model.ident);
        quote!(pub use ::#name::{error, types};)
    }

    /// The path of a named type.
    pub fn named(&self, shape: &Shape) -> TokenStream {
        let root = &self.model;
        let name = ident(&shape.rust_name);
        match shape.module {
            crate::ir::Module::Error => quote!(#root::error::#name),
            _ => quote!(#root::types::#name),
        }
    }

    /// The Rust type of a value of shape `id`, without `Option`.
    pub fn value_type(&self, service: &Service, id: &str) -> TokenStream {
        let shape = service.shape(id);
        match &shape.kind {
            ShapeKind::Scalar(scalar) => scalar_type(*scalar),
            ShapeKind::List(list) => {
                let item = self.value_type(service, &list.target);
                quote!(Vec<#item>)
            }
            ShapeKind::Map(map) => {
                let key = self.value_type(service, &map.key);
                let value = self.value_type(service, &map.value);
                quote!(::std::collections::BTreeMap<#key, #value>)
            }
            _ => self.named(shape),
        }
    }

    /// The field type of a member: boxed and optional as lowering decided.
    pub fn member_type(&self, service: &Service, member: &Member) -> TokenStream {
        let mut ty = self.value_type(service, &member.target);
        if member.boxed {
            ty = quote!(Box<#ty>);
        }
        if member.optional {
            ty = quote!(Option<#ty>);
        }
        ty
    }
}

fn scalar_type(scalar: Scalar) -> TokenStream {
    match scalar {
        Scalar::String | Scalar::BigInteger | Scalar::BigDecimal => quote!(String),
        Scalar::Boolean => quote!(bool),
        Scalar::Byte => quote!(i8),
        Scalar::Short => quote!(i16),
        Scalar::Integer => quote!(i32),
        Scalar::Long => quote!(i64),
        Scalar::Float => quote!(f32),
        Scalar::Double => quote!(f64),
        Scalar::Blob => quote!(Vec<u8>),
        Scalar::Timestamp(_) => quote!(::awsquery_types::DateTime),
    }
}

/// `::awsquery_types::time::TimestampFormat::X`.
pub fn timestamp_format(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::DateTime => quote!(::awsquery_types::time::TimestampFormat::DateTime),
        TimestampFormat::EpochSeconds => {
            quote!(::awsquery_types::time::TimestampFormat::EpochSeconds)
        }
        TimestampFormat::HttpDate => quote!(::awsquery_types::time::TimestampFormat::HttpDate),
    }
}

/// The expression for a non-optional member's default value, or `None` where `#[derive(Default)]`
/// already gives it (`false`, `0`, `""`, empty collections).
pub fn default_expr(paths: &Paths, service: &Service, member: &Member) -> Option<TokenStream> {
    let shape = service.shape(&member.target);
    let default = member.default.as_ref()?;
    let int = |i: i64| proc_macro2::Literal::i64_unsuffixed(i);
    Some(match (default, &shape.kind) {
        (DefaultValue::Zero, ShapeKind::Scalar(Scalar::Timestamp(_))) => {
            quote!(::awsquery_types::DateTime::from_secs(0))
        }
        (DefaultValue::Zero, ShapeKind::Enum(_)) => {
            let ty = paths.named(shape);
            quote!(#ty::from(""))
        }
        (DefaultValue::Zero, ShapeKind::IntEnum(_)) => {
            let ty = paths.named(shape);
            quote!(#ty::from(0))
        }
        (DefaultValue::Zero, _) => return None,
        (DefaultValue::Bool(b), _) => quote!(#b),
        (DefaultValue::Int(i), ShapeKind::Scalar(Scalar::Float | Scalar::Double)) => {
            let f = proc_macro2::Literal::f64_unsuffixed(*i as f64);
            quote!(#f)
        }
        (DefaultValue::Int(i), ShapeKind::Scalar(Scalar::BigInteger | Scalar::BigDecimal)) => {
            let text = i.to_string();
            quote!(String::from(#text))
        }
        (DefaultValue::Int(i), ShapeKind::Scalar(Scalar::Timestamp(_))) => {
            let i = int(*i);
            quote!(::awsquery_types::DateTime::from_secs(#i))
        }
        (DefaultValue::Int(i), ShapeKind::IntEnum(_)) => {
            let ty = paths.named(shape);
            let i = int(*i);
            quote!(#ty::from(#i))
        }
        (DefaultValue::Int(i), _) => {
            let i = int(*i);
            quote!(#i)
        }
        (DefaultValue::Float(f), ShapeKind::Scalar(Scalar::Timestamp(_))) => {
            let secs = int(f.trunc() as i64);
            quote!(::awsquery_types::DateTime::from_secs(#secs))
        }
        (DefaultValue::Float(f), _) => {
            let f = proc_macro2::Literal::f64_unsuffixed(*f);
            quote!(#f)
        }
        (DefaultValue::String(s), ShapeKind::Enum(_)) => {
            let ty = paths.named(shape);
            quote!(#ty::from(#s))
        }
        (DefaultValue::String(s), _) => quote!(String::from(#s)),
    })
}

/// The Rust variant name of a union member.
pub fn union_variant(member: &Member) -> &str {
    member
        .variant
        .as_deref()
        .expect("lowering names the variants of union members")
}

/// The name of a union's catch-all variant.
pub fn union_unknown(union: &Structure) -> &str {
    union
        .unknown_variant
        .as_deref()
        .expect("lowering names the catch-all variant of unions")
}

/// The package name of the model crate (`neptune-model`).
pub fn model_crate(service: &Service) -> String {
    service.crates.model.package.clone()
}

/// `neptune-protocol`.
pub fn protocol_crate(service: &Service) -> String {
    service.crates.protocol.package.clone()
}

/// `neptune-client`.
pub fn client_crate(service: &Service) -> String {
    service.crates.client.package.clone()
}

/// Whether values of shape `id` are blobs, or lists or maps of them at any depth (the values a
/// structure or union member serializes in base64 with the `serde` feature).
pub fn holds_blob(service: &Service, id: &str) -> bool {
    match &service.shape(id).kind {
        ShapeKind::Scalar(Scalar::Blob) => true,
        ShapeKind::List(list) => holds_blob(service, &list.target),
        ShapeKind::Map(map) => holds_blob(service, &map.value),
        _ => false,
    }
}

/// Whether shape `id` is a plain string.
pub fn is_string(service: &Service, id: &str) -> bool {
    matches!(service.shape(id).kind, ShapeKind::Scalar(Scalar::String))
}

/// The members of an operation's input that the client fills with a fresh idempotency token when
/// they are unset: `@idempotencyToken` string members that are optional.
pub fn idempotency_tokens<'s>(service: &'s Service, input: &str) -> Vec<&'s Member> {
    match &service.shape(input).kind {
        ShapeKind::Structure(s) => s
            .members
            .iter()
            .filter(|m| is_filled_token(service, m))
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether the client fills `member` with a fresh idempotency token when it is unset.
pub fn is_filled_token(service: &Service, member: &Member) -> bool {
    member.idempotency_token && member.optional && is_string(service, &member.target)
}

/// The error traits of an error structure.
pub fn error_info(shape: &Shape) -> &crate::ir::ErrorInfo {
    match &shape.kind {
        ShapeKind::Structure(Structure {
            error: Some(info), ..
        }) => info,
        _ => unreachable!("lowering only lists error structures as errors"),
    }
}

/// The message member of an error structure, if it has one (`message` or `Message`).
pub fn message_member(members: &[Member]) -> Option<&Member> {
    members
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case("message"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values of the `doc` attributes of `tokens`, as syn reads them.
    fn doc_values(tokens: TokenStream) -> Vec<String> {
        let item: syn::ItemStruct = syn::parse2(quote!(#tokens struct S;)).unwrap();
        item.attrs
            .iter()
            .map(|attr| match &attr.meta {
                syn::Meta::NameValue(syn::MetaNameValue {
                    value:
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        }),
                    ..
                }) => s.value(),
                _ => panic!("not a doc string"),
            })
            .collect()
    }

    #[test]
    fn documentation_lines_keep_quotes_hashes_and_backslashes() {
        let docs =
            "Plain.\n\nSays \"quoted\", \"#one\" and \"##two\"#.\nC:\\path\\n and \\\" too\nA\rB";
        assert_eq!(
            doc_values(doc_attrs(Some(docs))),
            [
                " Plain.",
                "",
                " Says \"quoted\", \"#one\" and \"##two\"#.",
                " C:\\path\\n and \\\" too",
                " A\rB",
            ]
        );
    }
}
