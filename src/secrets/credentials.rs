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
