//! The waiters of `smithy.waiters#waitable`, in the client crate's `src/waiters.rs`: one builder per
//! waiter and one function judging a poll, its acceptors in model order, their paths compiled to
//! plain Rust by lowering.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Paths, doc_attrs};
use crate::ir::Service;
use crate::ir::ShapeKind;
use crate::ir::waitable::{
    AcceptorState, Access, Condition, Expr, Item, Matcher, Ordering, Truth, Waiter,
};
use crate::naming::ident;

/// The builders and verdict functions of every waiter.
pub fn items(service: &Service) -> TokenStream {
    let waiters = service.waiters.iter().map(|w| waiter(service, w));
    quote!(#(#waiters)*)
}

/// The `Client` methods that start the waiters.
pub fn client_methods(service: &Service) -> TokenStream {
    let methods = service.waiters.iter().map(|w| {
        let f = ident(&w.fn_name);
        let ty = ident(&w.type_name);
        let op = service
            .operations
            .iter()
            .find(|op| op.id == w.operation)
            .expect("lowering found the operation");
        let mut text = format!(
            "Waits with the `{}` waiter of `{}`; see [`{}`](waiters::{}).",
            w.name, op.name, w.type_name, w.type_name
        );
        if let Some(docs) = &w.docs {
            text = format!("{docs}\n\n{text}");
        }
        let docs = doc_attrs(Some(&text));
        let deprecated = w
            .deprecated
            .then(|| quote!(#[deprecated(note = "the waiter is deprecated in the service model")]));
        quote! {
            #docs
            #deprecated
            pub fn #f(&self) -> waiters::#ty<T> {
                waiters::#ty::new(::std::sync::Arc::clone(&self.handle))
            }
        }
    });
    quote!(#(#methods)*)
}

fn waiter(service: &Service, w: &Waiter) -> TokenStream {
    let paths = Paths::new();
    let op = service
        .operations
        .iter()
        .find(|op| op.id == w.operation)
        .expect("lowering found the operation");
    let input_shape = service.shape(&op.input);
    let input = paths.named(input_shape);
    let output = paths.named(service.shape(&op.output));
    let op_error = ident(&op.error_enum);
    let builder = ident(&op.type_name);
    let ty = ident(&w.type_name);
    let verdict_fn = ident(&w.verdict_fn);
    let name = &w.name;
    let (min, max) = (
        Literal::u64_unsuffixed(w.min_delay),
        Literal::u64_unsuffixed(w.max_delay),
    );
    let members = match &input_shape.kind {
        ShapeKind::Structure(s) => s.members.as_slice(),
        _ => &[],
    };
    let setters = super::client::setters(&paths, service, members, &quote!(self.input));
    let docs = doc_attrs(Some(&format!(
        "The `{name}` waiter: polls `{op}` until an acceptor says the wait is over; made by \
         [`Client::{f}`](crate::Client::{f}).\n\n\
         Set the input as for `{op}`, then call [`wait`](Self::wait) with the longest time to wait. \
         The acceptors are checked in model order after each poll; when none matches, an error \
         ends the wait and anything else means polling again. Polls are spaced as Smithy waiters \
         space them, between {min} s and {max} s unless [`delays`](Self::delays) says otherwise.",
        op = op.name,
        f = w.fn_name,
        min = w.min_delay,
        max = w.max_delay,
    )));
    let poll = quote!(::awsquery::waiter::FinalPoll<#output, ::awsquery::client::SdkError<crate::error::#op_error>>);
    let input_param = if w.uses_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    let verdict_docs = doc_attrs(Some(&format!(
        "Judges one poll of the `{name}` waiter: its acceptors in model order, then the implicit \
         ones (an error fails the wait, anything else polls again)."
    )));
    let acceptors = w.acceptors.iter().enumerate().map(|(i, a)| {
        let test = match &a.matcher {
            Matcher::Success(true) => quote!(poll.as_output().is_some()),
            Matcher::Success(false) => quote!(poll.as_error().is_some()),
            Matcher::ErrorCode(code) => quote! {
                poll.as_error()
                    .and_then(|error| error.service_error())
                    .is_some_and(|error| error.meta().code() == Some(#code))
            },
            Matcher::Output(c) | Matcher::InputOutput(c) => {
                let c = condition(c);
                quote!(poll.as_output().is_some_and(|output| { #c }))
            }
        };
        let i = Literal::usize_unsuffixed(i);
        let outcome = match a.state {
            AcceptorState::Success => quote!(::awsquery::waiter::Verdict::Success(poll)),
            AcceptorState::Failure => quote! {
                ::awsquery::waiter::Verdict::Failure(::awsquery::waiter::AcceptorFailure::matched(#name, #i, poll))
            },
            AcceptorState::Retry => quote!(::awsquery::waiter::Verdict::Retry(Some(poll))),
        };
        quote! {
            if #test {
                return #outcome;
            }
        }
    });
    quote! {
        #docs
        #[derive(Debug)]
        pub struct #ty<T> {
            handle: ::std::sync::Arc<::awsquery::client::Handle<T>>,
            input: #input,
            waiter: ::awsquery::waiter::Waiter,
        }

        impl<T: ::awsquery::transport::Transport> #ty<T> {
            /// The shortest wait between two polls (the waiter's `minDelay`), unless set with
            /// [`delays`](Self::delays).
            pub const MIN_DELAY: ::std::time::Duration = ::std::time::Duration::from_secs(#min);
            /// The longest wait between two polls (the waiter's `maxDelay`), unless set with
            /// [`delays`](Self::delays).
            pub const MAX_DELAY: ::std::time::Duration = ::std::time::Duration::from_secs(#max);

            pub(crate) fn new(handle: ::std::sync::Arc<::awsquery::client::Handle<T>>) -> Self {
                #ty {
                    handle,
                    input: Default::default(),
                    waiter: ::awsquery::waiter::Waiter::new(::awsquery::waiter::Delays::new(
                        Self::MIN_DELAY,
                        Self::MAX_DELAY,
                    )),
                }
            }

            #(#setters)*

            /// Waits between polls of at least `min` and at most `max`.
            pub fn delays(mut self, min: ::std::time::Duration, max: ::std::time::Duration) -> Self {
                self.waiter = ::awsquery::waiter::Waiter::new(::awsquery::waiter::Delays::new(min, max));
                self
            }

            /// Uses `waiter` for the delays between polls (its delays and jitter).
            pub fn waiter(mut self, waiter: ::awsquery::waiter::Waiter) -> Self {
                self.waiter = waiter;
                self
            }

            /// The input as built so far.
            pub fn as_input(&self) -> &#input {
                &self.input
            }

            /// Polls until an acceptor ends the wait, for at most `max_wait`, and returns what the
            /// last poll got back. The future owns the waiter, which holds a clone of the client:
            /// it can be spawned.
            pub async fn wait(
                self,
                max_wait: ::std::time::Duration,
            ) -> Result<#poll, ::awsquery::waiter::WaiterError<#poll, ::awsquery::waiter::AcceptorFailure<#output, ::awsquery::client::SdkError<crate::error::#op_error>>>> {
                let handle = &*self.handle;
                let input = &self.input;
                self.waiter
                    .wait(handle.transport(), max_wait, || async move {
                        let result = crate::fluent::#builder::poll(handle, input).await;
                        #verdict_fn(input, From::from(result))
                    })
                    .await
            }
        }

        #verdict_docs
        fn #verdict_fn(
            #input_param: &#input,
            poll: #poll,
        ) -> ::awsquery::waiter::Verdict<#poll, ::awsquery::waiter::AcceptorFailure<#output, ::awsquery::client::SdkError<crate::error::#op_error>>> {
            #(#acceptors)*
            match poll {
                ::awsquery::waiter::FinalPoll::Error(error) => {
                    ::awsquery::waiter::Verdict::Failure(::awsquery::waiter::AcceptorFailure::unmatched(#name, error))
                }
                poll => ::awsquery::waiter::Verdict::Retry(Some(poll)),
            }
        }
    }
}

/// Statements ending in whether the condition holds; the path's value is bound to `value` first,
/// since a path may print as a block.
fn condition(c: &Condition) -> TokenStream {
    let (e, test) = match c {
        Condition::StringEquals(e, text) => (e, quote!(value == Some(#text))),
        Condition::BooleanEquals(e, b) => (e, quote!(value == Some(#b))),
        Condition::AllStringEquals(e, text) => (
            e,
            quote!(value.is_some_and(|values| !values.is_empty() && values.iter().all(|v| *v == #text))),
        ),
        Condition::AnyStringEquals(e, text) => (
            e,
            quote!(value.is_some_and(|values| values.contains(&#text))),
        ),
    };
    let e = expr(e);
    quote! {
        let value = #e;
        #test
    }
}

/// The Rust expression, of type `Option<R>`.
fn expr(e: &Expr) -> TokenStream {
    match e {
        Expr::Var(name) => {
            let name = ident(name);
            quote!(Some(#name))
        }
        Expr::Field {
            of,
            field,
            optional,
            boxed,
            access,
        } => {
            let of = expr(of);
            let f = ident(field);
            match (access, optional) {
                (Access::Copy, true) => quote!(#of.and_then(|v| v.#f)),
                (Access::Copy, false) => quote!(#of.map(|v| v.#f)),
                (Access::Widen, true) => quote!(#of.and_then(|v| v.#f).map(|n| n as f64)),
                (Access::Widen, false) => quote!(#of.map(|v| v.#f as f64)),
                (Access::Str, true) => quote!(#of.and_then(|v| v.#f.as_deref())),
                (Access::EnumStr, true) => {
                    quote!(#of.and_then(|v| v.#f.as_ref()).map(|e| e.as_str()))
                }
                (Access::Str | Access::EnumStr, false) => quote!(#of.map(|v| v.#f.as_str())),
                (Access::Ref, true) if *boxed => quote!(#of.and_then(|v| v.#f.as_deref())),
                (Access::Ref, true) => quote!(#of.and_then(|v| v.#f.as_ref())),
                (Access::Ref, false) if *boxed => quote!(#of.map(|v| &*v.#f)),
                (Access::Ref, false) => quote!(#of.map(|v| &v.#f)),
                (Access::List(item), optional) => {
                    let list = if *optional {
                        quote!(#of.and_then(|v| v.#f.as_ref()))
                    } else {
                        quote!(#of.map(|v| &v.#f))
                    };
                    let items = items_of(item);
                    quote!(#list.map(|l| l.iter() #items .collect::<Vec<_>>()))
                }
            }
        }
        Expr::Flatten(of) => {
            let of = expr(of);
            quote!(#of.map(|l| l.into_iter().flatten().collect::<Vec<_>>()))
        }
        Expr::Project {
            of,
            var,
            filter,
            body,
        } => {
            let of = expr(of);
            let var = ident(var);
            let filter = filter.as_ref().map(|(cond, t)| {
                let cond = expr(cond);
                let test = truth(&quote!(value), *t);
                quote!(.filter(|#var| {
                    let #var = *#var;
                    let value = #cond;
                    #test
                }))
            });
            let body = body.as_ref().map(|body| {
                let body = expr(body);
                quote!(.filter_map(|#var| #body))
            });
            quote!(#of.map(|l| l.into_iter() #filter #body .collect::<Vec<_>>()))
        }
        Expr::String(s) => quote!(Some(#s)),
        Expr::Boolean(b) => quote!(Some(#b)),
        Expr::Number(n) => {
            let n = Literal::f64_suffixed(*n);
            quote!(Some(#n))
        }
        Expr::Equals {
            left,
            right,
            negated,
        } => {
            let (left, right) = (expr(left), expr(right));
            if *negated {
                quote!(Some(#left != #right))
            } else {
                quote!(Some(#left == #right))
            }
        }
        Expr::Order { op, left, right } => {
            let (left, right) = (expr(left), expr(right));
            let op = match op {
                Ordering::Less => quote!(<),
                Ordering::LessOrEqual => quote!(<=),
                Ordering::Greater => quote!(>),
                Ordering::GreaterOrEqual => quote!(>=),
            };
            quote!(#left.zip(#right).map(|(l, r)| l #op r))
        }
        Expr::And {
            left,
            right,
            truth: t,
        } => {
            let (left, right) = (expr(left), expr(right));
            let test = truth(&quote!(left), *t);
            quote!({
                let left = #left;
                if #test { #right } else { left }
            })
        }
        Expr::Or {
            left,
            right,
            truth: t,
        } => {
            let (left, right) = (expr(left), expr(right));
            let test = truth(&quote!(left), *t);
            quote!({
                let left = #left;
                if #test { left } else { #right }
            })
        }
        Expr::Not { of, truth: t } => {
            let test = falsity(&expr(of), *t);
            quote!(Some(#test))
        }
        Expr::Length { of, string } => {
            let of = expr(of);
            if *string {
                quote!(#of.map(|s| s.chars().count() as f64))
            } else {
                quote!(#of.map(|l| l.len() as f64))
            }
        }
        Expr::Contains {
            subject,
            search,
            string,
        } => {
            let (subject, search) = (expr(subject), expr(search));
            if *string {
                quote!(#subject.map(|s| #search.is_some_and(|x| s.contains(x))))
            } else {
                quote!(#subject.map(|l| #search.is_some_and(|x| l.contains(&x))))
            }
        }
    }
}

/// The iterator adapters turning a list's `&item`s into their representation.
fn items_of(item: &Item) -> TokenStream {
    match item {
        Item::Copy => quote!(.copied()),
        Item::Widen => quote!(.map(|x| *x as f64)),
        Item::Str => quote!(.map(|x| x.as_str())),
        Item::Ref => TokenStream::new(),
        Item::List(inner) => {
            let inner = items_of(inner);
            quote!(.map(|x| x.iter() #inner .collect::<Vec<_>>()))
        }
    }
}

/// Whether a value (an `Option<R>` expression) is true for JMESPath.
fn truth(value: &TokenStream, t: Truth) -> TokenStream {
    match t {
        Truth::Boolean => quote!(#value == Some(true)),
        Truth::NonEmpty => quote!(#value.as_ref().is_some_and(|v| !v.is_empty())),
        Truth::Present => quote!(#value.is_some()),
    }
}

/// Whether a value is false for JMESPath.
fn falsity(value: &TokenStream, t: Truth) -> TokenStream {
    match t {
        Truth::Boolean => quote!(#value != Some(true)),
        Truth::NonEmpty => quote!(#value.as_ref().is_none_or(|v| v.is_empty())),
        Truth::Present => quote!(#value.is_none()),
    }
}
