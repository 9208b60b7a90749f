//! The `neptune` binary through a global database's life on the moto server that `.ci/run` starts
//! (signatures checked): create it around the set-up's DB cluster, wait until it is available,
//! find it with `--query`, see its deletion refused while it has a member, detach the member,
//! delete it, and see it gone, in the output formats a script would use.
//!
//! `.ci/moto_setup.py` exports `NEPTUNE_MOTO_*`; without them the test says on stderr that it is
//! skipped, and passes.

use std::process::Command;

#[derive(Debug)]
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

struct Moto {
    endpoint: String,
    access_key_id: String,
    secret_access_key: String,
    db_cluster_arn: String,
}

impl Moto {
    /// The server, or `None` after saying on stderr why `test` is skipped.
    fn find(test: &str) -> Option<Moto> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let found = (|| {
            Some(Moto {
                endpoint: var("NEPTUNE_MOTO_ENDPOINT")?,
                access_key_id: var("NEPTUNE_MOTO_ACCESS_KEY_ID")?,
                secret_access_key: var("NEPTUNE_MOTO_SECRET_ACCESS_KEY")?,
                db_cluster_arn: var("NEPTUNE_MOTO_DB_CLUSTER_ARN")?,
            })
        })();
        if found.is_none() {
            eprintln!(
                "SKIPPED {test}: no moto server (NEPTUNE_MOTO_ENDPOINT, …_ACCESS_KEY_ID, \
                 …_SECRET_ACCESS_KEY and …_DB_CLUSTER_ARN unset; `.ci/run` sets them)"
            );
        }
        found
    }

    /// Runs `neptune` with `args` against moto, with moto's keys and nothing else of the
    /// environment.
    fn neptune(&self, args: &[&str]) -> Ran {
        let home = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let output = Command::new(env!("CARGO_BIN_EXE_neptune"))
            .args(args)
            .env_clear()
            .env("HOME", &home)
            .env("AWS_CONFIG_FILE", home.join("no-config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ENDPOINT_URL_NEPTUNE", &self.endpoint)
            .env("AWS_ACCESS_KEY_ID", &self.access_key_id)
            .env("AWS_SECRET_ACCESS_KEY", &self.secret_access_key)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .expect("the binary runs");
        Ran {
            code: output.status.code().expect("an exit status"),
            stdout: String::from_utf8(output.stdout).expect("UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8"),
        }
    }
}

#[test]
fn a_global_database_from_creation_to_deletion() {
    let Some(moto) = Moto::find("a_global_database_from_creation_to_deletion") else {
        return;
    };
    let id = format!("neptune-cli-{}", std::process::id());
    let id = id.as_str();
    let member = moto.db_cluster_arn.as_str();

    let ran = moto.neptune(&[
        "create-global-cluster",
        "--global-cluster-identifier",
        id,
        "--source-db-cluster-identifier",
        member,
        "--query",
        "GlobalCluster.GlobalClusterMembers[].DBClusterArn",
        "--output",
        "text",
    ]);
    assert_eq!(
        (ran.code, ran.stdout.clone()),
        (0, format!("{member}\n")),
        "{ran:#?}"
    );

    let ran = moto.neptune(&[
        "wait",
        "global-cluster-available",
        "--global-cluster-identifier",
        id,
    ]);
    assert_eq!((ran.code, ran.stdout.as_str()), (0, ""), "{ran:#?}");

    let query = format!(
        "GlobalClusters[?GlobalClusterIdentifier=='{id}'].[Status, length(GlobalClusterMembers)]"
    );
    let ran = moto.neptune(&[
        "describe-global-clusters",
        "--query",
        &query,
        "--output",
        "text",
    ]);
    assert_eq!(
        (ran.code, ran.stdout.as_str()),
        (0, "available\t1\n"),
        "{ran:#?}"
    );

    let ran = moto.neptune(&["delete-global-cluster", "--global-cluster-identifier", id]);
    assert_eq!(ran.code, 254, "{ran:#?}");
    assert!(
        ran.stderr.starts_with(
            "\nAn error occurred (InvalidGlobalClusterStateFault) when calling the \
             DeleteGlobalCluster operation: "
        ),
        "{}",
        ran.stderr
    );

    let ran = moto.neptune(&[
        "remove-from-global-cluster",
        "--global-cluster-identifier",
        id,
        "--db-cluster-identifier",
        member,
        "--output",
        "yaml",
    ]);
    assert_eq!(ran.code, 0, "{ran:#?}");
    assert!(
        ran.stdout.starts_with("GlobalCluster:\n")
            && ran
                .stdout
                .contains(&format!("  GlobalClusterIdentifier: {id}\n"))
            && ran.stdout.contains("  GlobalClusterMembers: []\n"),
        "{}",
        ran.stdout
    );

    let ran = moto.neptune(&[
        "delete-global-cluster",
        "--global-cluster-identifier",
        id,
        "--query",
        "GlobalCluster.GlobalClusterIdentifier",
    ]);
    assert_eq!(
        (ran.code, ran.stdout.clone()),
        (0, format!("\"{id}\"\n")),
        "{ran:#?}"
    );

    let query = format!("GlobalClusters[?GlobalClusterIdentifier=='{id}']");
    let ran = moto.neptune(&["describe-global-clusters", "--query", &query]);
    assert_eq!((ran.code, ran.stdout.as_str()), (0, "[]\n"), "{ran:#?}");
}
