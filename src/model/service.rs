use std::collections::BTreeMap;
use std::net::SocketAddr;

use url::Url;

use super::{Auth, Exposure, Hostname, Oidc, Route, Span, Spanned};

/// An application reached through the proxy.
#[derive(Clone, Debug)]
pub struct Service {
    pub name: String,
    pub span: Span,
    /// Name of the `host` it runs on (resolved).
    pub host: String,
    pub host_span: Span,
    /// Where the proxy sends requests.
    pub upstream: Spanned<Url>,
    /// What the process binds, when declared.
    pub listen: Option<Spanned<SocketAddr>>,
    /// Compose service name (default: the service name).
    pub container: String,
    /// One or more FQDNs; the first is the canonical public URL.
    pub hostnames: Vec<Hostname>,
    /// `routes[0]` is always the root route carrying the service defaults;
    /// the rest are path overrides sorted by path.
    pub routes: Vec<Route>,
    pub oidc: Option<Oidc>,
    /// Extra environment for the container, sorted by key.
    pub env: BTreeMap<String, String>,
    /// Lint codes silenced on purpose (`allow "TOPO003"`).
    pub allow: Vec<String>,
}

impl Service {
    pub fn root(&self) -> &Route {
        &self.routes[0]
    }

    pub fn canonical_hostname(&self) -> &Hostname {
        &self.hostnames[0]
    }

    /// `https://` + the first hostname, the app's public base URL.
    pub fn base_url(&self) -> String {
        format!("https://{}", self.canonical_hostname())
    }

    pub fn has_exposure(&self, exposure: Exposure) -> bool {
        self.routes.iter().any(|r| r.exposure == exposure)
    }

    pub fn has_auth(&self, auth: Auth) -> bool {
        self.routes.iter().any(|r| r.auth == auth)
    }

    /// The route that serves `request_path` (longest matching prefix).
    pub fn route_for(&self, request_path: &str) -> &Route {
        self.routes
            .iter()
            .filter(|r| r.path.matches(request_path))
            .max_by_key(|r| r.path.depth())
            .unwrap_or(self.root())
    }

    /// True when any route mixes classes on one hostname (public and lan-only).
    pub fn mixes_classes(&self) -> bool {
        let public = self.routes.iter().any(|r| r.exposure.is_public());
        let lan = self.routes.iter().any(|r| !r.exposure.is_public());
        public && lan
    }
}
