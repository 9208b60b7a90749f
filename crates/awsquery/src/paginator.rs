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
//! program that wants a `Stream` can wrap them in one with the stream crate it already uses. A
//! paginator owns its handle to the client, so it can move into a spawned task.

use std::collections::HashSet;
use std::error::Error as StdError;
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;

pub use awsquery_protocol::paginate::{Paginate, PaginateItems};

use crate::client::{Handle, RequestOptions, SdkError};
use crate::transport::Transport;

/// The most pages a [`Paginator`] requests for one listing unless told otherwise.
pub const DEFAULT_MAX_PAGES: u32 = 10_000;

/// Why a [`Paginator`] stopped before the service said the listing was complete.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaginationError {
    /// A page's next token is one this listing has already sent: asking for it again would
    /// repeat pages, possibly forever.
    RepeatedToken {
        /// The token, as the service sent it.
        token: String,
    },
    /// The listing reached the paginator's page limit and the service still had more.
    TooManyPages {
        /// The limit ([`DEFAULT_MAX_PAGES`] unless set with [`Paginator::max_pages`]).
        limit: u32,
    },
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaginationError::RepeatedToken { token } => write!(
                f,
                "the same next token was received twice: `{}`",
                awsquery_types::text::printable(token, awsquery_types::text::MAX_NAME_CHARS)
            ),
            PaginationError::TooManyPages { limit } => write!(
                f,
                "the listing has more than {limit} pages, the paginator's limit"
            ),
        }
    }
}

impl StdError for PaginationError {}

/// Sends one request per page, passing each page's token on to the next request.
///
/// Made by the generated builders' `into_paginator()`. The input set on the builder is sent with
/// every request (a page size, for instance); only the token changes. Paging ends after a page
/// without a token or with an empty token, and after an error. Two guards keep a service that
/// never stops handing out tokens from holding the caller forever: a next token that this listing
/// has already sent, and a listing longer than [`max_pages`](Self::max_pages) pages, each end the
/// paging with [`SdkError::Pagination`] after the pages already returned.
///
/// The paginator owns a handle to the client (the client's `Arc`), so it can be moved into a
/// spawned task: `tokio::spawn(async move { paginator.next_page().await })`.
pub struct Paginator<T, O: Paginate> {
    handle: Arc<Handle<T>>,
    input: O::Input,
    done: bool,
    /// The error to return on the next call, the last page having been returned.
    pending: Option<PaginationError>,
    /// Keyed hashes of the tokens sent so far: eight bytes a page, whatever the tokens' size.
    sent: HashSet<u64>,
    hasher: RandomState,
    pages: u32,
    max_pages: u32,
}

impl<T: Transport, O: Paginate + 'static> Paginator<T, O> {
    /// Pages through `O`'s results for `input`, starting at the token `input` carries, if any.
    pub fn new(handle: Arc<Handle<T>>, input: O::Input) -> Self {
        Paginator {
            handle,
            input,
            done: false,
            pending: None,
            sent: HashSet::new(),
            hasher: RandomState::new(),
            pages: 0,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }

    /// Requests at most `pages` pages ([`DEFAULT_MAX_PAGES`] unless set); a listing that goes on
    /// past them ends with [`PaginationError::TooManyPages`].
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.max_pages = pages;
        self
    }

    /// Sends the request for the next page and returns the page; `None` once paging has stopped.
    ///
    /// Each request carries the operation's host prefix and compression, as `send()` would. An
    /// error is returned once, and ends the paging: the next call returns `None`. Requests are
    /// retried inside the call as the client's retry configuration says.
    pub async fn next_page(&mut self) -> Option<Result<O::Output, SdkError<O::Error>>> {
        if let Some(error) = self.pending.take() {
            self.done = true;
            return Some(Err(SdkError::Pagination(error)));
        }
        if self.done {
            return None;
        }
        if self.pages >= self.max_pages {
            self.done = true;
            return Some(Err(SdkError::Pagination(PaginationError::TooManyPages {
                limit: self.max_pages,
            })));
        }
        self.pages += 1;
        if let Some(token) = O::token(&self.input) {
            self.sent.insert(self.hasher.hash_one(token));
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
            Some(next) if !next.is_empty() => {
                if self.sent.contains(&self.hasher.hash_one(next)) {
                    self.pending = Some(PaginationError::RepeatedToken {
                        token: next.to_owned(),
                    });
                } else {
                    O::set_token(&mut self.input, Some(next.to_owned()));
                }
            }
            _ => self.done = true,
        }
        Some(Ok(output))
    }

    /// The token the next request will carry: `None` before a first page requested without a
    /// starting token, and once paging has stopped or is about to stop with an error.
    pub fn next_token(&self) -> Option<&str> {
        if self.done || self.pending.is_some() {
            None
        } else {
            O::token(&self.input)
        }
    }

    /// Whether paging has stopped: `false` while an error is still to be returned.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The items of every page, one at a time.
    pub fn items(self) -> Items<T, O>
    where
        O: PaginateItems,
    {
        Items {
            pages: self,
            current: None,
        }
    }
}

impl<T, O: Paginate> fmt::Debug for Paginator<T, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &O::NAME)
            .field("token", &O::token(&self.input))
            .field("done", &self.done)
            .field("pages", &self.pages)
            .field("max_pages", &self.max_pages)
            .finish_non_exhaustive()
    }
}

/// The items of a [`Paginator`]'s pages, one at a time; requests are sent as the items run out.
pub struct Items<T, O: PaginateItems> {
    pages: Paginator<T, O>,
    current: Option<<O::Items as IntoIterator>::IntoIter>,
}

/// The item type of an operation's pages.
pub type Item<O> = <<O as PaginateItems>::Items as IntoIterator>::Item;

impl<T: Transport, O: PaginateItems + 'static> Items<T, O> {
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

impl<T, O: PaginateItems> fmt::Debug for Items<T, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .finish_non_exhaustive()
    }
}
