//! dnsmasq: one `host-record=NAME,IPv4,IPv6,TTL` per name. `host-record`
//! answers the exact name only; `address=/NAME/` would also answer every
//! name below it (research §0.1). Each name also gets `local=/NAME/`: dnsmasq
//! forwards a type it has no record for (AAAA of an IPv4-only proxy), and
//! the public answer (Cloudflare's AAAA for a tunnelled name) would send
//! IPv6 clients through the tunnel, where lan-only paths answer 404. With it
//! the other family is an empty answer; names below NAME get NXDOMAIN, and
//! the rest of the domain is still forwarded.

use super::{Context, Files, RenderError};
use crate::model::DnsOutput;

pub fn render(cx: &Context<'_>, node: &DnsOutput) -> Result<Files, RenderError> {
    let text = cx.render("dns/dnsmasq.conf.j2", &cx.view(node))?;
    Ok(vec![(format!("dns/{}.conf", node.name), text)])
}

#[cfg(test)]
mod tests {
    use crate::render::dns::test_render;

    #[test]
    fn exact_host_records_with_both_families_and_a_ttl() {
        let out = test_render(&crate::render::dns::tests_common::topology("dnsmasq"));
        let text = out.get("dns/lan.conf").unwrap();
        let records: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect();
        assert_eq!(
            records,
            [
                "local=/api.example.com/",
                "host-record=api.example.com,192.168.1.30,fd00::30,300",
                "local=/auth.example.com/",
                "host-record=auth.example.com,192.168.1.30,fd00::30,300",
            ]
        );
        assert!(
            !text.contains("address="),
            "address= would answer whole subtrees"
        );
    }
}
