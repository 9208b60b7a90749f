//! A paginator sends each page as `send()` sends a single call: with the operation's host
//! prefix, its labels read from the input. A hand-written operation stands in for a generated one.

use awsquery::client::{Handle, SdkError};
use awsquery::error::BuildError;
use awsquery::http::{Request, Response};
use awsquery::paginator::Paginate;
use awsquery_protocol::host_prefix::Segment;
use awsquery_protocol::operation::Operation;
use awsquery_protocol::query::QueryWriter;
use awsquery_testing::client::{CapturingTransport, block_on, config};

mod probe;
use probe::{ProbeError, SERVICE};

/// `List`: pages of a shard, the shard in the host; every answer says `NextToken=t`.
struct List;

#[derive(Debug, Default)]
struct ListInput {
    shard: Option<String>,
    token: Option<String>,
}

impl Operation for List {
    const NAME: &'static str = "List";
    type Input = ListInput;
    type Output = String;
    type Error = ProbeError;

    fn serialize(input: &ListInput) -> Result<Request, BuildError> {
        let mut body = String::new();
        let mut writer = QueryWriter::new(&mut body, "List", "2020-01-08");
        if let Some(token) = &input.token {
            writer.string("", "NextToken", token);
        }
        Ok(Request::form_post(body))
    }

    /// The body is the next token.
    fn deserialize(response: &Response) -> Result<String, ProbeError> {
        Ok(String::from_utf8_lossy(&response.body).into_owned())
    }
}

impl Paginate for List {
    fn token(input: &ListInput) -> Option<&str> {
        input.token.as_deref()
    }

    fn set_token(input: &mut ListInput, token: Option<String>) {
        input.token = token;
    }

    fn next_token(output: &String) -> Option<&str> {
        Some(output)
    }

    fn host_prefix(input: &ListInput) -> Vec<Segment<'_>> {
        Vec::from([
            Segment::Label {
                shape: "ListInput",
                member: "Shard",
                value: input.shard.as_deref(),
            },
            Segment::Text(".pages."),
        ])
    }
}

#[test]
fn every_page_goes_to_the_prefixed_host() {
    let transport = CapturingTransport::new(Response::new(200, "t"));
    let handle = std::sync::Arc::new(Handle::new(
        config("https://example.com"),
        SERVICE,
        &transport,
    ));
    let input = ListInput {
        shard: Some(String::from("s7")),
        token: None,
    };
    let mut pages = awsquery::paginator::Paginator::<_, List>::new(handle, input);
    block_on(pages.next_page())
        .unwrap()
        .expect("the first page");
    block_on(pages.next_page())
        .unwrap()
        .expect("the second page");
    // The second page repeats the token it was asked with, which ends the paging.
    assert!(matches!(
        block_on(pages.next_page()),
        Some(Err(SdkError::Pagination(_)))
    ));
    let requests = transport.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.uri, "https://s7.pages.example.com/");
        assert_eq!(request.header("host"), Some("s7.pages.example.com"));
    }
    assert!(String::from_utf8_lossy(&requests[1].body).ends_with("&NextToken=t"));
}

#[test]
fn an_invalid_label_fails_the_page_before_any_io() {
    let transport = CapturingTransport::new(Response::new(200, "t"));
    let handle = std::sync::Arc::new(Handle::new(
        config("https://example.com"),
        SERVICE,
        &transport,
    ));
    let input = ListInput {
        shard: Some(String::from("not a host label")),
        token: None,
    };
    let mut pages = awsquery::paginator::Paginator::<_, List>::new(handle, input);
    let error = block_on(pages.next_page())
        .expect("a result")
        .expect_err("bad label");
    assert!(
        matches!(error, awsquery::client::SdkError::Build(_)),
        "{error:?}"
    );
    assert!(block_on(pages.next_page()).is_none());
    assert!(transport.requests().is_empty());
}
