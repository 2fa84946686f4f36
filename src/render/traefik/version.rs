//! Which optional keys the deployed Traefik accepts. One unknown key makes the
//! file provider reject the whole dynamic file (at startup no `@file` router
//! loads at all), so every key newer than Traefik 3.0 is emitted only when the
//! proxy's `version` knows it.

use crate::model::TraefikVersion;

/// A key that not every supported Traefik accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// `forwardAuth.maxResponseBodySize` (CHANGELOG #12694, v3.6.9). Without it
    /// 3.7 warns and reads auth responses of any size.
    ForwardAuthMaxResponseBodySize,
}

impl Gate {
    /// The first release that accepts the key.
    pub fn since(self) -> TraefikVersion {
        match self {
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
}
