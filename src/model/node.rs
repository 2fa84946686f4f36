//! The small infrastructure nodes: hosts, the proxy, the tunnel, the identity
//! provider and the DNS outputs.

use std::net::{IpAddr, Ipv6Addr};
use std::sync::Arc;

use ipnet::IpNet;
use url::Url;

use super::{Exposure, Policy, Span, TraefikVersion};
use crate::profiles::Profile;

/// A machine (VM, box, container host).
#[derive(Clone, Debug)]
pub struct Host {
    pub name: String,
    pub address: IpAddr,
    /// An extra IPv6 address, served as AAAA in split DNS.
    pub address6: Option<Ipv6Addr>,
    /// When set, a Compose override is rendered for this host.
    pub docker: bool,
    pub span: Span,
}

impl Host {
    pub fn ipv4(&self) -> Option<IpAddr> {
        self.address.is_ipv4().then_some(self.address)
    }

    /// The IPv6 address, from `address6` or from `address` when it is IPv6.
    pub fn ipv6(&self) -> Option<Ipv6Addr> {
        self.address6.or(match self.address {
            IpAddr::V6(v6) => Some(v6),
            IpAddr::V4(_) => None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Entrypoint {
    pub name: String,
    /// As written, e.g. `:443` or `0.0.0.0:443`.
    pub address: String,
    pub port: u16,
    /// Only the tunnel connector arrives here: never serves lan-only routes.
    pub tunnel: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Proxy {
    pub name: String,
    pub host: String,
    pub host_span: Span,
    pub version: TraefikVersion,
    /// Sorted by name.
    pub entrypoints: Vec<Entrypoint>,
    pub trusted_ips: Vec<IpNet>,
    pub trusted_ips_span: Option<Span>,
    pub cert_resolver: Option<CertResolver>,
    pub span: Span,
}

/// `cert-resolver`: the ACME resolver the LAN routers get certificates from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertResolver {
    pub name: String,
    /// How Traefik gets the certificates. `None` for a bare
    /// `cert-resolver "name"`: traefik.yml then does not define it (TOPO017).
    pub acme: Option<Acme>,
    pub span: Span,
}

/// The `certificatesResolvers.<name>.acme` block of traefik.yml.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acme {
    pub email: Option<String>,
    /// Where Traefik keeps the account and certificates: a persistent volume,
    /// never under the generated `/etc/traefik`.
    pub storage: String,
    pub challenge: AcmeChallenge,
    /// Another ACME directory (Let's Encrypt staging, a private CA).
    pub ca_server: Option<String>,
}

/// How the CA checks that we control a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AcmeChallenge {
    /// DNS-01 through a lego DNS provider (`cloudflare`, `route53`, …): the
    /// only one that works for names the internet cannot reach.
    Dns { provider: String },
    /// TLS-ALPN-01 on port 443 of the proxy.
    Tls,
    /// HTTP-01 on port 80, answered on `entrypoint`.
    Http { entrypoint: String },
}

impl Proxy {
    pub fn lan_entrypoints(&self) -> impl Iterator<Item = &Entrypoint> {
        self.entrypoints.iter().filter(|e| !e.tunnel)
    }

    pub fn tunnel_entrypoints(&self) -> impl Iterator<Item = &Entrypoint> {
        self.entrypoints.iter().filter(|e| e.tunnel)
    }
}

#[derive(Clone, Debug)]
pub struct Tunnel {
    pub name: String,
    pub host: String,
    pub host_span: Span,
    pub id: String,
    pub credentials_file: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Identity {
    pub name: String,
    pub host: String,
    pub host_span: Span,
    /// `https://auth.example.com`, no path.
    pub issuer: Url,
    pub issuer_span: Span,
    pub upstream: Url,
    pub exposure: Exposure,
    pub span: Span,
}

impl Identity {
    pub fn issuer_host(&self) -> &str {
        self.issuer.host_str().unwrap_or_default()
    }

    /// The issuer without a trailing slash, the base of every endpoint.
    pub fn issuer_base(&self) -> String {
        self.issuer.as_str().trim_end_matches('/').to_string()
    }

    pub fn endpoint(&self, path: &str) -> String {
        format!("{}{}", self.issuer_base(), path)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DnsFormat {
    Dnsmasq,
    Unbound,
    Hosts,
    Adguard,
    Pihole,
    Bind,
    Coredns,
}

impl DnsFormat {
    pub const ALL: [DnsFormat; 7] = [
        DnsFormat::Dnsmasq,
        DnsFormat::Unbound,
        DnsFormat::Hosts,
        DnsFormat::Adguard,
        DnsFormat::Pihole,
        DnsFormat::Bind,
        DnsFormat::Coredns,
    ];

    pub fn keyword(self) -> &'static str {
        match self {
            DnsFormat::Dnsmasq => "dnsmasq",
            DnsFormat::Unbound => "unbound",
            DnsFormat::Hosts => "hosts",
            DnsFormat::Adguard => "adguard",
            DnsFormat::Pihole => "pihole",
            DnsFormat::Bind => "bind",
            DnsFormat::Coredns => "coredns",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.keyword() == text)
    }
}

#[derive(Clone, Debug)]
pub struct DnsOutput {
    pub name: String,
    pub format: DnsFormat,
    pub span: Span,
}

/// How an `oidc` service consumes the identity provider.
#[derive(Clone, Debug)]
pub struct Oidc {
    pub profile: Arc<Profile>,
    pub policy: Policy,
    /// Overrides the profile's callback path.
    pub redirect_path: Option<String>,
    /// Overrides the profile's scopes.
    pub scopes: Option<Vec<String>>,
    /// Overrides the profile's PKCE setting.
    pub pkce: Option<bool>,
    pub span: Span,
}

impl Oidc {
    pub fn callback_path(&self) -> &str {
        self.redirect_path
            .as_deref()
            .unwrap_or(&self.profile.callback)
    }

    pub fn scopes(&self) -> &[String] {
        self.scopes.as_deref().unwrap_or(&self.profile.scopes)
    }

    pub fn pkce(&self) -> bool {
        self.pkce.unwrap_or(self.profile.pkce)
    }
}
