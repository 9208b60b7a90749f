//! The transport on its own against raw TCP peers on 127.0.0.1: what goes over the wire and how
//! each kind of failure is reported. The generated client driven through it is tested in
//! `neptune-tests` (`tests/e2e`).

use std::future::Future;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use awsquery::http::{Request, Response};
use awsquery::transport::{ResponseTooLarge, Transport, TransportError, TransportErrorKind};
use awsquery_hyper::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_READ_TIMEOUT, HyperTransport,
    ProxyConfig,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::task::JoinHandle;

const BODY: &str = "Action=Test&Version=2014-10-31";

fn run<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}

fn post(uri: String) -> Request {
    let mut request = Request::form_post(String::from(BODY));
    request.uri = uri;
    request
}

/// A transport whose attempts give up after 300 ms, so that tests of silent peers end quickly.
fn impatient() -> HyperTransport {
    HyperTransport::builder()
        .connect_timeout(Duration::from_millis(300))
        .read_timeout(Duration::from_millis(300))
        .build()
}

/// Reads one request: its head, then as many body bytes as `content-length` says.
async fn read_request(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&received[..end]).to_lowercase();
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().expect("a length"));
            if received.len() >= end + 4 + length {
                return String::from_utf8_lossy(&received).into_owned();
            }
        }
        let n = stream.read(&mut buf).await.expect("the request");
        assert!(n > 0, "the peer closed before the request was complete");
        received.extend_from_slice(&buf[..n]);
    }
}

/// Accepts one connection, reads one request, writes `reply` and closes; returns the request.
async fn peer(reply: &'static [u8]) -> (SocketAddr, JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let addr = listener.local_addr().expect("an address");
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("a connection");
        let request = read_request(&mut stream).await;
        stream.write_all(reply).await.expect("the reply is written");
        stream.shutdown().await.ok();
        request
    });
    (addr, task)
}

fn expect_error(result: Result<Response, TransportError>) -> TransportError {
    match result {
        Ok(response) => panic!("expected a transport error, got {response:?}"),
        Err(e) => e,
    }
}

#[test]
fn sends_the_request_and_reads_the_response_over_plain_http() {
    run(async {
        let (addr, peer) = peer(
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Amzn-RequestId: r-1\r\n\
              Content-Type: text/xml\r\n\r\nhello",
        )
        .await;
        let mut request = post(format!("http://{addr}/"));
        request.headers.push(("host", addr.to_string()));
        let response = HyperTransport::new()
            .send(request)
            .await
            .expect("a response");
        assert_eq!(response.status, 200);
        assert_eq!(response.body, b"hello");
        assert_eq!(response.request_id_header(), Some("r-1"));
        assert_eq!(response.header("content-type"), Some("text/xml"));

        let received = peer.await.expect("the peer's request");
        let (head, body) = received.split_once("\r\n\r\n").expect("a head");
        let mut lines = head.lines();
        assert_eq!(lines.next(), Some("POST / HTTP/1.1"));
        let headers: Vec<String> = lines.map(str::to_lowercase).collect();
        for expected in [
            "content-type: application/x-www-form-urlencoded".to_owned(),
            format!("host: {addr}"),
            format!("content-length: {}", BODY.len()),
        ] {
            assert!(headers.contains(&expected), "{expected} in {headers:?}");
        }
        assert_eq!(body, BODY);
    });
}

#[test]
fn a_refused_connection_is_a_connect_error() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let addr = listener.local_addr().expect("an address");
        drop(listener);
        let error = expect_error(
            HyperTransport::new()
                .send(post(format!("http://{addr}/")))
                .await,
        );
        assert_eq!(error.kind(), TransportErrorKind::Connect, "{error}");
        let text = error.to_string();
        assert!(
            text.starts_with("could not connect: client error (Connect): tcp connect error"),
            "{text}"
        );
    });
}

#[test]
fn a_connection_that_is_never_accepted_is_a_timeout() {
    run(async {
        // A listener with a backlog of one that never accepts: once a connection waits in its
        // queue, the kernel drops further connection attempts, which then time out.
        let socket = TcpSocket::new_v4().expect("a socket");
        socket
            .bind("127.0.0.1:0".parse().expect("an address"))
            .expect("a port");
        let listener = socket.listen(0).expect("listening");
        let addr = listener.local_addr().expect("an address");
        let mut queued = Vec::new();
        while let Ok(Ok(stream)) =
            tokio::time::timeout(Duration::from_millis(200), TcpStream::connect(addr)).await
        {
            queued.push(stream);
            assert!(queued.len() < 64, "the listener's queue never filled");
        }

        let transport = HyperTransport::builder()
            .connect_timeout(Duration::from_millis(100))
            .build();
        let error = expect_error(transport.send(post(format!("http://{addr}/"))).await);
        assert_eq!(error.kind(), TransportErrorKind::Timeout, "{error}");
        assert!(error.to_string().starts_with("timed out: "), "{error}");
    });
}

#[test]
fn a_silent_peer_is_a_read_timeout() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let addr = listener.local_addr().expect("an address");
        let silent = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.expect("a connection");
            read_request(&mut stream).await;
            // Keep the connection open, never answer.
            std::future::pending::<()>().await;
        });
        let started = Instant::now();
        let error = expect_error(impatient().send(post(format!("http://{addr}/"))).await);
        assert!(started.elapsed() >= Duration::from_millis(300));
        assert_eq!(error.kind(), TransportErrorKind::Timeout);
        assert_eq!(
            error.to_string(),
            "timed out: no complete response within the read timeout of 300ms"
        );
        silent.abort();
    });
}

#[test]
fn a_response_cut_short_is_an_io_error() {
    run(async {
        let (addr, _peer) = peer(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort").await;
        let error = expect_error(impatient().send(post(format!("http://{addr}/"))).await);
        assert_eq!(error.kind(), TransportErrorKind::Io, "{error}");
    });
}

#[test]
fn a_peer_that_closes_without_answering_is_an_io_error() {
    run(async {
        let (addr, _peer) = peer(b"").await;
        let error = expect_error(impatient().send(post(format!("http://{addr}/"))).await);
        assert_eq!(error.kind(), TransportErrorKind::Io, "{error}");
    });
}

#[test]
fn a_peer_that_does_not_speak_http_is_other() {
    run(async {
        let (addr, _peer) = peer(b"SSH-2.0-OpenSSH_9.6\r\n\r\n").await;
        let error = expect_error(impatient().send(post(format!("http://{addr}/"))).await);
        assert_eq!(error.kind(), TransportErrorKind::Other, "{error}");
    });
}

#[test]
fn tls_to_a_plain_http_peer_is_a_connect_error() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let addr = listener.local_addr().expect("an address");
        let plain = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.expect("a connection");
            let mut hello = [0u8; 512];
            let n = stream.read(&mut hello).await.expect("a client hello");
            stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                .await
                .ok();
            // A TLS record starts with its content type: 22 is a handshake.
            hello[..n].first().copied()
        });
        let error = expect_error(impatient().send(post(format!("https://{addr}/"))).await);
        assert_eq!(error.kind(), TransportErrorKind::Connect, "{error}");
        assert_eq!(plain.await.expect("the peer"), Some(22));
    });
}

#[test]
fn requests_that_cannot_be_sent_are_other_and_name_no_value() {
    run(async {
        let transport = HyperTransport::new();
        for (uri, expected) in [
            (
                "ftp://127.0.0.1/",
                "`ftp://127.0.0.1/` is not an http:// or https:// URL",
            ),
            ("/", "`/` is not an http:// or https:// URL"),
            ("http://exa mple.com/", "invalid URI `http://exa mple.com/`"),
        ] {
            let error = expect_error(transport.send(post(uri.to_owned())).await);
            assert_eq!(error.kind(), TransportErrorKind::Other);
            assert!(error.to_string().contains(expected), "{error}");
        }

        let mut request = post(String::from("http://127.0.0.1:9/"));
        request
            .headers
            .push(("authorization", String::from("Signature=abc\r\nx: y")));
        let error = expect_error(transport.send(request).await);
        assert_eq!(error.kind(), TransportErrorKind::Other);
        let text = format!("{error} {error:?}");
        assert!(!text.contains("Signature=abc"), "{text}");
    });
}

#[test]
fn defaults_debug_and_sleep() {
    let transport = HyperTransport::new();
    assert_eq!(transport.connect_timeout(), DEFAULT_CONNECT_TIMEOUT);
    assert_eq!(transport.read_timeout(), DEFAULT_READ_TIMEOUT);
    assert_eq!(transport.max_response_size(), DEFAULT_MAX_RESPONSE_SIZE);
    assert_eq!(DEFAULT_CONNECT_TIMEOUT, Duration::from_millis(3100));
    assert_eq!(DEFAULT_MAX_RESPONSE_SIZE, 4 << 20);
    // The proxies of `new()` are the process environment's; set here, so that Debug is fixed.
    let direct = HyperTransport::builder()
        .proxy(ProxyConfig::disabled())
        .build();
    assert_eq!(
        format!("{direct:?}"),
        "HyperTransport { connect_timeout: 3.1s, read_timeout: 60s, max_response_size: 4194304, \
         custom_roots: false, proxy: ProxyConfig(disabled), .. }"
    );
    assert!(direct.proxy().is_disabled());
    let custom = HyperTransport::builder()
        .read_timeout(Duration::from_secs(5))
        .build();
    assert_eq!(
        (custom.connect_timeout(), custom.read_timeout()),
        (DEFAULT_CONNECT_TIMEOUT, Duration::from_secs(5))
    );

    run(async {
        let started = Instant::now();
        transport.sleep(Duration::from_millis(50)).await;
        assert!(started.elapsed() >= Duration::from_millis(50));
    });
}

/// A transport that accepts bodies of at most 1 KiB.
fn small_limit() -> HyperTransport {
    HyperTransport::builder()
        .read_timeout(Duration::from_secs(10))
        .max_response_size(1024)
        .build()
}

fn too_large(error: &TransportError) -> &ResponseTooLarge {
    assert_eq!(
        error.kind(),
        TransportErrorKind::ResponseTooLarge,
        "{error}"
    );
    std::error::Error::source(error)
        .and_then(|source| source.downcast_ref::<ResponseTooLarge>())
        .unwrap_or_else(|| panic!("no ResponseTooLarge behind {error}"))
}

#[test]
fn a_declared_length_over_the_limit_fails_before_the_body_is_read() {
    run(async {
        // The peer announces 2 GiB and sends none of it: the transport must not wait for it.
        let (addr, _peer) =
            peer(b"HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\n\r\n<Partial").await;
        let error = expect_error(small_limit().send(post(format!("http://{addr}/"))).await);
        let detail = too_large(&error);
        assert_eq!(
            *detail,
            ResponseTooLarge {
                limit: 1024,
                content_length: Some(2_147_483_648)
            }
        );
        assert!(error.to_string().contains("limit of 1024 bytes"), "{error}");
    });
}

#[test]
fn a_body_of_exactly_the_limit_is_read() {
    static REPLY: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let reply = REPLY.get_or_init(|| {
        let mut reply = b"HTTP/1.1 200 OK\r\nContent-Length: 1024\r\n\r\n".to_vec();
        reply.extend(std::iter::repeat_n(b'x', 1024));
        reply
    });
    run(async {
        let (addr, _peer) = peer(reply).await;
        let response = small_limit()
            .send(post(format!("http://{addr}/")))
            .await
            .expect("a body at the limit is accepted");
        assert_eq!(response.body.len(), 1024);
    });
}

/// A server that answers with a chunked body that never ends (an endless stream of list members)
/// is cut off once the body passes the limit; the server sees the connection close long before
/// it has written what it meant to.
#[test]
fn an_endless_chunked_body_stops_at_the_limit() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let addr = listener.local_addr().expect("an address");
        let server = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.expect("a connection");
            read_request(&mut stream).await;
            let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
            stream.write_all(head.as_bytes()).await.expect("the head");
            let member = "<GlobalClusterMember/>".repeat(40);
            let chunk = format!("{:x}\r\n{member}\r\n", member.len());
            // Bounded: at most 64 MiB, far past the limit; the client closing ends it sooner.
            let mut written = 0usize;
            while written < 64 << 20 {
                if stream.write_all(chunk.as_bytes()).await.is_err() {
                    break;
                }
                written += member.len();
            }
            written
        });
        let error = expect_error(small_limit().send(post(format!("http://{addr}/"))).await);
        assert_eq!(
            *too_large(&error),
            ResponseTooLarge {
                limit: 1024,
                content_length: None
            }
        );
        let written = server.await.expect("the server ends");
        assert!(
            written < 64 << 20,
            "the client kept reading: {written} bytes"
        );
    });
}
