//! Pi-hole: the v6 `[dns] hosts` array of `pihole.toml` ("IP HOSTNAME" each).
//! v6 ignores /etc/dnsmasq.d and a hand-written v5 `custom.list` (it imports
//! one only when migrating), so v6 is the file; the v5 `custom.list` lines and
//! the `FTLCONF_dns_hosts` env form are written in its comments.

use serde::Serialize;

use super::{Context, Files, NodeView, RenderError};
use crate::model::DnsOutput;

#[derive(Serialize)]
struct View {
    #[serde(flatten)]
    node: NodeView,
    /// The `FTLCONF_dns_hosts` value: entries separated by `;`.
    env_value: String,
}

pub fn render(cx: &Context<'_>, node: &DnsOutput) -> Result<Files, RenderError> {
    let node = cx.view(node);
    let entries: Vec<String> = node
        .records
        .iter()
        .flat_map(|r| {
            r.rr.iter()
                .map(move |a| format!("{} {}", a.address, r.name))
        })
        .collect();
    let name = node.node.clone();
    let text = cx.render(
        "dns/pihole.toml.j2",
        &View {
            node,
            env_value: entries.join(";"),
        },
    )?;
    Ok(vec![(format!("dns/{name}.toml"), text)])
}

#[cfg(test)]
mod tests {
    use crate::render::dns::{test_render, tests_common};

    #[test]
    fn dns_hosts_parse_as_toml_with_every_name_and_address() {
        let out = test_render(&tests_common::topology("pihole"));
        let text = out.get("dns/lan.toml").unwrap();
        let doc: toml::Table = toml::from_str(text).unwrap();
        let hosts: Vec<&str> = doc["dns"]["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(
            hosts,
            [
                "192.168.1.30 api.example.com",
                "fd00::30 api.example.com",
                "192.168.1.30 auth.example.com",
                "fd00::30 auth.example.com",
            ]
        );
        assert!(text.contains("custom.list"), "v5 is documented");
        assert!(text.contains(&format!("FTLCONF_dns_hosts=\"{}\"", hosts.join(";"))));
    }
}
