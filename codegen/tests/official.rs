//! The published Neptune models (kept beside the repository, not in it) generate, and the output
//! reflects what changed between the 2023 and 2025 releases.

use std::path::PathBuf;

use codegen::{GeneratedFile, Options, Selection};

const OPERATIONS_2023: usize = 69;
const OPERATIONS_2025: usize = 70;
/// `smithy.rules#endpointTests` cases: the 2025 model dropped four dual-stack cases of the ISO
/// partitions.
const ENDPOINT_TESTS_2023: usize = 54;
const ENDPOINT_TESTS_2025: usize = 50;

fn models_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/models");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "skipping: ../shared/models not found (the official Neptune models sit beside the repository in CI)"
        );
        None
    }
}

fn generate(file: &str, operations: Option<&[&str]>) -> Option<Vec<GeneratedFile>> {
    let path = models_dir()?.join(file);
    let json = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut options = Options::new("..");
    options.selection = Selection {
        operations: operations.map(|ops| ops.iter().map(|op| (*op).to_owned()).collect()),
    };
    Some(
        codegen::generate(&json, &options)
            .unwrap_or_else(|e| panic!("{file} does not generate: {e}")),
    )
}

/// How many operations of the model carry `smithy.api#paginated`.
fn paginated_operations(file: &str) -> usize {
    let path = models_dir().expect("the models are there").join(file);
    let text = std::fs::read_to_string(&path).expect("the model is readable");
    let model: serde_json::Value = serde_json::from_str(&text).expect("the model is JSON");
    model["shapes"]
        .as_object()
        .expect("shapes")
        .values()
        .filter(|shape| shape["type"] == "operation")
        .filter(|shape| shape["traits"].get("smithy.api#paginated").is_some())
        .count()
}

/// Every paginated operation (the Neptune models name both tokens on each) gets a paginator, and
/// one with items gets the items view.
fn check_paginators(files: &[GeneratedFile], model: &str) {
    // Compared with white space folded, so that where the printer breaks a line does not count.
    let lib = file(files, PROTOCOL_LIB)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let expected = paginated_operations(model);
    assert!(expected > 10, "{model}: {expected} paginated operations");
    assert_eq!(
        lib.matches("impl ::awsquery_protocol::paginate::Paginate for ")
            .count(),
        expected
    );
    assert_eq!(
        lib.matches("impl ::awsquery_protocol::paginate::PaginateItems for ")
            .count(),
        expected
    );
    assert!(lib.contains(
        "impl ::awsquery_protocol::paginate::PaginateItems for DescribeGlobalClusters { type Items = Vec<crate::types::GlobalCluster>;"
    ));
}

/// The generated file at `path`; for a folder (`…/`), every `.rs` file under it, in path order,
/// as one text.
fn file(files: &[GeneratedFile], path: &str) -> String {
    if path.ends_with('/') {
        let mut under: Vec<&GeneratedFile> = files
            .iter()
            .filter(|f| f.path.starts_with(path) && f.path.ends_with(".rs"))
            .collect();
        assert!(!under.is_empty(), "nothing generated under `{path}`");
        under.sort_by(|a, b| a.path.cmp(&b.path));
        return under.iter().map(|f| f.contents.as_str()).collect();
    }
    files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no generated `{path}`"))
        .contents
        .clone()
}

/// The body of `pub struct {name} { ... }` in `source`.
fn struct_body<'a>(source: &'a str, name: &str) -> Option<&'a str> {
    let start = source.find(&format!("\npub struct {name} {{\n"))?;
    let body = &source[start..];
    Some(&body[..body.find("\n}\n")?])
}

/// The unit structs of the protocol crate: one per operation.
fn operation_structs(protocol_lib: &str) -> Vec<&str> {
    protocol_lib
        .lines()
        .filter_map(|line| line.strip_prefix("pub struct "))
        .filter_map(|rest| rest.strip_suffix(';'))
        .collect()
}

/// The generated code of the protocol crate, and of the model crate, each as one text.
const PROTOCOL_LIB: &str = "crates/neptune-protocol/src/generated/";
const TYPES: &str = "crates/neptune-model/src/generated/";
const ERRORS: &str = TYPES;

const WAITERS: &str = "crates/neptune-client/src/generated/waiters.rs";
const ENDPOINT: &str = "crates/neptune-client/src/generated/endpoint.rs";
const ENDPOINT_TESTS: &str = "crates/neptune-client/tests/endpoint_tests.rs";

/// The longest a generated file may be, in lines.
const MAX_FILE_LINES: usize = 3_000;

fn check_common(files: &[GeneratedFile], operations: usize, endpoint_tests: usize) {
    // One module per operation in each crate, and no file too long to read.
    for dir in [
        "crates/neptune-model/src/generated/operation/",
        "crates/neptune-protocol/src/generated/operation/",
        "crates/neptune-client/src/generated/fluent/",
    ] {
        let modules = files
            .iter()
            .filter(|f| f.path.starts_with(dir) && !f.path.ends_with("/mod.rs"))
            .count();
        assert_eq!(modules, operations, "{dir}");
    }
    for f in files {
        let lines = f.contents.lines().count();
        assert!(lines <= MAX_FILE_LINES, "{} has {lines} lines", f.path);
    }
    // The generator has no service customization: the failover waiter is hand-written, in the
    // committed client crate.
    assert!(!file(files, WAITERS).contains("WaitUntilFailoverComplete"));
    // DescribeDBInstances carries two `smithy.waiters#waitable` waiters, with a minDelay of 30 s;
    // DBInstanceDeleted succeeds on the error whose code (not shape name) is DBInstanceNotFound.
    let waiters = file(files, WAITERS);
    for waiter in ["WaitUntilDbInstanceAvailable", "WaitUntilDbInstanceDeleted"] {
        assert!(
            waiters.contains(&format!("pub struct {waiter}<T> {{")),
            "no {waiter}"
        );
    }
    assert_eq!(
        waiters
            .matches("::std::time::Duration::from_secs(30)")
            .count(),
        2
    );
    assert!(
        waiters.contains("Some(\"DBInstanceNotFound\")"),
        "{waiters}"
    );
    assert_eq!(
        waiters.matches("fn db_instance_available_verdict(").count(),
        1
    );
    // The endpoint rules compile to a resolver over the four built-in parameters, and every
    // endpoint test case is a test.
    let endpoint = file(files, ENDPOINT);
    for field in [
        "pub region: Option<String>,",
        "pub use_fips: bool,",
        "pub use_dual_stack: bool,",
        "pub endpoint: Option<String>,",
    ] {
        assert!(endpoint.contains(field), "no `{field}` in {endpoint}");
    }
    assert!(endpoint.contains("lib::partition(region)"), "{endpoint}");
    assert!(
        endpoint.contains("\"https://rds-fips.{region}.{}\""),
        "{endpoint}"
    );
    let tests = file(files, ENDPOINT_TESTS);
    assert_eq!(tests.matches("#[test]").count(), endpoint_tests);
    let lib = file(files, PROTOCOL_LIB);
    let ops = operation_structs(&lib);
    assert_eq!(ops.len(), operations, "{ops:?}");
    for op in [
        "FailoverGlobalCluster",
        "DescribeDbInstances",
        "CreateDbCluster",
    ] {
        assert!(ops.contains(&op), "no operation `{op}` in {ops:?}");
    }
    assert!(lib.contains("pub const API_VERSION: &str = \"2014-10-31\";"));
    // Error codes come from `awsQueryError`, not from the shape names.
    assert!(lib.contains("Some(\"DBInstanceNotFound\")"));
    assert!(lib.contains("Some(\"DBClusterNotFoundFault\")"));
    assert!(!lib.contains("Some(\"DBInstanceNotFoundFault\")"));
    assert_eq!(file(files, ERRORS).matches("pub const CODE:").count(), 67);
    // A list member's `xmlName` is the element read for each item.
    let de = file(files, PROTOCOL_LIB);
    assert!(de.contains("b\"GlobalClusterMember\""));
    // Inputs are named after their operation, whatever the model calls them.
    let types = file(files, TYPES);
    assert!(struct_body(&types, "FailoverGlobalClusterInput").is_some());
    assert!(struct_body(&types, "FailoverGlobalClusterMessage").is_none());
}

#[test]
fn neptune_2023_generates() {
    let Some(files) = generate("neptune-2023-08-24.json", None) else {
        return;
    };
    check_common(&files, OPERATIONS_2023, ENDPOINT_TESTS_2023);
    check_paginators(&files, "neptune-2023-08-24.json");
    let types = file(&files, TYPES);
    let failover = struct_body(&types, "FailoverGlobalClusterInput").expect("the failover input");
    assert!(!failover.contains("allow_data_loss"), "{failover}");
    assert!(!failover.contains("switchover"), "{failover}");
    assert!(!operation_structs(&file(&files, PROTOCOL_LIB)).contains(&"SwitchoverGlobalCluster"));
    // The 2023 model gives primitive booleans a `false` default: a plain `bool`.
    let cluster = struct_body(&types, "DbCluster").expect("DbCluster");
    assert!(cluster.contains("pub multi_az: bool,"), "{cluster}");
    let member = struct_body(&types, "GlobalClusterMember").expect("GlobalClusterMember");
    assert!(member.contains("pub is_writer: bool,"), "{member}");
}

#[test]
fn neptune_2025_generates() {
    let Some(files) = generate("neptune-2025-09-02.json", None) else {
        return;
    };
    check_common(&files, OPERATIONS_2025, ENDPOINT_TESTS_2025);
    check_paginators(&files, "neptune-2025-09-02.json");
    let types = file(&files, TYPES);
    let failover = struct_body(&types, "FailoverGlobalClusterInput").expect("the failover input");
    assert!(
        failover.contains("pub allow_data_loss: Option<bool>,"),
        "{failover}"
    );
    assert!(
        failover.contains("pub switchover: Option<bool>,"),
        "{failover}"
    );
    assert!(operation_structs(&file(&files, PROTOCOL_LIB)).contains(&"SwitchoverGlobalCluster"));
    // Without `default` traits every member is optional.
    let cluster = struct_body(&types, "DbCluster").expect("DbCluster");
    assert!(cluster.contains("pub multi_az: Option<bool>,"), "{cluster}");
    let member = struct_body(&types, "GlobalClusterMember").expect("GlobalClusterMember");
    assert!(member.contains("pub is_writer: Option<bool>,"), "{member}");
}

#[test]
fn selected_operations_keep_only_what_they_reach() {
    for model in ["neptune-2023-08-24.json", "neptune-2025-09-02.json"] {
        let Some(files) = generate(
            model,
            Some(&["FailoverGlobalCluster", "DescribeGlobalClusters"]),
        ) else {
            return;
        };
        let protocol = file(&files, PROTOCOL_LIB);
        let mut ops = operation_structs(&protocol);
        ops.sort_unstable();
        assert_eq!(ops, ["DescribeGlobalClusters", "FailoverGlobalCluster"]);
        let types = file(&files, TYPES);
        for kept in [
            "GlobalCluster",
            "GlobalClusterMember",
            "DescribeGlobalClustersInput",
            "DescribeGlobalClustersOutput",
            "FailoverGlobalClusterOutput",
        ] {
            assert!(
                struct_body(&types, kept).is_some(),
                "{model}: `{kept}` is missing"
            );
        }
        for dropped in ["DbInstance", "DbCluster", "CreateDbClusterInput"] {
            assert!(
                struct_body(&types, dropped).is_none(),
                "{model}: `{dropped}` is not reached by the selection"
            );
        }
        let errors = file(&files, ERRORS);
        assert!(errors.contains("pub struct GlobalClusterNotFoundFault {"));
        assert!(!errors.contains("pub struct DbInstanceNotFoundFault {"));
        let client = file(&files, "crates/neptune-client/src/generated/mod.rs");
        assert!(client.contains("pub fn failover_global_cluster("));
        assert!(!client.contains("pub fn create_db_cluster("));
    }
}

/// With the command line asked for (as `cargo xtask codegen --model … --out …` does), the 2025
/// model gives a `neptune-cli` crate: a manifest, a `main.rs` running the engine, and a table with
/// one command per operation under the AWS CLI's names, the paginators and the waiters. `.ci/run`
/// builds it and runs `neptune describe-db-clusters --generate-cli-skeleton`.
#[test]
fn neptune_2025_command_line() {
    let Some(dir) = models_dir() else { return };
    let json = std::fs::read_to_string(dir.join("neptune-2025-09-02.json")).expect("the model");
    let mut options = Options::new("..");
    options.cli = codegen::Cli::Crate;
    let files = codegen::generate(&json, &options).expect("the model generates");
    let manifest = file(&files, "crates/neptune-cli/Cargo.toml");
    assert!(manifest.contains("name = \"neptune\""), "{manifest}");
    assert!(
        manifest.contains("features = [\"json\", \"serde\"]"),
        "{manifest}"
    );
    let main = file(&files, "crates/neptune-cli/src/main.rs");
    assert!(main.contains("::awsquery_cli::process::main"), "{main}");
    let table = file(&files, "crates/neptune-cli/src/generated/");
    let names: Vec<&str> = table
        .lines()
        .filter_map(|l| l.trim().strip_prefix("name: \""))
        .map(|l| l.trim_end_matches("\","))
        .collect();
    assert_eq!(
        table.matches("pub(crate) const COMMAND:").count(),
        OPERATIONS_2025,
        "one command per operation"
    );
    for name in [
        "describe-db-clusters",
        "failover-global-cluster",
        "add-role-to-db-cluster",
        "describe-orderable-db-instance-options",
        "db-instance-available",
        "db-cluster-identifier",
        "vpc-security-group-ids",
    ] {
        assert!(names.contains(&name), "{name} is not in the table");
    }
    assert!(table.contains("input_token: \"Marker\""));
    assert!(table.contains("comparator: Comparator::AllStringEquals"));
    for f in files
        .iter()
        .filter(|f| f.path.starts_with("crates/neptune-cli/"))
    {
        let lines = f.contents.lines().count();
        assert!(lines <= 3_000, "{}: {lines} lines", f.path);
    }
}

/// The names the generator gives the 2025 model's commands, options and waiters are the AWS CLI's
/// (`official/aws_cli_names.txt`, listed by the AWS CLI itself). Members the AWS CLI's copy of the
/// model has and the 2025 model lacks (`NetworkType`…), and options the AWS CLI adds by hand
/// (`--source-region`), are left out of the comparison and counted.
#[test]
fn neptune_2025_names_are_the_aws_cli_names() {
    let Some(dir) = models_dir() else { return };
    let json = std::fs::read_to_string(dir.join("neptune-2025-09-02.json")).expect("the model");
    let model = codegen::parse(&json).expect("the model parses");
    let service = codegen::lower::lower(&model, &Selection::default()).expect("it lowers");
    let expected = include_str!("official/aws_cli_names.txt");
    let (mut operations, mut members, mut absent) = (0, 0, Vec::new());
    let mut waiters = Vec::new();
    for line in expected.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split(' ').collect();
        match fields[..] {
            ["operation", name, cli] => {
                let op = service
                    .operations
                    .iter()
                    .find(|op| op.name == name)
                    .unwrap_or_else(|| panic!("{name} is not in the model"));
                assert_eq!(op.cli_name, cli, "{name}");
                operations += 1;
            }
            ["member", path, cli] => {
                let (name, member) = path.split_once('.').expect("Operation.Member");
                // The AWS CLI's pagination options: the engine adds them to the commands whose
                // operation is paginated and names its items.
                if let Some(option) = match member {
                    "StartingToken" => Some("starting-token"),
                    "PageSize" => Some("page-size"),
                    "MaxItems" => Some("max-items"),
                    _ => None,
                } {
                    let op = service
                        .operations
                        .iter()
                        .find(|op| op.name == name)
                        .unwrap();
                    let paginated = op.paginated.as_ref().is_some_and(|p| {
                        p.input_token.is_some() && p.output_token.is_some() && p.items.is_some()
                    });
                    assert!(paginated, "{name} is paginated in the AWS CLI");
                    assert_eq!(cli, option);
                    continue;
                }
                let op = service.operations.iter().find(|op| op.name == name);
                let found = op.and_then(|op| match &service.shape(&op.input).kind {
                    codegen::ir::ShapeKind::Structure(s) => {
                        s.members.iter().find(|m| m.name == member)
                    }
                    _ => None,
                });
                match found {
                    Some(m) => {
                        assert_eq!(m.cli_name, cli, "{path}");
                        members += 1;
                    }
                    None => absent.push(path),
                }
            }
            ["waiter", cli] => waiters.push(cli),
            _ => panic!("unreadable line `{line}`"),
        }
    }
    assert_eq!(operations, OPERATIONS_2025);
    assert!(
        members >= 350,
        "{members} options compared; absent: {absent:?}"
    );
    assert!(absent.len() <= 8, "not in the 2025 model: {absent:?}");
    let ours: Vec<&str> = service
        .waiters
        .iter()
        .map(|w| w.cli_name.as_str())
        .collect();
    assert_eq!(ours, waiters);
}
