//! Where the generated files live on the machine that runs them, so that
//! `topo diff` on that machine needs no arguments.

use super::Span;

/// The optional `deploy` node: `out/`-relative paths → deployed locations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deploy {
    /// Where the whole `out/` tree is mirrored, as written (relative paths are
    /// relative to the topology's directory). Files no `path` maps go here.
    pub root: Option<String>,
    /// Per-file or per-directory mappings, sorted by `source`.
    pub paths: Vec<DeployPath>,
    pub span: Span,
}

/// `path "traefik/dynamic" "/etc/traefik/dynamic"`: a file or a directory of `out/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeployPath {
    /// Relative to `out/`, `/`-separated, no trailing slash.
    pub source: String,
    /// The deployed location, as written.
    pub target: String,
    pub span: Span,
}

impl Deploy {
    /// The deployed location of the `out/`-relative file `rel`: the longest
    /// `path` that is the file or one of its directories wins, then `root`.
    /// `None`: this file is not deployed (e.g. `ROUTES.md` with no root).
    pub fn location(&self, rel: &str) -> Option<String> {
        let best = self
            .paths
            .iter()
            .filter(|p| covers(&p.source, rel))
            .max_by_key(|p| p.source.len());
        match best {
            Some(p) if p.source == rel => Some(p.target.clone()),
            Some(p) => Some(join(&p.target, &rel[p.source.len() + 1..])),
            None => self.root.as_ref().map(|root| join(root, rel)),
        }
    }
}

/// True when `source` is `rel` itself or a directory above it.
fn covers(source: &str, rel: &str) -> bool {
    rel == source || (rel.starts_with(source) && rel.as_bytes().get(source.len()) == Some(&b'/'))
}

fn join(dir: &str, rel: &str) -> String {
    format!("{}/{rel}", dir.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deploy(root: Option<&str>, paths: &[(&str, &str)]) -> Deploy {
        Deploy {
            root: root.map(str::to_string),
            paths: paths
                .iter()
                .map(|(s, t)| DeployPath {
                    source: s.to_string(),
                    target: t.to_string(),
                    span: Span::default(),
                })
                .collect(),
            span: Span::default(),
        }
    }

    #[test]
    fn longest_mapping_wins_then_root() {
        let d = deploy(
            Some("/srv/topo/"),
            &[
                ("traefik", "/etc/traefik"),
                ("traefik/dynamic/topo.yml", "/data/topo.yml"),
            ],
        );
        assert_eq!(
            d.location("traefik/traefik.yml").as_deref(),
            Some("/etc/traefik/traefik.yml")
        );
        assert_eq!(
            d.location("traefik/dynamic/topo.yml").as_deref(),
            Some("/data/topo.yml")
        );
        assert_eq!(
            d.location("ROUTES.md").as_deref(),
            Some("/srv/topo/ROUTES.md")
        );
        assert_eq!(
            d.location("traefikx/a").as_deref(),
            Some("/srv/topo/traefikx/a")
        );
    }

    #[test]
    fn unmapped_files_without_root_are_not_deployed() {
        let d = deploy(None, &[("authelia", "/etc/authelia")]);
        assert_eq!(d.location("ROUTES.md"), None);
        assert_eq!(
            d.location("authelia/configuration.topo.yml").as_deref(),
            Some("/etc/authelia/configuration.topo.yml")
        );
    }
}
