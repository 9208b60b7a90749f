//! A misbehaving server: each fault ends the call with a typed error within the configured
//! limits, and is retried exactly where the retry policy says (three attempts for what may be
//! transient, one for what would only happen again).

use std::time::{Duration, Instant};

use awsquery::transport::{ResponseTooLarge, TransportErrorKind};
use awsquery_hyper::HyperTransport;
use neptune_client::SdkError;

use crate::server::{Reply, TestServer};
use crate::{SUCCESS_200, client, config, failover, run};

/// The transport the faults are played against: attempts end after `read_timeout`, bodies after
/// 64 KiB.
fn transport(read_timeout: Duration) -> HyperTransport {
    HyperTransport::builder()
        .read_timeout(read_timeout)
        .max_response_size(64 * 1024)
        .build()
}

/// Plays `reply` for every attempt and returns the transport error kind the call ended with,
/// how many attempts reached the server, and how long the call took.
async fn play(
    reply: Reply,
    read_timeout: Duration,
) -> (TransportErrorKind, String, usize, Duration) {
    let server = TestServer::start(vec![reply.clone(), reply.clone(), reply]).await;
    let client = client(config(&server), &transport(read_timeout));
    let started = Instant::now();
    let error = failover(&client)
        .await
        .expect_err("the fault ends the call");
    let elapsed = started.elapsed();
    match error {
        SdkError::Transport(e) => (e.kind(), e.to_string(), server.received().len(), elapsed),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[test]
fn a_connection_reset_mid_body_is_an_io_error_and_is_retried() {
    run(async {
        let reset = Reply::ResetMidBody {
            length: 1000,
            sent: 10,
        };
        let (kind, message, attempts, elapsed) = play(reset, Duration::from_secs(5)).await;
        assert_eq!(kind, TransportErrorKind::Io, "{message}");
        assert_eq!(attempts, 3);
        assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    });
}

#[test]
fn a_body_shorter_than_its_length_is_an_io_error_and_is_retried() {
    run(async {
        let short = Reply::Raw(b"HTTP/1.1 200 OK\r\ncontent-length: 500\r\n\r\n<Failover".to_vec());
        let (kind, message, attempts, _) = play(short, Duration::from_secs(5)).await;
        assert_eq!(kind, TransportErrorKind::Io, "{message}");
        assert_eq!(attempts, 3);
    });
}

#[test]
fn a_slow_drip_times_out_each_attempt_within_the_read_timeout() {
    run(async {
        let drip = Reply::Drip {
            body: SUCCESS_200.to_vec(),
            every: Duration::from_millis(100),
        };
        let read_timeout = Duration::from_millis(300);
        let (kind, message, attempts, elapsed) = play(drip, read_timeout).await;
        assert_eq!(kind, TransportErrorKind::Timeout, "{message}");
        assert_eq!(attempts, 3);
        assert!(elapsed >= 3 * read_timeout, "{elapsed:?}");
        // Three attempts of 300 ms and two short backoffs; a whole drip would take 100 s.
        assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    });
}

#[test]
fn garbage_instead_of_http_is_not_retried() {
    run(async {
        let garbage =
            Reply::Raw(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n".to_vec());
        let (kind, message, attempts, _) = play(garbage, Duration::from_secs(5)).await;
        assert_eq!(kind, TransportErrorKind::Other, "{message}");
        assert_eq!(attempts, 1, "the same server would answer the same again");
    });
}

#[test]
fn an_endless_body_stops_at_the_size_limit_and_is_not_retried() {
    run(async {
        let (kind, message, attempts, elapsed) =
            play(Reply::Endless, Duration::from_secs(30)).await;
        assert_eq!(kind, TransportErrorKind::ResponseTooLarge, "{message}");
        assert_eq!(attempts, 1);
        assert!(message.contains("limit of 65536 bytes"), "{message}");
        assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    });
}

#[test]
fn a_declared_length_over_the_limit_is_refused_unread() {
    run(async {
        let huge = Reply::Raw(b"HTTP/1.1 200 OK\r\ncontent-length: 9000000000\r\n\r\n".to_vec());
        let server = TestServer::start(vec![huge]).await;
        let client = client(config(&server), &transport(Duration::from_secs(30)));
        match failover(&client).await {
            Err(SdkError::Transport(e)) => {
                assert_eq!(e.kind(), TransportErrorKind::ResponseTooLarge);
                let detail = std::error::Error::source(&e)
                    .and_then(|s| s.downcast_ref::<ResponseTooLarge>())
                    .expect("the limit and the declared length");
                assert_eq!(detail.content_length, Some(9_000_000_000));
                assert_eq!(detail.limit, 64 * 1024);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(server.received().len(), 1);
    });
}
