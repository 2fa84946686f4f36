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

/// Parses `text` in pieces; `None` means "parse it whole instead".
pub fn parse_in_parallel(text: &str) -> Option<KdlDocument> {
    let pieces = rayon::current_num_threads().max(2) * 4;
    let bounds = split_points(text, pieces)?;
    let ranges: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    let parsed: Vec<Option<KdlDocument>> = ranges
        .par_iter()
        .map(|&(start, end)| {
            KdlDocument::parse_v2(&text[start..end]).ok().map(|mut d| {
                shift_document(&mut d, start);
                d
            })
        })
        .collect();
    let mut document = KdlDocument::new();
    for piece in parsed {
        document.nodes_mut().append(piece?.nodes_mut());
    }
    document.set_span((0, text.len()));
    Some(document)
}

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
        let parallel = parse_in_parallel(&text).expect("splits");
        assert_eq!(spans(&whole), spans(&parallel));
        assert_eq!(whole.nodes().len(), parallel.nodes().len());
    }

    #[test]
    fn unbalanced_input_falls_back() {
        assert!(split_points("a {\n", 4).is_none());
        assert!(split_points("a \"open\n", 4).is_none());
    }
}
