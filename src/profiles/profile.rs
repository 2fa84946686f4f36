use std::collections::BTreeMap;

use serde::Deserialize;

use super::vars::ProfileVars;

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

/// One application's OIDC contract: a TOML file, `src/profiles/builtin/NAME.toml`
/// (built in) or `profiles/NAME.toml` beside the topology (wins over a built-in
/// of the same name). The format is documented in `docs/profiles.md`.
///
/// ```toml
/// display-name = "Grafana"                       # Authelia client_name ("" = the service name)
/// callback = "/login/generic_oauth"              # redirect URI = https:// + first hostname + this
/// scopes = ["openid", "profile", "email", "groups"]
/// token-endpoint-auth-method = "client_secret_basic"   # or client_secret_post: what the app sends
/// pkce = true                                    # the app sends an S256 PKCE challenge
/// consent-mode = "implicit"                      # auto | explicit | implicit | pre-configured
/// userinfo-signed-response-alg = "none"          # JSON userinfo; most apps cannot parse a JWT
/// delivery = "env"                               # env | manual
/// secret-env = "GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET"   # gets ${SERVICE_OIDC_CLIENT_SECRET}
/// manual-steps = "…"                             # delivery = "manual": steps (template)
///
/// [env]                                          # name = value template (minijinja)
/// GF_SERVER_ROOT_URL = "{{ base_url }}"
/// GF_AUTH_GENERIC_OAUTH_API_URL = "{{ userinfo_endpoint }}"
/// ```
///
/// Template variables (see [`ProfileVars`]): `service`, `container`, `client_id`,
/// `client_name`, `issuer`, `discovery_url`, `authorization_endpoint`,
/// `token_endpoint`, `userinfo_endpoint`, `jwks_uri`, `base_url`, `hostname`,
/// `redirect_uri`, `callback`, `scopes` (a list), `pkce` (a bool),
/// `token_endpoint_auth_method`, `secret_var`, `secret_env_file`, `secret_command`.
/// An env value that renders empty is left out.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Profile {
    /// Set from the file name.
    #[serde(skip)]
    pub name: String,
    /// Human name, used as the Authelia `client_name`; empty means the service name.
    #[serde(default)]
    pub display_name: String,
    /// Callback path appended to `https://` + the first hostname.
    pub callback: String,
    pub scopes: Vec<String>,
    /// Authelia `token_endpoint_auth_method` the app uses.
    pub token_endpoint_auth_method: String,
    /// Whether the app sends PKCE (S256).
    #[serde(default)]
    pub pkce: bool,
    /// Authelia `consent_mode`; `implicit` skips the consent page for these
    /// first-party apps.
    #[serde(default = "default_consent_mode")]
    pub consent_mode: String,
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

fn default_consent_mode() -> String {
    "implicit".into()
}

/// Methods that work with a hashed secret: `client_secret_jwt` needs the
/// plaintext in Authelia, `private_key_jwt` a key pair, `none` a public client.
const AUTH_METHODS: &[&str] = &["client_secret_basic", "client_secret_post"];
const CONSENT_MODES: &[&str] = &["auto", "explicit", "implicit", "pre-configured"];
const USERINFO_ALGS: &[&str] = &[
    "none", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512",
];
/// The scopes Authelia's configuration schema accepts.
pub const KNOWN_SCOPES: &[&str] = &[
    "openid",
    "offline_access",
    "profile",
    "email",
    "address",
    "phone",
    "groups",
    "authelia.bearer.authz",
];

impl Profile {
    /// Checks what TOML cannot: allowed values, env names and that every
    /// template renders with the documented variables.
    pub fn validate(&self) -> Result<(), String> {
        let one_of = |what: &str, value: &str, allowed: &[&str]| {
            if allowed.contains(&value) {
                Ok(())
            } else {
                Err(format!(
                    "{what} `{value}` is not one of: {}",
                    allowed.join(", ")
                ))
            }
        };
        // A callback that is not a path is lint TOPO007 (redirect-uri-off-host), an error with its own docs.
        if !self.scopes.iter().any(|s| s == "openid") {
            return Err("scopes must include `openid`".into());
        }
        for scope in &self.scopes {
            one_of("scope", scope, KNOWN_SCOPES)?;
        }
        one_of(
            "token-endpoint-auth-method",
            &self.token_endpoint_auth_method,
            AUTH_METHODS,
        )?;
        one_of("consent-mode", &self.consent_mode, CONSENT_MODES)?;
        one_of(
            "userinfo-signed-response-alg",
            &self.userinfo_signed_response_alg,
            USERINFO_ALGS,
        )?;
        for name in self.secret_env.iter().chain(self.env.keys()) {
            if !is_env_name(name) {
                return Err(format!("`{name}` is not a valid environment variable name"));
            }
        }
        match self.delivery {
            Delivery::Env if self.secret_env.is_none() => {
                return Err("delivery \"env\" needs `secret-env`, the variable that receives the client secret".into());
            }
            Delivery::Manual if self.manual_steps.is_none() => {
                return Err("delivery \"manual\" needs `manual-steps`".into());
            }
            _ => {}
        }
        let sample = ProfileVars::sample();
        for (name, template) in &self.env {
            sample
                .render(template)
                .map_err(|e| format!("env {name}: {e}"))?;
        }
        if let Some(steps) = &self.manual_steps {
            sample
                .render(steps)
                .map_err(|e| format!("manual-steps: {e}"))?;
        }
        Ok(())
    }
}

pub fn is_env_name(name: &str) -> bool {
    name.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::super::Catalog;
    use super::*;

    #[test]
    fn every_builtin_profile_loads_and_derives_endpoints_from_the_issuer() {
        let catalog = Catalog::builtin();
        let names: Vec<&str> = catalog.names().collect();
        for wanted in [
            "litellm",
            "grafana",
            "open-webui",
            "generic",
            "vaultwarden",
            "outline",
            "mealie",
            "portainer",
            "gitea",
        ] {
            assert!(names.contains(&wanted), "{wanted} missing from {names:?}");
        }
        for name in names {
            let profile = catalog.get(name).unwrap();
            profile.validate().unwrap();
            for (key, value) in &profile.env {
                assert!(
                    !value.contains("/api/oidc") && !value.contains("://"),
                    "{name}: {key} is written by hand"
                );
            }
        }
    }

    fn parse(text: &str) -> Result<Profile, String> {
        let profile: Profile = toml::from_str(text).map_err(|e| e.to_string())?;
        profile.validate().map(|()| profile)
    }

    const BASE: &str = "callback = \"/cb\"\nscopes = [\"openid\"]\ntoken-endpoint-auth-method = \"client_secret_basic\"\n";

    #[test]
    fn a_misspelled_template_variable_is_an_error() {
        let err = parse(&format!(
            "{BASE}secret-env = \"S\"\n[env]\nURL = \"{{{{ userinfo_endpiont }}}}\"\n"
        ))
        .unwrap_err();
        assert!(err.contains("env URL"), "{err}");
    }

    #[test]
    fn values_authelia_would_reject_are_errors() {
        for (extra, needle) in [
            (
                "secret-env = \"S\"\nconsent-mode = \"implicitly\"\n",
                "consent-mode",
            ),
            (
                "secret-env = \"S\"\nuserinfo-signed-response-alg = \"HS256\"\n",
                "userinfo",
            ),
            ("", "secret-env"),
            ("delivery = \"manual\"\n", "manual-steps"),
            ("secret-env = \"1BAD\"\n", "environment variable"),
        ] {
            let err = parse(&format!("{BASE}{extra}")).unwrap_err();
            assert!(err.contains(needle), "{extra}: {err}");
        }
        let err = parse("callback = \"/cb\"\nscopes = [\"profile\"]\ntoken-endpoint-auth-method = \"client_secret_jwt\"\nsecret-env = \"S\"\n").unwrap_err();
        assert!(err.contains("openid"), "{err}");
    }
}
