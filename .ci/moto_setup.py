"""Prepares a running moto server for the moto tests in crates/neptune-tests/tests/moto.rs.

moto verifies signatures only after its first INITIAL_NO_AUTH_ACTION_COUNT requests. This script
spends exactly that budget on IAM (a user, a policy allowing everything, an access key), then creates
a Neptune global cluster and DB cluster signed with the new key, which shows that the server now
checks signatures and accepts this key, and a role that anyone may assume, allowed everything, for
the credential tests (AssumeRole, AssumeRoleWithWebIdentity). It prints `export NAME=value` lines
for the tests.

Usage: moto_setup.py ENDPOINT
"""

import json
import shlex
import sys

import boto3

# The requests this script sends before signatures are checked; .ci/run starts moto with it.
UNAUTHENTICATED_REQUESTS = 3

REGION = "us-east-1"
USER = "neptune-tests"
ROLE = "neptune-tests-role"
GLOBAL_CLUSTER = "neptune-tests-global"
DB_CLUSTER = "neptune-tests-primary"


def main(endpoint: str) -> None:
    unsigned = dict(
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="unused",
        aws_secret_access_key="unused",
    )
    iam = boto3.client("iam", **unsigned)
    iam.create_user(UserName=USER)
    iam.put_user_policy(
        UserName=USER,
        PolicyName="everything",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
            }
        ),
    )
    key = iam.create_access_key(UserName=USER)["AccessKey"]

    neptune = boto3.client(
        "neptune",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
    neptune.create_global_cluster(GlobalClusterIdentifier=GLOBAL_CLUSTER, Engine="neptune")
    cluster = neptune.create_db_cluster(
        DBClusterIdentifier=DB_CLUSTER,
        Engine="neptune",
        GlobalClusterIdentifier=GLOBAL_CLUSTER,
    )["DBCluster"]

    iam = boto3.client(
        "iam",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
    role = iam.create_role(
        RoleName=ROLE,
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "*"},
                        "Action": ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"],
                    }
                ],
            }
        ),
    )["Role"]
    iam.put_role_policy(
        RoleName=ROLE,
        PolicyName="everything",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
            }
        ),
    )

    exports = {
        "NEPTUNE_MOTO_ENDPOINT": endpoint,
        "NEPTUNE_MOTO_REGION": REGION,
        "NEPTUNE_MOTO_ACCESS_KEY_ID": key["AccessKeyId"],
        "NEPTUNE_MOTO_SECRET_ACCESS_KEY": key["SecretAccessKey"],
        "NEPTUNE_MOTO_GLOBAL_CLUSTER": GLOBAL_CLUSTER,
        "NEPTUNE_MOTO_DB_CLUSTER_ARN": cluster["DBClusterArn"],
        "NEPTUNE_MOTO_ROLE_ARN": role["Arn"],
    }
    for name, value in exports.items():
        print(f"export {name}={shlex.quote(value)}")


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--unauthenticated-requests":
        print(UNAUTHENTICATED_REQUESTS)
    elif len(sys.argv) == 2:
        main(sys.argv[1])
    else:
        sys.exit(__doc__)
