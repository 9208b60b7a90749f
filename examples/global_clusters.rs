//! Every Neptune global database of the account and Region, page by page, with its status and the
//! DB cluster that writes.
//!
//! ```text
//! cargo run -p neptune-examples --example global_clusters -- [--page-size N]
//! ```
//!
//! The paginator sends `DescribeGlobalClusters` with each page's `Marker` until a page comes
//! without one; `--page-size` is its `MaxRecords` (20 to 100). Credentials, the Region and
//! settings come from where the AWS CLI finds them; `AWS_ENDPOINT_URL` sends the calls elsewhere,
//! such as to the local stand-in (`cargo run -p neptune-examples --example stand_in`).
//!
//! `tests/examples.rs` runs this file against the stand-in; its items are `pub` for that.

use std::error::Error;
use std::process::ExitCode;

use awsquery::transport::Transport;
use awsquery_config::ConfigLoader;
use neptune_client::Client;

type BoxError = Box<dyn Error + Send + Sync>;

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let page_size = match (
        args.next().as_deref(),
        args.next().map(|n| n.parse::<i32>()),
    ) {
        (None, None) => 20,
        (Some("--page-size"), Some(Ok(n))) => n,
        _ => {
            eprintln!("usage: global_clusters [--page-size N]");
            return ExitCode::from(2);
        }
    };
    match run(ConfigLoader::new(), page_size).await {
        Ok(listing) => {
            for cluster in &listing.clusters {
                println!(
                    "{:<24} {:<16} {}",
                    cluster.identifier, cluster.status, cluster.writer
                );
            }
            println!(
                "{} global databases in {} pages",
                listing.clusters.len(),
                listing.pages
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("listing failed: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Loads the configuration the way the AWS CLI does, makes the client and lists.
pub async fn run(loader: ConfigLoader, page_size: i32) -> Result<Listing, BoxError> {
    let loaded = loader.load().await?;
    let client = Client::new(loaded.client_config()?, loaded.transport().clone());
    list(&client, page_size).await
}

/// One line of the listing.
#[derive(Debug)]
pub struct Row {
    pub identifier: String,
    pub status: String,
    /// The ARN of the writer, or `-` when none is listed.
    pub writer: String,
}

/// The global databases, and how many pages they came in.
#[derive(Debug)]
pub struct Listing {
    pub clusters: Vec<Row>,
    pub pages: usize,
}

pub async fn list<T>(client: &Client<T>, page_size: i32) -> Result<Listing, BoxError>
where
    T: Transport + Clone + Send + Sync + 'static,
{
    let mut listing = Listing {
        clusters: Vec::new(),
        pages: 0,
    };
    let mut pages = client
        .describe_global_clusters()
        .max_records(page_size)
        .into_paginator();
    // An error ends the paging: it is returned once, after the pages before it.
    while let Some(page) = pages.next_page().await {
        let page = page?;
        listing.pages += 1;
        for cluster in page.global_clusters.unwrap_or_default() {
            let writer = cluster
                .global_cluster_members
                .unwrap_or_default()
                .into_iter()
                .find(|member| member.is_writer == Some(true))
                .and_then(|member| member.db_cluster_arn);
            listing.clusters.push(Row {
                identifier: cluster.global_cluster_identifier.unwrap_or_default(),
                status: cluster.status.unwrap_or_default(),
                writer: writer.unwrap_or_else(|| String::from("-")),
            });
        }
    }
    Ok(listing)
}
