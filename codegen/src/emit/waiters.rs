//! The client crate's `src/waiters.rs`: service customizations that poll until a state is reached.
//! Only Neptune's failover waiter exists; the file is generated when lowering found its shapes.

use proc_macro2::TokenStream;
use quote::quote;

use super::Paths;
use crate::ir::{FailoverWaiter, Service, Step};
use crate::naming::ident;

/// `src/waiters.rs`, when the service has a waiter: the model's (`smithy.waiters#waitable`) and
/// the customization's.
pub fn file(service: &Service) -> Option<TokenStream> {
    let customized = service.customizations.failover_waiter.as_ref();
    if customized.is_none() && service.waiters.is_empty() {
        return None;
    }
    let failover = customized.map(|waiter| failover(service, waiter));
    let modeled = super::waitable::items(service);
    Some(quote! {
        //! Waiters: poll the service until a resource reaches a state, with Smithy's backoff
        //! between polls (see `awsquery::waiter`).
        #modeled
        #failover
    })
}

/// The `Client` methods that start the waiters.
pub fn client_methods(service: &Service) -> TokenStream {
    let modeled = super::waitable::client_methods(service);
    if service.customizations.failover_waiter.is_none() {
        return modeled;
    }
    quote! {
        #modeled

        /// Waits until a failover or switchover started by `FailoverGlobalCluster` has finished: the
        /// target DB cluster is the writer of the global database, and the global database's status
        /// is `available`. It polls `DescribeGlobalClusters`; see
        /// [`WaitUntilFailoverComplete`](waiters::WaitUntilFailoverComplete).
        pub fn wait_until_failover_complete(&self) -> waiters::WaitUntilFailoverComplete<'_, T> {
            waiters::WaitUntilFailoverComplete::new(&self.handle)
        }
    }
}

fn failover(service: &Service, w: &FailoverWaiter) -> TokenStream {
    let paths = Paths::new();
    let op = service
        .operations
        .iter()
        .find(|op| op.id == w.operation)
        .expect("lowering found the operation");
    let protocol = ident(&service.crates.protocol.ident);
    let op_name = ident(&op.type_name);
    let op_error = ident(&op.error_enum);
    let input = paths.named(service.shape(&op.input));
    let output = paths.named(service.shape(&op.output));
    let cluster = paths.named(service.shape(&w.cluster));
    let not_found_shape = service.shape(&w.not_found);
    let not_found = paths.named(not_found_shape);
    let not_found_variant = ident(&not_found_shape.rust_name);
    let input_identifier = ident(&w.input_identifier.field);
    let clusters = list(quote!(output), &w.clusters, true);
    let cluster_identifier = string(quote!(cluster), &w.cluster_identifier);
    let status = string(quote!(cluster), &w.status);
    let members = list(quote!(cluster), &w.members, false);
    let member_arn = string(quote!(member), &w.member_arn);
    let is_writer = {
        let f = ident(&w.member_is_writer.field);
        if w.member_is_writer.optional {
            quote!(member.#f == ::std::option::Option::Some(true))
        } else {
            quote!(member.#f)
        }
    };
    let by_arn = w.cluster_arn.as_ref().map(|arn| {
        let arn = string(quote!(cluster), arn);
        quote!(|| #arn == ::std::option::Option::Some(identifier))
    });
    let describe_failed = format!("{} failed: {{error}}", op.name);
    quote! {
        /// Waits until a failover or switchover of a global database has finished; made by
        /// [`Client::wait_until_failover_complete`](crate::Client::wait_until_failover_complete).
        ///
        /// Each poll is a `DescribeGlobalClusters` call for the global database. The wait succeeds,
        /// returning the global database as last described, once the member whose `DBClusterArn`
        /// is the target is the writer (`IsWriter`) and the status is `available`. Any other status
        /// (`failing-over`, `modifying`, or one this version does not know) means polling on. It
        /// fails if the global database disappears (`GlobalClusterNotFoundFault`, or absent from the
        /// answer) or a call fails for another reason (after the client's own retries), and times
        /// out with the last state seen.
        ///
        /// Polls are spaced as Smithy waiters space them: at random between a minimum and a
        /// doubling ceiling, 5 s and 60 s unless [`delays`](Self::delays) says otherwise.
        #[derive(Debug)]
        pub struct WaitUntilFailoverComplete<'a, T> {
            handle: &'a ::awsquery::client::Handle<T>,
            global_cluster_identifier: ::std::option::Option<::std::string::String>,
            target_db_cluster_identifier: ::std::option::Option<::std::string::String>,
            waiter: ::awsquery::waiter::Waiter,
        }

        impl<'a, T: ::awsquery::transport::Transport> WaitUntilFailoverComplete<'a, T> {
            /// The shortest wait between two polls, unless set with [`delays`](Self::delays).
            pub const MIN_DELAY: ::std::time::Duration = ::std::time::Duration::from_secs(5);
            /// The longest wait between two polls, unless set with [`delays`](Self::delays).
            pub const MAX_DELAY: ::std::time::Duration = ::std::time::Duration::from_secs(60);

            pub(crate) fn new(handle: &'a ::awsquery::client::Handle<T>) -> Self {
                WaitUntilFailoverComplete {
                    handle,
                    global_cluster_identifier: ::std::option::Option::None,
                    target_db_cluster_identifier: ::std::option::Option::None,
                    waiter: ::awsquery::waiter::Waiter::new(::awsquery::waiter::Delays::new(
                        Self::MIN_DELAY,
                        Self::MAX_DELAY,
                    )),
                }
            }

            /// The global database being failed over: its identifier (compared without regard to
            /// case) or its ARN. Required.
            pub fn global_cluster_identifier(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.global_cluster_identifier = ::std::option::Option::Some(value.into());
                self
            }

            /// The ARN of the DB cluster that is to become the writer: the `TargetDbClusterIdentifier`
            /// given to `FailoverGlobalCluster`. Required.
            pub fn target_db_cluster_identifier(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.target_db_cluster_identifier = ::std::option::Option::Some(value.into());
                self
            }

            /// Waits between polls of at least `min` and at most `max`.
            pub fn delays(mut self, min: ::std::time::Duration, max: ::std::time::Duration) -> Self {
                self.waiter = ::awsquery::waiter::Waiter::new(::awsquery::waiter::Delays::new(min, max));
                self
            }

            /// Polls until the failover has finished, for at most `timeout`, and returns the global
            /// database as last described.
            pub async fn wait(
                self,
                timeout: ::std::time::Duration,
            ) -> ::std::result::Result<#cluster, ::awsquery::waiter::WaiterError<#cluster, FailoverWaitError>> {
                let ::std::option::Option::Some(identifier) = self.global_cluster_identifier else {
                    return ::std::result::Result::Err(::awsquery::waiter::WaiterError::Build(
                        ::awsquery_types::BuildError::missing("WaitUntilFailoverComplete", "GlobalClusterIdentifier"),
                    ));
                };
                let ::std::option::Option::Some(target) = self.target_db_cluster_identifier else {
                    return ::std::result::Result::Err(::awsquery::waiter::WaiterError::Build(
                        ::awsquery_types::BuildError::missing("WaitUntilFailoverComplete", "TargetDbClusterIdentifier"),
                    ));
                };
                let mut input = <#input as ::std::default::Default>::default();
                input.#input_identifier = ::std::option::Option::Some(identifier.clone());
                let handle = self.handle;
                let (input, identifier, target) = (&input, identifier.as_str(), target.as_str());
                self.waiter
                    .wait(handle.transport(), timeout, || async move {
                        let result = handle.invoke::<::#protocol::#op_name>(input).await;
                        failover_verdict(result, identifier, target)
                    })
                    .await
            }
        }

        /// Judges one `DescribeGlobalClusters` answer for [`WaitUntilFailoverComplete`].
        fn failover_verdict(
            result: ::std::result::Result<#output, ::awsquery::client::SdkError<crate::error::#op_error>>,
            identifier: &str,
            target: &str,
        ) -> ::awsquery::waiter::Verdict<#cluster, FailoverWaitError> {
            let output = match result {
                ::std::result::Result::Ok(output) => output,
                ::std::result::Result::Err(::awsquery::client::SdkError::Service(
                    crate::error::#op_error::#not_found_variant(fault),
                )) => {
                    return ::awsquery::waiter::Verdict::Failure(FailoverWaitError::GlobalClusterNotFound {
                        identifier: identifier.to_owned(),
                        fault: ::std::option::Option::Some(::std::boxed::Box::new(fault)),
                    });
                }
                ::std::result::Result::Err(error) => {
                    return ::awsquery::waiter::Verdict::Failure(FailoverWaitError::Describe(error));
                }
            };
            let found = #clusters.find(|cluster| {
                #cluster_identifier.is_some_and(|id| id.eq_ignore_ascii_case(identifier))
                    #by_arn
            });
            let ::std::option::Option::Some(cluster) = found else {
                return ::awsquery::waiter::Verdict::Failure(FailoverWaitError::GlobalClusterNotFound {
                    identifier: identifier.to_owned(),
                    fault: ::std::option::Option::None,
                });
            };
            let target_writes = #members.any(|member| {
                #member_arn == ::std::option::Option::Some(target) && #is_writer
            });
            if target_writes && #status == ::std::option::Option::Some("available") {
                ::awsquery::waiter::Verdict::Success(cluster)
            } else {
                ::awsquery::waiter::Verdict::Retry(::std::option::Option::Some(cluster))
            }
        }

        /// Why [`WaitUntilFailoverComplete`] stopped before the failover finished.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum FailoverWaitError {
            /// The global database does not exist (any more): the service said so, or it was not
            /// in the answer.
            GlobalClusterNotFound {
                /// The identifier waited for.
                identifier: ::std::string::String,
                /// The service's fault, when it answered with one.
                fault: ::std::option::Option<::std::boxed::Box<#not_found>>,
            },
            /// A `DescribeGlobalClusters` call failed for another reason.
            Describe(::awsquery::client::SdkError<crate::error::#op_error>),
        }

        impl ::std::fmt::Display for FailoverWaitError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::GlobalClusterNotFound { identifier, .. } => {
                        write!(f, "the global cluster `{identifier}` was not found")
                    }
                    Self::Describe(error) => write!(f, #describe_failed),
                }
            }
        }

        impl ::std::error::Error for FailoverWaitError {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Self::GlobalClusterNotFound { fault, .. } => {
                        fault.as_deref().map(|f| f as &(dyn ::std::error::Error + 'static))
                    }
                    Self::Describe(error) => ::std::option::Option::Some(error),
                }
            }
        }
    }
}

/// `Option<&str>` of a string field, optional or not.
fn string(value: TokenStream, step: &Step) -> TokenStream {
    let f = ident(&step.field);
    if step.optional {
        quote!(#value.#f.as_deref())
    } else {
        quote!(::std::option::Option::Some(#value.#f.as_str()))
    }
}

/// An iterator over a list field, optional or not: by value (`owned`) or by reference.
fn list(value: TokenStream, step: &Step, owned: bool) -> TokenStream {
    let f = ident(&step.field);
    match (step.optional, owned) {
        (true, true) => quote!(#value.#f.into_iter().flatten()),
        (true, false) => quote!(#value.#f.iter().flatten()),
        (false, true) => quote!(#value.#f.into_iter()),
        (false, false) => quote!(#value.#f.iter()),
    }
}
