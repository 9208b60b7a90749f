//! The client over [`HyperTransport`] against a moto server that verifies signatures.
//!
//! `.ci/run` installs moto in a virtualenv, starts `moto_server` with
//! `INITIAL_NO_AUTH_ACTION_COUNT`, spends that unauthenticated budget creating an IAM user and
//! access key (`.ci/moto_setup.py`), then exports `NEPTUNE_MOTO_ENDPOINT`, `NEPTUNE_MOTO_REGION`,
//! `NEPTUNE_MOTO_ACCESS_KEY_ID`, `NEPTUNE_MOTO_SECRET_ACCESS_KEY`, `NEPTUNE_MOTO_GLOBAL_CLUSTER`
//! and `NEPTUNE_MOTO_DB_CLUSTER_ARN`. Without them each test says on stderr that it is skipped,
//! and passes.
//!
//! DescribeGlobalClusters, CreateGlobalCluster, RemoveFromGlobalCluster and DeleteGlobalCluster
//! are checked for real. moto does not implement FailoverGlobalCluster: it
//! answers a call that passed authentication with an HTML 500 page. A call that fails authentication gets a 403 instead, so a 500 proves the
//! signature was accepted (checked by the wrong-secret test against the same operation).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use awsquery::http::{Request, Response};
use awsquery::retry::RetryConfig;
use awsquery_hyper::HyperTransport;
use neptune_client::error::{
    DeleteGlobalClusterError, DescribeGlobalClustersError, FailoverGlobalClusterError,
};
use neptune_client::types::FailoverGlobalClusterOutput;
use neptune_client::{Client, Config, Credentials, SdkError, Transport, TransportError};

/// What `.ci/run` exported about the running moto server.
#[derive(Debug)]
struct Moto {
    endpoint: String,
    region: String,
    access_key_id: String,
    secret_access_key: String,
    global_cluster: String,
    db_cluster_arn: String,
}

const VARIABLES: [&str; 6] = [
    "NEPTUNE_MOTO_ENDPOINT",
    "NEPTUNE_MOTO_REGION",
    "NEPTUNE_MOTO_ACCESS_KEY_ID",
    "NEPTUNE_MOTO_SECRET_ACCESS_KEY",
    "NEPTUNE_MOTO_GLOBAL_CLUSTER",
    "NEPTUNE_MOTO_DB_CLUSTER_ARN",
];

impl Moto {
    /// The server, or `None` after saying on stderr why `test` is skipped.
    fn find(test: &str) -> Option<Moto> {
        let values: Vec<Option<String>> = VARIABLES
            .iter()
            .map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
            .collect();
        let missing: Vec<&str> = VARIABLES
            .iter()
            .zip(&values)
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| *name)
            .collect();
        if !missing.is_empty() {
            eprintln!(
                "\n==== SKIPPED moto test `{test}`: {} not set. `.ci/run` starts a moto server \
                 and sets them; see README.md (\"moto\").\n",
                missing.join(", ")
            );
            return None;
        }
        let mut values = values.into_iter().flatten();
        let mut next = || values.next().unwrap_or_default();
        Some(Moto {
            endpoint: next(),
            region: next(),
            access_key_id: next(),
            secret_access_key: next(),
            global_cluster: next(),
            db_cluster_arn: next(),
        })
    }

    /// A client for the server, signing with `secret` and retrying with 20 ms backoffs, and the
    /// count of requests its transport sent.
    fn client(&self, secret: &str) -> (Client<Counted>, Arc<AtomicUsize>) {
        let credentials = Credentials::new(self.access_key_id.clone(), secret, None);
        let config = Config::new(self.region.clone(), credentials)
            .with_endpoint_url(self.endpoint.clone())
            .with_retry_config(
                RetryConfig::default().with_initial_backoff(Duration::from_millis(20)),
            );
        let transport = Counted::default();
        let sent = Arc::clone(&transport.sent);
        (Client::new(config, transport), sent)
    }

    async fn failover(
        &self,
        client: &Client<Counted>,
    ) -> Result<FailoverGlobalClusterOutput, SdkError<FailoverGlobalClusterError>> {
        client
            .failover_global_cluster()
            .global_cluster_identifier(self.global_cluster.clone())
            .target_db_cluster_identifier(self.db_cluster_arn.clone())
            .send()
            .await
    }
}

/// [`HyperTransport`] counting the requests it sends.
#[derive(Debug, Default)]
struct Counted {
    inner: HyperTransport,
    sent: Arc<AtomicUsize>,
}

impl Transport for Counted {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        self.inner.send(request).await
    }

    async fn sleep(&self, duration: Duration) {
        self.inner.sleep(duration).await;
    }
}

fn run<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}

/// The operation's unhandled error, or a failed test.
fn unhandled(error: &SdkError<FailoverGlobalClusterError>) -> &awsquery::Unhandled {
    match error.service_error() {
        Some(FailoverGlobalClusterError::Unhandled(e)) => e,
        _ => panic!("expected an unhandled service error, got {error:?}"),
    }
}

#[test]
fn a_correctly_signed_call_passes_authentication() {
    let Some(moto) = Moto::find("a_correctly_signed_call_passes_authentication") else {
        return;
    };
    run(async {
        let (client, _) = moto.client(&moto.secret_access_key);
        let error = moto.failover(&client).await.expect_err("not implemented");
        let meta = unhandled(&error).meta();
        // Past authentication, moto fails for want of an implementation; a rejected signature
        // would be a 403 (see the next test).
        assert_eq!(meta.status, 500, "{error}");
        assert_eq!(meta.code(), None);
    });
}

/// DescribeGlobalClusters, which moto implements, signed with the IAM key: accepted, and the answer
/// (with elements the model does not know, such as `TagList`) lists the global cluster the setup
/// created, with the DB cluster as its member. The same call with a wrong secret is refused.
#[test]
fn describe_global_clusters_is_accepted_signed_and_refused_with_a_wrong_secret() {
    let Some(moto) =
        Moto::find("describe_global_clusters_is_accepted_signed_and_refused_with_a_wrong_secret")
    else {
        return;
    };
    run(async {
        let (client, sent) = moto.client(&moto.secret_access_key);
        let output = client
            .describe_global_clusters()
            .global_cluster_identifier(moto.global_cluster.clone())
            .send()
            .await
            .expect("a signed DescribeGlobalClusters succeeds");
        assert_eq!(sent.load(Ordering::SeqCst), 1);
        let clusters = output.global_clusters.unwrap_or_default();
        let ours = clusters
            .iter()
            .find(|c| c.global_cluster_identifier.as_deref() == Some(moto.global_cluster.as_str()))
            .unwrap_or_else(|| panic!("{} is listed: {clusters:?}", moto.global_cluster));
        let members = ours.global_cluster_members.as_deref().unwrap_or_default();
        assert!(
            members
                .iter()
                .any(|m| m.db_cluster_arn.as_deref() == Some(moto.db_cluster_arn.as_str())),
            "the DB cluster is a member: {members:?}"
        );

        let (client, _) = moto.client("not-the-secret");
        let error = client
            .describe_global_clusters()
            .send()
            .await
            .expect_err("a wrong secret is refused");
        let Some(DescribeGlobalClustersError::Unhandled(e)) = error.service_error() else {
            panic!("expected an unhandled service error, got {error:?}");
        };
        assert_eq!(e.meta().status, 403, "{error}");
        assert_eq!(e.meta().code(), Some("SignatureDoesNotMatch"));
    });
}

#[test]
fn a_wrong_secret_is_rejected_with_signature_does_not_match() {
    let Some(moto) = Moto::find("a_wrong_secret_is_rejected_with_signature_does_not_match") else {
        return;
    };
    run(async {
        let wrong = format!("{}x", moto.secret_access_key);
        let (client, sent) = moto.client(&wrong);
        let error = moto.failover(&client).await.expect_err("rejected");
        let meta = unhandled(&error).meta();
        assert_eq!(meta.status, 403, "{error}");
        assert_eq!(meta.code(), Some("SignatureDoesNotMatch"));
        assert!(
            meta.message()
                .is_some_and(|m| m.starts_with("The request signature we calculated")),
            "{error}"
        );
        assert!(meta.request_id().is_some(), "moto sends x-amzn-requestid");
        assert_eq!(
            sent.load(Ordering::SeqCst),
            1,
            "an authentication failure is not retried"
        );
        let printed = format!("{error} {error:?}");
        assert!(!printed.contains(&wrong), "the secret leaked: {printed}");
    });
}

#[test]
fn an_unknown_access_key_is_rejected_with_invalid_client_token_id() {
    let Some(moto) = Moto::find("an_unknown_access_key_is_rejected_with_invalid_client_token_id")
    else {
        return;
    };
    run(async {
        let stranger = Moto {
            access_key_id: String::from("AKIDNOTKNOWNTOMOTO00"),
            ..moto
        };
        let (client, _) = stranger.client(&stranger.secret_access_key);
        let error = stranger.failover(&client).await.expect_err("rejected");
        let meta = unhandled(&error).meta();
        assert_eq!(meta.status, 403, "{error}");
        assert_eq!(meta.code(), Some("InvalidClientTokenId"));
    });
}

#[test]
fn the_html_500_is_a_typed_error_with_an_excerpt_after_its_retries() {
    let Some(moto) = Moto::find("the_html_500_is_a_typed_error_with_an_excerpt_after_its_retries")
    else {
        return;
    };
    run(async {
        let (client, sent) = moto.client(&moto.secret_access_key);
        let error = moto.failover(&client).await.expect_err("not implemented");
        let e = unhandled(&error);
        assert_eq!(e.meta().status, 500);
        let message = e.meta().message().expect("an excerpt of the page");
        assert!(
            message.starts_with("<!doctype html>") && message.contains("Internal Server Error"),
            "{message}"
        );
        assert!(
            std::error::Error::source(e).is_some(),
            "why the body was unreadable"
        );
        assert_eq!(
            sent.load(Ordering::SeqCst),
            3,
            "a 500 is retried, three attempts in all"
        );
        let text = error.to_string();
        assert!(text.contains("HTTP 500"), "{text}");
    });
}

/// The global databases moto lists, by identifier, with the ARNs of their member clusters.
async fn listed(client: &Client<Counted>) -> Vec<(String, Vec<String>)> {
    let output = client
        .describe_global_clusters()
        .send()
        .await
        .expect("DescribeGlobalClusters succeeds");
    output
        .global_clusters
        .unwrap_or_default()
        .into_iter()
        .map(|cluster| {
            let members = cluster
                .global_cluster_members
                .unwrap_or_default()
                .into_iter()
                .filter_map(|m| m.db_cluster_arn)
                .collect();
            (
                cluster.global_cluster_identifier.unwrap_or_default(),
                members,
            )
        })
        .collect()
}

/// A global database of its own, built around the DB cluster the setup made: created, listed with
/// that cluster as its member, refused deletion while the member is attached
/// (`InvalidGlobalClusterStateFault`, a 400), the cluster detached, then deleted and no longer
/// listed. The setup's own global database keeps its member throughout.
#[test]
fn a_global_database_is_created_listed_detached_and_deleted() {
    let Some(moto) = Moto::find("a_global_database_is_created_listed_detached_and_deleted") else {
        return;
    };
    run(async {
        const IDENTIFIER: &str = "neptune-tests-lifecycle";
        let (client, sent) = moto.client(&moto.secret_access_key);

        let created = client
            .create_global_cluster()
            .global_cluster_identifier(IDENTIFIER)
            .source_db_cluster_identifier(moto.db_cluster_arn.clone())
            .deletion_protection(false)
            .send()
            .await
            .expect("CreateGlobalCluster succeeds")
            .global_cluster
            .expect("the new global database");
        assert_eq!(
            created.global_cluster_identifier.as_deref(),
            Some(IDENTIFIER)
        );
        assert_eq!(
            created.engine.as_deref(),
            Some("neptune"),
            "taken from the cluster"
        );
        assert_eq!(created.deletion_protection, Some(false));
        let members = created.global_cluster_members.unwrap_or_default();
        assert_eq!(members.len(), 1, "{members:?}");
        assert_eq!(
            members[0].db_cluster_arn.as_deref(),
            Some(moto.db_cluster_arn.as_str())
        );

        let clusters = listed(&client).await;
        let ours = clusters.iter().find(|(id, _)| id == IDENTIFIER);
        assert_eq!(
            ours.map(|(_, members)| members.as_slice()),
            Some(std::slice::from_ref(&moto.db_cluster_arn)),
            "{clusters:?}"
        );

        let error = client
            .delete_global_cluster()
            .global_cluster_identifier(IDENTIFIER)
            .send()
            .await
            .expect_err("a global database with a member is not deleted");
        let Some(DeleteGlobalClusterError::InvalidGlobalClusterStateFault(fault)) =
            error.service_error()
        else {
            panic!("expected InvalidGlobalClusterStateFault, got {error:?}");
        };
        assert_eq!(fault.meta.status, 400);
        assert!(
            fault
                .message
                .as_deref()
                .is_some_and(|m| m.ends_with("is not empty")),
            "{fault:?}"
        );

        let detached = client
            .remove_from_global_cluster()
            .global_cluster_identifier(IDENTIFIER)
            .db_cluster_identifier(moto.db_cluster_arn.clone())
            .send()
            .await
            .expect("RemoveFromGlobalCluster succeeds")
            .global_cluster
            .expect("the global database");
        assert_eq!(
            detached.global_cluster_identifier.as_deref(),
            Some(IDENTIFIER)
        );
        assert_eq!(detached.global_cluster_members, Some(Vec::new()));

        let deleted = client
            .delete_global_cluster()
            .global_cluster_identifier(IDENTIFIER)
            .send()
            .await
            .expect("DeleteGlobalCluster succeeds once it is empty")
            .global_cluster
            .expect("the deleted global database");
        assert_eq!(
            deleted.global_cluster_identifier.as_deref(),
            Some(IDENTIFIER)
        );

        let clusters = listed(&client).await;
        assert!(
            clusters.iter().all(|(id, _)| id != IDENTIFIER),
            "deleted, yet listed: {clusters:?}"
        );
        let setup = clusters.iter().find(|(id, _)| *id == moto.global_cluster);
        assert!(
            setup.is_some_and(|(_, members)| members.contains(&moto.db_cluster_arn)),
            "the setup's global database keeps its member: {clusters:?}"
        );
        assert_eq!(
            sent.load(Ordering::SeqCst),
            6,
            "one request per call, none retried"
        );
    });
}
