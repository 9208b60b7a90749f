//! Load: 10,000 calls from 64 concurrent tasks through one client to a local server that
//! throttles one request in eight. Every call must end, retries must stay within the client's
//! retry quota, connections must be reused, and memory must stay flat from one batch of calls to
//! the next. Ignored by default (it takes a few seconds); `.ci/run` runs it and prints its figures.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use awsquery::retry::{INITIAL_RETRY_TOKENS, RETRY_COST, RetryConfig};
use awsquery_hyper::HyperTransport;
use neptune_client::{Client, SdkError};
use neptune_tests::{SUCCESS_200, TARGET_ARN, pinned_config};

use crate::server::{Reply, TestServer};
use crate::{THROTTLED_400, client, config};

const CALLS: usize = 10_000;
const TASKS: usize = 64;

/// How a batch of calls went.
#[derive(Debug, Default)]
struct Batch {
    ok: usize,
    throttled: usize,
    other: usize,
}

/// Runs `calls` calls from `TASKS` tasks sharing `client`, each task its share in turn.
async fn batch(client: &Client<HyperTransport>, calls: usize) -> Batch {
    let ok = Arc::new(AtomicUsize::new(0));
    let throttled = Arc::new(AtomicUsize::new(0));
    let other = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let share = calls / TASKS + usize::from(task < calls % TASKS);
        let client = client.clone();
        let (ok, throttled, other) = (ok.clone(), throttled.clone(), other.clone());
        tasks.push(tokio::spawn(async move {
            for _ in 0..share {
                let result = client
                    .failover_global_cluster()
                    .global_cluster_identifier("my-global")
                    .target_db_cluster_identifier(TARGET_ARN)
                    .send()
                    .await;
                let counter = match &result {
                    Ok(_) => &ok,
                    Err(SdkError::Service(e)) if e.meta().code() == Some("Throttling") => {
                        &throttled
                    }
                    Err(_) => &other,
                };
                counter.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for task in tasks {
        task.await.expect("no task panicked");
    }
    Batch {
        ok: ok.load(Ordering::Relaxed),
        throttled: throttled.load(Ordering::Relaxed),
        other: other.load(Ordering::Relaxed),
    }
}

/// This process's resident memory and its peak, in KiB (Linux; `None` elsewhere).
fn memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse::<u64>()
            .ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

#[test]
#[ignore = "load test: run by .ci/run (cargo test -p neptune-tests --test e2e -- --ignored load)"]
fn load_ten_thousand_calls_at_64_concurrent_tasks() {
    runtime().block_on(async {
        let server = TestServer::start_with_rule(|n| {
            if n % 8 == 7 {
                Reply::status(400, THROTTLED_400)
            } else {
                Reply::status(200, SUCCESS_200)
            }
        })
        .await;
        let client = client(config(&server), &HyperTransport::new());
        let before = memory();
        let started = Instant::now();
        let first = tokio::time::timeout(Duration::from_secs(300), batch(&client, CALLS))
            .await
            .expect("every call ends");
        let elapsed = started.elapsed();
        let after_first = memory();
        let second = tokio::time::timeout(Duration::from_secs(300), batch(&client, CALLS))
            .await
            .expect("every call ends");
        let after_second = memory();

        for batch in [&first, &second] {
            assert_eq!(batch.ok + batch.throttled + batch.other, CALLS, "{batch:?}");
            assert_eq!(batch.other, 0, "{batch:?}");
        }
        let requests = server.count();
        let retries = requests - 2 * CALLS;
        // One request in eight is throttled and retried; a call fails only if its retries are
        // throttled too, or the quota cannot pay.
        assert!(retries > 0 && retries <= 2 * CALLS / 4, "{retries} retries");
        let connections = server.connections();
        assert!(
            connections <= 2 * TASKS,
            "{connections} connections for {TASKS} tasks"
        );
        eprintln!(
            "load: {} calls at {TASKS} tasks, {requests} requests ({retries} retries), \
             first batch {first:?} in {elapsed:.2?} ({:.0} calls/s), second {second:?}, \
             {connections} connections accepted",
            2 * CALLS,
            CALLS as f64 / elapsed.as_secs_f64(),
        );
        if let (Some(before), Some(first_rss), Some(second_rss)) =
            (before, after_first, after_second)
        {
            eprintln!(
                "load: resident memory {} KiB before, {} KiB after the first batch, {} KiB after \
                 the second; peak {} KiB",
                before.0, first_rss.0, second_rss.0, second_rss.1
            );
            // Flat: a second batch of the same size adds no more than noise.
            assert!(
                second_rss.0 <= first_rss.0 + 8 * 1024,
                "memory grew from {} to {} KiB",
                first_rss.0,
                second_rss.0
            );
        }
    });
}

#[test]
#[ignore = "load test: run by .ci/run (cargo test -p neptune-tests --test e2e -- --ignored load)"]
fn load_retries_stop_when_the_quota_is_spent() {
    runtime().block_on(async {
        // Every request is throttled: no call succeeds, so nothing refills the quota, and the
        // client may retry only as often as its tokens pay for.
        let server = TestServer::start_with_rule(|_| Reply::status(400, THROTTLED_400)).await;
        let config = pinned_config()
            .with_endpoint_url(server.url())
            .with_retry_config(
                RetryConfig::default().with_initial_backoff(Duration::from_millis(1)),
            );
        let client = Client::new(config, HyperTransport::new());
        let calls = 1_000;
        let batch = tokio::time::timeout(Duration::from_secs(120), batch(&client, calls))
            .await
            .expect("every call ends");
        assert_eq!(batch.throttled, calls, "{batch:?}");
        let retries = server.count() - calls;
        let affordable = (INITIAL_RETRY_TOKENS / RETRY_COST) as usize;
        assert_eq!(
            retries, affordable,
            "{retries} retries for a quota of {affordable}"
        );
        eprintln!("load: {calls} throttled calls, {retries} retries (quota: {affordable})");
    });
}
