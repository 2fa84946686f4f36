//! A unified diff of one file's (already redacted) lines, as data: hunks
//! with context, counted insertions and deletions. Formats print it.

use std::time::{Duration, Instant};

use similar::{Algorithm, DiffTag, capture_diff_slices_deadline, group_diff_ops};

/// Beyond this, a diff stops looking for the smallest edit and settles for a correct one.
const DEADLINE: Duration = Duration::from_secs(5);

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct FileDiff {
    /// Not UTF-8 text on one side: no hunks, only "differs".
    pub binary: bool,
    pub insertions: usize,
    pub deletions: usize,
    pub hunks: Vec<Hunk>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Hunk {
    pub old_start: usize,
    pub old_lines: usize,
    pub new_start: usize,
    pub new_lines: usize,
    pub lines: Vec<DiffLine>,
}

impl Hunk {
    /// `@@ -1,3 +1,4 @@`
    pub fn header(&self) -> String {
        format!(
            "@@ -{},{} +{},{} @@",
            self.old_start, self.old_lines, self.new_start, self.new_lines
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineKind {
    Context,
    Delete,
    Insert,
}

impl LineKind {
    pub fn sign(self) -> char {
        match self {
            LineKind::Context => ' ',
            LineKind::Delete => '-',
            LineKind::Insert => '+',
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DiffLine {
    pub kind: LineKind,
    /// Without its line break.
    pub text: String,
    /// The file ends here without a final newline (`\ No newline at end of file`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_newline: bool,
}

/// Diffs two versions given as lines that keep their `\n`.
pub fn diff_lines(old: &[String], new: &[String], context: usize) -> FileDiff {
    let deadline = Instant::now() + DEADLINE;
    // Lines become numbers first, so the diff compares integers, not strings;
    // patience keeps large generated files (one line per router) near-linear
    // and aligns hunks on unique lines, which reads well in review.
    let (old_ids, new_ids) = intern(old, new);
    let ops = capture_diff_slices_deadline(Algorithm::Patience, &old_ids, &new_ids, Some(deadline));
    let mut diff = FileDiff::default();
    for group in group_diff_ops(ops, context) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let old_range = first.old_range().start..last.old_range().end;
        let new_range = first.new_range().start..last.new_range().end;
        let mut lines = Vec::new();
        for op in &group {
            let (tag, o, n) = op.as_tag_tuple();
            match tag {
                DiffTag::Equal => lines.extend(o.map(|i| line(LineKind::Context, &old[i]))),
                DiffTag::Delete => lines.extend(o.map(|i| line(LineKind::Delete, &old[i]))),
                DiffTag::Insert => lines.extend(n.map(|i| line(LineKind::Insert, &new[i]))),
                DiffTag::Replace => {
                    lines.extend(o.map(|i| line(LineKind::Delete, &old[i])));
                    lines.extend(n.map(|i| line(LineKind::Insert, &new[i])));
                }
            }
        }
        diff.insertions += lines.iter().filter(|l| l.kind == LineKind::Insert).count();
        diff.deletions += lines.iter().filter(|l| l.kind == LineKind::Delete).count();
        diff.hunks.push(Hunk {
            old_start: start(&old_range),
            old_lines: old_range.len(),
            new_start: start(&new_range),
            new_lines: new_range.len(),
            lines,
        });
    }
    diff
}

/// The same number for equal lines on either side.
fn intern<'a>(old: &'a [String], new: &'a [String]) -> (Vec<u32>, Vec<u32>) {
    let mut ids: std::collections::HashMap<&'a str, u32> = std::collections::HashMap::new();
    let mut id = |line: &'a String| {
        let next = ids.len() as u32;
        *ids.entry(line.as_str()).or_insert(next)
    };
    let old_ids = old.iter().map(&mut id).collect();
    let new_ids = new.iter().map(&mut id).collect();
    (old_ids, new_ids)
}

/// Unified-diff convention: 1-based, and an empty range names the line before it.
fn start(range: &std::ops::Range<usize>) -> usize {
    if range.is_empty() {
        range.start
    } else {
        range.start + 1
    }
}

fn line(kind: LineKind, raw: &str) -> DiffLine {
    let text = raw.strip_suffix('\n').unwrap_or(raw);
    DiffLine {
        kind,
        text: text.strip_suffix('\r').unwrap_or(text).to_string(),
        no_newline: !raw.ends_with('\n'),
    }
}

/// A diff for a file one side cannot show as text.
pub fn binary() -> FileDiff {
    FileDiff {
        binary: true,
        ..FileDiff::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.split_inclusive('\n').map(str::to_string).collect()
    }

    #[test]
    fn hunks_have_context_and_unified_ranges() {
        let old = lines("a\nb\nc\nd\ne\nf\ng\nh\n");
        let new = lines("a\nb\nc\nD\ne\nf\ng\nh\n");
        let d = diff_lines(&old, &new, 2);
        assert_eq!((d.insertions, d.deletions), (1, 1));
        assert_eq!(d.hunks.len(), 1);
        assert_eq!(d.hunks[0].header(), "@@ -2,5 +2,5 @@");
        let signs: String = d.hunks[0].lines.iter().map(|l| l.kind.sign()).collect();
        assert_eq!(signs, "  -+  ");
    }

    #[test]
    fn a_new_file_and_a_missing_final_newline() {
        let d = diff_lines(&[], &lines("x\ny"), 3);
        assert_eq!(d.hunks[0].header(), "@@ -0,0 +1,2 @@");
        assert!(d.hunks[0].lines[1].no_newline);
        assert!(
            diff_lines(&lines("same\n"), &lines("same\n"), 3)
                .hunks
                .is_empty()
        );
    }
}
