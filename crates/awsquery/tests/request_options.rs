//! Host prefixes and request compression through `Handle::invoke_with`, with a hand-written
//! operation standing in for a generated one.

use awsquery::Unhandled;
use awsquery::client::{Handle, RequestOptions, SdkError};
use awsquery::compression::{Encoding, RequestCompression};
use awsquery::error::{BuildError, ErrorMetadata};
use awsquery::http::{Request, Response};
use awsquery_protocol::host_prefix::Segment;
use awsquery_protocol::operation::Operation;
use awsquery_protocol::query::QueryWriter;
use awsquery_testing::client::{CapturingTransport, block_on, config, decoded_body, uri_path};

mod probe;
use probe::{ProbeError, SERVICE};

/// `Put`: one string member, `Label`, and a `Data` payload, sent as `Action=Put`.
struct Put;

#[derive(Debug, Default)]
struct PutInput {
    label: Option<String>,
    data: String,
}

impl Operation for Put {
    const NAME: &'static str = "Put";
    type Input = PutInput;
    type Output = ();
    type Error = ProbeError;

    fn serialize(input: &PutInput) -> Result<Request, BuildError> {
        let mut body = String::new();
        let mut writer = QueryWriter::new(&mut body, "Put", "2020-01-08");
        match &input.label {
            Some(label) => writer.string("", "Label", label),
            None => return Err(BuildError::missing("PutInput", "Label")),
        }
        writer.string("", "Data", &input.data);
        Ok(Request::form_post(body))
    }

    fn deserialize(response: &Response) -> Result<(), ProbeError> {
        if response.is_success() {
            Ok(())
        } else {
            Err(ProbeError(Unhandled::new(ErrorMetadata::with_status(
                response.status,
            ))))
        }
    }
}

fn input(label: &str, data_len: usize) -> PutInput {
    PutInput {
        label: Some(label.to_owned()),
        data: "x".repeat(data_len),
    }
}

fn prefix(input: &PutInput) -> [Segment<'_>; 3] {
    [
        Segment::Text("foo."),
        Segment::Label {
            shape: "PutInput",
            member: "Label",
            value: input.label.as_deref(),
        },
        Segment::Text("."),
    ]
}

/// Sends `input` through a fresh handle on `config`, returning the result and what was sent.
fn send(
    config: awsquery::client::Config,
    input: &PutInput,
    options: RequestOptions<'_>,
) -> (Result<(), SdkError<ProbeError>>, Vec<Request>) {
    let transport = CapturingTransport::new(Response::new(200, ""));
    let handle = Handle::new(config, SERVICE, &transport);
    let result = block_on(handle.invoke_with::<Put>(input, options));
    (result, transport.requests())
}

#[test]
fn the_prefix_goes_before_the_endpoint_host_and_is_signed() {
    let input = input("bar", 3);
    let segments = prefix(&input);
    let (result, requests) = send(
        config("https://example.com/custom"),
        &input,
        RequestOptions::new().host_prefix(&segments),
    );
    result.expect("the call succeeds");
    let [request] = requests.as_slice() else {
        panic!("{requests:#?}")
    };
    assert_eq!(request.uri, "https://foo.bar.example.com/custom/");
    assert_eq!(uri_path(&request.uri), "/custom/");
    assert_eq!(request.header("host"), Some("foo.bar.example.com"));
    let authorization = request.header("authorization").expect("signed");
    assert!(authorization.contains("SignedHeaders=content-length;content-type;host;x-amz-date"));
    let body = String::from_utf8_lossy(&request.body);
    assert!(
        body.contains("Label=bar"),
        "the label is still serialized: {body}"
    );
}

#[test]
fn injection_can_be_turned_off() {
    let input = input("not a host label", 3);
    let segments = prefix(&input);
    let (result, requests) = send(
        config("https://example.com").with_host_prefix_injection(false),
        &input,
        RequestOptions::new().host_prefix(&segments),
    );
    result.expect("an invalid label does not matter when prefixes are off");
    assert_eq!(requests[0].uri, "https://example.com/");
    assert_eq!(requests[0].header("host"), Some("example.com"));
}

#[test]
fn an_invalid_label_fails_before_any_io() {
    for (label, problem) in [("", "is empty"), ("a/b", "character other than")] {
        let input = input(label, 3);
        let segments = prefix(&input);
        let (result, requests) = send(
            config("https://example.com"),
            &input,
            RequestOptions::new().host_prefix(&segments),
        );
        match result {
            Err(SdkError::Build(BuildError::InvalidHostLabel {
                shape,
                member,
                problem: found,
            })) => {
                assert_eq!((shape, member), ("PutInput", "Label"));
                assert!(found.contains(problem), "{found}");
            }
            other => panic!("{label:?}: {other:?}"),
        }
        assert!(requests.is_empty(), "nothing is sent: {requests:#?}");
    }
    let missing = PutInput::default();
    let segments = prefix(&missing);
    let (result, requests) = send(
        config("https://example.com"),
        &missing,
        RequestOptions::new().host_prefix(&segments),
    );
    assert!(
        matches!(
            result,
            Err(SdkError::Build(BuildError::MissingMember {
                member: "Label",
                ..
            }))
        ),
        "{result:?}"
    );
    assert!(requests.is_empty());
}

#[test]
fn a_large_body_is_compressed_before_signing() {
    let input = input("bar", 20_000);
    let (result, requests) = send(
        config("https://example.com"),
        &input,
        RequestOptions::new().compression(Encoding::Gzip),
    );
    result.expect("the call succeeds");
    let request = &requests[0];
    assert_eq!(request.header("content-encoding"), Some("gzip"));
    assert!(request.body.len() < 1_000, "{} bytes", request.body.len());
    assert_eq!(
        request.header("content-length"),
        Some(request.body.len().to_string().as_str()),
        "the length sent and signed is the compressed body's"
    );
    let plain = decoded_body(request);
    assert!(plain.starts_with(b"Action=Put&Version=2020-01-08&Label=bar&Data=xxx"));
    assert_eq!(
        plain.len(),
        20_000 + "Action=Put&Version=2020-01-08&Label=bar&Data=".len()
    );

    // The signature covers the compressed bytes: signing them again gives the same header (the
    // headers added after signing left out).
    let mut resigned = request.clone();
    resigned.headers.retain(|(name, _)| {
        !matches!(
            *name,
            "authorization"
                | "x-amz-date"
                | "user-agent"
                | "x-amz-user-agent"
                | "amz-sdk-invocation-id"
                | "amz-sdk-request"
        )
    });
    let config = config("https://example.com");
    let params = awsquery::sigv4::SigningParams {
        credentials: config.credentials().expect("static credentials"),
        region: "us-east-1",
        service: "probe",
        time: awsquery::DateTime::from_secs(1_440_938_160),
    };
    awsquery::sigv4::sign(&mut resigned, &params);
    assert_eq!(
        resigned.header("authorization"),
        request.header("authorization")
    );
}

#[test]
fn compression_follows_the_configuration() {
    let small = input("bar", 10);
    let (_, requests) = send(
        config("https://example.com"),
        &small,
        RequestOptions::new().compression(Encoding::Gzip),
    );
    assert_eq!(requests[0].header("content-encoding"), None);

    let every = RequestCompression::new()
        .with_min_size(0)
        .expect("in range");
    let (_, requests) = send(
        config("https://example.com").with_request_compression(every),
        &small,
        RequestOptions::new().compression(Encoding::Gzip),
    );
    assert_eq!(requests[0].header("content-encoding"), Some("gzip"));

    let large = input("bar", 20_000);
    let off = RequestCompression::new().with_disabled(true);
    let (_, requests) = send(
        config("https://example.com").with_request_compression(off),
        &large,
        RequestOptions::new().compression(Encoding::Gzip),
    );
    assert_eq!(requests[0].header("content-encoding"), None);
    assert_eq!(decoded_body(&requests[0]).len(), requests[0].body.len());

    let (_, requests) = send(config("https://example.com"), &large, RequestOptions::new());
    assert_eq!(
        requests[0].header("content-encoding"),
        None,
        "no compression without the trait"
    );
}
