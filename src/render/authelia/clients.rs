//! One confidential OIDC client per `oidc` service, with current key names only.

use serde::Serialize;

use crate::model::{Identity, Topology};
use crate::profiles::ProfileVars;
use crate::secrets::Credentials;

#[derive(Serialize)]
pub struct ClientView {
    pub client_id: String,
    pub client_name: String,
    /// The argon2id PHC hash; `None` only when rendering read-only before the
    /// first `topo build` made a secret.
    pub client_secret: Option<String>,
    pub authorization_policy: String,
    pub consent_mode: String,
    pub redirect_uris: Vec<String>,
    pub scopes: Vec<String>,
    pub grant_types: Vec<String>,
    pub response_types: Vec<String>,
    pub token_endpoint_auth_method: String,
    pub userinfo_signed_response_alg: String,
    pub require_pkce: bool,
    pub pkce_challenge_method: Option<String>,
}

pub fn views(t: &Topology, identity: &Identity, credentials: &Credentials) -> Vec<ClientView> {
    t.services
        .iter()
        .filter_map(|s| s.oidc.as_ref().map(|o| (s, o)))
        .map(|(service, oidc)| {
            let vars = ProfileVars::new(identity, service, oidc);
            let mut grant_types = vec!["authorization_code".to_string()];
            // Authelia warns about refresh_token without offline_access, and an
            // app asking for offline_access wants to refresh.
            if vars.scopes.iter().any(|s| s == "offline_access") {
                grant_types.push("refresh_token".into());
            }
            ClientView {
                client_secret: credentials
                    .get(&service.name)
                    .map(|c| c.secret_hash.clone()),
                authorization_policy: oidc.policy.keyword().to_string(),
                consent_mode: oidc.profile.consent_mode.clone(),
                redirect_uris: vec![vars.redirect_uri],
                grant_types,
                response_types: vec!["code".into()],
                userinfo_signed_response_alg: oidc.profile.userinfo_signed_response_alg.clone(),
                require_pkce: vars.pkce,
                pkce_challenge_method: vars.pkce.then(|| "S256".to_string()),
                client_id: vars.client_id,
                client_name: vars.client_name,
                scopes: vars.scopes,
                token_endpoint_auth_method: vars.token_endpoint_auth_method,
            }
        })
        .collect()
}
