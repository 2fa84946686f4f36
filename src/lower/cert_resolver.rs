//! `cert-resolver NAME [email=…] [dns-provider=…] [challenge=…] [entrypoint=…]
//! [storage=…] [ca-server=…]`: the ACME resolver of the LAN routers, rendered
//! into traefik.yml's `certificatesResolvers` when it says how certificates
//! are obtained. A bare `cert-resolver "name"` keeps meaning "the routers name
//! this resolver" (TOPO017 warns that nothing defines it).

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Acme, AcmeChallenge, CertResolver, Entrypoint, Spanned};

use super::reader::{NodeReader, keyword};
use super::values;

/// Where the ACME account and certificates live by default: Traefik's own
/// examples use this path; it must be a persistent volume.
pub const DEFAULT_STORAGE: &str = "/letsencrypt/acme.json";

/// The generated static and dynamic files are mounted here (and replaced on
/// every deploy): certificates stored below it would be lost each time.
const GENERATED_MOUNT: &str = "/etc/traefik";

const CHALLENGES: &[&str] = &["dns", "tls", "http"];

pub fn cert_resolver(
    reader: &NodeReader<'_>,
    entrypoints: &[Entrypoint],
    diags: &mut Diagnostics,
) -> Option<CertResolver> {
    let value = reader.arg_str(0, diags)?;
    let name = values::identifier(&value, "cert resolver", diags)?;
    let email = reader.prop_str("email", diags);
    let storage = reader.prop_str("storage", diags);
    let challenge = reader.prop_str("challenge", diags);
    let provider = reader.prop_str("dns-provider", diags);
    let entrypoint = reader.prop_str("entrypoint", diags);
    let ca_server = reader.prop_str("ca-server", diags);
    let any_acme = [
        &email,
        &storage,
        &challenge,
        &provider,
        &entrypoint,
        &ca_server,
    ]
    .iter()
    .any(|p| p.is_some());
    let acme = if any_acme {
        Some(Acme {
            email: email.and_then(|e| email_address(&e, diags)),
            storage: match storage {
                Some(s) => storage_path(&s, diags)?,
                None => DEFAULT_STORAGE.to_string(),
            },
            challenge: acme_challenge(
                reader,
                challenge.as_ref(),
                provider.as_ref(),
                entrypoint.as_ref(),
                entrypoints,
                diags,
            )?,
            ca_server: match ca_server {
                Some(url) => Some(https_url(&url, diags)?),
                None => None,
            },
        })
    } else {
        None
    };
    Some(CertResolver {
        name,
        acme,
        span: value.span,
    })
}

fn acme_challenge(
    reader: &NodeReader<'_>,
    challenge: Option<&Spanned<String>>,
    provider: Option<&Spanned<String>>,
    entrypoint: Option<&Spanned<String>>,
    entrypoints: &[Entrypoint],
    diags: &mut Diagnostics,
) -> Option<AcmeChallenge> {
    let kind = match challenge {
        Some(c) => keyword(
            c,
            "ACME challenge",
            |v| CHALLENGES.iter().copied().find(|k| *k == v),
            CHALLENGES,
            diags,
        )?,
        None if provider.is_some() => "dns",
        None => {
            diags.push(
                Diagnostic::error("the cert resolver does not say how the CA checks the names")
                    .at(reader.name_span())
                    .help("add dns-provider=\"cloudflare\" (DNS-01: works for lan-only names too) or challenge=\"tls\" (TLS-ALPN-01 on port 443)"),
            );
            return None;
        }
    };
    if kind != "dns"
        && let Some(p) = provider
    {
        diags.push(
            Diagnostic::error(format!(
                "dns-provider is only used by the dns challenge, not `{kind}`"
            ))
            .at(p.span)
            .help("remove dns-provider, or write challenge=\"dns\""),
        );
        return None;
    }
    if kind != "http"
        && let Some(e) = entrypoint
    {
        diags.push(
            Diagnostic::error(format!(
                "entrypoint is only used by the http challenge, not `{kind}`"
            ))
            .at(e.span)
            .help("remove entrypoint, or write challenge=\"http\""),
        );
        return None;
    }
    match kind {
        "dns" => {
            let Some(provider) = provider else {
                diags.push(
                    Diagnostic::error("the dns challenge needs a dns-provider")
                        .at(challenge.map_or(reader.name_span(), |c| c.span))
                        .help("name the lego provider of your DNS host: dns-provider=\"cloudflare\" (its credentials go in the proxy's environment, e.g. CF_DNS_API_TOKEN)"),
                );
                return None;
            };
            let valid = !provider.value.is_empty()
                && provider.value.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.')
                });
            if !valid {
                diags.push(
                    Diagnostic::error(format!("`{}` is not a DNS provider code", provider.value))
                        .at(provider.span)
                        .label("not a provider code")
                        .help("use the lego code Traefik documents for your DNS host, in lower case: cloudflare, route53, ovh, duckdns, …"),
                );
                return None;
            }
            Some(AcmeChallenge::Dns {
                provider: provider.value.clone(),
            })
        }
        "tls" => Some(AcmeChallenge::Tls),
        _ => {
            let Some(entrypoint) = entrypoint else {
                diags.push(
                    Diagnostic::error("the http challenge needs the entrypoint that port 80 reaches")
                        .at(challenge.map_or(reader.name_span(), |c| c.span))
                        .help("add entrypoint=\"web\" naming an entrypoint such as `entrypoint \"web\" address=\":80\"`"),
                );
                return None;
            };
            match entrypoints.iter().find(|e| e.name == entrypoint.value) {
                Some(e) if e.tunnel => {
                    diags.push(
                        Diagnostic::error(format!("`{}` is the tunnel's entrypoint: the CA's http requests do not arrive there from port 80", e.name))
                            .at(entrypoint.span)
                            .help("name a LAN entrypoint on port 80, or use dns-provider= (DNS-01)"),
                    );
                    None
                }
                Some(e) => Some(AcmeChallenge::Http {
                    entrypoint: e.name.clone(),
                }),
                None => {
                    let names: Vec<&str> = entrypoints.iter().map(|e| e.name.as_str()).collect();
                    diags.push(
                        Diagnostic::error(format!("no entrypoint `{}`", entrypoint.value))
                            .at(entrypoint.span)
                            .label("not an entrypoint of this proxy")
                            .help(format!("entrypoints: {}", names.join(", "))),
                    );
                    None
                }
            }
        }
    }
}

fn email_address(value: &Spanned<String>, diags: &mut Diagnostics) -> Option<String> {
    let text = value.value.trim();
    let valid = text.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty() && domain.contains('.') && !text.contains(char::is_whitespace)
    });
    if valid {
        return Some(text.to_string());
    }
    diags.push(
        Diagnostic::error(format!("`{}` is not an email address", value.value))
            .at(value.span)
            .label("bad email")
            .help(
                "the CA's contact for this account, such as admin@example.com (or leave email out)",
            ),
    );
    None
}

fn storage_path(value: &Spanned<String>, diags: &mut Diagnostics) -> Option<String> {
    let path = value.value.as_str();
    let error = if !path.starts_with('/') {
        Some("a path inside the proxy's container must be absolute")
    } else if path == GENERATED_MOUNT || path.starts_with(&format!("{GENERATED_MOUNT}/")) {
        Some(
            "/etc/traefik is out/traefik, replaced on every deploy: the certificates would be lost (and Let's Encrypt rate-limits new ones)",
        )
    } else if path.ends_with('/') {
        Some("storage names a file, not a directory")
    } else {
        None
    };
    match error {
        None => Some(path.to_string()),
        Some(why) => {
            diags.push(
                Diagnostic::error(format!("`{path}` cannot hold the ACME certificates: {why}"))
                    .at(value.span)
                    .label("bad storage")
                    .help(format!(
                        "use a file on a persistent volume, such as {DEFAULT_STORAGE}"
                    )),
            );
            None
        }
    }
}

fn https_url(value: &Spanned<String>, diags: &mut Diagnostics) -> Option<String> {
    let url = values::url(value, "ACME directory URL", diags)?;
    if url.scheme() != "https" {
        diags.push(
            Diagnostic::error(format!(
                "`{}` is not https: ACME directories are served over https",
                value.value
            ))
            .at(value.span)
            .help("such as https://acme-staging-v02.api.letsencrypt.org/directory"),
        );
        return None;
    }
    Some(value.value.clone())
}

#[cfg(test)]
mod tests {
    use crate::compile::compile_source;
    use crate::diagnostic::Diagnostics;
    use crate::model::{Acme, AcmeChallenge, CertResolver};
    use crate::profiles::Catalog;
    use crate::source::SourceFile;

    fn resolver(line: &str) -> Result<Option<CertResolver>, Vec<String>> {
        let text = format!(
            "network \"lan\" \"192.168.1.0/24\"\nhost \"d\" address=\"192.168.1.30\"\nproxy \"traefik\" host=\"d\" {{\n    entrypoint \"web\" address=\":80\"\n    entrypoint \"websecure\" address=\":443\"\n    {line}\n}}\n"
        );
        let source = SourceFile::new(std::path::Path::new("t.kdl"), text);
        match compile_source(source, &Catalog::builtin(), Diagnostics::new()) {
            Ok(c) => Ok(c.topology.proxy.cert_resolver),
            Err(f) => Err(f.diagnostics.into_iter().map(|d| d.message).collect()),
        }
    }

    fn acme(line: &str) -> Acme {
        resolver(line).unwrap().unwrap().acme.unwrap()
    }

    #[test]
    fn a_bare_resolver_has_no_acme_settings() {
        let r = resolver(r#"cert-resolver "le""#).unwrap().unwrap();
        assert_eq!((r.name.as_str(), r.acme), ("le", None));
    }

    #[test]
    fn a_dns_provider_implies_the_dns_challenge_and_the_default_storage() {
        let a = acme(r#"cert-resolver "le" dns-provider="cloudflare""#);
        assert_eq!(
            a.challenge,
            AcmeChallenge::Dns {
                provider: "cloudflare".into()
            }
        );
        assert_eq!(a.storage, super::DEFAULT_STORAGE);
        assert_eq!((a.email, a.ca_server), (None, None));
    }

    #[test]
    fn every_setting_is_read() {
        let a = acme(
            r#"cert-resolver "le" email="a@example.com" challenge="http" entrypoint="web" storage="/data/acme.json" ca-server="https://ca.example.com/dir""#,
        );
        assert_eq!(
            a,
            Acme {
                email: Some("a@example.com".into()),
                storage: "/data/acme.json".into(),
                challenge: AcmeChallenge::Http {
                    entrypoint: "web".into()
                },
                ca_server: Some("https://ca.example.com/dir".into()),
            }
        );
        assert_eq!(
            acme(r#"cert-resolver "le" challenge="tls""#).challenge,
            AcmeChallenge::Tls
        );
    }

    #[test]
    fn contradictions_and_bad_values_are_errors() {
        for (line, expected) in [
            (
                r#"cert-resolver "le" challenge="dns""#,
                "needs a dns-provider",
            ),
            (
                r#"cert-resolver "le" challenge="tls" dns-provider="cloudflare""#,
                "only used by the dns challenge",
            ),
            (
                r#"cert-resolver "le" challenge="tls" entrypoint="web""#,
                "only used by the http challenge",
            ),
            (
                r#"cert-resolver "le" challenge="http""#,
                "needs the entrypoint",
            ),
            (
                r#"cert-resolver "le" challenge="http" entrypoint="nope""#,
                "no entrypoint `nope`",
            ),
            (
                r#"cert-resolver "le" challenge="dns-01""#,
                "not a valid ACME challenge",
            ),
            (
                r#"cert-resolver "le" dns-provider="Cloud Flare""#,
                "not a DNS provider code",
            ),
            (
                r#"cert-resolver "le" dns-provider="x" email="nobody""#,
                "not an email address",
            ),
            (
                r#"cert-resolver "le" dns-provider="x" storage="acme.json""#,
                "must be absolute",
            ),
            (
                r#"cert-resolver "le" dns-provider="x" ca-server="http://ca.example.com/""#,
                "is not https",
            ),
        ] {
            let errors = resolver(line).expect_err(line);
            assert!(
                errors.iter().any(|e| e.contains(expected)),
                "{line}: {errors:?}"
            );
        }
    }
}
