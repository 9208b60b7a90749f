//! The model crate's `src/json.rs`, compiled with its `json` feature: `awsquery_types::json::ToJson` for
//! every structure, union and enum, printing what the AWS CLI v2 prints with `--output json`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Paths, union_unknown, union_variant};
use crate::ir::{Member, Module, Scalar, Service, ShapeKind, Structure};
use crate::naming::ident;

/// `src/json.rs`.
pub fn file(service: &Service) -> TokenStream {
    let paths = Paths::new();
    let impls = service
        .shapes
        .values()
        .filter(|shape| shape.module != Module::None)
        .map(|shape| {
            let ty = paths.named(shape);
            match &shape.kind {
                ShapeKind::Structure(s) => structure(service, &ty, &s.members),
                ShapeKind::Union(u) => union(service, &ty, u),
                ShapeKind::Enum(_) => string_enum(&ty),
                ShapeKind::IntEnum(_) => int_enum(&ty),
                _ => TokenStream::new(),
            }
        });
    quote! {
        //! `awsquery_types::json::ToJson` for every structure, union and enum: the AWS CLI's JSON, with
        //! the model's member names as keys, in model order, and unset members left out.
        #![allow(deprecated)]
        #(#impls)*
    }
}

/// Whether a member holds a big number kept as text (`bigInteger`, `bigDecimal`).
fn is_big_number(service: &Service, member: &Member) -> bool {
    matches!(
        service.shape(&member.target).kind,
        ShapeKind::Scalar(Scalar::BigInteger | Scalar::BigDecimal)
    )
}

fn structure(service: &Service, ty: &TokenStream, members: &[Member]) -> TokenStream {
    let writes = members.iter().map(|m| {
        let f = ident(&m.field);
        let key = &m.name;
        let value = match (is_big_number(service, m), m.optional) {
            (false, _) => quote!(&self.#f),
            (true, true) => quote!(&self.#f.as_deref().map(::awsquery_types::json::NumberText)),
            (true, false) => quote!(&::awsquery_types::json::NumberText(&self.#f)),
        };
        quote!(w.member(#key, #value);)
    });
    quote! {
        impl ::awsquery_types::json::ToJson for #ty {
            fn write_json(&self, w: &mut ::awsquery_types::json::JsonWriter) {
                w.begin_object();
                #(#writes)*
                w.end_object();
            }
        }
    }
}

fn union(service: &Service, ty: &TokenStream, u: &Structure) -> TokenStream {
    let unknown = ident(union_unknown(u));
    let arms = u.members.iter().map(|m| {
        let v = ident(union_variant(m));
        let key = &m.name;
        let value = if is_big_number(service, m) {
            quote!(&::awsquery_types::json::NumberText(value))
        } else {
            quote!(value)
        };
        quote!(Self::#v(value) => w.member(#key, #value),)
    });
    quote! {
        impl ::awsquery_types::json::ToJson for #ty {
            fn write_json(&self, w: &mut ::awsquery_types::json::JsonWriter) {
                w.begin_object();
                match self {
                    #(#arms)*
                    Self::#unknown => {}
                }
                w.end_object();
            }
        }
    }
}

fn string_enum(ty: &TokenStream) -> TokenStream {
    quote! {
        impl ::awsquery_types::json::ToJson for #ty {
            fn write_json(&self, w: &mut ::awsquery_types::json::JsonWriter) {
                w.string(self.as_str());
            }
        }
        impl ::awsquery_types::json::JsonKey for #ty {
            fn json_key(&self) -> &str {
                self.as_str()
            }
        }
    }
}

fn int_enum(ty: &TokenStream) -> TokenStream {
    quote! {
        impl ::awsquery_types::json::ToJson for #ty {
            fn write_json(&self, w: &mut ::awsquery_types::json::JsonWriter) {
                w.integer(i64::from(self.value()));
            }
        }
    }
}
