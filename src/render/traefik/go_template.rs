//! Traefik reads every file-provider file as a Go template before parsing the
//! YAML, so a `{{` anywhere (say, in an upstream URL's query) breaks the whole
//! provider. Values are escaped so that the template step gives them back verbatim.

/// `{{` becomes ``{{ `{{` }}``, which the Go template prints as `{{`. A lone
/// `}}` is plain text to Go templates and needs nothing.
pub fn escape(value: &str) -> String {
    value.replace("{{", "{{ `{{` }}")
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn opening_braces_are_wrapped_in_a_raw_string_action() {
        assert_eq!(
            escape("http://x/?q={{.Env}}"),
            "http://x/?q={{ `{{` }}.Env}}"
        );
        assert_eq!(escape("plain}}"), "plain}}");
        assert_eq!(escape("http://litellm:4000"), "http://litellm:4000");
    }
}
