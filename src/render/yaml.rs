//! YAML scalars that no YAML reader can misread.
//!
//! The story's `FORWARDED_ALLOW_IPS: *` was an alias marker, `yes`/`on` are
//! booleans to YAML 1.1 readers, `0123` is octal to Compose, `1e3` a float,
//! `a: b` a mapping, and `{{` a Go template to Traefik's file provider. A plain
//! scalar is emitted only when it is made of characters none of those readers
//! treat specially and is not a keyword or a number; everything else is a
//! double-quoted JSON string, which is valid YAML.

/// Words YAML 1.1 or 1.2 resolve to booleans or null.
const KEYWORDS: &[&str] = &[
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "nan", "inf",
];

/// Renders `value` as a YAML scalar, quoting when a reader could misread it.
pub fn yaml_scalar(value: &str) -> String {
    if is_plain_safe(value) {
        value.to_string()
    } else {
        serde_json::to_string(value).expect("a string always serializes")
    }
}

fn is_plain_safe(value: &str) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    if !first.is_ascii_alphabetic() && first != '/' && first != '_' {
        return false;
    }
    if KEYWORDS.contains(&value.to_ascii_lowercase().as_str()) {
        return false;
    }
    if value.parse::<f64>().is_ok() {
        return false;
    }
    value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

#[cfg(test)]
mod tests {
    use super::yaml_scalar;

    #[test]
    fn quotes_what_yaml_would_misread() {
        for tricky in [
            "*",
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "true",
            "null",
            "~",
            "0123",
            "1e3",
            "12",
            "-1",
            ".5",
            "a: b",
            "key:value",
            "{{ .Env }}",
            "#x",
            "&a",
            "!tag",
            "@x",
            "%x",
            "`x",
            "a b",
            "",
            " lead",
            "trail ",
            "[x]",
            "{x}",
            "x,y",
            "'q'",
            "\"q\"",
            "|",
            ">",
            "-",
            "?",
            ".inf",
            "nan",
        ] {
            let out = yaml_scalar(tricky);
            assert!(
                out.starts_with('"') && out.ends_with('"'),
                "{tricky:?} came out as {out}"
            );
            let back: String = serde_yaml::from_str(&out).unwrap();
            assert_eq!(back, tricky);
        }
    }

    #[test]
    fn leaves_plain_words_alone() {
        for plain in [
            "litellm",
            "web-secure",
            "one_factor",
            "/api/oidc/token",
            "a.b.c",
            "GENERIC_SCOPE",
        ] {
            assert_eq!(yaml_scalar(plain), plain);
            let back: String = serde_yaml::from_str(plain).unwrap();
            assert_eq!(back, plain);
        }
    }
}
