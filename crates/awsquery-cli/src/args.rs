//! The command line, read the way the AWS CLI v2 reads it: global options anywhere, command options
//! after the command, `--name value` or `--name=value`, several values for a list, the last of a
//! repeated option winning.

use std::fmt;
use std::time::Duration;

use crate::table::{Command, Kind, Service, Waiter};

/// What the command line asks for.
#[derive(Debug)]
pub enum Parsed<C: 'static> {
    /// Print help.
    Help(Topic<C>),
    /// Print the version.
    Version,
    /// Print a completion script for this shell.
    Completion(String),
    /// Run a command.
    Run(Box<Invocation<C>>),
}

/// What help is asked for.
#[derive(Debug)]
pub enum Topic<C: 'static> {
    /// The service's commands.
    Service,
    /// One command.
    Command(&'static Command<C>),
    /// The waiters.
    Wait,
    /// One waiter.
    Waiter(&'static Waiter),
}

/// A command to run.
#[derive(Debug)]
pub struct Invocation<C: 'static> {
    /// The global options.
    pub globals: Globals,
    /// The command, or the waiter of `wait`.
    pub target: Target<C>,
    /// The command's options as given, in order.
    pub given: Vec<Given>,
}

/// What runs.
#[derive(Debug)]
pub enum Target<C: 'static> {
    /// An operation.
    Command(&'static Command<C>),
    /// `wait <waiter>`, polling its operation.
    Wait(&'static Waiter, &'static Command<C>),
}

impl<C> Target<C> {
    /// The command whose options are read (the polled one, for a waiter).
    pub fn command(&self) -> &'static Command<C> {
        match self {
            Target::Command(command) | Target::Wait(_, command) => command,
        }
    }
}

/// One option as given: its name without dashes and its values (none for a flag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    /// `target-db-cluster-identifier`.
    pub name: String,
    /// The values.
    pub values: Vec<String>,
}

/// Finds the last value of option `name` among `given`.
pub fn last<'a>(given: &'a [Given], name: &str) -> Option<&'a Given> {
    given.iter().rev().find(|g| g.name == name)
}

/// The AWS CLI's global options.
#[derive(Debug, Clone, PartialEq)]
pub struct Globals {
    /// `--region`.
    pub region: Option<String>,
    /// `--endpoint-url`.
    pub endpoint_url: Option<String>,
    /// `--profile`.
    pub profile: Option<String>,
    /// `--output`.
    pub output: Option<String>,
    /// `--query`.
    pub query: Option<String>,
    /// `--debug`.
    pub debug: bool,
    /// `--no-paginate`.
    pub no_paginate: bool,
    /// `--cli-read-timeout`: `None` for no limit (`0`).
    pub read_timeout: Option<Duration>,
    /// `--cli-connect-timeout`: `None` for no limit (`0`).
    pub connect_timeout: Option<Duration>,
}

/// The AWS CLI's default for both socket timeouts.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

impl Default for Globals {
    fn default() -> Self {
        Globals {
            region: None,
            endpoint_url: None,
            profile: None,
            output: None,
            query: None,
            debug: false,
            no_paginate: false,
            read_timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: Some(DEFAULT_TIMEOUT),
        }
    }
}

/// A command line that cannot be run: the message the AWS CLI prints after `error: `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// An option a command takes beside its input members: `--wait` of a hand-written extension, say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extra {
    /// The name without dashes.
    pub name: &'static str,
    /// Whether it takes a value.
    pub takes_value: bool,
    /// Its documentation.
    pub doc: &'static str,
}

/// How many values an option takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Arity {
    Flag,
    One,
    /// One or more (a list).
    Many,
    /// None or one (`--generate-cli-skeleton [input|output]`).
    Optional,
}

/// The global options: (name, arity).
const GLOBALS: &[(&str, Arity)] = &[
    ("region", Arity::One),
    ("endpoint-url", Arity::One),
    ("profile", Arity::One),
    ("output", Arity::One),
    ("query", Arity::One),
    ("debug", Arity::Flag),
    ("no-paginate", Arity::Flag),
    ("cli-read-timeout", Arity::One),
    ("cli-connect-timeout", Arity::One),
    ("version", Arity::Flag),
    ("help", Arity::Flag),
];

/// The output formats the AWS CLI has.
pub const OUTPUT_FORMATS: &[&str] = &["json", "text", "table", "yaml", "yaml-stream", "off"];

/// The options every command takes beside its members.
pub const COMMON_OPTIONS: &[&str] = &["cli-input-json", "generate-cli-skeleton"];

/// The options of a paginated command.
pub const PAGINATION_OPTIONS: &[&str] = &["starting-token", "page-size", "max-items"];

/// The arity of command option `name` of `command`, with `extras` beside its members.
fn command_arity<C>(
    service: &Service<C>,
    command: &Command<C>,
    extras: &[Extra],
    name: &str,
) -> Option<Arity> {
    if let Some(opt) = command.option(name) {
        return Some(match service.shape(opt.shape).kind {
            Kind::Boolean => Arity::Flag,
            Kind::List(_) => Arity::Many,
            _ => Arity::One,
        });
    }
    if let Some(positive) = name.strip_prefix("no-") {
        if let Some(opt) = command.option(positive) {
            if service.shape(opt.shape).kind == Kind::Boolean {
                return Some(Arity::Flag);
            }
        }
    }
    if let Some(extra) = extras.iter().find(|e| e.name == name) {
        return Some(if extra.takes_value {
            Arity::One
        } else {
            Arity::Flag
        });
    }
    match name {
        "cli-input-json" => Some(Arity::One),
        "generate-cli-skeleton" => Some(Arity::Optional),
        _ if command.paginator.is_some() && PAGINATION_OPTIONS.contains(&name) => Some(Arity::One),
        _ => None,
    }
}

/// Parses the arguments after the program name; `extras` gives the options a command takes beside
/// its input members.
pub fn parse<C>(
    service: &Service<C>,
    extras: &dyn Fn(&str) -> &'static [Extra],
    args: &[String],
) -> Result<Parsed<C>, UsageError> {
    let mut command: Option<&'static Command<C>> = None;
    let mut waiter: Option<&'static Waiter> = None;
    let mut wait = false;
    let mut help = false;
    let mut version = false;
    let mut globals: Vec<Given> = Vec::new();
    let mut given: Vec<Given> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();

    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if let Some(stripped) = arg.strip_prefix("--").filter(|s| !s.is_empty()) {
            let (name, inline) = match stripped.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (stripped, None),
            };
            let global = GLOBALS.iter().find(|(n, _)| *n == name).map(|(_, a)| *a);
            let (arity, is_global) = match (global, command) {
                (Some(arity), _) => (arity, true),
                (None, Some(command)) => {
                    match command_arity(service, command, extras(command.name), name) {
                        Some(arity) => (arity, false),
                        None => {
                            unknown.push(arg.clone());
                            continue;
                        }
                    }
                }
                (None, None) => {
                    unknown.push(arg.clone());
                    continue;
                }
            };
            let mut values = Vec::new();
            match (arity, inline) {
                (Arity::Flag, Some(value)) => {
                    return Err(UsageError(format!(
                        "argument --{name}: ignored explicit argument '{value}'"
                    )));
                }
                (Arity::Flag, None) => {}
                (_, Some(value)) => values.push(value),
                (Arity::Optional, None) => {
                    if let Some(next) = args.get(i).filter(|n| !n.starts_with("--")) {
                        values.push(next.clone());
                        i += 1;
                    }
                }
                (Arity::One | Arity::Many, None) => {
                    match args.get(i).filter(|n| !n.starts_with("--")) {
                        Some(next) => {
                            values.push(next.clone());
                            i += 1;
                        }
                        None => {
                            return Err(UsageError(format!(
                                "argument --{name}: expected one argument"
                            )));
                        }
                    }
                }
            }
            if arity == Arity::Many {
                while let Some(next) = args.get(i).filter(|n| !n.starts_with("--")) {
                    values.push(next.clone());
                    i += 1;
                }
            }
            let entry = Given {
                name: name.to_owned(),
                values,
            };
            match (is_global, name) {
                (true, "help") => help = true,
                (true, "version") => version = true,
                (true, _) => globals.push(entry),
                (false, _) => given.push(entry),
            }
        } else if !unknown.is_empty() {
            unknown.push(arg.clone());
        } else if command.is_none() && !wait {
            match arg.as_str() {
                "help" => {
                    help = true;
                    if let Some(next) = args.get(i) {
                        command = service.command(next);
                        wait = next == "wait";
                    }
                    break;
                }
                "wait" if !service.waiters.is_empty() => wait = true,
                "completion" => {
                    let shell = args.get(i).cloned().unwrap_or_default();
                    return Ok(Parsed::Completion(shell));
                }
                _ => {
                    command = Some(
                        service
                            .command(arg)
                            .ok_or_else(|| invalid_command(service, arg))?,
                    )
                }
            }
        } else if wait && waiter.is_none() && command.is_none() {
            if arg == "help" {
                help = true;
                break;
            }
            let found = service
                .waiters
                .iter()
                .find(|w| w.name == arg)
                .ok_or_else(|| invalid_waiter(service, arg))?;
            waiter = Some(found);
            command = service.operation(found.operation);
        } else if arg == "help" {
            help = true;
        } else {
            unknown.push(arg.clone());
        }
    }

    if help {
        return Ok(Parsed::Help(match (waiter, command, wait) {
            (Some(waiter), _, _) => Topic::Waiter(waiter),
            (None, _, true) => Topic::Wait,
            (None, Some(command), false) => Topic::Command(command),
            (None, None, false) => Topic::Service,
        }));
    }
    if version {
        return Ok(Parsed::Version);
    }
    if !unknown.is_empty() {
        return Err(UsageError(format!(
            "Unknown options: {}",
            unknown.join(", ")
        )));
    }
    if wait && waiter.is_none() {
        return Err(UsageError(String::from(
            "the following arguments are required: waiter_name",
        )));
    }
    let Some(command) = command else {
        return Err(UsageError(String::from(
            "the following arguments are required: command",
        )));
    };
    let globals = read_globals(&globals)?;
    let skip_required = given
        .iter()
        .any(|g| COMMON_OPTIONS.contains(&g.name.as_str()));
    if !skip_required {
        let missing: Vec<String> = command
            .options
            .iter()
            .filter(|o| o.required && last(&given, o.name).is_none())
            .map(|o| format!("--{}", o.name))
            .collect();
        if !missing.is_empty() {
            return Err(UsageError(format!(
                "the following arguments are required: {}",
                missing.join(", ")
            )));
        }
    }
    for name in ["page-size", "max-items"] {
        if let Some(g) = last(&given, name) {
            let value = g.values.first().map(String::as_str).unwrap_or_default();
            match value.trim().parse::<i64>() {
                Ok(n) if n >= 1 => {}
                Ok(_) => {
                    return Err(UsageError(format!("argument --{name}: must be at least 1")));
                }
                Err(_) => {
                    return Err(UsageError(format!(
                        "argument --{name}: invalid int value: '{value}'"
                    )));
                }
            }
        }
    }
    if let Some(g) = last(&given, "generate-cli-skeleton") {
        if let Some(value) = g.values.first() {
            if value != "input" && value != "output" {
                return Err(UsageError(format!(
                    "argument --generate-cli-skeleton: Invalid choice '{value}', valid choices are: input, output"
                )));
            }
        }
    }
    let target = match waiter {
        Some(waiter) => Target::Wait(waiter, command),
        None => Target::Command(command),
    };
    Ok(Parsed::Run(Box::new(Invocation {
        globals,
        target,
        given,
    })))
}

fn invalid_command<C>(service: &Service<C>, name: &str) -> UsageError {
    let mut choices: Vec<&str> = service.commands.iter().map(|c| c.name).collect();
    if !service.waiters.is_empty() {
        choices.push("wait");
    }
    choices.sort_unstable();
    choices.push("help");
    UsageError(format!(
        "argument command: Invalid choice '{name}', valid choices are: {}",
        choices.join(", ")
    ))
}

fn invalid_waiter<C>(service: &Service<C>, name: &str) -> UsageError {
    let choices: Vec<&str> = service.waiters.iter().map(|w| w.name).collect();
    UsageError(format!(
        "argument waiter_name: Invalid choice '{name}', valid choices are: {}",
        choices.join(", ")
    ))
}

fn read_globals(given: &[Given]) -> Result<Globals, UsageError> {
    let value = |name: &str| {
        last(given, name)
            .and_then(|g| g.values.first())
            .map(String::as_str)
    };
    if let Some(output) = value("output") {
        if !OUTPUT_FORMATS.contains(&output) {
            return Err(UsageError(format!(
                "argument --output: Invalid choice '{output}', valid choices are: {}",
                OUTPUT_FORMATS.join(", ")
            )));
        }
    }
    if let Some(url) = value("endpoint-url") {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(UsageError(format!(
                "Bad value for --endpoint-url \"{url}\": scheme is missing. Must be of the form \
                 http://<hostname>/ or https://<hostname>/"
            )));
        }
    }
    let timeout = |name: &str| -> Result<Option<Duration>, UsageError> {
        let Some(text) = value(name) else {
            return Ok(Some(DEFAULT_TIMEOUT));
        };
        match text.trim().parse::<u64>() {
            Ok(0) => Ok(None),
            Ok(seconds) => Ok(Some(Duration::from_secs(seconds))),
            Err(_) => Err(UsageError(format!(
                "argument --{name}: invalid int value: '{text}' (whole seconds, 0 or more)"
            ))),
        }
    };
    Ok(Globals {
        region: value("region").map(str::to_owned),
        endpoint_url: value("endpoint-url").map(str::to_owned),
        profile: value("profile").map(str::to_owned),
        output: value("output").map(str::to_owned),
        query: value("query").map(str::to_owned),
        debug: last(given, "debug").is_some(),
        no_paginate: last(given, "no-paginate").is_some(),
        read_timeout: timeout("cli-read-timeout")?,
        connect_timeout: timeout("cli-connect-timeout")?,
    })
}
