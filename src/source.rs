use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::model::Span;

/// The topology text and where it came from; the one thing every diagnostic
/// points into.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// As the user named it (for messages), e.g. `topology.kdl` or `examples/x.kdl`.
    pub display_name: String,
    pub path: PathBuf,
    pub text: Arc<String>,
    /// Where each line starts, built on first use: thousands of diagnostics
    /// must not each scan the file from the top.
    lines: Arc<OnceLock<LineIndex>>,
}

#[derive(Debug)]
struct LineIndex {
    starts: Vec<usize>,
    /// Columns are then byte distances.
    ascii: bool,
}

impl SourceFile {
    pub fn new(path: &Path, text: String) -> Self {
        Self {
            display_name: path.display().to_string(),
            path: path.to_path_buf(),
            text: Arc::new(text),
            lines: Arc::default(),
        }
    }

    fn index(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex {
            starts: std::iter::once(0)
                .chain(memchr_newlines(&self.text).map(|i| i + 1))
                .collect(),
            ascii: self.text.is_ascii(),
        })
    }

    /// The bare file name, used in generated-file headers so output does not
    /// depend on the directory a build was started from.
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.display_name.clone())
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let index = self.index();
        let line = index.starts.partition_point(|&start| start <= offset);
        let line_start = index.starts[line - 1];
        let column = if index.ascii {
            offset - line_start
        } else {
            self.text[line_start..offset].chars().count()
        } + 1;
        (line, column)
    }

    /// The full text of the line containing `span`'s start.
    pub fn line_text(&self, span: Span) -> &str {
        let offset = floor_char_boundary(&self.text, span.offset.min(self.text.len()));
        let start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        &self.text[start..end]
    }

    pub fn slice(&self, span: Span) -> &str {
        let start = floor_char_boundary(&self.text, span.offset.min(self.text.len()));
        let end = floor_char_boundary(&self.text, (span.offset + span.len).min(self.text.len()));
        &self.text[start..end.max(start)]
    }
}

/// The directory holding `path`: its parent, or `.` for a bare file name
/// (`Path::parent` gives an empty path there, which names no directory).
pub fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The obvious way, to check the index against.
    fn naive(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (
            before.matches('\n').count() + 1,
            before[line_start..].chars().count() + 1,
        )
    }

    #[test]
    fn line_and_column_match_a_scan_from_the_top() {
        for text in ["", "a", "ab\ncd\n\nef", "é\nxé y\n\u{1F600}z", "\n\n"] {
            let source = SourceFile::new(Path::new("t.kdl"), text.to_string());
            for offset in (0..=text.len()).filter(|o| text.is_char_boundary(*o)) {
                assert_eq!(
                    source.line_col(offset),
                    naive(text, offset),
                    "{text:?} @ {offset}"
                );
            }
        }
    }
}
