//! Every fuzz target, bounded and on stable: the seed inputs, then a few thousand deterministic
//! mutations of them (byte flips, insertions, deletions, repeats, and tokens of the formats being
//! read). What a coverage-guided run finds becomes a seed here (`tests/regressions/`), so it is
//! checked on every `cargo test`.

use std::fs;
use std::path::{Path, PathBuf};

use neptune_fuzz::TARGETS;

/// Mutations per target and seed set.
const MUTATIONS: usize = 3_000;

/// Pieces of the formats the targets read, spliced in by the mutator.
const DICTIONARY: &[&[u8]] = &[
    b"<",
    b">",
    b"</",
    b"/>",
    b"<?xml version=\"1.0\"?>",
    b"<!DOCTYPE x>",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"&amp;",
    b"&#x1b;",
    b"&#0;",
    b"&unknown;",
    b"xmlns=\"",
    b"\"",
    b"=",
    b"<ErrorResponse><Error><Code>",
    b"</Code><Message>",
    b"<RequestId>",
    b"<member>",
    b"<GlobalClusterMember>",
    b"<entry><key>",
    b"</key><value>",
    b"true",
    b"false",
    b"-0",
    b"1e309",
    b"NaN",
    b"-Infinity",
    b"9223372036854775808",
    b"2024-02-29T23:59:60.999999999Z",
    b"Tue, 29 Apr 2014 18:30:38 GMT",
    b"1398796238.123",
    b"+05:30",
    b"==",
    b"\x1b[31m",
    b"\r\n",
    b"://",
    b"@",
    b"https://",
    b"[::1]",
    b":65536",
    b"%2F",
    b"arn:aws:rds:",
    b":",
    b"/",
    b"[profile ",
    b"[default]",
    b"]",
    b"  ",
    b"#",
    b";",
    b"--",
    b"--region",
    b"--endpoint-url",
    b"--max-items",
    b"--starting-token",
    b"--wait-delay",
    b"\0",
    b"{\"Marker\": ",
    b"\"boto_truncate_amount\": ",
    b"\\u00e9",
    b"\xc3\xa9",
    b"\xff",
];

/// A small, fast, deterministic generator (xorshift64*).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn mutate(input: &[u8], random: &mut Random) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=random.below(4) {
        let at = random.below(out.len() + 1);
        match random.below(6) {
            0 if !out.is_empty() => {
                let i = random.below(out.len());
                out[i] ^= 1 << random.below(8);
            }
            1 => out.insert(at, random.next() as u8),
            2 if !out.is_empty() => {
                let end = (at + random.below(16) + 1).min(out.len());
                out.drain(at.min(end)..end);
            }
            3 if !out.is_empty() => {
                let start = random.below(out.len());
                let end = (start + random.below(32) + 1).min(out.len());
                let piece = out[start..end].to_vec();
                out.splice(at..at, piece);
            }
            _ => {
                let token = DICTIONARY[random.below(DICTIONARY.len())];
                out.splice(at..at, token.iter().copied());
            }
        }
    }
    out
}

/// `../shared/fixtures`, beside the repository: real responses, requests and SigV4 cases.
fn fixtures() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures");
    dir.is_dir().then_some(dir)
}

fn files_under(dir: &Path, out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            files_under(&path, out);
        } else if let Ok(bytes) = fs::read(&path) {
            out.push(bytes);
        }
    }
}

/// The seeds: the fixtures (each also as a 200, 400 and 500 response for the response target),
/// the committed regression inputs, and a few inputs of each format.
fn seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = [
        &b"<R><A>x</A><B><member>1</member></B></R>"[..],
        b"https://admin:p/w@rds.us-east-1.amazonaws.com:443/path",
        b"arn:aws:rds:us-west-2:123456789012:cluster:secondary",
        b"[default]\nregion = us-east-1\n[profile p]\naws_access_key_id = A\n  nested = x\n",
        b"describe-global-clusters\0--max-items\x005\0--starting-token\0eyJNYXJrZXIiOiAibTEifQ==",
        b"eyJNYXJrZXIiOiAibTEiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAzfQ==",
        b"2014-04-29T18:30:38.123+01:00",
    ]
    .iter()
    .map(|s| s.to_vec())
    .collect();
    let regressions = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    files_under(&regressions, &mut seeds);
    match fixtures() {
        Some(dir) => {
            let mut files = Vec::new();
            files_under(&dir, &mut files);
            for file in files {
                for status in [200u16, 400, 500] {
                    let mut response = (status - 100).to_be_bytes().to_vec();
                    response.push(1);
                    response.extend_from_slice(&file);
                    seeds.push(response);
                }
                seeds.push(file);
            }
        }
        None => eprintln!(
            "==== the fuzz seeds leave out ../shared/fixtures: the folder is not beside the \
             repository (CI has it); the built-in and regression seeds still run"
        ),
    }
    seeds
}

#[test]
fn every_target_survives_its_seeds_and_their_mutations() {
    let seeds = seeds();
    assert!(seeds.len() >= 7);
    for (name, target) in TARGETS {
        for seed in &seeds {
            target(seed);
        }
        let mut random = Random(0x9E37_79B9_7F4A_7C15 ^ name.len() as u64);
        for i in 0..MUTATIONS {
            let seed = &seeds[i % seeds.len()];
            let input = mutate(seed, &mut random);
            target(&input);
        }
    }
}

#[test]
fn the_mutator_changes_its_input() {
    let mut random = Random(7);
    let seed = b"<R><A>x</A></R>".to_vec();
    let changed = (0..100)
        .filter(|_| mutate(&seed, &mut random) != seed)
        .count();
    assert!(changed > 90, "{changed}");
}
