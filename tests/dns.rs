//! Split DNS served by the real resolvers: dnsmasq and unbound load the
//! generated files on a 127.0.0.1 high port and `dig` gets, for every hostname
//! of the example topology and of a multi-domain topology, the proxy host's
//! address (A) and its IPv6 address (AAAA) or an empty NOERROR answer.

use std::path::PathBuf;

use crate::support::resolvers::{self, Resolver};
use crate::support::{Project, repo_root};

/// A built project and what its split DNS must answer.
pub struct Built {
    pub project: Project,
    /// Every hostname of every service and of the identity provider.
    pub names: Vec<String>,
    pub ipv4: Option<String>,
    pub ipv6: Option<String>,
    pub dir: tempfile::TempDir,
}

impl Built {
    pub fn example() -> Self {
        Self::build(Project::example())
    }

    /// `tests/fixtures/dns/<name>.kdl`, built.
    pub fn fixture(name: &str) -> Self {
        Self::build(Project::with_topology(&fixture_text(name)))
    }

    /// The multi-domain fixture with an IPv4-only proxy host: AAAA must be empty, not forwarded.
    pub fn multi_domain_ipv4_only() -> Self {
        let text = fixture_text("multi-domain").replace(r#" address6="fd00::30""#, "");
        Self::build(Project::with_topology(&text))
    }

    fn build(project: Project) -> Self {
        project.run(&["build"]).assert_code(0);
        // The oracle is the model's own list, not the DNS renderer.
        let compiled = topo::compile::compile_file(&project.join("topology.kdl"))
            .unwrap_or_else(|_| panic!("the topology compiles"));
        let t = compiled.topology;
        let host = t.proxy_host();
        Self {
            names: t.all_hostnames().into_iter().map(str::to_owned).collect(),
            ipv4: host.ipv4().map(|a| a.to_string()),
            ipv6: host.ipv6().map(|a| a.to_string()),
            project,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn out(&self, rel: &str) -> PathBuf {
        self.project.join("out").join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        self.project.read(&format!("out/{rel}"))
    }

    /// Every name gets exactly the proxy host's addresses, A and AAAA (an
    /// empty NOERROR answer when the host has no address of that family).
    pub fn assert_served(&self, resolver: &Resolver, what: &str) {
        assert!(!self.names.is_empty());
        for name in &self.names {
            for (kind, want) in [("A", &self.ipv4), ("AAAA", &self.ipv6)] {
                let got = resolver.query(name, kind);
                let want: Vec<String> = want.iter().cloned().collect();
                assert_eq!(got.status, "NOERROR", "{what}: {name} {kind}: {got:?}");
                assert_eq!(got.data, want, "{what}: {name} {kind}");
            }
        }
    }

    pub fn first_name(&self) -> &str {
        &self.names[0]
    }
}

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(
        repo_root()
            .join("tests/fixtures/dns")
            .join(format!("{name}.kdl")),
    )
    .unwrap()
}

/// The multi-domain fixture's names, written out so the oracle is not only the model.
pub const MULTI_DOMAIN_NAMES: [&str; 6] = [
    "api.lab.example.org",
    "auth.example.net",
    "example.com",
    "grafana.example.com",
    "metrics.example.org",
    "nas.home.example.com",
];

#[test]
fn the_multi_domain_oracle_lists_every_service_and_identity_name() {
    let built = Built::fixture("multi-domain");
    assert_eq!(built.names, MULTI_DOMAIN_NAMES);
    assert_eq!(built.ipv4.as_deref(), Some("192.168.1.30"));
    assert_eq!(built.ipv6.as_deref(), Some("fd00::30"));
}

fn dnsmasq_serves(built: &Built, conf: &str, test: &str) {
    let Some(dnsmasq) = resolvers::dnsmasq(
        test,
        built.dir.path(),
        Some(&built.out(conf)),
        &[],
        built.first_name(),
    ) else {
        return;
    };
    built.assert_served(&dnsmasq, conf);
    // Exact names only: a name below a listed one is not answered with the proxy.
    for name in &built.names {
        let below = dnsmasq.query(&format!("x.{name}"), "A");
        assert!(below.data.is_empty(), "dnsmasq answers x.{name}: {below:?}");
    }
}

#[test]
fn dnsmasq_serves_the_example() {
    dnsmasq_serves(
        &Built::example(),
        "dns/lan.conf",
        "dnsmasq_serves_the_example",
    );
}

#[test]
fn dnsmasq_serves_the_multi_domain_topology() {
    let test = "dnsmasq_serves_the_multi_domain_topology";
    dnsmasq_serves(
        &Built::fixture("multi-domain"),
        "dns/lan-dnsmasq.conf",
        test,
    );
    let v4 = Built::multi_domain_ipv4_only();
    assert!(v4.ipv6.is_none());
    dnsmasq_serves(&v4, "dns/lan-dnsmasq.conf", test);
}

fn unbound_serves(built: &Built, conf: &str, test: &str) {
    let include = format!("include: \"{}\"", built.out(conf).display());
    let check = resolvers::unbound_config(built.dir.path(), resolvers::dns_port(), &include);
    let Some(verdict) = resolvers::unbound_checkconf(test, &check) else {
        return;
    };
    assert!(
        verdict.is_ok(),
        "unbound-checkconf rejects {conf}: {verdict:?}"
    );
    let Some(unbound) = resolvers::unbound(test, built.dir.path(), &include, built.first_name())
    else {
        return;
    };
    built.assert_served(&unbound, conf);
}

#[test]
fn unbound_accepts_and_serves_the_example() {
    unbound_serves(
        &Built::example(),
        "dns/lan-unbound.conf",
        "unbound_accepts_and_serves_the_example",
    );
}

#[test]
fn unbound_accepts_and_serves_the_multi_domain_topology() {
    let test = "unbound_accepts_and_serves_the_multi_domain_topology";
    unbound_serves(
        &Built::fixture("multi-domain"),
        "dns/lan-unbound.conf",
        test,
    );
    unbound_serves(
        &Built::multi_domain_ipv4_only(),
        "dns/lan-unbound.conf",
        test,
    );
}

#[test]
fn the_hosts_file_parses_line_by_line_and_dnsmasq_serves_it() {
    let test = "the_hosts_file_parses_line_by_line_and_dnsmasq_serves_it";
    let built = Built::fixture("multi-domain");
    let entries = parse_hosts(&built.read("dns/lan-hosts.hosts"));
    let mut expected = Vec::new();
    for name in MULTI_DOMAIN_NAMES {
        expected.push(("192.168.1.30".to_string(), name.to_string()));
        expected.push(("fd00::30".to_string(), name.to_string()));
    }
    assert_eq!(entries, expected);
    let hosts = format!(
        "--addn-hosts={}",
        built.out("dns/lan-hosts.hosts").display()
    );
    let Some(dnsmasq) =
        resolvers::dnsmasq(test, built.dir.path(), None, &[hosts], built.first_name())
    else {
        return;
    };
    built.assert_served(&dnsmasq, "hosts file");
}

/// hosts(5): `ADDRESS NAME…` per line, `#` comments. Panics on a malformed line.
pub fn parse_hosts(text: &str) -> Vec<(String, String)> {
    let mut entries = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        let mut fields = line.split_whitespace();
        let address = fields.next().unwrap();
        let ip: std::net::IpAddr = address
            .parse()
            .unwrap_or_else(|_| panic!("bad address in {line:?}"));
        let names: Vec<&str> = fields.collect();
        assert!(!names.is_empty(), "no name in {line:?}");
        for name in names {
            let valid = name.contains('.')
                && name.split('.').all(|l| {
                    !l.is_empty()
                        && l.len() <= 63
                        && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                });
            assert!(valid, "bad hostname {name:?} in {line:?}");
            entries.push((ip.to_string(), name.to_string()));
        }
    }
    entries
}
