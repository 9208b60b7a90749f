//! Running a command: configuration as the AWS CLI finds it, the input built from the options,
//! the call (paged or waited on), the output and the errors with the AWS CLI's words and exit
//! statuses.

use std::borrow::Cow;
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use awsquery::client::Config;
use awsquery::credentials::{CredentialsError, CredentialsErrorKind};
use awsquery::endpoint::{EndpointError, EndpointErrorKind};
use awsquery::env::Env;
use awsquery::paginator::PaginationError;
use awsquery::transport::{Transport, TransportError, TransportErrorKind};
use awsquery_config::settings::{Settings, SettingsError};
use awsquery_config::{ConfigLoader, LoadError};
use awsquery_types::http::redact_userinfo;
use awsquery_types::text::{MAX_NAME_CHARS, escape_controls, printable};
use serde_json::{Map, Value};

use crate::args::{self, Extra, Given, Globals, Parsed, Target, Topic, last};
use crate::call::{CallError, DynTransport, ServiceError};
use crate::output::{Format, Formatter, OutputError, UnknownFormat};
use crate::query::Query;
use crate::table::{Command, Service};
use crate::wire::{self, LastUri, Wire};
use crate::{completion, help, paginate, skeleton, values, wait};

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

/// A future an [`Extension`] runs instead of the engine.
pub type ExtensionFuture<'a> = Pin<Box<dyn Future<Output = i32> + 'a>>;

/// The hand-written behaviour of a service's command line beside its table: options a command takes
/// beside its input members, checks between options, and commands run differently.
pub trait Extension<C: 'static>: Sync {
    /// The options `command` takes beside its input members.
    fn options(&self, command: &str) -> &'static [Extra] {
        let _ = command;
        &[]
    }

    /// Checks the options of `command` as given; the error is a usage error.
    fn check(&self, command: &str, given: &[Given]) -> Result<(), args::UsageError> {
        let _ = (command, given);
        Ok(())
    }

    /// Runs `command` with `input` in place of the engine, or returns `None` to leave it to the
    /// engine.
    fn run<'a>(
        &'a self,
        command: &'static Command<C>,
        session: &'a mut Session<'_, C>,
        input: Value,
        given: &'a [Given],
    ) -> Option<ExtensionFuture<'a>> {
        let _ = (command, session, input, given);
        None
    }
}

/// No hand-written behaviour.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoExtension;

impl<C: 'static> Extension<C> for NoExtension {}

/// `<name>-cli/0.1.0 os/linux arch/x86_64`.
pub fn version<C>(service: &Service<C>, version: &str) -> String {
    format!(
        "{}-cli/{version} os/{} arch/{}",
        service.name,
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// The program: the service's table and extension, and its version.
#[derive(Debug)]
pub struct Program<'p, C: 'static, X> {
    /// The command table.
    pub service: &'p Service<C>,
    /// The hand-written part.
    pub extension: &'p X,
    /// The version printed by `--version`.
    pub version: &'p str,
}

/// Runs the command line `args` (without the program name) with the environment `env`, making its
/// transport with `connect` from the timeouts asked for and the settings of the environment and
/// the profile, and returns the exit status.
pub async fn run<C, X, T, F, Fut>(
    program: &Program<'_, C, X>,
    args: &[String],
    env: &[(String, String)],
    connect: F,
    stdout: &mut dyn Write,
    stderr: &Stderr,
) -> i32
where
    C: 'static,
    X: Extension<C>,
    T: Transport + Clone + Send + Sync + 'static,
    F: FnOnce(Timeouts, Settings) -> Fut,
    Fut: Future<Output = Result<T, SettingsError>>,
{
    let service = program.service;
    let extension = program.extension;
    let extras = |name: &str| extension.options(name);
    let usage = |error: &args::UsageError| {
        write_err(
            stderr,
            &format!(
                "{}\n{}: error: {error}\n",
                help::usage(service),
                service.name
            ),
        );
        USAGE_ERROR
    };
    let invocation = match args::parse(service, &extras, args) {
        Ok(Parsed::Run(invocation)) => *invocation,
        Ok(Parsed::Help(topic)) => {
            let text = match topic {
                Topic::Service => help::service(service),
                Topic::Command(command) => help::command(service, command, extras(command.name)),
                Topic::Wait => help::waiters(service),
                Topic::Waiter(waiter) => help::waiter(service, waiter),
            };
            return print(stdout, stderr, &text);
        }
        Ok(Parsed::Version) => {
            return print(
                stdout,
                stderr,
                &format!("{}\n", version(service, program.version)),
            );
        }
        Ok(Parsed::Completion(shell)) => {
            return match completion::script(service, &extras, &shell) {
                Ok(script) => print(stdout, stderr, &script),
                Err(error) => usage(&error),
            };
        }
        Err(error) => return usage(&error),
    };
    let command = invocation.target.command();
    if let Err(error) = extension.check(command.name, &invocation.given) {
        return usage(&error);
    }
    if let Some(g) = last(&invocation.given, "generate-cli-skeleton") {
        let text = match g.values.first().map(String::as_str) {
            Some("output") => skeleton::output(service, command),
            _ => skeleton::input(service, command),
        };
        return print(stdout, stderr, &format!("{text}\n"));
    }
    let given = match read_files(invocation.given).await {
        Ok(given) => given,
        Err(message) => {
            write_err(stderr, &format!("\n{message}\n"));
            return USAGE_ERROR;
        }
    };
    let globals = &invocation.globals;
    let input = match build_input(service, command, &given) {
        Ok(input) => input,
        Err(message) => {
            write_err(stderr, &format!("\n{message}\n"));
            return USAGE_ERROR;
        }
    };
    let query = match globals.query.as_deref().map(Query::parse).transpose() {
        Ok(query) => query,
        Err(error) => {
            write_err(stderr, &format!("\n{error}\n"));
            return USAGE_ERROR;
        }
    };
    let pages = match paginate::plan(command, globals, &given, &input) {
        Ok(plan) => plan,
        Err(message) => {
            write_err(stderr, &format!("\n{message}\n"));
            return USAGE_ERROR;
        }
    };

    let log = globals.debug.then(|| stderr.clone());
    let command_line: Vec<_> = args.iter().map(|arg| redact_userinfo(arg)).collect();
    if let Some(log) = &log {
        wire::log(
            log,
            &format!(
                "{} {}",
                version(service, program.version),
                command_line.join(" ")
            ),
        );
    }
    let timeouts = Timeouts {
        connect: globals.connect_timeout,
        read: globals.read_timeout,
    };
    let (config, transport, profile_output) =
        match configure(globals, env, timeouts, connect, &log, stderr).await {
            Ok(configured) => configured,
            Err(code) => return code,
        };
    // `--output`, else `AWS_DEFAULT_OUTPUT`, else the profile's `output`, else JSON.
    let format = globals
        .output
        .clone()
        .or_else(|| {
            env.iter()
                .find(|(key, _)| key == "AWS_DEFAULT_OUTPUT")
                .map(|(_, value)| value.clone())
        })
        .or(profile_output);
    let format = match format.as_deref().map(str::parse::<Format>) {
        None => Format::Json,
        Some(Ok(format)) => format,
        Some(Err(UnknownFormat(name))) => {
            write_err(stderr, &format!("\nUnknown output type: {name}\n"));
            return OTHER_ERROR;
        }
    };
    let mut formatter = Formatter::new(format, command.operation);
    if let Some(query) = query {
        formatter = formatter.with_query(query);
    }
    let transport = Wire::new(transport, log.clone());
    let last_uri = transport.last_uri();
    let transport = DynTransport::new(transport);
    let client = (service.client)(config, transport.clone());
    let mut session = Session {
        client: &client,
        transport,
        globals,
        formatter,
        stdout,
        stderr,
        last_uri,
    };
    match invocation.target {
        Target::Wait(waiter, command) => wait::run(&mut session, waiter, command, input).await,
        Target::Command(command) => {
            if let Some(future) = extension.run(command, &mut session, input.clone(), &given) {
                return future.await;
            }
            match pages {
                Some(plan) => paginate::run(&mut session, command, input, plan).await,
                None => {
                    session.last_uri.reset();
                    match (command.call)(session.client, input).await {
                        Ok(output) => session.print_result(&output),
                        Err(error) => session.report(command.operation, error),
                    }
                }
            }
        }
    }
}

/// Reads the values given as `file://path` (text) and `fileb://path` (bytes, in base64), as the
/// AWS CLI does for every parameter.
async fn read_files(given: Vec<Given>) -> Result<Vec<Given>, String> {
    let mut out = Vec::with_capacity(given.len());
    for mut g in given {
        for value in &mut g.values {
            if let Some(path) = value.strip_prefix("file://") {
                *value = tokio::fs::read_to_string(path).await.map_err(|e| {
                    format!(
                        "Error parsing parameter '--{}': Unable to load paramfile {value}: {e}",
                        g.name
                    )
                })?;
            } else if let Some(path) = value.strip_prefix("fileb://") {
                let bytes = tokio::fs::read(path).await.map_err(|e| {
                    format!(
                        "Error parsing parameter '--{}': Unable to load paramfile {value}: {e}",
                        g.name
                    )
                })?;
                let mut text = String::new();
                awsquery_types::base64::encode(&bytes, &mut text);
                *value = text;
            }
        }
        out.push(g);
    }
    Ok(out)
}

/// The input: `--cli-input-json`, then the options over it, then the AWS CLI's checks of the
/// whole (unknown members, types, required members).
pub fn build_input<C>(
    service: &Service<C>,
    command: &Command<C>,
    given: &[Given],
) -> Result<Value, String> {
    let mut input = Map::new();
    if let Some(g) = last(given, "cli-input-json") {
        let text = g.values.first().map(String::as_str).unwrap_or_default();
        let value: Value = serde_json::from_str(text).map_err(|e| {
            format!("Error parsing parameter '--cli-input-json': Invalid JSON received: {e}")
        })?;
        let fitted = values::fit_json(service.shapes, command.input, &value, "")
            .map_err(|e| format!("Parameter validation failed:\n{e}"))?;
        if let Value::Object(object) = fitted {
            input = object;
        }
    }
    for opt in command.options {
        let positive = last(given, opt.name);
        let negative_name = format!("no-{}", opt.name);
        let negative = last(given, &negative_name);
        let position =
            |g: Option<&Given>| g.and_then(|g| given.iter().rposition(|x| std::ptr::eq(x, g)));
        let value = match (service.shape(opt.shape).kind, positive, negative) {
            (_, None, None) => continue,
            (crate::table::Kind::Boolean, p, n) => Value::Bool(position(p) > position(n)),
            (_, Some(g), _) => values::option_value(service.shapes, opt.shape, &g.values)
                .map_err(|e| format!("Error parsing parameter '--{}': {e}", opt.name))?,
            (_, None, Some(_)) => continue,
        };
        input.insert(opt.member.to_owned(), value);
    }
    let input = Value::Object(input);
    let missing = values::missing_required(service.shapes, command.input, &input, "");
    if !missing.is_empty() {
        return Err(format!(
            "Parameter validation failed:\n{}",
            missing.join("\n")
        ));
    }
    Ok(input)
}

/// The client configuration and the transport, with credentials, the Region and the settings
/// found as the AWS CLI finds them (`awsquery_config`'s chains): `--profile` stands for
/// `AWS_PROFILE`, and then the environment's keys are not used. A failure is reported on stderr
/// and gives the exit status.
async fn configure<T, F, Fut>(
    globals: &Globals,
    env: &[(String, String)],
    timeouts: Timeouts,
    connect: F,
    log: &Option<Stderr>,
    stderr: &Stderr,
) -> Result<(Config, T, Option<String>), i32>
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
    if let Some(log) = log {
        wire::log(
            log,
            &format!(
                "region {}, profile {}, endpoint {}",
                config.region(),
                loaded.profile_name(),
                globals
                    .endpoint_url
                    .as_deref()
                    .map_or(Cow::Borrowed("(the Region's)"), redact_userinfo)
            ),
        );
    }
    // The environment's and the profile's endpoint settings apply; `--endpoint-url` wins.
    let config = match &globals.endpoint_url {
        Some(url) => config.with_endpoint_url(url),
        None => config,
    };
    let output = loaded
        .profiles()
        .profile(loaded.profile_name())
        .and_then(|profile| profile.get("output"))
        .map(str::to_owned);
    Ok((config, loaded.transport().inner().clone(), output))
}

/// A command being run: the client, the global options and where the output goes.
pub struct Session<'a, C> {
    /// The service's client.
    pub client: &'a C,
    /// The client's transport (waits between polls go through it).
    pub transport: DynTransport,
    /// The global options.
    pub globals: &'a Globals,
    /// How results are written: `--output` (or its settings) and `--query`.
    pub formatter: Formatter,
    stdout: &'a mut dyn Write,
    stderr: &'a Stderr,
    last_uri: LastUri,
}

impl<C> std::fmt::Debug for Session<'_, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("globals", &self.globals)
            .finish_non_exhaustive()
    }
}

impl<C> Session<'_, C> {
    /// Prints a result and gives the exit status.
    pub fn print_result(&mut self, value: &Value) -> i32 {
        let mut out = Vec::new();
        let written = if self.formatter.format().by_page() {
            self.formatter.write_page(value, &mut out)
        } else {
            self.formatter.write(value, &mut out)
        };
        self.finish(written, &out)
    }

    /// Prints the pages of a listing in a format written page by page (`text`, `yaml-stream`),
    /// each holding what the AWS CLI keeps of it, then the token that resumes the listing when
    /// `--max-items` stopped it.
    pub fn print_pages(&mut self, pages: &[Value], next_token: Option<&str>) -> i32 {
        let mut out = Vec::new();
        let mut written = Ok(());
        for page in pages {
            written = self.formatter.write_page(page, &mut out);
            if written.is_err() {
                break;
            }
        }
        if let (Ok(()), Some(token)) = (&written, next_token) {
            written = self.formatter.write_next_token(token, &mut out);
        }
        self.finish(written, &out)
    }

    /// Prints what was written, or reports why it could not be.
    fn finish(&mut self, written: Result<(), OutputError>, out: &[u8]) -> i32 {
        match written {
            Ok(()) => print(self.stdout, self.stderr, &String::from_utf8_lossy(out)),
            Err(OutputError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
            Err(e) => {
                self.err(&format!("\n{e}\n"));
                OTHER_ERROR
            }
        }
    }

    /// Writes `text` on stderr, control characters escaped.
    pub fn err(&self, text: &str) {
        write_err(self.stderr, text);
    }

    /// Attempts that got no response (a timeout, a broken connection) since the last call started.
    pub fn unanswered_attempts(&self) -> u32 {
        self.last_uri.unanswered()
    }

    /// Starts counting unanswered attempts for a new call.
    pub fn reset_attempts(&self) {
        self.last_uri.reset();
    }

    /// The URL of the last request, as the AWS CLI names it in connection errors.
    fn endpoint(&self) -> String {
        self.last_uri.get().unwrap_or_default()
    }

    /// Reports a failed call as the AWS CLI v2 does, and gives the exit status.
    pub fn report(&self, operation: &str, error: CallError) -> i32 {
        match error {
            CallError::Service(ServiceError::Coded { code, message }) => {
                self.err(&format!(
                    "\nAn error occurred ({code}) when calling the {operation} operation: {message}\n"
                ));
                SERVICE_ERROR
            }
            CallError::Service(ServiceError::Unreadable(text)) => {
                self.err(&format!("\n{text}\n"));
                OTHER_ERROR
            }
            CallError::Transport(e) => {
                self.err(&format!("\n{}\n", connection_error(&e, &self.endpoint())));
                OTHER_ERROR
            }
            CallError::Input(e) | CallError::Build(e) => {
                self.err(&format!("\nParameter validation failed:\n{e}\n"));
                USAGE_ERROR
            }
            CallError::Endpoint(e) => endpoint_error(self.stderr, &e),
            CallError::Credentials(e) => credentials_error(self.stderr, &e),
            CallError::Pagination(e) => {
                self.err(&format!(
                    "\nError during pagination: {}\n",
                    pagination_error(&e, "NextToken")
                ));
                OTHER_ERROR
            }
            other => {
                self.err(&format!("\n{other}\n"));
                OTHER_ERROR
            }
        }
    }

    /// Reports a pagination error naming the command's input token.
    pub(crate) fn report_pagination(&self, error: &PaginationError, key: &str) -> i32 {
        self.err(&format!(
            "\nError during pagination: {}\n",
            pagination_error(error, key)
        ));
        OTHER_ERROR
    }

    /// Reports a failure of a waiter's poll as the AWS CLI does, or gives the reason to print
    /// after `Waiter X failed: `.
    pub fn waiter_reason(&self, error: CallError) -> Result<String, i32> {
        match error {
            CallError::Service(ServiceError::Coded { code, message }) => {
                Ok(format!("An error occurred ({code}): {message}"))
            }
            CallError::Service(ServiceError::Unreadable(text)) => Ok(text),
            CallError::Endpoint(e) => Err(endpoint_error(self.stderr, &e)),
            CallError::Credentials(e) => Err(credentials_error(self.stderr, &e)),
            CallError::Transport(e) => {
                self.err(&format!("\n{}\n", connection_error(&e, &self.endpoint())));
                Err(OTHER_ERROR)
            }
            other => Err(self.report("", other)),
        }
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

/// No endpoint: a setting that is wrong is a configuration error, anything else a failure.
fn endpoint_error(stderr: &Stderr, error: &EndpointError) -> i32 {
    write_err(stderr, &format!("\n{error}\n"));
    match error.kind() {
        EndpointErrorKind::Configuration => CONFIG_ERROR,
        _ => OTHER_ERROR,
    }
}

/// The AWS CLI's wording for a listing that stopped; `key` is the input token's name.
fn pagination_error(error: &PaginationError, key: &str) -> String {
    match error {
        PaginationError::RepeatedToken { token } => format!(
            "The same next token was received twice: {{'{key}': '{}'}}",
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

/// Writes `text` on stdout and gives the exit status.
pub fn print(stdout: &mut dyn Write, stderr: &Stderr, text: &str) -> i32 {
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
pub fn write_err(stderr: &Stderr, text: &str) {
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
