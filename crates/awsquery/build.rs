//! Finds out the version of the compiler building the crate, for the user agent's `lang/rust#…`.
//! When `rustc --version` cannot be run or says something unexpected, nothing is set and the
//! user agent leaves the version out.

use std::env;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=RUSTC");
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let Ok(output) = Command::new(rustc).arg("--version").output() else {
        return;
    };
    if !output.status.success() {
        return;
    }
    // `rustc 1.85.0 (4d91de4e4 2025-02-17)`: the second word.
    let text = String::from_utf8_lossy(&output.stdout);
    let Some(version) = text.split_whitespace().nth(1) else {
        return;
    };
    let plausible = version.starts_with(|c: char| c.is_ascii_digit())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'));
    if plausible {
        println!("cargo:rustc-env=AWSQUERY_RUSTC_VERSION={version}");
    }
}
