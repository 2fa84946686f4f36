//! hosts(5): one `ADDRESS NAME` line per address and name. The same file
//! serves /etc/hosts, dnsmasq `addn-hosts=`, Pi-hole v5 `custom.list`.

use super::{Context, Files, RenderError};
use crate::model::DnsOutput;

pub fn render(cx: &Context<'_>, node: &DnsOutput) -> Result<Files, RenderError> {
    let text = cx.render("dns/hosts.j2", &cx.view(node))?;
    Ok(vec![(format!("dns/{}.hosts", node.name), text)])
}

#[cfg(test)]
mod tests {
    use crate::render::dns::{test_render, tests_common};

    #[test]
    fn one_line_per_address_and_name() {
        let out = test_render(&tests_common::topology("hosts"));
        let text = out.get("dns/lan.hosts").unwrap();
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            lines,
            [
                "192.168.1.30 api.example.com",
                "fd00::30 api.example.com",
                "192.168.1.30 auth.example.com",
                "fd00::30 auth.example.com",
            ]
        );
    }
}
