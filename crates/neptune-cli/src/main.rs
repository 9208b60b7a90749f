//! `neptune`: the process around [`neptune_cli::run`], run by `awsquery-cli` on the real HTTP
//! transport.

fn main() -> std::process::ExitCode {
    awsquery_cli::process::main(&neptune_cli::PROGRAM)
}
