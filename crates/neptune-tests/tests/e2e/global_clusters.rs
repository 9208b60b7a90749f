//! The global database operations beside FailoverGlobalCluster and DescribeGlobalClusters
//! (CreateGlobalCluster, ModifyGlobalCluster, SwitchoverGlobalCluster, RemoveFromGlobalCluster,
//! DeleteGlobalCluster), each sent by the client over [`HyperTransport`] to the test server, which
//! checks the form body and its signature and answers as Neptune does.

use awsquery::ErrorMetadata;
use awsquery_hyper::HyperTransport;
use neptune_client::error::{
    CreateGlobalClusterError, DeleteGlobalClusterError, ModifyGlobalClusterError,
    RemoveFromGlobalClusterError, SwitchoverGlobalClusterError,
};
use neptune_client::types::FailoverStatus;
use neptune_client::{Client, SdkError};
use neptune_tests::TARGET_ARN;

use crate::server::{Reply, TestServer};
use crate::{assert_signed_form, client, config, run};

/// The primary cluster of the global database in these tests.
const PRIMARY_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:primary";

/// A member cluster of a global database, as `<GlobalClusterMember>` XML.
fn member(arn: &str, readers: &[&str], writer: bool) -> String {
    let readers: String = readers
        .iter()
        .map(|r| format!("<member>{r}</member>"))
        .collect();
    format!(
        "<GlobalClusterMember><DBClusterArn>{arn}</DBClusterArn><Readers>{readers}</Readers>\
         <IsWriter>{writer}</IsWriter></GlobalClusterMember>"
    )
}

/// A success answer of `operation`: its result holding one global database with these members
/// and `extra` elements (a `FailoverState`, or elements the model does not know).
fn answer(
    operation: &str,
    identifier: &str,
    status: &str,
    members: &[String],
    extra: &str,
) -> Reply {
    let members = members.concat();
    let body = format!(
        "<{operation}Response xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><{operation}Result>\
         <GlobalCluster><GlobalClusterIdentifier>{identifier}</GlobalClusterIdentifier>\
         <GlobalClusterResourceId>cluster-4e5f6a7b8c</GlobalClusterResourceId>\
         <GlobalClusterArn>arn:aws:rds::123456789012:global-cluster:{identifier}</GlobalClusterArn>\
         <Status>{status}</Status><Engine>neptune</Engine><EngineVersion>1.3.2.0</EngineVersion>\
         <StorageEncrypted>true</StorageEncrypted><DeletionProtection>false</DeletionProtection>\
         <GlobalClusterMembers>{members}</GlobalClusterMembers>{extra}</GlobalCluster>\
         </{operation}Result><ResponseMetadata><RequestId>{operation}-id</RequestId>\
         </ResponseMetadata></{operation}Response>"
    );
    Reply::status(200, body)
        .header("content-type", "text/xml")
        .header("x-amzn-requestid", format!("{operation}-id"))
}

/// The `<ErrorResponse>` of a modeled fault.
fn fault(status: u16, code: &str) -> Reply {
    Reply::status(
        status,
        format!(
            "<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><Error>\
             <Type>Sender</Type><Code>{code}</Code><Message>{code} for this test</Message>\
             </Error><RequestId>{code}-id</RequestId></ErrorResponse>"
        ),
    )
    .header("content-type", "text/xml")
}

/// The life of a global database: created around an existing cluster, changed, switched over to
/// the secondary, the old primary detached, then deleted. Each request arrives with the body the
/// protocol cases describe and a signature of exactly what arrived, and each answer is read.
#[test]
fn each_operation_sends_its_signed_form_and_reads_its_global_cluster() {
    run(async {
        let primary = member(PRIMARY_ARN, &[TARGET_ARN], true);
        let secondary = member(TARGET_ARN, &[], false);
        let switching = format!(
            "<FailoverState><Status>pending</Status><FromDbClusterArn>{PRIMARY_ARN}</FromDbClusterArn>\
             <ToDbClusterArn>{TARGET_ARN}</ToDbClusterArn><IsDataLossAllowed>false</IsDataLossAllowed>\
             </FailoverState>"
        );
        let server = TestServer::start(vec![
            answer(
                "CreateGlobalCluster",
                "orders-global",
                "creating",
                &[member(PRIMARY_ARN, &[], true)],
                "<Endpoint>orders-global.global.example</Endpoint><TagList/>",
            ),
            answer(
                "ModifyGlobalCluster",
                "orders-global-2025",
                "modifying",
                &[primary.clone(), secondary.clone()],
                "",
            ),
            answer(
                "SwitchoverGlobalCluster",
                "orders-global-2025",
                "switching-over",
                &[primary, secondary.clone()],
                &switching,
            ),
            answer(
                "RemoveFromGlobalCluster",
                "orders-global-2025",
                "available",
                &[member(TARGET_ARN, &[], true)],
                "",
            ),
            answer(
                "DeleteGlobalCluster",
                "orders-global-2025",
                "deleting",
                &[],
                "",
            ),
        ])
        .await;
        let client = client(config(&server), &HyperTransport::new());

        let created = client
            .create_global_cluster()
            .global_cluster_identifier("orders-global")
            .source_db_cluster_identifier(PRIMARY_ARN)
            .deletion_protection(true)
            .storage_encrypted(true)
            .send()
            .await
            .expect("created")
            .global_cluster
            .expect("a global database");
        assert_eq!(
            created.global_cluster_identifier.as_deref(),
            Some("orders-global")
        );
        assert_eq!(created.status.as_deref(), Some("creating"));
        let members = created.global_cluster_members.expect("members");
        assert_eq!(members.len(), 1);
        assert_eq!(members[0].db_cluster_arn.as_deref(), Some(PRIMARY_ARN));
        assert_eq!(members[0].readers.as_deref(), Some(&[][..]));
        assert_eq!(members[0].is_writer, Some(true));

        let modified = client
            .modify_global_cluster()
            .global_cluster_identifier("orders-global")
            .new_global_cluster_identifier("orders-global-2025")
            .deletion_protection(false)
            .engine_version("1.4.1.0")
            .allow_major_version_upgrade(true)
            .send()
            .await
            .expect("modified")
            .global_cluster
            .expect("a global database");
        assert_eq!(
            modified.global_cluster_arn.as_deref(),
            Some("arn:aws:rds::123456789012:global-cluster:orders-global-2025")
        );
        assert_eq!(modified.deletion_protection, Some(false));
        let members = modified.global_cluster_members.expect("members");
        assert_eq!(
            members[0].readers.as_deref(),
            Some(&[TARGET_ARN.to_owned()][..])
        );

        let switched = client
            .switchover_global_cluster()
            .global_cluster_identifier("orders-global-2025")
            .target_db_cluster_identifier(TARGET_ARN)
            .send()
            .await
            .expect("switching over")
            .global_cluster
            .expect("a global database");
        assert_eq!(switched.status.as_deref(), Some("switching-over"));
        let state = switched.failover_state.expect("a failover state");
        assert_eq!(state.status, Some(FailoverStatus::Pending));
        assert_eq!(state.from_db_cluster_arn.as_deref(), Some(PRIMARY_ARN));
        assert_eq!(state.to_db_cluster_arn.as_deref(), Some(TARGET_ARN));
        assert_eq!(state.is_data_loss_allowed, Some(false));

        let left = client
            .remove_from_global_cluster()
            .global_cluster_identifier("orders-global-2025")
            .db_cluster_identifier(PRIMARY_ARN)
            .send()
            .await
            .expect("detached")
            .global_cluster
            .expect("a global database");
        let members = left.global_cluster_members.expect("members");
        assert_eq!(members.len(), 1);
        assert_eq!(members[0].db_cluster_arn.as_deref(), Some(TARGET_ARN));
        assert_eq!(members[0].is_writer, Some(true));

        let deleted = client
            .delete_global_cluster()
            .global_cluster_identifier("orders-global-2025")
            .send()
            .await
            .expect("deleted")
            .global_cluster
            .expect("a global database");
        assert_eq!(deleted.status.as_deref(), Some("deleting"));
        assert_eq!(deleted.global_cluster_members, Some(Vec::new()));

        let primary = "arn%3Aaws%3Ards%3Aus-east-1%3A123456789012%3Acluster%3Aprimary";
        let secondary = "arn%3Aaws%3Ards%3Aus-west-2%3A123456789012%3Acluster%3Asecondary";
        let bodies = [
            format!(
                "Action=CreateGlobalCluster&Version=2014-10-31&GlobalClusterIdentifier=orders-global\
                 &SourceDBClusterIdentifier={primary}&DeletionProtection=true&StorageEncrypted=true"
            ),
            "Action=ModifyGlobalCluster&Version=2014-10-31&GlobalClusterIdentifier=orders-global\
             &NewGlobalClusterIdentifier=orders-global-2025&DeletionProtection=false\
             &EngineVersion=1.4.1.0&AllowMajorVersionUpgrade=true"
                .to_owned(),
            format!(
                "Action=SwitchoverGlobalCluster&Version=2014-10-31\
                 &GlobalClusterIdentifier=orders-global-2025&TargetDbClusterIdentifier={secondary}"
            ),
            format!(
                "Action=RemoveFromGlobalCluster&Version=2014-10-31\
                 &GlobalClusterIdentifier=orders-global-2025&DbClusterIdentifier={primary}"
            ),
            "Action=DeleteGlobalCluster&Version=2014-10-31&GlobalClusterIdentifier=orders-global-2025"
                .to_owned(),
        ];
        let received = server.received();
        assert_eq!(received.len(), bodies.len());
        for (request, body) in received.iter().zip(&bodies) {
            assert_signed_form(&server, request, body);
        }
    });
}

/// The name of the variant a CreateGlobalCluster fault became, with its metadata.
fn create_fault(error: &SdkError<CreateGlobalClusterError>) -> (&'static str, &ErrorMetadata) {
    let e = error.service_error().expect("a service error");
    let name = match e {
        CreateGlobalClusterError::DbClusterNotFoundFault(_) => "DBClusterNotFoundFault",
        CreateGlobalClusterError::GlobalClusterAlreadyExistsFault(_) => {
            "GlobalClusterAlreadyExistsFault"
        }
        CreateGlobalClusterError::GlobalClusterQuotaExceededFault(_) => {
            "GlobalClusterQuotaExceededFault"
        }
        CreateGlobalClusterError::InvalidDbClusterStateFault(_) => "InvalidDBClusterStateFault",
        other => panic!("expected a modeled fault, got {other:?}"),
    };
    (name, e.meta())
}

/// The same for ModifyGlobalCluster.
fn modify_fault(error: &SdkError<ModifyGlobalClusterError>) -> (&'static str, &ErrorMetadata) {
    let e = error.service_error().expect("a service error");
    let name = match e {
        ModifyGlobalClusterError::GlobalClusterNotFoundFault(_) => "GlobalClusterNotFoundFault",
        ModifyGlobalClusterError::InvalidGlobalClusterStateFault(_) => {
            "InvalidGlobalClusterStateFault"
        }
        other => panic!("expected a modeled fault, got {other:?}"),
    };
    (name, e.meta())
}

/// The same for DeleteGlobalCluster.
fn delete_fault(error: &SdkError<DeleteGlobalClusterError>) -> (&'static str, &ErrorMetadata) {
    let e = error.service_error().expect("a service error");
    let name = match e {
        DeleteGlobalClusterError::GlobalClusterNotFoundFault(_) => "GlobalClusterNotFoundFault",
        DeleteGlobalClusterError::InvalidGlobalClusterStateFault(_) => {
            "InvalidGlobalClusterStateFault"
        }
        other => panic!("expected a modeled fault, got {other:?}"),
    };
    (name, e.meta())
}

/// The same for SwitchoverGlobalCluster.
fn switchover_fault(
    error: &SdkError<SwitchoverGlobalClusterError>,
) -> (&'static str, &ErrorMetadata) {
    let e = error.service_error().expect("a service error");
    let name = match e {
        SwitchoverGlobalClusterError::DbClusterNotFoundFault(_) => "DBClusterNotFoundFault",
        SwitchoverGlobalClusterError::GlobalClusterNotFoundFault(_) => "GlobalClusterNotFoundFault",
        SwitchoverGlobalClusterError::InvalidDbClusterStateFault(_) => "InvalidDBClusterStateFault",
        SwitchoverGlobalClusterError::InvalidGlobalClusterStateFault(_) => {
            "InvalidGlobalClusterStateFault"
        }
        other => panic!("expected a modeled fault, got {other:?}"),
    };
    (name, e.meta())
}

/// The same for RemoveFromGlobalCluster.
fn remove_fault(error: &SdkError<RemoveFromGlobalClusterError>) -> (&'static str, &ErrorMetadata) {
    let e = error.service_error().expect("a service error");
    let name = match e {
        RemoveFromGlobalClusterError::DbClusterNotFoundFault(_) => "DBClusterNotFoundFault",
        RemoveFromGlobalClusterError::GlobalClusterNotFoundFault(_) => "GlobalClusterNotFoundFault",
        RemoveFromGlobalClusterError::InvalidGlobalClusterStateFault(_) => {
            "InvalidGlobalClusterStateFault"
        }
        other => panic!("expected a modeled fault, got {other:?}"),
    };
    (name, e.meta())
}

/// The faults the API lists for each operation, with their HTTP statuses.
const FAULTS: [(&str, &[(&str, u16)]); 5] = [
    (
        "CreateGlobalCluster",
        &[
            ("DBClusterNotFoundFault", 404),
            ("GlobalClusterAlreadyExistsFault", 400),
            ("GlobalClusterQuotaExceededFault", 400),
            ("InvalidDBClusterStateFault", 400),
        ],
    ),
    (
        "ModifyGlobalCluster",
        &[
            ("GlobalClusterNotFoundFault", 404),
            ("InvalidGlobalClusterStateFault", 400),
        ],
    ),
    (
        "DeleteGlobalCluster",
        &[
            ("GlobalClusterNotFoundFault", 404),
            ("InvalidGlobalClusterStateFault", 400),
        ],
    ),
    (
        "SwitchoverGlobalCluster",
        &[
            ("DBClusterNotFoundFault", 404),
            ("GlobalClusterNotFoundFault", 404),
            ("InvalidDBClusterStateFault", 400),
            ("InvalidGlobalClusterStateFault", 400),
        ],
    ),
    (
        "RemoveFromGlobalCluster",
        &[
            ("DBClusterNotFoundFault", 404),
            ("GlobalClusterNotFoundFault", 404),
            ("InvalidGlobalClusterStateFault", 400),
        ],
    ),
];

/// Sends `operation` once and returns the variant its fault became, with its metadata.
async fn send_for_fault(
    client: &Client<HyperTransport>,
    operation: &str,
) -> (String, ErrorMetadata) {
    let (name, meta) = match operation {
        "CreateGlobalCluster" => {
            let error = client
                .create_global_cluster()
                .global_cluster_identifier("orders-global")
                .engine("neptune")
                .send()
                .await
                .expect_err("a fault");
            let (name, meta) = create_fault(&error);
            (name, meta.clone())
        }
        "ModifyGlobalCluster" => {
            let error = client
                .modify_global_cluster()
                .global_cluster_identifier("orders-global")
                .deletion_protection(true)
                .send()
                .await
                .expect_err("a fault");
            let (name, meta) = modify_fault(&error);
            (name, meta.clone())
        }
        "DeleteGlobalCluster" => {
            let error = client
                .delete_global_cluster()
                .global_cluster_identifier("orders-global")
                .send()
                .await
                .expect_err("a fault");
            let (name, meta) = delete_fault(&error);
            (name, meta.clone())
        }
        "SwitchoverGlobalCluster" => {
            let error = client
                .switchover_global_cluster()
                .global_cluster_identifier("orders-global")
                .target_db_cluster_identifier(TARGET_ARN)
                .send()
                .await
                .expect_err("a fault");
            let (name, meta) = switchover_fault(&error);
            (name, meta.clone())
        }
        "RemoveFromGlobalCluster" => {
            let error = client
                .remove_from_global_cluster()
                .global_cluster_identifier("orders-global")
                .db_cluster_identifier(TARGET_ARN)
                .send()
                .await
                .expect_err("a fault");
            let (name, meta) = remove_fault(&error);
            (name, meta.clone())
        }
        other => panic!("no such operation in these tests: {other}"),
    };
    (name.to_owned(), meta)
}

/// Every fault each operation lists becomes that operation's own variant, with the status, code,
/// message and request id of the answer, and none is retried.
#[test]
fn every_listed_fault_is_its_own_variant_and_is_not_retried() {
    run(async {
        let replies = FAULTS
            .iter()
            .flat_map(|(_, faults)| faults.iter().map(|(code, status)| fault(*status, code)))
            .collect();
        let server = TestServer::start(replies).await;
        let client = client(config(&server), &HyperTransport::new());
        let mut sent = 0;
        for (operation, faults) in FAULTS {
            for (code, status) in faults {
                let (variant, meta) = send_for_fault(&client, operation).await;
                sent += 1;
                assert_eq!(variant, *code, "{operation}");
                assert_eq!(meta.status, *status, "{operation} {code}");
                assert_eq!(meta.code(), Some(*code));
                assert_eq!(
                    meta.message(),
                    Some(format!("{code} for this test").as_str())
                );
                assert_eq!(meta.request_id(), Some(format!("{code}-id").as_str()));
                assert_eq!(
                    server.received().len(),
                    sent,
                    "{operation} {code} is not retried"
                );
            }
        }
        assert_eq!(sent, 15);
    });
}

/// A required member left out is an error naming it, and nothing reaches the server.
#[test]
fn a_missing_required_member_sends_nothing() {
    run(async {
        let server = TestServer::start(Vec::new()).await;
        let client = client(config(&server), &HyperTransport::new());
        let errors = [
            client
                .create_global_cluster()
                .engine("neptune")
                .send()
                .await
                .expect_err("no identifier")
                .to_string(),
            client
                .modify_global_cluster()
                .new_global_cluster_identifier("renamed")
                .send()
                .await
                .expect_err("no identifier")
                .to_string(),
            client
                .delete_global_cluster()
                .send()
                .await
                .expect_err("no identifier")
                .to_string(),
            client
                .switchover_global_cluster()
                .global_cluster_identifier("orders-global")
                .send()
                .await
                .expect_err("no target")
                .to_string(),
            client
                .remove_from_global_cluster()
                .global_cluster_identifier("orders-global")
                .send()
                .await
                .expect_err("no cluster")
                .to_string(),
        ];
        let expected = [
            ("CreateGlobalClusterInput", "GlobalClusterIdentifier"),
            ("ModifyGlobalClusterInput", "GlobalClusterIdentifier"),
            ("DeleteGlobalClusterInput", "GlobalClusterIdentifier"),
            ("SwitchoverGlobalClusterInput", "TargetDbClusterIdentifier"),
            ("RemoveFromGlobalClusterInput", "DbClusterIdentifier"),
        ];
        for (error, (input, member)) in errors.iter().zip(expected) {
            assert_eq!(
                *error,
                format!(
                    "the request cannot be built: `{input}` is missing its required member `{member}`"
                )
            );
        }
        assert!(server.received().is_empty(), "nothing may be sent");
        assert_eq!(server.connections(), 0);
    });
}
