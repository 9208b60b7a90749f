//! The protocol crate: one `Operation` per operation, query serializers and XML deserializers.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{Paths, deprecated_attr, error_info, message_member, timestamp_format};
use crate::ir::{Member, Operation, Scalar, Service, Shape, ShapeKind, Structure};
use crate::naming::ident;

/// The crate's documentation (its `README.md`).
pub fn crate_doc(service: &Service) -> String {
    format!(
        "The awsQuery protocol of {} (`{}`, version `{}`), without any I/O.\n\n\
         Each operation is a unit struct implementing [`awsquery_protocol::operation::Operation`]: its input becomes \
         a form-urlencoded `POST /`, and a complete HTTP response becomes its output or its error enum.",
        service.title.as_deref().unwrap_or(&service.sdk_id),
        service.shape_name,
        service.version,
    )
}

/// `src/generated/mod.rs`: the operations.
pub fn lib(service: &Service) -> TokenStream {
    let version = &service.version;
    let docs = quote!(
        //! The code generated from the model, re-exported by the crate root.
    );
    let reexports = service.operations.iter().map(|op| {
        let module = ident(&op.fn_name);
        let name = ident(&op.type_name);
        quote!(pub use operation::#module::#name;)
    });
    let import = Paths::import(service);
    quote! {
        #docs
        #import
        mod de;
        pub mod operation;
        mod ser;

        /// The API version sent as `Version=` with every request.
        pub const API_VERSION: &str = #version;

        #(#reexports)*
    }
}

/// `src/generated/operation/mod.rs`: one module per operation.
pub fn operations(service: &Service) -> TokenStream {
    let modules = service.operations.iter().map(|op| {
        let module = ident(&op.fn_name);
        let docs = super::doc_attrs(Some(&format!(
            "`{}`: the operation, its serializer and its parser.",
            op.name
        )));
        quote!(#docs pub mod #module;)
    });
    quote! {
        //! One module per operation: the operation, the serializer of its own input and the parser
        //! of its own output.
        #(#modules)*
    }
}

/// `src/generated/operation/{operation}.rs`.
pub fn operation_module(service: &Service, op: &Operation) -> TokenStream {
    let paths = Paths::new();
    let docs = super::crate_docs(&format!(
        "`{}`: the operation, its serializer and its parser.",
        op.name
    ));
    let wrapped = &service.read_whole;
    let item = operation(&paths, service, op);
    let own = op.owned.iter().map(|id| {
        let mut fns = TokenStream::new();
        if service.serialized.contains(id) {
            fns.extend(ser_fn(&paths, service, id));
        }
        if service.deserialized.contains(id) {
            fns.extend(de_fn(&paths, service, wrapped, id));
        }
        fns
    });
    quote! {
        #docs
        #![allow(deprecated)]
        #[allow(unused_imports)]
        use super::super::{API_VERSION, de::*, ser::*};

        #item
        #(#own)*
    }
}

fn operation(paths: &Paths, service: &Service, op: &Operation) -> TokenStream {
    let name = ident(&op.type_name);
    let wire = &op.name;
    let input_shape = service.shape(&op.input);
    let output_shape = service.shape(&op.output);
    let input = paths.named(input_shape);
    let output = paths.named(output_shape);
    let model = &paths.model;
    let error = ident(&op.error_enum);
    let ser = ident(&input_shape.functions.ser);
    let de = ident(&output_shape.functions.de);
    let docs = match &op.docs {
        Some(d) => format!("`{wire}`: {d}"),
        None => format!("`{wire}`."),
    };
    let docs = super::doc_attrs(Some(&format!("{docs}\n\nSmithy operation `{}`.", op.id)));
    let deprecated = deprecated_attr(op.deprecated.as_ref());
    let response_tag = &op.response_tag;
    let result_tag = &op.result_tag;
    // An output without members has nothing to read: the body (often empty) is looked at only
    // for the request id, when the header has none, and may be anything.
    let read_output = if has_members(output_shape) {
        quote! {
            let (mut output, request_id) = ::awsquery_protocol::xml::read_success(&response.body, #response_tag, #result_tag, #de)
                .map_err(|e| ::awsquery_protocol::envelope::unreadable(response, e))?;
            output.set_request_id(::awsquery_protocol::envelope::request_id(response, request_id));
            Ok(output)
        }
    } else {
        quote! {
            let mut output = <#output>::default();
            output.set_request_id(::awsquery_protocol::envelope::success_request_id(response));
            Ok(output)
        }
    };
    let pagination = pagination(paths, service, op);
    let sensitive = (!op.sensitive_params.is_empty()).then(|| {
        let keys = &op.sensitive_params;
        quote!(.with_sensitive(&[#(#keys),*]))
    });
    let error_arms = op.errors.iter().map(|id| {
        let shape = service.shape(id);
        let code = &error_info(shape).code;
        let variant = ident(&shape.rust_name);
        let build = ident(&shape.functions.de);
        quote! {
            if meta.code() == Some(#code) {
                return errors::#build(response, meta).map_or_else(Into::into, #model::error::#error::#variant);
            }
        }
    });
    let signed = op.unsigned.then(|| {
        quote!(
            const SIGNED: bool = false;
        )
    });
    let tokens = super::idempotency_tokens(service, &op.input);
    let fill_tokens = (!tokens.is_empty()).then(|| {
        let fills = tokens.iter().map(|m| {
            let f = ident(&m.field);
            quote! {
                if input.#f.is_none() {
                    input.#f = Some(token());
                }
            }
        });
        quote! {
            fn fill_idempotency_tokens(input: &mut Self::Input, token: &mut dyn FnMut() -> String) {
                #(#fills)*
            }
        }
    });
    quote! {
        #docs
        #deprecated
        #[derive(Clone, Copy, Debug, Default)]
        pub struct #name;

        impl #name {
            fn error(response: &::awsquery_types::http::Response) -> #model::error::#error {
                let meta = match ::awsquery_protocol::envelope::error_metadata(response) {
                    Ok(meta) => meta,
                    Err(unreadable) => return unreadable.into(),
                };
                #(#error_arms)*
                #model::error::#error::Unhandled(::awsquery_types::Unhandled::new(meta))
            }
        }

        impl ::awsquery_protocol::operation::Operation for #name {
            const NAME: &'static str = #wire;
            type Input = #input;
            type Output = #output;
            type Error = #model::error::#error;
            #signed

            fn serialize(input: &Self::Input) -> Result<::awsquery_types::http::Request, ::awsquery_types::BuildError> {
                let mut body = String::with_capacity(256);
                let mut writer = ::awsquery_protocol::query::QueryWriter::new(&mut body, #wire, API_VERSION);
                #ser(&mut writer, "", input)?;
                Ok(::awsquery_types::http::Request::form_post(body) #sensitive)
            }

            fn deserialize(response: &::awsquery_types::http::Response) -> Result<Self::Output, Self::Error> {
                if !response.is_success() {
                    return Err(Self::error(response));
                }
                #read_output
            }

            #fill_tokens
        }

        #pagination
    }
}

/// `Paginate` (and `PaginateItems`) for an operation whose `paginated` trait names both tokens.
fn pagination(paths: &Paths, service: &Service, op: &Operation) -> TokenStream {
    let Some(p) = &op.pagination else {
        return TokenStream::new();
    };
    let name = ident(&op.type_name);
    let field = ident(&p.input_token.field);
    let (token, set_token) = if p.input_token.optional {
        (
            quote!(input.#field.as_deref()),
            quote!(input.#field = token;),
        )
    } else {
        (
            quote!(Some(input.#field.as_str()).filter(|token| !token.is_empty())),
            quote!(input.#field = token.unwrap_or_default();),
        )
    };
    let (last, through) = p
        .output_token
        .split_last()
        .expect("a member path has at least one step");
    let mut next_token = quote!(output);
    for step in through {
        let f = ident(&step.field);
        next_token = if step.optional {
            quote!(#next_token.#f.as_ref()?)
        } else {
            quote!(#next_token.#f)
        };
    }
    let f = ident(&last.field);
    let next_token = if last.optional {
        quote!(#next_token.#f.as_deref())
    } else {
        quote!(Some(#next_token.#f.as_str()))
    };
    let items = p.items.as_ref().map(|items| {
        let ty = paths.value_type(service, &items.target);
        let (last, through) = items
            .path
            .split_last()
            .expect("a member path has at least one step");
        let mut value = quote!(output);
        let mut lets = Vec::new();
        for step in through {
            let f = ident(&step.field);
            if step.optional {
                lets.push(quote! {
                    let Some(value) = #value.#f else {
                        return Default::default();
                    };
                });
            } else {
                lets.push(quote!(let value = #value.#f;));
            }
            value = quote!(value);
        }
        let f = ident(&last.field);
        let take = if last.optional {
            quote!(#value.#f.unwrap_or_default())
        } else {
            quote!(#value.#f)
        };
        quote! {
            impl ::awsquery_protocol::paginate::PaginateItems for #name {
                type Items = #ty;

                fn items(output: Self::Output) -> Self::Items {
                    #(#lets)*
                    #take
                }
            }
        }
    });
    let input_shape = service.shape(&op.input);
    let members = match &input_shape.kind {
        ShapeKind::Structure(s) => s.members.as_slice(),
        _ => &[],
    };
    let segments = super::host_prefix_segments(op, &input_shape.rust_name, members, &quote!(input));
    let host_prefix = (!segments.is_empty()).then(|| {
        quote! {
            fn host_prefix(input: &Self::Input) -> Vec<::awsquery_protocol::host_prefix::Segment<'_>> {
                Vec::from([#(#segments),*])
            }
        }
    });
    let compression = op
        .request_compression
        .as_ref()
        .and_then(|c| c.encoding)
        .map(|encoding| {
            let encoding = super::encoding(encoding);
            quote! {
                const COMPRESSION: Option<::awsquery_protocol::compression::Encoding> =
                    Some(#encoding);
            }
        });
    quote! {
        impl ::awsquery_protocol::paginate::Paginate for #name {
            #compression

            fn token(input: &Self::Input) -> Option<&str> {
                #token
            }

            fn set_token(input: &mut Self::Input, token: Option<String>) {
                #set_token
            }

            fn next_token(output: &Self::Output) -> Option<&str> {
                #next_token
            }

            #host_prefix
        }

        #items
    }
}

fn has_members(shape: &Shape) -> bool {
    matches!(&shape.kind, ShapeKind::Structure(s) if !s.members.is_empty())
}

/// `src/ser.rs`.
pub fn ser(service: &Service) -> TokenStream {
    let paths = Paths::new();
    let fns = service
        .serialized
        .iter()
        .filter(|id| service.owner(id).is_none())
        .map(|id| ser_fn(&paths, service, id));
    quote! {
        //! Query serializers: one function per structure, union, list and map that an input reaches.
        #![allow(deprecated)]
        #(#fns)*
    }
}

/// Writes `value` (a reference) of shape `target` under `prefix` + `name`.
fn ser_value(
    service: &Service,
    target: &str,
    prefix: TokenStream,
    name: &str,
    value: TokenStream,
    member: &Member,
) -> TokenStream {
    let shape = service.shape(target);
    let stem = ident(&shape.functions.ser);
    match &shape.kind {
        ShapeKind::List(_) | ShapeKind::Map(_) => {
            let flattened = member.flattened;
            quote!(#stem(writer, &::awsquery_protocol::query::key(#prefix, #name), #flattened, #value)?;)
        }
        ShapeKind::Scalar(Scalar::Timestamp(format)) => {
            let format = timestamp_format(member.timestamp_format.unwrap_or(*format));
            quote!(writer.timestamp(#prefix, #name, #value, #format);)
        }
        _ => ser_item(service, target, prefix, name, value),
    }
}

/// Writes a list item, map key or map value (no member traits apply).
fn ser_item(
    service: &Service,
    target: &str,
    prefix: TokenStream,
    name: &str,
    value: TokenStream,
) -> TokenStream {
    let shape = service.shape(target);
    let stem = ident(&shape.functions.ser);
    match &shape.kind {
        ShapeKind::Scalar(scalar) => match scalar {
            Scalar::String | Scalar::BigInteger | Scalar::BigDecimal => {
                quote!(writer.string(#prefix, #name, #value);)
            }
            Scalar::Boolean => quote!(writer.boolean(#prefix, #name, *#value);),
            Scalar::Byte | Scalar::Short | Scalar::Integer => {
                quote!(writer.integer(#prefix, #name, i64::from(*#value));)
            }
            Scalar::Long => quote!(writer.integer(#prefix, #name, *#value);),
            Scalar::Float => quote!(writer.float32(#prefix, #name, *#value);),
            Scalar::Double => quote!(writer.float(#prefix, #name, *#value);),
            Scalar::Blob => quote!(writer.blob(#prefix, #name, #value);),
            Scalar::Timestamp(format) => {
                let format = timestamp_format(*format);
                quote!(writer.timestamp(#prefix, #name, #value, #format);)
            }
        },
        ShapeKind::Enum(_) => quote!(writer.string(#prefix, #name, #value.as_str());),
        ShapeKind::IntEnum(_) => quote!(writer.integer(#prefix, #name, i64::from(#value.value()));),
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            quote!(#stem(writer, &::awsquery_protocol::query::key(#prefix, #name), #value)?;)
        }
        ShapeKind::List(_) | ShapeKind::Map(_) => {
            quote!(#stem(writer, &::awsquery_protocol::query::key(#prefix, #name), false, #value)?;)
        }
    }
}

/// `src/de.rs`.
pub fn de(service: &Service) -> TokenStream {
    let paths = Paths::new();
    let wrapped = &service.read_whole;
    let fns = service
        .deserialized
        .iter()
        .filter(|id| service.owner(id).is_none())
        .map(|id| de_fn(&paths, service, wrapped, id));
    let errors = service.errors().filter(|(shape, _, _)| service.deserialized.contains(&shape.id)).map(|(shape, s, _)| {
        let ty = paths.named(shape);
        let stem = ident(&shape.functions.de);
        let read = if reads_members(s) {
            quote! {
                let read = ::awsquery_protocol::xml::error_element(&response.body).and_then(|mut d| super::#stem(&mut d));
                let mut out = match read {
                    Ok(out) => out,
                    Err(e) => return Err(::awsquery_types::Unhandled::with_source(meta, e)),
                };
            }
        } else {
            quote!(let mut out = <#ty>::default();)
        };
                let message = message_member(&s.members).filter(|m| m.optional && super::is_string(service, &m.target)).map(|m| {
            let f = ident(&m.field);
            quote! {
                if out.#f.is_none() {
                    out.#f.clone_from(&meta.message);
                }
            }
        });
        let response = if reads_members(s) { quote!(response) } else { quote!(_response) };
        quote! {
            pub(crate) fn #stem(#response: &::awsquery_types::http::Response, meta: ::awsquery_types::ErrorMetadata)
                -> Result<#ty, ::awsquery_types::Unhandled> {
                #read
                #message
                out.meta = meta;
                Ok(out)
            }
        }
    });
    quote! {
        //! XML deserializers: one function per structure, union, list and map that an output or error reaches.
        #![allow(deprecated)]
        #(#fns)*

        /// Error structures, built from the error envelope and, where they have more members, its `<Error>` element.
        pub(crate) mod errors {
            #(#errors)*
        }
    }
}

/// Whether an error structure has members beyond its message, which must be read from `<Error>`.
fn reads_members(s: &Structure) -> bool {
    s.members
        .iter()
        .any(|m| !m.name.eq_ignore_ascii_case("message"))
}

/// Reads the element just opened as a value of shape `target`.
fn de_value(
    paths: &Paths,
    service: &Service,
    target: &str,
    format: Option<crate::ir::TimestampFormat>,
) -> TokenStream {
    let shape = service.shape(target);
    let stem = ident(&shape.functions.de);
    match &shape.kind {
        ShapeKind::Scalar(scalar) => match scalar {
            Scalar::String | Scalar::BigInteger | Scalar::BigDecimal => quote!(d.string()?),
            Scalar::Boolean => quote!(d.boolean()?),
            Scalar::Byte => quote!(d.i8()?),
            Scalar::Short => quote!(d.i16()?),
            Scalar::Integer => quote!(d.i32()?),
            Scalar::Long => quote!(d.i64()?),
            Scalar::Float => quote!(d.f32()?),
            Scalar::Double => quote!(d.f64()?),
            Scalar::Blob => quote!(d.blob()?),
            Scalar::Timestamp(default) => {
                let format = timestamp_format(format.unwrap_or(*default));
                quote!(d.timestamp(#format)?)
            }
        },
        ShapeKind::Enum(_) => {
            let ty = paths.named(shape);
            quote!(#ty::from(&*d.text()?))
        }
        ShapeKind::IntEnum(_) => {
            let ty = paths.named(shape);
            quote!(#ty::from(d.i32()?))
        }
        ShapeKind::Structure(s) if s.members.iter().any(|m| m.xml_attribute) => {
            quote!(#stem(d, &el)?)
        }
        _ => quote!(#stem(d)?),
    }
}

fn ser_fn(paths: &Paths, service: &Service, id: &str) -> TokenStream {
    let shape = service.shape(id);
    let stem = ident(&shape.functions.ser);
    match &shape.kind {
        ShapeKind::Structure(s) => {
            let ty = paths.named(shape);
            let name = &shape.rust_name;
            let writes = s.members.iter().map(|m| {
                let f = ident(&m.field);
                let write = ser_value(
                    service,
                    &m.target,
                    quote!(prefix),
                    &m.query_name,
                    quote!(value),
                    m,
                );
                let member = &m.name;
                match (m.optional, m.required) {
                    (true, true) => quote! {
                        match &input.#f {
                            Some(value) => { #write }
                            None => {
                                return Err(::awsquery_types::BuildError::missing(#name, #member));
                            }
                        }
                    },
                    (true, false) => quote! {
                        if let Some(value) = &input.#f { #write }
                    },
                    (false, _) => quote! {
                        { let value = &input.#f; #write }
                    },
                }
            });
            let (w, prefix, input) = if s.members.is_empty() {
                (quote!(_writer), quote!(_prefix), quote!(_input))
            } else {
                (quote!(writer), quote!(prefix), quote!(input))
            };
            quote! {
                pub(crate) fn #stem(#w: &mut ::awsquery_protocol::query::QueryWriter<'_>, #prefix: &str, #input: &#ty)
                    -> Result<(), ::awsquery_types::BuildError> {
                    #(#writes)*
                    Ok(())
                }
            }
        }
        ShapeKind::Union(u) => {
            let ty = paths.named(shape);
            let name = &shape.name;
            let arms = u.members.iter().map(|m| {
                let v = ident(super::union_variant(m));
                let write = ser_value(
                    service,
                    &m.target,
                    quote!(prefix),
                    &m.query_name,
                    quote!(value),
                    m,
                );
                quote!(#ty::#v(value) => { #write })
            });
            quote! {
                pub(crate) fn #stem(writer: &mut ::awsquery_protocol::query::QueryWriter<'_>, prefix: &str, input: &#ty)
                    -> Result<(), ::awsquery_types::BuildError> {
                    match input {
                        #(#arms)*
                        _ => return Err(::awsquery_types::BuildError::unknown_variant(#name)),
                    }
                    Ok(())
                }
            }
        }
        ShapeKind::List(list) => {
            let item = paths.value_type(service, &list.target);
            let member_name = &list.member_name;
            let write = ser_item(service, &list.target, quote!(&item), "", quote!(value));
            quote! {
                pub(crate) fn #stem(writer: &mut ::awsquery_protocol::query::QueryWriter<'_>, key: &str, flattened: bool, input: &[#item])
                    -> Result<(), ::awsquery_types::BuildError> {
                    if input.is_empty() {
                        writer.empty(key, "");
                    }
                    let member = if flattened { None } else { Some(#member_name) };
                    for (i, value) in input.iter().enumerate() {
                        let item = ::awsquery_protocol::query::item_key(key, member, i);
                        #write
                    }
                    Ok(())
                }
            }
        }
        ShapeKind::Map(map) => {
            let ty = paths.value_type(service, id);
            let key_write = ser_item(service, &map.key, quote!(&entry), &map.key_name, quote!(k));
            let value_write = ser_item(
                service,
                &map.value,
                quote!(&entry),
                &map.value_name,
                quote!(value),
            );
            quote! {
                pub(crate) fn #stem(writer: &mut ::awsquery_protocol::query::QueryWriter<'_>, key: &str, flattened: bool, input: &#ty)
                    -> Result<(), ::awsquery_types::BuildError> {
                    for (i, (k, value)) in input.iter().enumerate() {
                        let entry = ::awsquery_protocol::query::entry_key(key, flattened, i);
                        #key_write
                        #value_write
                    }
                    Ok(())
                }
            }
        }
        _ => TokenStream::new(),
    }
}

fn de_fn(paths: &Paths, service: &Service, wrapped: &BTreeSet<String>, id: &str) -> TokenStream {
    let shape = service.shape(id);
    let stem = ident(&shape.functions.de);
    match &shape.kind {
        ShapeKind::Structure(s) if s.error.is_some() && !reads_members(s) => TokenStream::new(),
        ShapeKind::List(_) if !wrapped.contains(id) => TokenStream::new(),
        // An output without members is never read; the same shape nested in a value still is.
        ShapeKind::Structure(s) if s.members.is_empty() && !wrapped.contains(id) => {
            TokenStream::new()
        }
        ShapeKind::Structure(s) => {
            let ty = paths.named(shape);
            let arms = s.members.iter().filter(|m| !m.xml_attribute).map(|m| {
                    let f = ident(&m.field);
                    let name = syn::LitByteStr::new(m.xml_name.as_bytes(), proc_macro2::Span::call_site());
                    let target = service.shape(&m.target);
                    match &target.kind {
                        ShapeKind::List(list) if m.flattened => {
                            let read = de_value(paths, service, &list.target, None);
                            if m.optional {
                                quote!(#name => out.#f.get_or_insert_with(Vec::new).push(#read),)
                            } else {
                                quote!(#name => out.#f.push(#read),)
                            }
                        }
                        ShapeKind::Map(_) if m.flattened => {
                            let entry = ident(&target.functions.de_entry);
                            if m.optional {
                                quote!(#name => #entry(d, out.#f.get_or_insert_with(Default::default))?,)
                            } else {
                                quote!(#name => #entry(d, &mut out.#f)?,)
                            }
                        }
                        _ => {
                            let mut read = de_value(paths, service, &m.target, m.timestamp_format);
                            if m.boxed {
                                read = quote!(Box::new(#read));
                            }
                            if m.optional {
                                quote!(#name => out.#f = Some(#read),)
                            } else {
                                quote!(#name => out.#f = #read,)
                            }
                        }
                    }
                });
            let attributes = s.members.iter().filter(|m| m.xml_attribute).map(|m| {
                let f = ident(&m.field);
                let name = &m.xml_name;
                let convert = match &service.shape(&m.target).kind {
                    ShapeKind::Enum(_) => {
                        let ty = paths.value_type(service, &m.target);
                        quote!(#ty::from(&*value))
                    }
                    _ => quote!(value.into_owned()),
                };
                let assign = if m.optional {
                    quote!(out.#f = Some(#convert);)
                } else {
                    quote!(out.#f = #convert;)
                };
                quote! {
                    if let Some(value) = element.attribute(#name)? { #assign }
                }
            });
            let element_param = s
                .members
                .iter()
                .any(|m| m.xml_attribute)
                .then(|| quote!(, element: &::awsquery_protocol::xml::Element<'_>));
            if s.members.is_empty() {
                return quote! {
                    pub(crate) fn #stem(d: &mut ::awsquery_protocol::xml::Decoder<'_>) -> Result<#ty, ::awsquery_protocol::xml::XmlError> {
                        while d.next_child()?.is_some() {
                            d.skip()?;
                        }
                        Ok(Default::default())
                    }
                };
            }
            quote! {
                pub(crate) fn #stem(d: &mut ::awsquery_protocol::xml::Decoder<'_> #element_param) -> Result<#ty, ::awsquery_protocol::xml::XmlError> {
                    let mut out = <#ty>::default();
                    #(#attributes)*
                    while let Some(el) = d.next_child()? {
                        match el.local_name() {
                            #(#arms)*
                            _ => d.skip()?,
                        }
                    }
                    Ok(out)
                }
            }
        }
        ShapeKind::Union(u) => {
            let ty = paths.named(shape);
            let unknown = ident(super::union_unknown(u));
            let arms = u.members.iter().map(|m| {
                let v = ident(super::union_variant(m));
                let name =
                    syn::LitByteStr::new(m.xml_name.as_bytes(), proc_macro2::Span::call_site());
                let mut read = de_value(paths, service, &m.target, m.timestamp_format);
                if m.boxed {
                    read = quote!(Box::new(#read));
                }
                quote!(#name => out = #ty::#v(#read),)
            });
            quote! {
                pub(crate) fn #stem(d: &mut ::awsquery_protocol::xml::Decoder<'_>) -> Result<#ty, ::awsquery_protocol::xml::XmlError> {
                                            let mut out = #ty::#unknown;
                    while let Some(el) = d.next_child()? {
                        match el.local_name() {
                            #(#arms)*
                            _ => d.skip()?,
                        }
                    }
                    Ok(out)
                }
            }
        }
        ShapeKind::List(list) => {
            let ty = paths.value_type(service, id);
            let member =
                syn::LitByteStr::new(list.member_name.as_bytes(), proc_macro2::Span::call_site());
            let read = de_value(paths, service, &list.target, None);
            quote! {
                pub(crate) fn #stem(d: &mut ::awsquery_protocol::xml::Decoder<'_>) -> Result<#ty, ::awsquery_protocol::xml::XmlError> {
                    let mut out = Vec::new();
                    while let Some(el) = d.next_child()? {
                        if el.local_name() == #member {
                            out.push(#read);
                        } else {
                            d.skip()?;
                        }
                    }
                    Ok(out)
                }
            }
        }
        ShapeKind::Map(map) => {
            let ty = paths.value_type(service, id);
            let entry = ident(&shape.functions.de_entry);
            let key_name =
                syn::LitByteStr::new(map.key_name.as_bytes(), proc_macro2::Span::call_site());
            let value_name =
                syn::LitByteStr::new(map.value_name.as_bytes(), proc_macro2::Span::call_site());
            let read_key = de_value(paths, service, &map.key, None);
            let read_value = de_value(paths, service, &map.value, None);
            let whole = wrapped.contains(id).then(|| quote! {
                    pub(crate) fn #stem(d: &mut ::awsquery_protocol::xml::Decoder<'_>) -> Result<#ty, ::awsquery_protocol::xml::XmlError> {
                        let mut out = ::std::collections::BTreeMap::new();
                        while let Some(el) = d.next_child()? {
                            if el.local_name() == b"entry" {
                                #entry(d, &mut out)?;
                            } else {
                                d.skip()?;
                            }
                        }
                        Ok(out)
                    }
                });
            quote! {
                #whole
                pub(crate) fn #entry(d: &mut ::awsquery_protocol::xml::Decoder<'_>, out: &mut #ty) -> Result<(), ::awsquery_protocol::xml::XmlError> {
                    let mut key = None;
                    let mut value = None;
                    while let Some(el) = d.next_child()? {
                        match el.local_name() {
                            #key_name => key = Some(#read_key),
                            #value_name => value = Some(#read_value),
                            _ => d.skip()?,
                        }
                    }
                    if let (Some(key), Some(value)) = (key, value) {
                        out.insert(key, value);
                    }
                    Ok(())
                }
            }
        }
        _ => TokenStream::new(),
    }
}
