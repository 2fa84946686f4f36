//! What the deployed Traefik accepts and does. One unknown key makes the file
//! provider reject the whole dynamic file (at startup no `@file` router loads
//! at all), so every key newer than Traefik 3.0 is emitted only when the
//! proxy's `version` knows it; behaviour older releases lack is made up for
//! in the rules.

use crate::model::TraefikVersion;

/// A key or behaviour that not every supported Traefik has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Request paths are sanitized before rules match (`/v1/../admin` is
    /// `/admin`; traefik docs migrate/v3.md § v3.3.6). Older releases match
    /// the raw path and forward it as is.
    SanitizedPaths,
    /// `forwardAuth.maxResponseBodySize` (CHANGELOG #12694, v3.6.9). Without it
    /// 3.7 warns and reads auth responses of any size.
    ForwardAuthMaxResponseBodySize,
}

impl Gate {
    /// The first release that accepts the key.
    pub fn since(self) -> TraefikVersion {
        match self {
            Gate::SanitizedPaths => TraefikVersion::new(3, 3, 6),
            Gate::ForwardAuthMaxResponseBodySize => TraefikVersion::new(3, 6, 9),
        }
    }

    pub fn open_for(self, version: TraefikVersion) -> bool {
        version >= self.since()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_response_body_size_needs_3_6_9() {
        let gate = Gate::ForwardAuthMaxResponseBodySize;
        assert!(!gate.open_for(TraefikVersion::new(3, 0, 0)));
        assert!(!gate.open_for(TraefikVersion::new(3, 6, 8)));
        assert!(gate.open_for(TraefikVersion::new(3, 6, 9)));
        assert!(gate.open_for(TraefikVersion::new(3, 7, 0)));
    }

    #[test]
    fn paths_are_sanitized_from_3_3_6() {
        let gate = Gate::SanitizedPaths;
        assert!(!gate.open_for(TraefikVersion::new(3, 3, 5)));
        assert!(gate.open_for(TraefikVersion::new(3, 3, 6)));
    }
}
