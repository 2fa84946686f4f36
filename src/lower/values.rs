//! Checking single values (addresses, CIDRs, URLs, hostnames, paths) with the
//! crates that know their grammar; each failure is a diagnostic at the value.

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;
use url::Url;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Hostname, Spanned};

pub fn ip(value: &Spanned<String>, what: &str, diags: &mut Diagnostics) -> Option<IpAddr> {
    match value.value.parse::<IpAddr>() {
        Ok(ip) => Some(ip),
        Err(_) => {
            let help = if value.value.contains('/') {
                "this is a single address, not a network: drop the /prefix".to_string()
            } else {
                "write an IPv4 address such as 192.168.1.30 or an IPv6 address such as fd00::30"
                    .to_string()
            };
            diags.push(
                Diagnostic::error(format!(
                    "`{}` is not a valid IP address ({what})",
                    value.value
                ))
                .at(value.span)
                .label("bad IP address")
                .help(help),
            );
            None
        }
    }
}

pub fn cidr(value: &Spanned<String>, diags: &mut Diagnostics) -> Option<IpNet> {
    if let Ok(net) = value.value.parse::<IpNet>() {
        if net.trunc() != net {
            diags.push(
                Diagnostic::error(format!("`{}` has host bits set", value.value))
                    .at(value.span)
                    .label("not a network address")
                    .help(format!("did you mean `{}`?", net.trunc())),
            );
            return None;
        }
        return Some(net);
    }
    // A bare address is a /32 (or /128): accept it, as Traefik and Authelia do.
    if let Ok(ip) = value.value.parse::<IpAddr>() {
        return Some(IpNet::from(ip));
    }
    diags.push(
        Diagnostic::error(format!("`{}` is not a valid CIDR", value.value))
            .at(value.span)
            .label("bad CIDR")
            .help("write a network such as 192.168.1.0/24 or fd00:8::/64"),
    );
    None
}

pub fn url(value: &Spanned<String>, what: &str, diags: &mut Diagnostics) -> Option<Url> {
    let fail = |diags: &mut Diagnostics, why: String, help: &str| {
        diags.push(
            Diagnostic::error(format!("`{}` is not a valid {what}: {why}", value.value))
                .at(value.span)
                .label("bad URL")
                .help(help.to_string()),
        );
    };
    match Url::parse(&value.value) {
        Ok(url) if !matches!(url.scheme(), "http" | "https") => {
            fail(
                diags,
                format!("scheme `{}` is not http or https", url.scheme()),
                "write it as http://host:port or https://host",
            );
            None
        }
        Ok(url) if url.host_str().is_none_or(str::is_empty) => {
            fail(
                diags,
                "it has no host".into(),
                "write it as http://host:port",
            );
            None
        }
        Ok(url) => Some(url),
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            fail(
                diags,
                "it has no scheme".into(),
                &format!("write it as http://{}", value.value),
            );
            None
        }
        Err(e) => {
            fail(
                diags,
                e.to_string(),
                "write it as http://host:port or https://host",
            );
            None
        }
    }
}

/// A fully qualified domain name: lower-cased, IDNA-normalized, RFC 1123 labels.
pub fn hostname(value: &Spanned<String>, diags: &mut Diagnostics) -> Option<Hostname> {
    let text = value.value.trim_end_matches('.');
    let problem = match url::Host::parse(text) {
        Ok(url::Host::Domain(domain)) => match label_problem(&domain) {
            None => {
                return Some(Hostname {
                    name: domain,
                    span: value.span,
                });
            }
            Some(problem) => problem,
        },
        Ok(_) => "an IP address is not a hostname".to_string(),
        Err(e) => e.to_string(),
    };
    diags.push(
        Diagnostic::error(format!("`{}` is not a valid hostname: {problem}", value.value))
            .at(value.span)
            .label("bad hostname")
            .help("write a fully qualified name such as app.example.com (letters, digits and `-`, dot-separated)"),
    );
    None
}

fn label_problem(domain: &str) -> Option<String> {
    if domain.len() > 253 {
        return Some("longer than 253 characters".into());
    }
    if !domain.contains('.') {
        return Some("it is not fully qualified (no dot)".into());
    }
    for label in domain.split('.') {
        if label.is_empty() {
            return Some("it has an empty label".into());
        }
        if label.len() > 63 {
            return Some(format!("label `{label}` is longer than 63 characters"));
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Some(format!(
                "label `{label}` has characters other than letters, digits and `-`"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(format!("label `{label}` starts or ends with `-`"));
        }
    }
    None
}

pub fn socket_addr(
    value: &Spanned<String>,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<SocketAddr> {
    match value.value.parse::<SocketAddr>() {
        Ok(addr) => Some(addr),
        Err(_) => {
            diags.push(
                Diagnostic::error(format!("`{}` is not a valid {what}", value.value))
                    .at(value.span)
                    .label("expected ADDRESS:PORT")
                    .help("write it as 0.0.0.0:9119 or [::]:9119"),
            );
            None
        }
    }
}

/// An entrypoint address `:443`, `0.0.0.0:443` or `[::]:443`; returns the port.
pub fn listen_port(value: &Spanned<String>, diags: &mut Diagnostics) -> Option<u16> {
    let port = match value.value.strip_prefix(':') {
        Some(port) => port.parse::<u16>().ok(),
        None => value.value.parse::<SocketAddr>().ok().map(|a| a.port()),
    };
    match port {
        Some(p) if p != 0 => Some(p),
        _ => {
            diags.push(
                Diagnostic::error(format!(
                    "`{}` is not a valid entrypoint address",
                    value.value
                ))
                .at(value.span)
                .label("expected :PORT or ADDRESS:PORT")
                .help("write it as \":443\" or \"0.0.0.0:443\""),
            );
            None
        }
    }
}

/// A route path prefix: starts with `/`, no query, no wildcard; normalized
/// without a trailing slash.
pub fn route_path(value: &Spanned<String>, diags: &mut Diagnostics) -> Option<String> {
    let path = &value.value;
    let problem = if !path.starts_with('/') {
        Some((
            "a route path must start with `/`",
            format!("did you mean `/{path}`?"),
        ))
    } else if path.contains("//") {
        Some((
            "a route path must not contain `//`",
            "write each segment once".to_string(),
        ))
    } else if path.contains(['?', '#', '*', ' ', '`', '{', '}', '(', ')', '\\', '"']) {
        Some((
            "a route path is a literal prefix: no query, fragment, wildcard, quotes or spaces",
            "write the prefix itself, e.g. `/v1`: it matches /v1 and everything under /v1/"
                .to_string(),
        ))
    } else if path.split('/').any(|s| s == "." || s == "..") {
        Some((
            "a route path must not contain `.` or `..` segments",
            "write the normalized path".to_string(),
        ))
    } else {
        None
    };
    if let Some((message, help)) = problem {
        diags.push(
            Diagnostic::error(format!("`{path}`: {message}"))
                .at(value.span)
                .label("bad path")
                .help(help),
        );
        return None;
    }
    let trimmed = path.trim_end_matches('/');
    Some(if trimmed.is_empty() {
        "/".to_string()
    } else {
        trimmed.to_string()
    })
}

/// A name used as an identifier in generated files (router names, Compose keys).
pub fn identifier(value: &Spanned<String>, what: &str, diags: &mut Diagnostics) -> Option<String> {
    let ok = !value.value.is_empty()
        && value.value.len() <= 63
        && value
            .value
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && value
            .value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        return Some(value.value.clone());
    }
    diags.push(
        Diagnostic::error(format!("`{}` is not a valid {what} name", value.value))
            .at(value.span)
            .label("bad name")
            .help("use letters, digits, `-` and `_` (at most 63), starting with a letter or digit"),
    );
    None
}
