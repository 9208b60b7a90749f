//! The Region chain, as the AWS CLI and SDKs have it.

use std::collections::BTreeMap;

use awsquery::env::Env;
use awsquery::transport::Transport;

use crate::imds;

/// The Region from the first of these that is set (blank values count as unset):
///
/// 1. `explicit`: a command line's `--region`, or a value in code;
/// 2. `AWS_REGION`;
/// 3. `AWS_DEFAULT_REGION`;
/// 4. `region` in the selected profile (`profile`: its properties, from the files read once);
/// 5. the instance metadata service (`/latest/meta-data/placement/region`), with its settings
///    (`AWS_EC2_METADATA_DISABLED` turns it off) and its short time limits.
///
/// `None` when none answers.
pub async fn resolve<T: Transport + Clone + Send + Sync + 'static>(
    explicit: Option<&str>,
    env: &Env,
    profile: Option<&BTreeMap<String, String>>,
    transport: T,
) -> Option<String> {
    if let Some(region) = resolve_without_metadata(explicit, env, profile) {
        return Some(region);
    }
    imds::region(transport, env, profile).await.ok()
}

/// The first four sources of [`resolve`], which need no network.
pub fn resolve_without_metadata(
    explicit: Option<&str>,
    env: &Env,
    profile: Option<&BTreeMap<String, String>>,
) -> Option<String> {
    let set = |value: &str| {
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_owned())
    };
    explicit
        .and_then(set)
        .or_else(|| env.get("AWS_REGION").as_deref().and_then(set))
        .or_else(|| env.get("AWS_DEFAULT_REGION").as_deref().and_then(set))
        .or_else(|| profile?.get("region").map(String::as_str).and_then(set))
}
