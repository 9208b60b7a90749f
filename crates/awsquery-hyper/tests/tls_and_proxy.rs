//! Trust roots and proxies against servers on 127.0.0.1 that the tests start: a TLS server whose
//! certificate comes from a CA made here, and an HTTP proxy written here (absolute-form requests
//! for `http://`, `CONNECT` and a byte relay for `https://`).

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use awsquery::env::Env;
use awsquery::http::{Request, Response};
use awsquery::transport::{Transport, TransportError, TransportErrorKind};
use awsquery_hyper::{BuildError, HyperTransport, HyperTransportBuilder, ProxyConfig};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

const BODY: &str = "Action=Test&Version=2014-10-31";

/// The longest any test waits for a peer.
const PATIENCE: Duration = Duration::from_secs(10);

fn run<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}

/// `future`, or a panic after [`PATIENCE`].
async fn within<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(PATIENCE, future)
        .await
        .expect("the peer answered in time")
}

fn post(uri: String) -> Request {
    let mut request = Request::form_post(String::from(BODY));
    let host = uri
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("a host")
        .to_owned();
    request.uri = uri;
    request.headers.push(("host", host));
    request
}

/// A builder with short timeouts and no proxy unless the test sets one.
fn builder() -> HyperTransportBuilder {
    HyperTransport::builder()
        .connect_timeout(Duration::from_secs(2))
        .read_timeout(Duration::from_secs(5))
        .proxy(ProxyConfig::disabled())
}

fn expect_error(result: Result<Response, TransportError>) -> TransportError {
    match result {
        Ok(response) => panic!("expected a transport error, got {response:?}"),
        Err(e) => e,
    }
}

/// A CA, and a certificate it issued for 127.0.0.1 and localhost, with its key.
struct Pki {
    ca_pem: String,
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

impl Pki {
    fn new(name: &str) -> Pki {
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, format!("{name} test CA"));
        let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().expect("a CA key"))
            .expect("a CA certificate");
        let key = KeyPair::generate().expect("a server key");
        let server =
            CertificateParams::new(vec![String::from("127.0.0.1"), String::from("localhost")])
                .expect("server parameters")
                .signed_by(&key, &ca)
                .expect("a server certificate");
        Pki {
            ca_pem: ca.pem(),
            chain: vec![server.der().clone()],
            key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        }
    }

    fn acceptor(&self) -> TlsAcceptor {
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("TLS 1.2 and 1.3")
        .with_no_client_auth()
        .with_single_cert(self.chain.clone(), self.key.clone_key())
        .expect("a server configuration");
        TlsAcceptor::from(Arc::new(config))
    }
}

/// Reads a request head, and as many body bytes as its `content-length` says; returns all of it.
async fn read_request<S: AsyncRead + Unpin>(stream: &mut S) -> Option<String> {
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
                return Some(String::from_utf8_lossy(&received).into_owned());
            }
        }
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        received.extend_from_slice(&buf[..n]);
    }
}

/// Answers one request on `stream` with 200 and `body`, then closes; returns the request.
async fn answer<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S, body: &str) -> Option<String> {
    let request = read_request(&mut stream).await?;
    let reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(reply.as_bytes()).await.ok()?;
    stream.shutdown().await.ok();
    Some(request)
}

/// What a server saw: the requests it read, in order.
type Seen = Arc<Mutex<Vec<String>>>;

fn seen(log: &Seen) -> Vec<String> {
    log.lock().expect("the log").clone()
}

/// A TLS server with `pki`'s certificate that answers each request with `tls-ok`.
async fn tls_server(pki: &Pki) -> (SocketAddr, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let addr = listener.local_addr().expect("an address");
    let acceptor = pki.acceptor();
    let log = Seen::default();
    let seen = Arc::clone(&log);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: nothing to record.
                if let Ok(Ok(tls)) = tokio::time::timeout(PATIENCE, acceptor.accept(stream)).await {
                    if let Some(request) = answer(tls, "tls-ok").await {
                        seen.lock().expect("the log").push(request);
                    }
                }
            });
        }
    });
    (addr, log)
}

/// A plain HTTP server that answers each request with `http-ok`.
async fn http_server() -> (SocketAddr, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let addr = listener.local_addr().expect("an address");
    let log = Seen::default();
    let seen = Arc::clone(&log);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                if let Some(request) = answer(stream, "http-ok").await {
                    seen.lock().expect("the log").push(request);
                }
            });
        }
    });
    (addr, log)
}

/// An HTTP proxy that wants `Proxy-Authorization: <authorization>` when given one, and records
/// the head of each request it gets. `CONNECT host:port` opens a tunnel (200, then bytes both
/// ways); any other request names its target in absolute form and is relayed as it came.
async fn proxy(authorization: Option<&'static str>) -> (SocketAddr, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let addr = listener.local_addr().expect("an address");
    let log = Seen::default();
    let seen = Arc::clone(&log);
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                tokio::time::timeout(PATIENCE, relay(client, authorization, seen))
                    .await
                    .ok();
            });
        }
    });
    (addr, log)
}

async fn relay(mut client: TcpStream, authorization: Option<&str>, seen: Seen) {
    // The head, and whatever came after it in the same reads.
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        match client.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => received.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&received[..end]).into_owned();
    seen.lock().expect("the log").push(head.clone());

    let given = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("proxy-authorization")
            .then(|| value.trim().to_owned())
    });
    if let Some(expected) = authorization {
        if given.as_deref() != Some(expected) {
            let refusal = "HTTP/1.1 407 Proxy Authentication Required\r\n\
                           Proxy-Authenticate: Basic realm=\"test\"\r\n\
                           Content-Length: 0\r\nConnection: close\r\n\r\n";
            client.write_all(refusal.as_bytes()).await.ok();
            return;
        }
    }

    let request_line = head.lines().next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("");
    let upstream_addr = if method == "CONNECT" {
        target.to_owned()
    } else {
        let Some(rest) = target.strip_prefix("http://") else {
            client
                .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                .await
                .ok();
            return;
        };
        rest.split('/').next().unwrap_or("").to_owned()
    };
    let Ok(mut upstream) = TcpStream::connect(&upstream_addr).await else {
        client
            .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            .await
            .ok();
        return;
    };
    if method == "CONNECT" {
        if client
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await
            .is_err()
        {
            return;
        }
        received.drain(..end);
    }
    if upstream.write_all(&received).await.is_err() {
        return;
    }
    tokio::io::copy_bidirectional(&mut client, &mut upstream)
        .await
        .ok();
}

/// `Basic base64("al@ice:open sesame")`, the credentials of [`PROXY_USERINFO`].
const PROXY_BASIC: &str = "Basic YWxAaWNlOm9wZW4gc2VzYW1l";
/// The user information of the proxy URLs, percent-encoded.
const PROXY_USERINFO: &str = "al%40ice:open%20sesame";

fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("awsquery-hyper-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("the file is written");
    path
}

#[test]
fn a_server_certified_by_the_bundle_ca_is_trusted() {
    run(async {
        let pki = Pki::new("bundle");
        let (addr, served) = tls_server(&pki).await;
        let transport = builder()
            .ca_bundle_pem(pki.ca_pem.clone())
            .try_build()
            .expect("a valid bundle");
        for uri in [
            format!("https://{addr}/"),
            format!("https://localhost:{}/", addr.port()),
        ] {
            let response = within(transport.send(post(uri)))
                .await
                .expect("the server is trusted");
            assert_eq!(response.status, 200);
            assert_eq!(response.body, b"tls-ok");
        }
        let requests = seen(&served);
        assert_eq!(requests.len(), 2);
        assert!(
            requests[0].starts_with("POST / HTTP/1.1\r\n"),
            "{requests:?}"
        );
        assert!(requests[0].ends_with(BODY), "{requests:?}");
        assert!(format!("{transport:?}").contains("custom_roots: true"));
    });
}

#[test]
fn without_the_bundle_the_server_is_refused() {
    run(async {
        let pki = Pki::new("unknown");
        let (addr, served) = tls_server(&pki).await;
        let default_roots = builder().try_build().expect("the default roots");
        let other_ca = builder()
            .ca_bundle_pem(Pki::new("other").ca_pem)
            .try_build()
            .expect("a valid bundle");
        for transport in [default_roots, other_ca] {
            let error =
                expect_error(within(transport.send(post(format!("https://{addr}/")))).await);
            assert_eq!(error.kind(), TransportErrorKind::Connect, "{error}");
            assert!(error.to_string().contains("UnknownIssuer"), "{error}");
        }
        assert!(seen(&served).is_empty());
    });
}

#[test]
fn the_bundle_can_be_a_file_among_other_sections() {
    run(async {
        let pki = Pki::new("file");
        let (addr, _) = tls_server(&pki).await;
        // A key and a second, unrelated CA around the one that matters.
        let mut contents = KeyPair::generate().expect("a key").serialize_pem();
        contents.push_str(&Pki::new("unrelated").ca_pem);
        contents.push_str(&pki.ca_pem);
        let path = temp_file("bundle.pem", contents.as_bytes());
        let transport = builder()
            .ca_bundle_file(&path)
            .try_build()
            .expect("a readable bundle");
        let response = within(transport.send(post(format!("https://{addr}/"))))
            .await
            .expect("the server is trusted");
        assert_eq!(response.body, b"tls-ok");
    });
}

#[test]
fn an_unusable_bundle_is_an_error_when_building() {
    let missing = std::env::temp_dir().join("awsquery-hyper-no-such-dir/ca.pem");
    let error = builder().ca_bundle_file(&missing).try_build().unwrap_err();
    assert!(
        matches!(error, BuildError::CaBundleRead { .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().starts_with(&format!(
            "cannot read the CA bundle `{}`: ",
            missing.display()
        )),
        "{error}"
    );

    let empty = temp_file("empty.pem", b"# no certificates here\n");
    let error = builder().ca_bundle_file(&empty).try_build().unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("the CA bundle `{}` holds no certificate", empty.display())
    );

    // `build()` cannot fail: the transport reports the reason on every send, not retried.
    run(async {
        let transport = builder().ca_bundle_file(&empty).build();
        assert!(format!("{transport:?}").contains("holds no certificate"));
        let error = expect_error(
            transport
                .send(post(String::from("https://127.0.0.1:9/")))
                .await,
        );
        assert_eq!(error.kind(), TransportErrorKind::Other);
        assert!(
            error.to_string().contains("holds no certificate"),
            "{error}"
        );
    });
}

#[test]
fn an_https_request_goes_through_a_connect_tunnel() {
    run(async {
        let pki = Pki::new("tunnel");
        let (server, served) = tls_server(&pki).await;
        let (proxy_addr, proxied) = proxy(Some(PROXY_BASIC)).await;
        let env = Env::from_pairs(&[(
            "HTTPS_PROXY",
            &format!("http://{PROXY_USERINFO}@{proxy_addr}"),
        )]);
        let transport = builder()
            .ca_bundle_pem(pki.ca_pem.clone())
            .proxy(ProxyConfig::from_env(&env))
            .try_build()
            .expect("valid settings");
        let response = within(transport.send(post(format!("https://{server}/"))))
            .await
            .expect("an answer through the tunnel");
        assert_eq!(response.body, b"tls-ok");

        // The proxy saw the CONNECT, with the credentials, and nothing of the request inside.
        let heads = seen(&proxied);
        assert_eq!(heads.len(), 1, "{heads:?}");
        assert!(
            heads[0].starts_with(&format!("CONNECT {server} HTTP/1.1\r\n")),
            "{heads:?}"
        );
        assert!(
            heads[0].contains(&format!("\r\nproxy-authorization: {PROXY_BASIC}\r\n"))
                || heads[0].contains(&format!("\r\nProxy-Authorization: {PROXY_BASIC}\r\n")),
            "{heads:?}"
        );
        assert!(!heads[0].contains(BODY));
        // The server got the request as if no proxy stood between, without the credentials.
        let requests = seen(&served);
        assert!(
            requests[0].starts_with("POST / HTTP/1.1\r\n"),
            "{requests:?}"
        );
        assert!(!requests[0].to_lowercase().contains("proxy-authorization"));

        // The password is not printed.
        let printed = format!("{transport:?}");
        assert!(!printed.contains("sesame"), "{printed}");
        assert!(
            printed.contains(&format!("http://***@{proxy_addr}")),
            "{printed}"
        );
    });
}

#[test]
fn an_http_request_goes_to_the_proxy_in_absolute_form() {
    run(async {
        let (server, served) = http_server().await;
        let (proxy_addr, proxied) = proxy(Some(PROXY_BASIC)).await;
        let transport = builder()
            .proxy(ProxyConfig::disabled().with_http(format!("{PROXY_USERINFO}@{proxy_addr}")))
            .try_build()
            .expect("valid settings");
        let response = within(transport.send(post(format!("http://{server}/"))))
            .await
            .expect("an answer through the proxy");
        assert_eq!(response.status, 200);
        assert_eq!(response.body, b"http-ok");

        let heads = seen(&proxied);
        assert_eq!(heads.len(), 1, "{heads:?}");
        assert!(
            heads[0].starts_with(&format!("POST http://{server}/ HTTP/1.1\r\n")),
            "{heads:?}"
        );
        assert!(
            heads[0].to_lowercase().contains(&format!(
                "\r\nproxy-authorization: {}\r\n",
                PROXY_BASIC.to_lowercase()
            )),
            "{heads:?}"
        );
        let requests = seen(&served);
        assert_eq!(requests.len(), 1);
        assert!(requests[0].ends_with(BODY), "{requests:?}");
    });
}

#[test]
fn wrong_proxy_credentials_are_refused() {
    run(async {
        let pki = Pki::new("refused");
        let (tls, _) = tls_server(&pki).await;
        let (plain, served) = http_server().await;
        let (proxy_addr, proxied) = proxy(Some(PROXY_BASIC)).await;
        let transport = builder()
            .ca_bundle_pem(pki.ca_pem.clone())
            .proxy(ProxyConfig::all(format!(
                "http://al%40ice:wrong@{proxy_addr}"
            )))
            .try_build()
            .expect("valid settings");
        // A tunnel the proxy will not open: no connection.
        let error = expect_error(within(transport.send(post(format!("https://{tls}/")))).await);
        assert_eq!(error.kind(), TransportErrorKind::Connect, "{error}");
        assert!(
            error.to_string().contains("proxy authorization required"),
            "{error}"
        );
        assert!(!error.to_string().contains("wrong"), "{error}");
        // A plain request: the proxy's 407 is the answer.
        let response = within(transport.send(post(format!("http://{plain}/"))))
            .await
            .expect("the proxy's answer");
        assert_eq!(response.status, 407);
        assert_eq!(seen(&proxied).len(), 2);
        assert!(seen(&served).is_empty());
    });
}

#[test]
fn no_proxy_hosts_are_reached_directly() {
    run(async {
        let (server, served) = http_server().await;
        let (proxy_addr, proxied) = proxy(None).await;
        for list in ["127.0.0.1", "example.com, 127.0.0.0/8", "*"] {
            let env = Env::from_pairs(&[
                ("http_proxy", &format!("http://{proxy_addr}")),
                ("NO_PROXY", list),
            ]);
            let transport = builder()
                .proxy(ProxyConfig::from_env(&env))
                .try_build()
                .expect("valid settings");
            let response = within(transport.send(post(format!("http://{server}/"))))
                .await
                .expect("a direct answer");
            assert_eq!(response.body, b"http-ok", "{list}");
        }
        assert_eq!(seen(&served).len(), 3);
        assert!(seen(&proxied).is_empty());

        // Without NO_PROXY the same request goes through the proxy.
        let env = Env::from_pairs(&[("http_proxy", &format!("http://{proxy_addr}"))]);
        let transport = builder()
            .proxy(ProxyConfig::from_env(&env))
            .try_build()
            .expect("valid settings");
        within(transport.send(post(format!("http://{server}/"))))
            .await
            .expect("an answer through the proxy");
        assert_eq!(seen(&proxied).len(), 1);
    });
}

#[test]
fn an_unusable_proxy_url_is_an_error_when_building() {
    let env = Env::from_pairs(&[("HTTPS_PROXY", "https://user:hunter2@proxy.example:443")]);
    let error = builder()
        .proxy(ProxyConfig::from_env(&env))
        .try_build()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the proxy URL `https://***@proxy.example:443` of `HTTPS_PROXY` cannot be used: proxies \
         reached over TLS are not supported"
    );
    run(async {
        let transport = builder().proxy(ProxyConfig::from_env(&env)).build();
        let error = expect_error(
            transport
                .send(post(String::from("https://127.0.0.1:9/")))
                .await,
        );
        assert_eq!(error.kind(), TransportErrorKind::Other);
        assert!(!error.to_string().contains("hunter2"), "{error}");
        assert!(!format!("{transport:?}").contains("hunter2"));
    });
}
