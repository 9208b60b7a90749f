//! Service customizations are added exactly when the model has the shapes they rely on.

use codegen::{GeneratedFile, Options, Selection};
use serde_json::{Value, json};

const WAITERS: &str = "crates/probe-client/src/generated/waiters.rs";
const CLIENT_LIB: &str = "crates/probe-client/src/generated/mod.rs";

/// A service with `DescribeGlobalClusters` shaped as in the Neptune models, and `Other`.
fn model() -> Value {
    let string = json!({ "target": "smithy.api#String" });
    json!({
        "smithy": "2.0",
        "shapes": {
            "example.fixtures#ProbeService": {
                "type": "service",
                "version": "2021-02-03",
                "operations": [
                    { "target": "example.fixtures#DescribeGlobalClusters" },
                    { "target": "example.fixtures#Other" }
                ],
                "traits": {
                    "aws.api#service": { "sdkId": "Probe" },
                    "aws.protocols#awsQuery": {}
                }
            },
            "example.fixtures#Other": { "type": "operation" },
            "example.fixtures#DescribeGlobalClusters": {
                "type": "operation",
                "input": { "target": "example.fixtures#DescribeGlobalClustersMessage" },
                "output": { "target": "example.fixtures#GlobalClustersMessage" },
                "errors": [{ "target": "example.fixtures#GlobalClusterNotFoundFault" }]
            },
            "example.fixtures#DescribeGlobalClustersMessage": {
                "type": "structure",
                "members": { "GlobalClusterIdentifier": string, "Marker": string }
            },
            "example.fixtures#GlobalClustersMessage": {
                "type": "structure",
                "members": {
                    "Marker": string,
                    "GlobalClusters": { "target": "example.fixtures#GlobalClusterList" }
                }
            },
            "example.fixtures#GlobalClusterList": {
                "type": "list",
                "member": {
                    "target": "example.fixtures#GlobalCluster",
                    "traits": { "smithy.api#xmlName": "GlobalClusterMember" }
                }
            },
            "example.fixtures#GlobalCluster": {
                "type": "structure",
                "members": {
                    "GlobalClusterIdentifier": string,
                    "GlobalClusterArn": string,
                    "Status": string,
                    "GlobalClusterMembers": { "target": "example.fixtures#GlobalClusterMemberList" }
                }
            },
            "example.fixtures#GlobalClusterMemberList": {
                "type": "list",
                "member": {
                    "target": "example.fixtures#GlobalClusterMember",
                    "traits": { "smithy.api#xmlName": "GlobalClusterMember" }
                }
            },
            "example.fixtures#GlobalClusterMember": {
                "type": "structure",
                "members": {
                    "DBClusterArn": string,
                    "IsWriter": { "target": "smithy.api#Boolean" }
                }
            },
            "example.fixtures#GlobalClusterNotFoundFault": {
                "type": "structure",
                "members": { "message": string },
                "traits": { "smithy.api#error": "client" }
            }
        }
    })
}

fn generate(model: &Value, operations: Option<&[&str]>) -> Vec<GeneratedFile> {
    let mut options = Options::new("..");
    options.selection = Selection {
        operations: operations.map(|ops| ops.iter().map(|op| (*op).to_owned()).collect()),
    };
    codegen::generate(&model.to_string(), &options).expect("the model generates")
}

fn waiters(files: &[GeneratedFile]) -> Option<&str> {
    files
        .iter()
        .find(|f| f.path == WAITERS)
        .map(|f| f.contents.as_str())
}

fn client_lib(files: &[GeneratedFile]) -> &str {
    &files
        .iter()
        .find(|f| f.path == CLIENT_LIB)
        .expect("the client crate")
        .contents
}

fn shape<'m>(model: &'m mut Value, name: &str) -> &'m mut Value {
    &mut model["shapes"][format!("example.fixtures#{name}")]
}

#[test]
fn the_expected_shapes_give_the_failover_waiter() {
    let files = generate(&model(), None);
    let waiters = waiters(&files).expect("a waiters file");
    assert!(waiters.contains("pub struct WaitUntilFailoverComplete<'a, T> {"));
    assert!(waiters.contains("pub enum FailoverWaitError {"));
    // The global database is also found by ARN when the model has one.
    assert!(waiters.contains("cluster.global_cluster_arn.as_deref()"));
    let lib = client_lib(&files);
    assert!(lib.contains("pub mod waiters;"));
    assert!(lib.contains("pub fn wait_until_failover_complete("));
}

#[test]
fn the_arn_is_optional() {
    let mut m = model();
    shape(&mut m, "GlobalCluster")["members"]
        .as_object_mut()
        .unwrap()
        .remove("GlobalClusterArn");
    let files = generate(&m, None);
    let waiters = waiters(&files).expect("a waiters file");
    assert!(!waiters.contains("global_cluster_arn"));
}

/// A named edit of the model.
type Change = (&'static str, fn(&mut Value));

/// Each change takes away something the waiter relies on: no waiter, and no error either.
#[test]
fn other_shapes_give_no_waiter() {
    let changes: [Change; 7] = [
        ("no IsWriter", |m| {
            shape(m, "GlobalClusterMember")["members"]
                .as_object_mut()
                .unwrap()
                .remove("IsWriter");
        }),
        ("IsWriter is a string", |m| {
            shape(m, "GlobalClusterMember")["members"]["IsWriter"]["target"] =
                json!("smithy.api#String");
        }),
        ("Status is an integer", |m| {
            shape(m, "GlobalCluster")["members"]["Status"]["target"] = json!("smithy.api#Integer");
        }),
        ("the identifier is required with a default", |m| {
            shape(m, "DescribeGlobalClustersMessage")["members"]["GlobalClusterIdentifier"]["traits"] =
                json!({ "smithy.api#default": "x" });
        }),
        ("GlobalClusters is not a list of structures", |m| {
            shape(m, "GlobalClustersMessage")["members"]["GlobalClusters"]["target"] =
                json!("smithy.api#String");
        }),
        ("no not-found error", |m| {
            shape(m, "DescribeGlobalClusters")
                .as_object_mut()
                .unwrap()
                .remove("errors");
        }),
        ("the operation has another name", |m| {
            let op = shapes_remove(m, "DescribeGlobalClusters");
            m["shapes"]["example.fixtures#ListGlobalClusters"] = op;
            m["shapes"]["example.fixtures#ProbeService"]["operations"][0]["target"] =
                json!("example.fixtures#ListGlobalClusters");
        }),
    ];
    for (what, change) in changes {
        let mut m = model();
        change(&mut m);
        let files = generate(&m, None);
        assert!(waiters(&files).is_none(), "{what}: a waiter was generated");
        let lib = client_lib(&files);
        assert!(!lib.contains("waiters"), "{what}: {lib}");
    }
}

fn shapes_remove(model: &mut Value, name: &str) -> Value {
    model["shapes"]
        .as_object_mut()
        .unwrap()
        .remove(&format!("example.fixtures#{name}"))
        .expect("the shape exists")
}

#[test]
fn a_selection_without_the_operation_gives_no_waiter() {
    let files = generate(&model(), Some(&["Other"]));
    assert!(waiters(&files).is_none());
    let files = generate(&model(), Some(&["DescribeGlobalClusters"]));
    assert!(waiters(&files).is_some());
}
