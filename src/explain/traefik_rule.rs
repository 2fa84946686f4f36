//! A small evaluator for Traefik v3 router rules, so lints and `topo explain`
//! can ask the *rendered* configuration which router serves a request instead
//! of trusting the renderer. Matchers it cannot decide (ClientIP, headers,
//! methods, queries) count as matching: a guard must err towards "reachable".

/// A parsed rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    Matcher { name: String, args: Vec<String> },
    Not(Box<Rule>),
    And(Box<Rule>, Box<Rule>),
    Or(Box<Rule>, Box<Rule>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Ident(String),
    Str(String),
    Open,
    Close,
    Comma,
    And,
    Or,
    Not,
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' | '\n' => {
                chars.next();
            }
            '(' => {
                chars.next();
                tokens.push(Token::Open);
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
            }
            ',' => {
                chars.next();
                tokens.push(Token::Comma);
            }
            '!' => {
                chars.next();
                tokens.push(Token::Not);
            }
            '&' | '|' => {
                chars.next();
                if chars.next() != Some(c) {
                    return Err(format!("expected `{c}{c}`"));
                }
                tokens.push(if c == '&' { Token::And } else { Token::Or });
            }
            '`' | '"' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some('\\') if c == '"' => s.extend(chars.next()),
                        Some(other) => s.push(other),
                        None => return Err("unterminated string".into()),
                    }
                }
                tokens.push(Token::Str(s));
            }
            c if c.is_ascii_alphabetic() => {
                let mut s = String::new();
                while let Some(&c) = chars.peek().filter(|c| c.is_ascii_alphanumeric()) {
                    s.push(c);
                    chars.next();
                }
                tokens.push(Token::Ident(s));
            }
            other => return Err(format!("unexpected `{other}`")),
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn or(&mut self) -> Result<Rule, String> {
        let mut left = self.and()?;
        while self.peek() == Some(&Token::Or) {
            self.next();
            left = Rule::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Rule, String> {
        let mut left = self.unary()?;
        while self.peek() == Some(&Token::And) {
            self.next();
            left = Rule::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Rule, String> {
        match self.next() {
            Some(Token::Not) => Ok(Rule::Not(Box::new(self.unary()?))),
            Some(Token::Open) => {
                let inner = self.or()?;
                match self.next() {
                    Some(Token::Close) => Ok(inner),
                    _ => Err("expected `)`".into()),
                }
            }
            Some(Token::Ident(name)) => {
                if self.next() != Some(Token::Open) {
                    return Err(format!("expected `(` after {name}"));
                }
                let mut args = Vec::new();
                loop {
                    match self.next() {
                        Some(Token::Str(s)) => args.push(s),
                        Some(Token::Close) if args.is_empty() => break,
                        _ => return Err(format!("expected a quoted argument to {name}")),
                    }
                    match self.next() {
                        Some(Token::Comma) => continue,
                        Some(Token::Close) => break,
                        _ => return Err(format!("expected `,` or `)` in {name}")),
                    }
                }
                Ok(Rule::Matcher { name, args })
            }
            other => Err(format!("unexpected {other:?}")),
        }
    }
}

pub fn parse(text: &str) -> Result<Rule, String> {
    let mut parser = Parser {
        tokens: tokenize(text)?,
        at: 0,
    };
    let rule = parser.or()?;
    if parser.at != parser.tokens.len() {
        return Err("trailing input".into());
    }
    Ok(rule)
}

impl Rule {
    /// The hosts (lower-case) outside which this rule cannot match, or `None`
    /// when it may match any host. Lets callers index requests by host
    /// instead of testing every rule against every request.
    pub fn required_hosts(&self) -> Option<Vec<String>> {
        match self {
            Rule::Matcher { name, args } if name == "Host" => {
                Some(args.iter().map(|a| a.to_ascii_lowercase()).collect())
            }
            Rule::Matcher { .. } | Rule::Not(_) => None,
            // Both sides must match: either side's hosts bound the rule.
            Rule::And(a, b) => a.required_hosts().or_else(|| b.required_hosts()),
            Rule::Or(a, b) => {
                let mut hosts = a.required_hosts()?;
                hosts.extend(b.required_hosts()?);
                Some(hosts)
            }
        }
    }

    /// Does a request for `host` and `path` match? Undecidable matchers match.
    pub fn matches(&self, host: &str, path: &str) -> bool {
        match self {
            Rule::Not(inner) => !inner.matches(host, path),
            Rule::And(a, b) => a.matches(host, path) && b.matches(host, path),
            Rule::Or(a, b) => a.matches(host, path) || b.matches(host, path),
            Rule::Matcher { name, args } => {
                let arg = args.first().map(String::as_str).unwrap_or_default();
                match name.as_str() {
                    "Host" => arg.eq_ignore_ascii_case(host),
                    "Path" => arg == path,
                    "PathPrefix" => path.starts_with(arg),
                    "HostRegexp" => {
                        regex::Regex::new(arg).is_ok_and(|r| r.is_match(&host.to_ascii_lowercase()))
                    }
                    "PathRegexp" => regex::Regex::new(arg).is_ok_and(|r| r.is_match(path)),
                    _ => true,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_hosts_bound_what_a_rule_can_match() {
        let hosts = |r: &str| parse(r).unwrap().required_hosts();
        assert_eq!(
            hosts("Host(`A.example.com`) && !PathPrefix(`/x`)"),
            Some(vec!["a.example.com".to_string()])
        );
        assert_eq!(
            hosts("Host(`a.example.com`) || Host(`b.example.com`)"),
            Some(vec![
                "a.example.com".to_string(),
                "b.example.com".to_string()
            ])
        );
        assert_eq!(hosts("Host(`a.example.com`) || PathPrefix(`/`)"), None);
        assert_eq!(hosts("!Host(`a.example.com`)"), None);
        assert_eq!(hosts("HostRegexp(`.+`)"), None);
    }

    #[test]
    fn path_prefix_with_slash_does_not_match_v1admin() {
        let rule = parse("Host(`a.example.com`) && (Path(`/v1`) || PathPrefix(`/v1/`))").unwrap();
        assert!(rule.matches("a.example.com", "/v1"));
        assert!(rule.matches("A.EXAMPLE.COM", "/v1/models"));
        assert!(!rule.matches("a.example.com", "/v1admin"));
        assert!(!rule.matches("b.example.com", "/v1"));
    }

    #[test]
    fn negation_carves_out_a_path() {
        let rule = parse("Host(`a.x`) && !(Path(`/admin`) || PathPrefix(`/admin/`))").unwrap();
        assert!(rule.matches("a.x", "/"));
        assert!(!rule.matches("a.x", "/admin/users"));
    }

    #[test]
    fn malformed_rules_are_errors() {
        for bad in [
            "Host(`a`",
            "Host(a)",
            "Host(`a`) &",
            "&& Host(`a`)",
            "Host(`a`) Host(`b`)",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
