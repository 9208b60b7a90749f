//! Page-by-page iteration over an operation with `smithy.api#paginated`, with no stream crate.
//!
//! The generated protocol crate implements [`Paginate`] (where the tokens are) and, when the trait
//! names the items, [`PaginateItems`] for such an operation; the generated client's
//! `into_paginator()` gives a [`Paginator`]:
//!
//! ```ignore
//! let mut pages = client.describe_global_clusters().max_records(20).into_paginator();
//! while let Some(page) = pages.next_page().await {
//!     let page = page?;
//!     // …
//! }
//! ```
//!
//! [`Paginator::items`] flattens the pages into their items. Both are plain `async fn next` loops: a
//! program that wants a `Stream` can wrap them in one with the stream crate it already uses.

use std::fmt;

pub use awsquery_protocol::paginate::{Paginate, PaginateItems};

use crate::client::{Handle, RequestOptions, SdkError};
use crate::transport::Transport;

/// Sends one request per page, passing each page's token on to the next request.
///
/// Made by the generated builders' `into_paginator()`. The input set on the builder is sent with
/// every request (a page size, for instance); only the token changes. Paging stops after a page
/// without a token, with an empty token, or with the same token that was sent for it (a guard the
/// AWS SDKs have against a service that would otherwise be asked for the same page forever), and
/// after an error.
pub struct Paginator<'a, T, O: Paginate> {
    handle: &'a Handle<T>,
    input: O::Input,
    done: bool,
}

impl<'a, T: Transport, O: Paginate> Paginator<'a, T, O> {
    /// Pages through `O`'s results for `input`, starting at the token `input` carries, if any.
    pub fn new(handle: &'a Handle<T>, input: O::Input) -> Self {
        Paginator {
            handle,
            input,
            done: false,
        }
    }

    /// Sends the request for the next page and returns the page; `None` once paging has stopped.
    ///
    /// Each request carries the operation's host prefix and compression, as `send()` would. An
    /// error is returned once, and ends the paging: the next call returns `None`. Requests are
    /// retried inside the call as the client's retry configuration says.
    pub async fn next_page(&mut self) -> Option<Result<O::Output, SdkError<O::Error>>> {
        if self.done {
            return None;
        }
        let host_prefix = O::host_prefix(&self.input);
        let mut options = RequestOptions::new().host_prefix(&host_prefix);
        if let Some(encoding) = O::COMPRESSION {
            options = options.compression(encoding);
        }
        let output = match self.handle.invoke_with::<O>(&self.input, options).await {
            Ok(output) => output,
            Err(error) => {
                self.done = true;
                return Some(Err(error));
            }
        };
        match O::next_token(&output) {
            Some(next) if !next.is_empty() && O::token(&self.input) != Some(next) => {
                O::set_token(&mut self.input, Some(next.to_owned()));
            }
            _ => self.done = true,
        }
        Some(Ok(output))
    }

    /// The token the next request will carry: `None` before a first page requested without a
    /// starting token, and once paging has stopped.
    pub fn next_token(&self) -> Option<&str> {
        if self.done {
            None
        } else {
            O::token(&self.input)
        }
    }

    /// Whether paging has stopped.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The items of every page, one at a time.
    pub fn items(self) -> Items<'a, T, O>
    where
        O: PaginateItems,
    {
        Items {
            pages: self,
            current: None,
        }
    }
}

impl<T, O: Paginate> fmt::Debug for Paginator<'_, T, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &O::NAME)
            .field("token", &O::token(&self.input))
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// The items of a [`Paginator`]'s pages, one at a time; requests are sent as the items run out.
pub struct Items<'a, T, O: PaginateItems> {
    pages: Paginator<'a, T, O>,
    current: Option<<O::Items as IntoIterator>::IntoIter>,
}

/// The item type of an operation's pages.
pub type Item<O> = <<O as PaginateItems>::Items as IntoIterator>::Item;

impl<T: Transport, O: PaginateItems> Items<'_, T, O> {
    /// The next item, fetching pages (and skipping empty ones) as needed; `None` after the last.
    ///
    /// An error is returned once, and ends the items.
    pub async fn next(&mut self) -> Option<Result<Item<O>, SdkError<O::Error>>> {
        loop {
            if let Some(item) = self.current.as_mut().and_then(Iterator::next) {
                return Some(Ok(item));
            }
            match self.pages.next_page().await? {
                Ok(page) => self.current = Some(O::items(page).into_iter()),
                Err(error) => return Some(Err(error)),
            }
        }
    }

    /// Every remaining item, in order, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<Item<O>>, SdkError<O::Error>> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }
}

impl<T, O: PaginateItems> fmt::Debug for Items<'_, T, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .finish_non_exhaustive()
    }
}
