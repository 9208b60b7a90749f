//! One FailoverGlobalCluster call through aws-sdk-neptune, answered in memory.

use aws_credential_types::Credentials;
use aws_sdk_neptune::config::{BehaviorVersion, Region};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;

const ANSWER: &str = "<FailoverGlobalClusterResponse><FailoverGlobalClusterResult><GlobalCluster>\
    <GlobalClusterIdentifier>my-global</GlobalClusterIdentifier></GlobalCluster>\
    </FailoverGlobalClusterResult></FailoverGlobalClusterResponse>";

#[derive(Debug, Clone)]
struct InMemory;

impl HttpConnector for InMemory {
    fn call(&self, _: HttpRequest) -> HttpConnectorFuture {
        let status = StatusCode::try_from(200).unwrap();
        HttpConnectorFuture::ready(Ok(HttpResponse::new(status, SdkBody::from(ANSWER))))
    }
}

impl HttpClient for InMemory {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

fn main() {
    let config = aws_sdk_neptune::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
            "static",
        ))
        .http_client(InMemory)
        .build();
    let client = aws_sdk_neptune::Client::from_conf(config);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
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
