//! The STS client beyond the model's test cases: where the global endpoint setting sends and signs
//! requests, unsigned web identity calls from a configuration without credentials, and an error
//! the model does not describe.

use awsquery::endpoint::EndpointErrorKind;
use awsquery::env::Env;
use awsquery::http::{Request, Response};
use awsquery::sigv4::Credentials;
use awsquery_testing::client::{CapturingTransport, block_on};
use sts_client::error::AssumeRoleWithWebIdentityError;
use sts_client::{Client, Config, SdkError};

fn credentials() -> Credentials {
    Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    )
}

const CALLER: &str = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
    <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/alice</Arn>\
    <UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult>\
    </GetCallerIdentityResponse>";

/// Sends a GetCallerIdentity with `config` and returns the request that went out.
fn caller_request(config: Config) -> Request {
    let transport = CapturingTransport::new(Response::new(200, CALLER));
    let client = Client::new(config, &transport);
    let output = block_on(client.get_caller_identity().send()).expect("the call succeeds");
    assert_eq!(output.account.as_deref(), Some("123456789012"));
    transport.only_request()
}

/// The credential scope of the request's signature: `date/region/service/aws4_request`.
fn scope(request: &Request) -> &str {
    let authorization = request.header("authorization").expect("signed");
    let credential = authorization
        .split("Credential=AKIDEXAMPLE/")
        .nth(1)
        .expect("a credential");
    credential.split(',').next().expect("a scope")
}

#[test]
fn regions_stay_on_their_own_endpoint_by_default() {
    let request = caller_request(Config::new("eu-west-1", credentials()));
    assert_eq!(request.uri, "https://sts.eu-west-1.amazonaws.com/");
    assert!(
        scope(&request).ends_with("/eu-west-1/sts/aws4_request"),
        "{}",
        scope(&request)
    );
    let env = Env::from_pairs(&[("AWS_STS_REGIONAL_ENDPOINTS", "regional")]);
    let request = caller_request(Config::new("eu-west-1", credentials()).with_endpoint_env(env));
    assert_eq!(request.uri, "https://sts.eu-west-1.amazonaws.com/");
}

#[test]
fn the_global_endpoint_is_signed_for_us_east_1() {
    let from_code = Config::new("eu-west-1", credentials()).with_use_global_endpoint(true);
    let env = Env::from_pairs(&[("AWS_STS_REGIONAL_ENDPOINTS", "legacy")]);
    let from_env = Config::new("eu-west-1", credentials()).with_endpoint_env(env);
    for config in [from_code, from_env] {
        let request = caller_request(config);
        assert_eq!(request.uri, "https://sts.amazonaws.com/");
        assert!(
            scope(&request).ends_with("/us-east-1/sts/aws4_request"),
            "{}",
            scope(&request)
        );
    }

    // A Region that always had its own endpoint keeps it.
    let config = Config::new("af-south-1", credentials()).with_use_global_endpoint(true);
    let request = caller_request(config);
    assert_eq!(request.uri, "https://sts.af-south-1.amazonaws.com/");
    assert!(scope(&request).ends_with("/af-south-1/sts/aws4_request"));
}

#[test]
fn a_bad_regional_endpoints_value_names_the_variable_and_sends_nothing() {
    let env = Env::from_pairs(&[("AWS_STS_REGIONAL_ENDPOINTS", "global")]);
    let transport = CapturingTransport::new(Response::new(200, CALLER));
    let client = Client::new(
        Config::new("eu-west-1", credentials()).with_endpoint_env(env),
        &transport,
    );
    let error = client.endpoint().expect_err("the value is refused");
    assert_eq!(error.kind(), EndpointErrorKind::Configuration);
    assert!(
        error.message().contains("AWS_STS_REGIONAL_ENDPOINTS"),
        "{error}"
    );
    let result = block_on(client.get_caller_identity().send());
    assert!(matches!(result, Err(SdkError::Endpoint(_))), "{result:?}");
    assert!(transport.requests().is_empty());
}

#[test]
fn web_identity_needs_no_credentials() {
    let response = "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult>\
        <Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>secret-key</SecretAccessKey>\
        <SessionToken>session-token</SessionToken><Expiration>2024-05-01T13:34:56Z</Expiration></Credentials>\
        </AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";
    let transport = CapturingTransport::new(Response::new(200, response));
    let client = Client::new(Config::without_credentials("us-west-2"), &transport);
    let output = block_on(
        client
            .assume_role_with_web_identity()
            .role_arn("arn:aws:iam::123456789012:role/pod")
            .role_session_name("pod")
            .web_identity_token("header.claims.signature")
            .send(),
    )
    .expect("an unsigned call needs no credentials");
    let credentials = output.credentials.expect("credentials");
    assert_eq!(credentials.access_key_id.as_deref(), Some("ASIAEXAMPLE"));
    let printed = format!("{credentials:?}");
    assert!(
        !printed.contains("secret-key") && !printed.contains("session-token"),
        "{printed}"
    );

    let request = transport.only_request();
    assert_eq!(request.uri, "https://sts.us-west-2.amazonaws.com/");
    assert_eq!(request.header("authorization"), None);
    assert!(
        !request.printable_body().contains("header.claims.signature"),
        "the token is left out of printed requests: {}",
        request.printable_body()
    );

    // A signed operation of the same client has nothing to sign with.
    let result = block_on(client.get_caller_identity().send());
    assert!(
        matches!(result, Err(SdkError::Credentials(_))),
        "{result:?}"
    );
    assert_eq!(transport.requests().len(), 1);
}

#[test]
fn unmodeled_errors_keep_their_code_and_message() {
    let body = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>\
        <Type>Sender</Type><Code>InvalidClientTokenId</Code>\
        <Message>The security token included in the request is invalid.</Message></Error>\
        <RequestId>e6c4a1b2-0000-4000-8000-000000000000</RequestId></ErrorResponse>";
    let transport = CapturingTransport::new(Response::new(403, body));
    let client = Client::new(Config::new("us-east-1", credentials()), &transport);
    let error = block_on(client.get_caller_identity().send()).expect_err("refused");
    let error = error.into_service_error().expect("a service error");
    let meta = error.meta();
    assert_eq!(meta.code(), Some("InvalidClientTokenId"));
    assert_eq!(
        meta.message(),
        Some("The security token included in the request is invalid.")
    );
    assert_eq!(meta.status, 403);

    // A modeled error of another operation is matched by its wire code, not its shape name.
    let body = "<ErrorResponse><Error><Type>Sender</Type><Code>IDPRejectedClaim</Code>\
        <Message>Incorrect token audience</Message></Error></ErrorResponse>";
    let transport = CapturingTransport::new(Response::new(403, body));
    let client = Client::new(Config::without_credentials("us-east-1"), &transport);
    let error = block_on(
        client
            .assume_role_with_web_identity()
            .role_arn("arn:aws:iam::123456789012:role/pod")
            .role_session_name("pod")
            .web_identity_token("header.claims.signature")
            .send(),
    )
    .expect_err("refused");
    assert!(
        matches!(
            error.service_error(),
            Some(AssumeRoleWithWebIdentityError::IdpRejectedClaimException(_))
        ),
        "{error:?}"
    );
}
