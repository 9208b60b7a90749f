//! Where the client sends: the endpoint its rules resolve from the configuration, the overrides
//! from code and from the environment in their order, and resolution errors reported before
//! anything is sent.

use std::sync::Mutex;

use awsquery::client::Handle;
use awsquery::endpoint::{Document, Endpoint, EndpointError, EndpointErrorKind};
use awsquery::env::Env;
use awsquery::http::{Request, Response};
use neptune_client::{Client, Config, Credentials, SdkError, Transport, TransportError};
use neptune_tests::{SECRET, SUCCESS_200, TARGET_ARN, block_on, pinned_clock, pinned_config};

/// Answers every request with the captured success and keeps the requests.
#[derive(Debug, Default)]
struct Recorder {
    requests: Mutex<Vec<Request>>,
}

impl Recorder {
    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

impl Transport for &Recorder {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        self.requests.lock().unwrap().push(request);
        Ok(Response::new(200, SUCCESS_200))
    }

    async fn sleep(&self, _duration: std::time::Duration) {}
}

fn config(region: &str) -> Config {
    Config::new(region, Credentials::new("AKIDEXAMPLE", SECRET, None)).with_clock(pinned_clock)
}

/// Sends one FailoverGlobalCluster through a client made from `config`.
fn call(
    config: Config,
    transport: &Recorder,
) -> Result<(), SdkError<neptune_client::error::FailoverGlobalClusterError>> {
    let client = Client::new(config, transport);
    block_on(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    )
    .map(|_| ())
}

/// The URI, host and credential scope of the one request a successful call sent.
fn sent(config: Config) -> (String, String, String) {
    let transport = Recorder::default();
    call(config, &transport).expect("a success");
    let requests = transport.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    let request = &requests[0];
    let authorization = request.header("authorization").expect("signed");
    let scope = authorization
        .split_once("Credential=AKIDEXAMPLE/20150830/")
        .and_then(|(_, rest)| rest.split_once("/aws4_request"))
        .map(|(scope, _)| scope.to_owned())
        .expect("a credential scope");
    (
        request.uri.clone(),
        request.header("host").expect("a host header").to_owned(),
        scope,
    )
}

/// The endpoint error a call reports, having sent nothing.
fn endpoint_error(config: Config) -> EndpointError {
    let transport = Recorder::default();
    let error = call(config, &transport).expect_err("no endpoint");
    assert!(transport.requests().is_empty(), "something was sent");
    match error {
        SdkError::Endpoint(e) => e,
        other => panic!("expected an endpoint error, got {other:?}"),
    }
}

fn uri(config: Config) -> String {
    sent(config).0
}

#[test]
fn the_rules_choose_the_regional_endpoint() {
    assert_eq!(
        sent(config("eu-west-1")),
        (
            String::from("https://rds.eu-west-1.amazonaws.com/"),
            String::from("rds.eu-west-1.amazonaws.com"),
            String::from("eu-west-1/rds"),
        )
    );
    assert_eq!(
        uri(config("cn-northwest-1")),
        "https://rds.cn-northwest-1.amazonaws.com.cn/"
    );
    assert_eq!(
        uri(config("us-iso-east-1")),
        "https://rds.us-iso-east-1.c2s.ic.gov/"
    );
    // A region newer than the partition table falls in its partition by pattern.
    assert_eq!(
        uri(config("eu-south-7")),
        "https://rds.eu-south-7.amazonaws.com/"
    );
}

#[test]
fn fips_and_dual_stack_endpoints() {
    assert_eq!(
        uri(config("us-east-1").with_use_fips(true)),
        "https://rds-fips.us-east-1.amazonaws.com/"
    );
    assert_eq!(
        uri(config("us-east-1").with_use_dual_stack(true)),
        "https://rds.us-east-1.api.aws/"
    );
    assert_eq!(
        uri(config("us-east-1")
            .with_use_fips(true)
            .with_use_dual_stack(true)),
        "https://rds-fips.us-east-1.api.aws/"
    );
    assert_eq!(
        uri(config("cn-north-1").with_use_dual_stack(true)),
        "https://rds.cn-north-1.api.amazonwebservices.com.cn/"
    );
    // Neptune's rules keep GovCloud's FIPS traffic on the regular host name.
    let (uri, _, scope) = sent(config("us-gov-west-1").with_use_fips(true));
    assert_eq!(uri, "https://rds.us-gov-west-1.amazonaws.com/");
    assert_eq!(scope, "us-gov-west-1/rds");
}

#[test]
fn the_client_shows_its_endpoint() {
    let transport = Recorder::default();
    let client = Client::new(pinned_config(), &transport);
    assert_eq!(
        client.endpoint(),
        Ok(&Endpoint::new("https://rds.us-east-1.amazonaws.com"))
    );
    let client = Client::new(config(""), &transport);
    let error = client.endpoint().expect_err("no region");
    assert_eq!(error.message(), "Invalid Configuration: Missing Region");
}

#[test]
fn overrides_in_order() {
    let env = |pairs: &[(&str, &str)]| Env::from_pairs(pairs);
    let service = ("AWS_ENDPOINT_URL_NEPTUNE", "http://service.example:4566");
    let generic = ("AWS_ENDPOINT_URL", "http://generic.example:4566");
    let ignore = ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");

    // Code wins over both variables, whatever the order of the calls.
    let in_code = config("us-east-1")
        .with_endpoint_env(env(&[service, generic]))
        .with_endpoint_url("http://code.example:4566");
    assert_eq!(uri(in_code), "http://code.example:4566/");
    let in_code = config("us-east-1")
        .with_endpoint_url("http://code.example:4566")
        .with_endpoint_env(env(&[service, generic, ignore]));
    assert_eq!(uri(in_code), "http://code.example:4566/");

    let (uri_sent, host, scope) =
        sent(config("eu-west-2").with_endpoint_env(env(&[service, generic])));
    assert_eq!(uri_sent, "http://service.example:4566/");
    assert_eq!(host, "service.example:4566");
    assert_eq!(
        scope, "eu-west-2/rds",
        "a custom endpoint keeps the region's scope"
    );

    assert_eq!(
        uri(config("us-east-1").with_endpoint_env(env(&[generic]))),
        "http://generic.example:4566/"
    );
    assert_eq!(
        uri(config("us-east-1").with_endpoint_env(env(&[service, generic, ignore]))),
        "https://rds.us-east-1.amazonaws.com/"
    );
    // Another service's variable is not Neptune's.
    let other = ("AWS_ENDPOINT_URL_RDS", "http://rds.example");
    assert_eq!(
        uri(config("us-east-1").with_endpoint_env(env(&[other]))),
        "https://rds.us-east-1.amazonaws.com/"
    );
    // Without `with_endpoint_env`, the environment plays no part.
    assert_eq!(
        uri(config("us-east-1")),
        "https://rds.us-east-1.amazonaws.com/"
    );
}

#[test]
fn flags_from_the_environment() {
    let env = Env::from_pairs(&[
        ("AWS_USE_FIPS_ENDPOINT", "true"),
        ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
    ]);
    assert_eq!(
        uri(config("us-west-2").with_endpoint_env(env.clone())),
        "https://rds-fips.us-west-2.api.aws/"
    );
    let refused_in_code = config("us-west-2")
        .with_use_dual_stack(false)
        .with_endpoint_env(env);
    assert_eq!(
        uri(refused_in_code),
        "https://rds-fips.us-west-2.amazonaws.com/"
    );
}

#[test]
fn what_the_partition_lacks_is_an_error_before_sending() {
    let error = endpoint_error(config("us-iso-east-1").with_use_dual_stack(true));
    assert_eq!(error.kind(), EndpointErrorKind::Rule);
    assert_eq!(
        error.message(),
        "DualStack is enabled but this partition does not support DualStack"
    );
    let error = endpoint_error(
        config("us-isob-east-1")
            .with_use_fips(true)
            .with_use_dual_stack(true),
    );
    assert_eq!(
        error.message(),
        "FIPS and DualStack are enabled, but this partition does not support one or both"
    );
}

#[test]
fn a_missing_region_is_an_error_before_sending() {
    let error = endpoint_error(config(""));
    assert_eq!(error.message(), "Invalid Configuration: Missing Region");
    let transport = Recorder::default();
    let printed = call(config(" "), &transport)
        .expect_err("no region")
        .to_string();
    assert_eq!(
        printed,
        "no endpoint for the request: Invalid Configuration: Missing Region"
    );
}

#[test]
fn a_custom_endpoint_refuses_fips_and_dual_stack() {
    let error = endpoint_error(
        pinned_config()
            .with_endpoint_url("http://localhost:4566")
            .with_use_fips(true),
    );
    assert_eq!(
        error.message(),
        "Invalid Configuration: FIPS and custom endpoint are not supported"
    );
    let env = Env::from_pairs(&[
        ("AWS_ENDPOINT_URL", "http://localhost:4566"),
        ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
    ]);
    let error = endpoint_error(pinned_config().with_endpoint_env(env));
    assert_eq!(
        error.message(),
        "Invalid Configuration: Dualstack and custom endpoint are not supported"
    );
}

#[test]
fn invalid_settings_are_errors_before_sending() {
    let error = endpoint_error(pinned_config().with_endpoint_url("localhost:4566"));
    assert_eq!(error.kind(), EndpointErrorKind::Configuration);
    assert!(error.message().contains("`localhost:4566`"), "{error}");
    let env = Env::from_pairs(&[("AWS_ENDPOINT_URL_NEPTUNE", "https://:443")]);
    let error = endpoint_error(pinned_config().with_endpoint_env(env));
    assert!(
        error.message().contains("from `AWS_ENDPOINT_URL_NEPTUNE`")
            && error.message().ends_with("it has no host"),
        "{error}"
    );
    let env = Env::from_pairs(&[("AWS_USE_FIPS_ENDPOINT", "on")]);
    let error = endpoint_error(pinned_config().with_endpoint_env(env));
    assert_eq!(
        error.message(),
        "`AWS_USE_FIPS_ENDPOINT` is `on`; expected `true` or `false`"
    );
}

/// An endpoint's `sigv4` auth scheme sets the signing region and name, and its headers are sent
/// (and signed).
#[test]
fn auth_scheme_and_headers_of_the_endpoint() {
    let service = awsquery::client::ServiceInfo {
        resolve_endpoint: |builtins| {
            let region = builtins.region.clone().unwrap_or_default();
            Ok(
                Endpoint::new(format!("https://global.example.com/{region}/"))
                    .with_header("x-route", "blue")
                    .with_property(
                        "authSchemes",
                        Document::array([
                            Document::object([
                                ("name", Document::from("sigv4a")),
                                ("signingName", Document::from("not-this")),
                            ]),
                            Document::object([
                                ("name", Document::from("sigv4")),
                                ("signingName", Document::from("neptune-db")),
                                ("signingRegion", Document::from("us-west-2")),
                            ]),
                        ]),
                    ),
            )
        },
        ..neptune_client::SERVICE
    };
    let transport = Recorder::default();
    let handle = Handle::new(pinned_config(), service, &transport);
    let mut input = neptune_model::types::FailoverGlobalClusterInput::default();
    input.global_cluster_identifier = Some(String::from("my-global"));
    input.target_db_cluster_identifier = Some(String::from(TARGET_ARN));
    block_on(handle.invoke::<neptune_protocol::FailoverGlobalCluster>(&input)).expect("a success");
    let requests = transport.requests();
    let request = &requests[0];
    assert_eq!(request.uri, "https://global.example.com/us-east-1/");
    assert_eq!(request.header("x-route"), Some("blue"));
    let authorization = request.header("authorization").expect("signed");
    assert!(
        authorization.contains("/20150830/us-west-2/neptune-db/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date;x-route,"),
        "{authorization}"
    );
}
