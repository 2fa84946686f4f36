//! Listing the files under a directory, one way for every caller: `out/`
//! (compare, write, prune), a deployed tree (`diff`), user folders (lints)
//! and the build cache's inputs.

use std::path::{Path, PathBuf};

/// What a walk lists besides regular files.
#[derive(Clone, Copy, Debug, Default)]
pub struct WalkOptions {
    /// Symlinks to files count as files (a deployed tree or a secrets store
    /// may link them in). Symlinked directories are never followed: no loops.
    pub follow_file_symlinks: bool,
    /// Skip `.git` directories (a checkout's repository is not config).
    pub skip_git: bool,
}

/// Every file under `dir` as (`prefix`/relative path, path), sorted by name
/// at each level.
pub fn files(
    dir: &Path,
    prefix: &str,
    options: WalkOptions,
) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    walk(dir, prefix, options, &mut out)?;
    Ok(out)
}

fn walk(
    dir: &Path,
    prefix: &str,
    options: WalkOptions,
    out: &mut Vec<(String, PathBuf)>,
) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            if !(options.skip_git && entry.file_name() == ".git") {
                walk(&entry.path(), &rel, options, out)?;
            }
        } else if file_type.is_file()
            || (options.follow_file_symlinks && file_type.is_symlink() && entry.path().is_file())
        {
            out.push((rel, entry.path()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_decide_symlinks_and_git() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/.git")).unwrap();
        std::fs::write(root.join("a/.git/HEAD"), "x").unwrap();
        std::fs::write(root.join("a/f"), "x").unwrap();
        std::fs::write(root.join("z"), "x").unwrap();
        std::os::unix::fs::symlink(root.join("z"), root.join("link")).unwrap();
        // A loop through a symlinked directory is never followed.
        std::os::unix::fs::symlink(root, root.join("a/loop")).unwrap();
        let names = |options| -> Vec<String> {
            files(root, "", options)
                .unwrap()
                .into_iter()
                .map(|(r, _)| r)
                .collect()
        };
        assert_eq!(names(WalkOptions::default()), ["a/.git/HEAD", "a/f", "z"]);
        let all = WalkOptions {
            follow_file_symlinks: true,
            skip_git: true,
        };
        assert_eq!(names(all), ["a/f", "link", "z"]);
    }
}
