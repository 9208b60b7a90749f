//! The body of both generator benches, which differ only in their global allocator.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use codegen::Options;

const MODEL: &str = "neptune-2025-09-02.json";

/// The median of `rounds` runs of `f`, after one to warm up.
fn median(rounds: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[rounds / 2]
}

/// Measures and prints; `allocator` names the global allocator of the calling bench.
pub fn run(allocator: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/models")
        .join(MODEL);
    let Ok(json) = std::fs::read_to_string(&path) else {
        println!(
            "skipping: {} not found (the official models sit in `../shared` beside the repository)",
            path.display()
        );
        return;
    };
    let options = Options::new("..");
    let files = codegen::generate(&json, &options).expect("the official model generates");
    let lines: usize = files.iter().map(|f| f.contents.lines().count()).sum();

    const ROUNDS: usize = 11;
    let anchor = median(ROUNDS, || {
        black_box(serde_json::from_str::<serde_json::Value>(black_box(&json)).unwrap());
    });
    let parse = median(ROUNDS, || {
        black_box(codegen::parse(black_box(&json)).unwrap());
    });
    let model = codegen::parse(&json).expect("the model parses");
    let generate_model = median(ROUNDS, || {
        black_box(codegen::generate_model(black_box(&model), &options).unwrap());
    });
    let generate = median(ROUNDS, || {
        black_box(codegen::generate(black_box(&json), &options).unwrap());
    });

    println!(
        "{MODEL}: {} bytes of JSON, {} files, {lines} lines generated; {allocator}",
        json.len(),
        files.len()
    );
    println!("{:<52} {:>10} {:>9}", "", "median", "/ anchor");
    let row = |name: &str, d: Duration| {
        println!(
            "{name:<52} {:>7.1} ms {:>8.1}×",
            d.as_secs_f64() * 1e3,
            d.as_secs_f64() / anchor.as_secs_f64()
        );
    };
    row("anchor: the JSON into a serde_json::Value", anchor);
    row("parse: the JSON into the AST", parse);
    row("lower and emit: the AST into files", generate_model);
    row("codegen::generate: the JSON into files", generate);
}
