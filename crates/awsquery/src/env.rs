//! Environment variables, from the process or from a fixed list (for tests and embedding).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Environment variables, read from the process or from a fixed list.
///
/// As in the AWS SDKs, a variable set to the empty string counts as unset. Debug prints variable
/// names only.
#[derive(Clone, Default)]
pub struct Env(EnvSource);

#[derive(Clone, Default)]
enum EnvSource {
    #[default]
    Process,
    Pairs(Arc<BTreeMap<String, String>>),
}

impl Env {
    /// The environment of this process, read at each lookup.
    pub fn process() -> Self {
        Env(EnvSource::Process)
    }

    /// A fixed environment; of repeated names, the last wins.
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        let map = pairs
            .iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        Env(EnvSource::Pairs(Arc::new(map)))
    }

    /// The value of `key`; `None` when unset, empty, or (in the process) not valid Unicode.
    pub fn get(&self, key: &str) -> Option<String> {
        let value = match &self.0 {
            EnvSource::Process => std::env::var(key).ok(),
            EnvSource::Pairs(map) => map.get(key).cloned(),
        };
        value.filter(|v| !v.is_empty())
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            EnvSource::Process => f.write_str("Env(process)"),
            EnvSource::Pairs(map) => f.debug_tuple("Env").field(&map.keys()).finish(),
        }
    }
}
