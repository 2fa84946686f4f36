//! What the language allows where: node names, their properties and children.
//! Unknown names are checked against these lists for "did you mean" hints.

/// One kind of node: how many arguments, which properties, which children.
pub struct NodeSpec {
    pub name: &'static str,
    /// Minimum and maximum number of positional arguments (`usize::MAX`: any).
    pub args: (usize, usize),
    /// What the arguments are, for "missing value" messages.
    pub args_hint: &'static str,
    pub properties: &'static [&'static str],
    pub children: &'static [&'static str],
}

pub const TOP_LEVEL: &[NodeSpec] = &[
    NodeSpec {
        name: "domain",
        args: (1, 1),
        args_hint: "domain \"example.com\"",
        properties: &[],
        children: &[],
    },
    NodeSpec {
        name: "network",
        args: (2, usize::MAX),
        args_hint: "network \"lan\" \"192.168.1.0/24\"",
        properties: &[],
        children: &[],
    },
    NodeSpec {
        name: "host",
        args: (1, 1),
        args_hint: "host \"docker1\" address=\"192.168.1.30\"",
        properties: &["address", "address6", "docker"],
        children: &[],
    },
    NodeSpec {
        name: "proxy",
        args: (1, 1),
        args_hint: "proxy \"traefik\" host=\"docker1\" { ... }",
        properties: &["host", "kind", "version"],
        children: &["entrypoint", "trusted-ips", "cert-resolver"],
    },
    NodeSpec {
        name: "tunnel",
        args: (1, 1),
        args_hint: "tunnel \"cloudflare\" host=\"docker1\" id=\"…\" credentials-file=\"…\"",
        properties: &["host", "id", "credentials-file", "kind"],
        children: &[],
    },
    NodeSpec {
        name: "identity",
        args: (1, 1),
        args_hint: "identity \"authelia\" host=\"docker1\" issuer=\"https://auth.example.com\" upstream=\"http://authelia:9091\"",
        properties: &["host", "issuer", "upstream", "exposure", "kind"],
        children: &[],
    },
    NodeSpec {
        name: "dns",
        args: (1, 1),
        args_hint: "dns \"lan\" format=\"dnsmasq\"",
        properties: &["format"],
        children: &[],
    },
    NodeSpec {
        name: "service",
        args: (1, 1),
        args_hint: "service \"app\" host=\"docker1\" upstream=\"http://app:8080\" { ... }",
        properties: &["host", "upstream", "listen", "container"],
        children: &[
            "hostname", "exposure", "auth", "route", "oidc", "env", "allow",
        ],
    },
    NodeSpec {
        name: "deploy",
        args: (0, 0),
        args_hint: "deploy root=\"/srv/topo\" { path \"traefik\" \"/etc/traefik\" }",
        properties: &["root"],
        children: &["path"],
    },
];

pub const DEPLOY_CHILDREN: &[NodeSpec] = &[NodeSpec {
    name: "path",
    args: (2, 2),
    args_hint: "path \"traefik/dynamic\" \"/etc/traefik/dynamic\"",
    properties: &[],
    children: &[],
}];

pub const PROXY_CHILDREN: &[NodeSpec] = &[
    NodeSpec {
        name: "entrypoint",
        args: (1, 1),
        args_hint: "entrypoint \"websecure\" address=\":443\"",
        properties: &["address", "tunnel"],
        children: &[],
    },
    NodeSpec {
        name: "trusted-ips",
        args: (1, usize::MAX),
        args_hint: "trusted-ips \"172.18.0.0/16\"",
        properties: &[],
        children: &[],
    },
    NodeSpec {
        name: "cert-resolver",
        args: (1, 1),
        args_hint: "cert-resolver \"letsencrypt\" email=\"admin@example.com\" dns-provider=\"cloudflare\"",
        properties: &[
            "email",
            "dns-provider",
            "challenge",
            "entrypoint",
            "storage",
            "ca-server",
        ],
        children: &[],
    },
];

pub const SERVICE_CHILDREN: &[NodeSpec] = &[
    NodeSpec {
        name: "hostname",
        args: (1, usize::MAX),
        args_hint: "hostname \"app.example.com\"",
        properties: &[],
        children: &[],
    },
    NodeSpec {
        name: "exposure",
        args: (1, 1),
        args_hint: "exposure \"lan-only\"",
        properties: &[],
        children: &[],
    },
    NodeSpec {
        name: "auth",
        args: (1, 1),
        args_hint: "auth \"forward-auth\" policy=\"one_factor\"",
        properties: &["policy"],
        children: &[],
    },
    NodeSpec {
        name: "route",
        args: (1, 1),
        args_hint: "route \"/v1\" exposure=\"public-api\" auth=\"app\"",
        properties: &["exposure", "auth", "policy"],
        children: &[],
    },
    NodeSpec {
        name: "oidc",
        args: (0, 0),
        args_hint: "oidc profile=\"litellm\"",
        properties: &["profile", "policy", "redirect-path", "scopes", "pkce"],
        children: &["scopes"],
    },
    NodeSpec {
        name: "env",
        args: (2, 2),
        args_hint: "env \"KEY\" \"value\"",
        properties: &[],
        children: &[],
    },
    NodeSpec {
        name: "allow",
        args: (1, usize::MAX),
        args_hint: "allow \"TOPO003\"",
        properties: &[],
        children: &[],
    },
];

pub const OIDC_CHILDREN: &[NodeSpec] = &[NodeSpec {
    name: "scopes",
    args: (1, usize::MAX),
    args_hint: "scopes \"openid\" \"profile\"",
    properties: &[],
    children: &[],
}];

pub fn find<'a>(specs: &'a [NodeSpec], name: &str) -> Option<&'a NodeSpec> {
    specs.iter().find(|s| s.name == name)
}
