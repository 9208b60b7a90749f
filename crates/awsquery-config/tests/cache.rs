//! The credentials cache: one refresh for many callers, refreshes near expiry, failures not kept.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use awsquery::credentials::{
    CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideFuture,
};
use awsquery::sigv4::Credentials;
use awsquery_config::cache::{CachedCredentials, DEFAULT_REFRESH_BUFFER};

const SECRET: &str = "cache-test-secret-key";

/// How a [`Counting`] source answers.
#[derive(Debug, Clone, Copy)]
enum Answer {
    /// Credentials valid for this long.
    ValidFor(Duration),
    /// Credentials without an expiry.
    Static,
    /// A failure on the first call, then credentials valid for an hour.
    FailOnce,
    /// Credentials valid for this long on the first call, then failures.
    ThenFail(Duration),
}

/// A source that takes `delay` to answer and counts its calls; its access key id is `AKID<n>`
/// for the n-th call.
#[derive(Debug)]
struct Counting {
    calls: AtomicUsize,
    delay: Duration,
    answer: Answer,
}

impl Counting {
    fn new(answer: Answer, delay: Duration) -> Self {
        Counting {
            calls: AtomicUsize::new(0),
            delay,
            answer,
        }
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Counting {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::new(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(self.delay).await;
            let credentials = Credentials::new(format!("AKID{n}"), SECRET, None);
            let hour = Duration::from_secs(3600);
            match self.answer {
                Answer::ValidFor(d) => Ok(credentials.with_expiry(SystemTime::now() + d)),
                Answer::Static => Ok(credentials),
                Answer::FailOnce if n == 1 => Err(CredentialsError::new(
                    CredentialsErrorKind::Provider,
                    "counting",
                    "the endpoint is down",
                )),
                Answer::FailOnce => Ok(credentials.with_expiry(SystemTime::now() + hour)),
                Answer::ThenFail(d) if n == 1 => Ok(credentials.with_expiry(SystemTime::now() + d)),
                Answer::ThenFail(_) => Err(CredentialsError::new(
                    CredentialsErrorKind::Provider,
                    "counting",
                    "the endpoint is down",
                )),
            }
        })
    }
}

/// Calls `provide` from `n` tasks at once (they start together once all are running) and returns
/// each task's result.
async fn provide_concurrently<P: ProvideCredentials + 'static>(
    cache: &Arc<CachedCredentials<P>>,
    n: usize,
) -> Vec<Result<Credentials, CredentialsError>> {
    let start = Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let cache = Arc::clone(cache);
            let start = Arc::clone(&start);
            tokio::spawn(async move {
                start.wait().await;
                cache.provide().await
            })
        })
        .collect();
    let mut results = Vec::with_capacity(n);
    for task in tasks {
        results.push(task.await.expect("the task does not panic"));
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_callers_cause_one_refresh() {
    let source = Counting::new(
        Answer::ValidFor(Duration::from_secs(3600)),
        Duration::from_millis(50),
    );
    let cache = Arc::new(CachedCredentials::new(source));
    let results = provide_concurrently(&cache, 100).await;
    assert_eq!(cache.inner().calls(), 1);
    for result in results {
        assert_eq!(result.unwrap().access_key_id(), "AKID1");
    }
    // Later calls are served from the cache.
    assert_eq!(cache.provide().await.unwrap().access_key_id(), "AKID1");
    assert_eq!(cache.inner().calls(), 1);
}

#[tokio::test]
async fn credentials_are_refreshed_within_the_buffer_of_their_expiry() {
    // Valid for 1.5 s, refreshed 1 s before: cached for the first half second only.
    let source = Counting::new(
        Answer::ValidFor(Duration::from_millis(1500)),
        Duration::ZERO,
    );
    let cache = CachedCredentials::new(source).with_refresh_buffer(Duration::from_secs(1));
    assert_eq!(cache.provide().await.unwrap().access_key_id(), "AKID1");
    assert_eq!(cache.provide().await.unwrap().access_key_id(), "AKID1");
    assert_eq!(cache.inner().calls(), 1);
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(cache.provide().await.unwrap().access_key_id(), "AKID2");
    assert_eq!(cache.inner().calls(), 2);
    assert_eq!(cache.provide().await.unwrap().access_key_id(), "AKID2");
    assert_eq!(cache.inner().calls(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn credentials_already_within_the_buffer_are_used_once_per_refresh() {
    // Valid for 10 s, less than the 5 minute buffer.
    let source = Counting::new(
        Answer::ValidFor(Duration::from_secs(10)),
        Duration::from_millis(300),
    );
    let cache = Arc::new(CachedCredentials::new(source));
    assert_eq!(cache.refresh_buffer(), DEFAULT_REFRESH_BUFFER);
    // Callers that arrive while the source answers share its answer, short-lived as it is.
    let results = provide_concurrently(&cache, 20).await;
    assert_eq!(cache.inner().calls(), 1);
    assert!(
        results
            .iter()
            .all(|r| r.as_ref().unwrap().access_key_id() == "AKID1")
    );
    // A later call refreshes once and uses what it got.
    assert_eq!(cache.provide().await.unwrap().access_key_id(), "AKID2");
    assert_eq!(cache.inner().calls(), 2);
}

#[tokio::test]
async fn credentials_without_expiry_are_kept() {
    let cache = CachedCredentials::new(Counting::new(Answer::Static, Duration::ZERO))
        .with_refresh_buffer(Duration::from_secs(3600));
    for _ in 0..3 {
        let credentials = cache.provide().await.unwrap();
        assert_eq!(credentials.access_key_id(), "AKID1");
        assert_eq!(credentials.expiry(), None);
    }
    assert_eq!(cache.inner().calls(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failure_reaches_every_waiting_caller_and_is_not_cached() {
    let source = Counting::new(Answer::FailOnce, Duration::from_millis(300));
    let cache = Arc::new(CachedCredentials::new(source));
    let results = provide_concurrently(&cache, 20).await;
    assert_eq!(cache.inner().calls(), 1);
    for result in results {
        let e = result.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Provider);
        assert!(e.to_string().contains("the endpoint is down"), "{e}");
    }
    // The next call asks the source again, and succeeds.
    assert_eq!(cache.provide().await.unwrap().access_key_id(), "AKID2");
    assert_eq!(cache.inner().calls(), 2);
}

#[tokio::test]
async fn a_failed_early_refresh_keeps_the_credentials_until_they_expire() {
    // Valid for 2 s past the 15 s margin, well inside the 5 minute buffer: every call tries a
    // refresh, which fails, and gets the credentials at hand while they last.
    let cache = CachedCredentials::new(Counting::new(
        Answer::ThenFail(Duration::from_secs(17)),
        Duration::ZERO,
    ));
    assert_eq!(cache.provide().await.unwrap().access_key_id(), "AKID1");
    assert_eq!(cache.provide().await.unwrap().access_key_id(), "AKID1");
    assert_eq!(cache.inner().calls(), 2, "the second call tried to refresh");
    // Past the margin, the failure is the answer.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let e = cache.provide().await.unwrap_err();
    assert!(e.to_string().contains("the endpoint is down"), "{e}");
    assert_eq!(cache.inner().calls(), 3);
}

#[tokio::test]
async fn fresh_credentials_are_answered_without_waiting() {
    let cache = CachedCredentials::new(Counting::new(
        Answer::ValidFor(Duration::from_secs(3600)),
        Duration::ZERO,
    ));
    assert_eq!(cache.provide().await.unwrap().access_key_id(), "AKID1");
    let answer = cache.provide().now_or_never().expect("in place");
    assert_eq!(answer.unwrap().access_key_id(), "AKID1");
}

#[tokio::test]
async fn the_caller_that_refreshes_gets_the_source_error_itself() {
    let cache = CachedCredentials::new(Counting::new(Answer::FailOnce, Duration::ZERO));
    let e = cache.provide().await.unwrap_err();
    assert_eq!(e.sources_tried().collect::<Vec<_>>(), ["counting"]);
    assert_eq!(
        e.to_string(),
        "AWS credentials could not be loaded: counting: the endpoint is down"
    );
    assert_eq!(cache.provide().await.unwrap().access_key_id(), "AKID2");
}

#[tokio::test]
async fn a_refresh_given_up_is_taken_over_by_the_next_caller() {
    let source = Counting::new(
        Answer::ValidFor(Duration::from_secs(3600)),
        Duration::from_millis(200),
    );
    let cache = CachedCredentials::new(source);
    let abandoned = tokio::time::timeout(Duration::from_millis(20), cache.provide()).await;
    assert!(abandoned.is_err(), "the first call was cut short");
    assert_eq!(cache.provide().await.unwrap().access_key_id(), "AKID2");
    assert_eq!(cache.inner().calls(), 2);
}

#[tokio::test]
async fn debug_shows_the_expiry_and_no_secret() {
    let cache = CachedCredentials::new(Counting::new(Answer::Static, Duration::ZERO));
    assert!(format!("{cache:?}").contains("cached: \"nothing\""));
    cache.provide().await.unwrap();
    let printed = format!("{cache:?}");
    assert!(printed.contains("credentials without expiry"), "{printed}");
    assert!(!printed.contains(SECRET), "{printed}");
}
