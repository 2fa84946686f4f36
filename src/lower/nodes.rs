//! The infrastructure nodes: domain, network, host, proxy, tunnel, identity, dns.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{
    DnsFormat, DnsOutput, Entrypoint, Exposure, Host, Identity, Network, Proxy, Spanned,
    TraefikVersion, Tunnel,
};

use super::reader::{NodeReader, keyword};
use super::schema;
use super::values;

const EXPOSURES: &[&str] = &["public-api", "public-app", "lan-only"];

/// The base domain; a second `domain` node is reported when the nodes are joined.
pub fn domain(reader: &NodeReader<'_>, diags: &mut Diagnostics) -> Option<Spanned<String>> {
    let value = reader.arg_str(0, diags)?;
    let name = values::hostname(&value, diags)?;
    Some(Spanned::new(name.name, value.span))
}

pub fn network(
    reader: &NodeReader<'_>,
    diags: &mut Diagnostics,
) -> Option<(Spanned<String>, Network)> {
    let name = reader.arg_str(0, diags)?;
    let ident = values::identifier(&name, "network", diags)?;
    let cidrs: Vec<_> = reader
        .args_str(1, diags)
        .iter()
        .filter_map(|c| values::cidr(c, diags))
        .collect();
    let network = Network {
        name: ident,
        cidrs,
        span: reader.name_span(),
    };
    Some((name, network))
}

pub fn host(reader: &NodeReader<'_>, diags: &mut Diagnostics) -> Option<(Spanned<String>, Host)> {
    let name = reader.arg_str(0, diags);
    let address = reader
        .require_str("address", "192.168.1.30", diags)
        .and_then(|a| values::ip(&a, "address", diags));
    let address6 = reader.prop_str("address6", diags).and_then(|a| {
        let ip = values::ip(&a, "address6", diags)?;
        match ip {
            std::net::IpAddr::V6(v6) => Some(v6),
            std::net::IpAddr::V4(_) => {
                diags.push(
                    Diagnostic::error(format!(
                        "`address6` must be an IPv6 address, not `{}`",
                        a.value
                    ))
                    .at(a.span)
                    .help("put the IPv4 address in `address`"),
                );
                None
            }
        }
    });
    let docker = reader
        .prop_bool("docker", diags)
        .map(|b| b.value)
        .unwrap_or(false);
    let name = name?;
    let ident = values::identifier(&name, "host", diags)?;
    Some((
        name,
        Host {
            name: ident,
            address: address?,
            address6,
            docker,
            span: reader.name_span(),
        },
    ))
}

pub fn proxy(reader: &NodeReader<'_>, diags: &mut Diagnostics) -> Option<Proxy> {
    let name = reader.arg_str(0, diags);
    let host = reader.require_str("host", "docker1", diags);
    if let Some(kind) = reader.prop_str("kind", diags)
        && kind.value != "traefik"
    {
        diags.push(
            Diagnostic::error(format!("proxy kind `{}` is not supported", kind.value))
                .at(kind.span)
                .help("v1 supports kind=\"traefik\" (the default)"),
        );
    }
    let version = match reader.prop_str("version", diags) {
        None => TraefikVersion::default(),
        Some(v) => match TraefikVersion::parse(&v.value) {
            Some(parsed) if parsed.is_supported() => parsed,
            _ => {
                diags.push(
                    Diagnostic::error(format!("Traefik version `{}` is not supported", v.value))
                        .at(v.span)
                        .label("unsupported version")
                        .help(format!(
                            "topo renders for Traefik {}.{} to {}.{}: write the deployed version, e.g. \"3.7\" or \"3.6.9\"",
                            TraefikVersion::OLDEST.major,
                            TraefikVersion::OLDEST.minor,
                            TraefikVersion::NEWEST.major,
                            TraefikVersion::NEWEST.minor
                        )),
                );
                TraefikVersion::default()
            }
        },
    };

    let mut entrypoints: Vec<Entrypoint> = Vec::new();
    for node in reader.children("entrypoint") {
        let spec = schema::find(schema::PROXY_CHILDREN, "entrypoint").expect("spec exists");
        let ep = NodeReader::new(node, spec, &[], diags);
        let Some(ep_name) = ep.arg_str(0, diags) else {
            continue;
        };
        let Some(ident) = values::identifier(&ep_name, "entrypoint", diags) else {
            continue;
        };
        let address = ep.require_str("address", ":443", diags);
        let port = address.as_ref().and_then(|a| values::listen_port(a, diags));
        let tunnel = ep
            .prop_bool("tunnel", diags)
            .map(|b| b.value)
            .unwrap_or(false);
        if ident == "traefik" {
            diags.push(
                Diagnostic::error("an entrypoint may not be called `traefik`")
                    .at(ep_name.span)
                    .help("Traefik reserves that name for its API and dashboard; pick another"),
            );
            continue;
        }
        if entrypoints.iter().any(|e| e.name == ident) {
            diags.push(
                Diagnostic::error(format!("duplicate entrypoint name `{ident}`"))
                    .at(ep_name.span)
                    .help("entrypoint names must be unique"),
            );
            continue;
        }
        if let (Some(address), Some(port)) = (address, port) {
            if let Some(other) = entrypoints.iter().find(|e| e.port == port) {
                diags.push(
                    Diagnostic::error(format!(
                        "entrypoint `{ident}` uses port {port} like `{}`",
                        other.name
                    ))
                    .at(address.span)
                    .help("two entrypoints cannot listen on the same port"),
                );
            }
            entrypoints.push(Entrypoint {
                name: ident,
                address: address.value,
                port,
                tunnel,
                span: ep.name_span(),
            });
        }
    }
    if entrypoints.is_empty() && reader.children("entrypoint").next().is_none() {
        diags.push(
            Diagnostic::error("the proxy has no entrypoint")
                .at(reader.name_span())
                .help("add at least one: entrypoint \"websecure\" address=\":443\""),
        );
    }
    entrypoints.sort_by(|a, b| a.name.cmp(&b.name));

    let mut trusted_ips = Vec::new();
    let mut trusted_ips_span = None;
    for node in reader.children("trusted-ips") {
        let spec = schema::find(schema::PROXY_CHILDREN, "trusted-ips").expect("spec exists");
        let t = NodeReader::new(node, spec, &[], diags);
        trusted_ips_span.get_or_insert(t.name_span());
        trusted_ips.extend(
            t.args_str(0, diags)
                .iter()
                .filter_map(|c| values::cidr(c, diags)),
        );
    }
    let mut cert_resolver = None;
    for node in reader.children("cert-resolver") {
        let spec = schema::find(schema::PROXY_CHILDREN, "cert-resolver").expect("spec exists");
        let c = NodeReader::new(node, spec, &[], diags);
        if cert_resolver.is_some() {
            diags.push(
                Diagnostic::error("a second `cert-resolver`")
                    .at(c.name_span())
                    .help("keep one"),
            );
        } else if let Some(resolver) = super::cert_resolver::cert_resolver(&c, &entrypoints, diags)
        {
            cert_resolver = Some(resolver);
        }
    }
    let name = name?;
    Some(Proxy {
        name: values::identifier(&name, "proxy", diags)?,
        host_span: host.as_ref()?.span,
        host: host?.value,
        version,
        entrypoints,
        trusted_ips,
        trusted_ips_span,
        cert_resolver,
        span: reader.name_span(),
    })
}

pub fn tunnel(reader: &NodeReader<'_>, diags: &mut Diagnostics) -> Option<Tunnel> {
    let name = reader.arg_str(0, diags);
    let host = reader.require_str("host", "docker1", diags);
    let id = reader.require_str("id", "6ff42ae2-7c4b-4b2e-9d7e-8f0a1b2c3d4e", diags);
    let credentials = reader.require_str("credentials-file", "/etc/cloudflared/<id>.json", diags);
    if let Some(kind) = reader.prop_str("kind", diags)
        && kind.value != "cloudflared"
    {
        diags.push(
            Diagnostic::error(format!("tunnel kind `{}` is not supported", kind.value))
                .at(kind.span)
                .help("v1 supports kind=\"cloudflared\" (the default)"),
        );
    }
    if let Some(id) = &id {
        let ok = id.value.len() == 36
            && id.value.bytes().enumerate().all(|(i, b)| {
                if matches!(i, 8 | 13 | 18 | 23) {
                    b == b'-'
                } else {
                    b.is_ascii_hexdigit()
                }
            });
        if !ok {
            diags.push(
                Diagnostic::error(format!("`{}` is not a tunnel id", id.value))
                    .at(id.span)
                    .label("expected a UUID")
                    .help("the id is the UUID `cloudflared tunnel list` prints, e.g. 6ff42ae2-7c4b-4b2e-9d7e-8f0a1b2c3d4e"),
            );
        }
    }
    if let Some(c) = &credentials
        && !c.value.starts_with('/')
    {
        diags.push(
            Diagnostic::error(format!(
                "credentials-file `{}` must be an absolute path",
                c.value
            ))
            .at(c.span)
            .help("cloudflared resolves it on the tunnel host, e.g. /etc/cloudflared/<id>.json"),
        );
    }
    let name = name?;
    Some(Tunnel {
        name: values::identifier(&name, "tunnel", diags)?,
        host_span: host.as_ref()?.span,
        host: host?.value,
        id: id?.value.to_lowercase(),
        credentials_file: credentials?.value,
        span: reader.name_span(),
    })
}

pub fn identity(reader: &NodeReader<'_>, diags: &mut Diagnostics) -> Option<Identity> {
    let name = reader.arg_str(0, diags);
    let host = reader.require_str("host", "docker1", diags);
    let issuer_value = reader.require_str("issuer", "https://auth.example.com", diags);
    let issuer = issuer_value
        .as_ref()
        .and_then(|i| values::url(i, "issuer URL", diags));
    let upstream = reader
        .require_str("upstream", "http://authelia:9091", diags)
        .and_then(|u| values::url(&u, "upstream URL", diags));
    let exposure = match reader.prop_str("exposure", diags) {
        None => Some(Exposure::LanOnly),
        Some(e) => keyword(&e, "exposure class", Exposure::parse, EXPOSURES, diags),
    };
    if let Some(kind) = reader.prop_str("kind", diags)
        && kind.value != "authelia"
    {
        diags.push(
            Diagnostic::error(format!("identity kind `{}` is not supported", kind.value))
                .at(kind.span)
                .help("v1 supports kind=\"authelia\" (the default)"),
        );
    }
    let name = name?;
    Some(Identity {
        name: values::identifier(&name, "identity", diags)?,
        host_span: host.as_ref()?.span,
        host: host?.value,
        issuer: issuer?,
        issuer_span: issuer_value?.span,
        upstream: upstream?,
        exposure: exposure?,
        span: reader.name_span(),
    })
}

pub fn dns(
    reader: &NodeReader<'_>,
    diags: &mut Diagnostics,
) -> Option<(Spanned<String>, DnsOutput)> {
    let name = reader.arg_str(0, diags);
    let formats: Vec<&str> = DnsFormat::ALL.iter().map(|f| f.keyword()).collect();
    let format = reader
        .require_str("format", "dnsmasq", diags)
        .and_then(|f| keyword(&f, "DNS format", DnsFormat::parse, &formats, diags));
    let name = name?;
    let ident = values::identifier(&name, "dns", diags)?;
    if ident == "public" && format == Some(DnsFormat::Bind) {
        // out/dns/public.zone holds the tunnel's public records.
        diags.push(
            Diagnostic::error("a bind `dns` output may not be called `public`")
                .at(name.span)
                .help("out/dns/public.zone is the tunnel's public zone; pick another name, e.g. dns \"lan\""),
        );
        return None;
    }
    Some((
        name,
        DnsOutput {
            name: ident,
            format: format?,
            span: reader.name_span(),
        },
    ))
}
