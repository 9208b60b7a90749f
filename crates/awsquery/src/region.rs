//! Which region to call, found the way the AWS CLI and SDKs find it.

use crate::env::Env;
use crate::profile::{SharedFile, selected_profile};

/// The region to use, from the first of these that is set (empty values count as unset):
///
/// 1. `explicit`, typically a command-line flag or a value in code;
/// 2. `AWS_REGION`;
/// 3. `AWS_DEFAULT_REGION`;
/// 4. `region` in the selected profile (`AWS_PROFILE`, else `default`) of the config file
///    (`AWS_CONFIG_FILE`, else `~/.aws/config`): `[profile name]`, or `[default]`.
///
/// `None` when none is set. A config file that cannot be read counts as having no region.
pub fn resolve_region(env: &Env, explicit: Option<&str>) -> Option<String> {
    let set = |value: &str| {
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_owned())
    };
    explicit
        .and_then(set)
        .or_else(|| env.get("AWS_REGION").as_deref().and_then(set))
        .or_else(|| env.get("AWS_DEFAULT_REGION").as_deref().and_then(set))
        .or_else(|| {
            let config = SharedFile::Config.load(env).ok()?;
            let region = config.profile(&selected_profile(env))?.get("region")?;
            set(region)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::credentials::tests::TempHome;

    #[test]
    fn explicit_wins() {
        let env = Env::from_pairs(&[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_DEFAULT_REGION", "eu-west-2"),
        ]);
        assert_eq!(
            resolve_region(&env, Some("ap-south-1")).as_deref(),
            Some("ap-south-1")
        );
        assert_eq!(
            resolve_region(&env, Some("  ")).as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(resolve_region(&env, Some("")).as_deref(), Some("eu-west-1"));
    }

    #[test]
    fn aws_region_then_aws_default_region() {
        let home = TempHome::new();
        home.config("[default]\nregion = from-config\n");
        let env = home.env(&[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_DEFAULT_REGION", "eu-west-2"),
        ]);
        assert_eq!(resolve_region(&env, None).as_deref(), Some("eu-west-1"));
        let env = home.env(&[("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "eu-west-2")]);
        assert_eq!(resolve_region(&env, None).as_deref(), Some("eu-west-2"));
        let env = home.env(&[("AWS_DEFAULT_REGION", "")]);
        assert_eq!(resolve_region(&env, None).as_deref(), Some("from-config"));
    }

    #[test]
    fn region_from_selected_profile() {
        let home = TempHome::new();
        home.config(
            "[default]\nregion = us-east-1\n\
             [profile dev]\ns3 =\n  region = not-this\nregion = us-west-2\n\
             [prod]\nregion = not-a-profile\n",
        );
        assert_eq!(
            resolve_region(&home.env(&[]), None).as_deref(),
            Some("us-east-1")
        );
        let env = home.env(&[("AWS_PROFILE", "dev")]);
        assert_eq!(resolve_region(&env, None).as_deref(), Some("us-west-2"));
        let env = home.env(&[("AWS_PROFILE", "prod")]);
        assert_eq!(resolve_region(&env, None), None);
        let env = home.env(&[("AWS_PROFILE", "absent")]);
        assert_eq!(resolve_region(&env, None), None);
    }

    #[test]
    fn profile_default_beats_bare_default() {
        let home = TempHome::new();
        home.config("[profile default]\nregion = prefixed\n[default]\nregion = bare\n");
        assert_eq!(
            resolve_region(&home.env(&[]), None).as_deref(),
            Some("prefixed")
        );
    }

    #[test]
    fn credentials_file_region_is_not_read() {
        let home = TempHome::new();
        home.credentials("[default]\nregion = from-credentials\n");
        assert_eq!(resolve_region(&home.env(&[]), None), None);
    }

    #[test]
    fn config_file_override_and_missing_files() {
        let home = TempHome::new();
        let path = home.write("other/config", "[profile x]\nregion = ca-central-1\n");
        let env = home.env(&[
            ("AWS_CONFIG_FILE", path.to_str().unwrap()),
            ("AWS_PROFILE", "x"),
        ]);
        assert_eq!(resolve_region(&env, None).as_deref(), Some("ca-central-1"));
        let env = home.env(&[("AWS_CONFIG_FILE", "~/other/config"), ("AWS_PROFILE", "x")]);
        assert_eq!(resolve_region(&env, None).as_deref(), Some("ca-central-1"));

        assert_eq!(resolve_region(&home.env(&[]), None), None);
        assert_eq!(resolve_region(&Env::from_pairs(&[]), None), None);
        assert_eq!(
            resolve_region(&Env::from_pairs(&[]), Some("us-east-1")).as_deref(),
            Some("us-east-1")
        );
    }

    #[test]
    fn unreadable_config_has_no_region() {
        let home = TempHome::new();
        std::fs::create_dir_all(home.path().join(".aws/config")).unwrap();
        assert_eq!(resolve_region(&home.env(&[]), None), None);
    }

    #[test]
    fn empty_region_in_profile_is_unset() {
        let home = TempHome::new();
        home.config("[default]\nregion =\n");
        assert_eq!(resolve_region(&home.env(&[]), None), None);
    }
}
