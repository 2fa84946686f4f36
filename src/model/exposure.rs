use std::fmt;

/// Who may reach a route (spec: "Exposure class").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exposure {
    /// Machine clients with API keys; internet and LAN, through the tunnel.
    PublicApi,
    /// A web app for humans; internet and LAN, through the tunnel.
    PublicApp,
    /// LAN/VPN networks only; never on a tunnel entrypoint, never in public DNS.
    LanOnly,
}

impl Exposure {
    pub const ALL: [Exposure; 3] = [Exposure::PublicApi, Exposure::PublicApp, Exposure::LanOnly];

    pub fn keyword(self) -> &'static str {
        match self {
            Exposure::PublicApi => "public-api",
            Exposure::PublicApp => "public-app",
            Exposure::LanOnly => "lan-only",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.keyword() == text)
    }

    pub fn is_public(self) -> bool {
        !matches!(self, Exposure::LanOnly)
    }
}

impl fmt::Display for Exposure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}
