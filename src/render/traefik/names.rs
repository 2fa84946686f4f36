//! Router, middleware and service names: readable (`litellm`, `litellm-v1`,
//! `litellm-v1-tunnel`, `lan-allow`), derived only from the topology so they
//! are stable between builds, and never colliding. Traefik keeps routers,
//! middlewares and services in separate namespaces, so each gets its own
//! [`Namer`].

use std::collections::BTreeSet;

use crate::model::RoutePath;

/// Hands out unique names in the order they are asked for. A clash (two
/// services whose readable names meet, `/V1` next to `/v1`) gets `-2`, `-3`…
/// on the later claimant; the order of claims is the model's sorted order, so
/// the result is deterministic.
#[derive(Default)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    pub fn claim(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_string();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{wanted}-{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// `/v1/models` → `v1-models`; the root has no slug. Lower-case letters and
/// digits survive, everything else becomes one `-`.
pub fn path_slug(path: &RoutePath) -> Option<String> {
    let RoutePath::Prefix(p) = path else {
        return None;
    };
    let mut slug = String::new();
    for c in p.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    Some(if slug.is_empty() {
        "path".to_string()
    } else {
        slug.to_string()
    })
}

/// `llm.umi4.life` → `llm-umi4-life`, to tell a service's extra hostnames apart.
pub fn host_slug(hostname: &str) -> String {
    hostname.replace('.', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clashes_get_numbered_suffixes() {
        let mut namer = Namer::default();
        assert_eq!(namer.claim("litellm-v1"), "litellm-v1");
        assert_eq!(namer.claim("litellm-v1"), "litellm-v1-2");
        assert_eq!(namer.claim("litellm-v1-2"), "litellm-v1-2-2");
        assert_eq!(namer.claim("litellm-v1"), "litellm-v1-3");
    }

    #[test]
    fn slugs_are_readable() {
        let slug = |p: &str| path_slug(&RoutePath::Prefix(p.to_string()));
        assert_eq!(slug("/v1"), Some("v1".into()));
        assert_eq!(slug("/v1/models"), Some("v1-models".into()));
        assert_eq!(slug("/API/v1.2"), Some("api-v1-2".into()));
        assert_eq!(slug("/%%"), Some("path".into()));
        assert_eq!(path_slug(&RoutePath::Root), None);
        assert_eq!(host_slug("llm.umi4.life"), "llm-umi4-life");
    }
}
