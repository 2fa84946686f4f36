//! Recognising `KEY=VALUE` (env files, Compose lists) and `key: value`
//! (YAML, JSON) lines, so that redaction can find the value of a key.

/// Where the key and the value of one assignment line are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assignment {
    key_start: usize,
    key_end: usize,
    pub value_start: usize,
    value_end: usize,
    /// `KEY=VALUE` rather than `key: value`.
    pub env_style: bool,
}

impl Assignment {
    pub fn key<'a>(&self, line: &'a str) -> &'a str {
        &line[self.key_start..self.key_end]
    }

    /// The value as written (quotes included, trailing comment and comma not).
    pub fn value<'a>(&self, line: &'a str) -> &'a str {
        &line[self.value_start..self.value_end]
    }
}

/// Parses one line; `None` when it assigns nothing.
pub fn assignment(line: &str) -> Option<Assignment> {
    let mut i = skip_ws(line, 0);
    if line[i..].starts_with("- ") {
        i = skip_ws(line, i + 2);
    }
    if line[i..].starts_with("export ") {
        i = skip_ws(line, i + 7);
    }
    let quote = line[i..].chars().next().filter(|c| *c == '"' || *c == '\'');
    let (key_start, key_end, after_key) = match quote {
        Some(q) => {
            let close = line[i + 1..].find(q)? + i + 1;
            (i + 1, close, close + 1)
        }
        None => {
            let len = line[i..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
                .unwrap_or(line.len() - i);
            (i, i + len, i + len)
        }
    };
    if key_start == key_end {
        return None;
    }
    let sep_at = skip_ws(line, after_key);
    let env_style = match line[sep_at..].chars().next()? {
        '=' if quote.is_none() => true,
        ':' => {
            let next = line[sep_at + 1..].chars().next();
            if quote.is_none() && next.is_some_and(|c| c != ' ' && c != '\t') {
                return None; // `http://…`, `a:b`: not a mapping
            }
            false
        }
        _ => return None,
    };
    let value_start = skip_ws(line, sep_at + 1);
    let mut value_end = line.trim_end().len().max(value_start);
    let value = &line[value_start..value_end];
    let quoted_value = value.starts_with('"') || value.starts_with('\'');
    if quoted_value {
        if let Some(close) = closing_quote(value) {
            value_end = value_start + close + 1;
        }
    } else if !env_style && let Some(comment) = value.find(" #") {
        value_end = value_start + comment;
    }
    if quote == Some('"') && line[value_start..value_end].ends_with(',') {
        value_end -= 1; // JSON: "key": "value",
    }
    let value_end = value_start + line[value_start..value_end].trim_end().len();
    Some(Assignment {
        key_start,
        key_end,
        value_start,
        value_end,
        env_style,
    })
}

/// The byte index of the quote that closes `value`'s opening quote; in a
/// double-quoted value a backslash escapes the next character.
fn closing_quote(value: &str) -> Option<usize> {
    let mut chars = value.char_indices();
    let (_, quote) = chars.next()?;
    let mut escaped = false;
    for (i, c) in chars {
        if escaped {
            escaped = false;
        } else if c == '\\' && quote == '"' {
            escaped = true;
        } else if c == quote {
            return Some(i);
        }
    }
    None
}

fn skip_ws(line: &str, from: usize) -> usize {
    from + line[from..].len() - line[from..].trim_start_matches([' ', '\t']).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(line: &str) -> Option<(String, String, bool)> {
        assignment(line).map(|a| {
            (
                a.key(line).to_string(),
                a.value(line).to_string(),
                a.env_style,
            )
        })
    }

    #[test]
    fn the_shapes_topo_and_its_targets_write() {
        assert_eq!(kv("KEY=v=1"), Some(("KEY".into(), "v=1".into(), true)));
        assert_eq!(
            kv("export K=\"x\""),
            Some(("K".into(), "\"x\"".into(), true))
        );
        assert_eq!(
            kv("      - GENERIC_CLIENT_SECRET=abc"),
            Some(("GENERIC_CLIENT_SECRET".into(), "abc".into(), true))
        );
        assert_eq!(
            kv("  client_secret: '$argon2id$v=19' # hash"),
            Some(("client_secret".into(), "'$argon2id$v=19'".into(), false))
        );
        assert_eq!(
            kv("  secret: abc # note"),
            Some(("secret".into(), "abc".into(), false))
        );
        assert_eq!(
            kv("  \"token\": \"t\","),
            Some(("token".into(), "\"t\"".into(), false))
        );
        assert_eq!(kv("services:"), Some(("services".into(), "".into(), false)));
        assert_eq!(
            kv(r#"  "secret": "a\"b" , "#),
            Some(("secret".into(), r#""a\"b""#.into(), false))
        );
    }

    #[test]
    fn lines_that_assign_nothing() {
        assert_eq!(kv("http://example.com"), None);
        assert_eq!(kv("# comment"), None);
        assert_eq!(kv(""), None);
        assert_eq!(kv("- item"), None);
        assert_eq!(kv("\"unterminated: x"), None);
    }
}
