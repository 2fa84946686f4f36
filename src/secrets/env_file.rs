//! The per-host env file `.topo-secrets/compose/<host>.env`: the plaintext
//! secrets that the host's `compose.topo.yml` references as `${VAR}`.

use super::Secret;
use super::paths::env_file_display;

/// The file's text. Values are `[A-Za-z0-9-._~]`, so Compose's env-file
/// interpolation and quote handling leave them as they are.
pub fn env_file_text(host: &str, entries: &[(String, &Secret)]) -> String {
    let mut text = format!(
        "# topo: plaintext OIDC client secrets for Compose on host `{host}`. NEVER commit this file.\n\
         # out/compose/{host}/compose.topo.yml references them as ${{VAR}}; pass this file to Compose:\n\
         #   docker compose --env-file .env --env-file {} -f compose.yaml -f compose.topo.yml up -d\n",
        env_file_display(host)
    );
    for (var, secret) in entries {
        text.push_str(var);
        text.push('=');
        text.push_str(secret.expose());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_secret() {
        let s = Secret::new("abc".into());
        let text = env_file_text("docker1", &[("LITELLM_OIDC_CLIENT_SECRET".into(), &s)]);
        assert!(text.ends_with("\nLITELLM_OIDC_CLIENT_SECRET=abc\n"));
        assert!(text.lines().filter(|l| !l.starts_with('#')).count() == 1);
    }
}
