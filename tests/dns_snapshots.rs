//! Review aids: the whole `out/dns/` and `out/cloudflared/` of the test
//! topologies as insta snapshots (the meaning is asserted elsewhere).

use crate::dns::Built;

fn tree(built: &Built) -> String {
    let mut text = String::new();
    for dir in ["dns", "cloudflared"] {
        for (path, bytes) in crate::support::snapshot(&built.out(dir)) {
            text.push_str(&format!(
                "=== {dir}/{path}\n{}\n",
                String::from_utf8(bytes).unwrap()
            ));
        }
    }
    text
}

#[test]
fn snapshots_of_the_generated_dns_and_tunnel_files() {
    insta::with_settings!({ snapshot_path => "fixtures/dns/snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("multi-domain", tree(&Built::fixture("multi-domain")));
        insta::assert_snapshot!("mixed-tunnel", tree(&Built::fixture("mixed-tunnel")));
    });
}
