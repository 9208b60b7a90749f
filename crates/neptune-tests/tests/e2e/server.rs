//! A small HTTP/1.1 server on 127.0.0.1 for the end-to-end tests: it answers each request with the
//! next scripted reply, keeps connections alive, and records what it received and how many
//! connections it accepted.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Answers with this status, headers and body (a `Content-Length` is added).
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// Reads the request and never answers, keeping the connection open.
    Hang,
    /// Writes these bytes as they are (not HTTP, or a response cut short), then closes.
    Raw(Vec<u8>),
    /// Writes a response head announcing `length` bytes and `sent` of them, then resets the
    /// connection (an RST, not an orderly close).
    ResetMidBody { length: usize, sent: usize },
    /// Writes a complete 200 response one byte per `every`, stopping when the client goes away.
    Drip {
        body: Vec<u8>,
        every: std::time::Duration,
    },
    /// Answers 200 with a chunked body of `<GlobalClusterMember/>` elements that ends only when
    /// the client goes away (or, to bound the test, after 256 MiB).
    Endless,
}

impl Reply {
    /// A response with no headers but its length.
    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply::Respond {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Adds a header (builder style); no effect on [`Reply::Hang`].
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name, value.into()));
        }
        self
    }
}

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The request line: `POST / HTTP/1.1`.
    pub request_line: String,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    /// The value of the one header named `name` (lower case); fails the test if it is repeated.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self.headers.iter().filter(|(n, _)| n == name);
        let first = values.next().map(|(_, v)| v.as_str());
        assert!(values.next().is_none(), "`{name}` is sent once");
        first
    }
}

/// Chooses the reply to the `n`th request (from 0), for servers that answer by rule.
pub type Rule = Arc<dyn Fn(usize) -> Reply + Send + Sync>;

#[derive(Default)]
struct State {
    replies: VecDeque<Reply>,
    rule: Option<Rule>,
    received: Vec<Received>,
    /// Requests answered so far; kept by rule servers, which record no bodies.
    count: usize,
    connections: usize,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("replies", &self.replies.len())
            .field("rule", &self.rule.is_some())
            .field("count", &self.count)
            .field("connections", &self.connections)
            .finish_non_exhaustive()
    }
}

/// The server; it stops when dropped (and with the runtime it runs on).
#[derive(Debug)]
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    accept: JoinHandle<()>,
}

impl TestServer {
    /// Listens on a free port of 127.0.0.1 and answers with `replies`, in order. A request beyond
    /// the last reply gets a 501 naming the problem.
    pub async fn start(replies: Vec<Reply>) -> Self {
        Self::listen(State {
            replies: replies.into(),
            ..State::default()
        })
        .await
    }

    /// Answers the `n`th request with `rule(n)`, for as many requests as come; keeps only the
    /// count of requests, not the requests themselves.
    pub async fn start_with_rule(rule: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Self {
        Self::listen(State {
            rule: Some(Arc::new(rule)),
            ..State::default()
        })
        .await
    }

    async fn listen(state: State) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let addr = listener.local_addr().expect("the bound address");
        let state = Arc::new(Mutex::new(state));
        let shared = Arc::clone(&state);
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                shared.lock().unwrap().connections += 1;
                tokio::spawn(serve(stream, Arc::clone(&shared)));
            }
        });
        TestServer {
            addr,
            state,
            accept,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `127.0.0.1:PORT`, the `host` header a client sends.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// The requests received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    /// How many requests were answered so far.
    pub fn count(&self) -> usize {
        self.state.lock().unwrap().count
    }

    /// How many connections were accepted so far.
    pub fn connections(&self) -> usize {
        self.state.lock().unwrap().connections
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Plays the replies that are not a plain response; they all end the connection.
async fn misbehave(mut stream: TcpStream, reply: Reply) {
    match reply {
        Reply::Raw(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Reply::ResetMidBody { length, sent } => {
            let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {length}\r\n\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&vec![b'<'; sent]).await;
            let _ = stream.flush().await;
            // A zero linger time makes the close an RST.
            let _ = stream.set_zero_linger();
            drop(stream);
        }
        Reply::Drip { body, every } => {
            let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes()).await;
            for byte in body {
                tokio::time::sleep(every).await;
                if stream.write_all(&[byte]).await.is_err() {
                    return;
                }
            }
        }
        Reply::Endless => {
            let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let members = "<GlobalClusterMember/>".repeat(512);
            let chunk = format!("{:x}\r\n{members}\r\n", members.len());
            let mut written = 0usize;
            while written < 256 << 20 {
                if stream.write_all(chunk.as_bytes()).await.is_err() {
                    return;
                }
                written += members.len();
            }
        }
        Reply::Respond { .. } | Reply::Hang => unreachable!("served by `serve`"),
    }
}

/// Serves one connection: request after request until the client closes it.
async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buffer).await {
        let reply = {
            let mut state = state.lock().unwrap();
            let n = state.count;
            state.count += 1;
            match state.rule.clone() {
                Some(rule) => Some(rule(n)),
                None => {
                    state.received.push(request);
                    state.replies.pop_front()
                }
            }
        };
        let (status, headers, body) = match reply {
            Some(Reply::Respond {
                status,
                headers,
                body,
            }) => (status, headers, body),
            Some(Reply::Hang) => std::future::pending().await,
            Some(other) => return misbehave(stream, other).await,
            None => (
                501,
                Vec::new(),
                b"the test server has no reply left".to_vec(),
            ),
        };
        let mut head = format!(
            "HTTP/1.1 {status} Scripted\r\ncontent-length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&body);
        if stream.write_all(&bytes).await.is_err() {
            return;
        }
    }
}

/// Reads one request (head, then `content-length` bytes of body); `None` when the connection
/// ends first. Bytes beyond the request stay in `buffer` for the next one.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Received> {
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8(buffer[..end].to_vec()).expect("a UTF-8 request head");
            let mut lines = head.split("\r\n");
            let request_line = lines.next().unwrap_or_default().to_owned();
            let headers: Vec<(String, String)> = lines
                .map(|line| {
                    let (name, value) = line.split_once(':').expect("a header line");
                    (name.trim().to_ascii_lowercase(), value.trim().to_owned())
                })
                .collect();
            let length = headers
                .iter()
                .find(|(name, _)| name == "content-length")
                .map_or(0, |(_, v)| {
                    v.parse::<usize>().expect("a numeric content-length")
                });
            let total = end + 4 + length;
            if buffer.len() >= total {
                let body = buffer[end + 4..total].to_vec();
                buffer.drain(..total);
                return Some(Received {
                    request_line,
                    headers,
                    body,
                });
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}
