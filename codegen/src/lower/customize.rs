//! Service customizations: additions for particular services, made only when the model has the
//! shapes they rely on. A model without them (another service, or a selection that leaves the
//! operation out) simply does not get the addition.

use std::collections::BTreeMap;

use crate::ir::{
    Customizations, FailoverWaiter, Member, Operation, Scalar, Shape, ShapeKind, Step, Structure,
};

/// Every customization the model supports.
pub(super) fn customizations(
    operations: &[Operation],
    shapes: &BTreeMap<String, Shape>,
) -> Customizations {
    Customizations {
        failover_waiter: failover_waiter(operations, shapes),
    }
}

/// Neptune's failover waiter needs `DescribeGlobalClusters` as the Neptune (and RDS) models have
/// it: an optional string `GlobalClusterIdentifier` in, a list `GlobalClusters` of structures with
/// `GlobalClusterIdentifier` and `Status` strings and `GlobalClusterMembers`, a list of structures
/// with a string `DBClusterArn` and a boolean `IsWriter`; and the `GlobalClusterNotFoundFault`
/// error. Output members may be optional or not (the 2023 Neptune model gives `IsWriter` a
/// default); none may be boxed.
fn failover_waiter(
    operations: &[Operation],
    shapes: &BTreeMap<String, Shape>,
) -> Option<FailoverWaiter> {
    let op = operations
        .iter()
        .find(|op| op.name == "DescribeGlobalClusters")?;
    let not_found = op
        .errors
        .iter()
        .find(|id| shapes[id.as_str()].name == "GlobalClusterNotFoundFault")?;
    let shape = |id: &str| &shapes[id];
    let input_identifier = member(shape(&op.input), "GlobalClusterIdentifier")
        .filter(|m| m.optional && is_scalar(shapes, m, Scalar::String))?;
    let clusters = member(shape(&op.output), "GlobalClusters")?;
    let cluster = list_item_structure(shapes, clusters)?;
    let cluster_identifier = member(cluster, "GlobalClusterIdentifier")
        .filter(|m| is_scalar(shapes, m, Scalar::String))?;
    let cluster_arn =
        member(cluster, "GlobalClusterArn").filter(|m| is_scalar(shapes, m, Scalar::String));
    let status = member(cluster, "Status").filter(|m| is_scalar(shapes, m, Scalar::String))?;
    let members = member(cluster, "GlobalClusterMembers")?;
    let member_shape = list_item_structure(shapes, members)?;
    let member_arn =
        member(member_shape, "DBClusterArn").filter(|m| is_scalar(shapes, m, Scalar::String))?;
    let member_is_writer =
        member(member_shape, "IsWriter").filter(|m| is_scalar(shapes, m, Scalar::Boolean))?;
    Some(FailoverWaiter {
        operation: op.id.clone(),
        not_found: not_found.clone(),
        cluster: cluster.id.clone(),
        input_identifier: step(input_identifier),
        clusters: step(clusters),
        cluster_identifier: step(cluster_identifier),
        cluster_arn: cluster_arn.map(step),
        status: step(status),
        members: step(members),
        member_arn: step(member_arn),
        member_is_writer: step(member_is_writer),
    })
}

/// The unboxed member `name` of a structure.
fn member<'s>(shape: &'s Shape, name: &str) -> Option<&'s Member> {
    let ShapeKind::Structure(Structure { members, .. }) = &shape.kind else {
        return None;
    };
    members.iter().find(|m| m.name == name && !m.boxed)
}

fn step(member: &Member) -> Step {
    Step {
        field: member.field.clone(),
        optional: member.optional,
    }
}

fn is_scalar(shapes: &BTreeMap<String, Shape>, member: &Member, scalar: Scalar) -> bool {
    matches!(&shapes[&member.target].kind, ShapeKind::Scalar(s) if *s == scalar)
}

/// The structure a list member holds.
fn list_item_structure<'s>(
    shapes: &'s BTreeMap<String, Shape>,
    member: &Member,
) -> Option<&'s Shape> {
    let ShapeKind::List(list) = &shapes[&member.target].kind else {
        return None;
    };
    let item = &shapes[&list.target];
    matches!(item.kind, ShapeKind::Structure(_)).then_some(item)
}
