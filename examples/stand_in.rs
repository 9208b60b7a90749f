//! Runs the local stand-in for the Neptune global database API (see `neptune_examples::stand_in`)
//! until stopped, for trying the other examples, or any program using the client, without an AWS
//! account.
//!
//! ```text
//! cargo run -p neptune-examples --example stand_in -- [--port PORT]
//! ```

use std::process::ExitCode;

use neptune_examples::StandIn;

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let port = match (
        args.next().as_deref(),
        args.next().map(|p| p.parse::<u16>()),
    ) {
        (None, None) => 0,
        (Some("--port"), Some(Ok(port))) => port,
        _ => {
            eprintln!("usage: stand_in [--port PORT]");
            return ExitCode::from(2);
        }
    };
    let stand_in = match StandIn::bind(&format!("127.0.0.1:{port}")).await {
        Ok(stand_in) => stand_in,
        Err(e) => {
            eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", stand_in.url());
    eprintln!(
        "serving DescribeGlobalClusters and FailoverGlobalCluster; point a client at it with \
         AWS_ENDPOINT_URL={} (any keys, any Region)",
        stand_in.url()
    );
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}
