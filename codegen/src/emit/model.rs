//! The model crate: structures, enums, unions, error structures and operation error enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::{
    Paths, default_expr, deprecated_attr, doc_attrs, message_member, shape_docs, union_unknown,
    union_variant,
};
use crate::ir::{
    Enum, EnumVariant, IntEnumVariant, Member, Module, Operation, Service, Shape, ShapeKind,
    Structure,
};
use crate::naming::ident;

/// `src/generated/mod.rs`: the modules.
pub fn lib(_service: &Service) -> TokenStream {
    quote! {
        //! The code generated from the model, re-exported by the crate root.
        pub mod error;
        pub mod operation;
        #[cfg(feature = "json")]
        mod json;
        pub mod types;
    }
}

/// The crate's documentation (its `README.md`).
pub fn crate_doc(service: &Service) -> String {
    let title = service.title.as_deref().unwrap_or(&service.sdk_id);
    let intro = format!(
        "Types of the {title} API (`{}`, version `{}`): inputs, outputs, structures, enums and errors.",
        service.shape_name, service.version
    );
    let json = "With the `json` feature, every structure, union and enum implements \
                `awsquery_types::json::ToJson`, which writes it as the AWS CLI v2 prints it with \
                `--output json`.\n\n\
                With the `serde` feature, every structure, union and enum implements serde's \
                `Serialize` and `Deserialize`: members under the model's names \
                (`GlobalClusterIdentifier`), enums as their wire values \
                (unknown ones included), unset members as `null` (and missing ones read as unset, \
                or as the model's default), timestamps as RFC 3339 strings in UTC \
                (`2024-01-02T03:04:05.123Z`), blobs as base64 strings, and an output's request id \
                as `\"ResponseMetadata\": {\"RequestId\": …}`. Errors keep their members, not \
                their response metadata; a union's unknown member cannot be serialized. \
                `@sensitive` values are written as they are: serialization is data, not a log. \
                Without the feature, serde is not built.";
    match &service.docs {
        Some(d) => format!("{intro}\n\n{d}\n\n{json}"),
        None => format!("{intro}\n\n{json}"),
    }
}

/// `src/generated/types.rs`: the structures, unions and enums that are not one operation's own
/// input or output, and those re-exported from the operations' modules.
pub fn types(service: &Service) -> TokenStream {
    let paths = Paths::new();
    let items = service
        .shapes
        .values()
        .filter(|s| s.module == Module::Types && service.owner(&s.id).is_none())
        .map(|shape| type_item(&paths, service, shape));
    let reexports = service
        .operations
        .iter()
        .filter(|op| !op.owned.is_empty())
        .map(|op| {
            let module = ident(&op.fn_name);
            let names = op
                .owned
                .iter()
                .map(|id| ident(&service.shape(id).rust_name));
            quote!(pub use crate::operation::#module::{#(#names),*};)
        });
    let builders = builders(
        &paths,
        service,
        service
            .shapes
            .values()
            .filter(|s| s.module == Module::Types && service.owner(&s.id).is_none()),
    );
    quote! {
        //! Structures, unions and enums, and (re-exported from [`operation`](crate::operation))
        //! each operation's input and output.
        #(#reexports)*
        #(#items)*
        #builders
    }
}

/// `pub mod builders`: a builder for each of `shapes` that lowering gave one.
fn builders<'a>(
    paths: &Paths,
    service: &Service,
    shapes: impl Iterator<Item = &'a Shape>,
) -> TokenStream {
    let builders: Vec<TokenStream> = shapes
        .filter(|shape| shape.builder.is_some())
        .map(|shape| builder(paths, service, shape))
        .collect();
    if builders.is_empty() {
        return TokenStream::new();
    }
    quote! {
        /// Builders of the structures above that an input reaches: `X::builder()`, a setter per
        /// member, then `build()`.
        pub mod builders {
            #(#builders)*
        }
    }
}

fn builder(paths: &Paths, service: &Service, shape: &Shape) -> TokenStream {
    let (ShapeKind::Structure(s), Some(builder)) = (&shape.kind, &shape.builder) else {
        return TokenStream::new();
    };
    let ty = paths.named(shape);
    let name = ident(&builder.name);
    let setters = super::client::setters(paths, service, &s.members, &quote!(self.inner));
    let build = build_fn(shape, s, &builder.checked, &ty);
    let docs = doc_attrs(Some(&format!(
        "Builds a [`{}`]({}): a setter per member, then [`build`](Self::build).",
        shape.rust_name,
        ty.to_string().replace(' ', "")
    )));
    quote! {
        #docs
        #[derive(Clone, Debug, Default)]
        pub struct #name {
            inner: #ty,
        }

        #[allow(deprecated)]
        impl #name {
            #(#setters)*

            #build
        }

        impl #ty {
            /// A builder: a setter per member, then `build()`.
            pub fn builder() -> #name {
                #name::default()
            }
        }
    }
}

/// A builder's `build()`: the structure itself, or, when the structure has required members that
/// may be unset, a `Result` whose error names the first one missing (in model order).
fn build_fn(shape: &Shape, s: &Structure, checked: &[String], ty: &TokenStream) -> TokenStream {
    let required: Vec<&Member> = s
        .members
        .iter()
        .filter(|m| checked.contains(&m.name))
        .collect();
    if required.is_empty() {
        return quote! {
            /// The structure.
            pub fn build(self) -> #ty {
                self.inner
            }
        };
    }
    let name = &shape.rust_name;
    let checks = required.iter().map(|m| {
        let f = ident(&m.field);
        let member = &m.name;
        quote! {
            if self.inner.#f.is_none() {
                return Err(::awsquery_types::BuildError::missing(#name, #member));
            }
        }
    });
    let names = required
        .iter()
        .map(|m| format!("`{}`", m.name))
        .collect::<Vec<_>>()
        .join(", ");
    let docs = doc_attrs(Some(&format!(
        "The structure, or [`BuildError::MissingMember`](awsquery_types::BuildError::MissingMember)\n\
         naming the first required member that is not set: {names}."
    )));
    quote! {
        #docs
        pub fn build(self) -> Result<#ty, ::awsquery_types::BuildError> {
            #(#checks)*
            Ok(self.inner)
        }
    }
}

fn type_item(paths: &Paths, service: &Service, shape: &Shape) -> TokenStream {
    match &shape.kind {
        ShapeKind::Structure(s) => structure(paths, service, shape, s),
        ShapeKind::Union(u) => union(paths, service, shape, u),
        ShapeKind::Enum(e) => string_enum(shape, e),
        ShapeKind::IntEnum(e) => int_enum(shape, e),
        _ => TokenStream::new(),
    }
}

/// `src/generated/operation/mod.rs`: one module per operation.
pub fn operations(service: &Service) -> TokenStream {
    let modules = service.operations.iter().map(|op| {
        let module = ident(&op.fn_name);
        let docs = doc_attrs(Some(&format!(
            "`{}`: its input, output and error.",
            op.name
        )));
        quote!(#docs pub mod #module;)
    });
    quote! {
        //! One module per operation: its own input and output (those no other operation uses) and
        //! its error enum.
        #(#modules)*
    }
}

/// `src/generated/operation/{operation}.rs`.
pub fn operation(service: &Service, op: &Operation) -> TokenStream {
    let paths = Paths::new();
    let docs = format!("`{}`: its input, output and error.", op.name);
    let docs = super::crate_docs(&docs);
    let items = op
        .owned
        .iter()
        .map(|id| type_item(&paths, service, service.shape(id)));
    let shapes: Vec<&Shape> = op.errors.iter().map(|id| service.shape(id)).collect();
    let error = error_enum(
        &paths,
        &op.error_enum,
        &format!(
            "An error of `{}`: one of its modeled errors, or `Unhandled`.",
            op.name
        ),
        &shapes,
        true,
    );
    let op_error = ident(&op.error_enum);
    let arms = op.errors.iter().map(|id| {
        let v = ident(&service.shape(id).rust_name);
        quote!(#op_error::#v(e) => crate::error::Error::#v(e),)
    });
    let builders = builders(&paths, service, op.owned.iter().map(|id| service.shape(id)));
    quote! {
        #docs
        #(#items)*
        #error

        impl From<#op_error> for crate::error::Error {
            fn from(error: #op_error) -> Self {
                match error {
                    #(#arms)*
                    #op_error::Unhandled(e) => crate::error::Error::Unhandled(e),
                }
            }
        }

        #builders
    }
}

/// `src/error.rs`.
pub fn errors(service: &Service) -> TokenStream {
    let paths = Paths::new();
    let structs = service.errors().map(|(shape, s, info)| {
        let item = structure(&paths, service, shape, s);
        let fault = if info.server_fault {
            "server"
        } else {
            "client"
        };
        let wire = doc_attrs(Some(&format!(
            "Sent with code `{}` and HTTP status {} (a {fault} fault).",
            info.code, info.status
        )));
        let name = ident(&shape.rust_name);
        let code = &info.code;
        let message = match message_member(&s.members) {
            Some(m) if m.optional && super::is_string(service, &m.target) => {
                let f = ident(&m.field);
                quote!(self.#f.as_deref())
            }
            _ => quote!(self.meta.message()),
        };
        quote! {
            #item
                        #wire
            impl #name {
                /// The error code on the wire.
                pub const CODE: &'static str = #code;

                /// The message the service sent.
                pub fn message(&self) -> Option<&str> {
                    #message
                }
            }
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(Self::CODE)?;
                    if let Some(message) = self.message() {
                        write!(f, ": {message}")?;
                    }
                    Ok(())
                }
            }
            impl ::std::error::Error for #name {}
        }
    });
    let operation_errors = service.operations.iter().map(|op| {
        let module = ident(&op.fn_name);
        let name = ident(&op.error_enum);
        quote!(pub use crate::operation::#module::#name;)
    });
    let all: Vec<&Shape> = service.errors().map(|(shape, _, _)| shape).collect();
    // As in aws-sdk-rust, the `is_*` helpers are on the operations' errors only: on the
    // service-wide enum of a large model they would be most of its file.
    let service_error = error_enum(&paths, "Error", "Any error of the service.", &all, false);
    quote! {
        //! Error structures, the service-wide [`Error`], and (re-exported from
        //! [`operation`](crate::operation)) each operation's error enum.
        #(#operation_errors)*
        #(#structs)*
        #service_error
    }
}

/// An error enum: a variant per modeled error and `Unhandled`, with `meta()`, and with an `is_*`
/// method per modeled error when `is_fns`.
fn error_enum(
    paths: &Paths,
    name: &str,
    docs: &str,
    errors: &[&Shape],
    is_fns: bool,
) -> TokenStream {
    let name = ident(name);
    let docs = doc_attrs(Some(docs));
    let variants = errors.iter().map(|shape| {
        let v = ident(&shape.rust_name);
        let ty = paths.named(shape);
        let link = ty.to_string().replace(' ', "");
        let doc = doc_attrs(Some(&format!("See [`{}`]({link}).", shape.rust_name)));
        quote!(#doc #v(#ty),)
    });
    let meta_arms = errors.iter().map(|shape| {
        let v = ident(&shape.rust_name);
        quote!(Self::#v(e) => &e.meta,)
    });
    let is_fns = errors.iter().filter(|_| is_fns).map(|shape| {
        let v = ident(&shape.rust_name);
        let f = ident(&super::error_info(shape).is_fn);
        let link = paths.named(shape).to_string().replace(' ', "");
        let doc = doc_attrs(Some(&format!(
            "Whether this is [`{}`]({link}).",
            shape.rust_name
        )));
        quote! {
            #doc
            pub fn #f(&self) -> bool {
                matches!(self, Self::#v(_))
            }
        }
    });
    let display_arms = errors.iter().map(|shape| {
        let v = ident(&shape.rust_name);
        quote!(Self::#v(e) => ::std::fmt::Display::fmt(e, f),)
    });
    let source = if errors.is_empty() {
        quote!(let Self::Unhandled(e) = self; ::std::error::Error::source(e))
    } else {
        quote! {
            match self {
                Self::Unhandled(e) => ::std::error::Error::source(e),
                _ => None,
            }
        }
    };
    quote! {
        #docs
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// An error this version does not model, or a response that could not be read.
            Unhandled(::awsquery_types::Unhandled),
        }
        impl #name {
            /// The HTTP status, code, message and request id.
            pub fn meta(&self) -> &::awsquery_types::ErrorMetadata {
                match self {
                    #(#meta_arms)*
                    Self::Unhandled(e) => e.meta(),
                }
            }

            #(#is_fns)*
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#display_arms)*
                    Self::Unhandled(e) => ::std::fmt::Display::fmt(e, f),
                }
            }
        }
        impl ::std::error::Error for #name {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                #source
            }
        }
                impl ::awsquery_types::error::ProvideErrorMetadata for #name {
            fn meta(&self) -> &::awsquery_types::ErrorMetadata {
                #name::meta(self)
            }
        }
        impl From<::awsquery_types::Unhandled> for #name {
            fn from(error: ::awsquery_types::Unhandled) -> Self {
                Self::Unhandled(error)
            }
        }
    }
}

fn structure(paths: &Paths, service: &Service, shape: &Shape, s: &Structure) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = shape_docs(shape);
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let fields = s.members.iter().map(|m| {
        let f = ident(&m.field);
        let ty = paths.member_type(service, m);
        let docs = member_docs(m);
        let deprecated = deprecated_attr(m.deprecated.as_ref());
        let serde = serde_member(service, m, &m.field, true);
        quote!(#docs #deprecated #serde pub #f: #ty,)
    });
    let meta = s.error.as_ref().map(|_| {
        quote! {
            /// The HTTP status, code, message and request id of the response.
            #[cfg_attr(feature = "serde", serde(skip))]
            pub meta: ::awsquery_types::ErrorMetadata,
        }
    });
    let request_id = s.is_output.then(|| {
        quote! {
            #[cfg_attr(feature = "serde", serde(rename = "ResponseMetadata", default))]
            _metadata: ::awsquery_types::ResponseMetadata,
        }
    });
    let custom_default = s
        .members
        .iter()
        .any(|m| !m.optional && default_expr(paths, service, m).is_some());
    let redact = shape.sensitive || s.members.iter().any(|m| m.sensitive);
    let mut derives = vec![quote!(Clone), quote!(PartialEq)];
    if !custom_default {
        derives.push(quote!(Default));
    }
    if !redact {
        derives.push(quote!(Debug));
    }
    let default_impl = custom_default.then(|| {
        let values = s.members.iter().map(|m| {
            let f = ident(&m.field);
            let value = if m.optional {
                quote!(None)
            } else {
                default_expr(paths, service, m).unwrap_or_else(|| quote!(Default::default()))
            };
            quote!(#f: #value,)
        });
        let meta = s.error.as_ref().map(|_| quote!(meta: Default::default(),));
        let request_id = s.is_output.then(|| quote!(_metadata: Default::default(),));
        quote! {
                        #[allow(deprecated)]
            impl Default for #name {
                fn default() -> Self {
                    Self { #(#values)* #meta #request_id }
                }
            }
        }
    });
    let debug_impl = redact.then(|| {
        redacted_debug(
            &shape.rust_name,
            &s.members,
            shape.sensitive,
            (s.error.is_some(), s.is_output),
        )
    });
    let request_id_impl = s.is_output.then(|| {
        quote! {
            impl #name {
                /// The id AWS gave the request: the `x-amzn-requestid` header, else the body's
                /// `<ResponseMetadata><RequestId>`; `None` when the response had neither.
                pub fn request_id(&self) -> Option<&str> {
                    self._metadata.request_id()
                }

                /// Sets the request id (the protocol crate does, from the response).
                pub fn set_request_id(&mut self, request_id: Option<String>) {
                    self._metadata = ::awsquery_types::ResponseMetadata::new(request_id);
                }
            }
            impl ::awsquery_types::RequestId for #name {
                fn request_id(&self) -> Option<&str> {
                    self._metadata.request_id()
                }
            }
        }
    });
    // Missing `Option` members read as `None` anyway; the others take the structure's default
    // (the model's), so only a structure with such members needs the attribute.
    let serde_default = s
        .members
        .iter()
        .any(|m| !m.optional)
        .then(|| quote!(#[cfg_attr(feature = "serde", serde(default))]));
    let allow_deprecated = s
        .members
        .iter()
        .any(|m| m.deprecated.is_some())
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        #docs
        #deprecated
        #allow_deprecated
        #[derive(#(#derives),*)]
        #[cfg_attr(feature = "serde", derive(::serde::Serialize, ::serde::Deserialize))]
        #serde_default
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #meta
            #request_id
        }
        #default_impl
        #debug_impl
        #request_id_impl
    }
}

/// The `serde` attribute of a structure's or union's member (with the `serde` feature): the
/// model's name where the Rust name differs (serde names a field after it, `r#` left out), blobs
/// in base64 (unset when missing, as serde does for other `Option`s). None when neither applies.
/// Kept short, so that it fits on one line but for blobs.
fn serde_member(service: &Service, m: &Member, rust_name: &str, field: bool) -> TokenStream {
    let rename = (m.name != rust_name.trim_start_matches("r#")).then(|| {
        let name = &m.name;
        quote!(rename = #name)
    });
    let blob = super::holds_blob(service, &m.target).then(|| {
        let default = field.then(|| quote!(, default));
        quote!(with = "::awsquery_types::serde::blob" #default)
    });
    let args: Vec<TokenStream> = rename.into_iter().chain(blob).collect();
    if args.is_empty() {
        return TokenStream::new();
    }
    quote!(#[cfg_attr(feature = "serde", serde(#(#args),*))])
}

fn member_docs(m: &Member) -> TokenStream {
    let mut text = m.docs.clone().unwrap_or_default();
    let notes = [m.required.then_some("Required."), m.constraints.as_deref()];
    for note in notes.into_iter().flatten() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(note);
    }
    doc_attrs((!text.is_empty()).then_some(text.as_str()))
}

/// `Debug` without the sensitive values (all of them when `all`), with the metadata of an error
/// or the request id of an output, as `(error, output)` say.
fn redacted_debug(
    name: &str,
    members: &[Member],
    all: bool,
    (error, output): (bool, bool),
) -> TokenStream {
    let ty = ident(name);
    let fields = members.iter().map(|m| {
        let f = ident(&m.field);
        let label = &m.field.trim_start_matches("r#");
        if all || m.sensitive {
            quote!(.field(#label, &"** redacted **"))
        } else {
            quote!(.field(#label, &self.#f))
        }
    });
    let meta = error.then(|| quote!(.field("meta", &self.meta)));
    let request_id = output.then(|| quote!(.field("_metadata", &self._metadata)));
    quote! {
        #[allow(deprecated)]
        impl ::std::fmt::Debug for #ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name) #(#fields)* #meta #request_id .finish()
            }
        }
    }
}

fn union(paths: &Paths, service: &Service, shape: &Shape, u: &Structure) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = shape_docs(shape);
    let unknown = ident(union_unknown(u));
    let variants = u.members.iter().map(|m| {
        let v = ident(union_variant(m));
        let mut ty = paths.value_type(service, &m.target);
        if m.boxed {
            ty = quote!(Box<#ty>);
        }
        let docs = doc_attrs(m.docs.as_deref());
        let serde = serde_member(service, m, union_variant(m), false);
        quote! {
            #docs
            #serde
            #v(#ty),
        }
    });
    let redact = shape.sensitive || u.members.iter().any(|m| m.sensitive);
    let derives = if redact {
        quote!(Clone, PartialEq)
    } else {
        quote!(Clone, Debug, PartialEq)
    };
    let debug = redact.then(|| {
        let arms = u.members.iter().map(|m| {
            let v = ident(union_variant(m));
            let label = union_variant(m);
            if shape.sensitive || m.sensitive {
                quote!(Self::#v(_) => f.debug_tuple(#label).field(&"** redacted **").finish(),)
            } else {
                quote!(Self::#v(value) => f.debug_tuple(#label).field(value).finish(),)
            }
        });
        let unknown_label = union_unknown(u);
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(#arms)*
                        Self::#unknown => f.write_str(#unknown_label),
                    }
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(#derives)]
        #[cfg_attr(feature = "serde", derive(::serde::Serialize, ::serde::Deserialize))]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A member this version does not know (it cannot be serialized).
            #[cfg_attr(feature = "serde", serde(skip))]
            #unknown,
        }
        #debug
    }
}

fn string_enum(shape: &Shape, e: &Enum<EnumVariant>) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = shape_docs(shape);
    let unknown = ident(&e.unknown);
    let variants = e.variants.iter().map(|v| {
        let n = ident(&v.rust_name);
        let value_doc = format!("`{}`", v.value);
        let docs = doc_attrs(Some(&match &v.docs {
            Some(d) => format!("{value_doc}: {d}"),
            None => value_doc,
        }));
        let deprecated = deprecated_attr(v.deprecated.as_ref());
        quote!(#docs #deprecated #n,)
    });
    let as_str = e.variants.iter().map(|v| {
        let n = ident(&v.rust_name);
        let value = &v.value;
        quote!(Self::#n => #value,)
    });
    let from = e.variants.iter().map(|v| {
        let n = ident(&v.rust_name);
        let value = &v.value;
        quote!(#value => Self::#n,)
    });
    let values = e.variants.iter().map(|v| &v.value);
    let allow = e
        .variants
        .iter()
        .any(|v| v.deprecated.is_some())
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version does not know, kept as it came.
            #unknown(String),
        }
        #allow
        impl #name {
            /// Every value this version knows.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#unknown(value) => value,
                }
            }
        }
        #allow
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from)*
                    other => Self::#unknown(String::from(other)),
                }
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        #[cfg(feature = "serde")]
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        #[cfg(feature = "serde")]
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                ::awsquery_types::serde::str_enum(deserializer)
            }
        }
    }
}

fn int_enum(shape: &Shape, e: &Enum<IntEnumVariant>) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = shape_docs(shape);
    let unknown = ident(&e.unknown);
    let variants = e.variants.iter().map(|v| {
        let n = ident(&v.rust_name);
        let docs = doc_attrs(Some(&format!(
            "`{}`{}",
            v.value,
            v.docs
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        )));
        quote!(#docs #n,)
    });
    let value = e.variants.iter().map(|v| {
        let n = ident(&v.rust_name);
        let value = v.value;
        quote!(Self::#n => #value,)
    });
    let from = e.variants.iter().map(|v| {
        let n = ident(&v.rust_name);
        let value = v.value;
        quote!(#value => Self::#n,)
    });
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version does not know, kept as it came.
            #unknown(i32),
        }
        impl #name {
            /// The value on the wire.
            pub fn value(&self) -> i32 {
                match self {
                    #(#value)*
                    Self::#unknown(value) => *value,
                }
            }
        }
        impl From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #(#from)*
                    other => Self::#unknown(other),
                }
            }
        }
        #[cfg(feature = "serde")]
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i32(self.value())
            }
        }
        #[cfg(feature = "serde")]
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <i32 as ::serde::Deserialize<'de>>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}
