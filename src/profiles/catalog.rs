use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use include_dir::{Dir, include_dir};

use super::Profile;

static BUILTIN: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/src/profiles/builtin");

/// Every profile a topology can name: built-ins, then user profiles (which win).
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    profiles: BTreeMap<String, Arc<Profile>>,
}

/// A profile file that could not be read; reported as a diagnostic by lowering.
#[derive(Clone, Debug)]
pub struct ProfileError {
    pub file: String,
    pub message: String,
}

impl Catalog {
    pub fn builtin() -> Self {
        let mut catalog = Catalog::default();
        for file in BUILTIN.files() {
            let Some(name) = profile_name(file.path()) else {
                continue;
            };
            let text = file.contents_utf8().expect("built-in profiles are UTF-8");
            let profile =
                parse(&name, text).unwrap_or_else(|e| panic!("built-in profile {name}: {e}"));
            catalog.profiles.insert(name, Arc::new(profile));
        }
        catalog
    }

    /// Built-ins plus `profiles/*.toml` in `dir` (the topology's directory).
    pub fn load(dir: &Path) -> (Self, Vec<ProfileError>) {
        let mut catalog = Self::builtin();
        let mut errors = Vec::new();
        let Ok(entries) = std::fs::read_dir(dir.join("profiles")) else {
            return (catalog, errors);
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let Some(name) = profile_name(&path) else {
                continue;
            };
            let result = std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|text| parse(&name, &text));
            match result {
                Ok(profile) => {
                    catalog.profiles.insert(name, Arc::new(profile));
                }
                Err(message) => errors.push(ProfileError {
                    file: path.display().to_string(),
                    message,
                }),
            }
        }
        (catalog, errors)
    }

    pub fn get(&self, name: &str) -> Option<Arc<Profile>> {
        self.profiles.get(name).cloned()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }
}

fn profile_name(path: &Path) -> Option<String> {
    (path.extension()? == "toml").then(|| path.file_stem()?.to_str().map(str::to_owned))?
}

fn parse(name: &str, text: &str) -> Result<Profile, String> {
    let mut profile: Profile = toml::from_str(text).map_err(|e| e.to_string())?;
    profile.name = name.to_string();
    profile.validate()?;
    Ok(profile)
}
