//! CoreDNS: a hosts-plugin file (hosts(5) lines, exact names, A/AAAA) and the
//! Corefile server block that loads it with `fallthrough`, so names it does
//! not list keep resolving through the next plugin.

use super::{Context, Files, RenderError};
use crate::model::DnsOutput;

pub fn render(cx: &Context<'_>, node: &DnsOutput) -> Result<Files, RenderError> {
    let view = cx.view(node);
    Ok(vec![
        (
            format!("dns/{}.hosts", node.name),
            cx.render("dns/coredns.hosts.j2", &view)?,
        ),
        (
            format!("dns/{}.Corefile", node.name),
            cx.render("dns/coredns.Corefile.j2", &view)?,
        ),
    ])
}

#[cfg(test)]
mod tests {
    use crate::render::dns::{test_render, tests_common};

    #[test]
    fn a_hosts_file_and_a_corefile_that_loads_it_with_fallthrough() {
        let out = test_render(&tests_common::topology("coredns"));
        let hosts = out.get("dns/lan.hosts").unwrap();
        assert!(hosts.lines().any(|l| l == "fd00::30 auth.example.com"));
        let corefile = out.get("dns/lan.Corefile").unwrap();
        assert!(corefile.contains("hosts /etc/coredns/lan.hosts {"));
        assert!(corefile.contains("fallthrough"));
        assert!(corefile.contains("ttl 300"));
    }
}
