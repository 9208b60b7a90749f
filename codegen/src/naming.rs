//! Every Rust name the generator prints is decided here, one function per casing.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Spellings that heck splits in the wrong place (`IPv6Address` would become `i_pv6_address`).
const ACRONYMS: &[(&str, &str)] = &[
    ("IPv4", "Ipv4"),
    ("IPv6", "Ipv6"),
    ("IDs", "Ids"),
    ("ARNs", "Arns"),
    ("NaN", "Nan"),
];

/// Rust keywords that take an `r#` prefix when used as identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const RESERVED: &[&str] = &["crate", "self", "super", "Self"];

/// Names from Rust's prelude that generated code writes unqualified (`Option<String>`, `Some`,
/// `Into`). A generated type of one of these names would hide the prelude's in its module, so it
/// takes a trailing underscore, as `Self` does.
const PRELUDE: &[&str] = &[
    "Box", "Clone", "Default", "Err", "From", "Into", "None", "Ok", "Option", "Result", "Some",
    "String", "ToOwned", "Vec",
];

fn fix_acronyms(name: &str) -> String {
    let mut fixed = name.to_owned();
    for (from, to) in ACRONYMS {
        fixed = fixed.replace(from, to);
    }
    fixed
}

/// `DBClusterArn` → `db_cluster_arn`, `IPv6Address` → `ipv6_address`. Not yet escaped.
pub fn snake(name: &str) -> String {
    fix_acronyms(name).to_snake_case()
}

/// `DBClusterNotFoundFault` → `DbClusterNotFoundFault`, `FAILING_OVER` → `FailingOver`.
pub fn pascal(name: &str) -> String {
    let pascal = fix_acronyms(name).to_upper_camel_case();
    if pascal.starts_with(|c: char| c.is_ascii_digit()) || pascal.is_empty() {
        format!("V{pascal}")
    } else {
        pascal
    }
}

/// A field, function or module name: snake case, escaped where it is a keyword.
pub fn field(name: &str) -> String {
    escape(snake(name))
}

/// `CreateDBCluster` → `create_db_cluster`, the method and module name of an operation.
pub fn function(name: &str) -> String {
    escape(snake(name))
}

/// A method named after a field: `set` and `r#type` → `set_type`.
pub fn prefixed(prefix: &str, field: &str) -> String {
    format!("{prefix}_{}", field.trim_start_matches("r#"))
}

/// A variant name, or the name of a type the generated code does not define (a waiter's).
pub fn type_name(name: &str) -> String {
    escape(pascal(name))
}

/// The name of a type the generated code defines for a shape or an operation: a [`type_name`],
/// with a trailing underscore where it would hide a name of the prelude (`Option` → `Option_`).
pub fn item_name(name: &str) -> String {
    let name = type_name(name);
    if PRELUDE.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// A type named after an item and a suffix: `OptionBuilder` for `Option_`, which needed its
/// underscore only to hide no prelude name.
pub fn derived_name(item: &str, suffix: &str) -> String {
    format!("{}{suffix}", item.trim_end_matches('_'))
}

/// `prefix` as a package registry keyword (crates.io takes at most 20 ASCII letters, digits, `-`,
/// `_` and `+`, starting with a letter), or none when it is not one: `neptune`, `query-protocol`.
pub fn registry_keyword(prefix: &str) -> Option<&str> {
    let valid = prefix.len() <= 20
        && prefix.starts_with(|c: char| c.is_ascii_alphabetic())
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'));
    valid.then_some(prefix)
}

/// The crate name prefix for a service's sdkId: `Neptune` → `neptune`, `Elastic Load Balancing v2` → `elastic-load-balancing-v2`.
pub fn crate_prefix(sdk_id: &str) -> String {
    heck::ToKebabCase::to_kebab_case(sdk_id)
}

/// The AWS CLI's name for an operation, member or waiter: `DescribeDBClusters` →
/// `describe-db-clusters`, `TargetDbClusterIdentifier` → `target-db-cluster-identifier`,
/// `DBInstanceAvailable` → `db-instance-available`.
///
/// The AWS CLI's rules: a name that already holds a `-` is kept; a trailing run of three or more
/// capitals followed by `s` (`ARNs`) is split off as one lower-case word; then a word break goes
/// before every capital that starts a capitalised word (`DBClusters` → `DB-Clusters`), and between
/// a lower-case letter or digit and the capital after it; and everything is lower-cased.
pub fn cli_name(name: &str) -> String {
    const SEP: char = '-';
    if name.contains(SEP) {
        return name.to_owned();
    }
    let mut chars: Vec<char> = name.chars().collect();
    // `...ARNs` → `...-arns`.
    if chars.last() == Some(&'s') {
        let capitals = chars[..chars.len() - 1]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        if capitals >= 3 {
            let start = chars.len() - 1 - capitals;
            let tail: Vec<char> = chars[start..]
                .iter()
                .map(char::to_ascii_lowercase)
                .collect();
            chars.truncate(start);
            chars.push(SEP);
            chars.extend(tail);
        }
    }
    // A break before a capital followed by lower-case letters, after any character; matches do
    // not overlap, so the scan resumes after the lower-case run.
    let mut first = Vec::with_capacity(chars.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let starts_word = i + 2 < chars.len() + 1
            && chars.get(i + 1).is_some_and(char::is_ascii_uppercase)
            && chars.get(i + 2).is_some_and(char::is_ascii_lowercase);
        first.push(chars[i]);
        if starts_word {
            first.push(SEP);
            first.push(chars[i + 1]);
            let mut j = i + 2;
            while chars.get(j).is_some_and(char::is_ascii_lowercase) {
                first.push(chars[j]);
                j += 1;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    // A break between a lower-case letter or digit and the capital after it.
    let mut out = String::with_capacity(first.len() + 8);
    let mut i = 0;
    while i < first.len() {
        let c = first[i];
        out.push(c.to_ascii_lowercase());
        if (c.is_ascii_lowercase() || c.is_ascii_digit())
            && first.get(i + 1).is_some_and(char::is_ascii_uppercase)
        {
            out.push(SEP);
            out.push(first[i + 1].to_ascii_lowercase());
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

fn escape(name: String) -> String {
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    };
    if RESERVED.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The identifier for a name decided above (raw identifiers included).
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_keeps_acronyms_whole() {
        assert_eq!(field("DBClusterArn"), "db_cluster_arn");
        assert_eq!(field("IPv6Address"), "ipv6_address");
        assert_eq!(
            field("EnableIAMDatabaseAuthentication"),
            "enable_iam_database_authentication"
        );
        assert_eq!(field("VpcSecurityGroupIDs"), "vpc_security_group_ids");
        assert_eq!(field("S3Bucket"), "s3_bucket");
        assert_eq!(field("message"), "message");
        assert_eq!(
            function("AwsQuerySupportsNaNFloatInputs"),
            "aws_query_supports_nan_float_inputs"
        );
    }

    #[test]
    fn registry_keywords() {
        assert_eq!(registry_keyword("neptune"), Some("neptune"));
        assert_eq!(registry_keyword("query-protocol"), Some("query-protocol"));
        assert_eq!(registry_keyword("elastic-load-balancing-v2"), None);
        assert_eq!(registry_keyword("2fast"), None);
    }

    /// Names of the official Neptune model, and the AWS CLI's names for them.
    #[test]
    fn cli_names_are_the_aws_cli_names() {
        for (name, expected) in [
            ("DescribeDBClusters", "describe-db-clusters"),
            ("FailoverGlobalCluster", "failover-global-cluster"),
            ("TargetDbClusterIdentifier", "target-db-cluster-identifier"),
            ("DBInstanceAvailable", "db-instance-available"),
            ("DBInstanceDeleted", "db-instance-deleted"),
            ("AddRoleToDBCluster", "add-role-to-db-cluster"),
            (
                "CopyDBClusterParameterGroup",
                "copy-db-cluster-parameter-group",
            ),
            ("DescribeDBEngineVersions", "describe-db-engine-versions"),
            (
                "DescribeOrderableDBInstanceOptions",
                "describe-orderable-db-instance-options",
            ),
            (
                "DescribeValidDBInstanceModifications",
                "describe-valid-db-instance-modifications",
            ),
            (
                "ModifyDBClusterSnapshotAttribute",
                "modify-db-cluster-snapshot-attribute",
            ),
            (
                "RestoreDBClusterToPointInTime",
                "restore-db-cluster-to-point-in-time",
            ),
            (
                "EnableIAMDatabaseAuthentication",
                "enable-iam-database-authentication",
            ),
            ("VpcSecurityGroupIds", "vpc-security-group-ids"),
            ("DBSubnetGroupName", "db-subnet-group-name"),
            ("KmsKeyId", "kms-key-id"),
            ("PreSignedUrl", "pre-signed-url"),
            (
                "EnableCloudwatchLogsExports",
                "enable-cloudwatch-logs-exports",
            ),
            (
                "ServerlessV2ScalingConfiguration",
                "serverless-v2-scaling-configuration",
            ),
            ("Iops", "iops"),
            ("CACertificateIdentifier", "ca-certificate-identifier"),
            ("ResourceARNs", "resource-arns"),
            ("DBClusterArn", "db-cluster-arn"),
            ("MaxRecords", "max-records"),
            ("already-kebab", "already-kebab"),
        ] {
            assert_eq!(cli_name(name), expected, "{name}");
        }
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(field("Type"), "r#type");
        assert_eq!(field("Self"), "self_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(item_name("Self"), "Self_");
        assert_eq!(item_name("Option"), "Option_");
        assert_eq!(item_name("string"), "String_");
        assert_eq!(item_name("Options"), "Options");
        assert_eq!(
            derived_name(&item_name("Option"), "Builder"),
            "OptionBuilder"
        );
        // Variants hide nothing: they are always written with their enum's name or `Self`.
        assert_eq!(type_name("None"), "None");
        assert_eq!(field("2Fast"), "_2fast");
        assert_eq!(ident("r#type").to_string(), "r#type");
    }

    #[test]
    fn type_names_are_upper_camel() {
        assert_eq!(
            type_name("DBClusterNotFoundFault"),
            "DbClusterNotFoundFault"
        );
        assert_eq!(type_name("FAILING_OVER"), "FailingOver");
        assert_eq!(type_name("pending_reboot"), "PendingReboot");
        assert_eq!(type_name("1.2"), "V12");
        assert_eq!(crate_prefix("Neptune"), "neptune");
        assert_eq!(
            crate_prefix("Elastic Load Balancing v2"),
            "elastic-load-balancing-v2"
        );
    }
}
