use ipnet::IpNet;

use super::{Deploy, DnsOutput, Host, Identity, Network, Proxy, Service, Tunnel};

/// A whole compiled `topology.kdl`, every reference resolved.
#[derive(Clone, Debug)]
pub struct Topology {
    /// File name of the source (for generated-file headers), e.g. `topology.kdl`.
    pub source_name: String,
    pub domain: Option<String>,
    /// Sorted by name.
    pub networks: Vec<Network>,
    /// Sorted by name.
    pub hosts: Vec<Host>,
    pub proxy: Proxy,
    pub tunnel: Option<Tunnel>,
    pub identity: Option<Identity>,
    /// Sorted by name.
    pub dns: Vec<DnsOutput>,
    /// Sorted by name.
    pub services: Vec<Service>,
    /// Where the generated files are deployed (`topo diff` with no arguments).
    pub deploy: Option<Deploy>,
}

impl Topology {
    /// Looks up a host by name. Lowering guarantees every reference resolves.
    pub fn host(&self, name: &str) -> &Host {
        self.hosts
            .iter()
            .find(|h| h.name == name)
            .expect("host references are resolved during lowering")
    }

    pub fn proxy_host(&self) -> &Host {
        self.host(&self.proxy.host)
    }

    /// The proxy host's address, where split DNS and `extra_hosts` point.
    pub fn proxy_host_address(&self) -> std::net::IpAddr {
        self.proxy_host().address
    }

    /// Every `network` CIDR, in declaration-sorted order: the LAN allow-list.
    pub fn lan_cidrs(&self) -> Vec<IpNet> {
        self.networks
            .iter()
            .flat_map(|n| n.cidrs.iter().copied())
            .collect()
    }

    /// The identity provider when it is lan-only (its issuer is not in
    /// public DNS: apps and browsers must reach it through the LAN).
    pub fn lan_only_identity(&self) -> Option<&Identity> {
        self.identity
            .as_ref()
            .filter(|i| i.exposure == super::Exposure::LanOnly)
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        // Services are sorted by name (lowering collects them in a BTreeMap);
        // the linear scan is the fallback for a hand-built model.
        match self
            .services
            .binary_search_by(|s| s.name.as_str().cmp(name))
        {
            Ok(i) => Some(&self.services[i]),
            Err(_) => self.services.iter().find(|s| s.name == name),
        }
    }

    /// Every hostname that split DNS must answer: services and the identity provider.
    pub fn all_hostnames(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .services
            .iter()
            .flat_map(|s| s.hostnames.iter().map(|h| h.as_str()))
            .chain(self.identity.iter().map(|i| i.issuer_host()))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}
