//! Our output compared byte for byte with what the AWS CLI prints for the same data.
//!
//! `tests/fixtures/cases.json` lists the cases (an input under `inputs/`, a format, a query,
//! pages); `tests/fixtures/expected/` holds what the AWS CLI printed for each, recorded by
//! `.ci/awscli_format.py` with awscli's own formatter classes (`ERROR` where the AWS CLI fails).
//! `.ci/run` records them again and fails if they differ from the committed ones.

use std::path::{Path, PathBuf};

use awsquery_cli::output::{Format, Formatter, OutputError, merge_pages, text_page};
use awsquery_cli::query::Query;
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Writes a case as a command would: the pages of a paginated response merged for the
/// formats that write once, one by one for those that write by page.
fn run(case: &Value, input: &Value) -> Result<Vec<u8>, OutputError> {
    let format: Format = case["output"].as_str().unwrap().parse().unwrap();
    let mut formatter = Formatter::new(format, case["operation"].as_str().unwrap());
    if let Some(query) = case["query"].as_str() {
        formatter = formatter.with_query(Query::parse(query).unwrap());
    }
    if let Some(width) = case["width"].as_u64() {
        formatter = formatter.with_terminal_width(width as usize);
    }
    let mut out = Vec::new();
    match case["result_key"].as_str() {
        None => formatter.write(input, &mut out)?,
        Some(result_key) => {
            let pages = input.as_array().unwrap();
            let token = case["resume_token"].as_str();
            match format {
                Format::Text => {
                    for page in pages {
                        formatter.write_page(&text_page(page, &[result_key]), &mut out)?;
                    }
                    if let Some(token) = token {
                        formatter.write_next_token(token, &mut out)?;
                    }
                }
                Format::YamlStream => {
                    for page in pages {
                        formatter.write_page(page, &mut out)?;
                    }
                }
                _ => formatter.write(&merge_pages(pages, &[result_key], token), &mut out)?,
            }
        }
    }
    Ok(out)
}

#[test]
fn every_case_prints_what_the_aws_cli_prints() {
    let dir = fixtures();
    let cases = read_json(&dir.join("cases.json"));
    let cases = cases.as_array().unwrap();
    assert!(cases.len() > 100, "the cases are all there");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let input = read_json(
            &dir.join("inputs")
                .join(format!("{}.json", case["input"].as_str().unwrap())),
        );
        let expected = std::fs::read(dir.join("expected").join(format!("{name}.txt"))).unwrap();
        match run(case, &input) {
            Ok(_) if expected == b"ERROR\n" => {
                failures.push(format!("{name}: the AWS CLI fails, we printed"))
            }
            Err(_) if expected == b"ERROR\n" => {}
            Err(e) => failures.push(format!("{name}: {e}")),
            Ok(actual) if actual != expected => failures.push(format!(
                "{name}:\n--- the AWS CLI\n{}\n--- ours\n{}",
                String::from_utf8_lossy(&expected),
                String::from_utf8_lossy(&actual)
            )),
            Ok(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
