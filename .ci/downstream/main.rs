//! A program outside the repository, written as the README's "Using the crates from another
//! project" says: `neptune-client` and `awsquery-config` by version (`.ci/run` adds a
//! `[patch.crates-io]` standing in for the registry), the configuration as the AWS CLI finds it,
//! and one call. `.ci/run` points it at the examples' local stand-in with `AWS_ENDPOINT_URL`.

use std::process::ExitCode;

use neptune_client::Client;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match first_call().await {
        Ok(writer) => {
            println!("drill-global is written to by {writer}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("the first call failed: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn first_call() -> Result<String, Box<dyn std::error::Error>> {
    let loaded = awsquery_config::ConfigLoader::new().load().await?;
    let client = Client::new(loaded.client_config()?, loaded.transport().clone());
    let output = client
        .describe_global_clusters()
        .global_cluster_identifier("drill-global")
        .send()
        .await?;
    let cluster = output
        .global_clusters
        .unwrap_or_default()
        .into_iter()
        .next()
        .ok_or("no global database in the answer")?;
    cluster
        .global_cluster_members
        .unwrap_or_default()
        .into_iter()
        .find(|member| member.is_writer == Some(true))
        .and_then(|member| member.db_cluster_arn)
        .ok_or_else(|| "no writer in the answer".into())
}
