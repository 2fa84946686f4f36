use std::collections::BTreeMap;

/// Generated files: relative path (with `/`) → contents. Sorted, so writing
/// and diffing are deterministic.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutputTree {
    files: BTreeMap<String, String>,
}

impl OutputTree {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file; two targets claiming one path is a bug worth reporting.
    pub fn insert(&mut self, path: impl Into<String>, contents: String) -> Result<(), String> {
        let path = path.into();
        if !is_safe_relative(&path) {
            return Err(format!("refusing to write outside out/: {path:?}"));
        }
        if self.files.contains_key(&path) {
            return Err(format!("{path} is generated twice"));
        }
        self.files.insert(path, contents);
        Ok(())
    }

    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(p, c)| (p.as_str(), c.as_str()))
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl IntoIterator for OutputTree {
    type Item = (String, String);
    type IntoIter = std::collections::btree_map::IntoIter<String, String>;
    fn into_iter(self) -> Self::IntoIter {
        self.files.into_iter()
    }
}

/// A relative path that stays inside its root: no `..`, no absolute path.
fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_escapes_and_duplicates() {
        let mut tree = OutputTree::new();
        assert!(tree.insert("../x", String::new()).is_err());
        assert!(tree.insert("/etc/x", String::new()).is_err());
        assert!(tree.insert("a//b", String::new()).is_err());
        tree.insert("a/b.yml", "1".into()).unwrap();
        assert!(tree.insert("a/b.yml", "2".into()).is_err());
    }
}
