//! The public side of split DNS: every public hostname as a proxied CNAME to
//! `<tunnel-id>.cfargotunnel.com`, so a pull request shows what the internet
//! can resolve. lan-only names never appear; the identity provider only when
//! its exposure is public. Zones and file names follow the BIND layout:
//! `dns/public.zone`, or `dns/public.<zone>.zone` per zone when the names span
//! several. It loads in `named-checkzone` (placeholder SOA/NS; Cloudflare
//! serves its own) and imports into Cloudflare (BIND import keeps the
//! `cf_tags=cf-proxied:true` comment); `cloudflared tunnel route dns` lines
//! for each name are in its comments. A CNAME cannot sit at a zone apex in a
//! standard zone file, so an apex name is written as a comment (Cloudflare
//! flattens such a CNAME when it is added in its dashboard).

use serde::Serialize;

use super::records::TTL;
use super::{Context, Files, RenderError, zones};
use crate::model::Tunnel;

#[derive(Serialize)]
struct Name {
    name: String,
    apex: bool,
}

#[derive(Serialize)]
struct View {
    tunnel: String,
    tunnel_id: String,
    target: String,
    zone: String,
    serial: u32,
    ttl: u32,
    names: Vec<Name>,
}

pub fn render(cx: &Context<'_>, tunnel: &Tunnel) -> Result<Files, RenderError> {
    let domain = cx.input.topology.domain.as_deref();
    let public_names: std::collections::HashSet<&str> =
        cx.set.public().map(|r| r.name.as_str()).collect();
    let mut zoned: Vec<(String, Vec<String>)> = zones::assign(cx.set.names(), domain)
        .into_iter()
        .map(|(zone, names)| {
            let public = names
                .into_iter()
                .filter(|n| public_names.contains(n.as_str()))
                .collect();
            (zone, public)
        })
        .filter(|(_, names): &(String, Vec<String>)| !names.is_empty())
        .collect();
    if zoned.is_empty() {
        // Nothing is public: with a domain, say so in an empty zone rather than leave no file.
        match domain {
            Some(d) => zoned.push((d.to_string(), Vec::new())),
            None => return Ok(Files::new()),
        }
    }
    let several = zoned.len() > 1;
    let target = format!("{}.cfargotunnel.com", tunnel.id.to_ascii_lowercase());
    let mut files = Files::new();
    for (zone, names) in zoned {
        let data: Vec<String> = names
            .iter()
            .map(|n| format!("{n} CNAME {target}"))
            .collect();
        let view = View {
            tunnel: tunnel.name.clone(),
            tunnel_id: tunnel.id.clone(),
            target: target.clone(),
            serial: zones::serial(&zone, &data),
            ttl: TTL,
            names: names
                .into_iter()
                .map(|n| Name {
                    apex: n == zone,
                    name: n,
                })
                .collect(),
            zone: zone.clone(),
        };
        files.push((
            zones::file_name("public", &zone, several),
            cx.render("dns/public.zone.j2", &view)?,
        ));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use crate::render::dns::{test_render, tests_common};

    #[test]
    fn public_names_are_cnames_to_the_tunnel_and_lan_only_names_are_absent() {
        let out = test_render(&tests_common::topology("hosts"));
        let text = out.get("dns/public.zone").unwrap();
        let records: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with(';') && !l.starts_with('$') && !l.starts_with('@'))
            .collect();
        assert_eq!(
            records,
            [
                "api.example.com. IN CNAME 6ff42ae2-7c4b-4b2e-9d7e-8f0a1b2c3d4e.cfargotunnel.com. ; cf_tags=cf-proxied:true"
            ]
        );
        assert!(
            !text.contains("auth.example.com"),
            "the lan-only issuer is not public"
        );
    }

    #[test]
    fn the_identity_appears_when_public_and_an_apex_name_is_a_comment() {
        let text = tests_common::topology("hosts")
            .replace(
                "upstream=\"http://authelia:9091\"",
                "upstream=\"http://authelia:9091\" exposure=\"public-app\"",
            )
            .replace(
                "hostname \"api.example.com\"",
                "hostname \"api.example.com\" \"example.com\"",
            );
        let out = test_render(&text);
        let zone = out.get("dns/public.zone").unwrap();
        assert!(
            zone.lines()
                .any(|l| l.starts_with("auth.example.com. IN CNAME "))
        );
        assert!(
            zone.lines()
                .any(|l| l.starts_with("; example.com. IN CNAME "))
        );
        assert!(!zone.lines().any(|l| l.starts_with("example.com.")));
    }

    #[test]
    fn a_bind_node_named_public_is_a_clear_error_not_a_silent_overwrite() {
        // Lowering rejects this name; the renderer still refuses to overwrite
        // the public zone if a model is built some other way.
        let mut topology = crate::render::dns::test_topology(&tests_common::topology("bind"));
        topology.dns[0].name = "public".into();
        let templates = crate::render::Templates::new(None);
        let credentials = crate::secrets::Credentials::new();
        let input = crate::render::RenderInput {
            topology: &topology,
            credentials: &credentials,
            templates: &templates,
        };
        let mut out = crate::output::OutputTree::new();
        let error =
            crate::render::Target::render(&super::super::Dns, &input, &mut out).unwrap_err();
        assert!(error.to_string().contains("dns/public.zone"), "{error}");
        assert!(error.to_string().contains("rename"), "{error}");
    }
}
