//! Helpers of the profile, credential process and SSO tests: a scratch home directory.

#![allow(dead_code)] // Each test file uses a part.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use awsquery::env::Env;

/// A scratch directory standing for a home directory, removed on drop.
pub struct TempHome {
    root: PathBuf,
}

impl TempHome {
    pub fn new() -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let root = std::env::temp_dir().join(format!(
            "awsquery-config-profiles-{}-{}-{}",
            std::process::id(),
            nanos,
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(root.join(".aws")).unwrap();
        TempHome { root }
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    /// Writes a file at `relative` (directories included) and returns its path.
    pub fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.root.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    pub fn credentials(&self, text: &str) -> PathBuf {
        self.write(".aws/credentials", text)
    }

    pub fn config(&self, text: &str) -> PathBuf {
        self.write(".aws/config", text)
    }

    /// An environment with `HOME` here, plus `extra`.
    pub fn env(&self, extra: &[(&str, &str)]) -> Env {
        let home = self.root.to_str().unwrap().to_owned();
        let mut pairs = vec![("HOME", home.as_str())];
        pairs.extend_from_slice(extra);
        Env::from_pairs(&pairs)
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// Asserts that `text` holds none of `secrets`.
pub fn assert_hides(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "`{secret}` leaked: {text}");
    }
}
