//! Keeping plaintext secrets out of every diff format.
//!
//! What is secret: everything in the secrets store ([`Secrets::load_store`]),
//! the value of a secret-looking key in any file (`*SECRET*`, `*PASSWORD*`,
//! `*TOKEN*`, `*_KEY`, `client_secret`, …), every value in a `.env` file, and
//! the body of a PEM private key. Each is replaced by `(secret)`; on the new
//! side, a value that differs from the old side's at the same key becomes
//! `(secret changed)`, so a rotation is visible but never readable.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};

use super::assign::{Assignment, assignment};

pub const SECRET: &str = "(secret)";
pub const SECRET_CHANGED: &str = "(secret changed)";
/// Secrets from the store shorter than this cannot be told from ordinary text.
const MIN_STORE_LEN: usize = 4;
/// Values learned from secret-looking keys are masked everywhere from this
/// length on (shorter ones, like `true`, only where they stand).
const MIN_LEARNED_LEN: usize = 8;

/// Plaintext values masked wherever they appear, in any file and any format.
#[derive(Clone, Debug, Default)]
pub struct Secrets {
    values: BTreeSet<String>,
    /// All values in one automaton (built on first use after the last
    /// `add`): one pass over a text, however many secrets there are.
    matcher: std::sync::OnceLock<Option<AhoCorasick>>,
}

impl Secrets {
    /// Reads the secrets store: every file's content and every line of it,
    /// and in `*.env` files every `KEY=VALUE` value. A missing store is empty.
    pub fn load_store(dir: &Path) -> std::io::Result<Self> {
        let mut secrets = Self::default();
        if !dir.is_dir() {
            return Ok(secrets);
        }
        let mut files = Vec::new();
        super::deployed::walk_files(dir, "", &mut files)?;
        for (rel, path) in files {
            let bytes = std::fs::read(&path)?;
            let text = String::from_utf8_lossy(&bytes);
            secrets.add(text.trim(), MIN_STORE_LEN);
            for line in text.lines() {
                secrets.add(line.trim(), MIN_STORE_LEN);
                if is_env_file(&rel)
                    && let Some(a) = assignment(line)
                {
                    secrets.add(unquote(a.value(line)), MIN_STORE_LEN);
                }
            }
        }
        Ok(secrets)
    }

    /// Learns the values of secret-looking keys in one file (either side).
    pub fn learn(&mut self, path: &str, text: &str) {
        let env_file = is_env_file(path);
        for line in text.lines() {
            if let Some(a) = assignment(line)
                && (is_secret_key(a.key(line)) || (env_file && a.env_style))
            {
                let value = unquote(a.value(line));
                if !is_reference(value) {
                    self.add(value, MIN_LEARNED_LEN);
                }
            }
        }
    }

    fn add(&mut self, value: &str, min_len: usize) {
        if value.chars().count() >= min_len && self.values.insert(value.to_string()) {
            self.matcher = std::sync::OnceLock::new();
        }
    }

    /// Replaces every known secret in `text` (a last guard over whole outputs).
    pub fn mask(&self, text: &str) -> String {
        let ranges = self.find_in(text);
        splice(text, &ranges, |_| SECRET.to_string())
    }

    /// Byte ranges of known secrets in `line`, left to right, not
    /// overlapping; where several start at one place, the longest wins.
    fn find_in(&self, line: &str) -> Vec<(usize, usize)> {
        let matcher = self.matcher.get_or_init(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&self.values)
                .ok()
        });
        match matcher {
            Some(m) => m.find_iter(line).map(|f| (f.start(), f.end())).collect(),
            // Building fails only past the automaton's size limits: then
            // hide the whole text rather than risk showing a secret.
            None if !self.values.is_empty() && !line.is_empty() => vec![(0, line.len())],
            None => Vec::new(),
        }
    }
}

/// Secret values of one file version, by slot (a key name, or the line with
/// its secrets masked): how the new side tells a changed secret.
pub type Slots = BTreeMap<String, BTreeSet<String>>;

/// One file version with its secrets replaced.
pub struct Redacted {
    /// Lines with their `\n` (the last may lack it).
    pub lines: Vec<String>,
    pub slots: Slots,
}

/// Redacts `text`. With `old`, the old side's slots: a secret that differs
/// from the old value at the same slot is marked `(secret changed)`.
pub fn redact(path: &str, text: &str, secrets: &Secrets, old: Option<&Slots>) -> Redacted {
    let env_file = is_env_file(path);
    let mut slots = Slots::new();
    let mut lines = Vec::new();
    // A multi-line secret being skipped: a PEM body or a YAML block scalar.
    let mut block: Option<Block> = None;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let (line, eol) = split_eol(raw);
        let mut marker = |slot: String, value: &str| {
            let changed =
                old.is_some_and(|o| o.get(&slot).is_some_and(|vals| !vals.contains(value)));
            slots.entry(slot).or_default().insert(value.to_string());
            if changed { SECRET_CHANGED } else { SECRET }
        };
        if let Some(b) = &block {
            if b.pem && line.contains("-----END") {
                lines.push(raw.to_string());
                block = None;
                continue;
            }
            if b.continues(line) {
                let indent = &line[..line.len() - line.trim_start().len()];
                let shown = if line.trim().is_empty() {
                    String::new()
                } else {
                    format!(
                        "{indent}{}",
                        marker(format!("{}#{}", b.slot, index - b.start), line.trim())
                    )
                };
                lines.push(format!("{shown}{eol}"));
                continue;
            }
            block = None;
        }
        if line.contains("-----BEGIN") && line.contains("PRIVATE KEY-----") {
            block = Some(Block {
                slot: "pem".into(),
                start: index,
                indent: None,
                pem: true,
            });
            lines.push(raw.to_string());
            continue;
        }
        let mut shown = line.to_string();
        if let Some(a) = assignment(line) {
            let key = a.key(line).to_string();
            if is_secret_key(&key) || (env_file && a.env_style) {
                let value = a.value(line);
                if is_block_indicator(value) {
                    let indent = line.len() - line.trim_start().len();
                    block = Some(Block {
                        slot: key,
                        start: index,
                        indent: Some(indent),
                        pem: false,
                    });
                } else if !unquote(value).is_empty() && !is_reference(unquote(value)) {
                    shown = replace_value(line, &a, marker(key, unquote(value)));
                }
            }
        }
        let ranges = secrets.find_in(&shown);
        if !ranges.is_empty() {
            let masked = splice(&shown, &ranges, |_| SECRET.to_string());
            let values: Vec<String> = ranges
                .iter()
                .map(|(s, e)| shown[*s..*e].to_string())
                .collect();
            let mut i = 0;
            shown = splice(&shown, &ranges, |_| {
                let m = marker(masked.clone(), &values[i]);
                i += 1;
                m.to_string()
            });
        }
        lines.push(format!("{shown}{eol}"));
    }
    Redacted { lines, slots }
}

struct Block {
    slot: String,
    start: usize,
    /// YAML block scalar: lines indented deeper than the key belong to it.
    indent: Option<usize>,
    pem: bool,
}

impl Block {
    fn continues(&self, line: &str) -> bool {
        match self.indent {
            None => true,
            Some(key_indent) => {
                line.trim().is_empty() || line.len() - line.trim_start().len() > key_indent
            }
        }
    }
}

fn split_eol(raw: &str) -> (&str, &str) {
    let line = raw.strip_suffix('\n').unwrap_or(raw);
    let line = line.strip_suffix('\r').unwrap_or(line);
    (line, &raw[line.len()..])
}

/// Replaces the ranges of `line` with what `with` returns for each.
fn splice(line: &str, ranges: &[(usize, usize)], mut with: impl FnMut(usize) -> String) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (i, (start, end)) in ranges.iter().enumerate() {
        out.push_str(&line[last..*start]);
        out.push_str(&with(i));
        last = *end;
    }
    out.push_str(&line[last..]);
    out
}

/// The line with its value replaced by `marker`, quotes kept.
fn replace_value(line: &str, a: &Assignment, marker: &str) -> String {
    let value = a.value(line);
    let inner = unquote(value);
    let offset = a.value_start + (value.len() - value.trim_start_matches(['"', '\'']).len());
    let end = offset + inner.len();
    format!("{}{marker}{}", &line[..offset], &line[end..])
}

/// Strips one pair of matching quotes.
pub fn unquote(value: &str) -> &str {
    let v = value.trim();
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

fn is_block_indicator(value: &str) -> bool {
    matches!(value.trim(), "|" | ">" | "|-" | ">-" | "|+" | ">+")
}

/// `${VAR}`, `$VAR` or Authelia's `{{ secret "/path" }}`: a reference, not a secret.
fn is_reference(value: &str) -> bool {
    let name_ok =
        |n: &str| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if let Some(inner) = value.strip_prefix("${").and_then(|v| v.strip_suffix('}')) {
        return name_ok(inner.split(":-").next().unwrap_or(inner));
    }
    if let Some(name) = value.strip_prefix('$') {
        return name_ok(name);
    }
    value.starts_with("{{") && value.ends_with("}}") && value.contains("secret")
}

/// `.env`, `x.env`, `.env.local`: files whose every value is secret.
pub fn is_env_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == ".env" || name.ends_with(".env") || name.starts_with(".env.")
}

/// A key whose value is a secret. Keys that name where or how a secret is
/// used (`*_ENDPOINT`, `*_URL`, `*_FILE`, `*_METHOD`, …) are not secrets.
pub fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_uppercase().replace(['-', '.'], "_");
    let secretish = [
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "TOKEN",
        "APIKEY",
        "API_KEY",
        "PRIVATE_KEY",
    ]
    .iter()
    .any(|p| k.contains(p))
        || k.ends_with("_KEY");
    let describes = [
        "_ENDPOINT",
        "_URL",
        "_URI",
        "_METHOD",
        "_ALG",
        "_FILE",
        "_PATH",
        "_LIFESPAN",
        "_ENV",
        "_VAR",
    ]
    .iter()
    .any(|s| k.ends_with(s));
    secretish && !describes
}

#[cfg(test)]
#[path = "redact_tests.rs"]
mod tests;
