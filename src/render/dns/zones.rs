//! Which zone each name belongs to, for the formats that are zones (BIND
//! files, the public zone), and the SOA serial of a zone.
//!
//! The zone of a name is the topology's `domain` when the name lies under it.
//! Otherwise it is the name's parent (`grafana.example.com` → `example.com`),
//! or the name itself when its parent is a top-level domain. A candidate zone
//! lying under another candidate is folded into it (`api.lab.example.org`
//! joins `example.org` when `metrics.example.org` is also listed), so each
//! domain of the topology becomes one zone. Without a public suffix list,
//! `app.example.co.uk` would give the zone `example.co.uk` but `x.co.uk`
//! gives `co.uk`: set `domain` when that matters.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

/// True when `name` is `zone` or lies under it.
pub fn is_in(name: &str, zone: &str) -> bool {
    name == zone
        || name
            .strip_suffix(zone)
            .is_some_and(|rest| rest.ends_with('.'))
}

fn candidate(name: &str, domain: Option<&str>) -> String {
    if let Some(domain) = domain.filter(|d| is_in(name, d)) {
        return domain.to_string();
    }
    match name.split_once('.') {
        Some((_, parent)) if parent.contains('.') => parent.to_string(),
        _ => name.to_string(),
    }
}

/// Zone → its names (sorted), for every name given.
pub fn assign<'a>(
    names: impl IntoIterator<Item = &'a str>,
    domain: Option<&str>,
) -> BTreeMap<String, Vec<String>> {
    let names: BTreeSet<&str> = names.into_iter().collect();
    let candidates: BTreeSet<String> = names.iter().map(|n| candidate(n, domain)).collect();
    let mut zones: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in names {
        // The highest candidate containing the name; its own candidate always
        // does. The candidates containing a name are among its suffixes, so
        // look those up (shortest first) instead of scanning every candidate.
        let zone = suffixes(name)
            .find(|suffix| candidates.contains(*suffix))
            .map(str::to_string)
            .unwrap_or_else(|| candidate(name, domain));
        zones.entry(zone).or_default().push(name.to_string());
    }
    zones
}

/// `name` and each parent of it, from the fewest labels to the most:
/// `a.b.c` → `c`, `b.c`, `a.b.c`.
fn suffixes(name: &str) -> impl Iterator<Item = &str> {
    let starts = std::iter::once(0).chain(name.match_indices('.').map(|(i, _)| i + 1));
    let mut all: Vec<&str> = starts.map(|i| &name[i..]).collect();
    all.reverse();
    all.into_iter()
}

/// A serial that changes whenever the zone's data does, derived from the data
/// (never the clock) so the same topology always gives the same file.
pub fn serial(zone: &str, data: &[String]) -> u32 {
    let mut hash = Sha256::new();
    hash.update(zone.as_bytes());
    for line in data {
        hash.update([0u8]);
        hash.update(line.as_bytes());
    }
    let digest = hash.finalize();
    let serial = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
    // 0 reads as "unset" to some tools.
    serial.max(1)
}

/// `dns/<stem>.zone` for a single zone, `dns/<stem>.<zone>.zone` for several.
pub fn file_name(stem: &str, zone: &str, several: bool) -> String {
    if several {
        format!("dns/{stem}.{zone}.zone")
    } else {
        format!("dns/{stem}.zone")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zones(names: &[&str], domain: Option<&str>) -> Vec<(String, Vec<String>)> {
        assign(names.iter().copied(), domain).into_iter().collect()
    }

    #[test]
    fn the_domain_is_the_zone_of_everything_under_it() {
        let z = zones(
            &["a.x.umi4.life", "auth.umi4.life", "umi4.life"],
            Some("umi4.life"),
        );
        assert_eq!(z.len(), 1);
        assert_eq!(z[0].0, "umi4.life");
        assert_eq!(z[0].1, ["a.x.umi4.life", "auth.umi4.life", "umi4.life"]);
    }

    #[test]
    fn without_a_domain_each_domain_is_one_zone_and_nested_parents_fold() {
        let z = zones(
            &[
                "grafana.example.com",
                "example.com",
                "nas.home.example.com",
                "metrics.example.org",
                "api.lab.example.org",
                "auth.example.net",
            ],
            None,
        );
        let keys: Vec<&str> = z.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["example.com", "example.net", "example.org"]);
        assert_eq!(
            z[0].1,
            ["example.com", "grafana.example.com", "nas.home.example.com"]
        );
        assert_eq!(z[2].1, ["api.lab.example.org", "metrics.example.org"]);
    }

    #[test]
    fn a_lone_deep_name_gets_its_parent() {
        assert_eq!(zones(&["a.lab.example.org"], None)[0].0, "lab.example.org");
    }

    #[test]
    fn is_in_respects_label_boundaries() {
        assert!(is_in("a.example.com", "example.com"));
        assert!(is_in("example.com", "example.com"));
        assert!(!is_in("badexample.com", "example.com"));
    }

    #[test]
    fn serial_depends_on_the_data_only() {
        let a = serial("z", &["x A 1".into()]);
        assert_eq!(a, serial("z", &["x A 1".into()]));
        assert_ne!(a, serial("z", &["x A 2".into()]));
        assert_ne!(a, 0);
    }
}
