//! Where awsquery clients find credentials, the Region and their settings, as the AWS CLI v2 and
//! the AWS SDKs do.
//!
//! The sources, each a [`ProvideCredentials`](awsquery::credentials::ProvideCredentials):
//!
//! * the environment (`AWS_ACCESS_KEY_ID`, …);
//! * web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`: EKS service accounts),
//!   exchanged through STS;
//! * the selected profile of the shared files: static keys, an assumed role (`role_arn` with
//!   `source_profile` or `credential_source`), a web identity token file, a `credential_process`,
//!   IAM Identity Center (SSO);
//! * the container endpoint (ECS task roles, EKS Pod Identity);
//! * instance metadata (IMDSv2, EC2 instance profiles).
//!
//! Temporary credentials are cached until shortly before they expire ([`cache`]); one caller
//! refreshes them while the others wait.

#[allow(dead_code)] // Used by the metadata sources.
mod http;

pub mod cache;
pub mod container;
pub mod imds;
pub mod process;
pub mod profile;
pub mod settings;
pub mod sso;
pub mod sts;
