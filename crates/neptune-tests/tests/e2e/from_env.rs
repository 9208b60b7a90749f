//! `Client::from_loader` (the `config` feature), the constructor behind `Client::from_env`, against
//! a server on 127.0.0.1: keys, Region, endpoint and settings come from an environment and shared
//! files given to the loader. The process environment is never changed, since tests run in
//! parallel threads.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use awsquery::env::Env;
use awsquery_config::{ConfigLoader, LoadError};
use neptune_client::Client;
use neptune_tests::{DESCRIBE_MOTO_200, SECRET};

use crate::run;
use crate::server::{Reply, TestServer};

/// A scratch home directory (`HOME` of the loader's environment), removed on drop.
struct Home {
    root: PathBuf,
}

impl Home {
    /// An empty home; `name` keeps the directories of concurrent tests apart.
    fn new(name: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let root = std::env::temp_dir().join(format!(
            "neptune-from-env-{name}-{}-{nanos}",
            std::process::id()
        ));
        fs::create_dir_all(root.join(".aws")).expect("a scratch home");
        Home { root }
    }

    /// Writes `~/.aws/{file}`.
    fn write(&self, file: &str, text: &str) {
        fs::write(self.root.join(".aws").join(file), text).expect("a shared file");
    }

    fn path(&self) -> &Path {
        &self.root
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// An environment with `HOME` at `home`, instance metadata off, and `extra`.
fn env(home: &Home, extra: &[(&str, &str)]) -> Env {
    let home = home.path().to_str().expect("a UTF-8 temporary path");
    let mut pairs = vec![("HOME", home), ("AWS_EC2_METADATA_DISABLED", "true")];
    pairs.extend_from_slice(extra);
    Env::from_pairs(&pairs)
}

/// The credential scope of a received request's `Authorization`: `KEY/DATE/REGION/rds/aws4_request`.
fn credential_scope(authorization: &str) -> (&str, &str) {
    let credential = authorization
        .split_once("Credential=")
        .and_then(|(_, rest)| rest.split_once(','))
        .map(|(credential, _)| credential)
        .expect("a SigV4 credential");
    let mut parts = credential.split('/');
    let key = parts.next().expect("an access key id");
    let region = parts.nth(1).expect("a Region");
    (key, region)
}

#[test]
fn from_loader_signs_with_the_environments_keys_for_its_region_and_endpoint() {
    let home = Home::new("environment");
    run(async {
        let server = TestServer::start(vec![
            Reply::status(200, DESCRIBE_MOTO_200).header("x-amzn-requestid", "describe-7"),
        ])
        .await;
        let url = server.url();
        let loader = ConfigLoader::with_env(env(
            &home,
            &[
                ("AWS_ACCESS_KEY_ID", "AKIDFROMENV"),
                ("AWS_SECRET_ACCESS_KEY", SECRET),
                ("AWS_REGION", "eu-west-3"),
                ("AWS_ENDPOINT_URL", &url),
            ],
        ));
        let client = Client::from_loader(loader).await.expect("a client");
        assert_eq!(client.config().region(), "eu-west-3");
        assert_eq!(client.endpoint().ok().map(|e| e.url()), Some(url.as_str()));

        let output = client
            .describe_global_clusters()
            .send()
            .await
            .expect("a listing");
        assert_eq!(output.request_id(), Some("describe-7"));
        assert_eq!(output.global_clusters.map(|c| c.len()), Some(1));

        let received = server.received();
        assert_eq!(received.len(), 1);
        let authorization = received[0].header("authorization").expect("signed");
        assert_eq!(
            credential_scope(authorization),
            ("AKIDFROMENV", "eu-west-3")
        );
        assert!(!format!("{client:?}").contains(SECRET));
    });
}

#[test]
fn from_loader_reads_the_profile_of_the_shared_files() {
    let home = Home::new("profile");
    home.write(
        "credentials",
        &format!("[ops]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = {SECRET}\n"),
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    // The profile allows one attempt: the throttling answer is not retried.
    let server = runtime.block_on(TestServer::start(vec![Reply::status(
        400,
        "<ErrorResponse><Error><Code>Throttling</Code><Message>slow down</Message></Error>\
         <RequestId>t-1</RequestId></ErrorResponse>",
    )]));
    home.write(
        "config",
        &format!(
            "[profile ops]\nregion = ap-south-1\nendpoint_url = {}\nmax_attempts = 1\n",
            server.url()
        ),
    );
    runtime.block_on(async {
        let loader = ConfigLoader::with_env(env(&home, &[("AWS_PROFILE", "ops")]));
        let client = Client::from_loader(loader).await.expect("a client");
        assert_eq!(client.config().region(), "ap-south-1");

        let error = client
            .describe_global_clusters()
            .send()
            .await
            .expect_err("throttled");
        assert_eq!(error.code(), Some("Throttling"));
        assert_eq!(error.request_id(), Some("t-1"));
        let received = server.received();
        assert_eq!(received.len(), 1, "max_attempts = 1 in the profile");
        let authorization = received[0].header("authorization").expect("signed");
        assert_eq!(
            credential_scope(authorization),
            ("AKIDPROFILE", "ap-south-1")
        );
    });
}

#[test]
fn from_loader_fails_without_a_region_and_with_a_missing_profile() {
    let home = Home::new("failures");
    run(async {
        let loader = ConfigLoader::with_env(env(
            &home,
            &[
                ("AWS_ACCESS_KEY_ID", "AKIDFROMENV"),
                ("AWS_SECRET_ACCESS_KEY", SECRET),
            ],
        ));
        let error = Client::from_loader(loader).await.expect_err("no Region");
        assert!(matches!(error, LoadError::NoRegion), "{error:?}");

        let loader = ConfigLoader::with_env(env(
            &home,
            &[("AWS_REGION", "us-east-1"), ("AWS_PROFILE", "absent")],
        ));
        let error = Client::from_loader(loader).await.expect_err("no profile");
        assert!(
            matches!(&error, LoadError::ProfileNotFound(name) if name == "absent"),
            "{error:?}"
        );
    });
}
