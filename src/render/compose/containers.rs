//! What each container on a Docker host gets: environment and extra_hosts.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Exposure, Host, Topology};
use crate::profiles::ProfileVars;
use crate::secrets::{Credential, env_file_display};

#[derive(Serialize)]
pub struct ContainerView {
    /// The Compose service name.
    pub name: String,
    /// The topology services it serves (for the comment).
    pub services: Vec<String>,
    /// Sorted by name; values are final (Compose `$` escaped), ready for `| yaml`.
    pub environment: Vec<(String, String)>,
    /// `host=address` entries.
    pub extra_hosts: Vec<String>,
    pub secret_var: Option<String>,
}

/// Every container on `host` that topo has something to say to, by name.
pub fn views(t: &Topology, host: &Host) -> Result<Vec<ContainerView>, String> {
    let mut by_container: BTreeMap<&str, ContainerView> = BTreeMap::new();
    let mut owner: BTreeMap<(String, String), String> = BTreeMap::new();
    for s in t.services.iter().filter(|s| s.host == host.name) {
        let mut env: BTreeMap<String, String> = BTreeMap::new();
        let mut extra_hosts = Vec::new();
        let mut secret_var = None;
        if let (Some(oidc), Some(identity)) = (&s.oidc, &t.identity) {
            let vars = ProfileVars::new(identity, s, oidc);
            for (key, template) in &oidc.profile.env {
                let value = vars.render(template).map_err(|e| {
                    format!(
                        "profile `{}`, env {key} of service `{}`: {e}",
                        oidc.profile.name, s.name
                    )
                })?;
                if !value.is_empty() {
                    env.insert(key.clone(), escape_dollars(&value));
                }
            }
            if let Some(var_name) = &oidc.profile.secret_env {
                let var = Credential::secret_var_for(&s.name);
                let reference = format!(
                    "${{{var}:?run topo build, then pass --env-file {}}}",
                    env_file_display(&host.name)
                );
                env.insert(var_name.clone(), reference);
                secret_var = Some(var);
            }
            if identity.exposure == Exposure::LanOnly {
                let proxy = t.proxy_host();
                let v4 = proxy.ipv4().map(|a| a.to_string());
                let v6 = proxy.ipv6().map(|a| format!("[{a}]"));
                extra_hosts = v4
                    .into_iter()
                    .chain(v6)
                    .map(|a| format!("{}={a}", identity.issuer_host()))
                    .collect();
            }
        }
        // The service's own `env` wins over its profile.
        for (key, value) in &s.env {
            env.insert(key.clone(), escape_dollars(value));
        }
        if env.is_empty() && extra_hosts.is_empty() {
            continue;
        }
        let view = by_container
            .entry(s.container.as_str())
            .or_insert_with(|| ContainerView {
                name: s.container.clone(),
                services: Vec::new(),
                environment: Vec::new(),
                extra_hosts: Vec::new(),
                secret_var: None,
            });
        view.services.push(s.name.clone());
        for (key, value) in env {
            if let Some(first) = owner.get(&(s.container.clone(), key.clone())) {
                if view
                    .environment
                    .iter()
                    .any(|(k, v)| k == &key && v != &value)
                {
                    return Err(format!(
                        "services `{first}` and `{}` share container `{}` but set {key} differently",
                        s.name, s.container
                    ));
                }
                continue;
            }
            owner.insert((s.container.clone(), key.clone()), s.name.clone());
            view.environment.push((key, value));
        }
        view.environment.sort();
        for entry in extra_hosts {
            if !view.extra_hosts.contains(&entry) {
                view.extra_hosts.push(entry);
            }
        }
        view.secret_var = view.secret_var.take().or(secret_var);
    }
    Ok(by_container.into_values().collect())
}

/// Compose interpolates `$` in every value of a compose file; `$$` is a literal `$`.
fn escape_dollars(value: &str) -> String {
    value.replace('$', "$$")
}

#[cfg(test)]
mod tests {
    use super::escape_dollars;

    #[test]
    fn dollars_are_literal() {
        assert_eq!(escape_dollars("a$b$$c"), "a$$b$$$$c");
    }
}
