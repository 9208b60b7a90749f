//! A cache in front of a credentials source, refreshed by one caller at a time.
//!
//! Sources that reach the network (STS, IMDS, a container endpoint) answer with temporary
//! credentials and an expiry. [`CachedCredentials`] keeps what such a source gave until a buffer
//! before that expiry, so a client that asks for credentials before each attempt reaches the
//! source only when the credentials are about to run out:
//!
//! ```no_run
//! use awsquery::credentials::ProvideCredentials;
//! use awsquery::env::Env;
//! use awsquery_config::cache::CachedCredentials;
//! use awsquery_config::imds::ImdsCredentials;
//! use awsquery_hyper::HyperTransport;
//!
//! # async fn run() -> Result<(), awsquery::credentials::CredentialsError> {
//! let source = ImdsCredentials::new(HyperTransport::new(), &Env::process(), None);
//! let cached = CachedCredentials::new(source);
//! let first = cached.provide().await?; // asks the instance metadata service
//! let again = cached.provide().await?; // the same credentials, from the cache
//! # Ok(()) }
//! ```

use std::error::Error as StdError;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use awsquery::credentials::{
    CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideFuture,
};
use awsquery::sigv4::Credentials;

/// How long before their expiry cached credentials are refreshed by default: 5 minutes, so that
/// a request signed with them still has time to reach the service and be checked.
pub const DEFAULT_REFRESH_BUFFER: Duration = Duration::from_secs(5 * 60);

/// The name errors give to the cache as a source.
const SOURCE: &str = "credentials cache";

/// Credentials from `P`, kept until [a buffer](Self::refresh_buffer) before they expire.
///
/// * Credentials without an expiry (static keys) are kept for good.
/// * When the cache is empty or its credentials are within the buffer of their expiry, one
///   caller asks `P` while every other caller waits for that answer, however many there are.
/// * Credentials that a refresh gives are used even when they are already within the buffer
///   (a source that only has short-lived credentials is then asked once per call, never in a
///   loop).
/// * A failure is not cached: it is returned to the caller that asked `P` (as `P` gave it) and to
///   the callers that waited for that refresh (as a [`CredentialsError`] of the same
///   [kind](CredentialsError::kind) whose cause is the failure's text); the next call asks `P`
///   again. A refresh that failed early, while the credentials at hand are still valid for 15
///   seconds or more, gives those credentials instead, as the AWS SDKs do.
/// * Fresh credentials are answered in place: no allocation, no lock held across an await.
/// * A caller dropped while it refreshes gives the work up: one of the waiting callers asks `P`
///   instead.
///
/// Debug shows the source and when the cached credentials expire, never the credentials.
pub struct CachedCredentials<P> {
    inner: P,
    buffer: Duration,
    state: Mutex<State>,
    /// Held by the caller that asks `inner`; the others queue on it. An async lock: it is held
    /// across the source's I/O.
    refresh: tokio::sync::Mutex<()>,
}

/// What the cache holds between calls. Only ever locked briefly, never across an await.
#[derive(Default)]
struct State {
    /// How many refreshes have finished: a caller that saw one number before it queued for the
    /// refresh lock and finds another once it holds it takes that refresh's outcome.
    generation: u64,
    credentials: Option<Credentials>,
    /// The failure of the last refresh, for the callers that waited for it.
    failure: Option<Failure>,
}

/// A failed refresh as the waiting callers see it (a [`CredentialsError`] cannot be cloned).
#[derive(Clone)]
struct Failure {
    kind: CredentialsErrorKind,
    text: Arc<str>,
}

impl<P: ProvideCredentials> CachedCredentials<P> {
    /// Caches what `inner` provides, with the [default buffer](DEFAULT_REFRESH_BUFFER).
    pub fn new(inner: P) -> Self {
        CachedCredentials {
            inner,
            buffer: DEFAULT_REFRESH_BUFFER,
            state: Mutex::new(State::default()),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    /// Refreshes credentials once they are within `buffer` of their expiry.
    pub fn with_refresh_buffer(mut self, buffer: Duration) -> Self {
        self.buffer = buffer;
        self
    }

    /// How long before their expiry credentials are refreshed.
    pub fn refresh_buffer(&self) -> Duration {
        self.buffer
    }

    /// The source behind the cache.
    pub fn inner(&self) -> &P {
        &self.inner
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // Nothing panics while the lock is held; a poisoned lock still holds a consistent state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether `credentials` can be used without a refresh.
    fn is_fresh(&self, credentials: &Credentials) -> bool {
        match credentials.expiry() {
            None => true,
            Some(expiry) => SystemTime::now()
                .checked_add(self.buffer)
                .is_some_and(|refresh_at| refresh_at < expiry),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let seen = {
            let state = self.state();
            if let Some(credentials) = state.credentials.as_ref().filter(|c| self.is_fresh(c)) {
                return Ok(credentials.clone());
            }
            state.generation
        };
        let _refreshing = self.refresh.lock().await;
        {
            let state = self.state();
            if state.generation != seen {
                // A refresh finished while this call waited: its outcome is this call's.
                if let Some(failure) = &state.failure {
                    return Err(failure.to_error());
                }
                if let Some(credentials) = &state.credentials {
                    return Ok(credentials.clone());
                }
            }
        }
        let result = self.inner.provide().await;
        let mut state = self.state();
        state.generation += 1;
        match &result {
            Ok(credentials) => {
                state.credentials = Some(credentials.clone());
                state.failure = None;
            }
            Err(_) if state.credentials.as_ref().is_some_and(still_usable) => {
                // The refresh came early, inside the buffer: until they expire, the credentials
                // at hand serve this call and those waiting, and the next call tries again.
                state.failure = None;
                let credentials = state.credentials.clone();
                return Ok(credentials.expect("checked just above"));
            }
            Err(e) => {
                state.failure = Some(Failure {
                    kind: e.kind(),
                    text: e.to_string().into(),
                });
            }
        }
        result
    }
}

/// How long credentials must still be valid to serve a call when their refresh failed.
const STILL_USABLE_MARGIN: Duration = Duration::from_secs(15);

/// Whether credentials whose refresh failed can still sign a request that completes before they
/// expire.
fn still_usable(credentials: &Credentials) -> bool {
    credentials.expiry().is_none_or(|expiry| {
        SystemTime::now()
            .checked_add(STILL_USABLE_MARGIN)
            .is_some_and(|until| until < expiry)
    })
}

impl<P: ProvideCredentials> ProvideCredentials for CachedCredentials<P> {
    /// Fresh credentials are answered in place, without allocating; a refresh is a boxed future.
    fn provide(&self) -> ProvideFuture<'_> {
        let state = self.state();
        if let Some(credentials) = state.credentials.as_ref().filter(|c| self.is_fresh(c)) {
            return ProvideFuture::ready(Ok(credentials.clone()));
        }
        drop(state);
        ProvideFuture::new(self.load())
    }
}

impl<P: fmt::Debug> fmt::Debug for CachedCredentials<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let cached = match &state.credentials {
            None => "nothing".to_owned(),
            Some(c) => match c.expiry() {
                None => "credentials without expiry".to_owned(),
                Some(expiry) => format!(
                    "credentials expiring at {}",
                    awsquery::DateTime::from(expiry)
                ),
            },
        };
        f.debug_struct("CachedCredentials")
            .field("inner", &self.inner)
            .field("refresh_buffer", &self.buffer)
            .field("cached", &cached)
            .finish()
    }
}

impl Failure {
    fn to_error(&self) -> CredentialsError {
        CredentialsError::new(self.kind, SOURCE, "the refresh this call waited for failed")
            .with_cause(RefreshFailed(self.text.clone()))
    }
}

/// The text of a failed refresh, the cause of the errors its waiting callers get. The text of a
/// [`CredentialsError`] holds no secret.
#[derive(Debug)]
struct RefreshFailed(Arc<str>);

impl fmt::Display for RefreshFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for RefreshFailed {}
