use std::fmt;

/// The deployed Traefik version, so only keys it accepts are emitted
/// (one unknown key makes Traefik drop the whole file).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TraefikVersion {
    pub major: u16,
    pub minor: u16,
    pub patch: u16,
}

impl TraefikVersion {
    pub const OLDEST: TraefikVersion = TraefikVersion::new(3, 0, 0);
    pub const NEWEST: TraefikVersion = TraefikVersion::new(3, 7, 0);

    pub const fn new(major: u16, minor: u16, patch: u16) -> Self {
        Self {
            major,
            minor,
            patch,
        }
    }

    /// Parses `3.7` or `3.6.9`. A missing patch means `.0`: when only the
    /// minor is known, assume the oldest release of it.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.strip_prefix('v').unwrap_or(text);
        let mut parts = text.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        let patch = match parts.next() {
            Some(p) => p.parse().ok()?,
            None => 0,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Self::new(major, minor, patch))
    }

    pub fn is_supported(self) -> bool {
        self.major == 3 && self.minor <= Self::NEWEST.minor
    }

    pub fn at_least(self, major: u16, minor: u16, patch: u16) -> bool {
        self >= Self::new(major, minor, patch)
    }
}

impl Default for TraefikVersion {
    fn default() -> Self {
        Self::NEWEST
    }
}

impl fmt::Display for TraefikVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}
