//! Zone files: every BIND zone and the public zone load in `named-checkzone`;
//! the BIND zones are also served by unbound's `auth-zone` and answer every
//! name; the public zone holds exactly the public names as CNAMEs to the tunnel.

use crate::dns::{Built, MULTI_DOMAIN_NAMES};
use crate::support::resolvers;

/// (file under out/dns, zone) for every file whose name matches `prefix`.
fn zone_files(built: &Built, prefix: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(built.out("dns"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.starts_with(prefix) && f.ends_with(".zone"))
        .map(|f| {
            let text = built.read(&format!("dns/{f}"));
            let origin = text
                .lines()
                .find_map(|l| l.strip_prefix("$ORIGIN "))
                .unwrap_or_else(|| panic!("{f} has no $ORIGIN"))
                .trim_end_matches('.')
                .to_string();
            (f, origin)
        })
        .collect();
    files.sort();
    files
}

fn check_zones(test: &str, built: &Built, prefix: &str) -> bool {
    for (file, zone) in zone_files(built, prefix) {
        let Some(verdict) =
            resolvers::named_checkzone(test, &zone, &built.out(&format!("dns/{file}")))
        else {
            return false;
        };
        assert!(
            verdict.as_ref().is_ok_and(|o| o.contains("OK")),
            "named-checkzone {zone} {file}: {verdict:?}"
        );
    }
    true
}

#[test]
fn the_example_zone_loads_and_unbound_serves_it() {
    let test = "the_example_zone_loads_and_unbound_serves_it";
    let built = Built::example();
    assert_eq!(
        zone_files(&built, "lan-zone"),
        [("lan-zone.zone".to_string(), "umi4.life".to_string())]
    );
    if !check_zones(test, &built, "lan-zone") {
        return;
    }
    serve_zones(test, &built, "lan-zone");
}

#[test]
fn multi_domain_names_get_one_zone_per_domain_and_each_loads() {
    let test = "multi_domain_names_get_one_zone_per_domain_and_each_loads";
    let built = Built::fixture("multi-domain");
    let zones: Vec<String> = zone_files(&built, "lan-bind.")
        .into_iter()
        .map(|(_, z)| z)
        .collect();
    assert_eq!(zones, ["example.com", "example.net", "example.org"]);
    if !check_zones(test, &built, "lan-bind.") {
        return;
    }
    serve_zones(test, &built, "lan-bind.");
}

/// Serves every zone file with `prefix` through unbound `auth-zone:` blocks.
fn serve_zones(test: &str, built: &Built, prefix: &str) {
    let body: String = zone_files(built, prefix)
        .into_iter()
        .map(|(file, zone)| {
            format!(
                "auth-zone:\n    name: \"{zone}.\"\n    zonefile: \"{}\"\n    for-downstream: yes\n    for-upstream: no\n    fallback-enabled: no\n",
                built.out(&format!("dns/{file}")).display()
            )
        })
        .collect();
    let Some(unbound) = resolvers::unbound(test, built.dir.path(), &body, built.first_name())
    else {
        return;
    };
    built.assert_served(&unbound, "bind zones");
}

#[test]
fn the_public_zone_holds_only_public_names_as_tunnel_cnames() {
    let test = "the_public_zone_holds_only_public_names_as_tunnel_cnames";
    let built = Built::fixture("multi-domain");
    let files = zone_files(&built, "public.");
    assert_eq!(
        files,
        [
            (
                "public.example.com.zone".to_string(),
                "example.com".to_string()
            ),
            (
                "public.example.org.zone".to_string(),
                "example.org".to_string()
            ),
        ]
    );
    let mut cnames = Vec::new();
    for (file, _) in &files {
        for line in built.read(&format!("dns/{file}")).lines() {
            let fields: Vec<&str> = line.split(';').next().unwrap().split_whitespace().collect();
            if fields.get(2) == Some(&"CNAME") {
                assert_eq!(
                    fields[3],
                    "0b5c1a7e-2f4d-4e8a-9c3b-7d6e5f4a3b2c.cfargotunnel.com."
                );
                cnames.push(fields[0].trim_end_matches('.').to_string());
            }
        }
    }
    // grafana (public-app, two names) and api (/v1 public); never the lan-only
    // home names or the lan-only identity provider.
    assert_eq!(
        cnames,
        [
            "grafana.example.com",
            "api.lab.example.org",
            "metrics.example.org"
        ]
    );
    for lan_only in ["example.com", "nas.home.example.com", "auth.example.net"] {
        assert!(MULTI_DOMAIN_NAMES.contains(&lan_only));
        assert!(
            !cnames.iter().any(|c| c == lan_only),
            "{lan_only} is lan-only"
        );
    }
    check_zones(test, &built, "public.");
}

#[test]
fn the_example_public_zone_loads_and_names_litellm_only() {
    let test = "the_example_public_zone_loads_and_names_litellm_only";
    let built = Built::example();
    let text = built.read("dns/public.zone");
    let records: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(" CNAME ") && !l.starts_with(';'))
        .collect();
    assert_eq!(records.len(), 1, "{text}");
    assert!(records[0].starts_with(
        "litellm.umi4.life. IN CNAME 6ff42ae2-7c4b-4b2e-9d7e-8f0a1b2c3d4e.cfargotunnel.com."
    ));
    for lan_only in ["auth.umi4.life", "hermes.umi4.life", "coder.umi4.life"] {
        assert!(!text.contains(lan_only), "{lan_only} is lan-only");
    }
    check_zones(test, &built, "public");
}
