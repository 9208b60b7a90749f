//! The command line, parsed by hand the way the AWS CLI reads it: global options anywhere, command
//! options after the command, `--name value` or `--name=value`, the last of a repeated option wins.

use std::fmt;
use std::time::Duration;

use awsquery::waiter::MIN_DELAY;

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// Print help: for a command, or the overview.
    Help(Option<CommandName>),
    /// Print the version.
    Version,
    /// Run a command.
    Run(Box<Invocation>),
}

/// The commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandName {
    /// `failover-global-cluster`.
    Failover,
    /// `describe-global-clusters`.
    Describe,
}

impl CommandName {
    /// Every command, as typed.
    pub const ALL: [CommandName; 2] = [CommandName::Describe, CommandName::Failover];

    /// The name as typed.
    pub fn as_str(self) -> &'static str {
        match self {
            CommandName::Failover => "failover-global-cluster",
            CommandName::Describe => "describe-global-clusters",
        }
    }

    /// The API operation it calls.
    pub fn operation(self) -> &'static str {
        match self {
            CommandName::Failover => "FailoverGlobalCluster",
            CommandName::Describe => "DescribeGlobalClusters",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        CommandName::ALL.into_iter().find(|c| c.as_str() == name)
    }

    fn options(self) -> &'static [OptionSpec] {
        match self {
            CommandName::Failover => FAILOVER_OPTIONS,
            CommandName::Describe => DESCRIBE_OPTIONS,
        }
    }
}

/// A command to run, with the global options.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    /// The options every command takes.
    pub globals: Globals,
    /// The command and its options.
    pub command: Command,
}

/// The AWS CLI's global options that this tool takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Globals {
    /// `--region`.
    pub region: Option<String>,
    /// `--endpoint-url`.
    pub endpoint_url: Option<String>,
    /// `--profile`.
    pub profile: Option<String>,
    /// `--debug`.
    pub debug: bool,
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
            debug: false,
            read_timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: Some(DEFAULT_TIMEOUT),
        }
    }
}

/// A command and its options.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `failover-global-cluster`.
    Failover(FailoverArgs),
    /// `describe-global-clusters`.
    Describe(DescribeArgs),
}

/// `failover-global-cluster`'s options.
#[derive(Debug, Clone, PartialEq)]
pub struct FailoverArgs {
    /// `--global-cluster-identifier`.
    pub global_cluster_identifier: String,
    /// `--target-db-cluster-identifier`.
    pub target_db_cluster_identifier: String,
    /// `--allow-data-loss` / `--no-allow-data-loss`.
    pub allow_data_loss: Option<bool>,
    /// `--switchover` / `--no-switchover`.
    pub switchover: Option<bool>,
    /// `--wait`.
    pub wait: bool,
    /// `--wait-timeout`.
    pub wait_timeout: Duration,
    /// `--wait-delay`: the shortest wait between polls.
    pub wait_delay: Duration,
}

/// How long `--wait` waits at most, unless `--wait-timeout` says otherwise.
pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// The shortest wait between polls, unless `--wait-delay` says otherwise.
pub const DEFAULT_WAIT_DELAY: Duration = Duration::from_secs(5);
/// The longest wait between polls (or `--wait-delay`, if longer).
pub const MAX_WAIT_DELAY: Duration = Duration::from_secs(60);

/// `describe-global-clusters`' options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DescribeArgs {
    /// `--global-cluster-identifier`.
    pub global_cluster_identifier: Option<String>,
    /// `--max-records`: sent as is, and turns automatic pagination off.
    pub max_records: Option<i32>,
    /// `--marker`: sent as is, and turns automatic pagination off.
    pub marker: Option<String>,
    /// `--starting-token`.
    pub starting_token: Option<String>,
    /// `--page-size`.
    pub page_size: Option<i32>,
    /// `--max-items`.
    pub max_items: Option<i32>,
    /// `--no-paginate`.
    pub no_paginate: bool,
}

/// A command line that cannot be run: the message the AWS CLI would print after `error: `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// One option: its name, whether it takes a value, and whether `help` lists it.
#[derive(Debug)]
struct OptionSpec {
    name: &'static str,
    takes_value: bool,
}

const fn flag(name: &'static str) -> OptionSpec {
    OptionSpec {
        name,
        takes_value: false,
    }
}

const fn value(name: &'static str) -> OptionSpec {
    OptionSpec {
        name,
        takes_value: true,
    }
}

const GLOBAL_OPTIONS: &[OptionSpec] = &[
    value("--region"),
    value("--endpoint-url"),
    value("--profile"),
    value("--output"),
    flag("--debug"),
    value("--cli-read-timeout"),
    value("--cli-connect-timeout"),
    flag("--version"),
    flag("--help"),
];

const FAILOVER_OPTIONS: &[OptionSpec] = &[
    value("--global-cluster-identifier"),
    value("--target-db-cluster-identifier"),
    flag("--allow-data-loss"),
    flag("--no-allow-data-loss"),
    flag("--switchover"),
    flag("--no-switchover"),
    flag("--wait"),
    value("--wait-timeout"),
    value("--wait-delay"),
];

const DESCRIBE_OPTIONS: &[OptionSpec] = &[
    value("--global-cluster-identifier"),
    value("--max-records"),
    value("--marker"),
    value("--starting-token"),
    value("--page-size"),
    value("--max-items"),
    flag("--no-paginate"),
];

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Parsed, UsageError> {
    let mut command: Option<CommandName> = None;
    let mut help = false;
    let mut version = false;
    // (name, value) in the order given.
    let mut given: Vec<(&'static str, Option<String>)> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();

    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if let Some(stripped) = arg.strip_prefix("--").filter(|s| !s.is_empty()) {
            let (name, inline) = match stripped.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (stripped, None),
            };
            let name = format!("--{name}");
            let known = command.map_or(&[][..], CommandName::options);
            let Some(spec) = GLOBAL_OPTIONS
                .iter()
                .chain(known)
                .find(|spec| spec.name == name)
            else {
                unknown.push(arg.clone());
                continue;
            };
            match (spec.takes_value, inline) {
                (true, Some(value)) => given.push((spec.name, Some(value))),
                (true, None) => match rest.as_slice().first() {
                    Some(next) if !next.starts_with("--") => {
                        given.push((spec.name, Some(next.clone())));
                        rest.next();
                    }
                    _ => {
                        return Err(UsageError(format!(
                            "argument {}: expected one argument",
                            spec.name
                        )));
                    }
                },
                (false, Some(value)) => {
                    return Err(UsageError(format!(
                        "argument {}: ignored explicit argument '{value}'",
                        spec.name
                    )));
                }
                (false, None) => match spec.name {
                    "--help" => help = true,
                    "--version" => version = true,
                    _ => given.push((spec.name, None)),
                },
            }
        } else if command.is_none() && unknown.is_empty() {
            if arg == "help" {
                help = true;
                if let Some(next) = rest.as_slice().first() {
                    command = CommandName::parse(next);
                }
                break;
            }
            command = Some(CommandName::parse(arg).ok_or_else(|| invalid_command(arg))?);
        } else if arg == "help" && unknown.is_empty() {
            help = true;
        } else {
            unknown.push(arg.clone());
        }
    }

    if help {
        return Ok(Parsed::Help(command));
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
    let Some(command) = command else {
        return Err(UsageError(String::from(
            "the following arguments are required: command",
        )));
    };
    let options = Options { given };
    let globals = globals(&options)?;
    let command = match command {
        CommandName::Failover => Command::Failover(failover(&options)?),
        CommandName::Describe => Command::Describe(describe(&options)?),
    };
    Ok(Parsed::Run(Box::new(Invocation { globals, command })))
}

fn invalid_command(name: &str) -> UsageError {
    let choices: Vec<&str> = CommandName::ALL
        .iter()
        .map(|c| c.as_str())
        .chain(["help"])
        .collect();
    UsageError(format!(
        "argument command: Invalid choice '{name}', valid choices are: {}",
        choices.join(", ")
    ))
}

/// The options given, consumed by name.
struct Options {
    given: Vec<(&'static str, Option<String>)>,
}

impl Options {
    /// Whether a flag was given.
    fn flag(&self, name: &str) -> bool {
        self.given.iter().any(|(n, _)| *n == name)
    }

    /// The last value given for an option.
    fn value(&self, name: &str) -> Option<&str> {
        self.given
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    fn string(&self, name: &str) -> Option<String> {
        self.value(name).map(str::to_owned)
    }

    /// Where `name` was first given, to tell which of two conflicting flags came second.
    fn position(&self, name: &str) -> Option<usize> {
        self.given.iter().position(|(n, _)| *n == name)
    }

    fn integer(&self, name: &str) -> Result<Option<i32>, UsageError> {
        self.value(name)
            .map(|v| {
                v.trim()
                    .parse::<i32>()
                    .map_err(|_| UsageError(format!("argument {name}: invalid int value: '{v}'")))
            })
            .transpose()
    }

    /// Whole seconds, at least 0.
    fn seconds(&self, name: &str) -> Result<Option<Duration>, UsageError> {
        self.value(name)
            .map(|v| {
                v.trim()
                    .parse::<u64>()
                    .map(Duration::from_secs)
                    .map_err(|_| {
                        UsageError(format!(
                            "argument {name}: invalid int value: '{v}' (whole seconds, 0 or more)"
                        ))
                    })
            })
            .transpose()
    }

    /// Seconds with an optional fraction, at least 0.
    fn fractional_seconds(&self, name: &str) -> Result<Option<Duration>, UsageError> {
        self.value(name)
            .map(|v| {
                v.trim()
                    .parse::<f64>()
                    .ok()
                    .and_then(|s| Duration::try_from_secs_f64(s).ok())
                    .ok_or_else(|| {
                        UsageError(format!(
                            "argument {name}: invalid value: '{v}' (seconds, 0 or more)"
                        ))
                    })
            })
            .transpose()
    }
}

fn globals(options: &Options) -> Result<Globals, UsageError> {
    if let Some(output) = options.value("--output") {
        if output != "json" {
            return Err(UsageError(format!(
                "argument --output: Invalid choice '{output}', valid choices are: json \
                 (the AWS CLI's text, table and yaml are not supported)"
            )));
        }
    }
    if let Some(url) = options.value("--endpoint-url") {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(UsageError(format!(
                "Bad value for --endpoint-url \"{url}\": scheme is missing. Must be of the form \
                 http://<hostname>/ or https://<hostname>/"
            )));
        }
    }
    let timeout = |name| -> Result<Option<Duration>, UsageError> {
        Ok(match options.seconds(name)? {
            None => Some(DEFAULT_TIMEOUT),
            Some(Duration::ZERO) => None,
            Some(t) => Some(t),
        })
    };
    Ok(Globals {
        region: options.string("--region"),
        endpoint_url: options.string("--endpoint-url"),
        profile: options.string("--profile"),
        debug: options.flag("--debug"),
        read_timeout: timeout("--cli-read-timeout")?,
        connect_timeout: timeout("--cli-connect-timeout")?,
    })
}

fn require(options: &Options, names: &[&str]) -> Result<(), UsageError> {
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| options.value(name).is_none())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(UsageError(format!(
            "the following arguments are required: {}",
            missing.join(", ")
        )))
    }
}

/// `--name` → `Some(true)`, `--no-name` → `Some(false)`, the later one winning; neither → `None`.
fn boolean(options: &Options, name: &str) -> Option<bool> {
    let negated = format!("--no-{}", &name[2..]);
    options.given.iter().rev().find_map(|(n, _)| match *n {
        n if n == name => Some(true),
        n if n == negated => Some(false),
        _ => None,
    })
}

fn failover(options: &Options) -> Result<FailoverArgs, UsageError> {
    require(
        options,
        &[
            "--global-cluster-identifier",
            "--target-db-cluster-identifier",
        ],
    )?;
    let allow_data_loss = boolean(options, "--allow-data-loss");
    let switchover = boolean(options, "--switchover");
    if allow_data_loss == Some(true) && switchover == Some(true) {
        let (first, second) =
            if options.position("--allow-data-loss") < options.position("--switchover") {
                ("--allow-data-loss", "--switchover")
            } else {
                ("--switchover", "--allow-data-loss")
            };
        return Err(UsageError(format!(
            "argument {second}: not allowed with argument {first}"
        )));
    }
    let wait = options.flag("--wait");
    for name in ["--wait-timeout", "--wait-delay"] {
        if !wait && options.value(name).is_some() {
            return Err(UsageError(format!(
                "argument {name}: only allowed with --wait"
            )));
        }
    }
    Ok(FailoverArgs {
        global_cluster_identifier: options
            .string("--global-cluster-identifier")
            .unwrap_or_default(),
        target_db_cluster_identifier: options
            .string("--target-db-cluster-identifier")
            .unwrap_or_default(),
        allow_data_loss,
        switchover,
        wait,
        wait_timeout: options
            .seconds("--wait-timeout")?
            .unwrap_or(DEFAULT_WAIT_TIMEOUT),
        wait_delay: match options.fractional_seconds("--wait-delay")? {
            Some(delay) if delay < MIN_DELAY => {
                return Err(UsageError(format!(
                    "argument --wait-delay: invalid value: '{}' (a waiter waits at least {} \
                     second between polls)",
                    options.value("--wait-delay").unwrap_or_default(),
                    MIN_DELAY.as_secs()
                )));
            }
            delay => delay.unwrap_or(DEFAULT_WAIT_DELAY),
        },
    })
}

fn describe(options: &Options) -> Result<DescribeArgs, UsageError> {
    let args = DescribeArgs {
        global_cluster_identifier: options.string("--global-cluster-identifier"),
        max_records: options.integer("--max-records")?,
        marker: options.string("--marker"),
        starting_token: options.string("--starting-token"),
        page_size: options.integer("--page-size")?,
        max_items: options.integer("--max-items")?,
        no_paginate: options.flag("--no-paginate"),
    };
    for (name, value) in [
        ("--page-size", args.page_size),
        ("--max-items", args.max_items),
    ] {
        if value.is_some_and(|v| v < 1) {
            return Err(UsageError(format!("argument {name}: must be at least 1")));
        }
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_line(line: &str) -> Result<Parsed, UsageError> {
        let args: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        parse(&args)
    }

    fn run(line: &str) -> Invocation {
        match parse_line(line) {
            Ok(Parsed::Run(invocation)) => *invocation,
            other => panic!("`{line}`: {other:?}"),
        }
    }

    fn error(line: &str) -> String {
        match parse_line(line) {
            Err(UsageError(message)) => message,
            other => panic!("`{line}` should be a usage error: {other:?}"),
        }
    }

    const FAILOVER: &str = "failover-global-cluster --global-cluster-identifier g --target-db-cluster-identifier arn:t";

    fn failover_args(line: &str) -> FailoverArgs {
        match run(line).command {
            Command::Failover(args) => args,
            other => panic!("{other:?}"),
        }
    }

    fn describe_args(line: &str) -> DescribeArgs {
        match run(line).command {
            Command::Describe(args) => args,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn failover_with_its_required_options() {
        let args = failover_args(FAILOVER);
        assert_eq!(args.global_cluster_identifier, "g");
        assert_eq!(args.target_db_cluster_identifier, "arn:t");
        assert_eq!(
            (args.allow_data_loss, args.switchover, args.wait),
            (None, None, false)
        );
        assert_eq!(args.wait_timeout, DEFAULT_WAIT_TIMEOUT);
        assert_eq!(args.wait_delay, DEFAULT_WAIT_DELAY);
    }

    #[test]
    fn values_inline_or_separate_and_the_last_wins() {
        let args = failover_args(
            "failover-global-cluster --global-cluster-identifier=a --target-db-cluster-identifier b \
             --global-cluster-identifier c",
        );
        assert_eq!(args.global_cluster_identifier, "c");
        assert_eq!(args.target_db_cluster_identifier, "b");
        let args = failover_args(
            "failover-global-cluster --global-cluster-identifier=x=y --target-db-cluster-identifier=",
        );
        assert_eq!(args.global_cluster_identifier, "x=y");
        assert_eq!(args.target_db_cluster_identifier, "");
    }

    #[test]
    fn global_options_go_before_or_after_the_command() {
        let before = run(&format!(
            "--region eu-west-1 --debug --endpoint-url http://127.0.0.1:1 --profile p {FAILOVER}"
        ));
        let after = run(&format!(
            "{FAILOVER} --region eu-west-1 --debug --endpoint-url http://127.0.0.1:1 --profile p"
        ));
        assert_eq!(before, after);
        let g = before.globals;
        assert_eq!(g.region.as_deref(), Some("eu-west-1"));
        assert_eq!(g.endpoint_url.as_deref(), Some("http://127.0.0.1:1"));
        assert_eq!(g.profile.as_deref(), Some("p"));
        assert!(g.debug);
        assert_eq!(g.read_timeout, Some(DEFAULT_TIMEOUT));
        assert_eq!(g.connect_timeout, Some(DEFAULT_TIMEOUT));
    }

    #[test]
    fn command_options_only_after_the_command() {
        assert_eq!(
            error("--max-records 20 describe-global-clusters"),
            "Unknown options: --max-records, 20, describe-global-clusters"
        );
    }

    #[test]
    fn timeouts_in_seconds_and_zero_is_none() {
        let g = run(&format!(
            "{FAILOVER} --cli-read-timeout 0 --cli-connect-timeout 5"
        ))
        .globals;
        assert_eq!(g.read_timeout, None);
        assert_eq!(g.connect_timeout, Some(Duration::from_secs(5)));
        assert_eq!(
            error(&format!("{FAILOVER} --cli-read-timeout -1")),
            "argument --cli-read-timeout: invalid int value: '-1' (whole seconds, 0 or more)"
        );
        assert_eq!(
            error(&format!("{FAILOVER} --cli-connect-timeout 1.5")),
            "argument --cli-connect-timeout: invalid int value: '1.5' (whole seconds, 0 or more)"
        );
    }

    #[test]
    fn endpoint_url_needs_a_scheme() {
        assert_eq!(
            error(&format!("{FAILOVER} --endpoint-url localhost:5000")),
            "Bad value for --endpoint-url \"localhost:5000\": scheme is missing. Must be of the form http://<hostname>/ or https://<hostname>/"
        );
        let g = run(&format!("{FAILOVER} --endpoint-url https://example.com")).globals;
        assert_eq!(g.endpoint_url.as_deref(), Some("https://example.com"));
    }

    #[test]
    fn output_is_json_only() {
        run(&format!("{FAILOVER} --output json"));
        assert_eq!(
            error(&format!("{FAILOVER} --output text")),
            "argument --output: Invalid choice 'text', valid choices are: json (the AWS CLI's text, table and yaml are not supported)"
        );
    }

    #[test]
    fn missing_required_options_are_listed() {
        assert_eq!(
            error("failover-global-cluster"),
            "the following arguments are required: --global-cluster-identifier, --target-db-cluster-identifier"
        );
        assert_eq!(
            error("failover-global-cluster --target-db-cluster-identifier t"),
            "the following arguments are required: --global-cluster-identifier"
        );
        assert_eq!(error(""), "the following arguments are required: command");
        assert_eq!(
            error("--region us-east-1"),
            "the following arguments are required: command"
        );
    }

    #[test]
    fn a_missing_value() {
        assert_eq!(
            error("failover-global-cluster --global-cluster-identifier"),
            "argument --global-cluster-identifier: expected one argument"
        );
        assert_eq!(
            error("failover-global-cluster --global-cluster-identifier --wait"),
            "argument --global-cluster-identifier: expected one argument"
        );
        assert_eq!(
            error(&format!("{FAILOVER} --wait=yes")),
            "argument --wait: ignored explicit argument 'yes'"
        );
    }

    #[test]
    fn unknown_options_and_commands() {
        assert_eq!(
            error(&format!("{FAILOVER} --force --retries 3")),
            "Unknown options: --force, --retries, 3"
        );
        assert_eq!(
            error("describe-db-clusters"),
            "argument command: Invalid choice 'describe-db-clusters', valid choices are: describe-global-clusters, failover-global-cluster, help"
        );
        assert_eq!(
            error(&format!("{FAILOVER} extra")),
            "Unknown options: extra"
        );
        assert_eq!(
            error("failover-global-cluster --max-items 3"),
            "Unknown options: --max-items, 3",
            "describe's options are not failover's"
        );
    }

    #[test]
    fn allow_data_loss_and_switchover_exclude_each_other() {
        assert_eq!(
            error(&format!("{FAILOVER} --allow-data-loss --switchover")),
            "argument --switchover: not allowed with argument --allow-data-loss"
        );
        assert_eq!(
            error(&format!("{FAILOVER} --switchover --allow-data-loss")),
            "argument --allow-data-loss: not allowed with argument --switchover"
        );
        let args = failover_args(&format!("{FAILOVER} --allow-data-loss"));
        assert_eq!((args.allow_data_loss, args.switchover), (Some(true), None));
        let args = failover_args(&format!("{FAILOVER} --switchover --no-allow-data-loss"));
        assert_eq!(
            (args.allow_data_loss, args.switchover),
            (Some(false), Some(true))
        );
        let args = failover_args(&format!("{FAILOVER} --no-switchover --switchover"));
        assert_eq!(args.switchover, Some(true), "the later one wins");
    }

    #[test]
    fn wait_and_its_options() {
        let args = failover_args(&format!(
            "{FAILOVER} --wait --wait-timeout 90 --wait-delay 1.25"
        ));
        assert!(args.wait);
        assert_eq!(args.wait_timeout, Duration::from_secs(90));
        assert_eq!(args.wait_delay, Duration::from_millis(1250));
        for below in ["0", "0.999"] {
            assert_eq!(
                error(&format!("{FAILOVER} --wait --wait-delay {below}")),
                format!(
                    "argument --wait-delay: invalid value: '{below}' (a waiter waits at least 1 \
                     second between polls)"
                )
            );
        }
        assert_eq!(
            error(&format!("{FAILOVER} --wait-timeout 90")),
            "argument --wait-timeout: only allowed with --wait"
        );
        for bad in ["-1", "soon", "NaN", "inf"] {
            assert_eq!(
                error(&format!("{FAILOVER} --wait --wait-delay {bad}")),
                format!("argument --wait-delay: invalid value: '{bad}' (seconds, 0 or more)")
            );
        }
    }

    #[test]
    fn describe_and_its_pagination_options() {
        assert_eq!(
            describe_args("describe-global-clusters"),
            DescribeArgs::default()
        );
        let args = describe_args(
            "describe-global-clusters --global-cluster-identifier g --page-size 20 --max-items 3 \
             --starting-token abc",
        );
        assert_eq!(args.global_cluster_identifier.as_deref(), Some("g"));
        assert_eq!((args.page_size, args.max_items), (Some(20), Some(3)));
        assert_eq!(args.starting_token.as_deref(), Some("abc"));
        let args =
            describe_args("describe-global-clusters --no-paginate --max-records 20 --marker m");
        assert!(args.no_paginate);
        assert_eq!(
            (args.max_records, args.marker.as_deref()),
            (Some(20), Some("m"))
        );
        assert_eq!(
            error("describe-global-clusters --max-records twenty"),
            "argument --max-records: invalid int value: 'twenty'"
        );
        assert_eq!(
            error("describe-global-clusters --max-items 0"),
            "argument --max-items: must be at least 1"
        );
    }

    #[test]
    fn help_and_version() {
        assert_eq!(parse_line("help"), Ok(Parsed::Help(None)));
        assert_eq!(parse_line("--help"), Ok(Parsed::Help(None)));
        assert_eq!(
            parse_line("help failover-global-cluster"),
            Ok(Parsed::Help(Some(CommandName::Failover)))
        );
        assert_eq!(
            parse_line("describe-global-clusters help"),
            Ok(Parsed::Help(Some(CommandName::Describe)))
        );
        assert_eq!(
            parse_line("failover-global-cluster --help"),
            Ok(Parsed::Help(Some(CommandName::Failover))),
            "help needs no required options"
        );
        assert_eq!(parse_line("--version"), Ok(Parsed::Version));
        assert_eq!(
            parse_line("describe-global-clusters --version"),
            Ok(Parsed::Version)
        );
    }
}
