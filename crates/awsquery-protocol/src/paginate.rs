//! Where a paginated operation's tokens and items are (`smithy.api#paginated`): implemented by the
//! generated protocol crate, used by the client's paginators.

use crate::compression::Encoding;
use crate::host_prefix::Segment;
use crate::operation::Operation;

/// Where an operation's pagination tokens are: implemented by the generated protocol crate.
pub trait Paginate: Operation {
    /// The token the input carries (`Marker`), if set.
    fn token(input: &Self::Input) -> Option<&str>;

    /// Sets or clears the token the input carries.
    fn set_token(input: &mut Self::Input, token: Option<String>);

    /// The token an output gives for the next page, if any.
    fn next_token(output: &Self::Output) -> Option<&str>;

    /// The operation's host prefix, with its labels' values taken from `input`: none unless the
    /// operation has `smithy.api#endpoint`.
    fn host_prefix(input: &Self::Input) -> Vec<Segment<'_>> {
        let _ = input;
        Vec::new()
    }

    /// The encoding the operation's requests may be compressed with (`smithy.api#requestCompression`).
    const COMPRESSION: Option<Encoding> = None;
}

/// Where an operation's items are, for operations whose `paginated` trait names them.
pub trait PaginateItems: Paginate {
    /// The items of one page: a `Vec` for a list, a map for a map.
    type Items: IntoIterator;

    /// Takes the items out of a page; a page without them has none.
    fn items(output: Self::Output) -> Self::Items;
}
