//! BIND (any RFC 1035 primary): one zone file per zone, with SOA and NS so it
//! loads. Zones come from [`super::zones`]: one zone → `dns/<name>.zone`;
//! names spanning several zones → `dns/<name>.<zone>.zone` each. The SOA
//! serial is a hash of the zone's records, so it is stable across builds and
//! changes when they do. NS is `localhost.`, as in BIND's own local zones:
//! it adds no name to the zone. Such a server is authoritative for the whole
//! zone: LAN names not in the topology get NXDOMAIN from it (documented in
//! the file), unlike the per-name formats.

use serde::Serialize;

use super::records::{RecordView, TTL};
use super::{Context, Files, RenderError, zones};
use crate::model::DnsOutput;

#[derive(Serialize)]
struct View {
    node: String,
    proxy_host: String,
    zone: String,
    file: String,
    serial: u32,
    ttl: u32,
    records: Vec<RecordView>,
}

pub fn render(cx: &Context<'_>, node: &DnsOutput) -> Result<Files, RenderError> {
    let zoned = zones::assign(cx.set.names(), cx.input.topology.domain.as_deref());
    let several = zoned.len() > 1;
    // Each record to its zone in one pass (records keep their sorted order).
    let zone_of: std::collections::HashMap<&str, &str> = zoned
        .iter()
        .flat_map(|(zone, names)| names.iter().map(move |n| (n.as_str(), zone.as_str())))
        .collect();
    let mut by_zone: std::collections::BTreeMap<&str, Vec<RecordView>> =
        std::collections::BTreeMap::new();
    for record in &cx.set.records {
        if let Some(zone) = zone_of.get(record.name.as_str()) {
            by_zone
                .entry(zone)
                .or_default()
                .push(RecordView::from(record));
        }
    }
    let mut files = Files::new();
    for (zone, records) in by_zone {
        let data: Vec<String> = records
            .iter()
            .flat_map(|r| {
                r.rr.iter()
                    .map(move |a| format!("{} {TTL} {} {}", r.name, a.kind, a.address))
            })
            .collect();
        let path = zones::file_name(&node.name, zone, several);
        let view = View {
            node: node.name.clone(),
            proxy_host: cx.set.proxy_host.clone(),
            zone: zone.to_string(),
            file: path.trim_start_matches("dns/").to_string(),
            serial: zones::serial(zone, &data),
            ttl: TTL,
            records,
        };
        files.push((path, cx.render("dns/bind.zone.j2", &view)?));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use crate::render::dns::{test_render, tests_common};

    fn data_lines(text: &str) -> Vec<&str> {
        text.lines()
            .filter(|l| !l.starts_with(';') && !l.starts_with('$') && !l.starts_with('@'))
            .collect()
    }

    #[test]
    fn one_zone_with_soa_ns_and_every_record() {
        let out = test_render(&tests_common::topology("bind"));
        let text = out.get("dns/lan.zone").unwrap();
        assert!(text.contains("$ORIGIN example.com.\n"));
        assert!(text.contains("@ IN SOA localhost. hostmaster.example.com. ("));
        assert!(text.contains("@ IN NS localhost.\n"));
        assert_eq!(
            data_lines(text),
            [
                "api.example.com. IN A 192.168.1.30",
                "api.example.com. IN AAAA fd00::30",
                "auth.example.com. IN A 192.168.1.30",
                "auth.example.com. IN AAAA fd00::30",
            ]
        );
    }

    #[test]
    fn several_domains_give_one_file_per_zone_and_the_serial_follows_the_data() {
        let text = tests_common::topology("bind")
            .replace("domain \"example.com\"", "")
            .replace("https://auth.example.com", "https://auth.example.net");
        let out = test_render(&text);
        let paths: Vec<&str> = out.paths().filter(|p| p.starts_with("dns/lan")).collect();
        assert_eq!(
            paths,
            ["dns/lan.example.com.zone", "dns/lan.example.net.zone"]
        );
        let serial = |out: &crate::output::OutputTree| {
            let t = out.get("dns/lan.example.com.zone").unwrap();
            t.split("( ")
                .nth(1)
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
                .to_string()
        };
        assert_eq!(serial(&out), serial(&test_render(&text)), "deterministic");
        let moved =
            test_render(&text.replace("address=\"192.168.1.30\"", "address=\"192.168.1.31\""));
        assert_ne!(serial(&out), serial(&moved), "changes with the records");
    }
}
