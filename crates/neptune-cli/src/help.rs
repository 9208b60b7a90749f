//! `neptune help`, `neptune <command> help` and the usage lines printed with a usage error.

use crate::args::CommandName;

/// Printed on stderr before a usage error, as the AWS CLI does.
pub const USAGE: &str = "\
usage: neptune [options] <command> [parameters]
To see help text, you can run:

  neptune help
  neptune <command> help
";

const GLOBAL_OPTIONS: &str = "\
GLOBAL OPTIONS
  --region REGION            The Region to call. Else AWS_REGION, AWS_DEFAULT_REGION, or the
                             profile's `region` in ~/.aws/config.
  --endpoint-url URL         Send requests to this URL instead of the Region's endpoint.
  --profile NAME             Use this profile of ~/.aws/credentials and ~/.aws/config for
                             credentials and Region (environment keys are then ignored).
  --output json              The output format; json is the only one.
  --debug                    Log each request and response on stderr (signatures and tokens
                             left out).
  --cli-read-timeout N       Seconds to wait for a response, 0 for no limit (default 60).
  --cli-connect-timeout N    Seconds to wait for a connection, 0 for no limit (default 60).
  --version                  Print the version.
  --help                     Print help.
";

/// The overview.
pub fn overview() -> String {
    format!(
        "\
neptune: the Amazon Neptune global database commands of the AWS CLI, as a small native tool.

It reads credentials and the Region as the AWS CLI does and prints what `aws neptune` prints
with `--output json`.

COMMANDS
  describe-global-clusters   List global databases, with their member clusters.
  failover-global-cluster    Make a secondary cluster the writer of a global database.

Run `neptune <command> help` for a command's options.

{GLOBAL_OPTIONS}
EXIT STATUS
  0    success
  252  the command line is wrong
  253  no credentials or no Region
  254  the service answered with an error
  255  anything else (connection, unreadable response, a wait that failed)
"
    )
}

/// A command's help.
pub fn command(name: CommandName) -> String {
    let body = match name {
        CommandName::Failover => FAILOVER,
        CommandName::Describe => DESCRIBE,
    };
    format!("{body}\n{GLOBAL_OPTIONS}")
}

const FAILOVER: &str = "\
neptune failover-global-cluster

Makes a secondary DB cluster of a Neptune global database its writer (FailoverGlobalCluster).
Without --allow-data-loss it is a switchover, which waits for replication to catch up.

SYNOPSIS
  neptune failover-global-cluster
    --global-cluster-identifier ID
    --target-db-cluster-identifier ARN
    [--allow-data-loss | --no-allow-data-loss]
    [--switchover | --no-switchover]
    [--wait [--wait-timeout SECONDS] [--wait-delay SECONDS]]

OPTIONS
  --global-cluster-identifier ID      The global database to fail over.
  --target-db-cluster-identifier ARN  The ARN of the secondary cluster to become the writer.
  --allow-data-loss                   Fail over at once; writes not yet replicated may be lost.
  --switchover                        A planned switchover, with no data loss. Not with
                                      --allow-data-loss.
  --wait                              Then poll DescribeGlobalClusters until the target is the
                                      writer and the global database is `available`, and print
                                      the global database as it is then, in the same form.
  --wait-timeout SECONDS              How long --wait waits at most (default 1800).
  --wait-delay SECONDS                The shortest pause between polls (default 5, at least 1;
                                      pauses grow to at most 60, or this value if larger).

OUTPUT
  {\"GlobalCluster\": {...}}, the global database as the service describes it.
";

const DESCRIBE: &str = "\
neptune describe-global-clusters

Lists the Neptune global databases of the Region (DescribeGlobalClusters), following every
page and printing them together, as the AWS CLI does.

SYNOPSIS
  neptune describe-global-clusters
    [--global-cluster-identifier ID]
    [--starting-token TOKEN] [--page-size N] [--max-items N] [--no-paginate]

OPTIONS
  --global-cluster-identifier ID  Only this global database.
  --page-size N                   Ask for N global databases per request (20 to 100).
  --max-items N                   Print at most N; then a NextToken to resume from.
  --starting-token TOKEN          Resume where a NextToken left off.
  --no-paginate                   Send one request and print that page with its Marker.
  --max-records N, --marker M     Sent as they are, for one page (as with --no-paginate).

OUTPUT
  {\"GlobalClusters\": [...]}, with \"NextToken\" when --max-items cut the listing short.
";

#[cfg(test)]
mod tests {
    use super::*;

    /// Every option the parser takes is in the help, and the help names no other.
    #[test]
    fn help_covers_the_options() {
        let all = format!(
            "{}{}{}",
            overview(),
            command(CommandName::Failover),
            command(CommandName::Describe)
        );
        for option in [
            "--region",
            "--endpoint-url",
            "--profile",
            "--output",
            "--debug",
            "--cli-read-timeout",
            "--cli-connect-timeout",
            "--global-cluster-identifier",
            "--target-db-cluster-identifier",
            "--allow-data-loss",
            "--no-allow-data-loss",
            "--switchover",
            "--no-switchover",
            "--wait-timeout",
            "--wait-delay",
            "--starting-token",
            "--page-size",
            "--max-items",
            "--no-paginate",
            "--max-records",
            "--marker",
        ] {
            assert!(all.contains(option), "{option} is not in the help");
        }
        assert!(command(CommandName::Describe).contains("describe-global-clusters"));
        assert!(!command(CommandName::Describe).contains("--wait"));
    }
}
