//! The variables a profile's templates (env values, manual steps) can use.
//! Every endpoint is derived from the issuer, never written by hand.

use serde::Serialize;

use crate::model::{Identity, Oidc, Service};
use crate::secrets::{Credential, env_file_display};

/// Template variables for one `oidc` service.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ProfileVars {
    /// The service name.
    pub service: String,
    /// The Compose service (container) name.
    pub container: String,
    /// The Authelia client id (the service name).
    pub client_id: String,
    /// The Authelia `client_name`: the profile's display name or the service name.
    pub client_name: String,
    /// `https://auth.example.com`, no trailing slash.
    pub issuer: String,
    /// `<issuer>/.well-known/openid-configuration`.
    pub discovery_url: String,
    /// `<issuer>/api/oidc/authorization`.
    pub authorization_endpoint: String,
    /// `<issuer>/api/oidc/token`.
    pub token_endpoint: String,
    /// `<issuer>/api/oidc/userinfo`.
    pub userinfo_endpoint: String,
    /// `<issuer>/jwks.json`.
    pub jwks_uri: String,
    /// `https://` + the service's first hostname.
    pub base_url: String,
    pub hostname: String,
    /// `base_url` + `callback`: exactly what Authelia allows.
    pub redirect_uri: String,
    pub callback: String,
    pub scopes: Vec<String>,
    pub pkce: bool,
    pub token_endpoint_auth_method: String,
    /// The Compose variable holding the plaintext secret.
    pub secret_var: String,
    /// Where that variable is defined, relative to the topology.
    pub secret_env_file: String,
    /// A command that prints the plaintext secret, for manual steps.
    pub secret_command: String,
}

impl ProfileVars {
    pub fn new(identity: &Identity, service: &Service, oidc: &Oidc) -> Self {
        let profile = &oidc.profile;
        let base_url = service.base_url();
        let callback = oidc.callback_path().to_string();
        Self {
            service: service.name.clone(),
            container: service.container.clone(),
            client_id: service.name.clone(),
            client_name: if profile.display_name.is_empty() {
                service.name.clone()
            } else {
                profile.display_name.clone()
            },
            issuer: identity.issuer_base(),
            discovery_url: identity.endpoint("/.well-known/openid-configuration"),
            authorization_endpoint: identity.endpoint("/api/oidc/authorization"),
            token_endpoint: identity.endpoint("/api/oidc/token"),
            userinfo_endpoint: identity.endpoint("/api/oidc/userinfo"),
            jwks_uri: identity.endpoint("/jwks.json"),
            redirect_uri: format!("{base_url}{callback}"),
            hostname: service.canonical_hostname().to_string(),
            base_url,
            callback,
            scopes: oidc.scopes().to_vec(),
            pkce: oidc.pkce(),
            token_endpoint_auth_method: profile.token_endpoint_auth_method.clone(),
            secret_var: Credential::secret_var_for(&service.name),
            secret_env_file: env_file_display(&service.host),
            secret_command: format!("topo secrets show {}", service.name),
        }
    }

    /// Plausible values, to check a profile's templates when it is loaded.
    pub fn sample() -> Self {
        let issuer = "https://auth.example.com".to_string();
        Self {
            service: "app".into(),
            container: "app".into(),
            client_id: "app".into(),
            client_name: "App".into(),
            discovery_url: format!("{issuer}/.well-known/openid-configuration"),
            authorization_endpoint: format!("{issuer}/api/oidc/authorization"),
            token_endpoint: format!("{issuer}/api/oidc/token"),
            userinfo_endpoint: format!("{issuer}/api/oidc/userinfo"),
            jwks_uri: format!("{issuer}/jwks.json"),
            issuer,
            base_url: "https://app.example.com".into(),
            hostname: "app.example.com".into(),
            redirect_uri: "https://app.example.com/callback".into(),
            callback: "/callback".into(),
            scopes: vec!["openid".into(), "profile".into(), "email".into()],
            pkce: true,
            token_endpoint_auth_method: "client_secret_basic".into(),
            secret_var: "APP_OIDC_CLIENT_SECRET".into(),
            secret_env_file: env_file_display("docker1"),
            secret_command: "topo secrets show app".into(),
        }
    }

    /// Renders one profile template with these variables. Unknown variables
    /// are errors, so a typo in a profile cannot render an empty endpoint.
    pub fn render(&self, template: &str) -> Result<String, minijinja::Error> {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        // Env values want `true`/`false`, not minijinja's `True`/`False`.
        env.set_formatter(|out, state, value| {
            if value.kind() == minijinja::value::ValueKind::Bool {
                out.write_str(if value.is_true() { "true" } else { "false" })
                    .map_err(minijinja::Error::from)
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        env.render_str(template, self)
    }
}

#[cfg(test)]
mod tests {
    use super::ProfileVars;

    #[test]
    fn booleans_render_as_env_values_do() {
        let vars = ProfileVars::sample();
        assert_eq!(vars.render("{{ pkce }}").unwrap(), "true");
        assert_eq!(
            vars.render("{{ scopes | join(' ') }}").unwrap(),
            "openid profile email"
        );
        assert_eq!(vars.render("{{ 'S256' if pkce else '' }}").unwrap(), "S256");
    }
}
