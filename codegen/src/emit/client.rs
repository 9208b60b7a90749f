//! The client crate: a `Client` with one method per operation, each returning a fluent builder.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Paths, deprecated_attr, doc_attrs};
use crate::ir::{Member, Operation, Service, ShapeKind};
use crate::naming::ident;

/// The crate's documentation (its `README.md`), saying what the `config` feature adds when the
/// crate has it.
pub fn crate_doc(service: &Service, config_feature: bool) -> String {
    let title = service.title.as_deref().unwrap_or(&service.sdk_id);
    let mut doc = format!(
        "An async client for {title}: it builds each request, signs it with SigV4 (service `{}`), \
         sends it through a [`Transport`] and maps the response to the operation's output or error.",
        service.signing_name
    );
    if config_feature {
        doc.push_str(
            "\n\nWith the `config` feature (off by default), `Client::from_env().await` builds a \
             client as the AWS CLI and SDKs configure themselves: credentials, Region and settings \
             from the environment, the shared files and the credential sources of \
             `awsquery-config`, sending over `awsquery_hyper::HyperTransport` (HTTPS). \
             `Client::from_loader` takes a `ConfigLoader` set up in code.",
        );
    }
    doc
}

/// `src/generated/mod.rs`: the client and its methods, and `Client::from_env` behind the
/// `config` feature when the crate has it.
pub fn lib(service: &Service, config_feature: bool) -> TokenStream {
    let model_crate = ident(&service.crates.model.ident);
    let docs = quote!(
        //! The code generated from the model, re-exported by the crate root.
    );
    let signing_name = &service.signing_name;
    let endpoint_prefix = &service.endpoint_prefix;
    let sdk_id = &service.sdk_id;
    let methods = service.operations.iter().map(|op| {
        let f = ident(&op.fn_name);
        let builder = ident(&op.type_name);
        let mut text = op.docs.clone().unwrap_or_default();
        let notes = [
            op.paginated.as_ref().map(|p| pagination_note(op, p)),
            op.unsigned.then(|| String::from(UNSIGNED_NOTE)),
        ];
        for note in notes.into_iter().flatten() {
            text = if text.is_empty() {
                note
            } else {
                format!("{text}\n\n{note}")
            };
        }
        let docs = doc_attrs((!text.is_empty()).then_some(text.as_str()));
        let deprecated = deprecated_attr(op.deprecated.as_ref());
        quote! {
            #docs
            #deprecated
            pub fn #f(&self) -> fluent::#builder<T> {
                fluent::#builder::new(::std::sync::Arc::clone(&self.handle))
            }
        }
    });
    let waiters_mod = (!service.waiters.is_empty()).then(|| {
        quote!(
            pub mod waiters;
        )
    });
    let waiter_methods = super::waiters::client_methods(service);
    let paginator = service
        .operations
        .iter()
        .any(|op| op.pagination.is_some())
        .then(|| {
            quote!(
                pub use ::awsquery::paginator::{Items, Paginator};
            )
        });
    let from_env = config_feature.then(from_env);
    quote! {
        #docs
        pub use ::#model_crate::{error, types};
        pub use ::awsquery::client::{Config, SdkError};
        pub use ::awsquery::error::{ProvideErrorMetadata, RequestId};
        pub use ::awsquery::transport::{Transport, TransportError};
        #paginator
        pub use ::awsquery::sigv4::Credentials;
        pub mod endpoint;
        pub mod fluent;
        #waiters_mod

        /// What the client needs to know of the service to address and sign requests.
        pub const SERVICE: ::awsquery::client::ServiceInfo = ::awsquery::client::ServiceInfo {
            sdk_id: #sdk_id,
            signing_name: #signing_name,
            endpoint_prefix: #endpoint_prefix,
            crate_version: ::core::env!("CARGO_PKG_VERSION"),
            resolve_endpoint: |builtins| endpoint::resolve(&endpoint::Params::from_builtins(builtins)),
        };

        /// The client. Cheap to clone: clones share the configuration and the transport.
        ///
        /// The request builders, paginators and waiters it makes hold a clone of it, so their
        /// futures borrow nothing and can be spawned (`tokio::spawn(client.op().send())`) when the
        /// transport is `'static`.
        #[derive(Debug)]
        pub struct Client<T> {
            handle: ::std::sync::Arc<::awsquery::client::Handle<T>>,
        }

        impl<T> Clone for Client<T> {
            fn clone(&self) -> Self {
                Client { handle: ::std::sync::Arc::clone(&self.handle) }
            }
        }

        impl<T: Transport> Client<T> {
            /// A client that sends through `transport`. The endpoint is resolved here, from the
            /// configuration through the service's endpoint rules ([`endpoint`]); when that fails,
            /// every call returns the error as [`SdkError::Endpoint`] without sending anything.
            pub fn new(config: Config, transport: T) -> Self {
                Client { handle: ::std::sync::Arc::new(::awsquery::client::Handle::new(config, SERVICE, transport)) }
            }

            /// The configuration the client was built with.
            pub fn config(&self) -> &Config {
                self.handle.config()
            }

            /// The endpoint requests go to, or why there is none.
            pub fn endpoint(&self) -> Result<&endpoint::Endpoint, &endpoint::EndpointError> {
                self.handle.endpoint()
            }

            /// The transport requests go through (a waiter sleeps on it between polls).
            pub fn transport(&self) -> &T {
                self.handle.transport()
            }

            #(#methods)*

            #waiter_methods
        }

        #from_env
    }
}

/// `Client::from_env` and `Client::from_loader`, compiled with the `config` feature.
fn from_env() -> TokenStream {
    quote! {
        #[cfg(feature = "config")]
        impl Client<::awsquery_hyper::HyperTransport> {
            /// A client configured as the AWS CLI and SDKs configure themselves: credentials
            /// from the default chain (the environment, web identity, the profile's sources, the
            /// container endpoint, instance metadata), the Region from `AWS_REGION`, the profile
            /// or instance metadata, and the endpoint, retry and user agent settings of the
            /// environment and the shared files, read once. Requests go over HTTPS through the
            /// transport made from those settings (CA bundle, proxies).
            ///
            /// Run it on a tokio runtime: the shared files are read on its blocking pool. It fails
            /// when a shared file or a setting cannot be used, the chosen profile does not exist,
            /// or no Region is found; credentials are looked for only when a call needs them.
            pub async fn from_env() -> Result<Self, ::awsquery_config::LoadError> {
                Self::from_loader(::awsquery_config::ConfigLoader::new()).await
            }

            /// [`from_env`](Self::from_env) with `loader`: a profile or Region chosen in code
            /// (`ConfigLoader::new().profile(..).region(..)`), or another environment
            /// (`ConfigLoader::with_env`).
            pub async fn from_loader(
                loader: ::awsquery_config::ConfigLoader,
            ) -> Result<Self, ::awsquery_config::LoadError> {
                let loaded = loader.load().await?;
                let config = loaded.client_config()?;
                Ok(Client::new(config, Clone::clone(loaded.transport())))
            }
        }
    }
}

/// What the documentation of an operation sent unsigned says about it.
const UNSIGNED_NOTE: &str = "Sent unsigned: the client asks for no credentials for it, so a \
     configuration without any ([`Config::without_credentials`]) can call it.";

/// How to page through an operation, from its `paginated` trait.
fn pagination_note(op: &Operation, p: &crate::ir::Paginated) -> String {
    let mut note = String::from("Paginated:");
    if let (Some(input), Some(output)) = (&p.input_token, &p.output_token) {
        if op.pagination.is_some() {
            note.push_str(&format!(
                " [`into_paginator`](fluent::{}::into_paginator) on the builder sends the output's \
                 `{output}` back as `{input}`, page after page",
                op.type_name
            ));
        } else {
            note.push_str(&format!(
                " send the output's `{output}` back as `{input}` to get the next page"
            ));
        }
    }
    if let Some(size) = &p.page_size {
        note.push_str(&format!("; `{size}` sets the page size"));
    }
    if let Some(items) = &p.items {
        note.push_str(&format!("; the items are in `{items}`"));
        if op.pagination.is_some() {
            note.push_str(" (the paginator's `items()` yields them one by one)");
        }
    }
    note.push('.');
    note
}

/// `src/generated/fluent/mod.rs`.
pub fn fluent(service: &Service) -> TokenStream {
    let modules = service.operations.iter().map(|op| {
        let module = ident(&op.fn_name);
        let name = ident(&op.type_name);
        quote! {
            mod #module;
            pub use #module::#name;
        }
    });
    quote! {
        //! One request builder per operation, each in a module of its own: set the input's members,
        //! then `send().await`.
        #(#modules)*
    }
}

/// `src/generated/fluent/{operation}.rs`: the operation's request builder.
pub fn fluent_module(service: &Service, op: &Operation) -> TokenStream {
    let paths = Paths::new();
    let docs = super::crate_docs(&format!("The request builder of `{}`.", op.name));
    let builder = builder(&paths, service, op);
    quote! {
        #docs
        #![allow(deprecated)]
        #builder
    }
}

/// The call that sends the input: `invoke`, or `invoke_with` and the operation's host prefix and
/// compression when it has either.
/// `handle` is the expression of the handle (`self.handle`), `input` the place of the input
/// (`self.input`, or `input` for a reference) and `input_ref` a reference to it (`&self.input`).
fn invoke(
    op: &Operation,
    input_name: &str,
    members: &[Member],
    operation: TokenStream,
    handle: &TokenStream,
    (input, input_ref): (&TokenStream, &TokenStream),
) -> TokenStream {
    let encoding = op.request_compression.as_ref().and_then(|c| c.encoding);
    if op.host_prefix.is_none() && encoding.is_none() {
        return quote!(#handle.invoke::<#operation>(#input_ref).await);
    }
    let segments = super::host_prefix_segments(op, input_name, members, input);
    let host_prefix = op
        .host_prefix
        .as_ref()
        .map(|_| quote!(let host_prefix = [#(#segments),*];));
    let with_prefix = op
        .host_prefix
        .as_ref()
        .map(|_| quote!(.host_prefix(&host_prefix)));
    let with_compression = encoding.map(|encoding| {
        let encoding = super::encoding(encoding);
        quote!(.compression(#encoding))
    });
    quote! {
        #host_prefix
        let options = ::awsquery::client::RequestOptions::new() #with_prefix #with_compression;
        #handle.invoke_with::<#operation>(#input_ref, options).await
    }
}

fn builder(paths: &Paths, service: &Service, op: &Operation) -> TokenStream {
    let model = &paths.model;
    let protocol = ident(&service.crates.protocol.ident);
    let name = ident(&op.type_name);
    let input_shape = service.shape(&op.input);
    let input = paths.named(input_shape);
    let output = paths.named(service.shape(&op.output));
    let error = ident(&op.error_enum);
    let method = &op.fn_name;
    let docs = doc_attrs(Some(&format!(
        "Builds and sends a `{}` request; made by [`Client::{method}`](crate::Client::{method}).",
        op.name
    )));
    let members = match &input_shape.kind {
        ShapeKind::Structure(s) => s.members.as_slice(),
        _ => &[],
    };
    let fill_tokens = (!super::idempotency_tokens(service, &op.input).is_empty()).then(|| {
        quote! {
            <::#protocol::#name as ::awsquery_protocol::operation::Operation>::fill_idempotency_tokens(
                &mut self.input,
                &mut ::awsquery::idempotency::token,
            );
        }
    });
    let mutability = fill_tokens.is_some().then(|| quote!(mut));
    let invoke_self = invoke(
        op,
        &input_shape.rust_name,
        members,
        quote!(::#protocol::#name),
        &quote!(self.handle),
        (&quote!(self.input), &quote!(&self.input)),
    );
    let paginator = op.pagination.as_ref().map(|p| {
        let token = &op.paginated.as_ref().and_then(|t| t.input_token.clone()).unwrap_or_default();
        let mut text = format!(
            "Pages through the results instead of sending one request: each `next_page().await` on \
             the paginator sends the input built so far with the previous page's token as `{token}`, \
             until a page comes without a new token."
        );
        if p.items.is_some() {
            text.push_str(" Its `items()` yields the items of every page, one by one.");
        }
        let docs = doc_attrs(Some(&text));
        quote! {
            #docs
            pub fn into_paginator(#mutability self) -> ::awsquery::paginator::Paginator<T, ::#protocol::#name> {
                #fill_tokens
                ::awsquery::paginator::Paginator::new(self.handle, self.input)
            }
        }
    });
    let setters = setters(paths, service, members, &quote!(self.input));
    let poll = service.waiters.iter().any(|w| w.operation == op.id).then(|| {
        let call = invoke(
            op,
            &input_shape.rust_name,
            members,
            quote!(::#protocol::#name),
            &quote!(handle),
            (&quote!(input), &quote!(input)),
        );
        // Each poll fills unset idempotency tokens afresh, on a copy; other inputs are sent as
        // they are, without a copy.
        let fresh_tokens = fill_tokens.as_ref().map(|_| {
            quote! {
                let mut input = Clone::clone(input);
                <::#protocol::#name as ::awsquery_protocol::operation::Operation>::fill_idempotency_tokens(
                    &mut input,
                    &mut ::awsquery::idempotency::token,
                );
                let input = &input;
            }
        });
        quote! {
            /// Sends `input` as [`send`](Self::send) would, for the waiters that poll the
            /// operation.
            pub(crate) async fn poll(
                handle: &::awsquery::client::Handle<T>,
                input: &#input,
            ) -> Result<#output, ::awsquery::client::SdkError<#model::error::#error>> {
                #fresh_tokens
                #call
            }
        }
    });
    quote! {
        #docs
        #[derive(Debug)]
        pub struct #name<T> {
            handle: ::std::sync::Arc<::awsquery::client::Handle<T>>,
            input: #input,
        }

        impl<T: ::awsquery::transport::Transport> #name<T> {
            pub(crate) fn new(handle: ::std::sync::Arc<::awsquery::client::Handle<T>>) -> Self {
                #name { handle, input: Default::default() }
            }

            #poll

            #(#setters)*

            /// The input as built so far.
            pub fn as_input(&self) -> &#input {
                &self.input
            }

            /// Sends the request. A missing required member fails here, before any I/O.
            pub async fn send(#mutability self) -> Result<#output, ::awsquery::client::SdkError<#model::error::#error>> {
                #fill_tokens
                #invoke_self
            }

            #paginator
        }
    }
}

/// The setters of an input's members, on a builder holding the input in `self.input`.
/// A setter per member, storing into `holder` (`self.input`), and `set_*` for optional members.
pub(super) fn setters(
    paths: &Paths,
    service: &Service,
    members: &[Member],
    holder: &TokenStream,
) -> Vec<TokenStream> {
    members
        .iter()
        .map(|m| {
            let f = ident(&m.field);
            let set = ident(&m.set_fn);
            let value = paths.value_type(service, &m.target);
            let fallback = format!("Sets `{}`.", m.name);
            let docs = doc_attrs(Some(m.docs.as_deref().unwrap_or(&fallback)));
            let set_doc = doc_attrs(Some(&format!("Sets or clears `{}`.", m.name)));
            let wrap = |v: TokenStream| {
                if m.boxed { quote!(Box::new(#v)) } else { v }
            };
            let converted = wrap(quote!(value.into()));
            if m.optional {
                let stored = if m.boxed {
                    quote!(value.map(Box::new))
                } else {
                    quote!(value)
                };
                quote! {
                    #docs
                    pub fn #f(mut self, value: impl Into<#value>) -> Self {
                        #holder.#f = Some(#converted);
                        self
                    }
                    #set_doc
                    pub fn #set(mut self, value: Option<#value>) -> Self {
                        #holder.#f = #stored;
                        self
                    }
                }
            } else {
                quote! {
                    #docs
                    pub fn #f(mut self, value: impl Into<#value>) -> Self {
                        #holder.#f = #converted;
                        self
                    }
                }
            }
        })
        .collect()
}
