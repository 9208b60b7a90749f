//! The `neptune` command: Amazon Neptune's global database commands of the AWS CLI as a small
//! native tool, printing what the AWS CLI v2 prints with `--output json`.
//!
//! [`run`] is the whole program without the process around it: it takes the arguments, the
//! environment, a way to make the HTTP transport and the two output streams, and returns the exit
//! status. The binary gives it the process's and a real transport; tests give it an in-memory
//! one.

pub mod args;
mod help;
pub mod token;
mod wire;

use std::borrow::Cow;
use std::future::Future;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use awsquery::client::SdkError;
use awsquery::credentials::{CredentialsError, CredentialsErrorKind};
use awsquery::endpoint::{EndpointError, EndpointErrorKind};
use awsquery::env::Env;
use awsquery::error::ProvideErrorMetadata;
use awsquery::paginator::PaginationError;
use awsquery::transport::{TransportError, TransportErrorKind};
use awsquery::waiter::WaiterError;
use awsquery_config::settings::{Settings, SettingsError};
use awsquery_config::{ConfigLoader, LoadError};
use awsquery_types::http::redact_userinfo;
use awsquery_types::json::{JsonWriter, ToJson};
use awsquery_types::text::{MAX_MESSAGE_CHARS, MAX_NAME_CHARS, escape_controls, printable};
use neptune_client::error::FailoverGlobalClusterError;
use neptune_client::failover::FailoverWaitError;
use neptune_client::types::{FailoverGlobalClusterOutput, GlobalCluster};
use neptune_client::{Client, Config, Transport};

use crate::args::{Command, CommandName, DescribeArgs, FailoverArgs, Globals, Parsed};
use crate::token::Resume;
use crate::wire::Wire;

/// The exit status of a wrong command line.
pub const USAGE_ERROR: i32 = 252;
/// The exit status when credentials, the Region or the profile cannot be found.
pub const CONFIG_ERROR: i32 = 253;
/// The exit status when the service answered with an error.
pub const SERVICE_ERROR: i32 = 254;
/// The exit status of every other failure.
pub const OTHER_ERROR: i32 = 255;

/// Standard error, shared with the `--debug` log that the transport writes.
pub type Stderr = Arc<Mutex<dyn Write + Send>>;

/// The socket timeouts asked for (`None`: no limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// `--cli-connect-timeout`.
    pub connect: Option<Duration>,
    /// `--cli-read-timeout`.
    pub read: Option<Duration>,
}

/// `neptune-cli/0.1.0 os/linux arch/x86_64`.
pub fn version() -> String {
    format!(
        "neptune-cli/{} os/{} arch/{}",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// Runs the command line `args` (without the program name) with the environment `env`, making its
/// transport with `connect` from the timeouts asked for and the settings of the environment and
/// the profile (`ca_bundle`), and returns the exit status. The same transport carries the calls of
/// the credential sources (STS, IAM Identity Center, the container endpoint, instance metadata).
pub async fn run<T, F, Fut>(
    args: &[String],
    env: &[(String, String)],
    connect: F,
    stdout: &mut dyn Write,
    stderr: &Stderr,
) -> i32
where
    T: Transport + Clone + Send + Sync + 'static,
    F: FnOnce(Timeouts, Settings) -> Fut,
    Fut: Future<Output = Result<T, SettingsError>>,
{
    let invocation = match args::parse(args) {
        Ok(Parsed::Run(invocation)) => *invocation,
        Ok(Parsed::Help(topic)) => {
            let text = topic.map_or_else(help::overview, help::command);
            return print(stdout, stderr, &text);
        }
        Ok(Parsed::Version) => return print(stdout, stderr, &format!("{}\n", version())),
        Err(error) => {
            write_err(
                stderr,
                &format!("{}\nneptune: error: {error}\n", help::USAGE),
            );
            return USAGE_ERROR;
        }
    };
    let globals = &invocation.globals;
    let log = globals.debug.then(|| stderr.clone());
    let debug = |message: &str| {
        if let Some(log) = &log {
            wire::log(log, message);
        }
    };
    let command_line: Vec<_> = args.iter().map(|arg| redact_userinfo(arg)).collect();
    debug(&format!("{} {}", version(), command_line.join(" ")));

    let timeouts = Timeouts {
        connect: globals.connect_timeout,
        read: globals.read_timeout,
    };
    let configured = configure(globals, env, timeouts, connect, &log, stderr, &debug).await;
    let (config, transport) = match configured {
        Ok(configured) => configured,
        Err(code) => return code,
    };
    let transport = Wire::new(transport, log.clone());
    let last_uri = transport.last_uri();
    let client = Client::new(config, transport);
    let mut session = Session {
        client: &client,
        stdout,
        stderr,
        last_uri,
    };
    match &invocation.command {
        Command::Failover(args) => session.failover(args).await,
        Command::Describe(args) => session.describe(args).await,
    }
}

/// The client configuration and the transport, with credentials, the Region and the settings
/// found as the AWS CLI finds them (`awsquery_config`'s chains): `--profile` stands for
/// `AWS_PROFILE`, and then the environment's keys are not used. A failure is reported on stderr
/// and gives the exit status.
///
/// Credentials are asked for before each request, as the client does with any provider; only the
/// existence of a `--profile` is checked here, before the Region, as the AWS CLI does.
async fn configure<T, F, Fut>(
    globals: &Globals,
    env: &[(String, String)],
    timeouts: Timeouts,
    connect: F,
    log: &Option<Stderr>,
    stderr: &Stderr,
    debug: &dyn Fn(&str),
) -> Result<(Config, T), i32>
where
    T: Transport + Clone + Send + Sync + 'static,
    F: FnOnce(Timeouts, Settings) -> Fut,
    Fut: Future<Output = Result<T, SettingsError>>,
{
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut loader = ConfigLoader::with_env(Env::from_pairs(&env));
    if let Some(profile) = &globals.profile {
        loader = loader.profile(profile);
    }
    if let Some(region) = &globals.region {
        loader = loader.region(region);
    }
    // The credential sources' requests are logged with `--debug` too, without their answers.
    let made = |settings| async move {
        let transport = connect(timeouts, settings).await?;
        Ok(Wire::for_credentials(transport, log.clone()))
    };
    let loaded = match loader.load_with(made).await {
        Ok(loaded) => loaded,
        Err(LoadError::ProfileNotFound(profile)) => {
            write_err(
                stderr,
                &format!("\nThe config profile ({profile}) could not be found\n"),
            );
            return Err(CONFIG_ERROR);
        }
        Err(e) => {
            write_err(stderr, &format!("\n{e}\n"));
            return Err(CONFIG_ERROR);
        }
    };
    let Ok(config) = loaded.client_config() else {
        write_err(
            stderr,
            "\nYou must specify a region. You can also configure your region by running \"aws configure\".\n",
        );
        return Err(CONFIG_ERROR);
    };
    debug(&format!(
        "region {}, profile {}, endpoint {}",
        config.region(),
        loaded.profile_name(),
        globals
            .endpoint_url
            .as_deref()
            .map_or(Cow::Borrowed("(the Region's)"), redact_userinfo)
    ));
    // As the AWS CLI, honour `AWS_ENDPOINT_URL_NEPTUNE`, `AWS_ENDPOINT_URL`, the profile's
    // `services` section and `endpoint_url`, and the FIPS and dual-stack variables;
    // `--endpoint-url` wins over them.
    let config = match &globals.endpoint_url {
        Some(url) => config.with_endpoint_url(url),
        None => config,
    };
    Ok((config, loaded.transport().inner().clone()))
}

/// A command being run: the client and where its output goes.
struct Session<'a, T> {
    client: &'a Client<Wire<T>>,
    stdout: &'a mut dyn Write,
    stderr: &'a Stderr,
    last_uri: wire::LastUri,
}

impl<T: Transport> Session<'_, T> {
    async fn failover(&mut self, args: &FailoverArgs) -> i32 {
        self.last_uri.reset();
        let result = self
            .client
            .failover_global_cluster()
            .global_cluster_identifier(&args.global_cluster_identifier)
            .target_db_cluster_identifier(&args.target_db_cluster_identifier)
            .set_allow_data_loss(args.allow_data_loss)
            .set_switchover(args.switchover)
            .send()
            .await;
        let output = match result {
            Ok(output) => output,
            Err(error) => {
                let retried_after_no_answer = self.last_uri.unanswered() > 0
                    && matches!(
                        error.service_error(),
                        Some(FailoverGlobalClusterError::InvalidGlobalClusterStateFault(
                            _
                        ))
                    );
                let code = self.sdk_error(CommandName::Failover.operation(), error);
                if retried_after_no_answer {
                    self.err(RETRIED_FAILOVER_NOTE);
                }
                return code;
            }
        };
        if !args.wait {
            return self.print_json(&output);
        }
        let waited = self
            .client
            .wait_until_failover_complete()
            .global_cluster_identifier(&args.global_cluster_identifier)
            .target_db_cluster_identifier(&args.target_db_cluster_identifier)
            .delays(args.wait_delay, args.wait_delay.max(args::MAX_WAIT_DELAY))
            .wait(args.wait_timeout)
            .await;
        match waited {
            Ok(cluster) => {
                let mut output = FailoverGlobalClusterOutput::default();
                output.global_cluster = Some(cluster);
                self.print_json(&output)
            }
            Err(error) => self.wait_error(error),
        }
    }

    async fn describe(&mut self, args: &DescribeArgs) -> i32 {
        let manual = args.max_records.is_some() || args.marker.is_some();
        if args.no_paginate || manual {
            let used: Vec<&str> = [
                ("--starting-token", args.starting_token.is_some()),
                ("--page-size", args.page_size.is_some()),
                ("--max-items", args.max_items.is_some()),
            ]
            .into_iter()
            .filter_map(|(name, set)| set.then_some(name))
            .collect();
            if !used.is_empty() {
                let why = if args.no_paginate {
                    "--no-paginate"
                } else {
                    "--max-records or --marker (which turn automatic pagination off)"
                };
                self.err(&format!(
                    "\nParameter validation failed:\nCannot specify {why} along with pagination arguments: {}\n",
                    used.join(", ")
                ));
                return USAGE_ERROR;
            }
            let result = self
                .client
                .describe_global_clusters()
                .set_global_cluster_identifier(args.global_cluster_identifier.clone())
                .set_max_records(args.max_records)
                .set_marker(args.marker.clone())
                .send()
                .await;
            return match result {
                Ok(output) => self.print_json(&output),
                Err(error) => self.sdk_error(CommandName::Describe.operation(), error),
            };
        }

        let resume = args
            .starting_token
            .as_deref()
            .map(token::decode)
            .unwrap_or_default();
        let mut pages = self
            .client
            .describe_global_clusters()
            .set_global_cluster_identifier(args.global_cluster_identifier.clone())
            .set_max_records(args.page_size)
            .set_marker(resume.marker.clone())
            .into_paginator();
        let max_items = args.max_items.map(|n| usize::try_from(n).unwrap_or(0));
        let mut clusters: Option<Vec<GlobalCluster>> = None;
        let mut total = 0;
        let mut next: Option<Resume> = None;
        let mut first = true;
        loop {
            let sent = pages.next_token().map(str::to_owned);
            let Some(page) = pages.next_page().await else {
                break;
            };
            let page = match page {
                Ok(page) => page,
                Err(error) => return self.sdk_error(CommandName::Describe.operation(), error),
            };
            let present = page.global_clusters.is_some();
            let mut items = page.global_clusters.unwrap_or_default();
            let skipped = if first { resume.skip } else { 0 };
            if first {
                items.drain(..skipped.min(items.len()));
                first = false;
            }
            if let Some(max) = max_items {
                if total + items.len() > max {
                    let keep = max - total;
                    items.truncate(keep);
                    next = Some(Resume {
                        marker: sent,
                        skip: keep + skipped,
                    });
                }
            }
            total += items.len();
            if present {
                clusters.get_or_insert_with(Vec::new).extend(items);
            }
            if next.is_some() || pages.is_done() {
                break;
            }
            if max_items == Some(total) {
                next = Some(Resume {
                    marker: pages.next_token().map(str::to_owned),
                    skip: 0,
                });
                break;
            }
        }
        let mut w = JsonWriter::new();
        w.begin_object();
        w.member("GlobalClusters", &clusters);
        w.member("NextToken", &next.as_ref().map(token::encode));
        w.end_object();
        self.print_text(w.finish())
    }

    /// Prints `value` as the AWS CLI does: nothing for an empty object.
    fn print_json<V: ToJson>(&mut self, value: &V) -> i32 {
        self.print_text(awsquery_types::json::to_string(value))
    }

    fn print_text(&mut self, text: String) -> i32 {
        if text == "{}" {
            return 0;
        }
        print(self.stdout, self.stderr, &format!("{text}\n"))
    }

    fn err(&self, text: &str) {
        write_err(self.stderr, text);
    }

    /// The URL of the last request, as the AWS CLI names it in connection errors.
    fn endpoint(&self) -> String {
        self.last_uri.get().unwrap_or_default()
    }

    /// Reports a failed call as the AWS CLI v2 does, and gives the exit status.
    fn sdk_error<E>(&self, operation: &str, error: SdkError<E>) -> i32
    where
        E: ProvideErrorMetadata + std::error::Error,
    {
        match error {
            SdkError::Service(e) => match service_error(&e) {
                ServiceError::Coded { code, message } => {
                    self.err(&format!(
                        "\nAn error occurred ({code}) when calling the {operation} operation: {message}\n"
                    ));
                    SERVICE_ERROR
                }
                ServiceError::Unreadable(text) => {
                    self.err(&format!("\n{text}\n"));
                    OTHER_ERROR
                }
            },
            SdkError::Transport(e) => {
                self.err(&format!("\n{}\n", connection_error(&e, &self.endpoint())));
                OTHER_ERROR
            }
            SdkError::Build(e) => {
                self.err(&format!("\nParameter validation failed:\n{e}\n"));
                USAGE_ERROR
            }
            SdkError::Endpoint(e) => endpoint_error(self.stderr, &e),
            SdkError::Credentials(e) => credentials_error(self.stderr, &e),
            SdkError::Pagination(e) => {
                self.err(&format!(
                    "\nError during pagination: {}\n",
                    pagination_error(&e)
                ));
                OTHER_ERROR
            }
            other => {
                self.err(&format!("\n{other}\n"));
                OTHER_ERROR
            }
        }
    }

    fn wait_error(&self, error: WaiterError<GlobalCluster, FailoverWaitError>) -> i32 {
        let reason = match error {
            WaiterError::Timeout(timeout) => {
                let mut reason = format!(
                    "Max wait time of {} seconds exceeded ({} polls)",
                    timeout.max_wait().as_secs_f64(),
                    timeout.attempts()
                );
                if let Some(cluster) = timeout.last() {
                    reason.push_str(&format!("; last seen: {}", summary(cluster)));
                }
                reason
            }
            WaiterError::Failure(FailoverWaitError::GlobalClusterNotFound {
                identifier,
                fault,
            }) => match fault {
                Some(fault) => format!(
                    "An error occurred ({}): {}",
                    fault.meta.code().unwrap_or("GlobalClusterNotFoundFault"),
                    fault.message().unwrap_or("Unknown")
                ),
                None => format!(
                    "Waiter encountered a terminal failure state: the global cluster {identifier} is not in the DescribeGlobalClusters answer"
                ),
            },
            WaiterError::Failure(FailoverWaitError::Describe(SdkError::Service(e))) => {
                match service_error(&e) {
                    ServiceError::Coded { code, message } => {
                        format!("An error occurred ({code}): {message}")
                    }
                    ServiceError::Unreadable(text) => text,
                }
            }
            WaiterError::Failure(FailoverWaitError::Describe(SdkError::Endpoint(e))) => {
                return endpoint_error(self.stderr, &e);
            }
            WaiterError::Failure(FailoverWaitError::Describe(SdkError::Credentials(e))) => {
                return credentials_error(self.stderr, &e);
            }
            WaiterError::Failure(FailoverWaitError::Describe(SdkError::Transport(e))) => {
                // As in the AWS CLI, a connection failure is reported as itself.
                self.err(&format!("\n{}\n", connection_error(&e, &self.endpoint())));
                return OTHER_ERROR;
            }
            other => other.to_string(),
        };
        self.err(&format!("\nWaiter FailoverComplete failed: {reason}\n"));
        OTHER_ERROR
    }
}

/// Added to an `InvalidGlobalClusterStateFault` of a failover that was sent again after an attempt
/// got no answer: that attempt may have reached the service and started the failover, which is
/// then why the global database is not in a state to start one.
const RETRIED_FAILOVER_NOTE: &str = "\nNote: an earlier attempt of this FailoverGlobalCluster call got \
no response (a timeout or a broken connection) and the call was sent again. The earlier attempt \
may have reached the service and started the failover, which would explain this error. Check the \
global cluster with `neptune describe-global-clusters --global-cluster-identifier ID` before \
trying again.\n";

/// A service error as the AWS CLI reads it.
enum ServiceError {
    /// An error response: its code (`Unknown` if it had none) and message.
    Coded { code: String, message: String },
    /// A response that could not be read, described.
    Unreadable(String),
}

fn service_error<E>(error: &E) -> ServiceError
where
    E: ProvideErrorMetadata + std::error::Error,
{
    let meta = error.meta();
    match (meta.code(), std::error::Error::source(error)) {
        (None, Some(reason)) => ServiceError::Unreadable(format!(
            "Unable to parse response ({reason}), invalid XML received (HTTP {}):\n{}",
            meta.status,
            meta.message()
                .map_or(Cow::Borrowed("(empty body)"), |m| printable(
                    m,
                    MAX_MESSAGE_CHARS
                ))
        )),
        (code, _) => ServiceError::Coded {
            code: printable(code.unwrap_or("Unknown"), MAX_NAME_CHARS).into_owned(),
            message: printable(meta.message().unwrap_or("Unknown"), MAX_MESSAGE_CHARS).into_owned(),
        },
    }
}

/// No credentials: the AWS CLI's message when none are configured, else what is wrong with them.
fn credentials_error(stderr: &Stderr, error: &CredentialsError) -> i32 {
    if error.kind() == CredentialsErrorKind::NotFound {
        write_err(
            stderr,
            "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n",
        );
    } else {
        write_err(stderr, &format!("\n{error}\n"));
    }
    CONFIG_ERROR
}

/// No endpoint: a setting that is wrong (an endpoint URL from the environment that is not one) is a
/// configuration error, anything else (the rules refusing the Region or the flags) a failure.
fn endpoint_error(stderr: &Stderr, error: &EndpointError) -> i32 {
    write_err(stderr, &format!("\n{error}\n"));
    match error.kind() {
        EndpointErrorKind::Configuration => CONFIG_ERROR,
        _ => OTHER_ERROR,
    }
}

/// The AWS CLI's wording for a paginator that stopped (it names the command's one token, `Marker`).
fn pagination_error(error: &PaginationError) -> String {
    match error {
        PaginationError::RepeatedToken { token } => format!(
            "The same next token was received twice: {{'Marker': '{}'}}",
            printable(token, MAX_NAME_CHARS)
        ),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            chars.next().map_or(text.clone(), |first| {
                first.to_uppercase().chain(chars).collect()
            })
        }
    }
}

/// The AWS CLI's wording for a request that got no response.
fn connection_error(error: &TransportError, endpoint: &str) -> String {
    let endpoint = redact_userinfo(endpoint);
    match error.kind() {
        TransportErrorKind::Connect => {
            format!("Could not connect to the endpoint URL: \"{endpoint}\"")
        }
        TransportErrorKind::Timeout => {
            format!("Read timeout on endpoint URL: \"{endpoint}\" ({error})")
        }
        TransportErrorKind::ResponseTooLarge => {
            format!("The response from endpoint URL \"{endpoint}\" was not read: {error}")
        }
        _ => format!(
            "Connection was closed before we received a valid response from endpoint URL: \"{endpoint}\" ({error})."
        ),
    }
}

/// `status available, writer arn:…` for a timeout message.
fn summary(cluster: &GlobalCluster) -> String {
    let writer = cluster
        .global_cluster_members
        .iter()
        .flatten()
        .find(|m| m.is_writer == Some(true))
        .and_then(|m| m.db_cluster_arn.as_deref())
        .unwrap_or("none");
    format!(
        "status {}, writer {writer}",
        cluster.status.as_deref().unwrap_or("unknown")
    )
}

fn print(stdout: &mut dyn Write, stderr: &Stderr, text: &str) -> i32 {
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => 0,
        Err(e) => {
            write_err(stderr, &format!("\ncannot write the output: {e}\n"));
            OTHER_ERROR
        }
    }
}

/// Writes to stderr with every control character but the line break escaped: whatever part of
/// `text` came from a server cannot drive the terminal.
fn write_err(stderr: &Stderr, text: &str) {
    let text: String = text
        .split('\n')
        .map(escape_controls)
        .collect::<Vec<_>>()
        .join("\n");
    if let Ok(mut stderr) = stderr.lock() {
        let _ = write!(stderr, "{text}");
        let _ = stderr.flush();
    }
}
