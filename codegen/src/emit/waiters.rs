//! The client crate's `src/generated/waiters.rs`: the model's waiters (`smithy.waiters#waitable`),
//! printed by [`super::waitable`]. A waiter the model cannot express belongs in the client crate's
//! hand-written part.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Service;

/// `src/generated/waiters.rs`, when the model has waiters.
pub fn file(service: &Service) -> Option<TokenStream> {
    if service.waiters.is_empty() {
        return None;
    }
    let modeled = super::waitable::items(service);
    Some(quote! {
        //! Waiters: poll the service until a resource reaches a state, with Smithy's backoff
        //! between polls (see `awsquery::waiter`).
        #modeled
    })
}

/// The `Client` methods that start the waiters.
pub fn client_methods(service: &Service) -> TokenStream {
    super::waitable::client_methods(service)
}
