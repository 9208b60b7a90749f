//! `cargo xtask codegen`: regenerates the committed crates from `models/`, or checks they are fresh.
//!
//! ```text
//! cargo xtask codegen                         # write crates/neptune-{model,protocol,client} and
//!                                             # crates/protocol-tests/aws-query/query-protocol-*
//! cargo xtask codegen --check                 # fail, naming the stale files, if they differ
//! cargo xtask codegen --model PATH --out DIR [--operations A,B]
//!                                             # a standalone workspace for any awsQuery model
//!                                             # (PATH: a JSON AST file, or a folder of them)
//! ```

mod codegen;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: cargo xtask codegen [--check] [--model PATH --out DIR] [--operations A,B]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut args = args.into_iter();
    match args.next().as_deref() {
        Some("codegen") => {}
        Some(other) => return Err(format!("unknown task `{other}`\n{USAGE}")),
        None => return Err(USAGE.to_owned()),
    }
    let mut check = false;
    let mut model = None;
    let mut out = None;
    let mut operations = None;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("`{name}` needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--check" => check = true,
            "--model" => model = Some(PathBuf::from(value("--model")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--operations" => {
                operations = Some(
                    value("--operations")?
                        .split(',')
                        .map(|s| s.trim().to_owned())
                        .collect(),
                )
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    match (model, out) {
        (None, None) if operations.is_none() => codegen::workspace(check),
        (Some(model), Some(out)) if !check => codegen::standalone(&model, &out, operations),
        _ => Err(format!(
            "`--model` and `--out` go together, without `--check`\n{USAGE}"
        )),
    }
}
