//! The split-DNS record set, computed once from the model and shared by every
//! format: each hostname of every service and of the identity provider, with
//! the proxy host's addresses (spec: "Split DNS"). Sorted by name, one entry
//! per name, so every format prints the same records in the same order.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::Serialize;

use crate::model::Topology;

/// TTL of every split-DNS answer. dnsmasq's default for local records is 0
/// (no caching at all), so it is written out wherever a format takes one.
pub const TTL: u32 = 300;

/// One exact name and the addresses it answers with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Lower-case FQDN without the trailing dot.
    pub name: String,
    pub ipv4: Option<Ipv4Addr>,
    pub ipv6: Option<Ipv6Addr>,
    /// Published through the tunnel: some route of the name is public.
    pub public: bool,
}

impl Record {
    /// A record then AAAA record, as present.
    pub fn addresses(&self) -> Vec<IpAddr> {
        self.ipv4
            .map(IpAddr::V4)
            .into_iter()
            .chain(self.ipv6.map(IpAddr::V6))
            .collect()
    }
}

/// Every split-DNS record of a topology, sorted by name, names unique.
#[derive(Clone, Debug)]
pub struct RecordSet {
    /// The proxy host every name points at.
    pub proxy_host: String,
    pub records: Vec<Record>,
}

impl RecordSet {
    pub fn from_topology(t: &Topology) -> Self {
        let host = t.proxy_host();
        let ipv4 = match host.ipv4() {
            Some(IpAddr::V4(v4)) => Some(v4),
            _ => None,
        };
        let ipv6 = host.ipv6();
        // name -> public; a BTreeMap makes duplicates impossible and the order sorted.
        let mut names: BTreeMap<String, bool> = BTreeMap::new();
        for service in &t.services {
            let public = service.routes.iter().any(|r| r.exposure.is_public());
            for hostname in &service.hostnames {
                *names
                    .entry(hostname.as_str().to_ascii_lowercase())
                    .or_default() |= public;
            }
        }
        if let Some(identity) = &t.identity {
            // An issuer given as an IP address has no name to answer.
            if let Some(url::Host::Domain(domain)) = identity.issuer.host() {
                *names.entry(domain.to_ascii_lowercase()).or_default() |=
                    identity.exposure.is_public();
            }
        }
        let records = names
            .into_iter()
            .map(|(name, public)| Record {
                name,
                ipv4,
                ipv6,
                public,
            })
            .collect();
        Self {
            proxy_host: host.name.clone(),
            records,
        }
    }

    pub fn public(&self) -> impl Iterator<Item = &Record> {
        self.records.iter().filter(|r| r.public)
    }

    pub fn names(&self) -> Vec<&str> {
        self.records.iter().map(|r| r.name.as_str()).collect()
    }

    pub fn has_ipv6(&self) -> bool {
        self.records.iter().any(|r| r.ipv6.is_some())
    }
}

/// A record as templates see it: the name and one `rr` per address.
#[derive(Clone, Debug, Serialize)]
pub struct RecordView {
    pub name: String,
    pub rr: Vec<RrView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RrView {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub address: String,
}

impl From<&Record> for RecordView {
    fn from(r: &Record) -> Self {
        let rr = r
            .addresses()
            .into_iter()
            .map(|a| RrView {
                kind: if a.is_ipv4() { "A" } else { "AAAA" },
                address: a.to_string(),
            })
            .collect();
        Self {
            name: r.name.clone(),
            rr,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::dns::test_topology;

    const BASE: &str = r#"
network "lan" "192.168.1.0/24"
host "edge" address="192.168.1.30" address6="fd00::30"
host "vm" address="192.168.1.40"
proxy "traefik" host="edge" {
    entrypoint "websecure" address=":443"
    entrypoint "tunnel" address=":8443" tunnel=#true
}
tunnel "cf" host="edge" id="6ff42ae2-7c4b-4b2e-9d7e-8f0a1b2c3d4e" credentials-file="/etc/cloudflared/x.json"
identity "authelia" host="edge" issuer="https://auth.example.net" upstream="http://authelia:9091"
service "zeta" host="vm" upstream="http://192.168.1.40:80" {
    hostname "zeta.example.com" "alpha.example.org"
    exposure "lan-only"
    auth "forward-auth"
    route "/v1" exposure="public-api" auth="app"
}
service "beta" host="edge" upstream="http://beta:80" {
    hostname "beta.example.com"
    exposure "lan-only"
    auth "forward-auth"
}
"#;

    #[test]
    fn every_service_hostname_and_the_issuer_point_at_the_proxy_host() {
        let set = RecordSet::from_topology(&test_topology(BASE));
        assert_eq!(set.proxy_host, "edge");
        assert_eq!(
            set.names(),
            [
                "alpha.example.org",
                "auth.example.net",
                "beta.example.com",
                "zeta.example.com"
            ]
        );
        for r in &set.records {
            // Not the service's own host (vm): LAN clients must reach the proxy.
            assert_eq!(r.ipv4, Some(Ipv4Addr::new(192, 168, 1, 30)), "{}", r.name);
            assert_eq!(r.ipv6, Some("fd00::30".parse().unwrap()), "{}", r.name);
        }
    }

    #[test]
    fn sorted_and_unique_even_when_names_repeat_in_the_model() {
        // Lowering rejects a repeated hostname; the record set must not rely on it.
        let mut t = test_topology(BASE);
        let repeat = |name: &str| crate::model::Hostname {
            name: name.into(),
            span: Default::default(),
        };
        t.services[0].hostnames.push(repeat("auth.example.net"));
        t.services[1].hostnames.push(repeat("zeta.example.com"));
        let set = RecordSet::from_topology(&t);
        let names = set.names();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
        assert_eq!(names.len(), 4);
    }

    #[test]
    fn public_means_some_route_is_public_and_the_identity_only_when_exposed() {
        let set = RecordSet::from_topology(&test_topology(BASE));
        let public: Vec<&str> = set.public().map(|r| r.name.as_str()).collect();
        assert_eq!(public, ["alpha.example.org", "zeta.example.com"]);

        let exposed = BASE.replace(
            r#"upstream="http://authelia:9091""#,
            r#"upstream="http://authelia:9091" exposure="public-app""#,
        );
        let set = RecordSet::from_topology(&test_topology(&exposed));
        assert!(set.public().any(|r| r.name == "auth.example.net"));
    }

    #[test]
    fn an_ipv4_only_proxy_host_has_no_aaaa() {
        let text = BASE.replace(r#" address6="fd00::30""#, "");
        let set = RecordSet::from_topology(&test_topology(&text));
        assert!(!set.has_ipv6());
        let view = RecordView::from(&set.records[0]);
        assert_eq!(view.rr.len(), 1);
        assert_eq!(view.rr[0].kind, "A");
    }
}
