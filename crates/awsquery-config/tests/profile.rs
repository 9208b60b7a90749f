//! Profiles resolved into plans (base source and roles), as the AWS CLI v2 resolves them, and plans
//! turned into providers.

mod profiles_support;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use awsquery::credentials::{
    CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideFuture,
};
use awsquery::endpoint::EndpointSettings;
use awsquery::profile::ProfileSet;
use awsquery::sigv4::Credentials;
use awsquery_config::process::CommandLine;
use awsquery_config::profile::{
    Base, CredentialSource, Plan, ProfileProvider, RoleStep, Sources, SsoProfile, WebIdentity,
    provider, resolve,
};
use profiles_support::{TempHome, assert_hides};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";

fn plan_from(credentials: &str, config: &str, profile: &str) -> Plan {
    match resolve(&ProfileSet::parse(credentials, config), profile) {
        Ok(plan) => plan,
        Err(e) => panic!("profile `{profile}`: {e}"),
    }
}

fn error(credentials: &str, config: &str, profile: &str) -> CredentialsError {
    let e = match resolve(&ProfileSet::parse(credentials, config), profile) {
        Ok(plan) => panic!("profile `{profile}` resolved: {plan:?}"),
        Err(e) => e,
    };
    assert_hides(&e.to_string(), &[SECRET, TOKEN]);
    assert_hides(&format!("{e:?}"), &[SECRET, TOKEN]);
    e
}

fn role(profile: &str, arn: &str) -> RoleStep {
    RoleStep {
        profile: profile.to_owned(),
        role_arn: arn.to_owned(),
        session_name: None,
        external_id: None,
        duration_seconds: None,
    }
}

fn static_keys(plan: &Plan) -> (&str, &Credentials) {
    match &plan.base {
        Base::StaticKeys {
            profile,
            credentials,
        } => (profile, credentials),
        other => panic!("not static keys: {other:?}"),
    }
}

// ---- base sources -----------------------------------------------------------------------------

#[test]
fn static_keys_from_either_file() {
    let creds = format!(
        "[default]\naws_access_key_id = AKID\naws_secret_access_key = {SECRET}\n\
         aws_session_token = {TOKEN}\n"
    );
    let plan = plan_from(&creds, "", "default");
    let (profile, credentials) = static_keys(&plan);
    assert_eq!(profile, "default");
    assert_eq!(credentials.access_key_id(), "AKID");
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some(TOKEN));
    assert!(plan.roles.is_empty());
    assert_eq!(plan.profile, "default");
    assert_hides(&format!("{plan:?}"), &[SECRET, TOKEN]);

    let config =
        format!("[profile dev]\naws_access_key_id = C\naws_secret_access_key = {SECRET}\n");
    let plan = plan_from("", &config, "dev");
    assert_eq!(static_keys(&plan).1.access_key_id(), "C");
    assert_eq!(static_keys(&plan).1.session_token(), None);
}

#[test]
fn half_a_key_pair_is_incomplete() {
    let e = error("[default]\naws_access_key_id = AKID\n", "", "default");
    assert_eq!(e.kind(), CredentialsErrorKind::Incomplete);
    assert!(
        e.to_string()
            .contains("profile `default` has `aws_access_key_id` but no `aws_secret_access_key`"),
        "{e}"
    );
    let e = error(
        &format!("[default]\naws_secret_access_key = {SECRET}\n"),
        "",
        "default",
    );
    assert!(e.to_string().contains("but no `aws_access_key_id`"), "{e}");
}

#[test]
fn web_identity() {
    let config = "[profile eks]\nweb_identity_token_file = /var/run/token\n\
                  role_arn = arn:aws:iam::123456789012:role/pod\nrole_session_name = pod-1\n";
    let plan = plan_from("", config, "eks");
    let Base::WebIdentity(web_identity) = &plan.base else {
        panic!("{plan:?}");
    };
    assert_eq!(
        *web_identity,
        WebIdentity {
            profile: "eks".into(),
            token_file: PathBuf::from("/var/run/token"),
            role_arn: "arn:aws:iam::123456789012:role/pod".into(),
            session_name: Some("pod-1".into()),
        }
    );
    assert!(plan.roles.is_empty(), "the role is the web identity's own");

    // It comes before a role assumed from a source profile.
    let config = format!("{config}source_profile = other\n[profile other]\nregion = x\n");
    assert!(matches!(plan_of(&config, "eks").base, Base::WebIdentity(_)));

    let e = error("", "[default]\nweb_identity_token_file = /t\n", "default");
    assert_eq!(e.kind(), CredentialsErrorKind::Incomplete);
    assert!(
        e.to_string()
            .contains("`web_identity_token_file` but not `role_arn`"),
        "{e}"
    );
}

fn plan_of(config: &str, profile: &str) -> Plan {
    plan_from("", config, profile)
}

#[test]
fn credential_process() {
    let plan = plan_of(
        "[profile tool]\ncredential_process = /opt/bin/creds --account 'my account'\n",
        "tool",
    );
    let Base::Process { profile, command } = &plan.base else {
        panic!("{plan:?}");
    };
    assert_eq!(profile, "tool");
    assert_eq!(command.as_str(), "/opt/bin/creds --account 'my account'");
    assert!(!format!("{plan:?}").contains("my account"), "{plan:?}");
}

#[test]
fn static_keys_and_a_process_in_one_profile() {
    let keys = format!("aws_access_key_id = KEYS\naws_secret_access_key = {SECRET}\n");
    // Keys of the credentials file come before the process...
    let plan = plan_from(
        &format!("[dev]\n{keys}"),
        "[profile dev]\ncredential_process = /bin/creds\n",
        "dev",
    );
    assert_eq!(static_keys(&plan).1.access_key_id(), "KEYS");
    // ...keys of the config file after it.
    let plan = plan_of(
        &format!("[profile dev]\ncredential_process = /bin/creds\n{keys}"),
        "dev",
    );
    assert!(matches!(plan.base, Base::Process { .. }), "{plan:?}");
}

#[test]
fn sso_with_an_sso_session() {
    let config = "\
[profile dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Admin
region = eu-west-1
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
";
    let plan = plan_of(config, "dev");
    let Base::Sso(sso) = &plan.base else {
        panic!("{plan:?}");
    };
    assert_eq!(
        *sso,
        SsoProfile {
            profile: "dev".into(),
            session: Some("corp".into()),
            start_url: "https://corp.awsapps.com/start".into(),
            region: "us-east-1".into(),
            account_id: "123456789012".into(),
            role_name: "Admin".into(),
        }
    );
    assert_eq!(sso.login_command(), "aws sso login --sso-session corp");

    // The same values in the profile agree; different ones do not.
    let agreeing = config.replace(
        "region = eu-west-1",
        "sso_region = us-east-1\nsso_start_url = https://corp.awsapps.com/start",
    );
    assert!(matches!(plan_of(&agreeing, "dev").base, Base::Sso(_)));
    let differing = config.replace("region = eu-west-1", "sso_region = eu-west-1");
    let e = error("", &differing, "dev");
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        e.to_string().contains(
            "the `sso_region` of profile `dev` differs from that of its sso-session `corp`"
        ),
        "{e}"
    );

    let e = error(
        "",
        &config.replace("sso_session = corp", "sso_session = gone"),
        "dev",
    );
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        e.to_string()
            .contains("names the sso-session `gone`, which is not in the config file"),
        "{e}"
    );

    let e = error(
        "",
        &config
            .replace("sso_region = us-east-1\n", "")
            .replace("sso_role_name = Admin\n", ""),
        "dev",
    );
    assert!(
        e.to_string()
            .contains("lacks `sso_region`, `sso_role_name` (with its sso-session `corp`)"),
        "{e}"
    );
}

#[test]
fn sso_legacy_form() {
    let config = "\
[profile old]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-west-2
sso_account_id = 123456789012
sso_role_name = ReadOnly
";
    let plan = plan_of(config, "old");
    let Base::Sso(sso) = &plan.base else {
        panic!("{plan:?}");
    };
    assert_eq!(sso.session, None);
    assert_eq!(sso.region, "us-west-2");
    assert_eq!(sso.login_command(), "aws sso login --profile old");

    let e = error(
        "",
        &config.replace("sso_start_url", "# sso_start_url"),
        "old",
    );
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(e.to_string().ends_with("lacks `sso_start_url`"), "{e}");

    // An sso_session alone (for tokens, not role credentials) is not an SSO credential source.
    let e = error(
        "",
        "[profile t]\nsso_session = corp\n[sso-session corp]\nsso_region = x\n",
        "t",
    );
    assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
}

#[test]
fn credential_sources() {
    for (value, source) in [
        ("Environment", CredentialSource::Environment),
        ("Ec2InstanceMetadata", CredentialSource::Ec2InstanceMetadata),
        ("EcsContainer", CredentialSource::EcsContainer),
    ] {
        let config = format!(
            "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = {value}\n\
             role_session_name = s\nexternal_id = ext\nduration_seconds = 900\n"
        );
        let plan = plan_of(&config, "r");
        let Base::CredentialSource { profile, source: s } = &plan.base else {
            panic!("{plan:?}");
        };
        assert_eq!((profile.as_str(), *s), ("r", source));
        assert_eq!(s.to_string(), value);
        assert_eq!(
            plan.roles,
            [RoleStep {
                session_name: Some("s".into()),
                external_id: Some("ext".into()),
                duration_seconds: Some(900),
                ..role("r", "arn:aws:iam::123456789012:role/r")
            }]
        );
    }
    let e = error(
        "",
        "[profile r]\nrole_arn = arn\ncredential_source = ec2instancemetadata\n",
        "r",
    );
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        e.to_string().contains(
            "the `credential_source` `ec2instancemetadata` of profile `r` is not one of \
             `Environment`, `Ec2InstanceMetadata`, `EcsContainer`"
        ),
        "{e}"
    );
}

#[test]
fn a_profile_without_credentials_is_not_found() {
    let e = error("", "[default]\nregion = us-east-1\n", "default");
    assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
    assert!(
        e.to_string()
            .contains("profile `default`: has no credentials"),
        "{e}"
    );
}

// ---- roles and chains -------------------------------------------------------------------------

#[test]
fn roles_chain_through_source_profiles() {
    let creds = format!("[base]\naws_access_key_id = BASE\naws_secret_access_key = {SECRET}\n");
    let config = "\
[profile top]
role_arn = arn:aws:iam::111111111111:role/top
source_profile = middle
role_session_name = me
[profile middle]
role_arn = arn:aws:iam::222222222222:role/middle
source_profile = base
external_id = x-1
[profile base]
region = us-east-1
";
    let plan = plan_from(&creds, config, "top");
    let (profile, credentials) = static_keys(&plan);
    assert_eq!((profile, credentials.access_key_id()), ("base", "BASE"));
    assert_eq!(
        plan.roles,
        [
            RoleStep {
                external_id: Some("x-1".into()),
                ..role("middle", "arn:aws:iam::222222222222:role/middle")
            },
            RoleStep {
                session_name: Some("me".into()),
                ..role("top", "arn:aws:iam::111111111111:role/top")
            },
        ]
    );
    assert_eq!(plan.profile, "top");
}

#[test]
fn a_source_profile_with_keys_stops_the_chain() {
    // `base` has a role too, but its static keys are what a source profile gives.
    let creds = format!("[base]\naws_access_key_id = BASE\naws_secret_access_key = {SECRET}\n");
    let config = "[profile top]\nrole_arn = arn:top\nsource_profile = base\n\
                  [profile base]\nrole_arn = arn:base\nsource_profile = elsewhere\n";
    let plan = plan_from(&creds, config, "top");
    assert_eq!(static_keys(&plan).0, "base");
    assert_eq!(plan.roles, [role("top", "arn:top")]);

    // The selected profile assumes its role even with keys of its own.
    let plan = plan_from(
        &format!("[top]\naws_access_key_id = TOP\naws_secret_access_key = {SECRET}\n{creds}"),
        config,
        "top",
    );
    assert_eq!(static_keys(&plan).0, "base");

    // A source profile can have any base source.
    let config = "[profile top]\nrole_arn = arn:top\nsource_profile = sso\n\
                  [profile sso]\nsso_session = s\nsso_account_id = 1\nsso_role_name = R\n\
                  [sso-session s]\nsso_start_url = https://x\nsso_region = eu-west-1\n\
                  [profile proc]\ncredential_process = /bin/p\n\
                  [profile via-proc]\nrole_arn = arn:p\nsource_profile = proc\n";
    assert!(matches!(plan_of(config, "top").base, Base::Sso(_)));
    assert!(matches!(
        plan_of(config, "via-proc").base,
        Base::Process { .. }
    ));
}

#[test]
fn a_profile_may_source_its_own_keys() {
    let creds = format!("[self]\naws_access_key_id = SELF\naws_secret_access_key = {SECRET}\n");
    let config = "[profile self]\nrole_arn = arn:self\nsource_profile = self\n";
    let plan = plan_from(&creds, config, "self");
    assert_eq!(static_keys(&plan).0, "self");
    assert_eq!(static_keys(&plan).1.access_key_id(), "SELF");
    assert_eq!(plan.roles, [role("self", "arn:self")]);

    // Without keys, naming itself is a loop.
    let e = error("", config, "self");
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        e.to_string()
            .contains("the profiles `self` → `self` form a loop"),
        "{e}"
    );
}

#[test]
fn loops_name_their_profiles() {
    let config = "\
[profile start]
role_arn = arn:start
source_profile = a
[profile a]
role_arn = arn:a
source_profile = b
[profile b]
role_arn = arn:b
source_profile = a
";
    let e = error("", config, "start");
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    let text = e.to_string();
    assert!(
        text.contains("the profiles `a` → `b` → `a` form a loop of `source_profile`s"),
        "{text}"
    );
    assert!(
        text.starts_with("AWS credentials could not be loaded: profile `start`: "),
        "{text}"
    );
}

#[test]
fn missing_profiles() {
    let e = error("", "[profile other]\nregion = x\n", "nope");
    assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
    assert!(
        e.to_string()
            .contains("profile `nope`: not in the credentials file (given as text) nor the config file (given as text)"),
        "{e}"
    );
    let e = error(
        "",
        "[profile r]\nrole_arn = arn\nsource_profile = gone\n",
        "r",
    );
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        e.to_string()
            .contains("the `source_profile` `gone` of profile `r` is not in the credentials file"),
        "{e}"
    );
    let e = error(
        "",
        "[profile r]\nrole_arn = arn\nsource_profile = empty\n[profile empty]\nregion = x\n",
        "r",
    );
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        e.to_string()
            .contains("the source profile `empty` has no credentials"),
        "{e}"
    );
}

#[test]
fn refused_role_settings() {
    let e = error(
        "",
        "[profile r]\nrole_arn = arn\nsource_profile = b\nmfa_serial = arn:aws:iam::1:mfa/me\n\
         [profile b]\ncredential_process = /bin/p\n",
        "r",
    );
    assert_eq!(e.kind(), CredentialsErrorKind::Unsupported);
    let text = e.to_string();
    assert!(text.contains("profile `r` sets `mfa_serial`"), "{text}");
    assert!(text.contains("needs a prompt on a terminal"), "{text}");
    assert!(!text.contains("arn:aws:iam::1:mfa/me"), "{text}");

    let e = error(
        "",
        "[profile r]\nrole_arn = arn\nsource_profile = b\ncredential_source = Environment\n",
        "r",
    );
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        e.to_string()
            .contains("profile `r` sets both `source_profile` and `credential_source`"),
        "{e}"
    );

    let e = error("", "[profile r]\nrole_arn = arn\n", "r");
    assert_eq!(e.kind(), CredentialsErrorKind::Incomplete);
    assert!(
        e.to_string()
            .contains("sets `role_arn` but neither `source_profile` nor `credential_source`"),
        "{e}"
    );

    let e = error(
        "",
        "[profile r]\nrole_arn = arn\ncredential_source = Environment\nduration_seconds = 1h\n",
        "r",
    );
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        e.to_string()
            .contains("the `duration_seconds` of profile `r` is `1h`, not a whole number"),
        "{e}"
    );
}

#[test]
fn the_plan_carries_the_profiles_endpoints() {
    let config = "[profile r]\nrole_arn = arn\ncredential_source = Environment\nservices = s\n\
                  [services s]\nsts =\n  endpoint_url = http://127.0.0.1:9/\n";
    let plan = plan_of(config, "r");
    let sts = plan.endpoints.builtins("us-east-1", "STS").unwrap();
    assert_eq!(sts.endpoint.as_deref(), Some("http://127.0.0.1:9/"));
}

// ---- from a plan to a provider ----------------------------------------------------------------

/// Sources that label what they were asked for, and record the calls, so that the wiring shows in
/// the credentials: an assumed role's key id is `<source key id>><role arn>`.
#[derive(Debug, Default)]
struct Labelled {
    calls: Mutex<Vec<String>>,
}

#[derive(Debug)]
struct Assumed {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
}

impl ProvideCredentials for Assumed {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::new(async move {
            let source = self.source.provide().await?;
            Ok(Credentials::new(
                format!("{}>{}", source.access_key_id(), self.role_arn),
                "assumed-secret",
                Some("assumed-token".into()),
            ))
        })
    }
}

fn labelled(label: String) -> Arc<dyn ProvideCredentials> {
    Arc::new(Credentials::new(label, "secret", None))
}

impl Sources for Labelled {
    fn assume_role(
        &self,
        source: Arc<dyn ProvideCredentials>,
        role: &RoleStep,
        _endpoints: &EndpointSettings,
    ) -> Arc<dyn ProvideCredentials> {
        self.calls
            .lock()
            .unwrap()
            .push(format!("assume {}", role.role_arn));
        Arc::new(Assumed {
            source,
            role_arn: role.role_arn.clone(),
        })
    }

    fn web_identity(
        &self,
        web_identity: &WebIdentity,
        _endpoints: &EndpointSettings,
    ) -> Arc<dyn ProvideCredentials> {
        self.calls.lock().unwrap().push("web identity".into());
        labelled(format!("web:{}", web_identity.role_arn))
    }

    fn credential_source(&self, source: CredentialSource) -> Arc<dyn ProvideCredentials> {
        self.calls.lock().unwrap().push("credential source".into());
        labelled(format!("source:{source}"))
    }

    fn sso(&self, sso: &SsoProfile, _endpoints: &EndpointSettings) -> Arc<dyn ProvideCredentials> {
        self.calls.lock().unwrap().push("sso".into());
        labelled(format!("sso:{}", sso.role_name))
    }

    fn process(&self, command: &CommandLine) -> Arc<dyn ProvideCredentials> {
        self.calls.lock().unwrap().push("process".into());
        labelled(format!("process:{}", command.as_str()))
    }
}

#[tokio::test]
async fn providers_wrap_the_base_in_each_role_in_order() {
    let creds = format!("[base]\naws_access_key_id = BASE\naws_secret_access_key = {SECRET}\n");
    let config = "\
[profile top]
role_arn = arn:top
source_profile = middle
[profile middle]
role_arn = arn:middle
source_profile = base
[profile env]
role_arn = arn:env
credential_source = Environment
[profile web]
web_identity_token_file = /t
role_arn = arn:web
[profile sso]
sso_start_url = https://x
sso_region = us-east-1
sso_account_id = 1
sso_role_name = R
[profile proc]
credential_process = /bin/p
";
    let set = ProfileSet::parse(&creds, config);
    for (profile, expected, calls) in [
        (
            "top",
            "BASE>arn:middle>arn:top",
            &["assume arn:middle", "assume arn:top"][..],
        ),
        ("base", "BASE", &[]),
        (
            "env",
            "source:Environment>arn:env",
            &["credential source", "assume arn:env"],
        ),
        ("web", "web:arn:web", &["web identity"]),
        ("sso", "sso:R", &["sso"]),
        ("proc", "process:/bin/p", &["process"]),
    ] {
        let sources = Labelled::default();
        let plan = resolve(&set, profile).unwrap();
        let built = provider(&plan, &sources);
        let credentials = built.provide().await.unwrap();
        assert_eq!(credentials.access_key_id(), expected, "{profile}");
        assert_eq!(*sources.calls.lock().unwrap(), calls, "{profile}");
    }
}

#[tokio::test]
async fn the_profile_provider_reads_the_files_once_it_has_a_plan() {
    let home = TempHome::new();
    let sources = Labelled::default();
    let provider = ProfileProvider::new(home.env(&[("AWS_PROFILE", "dev")]), sources);
    assert_eq!(provider.profile_name(), "dev");

    // Nothing yet: each call tries again.
    let e = provider.provide().await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
    assert!(
        e.to_string()
            .contains("profile `dev`: not in the credentials file `"),
        "{e}"
    );

    home.config("[profile dev]\nrole_arn = arn:dev\ncredential_source = EcsContainer\n");
    let c = provider.provide().await.unwrap();
    assert_eq!(c.access_key_id(), "source:EcsContainer>arn:dev");

    // Built once: the files are not read again.
    std::fs::remove_file(home.path().join(".aws/config")).unwrap();
    let c = provider.provide().await.unwrap();
    assert_eq!(c.access_key_id(), "source:EcsContainer>arn:dev");
    let printed = format!("{provider:?}");
    assert!(printed.starts_with("ProfileProvider"), "{printed}");

    // `profile` wins over AWS_PROFILE; an unreadable file is an I/O error.
    let home = TempHome::new();
    std::fs::create_dir_all(home.path().join(".aws/credentials")).unwrap();
    let provider =
        ProfileProvider::new(home.env(&[("AWS_PROFILE", "dev")]), Labelled::default()).profile("x");
    assert_eq!(provider.profile_name(), "x");
    let e = provider.provide().await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Io);
    assert!(
        e.to_string().contains("cannot read the credentials file"),
        "{e}"
    );
}
