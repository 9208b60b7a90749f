//! One small model per feature: the generated Rust is snapshotted, every model's crates must
//! build without a warning, and the protocol tests generated from the models' test cases must pass.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use codegen::{GeneratedFile, Options};

/// Every fixture in `tests/fixtures`, by file stem.
const FIXTURES: &[&str] = &[
    "auth",
    "endpoint_rules",
    "enum",
    "error_code",
    "host_prefix",
    "json_values",
    "list_xml_name",
    "map",
    "naming",
    "nested_structure",
    "paginated",
    "protocol_tests",
    "recursive",
    "request_compression",
    "required_default",
    "timestamp",
    "union",
    "unit_io",
    "waiters",
];

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.json"));
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn generate(name: &str, runtime_path: &str) -> Vec<GeneratedFile> {
    let options = Options::new(runtime_path);
    codegen::generate(&fixture(name), &options)
        .unwrap_or_else(|e| panic!("fixture `{name}` does not generate: {e}"))
}

/// The Rust files that carry a model's features, each under a `// ==== path ====` header. The model
/// crate's `lib.rs` and the client's `lib.rs` are the same for every model and are left out; the
/// protocol crate's and the client crate's tests come last, for the models that have test cases.
/// A model whose client manifest differs from the usual one (a runtime feature) shows it first.
fn rust_sources(files: &[GeneratedFile]) -> String {
    // In this order: the model crate's shared types, errors and JSON output, then each
    // operation's module in each crate.
    let order = [
        "-model/src/generated/types.rs",
        "-model/src/generated/error.rs",
        "-model/src/generated/json.rs",
        "-model/src/generated/operation/",
        "-protocol/src/generated/mod.rs",
        "-protocol/src/generated/ser.rs",
        "-protocol/src/generated/de.rs",
        "-protocol/src/generated/operation/",
        "-client/src/generated/fluent/",
    ];
    let mut out = String::new();
    let manifest = files
        .iter()
        .find(|f| f.path.ends_with("-client/Cargo.toml"))
        .expect("a client manifest");
    // Every client has the `config` feature; a runtime feature shows as `features = [..]` on a
    // dependency.
    if manifest.contents.contains(", features = [") {
        out.push_str(&format!("# ==== {} ====\n", manifest.path));
        out.push_str(&manifest.contents);
        out.push('\n');
    }
    for part in order {
        let mut matching: Vec<&GeneratedFile> = files
            .iter()
            .filter(|f| match part.strip_suffix('/') {
                Some(dir) => f.path.contains(&format!("{dir}/")) && !f.path.ends_with("/mod.rs"),
                None => f.path.ends_with(part),
            })
            .collect();
        assert!(!matching.is_empty(), "no generated file for `{part}`");
        matching.sort_by(|a, b| a.path.cmp(&b.path));
        for file in matching {
            out.push_str(&format!("// ==== {} ====\n", file.path));
            out.push_str(&file.contents);
            out.push('\n');
        }
    }
    for tests in [PROTOCOL_TESTS, CLIENT_TESTS] {
        if let Some(file) = files.iter().find(|f| f.path.ends_with(tests)) {
            out.push_str(&format!("// ==== {} ====\n", file.path));
            out.push_str(&file.contents);
            out.push('\n');
        }
    }
    out
}

/// The generated protocol test file of a protocol crate.
const PROTOCOL_TESTS: &str = "-protocol/tests/protocol_tests.rs";
/// The generated test file of a client crate, for the cases that need the client.
const CLIENT_TESTS: &str = "-client/tests/protocol_tests.rs";

/// The generated endpoint module and endpoint test file of a client crate.
const ENDPOINT_MODULE: &str = "-client/src/generated/endpoint.rs";
const ENDPOINT_TESTS: &str = "-client/tests/endpoint_tests.rs";

/// The endpoint module, then the endpoint tests when there are some, each under a header.
fn endpoint_sources(files: &[GeneratedFile]) -> String {
    let mut out = String::new();
    for suffix in [ENDPOINT_MODULE, ENDPOINT_TESTS] {
        if let Some(file) = files.iter().find(|f| f.path.ends_with(suffix)) {
            out.push_str(&format!("// ==== {} ====\n", file.path));
            out.push_str(&file.contents);
            out.push('\n');
        }
    }
    out
}

fn snapshot(name: &str) {
    let files = generate(name, "..");
    insta::assert_snapshot!(name, rust_sources(&files));
}

/// Operations with an empty `smithy.api#auth` or with `smithy.api#optionalAuth` are sent unsigned
/// (`SIGNED` is `false`), and their request cases run through the client, where the missing
/// signature shows.
#[test]
fn auth_snapshot() {
    snapshot("auth");
}

/// A rule set using every library function, templates, headers and properties, and its test cases.
#[test]
fn endpoint_rules_snapshot() {
    let files = generate("endpoint_rules", "..");
    insta::assert_snapshot!("endpoint_rules", endpoint_sources(&files));
}

/// A model without a rule set gets the usual regional rules, and no endpoint tests.
#[test]
fn default_endpoint_rules_snapshot() {
    let files = generate("unit_io", "..");
    assert!(!files.iter().any(|f| f.path.ends_with(ENDPOINT_TESTS)));
    insta::assert_snapshot!("default_endpoint_rules", endpoint_sources(&files));
}

/// Each endpoint test case is one test, named from its documentation (or its index), uniquely.
#[test]
fn endpoint_test_names() {
    let files = generate("endpoint_rules", "..");
    let tests = &files
        .iter()
        .find(|f| f.path.ends_with(ENDPOINT_TESTS))
        .expect("the endpoint_rules fixture has endpoint tests")
        .contents;
    let names: Vec<&str> = tests
        .lines()
        .filter_map(|line| line.strip_prefix("fn "))
        .filter_map(|rest| rest.strip_suffix("() {"))
        .collect();
    assert_eq!(names.len(), 18, "{names:?}");
    assert_eq!(tests.matches("#[test]").count(), names.len());
    for name in [
        "regional_endpoint",
        "regional_endpoint_2",
        "case_16",
        "no_tenant",
    ] {
        assert!(names.contains(&name), "no `{name}` in {names:?}");
    }
    let unique: std::collections::BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len());
}

#[test]
fn enum_snapshot() {
    snapshot("enum");
}

#[test]
fn error_code_snapshot() {
    snapshot("error_code");
}

#[test]
fn host_prefix_snapshot() {
    snapshot("host_prefix");
}

#[test]
fn json_values_snapshot() {
    snapshot("json_values");
}

#[test]
fn list_xml_name_snapshot() {
    snapshot("list_xml_name");
}

#[test]
fn map_snapshot() {
    snapshot("map");
}

#[test]
fn naming_snapshot() {
    snapshot("naming");
}

#[test]
fn nested_structure_snapshot() {
    snapshot("nested_structure");
}

#[test]
fn paginated_snapshot() {
    snapshot("paginated");
}

#[test]
fn protocol_tests_snapshot() {
    snapshot("protocol_tests");
}

/// The test functions of the generated file ending in `suffix`, sorted; `None` without that file.
fn test_names(files: &[GeneratedFile], suffix: &str) -> Option<Vec<String>> {
    let tests = &files.iter().find(|f| f.path.ends_with(suffix))?.contents;
    assert!(tests.starts_with(codegen::GENERATED_HEADER), "{tests}");
    assert!(tests.contains("#![cfg_attr(rustfmt, rustfmt::skip)]"));
    let mut names: Vec<String> = tests
        .lines()
        .filter_map(|line| line.strip_prefix("fn "))
        .filter_map(|rest| rest.strip_suffix("() {"))
        .map(str::to_owned)
        .collect();
    names.sort_unstable();
    assert_eq!(tests.matches("#[test]").count(), names.len());
    Some(names)
}

/// Only a model with awsQuery client cases gets test files, and each kept case is one test: in
/// the client crate when it depends on the client, in the protocol crate otherwise.
#[test]
fn protocol_test_files() {
    let with_tests = [
        "auth",
        "host_prefix",
        "protocol_tests",
        "request_compression",
    ];
    for name in FIXTURES {
        let files = generate(name, "..");
        let has_tests = files
            .iter()
            .any(|f| f.path.ends_with(PROTOCOL_TESTS) || f.path.ends_with(CLIENT_TESTS));
        assert_eq!(has_tests, with_tests.contains(name), "{name}");
    }
    let files = generate("protocol_tests", "..");
    assert_eq!(
        test_names(&files, PROTOCOL_TESTS).expect("a protocol test file"),
        [
            "get_item_nested",
            "get_item_recursive_floats",
            "item_rejected_error",
            "item_rejected_error_put_items",
            "put_items_floats",
            "put_items_lists",
            "put_items_nested",
        ]
    );
    assert_eq!(test_names(&files, CLIENT_TESTS), None);

    let files = generate("host_prefix", "..");
    assert_eq!(
        test_names(&files, PROTOCOL_TESTS).expect("a protocol test file"),
        ["host_without_path"]
    );
    assert_eq!(
        test_names(&files, CLIENT_TESTS).expect("a client test file"),
        [
            "host_prefix_label_with_dots",
            "host_prefix_with_label",
            "host_prefix_with_two_labels",
            "query_host_with_path",
            "static_host_prefix",
        ]
    );

    let files = generate("auth", "..");
    assert_eq!(
        test_names(&files, PROTOCOL_TESTS).expect("a protocol test file"),
        ["whoami_request"]
    );
    assert_eq!(
        test_names(&files, CLIENT_TESTS).expect("a client test file"),
        ["exchange_is_not_signed", "peek_is_not_signed"]
    );

    let files = generate("request_compression", "..");
    assert_eq!(test_names(&files, PROTOCOL_TESTS), None);
    assert_eq!(
        test_names(&files, CLIENT_TESTS).expect("a client test file"),
        [
            "sdk_appends_gzip_and_ignores_http_provided_encoding_aws_query",
            "sdk_applied_content_encoding_aws_query",
            "small_body_is_not_compressed",
            "unknown_encoding_is_skipped",
        ]
    );
}

/// Only a client whose model compresses requests builds the runtime with gzip; a protocol crate
/// only names the encoding, which needs no compressor.
#[test]
fn gzip_only_where_compression_is_modeled() {
    for name in FIXTURES {
        let files = generate(name, "..");
        for file in files.iter().filter(|f| f.path.ends_with("/Cargo.toml")) {
            let gzip = file.contents.contains(r#"features = ["gzip"]"#);
            let expected = match *name {
                "request_compression" | "paginated" => file.path.ends_with("-client/Cargo.toml"),
                _ => false,
            };
            assert_eq!(gzip, expected, "{}", file.path);
        }
    }
}

/// Every client crate gets the optional `config` feature (`Client::from_env`), off by default,
/// unless the options leave it out (for STS, which `awsquery-config` itself depends on).
#[test]
fn the_config_feature_is_optional_and_can_be_left_out() {
    let find = |files: &[GeneratedFile], suffix: &str| {
        files
            .iter()
            .find(|f| f.path.ends_with(suffix))
            .map(|f| f.contents.clone())
            .expect("the file")
    };
    let files = generate("unit_io", "..");
    let manifest = find(&files, "-client/Cargo.toml");
    assert!(
        manifest.contains(&format!(
            "awsquery-config = {{ version = \"{}\", path = \"../awsquery-config\", optional = true }}",
            codegen::emit::cargo::VERSION
        )),
        "{manifest}"
    );
    assert!(
        manifest.contains("config = [\"dep:awsquery-config\", \"dep:awsquery-hyper\"]"),
        "{manifest}"
    );
    assert!(!manifest.contains("default ="), "{manifest}");
    let client = find(&files, "-client/src/generated/mod.rs");
    assert!(client.contains("#[cfg(feature = \"config\")]"), "{client}");
    assert!(client.contains("pub async fn from_env()"), "{client}");
    assert!(find(&files, "-client/README.md").contains("`config` feature"));

    let mut options = Options::new("..");
    options.config_feature = false;
    let files = codegen::generate(&fixture("unit_io"), &options).expect("the fixture generates");
    for (suffix, absent) in [
        ("-client/Cargo.toml", "awsquery-config"),
        ("-client/Cargo.toml", "config ="),
        ("-client/src/generated/mod.rs", "from_env"),
        ("-client/README.md", "`config` feature"),
    ] {
        assert!(!find(&files, suffix).contains(absent), "{suffix}: {absent}");
    }
}

#[test]
fn recursive_snapshot() {
    snapshot("recursive");
}

#[test]
fn request_compression_snapshot() {
    snapshot("request_compression");
}

#[test]
fn required_default_snapshot() {
    snapshot("required_default");
}

/// A request names its input's `@sensitive` values (`Password`, a sensitive member, and `Token`,
/// whose target is a sensitive string), so that whatever prints the request leaves them out.
#[test]
fn requests_name_their_sensitive_values() {
    let files = generate("required_default", "..");
    let operation = files
        .iter()
        .find(|f| {
            f.path
                .ends_with("-protocol/src/generated/operation/configure.rs")
        })
        .expect("the operation's module");
    assert!(
        operation
            .contents
            .contains(".with_sensitive(&[\"Password\", \"Token\"])"),
        "{}",
        operation.contents
    );
}

#[test]
fn timestamp_snapshot() {
    snapshot("timestamp");
}

#[test]
fn union_snapshot() {
    snapshot("union");
}

#[test]
fn unit_io_snapshot() {
    snapshot("unit_io");
}

/// The waiters of `smithy.waiters#waitable`: builders, verdict functions and compiled paths.
#[test]
fn waiters_snapshot() {
    let files = generate("waiters", "..");
    let waiters = files
        .iter()
        .find(|f| f.path.ends_with(WAITERS))
        .expect("the waiters fixture has waiters");
    insta::assert_snapshot!("waiters", waiters.contents);
    for name in FIXTURES.iter().filter(|name| **name != "waiters") {
        let files = generate(name, "..");
        assert!(!files.iter().any(|f| f.path.ends_with(WAITERS)), "{name}");
    }
}

/// The generated waiters module of a client crate.
const WAITERS: &str = "-client/src/generated/waiters.rs";

/// The hand-written tests of the waiters fixture's generated client, run against it below.
const WAITER_TESTS: &str = "tests/fixtures/waiters.rs";

/// The hand-written serde tests of the union fixture's model crate, run against it below.
const UNION_SERDE_TESTS: &str = "tests/fixtures/union_serde.rs";

#[test]
fn every_fixture_is_listed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut found: Vec<String> = fs::read_dir(&dir)
        .expect("the fixtures folder exists")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            path.file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    found.sort();
    assert_eq!(found, FIXTURES);
}

/// Each fixture names its crates after a distinct sdkId, so all of them fit in one workspace.
#[test]
fn fixture_crate_names_are_distinct() {
    let mut seen = std::collections::BTreeMap::new();
    for name in FIXTURES {
        for file in generate(name, "..") {
            if let Some(dir) = file.path.strip_suffix("/Cargo.toml") {
                if let Some(other) = seen.insert(dir.to_owned(), *name) {
                    panic!("`{other}` and `{name}` both generate `{dir}`");
                }
            }
        }
    }
    assert_eq!(seen.len(), FIXTURES.len() * 3);
}

/// Writes every fixture's crates into one workspace and checks it, with every feature (the model
/// crates' `json`) and warnings denied.
#[test]
fn fixtures_compile_without_warnings() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let runtime = repo
        .join("crates")
        .canonicalize()
        .expect("the runtime crates' folder exists");
    let runtime = runtime.to_str().expect("the runtime path is UTF-8");
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let root = tmp.join("codegen-fixtures");
    if root.exists() {
        fs::remove_dir_all(&root).expect("remove the previous fixture workspace");
    }

    let mut members = Vec::new();
    for name in FIXTURES {
        for file in generate(name, runtime) {
            let path = root.join(&file.path);
            fs::create_dir_all(path.parent().expect("generated paths have a parent"))
                .expect("create a crate folder");
            fs::write(&path, &file.contents).expect("write a generated file");
            if let Some(dir) = file.path.strip_suffix("/Cargo.toml") {
                members.push(format!("\"{dir}\""));
            }
        }
    }
    fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("write the workspace manifest");
    // The repository's lockfile pins the runtime's dependencies to versions already downloaded.
    fs::copy(repo.join("Cargo.lock"), root.join("Cargo.lock")).expect("copy Cargo.lock");

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| String::from("cargo"));
    let started = Instant::now();
    let output = Command::new(cargo)
        .args([
            "check",
            "--workspace",
            "--all-features",
            "--keep-going",
            "--quiet",
        ])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", tmp.join("codegen-fixtures-target"))
        .env(
            "RUSTFLAGS",
            "-Dwarnings -Wmissing_debug_implementations -Wrust_2018_idioms",
        )
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .output()
        .expect("run cargo check");
    eprintln!(
        "cargo check of {} fixture crates took {:.1?}",
        members.len(),
        started.elapsed()
    );
    assert!(
        output.status.success(),
        "the fixtures' generated crates do not build cleanly:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // The generated protocol tests, of protocol and client crates, build without a warning and pass.
    let mut packages = Vec::new();
    let mut expected_tests = 0;
    for name in FIXTURES {
        for file in generate(name, runtime) {
            for (suffix, kind) in [(PROTOCOL_TESTS, "protocol"), (CLIENT_TESTS, "client")] {
                if let Some(krate) = file.path.strip_suffix(suffix) {
                    let krate = krate.trim_start_matches("crates/");
                    packages.push(format!("{krate}-{kind}"));
                    expected_tests += file.contents.matches("#[test]").count();
                }
            }
        }
    }
    assert!(expected_tests > 0, "no fixture has protocol tests");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| String::from("cargo"));
    let mut command = Command::new(cargo);
    command.args(["test", "--quiet", "--test", "protocol_tests"]);
    for package in &packages {
        command.args(["-p", package]);
    }
    let output = command
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", tmp.join("codegen-fixtures-target"))
        .env(
            "RUSTFLAGS",
            "-Dwarnings -Wmissing_debug_implementations -Wrust_2018_idioms",
        )
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .output()
        .expect("run cargo test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the fixtures' protocol tests fail:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(passed(&stdout), expected_tests, "{stdout}");

    // The waiters of the waiters fixture behave as the Smithy specification says.
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join(WAITER_TESTS);
    let client_tests = root.join("crates/fixture-waiters-client/tests");
    fs::create_dir_all(&client_tests).expect("create the waiters client's tests folder");
    fs::copy(&tests, client_tests.join("waiters.rs")).expect("copy the waiter tests");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| String::from("cargo"));
    let output = Command::new(cargo)
        .args([
            "test",
            "--quiet",
            "-p",
            "fixture-waiters-client",
            "--test",
            "waiters",
        ])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", tmp.join("codegen-fixtures-target"))
        .env(
            "RUSTFLAGS",
            "-Dwarnings -Wmissing_debug_implementations -Wrust_2018_idioms",
        )
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .output()
        .expect("run cargo test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the waiters fixture's tests fail:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected = fs::read_to_string(&tests)
        .expect("read the waiter tests")
        .matches("#[test]")
        .count();
    assert_eq!(passed(&stdout), expected, "{stdout}");

    // With the model crate's `serde` feature, unions are one-member objects that come back
    // unchanged. The fixture's manifest is the generated one plus serde_json for the test.
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join(UNION_SERDE_TESTS);
    let model = root.join("crates/fixture-unions-model");
    fs::create_dir_all(model.join("tests")).expect("create the union model's tests folder");
    fs::copy(&tests, model.join("tests/serde.rs")).expect("copy the union serde tests");
    let manifest = model.join("Cargo.toml");
    let mut text = fs::read_to_string(&manifest).expect("read the union model's manifest");
    text.push_str("\n[dev-dependencies]\nserde_json = \"1\"\n");
    fs::write(&manifest, text).expect("write the union model's manifest");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| String::from("cargo"));
    let output = Command::new(cargo)
        .args([
            "test",
            "--quiet",
            "-p",
            "fixture-unions-model",
            "--features",
            "serde",
            "--test",
            "serde",
        ])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", tmp.join("codegen-fixtures-target"))
        .env(
            "RUSTFLAGS",
            "-Dwarnings -Wmissing_debug_implementations -Wrust_2018_idioms",
        )
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .output()
        .expect("run cargo test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the union fixture's serde tests fail:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected = fs::read_to_string(&tests)
        .expect("read the union serde tests")
        .matches("#[test]")
        .count();
    assert_eq!(passed(&stdout), expected, "{stdout}");

    // So do the generated endpoint tests.
    let mut packages = Vec::new();
    let mut expected_tests = 0;
    for name in FIXTURES {
        for file in generate(name, runtime) {
            if let Some(krate) = file.path.strip_suffix(ENDPOINT_TESTS) {
                packages.push(format!("{}-client", krate.trim_start_matches("crates/")));
                expected_tests += file.contents.matches("#[test]").count();
            }
        }
    }
    assert!(expected_tests > 0, "no fixture has endpoint tests");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| String::from("cargo"));
    let mut command = Command::new(cargo);
    command.args(["test", "--quiet", "--test", "endpoint_tests"]);
    for package in &packages {
        command.args(["-p", package]);
    }
    let output = command
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", tmp.join("codegen-fixtures-target"))
        .env(
            "RUSTFLAGS",
            "-Dwarnings -Wmissing_debug_implementations -Wrust_2018_idioms",
        )
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .output()
        .expect("run cargo test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the fixtures' endpoint tests fail:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(passed(&stdout), expected_tests, "{stdout}");
}

/// The number of passed tests in `cargo test` output.
fn passed(stdout: &str) -> usize {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix("test result: ok. "))
        .filter_map(|rest| rest.split(' ').next()?.parse::<usize>().ok())
        .sum()
}

/// An ignored case keeps its test, marked `#[ignore]` with the reason `cargo test` prints; the
/// crates go to the folder the options name.
#[test]
fn ignored_cases_and_crates_dir() {
    let mut options = Options::new("../../awsquery");
    options.crates_dir = String::from("suites/fixture/");
    options.ignored_cases.insert(
        String::from("PutItemsNested"),
        String::from("needs a reason"),
    );
    let files = codegen::generate(&fixture("protocol_tests"), &options).expect("generates");
    assert!(
        files
            .iter()
            .all(|f| f.path.starts_with("suites/fixture/fixture-")),
        "{:?}",
        files.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    let tests = files
        .iter()
        .find(|f| f.path.ends_with(PROTOCOL_TESTS))
        .expect("a test file");
    assert!(
        tests
            .contents
            .contains("#[test]\n#[ignore = \"needs a reason\"]\nfn put_items_nested() {"),
        "{}",
        tests.contents
    );
    assert_eq!(tests.contents.matches("#[ignore").count(), 1);
}
