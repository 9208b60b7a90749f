//! File I/O around the pure `codegen` library.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use codegen::{Cli, GeneratedFile, Options, Runtime, Selection};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the root")
        .to_owned()
}

/// One model of this repository and where its crates go.
#[derive(Debug)]
pub struct Target {
    /// The model: a JSON AST file, or a folder of them that together make one model.
    pub model: &'static str,
    /// Where the crates go, relative to the root.
    pub crates_dir: &'static str,
    /// The folder of the runtime crates as seen from a generated crate's folder.
    pub runtime_dir: &'static str,
    /// Whether the crates are published (a test suite's are not).
    pub publish: bool,
    /// Protocol test cases generated as ignored tests: case id and reason.
    pub ignored_cases: &'static [(&'static str, &'static str)],
    /// Whether the client crate gets the `config` feature (`Client::from_env`): not for STS,
    /// which `awsquery-config` depends on.
    pub config_feature: bool,
    /// What is generated of the command line: the table of the hand-written `neptune` crate, or
    /// nothing.
    pub cli: Cli,
}

/// The repository of the published crates (the workspace's `repository`).
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// What `cargo xtask codegen` generates: the Neptune crates, test-only crates from the Smithy
/// awsQuery protocol test suite, whose `cargo test` runs every case of the suite, and the STS
/// crates the credential providers of `awsquery-config` call.
pub const TARGETS: [Target; 3] = [
    Target {
        model: "models/neptune.json",
        crates_dir: "crates",
        runtime_dir: "..",
        publish: true,
        ignored_cases: &[],
        config_feature: true,
        cli: Cli::Table,
    },
    Target {
        model: "models/tests/aws-query",
        crates_dir: "crates/protocol-tests/aws-query",
        runtime_dir: "../../..",
        publish: false,
        ignored_cases: SUITE_IGNORED,
        config_feature: true,
        cli: Cli::None,
    },
    Target {
        model: "models/sts.json",
        crates_dir: "crates",
        runtime_dir: "..",
        publish: true,
        ignored_cases: &[],
        config_feature: false,
        cli: Cli::None,
    },
];

/// Suite cases generated as ignored tests, with the reason `cargo test` prints; each must be listed
/// with its reason in the README. None at present: every case of the suite runs, in the protocol
/// crate or, when it depends on the client, in the client crate.
pub const SUITE_IGNORED: &[(&str, &str)] = &[];

impl Target {
    fn options(&self) -> Options {
        let mut options = Options::new(self.runtime_dir);
        options.manifests.repository = Some(REPOSITORY.to_owned());
        options.manifests.unpublished = !self.publish;
        options.crates_dir = self.crates_dir.to_owned();
        options.ignored_cases = self
            .ignored_cases
            .iter()
            .map(|&(id, reason)| (id.to_owned(), reason.to_owned()))
            .collect::<BTreeMap<_, _>>();
        options.config_feature = self.config_feature;
        options.cli = self.cli;
        options
    }

    fn generate(&self, root: &Path) -> Result<Vec<GeneratedFile>, String> {
        generate(&root.join(self.model), &self.options())
    }
}

/// Generates the committed crates into the repository, or, with `check`, reports those that differ.
pub fn workspace(check: bool) -> Result<(), String> {
    let root = root();
    let mut stale = Vec::new();
    for target in &TARGETS {
        let files = target.generate(&root)?;
        let changed = sync(&root, &files, check)?;
        if !check && changed.is_empty() {
            println!(
                "{}: {} files up to date ({} lines)",
                target.model,
                files.len(),
                line_count(&files)
            );
        }
        stale.extend(changed);
    }
    if stale.is_empty() {
        return Ok(());
    }
    let list = stale
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n");
    if check {
        Err(format!(
            "generated files are stale:\n{list}\nrun `cargo xtask codegen` and commit the result"
        ))
    } else {
        println!("updated:\n{list}");
        Ok(())
    }
}

/// Writes a standalone workspace for any awsQuery model (a file, or a folder of files) into `out`,
/// its crates depending on the runtime crates from `runtime`.
pub fn standalone(
    model: &Path,
    out: &Path,
    operations: Option<Vec<String>>,
    runtime: Runtime,
) -> Result<(), String> {
    let mut options = Options::default();
    options.manifests.runtime = runtime;
    options.selection = Selection { operations };
    options.cli = Cli::Crate;
    let started = Instant::now();
    let files = standalone_files(model, &options)?;
    let elapsed = started.elapsed();
    sync(out, &files, false)?;
    println!(
        "generated {} files, {} lines, into {} in {:.2?}",
        files.len(),
        line_count(&files),
        out.display(),
        elapsed
    );
    Ok(())
}

/// The files of a standalone workspace: the crates, and a workspace manifest naming them.
fn standalone_files(model: &Path, options: &Options) -> Result<Vec<GeneratedFile>, String> {
    let mut files = generate(model, options)?;
    let members: Vec<String> = files
        .iter()
        .filter_map(|f| f.path.strip_suffix("/Cargo.toml"))
        .map(|dir| format!("\"{dir}\""))
        .collect();
    files.push(GeneratedFile::generated(
        "Cargo.toml",
        format!(
            "# Generated by `cargo xtask codegen`. Do not edit by hand.\n\n[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    ));
    Ok(files)
}

fn generate(model: &Path, options: &Options) -> Result<Vec<GeneratedFile>, String> {
    let parsed = read_model(model)?;
    codegen::generate_model(&parsed, options).map_err(|e| format!("{}: {e}", model.display()))
}

/// Reads a model file, or every `.json` file of a folder (in name order) as one model.
fn read_model(path: &Path) -> Result<codegen::ast::Model, String> {
    let read = |path: &Path| {
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    if !path.is_dir() {
        let json = read(path)?;
        return codegen::parse(&json).map_err(|e| format!("{}: {e}", path.display()));
    }
    let mut paths: Vec<PathBuf> = fs::read_dir(path)
        .map_err(|e| format!("cannot list {}: {e}", path.display()))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| p.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(format!("{} holds no .json model files", path.display()));
    }
    let texts = paths
        .iter()
        .map(|p| Ok((p.display().to_string(), read(p)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(name, json)| (name.as_str(), json.as_str()))
        .collect();
    codegen::parse_files(&files).map_err(|e| e.to_string())
}

fn line_count(files: &[GeneratedFile]) -> usize {
    files.iter().map(|f| f.contents.lines().count()).sum()
}

/// Makes `root` hold `files`, or, with `check`, only lists what differs. Returns the relative paths
/// that were (or would be) changed.
///
/// Only files that carry the generated header are written over or removed: a generated file the
/// model no longer produces, anywhere in the `src` and `tests` folders of the generated crates, is
/// removed (with the folders it leaves empty), and a hand-written file is never touched. A
/// scaffold (a crate's starting `src/lib.rs`) is written only where there is no file yet, or a
/// generated one. A
/// hand-written file where a generated one belongs is an error, not an overwrite.
pub fn sync(root: &Path, files: &[GeneratedFile], check: bool) -> Result<Vec<String>, String> {
    let mut changed = Vec::new();
    for file in files {
        let path = root.join(&file.path);
        let existing = fs::read_to_string(&path).ok();
        match &existing {
            // A scaffold's place holds the crate's own file, unless that is a generated one (from
            // a layout before this one).
            Some(text) if file.scaffold && !codegen::is_generated(text) => continue,
            Some(text) if *text == file.contents => continue,
            Some(text) if !codegen::is_generated(text) => {
                return Err(format!(
                    "{} is hand-written (its first line is not the generated header), but the \
                     generator writes a file there; move it or remove it",
                    file.path
                ));
            }
            _ => {}
        }
        changed.push(file.path.clone());
        if !check {
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            fs::write(&path, &file.contents)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
    }
    let wanted: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let crates: BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.path.strip_suffix("/Cargo.toml"))
        .collect();
    for krate in crates {
        for folder in GENERATED_FOLDERS {
            let dir = format!("{krate}/{folder}");
            let mut found = Vec::new();
            list_files(&root.join(&dir), &dir, &mut found)?;
            found.sort();
            for (relative, path) in found {
                if wanted.contains(relative.as_str()) {
                    continue;
                }
                let text = fs::read_to_string(&path).unwrap_or_default();
                if !codegen::is_generated(&text) {
                    continue;
                }
                changed.push(relative);
                if !check {
                    fs::remove_file(&path)
                        .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
                }
            }
            if !check {
                remove_empty_dirs(&root.join(&dir));
            }
        }
    }
    Ok(changed)
}

/// Every file under `dir` (relative paths starting with `prefix`), depth first.
fn list_files(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) -> Result<(), String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let relative = format!("{prefix}/{name}");
        if path.is_dir() {
            list_files(&path, &relative, out)?;
        } else {
            out.push((relative, path));
        }
    }
    Ok(())
}

/// Removes the folders under `dir` that hold nothing (not `dir` itself).
fn remove_empty_dirs(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_empty_dirs(&path);
            // Fails, as it should, while the folder still holds something.
            let _ = fs::remove_dir(&path);
        }
    }
}

/// The folders of a generated crate where generated files live (beside hand-written ones).
const GENERATED_FOLDERS: [&str; 2] = ["src", "tests"];

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed crates are exactly what the generator makes of the models.
    #[test]
    fn generated_crates_are_fresh() {
        let root = root();
        for target in &TARGETS {
            let files = target.generate(&root).unwrap();
            let stale = sync(&root, &files, true).unwrap();
            assert!(
                stale.is_empty(),
                "stale generated files: {stale:?}; run `cargo xtask codegen` and commit the result"
            );
        }
    }

    /// Every generated crate is a member of the workspace: its folder matches one of the member
    /// patterns of the root manifest (a `*` stands for the rest of a path segment).
    #[test]
    fn generated_crates_are_workspace_members() {
        let manifest = fs::read_to_string(root().join("Cargo.toml")).unwrap();
        let start = manifest
            .find("members = [")
            .expect("the manifest lists its members");
        let end = start + manifest[start..].find(']').unwrap();
        let patterns: Vec<&str> = manifest[start + "members = [".len()..end]
            .split(',')
            .map(|p| p.trim().trim_matches('"'))
            .filter(|p| !p.is_empty())
            .collect();
        let matches = |pattern: &str, dir: &str| {
            let (pattern, dir): (Vec<_>, Vec<_>) =
                (pattern.split('/').collect(), dir.split('/').collect());
            pattern.len() == dir.len()
                && pattern
                    .iter()
                    .zip(&dir)
                    .all(|(p, d)| match p.split_once('*') {
                        Some((prefix, suffix)) => {
                            d.starts_with(prefix) && d[prefix.len()..].ends_with(suffix)
                        }
                        None => p == d,
                    })
        };
        for target in &TARGETS {
            for file in target.generate(&root()).unwrap() {
                let Some(dir) = file.path.strip_suffix("/Cargo.toml") else {
                    continue;
                };
                assert!(
                    patterns.iter().any(|p| matches(p, dir)),
                    "{dir} is not a workspace member (patterns: {patterns:?})"
                );
            }
        }
    }

    /// The README's section on the suite lists exactly the ignored cases, each with its reason, as
    /// `| `id` | reason |` rows.
    #[test]
    fn ignored_cases_are_listed_in_the_readme() {
        let readme = fs::read_to_string(root().join("README.md")).unwrap();
        let section = readme
            .split_once("### The Smithy awsQuery suite")
            .and_then(|(_, rest)| rest.split("\n## ").next())
            .expect("the README has a section on the suite");
        let listed: Vec<(String, String)> = section
            .lines()
            .filter_map(|line| {
                let row = line.strip_prefix("| `")?.strip_suffix(" |")?;
                let (id, reason) = row.split_once("` | ")?;
                Some((id.to_owned(), reason.to_owned()))
            })
            .collect();
        let ignored: Vec<(String, String)> = SUITE_IGNORED
            .iter()
            .map(|&(id, reason)| (id.to_owned(), reason.to_owned()))
            .collect();
        assert_eq!(listed, ignored, "README.md and SUITE_IGNORED disagree");
    }

    /// A folder of model files is read as one model; a shape defined twice is an error naming both
    /// files.
    #[test]
    fn a_folder_is_one_model() {
        let dir = std::env::temp_dir().join(format!("xtask-model-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let shape = |name: &str| {
            format!(r#"{{"smithy": "2.0", "shapes": {{"a#{name}": {{"type": "string"}}}}}}"#)
        };
        fs::write(dir.join("b.json"), shape("B")).unwrap();
        fs::write(dir.join("a.json"), shape("A")).unwrap();
        fs::write(dir.join("notes.md"), "not a model").unwrap();
        let model = read_model(&dir).unwrap();
        assert_eq!(model.shapes.keys().collect::<Vec<_>>(), ["a#A", "a#B"]);
        fs::write(dir.join("c.json"), shape("A")).unwrap();
        let error = read_model(&dir).unwrap_err();
        assert!(
            error.contains("`a#A` is defined in both")
                && error.contains("a.json")
                && error.contains("c.json"),
            "{error}"
        );
        fs::remove_dir_all(&dir).unwrap();
        let error = read_model(&dir).unwrap_err();
        assert!(error.starts_with("cannot read"), "{error}");
    }

    const HEADER: &str =
        "// Generated by `cargo xtask codegen` from the service model. Do not edit by hand.\n";

    /// A scratch output root, removed first if a previous run left it.
    fn scratch(name: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        root
    }

    fn generated(path: &str) -> GeneratedFile {
        GeneratedFile::generated(path, format!("{HEADER}// {path}\n"))
    }

    /// A generated file the model no longer produces, in `src` or `tests` at any depth, is
    /// reported and removed with the folders it leaves empty; hand-written files there, and other
    /// folders of the crate, are left alone.
    #[test]
    fn stale_generated_files_are_removed_and_hand_written_ones_kept() {
        let root = scratch("stale");
        let files = [
            generated("crates/x-protocol/Cargo.toml"),
            generated("crates/x-protocol/src/generated/mod.rs"),
            generated("crates/x-protocol/src/generated/operation/old.rs"),
            generated("crates/x-protocol/tests/protocol_tests.rs"),
        ];
        assert_eq!(sync(&root, &files, false).unwrap().len(), 4);
        let crate_dir = root.join("crates/x-protocol");
        fs::create_dir_all(crate_dir.join("benches")).unwrap();
        fs::write(crate_dir.join("benches/keep.rs"), "").unwrap();
        fs::write(crate_dir.join("src/lib.rs"), "mod generated;\n").unwrap();
        fs::write(crate_dir.join("src/generated/custom.rs"), "// mine\n").unwrap();
        fs::write(crate_dir.join("tests/mine.rs"), "#[test]\nfn t() {}\n").unwrap();
        let kept = &files[..2];
        let expected = [
            "crates/x-protocol/src/generated/operation/old.rs",
            "crates/x-protocol/tests/protocol_tests.rs",
        ];
        assert_eq!(sync(&root, kept, true).unwrap(), expected);
        assert!(crate_dir.join("tests/protocol_tests.rs").exists());
        assert_eq!(sync(&root, kept, false).unwrap(), expected);
        assert!(!crate_dir.join("tests/protocol_tests.rs").exists());
        assert!(!crate_dir.join("src/generated/operation").exists());
        for hand_written in [
            "benches/keep.rs",
            "src/lib.rs",
            "src/generated/custom.rs",
            "tests/mine.rs",
        ] {
            assert!(crate_dir.join(hand_written).exists(), "{hand_written}");
        }
        assert!(sync(&root, kept, true).unwrap().is_empty());
        fs::remove_dir_all(&root).unwrap();
    }

    /// `--check` reports a generated file that is missing or differs, and writes nothing.
    #[test]
    fn check_reports_missing_and_changed_files() {
        let root = scratch("check");
        let files = [
            generated("crates/x-model/Cargo.toml"),
            generated("crates/x-model/src/generated/mod.rs"),
        ];
        assert_eq!(sync(&root, &files, true).unwrap().len(), 2);
        assert!(!root.join("crates/x-model/Cargo.toml").exists());
        sync(&root, &files, false).unwrap();
        fs::write(
            root.join("crates/x-model/src/generated/mod.rs"),
            format!("{HEADER}// edited\n"),
        )
        .unwrap();
        assert_eq!(
            sync(&root, &files, true).unwrap(),
            ["crates/x-model/src/generated/mod.rs"]
        );
        fs::remove_dir_all(&root).unwrap();
    }

    /// A scaffold is written where there is no file, and then left as its owner made it; a
    /// hand-written file where a generated one belongs stops the run rather than being lost.
    #[test]
    fn scaffolds_are_written_once_and_hand_written_files_are_never_overwritten() {
        let root = scratch("scaffold");
        let mut lib = generated("crates/x-client/src/lib.rs");
        lib.scaffold = true;
        let files = [generated("crates/x-client/Cargo.toml"), lib];
        assert_eq!(sync(&root, &files, false).unwrap().len(), 2);
        let path = root.join("crates/x-client/src/lib.rs");
        fs::write(&path, "mod generated;\nmod custom;\n").unwrap();
        assert!(sync(&root, &files, true).unwrap().is_empty());
        assert!(sync(&root, &files, false).unwrap().is_empty());
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "mod generated;\nmod custom;\n"
        );

        fs::write(root.join("crates/x-client/Cargo.toml"), "[package]\n").unwrap();
        let error = sync(&root, &files, false).unwrap_err();
        assert!(
            error.contains("crates/x-client/Cargo.toml is hand-written"),
            "{error}"
        );
        assert_eq!(
            fs::read_to_string(root.join("crates/x-client/Cargo.toml")).unwrap(),
            "[package]\n"
        );
        fs::remove_dir_all(&root).unwrap();
    }

    /// The crates of `models/neptune.json`, with only `operations` when given, as generated into a
    /// folder of their own.
    fn neptune_files(operations: Option<&[&str]>) -> Vec<GeneratedFile> {
        let mut options = TARGETS[0].options();
        options.selection = Selection {
            operations: operations.map(|ops| ops.iter().map(|&op| op.to_owned()).collect()),
        };
        generate(&root().join(TARGETS[0].model), &options).unwrap()
    }

    /// On the real crates: a new crate gets a starting `src/lib.rs`; the crate's own modules (a
    /// changed `lib.rs`, a `src/custom/` folder, a file under `src/generated/`, a test) survive
    /// generation and `--check`; an operation dropped from the model leaves stale generated
    /// files, which `--check` names and generation removes, and a deleted generated file is
    /// reported missing and written again.
    #[test]
    fn hand_written_parts_of_generated_crates_survive_regeneration() {
        let root = scratch("crates");
        let both = neptune_files(None);
        sync(&root, &both, false).unwrap();
        let model = root.join("crates/neptune-model");
        let lib = fs::read_to_string(model.join("src/lib.rs")).unwrap();
        assert!(
            !codegen::is_generated(&lib) && lib.contains("mod generated;"),
            "{lib}"
        );

        let own = [
            (
                "src/lib.rs",
                format!(
                    "{lib}
pub mod custom;
"
                ),
            ),
            (
                "src/custom/mod.rs",
                String::from(
                    "//! Hand-written.
",
                ),
            ),
            (
                "src/generated/notes.rs",
                String::from(
                    "// Kept.
",
                ),
            ),
            (
                "tests/custom.rs",
                String::from(
                    "#[test]
fn t() {}
",
                ),
            ),
        ];
        for (path, text) in &own {
            fs::create_dir_all(model.join(path).parent().unwrap()).unwrap();
            fs::write(model.join(path), text).unwrap();
        }
        assert!(sync(&root, &both, true).unwrap().is_empty());
        assert!(sync(&root, &both, false).unwrap().is_empty());

        let one = neptune_files(Some(&["FailoverGlobalCluster"]));
        let stale = sync(&root, &one, true).unwrap();
        let dropped = "src/generated/operation/describe_global_clusters.rs";
        for krate in ["neptune-model", "neptune-protocol"] {
            let path = format!("crates/{krate}/{dropped}");
            assert!(stale.contains(&path), "{path} not in {stale:?}");
            assert!(root.join(&path).exists(), "--check removed {path}");
        }
        let fluent = "crates/neptune-client/src/generated/fluent/describe_global_clusters.rs";
        assert!(stale.iter().any(|p| p == fluent), "{stale:?}");
        assert_eq!(sync(&root, &one, false).unwrap(), stale);
        assert!(!model.join(dropped).exists());
        assert!(!root.join(fluent).exists());
        assert!(sync(&root, &one, true).unwrap().is_empty());
        for (path, text) in &own {
            assert_eq!(
                &fs::read_to_string(model.join(path)).unwrap(),
                text,
                "{path}"
            );
        }

        let types = "crates/neptune-model/src/generated/types.rs";
        fs::remove_file(root.join(types)).unwrap();
        assert_eq!(sync(&root, &one, true).unwrap(), [types]);
        assert_eq!(sync(&root, &one, false).unwrap(), [types]);
        assert!(sync(&root, &one, true).unwrap().is_empty());
        fs::remove_dir_all(&root).unwrap();
    }

    /// Generating twice gives the same bytes.
    #[test]
    fn generation_is_deterministic() {
        let root = root();
        for target in &TARGETS {
            assert_eq!(
                target.generate(&root).unwrap(),
                target.generate(&root).unwrap()
            );
        }
    }

    /// The name, source and manifest of every package of the workspace at `root`, resolved by
    /// `cargo metadata` against the repository's lockfile (so no version is looked up).
    fn resolve(root: &Path) -> BTreeMap<String, (Option<String>, String)> {
        fs::copy(self::root().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| String::from("cargo"));
        let output = std::process::Command::new(cargo)
            .args(["metadata", "--format-version", "1"])
            .current_dir(root)
            .output()
            .expect("run cargo metadata");
        assert!(
            output.status.success(),
            "cargo metadata fails in {}:\n{}",
            root.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        metadata["packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|package| {
                let text = |key: &str| package[key].as_str().map(str::to_owned);
                (
                    text("name").unwrap(),
                    (text("source"), text("manifest_path").unwrap()),
                )
            })
            .collect()
    }

    /// The line of `krate`'s manifest that depends on `dependency`.
    fn dependency_line(out: &Path, krate: &str, dependency: &str) -> String {
        let manifest = fs::read_to_string(out.join(format!("crates/{krate}/Cargo.toml"))).unwrap();
        manifest
            .lines()
            .find(|line| line.starts_with(&format!("{dependency} = ")))
            .unwrap_or_else(|| panic!("no {dependency} in {manifest}"))
            .to_owned()
    }

    /// A standalone workspace finds the runtime crates in each source it can be given: the
    /// registry by version (a `[patch.crates-io]` stands in for the registry, as it would for a
    /// project trying unpublished crates), a folder, and a git repository (this one, at its
    /// current commit).
    #[test]
    fn standalone_workspaces_find_the_runtime_in_each_source() {
        let model = root().join(TARGETS[0].model);
        let crates = root().join("crates").canonicalize().unwrap();
        let runtime_manifest = crates.join("awsquery/Cargo.toml");
        let version = codegen::emit::cargo::VERSION;

        let out = scratch("standalone-registry");
        standalone(&model, &out, None, Runtime::Registry).unwrap();
        assert_eq!(
            dependency_line(&out, "neptune-client", "awsquery"),
            format!("awsquery = {{ version = \"{version}\" }}")
        );
        let mut manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
        manifest.push_str("\n[patch.crates-io]\n");
        // The client's optional `config` feature and the command line crate depend on
        // `awsquery-config`, `awsquery-hyper` and `awsquery-cli` too.
        for krate in [
            "awsquery",
            "awsquery-cli",
            "awsquery-config",
            "awsquery-hyper",
            "awsquery-protocol",
            "awsquery-testing",
            "awsquery-types",
        ] {
            manifest.push_str(&format!(
                "{krate} = {{ path = {:?} }}\n",
                crates.join(krate)
            ));
        }
        fs::write(out.join("Cargo.toml"), manifest).unwrap();
        let packages = resolve(&out);
        assert_eq!(
            packages["awsquery"],
            (None, runtime_manifest.display().to_string())
        );
        assert!(packages.contains_key("neptune-client"), "{packages:?}");
        fs::remove_dir_all(&out).unwrap();

        let out = scratch("standalone-path");
        let path = crates.to_str().unwrap().to_owned();
        standalone(&model, &out, None, Runtime::Path(path)).unwrap();
        let packages = resolve(&out);
        assert_eq!(
            packages["awsquery-testing"],
            (
                None,
                crates
                    .join("awsquery-testing/Cargo.toml")
                    .display()
                    .to_string()
            )
        );
        fs::remove_dir_all(&out).unwrap();

        let head = std::process::Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(root())
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned());
        let Some(head) = head else {
            eprintln!("==== SKIPPED the git source: the repository is not a git checkout");
            return;
        };
        let url = format!("file://{}", root().display());
        let out = scratch("standalone-git");
        let runtime = Runtime::Git {
            url: url.clone(),
            rev: Some(head.clone()),
        };
        standalone(&model, &out, None, runtime).unwrap();
        let packages = resolve(&out);
        let (source, _) = &packages["awsquery"];
        assert_eq!(
            source.as_deref(),
            Some(format!("git+{url}?rev={head}#{head}").as_str())
        );
        fs::remove_dir_all(&out).unwrap();
    }
}
