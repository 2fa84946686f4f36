use super::Span;

/// A validated, lower-cased fully qualified domain name (no trailing dot).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hostname {
    pub name: String,
    pub span: Span,
}

impl Hostname {
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// True when `self` is `domain` or lies under it.
    pub fn is_under(&self, domain: &str) -> bool {
        self.name == domain
            || (self.name.len() > domain.len()
                && self.name.ends_with(domain)
                && self.name.as_bytes()[self.name.len() - domain.len() - 1] == b'.')
    }
}

impl std::fmt::Display for Hostname {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}
