use std::fmt;

/// Who checks identity on a route (spec: "Auth mode").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Auth {
    None,
    App,
    ForwardAuth,
    Oidc,
}

impl Auth {
    pub const ALL: [Auth; 4] = [Auth::None, Auth::App, Auth::ForwardAuth, Auth::Oidc];

    pub fn keyword(self) -> &'static str {
        match self {
            Auth::None => "none",
            Auth::App => "app",
            Auth::ForwardAuth => "forward-auth",
            Auth::Oidc => "oidc",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.keyword() == text)
    }
}

impl fmt::Display for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// An Authelia authorization policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[derive(Default)]
pub enum Policy {
    #[default]
    OneFactor,
    TwoFactor,
}

impl Policy {
    pub const ALL: [Policy; 2] = [Policy::OneFactor, Policy::TwoFactor];

    pub fn keyword(self) -> &'static str {
        match self {
            Policy::OneFactor => "one_factor",
            Policy::TwoFactor => "two_factor",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.keyword() == text)
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}
