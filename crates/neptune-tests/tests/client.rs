//! The generated client driven through an in-memory transport: what it sends (signed) and how it
//! reports each kind of failure.

use std::sync::Mutex;

use awsquery::http::{Request, Response};
use awsquery::transport::TransportErrorKind;
use awsquery_testing::client::CapturingTransport;
use neptune_client::error::FailoverGlobalClusterError;
use neptune_client::{Client, Config, Credentials, SdkError, Transport, TransportError};
use neptune_tests::{
    NOT_FOUND_404, SECRET, SUCCESS_200, TARGET_ARN, block_on, pinned_clock, pinned_config,
};

const SDK_BODY: &str = "Action=FailoverGlobalCluster&Version=2014-10-31&GlobalClusterIdentifier=my-global&TargetDbClusterIdentifier=arn%3Aaws%3Ards%3Aus-west-2%3A123456789012%3Acluster%3Asecondary";

/// Refuses every connection, counting the attempts.
#[derive(Debug, Default)]
struct Refusing {
    attempts: Mutex<usize>,
}

impl Transport for &Refusing {
    async fn send(&self, _request: Request) -> Result<Response, TransportError> {
        *self.attempts.lock().unwrap() += 1;
        Err(TransportError::new(
            TransportErrorKind::Connect,
            "connection refused",
        ))
    }

    async fn sleep(&self, _duration: std::time::Duration) {}
}

/// The hex signature at the end of an `Authorization` value.
fn signature_of(authorization: &str) -> &str {
    let (_, signature) = authorization
        .rsplit_once(", Signature=")
        .expect("a signature");
    assert_eq!(signature.len(), 64, "{authorization}");
    assert!(signature.bytes().all(|b| b.is_ascii_hexdigit()));
    signature
}

fn header_names(request: &Request) -> Vec<&str> {
    request.headers.iter().map(|(name, _)| *name).collect()
}

/// `request` without its `amz-sdk-invocation-id`, the one header that differs from call to call.
fn without_invocation_id(mut request: Request) -> Request {
    let before = request.headers.len();
    request
        .headers
        .retain(|(name, _)| *name != "amz-sdk-invocation-id");
    assert_eq!(request.headers.len(), before - 1, "one invocation id");
    request
}

#[test]
fn failover_succeeds_and_sends_a_signed_request() {
    let transport = CapturingTransport::new(
        Response::new(200, SUCCESS_200).with_header("x-amzn-requestid", "a1b2c3"),
    );
    let client = Client::new(pinned_config(), &transport);
    let output = block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
    .expect("a success");
    let cluster = output.global_cluster.expect("a global cluster");
    assert_eq!(
        cluster.global_cluster_identifier.as_deref(),
        Some("my-global")
    );
    assert_eq!(cluster.global_cluster_members.map(|m| m.len()), Some(2));

    let request = transport.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.uri, "https://rds.us-east-1.amazonaws.com/");
    assert_eq!(
        header_names(&request),
        [
            "content-type",
            "content-length",
            "host",
            "x-amz-date",
            "authorization",
            "user-agent",
            "x-amz-user-agent",
            "amz-sdk-invocation-id",
            "amz-sdk-request"
        ]
    );
    assert_eq!(request.header("amz-sdk-request"), Some("attempt=1; max=3"));
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(request.header("host"), Some("rds.us-east-1.amazonaws.com"));
    assert_eq!(request.header("x-amz-date"), Some("20150830T123600Z"));
    let authorization = request.header("authorization").expect("signed");
    assert!(
        authorization.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/rds/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date, Signature="
        ),
        "{authorization}"
    );
    assert_eq!(request.body, SDK_BODY.as_bytes());

    let signature = signature_of(authorization);
    // Computed apart from this crate, by following the SigV4 steps by hand on this request.
    assert_eq!(
        signature,
        "d8bd42aaef93674b824e8d8ad26322f4fd1ee05d8f353a31465745068d2de290"
    );
    let printed = format!("{request:?}");
    assert!(!printed.contains(SECRET), "{printed}");
    assert!(!printed.contains(signature), "{printed}");
    assert!(printed.contains("** redacted **"), "{printed}");
    let printed_config = format!("{:?}", client.config());
    assert!(!printed_config.contains(SECRET), "{printed_config}");
    assert!(printed_config.contains("AKIDEXAMPLE"), "{printed_config}");
    let printed_client = format!("{client:?}");
    assert!(!printed_client.contains(SECRET), "{printed_client}");
    assert!(!printed_client.contains(signature), "{printed_client}");

    // The user agent names the platform, which differs between machines: checked on its own
    // (`the_user_agent_names_neptune_and_the_client_version`), left out of the snapshot, as is the
    // invocation id, random.
    let mut request = without_invocation_id(request);
    request
        .headers
        .retain(|(name, _)| !name.ends_with("user-agent"));
    insta::assert_snapshot!(format!("{request:#?}"));
}

#[test]
fn the_user_agent_names_neptune_and_the_client_version() {
    let manifest = include_str!("../../neptune-client/Cargo.toml");
    let version = manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("the client crate's version");
    let transport = CapturingTransport::new(Response::new(200, SUCCESS_200));
    let config = pinned_config()
        .with_app_id(awsquery::user_agent::AppId::new("failover-drill").expect("a valid id"));
    let client = Client::new(config, &transport);
    block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
    .expect("a success");
    let request = transport.only_request();
    let user_agent = request.header("user-agent").expect("a user agent");
    assert_eq!(request.header("x-amz-user-agent"), Some(user_agent));
    assert!(user_agent.starts_with("awsquery/"), "{user_agent}");
    assert!(
        user_agent.contains(&format!(" ua/2.1 api/neptune#{version} os/")),
        "{user_agent}"
    );
    assert!(user_agent.ends_with(" app/failover-drill"), "{user_agent}");
}

#[test]
fn signing_is_deterministic_with_a_pinned_clock() {
    let send = || {
        let transport = CapturingTransport::new(Response::new(200, SUCCESS_200));
        let client = Client::new(pinned_config(), &transport);
        block_on(
            client
                .failover_global_cluster()
                .global_cluster_identifier("my-global")
                .target_db_cluster_identifier(TARGET_ARN)
                .send(),
        )
        .expect("a success");
        without_invocation_id(transport.only_request())
    };
    let (first, second) = (send(), send());
    assert_eq!(first, second);

    let transport = CapturingTransport::new(Response::new(200, SUCCESS_200));
    let client = Client::new(pinned_config(), &transport);
    block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("other-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
    .expect("a success");
    let other = transport.only_request();
    assert_ne!(
        signature_of(other.header("authorization").unwrap()),
        signature_of(first.header("authorization").unwrap()),
        "the body is signed"
    );
}

#[test]
fn missing_required_member_is_a_build_error_and_sends_nothing() {
    let transport = CapturingTransport::new(Response::new(200, SUCCESS_200));
    let client = Client::new(pinned_config(), &transport);
    let error = block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .send(),
    )
    .expect_err("TargetDbClusterIdentifier is missing");
    match &error {
        SdkError::Build(e) => assert_eq!(
            *e,
            awsquery::BuildError::missing(
                "FailoverGlobalClusterInput",
                "TargetDbClusterIdentifier"
            )
        ),
        other => panic!("expected a build error, got {other:#?}"),
    }
    assert_eq!(
        error.to_string(),
        "the request cannot be built: `FailoverGlobalClusterInput` is missing its required member `TargetDbClusterIdentifier`"
    );
    assert!(error.service_error().is_none());
    assert!(transport.requests().is_empty(), "nothing may be sent");

    let error = block_on(
        client
            .failover_global_cluster()
            .target_db_cluster_identifier(TARGET_ARN)
            .set_global_cluster_identifier(None)
            .send(),
    )
    .expect_err("GlobalClusterIdentifier is missing");
    assert!(
        matches!(
            error,
            SdkError::Build(awsquery::BuildError::MissingMember {
                member: "GlobalClusterIdentifier",
                ..
            })
        ),
        "{error:#?}"
    );
    assert!(transport.requests().is_empty(), "nothing may be sent");
}

#[test]
fn not_found_is_a_service_error() {
    let transport = CapturingTransport::new(Response::new(404, NOT_FOUND_404));
    let client = Client::new(pinned_config(), &transport);
    let error = block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
    .expect_err("a 404");
    let text = error.to_string();
    assert!(text.contains("GlobalClusterNotFoundFault"), "{text}");
    assert!(
        text.contains("Global cluster my-global not found"),
        "{text}"
    );
    match &error {
        SdkError::Service(FailoverGlobalClusterError::GlobalClusterNotFoundFault(e)) => {
            assert_eq!(e.message(), Some("Global cluster my-global not found"));
            assert_eq!(e.meta.status, 404);
            assert_eq!(e.meta.request_id(), Some("d4e5f6"));
        }
        other => panic!("expected GlobalClusterNotFoundFault, got {other:#?}"),
    }
    assert!(std::error::Error::source(&error).is_some());
    assert_eq!(transport.requests().len(), 1);
}

/// The helpers aws-sdk-rust users reach for: `is_*` on the error enums, `as_service_error`,
/// `code`, `message` and `request_id` on `SdkError`, and `map_service_error`.
#[test]
fn errors_answer_is_and_as_questions_and_carry_code_message_and_request_id() {
    use neptune_client::ProvideErrorMetadata;

    let transport = CapturingTransport::new(Response::new(404, NOT_FOUND_404));
    let client = Client::new(pinned_config(), &transport);
    let error = block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
    .expect_err("a 404");
    assert!(error.is_service_error());
    assert!(!error.is_timeout());
    assert!(error.as_transport_error().is_none());
    assert_eq!(error.code(), Some("GlobalClusterNotFoundFault"));
    assert_eq!(error.message(), Some("Global cluster my-global not found"));
    assert_eq!(error.request_id(), Some("d4e5f6"));
    assert_eq!(error.meta().map(|m| m.status), Some(404));
    let service = error.as_service_error().expect("the service's error");
    assert!(service.is_global_cluster_not_found_fault());
    assert!(!service.is_db_cluster_not_found_fault());
    assert!(!service.is_invalid_global_cluster_state_fault());
    // Through the trait, as generic code reads any operation's error.
    assert_eq!(
        ProvideErrorMetadata::code(service),
        Some("GlobalClusterNotFoundFault")
    );
    assert_eq!(
        neptune_client::RequestId::request_id(service),
        Some("d4e5f6")
    );

    let service_wide = error.map_service_error(neptune_model::error::Error::from);
    assert!(matches!(
        service_wide.as_service_error(),
        Some(neptune_model::error::Error::GlobalClusterNotFoundFault(_))
    ));
    assert_eq!(service_wide.request_id(), Some("d4e5f6"));

    // A call that got no answer has no code, message or request id.
    let refusing = Refusing::default();
    let client = Client::new(pinned_config(), &refusing);
    let error = block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
    .expect_err("no connection");
    assert!(!error.is_service_error());
    assert!(!error.is_timeout());
    assert_eq!(
        error.as_transport_error().map(TransportError::kind),
        Some(TransportErrorKind::Connect)
    );
    assert_eq!((error.code(), error.message()), (None, None));
    assert_eq!(error.request_id(), None);
}

/// The id AWS gave a successful call, from the header or else the body.
#[test]
fn outputs_carry_the_request_id() {
    let with_header = CapturingTransport::new(
        Response::new(200, SUCCESS_200).with_header("x-amzn-requestid", "hdr-1"),
    );
    let from_body = CapturingTransport::new(Response::new(200, SUCCESS_200));
    for (transport, expected) in [(&with_header, "hdr-1"), (&from_body, "a1b2c3")] {
        let client = Client::new(pinned_config(), transport);
        let output = block_on(
            client
                .failover_global_cluster()
                .global_cluster_identifier("my-global")
                .target_db_cluster_identifier(TARGET_ARN)
                .send(),
        )
        .expect("a success");
        assert_eq!(output.request_id(), Some(expected));
    }
}

#[test]
fn service_error_converts_to_the_service_wide_error() {
    let transport = CapturingTransport::new(Response::new(404, NOT_FOUND_404));
    let client = Client::new(pinned_config(), &transport);
    let error = block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
    .expect_err("a 404")
    .into_service_error()
    .expect("a service error");
    let service_wide = neptune_model::error::Error::from(error);
    match &service_wide {
        neptune_model::error::Error::GlobalClusterNotFoundFault(e) => {
            assert_eq!(e.message(), Some("Global cluster my-global not found"));
        }
        other => panic!("expected GlobalClusterNotFoundFault, got {other:#?}"),
    }
    assert_eq!(service_wide.meta().request_id(), Some("d4e5f6"));
    assert_eq!(
        service_wide.to_string(),
        "GlobalClusterNotFoundFault: Global cluster my-global not found"
    );

    let unhandled = FailoverGlobalClusterError::from(awsquery::Unhandled::new(
        awsquery::ErrorMetadata::with_status(503),
    ));
    let service_wide: neptune_model::error::Error = unhandled.into();
    assert!(
        matches!(service_wide, neptune_model::error::Error::Unhandled(_)),
        "{service_wide:#?}"
    );
    assert_eq!(service_wide.meta().status, 503);
}

#[test]
fn session_token_is_signed_and_redacted() {
    const TOKEN: &str = "FQoGZXIvYXdzEXAMPLESESSIONTOKEN";
    let config = Config::new(
        "us-east-1",
        Credentials::new("AKIDEXAMPLE", SECRET, Some(String::from(TOKEN))),
    )
    .with_clock(pinned_clock);
    let transport = CapturingTransport::new(Response::new(200, SUCCESS_200));
    let client = Client::new(config, &transport);
    block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
    .expect("a success");

    let request = transport.only_request();
    assert_eq!(request.header("x-amz-security-token"), Some(TOKEN));
    let authorization = request.header("authorization").expect("signed");
    assert!(
        authorization.contains(
            "SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token,"
        ),
        "{authorization}"
    );
    let signature = signature_of(authorization);
    // Computed apart from this crate, by following the SigV4 steps by hand on this request.
    assert_eq!(
        signature,
        "d1ee2e765f142d24c3bac69dfa9e6c91bc62b4454b0eea6da56e877440f3c2ed"
    );
    let printed = format!("{request:?}");
    assert!(!printed.contains(TOKEN), "{printed}");
    assert!(!printed.contains(signature), "{printed}");
    assert!(!printed.contains(SECRET), "{printed}");
    assert!(printed.contains("x-amz-security-token"), "{printed}");
    let printed_config = format!("{:?}", client.config());
    assert!(!printed_config.contains(TOKEN), "{printed_config}");
    assert!(!printed_config.contains(SECRET), "{printed_config}");
}

#[test]
fn endpoint_url_override() {
    let transport = CapturingTransport::new(Response::new(200, SUCCESS_200));
    let client = Client::new(
        pinned_config().with_endpoint_url("http://127.0.0.1:5000"),
        &transport,
    );
    assert_eq!(
        client.config().endpoint_url(),
        Some("http://127.0.0.1:5000")
    );
    block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
    .expect("a success");
    let request = transport.only_request();
    assert_eq!(request.uri, "http://127.0.0.1:5000/");
    assert_eq!(request.header("host"), Some("127.0.0.1:5000"));
    assert!(
        request
            .header("authorization")
            .is_some_and(|a| a.contains("/us-east-1/rds/aws4_request")),
        "moto routes by the credential scope: {request:?}"
    );
}

#[test]
fn endpoint_url_with_a_trailing_slash() {
    let transport = CapturingTransport::new(Response::new(200, SUCCESS_200));
    let client = Client::new(
        pinned_config().with_endpoint_url("http://localhost:4566/"),
        &transport,
    );
    block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
    .expect("a success");
    let request = transport.only_request();
    assert_eq!(request.uri, "http://localhost:4566/");
    assert_eq!(request.header("host"), Some("localhost:4566"));
}

#[test]
fn endpoint_url_with_a_default_port() {
    let transport = CapturingTransport::new(Response::new(200, SUCCESS_200));
    let client = Client::new(
        pinned_config().with_endpoint_url("https://neptune.example.com:443"),
        &transport,
    );
    block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
    .expect("a success");
    let request = transport.only_request();
    assert_eq!(request.uri, "https://neptune.example.com:443/");
    assert_eq!(request.header("host"), Some("neptune.example.com"));
}

#[test]
fn china_regions_use_their_own_domain() {
    let transport = CapturingTransport::new(Response::new(200, SUCCESS_200));
    let config = Config::new("cn-north-1", Credentials::new("AKIDEXAMPLE", SECRET, None))
        .with_clock(pinned_clock);
    let client = Client::new(config, &transport);
    block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
    .expect("a success");
    let request = transport.only_request();
    assert_eq!(request.uri, "https://rds.cn-north-1.amazonaws.com.cn/");
    assert!(
        request
            .header("authorization")
            .is_some_and(|a| a.contains("/20150830/cn-north-1/rds/aws4_request")),
        "{request:?}"
    );
}

#[test]
fn transport_error_surfaces_as_such() {
    let transport = Refusing::default();
    let client = Client::new(pinned_config(), &transport);
    let error = block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
    .expect_err("no connection");
    match &error {
        SdkError::Transport(e) => {
            assert_eq!(e.kind(), TransportErrorKind::Connect);
            assert_eq!(e.to_string(), "could not connect: connection refused");
        }
        other => panic!("expected a transport error, got {other:#?}"),
    }
    assert_eq!(
        error.to_string(),
        "the request was not answered: could not connect: connection refused"
    );
    assert!(error.service_error().is_none());
    assert_eq!(
        *transport.attempts.lock().unwrap(),
        3,
        "a refused connection is tried three times (standard retry mode)"
    );
}

#[test]
fn html_500_is_an_unhandled_service_error() {
    let transport = CapturingTransport::new(Response::new(
        500,
        include_bytes!("data/failover_global_cluster_not_implemented.response.body").as_slice(),
    ));
    let client = Client::new(pinned_config(), &transport);
    let error = block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
    .expect_err("moto does not implement FailoverGlobalCluster");
    match error.service_error() {
        Some(FailoverGlobalClusterError::Unhandled(e)) => {
            assert_eq!(e.meta().status, 500);
            assert!(
                e.meta()
                    .message()
                    .is_some_and(|m| m.contains("500 Internal Server Error")),
                "{e:?}"
            );
        }
        other => panic!("expected Unhandled, got {other:#?}"),
    }
}

#[test]
fn clones_share_the_transport() {
    let transport = CapturingTransport::new(Response::new(200, SUCCESS_200));
    let client = Client::new(pinned_config(), &transport);
    let clone = client.clone();
    for c in [&client, &clone] {
        block_on(
            c.failover_global_cluster()
                .global_cluster_identifier("my-global")
                .target_db_cluster_identifier(TARGET_ARN)
                .allow_data_loss(true)
                .send(),
        )
        .expect("a success");
    }
    let requests: Vec<Request> = transport
        .requests()
        .into_iter()
        .map(without_invocation_id)
        .collect();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0], requests[1]);
    assert!(
        std::str::from_utf8(&requests[0].body)
            .unwrap()
            .ends_with("&AllowDataLoss=true")
    );
}
