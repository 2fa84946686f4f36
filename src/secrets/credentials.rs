use std::collections::BTreeMap;

/// What renderers may know about one OIDC client: its id and the argon2id PHC
/// hash of its secret. The plaintext is not here on purpose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credential {
    pub client_id: String,
    /// `$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>`.
    pub secret_hash: String,
    /// The variable a Compose file references as `${VAR}` for the plaintext.
    pub secret_var: String,
}

impl Credential {
    /// The credential of client `client_id` (the service name) with its hash.
    pub fn new(client_id: &str, secret_hash: String) -> Self {
        Self {
            client_id: client_id.to_string(),
            secret_hash,
            secret_var: Self::secret_var_for(client_id),
        }
    }

    /// `litellm` → `LITELLM_OIDC_CLIENT_SECRET`: a valid Compose variable name
    /// for any service name (letters, digits, `-`, `_`).
    pub fn secret_var_for(client_id: &str) -> String {
        let mut var: String = client_id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        if !var.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            var.insert_str(0, "SERVICE_");
        }
        var.push_str("_OIDC_CLIENT_SECRET");
        var
    }
}

/// Credentials of every `oidc` service, by service name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Credentials {
    by_service: BTreeMap<String, Credential>,
}

impl Credentials {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, service: impl Into<String>, credential: Credential) {
        self.by_service.insert(service.into(), credential);
    }

    pub fn get(&self, service: &str) -> Option<&Credential> {
        self.by_service.get(service)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Credential)> {
        self.by_service.iter().map(|(k, v)| (k.as_str(), v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_var_names_are_valid_compose_variables() {
        assert_eq!(
            Credential::secret_var_for("litellm"),
            "LITELLM_OIDC_CLIENT_SECRET"
        );
        assert_eq!(
            Credential::secret_var_for("open-webui"),
            "OPEN_WEBUI_OIDC_CLIENT_SECRET"
        );
        assert_eq!(
            Credential::secret_var_for("1app"),
            "SERVICE_1APP_OIDC_CLIENT_SECRET"
        );
    }
}
