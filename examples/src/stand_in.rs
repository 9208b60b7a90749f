//! A local stand-in for `DescribeGlobalClusters` and `FailoverGlobalCluster`: an HTTP/1.1 server on
//! 127.0.0.1 holding a few global databases in memory, answering in the awsQuery protocol as the
//! Neptune API does.
//!
//! It holds [`GLOBAL_CLUSTERS`] global databases: [`DRILL_GLOBAL_CLUSTER`], whose writer is
//! [`PRIMARY_ARN`] and whose secondary is [`SECONDARY_ARN`], and `global-02` … `global-25` with one
//! member each. A switchover or failover it accepts is done at the second description of that
//! global database that follows ([`StandIn::settle_after`] changes it), which shows the target as
//! the writer and the status `available` again; the descriptions before show it in progress
//! (`switching-over` or `failing-over`, with a `FailoverState`). Pages hold `MaxRecords` global databases (20 to 100, 100 unless given), the
//! `Marker` naming where the next page starts.
//!
//! It is a stand-in, not an emulator: it checks that requests are signed with SigV4 but not the
//! signature, and knows only these two operations (any other is `InvalidAction`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The global database with two members, for the disaster-recovery drill.
pub const DRILL_GLOBAL_CLUSTER: &str = "drill-global";
/// The writer of [`DRILL_GLOBAL_CLUSTER`] when the stand-in starts.
pub const PRIMARY_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:drill-primary";
/// The secondary (reader) of [`DRILL_GLOBAL_CLUSTER`] when the stand-in starts.
pub const SECONDARY_ARN: &str = "arn:aws:rds:us-west-2:123456789012:cluster:drill-secondary";
/// How many global databases the stand-in holds.
pub const GLOBAL_CLUSTERS: usize = 25;

/// The most a request head or body may take; a larger one is refused and the connection closed.
const MAX_HEAD: usize = 16 * 1024;
const MAX_BODY: usize = 64 * 1024;
/// How many actions [`StandIn::actions`] keeps.
const MAX_ACTIONS: usize = 10_000;
/// How long a connection may stay silent before the stand-in closes it.
const IDLE: Duration = Duration::from_secs(30);

const NAMESPACE: &str = "http://rds.amazonaws.com/doc/2014-10-31/";

/// A running stand-in; it stops when dropped.
#[derive(Debug)]
pub struct StandIn {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl StandIn {
    /// Starts a stand-in on a free port of 127.0.0.1, on the current tokio runtime.
    pub async fn start() -> io::Result<StandIn> {
        StandIn::bind("127.0.0.1:0").await
    }

    /// Starts a stand-in listening on `addr` (`127.0.0.1:5055`).
    pub async fn bind(addr: &str) -> io::Result<StandIn> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State::sample()));
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&shared)));
            }
        });
        Ok(StandIn { addr, state, task })
    }

    /// The endpoint URL to give a client (`AWS_ENDPOINT_URL`): `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// At which description of a global database (counted from the one after the request) a
    /// switchover or failover is done: 2 unless set, at least 1.
    pub fn settle_after(&self, descriptions: u32) {
        self.lock().settle_after = descriptions.max(1);
    }

    /// The `Action` of every request received, in order (the last 10,000, each cut to 64
    /// characters).
    pub fn actions(&self) -> Vec<String> {
        self.lock().actions.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Debug)]
struct State {
    clusters: Vec<GlobalCluster>,
    settle_after: u32,
    actions: Vec<String>,
    requests: u64,
}

#[derive(Debug)]
struct GlobalCluster {
    id: String,
    /// Member ARNs; the writer is `members[writer]`.
    members: Vec<String>,
    writer: usize,
    failover: Option<Failover>,
}

/// A switchover or failover in progress.
#[derive(Debug)]
struct Failover {
    to: usize,
    data_loss: bool,
    descriptions_left: u32,
}

impl State {
    fn sample() -> State {
        let mut clusters = vec![GlobalCluster {
            id: DRILL_GLOBAL_CLUSTER.to_owned(),
            members: vec![PRIMARY_ARN.to_owned(), SECONDARY_ARN.to_owned()],
            writer: 0,
            failover: None,
        }];
        for n in 2..=GLOBAL_CLUSTERS {
            clusters.push(GlobalCluster {
                id: format!("global-{n:02}"),
                members: vec![format!(
                    "arn:aws:rds:eu-west-1:123456789012:cluster:global-{n:02}-primary"
                )],
                writer: 0,
                failover: None,
            });
        }
        State {
            clusters,
            settle_after: 2,
            actions: Vec::new(),
            requests: 0,
        }
    }

    /// The answer to one request: status and XML body.
    fn answer(&mut self, form: &BTreeMap<String, String>) -> (u16, String) {
        self.requests += 1;
        let request_id = format!("stand-in-{:06}", self.requests);
        let action = form.get("Action").map(String::as_str).unwrap_or_default();
        if self.actions.len() == MAX_ACTIONS {
            self.actions.remove(0);
        }
        self.actions.push(action.chars().take(64).collect());
        let result = match action {
            "DescribeGlobalClusters" => self.describe(form),
            "FailoverGlobalCluster" => self.failover(form),
            _ => Err(Fault::new(
                400,
                "InvalidAction",
                format!("the stand-in does not answer `{action}`"),
            )),
        };
        match result {
            Ok(result) => (
                200,
                format!(
                    "<{action}Response xmlns=\"{NAMESPACE}\"><{action}Result>{result}</{action}Result>\
                     <ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>\
                     </{action}Response>"
                ),
            ),
            Err(fault) => (fault.status, fault.body(&request_id)),
        }
    }

    fn find(&self, identifier: &str) -> Result<usize, Fault> {
        self.clusters
            .iter()
            .position(|c| c.id.eq_ignore_ascii_case(identifier) || c.arn() == identifier)
            .ok_or_else(|| {
                Fault::new(
                    404,
                    "GlobalClusterNotFoundFault",
                    format!("Global cluster {identifier} not found"),
                )
            })
    }

    fn describe(&mut self, form: &BTreeMap<String, String>) -> Result<String, Fault> {
        let max_records = match form.get("MaxRecords") {
            None => 100,
            Some(value) => value
                .parse::<usize>()
                .ok()
                .filter(|n| (20..=100).contains(n))
                .ok_or_else(|| {
                    Fault::new(
                        400,
                        "InvalidParameterValue",
                        format!("MaxRecords must be from 20 to 100, not {value}"),
                    )
                })?,
        };
        let selected: Vec<usize> = match form.get("GlobalClusterIdentifier") {
            Some(identifier) => vec![self.find(identifier)?],
            None => (0..self.clusters.len()).collect(),
        };
        let start = match form.get("Marker") {
            None => 0,
            Some(marker) => marker
                .strip_prefix("page-from-")
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|&n| n < selected.len())
                .ok_or_else(|| {
                    Fault::new(
                        400,
                        "InvalidParameterValue",
                        format!("the marker {marker} is not one this service gave"),
                    )
                })?,
        };
        let end = selected.len().min(start + max_records);
        let mut out = String::from("<GlobalClusters>");
        for &index in &selected[start..end] {
            let cluster = &mut self.clusters[index];
            cluster.advance();
            cluster.write("GlobalClusterMember", &mut out);
        }
        out.push_str("</GlobalClusters>");
        if end < selected.len() {
            let _ = write!(out, "<Marker>page-from-{end}</Marker>");
        }
        Ok(out)
    }

    fn failover(&mut self, form: &BTreeMap<String, String>) -> Result<String, Fault> {
        let missing =
            |name: &str| Fault::new(400, "MissingParameter", format!("{name} is required"));
        let identifier = form
            .get("GlobalClusterIdentifier")
            .ok_or_else(|| missing("GlobalClusterIdentifier"))?;
        let target = form
            .get("TargetDbClusterIdentifier")
            .ok_or_else(|| missing("TargetDbClusterIdentifier"))?;
        let flag = |name: &str| form.get(name).is_some_and(|v| v == "true");
        let (data_loss, switchover) = (flag("AllowDataLoss"), flag("Switchover"));
        if data_loss && switchover {
            return Err(Fault::new(
                400,
                "InvalidParameterCombination",
                "AllowDataLoss and Switchover cannot both be true",
            ));
        }
        let index = self.find(identifier)?;
        let settle_after = self.settle_after;
        let cluster = &mut self.clusters[index];
        let to = cluster
            .members
            .iter()
            .position(|arn| arn == target)
            .ok_or_else(|| {
                Fault::new(
                    404,
                    "DBClusterNotFoundFault",
                    format!("DBCluster {target} is not a member of {}", cluster.id),
                )
            })?;
        if cluster.failover.is_some() {
            return Err(Fault::new(
                400,
                "InvalidGlobalClusterStateFault",
                format!("Global cluster {} is not available", cluster.id),
            ));
        }
        if to == cluster.writer {
            return Err(Fault::new(
                400,
                "InvalidDBClusterStateFault",
                format!("DBCluster {target} is already the writer of {}", cluster.id),
            ));
        }
        cluster.failover = Some(Failover {
            to,
            data_loss,
            descriptions_left: settle_after,
        });
        let mut out = String::new();
        cluster.write("GlobalCluster", &mut out);
        Ok(out)
    }
}

impl GlobalCluster {
    fn arn(&self) -> String {
        format!("arn:aws:rds::123456789012:global-cluster:{}", self.id)
    }

    /// One description passes: a failover in progress comes nearer its end, and ends at the
    /// description that finds it done.
    fn advance(&mut self) {
        let Some(failover) = &mut self.failover else {
            return;
        };
        failover.descriptions_left -= 1;
        if failover.descriptions_left == 0 {
            self.writer = failover.to;
            self.failover = None;
        }
    }

    /// The global database as an `element` element: `GlobalCluster` alone, `GlobalClusterMember`
    /// in a `GlobalClusters` list.
    fn write(&self, element: &str, out: &mut String) {
        let status = match &self.failover {
            None => "available",
            Some(f) if f.data_loss => "failing-over",
            Some(_) => "switching-over",
        };
        let _ = write!(
            out,
            "<{element}><GlobalClusterIdentifier>{id}</GlobalClusterIdentifier>\
             <GlobalClusterResourceId>cluster-{id}</GlobalClusterResourceId>\
             <GlobalClusterArn>{arn}</GlobalClusterArn><Status>{status}</Status>\
             <Engine>neptune</Engine><EngineVersion>1.4.5.0</EngineVersion>\
             <StorageEncrypted>true</StorageEncrypted><DeletionProtection>false</DeletionProtection>\
             <GlobalClusterMembers>",
            id = escape(&self.id),
            arn = escape(&self.arn()),
        );
        for (index, arn) in self.members.iter().enumerate() {
            let writer = index == self.writer;
            let _ = write!(
                out,
                "<GlobalClusterMember><DBClusterArn>{}</DBClusterArn><Readers>",
                escape(arn)
            );
            if writer {
                for reader in self.members.iter().filter(|other| *other != arn) {
                    let _ = write!(out, "<member>{}</member>", escape(reader));
                }
            }
            let _ = write!(
                out,
                "</Readers><IsWriter>{writer}</IsWriter></GlobalClusterMember>"
            );
        }
        out.push_str("</GlobalClusterMembers>");
        if let Some(failover) = &self.failover {
            let _ = write!(
                out,
                "<FailoverState><Status>pending</Status><FromDbClusterArn>{}</FromDbClusterArn>\
                 <ToDbClusterArn>{}</ToDbClusterArn><IsDataLossAllowed>{}</IsDataLossAllowed>\
                 </FailoverState>",
                escape(&self.members[self.writer]),
                escape(&self.members[failover.to]),
                failover.data_loss
            );
        }
        let _ = write!(out, "</{element}>");
    }
}

/// An error answer.
#[derive(Debug)]
struct Fault {
    status: u16,
    code: &'static str,
    message: String,
}

impl Fault {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Fault {
        Fault {
            status,
            code,
            message: message.into(),
        }
    }

    fn body(&self, request_id: &str) -> String {
        let kind = if self.status >= 500 {
            "Receiver"
        } else {
            "Sender"
        };
        format!(
            "<ErrorResponse xmlns=\"{NAMESPACE}\"><Error><Type>{kind}</Type><Code>{}</Code>\
             <Message>{}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>",
            self.code,
            escape(&self.message)
        )
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Serves the requests of one connection until the client closes it, goes silent for [`IDLE`],
/// or sends something the stand-in will not read.
async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let mut buffer = Vec::new();
    loop {
        let request = match tokio::time::timeout(IDLE, read_request(&mut stream, &mut buffer)).await
        {
            Ok(Ok(Some(request))) => request,
            Ok(Err(refusal)) => {
                let _ = respond(&mut stream, refusal.status, &refusal.body("stand-in"), true).await;
                return;
            }
            Ok(Ok(None)) | Err(_) => return,
        };
        let close = request.close;
        let (status, body) = if !request.signed {
            let fault = Fault::new(
                403,
                "MissingAuthenticationToken",
                "the request is not signed with SigV4",
            );
            (403, fault.body("stand-in"))
        } else {
            let form = parse_form(&request.body);
            let mut state = state
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            state.answer(&form)
        };
        if respond(&mut stream, status, &body, close).await.is_err() || close {
            return;
        }
    }
}

/// One request, as far as the stand-in reads it.
struct Request {
    signed: bool,
    /// The client asked for the connection to be closed after the answer.
    close: bool,
    body: Vec<u8>,
}

/// Reads the next request; `None` when the client closed the connection between requests.
async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> Result<Option<Request>, Fault> {
    let refuse = |status, message: &str| Fault::new(status, "BadRequest", message);
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        if buffer.len() > MAX_HEAD {
            return Err(refuse(431, "the request head is too large"));
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) if buffer.is_empty() => return Ok(None),
            Ok(0) | Err(_) => return Err(refuse(400, "the connection closed mid-request")),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut length = None;
    let mut signed = false;
    let mut close = false;
    for line in head.lines().skip(1) {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        match name.as_str() {
            "content-length" => length = value.parse::<usize>().ok(),
            "authorization" => signed = value.starts_with("AWS4-HMAC-SHA256 Credential="),
            "connection" => close = value.eq_ignore_ascii_case("close"),
            "transfer-encoding" => return Err(refuse(411, "send a Content-Length")),
            _ => {}
        }
    }
    let length = length.ok_or_else(|| refuse(411, "send a Content-Length"))?;
    if length > MAX_BODY {
        return Err(refuse(413, "the request body is too large"));
    }
    let body_start = head_end + 4;
    while buffer.len() < body_start + length {
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return Err(refuse(400, "the connection closed mid-request")),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Ok(Some(Request {
        signed,
        close,
        body,
    }))
}

async fn respond(stream: &mut TcpStream, status: u16, body: &str, close: bool) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        411 => "Length Required",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        _ => "",
    };
    let connection = if close { "close" } else { "keep-alive" };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\
         Connection: {connection}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.flush().await
}

/// The pairs of a form-urlencoded body; a key given twice keeps its last value.
fn parse_form(body: &[u8]) -> BTreeMap<String, String> {
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

/// Percent-decoding, with `+` for a space; a malformed escape is kept as written.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(digit: u8) -> Option<u8> {
    char::from(digit).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_decoded() {
        let form =
            parse_form(b"Action=DescribeGlobalClusters&Marker=a%2Fb+c&Bad=%zz%4&Empty=&&Flag");
        assert_eq!(form["Action"], "DescribeGlobalClusters");
        assert_eq!(form["Marker"], "a/b c");
        assert_eq!(form["Bad"], "%zz%4");
        assert_eq!(form["Empty"], "");
        assert_eq!(form["Flag"], "");
        assert_eq!(form.len(), 5);
    }

    #[test]
    fn text_is_escaped_in_answers() {
        let fault = Fault::new(400, "InvalidAction", "<x> & \"y\"");
        assert!(
            fault
                .body("id")
                .contains("<Message>&lt;x&gt; &amp; &quot;y&quot;</Message>")
        );
    }
}
