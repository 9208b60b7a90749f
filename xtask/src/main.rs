//! `cargo xtask codegen`: regenerates the committed crates from `models/`, or checks they are fresh.
//!
//! ```text
//! cargo xtask codegen                         # write crates/neptune-{model,protocol,client},
//!                                             # crates/sts-* and crates/protocol-tests/aws-query/*
//! cargo xtask codegen --check                 # fail, naming the stale files, if they differ
//! cargo xtask codegen --model PATH --out DIR [--operations A,B]
//!                     [--runtime-path DIR | --runtime-git URL [--runtime-rev REV]]
//!                                             # a standalone workspace for any awsQuery model
//!                                             # (PATH: a JSON AST file, or a folder of them),
//!                                             # on the runtime crates from the registry by
//!                                             # version, or from a folder or a git repository
//! ```

mod codegen;

/// The generator builds and drops syn trees of every file it prints, about two million
/// allocations for a large model; with mimalloc a run takes about four fifths of the time it
/// takes with the system allocator (`cargo bench -p codegen`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ::codegen::Runtime;

const USAGE: &str = "usage: cargo xtask codegen [--check]\n       \
     cargo xtask codegen --model PATH --out DIR [--operations A,B] \
     [--runtime-path DIR | --runtime-git URL [--runtime-rev REV]]";

fn main() -> ExitCode {
    match parse(std::env::args().skip(1).collect()).and_then(Task::run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What the command line asks for.
#[derive(Debug, PartialEq)]
enum Task {
    /// Generate this repository's crates, or with `check` only list those that are stale.
    Workspace { check: bool },
    /// Generate a standalone workspace.
    Standalone {
        model: PathBuf,
        out: PathBuf,
        operations: Option<Vec<String>>,
        runtime: Runtime,
    },
}

impl Task {
    fn run(self) -> Result<(), String> {
        match self {
            Task::Workspace { check } => codegen::workspace(check),
            Task::Standalone {
                model,
                out,
                operations,
                runtime,
            } => codegen::standalone(&model, &out, operations, runtime),
        }
    }
}

fn parse(args: Vec<String>) -> Result<Task, String> {
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
    let mut runtime_path = None;
    let mut runtime_git = None;
    let mut runtime_rev = None;
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
            "--runtime-path" => runtime_path = Some(PathBuf::from(value("--runtime-path")?)),
            "--runtime-git" => runtime_git = Some(value("--runtime-git")?),
            "--runtime-rev" => runtime_rev = Some(value("--runtime-rev")?),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let runtime = match (runtime_path, runtime_git, runtime_rev) {
        (None, None, None) => None,
        (Some(dir), None, None) => Some(Runtime::Path(runtime_dir(&dir)?)),
        (None, Some(url), rev) => Some(Runtime::Git { url, rev }),
        (Some(_), Some(_), _) => {
            return Err(format!(
                "`--runtime-path` and `--runtime-git` are two sources of the runtime: give one\n{USAGE}"
            ));
        }
        (_, None, Some(_)) => {
            return Err(format!(
                "`--runtime-rev` is a revision of `--runtime-git`, which is missing\n{USAGE}"
            ));
        }
    };
    match (model, out) {
        (None, None) if operations.is_none() && runtime.is_none() => Ok(Task::Workspace { check }),
        (Some(model), Some(out)) if !check => Ok(Task::Standalone {
            model,
            out,
            operations,
            runtime: runtime.unwrap_or_default(),
        }),
        _ => Err(format!(
            "`--model` and `--out` go together, without `--check`; `--operations` and the \
             runtime options go with them\n{USAGE}"
        )),
    }
}

/// The folder of the runtime crates for `--runtime-path DIR`, absolute: `DIR` itself when it holds
/// `awsquery/Cargo.toml` (the `crates` folder of a checkout), or `DIR/crates` for the checkout.
fn runtime_dir(dir: &Path) -> Result<String, String> {
    let holds_runtime = |dir: &Path| dir.join("awsquery").join("Cargo.toml").is_file();
    let found = [dir.to_owned(), dir.join("crates")]
        .into_iter()
        .find(|candidate| holds_runtime(candidate))
        .ok_or_else(|| {
            format!(
                "`--runtime-path {}`: neither it nor its `crates` folder holds the runtime \
                 crates (`awsquery/Cargo.toml`)",
                dir.display()
            )
        })?;
    let absolute = found
        .canonicalize()
        .map_err(|e| format!("`--runtime-path {}`: {e}", dir.display()))?;
    absolute.to_str().map(str::to_owned).ok_or_else(|| {
        format!(
            "`--runtime-path {}`: the path is not UTF-8",
            absolute.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    fn standalone_runtime(line: &str) -> Result<Runtime, String> {
        match parse(args(line))? {
            Task::Standalone { runtime, .. } => Ok(runtime),
            other => panic!("{line}: {other:?}"),
        }
    }

    /// The runtime comes from the registry unless a path or a git repository is given; a path is
    /// made absolute, and the checkout's root stands for its `crates` folder.
    #[test]
    fn runtime_options() {
        let base = "codegen --model m.json --out out";
        assert_eq!(standalone_runtime(base), Ok(Runtime::Registry));
        let crates = codegen::root().join("crates");
        let expected = Runtime::Path(crates.canonicalize().unwrap().to_str().unwrap().to_owned());
        let root = codegen::root();
        for dir in [&crates, &root] {
            let line = format!("{base} --runtime-path {}", dir.display());
            assert_eq!(standalone_runtime(&line), Ok(expected.clone()), "{line}");
        }
        assert_eq!(
            standalone_runtime(&format!("{base} --runtime-git https://example.com/q.git")),
            Ok(Runtime::Git {
                url: String::from("https://example.com/q.git"),
                rev: None
            })
        );
        assert_eq!(
            standalone_runtime(&format!(
                "{base} --runtime-git https://example.com/q.git --runtime-rev v0.1.0"
            )),
            Ok(Runtime::Git {
                url: String::from("https://example.com/q.git"),
                rev: Some(String::from("v0.1.0"))
            })
        );
    }

    /// Options that contradict each other, or a folder without the runtime, are errors that say
    /// why.
    #[test]
    fn runtime_option_errors() {
        let base = "codegen --model m.json --out out";
        let error = |line: String| parse(args(&line)).unwrap_err();
        let nowhere = codegen::root().join("models");
        assert!(
            error(format!("{base} --runtime-path {}", nowhere.display()))
                .contains("neither it nor its `crates` folder holds the runtime crates"),
        );
        assert!(
            error(format!("{base} --runtime-path crates --runtime-git u")).contains("give one")
        );
        assert!(
            error(format!("{base} --runtime-rev abc"))
                .contains("`--runtime-git`, which is missing")
        );
        assert!(error(String::from("codegen --check --runtime-git u")).contains("go with them"));
        assert!(error(format!("{base} --runtime-path")).contains("`--runtime-path` needs a value"));
        assert_eq!(
            parse(args("codegen --check")),
            Ok(Task::Workspace { check: true })
        );
    }
}
