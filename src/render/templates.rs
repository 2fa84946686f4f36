//! The template set: `templates/` embedded at compile time (so `cargo install`
//! works), optionally overridden file by file from a directory (`--templates`).

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use minijinja::{Environment, UndefinedBehavior, Value};

use super::yaml::yaml_scalar;

static EMBEDDED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");

pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// The embedded templates, each replaced by `override_dir/<same path>` when present.
    pub fn new(override_dir: Option<&Path>) -> Self {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.add_filter("yaml", |value: Value| -> String {
            yaml_scalar(&value_text(&value))
        });
        env.add_filter("shell", |value: Value| -> String {
            shell_quote(&value_text(&value))
        });
        let override_dir: Option<PathBuf> = override_dir.map(Path::to_path_buf);
        env.set_loader(move |name| {
            if let Some(dir) = &override_dir {
                let path = dir.join(name);
                if path.is_file() {
                    return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                        minijinja::Error::new(minijinja::ErrorKind::TemplateNotFound, e.to_string())
                    });
                }
            }
            Ok(EMBEDDED
                .get_file(name)
                .and_then(|f| f.contents_utf8())
                .map(str::to_owned))
        });
        Self { env }
    }

    /// Renders template `name` (a path under `templates/`) with `context`.
    pub fn render<S: serde::Serialize>(
        &self,
        name: &str,
        context: &S,
    ) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(context)
    }

    /// Renders an inline template string (used for profile env values).
    pub fn render_str<S: serde::Serialize>(
        &self,
        source: &str,
        context: &S,
    ) -> Result<String, minijinja::Error> {
        self.env.render_str(source, context)
    }
}

/// A POSIX shell single-quoted word: safe for any text.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

fn value_text(value: &Value) -> String {
    match value.as_str() {
        Some(s) => s.to_string(),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_filter_quotes_a_star() {
        let t = Templates::new(None);
        let out = t
            .render_str("k: {{ v | yaml }}", &minijinja::context! { v => "*" })
            .unwrap();
        assert_eq!(out, "k: \"*\"");
    }

    #[test]
    fn shell_filter_survives_quotes() {
        assert_eq!(shell_quote("a'b"), "'a'\\''b'");
        assert_eq!(shell_quote("$HOME"), "'$HOME'");
    }

    #[test]
    fn undefined_variables_are_errors() {
        let t = Templates::new(None);
        assert!(t.render_str("{{ nope }}", &minijinja::context! {}).is_err());
    }

    #[test]
    fn a_directory_overrides_one_template() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("probe.txt"), "overridden {{ x }}").unwrap();
        let t = Templates::new(Some(dir.path()));
        assert_eq!(
            t.render("probe.txt", &minijinja::context! { x => 1 })
                .unwrap(),
            "overridden 1"
        );
    }
}
