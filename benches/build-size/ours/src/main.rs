//! One FailoverGlobalCluster call through neptune-client, answered in memory.

use std::future::Future;
use std::time::Duration;

use awsquery::http::{Request, Response};
use neptune_client::{Client, Config, Credentials, Transport, TransportError};

const ANSWER: &str = "<FailoverGlobalClusterResponse><FailoverGlobalClusterResult><GlobalCluster>\
    <GlobalClusterIdentifier>my-global</GlobalClusterIdentifier></GlobalCluster>\
    </FailoverGlobalClusterResult></FailoverGlobalClusterResponse>";

struct InMemory;

impl Transport for InMemory {
    fn send(&self, _: Request) -> impl Future<Output = Result<Response, TransportError>> + Send {
        std::future::ready(Ok(Response::new(200, ANSWER)))
    }

    fn sleep(&self, _: Duration) -> impl Future<Output = ()> + Send {
        std::future::ready(())
    }
}

fn main() {
    let config = Config::new("us-east-1", Credentials::new("AKIDEXAMPLE", "secret", None));
    let client = Client::new(config, InMemory);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let output = runtime
        .block_on(
            client
                .failover_global_cluster()
                .global_cluster_identifier("my-global")
                .target_db_cluster_identifier("secondary")
                .send(),
        )
        .unwrap();
    println!(
        "{:?}",
        output
            .global_cluster
            .and_then(|c| c.global_cluster_identifier)
    );
}
