use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::Span;

/// The topology text and where it came from; the one thing every diagnostic
/// points into.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// As the user named it (for messages), e.g. `topology.kdl` or `examples/x.kdl`.
    pub display_name: String,
    pub path: PathBuf,
    pub text: Arc<String>,
}

impl SourceFile {
    pub fn new(path: &Path, text: String) -> Self {
        Self {
            display_name: path.display().to_string(),
            path: path.to_path_buf(),
            text: Arc::new(text),
        }
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
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
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

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}
