//! Parsing a large file in parallel. The `kdl` crate's error-recovering parser
//! reads about 1 MB/s; a topology of thousands of services would spend most of
//! a build there. Top-level nodes are independent, so the file is split at
//! top-level node boundaries found by a small lexical scan (strings, raw
//! strings, comments, braces), the pieces are parsed on all cores, and their
//! spans are shifted back to file offsets. Any doubt — a piece that does not
//! parse, a scan that loses track — falls back to parsing the whole file, which
//! also gives the complete diagnostics.

use kdl::{KdlDocument, KdlEntry, KdlIdentifier, KdlNode};
use rayon::prelude::*;

/// Below this size one sequential parse is fast enough.
pub const PARALLEL_THRESHOLD: usize = 128 * 1024;

/// Parses `text` in pieces on all cores and hands each piece's document to
/// `each` right away, so the syntax tree of a large file never exists whole
/// (the `kdl` crate's tree takes ~90 bytes per byte of source). Results come
/// back in file order; `None` means "parse it whole instead".
pub fn parse_in_parallel<T: Send>(
    text: &str,
    each: &(impl Fn(KdlDocument) -> T + Sync),
) -> Option<Vec<T>> {
    // Small pieces keep the trees alive at once small and the cores balanced.
    let pieces = (rayon::current_num_threads().max(2) * 4).max(text.len() / PIECE_SIZE);
    let bounds = split_points(text, pieces)?;
    let ranges: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    ranges
        .par_iter()
        .map(|&(start, end)| {
            let mut document = KdlDocument::parse_v2(&text[start..end]).ok()?;
            shift_document(&mut document, start);
            Some(each(document))
        })
        .collect()
}

/// The size a piece aims at.
const PIECE_SIZE: usize = 48 * 1024;

/// Byte offsets `0 = b0 < b1 < … < bn = len` where top-level nodes start,
/// aiming at `pieces` parts of similar size. `None` when the scan loses track.
fn split_points(text: &str, pieces: usize) -> Option<Vec<usize>> {
    let bytes = text.as_bytes();
    let target = text.len() / pieces;
    let mut points = vec![0];
    let mut next_cut = target;
    let mut depth: i64 = 0;
    let mut i = 0;
    let mut continued = false; // the line ended with a `\` continuation
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = skip_string(bytes, i, 0)?,
            b'#' => {
                let hashes = bytes[i..].iter().take_while(|b| **b == b'#').count();
                if bytes.get(i + hashes) == Some(&b'"') {
                    i = skip_string(bytes, i + hashes, hashes)?;
                } else {
                    i += hashes;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i)?,
            b'\\' => {
                continued = true;
                i += 1;
            }
            b'{' => {
                depth += 1;
                i += 1;
            }
            b'}' => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
                i += 1;
            }
            b'\n' => {
                i += 1;
                let starts_node = bytes.get(i).is_some_and(|b| b.is_ascii_alphabetic());
                if depth == 0 && !continued && starts_node && i >= next_cut {
                    points.push(i);
                    next_cut = i + target;
                }
                continued = false;
            }
            b' ' | b'\t' | b'\r' => i += 1,
            _ => {
                continued = false;
                i += 1;
            }
        }
    }
    if depth != 0 {
        return None;
    }
    points.push(bytes.len());
    points.dedup();
    Some(points)
}

/// The offset of the first `{` (outside strings and comments) that opens a
/// block `limit + 1` deep, counting blocks that are never closed; a string
/// that never ends stops the scan there.
pub fn brace_deeper_than(text: &str, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let next = match bytes[i] {
            b'"' => skip_string(bytes, i, 0),
            b'#' => {
                let hashes = bytes[i..].iter().take_while(|b| **b == b'#').count();
                if bytes.get(i + hashes) == Some(&b'"') {
                    skip_string(bytes, i + hashes, hashes)
                } else {
                    Some(i + hashes)
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => Some(
                i + bytes[i..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .unwrap_or(bytes.len() - i),
            ),
            b'/' if bytes.get(i + 1) == Some(&b'*') => skip_block_comment(bytes, i),
            b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
                Some(i + 1)
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                Some(i + 1)
            }
            _ => Some(i + 1),
        };
        i = next?;
    }
    None
}

/// From the opening quote at `i`; returns the index after the closing quote
/// (and `hashes` closing `#`s). Handles `"""` multi-line strings.
fn skip_string(bytes: &[u8], i: usize, hashes: usize) -> Option<usize> {
    let multi = bytes[i..].starts_with(b"\"\"\"");
    let (mut j, quote): (usize, &[u8]) = if multi {
        (i + 3, b"\"\"\"")
    } else {
        (i + 1, b"\"")
    };
    while j < bytes.len() {
        if hashes == 0 && bytes[j] == b'\\' {
            j += 2;
            continue;
        }
        if bytes[j..].starts_with(quote)
            && bytes[j + quote.len()..]
                .iter()
                .take(hashes)
                .filter(|b| **b == b'#')
                .count()
                == hashes
        {
            return Some(j + quote.len() + hashes);
        }
        j += 1;
    }
    None
}

fn skip_block_comment(bytes: &[u8], i: usize) -> Option<usize> {
    let mut depth = 0;
    let mut j = i;
    while j + 1 < bytes.len() {
        if bytes[j] == b'/' && bytes[j + 1] == b'*' {
            depth += 1;
            j += 2;
        } else if bytes[j] == b'*' && bytes[j + 1] == b'/' {
            depth -= 1;
            j += 2;
            if depth == 0 {
                return Some(j);
            }
        } else {
            j += 1;
        }
    }
    None
}

fn shift(span: miette::SourceSpan, by: usize) -> miette::SourceSpan {
    (span.offset() + by, span.len()).into()
}

fn shift_identifier(id: &mut KdlIdentifier, by: usize) {
    let span = shift(id.span(), by);
    id.set_span(span);
}

fn shift_entry(entry: &mut KdlEntry, by: usize) {
    let span = shift(entry.span(), by);
    entry.set_span(span);
    if let Some(name) = entry.name_mut() {
        shift_identifier(name, by);
    }
    if let Some(ty) = entry.ty_mut() {
        shift_identifier(ty, by);
    }
}

fn shift_node(node: &mut KdlNode, by: usize) {
    let span = shift(node.span(), by);
    node.set_span(span);
    shift_identifier(node.name_mut(), by);
    if let Some(ty) = node.ty_mut() {
        shift_identifier(ty, by);
    }
    for entry in node.entries_mut() {
        shift_entry(entry, by);
    }
    if let Some(children) = node.children_mut() {
        shift_document(children, by);
    }
}

fn shift_document(document: &mut KdlDocument, by: usize) {
    let span = shift(document.span(), by);
    document.set_span(span);
    for node in document.nodes_mut() {
        shift_node(node, by);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(doc: &KdlDocument) -> Vec<(String, usize, usize)> {
        fn walk(doc: &KdlDocument, out: &mut Vec<(String, usize, usize)>) {
            for node in doc.nodes() {
                out.push((
                    node.name().value().to_string(),
                    node.name().span().offset(),
                    node.span().len(),
                ));
                for entry in node.entries() {
                    out.push((entry.to_string(), entry.span().offset(), entry.span().len()));
                }
                if let Some(children) = node.children() {
                    walk(children, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(doc, &mut out);
        out
    }

    #[test]
    fn pieces_give_the_same_nodes_and_spans_as_one_parse() {
        let mut text = String::new();
        for i in 0..400 {
            text.push_str(&format!(
                "service \"s{i}\" host=\"h\" upstream=\"http://s{i}:80\" {{\n    hostname \"s{i}.example.com\" // c {{\n    env \"K\" #\"raw \" {{ \"#\n    /* {{ */ auth \"none\"\n}}\n"
            ));
        }
        let whole = KdlDocument::parse_v2(&text).unwrap();
        let pieces = parse_in_parallel(&text, &|d: KdlDocument| d).expect("splits");
        assert!(pieces.len() > 1, "the text is split");
        let mut parallel = KdlDocument::new();
        for mut piece in pieces {
            parallel.nodes_mut().append(piece.nodes_mut());
        }
        assert_eq!(spans(&whole), spans(&parallel));
        assert_eq!(whole.nodes().len(), parallel.nodes().len());
    }

    #[test]
    fn brace_depth_ignores_strings_and_comments_and_counts_unclosed_blocks() {
        assert_eq!(brace_deeper_than("a {\n b {\n c\n }\n}\n", 2), None);
        let deep = "a {\n b {\n c {\n }\n}\n";
        assert_eq!(brace_deeper_than(deep, 2), deep.find("c {").map(|c| c + 2));
        assert_eq!(brace_deeper_than("a {}\nb {}\nc {}\n", 1), None);
        let text = "a \"{{{\" #\"{{\"# // {{{\n/* { */ b {\n";
        assert_eq!(brace_deeper_than(text, 0), text.rfind('{'));
        assert_eq!(brace_deeper_than(&"a /-{\n".repeat(40), 8), Some(9 * 6 - 2));
        assert_eq!(brace_deeper_than("a \"{ never closed {{{", 0), None);
    }

    #[test]
    fn unbalanced_input_falls_back() {
        assert!(split_points("a {\n", 4).is_none());
        assert!(split_points("a \"open\n", 4).is_none());
    }
}
