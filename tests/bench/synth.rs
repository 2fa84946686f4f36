//! Synthetic topologies of N services with a realistic mix: every exposure
//! class and auth mode, several hosts (Docker and VMs), multi-path services,
//! OIDC clients. Used by the benchmarks and the scaling tests; also
//! `cargo run --release --example synth -- 500 > big.kdl`.
#![allow(dead_code)]

use std::fmt::Write as _;

/// OIDC profiles the generator cycles through (all built in).
pub const PROFILES: &[&str] = &[
    "litellm",
    "grafana",
    "open-webui",
    "gitea",
    "outline",
    "mealie",
    "portainer",
    "generic",
];

/// A valid argon2id PHC string with Authelia's parameters (the test vector
/// of `../shared/research/authelia.md`): the lock's hash for every client.
pub const LOCKED_HASH: &str = "$argon2id$v=19$m=65536,t=3,p=4$AAECAwQFBgcICQoLDA0ODw$B0mpg0LMF1bHh6JST3S+wssSppUigJ/4vRVxS5nKbTE";

/// Whether service `i` of [`topology`] is an OIDC client.
fn is_oidc_client(i: usize) -> bool {
    i % 6 == 1
}

/// A `topo.lock` holding a hash for every OIDC client of `topology(n)`, so a
/// build reuses them (zero argon2 work), as in a repository with history.
pub fn lock(n: usize) -> String {
    let mut out = String::from("version = 1\n");
    for i in (0..n).filter(|&i| is_oidc_client(i)) {
        let _ = write!(
            out,
            "\n[oidc-clients.svc{i}]\nclient-secret-hash = \"{LOCKED_HASH}\"\n"
        );
    }
    out
}

/// A valid topology with `n` services.
pub fn topology(n: usize) -> String {
    let mut out = String::with_capacity(n * 220 + 1024);
    out.push_str("domain \"bench.example.com\"\n");
    out.push_str(
        "network \"lan\" \"192.168.0.0/16\"\nnetwork \"vpn\" \"10.8.0.0/24\" \"fd00:8::/64\"\n",
    );
    let hosts = n / 50 + 2;
    out.push_str("host \"edge\" address=\"192.168.0.2\" address6=\"fd00::2\" docker=#true\n");
    for h in 0..hosts {
        let docker = if h % 3 == 2 { "#false" } else { "#true" };
        let _ = writeln!(
            out,
            "host \"h{h}\" address=\"192.168.{}.{}\" docker={docker}",
            1 + h / 250,
            1 + h % 250
        );
    }
    out.push_str(
        "proxy \"traefik\" host=\"edge\" version=\"3.7\" {\n    entrypoint \"websecure\" address=\":443\"\n    entrypoint \"tunnel\" address=\":8443\" tunnel=#true\n    trusted-ips \"172.18.0.0/16\"\n    cert-resolver \"le\" email=\"admin@bench.example.com\" dns-provider=\"cloudflare\"\n}\n",
    );
    out.push_str("tunnel \"cf\" host=\"edge\" id=\"6ff42ae2-7c4b-4b2e-9d7e-8f0a1b2c3d4e\" credentials-file=\"/etc/cloudflared/cf.json\"\n");
    out.push_str("identity \"authelia\" host=\"edge\" issuer=\"https://auth.bench.example.com\" upstream=\"http://authelia:9091\"\n");
    for format in [
        "dnsmasq", "unbound", "hosts", "adguard", "pihole", "bind", "coredns",
    ] {
        let _ = writeln!(out, "dns \"{format}\" format=\"{format}\"");
    }
    for i in 0..n {
        let host = format!("h{}", i % hosts);
        // VMs are reached by address; containers by name.
        let upstream = if (i % hosts) % 3 == 2 {
            format!(
                "http://192.168.{}.{}:{}",
                1 + (i % hosts) / 250,
                1 + (i % hosts) % 250,
                8000 + i % 1000
            )
        } else {
            format!("http://svc{i}:8080")
        };
        let _ = writeln!(
            out,
            "service \"svc{i}\" host=\"{host}\" upstream=\"{upstream}\" {{"
        );
        let _ = writeln!(out, "    hostname \"svc{i}.bench.example.com\"");
        match i % 6 {
            0 => out.push_str("    exposure \"lan-only\"\n    auth \"forward-auth\" policy=\"two_factor\"\n"),
            1 => {
                let profile = PROFILES[i % PROFILES.len()];
                let _ = write!(
                    out,
                    "    exposure \"lan-only\"\n    auth \"oidc\"\n    route \"/v1\" exposure=\"public-api\" auth=\"app\"\n    route \"/health\" exposure=\"public-api\" auth=\"none\"\n    oidc profile=\"{profile}\"\n    env \"FORWARDED_ALLOW_IPS\" \"192.168.0.2\"\n"
                );
            }
            2 => out.push_str("    exposure \"public-app\"\n    auth \"app\"\n    route \"/admin\" exposure=\"lan-only\" auth=\"forward-auth\"\n"),
            3 => out.push_str("    exposure \"public-api\"\n    auth \"app\"\n"),
            4 => {
                let _ = writeln!(out, "    hostname \"alt{i}.bench.example.com\"");
                out.push_str("    exposure \"lan-only\"\n    auth \"forward-auth\"\n    route \"/api\" exposure=\"lan-only\" auth=\"app\"\n");
            }
            _ => out.push_str("    exposure \"public-app\"\n    auth \"app\"\n    route \"/metrics\" exposure=\"lan-only\" auth=\"none\"\n"),
        }
        out.push_str("}\n");
    }
    out
}
