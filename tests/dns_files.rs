//! The split-DNS formats no Debian resolver reads directly: AdGuard Home's
//! rewrites, Pi-hole's TOML and CoreDNS's hosts file. Each parses with a real
//! parser and says the right thing; the hosts-format ones are also served by
//! dnsmasq the way Pi-hole's FTL does (`addn-hosts`).

use crate::dns::{Built, MULTI_DOMAIN_NAMES, parse_hosts};
use crate::support::resolvers;

/// (name, address) for every name and both families of the multi-domain fixture.
fn expected_pairs() -> Vec<(String, String)> {
    MULTI_DOMAIN_NAMES
        .iter()
        .flat_map(|n| {
            [
                (n.to_string(), "192.168.1.30".to_string()),
                (n.to_string(), "fd00::30".to_string()),
            ]
        })
        .collect()
}

#[test]
fn adguard_rewrites_parse_and_every_one_is_enabled() {
    let built = Built::fixture("multi-domain");
    let doc: serde_yaml::Value = serde_yaml::from_str(&built.read("dns/lan-adguard.yaml")).unwrap();
    assert_eq!(doc["filtering"]["rewrites_enabled"].as_bool(), Some(true));
    let rewrites = doc["filtering"]["rewrites"]
        .as_sequence()
        .expect("a list of rewrites");
    let mut pairs = Vec::new();
    for r in rewrites {
        assert_eq!(
            r["enabled"].as_bool(),
            Some(true),
            "a rewrite without enabled: true is skipped: {r:?}"
        );
        let domain = r["domain"].as_str().unwrap();
        assert!(!domain.contains('*'), "exact names only: {domain}");
        pairs.push((
            domain.to_string(),
            r["answer"].as_str().unwrap().to_string(),
        ));
    }
    assert_eq!(pairs, expected_pairs());
}

#[test]
fn pihole_toml_parses_and_its_dns_hosts_are_served_like_ftl_does() {
    let test = "pihole_toml_parses_and_its_dns_hosts_are_served_like_ftl_does";
    for built in [
        Built::fixture("multi-domain"),
        Built::multi_domain_ipv4_only(),
    ] {
        let text = built.read("dns/lan-pihole.toml");
        let doc: toml::Table = toml::from_str(&text).expect("pihole.toml fragment is TOML");
        let hosts = strings(&doc["dns"]["hosts"]);
        let pairs: Vec<(String, String)> = hosts
            .iter()
            .map(|h| {
                let (ip, name) = h.split_once(' ').expect("\"IP HOSTNAME\"");
                (name.to_string(), ip.to_string())
            })
            .collect();
        let want: Vec<(String, String)> = expected_pairs()
            .into_iter()
            .filter(|(_, ip)| built.ipv6.is_some() || !ip.contains(':'))
            .collect();
        assert_eq!(pairs, want);
        let lines = strings(&doc["misc"]["dnsmasq_lines"]);
        let local: Vec<String> = MULTI_DOMAIN_NAMES
            .iter()
            .map(|n| format!("local=/{n}/"))
            .collect();
        assert_eq!(lines, local, "every name stays local");
        assert!(
            text.contains("/etc/pihole/custom.list"),
            "Pi-hole v5 is documented"
        );

        // FTL writes dns.hosts to a hosts file read as addn-hosts, dnsmasq_lines to its config.
        let list = built.dir.path().join("custom.list");
        std::fs::write(
            &list,
            hosts.iter().map(|h| format!("{h}\n")).collect::<String>(),
        )
        .unwrap();
        let conf = built.dir.path().join("dnsmasq_lines.conf");
        std::fs::write(
            &conf,
            lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
        )
        .unwrap();
        let arg = format!("--addn-hosts={}", list.display());
        let Some(dnsmasq) = resolvers::dnsmasq(
            test,
            built.dir.path(),
            Some(&conf),
            &[arg],
            built.first_name(),
        ) else {
            return;
        };
        built.assert_served(&dnsmasq, "pihole dns.hosts");
    }
}

fn strings(value: &toml::Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("each entry a string").to_string())
        .collect()
}

#[test]
fn coredns_hosts_file_is_hosts5_and_the_corefile_loads_it_with_fallthrough() {
    let test = "coredns_hosts_file_is_hosts5_and_the_corefile_loads_it_with_fallthrough";
    let built = Built::fixture("multi-domain");
    let pairs: Vec<(String, String)> = parse_hosts(&built.read("dns/lan-coredns.hosts"))
        .into_iter()
        .map(|(ip, name)| (name, ip))
        .collect();
    assert_eq!(pairs, expected_pairs());

    let corefile = built.read("dns/lan-coredns.Corefile");
    let block: Vec<&str> = corefile
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::trim)
        .collect();
    let at = block
        .iter()
        .position(|l| *l == "hosts /etc/coredns/lan-coredns.hosts {")
        .expect("hosts block");
    let end = at + block[at..].iter().position(|l| *l == "}").unwrap();
    assert!(
        block[at..end].contains(&"fallthrough"),
        "other names must pass on"
    );
    assert_eq!(corefile.matches('{').count(), corefile.matches('}').count());

    let arg = format!(
        "--addn-hosts={}",
        built.out("dns/lan-coredns.hosts").display()
    );
    let Some(dnsmasq) =
        resolvers::dnsmasq(test, built.dir.path(), None, &[arg], built.first_name())
    else {
        return;
    };
    built.assert_served(&dnsmasq, "coredns hosts file");
}

#[test]
fn every_format_lists_the_same_names_on_an_ipv4_only_example() {
    // The example's proxy host has no IPv6 address: no format may invent AAAA.
    let built = Built::example();
    assert!(built.ipv6.is_none());
    for file in ["dns/lan.conf", "dns/lan-unbound.conf", "dns/lan-zone.zone"] {
        let text: String = built
            .read(file)
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with(';'))
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(
            !text.contains("AAAA") && !text.contains("::"),
            "{file} has IPv6 data:\n{text}"
        );
        for name in &built.names {
            assert!(text.contains(name.as_str()), "{file} lacks {name}");
        }
    }
}
