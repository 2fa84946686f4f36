//! A unified diff of one file's (already redacted) lines, as data: hunks
//! with context, counted insertions and deletions. Formats print it.

use imara_diff::{Algorithm, Diff, InternedInput};
use similar::{DiffOp, DiffTag, group_diff_ops};

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
    let ops = edit_ops(old, new);
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

/// The edit script: git's histogram diff (imara-diff), near-linear on large
/// generated files with many changes (similar's patience runs Myers over the
/// unique lines, quadratic when a thousand services change at once), then
/// slid into place with git's indent heuristic so hunks read well in review.
/// Returned as similar's ops, which group into hunks with context.
fn edit_ops(old: &[String], new: &[String]) -> Vec<DiffOp> {
    let mut input: InternedInput<&str> = InternedInput::default();
    input.update_before(old.iter().map(String::as_str));
    input.update_after(new.iter().map(String::as_str));
    let mut diff = Diff::compute(Algorithm::Histogram, &input);
    diff.postprocess_lines(&input);
    let mut ops = Vec::new();
    let (mut old_at, mut new_at) = (0, 0);
    for hunk in diff.hunks() {
        let (before, after) = (hunk.before, hunk.after);
        let (before_start, after_start) = (before.start as usize, after.start as usize);
        if before_start > old_at {
            ops.push(DiffOp::Equal {
                old_index: old_at,
                new_index: new_at,
                len: before_start - old_at,
            });
        }
        let (old_len, new_len) = (before.len(), after.len());
        ops.push(match (old_len, new_len) {
            (_, 0) => DiffOp::Delete {
                old_index: before_start,
                old_len,
                new_index: after_start,
            },
            (0, _) => DiffOp::Insert {
                old_index: before_start,
                new_index: after_start,
                new_len,
            },
            _ => DiffOp::Replace {
                old_index: before_start,
                old_len,
                new_index: after_start,
                new_len,
            },
        });
        old_at = before.end as usize;
        new_at = after.end as usize;
    }
    if old_at < old.len() {
        ops.push(DiffOp::Equal {
            old_index: old_at,
            new_index: new_at,
            len: old.len() - old_at,
        });
    }
    ops
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
    fn ops_cover_both_sides_in_order() {
        let old = lines("a\nb\nc\nd\ne\n");
        let new = lines("a\nB\nc\ne\nf\ng\n");
        let ops = edit_ops(&old, &new);
        let (mut o, mut n) = (0, 0);
        for op in &ops {
            assert_eq!(
                (op.old_range().start, op.new_range().start),
                (o, n),
                "{ops:?}"
            );
            o = op.old_range().end;
            n = op.new_range().end;
        }
        assert_eq!((o, n), (old.len(), new.len()));
        let d = diff_lines(&old, &new, 0);
        assert_eq!((d.insertions, d.deletions), (3, 2));
    }

    #[test]
    fn a_thousand_scattered_changes_stay_minimal() {
        let old: Vec<String> = (0..20_000).map(|i| format!("line {}\n", i % 7)).collect();
        let mut new = old.clone();
        for i in (0..new.len()).step_by(20) {
            new[i] = format!("changed {i}\n");
        }
        let d = diff_lines(&old, &new, 1);
        assert_eq!((d.insertions, d.deletions), (1000, 1000));
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
