use std::collections::BTreeMap;

use serde::Deserialize;

/// How the OIDC settings reach the app.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    /// Environment variables in the Compose override.
    #[default]
    Env,
    /// A file, a CLI or the app's UI: the exact steps go into ROUTES.md.
    Manual,
}

/// One application's OIDC contract.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Profile {
    /// Set from the file name.
    #[serde(skip)]
    pub name: String,
    /// Human name, used as the Authelia `client_name`.
    pub display_name: String,
    /// Callback path appended to `https://` + the first hostname.
    pub callback: String,
    pub scopes: Vec<String>,
    /// Authelia `token_endpoint_auth_method` the app uses.
    pub token_endpoint_auth_method: String,
    /// Whether the app sends PKCE (S256).
    #[serde(default)]
    pub pkce: bool,
    #[serde(default = "default_userinfo_alg")]
    pub userinfo_signed_response_alg: String,
    #[serde(default)]
    pub delivery: Delivery,
    /// The env var that receives the client secret (rendered as `${VAR}`).
    #[serde(default)]
    pub secret_env: Option<String>,
    /// Env var name → value template (minijinja; see the profile docs for the
    /// variables: `client_id`, `issuer`, `authorization_endpoint`, `token_endpoint`,
    /// `userinfo_endpoint`, `discovery_url`, `base_url`, `redirect_uri`, `scopes`).
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Steps for apps configured by file, CLI or UI (a minijinja template).
    #[serde(default)]
    pub manual_steps: Option<String>,
}

fn default_userinfo_alg() -> String {
    "none".into()
}
