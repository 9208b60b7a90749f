//! `help` for the service, a command, `wait` and a waiter, from the table's documentation, and the
//! usage lines printed with a usage error.

use std::fmt::Write as _;

use crate::args::{COMMON_OPTIONS, Extra, PAGINATION_OPTIONS};
use crate::table::{Command, Kind, Service, Waiter};

/// The width help text is wrapped to.
const WIDTH: usize = 79;

/// Printed on stderr before a usage error, as the AWS CLI does.
pub fn usage<C>(service: &Service<C>) -> String {
    let name = service.name;
    format!(
        "usage: {name} [options] <command> [parameters]\nTo see help text, you can run:\n\n  {name} help\n  {name} <command> help\n"
    )
}

const GLOBAL_OPTIONS: &str = "\
GLOBAL OPTIONS
  --region REGION            The Region to call. Else AWS_REGION, AWS_DEFAULT_REGION, or the
                             profile's `region` in ~/.aws/config.
  --endpoint-url URL         Send requests to this URL instead of the Region's endpoint.
  --profile NAME             Use this profile of ~/.aws/credentials and ~/.aws/config for
                             credentials and Region (environment keys are then ignored).
  --output FORMAT            The output format (json, text, table, yaml, yaml-stream, off).
  --query EXPRESSION         A JMESPath query applied to the result.
  --no-paginate              Send one request for a paginated command.
  --debug                    Log each request and response on stderr (signatures and tokens
                             left out).
  --cli-read-timeout N       Seconds to wait for a response, 0 for no limit (default 60).
  --cli-connect-timeout N    Seconds to wait for a connection, 0 for no limit (default 60).
  --version                  Print the version.
  --help                     Print help.
";

/// Wraps `text` to 79 columns with `indent` spaces before each line.
pub fn wrap(text: &str, indent: usize) -> String {
    let mut out = String::new();
    for paragraph in text.split("\n\n") {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && indent + line.len() + 1 + word.len() > WIDTH {
                let _ = writeln!(out, "{}{line}", " ".repeat(indent));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            let _ = writeln!(out, "{}{line}", " ".repeat(indent));
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The overview: the service's documentation and its commands.
pub fn service<C>(service: &Service<C>) -> String {
    let mut out = format!("{}\n\n", service.title);
    if !service.doc.is_empty() {
        out.push_str(&wrap(service.doc, 2));
        out.push('\n');
    }
    out.push_str("COMMANDS\n");
    for command in service.commands {
        let _ = writeln!(out, "  {}", command.name);
    }
    if !service.waiters.is_empty() {
        out.push_str("  wait\n");
    }
    let _ = write!(
        out,
        "\nRun `{0} <command> help` for a command's options.\n\n{GLOBAL_OPTIONS}\nEXIT STATUS\n  0    success\n  252  the command line is wrong\n  253  no credentials or no Region\n  254  the service answered with an error\n  255  anything else (connection, unreadable response, a wait that failed)\n",
        service.name
    );
    out
}

/// What an option's value looks like in a synopsis.
fn placeholder<C>(service: &Service<C>, shape: usize) -> &'static str {
    match service.shape(shape).kind {
        Kind::Boolean => "",
        Kind::Integer => " <integer>",
        Kind::Float => " <double>",
        Kind::Timestamp => " <timestamp>",
        Kind::List(item) => match service.shape(item).kind {
            Kind::Structure(_) => " <value> [<value>...]",
            _ => " <value> [<value>...]",
        },
        Kind::Structure(_) | Kind::Map(..) => " <value>",
        _ => " <value>",
    }
}

/// A command's help: its documentation, synopsis and options.
pub fn command<C>(service: &Service<C>, command: &Command<C>, extras: &[Extra]) -> String {
    let mut out = format!("{} {}\n\n", service.name, command.name);
    if !command.doc.is_empty() {
        out.push_str(&wrap(command.doc, 2));
        out.push('\n');
    }
    out.push_str("SYNOPSIS\n");
    let _ = writeln!(out, "  {} {}", service.name, command.name);
    for opt in command.options {
        let value = placeholder(service, opt.shape);
        let line = if service.shape(opt.shape).kind == Kind::Boolean {
            format!("[--{0} | --no-{0}]", opt.name)
        } else if opt.required {
            format!("--{}{value}", opt.name)
        } else {
            format!("[--{}{value}]", opt.name)
        };
        let _ = writeln!(out, "    {line}");
    }
    for extra in extras {
        let value = if extra.takes_value { " <value>" } else { "" };
        let _ = writeln!(out, "    [--{}{value}]", extra.name);
    }
    for name in COMMON_OPTIONS {
        let _ = writeln!(out, "    [--{name} <value>]");
    }
    if command.paginator.is_some() {
        for name in PAGINATION_OPTIONS {
            let _ = writeln!(out, "    [--{name} <value>]");
        }
    }
    out.push_str("\nOPTIONS\n");
    for opt in command.options {
        let required = if opt.required { " (required)" } else { "" };
        let _ = writeln!(
            out,
            "  --{}{}{required}",
            opt.name,
            placeholder(service, opt.shape)
        );
        if let Kind::Enum(values) = service.shape(opt.shape).kind {
            let _ = writeln!(out, "      Possible values: {}", values.join(", "));
        }
        if !opt.doc.is_empty() {
            out.push_str(&wrap(opt.doc, 6));
        }
        out.push('\n');
    }
    for extra in extras {
        let _ = writeln!(out, "  --{}", extra.name);
        out.push_str(&wrap(extra.doc, 6));
        out.push('\n');
    }
    out.push_str(
        "  --cli-input-json <value>\n      The input as JSON (or file://path); options given beside it win.\n\n  --generate-cli-skeleton [input | output]\n      Print a JSON skeleton of the input (default) or of the output, and send nothing.\n\n",
    );
    if command.paginator.is_some() {
        out.push_str(
            "  --starting-token <value>\n      Resume where a NextToken left off.\n\n  --page-size <value>\n      The number of items each request asks for.\n\n  --max-items <value>\n      Print at most this many items, then a NextToken to resume from.\n\n",
        );
    }
    out.push_str(GLOBAL_OPTIONS);
    out
}

/// `wait help`: the waiters.
pub fn waiters<C>(service: &Service<C>) -> String {
    let mut out = format!(
        "{} wait\n\nWait until a resource is in a state, polling its description.\n\nWAITERS\n",
        service.name
    );
    for waiter in service.waiters {
        let _ = writeln!(out, "  {}", waiter.name);
    }
    out
}

/// `wait <waiter> help`.
pub fn waiter<C>(service: &Service<C>, waiter: &Waiter) -> String {
    let mut out = format!("{} wait {}\n\n", service.name, waiter.name);
    let doc = if waiter.doc.is_empty() {
        format!(
            "Wait until the waiter {} succeeds, polling {}.",
            waiter.waiter_name, waiter.operation
        )
    } else {
        waiter.doc.to_owned()
    };
    out.push_str(&wrap(&doc, 2));
    let _ = writeln!(
        out,
        "\n  It polls every {} seconds, at most {} times, and exits with 255 if the wait fails.",
        waiter.min_delay,
        crate::wait::MAX_ATTEMPTS
    );
    if let Some(command) = service.operation(waiter.operation) {
        let _ = writeln!(
            out,
            "\n  It takes the options of `{} {}`.",
            service.name, command.name
        );
    }
    out
}
