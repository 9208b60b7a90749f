//! The process around [`run`](crate::run()): the arguments and the environment of the process, a
//! single-threaded tokio runtime, the HTTP transport with the timeouts and CA bundle asked for, and
//! the exit status. A generated command line's `main` is one call to [`main`].

use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use awsquery_config::settings::{Settings, SettingsError};
use awsquery_hyper::HyperTransport;

use crate::run::{Extension, OTHER_ERROR, Program, Stderr, Timeouts, USAGE_ERROR};

/// Runs `program` as the process.
pub fn main<C: 'static, X: Extension<C>>(program: &Program<'_, C, X>) -> ExitCode {
    let stderr: Stderr = Arc::new(Mutex::new(std::io::stderr()));
    let args: Vec<String> = match std::env::args_os()
        .skip(1)
        .map(|arg| arg.into_string())
        .collect()
    {
        Ok(args) => args,
        Err(arg) => {
            eprintln!(
                "{}: error: the argument {} is not valid UTF-8",
                program.service.name,
                arg.to_string_lossy()
            );
            return exit(USAGE_ERROR);
        }
    };
    // Variables that are not UTF-8 are left out, as if unset (none of the AWS ones can be).
    let env: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(key, value)| Some((key.into_string().ok()?, value.into_string().ok()?)))
        .collect();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!(
                "\n{}: cannot start the async runtime: {e}",
                program.service.name
            );
            return exit(OTHER_ERROR);
        }
    };
    let mut stdout = std::io::stdout().lock();
    let code = runtime.block_on(crate::run::run(
        program,
        &args,
        &env,
        transport,
        &mut stdout,
        &stderr,
    ));
    exit(code)
}

/// The HTTP transport with the timeouts asked for (no limit is the longest a timer can wait) and
/// the settings' CA bundle; proxies from the environment.
pub async fn transport(
    timeouts: Timeouts,
    settings: Settings,
) -> Result<HyperTransport, SettingsError> {
    let builder = HyperTransport::builder()
        .connect_timeout(timeouts.connect.unwrap_or(Duration::MAX))
        .read_timeout(timeouts.read.unwrap_or(Duration::MAX));
    settings.hyper_transport(builder).await
}

fn exit(code: i32) -> ExitCode {
    ExitCode::from(u8::try_from(code).unwrap_or(u8::MAX))
}
