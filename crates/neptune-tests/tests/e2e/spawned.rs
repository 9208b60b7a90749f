//! The futures of request builders, paginators and waiters own a clone of the client: they are
//! `Send` and `'static`, so they can be given to `tokio::spawn` and run on another thread.

use std::future::Future;
use std::time::Duration;

use awsquery_hyper::HyperTransport;
use neptune_client::Client;
use neptune_tests::{DESCRIBE_MOTO_200, SUCCESS_200, TARGET_ARN};

use crate::config;
use crate::server::{Reply, TestServer};

/// The writer of the global database in `DESCRIBE_MOTO_200`.
const WRITER_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:primary-east";

/// Compiles only for a future that may move to another thread and borrows nothing.
fn assert_send_static<F: Future + Send + 'static>(future: F) -> F {
    future
}

/// The check is made by the compiler; the futures are dropped without being polled, so nothing
/// is sent.
#[test]
fn builder_paginator_and_waiter_futures_are_send_and_static() {
    let client = Client::new(neptune_tests::pinned_config(), HyperTransport::new());
    let send = assert_send_static(
        client
            .failover_global_cluster()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .send(),
    );
    let mut pages = client.describe_global_clusters().into_paginator();
    let next_page = assert_send_static(async move { pages.next_page().await });
    let items = assert_send_static(
        client
            .describe_global_clusters()
            .into_paginator()
            .items()
            .try_collect(),
    );
    let wait = assert_send_static(
        client
            .wait_until_failover_complete()
            .global_cluster_identifier("my-global")
            .target_db_cluster_identifier(TARGET_ARN)
            .wait(Duration::from_secs(60)),
    );
    // The client itself may go: the futures hold their own clone.
    drop(client);
    drop((send, next_page, items, wait));
}

/// The same futures, spawned on a multi-threaded runtime against a server on 127.0.0.1, with the
/// client they came from dropped before they run.
#[test]
fn spawned_calls_pages_and_waits_complete_on_the_runtime_threads() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let describe =
            || Reply::status(200, DESCRIBE_MOTO_200).header("x-amzn-requestid", "describe-1");
        let server = TestServer::start(vec![
            Reply::status(200, SUCCESS_200),
            describe(),
            describe(),
        ])
        .await;
        let client = Client::new(config(&server), HyperTransport::new());

        let failover = tokio::spawn(
            client
                .failover_global_cluster()
                .global_cluster_identifier("my-global")
                .target_db_cluster_identifier(TARGET_ARN)
                .send(),
        );
        let output = failover.await.expect("the task").expect("a success");
        assert_eq!(
            output
                .global_cluster
                .and_then(|c| c.global_cluster_identifier),
            Some(String::from("my-global"))
        );

        let items = tokio::spawn(
            client
                .describe_global_clusters()
                .into_paginator()
                .items()
                .try_collect(),
        );
        let wait = tokio::spawn(
            client
                .wait_until_failover_complete()
                .global_cluster_identifier("neptune-gdb-1")
                .target_db_cluster_identifier(WRITER_ARN)
                .wait(Duration::from_secs(60)),
        );
        drop(client);
        let clusters = items.await.expect("the task").expect("the listing");
        assert_eq!(clusters.len(), 1);
        assert_eq!(
            clusters[0].global_cluster_identifier.as_deref(),
            Some("neptune-gdb-1")
        );
        let cluster = wait
            .await
            .expect("the task")
            .expect("the writer is in place");
        assert_eq!(cluster.status.as_deref(), Some("available"));
        assert_eq!(server.received().len(), 3);
    });
}
