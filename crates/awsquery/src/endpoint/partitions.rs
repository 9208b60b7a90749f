//! The AWS partitions, for `aws.partition`: which region belongs where, and each partition's DNS
//! suffixes and capabilities.
//!
//! The table holds the facts of AWS's published partition data (format version 1.1). A region is
//! looked up by name among the known regions first, then by each partition's region pattern, and
//! falls back to the `aws` partition, so a region launched after this table was written still
//! resolves.

use std::fmt;

/// One partition: a group of regions that share DNS suffixes and capabilities.
#[derive(Clone, PartialEq, Eq)]
pub struct Partition {
    id: &'static str,
    region_regex: &'static str,
    regions: &'static [&'static str],
    dns_suffix: &'static str,
    dual_stack_dns_suffix: &'static str,
    implicit_global_region: &'static str,
    supports_fips: bool,
    supports_dual_stack: bool,
}

impl Partition {
    /// The partition id (`aws`, `aws-cn`, …); also its `name` for the rules.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The partition's name, as the rules read it (`getAttr(partition, "name")`).
    pub fn name(&self) -> &'static str {
        self.id
    }

    /// The DNS suffix of regular endpoints (`amazonaws.com`).
    pub fn dns_suffix(&self) -> &'static str {
        self.dns_suffix
    }

    /// The DNS suffix of dual-stack (IPv4 and IPv6) endpoints (`api.aws`).
    pub fn dual_stack_dns_suffix(&self) -> &'static str {
        self.dual_stack_dns_suffix
    }

    /// The region that global services of the partition sign for (`us-east-1`).
    pub fn implicit_global_region(&self) -> &'static str {
        self.implicit_global_region
    }

    /// Whether the partition has FIPS endpoints.
    pub fn supports_fips(&self) -> bool {
        self.supports_fips
    }

    /// Whether the partition has dual-stack endpoints.
    pub fn supports_dual_stack(&self) -> bool {
        self.supports_dual_stack
    }

    /// The pattern a region name of the partition matches.
    pub fn region_regex(&self) -> &'static str {
        self.region_regex
    }

    /// The regions known when this table was written, global pseudo-regions included.
    pub fn regions(&self) -> &'static [&'static str] {
        self.regions
    }
}

impl fmt::Debug for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Partition")
            .field("id", &self.id)
            .field("dns_suffix", &self.dns_suffix)
            .field("dual_stack_dns_suffix", &self.dual_stack_dns_suffix)
            .field("supports_fips", &self.supports_fips)
            .field("supports_dual_stack", &self.supports_dual_stack)
            .finish_non_exhaustive()
    }
}

/// Every partition; the first is the fallback for regions no other matches.
static PARTITIONS: [Partition; 8] = [
    Partition {
        id: "aws",
        region_regex: r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$",
        regions: &[
            "af-south-1",
            "ap-east-1",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-7",
            "aws-global",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "mx-central-1",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        implicit_global_region: "us-east-1",
        supports_fips: true,
        supports_dual_stack: true,
    },
    Partition {
        id: "aws-cn",
        region_regex: r"^cn\-\w+\-\d+$",
        regions: &["aws-cn-global", "cn-north-1", "cn-northwest-1"],
        dns_suffix: "amazonaws.com.cn",
        dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
        implicit_global_region: "cn-northwest-1",
        supports_fips: true,
        supports_dual_stack: true,
    },
    Partition {
        id: "aws-us-gov",
        region_regex: r"^us\-gov\-\w+\-\d+$",
        regions: &["aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"],
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        implicit_global_region: "us-gov-west-1",
        supports_fips: true,
        supports_dual_stack: true,
    },
    Partition {
        id: "aws-iso",
        region_regex: r"^us\-iso\-\w+\-\d+$",
        regions: &["aws-iso-global", "us-iso-east-1", "us-iso-west-1"],
        dns_suffix: "c2s.ic.gov",
        dual_stack_dns_suffix: "c2s.ic.gov",
        implicit_global_region: "us-iso-east-1",
        supports_fips: true,
        supports_dual_stack: false,
    },
    Partition {
        id: "aws-iso-b",
        region_regex: r"^us\-isob\-\w+\-\d+$",
        regions: &["aws-iso-b-global", "us-isob-east-1"],
        dns_suffix: "sc2s.sgov.gov",
        dual_stack_dns_suffix: "sc2s.sgov.gov",
        implicit_global_region: "us-isob-east-1",
        supports_fips: true,
        supports_dual_stack: false,
    },
    Partition {
        id: "aws-iso-e",
        region_regex: r"^eu\-isoe\-\w+\-\d+$",
        regions: &["aws-iso-e-global", "eu-isoe-west-1"],
        dns_suffix: "cloud.adc-e.uk",
        dual_stack_dns_suffix: "cloud.adc-e.uk",
        implicit_global_region: "eu-isoe-west-1",
        supports_fips: true,
        supports_dual_stack: false,
    },
    Partition {
        id: "aws-iso-f",
        region_regex: r"^us\-isof\-\w+\-\d+$",
        regions: &["aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"],
        dns_suffix: "csp.hci.ic.gov",
        dual_stack_dns_suffix: "csp.hci.ic.gov",
        implicit_global_region: "us-isof-south-1",
        supports_fips: true,
        supports_dual_stack: false,
    },
    Partition {
        id: "aws-eusc",
        region_regex: r"^eusc\-(de)\-\w+\-\d+$",
        regions: &["eusc-de-east-1"],
        dns_suffix: "amazonaws.eu",
        dual_stack_dns_suffix: "amazonaws.eu",
        implicit_global_region: "eusc-de-east-1",
        supports_fips: true,
        supports_dual_stack: false,
    },
];

/// `aws.partition`: the partition `region` belongs to: the one listing it, else the first whose
/// pattern it matches, else `aws`. Always `Some`; the `Option` is the rules' signature, which lets
/// a rule set treat an unknown region as an error.
pub fn partition(region: &str) -> Option<&'static Partition> {
    PARTITIONS
        .iter()
        .find(|p| p.regions.contains(&region))
        .or_else(|| {
            PARTITIONS
                .iter()
                .find(|p| regex_matches(p.region_regex, region))
        })
        .or(PARTITIONS.first())
}

/// Whether `text` matches `pattern`, a regular expression of the small form the partition table
/// uses: `^` and `$` anchors, literal characters, `\` escapes, the classes `\w` and `\d`, `+`, and
/// groups of alternatives `(a|b)`. A pattern outside that form matches nothing.
fn regex_matches(pattern: &str, text: &str) -> bool {
    let Some(inner) = pattern.strip_prefix('^').and_then(|p| p.strip_suffix('$')) else {
        return false;
    };
    let mut chars = inner.chars().peekable();
    match parse_sequence(&mut chars) {
        Some(items) if chars.next().is_none() => match_items(&items, text, &|rest| rest.is_empty()),
        _ => false,
    }
}

/// One atom of a pattern, possibly repeated (`+`).
#[derive(Debug)]
struct Item {
    atom: Atom,
    repeated: bool,
}

#[derive(Debug)]
enum Atom {
    Char(char),
    Word,
    Digit,
    Group(Vec<Vec<Item>>),
}

impl Atom {
    fn accepts(&self, c: char) -> bool {
        match self {
            Atom::Char(expected) => c == *expected,
            Atom::Word => c.is_ascii_alphanumeric() || c == '_',
            Atom::Digit => c.is_ascii_digit(),
            Atom::Group(_) => false,
        }
    }
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Items up to the end of the pattern, a `|` or a `)` (left unread).
fn parse_sequence(chars: &mut Chars<'_>) -> Option<Vec<Item>> {
    let mut items = Vec::new();
    while let Some(&c) = chars.peek() {
        let atom = match c {
            '|' | ')' => break,
            '(' => {
                chars.next();
                let mut branches = vec![parse_sequence(chars)?];
                loop {
                    match chars.next()? {
                        '|' => branches.push(parse_sequence(chars)?),
                        ')' => break,
                        _ => return None,
                    }
                }
                Atom::Group(branches)
            }
            '\\' => {
                chars.next();
                match chars.next()? {
                    'w' => Atom::Word,
                    'd' => Atom::Digit,
                    escaped if escaped.is_ascii_punctuation() => Atom::Char(escaped),
                    _ => return None,
                }
            }
            '+' | '*' | '?' | '[' | ']' | '{' | '}' | '.' | '^' | '$' => return None,
            literal => {
                chars.next();
                Atom::Char(literal)
            }
        };
        let repeated = chars.next_if_eq(&'+').is_some();
        items.push(Item { atom, repeated });
    }
    Some(items)
}

/// Whether `items` match a prefix of `text` such that `rest` accepts what follows (backtracking).
fn match_items(items: &[Item], text: &str, rest: &dyn Fn(&str) -> bool) -> bool {
    let Some((first, others)) = items.split_first() else {
        return rest(text);
    };
    let then = |after: &str| match_items(others, after, rest);
    match (&first.atom, first.repeated) {
        (Atom::Group(branches), false) => branches
            .iter()
            .any(|branch| match_items(branch, text, &then)),
        (Atom::Group(branches), true) => {
            let again = |after: &str| {
                after.len() < text.len() && match_items(std::slice::from_ref(first), after, &then)
            };
            branches
                .iter()
                .any(|branch| match_items(branch, text, &|after| again(after) || then(after)))
        }
        (atom, false) => {
            let mut chars = text.chars();
            chars.next().is_some_and(|c| atom.accepts(c)) && then(chars.as_str())
        }
        (atom, true) => {
            // Greedy: take as many as the atom accepts, then give back one at a time.
            let taken: Vec<usize> = text
                .char_indices()
                .take_while(|&(_, c)| atom.accepts(c))
                .map(|(i, c)| i + c.len_utf8())
                .collect();
            taken.iter().rev().any(|&end| then(&text[end..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(region: &str) -> &'static str {
        partition(region)
            .expect("every region has a partition")
            .id()
    }

    #[test]
    fn known_regions() {
        assert_eq!(id("us-east-1"), "aws");
        assert_eq!(id("eu-central-2"), "aws");
        assert_eq!(id("aws-global"), "aws");
        assert_eq!(id("cn-north-1"), "aws-cn");
        assert_eq!(id("aws-cn-global"), "aws-cn");
        assert_eq!(id("us-gov-west-1"), "aws-us-gov");
        assert_eq!(id("us-iso-west-1"), "aws-iso");
        assert_eq!(id("us-isob-east-1"), "aws-iso-b");
        assert_eq!(id("eu-isoe-west-1"), "aws-iso-e");
        assert_eq!(id("us-isof-south-1"), "aws-iso-f");
        assert_eq!(id("eusc-de-east-1"), "aws-eusc");
    }

    #[test]
    fn unknown_regions_by_pattern() {
        assert_eq!(id("us-east-10"), "aws");
        assert_eq!(id("mx-north-7"), "aws");
        assert_eq!(id("cn-north-5"), "aws-cn");
        assert_eq!(id("us-gov-central-3"), "aws-us-gov");
        assert_eq!(id("us-iso-north-2"), "aws-iso");
        assert_eq!(id("us-isob-west-9"), "aws-iso-b");
        assert_eq!(id("eu-isoe-south-2"), "aws-iso-e");
        assert_eq!(id("us-isof-east-4"), "aws-iso-f");
        assert_eq!(id("eusc-de-west-2"), "aws-eusc");
    }

    #[test]
    fn regions_matching_nothing_fall_back_to_aws() {
        for region in [
            "mars-global",
            "",
            "us-east",
            "eusc-fr-east-1",
            "cn-north-1a",
            "US-EAST-1",
        ] {
            assert_eq!(id(region), "aws", "{region}");
        }
    }

    #[test]
    fn outputs() {
        let aws = partition("us-west-2").unwrap();
        assert_eq!(
            (aws.name(), aws.dns_suffix(), aws.dual_stack_dns_suffix()),
            ("aws", "amazonaws.com", "api.aws")
        );
        assert!(aws.supports_fips() && aws.supports_dual_stack());
        assert_eq!(aws.implicit_global_region(), "us-east-1");
        let cn = partition("cn-northwest-1").unwrap();
        assert_eq!(cn.dns_suffix(), "amazonaws.com.cn");
        assert_eq!(cn.dual_stack_dns_suffix(), "api.amazonwebservices.com.cn");
        let iso = partition("us-iso-east-1").unwrap();
        assert_eq!(iso.dns_suffix(), "c2s.ic.gov");
        assert!(iso.supports_fips() && !iso.supports_dual_stack());
        let isob = partition("us-isob-east-1").unwrap();
        assert_eq!(isob.dns_suffix(), "sc2s.sgov.gov");
        assert!(!isob.supports_dual_stack());
        assert!(format!("{aws:?}").contains("amazonaws.com"));
    }

    #[test]
    fn every_pattern_parses_and_matches_its_own_regions() {
        for p in &PARTITIONS {
            let inner = &p.region_regex[1..p.region_regex.len() - 1];
            assert!(
                parse_sequence(&mut inner.chars().peekable()).is_some(),
                "{}",
                p.region_regex
            );
            for region in p.regions.iter().filter(|r| !r.contains("global")) {
                assert!(
                    regex_matches(p.region_regex, region),
                    "{region} in {}",
                    p.id
                );
                assert_eq!(id(region), p.id);
            }
        }
    }

    #[test]
    fn regex_subset() {
        assert!(regex_matches(r"^a\-\w+\-\d+$", "a-b_c9-12"));
        assert!(!regex_matches(r"^a\-\w+\-\d+$", "a--12"));
        assert!(!regex_matches(r"^a\-\w+\-\d+$", "a-b-c-12"));
        assert!(
            regex_matches(r"^(ab|a)b$", "ab"),
            "backtracks into the group"
        );
        assert!(regex_matches(r"^(ab|a)b$", "abb"));
        assert!(regex_matches(r"^(a|b)+c$", "abbac"));
        assert!(!regex_matches(r"^(a|b)+c$", "c"));
        assert!(
            regex_matches(r"^\w+\w$", "ab"),
            "a repeat gives back what the next item needs"
        );
        assert!(!regex_matches("no anchors", "no anchors"));
        for unsupported in [r"^a*$", r"^[ab]$", r"^(a$", r"^a)$", r"^\q$", r"^a.b$"] {
            assert!(!regex_matches(unsupported, "a"), "{unsupported}");
        }
    }
}
