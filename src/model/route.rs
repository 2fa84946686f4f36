use std::fmt;

use super::{Auth, Exposure, Policy, Span};

/// Which part of a hostname a route covers.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RoutePath {
    /// Everything not claimed by a longer prefix: the service's defaults.
    Root,
    /// A path prefix such as `/v1`: matches `/v1` and `/v1/...`, never `/v1admin`.
    /// Stored without a trailing slash.
    Prefix(String),
}

impl RoutePath {
    pub fn as_str(&self) -> &str {
        match self {
            RoutePath::Root => "/",
            RoutePath::Prefix(p) => p,
        }
    }

    pub fn is_root(&self) -> bool {
        matches!(self, RoutePath::Root)
    }

    /// Number of `/`-separated segments; the root has none. Longer wins.
    pub fn depth(&self) -> usize {
        match self {
            RoutePath::Root => 0,
            RoutePath::Prefix(p) => p.split('/').filter(|s| !s.is_empty()).count(),
        }
    }

    /// True when a request path falls under this route (segment-wise prefix).
    pub fn matches(&self, request_path: &str) -> bool {
        match self {
            RoutePath::Root => true,
            RoutePath::Prefix(p) => {
                request_path == p
                    || (request_path.starts_with(p.as_str())
                        && request_path.as_bytes().get(p.len()) == Some(&b'/'))
            }
        }
    }

    /// True when `self` lies strictly under `other` (so `other` must not claim it).
    pub fn is_under(&self, other: &RoutePath) -> bool {
        self != other && other.matches(self.as_str())
    }
}

impl fmt::Display for RoutePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One path of a service with its resolved exposure and auth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub path: RoutePath,
    pub exposure: Exposure,
    pub auth: Auth,
    /// Authelia policy for `forward-auth` (ignored otherwise).
    pub policy: Policy,
    pub span: Span,
}
