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

#[derive(Debug, Default)]
struct State {
    replies: VecDeque<Reply>,
    received: Vec<Received>,
    connections: usize,
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
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let addr = listener.local_addr().expect("the bound address");
        let state = Arc::new(Mutex::new(State {
            replies: replies.into(),
            ..State::default()
        }));
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

/// Serves one connection: request after request until the client closes it.
async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buffer).await {
        let reply = {
            let mut state = state.lock().unwrap();
            state.received.push(request);
            state.replies.pop_front()
        };
        let (status, headers, body) = match reply {
            Some(Reply::Respond {
                status,
                headers,
                body,
            }) => (status, headers, body),
            Some(Reply::Hang) => std::future::pending().await,
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
