//! A disaster-recovery drill for a Neptune global database: describe it, move the writer to a
//! secondary DB cluster (a switchover, or with `--allow-data-loss` a failover), wait until that is
//! done, and check with a fresh description that the new writer is the one asked for.
//!
//! ```text
//! cargo run -p neptune-examples --example dr_drill -- GLOBAL_CLUSTER_ID [--target DB_CLUSTER_ARN]
//!     [--allow-data-loss] [--timeout-minutes N]
//! ```
//!
//! Credentials, the Region and settings come from where the AWS CLI finds them (the environment, the
//! shared files, an instance or container role, …). `AWS_ENDPOINT_URL` sends the calls elsewhere,
//! such as to the local stand-in (`cargo run -p neptune-examples --example stand_in`, whose
//! global database `drill-global` has a secondary).
//!
//! Run against a real global database, the drill moves its writer to another Region: run it where
//! that is what you want.
//!
//! `tests/examples.rs` runs this file against the stand-in; its items are `pub` for that.

use std::error::Error;
use std::fmt;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use awsquery::transport::Transport;
use awsquery_config::ConfigLoader;
use neptune_client::Client;
use neptune_client::types::GlobalCluster;

type BoxError = Box<dyn Error + Send + Sync>;

#[tokio::main]
async fn main() -> ExitCode {
    let drill = match Drill::from_args(std::env::args().skip(1)) {
        Ok(drill) => drill,
        Err(message) => {
            eprintln!(
                "{message}\nusage: dr_drill GLOBAL_CLUSTER_ID [--target DB_CLUSTER_ARN] [--allow-data-loss] [--timeout-minutes N]"
            );
            return ExitCode::from(2);
        }
    };
    match run(ConfigLoader::new(), &drill).await {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("the drill failed: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Loads the configuration the way the AWS CLI does, makes the client and runs the drill.
pub async fn run(loader: ConfigLoader, drill: &Drill) -> Result<Report, BoxError> {
    let loaded = loader.load().await?;
    let client = Client::new(loaded.client_config()?, loaded.transport().clone());
    drill.run(&client).await
}

/// What to drill.
#[derive(Debug, Clone)]
pub struct Drill {
    /// The global database: identifier or ARN.
    pub global_cluster: String,
    /// The DB cluster to make the writer; the first secondary when not given.
    pub target: Option<String>,
    /// A failover (which may lose what the target has not yet replicated) rather than a
    /// switchover.
    pub allow_data_loss: bool,
    /// How long the switchover or failover may take.
    pub timeout: Duration,
    /// The shortest and longest waits between two descriptions while waiting.
    pub poll: (Duration, Duration),
}

impl Drill {
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Drill, String> {
        let mut args = args.into_iter();
        let mut drill = Drill {
            global_cluster: String::new(),
            target: None,
            allow_data_loss: false,
            timeout: Duration::from_secs(30 * 60),
            poll: (Duration::from_secs(5), Duration::from_secs(60)),
        };
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--target" => drill.target = Some(args.next().ok_or("--target needs an ARN")?),
                "--allow-data-loss" => drill.allow_data_loss = true,
                "--timeout-minutes" => {
                    let minutes = args
                        .next()
                        .and_then(|m| m.parse::<u64>().ok())
                        .ok_or("--timeout-minutes needs a number")?;
                    drill.timeout = Duration::from_secs(minutes * 60);
                }
                flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
                _ if drill.global_cluster.is_empty() => drill.global_cluster = arg,
                _ => return Err(format!("one global database at a time, not also {arg}")),
            }
        }
        if drill.global_cluster.is_empty() {
            return Err(String::from("which global database?"));
        }
        Ok(drill)
    }

    pub async fn run<T>(&self, client: &Client<T>) -> Result<Report, BoxError>
    where
        T: Transport + Clone + Send + Sync + 'static,
    {
        let started = Instant::now();

        // 1. Describe the global database: it must be settled, and have a member to promote.
        let before = describe(client, &self.global_cluster).await?;
        if before.status.as_deref() != Some("available") {
            return Err(format!(
                "{} is {}, not available: a drill starts from a settled global database",
                self.global_cluster,
                before.status.as_deref().unwrap_or("of no status")
            )
            .into());
        }
        let old_writer = writer(&before).ok_or("the global database has no writer")?;
        let members = before.global_cluster_members.as_deref().unwrap_or_default();
        let target = match &self.target {
            Some(target) if target == &old_writer => {
                return Err(format!("{target} is already the writer").into());
            }
            Some(target) => target.clone(),
            None => members
                .iter()
                .filter_map(|m| m.db_cluster_arn.clone())
                .find(|arn| *arn != old_writer)
                .ok_or("the global database has no secondary to promote")?,
        };
        let mode = if self.allow_data_loss {
            "failover"
        } else {
            "switchover"
        };
        println!(
            "{}: writer {old_writer}; {mode} to {target}",
            self.global_cluster
        );

        // 2. Switch over (no data lost) or fail over (what is not yet replicated may be lost).
        let request = client
            .failover_global_cluster()
            .global_cluster_identifier(&self.global_cluster)
            .target_db_cluster_identifier(&target);
        let request = if self.allow_data_loss {
            request.allow_data_loss(true)
        } else {
            request.switchover(true)
        };
        let accepted = request.send().await?;
        let status = accepted.global_cluster.and_then(|c| c.status);
        println!(
            "accepted; status {}",
            status.as_deref().unwrap_or("unknown")
        );

        // 3. Wait until the target writes and the global database is available again.
        let (min, max) = self.poll;
        client
            .wait_until_failover_complete()
            .global_cluster_identifier(&self.global_cluster)
            .target_db_cluster_identifier(&target)
            .delays(min, max)
            .wait(self.timeout)
            .await?;

        // 4. Verify with a description of its own.
        let after = describe(client, &self.global_cluster).await?;
        let new_writer = writer(&after).ok_or("the global database has no writer")?;
        if new_writer != target {
            return Err(format!("the writer is {new_writer}, not {target}").into());
        }
        Ok(Report {
            global_cluster: self.global_cluster.clone(),
            mode,
            old_writer,
            new_writer,
            took: started.elapsed(),
        })
    }
}

/// The one global database `identifier` names.
async fn describe<T>(client: &Client<T>, identifier: &str) -> Result<GlobalCluster, BoxError>
where
    T: Transport + Clone + Send + Sync + 'static,
{
    let output = client
        .describe_global_clusters()
        .global_cluster_identifier(identifier)
        .send()
        .await?;
    output
        .global_clusters
        .unwrap_or_default()
        .into_iter()
        .next()
        .ok_or_else(|| format!("{identifier} is not in the answer").into())
}

/// The ARN of the member that writes.
fn writer(cluster: &GlobalCluster) -> Option<String> {
    cluster
        .global_cluster_members
        .as_deref()
        .unwrap_or_default()
        .iter()
        .find(|m| m.is_writer == Some(true))
        .and_then(|m| m.db_cluster_arn.clone())
}

/// What the drill did.
#[derive(Debug)]
pub struct Report {
    pub global_cluster: String,
    pub mode: &'static str,
    pub old_writer: String,
    pub new_writer: String,
    pub took: Duration,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} done in {:.0?}: {} now writes to {} (was {})",
            self.mode, self.took, self.global_cluster, self.new_writer, self.old_writer
        )
    }
}
